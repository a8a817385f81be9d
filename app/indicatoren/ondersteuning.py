"""Indicators about supporting key persons (issue 26): training hours, intervision, plans, moving on.

They count key persons, not records, and they are about one person each (who attended, who has a
plan, who left for paid work), so they are the organisation's own figures only: every other reader
gets a 403 that says why, and the refusal is audited like any refused regional table. The values are
computed here in a few small queries per request (key persons, their periods, trainings); the
organisation sees them exactly.

"Active" in a period: a key person with at least one contactmoment in the period, or an employment
period (dienstverband) that overlaps it.
"""

import uuid
from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from app.core.errors import GeenToegang, OngeldigeInvoer
from app.core.periods import Periode, intervallen
from app.indicatoren import lezingen
from app.indicatoren.catalogue import Bron
from app.models import (
    Contactmoment,
    DeskundigheidDeelnemer,
    Deskundigheidsbevordering,
    Dienstverband,
    Ontwikkeldoel,
    Sleutelpersoon,
)
from app.sleutelpersonen.ondersteuning import BETAALD, VRIJWILLIG
from app.toegang.caller import Binding, Caller

if TYPE_CHECKING:
    from app.indicatoren.service import Resultaat, Verzoek

BRONNEN = (Bron.deskundigheid, Bron.ondersteuning)
DOORSTROOM_REDENEN = ("betaald-werk", "opleiding")
WEIGERING = (
    "Indicator {code} gaat over ondersteuning van individuele sleutelpersonen (training, ontwikkelplan, "
    "dienstverband) en is alleen beschikbaar voor de organisatie zelf; regionale en landelijke sleutels "
    "krijgen deze cijfers niet, omdat ze per persoon herleidbaar zijn. Gebruik een sleutel van de organisatie."
)


def _buckets(verzoek: "Verzoek") -> list[Periode]:
    return intervallen(verzoek.periode, verzoek.interval) if verzoek.interval else [verzoek.periode]


def _index(buckets: list[Periode], d: date) -> int | None:
    for i, b in enumerate(buckets):
        if b.vanaf <= d < b.tot:
            return i
    return None


def _personen_filter(verzoek: "Verzoek") -> set[uuid.UUID] | None:
    waarden = verzoek.filters.get("sleutelpersoon")
    return {uuid.UUID(w) for w in waarden} if waarden else None


def actief_per_bucket(session: Session, organisatie_id: uuid.UUID, buckets: list[Periode]) -> list[set[uuid.UUID]]:
    """Per interval: the key persons with a contact in it, or an employment period overlapping it."""
    begin, einde = buckets[0].vanaf, buckets[-1].tot
    actief: list[set[uuid.UUID]] = [set() for _ in buckets]
    contacten = session.execute(
        select(Contactmoment.sleutelpersoon_id, Contactmoment.datum).distinct().where(
            Contactmoment.organisatie_id == organisatie_id, col(Contactmoment.verwijderd_op).is_(None),
            Contactmoment.datum >= begin, Contactmoment.datum < einde)
    )
    for persoon_id, datum in contacten:
        i = _index(buckets, datum)
        if i is not None:
            actief[i].add(persoon_id)
    perioden = session.execute(
        select(Dienstverband.sleutelpersoon_id, Dienstverband.vanaf, Dienstverband.tot).where(
            Dienstverband.organisatie_id == organisatie_id, Dienstverband.vanaf < einde,
            (col(Dienstverband.tot).is_(None)) | (col(Dienstverband.tot) >= begin))
    )
    for persoon_id, vanaf, tot in perioden:
        for i, b in enumerate(buckets):
            if vanaf < b.tot and (tot is None or tot >= b.vanaf):
                actief[i].add(persoon_id)
    return actief


