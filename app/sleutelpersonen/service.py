"""Key persons of an organisation: register, read, list, change, deactivate."""

import uuid
from datetime import date
from typing import Any

from sqlalchemy import String, cast, func
from sqlmodel import Session, select
from sqlmodel.sql.expression import SelectOfScalar

from app.codelijsten import service as codelijsten
from app.core.errors import OngeldigeInvoer
from app.core.records import samengevoegd, verschil
from app.core.sorting import Sortering
from app.core.validation import niet_in_toekomst
from app.gebeurtenissen import service as gebeurtenissen
from app.models import Sleutelpersoon
from app.sleutelpersonen import ondersteuning
from app.toegang import audit, scoping
from app.toegang.caller import Caller

NAAM = "Sleutelpersoon"
RESOURCE_TYPE = "sleutelpersoon"

def get_own(session: Session, *, caller: Caller, sleutelpersoon_id: uuid.UUID) -> Sleutelpersoon | None:
    """The caller's organisation's key person with this id (active or not), or None; never raises."""
    return scoping.zoek_eigen(session, Sleutelpersoon, sleutelpersoon_id, caller)


def get(session: Session, *, caller: Caller, sleutelpersoon_id: uuid.UUID) -> Sleutelpersoon:
    """The caller's organisation's key person with this id, or 404."""
    return scoping.haal_eigen(session, Sleutelpersoon, sleutelpersoon_id, caller, naam=NAAM)


def _validate(
    session: Session,
    *,
    values: dict[str, Any],
    changed: set[str],
    bestaand: Sleutelpersoon | None = None,
    schemafouten: list[dict[str, str]] = (),  # type: ignore[assignment]
) -> None:
    """Check code lists and date rules on the merged record; raise one 400 with every problem.

    Codes the record already had stay valid after deactivation, so old records can still be edited.
    `schemafouten` are the body's own errors (its failed fields are None), reported first.
    """
    problems: list[dict[str, str]] = list(schemafouten)
    if "rollen" in changed:
        problems += codelijsten.check_codes(
            session, lijst=codelijsten.ROL,
            values=[(f"rollen[{i}]", c) for i, c in enumerate(values["rollen"] or [])],
            allow_inactive=bestaand.rollen if bestaand else (),
        )
    if "themas" in changed:
        problems += codelijsten.check_codes(
            session, lijst=codelijsten.ONDERWERP,
            values=[(f"themas[{i}]", c) for i, c in enumerate(values["themas"] or [])],
            allow_inactive=bestaand.themas if bestaand else (),
        )
    if "dienstverband" in changed:
        problems += codelijsten.check_codes(
            session, lijst=codelijsten.DIENSTVERBAND,
            values=[("dienstverband", values["dienstverband"])],
            allow_inactive=[bestaand.dienstverband] if bestaand and bestaand.dienstverband else (),
        )
    if "basistraining_datum" in changed:
        problem = niet_in_toekomst(values["basistraining_datum"], "basistrainingDatum")
        if problem:
            problems.append(problem)
    vanaf: date | None = values.get("actief_vanaf")
    tot: date | None = values.get("actief_tot")
    if vanaf is not None and tot is not None and tot <= vanaf and changed & {"actief_vanaf", "actief_tot"}:
        # Name the field the client sent; when both were sent, the end date is the one out of place.
        veld = "actiefTot" if "actief_tot" in changed else "actiefVanaf"
        problems.append({
            "name": veld,
            "reason": f"actiefTot ({tot.isoformat()}) moet na actiefVanaf ({vanaf.isoformat()}) liggen.",
        })
    if problems:
        raise OngeldigeInvoer.met(problems, onderwerp="De sleutelpersoon")


def create(
    session: Session, *, caller: Caller, data: dict[str, Any], schemafouten: list[dict[str, str]] = ()  # type: ignore[assignment]
) -> Sleutelpersoon:
    """Register a key person for the caller's organisation; `schemafouten` join the rules' problems in one 400."""
    _validate(session, values=data, changed=set(data), schemafouten=schemafouten)
    persoon = Sleutelpersoon(organisatie_id=caller.organisatie_id, **data)
    audit.created(session, caller=caller, record=persoon, resource_type=RESOURCE_TYPE, velden=data)
    gebeurtenissen.leg_vast(session, "sleutelpersoon.aangemaakt", persoon)
    if persoon.dienstverband is not None:
        ondersteuning.wissel_huidig(session, caller=caller, persoon=persoon, soort=persoon.dienstverband)
    return persoon


def deactivate(session: Session, *, caller: Caller, persoon: Sleutelpersoon) -> Sleutelpersoon:
    """Deactivate a key person; the record stays, because contactmomenten refer to it."""
    return update(session, caller=caller, persoon=persoon, changes={"actief": False})


def update(session: Session, *, caller: Caller, persoon: Sleutelpersoon, changes: dict[str, Any]) -> Sleutelpersoon:
    """Apply a partial change; validation runs on the merged record against the stored values."""
    changed = verschil(persoon, changes)
    if changed:
        _validate(session, values=samengevoegd(persoon, changed), changed=set(changed), bestaand=persoon)
        audit.apply_changes(session, caller=caller, record=persoon, changed=changed, resource_type=RESOURCE_TYPE)
        gebeurtenissen.leg_vast(session, "sleutelpersoon.gewijzigd", persoon)
        if "dienstverband" in changed:
            # The old field is the current period: its history follows (see ondersteuning.wissel_huidig).
            ondersteuning.wissel_huidig(session, caller=caller, persoon=persoon, soort=changed["dienstverband"])
    return persoon


def _json_list_contains(column: Any, value: str) -> Any:
    # Codes are validated to [a-z0-9.-], so `"code"` inside the JSON text is an exact element match on
    # both SQLite and PostgreSQL, without dialect-specific JSON functions.
    return cast(column, String).like(f'%"{value}"%')


# The id is appended as a tiebreaker; names sort case-insensitively, the same on both databases.
SORTERING = Sortering("Sleutelpersoon", {
    "weergavenaam": func.lower(Sleutelpersoon.weergavenaam),
    "actiefVanaf": Sleutelpersoon.actief_vanaf,
    "aangemaaktOp": Sleutelpersoon.aangemaakt_op,
}, standaard="weergavenaam")


def list_statement(
    session: Session,
    *,
    caller: Caller,
    actief: bool | None = None,
    gemeente: str | None = None,
    rol: str | None = None,
    taal: str | None = None,
    zoek: str | None = None,
    sort: list[Any] | None = None,
) -> SelectOfScalar[Sleutelpersoon]:
    """The filtered, ordered select of the caller's key persons (paginated by the router)."""
    statement = scoping.eigen(select(Sleutelpersoon), Sleutelpersoon, caller)
    if actief is not None:
        statement = statement.where(Sleutelpersoon.actief == actief)
    if gemeente is not None:
        statement = statement.where(Sleutelpersoon.gemeentecode == gemeente)
    if rol is not None:
        statement = statement.where(_json_list_contains(Sleutelpersoon.rollen, rol))
    if taal is not None:
        statement = statement.where(_json_list_contains(Sleutelpersoon.talen, taal))
    if zoek:
        statement = statement.where(
            func.lower(Sleutelpersoon.weergavenaam).contains(zoek.lower(), autoescape=True)
        )
    if rol is not None:
        problems = codelijsten.check_codes(session, lijst=codelijsten.ROL, values=[("rol", rol)], allow_inactive=[rol])
        if problems:
            raise OngeldigeInvoer(problems[0]["reason"], invalid_params=problems)
    return statement.order_by(*(sort or SORTERING.standaard), Sleutelpersoon.id)
