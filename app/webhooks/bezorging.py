"""Webhook deliveries: a persisted runner every worker runs (issue 28).

Events are fanned out to deliveries when they are numbered (app/gebeurtenissen/service.py), so a
delivery exists once its event is committed and numbered, whatever happens to the process after. Each
round every worker's poller numbers new events, then claims due deliveries one by one with a
compare-and-set UPDATE (as the import jobs do): a delivery `wachtend` and due, or `bezig` whose lease
ran out (its worker died mid-attempt). Exactly one worker wins each claim. The HTTP request runs
outside any transaction; its outcome is written in a short one, only while the claim is still ours.

Signing: Standard Webhooks (https://www.standardwebhooks.com): `webhook-id` (the same on every attempt,
for de-duplication), `webhook-timestamp` (Unix seconds of this attempt) and `webhook-signature`
`v1,<base64 HMAC-SHA256 over "{id}.{timestamp}.{body}">`, signed with the `standardwebhooks` package.

Schedule: a failed attempt (no 2xx within the timeout; redirects are not followed and count as
failures) is retried after 10 s × 4^(n−1), n the attempts so far, at most 12 hours: 10 s, 40 s, 2.7 min,
11 min, 43 min, 2.8 h, 11 h. After `webhook_max_pogingen` attempts (default 8, about 15 hours in all) the
delivery is `mislukt`. After `webhook_max_fouten` failed attempts in a row (default 20), over all its
deliveries, the webhook is disabled; PATCH `actief: true` enables it again.
"""

import logging
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import Engine, and_, or_, update
from sqlmodel import Session, col, select
from standardwebhooks.webhooks import Webhook as Ondertekenaar

from app.core import poller
from app.core.config import get_settings
from app.core.db import get_engine, schrijvend_met_wachttijd
from app.gebeurtenissen import service as gebeurtenissen
from app.imports.taken import WERKER
from app.models import Webhook, WebhookAflevering, utcnow
from app.webhooks import adressen
from app.webhooks.service import sleutel

logger = logging.getLogger(__name__)

# Longer than the timeout: a claim outlives its attempt; a worker that died frees it after this.
LEASE = timedelta(seconds=60)
PER_RONDE = 100
EERSTE_WACHTTIJD_SECONDEN = 10.0
FACTOR = 4
MAX_WACHTTIJD_SECONDEN = 12 * 3600.0
OPRUIMEN_SECONDEN = 3600.0


def wachttijd(pogingen: int) -> timedelta:
    """How long after its `pogingen`-th failed attempt a delivery is tried again."""
    return timedelta(seconds=min(EERSTE_WACHTTIJD_SECONDEN * FACTOR ** (pogingen - 1), MAX_WACHTTIJD_SECONDEN))


def _engine() -> Engine:
    """The engine deliveries use (a seam for tests, which point it at a database of their own)."""
    return get_engine()


@dataclass
class Ronde:
    """What one round did: deliveries attempted, delivered and failed (attempts, not deliveries given up)."""

    genummerd: int = 0
    geprobeerd: int = 0
    geslaagd: int = 0
    mislukt: int = 0


def _klaar(nu: datetime) -> object:
    return or_(
        and_(col(WebhookAflevering.status) == "wachtend", col(WebhookAflevering.volgende_poging_op) <= nu),
        and_(col(WebhookAflevering.status) == "bezig", col(WebhookAflevering.lease_tot) < nu),
    )


def stap(*, engine: Engine | None = None, nu: datetime | None = None, client: httpx.Client | None = None) -> Ronde:
    """One round: number new events (and fan them out), then attempt every due delivery once."""
    engine = engine or _engine()
    nu = nu or utcnow()
    ronde = Ronde(genummerd=gebeurtenissen.nummer(engine, nu=nu))
    with Session(engine) as session:
        ids = session.exec(
            select(WebhookAflevering.id).join(Webhook, col(Webhook.id) == col(WebhookAflevering.webhook_id))
            .where(col(Webhook.actief), _klaar(nu))  # type: ignore[arg-type]
            .order_by(col(WebhookAflevering.volgende_poging_op)).limit(PER_RONDE)
        ).all()
    if not ids:
        return ronde
    eigen_client = client is None
    client = client or httpx.Client(
        timeout=get_settings().webhook_timeout_seconden, follow_redirects=False, trust_env=False,
        headers={"User-Agent": "Sleutelmonitor-Webhooks/1"},
    )
    try:
        for aflevering_id in ids:
            if _claim(engine, aflevering_id, nu):
                ronde.geprobeerd += 1
                if _lever(engine, client, aflevering_id, nu):
                    ronde.geslaagd += 1
                else:
                    ronde.mislukt += 1
    finally:
        if eigen_client:
            client.close()
    return ronde