def _intervisie(session: Session, organisatie_id: uuid.UUID, buckets: list[Periode]) -> list[set[uuid.UUID]]:
    """Per interval: the key persons who attended an intervision meeting in it."""
    rijen = session.execute(
        select(DeskundigheidDeelnemer.sleutelpersoon_id, Deskundigheidsbevordering.datum)
        .join(Deskundigheidsbevordering, Deskundigheidsbevordering.id == DeskundigheidDeelnemer.deskundigheidsbevordering_id)
        .where(Deskundigheidsbevordering.organisatie_id == organisatie_id, Deskundigheidsbevordering.soort == "intervisie",
               col(Deskundigheidsbevordering.verwijderd_op).is_(None),
               Deskundigheidsbevordering.datum >= buckets[0].vanaf, Deskundigheidsbevordering.datum < buckets[-1].tot)
    )
    per: list[set[uuid.UUID]] = [set() for _ in buckets]
    for persoon_id, datum in rijen:
        i = _index(buckets, datum)
        if i is not None:
            per[i].add(persoon_id)
    return per


def _met_plan(session: Session, organisatie_id: uuid.UUID, buckets: list[Periode]) -> list[set[uuid.UUID]]:
    """Per interval: the key persons with at least one plan goal agreed on or before its last day."""
    eerste = dict(session.execute(
        select(Ontwikkeldoel.sleutelpersoon_id, func.min(Ontwikkeldoel.datum)).where(
            Ontwikkeldoel.organisatie_id == organisatie_id, col(Ontwikkeldoel.verwijderd_op).is_(None))
        .group_by(Ontwikkeldoel.sleutelpersoon_id)
    ).all())
    return [{p for p, d in eerste.items() if d < b.tot} for b in buckets]


def _doorstroom(session: Session, organisatie_id: uuid.UUID, buckets: list[Periode]) -> list[set[uuid.UUID]]:
    """Per interval: key persons who moved from volunteer to paid work, or left for paid work or study, in it."""
    per: list[set[uuid.UUID]] = [set() for _ in buckets]
    perioden: dict[uuid.UUID, list[Any]] = defaultdict(list)
    for rij in session.execute(
        select(Dienstverband.sleutelpersoon_id, Dienstverband.soort, Dienstverband.vanaf, Dienstverband.tot,
               Dienstverband.uitstroom_reden).where(Dienstverband.organisatie_id == organisatie_id)
        .order_by(Dienstverband.sleutelpersoon_id, Dienstverband.vanaf)
    ):
        perioden[rij[0]].append(rij)
    for persoon_id, rijen in perioden.items():
        for vorige, huidige in zip([None, *rijen], rijen, strict=False):
            if vorige is not None and vorige.soort in VRIJWILLIG and huidige.soort in BETAALD:
                i = _index(buckets, huidige.vanaf)
                if i is not None:
                    per[i].add(persoon_id)
            if huidige.tot is not None and huidige.uitstroom_reden in DOORSTROOM_REDENEN:
                i = _index(buckets, huidige.tot)
                if i is not None:
                    per[i].add(persoon_id)
    return per


def _trainingsuren(session: Session, organisatie_id: uuid.UUID, verzoek: "Verzoek",
                   buckets: list[Periode]) -> dict[tuple[Any, ...], int]:
    """Minutes per (interval, grouped values): every participant is credited with the session's hours."""
    d, t = DeskundigheidDeelnemer, Deskundigheidsbevordering
    statement = (select(d.sleutelpersoon_id, t.soort, t.datum, t.minuten)
                 .join(t, t.id == d.deskundigheidsbevordering_id)
                 .where(t.organisatie_id == organisatie_id, col(t.verwijderd_op).is_(None),
                        t.datum >= buckets[0].vanaf, t.datum < buckets[-1].tot))
    if soorten := verzoek.filters.get("soort"):
        statement = statement.where(col(t.soort).in_(soorten))
    personen = _personen_filter(verzoek)
    cellen: dict[tuple[Any, ...], int] = defaultdict(int)
    for persoon_id, soort, datum, minuten in session.execute(statement):
        if personen is not None and persoon_id not in personen:
            continue
        i = _index(buckets, datum)
        if i is None:
            continue
        waarden = {"sleutelpersoon": str(persoon_id), "soort": soort}
        cellen[(i, *(waarden[n] for n in verzoek.groeperen_op))] += minuten
    return cellen


