"""Bulk import: write NDJSON and CSV files, run `sleutelmonitor import` in a subprocess, and the raw baseline.

The import runs as its own process so its wall time includes start-up, and its peak RSS is that
process's own (`os.wait4` returns the rusage of exactly that child). The baseline parses the same
file with the standard library and inserts the same rows with `executemany` (SQLite) or `COPY`
(PostgreSQL) into bare copies of the tables (no keys, no indexes, no constraints), in the same
database; it does no validation, no code-list lookups, no hashing and no audit trail.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from collections.abc import Iterable
from typing import Any

import bench_data as bd
from bench_db import Database
from bench_http import sleutelmonitor


def schrijf_ndjson(pad: Path, contacten: Iterable[bd.Contact]) -> None:
    with pad.open("w", encoding="utf-8") as uit:
        for c in contacten:
            uit.write(json.dumps(bd.als_body(c), ensure_ascii=False, separators=(",", ":")) + "\n")


def schrijf_csv(pad: Path, contacten: Iterable[bd.Contact]) -> None:
    """As Dutch Excel saves it: semicolons, UTF-8 with BOM, CRLF."""
    with pad.open("w", encoding="utf-8-sig", newline="") as uit:
        writer = csv.writer(uit, delimiter=";", lineterminator="\r\n")
        writer.writerow(bd.CSV_KOPPEN)
        for c in contacten:
            writer.writerow(bd.als_csv_rij(c))


def commando(bestand: Path, org_id: str) -> list[str]:
    """`sleutelmonitor import FILE --org ID`; until the lead mounts it, the same typer command run directly."""
    from app import cli

    namen = {opdracht.name or getattr(opdracht.callback, "__name__", "") for opdracht in cli.app.registered_commands}
    if "import" in namen:
        return [sleutelmonitor(), "import", str(bestand), "--org", org_id]
    return [
        sys.executable, "-c", "import typer; from app.imports.cli import importeer; typer.run(importeer)",
        str(bestand), "--org", org_id,
    ]


@dataclass
class Importuitslag:
    seconden: float
    rss_mb: float
    # CPU seconds of the import and its worker process together, and of the busier of the two (what bounds
    # the run on two free cores; on a loaded machine the wall time says more about the others' load).
    cpu_s: float
    cpu_pad_s: float
    code: int
    rijen_gemeld: int | None
    uitvoer: str


# Runs the import as its child and reports that child's peak RSS. The indirection matters: Linux
# carries a process's maximum RSS across fork and exec, so a child forked straight from this
# benchmark (which holds the generated data) would report this process's size, not its own.
_MEET_RSS = (
    "import json, resource, subprocess, sys; "
    "code = subprocess.call(sys.argv[1:]); "
    "r = resource.getrusage(resource.RUSAGE_CHILDREN); "
    "print('BENCH_RSS_KB=' + str(r.ru_maxrss)); print('BENCH_CPU_S=' + str(r.ru_utime + r.ru_stime)); "
    "sys.exit(code)"
)


def importeer(bestand: Path, org_id: str, *, env: dict[str, str], cwd: Path) -> Importuitslag:
    """Run one import in a subprocess; wall time and that process's peak RSS."""
    # Output goes to files, not pipes, so a chatty progress bar can never block the child.
    with tempfile.TemporaryFile() as uit, tempfile.TemporaryFile() as fout:
        begin = time.perf_counter()
        code = subprocess.call(
            [sys.executable, "-c", _MEET_RSS, *commando(bestand, org_id)], env=env, cwd=cwd, stdout=uit, stderr=fout,
        )
        seconden = time.perf_counter() - begin
        uit.seek(0)
        fout.seek(0)
        tekst = uit.read().decode(errors="replace")
        fouttekst = fout.read().decode(errors="replace")
    gemeld = re.search(r"(\d+) rijen in", tekst)
    rss = re.search(r"BENCH_RSS_KB=(\d+)", tekst)
    # With a worker process (app/imports/pijplijn.py) the child's rusage holds the larger of the two
    # peaks; the command prints both, and the two together are what the import took.
    twee = re.search(r"Piekgeheugen: (\d+) MB in dit proces, (\d+) MB in het werkproces", tekst)
    # ru_maxrss is in kilobytes on Linux.
    rss_mb = int(rss[1]) / 1024 if rss else float("nan")
    if twee:
        rss_mb = float(int(twee[1]) + int(twee[2]))
    cpu = re.search(r"BENCH_CPU_S=([\d.]+)", tekst)
    cpu_s = float(cpu[1]) if cpu else float("nan")
    verdeeld = re.search(r"CPU-tijd: ([\d.]+) s in dit proces, ([\d.]+) s in het werkproces", tekst)
    cpu_pad_s = max(float(verdeeld[1]), float(verdeeld[2])) if verdeeld else cpu_s
    return Importuitslag(
        seconden=seconden, rss_mb=rss_mb, cpu_s=cpu_s, cpu_pad_s=cpu_pad_s, code=code,
        rijen_gemeld=int(gemeld[1]) if gemeld else None,
        uitvoer=(tekst + fouttekst)[-3000:],
    )


# --- the raw baseline -----------------------------------------------------------------------------

KALE_TABELLEN = ("contactmoment", "contactmoment_onderwerp", "contactmoment_actie", "doorverwijzing", "uitkomst")


