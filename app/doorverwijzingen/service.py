"""Referrals: list, read with history, and status changes along a fixed transition table."""

import uuid
from datetime import date
from typing import Any

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.codelijsten import service as codelijsten
from app.core.errors import Conflict, NietGevonden, OngeldigeInvoer
from app.core.filters import onderwerp_filter
from app.core.sorting import Sortering
from app.core.validation import vandaag
from app.doorverwijzingen.schemas import (
    DoorverwijzingDetail,
    DoorverwijzingPublic,
    DoorverwijzingUpdate,
    StatusHistorie,
)
from app.doorverwijzingen.statussen import EINDSTATUSSEN, OVERGANGEN
from app.models import Contactmoment, Doorverwijzing, DoorverwijzingStatus, utcnow
from app.rapportage import slot
from app.toegang import audit, scoping
from app.toegang.caller import Caller

NAAM = "Doorverwijzing"
RESOURCE_TYPE = "doorverwijzing"

SORTERING = Sortering("Doorverwijzing", {
    "datum": Contactmoment.datum,
    "statusDatum": Doorverwijzing.status_datum,
    "aangemaaktOp": Doorverwijzing.aangemaakt_op,
    "gewijzigdOp": Doorverwijzing.gewijzigd_op,
}, standaard="-statusDatum")


def _levend(statement: SelectOfScalar[Any]) -> SelectOfScalar[Any]:
    """Only referrals whose contactmoment is not soft-deleted."""
    return statement.join(Contactmoment, Contactmoment.id == Doorverwijzing.contactmoment_id).where(
        col(Contactmoment.verwijderd_op).is_(None)
    )


def get_own(
    session: Session, *, caller: Caller, doorverwijzing_id: uuid.UUID
) -> Doorverwijzing | None:
    """The caller's referral with this id (of a live contactmoment), or None; never raises."""
    statement = scoping.eigen(
        select(Doorverwijzing).where(Doorverwijzing.id == doorverwijzing_id), Doorverwijzing, caller
    )
    return session.exec(_levend(statement)).first()


def get(session: Session, *, caller: Caller, doorverwijzing_id: uuid.UUID) -> Doorverwijzing:
    """The caller's referral with this id, or 404 (also when its contactmoment was deleted)."""
    verwijzing = get_own(session, caller=caller, doorverwijzing_id=doorverwijzing_id)
    if verwijzing is None:
        raise NietGevonden(f"{NAAM} {doorverwijzing_id} bestaat niet.")
    return verwijzing


def detail(session: Session, *, verwijzing: Doorverwijzing) -> DoorverwijzingDetail:
    """The referral with its status history, oldest first."""
    historie = session.exec(
        select(DoorverwijzingStatus)
        .where(DoorverwijzingStatus.doorverwijzing_id == verwijzing.id)
        .order_by(DoorverwijzingStatus.vastgelegd_op, DoorverwijzingStatus.id)
    ).all()
    return DoorverwijzingDetail(
        **DoorverwijzingPublic.model_validate(verwijzing).model_dump(),
        historie=[StatusHistorie.model_validate(regel) for regel in historie],
    )


def list_statement(
    *,
    caller: Caller,
    status: str | None = None,
    ketenpartner: uuid.UUID | None = None,
    onderwerp: str | None = None,
    contactmoment: uuid.UUID | None = None,
    datum_vanaf: date | None = None,
    datum_tot: date | None = None,
    status_datum_vanaf: date | None = None,
    status_datum_tot: date | None = None,
    open_: bool | None = None,
    sleutelpersoon: uuid.UUID | None = None,
    sort: list[Any] | None = None,
) -> SelectOfScalar[Doorverwijzing]:
    """The filtered, ordered select of the caller's referrals; `datum*` is the contactmoment's date."""
    statement = _levend(scoping.eigen(select(Doorverwijzing), Doorverwijzing, caller))
    if status is not None:
        statement = statement.where(Doorverwijzing.status == status)
    if ketenpartner is not None:
        statement = statement.where(Doorverwijzing.ketenpartner_id == ketenpartner)
    if onderwerp is not None:
        statement = statement.where(
            onderwerp_filter(Doorverwijzing.onderwerp, onderwerp)
        )
    if contactmoment is not None:
        statement = statement.where(Doorverwijzing.contactmoment_id == contactmoment)
    if datum_vanaf is not None:
        statement = statement.where(Contactmoment.datum >= datum_vanaf)
    if datum_tot is not None:
        statement = statement.where(Contactmoment.datum <= datum_tot)
    if status_datum_vanaf is not None:
        statement = statement.where(Doorverwijzing.status_datum >= status_datum_vanaf)
    if status_datum_tot is not None:
        statement = statement.where(Doorverwijzing.status_datum <= status_datum_tot)
    if open_ is not None:
        eind = col(Doorverwijzing.status).in_(EINDSTATUSSEN)
        statement = statement.where(~eind if open_ else eind)
    if sleutelpersoon is not None:
        statement = statement.where(Contactmoment.sleutelpersoon_id == sleutelpersoon)
    return statement.order_by(*(sort or SORTERING.standaard), Doorverwijzing.id)


