"""Targets per indicator and period, and matching them to computed values."""

import json
import re
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select
from sqlmodel.sql.expression import SelectOfScalar

from app.core.errors import Conflict, OngeldigeInvoer
from app.core.periods import PeriodeFout, parse_periode
from app.core.validation import vandaag
from app.doelen.schemas import DoelCreate, DoelPublic
from app.indicatoren.catalogue import INDICATOREN
from app.models import Doel
from app.toegang import audit
from app.toegang.caller import Caller
from app.toegang.scoping import eigen, haal_eigen

def filter_sleutel(filters: dict[str, list[str]]) -> str:
    """Canonical text of a filter, independent of key and value order."""
    return json.dumps({k: sorted(v) for k, v in sorted(filters.items()) if v}, separators=(",", ":"))


def _validate(data: DoelCreate) -> tuple[datetime, datetime, str]:
    problems: list[dict[str, str]] = []
    indicator = INDICATOREN.get(data.indicator)
    if indicator is None:
        problems.append({"name": "indicator", "reason": f"Onbekende indicator `{data.indicator}`."})
    periode = None
    try:
        periode = parse_periode(data.periode, today=vandaag())
        if not _is_year_quarter_or_month(data.periode):
            raise PeriodeFout("Een doel geldt voor een jaar, kwartaal of maand, bijvoorbeeld 2026, 2026Q1 of 2026-03.")
    except PeriodeFout as exc:
        problems.append({"name": "periode", "reason": str(exc)})
    if indicator is not None:
        for naam in data.filters:
            if naam not in indicator.dimensies:
                problems.append({"name": f"filters.{naam}", "reason": f"Indicator {indicator.code} kent geen filter {naam}."})
    if problems or periode is None:
        raise OngeldigeInvoer.met(problems, onderwerp="Het doel")
    return periode.vanaf, periode.tot, periode.label


def _is_year_quarter_or_month(text: str) -> bool:
    return bool(re.fullmatch(r"\d{4}|\d{4}-?[Qq][1-4]|\d{4}-\d{2}", text.strip()))


def create(session: Session, *, caller: Caller, data: DoelCreate) -> Doel:
    """Create a target for the caller's organisation; one per indicator, period and filter."""
    vanaf, tot, label = _validate(data)
    filters = {k: sorted(set(v)) for k, v in data.filters.items() if v}
    doel = Doel(
        organisatie_id=caller.organisatie_id, indicator=data.indicator, periode=label, vanaf=vanaf, tot=tot,
        waarde=data.waarde, filters=filters, filter_sleutel=filter_sleutel(filters),
    )
    try:
        with session.begin_nested():
            session.add(doel)
            session.flush()
    except IntegrityError as exc:
        bestaand = session.exec(
            eigen(select(Doel), Doel, caller).where(
                Doel.indicator == data.indicator, Doel.periode == label, Doel.filter_sleutel == filter_sleutel(filters)
            )
        ).first()
        raise Conflict(
            f"Er bestaat al een doel voor {data.indicator} in {label} met dit filter.",
            extra={"bestaandId": str(bestaand.id) if bestaand else None},
        ) from exc
    audit.log(session, caller=caller, actie="aangemaakt", resource_type="doel", resource_id=doel.id)
    return doel


def update(session: Session, *, caller: Caller, doel: Doel, waarde: float) -> Doel:
    """Change a target's value."""
    if doel.waarde != waarde:
        doel.waarde = waarde
        doel.gewijzigd_op = datetime.now(UTC)
        session.add(doel)
        session.flush()
        audit.log(session, caller=caller, actie="gewijzigd", resource_type="doel", resource_id=doel.id, velden=["waarde"])
    return doel


def delete(session: Session, *, caller: Caller, doel: Doel) -> None:
    """Remove a target."""
    session.delete(doel)
    session.flush()
    audit.log(session, caller=caller, actie="verwijderd", resource_type="doel", resource_id=doel.id)


def doelen_voor(
    session: Session, *, organisatie_id: uuid.UUID, indicator: str, filters: dict[str, tuple[str, ...]]
) -> dict[tuple[object, object], float]:
    """Targets of an organisation for one indicator and exactly these filters, by (vanaf, tot)."""
    key = filter_sleutel({k: list(v) for k, v in filters.items()})
    rows = session.exec(
        select(Doel).where(Doel.organisatie_id == organisatie_id, Doel.indicator == indicator, Doel.filter_sleutel == key)
    ).all()
    return {(d.vanaf, d.tot): d.waarde for d in rows}


def laatste_dag(doel: Doel) -> object:
    return doel.tot - timedelta(days=1)


def get(session: Session, *, caller: Caller, doel_id: uuid.UUID) -> Doel:
    """The caller's target with this id, or 404."""
    return haal_eigen(session, Doel, doel_id, caller, naam="Doel")


def list_statement(*, caller: Caller, indicator: str | None = None) -> SelectOfScalar[Doel]:
    """The caller's targets, by period and indicator (paginated by the router)."""
    statement = eigen(select(Doel), Doel, caller).order_by(Doel.vanaf, Doel.indicator, Doel.id)
    if indicator:
        statement = statement.where(Doel.indicator == indicator)
    return statement


def publiek(doel: Doel) -> DoelPublic:
    """The public representation; `tot` is the last day of the period (stored exclusive)."""
    return DoelPublic(
        id=doel.id, indicator=doel.indicator, periode=doel.periode, vanaf=doel.vanaf, tot=laatste_dag(doel),
        waarde=doel.waarde, filters=doel.filters, aangemaakt_op=doel.aangemaakt_op, gewijzigd_op=doel.gewijzigd_op,
    )