def maak_kale_tabellen(db: Database) -> None:
    """Copies of the tables' columns (and on PostgreSQL their defaults, which draw the record keys): no primary
    key, no index, no constraint."""
    conn = db.raw()
    try:
        for tabel in KALE_TABELLEN:
            conn.execute(f"DROP TABLE IF EXISTS kaal_{tabel}")
            if db.backend == "sqlite":
                conn.execute(f"CREATE TABLE kaal_{tabel} AS SELECT * FROM {tabel} LIMIT 0")
            else:
                conn.execute(f"CREATE TABLE kaal_{tabel} (LIKE {tabel} INCLUDING DEFAULTS)")
        if db.backend == "postgresql":
            conn.commit()
    finally:
        conn.close()


def _rijen_uit_body(body: dict[str, Any], org_id: str, dialect: str, rijen: dict[str, list[tuple[Any, ...]]],
                    personen: dict[str, str], partners: dict[str, str]) -> None:
    moment = bd.tijdstip(date.fromisoformat(body["datum"]), dialect)
    cid = uuid.uuid4().hex
    inwoner = body.get("inwoner") or {}
    rijen["contactmoment"].append((
        cid, org_id, body.get("externId"), personen.get(body["sleutelpersoonId"], body["sleutelpersoonId"]),
        body["datum"], body["gemeentecode"], body.get("wijkcode"), body["kanaal"], body["soort"],
        str(body.get("aantalDeelnemers", 1)), body.get("inwonerReferentie"), inwoner.get("leeftijdscategorie"),
        inwoner.get("geslacht"), inwoner.get("taal"), inwoner.get("doelgroep"), body.get("rol"),
        None if body.get("duurMinuten") is None else str(body["duurMinuten"]), cid + cid, moment, moment, None,
    ))
    for onderwerp in body["onderwerpen"]:
        rijen["contactmoment_onderwerp"].append((cid, onderwerp))
    for actie in body.get("acties", ()):
        rijen["contactmoment_actie"].append((cid, actie))
    for d in body.get("doorverwijzingen", ()):
        rijen["doorverwijzing"].append((
            uuid.uuid4().hex, org_id, cid, partners.get(d["ketenpartnerId"], d["ketenpartnerId"]), d.get("onderwerp"),
            d["wijze"], d["status"], d.get("statusDatum") or body["datum"], moment, moment,
        ))
    if body.get("uitkomst"):
        rijen["uitkomst"].append((uuid.uuid4().hex, org_id, cid, None, body["uitkomst"]["resultaat"], body["datum"],
                                  moment))


def _body_uit_csv(rij: list[str], personen: dict[str, str], partners: dict[str, str]) -> dict[str, Any]:
    """The baseline's own minimal reading of a CSV row (names to ids by exact match, nothing else)."""
    (datum, persoon, gemeente, wijk, kanaal, soort, deelnemers, client, leeftijd, geslacht, taal, doelgroep, rol,
     onderwerpen, acties, naar, wijze, resultaat, duur) = rij
    dag, maand, jaar = (int(x) for x in datum.split("-"))
    body: dict[str, Any] = {
        "datum": f"{jaar:04d}-{maand:02d}-{dag:02d}", "sleutelpersoonId": personen[persoon], "gemeentecode": gemeente,
        "wijkcode": wijk or None, "kanaal": kanaal, "soort": soort, "aantalDeelnemers": int(deelnemers),
        "inwonerReferentie": client or None, "rol": rol, "duurMinuten": int(duur) if duur else None,
        "inwoner": {"leeftijdscategorie": leeftijd or None, "geslacht": geslacht or None, "taal": taal or None,
                    "doelgroep": doelgroep or None},
        "onderwerpen": [o.strip() for o in onderwerpen.split(",") if o.strip()],
        "acties": [a.strip() for a in acties.split(",") if a.strip()],
        "doorverwijzingen": [
            {"ketenpartnerId": partners[n.strip()], "wijze": wijze or "informatief", "status": "verwezen"}
            for n in naar.split(",") if n.strip()
        ],
    }
    if resultaat:
        body["uitkomst"] = {"resultaat": resultaat}
    return body


def basislijn(db: Database, bestand: Path, org: bd.Organisatie, *, batch: int = 20_000) -> float:
    """Seconds to parse the file and insert its rows into the bare tables, committed."""
    personen_csv = {p.naam: p.id for p in org.personen}
    partners_csv = {k.naam: k.id for k in org.partners}
    personen = {bd._uuid(p.id): p.id for p in org.personen}
    partners = {bd._uuid(k.id): k.id for k in org.partners}
    conn = db.raw()
    begin = time.perf_counter()
    try:
        if db.backend == "sqlite":
            conn.execute("BEGIN")
        rijen = {t: [] for t in KALE_TABELLEN}  # type: dict[str, list[tuple[Any, ...]]]

        def spoel() -> None:
            for tabel, lijst in rijen.items():
                db.schrijf(conn, f"kaal_{tabel}", _kolommen(tabel), lijst)
                lijst.clear()

        n = 0
        with bestand.open(encoding="utf-8-sig", newline="") as invoer:
            if bestand.suffix == ".ndjson":
                bodies = (json.loads(regel) for regel in invoer if regel.strip())
            else:
                lezer = csv.reader(invoer, delimiter=";")
                next(lezer)
                bodies = (_body_uit_csv(rij, personen_csv, partners_csv) for rij in lezer)
            for body in bodies:
                _rijen_uit_body(body, org.id, db.backend, rijen, personen, partners)
                n += 1
                if n % batch == 0:
                    spoel()
        spoel()
        if db.backend == "sqlite":
            conn.execute("COMMIT")
        else:
            conn.commit()
        return time.perf_counter() - begin
    finally:
        conn.close()


def _kolommen(tabel: str) -> tuple[str, ...]:
    if tabel == "uitkomst":
        return bd.TABELLEN["uitkomst"]
    return bd.TABELLEN[tabel]
