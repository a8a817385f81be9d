"""Indicator values: one SQL query per request, built from the catalogue entry.

The query has two levels. The inner select lists the source rows (a contactmoment, a
(contactmoment, onderwerp) pair, a referral, ...) with their interval and dimension values; when a
join for a multi-valued dimension can repeat a source row, it is made DISTINCT on the row's key, so
no row counts twice. The outer select aggregates per interval and dimension values. Filters on
multi-valued dimensions that are not grouped on use EXISTS, so they select rows without multiplying
them.

For every caller but an organisation's own key, the same query also sums the record keys of each
cell (mod 256) and the cells are published through cell key perturbation (`perturbatie.py`).
"""

import statistics
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, bindparam, case, cast, func, literal, select
from sqlmodel import Session

from app.codelijsten import service as codelijsten
from app.core import geld
from app.core.config import get_settings
from app.core.errors import GeenToegang, OngeldigeInvoer
from app.core.periods import Interval, Periode, intervallen
from app.ervaringsverhalen import service as ervaringsverhalen
from app.indicatoren import lezingen, tabelcontrole, volledigheid
from app.indicatoren.catalogue import Bron, Eenheid, Indicator, Maat
from app.indicatoren.perturbatie import Ptable, celsleutel, ptable
from app.indicatoren.query import NIET_REGIONAAL, UUID_DIMENSIES, IndicatorQuery, row_keys
from app.models import Code, Inzet, Ketenpartner, Organisatie, Project, Sleutelpersoon
from app.toegang import scoping
from app.toegang.caller import Binding, Caller

# Code-list labels of grouped dimensions: the table checks' lists, and the two whose rows the checks
# build otherwise (referral statuses, gemeenten).
CODELIJST_VAN = {
    **tabelcontrole.LIJST_VAN,
    "status": codelijsten.DOORVERWIJZING_STATUS,
    "gemeente": codelijsten.GEMEENTE,
}


@dataclass(frozen=True)
class Verzoek:
    indicator: Indicator
    periode: Periode
    interval: Interval | None
    groeperen_op: tuple[str, ...]
    filters: dict[str, tuple[str, ...]]
    # Set for an organisation's own indicator (app/indicatoren/eigen.py): the version of its definition.
    # `indicator` is then the own indicator as shown; `eigen.bereken` computes it from the base.
    eigen: Any = None
    alleen_goedgekeurd: bool = False  # only records in periods the region approved (volledigheid.py)


LEEG_LABEL = "(niet ingevuld)"


@dataclass
class Rij:
    periode: Periode
    dimensies: dict[str, Any]
    waarde: float | int | None
    teller: int | None = None
    noemer: int | None = None
    onderdrukt: bool = False
    labels: dict[str, str | None] = field(default_factory=dict)
    doel: float | None = None
    realisatie: float | None = None
    doel_verwacht: float | None = None  # pace (app/doelen/koppeling.py): expected by today,
    tempo: str | None = None  # and voor / op-schema / achter
    volledig: bool | None = None  # readers outside the organisation: see volledigheid.annoteer
    aantal_organisaties: int | None = None


@dataclass
class Resultaat:
    verzoek: Verzoek
    rijen: list[Rij]
    onderdrukking: bool
    drempel: int
    doeltempo: list[Any] = field(default_factory=list)  # the pace of whole target periods (app/doelen/koppeling.py)


def _scope(query: IndicatorQuery, caller: Caller) -> ColumnElement[bool] | None:
    """Tenancy for indicators: own organisation, or the gemeenten of a regional key."""
    if caller.binding is Binding.organisatie:
        return query.c.organisatie_id == caller.organisatie_id
    if caller.binding is Binding.regio:
        return query.c.gemeentecode.in_(caller.gemeentecodes)
    return None  # beheer: national, always suppressed


def controleer_toegang(verzoek: Verzoek, caller: Caller) -> None:
    """Refuse what a regional key may not see: other gemeenten, and per-key-person figures."""
    if caller.binding is Binding.organisatie:
        return
    if verzoek.indicator.alleen_organisatie:
        raise GeenToegang(f"Indicator {verzoek.indicator.code} is er alleen voor de organisatie zelf; regionale en "
                          "landelijke sleutels zien hem niet.")
    geweigerd = NIET_REGIONAAL & (set(verzoek.groeperen_op) | set(verzoek.filters))
    if geweigerd:
        raise GeenToegang(
            f"Regionale rapportages tonen geen cijfers per {', '.join(sorted(geweigerd))}; "
            "gebruik een sleutel van de organisatie zelf."
        )
    scoping.binnen_regio(caller, *verzoek.filters.get("gemeente", ()))  # one rule with the inbox and stories