def bereken(session: Session, *, caller: Caller, verzoek: "Verzoek", drempel: int, max_rijen: int) -> "Resultaat":
    """The organisation's own values of an indicator of this module; 403 for anyone else."""
    from app.indicatoren.service import Resultaat, Rij, _doelen, _labels, _sort_key

    indicator = verzoek.indicator
    if caller.binding is not Binding.organisatie or caller.organisatie_id is None:
        reden = WEIGERING.format(code=indicator.code)
        if caller.binding is not Binding.organisatie:
            lezingen.registreer(session, caller=caller, verzoek=verzoek, geweigerd=f"403: {reden}")
        raise GeenToegang(reden)
    organisatie_id = caller.organisatie_id
    buckets = _buckets(verzoek)
    personen = _personen_filter(verzoek)
    rijen: list[Rij] = []

    def controleer_grootte(n: int) -> None:
        if len(buckets) * max(1, n) > max_rijen:
            raise OngeldigeInvoer.veld("groeperenOp", f"Deze combinatie van groeperenOp en interval geeft meer dan "
                                       f"{max_rijen} rijen; kies een grover interval of een kortere periode.")

    if indicator.code == "trainingsuren":
        cellen = _trainingsuren(session, organisatie_id, verzoek, buckets)
        combos = sorted({k[1:] for k in cellen}, key=_sort_key) or ([()] if not verzoek.groeperen_op else [])
        controleer_grootte(len(combos))
        for i, bucket in enumerate(buckets):
            for combo in combos:
                rijen.append(Rij(periode=bucket, dimensies=dict(zip(verzoek.groeperen_op, combo, strict=True)),
                                 waarde=round(cellen.get((i, *combo), 0) / 60, 2)))
    elif indicator.code == "doorstroom":
        per = _doorstroom(session, organisatie_id, buckets)
        if personen is not None:
            per = [s & personen for s in per]
        if verzoek.groeperen_op:
            combos = sorted({(str(p),) for s in per for p in s}, key=_sort_key)
            controleer_grootte(len(combos))
            for i, bucket in enumerate(buckets):
                for (p,) in combos:
                    rijen.append(Rij(periode=bucket, dimensies={"sleutelpersoon": p}, waarde=int(uuid.UUID(p) in per[i])))
        else:
            rijen = [Rij(periode=b, dimensies={}, waarde=len(per[i])) for i, b in enumerate(buckets)]
    else:
        actief = actief_per_bucket(session, organisatie_id, buckets)
        teller_sets = (_intervisie if indicator.code == "deelname-intervisie" else _met_plan)(session, organisatie_id, buckets)
        if personen is not None:
            actief = [s & personen for s in actief]
        if verzoek.groeperen_op:
            combos = sorted({(str(p),) for s in actief for p in s}, key=_sort_key)
            controleer_grootte(len(combos))
            for i, bucket in enumerate(buckets):
                for (p,) in combos:
                    pid = uuid.UUID(p)
                    noemer = int(pid in actief[i])
                    teller = int(noemer and pid in teller_sets[i])
                    rijen.append(Rij(periode=bucket, dimensies={"sleutelpersoon": p}, teller=teller, noemer=noemer,
                                     waarde=round(100.0 * teller, 1) if noemer else None))
        else:
            for i, bucket in enumerate(buckets):
                noemer = len(actief[i])
                teller = len(actief[i] & teller_sets[i])
                rijen.append(Rij(periode=bucket, dimensies={}, teller=teller, noemer=noemer,
                                 waarde=round(100 * teller / noemer, 1) if noemer else None))
    _labels(session, rijen, verzoek.groeperen_op, indicator.bron)
    if not verzoek.groeperen_op:
        _doelen(session, rijen, verzoek, organisatie_id)
    return Resultaat(verzoek=verzoek, rijen=rijen, onderdrukking=False, drempel=drempel)


__all__ = ["BRONNEN", "Sleutelpersoon", "actief_per_bucket", "bereken"]
