"""Completeness of reporting (issue 27, part 3): `rapportagegraad`, `tijdigheid`, and `volledig` on regional values.

The counted units are (rhythm, organisation, reporting period) cells of `/v1/rapportageritmes`: facts about
organisations, which a region declared itself and sees per organisation in its completeness table. They say
nothing about residents or key persons, so they are published exactly, without perturbation or the
contributor rule (docs/rapportage.md). A reporting period counts in the interval that holds its last day.

- `rapportagegraad`: cells of ended periods that were submitted (ingediend or goedgekeurd) / all such cells.
- `tijdigheid`: cells whose deadline passed that were first submitted by the deadline / all such cells.

Every value a reader outside the organisation gets carries `volledig` and `aantalOrganisaties` (`annoteer`),
and `alleenGoedgekeurd=true` keeps only records of (organisation, period) pairs the region approved
(`alleen_goedgekeurd`).
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, and_, exists, select
from sqlmodel import Session

from app.core.periods import Periode, intervallen
from app.core.validation import TIJDZONE, vandaag
from app.models import Organisatie, Rapportageritme, RapportageritmeOrganisatie, Rapportagestatus
from app.rapportage import periodes as rp
from app.toegang import scoping
from app.toegang.caller import Binding, Caller

if TYPE_CHECKING:
    from app.indicatoren.service import Resultaat, Rij, Verzoek

INGEDIEND = {s.value for s in rp.INGEDIEND}



@dataclass(frozen=True)
class Cel:
    """One expected report: an organisation, a reporting period, the gemeenten it counts for, and its status."""

    organisatie_id: uuid.UUID
    gemeenten: frozenset[str]
    periode: Periode
    deadline: date
    status: str
    eerst_ingediend: date | None


def cellen(session: Session, *, caller: Caller, vanaf: date, tot: date) -> list[Cel]:
    """The expected reports whose period overlaps [vanaf, tot) that the caller may see: three queries."""
    regio = set(caller.gemeentecodes) if caller.binding is Binding.regio else None
    ritmes = list(session.scalars(select(Rapportageritme)))
    if regio is not None:
        ritmes = [r for r in ritmes if set(r.gemeentecodes) & regio]
    if not ritmes:
        return []
    ids = [r.id for r in ritmes]
    leden = session.execute(
        select(RapportageritmeOrganisatie.ritme_id, Organisatie.id, Organisatie.gemeentecodes)
        .join(Organisatie, Organisatie.id == RapportageritmeOrganisatie.organisatie_id)
        .where(RapportageritmeOrganisatie.ritme_id.in_(ids))  # type: ignore[attr-defined]
    ).all()
    if caller.binding is Binding.organisatie:
        leden = [lid for lid in leden if lid[1] == caller.organisatie_id]
    s = Rapportagestatus
    statussen = {(r.ritme_id, r.organisatie_id, r.periode): r for r in session.scalars(
        select(s).where(s.ritme_id.in_(ids), s.begin < tot, s.eind > vanaf))}  # type: ignore[attr-defined]
    per_ritme: dict[uuid.UUID, list[tuple[uuid.UUID, list[str]]]] = defaultdict(list)
    for ritme_id, organisatie_id, gemeentecodes in leden:
        per_ritme[ritme_id].append((organisatie_id, gemeentecodes or []))
    result: list[Cel] = []
    for ritme in ritmes:
        begin = max(vanaf, ritme.vanaf)
        if begin >= tot:
            continue
        lijst = [p for p in rp.periodes(ritme.ritme, begin, min(tot, vandaag())) if p.tot > vanaf and p.vanaf < tot]
        for organisatie_id, gemeentecodes in per_ritme[ritme.id]:
            gemeenten = set(ritme.gemeentecodes) & set(gemeentecodes)
            if regio is not None:
                gemeenten &= regio
            if not gemeenten:
                continue
            for p in lijst:
                rij = statussen.get((ritme.id, organisatie_id, p.label))
                eerst = rij.eerst_ingediend_op.astimezone(TIJDZONE).date() if rij and rij.eerst_ingediend_op else None
                result.append(Cel(organisatie_id, frozenset(gemeenten), p, rp.deadline(p, ritme.termijn_dagen),
                                  rij.status if rij else rp.Periodestatus.open.value, eerst))
    return result


def _waarden(cel: Cel, naam: str) -> list[Any]:
    return [str(cel.organisatie_id)] if naam == "organisatie" else sorted(cel.gemeenten)


def bereken(session: Session, *, caller: Caller, verzoek: "Verzoek") -> "Resultaat":
    """rapportagegraad or tijdigheid per interval, organisation and gemeente: exact (see the module docstring)."""
    from app.indicatoren.service import Resultaat, Rij, _labels

    scoping.binnen_regio(caller, *verzoek.filters.get("gemeente", ()))
    buckets = intervallen(verzoek.periode, verzoek.interval) if verzoek.interval else [verzoek.periode]
    nu = vandaag()
    tijdigheid = verzoek.indicator.code == "tijdigheid"
    tellers: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0])
    for cel in cellen(session, caller=caller, vanaf=verzoek.periode.vanaf, tot=verzoek.periode.tot):
        if tijdigheid:
            if cel.deadline >= nu and cel.eerst_ingediend is None:
                continue  # still undecided
            geteld = cel.eerst_ingediend is not None and cel.eerst_ingediend <= cel.deadline
        else:
            if cel.periode.tot > nu:
                continue  # still running: nobody could have submitted it
            geteld = cel.status in INGEDIEND
        if any(str(cel.organisatie_id) not in w for n, w in verzoek.filters.items() if n == "organisatie"):
            continue
        if "gemeente" in verzoek.filters and not cel.gemeenten & set(verzoek.filters["gemeente"]):
            continue
        index = next((i for i, b in enumerate(buckets) if b.vanaf <= cel.periode.laatste_dag < b.tot), None)
        if index is None:
            continue
        combos: list[tuple[Any, ...]] = [()]
        for naam in verzoek.groeperen_op:
            waarden = _waarden(cel, naam)
            if naam == "gemeente" and "gemeente" in verzoek.filters:
                waarden = [g for g in waarden if g in verzoek.filters["gemeente"]]
            combos = [c + (w,) for c in combos for w in waarden]
        for combo in combos:
            teller = tellers[(index, *combo)]
            teller[0] += int(geteld)
            teller[1] += 1
    combos_gezien = sorted({k[1:] for k in tellers}, key=lambda c: tuple(str(v) for v in c))
    if not verzoek.groeperen_op:
        combos_gezien = [()]
    rijen: list[Rij] = []
    for index, bucket in enumerate(buckets):
        for combo in combos_gezien:
            t, n = tellers.get((index, *combo), [0, 0])
            rijen.append(Rij(periode=bucket, dimensies=dict(zip(verzoek.groeperen_op, combo, strict=True)),
                             waarde=round(100 * t / n, 1) if n else None, teller=t, noemer=n))
    _labels(session, rijen, verzoek.groeperen_op)
    return Resultaat(verzoek=verzoek, rijen=rijen, onderdrukking=False, drempel=0)


def alleen_goedgekeurd(organisatie_id: Any, datum: Any) -> ColumnElement[bool]:
    """Records whose (organisation, date) lies in a period the region approved: one EXISTS on the lock index."""
    s = Rapportagestatus.__table__  # type: ignore[attr-defined]
    return exists(select(s.c.id).where(and_(
        s.c.organisatie_id == organisatie_id, s.c.status == rp.Periodestatus.goedgekeurd.value,
        s.c.begin <= datum, s.c.eind > datum,
    )))


def annoteer(session: Session, *, caller: Caller, verzoek: "Verzoek", rijen: list["Rij"]) -> None:
    """Set `volledig` and `aantal_organisaties` on every row of a reader outside the organisation.

    A row's expected reports are those whose period overlaps the row's interval, of the organisations and
    gemeenten the row covers (its own values, else the filters, else the reader's region). `aantalOrganisaties`
    counts the organisations of which every such report is submitted (approved, with `alleenGoedgekeurd`);
    `volledig` is true when that is all of them, and there is at least one.
    """
    if not rijen:
        return
    vanaf = min(r.periode.vanaf for r in rijen)
    tot = max(r.periode.tot for r in rijen)
    alle = cellen(session, caller=caller, vanaf=vanaf, tot=tot)
    goed = {rp.Periodestatus.goedgekeurd.value} if verzoek.alleen_goedgekeurd else INGEDIEND
    for rij in rijen:
        organisaties = {rij.dimensies["organisatie"]} if rij.dimensies.get("organisatie") is not None else \
            set(verzoek.filters.get("organisatie", ()))
        gemeenten = {rij.dimensies["gemeente"]} if rij.dimensies.get("gemeente") is not None else \
            set(verzoek.filters.get("gemeente", ()))
        per_organisatie: dict[uuid.UUID, bool] = {}
        for cel in alle:
            if not (cel.periode.vanaf < rij.periode.tot and cel.periode.tot > rij.periode.vanaf):
                continue
            if organisaties and str(cel.organisatie_id) not in organisaties:
                continue
            if gemeenten and not cel.gemeenten & gemeenten:
                continue
            per_organisatie[cel.organisatie_id] = per_organisatie.get(cel.organisatie_id, True) and cel.status in goed
        rij.aantal_organisaties = sum(per_organisatie.values())
        rij.volledig = bool(per_organisatie) and all(per_organisatie.values())
