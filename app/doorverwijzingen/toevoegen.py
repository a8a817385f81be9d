"""Adding a referral to an existing contactmoment: the rules of a contact's own referrals, idempotent by externId.

The new referral is checked by the contactmoment's own rules (`contactmomenten.regels.controleer`)
on the contactmoment as it stands with this one referral, so a partner of the own organisation,
the code lists, a topic of the contact and a status date not before the contact hold exactly as
when the referral comes with the contact. Afterwards the contactmoment's fingerprint describes it
with the new referral (a re-post of the whole contact with it is then a safe retry) and its
`gewijzigdOp` moves, for incremental sync.
"""

import hashlib
import json
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.contactmomenten import regels
from app.contactmomenten import service as contactmomenten
from app.contactmomenten.inhoud import als_invoer
from app.contactmomenten.schemas import ContactmomentCreate
from app.core.errors import Conflict, OngeldigeInvoer, validation_params
from app.doorverwijzingen.schemas import DoorverwijzingToevoegen
from app.doorverwijzingen.service import RESOURCE_TYPE, raak_contactmoment_aan
from app.models import Contactmoment, Doorverwijzing, DoorverwijzingStatus, utcnow
from app.rapportage import slot
from app.toegang import audit, scoping
from app.toegang.caller import Caller

# As many as a contactmoment may carry when it is posted (ContactmomentCreate.doorverwijzingen).
MAX_DOORVERWIJZINGEN = 20
_PREFIX = "doorverwijzingen[0]."


def _vingerafdruk(contactmoment: Contactmoment, data: DoorverwijzingToevoegen) -> str:
    """Fingerprint of the submission (without externId), with the default status date filled in."""
    inhoud = {
        "contactmomentId": str(contactmoment.id), "ketenpartnerId": str(data.ketenpartner_id), "onderwerp": data.onderwerp,
        "wijze": data.wijze, "status": data.status, "statusDatum": (data.status_datum or contactmoment.datum).isoformat(),
    }
    return hashlib.sha256(json.dumps(inhoud, sort_keys=True).encode()).hexdigest()


def _zoek_extern_id(session: Session, *, caller: Caller, extern_id: str) -> Doorverwijzing | None:
    """The organisation's referral with this externId (an externId is unique per organisation)."""
    return session.exec(
        select(Doorverwijzing).where(Doorverwijzing.organisatie_id == caller.organisatie_id, Doorverwijzing.extern_id == extern_id)
    ).first()


def _herhaling(session: Session, *, caller: Caller, bestaand: Doorverwijzing, vingerafdruk: str) -> Doorverwijzing:
    """A retry returns the stored referral; other content, or one the caller cannot see, is a 409."""
    zichtbaar = session.exec(
        scoping.eigen(select(Contactmoment).where(Contactmoment.id == bestaand.contactmoment_id), Contactmoment, caller)
        .where(col(Contactmoment.verwijderd_op).is_(None))
    ).first()
    if zichtbaar is None:
        raise Conflict(f"Het externId `{bestaand.extern_id}` is in de organisatie al in gebruik; gebruik een ander externId.",
                       code="externid-in-gebruik")
    if bestaand.inhoud_hash != vingerafdruk:
        raise Conflict(
            f"Er bestaat al een doorverwijzing met externId `{bestaand.extern_id}` met een andere inhoud. Wijzig de "
            f"status van de bestaande doorverwijzing met PATCH /v1/doorverwijzingen/{bestaand.id}, of gebruik een ander externId.",
            extra={"bestaandId": str(bestaand.id)}, code="externid-andere-inhoud",
        )
    return bestaand


