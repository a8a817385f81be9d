"""Outcomes of a contactmoment or of one of its referrals, recorded later."""

import uuid

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.codelijsten import service as codelijsten
from app.core.errors import NietGevonden, OngeldigeInvoer
from app.core.validation import vandaag
from app.doorverwijzingen import service as doorverwijzingen
from app.gebeurtenissen import service as gebeurtenissen
from app.models import Contactmoment, Uitkomst
from app.rapportage import slot
from app.toegang import audit, scoping
from app.toegang.caller import Caller
from app.uitkomsten.schemas import UitkomstCreate

NAAM = "Uitkomst"
RESOURCE_TYPE = "uitkomst"


def _levend(statement: SelectOfScalar[Uitkomst]) -> SelectOfScalar[Uitkomst]:
    """Only outcomes whose contactmoment is not soft-deleted."""
    return statement.join(Contactmoment, Contactmoment.id == Uitkomst.contactmoment_id).where(
        col(Contactmoment.verwijderd_op).is_(None)
    )


def get(session: Session, *, caller: Caller, uitkomst_id: uuid.UUID) -> Uitkomst:
    """The caller's outcome with this id, or 404 (also when its contactmoment was deleted)."""
    statement = scoping.eigen(select(Uitkomst).where(Uitkomst.id == uitkomst_id), Uitkomst, caller)
    uitkomst = session.exec(_levend(statement)).first()
    if uitkomst is None:
        raise NietGevonden(f"{NAAM} {uitkomst_id} bestaat niet.")
    return uitkomst


def list_statement(
    *,
    caller: Caller,
    contactmoment: uuid.UUID | None = None,
    doorverwijzing: uuid.UUID | None = None,
    resultaat: str | None = None,
) -> SelectOfScalar[Uitkomst]:
    """The filtered select of the caller's outcomes, newest first."""
    statement = _levend(scoping.eigen(select(Uitkomst), Uitkomst, caller))
    if contactmoment is not None:
        statement = statement.where(Uitkomst.contactmoment_id == contactmoment)
    if doorverwijzing is not None:
        statement = statement.where(Uitkomst.doorverwijzing_id == doorverwijzing)
    if resultaat is not None:
        statement = statement.where(Uitkomst.resultaat == resultaat)
    return statement.order_by(
        col(Uitkomst.datum).desc(), col(Uitkomst.aangemaakt_op).desc(), Uitkomst.id
    )


def create(session: Session, *, caller: Caller, data: UitkomstCreate) -> Uitkomst:
    """Record an outcome for one of the caller's contactmomenten (and optionally one of its referrals)."""
    problems: list[dict[str, str]] = []
    contactmoment = scoping.zoek_eigen(session, Contactmoment, data.contactmoment_id, caller)
    if contactmoment is None:
        problems.append(
            {
                "name": "contactmomentId",
                "reason": f"Contactmoment {data.contactmoment_id} bestaat niet.",
            }
        )
    if data.doorverwijzing_id is not None:
        verwijzing = doorverwijzingen.get_own(
            session, caller=caller, doorverwijzing_id=data.doorverwijzing_id
        )
        if verwijzing is None:
            problems.append(
                {
                    "name": "doorverwijzingId",
                    "reason": f"Doorverwijzing {data.doorverwijzing_id} bestaat niet.",
                }
            )
        elif contactmoment is not None and verwijzing.contactmoment_id != contactmoment.id:
            problems.append(
                {
                    "name": "doorverwijzingId",
                    "reason": f"Doorverwijzing {data.doorverwijzing_id} hoort niet bij contactmoment {contactmoment.id}.",
                }
            )
    problems += codelijsten.check_codes(
        session, lijst=codelijsten.RESULTAAT, values=[("resultaat", data.resultaat)]
    )
    datum = data.datum or vandaag()
    if contactmoment is not None and datum < contactmoment.datum:
        problems.append(
            {
                "name": "datum",
                "reason": f"Datum {datum.isoformat()} ligt vóór de datum van het contactmoment ({contactmoment.datum.isoformat()}).",
            }
        )
    if problems:
        raise OngeldigeInvoer.met(problems, onderwerp="De uitkomst")
    assert contactmoment is not None and caller.organisatie_id is not None
    slot.controleer(session, organisatie_id=contactmoment.organisatie_id, datums=[contactmoment.datum])

    uitkomst = Uitkomst(
        organisatie_id=caller.organisatie_id,
        contactmoment_id=contactmoment.id,
        doorverwijzing_id=data.doorverwijzing_id,
        resultaat=data.resultaat,
        datum=datum,
    )
    session.add(uitkomst)
    # The latest outcome is embedded in its contactmoment, so incremental sync must see it change.
    doorverwijzingen.raak_contactmoment_aan(session, contactmoment_id=contactmoment.id)
    session.flush()
    audit.log(
        session,
        caller=caller,
        actie="aangemaakt",
        resource_type=RESOURCE_TYPE,
        resource_id=uitkomst.id,
        velden=data.model_dump(exclude_unset=True, by_alias=True).keys(),
    )
    gebeurtenissen.leg_vast(session, "uitkomst.aangemaakt", uitkomst, gegevens={"resultaat": uitkomst.resultaat})
    return uitkomst
