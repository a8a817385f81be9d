"""Organisations (tenants): create, list, change and deactivate."""

import re
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from pydantic.alias_generators import to_camel
from sqlalchemy import String, cast
from sqlmodel import Session, select
from sqlmodel.sql.expression import SelectOfScalar

from app.codelijsten import service as codelijsten
from app.core.errors import NietGevonden, OngeldigeInvoer
from app.core.validation import GEMEENTECODE_PATTERN
from app.models import Organisatie
from app.toegang import audit
from app.toegang.caller import Binding, Caller

RESOURCE_TYPE = "organisatie"


def check_gemeentecodes(gemeentecodes: Iterable[str], *, veld: str = "gemeentecodes") -> list[dict[str, str]]:
    """invalidParams for codes that are not of the form GM0000; shared with API key regions."""
    codes = list(gemeentecodes)
    if not codes:
        return [{"name": veld, "reason": "Geef minstens een gemeentecode."}]
    return [
        {"name": f"{veld}[{i}]", "reason": f"`{code}` is geen gemeentecode (GM gevolgd door 4 cijfers)."}
        for i, code in enumerate(codes)
        if not re.fullmatch(GEMEENTECODE_PATTERN, code)
    ]


def _validate(session: Session, *, soort: str | None, gemeentecodes: list[str] | None) -> None:
    """Raise one 400 with every problem in soort and gemeentecodes (API and CLI alike)."""
    problems: list[dict[str, str]] = []
    if soort is not None:
        problems += codelijsten.check_codes(session, lijst=codelijsten.ORGANISATIE_SOORT, values=[("soort", soort)])
    if gemeentecodes is not None:
        problems += check_gemeentecodes(gemeentecodes)
    if problems:
        n = len(problems)
        raise OngeldigeInvoer(
            problems[0]["reason"] if n == 1 else f"De invoer bevat {n} fouten; zie invalidParams.",
            invalid_params=problems,
        )


def create_organisatie(
    session: Session, *, caller: Caller, naam: str, soort: str, gemeentecodes: list[str]
) -> Organisatie:
    """Create an active organisation after checking soort against the code list."""
    gemeentecodes = list(dict.fromkeys(gemeentecodes))
    _validate(session, soort=soort, gemeentecodes=gemeentecodes)
    organisatie = Organisatie(naam=naam, soort=soort, gemeentecodes=gemeentecodes)
    session.add(organisatie)
    session.flush()
    audit.log(
        session,
        caller=caller,
        actie="aangemaakt",
        resource_type=RESOURCE_TYPE,
        resource_id=organisatie.id,
        organisatie_id=organisatie.id,
        velden=["naam", "soort", "gemeentecodes"],
    )
    return organisatie


def organisaties_query(
    *,
    caller: Caller,
    actief: bool | None = None,
    soort: str | None = None,
    gemeente: str | None = None,
) -> SelectOfScalar[Organisatie]:
    """The organisations the caller may see, filtered, in a stable order (naam, id)."""
    statement = select(Organisatie)
    if caller.binding is not Binding.beheer:
        # An organisation's key sees itself only; any other key sees nothing.
        statement = statement.where(Organisatie.id == caller.organisatie_id)
    if actief is not None:
        statement = statement.where(Organisatie.actief == actief)
    if soort is not None:
        statement = statement.where(Organisatie.soort == soort)
    if gemeente is not None:
        # gemeentecodes is a JSON array; its text form contains `"GM0344"` on SQLite and PostgreSQL.
        # `gemeente` is validated as GM0000 by the route, so it holds no LIKE wildcards.
        statement = statement.where(cast(Organisatie.gemeentecodes, String).like(f'%"{gemeente}"%'))
    return statement.order_by(Organisatie.naam, Organisatie.id)  # type: ignore[arg-type]


def list_organisaties(session: Session, *, caller: Caller) -> list[Organisatie]:
    """All organisations the caller may see, by name."""
    return list(session.exec(organisaties_query(caller=caller)).all())


def get_organisatie(session: Session, *, organisatie_id: uuid.UUID) -> Organisatie:
    """One organisation by id, active or not, or 404."""
    organisatie = session.get(Organisatie, organisatie_id)
    if organisatie is None:
        raise NietGevonden(f"Organisatie {organisatie_id} bestaat niet.")
    return organisatie


def update_organisatie(
    session: Session, *, caller: Caller, organisatie: Organisatie, wijzigingen: dict[str, Any]
) -> Organisatie:
    """Apply the fields the client sent; audit the names of the fields whose value changed."""
    _validate(session, soort=wijzigingen.get("soort"), gemeentecodes=wijzigingen.get("gemeentecodes"))
    changed = sorted(name for name, value in wijzigingen.items() if getattr(organisatie, name) != value)
    if not changed:
        return organisatie
    for name in changed:
        setattr(organisatie, name, wijzigingen[name])
    organisatie.gewijzigd_op = datetime.now(UTC)
    session.add(organisatie)
    session.flush()
    audit.log(
        session,
        caller=caller,
        actie="gewijzigd",
        resource_type=RESOURCE_TYPE,
        resource_id=organisatie.id,
        organisatie_id=organisatie.id,
        velden=[to_camel(name) for name in changed],
    )
    return organisatie


def deactivate_organisatie(session: Session, *, caller: Caller, organisatie: Organisatie) -> Organisatie:
    """Deactivate an organisation (its keys stop working); deactivating twice keeps the first moment."""
    if not organisatie.actief:
        return organisatie
    now = datetime.now(UTC)
    organisatie.actief = False
    organisatie.gedeactiveerd_op = now
    organisatie.gewijzigd_op = now
    session.add(organisatie)
    session.flush()
    audit.log(
        session,
        caller=caller,
        actie="gedeactiveerd",
        resource_type=RESOURCE_TYPE,
        resource_id=organisatie.id,
        organisatie_id=organisatie.id,
        velden=["actief", "gedeactiveerdOp"],
    )
    return organisatie
