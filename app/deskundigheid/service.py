"""Deskundigheidsbevordering: trainings and intervision of an organisation's key persons (issue 26, part 2).

One validation pass per write (schema errors, code list, participants of the organisation, the
certificate date), audited, tenancy-scoped; deletion is soft, so the record stays in the audit's view.
"""

import uuid
from collections import defaultdict
from datetime import date
from typing import Any

from pydantic.alias_generators import to_camel
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.codelijsten import service as codelijsten
from app.core import filters as gedeelde_filters
from app.core.errors import OngeldigeInvoer
from app.core.sorting import Sortering
from app.deskundigheid.schemas import DeskundigheidPublic
from app.models import DeskundigheidDeelnemer, Deskundigheidsbevordering, Sleutelpersoon, utcnow
from app.toegang import audit, scoping
from app.toegang.caller import Caller

NAAM = "Deskundigheidsbevordering"
RESOURCE_TYPE = "deskundigheidsbevordering"
VELDEN = ("soort", "titel", "datum", "uren", "aanbieder", "deelnemers", "certificaat_datum")

SORTERING = Sortering("Deskundigheidsbevordering", {
    "datum": Deskundigheidsbevordering.datum,
    "titel": Deskundigheidsbevordering.titel,
    "aangemaaktOp": Deskundigheidsbevordering.aangemaakt_op,
}, standaard="-datum")


def minuten(uren: float) -> int:
    return round(uren * 60)


# --- reading ---------------------------------------------------------------------------------


def eigen_statement(caller: Caller) -> SelectOfScalar[Deskundigheidsbevordering]:
    """The caller's organisation's live records."""
    statement = scoping.eigen(select(Deskundigheidsbevordering), Deskundigheidsbevordering, caller)
    return statement.where(col(Deskundigheidsbevordering.verwijderd_op).is_(None))


def get(session: Session, *, caller: Caller, deskundigheid_id: uuid.UUID) -> Deskundigheidsbevordering:
    """The caller's live record with this id, or 404 (also another organisation's, or a deleted one)."""
    return scoping.haal_eigen(session, Deskundigheidsbevordering, deskundigheid_id, caller, naam=NAAM)


def list_statement(
    statement: SelectOfScalar[Deskundigheidsbevordering],
    *,
    soort: str | None = None,
    sleutelpersoon: uuid.UUID | None = None,
    datum_vanaf: date | None = None,
    datum_tot: date | None = None,
    sort: list[Any] | None = None,
) -> SelectOfScalar[Deskundigheidsbevordering]:
    """Filters and order on top of `eigen_statement`; `datum_tot` is inclusive."""
    deelname = select(DeskundigheidDeelnemer.deskundigheidsbevordering_id).where(
        DeskundigheidDeelnemer.sleutelpersoon_id == sleutelpersoon)
    statement = gedeelde_filters.gegeven(statement, [
        (soort, lambda v: Deskundigheidsbevordering.soort == v),
        (sleutelpersoon, lambda v: col(Deskundigheidsbevordering.id).in_(deelname)),
        (datum_vanaf, lambda v: col(Deskundigheidsbevordering.datum) >= v),
        (datum_tot, lambda v: col(Deskundigheidsbevordering.datum) <= v),
    ])
    return statement.order_by(*(sort if sort is not None else SORTERING.standaard), Deskundigheidsbevordering.id)


def deelnemers_van(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[uuid.UUID]]:
    """The participants of each record, in one query for a page."""
    if not ids:
        return {}
    rijen = session.exec(
        select(DeskundigheidDeelnemer.deskundigheidsbevordering_id, DeskundigheidDeelnemer.sleutelpersoon_id)
        .where(col(DeskundigheidDeelnemer.deskundigheidsbevordering_id).in_(ids))
        .order_by(DeskundigheidDeelnemer.sleutelpersoon_id)
    )
    per_record: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for record_id, persoon_id in rijen:
        per_record[record_id].append(persoon_id)
    return per_record


def publiek(record: Deskundigheidsbevordering, deelnemers: list[uuid.UUID]) -> DeskundigheidPublic:
    return DeskundigheidPublic(
        id=record.id, soort=record.soort, titel=record.titel, datum=record.datum, uren=record.minuten / 60,
        aanbieder=record.aanbieder, deelnemers=deelnemers, certificaat_datum=record.certificaat_datum,
        aangemaakt_op=record.aangemaakt_op, gewijzigd_op=record.gewijzigd_op,
    )


def publieke_lijst(session: Session, records: list[Deskundigheidsbevordering]) -> list[DeskundigheidPublic]:
    deelnemers = deelnemers_van(session, [r.id for r in records])
    return [publiek(r, deelnemers.get(r.id, [])) for r in records]


# --- writing ---------------------------------------------------------------------------------


