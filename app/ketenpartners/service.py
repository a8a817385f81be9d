"""The organisation's social map: ketenpartners to refer residents to."""

import uuid
from enum import StrEnum
from typing import Any

from pydantic.alias_generators import to_camel
from sqlalchemy import func
from sqlmodel import Session, select
from sqlmodel.sql.expression import SelectOfScalar

from app.codelijsten import service as codelijsten
from app.core.errors import OngeldigeInvoer
from app.core.sorting import Sortering
from app.models import Ketenpartner, utcnow
from app.toegang import audit, scoping
from app.toegang.caller import Caller

NAAM = "Ketenpartner"
RESOURCE_TYPE = "ketenpartner"

# Sortable fields by their API name; the id is appended as a tiebreaker. Names sort case-insensitively,
# so the order is the same on SQLite (binary collation) and PostgreSQL (locale collation).
class SorteerVeld(StrEnum):
    naam = "naam"
    categorie = "categorie"
    aangemaakt_op = "aangemaaktOp"


SORTERING = Sortering(
    SorteerVeld,
    {
        SorteerVeld.naam: func.lower(Ketenpartner.naam),
        SorteerVeld.categorie: Ketenpartner.categorie,
        SorteerVeld.aangemaakt_op: Ketenpartner.aangemaakt_op,
    },
    standaard="naam",
)


def get_own(session: Session, *, caller: Caller, ketenpartner_id: uuid.UUID) -> Ketenpartner | None:
    """The caller's organisation's ketenpartner with this id (active or not), or None; never raises."""
    statement = scoping.eigen(select(Ketenpartner).where(Ketenpartner.id == ketenpartner_id), Ketenpartner, caller)
    return session.exec(statement).first()


def get(session: Session, *, caller: Caller, ketenpartner_id: uuid.UUID) -> Ketenpartner:
    """The caller's organisation's ketenpartner with this id, or 404."""
    return scoping.haal_eigen(session, Ketenpartner, ketenpartner_id, caller, naam=NAAM)


def _validate(session: Session, *, values: dict[str, Any], changed: set[str], bestaand: Ketenpartner | None = None) -> None:
    """Check the code lists; raise one 400 with every problem (a deactivated category stays valid on old records)."""
    problems: list[dict[str, str]] = []
    if "categorie" in changed:
        problems += codelijsten.check_codes(
            session, lijst=codelijsten.KETENPARTNER_CATEGORIE,
            values=[("categorie", values["categorie"])],
            allow_inactive=[bestaand.categorie] if bestaand else (),
        )
    if problems:
        raise OngeldigeInvoer.met(problems, onderwerp="De ketenpartner")


def create(session: Session, *, caller: Caller, data: dict[str, Any]) -> Ketenpartner:
    """Add a ketenpartner to the caller's organisation's social map."""
    _validate(session, values=data, changed=set(data))
    partner = Ketenpartner(organisatie_id=caller.organisatie_id, **data)
    session.add(partner)
    session.flush()
    audit.log(session, caller=caller, actie="aangemaakt", resource_type=RESOURCE_TYPE, resource_id=partner.id,
              velden=[to_camel(k) for k in data])
    return partner


def update(session: Session, *, caller: Caller, partner: Ketenpartner, changes: dict[str, Any]) -> Ketenpartner:
    """Apply a partial change, validated against the stored record."""
    changed = {k: v for k, v in changes.items() if getattr(partner, k) != v}
    if not changed:
        return partner
    merged = {name: getattr(partner, name) for name in Ketenpartner.model_fields} | changed
    _validate(session, values=merged, changed=set(changed), bestaand=partner)
    for name, value in changed.items():
        setattr(partner, name, value)
    partner.gewijzigd_op = utcnow()
    session.add(partner)
    session.flush()
    if changed.get("actief") is False:
        actie = "gedeactiveerd"
    elif changed.get("actief") is True:
        actie = "geactiveerd"
    else:
        actie = "gewijzigd"
    audit.log(session, caller=caller, actie=actie, resource_type=RESOURCE_TYPE, resource_id=partner.id,
              velden=[to_camel(k) for k in changed])
    return partner


def deactivate(session: Session, *, caller: Caller, partner: Ketenpartner) -> Ketenpartner:
    """Deactivate a ketenpartner; the record stays, because referrals point to it."""
    return update(session, caller=caller, partner=partner, changes={"actief": False})


def list_statement(
    session: Session,
    *,
    caller: Caller,
    categorie: str | None = None,
    gemeente: str | None = None,
    actief: bool | None = None,
    zoek: str | None = None,
    sort: list[Any] | None = None,
) -> SelectOfScalar[Ketenpartner]:
    """The filtered, ordered select of the caller's ketenpartners (paginated by the router)."""
    statement = scoping.eigen(select(Ketenpartner), Ketenpartner, caller)
    if categorie is not None:
        problems = codelijsten.check_codes(
            session, lijst=codelijsten.KETENPARTNER_CATEGORIE, values=[("categorie", categorie)],
            allow_inactive=[categorie],
        )
        if problems:
            raise OngeldigeInvoer(problems[0]["reason"], invalid_params=problems)
        statement = statement.where(Ketenpartner.categorie == categorie)
    if gemeente is not None:
        statement = statement.where(Ketenpartner.gemeentecode == gemeente)
    if actief is not None:
        statement = statement.where(Ketenpartner.actief == actief)
    if zoek:
        statement = statement.where(func.lower(Ketenpartner.naam).contains(zoek.lower(), autoescape=True))
    return statement.order_by(*(sort or SORTERING.standaard), Ketenpartner.id)
