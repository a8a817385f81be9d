"""After each test: nothing stored or logged holds a resident reference, a BSN or an API-key token.

Every test runs in a transaction that is rolled back, so a scan at the end of the suite would see
empty tables; the scan runs instead just before each rollback (`conftest.session`), over every text
and JSON column of every table, and over every log record the test wrote. It is cheap: one SELECT
per table, of the rows the test itself wrote.

Tests that commit for real work on databases of their own (`DatabaseFactory.new_engine()`: the
dashboard, import jobs, lastUsedAt, outages, the attack tests; `fresh_database_url`: the demo,
migrations). Those are scanned too (`conftest._privacyscan_databases`, `fresh_database_url`):
after every test that wrote to one (the tables it wrote to), after the test that asked for a fresh
URL, and all of them once more at the end of the session, before they are dropped.

- Resident references: every reference the service pseudonymised during the session (recorded at
  the one place that does so; ids with a digit, as tests write them, not fuzzed text), looked for
  as a whole word.
- BSNs: any nine-digit number that passes the elfproef (`persoonsgegevens.bevat_bsn`), once UUIDs,
  hex digests and derived keys (random hex that may hold digit runs) are taken out.
- Tokens: anything of the form of an API key, `smk_<8 hex>_<secret>`.
"""

import json
import logging
import re
from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import JSON, Connection, String, TypeDecorator, create_engine, inspect, select
from sqlalchemy.pool import NullPool
from sqlmodel import SQLModel

from app.core import persoonsgegevens

TOKEN = re.compile(r"smk_[0-9a-f]{8}_[A-Za-z0-9_\-]{16,}")
# Random identifiers whose digit runs may pass the elfproef by chance.
WILLEKEURIG = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|(?<![0-9a-f])[0-9a-f]{32,}(?![0-9a-f])"
)

REFERENTIES: set[str] = set()
# Off while a test generates its references at random (schemathesis): `dementie` or `0000` would then
# be "found" in code lists and counts that merely share the word.
OPNEMEN = True
_patroon: re.Pattern[str] | None = None
_patroon_grootte = -1


def noteer_referentie(referentie: str) -> None:
    """Record a resident reference the service pseudonymised; short or digitless ones would match ordinary words."""
    referentie = referentie.strip()
    if OPNEMEN and len(referentie) >= 4 and any(c.isdigit() for c in referentie):
        REFERENTIES.add(referentie)


# A reference of word characters and dashes (nearly all) is found as a whole word by a set lookup of
# the text's words; one regex alternation over thousands of references cost seconds per large scan.
_WOORD = re.compile(r"[\w-]+")


def _referentiepatroon() -> re.Pattern[str] | None:
    """A regex for the few references with other characters (a space, a slash), as whole words."""
    global _patroon, _patroon_grootte
    if _patroon_grootte != len(REFERENTIES):
        namen = sorted((r for r in REFERENTIES if not _WOORD.fullmatch(r)), key=len, reverse=True)
        _patroon = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, namen)) + r")(?![\w-])") if namen else None
        _patroon_grootte = len(REFERENTIES)
    return _patroon


def _bevat_referentie(tekst: str) -> bool:
    if not REFERENTIES:
        return False
    if not REFERENTIES.isdisjoint(_WOORD.findall(tekst)):
        return True
    patroon = _referentiepatroon()
    return patroon is not None and patroon.search(tekst) is not None


def vondsten(tekst: str) -> list[str]:
    """What the text holds that it must not: `referentie`, `BSN`, `token` (empty when clean)."""
    gevonden = []
    if _bevat_referentie(tekst):
        gevonden.append("referentie")
    if persoonsgegevens.bevat_bsn(WILLEKEURIG.sub(" ", tekst)):
        gevonden.append("BSN")
    if TOKEN.search(tekst):
        gevonden.append("token")
    return gevonden


def _tekst(waarde: Any) -> str | None:
    if isinstance(waarde, str):
        return waarde
    if isinstance(waarde, dict | list):
        return json.dumps(waarde, ensure_ascii=False)
    return None


def scan_database(verbinding: Connection, *, bestaand: bool = False, alleen: Collection[str] | None = None) -> list[str]:
    """`table.column: kinds` for every stored text holding a reference, a BSN or a token.

    `bestaand`: the database may be at another revision (a migration test), so only the tables and
    columns it has are read. `alleen`: only these tables (those written since the last scan).
    """
    meldingen = []
    inspector = inspect(verbinding) if bestaand else None
    tabellen = set(inspector.get_table_names()) if inspector is not None else None
    for tabel in SQLModel.metadata.sorted_tables:
        if alleen is not None and tabel.name not in alleen:
            continue
        kolommen = [k for k in tabel.columns if _is_tekst(k)]
        if inspector is not None and tabellen is not None:
            if tabel.name not in tabellen:
                continue
            aanwezig = {k["name"] for k in inspector.get_columns(tabel.name)}
            kolommen = [k for k in kolommen if k.name in aanwezig]
        if not kolommen:
            continue
        for rij in verbinding.execute(select(*kolommen)):
            for kolom, waarde in zip(kolommen, rij, strict=True):
                tekst = _tekst(waarde)
                if tekst and (soorten := vondsten(tekst)):
                    meldingen.append(f"{tabel.name}.{kolom.name}: {', '.join(soorten)} in {tekst[:120]!r}")
    return meldingen


def scan_url(url: str, *, bestaand: bool = False, alleen: Collection[str] | None = None) -> list[str]:
    """`scan_database` over a database by its URL, on a connection of its own (and none kept open)."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as verbinding:
            return scan_database(verbinding, bestaand=bestaand, alleen=alleen)
    finally:
        engine.dispose()


_SCHRIJFT = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|COPY)\s+"?(\w+)"?', re.IGNORECASE)


def geschreven_tabel(statement: str) -> str | None:
    """The table a statement writes to (INSERT, UPDATE, DELETE, COPY), else None."""
    gevonden = _SCHRIJFT.match(statement)
    return gevonden.group(1).lower() if gevonden else None


def _is_tekst(kolom: Any) -> bool:
    soort = kolom.type.impl_instance if isinstance(kolom.type, TypeDecorator) else kolom.type
    return isinstance(soort, String | JSON)


class Logscan(logging.Handler):
    """Collects, per test, the log records that hold a reference, a BSN or a token (traceback included)."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.meldingen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        tekst = self.format(record)
        if soorten := vondsten(tekst):
            self.meldingen.append(f"log {record.name}: {', '.join(soorten)} in {tekst[:200]!r}")

    def neem(self) -> Iterable[str]:
        meldingen, self.meldingen = self.meldingen, []
        return meldingen