def _problemen(session: Session, *, caller: Caller, contactmoment: Contactmoment, data: DoorverwijzingToevoegen) -> list[dict[str, str]]:
    """The contactmoment's rules for this referral, named as the fields of the body."""
    kinderen = contactmomenten.laad_kinderen(session, ids=[contactmoment.id])[contactmoment.id]
    invoer = als_invoer(contactmoment, kinderen)
    invoer["doorverwijzingen"] = [data.model_dump(mode="json", by_alias=True, exclude={"extern_id"})]
    try:
        samen = ContactmomentCreate.model_validate(invoer)
    except ValidationError as exc:
        # The referral's own schema errors were answered before the route ran; what is left is the stored
        # contactmoment no longer meeting today's schema: it needs a correction first.
        fouten = validation_params(exc.errors())
        eigen = [p | {"name": p["name"].removeprefix(_PREFIX)} for p in fouten if p["name"].startswith(_PREFIX)]
        if eigen:
            return eigen
        raise Conflict(
            "Het contactmoment voldoet niet meer aan de regels (" + ", ".join(sorted({p["name"] for p in fouten}))
            + "); corrigeer het eerst met PATCH, en voeg dan de doorverwijzing toe.",
        ) from exc
    problemen = regels.controleer(
        session, caller=caller, data=samen, heeft_referentie=contactmoment.inwoner_hash is not None,
        bestaand=contactmoment, bestaande_kinderen=kinderen,
    )
    # Problems of the contact itself (a code deactivated since) are not this referral's: it is judged alone.
    return [p | {"name": p["name"].removeprefix(_PREFIX)} for p in problemen if p["name"].startswith(_PREFIX)]


def create(session: Session, *, caller: Caller, contactmoment: Contactmoment, data: DoorverwijzingToevoegen,
           controleer_versie: Callable[[], None] | None = None) -> tuple[Doorverwijzing, bool]:
    """Add a referral to one of the caller's contactmomenten; returns (referral, created).

    `controleer_versie` (the If-Match check) runs after a retry was recognised: a retry carries the
    contactmoment's version from before its own first success, and must still answer 200."""
    assert caller.organisatie_id is not None
    vingerafdruk = _vingerafdruk(contactmoment, data)
    if data.extern_id is not None and (bestaand := _zoek_extern_id(session, caller=caller, extern_id=data.extern_id)):
        return _herhaling(session, caller=caller, bestaand=bestaand, vingerafdruk=vingerafdruk), False
    if controleer_versie is not None:
        controleer_versie()
    slot.controleer(session, organisatie_id=contactmoment.organisatie_id, datums=[contactmoment.datum])
    problemen = _problemen(session, caller=caller, contactmoment=contactmoment, data=data)
    if problemen:
        raise OngeldigeInvoer.met(problemen, onderwerp="De doorverwijzing", slot=" Er is niets opgeslagen.")
    aantal = len(contactmomenten.laad_kinderen(session, ids=[contactmoment.id])[contactmoment.id].doorverwijzingen)
    if aantal >= MAX_DOORVERWIJZINGEN:
        raise Conflict(f"Dit contactmoment heeft al {aantal} doorverwijzingen, het maximum; leg een nieuw contactmoment vast.")
    nu = utcnow()
    verwijzing = Doorverwijzing(
        organisatie_id=caller.organisatie_id, contactmoment_id=contactmoment.id, ketenpartner_id=data.ketenpartner_id,
        extern_id=data.extern_id, inhoud_hash=vingerafdruk, onderwerp=data.onderwerp, wijze=data.wijze, status=data.status,
        status_datum=data.status_datum or contactmoment.datum, aangemaakt_op=nu, gewijzigd_op=nu,
    )
    try:
        # A savepoint, so a concurrent POST with the same externId ends up as a retry, not a 500.
        with session.begin_nested():
            session.add(verwijzing)
            session.flush()
    except IntegrityError:
        assert data.extern_id is not None
        bestaand = _zoek_extern_id(session, caller=caller, extern_id=data.extern_id)
        if bestaand is None:
            raise
        return _herhaling(session, caller=caller, bestaand=bestaand, vingerafdruk=vingerafdruk), False
    session.add(DoorverwijzingStatus(doorverwijzing_id=verwijzing.id, status=verwijzing.status,
                                     status_datum=verwijzing.status_datum, api_sleutel_id=caller.sleutel_id, vastgelegd_op=nu))
    raak_contactmoment_aan(session, contactmoment_id=contactmoment.id)
    session.flush()
    contactmomenten.herbereken_inhoud_hash(session, records=[contactmoment])
    session.flush()
    audit.log(session, caller=caller, actie="aangemaakt", resource_type=RESOURCE_TYPE, resource_id=verwijzing.id,
              velden=_velden(data))
    return verwijzing, True


def _velden(data: DoorverwijzingToevoegen) -> list[str]:
    velden: dict[str, Any] = data.model_dump(by_alias=True, exclude_unset=True)
    return sorted(["contactmomentId", *velden])