def _validate(
    session: Session, *, caller: Caller, values: dict[str, Any], changed: set[str], bestaand: Deskundigheidsbevordering | None,
    schemafouten: list[dict[str, str]] = (),  # type: ignore[assignment]
) -> None:
    """Code list, participants of the caller's organisation and the certificate date; one 400 with every problem."""
    problems: list[dict[str, str]] = list(schemafouten)
    if "soort" in changed and values.get("soort") is not None:
        problems += codelijsten.check_codes(
            session, lijst=codelijsten.DESKUNDIGHEID_SOORT, values=[("soort", values["soort"])],
            allow_inactive=[bestaand.soort] if bestaand else (),
        )
    if "deelnemers" in changed and values.get("deelnemers"):
        gevraagd = list(values["deelnemers"])
        gevonden = set(session.exec(scoping.eigen(
            select(Sleutelpersoon.id).where(col(Sleutelpersoon.id).in_(gevraagd)), Sleutelpersoon, caller)))
        # Another organisation's key person reads as unknown: ids leak nothing.
        problems += [{"name": f"deelnemers[{i}]", "reason": f"Sleutelpersoon {p} bestaat niet."}
                     for i, p in enumerate(gevraagd) if p not in gevonden]
    datum, certificaat = values.get("datum"), values.get("certificaat_datum")
    if datum is not None and certificaat is not None and certificaat < datum and changed & {"datum", "certificaat_datum"}:
        problems.append({"name": "certificaatDatum",
                         "reason": f"certificaatDatum ({certificaat.isoformat()}) ligt vóór datum ({datum.isoformat()})."})
    if problems:
        raise OngeldigeInvoer.met(problems, onderwerp="De deskundigheidsbevordering", slot=" Er is niets opgeslagen.")


def _zet_deelnemers(session: Session, record: Deskundigheidsbevordering, deelnemers: list[uuid.UUID]) -> None:
    bestaande = session.exec(select(DeskundigheidDeelnemer).where(
        DeskundigheidDeelnemer.deskundigheidsbevordering_id == record.id)).all()
    for rij in bestaande:
        if rij.sleutelpersoon_id not in deelnemers:
            session.delete(rij)
    al = {rij.sleutelpersoon_id for rij in bestaande}
    for persoon_id in deelnemers:
        if persoon_id not in al:
            session.add(DeskundigheidDeelnemer(deskundigheidsbevordering_id=record.id, sleutelpersoon_id=persoon_id))
    session.flush()


def create(
    session: Session, *, caller: Caller, data: dict[str, Any], schemafouten: list[dict[str, str]] = ()  # type: ignore[assignment]
) -> tuple[Deskundigheidsbevordering, list[uuid.UUID]]:
    """Record a training with its participants; schema errors join the rules' problems in one 400."""
    assert caller.organisatie_id is not None
    _validate(session, caller=caller, values=data, changed=set(data), bestaand=None, schemafouten=schemafouten)
    record = Deskundigheidsbevordering(
        organisatie_id=caller.organisatie_id, soort=data["soort"], titel=data["titel"], datum=data["datum"],
        minuten=minuten(data["uren"]), aanbieder=data.get("aanbieder"), certificaat_datum=data.get("certificaat_datum"),
    )
    session.add(record)
    session.flush()
    _zet_deelnemers(session, record, data["deelnemers"])
    audit.log(session, caller=caller, actie="aangemaakt", resource_type=RESOURCE_TYPE, resource_id=record.id,
              velden=[to_camel(k) for k, v in data.items() if v is not None])
    return record, list(data["deelnemers"])


def _huidig(session: Session, record: Deskundigheidsbevordering) -> dict[str, Any]:
    return {
        "soort": record.soort, "titel": record.titel, "datum": record.datum, "uren": record.minuten / 60,
        "aanbieder": record.aanbieder, "certificaat_datum": record.certificaat_datum,
        "deelnemers": deelnemers_van(session, [record.id]).get(record.id, []),
    }


def update(session: Session, *, caller: Caller, record: Deskundigheidsbevordering, changes: dict[str, Any]) -> Deskundigheidsbevordering:
    """Apply the fields sent; the rules are checked on the result. `deelnemers` replaces the list."""
    huidig = _huidig(session, record)
    changed = {k: v for k, v in changes.items()
               if (set(v) != set(huidig[k]) if k == "deelnemers" else huidig.get(k) != v)}
    if not changed:
        return record
    _validate(session, caller=caller, values=huidig | changed, changed=set(changed), bestaand=record)
    for naam, waarde in changed.items():
        if naam == "uren":
            record.minuten = minuten(waarde)
        elif naam != "deelnemers":
            setattr(record, naam, waarde)
    if "deelnemers" in changed:
        _zet_deelnemers(session, record, changed["deelnemers"])
    record.gewijzigd_op = utcnow()
    session.add(record)
    session.flush()
    audit.log(session, caller=caller, actie="gewijzigd", resource_type=RESOURCE_TYPE, resource_id=record.id,
              velden=[to_camel(k) for k in changed])
    return record


def delete(session: Session, *, caller: Caller, record: Deskundigheidsbevordering) -> None:
    """Soft-delete: the record counts nowhere any more and answers 404."""
    record.verwijderd_op = utcnow()
    record.gewijzigd_op = record.verwijderd_op
    session.add(record)
    session.flush()
    audit.log(session, caller=caller, actie="verwijderd", resource_type=RESOURCE_TYPE, resource_id=record.id)
