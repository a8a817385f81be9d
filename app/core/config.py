"""Settings, read once from the environment (prefix SLEUTELMONITOR_) and an optional .env file."""

import hashlib
import hmac
from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRET = "verander-mij-alleen-voor-ontwikkeling"
DEFAULT_DATABASE_URL = f"sqlite:///{Path('data') / 'sleutelmonitor.db'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SLEUTELMONITOR_", env_file=".env", extra="ignore"
    )

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = DEFAULT_DATABASE_URL
    # Connection pool per worker process (docs/serveren.md). None: 5 + 10 on PostgreSQL, 10 + 50 on SQLite.
    database_pool_size: int | None = Field(default=None, ge=1)
    database_max_overflow: int | None = Field(default=None, ge=0)
    # How long a request waits for a free connection before it gets 503.
    database_pool_timeout_seconden: float = Field(default=30.0, gt=0)
    secret_key: str = Field(
        default=PLACEHOLDER_SECRET,
        description="Server secret; per-organisation keys for resident hashes derive from it.",
    )
    suppression_threshold: int = Field(default=5, ge=2)
    default_page_size: int = Field(default=20, ge=1)
    max_page_size: int = Field(default=100, ge=1)
    cors_origins: list[str] = Field(default_factory=list)
    log_level: str = "INFO"
    max_indicator_rows: int = Field(default=10_000, ge=1)
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    # The largest import upload (API and dashboard; 413 past it). Waiting uploads are stored in the database.
    max_import_bytes: int = Field(default=200 * 1_048_576, ge=1024)
    # Measuring only: where each request's time goes, per worker in `<path>.<pid>.json` (app/core/spans.py).
    meet_spans: str | None = None
    # Concurrent POST /v1/contactmomenten of one worker share one transaction (group commit,
    # app/contactmomenten/schrijfgroep.py); false: each its own, as before (for measuring the difference).
    groepscommit: bool = True
    # Limits of the import readers on what a file may hold, whatever its size on disk.
    max_import_rijen: int = Field(default=2_000_000, ge=1)
    max_import_cel_tekens: int = Field(default=10_000, ge=100)
    max_import_seconden: float = Field(default=3600, gt=0)
    # An import's report keeps the first this many errors (row, column, value, reason) plus counts per
    # column and reason; an atomic run stops at the first error past it (it would save nothing anyway).
    max_import_fouten: int = Field(default=1000, ge=10, le=100_000)
    # A CSV or NDJSON import of at least this many MB reads, maps and checks its rows in a worker process
    # while the importing process writes (app/imports/pijplijn.py); starting one costs a second or two.
    # `import_werkproces=false` keeps every import in one process (a machine with one core).
    import_werkproces: bool = True
    import_werkproces_vanaf_mb: float = Field(default=2.0, ge=0)
    rate_limit_per_minute: int = Field(default=600, ge=1)
    # Distinct indicator tables a key may read per local day, for every reader but the organisation
    # itself (regional, national, beheer; API and dashboard alike). Re-reading a table is free. 300:
    # every page of the regional dashboard, with every preset period and every topic drill-down, is
    # about 180 tables; key-aware averaging needs ~60 tables per day cell (97% exact, issue 21), so a
    # month of day cells in one gemeente takes ~1,900 tables (six days), and even 16 pairs per cell
    # (82% exact) ~500. See docs/onderdrukking.md.
    leesbudget_per_dag: int = Field(default=300, ge=1)
    retention_months: int | None = Field(default=None, ge=1)
    # Per resource type: signals and stories older than this are deleted by `sleutelmonitor retention`.
    retention_months_signalen: int | None = Field(default=None, ge=1)
    retention_months_ervaringsverhalen: int | None = Field(default=None, ge=1)
    # The address clients use, e.g. https://sleutelmonitor.ggd.nl; without it the OpenAPI document names a
    # relative server (`/v1`), so a client follows whichever host and port served the document.
    public_url: str | None = None
    # Reverse proxies whose X-Forwarded-Proto/-Host/-For are believed (app/core/proxy.py), in the format
    # of uvicorn's --forwarded-allow-ips: comma-separated IPs or networks, or `*` (only when nothing else
    # can reach the service). Behind a TLS proxy the dashboard's forms need it.
    trusted_proxies: str = "127.0.0.1"
    # How long a dashboard sign-in lasts (from sign-in, not from last use); the session row and the key are
    # checked again on every request. Ended and expired sessions stay listed this many days, then go.
    dashboard_sessie_minuten: int = Field(default=480, ge=5, le=7 * 24 * 60)
    dashboard_sessie_bewaardagen: int = Field(default=30, ge=1, le=366)
    # Failed dashboard sign-ins allowed per client address (IPv6: per /64) and per key prefix within the
    # window; past either the sign-in form answers 429 until the oldest failure leaves the window.
    aanmelden_pogingen_per_adres: int = Field(default=10, ge=1)
    aanmelden_pogingen_per_sleutel: int = Field(default=5, ge=1)
    aanmelden_venster_minuten: int = Field(default=15, ge=1, le=24 * 60)
    # The key persons' app (/app): how long an invitation can be used, how long a device session lasts
    # after its last use (a sliding lifetime), and how many invitation attempts an address may make.
    uitnodiging_dagen: int = Field(default=7, ge=1, le=30)
    apparaat_sessie_dagen: int = Field(default=90, ge=1, le=400)
    uitnodiging_pogingen_per_minuut: int = Field(default=10, ge=1)
    # Background imports (app/imports/taken.py): this host's folder for a job's local copy of its upload (the
    # upload itself is in the database, app/imports/opslag.py, so it need not be shared), how long a claim holds
    # without a heartbeat, how often each worker looks for waiting and abandoned jobs (0: never, for tests).
    import_map: str | None = None
    # Longest a request's statement may run (PostgreSQL statement_timeout, SQLite progress handler); 0: none.
    statement_timeout_seconden: float = Field(default=30.0, ge=0)
    # /v1/status reports the disk full below this many free megabytes (database and upload folder).
    min_vrije_schijf_mb: int = Field(default=100, ge=0)
    import_lease_seconden: int = Field(default=60, ge=4)
    import_poll_seconden: float = Field(default=5.0, ge=0)
    # Disclosure control for every reader but the organisation itself (docs/onderdrukking.md).
    # The secret behind the cell keys; without it, derived from secret_key. Changing it changes every
    # published figure a little, so keep it stable (and secret).
    perturbatie_geheim: str | None = None
    # Table checks: how many characteristics (grouped or filtered, time not counted) a table may combine,
    # how many values an open list (taal, wijk) may name, and the largest share of suppressed cells.
    regionaal_max_kenmerken: int = Field(default=3, ge=1, le=10)
    regionaal_max_open_waarden: int = Field(default=25, ge=1, le=1000)
    regionaal_max_aandeel_onderdrukt: float = Field(default=0.6, gt=0, le=1)
    # Contributor rule: a cell with fewer key persons behind it is suppressed.
    min_sleutelpersonen_per_cel: int = Field(default=3, ge=1)
    # Sums and medians: suppressed with fewer records than this.
    min_records_som: int = Field(default=5, ge=1)

    # On SQLite an atomic import or a dry run holds the only write slot for its whole run (~1,400 rows a
    # second), so request writes get 503 meanwhile. Larger files are refused in those modes (per row,
    # which commits every 2,000 rows, is allowed at any size); 0: no limit. PostgreSQL has no such limit.
    sqlite_atomair_max_mb: float = Field(default=2.0, ge=0)
    # Serving (`sleutelmonitor serve`, app/core/proces.py). How long the supervisor of `--workers N`
    # waits for a worker to answer its health check before it kills and replaces it: uvicorn's 5 s
    # killed healthy workers on a loaded two-core machine, and their replacements during start-up.
    worker_healthcheck_seconden: int = Field(default=60, ge=1)
    # At SIGTERM: how long requests in progress may finish; running import jobs are handed back at once.
    graceful_shutdown_seconden: int = Field(default=30, ge=0)
    # A client must send a request's headers within this many seconds of starting it (slowloris).
    header_timeout_seconden: float = Field(default=10.0, gt=0)
    # An upload may pause at most this many seconds between two parts of its body; then it is dropped.
    body_timeout_seconden: float = Field(default=60.0, gt=0)

    # Events (app/gebeurtenissen): how long the feed keeps them (a cursor older than that gets 410), and
    # how long the webhook delivery log is kept.
    gebeurtenissen_bewaardagen: int = Field(default=30, ge=1, le=366)
    # Webhooks (app/webhooks): every worker delivers due deliveries every this many seconds (0: never, for
    # tests); a delivery waits at most this long for an answer; after `webhook_max_pogingen` attempts a
    # delivery is given up, after `webhook_max_fouten` failed attempts in a row the subscription is disabled.
    webhook_poll_seconden: float = Field(default=2.0, ge=0)
    webhook_timeout_seconden: float = Field(default=5.0, gt=0, le=30)
    webhook_max_pogingen: int = Field(default=8, ge=1, le=20)
    webhook_max_fouten: int = Field(default=20, ge=1)
    # Allow webhook URLs on loopback, private and link-local addresses, and plain http (tests, a closed
    # network). Off: only https to public addresses (no requests to the cloud metadata service or the LAN).
    webhook_interne_adressen: bool = False

    # Operations (issue 30, docs/productie.md). Prometheus metrics at /metrics are off (404) unless a bearer
    # token or allowed networks are set; with both, a scrape needs both. Networks: comma-separated IPs or
    # CIDR networks (10.0.0.0/8, fd00::/8), matched against the client address after trusted proxies.
    metrics_token: str | None = None
    metrics_netwerken: str = ""
    # `sleutelmonitor serve` logs one JSON object per line (`json`) or uvicorn's plain text (`tekst`).
    log_formaat: Literal["json", "tekst"] = "json"

    # Single sign-on for the dashboard with OpenID Connect (app/sso, docs/productie.md "Single sign-on").
    # Off unless the issuer is set. The redirect URI the IdP must know is `<sso_redirect_basis>/sso/terug`
    # (default basis: public_url); after signing out the IdP sends the browser to `<basis>/sso/afgemeld`.
    sso_issuer: str | None = None
    sso_client_id: str | None = None
    sso_client_secret: SecretStr | None = None
    sso_scopes: str = "openid"
    # The ID token (or userinfo) claim whose values are mapped to an organisation or region (`sleutelmonitor sso`).
    sso_groepen_claim: str = "groups"
    sso_redirect_basis: str | None = None
    # Shown on the sign-in button: "Aanmelden met <sso_naam>".
    sso_naam: str = "uw organisatieaccount"

    @property
    def sso_aan(self) -> bool:
        return bool(self.sso_issuer)

    @property
    def sso_redirect_url_basis(self) -> str | None:
        basis = self.sso_redirect_basis or self.public_url
        return basis.rstrip("/") if basis else None

    @property
    def metrics_aan(self) -> bool:
        return bool(self.metrics_token or self.metrics_netwerken.strip())

    @property
    def metrics_netwerken_lijst(self) -> list[IPv4Network | IPv6Network]:
        return [ip_network(deel.strip(), strict=False) for deel in self.metrics_netwerken.split(",") if deel.strip()]

    @property
    def perturbatie_sleutel(self) -> bytes:
        """The key of the cell-key hash: the setting, or a key derived from the server secret."""
        if self.perturbatie_geheim:
            return self.perturbatie_geheim.encode()
        return hmac.new(self.secret_key.encode(), b"sleutelmonitor-perturbatie-1", hashlib.sha256).digest()

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @model_validator(mode="after")
    def _refuse_placeholder_secret(self) -> "Settings":
        # A guessable secret makes resident hashes reversible by dictionary attack.
        weak = self.secret_key == PLACEHOLDER_SECRET or len(self.secret_key) < 32
        if weak and (self.environment == "production" or not self.is_sqlite):
            raise ValueError(
                "SLEUTELMONITOR_SECRET_KEY is a placeholder or shorter than 32 characters; "
                "set a random secret (e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`) "
                "before running against PostgreSQL or in production."
            )
        if self.metrics_token is not None and len(self.metrics_token) < 32:
            raise ValueError("SLEUTELMONITOR_METRICS_TOKEN must be at least 32 characters (a random token).")
        try:
            _ = self.metrics_netwerken_lijst
        except ValueError as exc:
            raise ValueError(f"SLEUTELMONITOR_METRICS_NETWERKEN: {exc}") from exc
        if self.sso_issuer and not (self.sso_client_id and self.sso_client_secret and self.sso_redirect_url_basis):
            raise ValueError("SLEUTELMONITOR_SSO_ISSUER is set: also set SLEUTELMONITOR_SSO_CLIENT_ID, "
                             "SLEUTELMONITOR_SSO_CLIENT_SECRET and SLEUTELMONITOR_SSO_REDIRECT_BASIS (or PUBLIC_URL).")
        if self.sso_issuer and self.environment == "production" and not self.sso_issuer.startswith("https://"):
            raise ValueError("SLEUTELMONITOR_SSO_ISSUER must be an https:// URL in production.")
        if self.default_page_size > self.max_page_size:
            raise ValueError("default_page_size may not exceed max_page_size")
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
