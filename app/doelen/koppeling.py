"""Targets beside indicator rows: which target a row gets, its part of the target, and the pace.

A row of indicator values is one cell: the request's filters plus, per grouped dimension, the row's
value. A target applies to a row when its filter equals that cell (so a target for the whole
organisation, without filter, only meets the total without grouping, and a target for gemeente
GM0344 meets the row of GM0344 when grouping by gemeente, or the total filtered on GM0344), and
its period contains the row's interval:

1. a target set for exactly the row's interval wins (a month target set explicitly beats a spread one);
2. else the shortest enclosing target (a quarter target before the year's), spread over the row's
   interval (app/doelen/verdeling.py): additive measures get their part, a rate or median the
   target itself, a distinct count nothing.

The organisation is the caller's own; for a regional key it is the organisation named by the cell
(filter `organisatie=<id>` or grouping by organisatie), and only shared targets whose gemeenten all
lie in the key's region apply (service.gedeelde_doelen). Their realisation is the perturbed value
the reader sees; a suppressed cell has no pace.

Pace (`tempo`) is given for rows whose interval contains today (`vandaag()`), and once for the
whole target period (`Resultaat.doeltempo`) when the request covers exactly a target's period that
contains today: the realised value is the row itself without an interval, or the sum of the rows of
an additive measure with one.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from app.core.periods import Periode
from app.core.validation import vandaag
from app.doelen import service
from app.doelen.verdeling import Spreiding, tempo
from app.models import Doel
from app.toegang.caller import Binding, Caller


@dataclass
class DoelTempo:
    """The pace of one target over its whole period, beside the rows of one cell."""

    doel_id: uuid.UUID
    periode: Periode
    filters: dict[str, list[str]]
    doel: float
    verwacht: float
    gerealiseerd: float | None
    tempo: str | None
    rijen: list[Any] = field(default_factory=list, repr=False)


def _cel(verzoek: Any, rij: Any) -> dict[str, tuple[str, ...]] | None:
    """The cell of a row as a filter: the request's filters and the row's grouped values; None for an empty value."""
    cel = {naam: tuple(waarden) for naam, waarden in verzoek.filters.items()}
    for naam in verzoek.groeperen_op:
        waarde = rij.dimensies.get(naam)
        if waarde is None:
            return None
        cel[naam] = (str(waarde),)
    return cel


def _organisatie(cel: dict[str, tuple[str, ...]], caller: Caller) -> uuid.UUID | None:
    """The organisation whose targets a cell may show: the caller's own, or the one cell names (regional)."""
    genoemd = cel.pop("organisatie", None)
    if genoemd is not None and len(genoemd) != 1:
        return None
    if caller.binding is Binding.organisatie:
        if genoemd is not None and genoemd[0] != str(caller.organisatie_id):
            return None
        return caller.organisatie_id
    if caller.binding is Binding.regio and genoemd is not None:
        try:
            return uuid.UUID(genoemd[0])
        except ValueError:
            return None
    return None


def _kandidaten(session: Session, verzoek: Any, caller: Caller, organisaties: set[uuid.UUID]) -> list[Doel]:
    periode = verzoek.periode
    if caller.binding is Binding.regio:
        doelen = service.gedeelde_doelen(session, caller, indicator=verzoek.indicator.code, organisaties=organisaties)
    else:
        doelen = list(session.exec(select(Doel).where(
            col(Doel.organisatie_id).in_(list(organisaties)), Doel.indicator == verzoek.indicator.code,
        )).all())
    return [d for d in doelen if d.vanaf < periode.tot and d.tot > periode.vanaf]