def bereken(session: Session, *, caller: Caller, verzoek: Verzoek, drempel: int, max_rijen: int,
            doelen: bool = True) -> Resultaat:
    """Compute an indicator for a period, grouped and filtered; exact for the organisation's own key,
    else through the table checks, the contributor rule and cell key perturbation (docs/onderdrukking.md).
    `doelen=False` leaves targets off (an own indicator attaches its own, by its own code)."""
    if verzoek.eigen is not None:
        raise ValueError("an own indicator is computed by app.indicatoren.eigen.bereken")
    indicator = verzoek.indicator
    if indicator.bron in (Bron.deskundigheid, Bron.ondersteuning):
        from app.indicatoren import ondersteuning  # imports this module's row types

        return ondersteuning.bereken(session, caller=caller, verzoek=verzoek, drempel=drempel, max_rijen=max_rijen)
    if indicator.bron is Bron.rapportageperiode:
        return volledigheid.bereken(session, caller=caller, verzoek=verzoek)  # facts about organisations, exact
    settings = get_settings()
    beschermd = caller.binding is not Binding.organisatie
    perturbatie = ptable(drempel) if beschermd else None
    vaste_rijen: list[tuple[Any, ...]] | None = None
    if not beschermd:
        buckets = intervallen(verzoek.periode, verzoek.interval) if verzoek.interval else [verzoek.periode]
    else:
        grenzen = tabelcontrole.Grenzen(max_kenmerken=settings.regionaal_max_kenmerken,
                                        max_open_waarden=settings.regionaal_max_open_waarden, max_rijen=max_rijen)
        try:
            controleer_toegang(verzoek, caller)
            tabelcontrole.controleer(verzoek, grenzen)
            buckets = tabelcontrole.intervallen_beschermd(verzoek.periode, verzoek.interval)
            vaste_rijen = tabelcontrole.rijen(session, verzoek, caller, grenzen, len(buckets))
        except (GeenToegang, OngeldigeInvoer) as exc:
            # A refused table is audited too (the shape of an attack shows in its refusals), without budget.
            lezingen.registreer(session, caller=caller, verzoek=verzoek, geweigerd=f"{exc.status}: {exc.detail}")
            raise
        lezingen.registreer(session, caller=caller, verzoek=verzoek)  # audit and daily budget; may 429
    if indicator.maat is Maat.quotient:
        return _quotient(session, caller=caller, verzoek=verzoek, drempel=drempel, max_rijen=max_rijen)
    if indicator.maat is Maat.contract:
        return _contract(session, caller=caller, verzoek=verzoek, buckets=buckets, drempel=drempel, max_rijen=max_rijen)
    query = IndicatorQuery(indicator, session.get_bind().dialect.name)

    datum = query.c.datum
    query.where += [datum >= buckets[0].vanaf, datum < buckets[-1].tot]
    scope = _scope(query, caller)
    if scope is not None:
        query.where.append(scope)
    if verzoek.alleen_goedgekeurd:
        query.where.append(volledigheid.alleen_goedgekeurd(query.c.organisatie_id, datum))
    if indicator.bron is Bron.ervaringsverhaal and beschermd:
        query.where.append(ervaringsverhalen.deelbaar(query.c))  # outside the organisation: shared stories only
    # The catalogue's fixed conditions are written into the SQL as literals (they are constants, never
    # input): SQLite uses a partial index only when it can prove the query's condition implies the
    # index's, which it cannot for bound parameters (`ix_doorverwijzing_periode_eindstatus`).
    for naam, waarden in indicator.voorwaarde.items():
        query.where.append(query.voorwaarde_kolom(naam).in_(_vast(waarden)))
    if indicator.maat is Maat.ratio:
        for naam, waarden in indicator.noemer.items():
            query.where.append(query.voorwaarde_kolom(naam).in_(_vast(waarden)))

    if verzoek.interval is Interval.dag or len(buckets) == 1:
        bucket_expr: Any = datum if verzoek.interval is Interval.dag else literal(0)
    else:
        bucket_expr = _bucket(datum, buckets, 0, len(buckets))

    dims = [query.dimensie(naam) for naam in verzoek.groeperen_op]
    query.where += query.filters(verzoek.filters)

    inner_cols: list[Any] = [bucket_expr.label("bucket")]
    inner_cols += [expr.label(f"dim{i}") for i, expr in enumerate(dims)]
    # Perturbed distinct counts need each value's key once per cell: the inner select is made
    # distinct on (cell, value) instead of counting distinct values in the outer one.
    uniek_per_cel = beschermd and indicator.maat is Maat.uniek
    distinct = query.vermenigvuldigt() or uniek_per_cel
    if query.vermenigvuldigt() and not uniek_per_cel:
        inner_cols += [col.label(f"key{i}") for i, col in enumerate(row_keys(query))]
    if indicator.kolom:
        kolom = query.kolom(indicator.kolom)
        inner_cols.append(kolom.label("waarde"))
        if beschermd or indicator.maat is Maat.mediaan:
            query.where.append(kolom.is_not(None))
    if beschermd:
        inner_cols.append(query.record_key().label("rkey"))
        if not uniek_per_cel:
            inner_cols.append(query.bijdrager().label("sp"))  # contributor rule: key persons per cell
    if indicator.maat is Maat.ratio:
        (t_naam, t_waarden), = indicator.teller.items()
        inner_cols.append(case((query.voorwaarde_kolom(t_naam).in_(t_waarden), 1), else_=0).label("in_teller"))
    inner_select = select(*inner_cols).select_from(query.from_).where(*query.where)
    if distinct:
        inner_select = inner_select.distinct()
    inner = inner_select.subquery("rijen")

    group_cols = [inner.c.bucket] + [inner.c[f"dim{i}"] for i in range(len(dims))]
    if indicator.maat is Maat.uniek and not uniek_per_cel and indicator.maat is not Maat.mediaan:
        # Distinct values per cell as a DISTINCT select counted per cell: a hash aggregate on PostgreSQL,
        # where count(DISTINCT ...) sorts every cell's values (issue 29: reach per key person of a
        # large organisation, 1.2 s -> see docs/performance.md).
        inner = select(*group_cols, inner.c.waarde).where(inner.c.waarde.is_not(None)).distinct().subquery("waarden")
        group_cols = [inner.c.bucket] + [inner.c[f"dim{i}"] for i in range(len(dims))]
    per_persoon = beschermd and not uniek_per_cel and indicator.maat in (Maat.aantal, Maat.ratio)
    if per_persoon:
        measures = _per_persoon(inner, group_cols, ratio=indicator.maat is Maat.ratio)
        group_cols = [measures[0].c[kolom.name] for kolom in group_cols]
        measures = measures[1:]
    elif indicator.maat is Maat.aantal or uniek_per_cel:
        measures = [func.count().label("waarde")]
    elif indicator.maat is Maat.uniek:
        measures = [func.count().label("waarde")]  # rows of the DISTINCT select above
    elif indicator.maat is Maat.som:
        measures = [func.coalesce(func.sum(inner.c.waarde), 0).label("waarde"), func.count().label("records")]
    elif indicator.maat is Maat.mediaan:
        measures = []  # computed per cell from the rows, see _mediaan_per_cel
    else:
        measures = [func.sum(inner.c.in_teller).label("teller"), func.count().label("noemer")]
    if beschermd and measures and not per_persoon:
        # Record key sums, in the same query as the counts (mod 256); each measure hashes them into its
        # own cell key in _rij.
        if indicator.maat is Maat.ratio:
            measures += [
                (func.sum(case((inner.c.in_teller == 1, inner.c.rkey), else_=0)) % 256).label("teller_sleutel"),
                (func.sum(inner.c.rkey) % 256).label("noemer_sleutel"),
                func.count(case((inner.c.in_teller == 1, inner.c.sp), else_=None).distinct()).label("teller_personen"),
            ]
        else:
            measures.append((func.sum(inner.c.rkey) % 256).label("sleutel"))
        if not uniek_per_cel:
            measures.append(func.count(inner.c.sp.distinct()).label("personen"))
    if indicator.maat is Maat.mediaan:
        result = _mediaan_per_cel(session, inner, len(dims), metsleutel=beschermd)
    else:
        result = [(row[0], row[1 : 1 + len(dims)], dict(row._mapping))
                  for row in session.execute(select(*group_cols, *measures).group_by(*group_cols))]
    if uniek_per_cel:
        _personen_per_cel(session, query, bucket_expr, dims, result)

    bucket_index = {b.vanaf: i for i, b in enumerate(buckets)} if verzoek.interval is Interval.dag else None
    cells: dict[tuple[Any, ...], dict[str, Any]] = {}
    for raw_bucket, raw_values, measure in result:
        if bucket_index is not None:
            index = bucket_index[raw_bucket if isinstance(raw_bucket, date) else date.fromisoformat(str(raw_bucket))]
        else:
            index = int(raw_bucket)
        cells[(index, *(_normalise(v) for v in raw_values))] = measure

    if vaste_rijen is not None:
        combos = vaste_rijen  # the full product of the requested lists: rows never depend on the data
    else:
        combos = sorted({key[1:] for key in cells}, key=_sort_key) or ([()] if not dims else [])
        if len(buckets) * max(1, len(combos)) > max_rijen:
            raise OngeldigeInvoer.veld(
                "groeperenOp",
                f"Deze combinatie van groeperenOp en interval geeft meer dan {max_rijen} rijen; "
                "kies minder dimensies, een grover interval of een kortere periode.",
            )
    bescherming = Bescherming(
        ptable=perturbatie, geheim=settings.perturbatie_sleutel, min_personen=settings.min_sleutelpersonen_per_cel,
        min_records=settings.min_records_som,
    ) if perturbatie is not None else None
    rijen: list[Rij] = []
    for index, bucket in enumerate(buckets):
        for combo in combos:
            cell = cells.get((index, *combo), {})
            dimensies = dict(zip(verzoek.groeperen_op, combo, strict=True))
            cel = beschrijving(verzoek, bucket, dimensies, caller) if bescherming is not None else ""
            delen = (beschrijving(verzoek, bucket, dimensies, caller, indicator.teller),
                     beschrijving(verzoek, bucket, dimensies, caller, indicator.noemer)) \
                if bescherming is not None and indicator.maat is Maat.ratio else (cel, cel)
            rijen.append(_rij(indicator, bucket, dimensies, cell, bescherming, cel, delen))
    if beschermd:
        _controleer_ijlheid(rijen, settings.regionaal_max_aandeel_onderdrukt)
        volledigheid.annoteer(session, caller=caller, verzoek=verzoek, rijen=rijen)

    _labels(session, rijen, verzoek.groeperen_op, indicator.bron)
    doeltempo = _doelen(session, rijen, verzoek, caller) if doelen else []
    return Resultaat(verzoek=verzoek, rijen=rijen, onderdrukking=perturbatie is not None, drempel=drempel,
                     doeltempo=doeltempo)


