"""Targets per indicator and period: writing them, and who may read them.

Who reads a target:
- the organisation that set it (its own keys), always;
- a regional key, only a target marked `gedeeld` that concerns its gemeenten: the gemeenten in the
  target's `gemeente` filter, else the organisation's own gemeenten. In the list and by id a target
  is visible when one of those gemeenten lies in the key's region; beside indicator values only when
  all of them do (the regional realisation counts the key's gemeenten only, so a target for a wider
  area would be compared with part of its work). Anything else answers 404, as another
  organisation's record does.

Matching targets to indicator rows is in `koppeling.py`, the spreading over a period in `verdeling.py`.
"""

import json
import re
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.core import persoonsgegevens
from app.core.errors import Conflict, NietGevonden, OngeldigeInvoer
from app.core.periods import Periode, PeriodeFout, parse_periode
from app.core.validation import vandaag
from app.doelen.schemas import DoelCreate, DoelPublic, DoelUpdate, OrganisatieNaam
from app.doelen.verdeling import Spreiding, Verdeling, controleer_verdeling
from app.indicatoren.catalogue import INDICATOREN, Indicator, Maat
from app.indicatoren.query import NIET_REGIONAAL, UUID_DIMENSIES
from app.models import Doel, Organisatie
from app.toegang import audit
from app.toegang.caller import Binding, Caller
from app.toegang.scoping import eigen, haal_eigen

FILTER_SLEUTEL_MAX = 500  # the column's length


def indicator_van(code: str, *, session: Session | None = None, caller: Caller | None = None) -> Indicator | None:
    """The indicator a target may name: a catalogue code, or an own indicator (`eigen.*`) the caller sees."""
    if session is not None and caller is not None:
        from app.indicatoren import eigen  # eigen imports the values service, which imports this module

        return eigen.vind(session, caller, code)
    return INDICATOREN.get(code)


def spreiding_van(indicator: Indicator) -> Spreiding:
    """Whether a target of this indicator is spread over its parts, holds in each, or is not split."""
    if indicator.maat in (Maat.ratio, Maat.mediaan):
        return Spreiding.niveau
    if indicator.maat is Maat.uniek and indicator.code != "nieuwe-inwoners":
        # A resident counts once in the period of their first contact: new residents add up; reach does not.
        return Spreiding.uniek
    return Spreiding.optellend


def filter_sleutel(filters: dict[str, list[str]]) -> str:
    """Canonical text of a filter, independent of key and value order."""
    return json.dumps({k: sorted(v) for k, v in sorted(filters.items()) if v}, separators=(",", ":"))


def verdeling_van(doel: Doel) -> Verdeling:
    """The share function of a target (app/doelen/verdeling.py)."""
    return Verdeling(Periode(doel.vanaf, doel.tot, doel.periode), tuple(doel.verdeling) if doel.verdeling else None)


def _is_year_quarter_or_month(text: str) -> bool:
    return bool(re.fullmatch(r"\d{4}|\d{4}-?[Qq][1-4]|\d{4}-\d{2}", text.strip()))


def _is_uuid(waarde: str) -> bool:
    try:
        uuid.UUID(waarde)
    except ValueError:
        return False
    return True


def _filters_problemen(indicator: Indicator | None, filters: dict[str, list[str]], gedeeld: bool) -> list[dict[str, str]]:
    problems: list[dict[str, str]] = []
    # Filter values are stored and shown to regional readers: the personal-data guard, as on the values endpoint.
    problems += persoonsgegevens.controleer({
        f"filters.{naam}": ",".join(w for w in waarden if not (naam in UUID_DIMENSIES and _is_uuid(w)))
        for naam, waarden in filters.items()
    })
    for naam, waarden in filters.items():
        if indicator is not None and naam not in indicator.dimensies:
            problems.append({"name": f"filters.{naam}", "reason": f"Indicator {indicator.code} kent geen filter {naam}."})
        elif naam in UUID_DIMENSIES:
            problems += [{"name": f"filters.{naam}", "reason": f"`{w}` is geen geldige UUID."} for w in waarden if not _is_uuid(w)]
        if naam == "organisatie":
            problems.append({"name": "filters.organisatie", "reason": "Een doel geldt al voor de eigen organisatie; laat dit filter weg."})
    if gedeeld:
        problems += [
            {"name": "gedeeld", "reason": f"Een doel per {naam} kan niet gedeeld worden: regionale cijfers tonen geen {naam}."}
            for naam in sorted(NIET_REGIONAAL & set(filters))
        ]
    if len(filter_sleutel(filters)) > FILTER_SLEUTEL_MAX:
        problems.append({"name": "filters", "reason": "Dit filter is te lang; een doel geldt voor een beperkt aantal waarden."})
    return problems


