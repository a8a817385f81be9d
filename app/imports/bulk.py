"""The bulk write path of an import: validate each row in memory, write new rows a batch at a time.

Registering row by row through `contactmomenten.registreer` costs several statements per row (the
externId look-up, one INSERT per child table, the audit row); at a million rows that is hours. Here
every row still passes the same checks (`ContactmomentCreate` and `contactmomenten.controleer`, whose
code lists and key persons come from the per-process cache after the first row), gets the same
resident HMAC and content fingerprint, and is written as the same rows, audit row included. Only the
statements are batched: one SELECT finds which externIds of a batch exist, and one multi-row INSERT
per table writes the new ones.

A batch is written inside a savepoint. If the database still refuses it (another writer took one
of its externIds between the look-up and the INSERT), the savepoint is rolled back and the batch goes
row by row through `registreer`, which resolves such races itself. Rows whose externId exists are
decided as `registreer` would: the same content is unchanged, a derived key is unchanged, a deleted
record is refused, other content is a correction (the caller's `werk_bij`).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Dialect, select, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.contactmomenten import service as contactmomenten
from app.contactmomenten.schemas import ContactmomentCreate
from app.models import (
    AuditRegel,
    Contactmoment,
    ContactmomentActie,
    ContactmomentOnderwerp,
    Doorverwijzing,
    DoorverwijzingStatus,
    Uitkomst,
    utcnow,
)
from app.toegang.caller import Caller

# The externId of a row without one starts with this (see service.afgeleide_sleutel).
AFGELEIDE_SLEUTEL_PREFIX = "import-"
# Rows per batch: large enough that per-statement costs vanish, small enough to bound memory.
BATCH = 2_000
# On PostgreSQL the table's statistics are refreshed when an import has written this many rows, and
# again at every tenfold: a first import into a young table would otherwise have its externId
# look-ups planned as sequential scans of a table the planner still thinks is empty (measured in the
# benchmark: 470 instead of 2,300 rows/s at 100,000 rows). ANALYZE counts the transaction's own new rows.
ANALYSE_NA = 10_000
# Parameters per externId look-up (SQLite allows 32,766 bound parameters per statement).
OPZOEK_BLOK = 1_000



@dataclass(slots=True)
class Wachtend:
    """A valid-looking row waiting for its batch; `context` is the caller's, for error reporting."""

    nummer: int
    invoer: ContactmomentCreate
    afgeleid: bool
    inwoner_hash: str | None
    vingerafdruk: str
    problemen: list[dict[str, str]]
    context: Any


@dataclass(slots=True)
class Bestaand:
    id: uuid.UUID
    inhoud_hash: str
    verwijderd: bool


# What the batch writer reports back per row: (row, outcome) with outcome "aangemaakt",
# "ongewijzigd", "bijwerken" (the caller corrects the record), "verwijderd", or the problems.
Afhandeling = Callable[[Wachtend, str, list[dict[str, str]]], None]