def _vast(waarden: Sequence[str]) -> Any:
    """A catalogue constant as literals in the SQL text (see `bereken`)."""
    return bindparam("vast", list(waarden), expanding=True, literal_execute=True, unique=True)


def _per_persoon(inner: Any, group_cols: list[Any], *, ratio: bool) -> list[Any]:
    """A protected count or rate, aggregated in two steps: per cell and key person, then per cell.

    The contributor rule needs the number of distinct key persons of every cell (for a rate: of its
    numerator too). Grouping first by (cell, key person) makes that a plain count of the first step's
    rows, a hash aggregate on both databases, instead of a count(DISTINCT) per cell that sorts every
    cell's rows (PostgreSQL: two sorts for a rate). Counts and record key sums add up across the two
    steps, so the figures are the same. Returns the first step's subquery and the measures.
    """
    delen = [func.count().label("n"), func.sum(inner.c.rkey).label("nk")]
    if ratio:
        delen += [func.sum(inner.c.in_teller).label("t"),
                  func.sum(case((inner.c.in_teller == 1, inner.c.rkey), else_=0)).label("tk")]
    stap = select(*group_cols, inner.c.sp, *delen).group_by(*group_cols, inner.c.sp).subquery("per_persoon")

    def som(kolom: Any) -> Any:
        return cast(func.sum(kolom), BigInteger)

    if ratio:
        measures = [
            som(stap.c.t).label("teller"), som(stap.c.n).label("noemer"),
            (som(stap.c.tk) % 256).label("teller_sleutel"), (som(stap.c.nk) % 256).label("noemer_sleutel"),
            func.count(case((stap.c.t > 0, stap.c.sp), else_=None)).label("teller_personen"),
        ]
    else:
        measures = [som(stap.c.n).label("waarde"), (som(stap.c.nk) % 256).label("sleutel")]
    return [stap, *measures, func.count(stap.c.sp).label("personen")]