def _validate(session: Session, caller: Caller, data: DoelCreate) -> Periode:
    problems: list[dict[str, str]] = []
    indicator = indicator_van(data.indicator, session=session, caller=caller)
    if indicator is None:
        problems.append({"name": "indicator", "reason": f"Onbekende indicator `{data.indicator}`."})
    periode = None
    try:
        periode = parse_periode(data.periode, today=vandaag())
        if not _is_year_quarter_or_month(data.periode):
            raise PeriodeFout("Een doel geldt voor een jaar, kwartaal of maand, bijvoorbeeld 2026, 2026Q1 of 2026-03.")
    except PeriodeFout as exc:
        periode = None
        problems.append({"name": "periode", "reason": str(exc)})
    problems += _filters_problemen(indicator, data.filters, data.gedeeld)
    problems += [{"name": "verdeling", "reason": r} for r in controleer_verdeling(data.verdeling, periode)]
    if problems or periode is None:
        raise OngeldigeInvoer.met(problems, onderwerp="Het doel")
    return periode


def create(session: Session, *, caller: Caller, data: DoelCreate) -> Doel:
    """Create a target for the caller's organisation; one per indicator, period and filter."""
    periode = _validate(session, caller, data)
    filters = {k: sorted(set(v)) for k, v in data.filters.items() if v}
    doel = Doel(
        organisatie_id=caller.organisatie_id, indicator=data.indicator, periode=periode.label, vanaf=periode.vanaf,
        tot=periode.tot, waarde=data.waarde, filters=filters, filter_sleutel=filter_sleutel(filters),
        verdeling=list(data.verdeling) if data.verdeling is not None else None, gedeeld=data.gedeeld,
    )
    try:
        with session.begin_nested():
            session.add(doel)
            session.flush()
    except IntegrityError as exc:
        bestaand = session.exec(
            eigen(select(Doel), Doel, caller).where(
                Doel.indicator == data.indicator, Doel.periode == periode.label, Doel.filter_sleutel == filter_sleutel(filters)
            )
        ).first()
        raise Conflict(
            f"Er bestaat al een doel voor {data.indicator} in {periode.label} met dit filter.",
            code="bestaat-al", extra={"bestaandId": str(bestaand.id)} if bestaand else None,
        ) from exc
    audit.log(session, caller=caller, actie="aangemaakt", resource_type="doel", resource_id=doel.id)
    return doel


def update(session: Session, *, caller: Caller, doel: Doel, data: DoelUpdate) -> Doel:
    """Change a target's value, profile or sharing; every problem in one 400."""
    changes = data.model_dump(exclude_unset=True, by_alias=False)
    problems: list[dict[str, str]] = []
    if "waarde" in changes and changes["waarde"] is None:
        problems.append({"name": "waarde", "reason": "Geef een streefwaarde."})
    if "gedeeld" in changes and changes["gedeeld"] is None:
        problems.append({"name": "gedeeld", "reason": "Geef true of false."})
    if "verdeling" in changes:
        problems += [{"name": "verdeling", "reason": r}
                     for r in controleer_verdeling(changes["verdeling"], verdeling_van(doel).periode)]
    if changes.get("gedeeld"):
        problems += [p for p in _filters_problemen(None, doel.filters, True) if p["name"] == "gedeeld"]
    if problems:
        raise OngeldigeInvoer.met(problems, onderwerp="Het doel")
    velden = [naam for naam, waarde in changes.items() if getattr(doel, naam) != waarde]
    if velden:
        for naam in velden:
            setattr(doel, naam, changes[naam])
        doel.gewijzigd_op = datetime.now(UTC)
        session.add(doel)
        session.flush()
        audit.log(session, caller=caller, actie="gewijzigd", resource_type="doel", resource_id=doel.id, velden=velden)
    return doel


def delete(session: Session, *, caller: Caller, doel: Doel) -> None:
    """Remove a target."""
    session.delete(doel)
    session.flush()
    audit.log(session, caller=caller, actie="verwijderd", resource_type="doel", resource_id=doel.id)


def laatste_dag(doel: Doel) -> date:
    return doel.tot - timedelta(days=1)


# --- who reads a target ----------------------------------------------------------------------------


