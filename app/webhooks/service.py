"""Webhook subscriptions of an organisation or a region: create, read, change, delete, test (issue 28).

Every write is audited and validated in one pass. The signing secret is shown once: the database keeps
only a random salt, and the key is derived from it and the server secret (so a copy of the database
alone cannot sign, and rotating SLEUTELMONITOR_SECRET_KEY invalidates every webhook secret).
"""

import base64
import hashlib
import hmac
import secrets
import uuid
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, delete, select
from sqlmodel.sql.expression import SelectOfScalar

from app.core.config import get_settings
from app.core.errors import NietGevonden, OngeldigeInvoer
from app.gebeurtenissen import service as gebeurtenissen
from app.models import Webhook, WebhookAflevering, utcnow
from app.toegang import audit
from app.toegang.caller import Binding, Caller
from app.webhooks import adressen

RESOURCE_TYPE = "webhook"
NAAM = "Webhook"
# What a regional subscription may ask for: its signal inbox and its region's reporting periods.
REGIONALE_SOORTEN = tuple(s for s in gebeurtenissen.SOORTEN if s.startswith(("signaal.", "rapportageperiode.")))


def sleutel(webhook: Webhook) -> bytes:
    """The HMAC key of a webhook, derived from the server secret and the webhook's salt."""
    return hmac.new(get_settings().secret_key.encode(), f"sleutelmonitor-webhook-1:{webhook.geheim_zout}".encode(),
                    hashlib.sha256).digest()


def geheim(webhook: Webhook) -> str:
    """The secret as the subscriber stores it: `whsec_` + base64 of the key (Standard Webhooks)."""
    return "whsec_" + base64.b64encode(sleutel(webhook)).decode()


def _eigen(statement: SelectOfScalar[Webhook], caller: Caller) -> SelectOfScalar[Webhook]:
    if caller.binding is Binding.regio:
        return statement.where(col(Webhook.organisatie_id).is_(None))
    if caller.organisatie_id is None:
        return statement.where(False)  # type: ignore[arg-type]
    return statement.where(col(Webhook.organisatie_id) == caller.organisatie_id)


def _van(caller: Caller, webhook: Webhook) -> bool:
    """A regional webhook belongs to a region key whose gemeenten cover it; an organisation's to the organisation."""
    if caller.binding is Binding.regio:
        return webhook.organisatie_id is None and set(webhook.gemeentecodes or ()) <= set(caller.gemeentecodes)
    return webhook.organisatie_id == caller.organisatie_id


def get(session: Session, *, caller: Caller, webhook_id: uuid.UUID) -> Webhook:
    """The caller's webhook, or 404 (another organisation's or region's too)."""
    webhook = session.exec(_eigen(select(Webhook).where(Webhook.id == webhook_id), caller)).first()
    if webhook is None or not _van(caller, webhook):
        raise NietGevonden(f"Webhook {webhook_id} bestaat niet.")
    return webhook


def alle(session: Session, *, caller: Caller) -> list[Webhook]:
    """The caller's webhooks, oldest first (few per organisation or region: filtered here, paginated in memory)."""
    statement = _eigen(select(Webhook), caller).order_by(col(Webhook.aangemaakt_op), col(Webhook.id))
    return [w for w in session.exec(statement) if _van(caller, w)]


def _problemen(caller: Caller, values: dict[str, Any]) -> list[dict[str, str]]:
    problemen: list[dict[str, str]] = []
    if "url" in values and values["url"] is not None:
        try:
            adressen.doel(values["url"])
        except adressen.OnveiligAdres as exc:
            problemen.append({"name": "url", "reason": str(exc), "code": "ongeldig"})
    if caller.binding is Binding.regio and values.get("soorten"):
        buiten = [s for s in values["soorten"] if s not in REGIONALE_SOORTEN]
        if buiten:
            problemen.append({"name": "soorten", "code": "niet-toegestaan", "reason": (
                f"Een regionale sleutel ontvangt geen {', '.join(buiten)}; alleen: {', '.join(REGIONALE_SOORTEN)}.")})
    return problemen