# The sparsity rule applies to tables of at least this many cells; smaller tables show their
# suppressed cells as such.
MIN_CELLEN_IJLHEID = 20


def _controleer_ijlheid(rijen: list[Rij], max_aandeel: float) -> None:
    """Refuse a table in which too large a share of the published cells is suppressed.

    It looks at the published cells only (after perturbation and the contributor rule), so the
    refusal tells nothing the table itself would not have shown; it spares an analyst a table
    that is mostly empty and points to a coarser one."""
    if len(rijen) < MIN_CELLEN_IJLHEID:
        return
    onderdrukt = sum(r.onderdrukt for r in rijen)
    if onderdrukt > max_aandeel * len(rijen):
        raise OngeldigeInvoer.veld(
            "groeperenOp",
            f"Deze tabel is te ijl: {onderdrukt} van de {len(rijen)} cellen zouden onderdrukt zijn (de grens is "
            f"{round(100 * max_aandeel)}%). Kies minder detail, een grover interval of een groter gebied.",
        )


def _personen_per_cel(session: Session, query: IndicatorQuery, bucket_expr: Any, dims: list[Any],
                      result: list[tuple[Any, tuple[Any, ...], dict[str, Any]]]) -> None:
    """The contributor count of distinct-count cells: a query of its own over the same rows, because
    the main query is distinct on residents (or key persons), not on contacts."""
    kolommen = [bucket_expr.label("bucket"), *[d.label(f"dim{i}") for i, d in enumerate(dims)]]
    statement = (select(*kolommen, func.count(query.bijdrager().distinct()))
                 .select_from(query.from_).where(*query.where).group_by(*kolommen))
    personen = {(row[0], *row[1:-1]): row[-1] for row in session.execute(statement)}
    for raw_bucket, raw_values, measure in result:
        measure["personen"] = personen.get((raw_bucket, *raw_values), 0)