def gemeenten_van(doel: Doel, organisatie: Organisatie) -> set[str]:
    """The gemeenten a target concerns: its gemeente filter, else the organisation's gemeenten."""
    return set(doel.filters.get("gemeente") or organisatie.gemeentecodes or [])


def _gedeeld_in_regio(session: Session, caller: Caller, *, geheel: bool, indicator: str | None = None,
                      organisaties: Iterable[uuid.UUID] | None = None) -> list[tuple[Doel, Organisatie]]:
    """Shared targets that concern the regional key's gemeenten (`geheel`: all of them lie in its region)."""
    regio = set(caller.gemeentecodes)
    statement = (select(Doel, Organisatie).join(Organisatie, col(Organisatie.id) == Doel.organisatie_id)
                 .where(col(Doel.gedeeld).is_(True)))
    if indicator is not None:
        statement = statement.where(Doel.indicator == indicator)
    if organisaties is not None:
        statement = statement.where(col(Doel.organisatie_id).in_(list(organisaties)))
    uitkomst = []
    for doel, organisatie in session.exec(statement):
        gemeenten = gemeenten_van(doel, organisatie)
        if gemeenten and (gemeenten <= regio if geheel else gemeenten & regio):
            uitkomst.append((doel, organisatie))
    return uitkomst


def gedeelde_doelen(session: Session, caller: Caller, *, indicator: str,
                    organisaties: Iterable[uuid.UUID]) -> list[Doel]:
    """Shared targets a regional key may read beside its (perturbed) figures: all their gemeenten in its region."""
    return [d for d, _ in _gedeeld_in_regio(session, caller, geheel=True, indicator=indicator, organisaties=organisaties)]


def get(session: Session, *, caller: Caller, doel_id: uuid.UUID) -> Doel:
    """A target the caller may read (its own; for a regional key a shared one of its region), or 404."""
    if caller.binding is Binding.regio:
        for doel, _ in _gedeeld_in_regio(session, caller, geheel=False):
            if doel.id == doel_id:
                return doel
        raise NietGevonden(f"Doel {doel_id} bestaat niet.")
    return haal_eigen(session, Doel, doel_id, caller, naam="Doel")


def get_eigen(session: Session, *, caller: Caller, doel_id: uuid.UUID) -> Doel:
    """The caller's own target (for a change), or 404."""
    return haal_eigen(session, Doel, doel_id, caller, naam="Doel")


def list_statement(*, caller: Caller, indicator: str | None = None, session: Session | None = None) -> SelectOfScalar[Doel]:
    """The targets the caller may read, by period and indicator (paginated by the router).

    A regional key needs `session`: which shared targets concern its gemeenten is decided per target."""
    if caller.binding is Binding.regio and session is not None:
        ids = [d.id for d, _ in _gedeeld_in_regio(session, caller, geheel=False, indicator=indicator)]
        statement = select(Doel).where(col(Doel.id).in_(ids))
    else:
        statement = eigen(select(Doel), Doel, caller)
    statement = statement.order_by(Doel.vanaf, Doel.indicator, Doel.id)  # type: ignore[arg-type]
    if indicator:
        statement = statement.where(Doel.indicator == indicator)
    return statement


def publiek(session: Session, doelen: Sequence[Doel]) -> list[DoelPublic]:
    """The public representation, with the organisation's name; `tot` is the last day (stored exclusive)."""
    ids = {d.organisatie_id for d in doelen}
    namen: dict[uuid.UUID, str] = dict(
        session.exec(select(Organisatie.id, Organisatie.naam).where(col(Organisatie.id).in_(ids))).all()  # type: ignore[arg-type]
    ) if ids else {}
    return [_publiek(d, namen.get(d.organisatie_id, "")) for d in doelen]


def _publiek(doel: Doel, naam: str) -> DoelPublic:
    return DoelPublic(
        id=doel.id, organisatie=OrganisatieNaam(id=doel.organisatie_id, naam=naam), indicator=doel.indicator,
        periode=doel.periode, vanaf=doel.vanaf, tot=laatste_dag(doel), waarde=doel.waarde, filters=doel.filters,
        verdeling=doel.verdeling, gedeeld=doel.gedeeld, aangemaakt_op=doel.aangemaakt_op, gewijzigd_op=doel.gewijzigd_op,
    )


def een_publiek(session: Session, doel: Doel) -> DoelPublic:
    """The public representation of one target."""
    return publiek(session, [doel])[0]