def koppel(session: Session, rijen: Sequence[Any], verzoek: Any, caller: Caller) -> list[DoelTempo]:
    """Attach targets, parts and pace to the rows (in place); the pace of whole target periods."""
    if caller.binding not in (Binding.organisatie, Binding.regio):
        return []
    cellen: list[tuple[Any, uuid.UUID, str]] = []
    for rij in rijen:
        cel = _cel(verzoek, rij)
        if cel is None:
            continue
        organisatie = _organisatie(cel, caller)
        if organisatie is None:
            continue
        cellen.append((rij, organisatie, service.filter_sleutel({k: list(v) for k, v in cel.items()})))
    if not cellen:
        return []
    per_sleutel: dict[tuple[uuid.UUID, str], list[Doel]] = {}
    for doel in _kandidaten(session, verzoek, caller, {o for _, o, _ in cellen}):
        per_sleutel.setdefault((doel.organisatie_id, doel.filter_sleutel), []).append(doel)

    spreiding = service.spreiding_van(verzoek.indicator)
    vandaag_ = vandaag()
    heel: dict[uuid.UUID, DoelTempo] = {}
    for rij, organisatie, sleutel in cellen:
        doelen = per_sleutel.get((organisatie, sleutel), [])
        gevonden = _doel_voor(doelen, rij.periode, spreiding)
        if gevonden is None:
            continue
        doel, deel = gevonden
        rij.doel = deel
        rij.realisatie = round(100 * rij.waarde / deel, 1) if rij.waarde is not None and deel else None
        if rij.periode.vanaf <= vandaag_ < rij.periode.tot:
            rij.doel_verwacht = _verwacht(doel, deel, rij.periode, spreiding, vandaag_)
            rij.tempo = _tempo(rij.waarde, rij.doel_verwacht)
        if (doel.vanaf, doel.tot) == (verzoek.periode.vanaf, verzoek.periode.tot) and doel.vanaf <= vandaag_ < doel.tot:
            periode = service.verdeling_van(doel).periode
            entry = heel.setdefault(doel.id, DoelTempo(
                doel_id=doel.id, periode=periode, filters=doel.filters, doel=doel.waarde,
                verwacht=_verwacht(doel, doel.waarde, periode, spreiding, vandaag_), gerealiseerd=None, tempo=None,
            ))
            entry.rijen.append(rij)
    uitkomst = []
    for entry in heel.values():
        if len(entry.rijen) == 1 and (entry.rijen[0].periode.vanaf, entry.rijen[0].periode.tot) == (entry.periode.vanaf, entry.periode.tot):
            entry.gerealiseerd = entry.rijen[0].waarde
        elif spreiding is Spreiding.optellend and all(r.waarde is not None for r in entry.rijen):
            entry.gerealiseerd = round(sum(r.waarde for r in entry.rijen), 2)
        else:
            continue  # a rate, median or distinct count over intervals: the whole is not the sum of its rows
        entry.tempo = _tempo(entry.gerealiseerd, entry.verwacht)
        uitkomst.append(entry)
    return uitkomst


def _doel_voor(doelen: list[Doel], interval: Periode, spreiding: Spreiding) -> tuple[Doel, float] | None:
    """The target of an interval and its value there: an exact one, else the shortest enclosing one, spread."""
    for doel in doelen:
        if (doel.vanaf, doel.tot) == (interval.vanaf, interval.tot):
            return doel, doel.waarde
    if spreiding is Spreiding.uniek:
        return None
    omvattend = sorted((d for d in doelen if d.vanaf <= interval.vanaf and interval.tot <= d.tot),
                       key=lambda d: (d.tot - d.vanaf, d.vanaf))
    if not omvattend:
        return None
    doel = omvattend[0]
    if spreiding is Spreiding.niveau:
        return doel, doel.waarde
    return doel, service.verdeling_van(doel).deel(doel.waarde, interval)


def _verwacht(doel: Doel, deel: float, interval: Periode, spreiding: Spreiding, vandaag_: Any) -> float:
    """What the interval should have reached by today: a level holds throughout; else the share so far."""
    if spreiding is Spreiding.niveau:
        return deel
    return service.verdeling_van(doel).verwacht(doel.waarde, interval, vandaag_)


def _tempo(waarde: float | None, verwacht: float | None) -> str | None:
    uitkomst = tempo(waarde, verwacht)
    return uitkomst.value if uitkomst is not None else None