def _mediaan_per_cel(session: Session, inner: Any, n_dims: int, *, metsleutel: bool) -> list[tuple[Any, tuple[Any, ...], dict[str, Any]]]:
    """Medians per cell, computed here: SQLite has no median aggregate, and cells are small (signals)."""
    kolommen = [inner.c.bucket, *[inner.c[f"dim{i}"] for i in range(n_dims)], inner.c.waarde]
    if metsleutel:
        kolommen += [inner.c.rkey, inner.c.sp]
    per_cel: dict[tuple[Any, ...], list[Any]] = {}
    for row in session.execute(select(*kolommen)):
        per_cel.setdefault(tuple(row[: 1 + n_dims]), []).append(row[1 + n_dims :])
    result = []
    for cel, rijen in per_cel.items():
        measure: dict[str, Any] = {
            "waarde": statistics.median(float(r[0]) for r in rijen), "records": len(rijen),
        }
        if metsleutel:
            measure["sleutel"] = sum(int(r[1]) for r in rijen) % 256
            measure["personen"] = len({r[2] for r in rijen if r[2] is not None})
        result.append((cel[0], cel[1:], measure))
    return result


def _bucket(datum: Any, buckets: Sequence[Periode], laag: int, hoog: int) -> Any:
    """The index of the interval a date falls in, as a CASE that bisects the intervals.

    A flat CASE compares every row with the interval ends one by one (six comparisons on average
    for months in a year); bisecting needs about four, which matters when a year has many rows.
    """
    if hoog - laag == 1:
        return literal(laag)
    midden = (laag + hoog) // 2
    return case(
        (datum < buckets[midden].vanaf, _bucket(datum, buckets, laag, midden)),
        else_=_bucket(datum, buckets, midden, hoog),
    )


def _doelen(session: Session, rijen: list[Rij], verzoek: Verzoek, caller: Caller) -> list[Any]:
    """Targets beside the rows (their part of a spread target, the pace): the rules are in app/doelen/koppeling.py."""
    from app.doelen import (
        koppeling,  # doelen imports the catalogue; keep the cycle out of import time
    )

    return koppeling.koppel(session, rijen, verzoek, caller)


def _normalise(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | bytearray) and len(value) == 16:
        return str(uuid.UUID(bytes=bytes(value)))
    return value