def create(session: Session, *, caller: Caller, url: str, soorten: list[str]) -> tuple[Webhook, str]:
    """Subscribe the caller's organisation (or region) to events; returns the webhook and its secret (shown once)."""
    if problemen := _problemen(caller, {"url": url, "soorten": soorten}):
        raise OngeldigeInvoer.met(problemen, onderwerp="De webhook")
    regionaal = caller.binding is Binding.regio
    webhook = Webhook(
        organisatie_id=None if regionaal else caller.organisatie_id,
        gemeentecodes=sorted(caller.gemeentecodes) if regionaal else None,
        api_sleutel_id=caller.sleutel_id, url=url, soorten=list(soorten), geheim_zout=secrets.token_hex(16),
    )
    session.add(webhook)
    session.flush()
    audit.log(session, caller=caller, actie="aangemaakt", resource_type=RESOURCE_TYPE, resource_id=webhook.id,
              velden=["url", "soorten"])
    return webhook, geheim(webhook)


def update_(session: Session, *, caller: Caller, webhook: Webhook, changes: dict[str, Any]) -> Webhook:
    """Change the URL, the kinds, or switch it off or on again (on: the failure count restarts, waiting deliveries go now)."""
    changes = {k: v for k, v in changes.items() if v is not None}
    if problemen := _problemen(caller, changes):
        raise OngeldigeInvoer.met(problemen, onderwerp="De webhook")
    nu = utcnow()
    weer_aan = changes.get("actief") is True and not webhook.actief
    for naam, waarde in changes.items():
        setattr(webhook, naam, list(waarde) if naam == "soorten" else waarde)
    if weer_aan:
        webhook.opeenvolgende_fouten = 0
        webhook.uitgeschakeld_op = None
        session.execute(
            update(WebhookAflevering)
            .where(col(WebhookAflevering.webhook_id) == webhook.id, col(WebhookAflevering.status) == "wachtend")
            .values(volgende_poging_op=nu)
        )
    webhook.gewijzigd_op = nu
    session.add(webhook)
    session.flush()
    actie = "geactiveerd" if weer_aan else "gedeactiveerd" if changes.get("actief") is False else "gewijzigd"
    audit.log(session, caller=caller, actie=actie, resource_type=RESOURCE_TYPE, resource_id=webhook.id,
              velden=sorted(changes))
    return webhook


def delete_(session: Session, *, caller: Caller, webhook: Webhook) -> None:
    """Remove the subscription and its delivery log; nothing more is sent."""
    session.exec(delete(WebhookAflevering).where(col(WebhookAflevering.webhook_id) == webhook.id))  # type: ignore[call-overload]
    session.delete(webhook)
    session.flush()
    audit.log(session, caller=caller, actie="verwijderd", resource_type=RESOURCE_TYPE, resource_id=webhook.id)


def afleveringen_statement(webhook: Webhook) -> SelectOfScalar[WebhookAflevering]:
    """The delivery log of a webhook, newest first."""
    return (
        select(WebhookAflevering).where(WebhookAflevering.webhook_id == webhook.id)
        .order_by(col(WebhookAflevering.aangemaakt_op).desc(), col(WebhookAflevering.id))
    )


def test(session: Session, *, caller: Caller, webhook: Webhook) -> WebhookAflevering:
    """Queue a `webhook.test` message to the webhook; the delivery runner sends it within seconds."""
    nu = utcnow()
    aflevering = WebhookAflevering(
        webhook_id=webhook.id, bericht_id=f"msg_{uuid.uuid4().hex}", soort="webhook.test",
        body=gebeurtenissen.bericht("webhook.test", {"webhookId": str(webhook.id)}, nu),
        volgende_poging_op=nu, aangemaakt_op=nu,
    )
    session.add(aflevering)
    session.flush()
    audit.log(session, caller=caller, actie="getest", resource_type=RESOURCE_TYPE, resource_id=webhook.id)
    return aflevering
