"""The audit trail: one row per write, naming the key, the action and the resource, never values."""

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from pydantic.alias_generators import to_camel
from sqlmodel import Session

from app.models import AuditRegel, utcnow
from app.toegang.caller import Caller

_INSERT = AuditRegel.__table__.insert()


def regel(
    *,
    caller: Caller,
    actie: str,
    resource_type: str,
    resource_id: uuid.UUID | str | None = None,
    velden: Iterable[str] = (),
    organisatie_id: uuid.UUID | None = None,
    aantal: int | None = None,
    tijdstip: datetime | None = None,
) -> dict[str, Any]:
    """One audit row as column values: for writers that insert many at once (`log_alle`, the bulk writer)."""
    return {
        "tijdstip": tijdstip or utcnow(),
        "api_sleutel_id": caller.sleutel_id,
        "organisatie_id": organisatie_id or caller.organisatie_id,
        "apparaat_id": caller.apparaat_id,
        "actie": actie,
        "resource_type": resource_type,
        "resource_id": str(resource_id) if resource_id is not None else None,
        "velden": sorted(velden),
        "aantal": aantal,
    }


TABEL = AuditRegel.__table__


def log(
    session: Session,
    *,
    caller: Caller,
    actie: str,
    resource_type: str,
    resource_id: uuid.UUID | str | None = None,
    velden: Iterable[str] = (),
    organisatie_id: uuid.UUID | None = None,
    aantal: int | None = None,
    direct: bool = False,
    tijdstip: datetime | None = None,
) -> None:
    """Record one write in the caller's transaction, so it exists exactly when the write does.

    `direct=True` INSERTs the row at once with a Core statement instead of adding an ORM object
    that is written at the next flush: for hot paths that write no ORM objects themselves, so the
    commit has no unit of work to run. Only when the key and organisation rows already exist.
    """
    rij = regel(
        caller=caller, actie=actie, resource_type=resource_type, resource_id=resource_id, velden=velden,
        organisatie_id=organisatie_id, aantal=aantal, tijdstip=tijdstip,
    )
    if direct:
        log_alle(session, [rij])
    else:
        session.add(AuditRegel(**rij))


def log_alle(session: Session, rijen: list[dict[str, Any]]) -> None:
    """INSERT audit rows built by `regel` at once, with one Core statement (see `log`'s `direct`)."""
    if rijen:
        session.connection().execute(_INSERT, rijen[0] if len(rijen) == 1 else rijen)


def created(session: Session, *, caller: Caller, record: Any, resource_type: str, velden: Iterable[str]) -> None:
    """Add a new record (flushed) and its `aangemaakt` audit row naming the fields that were set."""
    session.add(record)
    session.flush()
    log(session, caller=caller, actie="aangemaakt", resource_type=resource_type, resource_id=record.id,
        velden=[to_camel(naam) for naam in velden])


def apply_changes(session: Session, *, caller: Caller, record: Any, changed: dict[str, Any], resource_type: str) -> None:
    """Set validated changes on a record (flushed) and audit them; a change of `actief` is (de)activation."""
    for naam, waarde in changed.items():
        setattr(record, naam, waarde)
    record.gewijzigd_op = utcnow()
    session.add(record)
    session.flush()
    actie = {False: "gedeactiveerd", True: "geactiveerd"}.get(changed.get("actief"), "gewijzigd")  # type: ignore[call-overload]
    log(session, caller=caller, actie=actie, resource_type=resource_type, resource_id=record.id,
        velden=[to_camel(naam) for naam in changed])