class Bulkschrijver:
    """Collects an import's rows and writes them a batch at a time, in the caller's transaction."""

    def __init__(self, session: Session, *, caller: Caller, afhandelen: Afhandeling,
                 per_rij_schrijven: Callable[[Wachtend], None]) -> None:
        assert caller.organisatie_id is not None
        self.session = session
        self.caller = caller
        self.organisatie_id: uuid.UUID = caller.organisatie_id
        self.afhandelen = afhandelen
        self.per_rij_schrijven = per_rij_schrijven
        self.wachtend: dict[str, Wachtend] = {}
        # Derived keys seen in this file (64 bits of their hash: about 80 bytes a row at a million
        # rows), and how often those seen more than once occurred.
        self.gezien: set[int] = set()
        self.herhalingen: dict[int, int] = {}
        self.geschreven = 0
        self.volgende_analyse = ANALYSE_NA

    def volgnummer(self, sleutel: str) -> int:
        """How many times this derived key occurred in the file so far, this row included."""
        kort = int.from_bytes(hashlib.sha256(sleutel.encode()).digest()[:8], "big")
        if kort not in self.gezien:
            self.gezien.add(kort)
            return 1
        n = self.herhalingen.get(kort, 1) + 1
        self.herhalingen[kort] = n
        return n

    # -- one row --

    def voeg_toe(self, nummer: int, invoer: ContactmomentCreate, context: Any) -> None:
        """Fingerprint and check one schema-valid row, and queue it for its batch."""
        inwoner_hash = (
            contactmomenten.referentie_hash(organisatie_id=self.organisatie_id, referentie=invoer.inwoner_referentie)
            if invoer.inwoner_referentie
            else None
        )
        afgeleid = invoer.extern_id is None
        inhoud = contactmomenten.inhoud_van_invoer(invoer, inwoner_hash=inwoner_hash)
        if afgeleid:
            # The key of a row without externId is its content (see service.afgeleide_sleutel); two
            # identical rows in one file are two contacts (two calls on one day): the n-th gets `-n`.
            sleutel = sleutel_van_inhoud(inhoud)
            n = self.volgnummer(sleutel)
            extern_id = sleutel if n == 1 else f"{sleutel}-{n}"
            invoer = invoer.model_copy(update={"extern_id": extern_id})
            inhoud["externId"] = extern_id
        assert invoer.extern_id is not None
        if invoer.extern_id in self.wachtend:
            # The file names this externId twice: the second row must see the first one written.
            self.spoel()
        problemen = contactmomenten.controleer(
            self.session, caller=self.caller, data=invoer, heeft_referentie=inwoner_hash is not None
        )
        self.wachtend[invoer.extern_id] = Wachtend(
            nummer=nummer, invoer=invoer, afgeleid=afgeleid, inwoner_hash=inwoner_hash,
            vingerafdruk=contactmomenten.inhoud_hash(inhoud), problemen=problemen, context=context,
        )
        if len(self.wachtend) >= BATCH:
            self.spoel()

    # -- one batch --

    def spoel(self) -> None:
        """Decide and write every waiting row."""
        if not self.wachtend:
            return
        rijen = list(self.wachtend.values())
        self.wachtend = {}
        bestaand = self._bestaande([r.invoer.extern_id for r in rijen if r.invoer.extern_id])
        nieuw: list[Wachtend] = []
        for rij in rijen:
            gevonden = bestaand.get(rij.invoer.extern_id or "")
            if gevonden is None:
                if rij.problemen:
                    self.afhandelen(rij, "afgewezen", rij.problemen)
                else:
                    nieuw.append(rij)
            elif gevonden.verwijderd:
                self.afhandelen(rij, "verwijderd", [])
            elif gevonden.inhoud_hash == rij.vingerafdruk or rij.afgeleid:
                # A derived key is the content, so the row is unchanged even if the record moved on
                # since (an erasure, a referral's new status), which an import must not undo.
                self.afhandelen(rij, "ongewijzigd", [])
            else:
                self.afhandelen(rij, "bijwerken", [])
        if not nieuw:
            return
        try:
            with self.session.begin_nested():
                self._schrijf(nieuw)
        except IntegrityError:
            # Someone else wrote one of these externIds since the look-up: row by row, where
            # `registreer` settles each race (the same content is a retry, other content a conflict).
            for rij in nieuw:
                self.per_rij_schrijven(rij)
            return
        for rij in nieuw:
            self.afhandelen(rij, "aangemaakt", [])
        self.geschreven += len(nieuw)
        if self.geschreven >= self.volgende_analyse:
            self.volgende_analyse *= 10
            if self.session.get_bind().dialect.name == "postgresql":
                self.session.execute(text("ANALYZE contactmoment"))

    def _bestaande(self, extern_ids: list[str]) -> dict[str, Bestaand]:
        tabel = Contactmoment.__table__
        gevonden: dict[str, Bestaand] = {}
        for blok in _blokken(extern_ids, OPZOEK_BLOK):
            for rij in self.session.execute(
                select(tabel.c.extern_id, tabel.c.id, tabel.c.inhoud_hash, tabel.c.verwijderd_op).where(
                    tabel.c.organisatie_id == self.organisatie_id, tabel.c.extern_id.in_(blok)
                )
            ):
                gevonden[rij.extern_id] = Bestaand(rij.id, rij.inhoud_hash, rij.verwijderd_op is not None)
        return gevonden

    def _schrijf(self, rijen: list[Wachtend]) -> None:
        """The rows `registreer` writes for each contactmoment (`nieuwe_rijen`), one bulk write per table."""
        nu = utcnow()
        tabellen: dict[Any, list[dict[str, Any]]] = {tabel: [] for tabel in TABELLEN}
        for rij in rijen:
            nieuw = contactmomenten.nieuwe_rijen(
                rij.invoer, organisatie_id=self.organisatie_id, sleutel_id=self.caller.sleutel_id,
                inwoner_hash=rij.inwoner_hash, vingerafdruk=rij.vingerafdruk, nu=nu,
            )
            tabellen[Contactmoment.__table__].append(nieuw.contactmoment)
            tabellen[ContactmomentOnderwerp.__table__] += nieuw.onderwerpen
            tabellen[ContactmomentActie.__table__] += nieuw.acties
            tabellen[Doorverwijzing.__table__] += nieuw.verwijzingen
            tabellen[DoorverwijzingStatus.__table__] += nieuw.statussen
            if nieuw.uitkomst is not None:
                tabellen[Uitkomst.__table__].append(nieuw.uitkomst)
            tabellen[AuditRegel.__table__].append({
                "tijdstip": nu, "api_sleutel_id": self.caller.sleutel_id, "organisatie_id": self.organisatie_id,
                "actie": "aangemaakt", "resource_type": contactmomenten.RESOURCE_TYPE,
                "resource_id": str(nieuw.contactmoment["id"]),
                "velden": sorted(contactmomenten.velden_meegestuurd(rij.invoer)), "aantal": None,
            })
        verbinding = self.session.connection()
        # These INSERTs bypass SQLAlchemy's statement events: note that the transaction wrote, so a
        # rollback also empties the validation cache (see contactmomenten._Geheugen).
        contactmomenten.schreef(verbinding)
        dbapi = verbinding.connection.dbapi_connection
        assert dbapi is not None
        for tabel, waarden in tabellen.items():
            if waarden:
                _voeg_in(verbinding.dialect, dbapi, tabel, waarden)


