"""Settings, read once from the environment (prefix SLEUTELMONITOR_) and an optional .env file."""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRET = "verander-mij-alleen-voor-ontwikkeling"
DEFAULT_DATABASE_URL = f"sqlite:///{Path('data') / 'sleutelmonitor.db'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SLEUTELMONITOR_", env_file=".env", extra="ignore"
    )

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = DEFAULT_DATABASE_URL
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
    max_import_bytes: int = Field(default=200 * 1_048_576, ge=1024)
    # Limits of the import readers on what a file may hold, whatever its size on disk.
    max_import_rijen: int = Field(default=2_000_000, ge=1)
    max_import_cel_tekens: int = Field(default=10_000, ge=100)
    max_import_seconden: float = Field(default=3600, gt=0)
    # An import's report keeps the first this many errors (row, column, value, reason) plus counts per
    # column and reason; an atomic run stops at the first error past it (it would save nothing anyway).
    max_import_fouten: int = Field(default=1000, ge=10, le=100_000)
    rate_limit_per_minute: int = Field(default=600, ge=1)
    retention_months: int | None = Field(default=None, ge=1)
    # Per resource type: signals and stories older than this are deleted by `sleutelmonitor retention`.
    retention_months_signalen: int | None = Field(default=None, ge=1)
    retention_months_ervaringsverhalen: int | None = Field(default=None, ge=1)
    # The address clients use, e.g. https://sleutelmonitor.ggd.nl; without it the OpenAPI document names a
    # relative server (`/v1`), so a client follows whichever host and port served the document.
    public_url: str | None = None
    # How long a dashboard sign-in lasts; the key itself is checked again on every request.
    dashboard_sessie_minuten: int = Field(default=480, ge=5, le=7 * 24 * 60)
    # Background imports (app/imports/taken.py): where uploads wait, how long a claim holds without a
    # heartbeat, how often each worker looks for waiting and abandoned jobs (0: never, for tests).
    import_map: str | None = None
    # Longest a request's statement may run (PostgreSQL statement_timeout, SQLite progress handler); 0: none.
    statement_timeout_seconden: float = Field(default=30.0, ge=0)
    # /v1/status reports the disk full below this many free megabytes (database and upload folder).
    min_vrije_schijf_mb: int = Field(default=100, ge=0)
    import_lease_seconden: int = Field(default=60, ge=4)
    import_poll_seconden: float = Field(default=5.0, ge=0)

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
        if self.default_page_size > self.max_page_size:
            raise ValueError("default_page_size may not exceed max_page_size")
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