def _claim(engine: Engine, aflevering_id: uuid.UUID, nu: datetime) -> bool:
    with Session(schrijvend_met_wachttijd(engine, 10.0)) as session:
        resultaat = session.execute(
            update(WebhookAflevering)
            .where(col(WebhookAflevering.id) == aflevering_id, _klaar(nu))  # type: ignore[arg-type]
            .values(status="bezig", werker=WERKER, lease_tot=nu + LEASE)
        )
        session.commit()
    return resultaat.rowcount == 1  # type: ignore[attr-defined, no-any-return]


def verstuur(client: httpx.Client, webhook: Webhook, bericht_id: str, body: str) -> tuple[int | None, str | None]:
    """One signed POST; returns (status code, failure reason) — reason None on a 2xx."""
    tijdstip = datetime.fromtimestamp(int(time.time())).astimezone()
    handtekening = Ondertekenaar(sleutel(webhook)).sign(msg_id=bericht_id, timestamp=tijdstip, data=body)
    try:
        doel = adressen.doel(webhook.url)
    except adressen.OnveiligAdres as exc:
        return None, str(exc)[:200]
    headers = {
        "Host": doel.host,
        "Content-Type": "application/json",
        "webhook-id": bericht_id,
        "webhook-timestamp": str(int(tijdstip.timestamp())),
        "webhook-signature": handtekening,
    }
    extensies = {"sni_hostname": doel.sni} if doel.sni else {}
    try:
        antwoord = client.post(doel.url, content=body.encode(), headers=headers, extensions=extensies)
    except httpx.TimeoutException:
        return None, f"Geen antwoord binnen {get_settings().webhook_timeout_seconden:g} s."
    except httpx.HTTPError as exc:
        return None, f"Verbinding mislukt ({type(exc).__name__})."
    if 200 <= antwoord.status_code < 300:
        return antwoord.status_code, None
    if 300 <= antwoord.status_code < 400:
        return antwoord.status_code, f"HTTP {antwoord.status_code}: redirects worden niet gevolgd."
    return antwoord.status_code, f"HTTP {antwoord.status_code}."


def _lever(engine: Engine, client: httpx.Client, aflevering_id: uuid.UUID, nu: datetime) -> bool:
    with Session(engine, expire_on_commit=False) as session:
        aflevering = session.get(WebhookAflevering, aflevering_id)
        webhook = session.get(Webhook, aflevering.webhook_id) if aflevering else None
    if aflevering is None or webhook is None:
        return False
    statuscode, fout = verstuur(client, webhook, aflevering.bericht_id, aflevering.body)
    _uitslag(engine, aflevering_id, webhook.id, statuscode, fout, nu)
    return fout is None


def _uitslag(engine: Engine, aflevering_id: uuid.UUID, webhook_id: uuid.UUID, statuscode: int | None,
             fout: str | None, nu: datetime) -> None:
    """Write an attempt's outcome, if the claim is still ours; count failures in a row and disable past the limit."""
    settings = get_settings()
    with Session(schrijvend_met_wachttijd(engine, 10.0)) as session:
        aflevering = session.exec(
            select(WebhookAflevering).where(WebhookAflevering.id == aflevering_id).with_for_update()
        ).first()
        if aflevering is None or aflevering.status != "bezig" or aflevering.werker != WERKER:
            return  # deleted, or taken over after our lease ran out: its new owner writes the outcome
        aflevering.pogingen += 1
        aflevering.laatste_poging_op = nu
        aflevering.laatste_statuscode = statuscode
        aflevering.laatste_fout = fout
        aflevering.werker = aflevering.lease_tot = None
        if fout is None:
            aflevering.status = "geslaagd"
            aflevering.afgeleverd_op = nu
            session.execute(update(Webhook).where(col(Webhook.id) == webhook_id).values(opeenvolgende_fouten=0))
        else:
            if aflevering.pogingen >= settings.webhook_max_pogingen:
                aflevering.status = "mislukt"
            else:
                aflevering.status = "wachtend"
                aflevering.volgende_poging_op = nu + wachttijd(aflevering.pogingen)
            session.execute(update(Webhook).where(col(Webhook.id) == webhook_id)
                            .values(opeenvolgende_fouten=col(Webhook.opeenvolgende_fouten) + 1))
            uitgeschakeld = session.execute(
                update(Webhook)
                .where(col(Webhook.id) == webhook_id, col(Webhook.actief),
                       col(Webhook.opeenvolgende_fouten) >= settings.webhook_max_fouten)
                .values(actief=False, uitgeschakeld_op=nu)
            )
            if uitgeschakeld.rowcount:  # type: ignore[attr-defined]
                logger.warning("Webhook %s disabled after %s failed attempts in a row", webhook_id,
                               settings.webhook_max_fouten)
        session.add(aflevering)
        session.commit()


class Poller(poller.Poller):
    """A daemon thread per worker: a delivery round every `webhook_poll_seconden`, retention once an hour."""

    def __init__(self, interval: float) -> None:
        super().__init__("webhook-poller", interval, stap=lambda: stap(), opruimen=lambda: gebeurtenissen.ruim_op(_engine()),
                         opruim_interval=OPRUIMEN_SECONDEN)