# Every table a new contactmoment writes to, parents first.
TABELLEN = (
    Contactmoment.__table__, ContactmomentOnderwerp.__table__, ContactmomentActie.__table__,
    Doorverwijzing.__table__, DoorverwijzingStatus.__table__, Uitkomst.__table__, AuditRegel.__table__,
)
_OMZETTERS: dict[tuple[str, str, str], Callable[[Any], Any] | None] = {}


def _omzetter(dialect: Dialect, tabel: Any, kolom: str) -> Callable[[Any], Any] | None:
    """SQLAlchemy's own bind processor for a column, so values are stored exactly as through the ORM."""
    sleutel = (dialect.name, tabel.name, kolom)
    if sleutel not in _OMZETTERS:
        _OMZETTERS[sleutel] = tabel.c[kolom].type.dialect_impl(dialect).bind_processor(dialect)
    return _OMZETTERS[sleutel]


def _voeg_in(dialect: Dialect, dbapi: Any, tabel: Any, waarden: list[dict[str, Any]]) -> None:
    """One table's rows: COPY on PostgreSQL, executemany on SQLite, on the session's own connection."""
    kolommen = tuple(waarden[0])
    omzetters = [_omzetter(dialect, tabel, kolom) for kolom in kolommen]
    rijen = [
        tuple(v if f is None or v is None else f(v) for f, v in zip(omzetters, (w[k] for k in kolommen), strict=True))
        for w in waarden
    ]
    if dialect.name == "postgresql":
        opdracht = f"COPY {tabel.name} ({', '.join(kolommen)}) FROM STDIN"
    else:
        opdracht = f"INSERT INTO {tabel.name} ({', '.join(kolommen)}) VALUES ({', '.join('?' * len(kolommen))})"
    cursor = dbapi.cursor()
    try:
        if dialect.name == "postgresql":
            with cursor.copy(opdracht) as copy:
                for rij in rijen:
                    copy.write_row(rij)
        else:
            cursor.executemany(opdracht, rijen)
    except dialect.loaded_dbapi.IntegrityError as exc:
        # The driver's own error, as SQLAlchemy would have raised it.
        raise IntegrityError(opdracht, None, exc) from exc
    finally:
        cursor.close()


def sleutel_van_inhoud(inhoud: dict[str, Any]) -> str:
    """The derived externId of a row without one: its content's fingerprint (see service.afgeleide_sleutel)."""
    return AFGELEIDE_SLEUTEL_PREFIX + contactmomenten.inhoud_hash(inhoud)


def _blokken(waarden: list[str], grootte: int) -> Iterator[list[str]]:
    for begin in range(0, len(waarden), grootte):
        yield waarden[begin:begin + grootte]
