"""The organisation's social map: ketenpartners to refer residents to."""

import uuid
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select
from sqlmodel.sql.expression import SelectOfScalar

from app.codelijsten import service as codelijsten
from app.core.errors import OngeldigeInvoer
from app.core.records import samengevoegd, verschil
from app.core.sorting import Sortering
from app.gebeurtenissen import service as gebeurtenissen
from app.models import Ketenpartner
from app.toegang import audit, scoping
from app.toegang.caller import Caller

NAAM = "Ketenpartner"
RESOURCE_TYPE = "ketenpartner"

# Sortable fields by their API name; the id is appended as a tiebreaker. Names sort case-insensitively,
# so the order is the same on SQLite (binary collation) and PostgreSQL (locale collation).
SORTERING = Sortering("Ketenpartner", {
    "naam": func.lower(Ketenpartner.naam),
    "categorie": Ketenpartner.categorie,
    "aangemaaktOp": Ketenpartner.aangemaakt_op,
}, standaard="naam")


def get_own(session: Session, *, caller: Caller, ketenpartner_id: uuid.UUID) -> Ketenpartner | None:
    """The caller's organisation's ketenpartner with this id (active or not), or None; never raises."""
    return scoping.zoek_eigen(session, Ketenpartner, ketenpartner_id, caller)


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
    audit.created(session, caller=caller, record=partner, resource_type=RESOURCE_TYPE, velden=data)
    gebeurtenissen.leg_vast(session, "ketenpartner.aangemaakt", partner)
    return partner


def update(session: Session, *, caller: Caller, partner: Ketenpartner, changes: dict[str, Any]) -> Ketenpartner:
    """Apply a partial change, validated against the stored record."""
    changed = verschil(partner, changes)
    if changed:
        _validate(session, values=samengevoegd(partner, changed), changed=set(changed), bestaand=partner)
        audit.apply_changes(session, caller=caller, record=partner, changed=changed, resource_type=RESOURCE_TYPE)
        gebeurtenissen.leg_vast(session, "ketenpartner.gewijzigd", partner)
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