def _sort_key(combo: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple((v is None, "" if v is None else str(v)) for v in combo)


@dataclass(frozen=True)
class Bescherming:
    """What protects a table for a reader outside the organisation."""

    ptable: Ptable
    geheim: bytes
    min_personen: int
    min_records: int

    def genoeg_personen(self, personen: int | None) -> bool:
        """The contributor rule: a cell with work of 1..min-1 key persons is suppressed. Signals and
        stories recorded without a key person count for nobody, so a cell of only those passes."""
        return not 0 < int(personen or 0) < self.min_personen


def maat_van(indicator: Indicator) -> str:
    """The measure a figure counts, for its cell key: the same records counted the same way share a key
    (so a referral count, a rate's numerator and its denominator agree), another measure gets another."""
    if indicator.maat in (Maat.aantal, Maat.ratio):
        return f"aantal:{indicator.bron.value}"
    return f"{indicator.maat.value}:{indicator.kolom}"


def beschrijving(verzoek: Verzoek, periode: Periode, dimensies: dict[str, Any], caller: Caller,
                 voorwaarden: Mapping[str, tuple[str, ...]] | None = None) -> str:
    """A cell's description for its cell key: its period and the value of every characteristic, and
    the reader's region when no gemeente is named. The same cell in any table (a row of a grouped
    table, or the same filters) has the same description; two different cells never do."""
    delen = {naam: "" if waarde is None else str(waarde) for naam, waarde in dimensies.items()}
    for naam, waarden in verzoek.filters.items():
        delen.setdefault(naam, ",".join(sorted(waarden)))
    if verzoek.indicator.maat is Maat.ratio:
        # A rate's fixed condition describes its denominator's records as a filter would: the
        # denominator of percentage-adviezen-teruggekoppeld is the count with soort=adviesvraag, the
        # same cell, so it gets the same cell key (one perturbed value, not a second draw to average).
        for naam, waarden in verzoek.indicator.voorwaarde.items():
            delen.setdefault(naam, ",".join(sorted(waarden)))
    # A rate's numerator (or denominator) is the count of the records that meet its own condition: the
    # condition is part of its cell, as the same filter on the count would be, so `aantal-doorverwijzingen
    # ?status=afgerond` and the numerator of percentage-doorverwijzingen-afgerond are one perturbed figure.
    for naam, waarden in (voorwaarden or {}).items():
        delen[naam] = ",".join(sorted(waarden))
    if "gemeente" not in delen:
        delen["~regio"] = ",".join(sorted(caller.gemeentecodes)) or "*"
    return f"{periode.vanaf}/{periode.tot}|" + ";".join(f"{k}={v}" for k, v in sorted(delen.items()))


def _rij(indicator: Indicator, bucket: Periode, dimensies: dict[str, Any], cell: dict[str, Any],
         bescherming: Bescherming | None, cel: str = "", delen: tuple[str, str] = ("", "")) -> Rij:
    """One published row: exact for the organisation's own key, else through the contributor rule and the ptable."""
    rij = Rij(periode=bucket, dimensies=dimensies, waarde=None)
    maat = maat_van(indicator)
    if indicator.maat is Maat.ratio:
        teller: int | None = int(cell.get("teller") or 0)
        noemer: int | None = int(cell.get("noemer") or 0)
        if bescherming is not None:
            # Numerator and denominator are counts of their own, each with its own cell key; a rate is
            # shown only when both are.
            p = bescherming.ptable
            genoeg = bescherming.genoeg_personen(cell.get("personen"))
            genoeg_teller = bescherming.genoeg_personen(cell.get("teller_personen"))
            cel_teller, cel_noemer = delen
            teller = p.aantal(teller or 0, celsleutel(bescherming.geheim, maat, int(cell.get("teller_sleutel") or 0), cel_teller)) \
                if genoeg_teller else None
            noemer = p.aantal(noemer or 0, celsleutel(bescherming.geheim, maat, int(cell.get("noemer_sleutel") or 0), cel_noemer)) \
                if genoeg else None
            if teller is not None and noemer is not None:
                teller = min(teller, noemer)
        rij.teller, rij.noemer = teller, noemer
        if teller is None or noemer is None:
            rij.onderdrukt = True
        elif noemer:
            rij.waarde = round(100 * teller / noemer, 1)
        return rij
    if indicator.maat is Maat.mediaan and not cell.get("records") and bescherming is None:
        return rij  # no signal with feedback: no median, and nothing to hide
    raw: float | None = cell.get("waarde") or 0
    if bescherming is not None:
        sleutel = celsleutel(bescherming.geheim, maat, int(cell.get("sleutel") or 0), cel)
        if not bescherming.genoeg_personen(cell.get("personen")):
            raw = None
        elif indicator.bron is Bron.kosten and int(cell.get("personen") or 0) < bescherming.min_personen:
            raw = None  # money: a sum over fewer key persons than the threshold is never shown, none included
        elif indicator.maat in (Maat.som, Maat.mediaan):
            raw = bescherming.ptable.som(float(raw or 0), records=int(cell.get("records") or 0), celsleutel=sleutel,
                                         basis=indicator.basis, min_records=bescherming.min_records)
        else:
            raw = bescherming.ptable.aantal(int(raw or 0), sleutel)
    if raw is None:
        rij.onderdrukt = True
    elif indicator.eenheid is Eenheid.euro:
        rij.waarde = float(geld.euro(int(raw)))  # whole cents to euros: exact, then the nearest float prints the same
    elif indicator.eenheid is Eenheid.uren:
        rij.waarde = round(float(raw) * indicator.factor, 1)
    elif indicator.maat is Maat.mediaan:
        rij.waarde = round(float(raw), 1)
    else:
        rij.waarde = int(raw)
    return rij


def _labels(session: Session, rijen: list[Rij], groeperen_op: Sequence[str], bron: Bron | None = None) -> None:
    """Attach Dutch labels: code-list labels, organisation, key person and partner names."""
    for naam in groeperen_op:
        codes = {r.dimensies[naam] for r in rijen if r.dimensies[naam] is not None}
        labels: dict[str, str] = {}
        lijst = tabelcontrole.LIJST_PER_BRON.get(bron, {}).get(naam) if bron is not None else None
        lijst = lijst or CODELIJST_VAN.get(naam)
        if not codes:
            pass
        elif lijst is not None:
            found = session.execute(
                select(Code.code, Code.label).where(Code.lijst == lijst, Code.code.in_(codes))
            )
            labels = {code: label for code, label in found}
        elif naam in UUID_DIMENSIES:
            model: Any = {"organisatie": Organisatie, "sleutelpersoon": Sleutelpersoon, "ketenpartner": Ketenpartner,
                          "project": Project}[naam]
            column = model.weergavenaam if naam == "sleutelpersoon" else model.naam
            found = session.execute(select(model.id, column).where(model.id.in_([uuid.UUID(c) for c in codes])))
            labels = {str(i): label for i, label in found}
        for rij in rijen:
            value = rij.dimensies[naam]
            # An empty value (a contact without that attribute) gets a label too, next to `onbekend`.
            rij.labels[naam] = labels.get(value, value) if value is not None else LEEG_LABEL


# --- Indicators computed from others, for the organisation only (issue 26) --------------------


def _quotient(session: Session, *, caller: Caller, verzoek: Verzoek, drempel: int, max_rijen: int) -> Resultaat:
    """One indicator divided by another over the same period, interval, grouping and filters, per cell.

    Both are exact here (organisation only). The value is euros per unit, to the cent with half up
    rounding of the exact quotient; `noemer` is the denominator's count. A cell whose denominator is
    0 has no value."""
    from app.indicatoren.catalogue import INDICATOREN

    assert verzoek.indicator.delen is not None
    teller_code, noemer_code = verzoek.indicator.delen
    delen = [bereken(session, caller=caller, drempel=drempel, max_rijen=max_rijen,
                     verzoek=Verzoek(indicator=INDICATOREN[code], periode=verzoek.periode, interval=verzoek.interval,
                                     groeperen_op=verzoek.groeperen_op, filters=verzoek.filters))
             for code in (teller_code, noemer_code)]
    per_cel = [{(r.periode.vanaf, *(r.dimensies[n] for n in verzoek.groeperen_op)): r for r in deel.rijen} for deel in delen]
    cellen = sorted(set(per_cel[0]) | set(per_cel[1]), key=lambda k: (k[0], _sort_key(k[1:])))
    rijen = []
    for cel in cellen:
        teller, noemer = per_cel[0].get(cel), per_cel[1].get(cel)
        voorbeeld = teller or noemer
        assert voorbeeld is not None
        euro = Decimal(str(teller.waarde)) if teller is not None and teller.waarde is not None else Decimal(0)
        aantal = int(noemer.waarde) if noemer is not None and noemer.waarde is not None else 0
        rij = Rij(periode=voorbeeld.periode, dimensies=dict(voorbeeld.dimensies), waarde=None, noemer=aantal,
                  labels={**(noemer.labels if noemer else {}), **(teller.labels if teller else {})})
        if aantal:
            rij.waarde = float((euro / aantal).quantize(geld.CENT, rounding=ROUND_HALF_UP))
        rijen.append(rij)
    return Resultaat(verzoek=verzoek, rijen=rijen, onderdrukking=False, drempel=drempel)


def _contract(session: Session, *, caller: Caller, verzoek: Verzoek, buckets: list[Periode], drempel: int,
              max_rijen: int) -> Resultaat:
    """Inzet hours against contract hours, per interval (and key person when grouped), as a percentage.

    Contract hours of a key person in an interval: urenPerWeek x the interval's days within the key
    person's active period / 7. Only key persons with urenPerWeek count, for hours and contract alike."""
    personen_statement = scoping.eigen(select(Sleutelpersoon), Sleutelpersoon, caller).where(
        Sleutelpersoon.uren_per_week.is_not(None))  # type: ignore[union-attr]
    if "sleutelpersoon" in verzoek.filters:
        personen_statement = personen_statement.where(
            Sleutelpersoon.id.in_([uuid.UUID(w) for w in verzoek.filters["sleutelpersoon"]]))  # type: ignore[attr-defined]
    if "organisatie" in verzoek.filters:
        personen_statement = personen_statement.where(
            Sleutelpersoon.organisatie_id.in_([uuid.UUID(w) for w in verzoek.filters["organisatie"]]))  # type: ignore[attr-defined]
    personen = list(session.scalars(personen_statement))
    ids = [p.id for p in personen]
    bucket_expr = _bucket(Inzet.datum, buckets, 0, len(buckets)) if len(buckets) > 1 else literal(0)
    minuten: dict[tuple[int, uuid.UUID], int] = {}
    if ids:
        statement = (select(bucket_expr.label("bucket"), Inzet.sleutelpersoon_id, func.sum(Inzet.minuten))
                     .where(Inzet.sleutelpersoon_id.in_(ids), Inzet.verwijderd_op.is_(None),  # type: ignore[attr-defined,union-attr]
                            Inzet.datum >= buckets[0].vanaf, Inzet.datum < buckets[-1].tot)
                     .group_by("bucket", Inzet.sleutelpersoon_id))
        minuten = {(int(b), _uuid_van(p)): int(m or 0) for b, p, m in session.execute(statement)}
    per_persoon = "sleutelpersoon" in verzoek.groeperen_op
    if per_persoon and len(buckets) * max(1, len(personen)) > max_rijen:
        raise OngeldigeInvoer.veld("groeperenOp", f"Deze combinatie geeft meer dan {max_rijen} rijen; kies een grover "
                                   "interval of een kortere periode.")
    rijen: list[Rij] = []
    for index, bucket in enumerate(buckets):
        groepen = [[p] for p in sorted(personen, key=lambda p: (p.weergavenaam, str(p.id)))] if per_persoon else [personen]
        for groep in groepen:
            gewerkt = sum(minuten.get((index, p.id), 0) for p in groep)
            contract = sum(Fraction(str(p.uren_per_week)) * 60 * _actieve_dagen(p, bucket) / 7 for p in groep)
            dimensies: dict[str, Any] = {}
            if per_persoon:
                dimensies["sleutelpersoon"] = str(groep[0].id)
            if "organisatie" in verzoek.groeperen_op:
                dimensies["organisatie"] = str(caller.organisatie_id)
            rij = Rij(periode=bucket, dimensies={n: dimensies[n] for n in verzoek.groeperen_op}, waarde=None)
            if contract:
                rij.waarde = float(round(Decimal(100 * gewerkt) / Decimal(float(contract)), 1))
            rijen.append(rij)
    _labels(session, rijen, verzoek.groeperen_op, verzoek.indicator.bron)
    return Resultaat(verzoek=verzoek, rijen=rijen, onderdrukking=False, drempel=drempel)


def _actieve_dagen(persoon: Sleutelpersoon, periode: Periode) -> int:
    """Days of the period within the key person's active period (actiefVanaf .. actiefTot, inclusive)."""
    begin = max(periode.vanaf, persoon.actief_vanaf or periode.vanaf)
    einde = min(periode.tot, (persoon.actief_tot + timedelta(days=1)) if persoon.actief_tot else periode.tot)
    return max(0, (einde - begin).days)


def _uuid_van(waarde: Any) -> uuid.UUID:
    return waarde if isinstance(waarde, uuid.UUID) else uuid.UUID(_normalise(waarde))