def wijzig_status(
    session: Session, *, caller: Caller, verwijzing: Doorverwijzing, data: DoorverwijzingUpdate
) -> Doorverwijzing:
    """Move a referral to a new status (400 on bad input, 409 on a transition the table refuses)."""
    contactmoment = session.get(Contactmoment, verwijzing.contactmoment_id)
    assert contactmoment is not None
    slot.controleer(session, organisatie_id=contactmoment.organisatie_id, datums=[contactmoment.datum])
    status_datum = data.status_datum or vandaag()
    problems = codelijsten.check_codes(
        session, lijst=codelijsten.DOORVERWIJZING_STATUS, values=[("status", data.status)]
    )
    if status_datum < contactmoment.datum:
        problems.append(
            {
                "name": "statusDatum",
                "reason": f"Datum {status_datum.isoformat()} ligt vóór de datum van het contactmoment ({contactmoment.datum.isoformat()}).",
            }
        )
    elif status_datum < verwijzing.status_datum:
        problems.append(
            {
                "name": "statusDatum",
                "reason": f"Datum {status_datum.isoformat()} ligt vóór de datum van de huidige status "
                f"`{verwijzing.status}` ({verwijzing.status_datum.isoformat()}).",
            }
        )
    if problems:
        raise OngeldigeInvoer.met(problems, onderwerp="De statuswijziging")

    toegestaan = OVERGANGEN.get(verwijzing.status, ())
    if data.status not in toegestaan:
        vervolg = (
            ", ".join(f"`{s}`" for s in toegestaan)
            if toegestaan
            else "geen (dit is een eindstatus)"
        )
        raise Conflict(
            f"Een doorverwijzing met status `{verwijzing.status}` kan niet naar status `{data.status}`. "
            f"Toegestane volgende statussen: {vervolg}.",
            code="statusovergang", extra={"huidigeStatus": verwijzing.status, "toegestaneStatussen": list(toegestaan)},
        )

    nu = utcnow()
    verwijzing.status = data.status
    verwijzing.status_datum = status_datum
    verwijzing.gewijzigd_op = nu
    session.add(verwijzing)
    session.add(
        DoorverwijzingStatus(
            doorverwijzing_id=verwijzing.id,
            status=data.status,
            status_datum=status_datum,
            api_sleutel_id=caller.sleutel_id,
        )
    )
    # The referral is embedded in its contactmoment, so incremental sync must see the contactmoment change too.
    raak_contactmoment_aan(session, contactmoment_id=contactmoment.id)
    session.flush()
    audit.log(
        session,
        caller=caller,
        actie="status-gewijzigd",
        resource_type=RESOURCE_TYPE,
        resource_id=verwijzing.id,
        velden=["status", "statusDatum"],
    )
    return verwijzing


def raak_contactmoment_aan(session: Session, *, contactmoment_id: uuid.UUID) -> None:
    """Bump a contactmoment's gewijzigd_op after a change to an embedded child, for `gewijzigdSinds` sync."""
    record = session.get(Contactmoment, contactmoment_id)
    if record is not None:
        record.gewijzigd_op = utcnow()
        session.add(record)
