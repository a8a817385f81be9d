"""The bulk write path of an import: validate each row in memory, write new rows a batch at a time.

Registering row by row through `contactmomenten.service.create` costs several statements per row (the
externId look-up, one INSERT per child table, the audit row); at a million rows that is hours. Here
every row still passes the same checks (`ContactmomentCreate` and `contactmomenten.regels.controleer`, whose
code lists and key persons come from the per-process cache after the first row), gets the same
resident HMAC and content fingerprint, and is written as the same rows, audit row included, by the
same writer (`contactmomenten.schrijver`). Only the statements are batched: one SELECT finds which externIds of a batch exist, and one multi-row INSERT
per table writes the new ones.

A batch is written inside a savepoint. If the database still refuses it (another writer took one
of its externIds between the look-up and the INSERT), the savepoint is rolled back and the batch goes
row by row through `create`, which resolves such races itself. Rows whose externId exists are
decided as `create` would: the same content is unchanged, a derived key is unchanged, a deleted
record is refused, other content is a correction (the caller's `werk_bij`).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.contactmomenten import inhoud, regels, schrijver
from app.contactmomenten.inhoud import Rijen
from app.contactmomenten.schemas import ContactmomentCreate
from app.models import Contactmoment, utcnow
from app.rapportage import slot
from app.toegang.caller import Caller

# The externId of a row without one starts with this (see verwerking.afgeleide_sleutel).
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


class Volgnummers:
    """The derived keys seen in one file, to number rows of the same content (`-2`, `-3`) in file order.

    64 bits of each key's hash: about 80 bytes a row at a million rows.
    """

    def __init__(self) -> None:
        self.gezien: set[int] = set()
        # How often the keys seen more than once occurred.
        self.herhalingen: dict[int, int] = {}

    def volgende(self, sleutel: str) -> int:
        """How many times this derived key occurred in the file so far, this row included."""
        kort = int.from_bytes(hashlib.sha256(sleutel.encode()).digest()[:8], "big")
        if kort not in self.gezien:
            self.gezien.add(kort)
            return 1
        n = self.herhalingen.get(kort, 1) + 1
        self.herhalingen[kort] = n
        return n


@dataclass(slots=True)
class Voorwerk:
    """A schema-valid row with what needs no database: its final externId, resident pseudonym and fingerprint."""

    invoer: ContactmomentCreate
    afgeleid: bool
    inwoner_hash: str | None
    vingerafdruk: str


def voorwerk(invoer: ContactmomentCreate, *, organisatie_id: uuid.UUID, volgnummers: Volgnummers) -> Voorwerk:
    """The pseudonym, the derived externId (for a row without one) and the content fingerprint of one row.

    Pure computation, in file order (`volgnummers`): the import's worker process does it for every row
    (app/imports/pijplijn.py), or the main process when there is none.
    """
    inwoner_hash = inhoud.referentie_hash(organisatie_id=organisatie_id, referentie=invoer.inwoner_referentie)
    afgeleid = invoer.extern_id is None
    gegevens = inhoud.inhoud_van_invoer(invoer, inwoner_hash=inwoner_hash)
    if afgeleid:
        # The key of a row without externId is its content (see verwerking.afgeleide_sleutel); two
        # identical rows in one file are two contacts (two calls on one day): the n-th gets `-n`.
        sleutel = sleutel_van_inhoud(gegevens)
        n = volgnummers.volgende(sleutel)
        extern_id = sleutel if n == 1 else f"{sleutel}-{n}"
        invoer = invoer.model_copy(update={"extern_id": extern_id})
        gegevens["externId"] = extern_id
    return Voorwerk(invoer=invoer, afgeleid=afgeleid, inwoner_hash=inwoner_hash, vingerafdruk=inhoud.inhoud_hash(gegevens))


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
        self.volgnummers = Volgnummers()
        self.geschreven = 0
        self.volgende_analyse = ANALYSE_NA

    def volgnummer(self, sleutel: str) -> int:
        """How many times this derived key occurred in the file so far, this row included."""
        return self.volgnummers.volgende(sleutel)

    # -- one row --

    def voeg_toe(self, nummer: int, invoer: ContactmomentCreate, context: Any) -> None:
        """Fingerprint and check one schema-valid row, and queue it for its batch."""
        self.voeg_klaar(nummer, voorwerk(invoer, organisatie_id=self.organisatie_id, volgnummers=self.volgnummers),
                        context)

    def voeg_klaar(self, nummer: int, klaar: Voorwerk, context: Any) -> None:
        """Check one fingerprinted row (see `voorwerk`) against the database's rules and queue it for its batch."""
        invoer = klaar.invoer
        assert invoer.extern_id is not None
        if invoer.extern_id in self.wachtend:
            # The file names this externId twice: the second row must see the first one written.
            self.flush()
        problemen = regels.controleer(
            self.session, caller=self.caller, data=invoer, heeft_referentie=klaar.inwoner_hash is not None
        )
        self.wachtend[invoer.extern_id] = Wachtend(
            nummer=nummer, invoer=invoer, afgeleid=klaar.afgeleid, inwoner_hash=klaar.inwoner_hash,
            vingerafdruk=klaar.vingerafdruk, problemen=problemen, context=context,
        )
        if len(self.wachtend) >= BATCH:
            self.flush()

    # -- one batch --

    def flush(self) -> None:
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
        nieuw = self._buiten_goedgekeurde_periodes(nieuw)
        if not nieuw:
            return
        try:
            with self.session.begin_nested():
                self._schrijf(nieuw)
        except IntegrityError:
            # Someone else wrote one of these externIds since the look-up: row by row, where
            # `create` settles each race (the same content is a retry, other content a conflict).
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

    def _buiten_goedgekeurde_periodes(self, rijen: list[Wachtend]) -> list[Wachtend]:
        """Refuse the rows dated in a period the region approved (one query per batch); the rest goes on."""
        if not rijen:
            return rijen
        datums = [r.invoer.datum for r in rijen]
        gevonden = slot.sloten(self.session, organisatie_id=self.organisatie_id, van=min(datums), tot=max(datums))
        if not gevonden:
            return rijen
        verder = []
        for rij in rijen:
            if geraakt := slot.in_slot(gevonden, rij.invoer.datum):
                self.afhandelen(rij, "afgewezen", [{"name": "datum", "reason": slot.reden(geraakt)}])
            else:
                verder.append(rij)
        return verder

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
        """The rows `create` writes for each contactmoment (`nieuwe_rijen`), as one batch for the writer."""
        nu = utcnow()
        batch = Rijen()
        for rij in rijen:
            batch.voeg_toe(inhoud.nieuwe_rijen(
                rij.invoer, organisatie_id=self.organisatie_id, sleutel_id=self.caller.sleutel_id,
                inwoner_hash=rij.inwoner_hash, vingerafdruk=rij.vingerafdruk, nu=nu,
            ))
        if len(schrijver.schrijf(self.session, caller=self.caller, rijen=batch)) < len(batch):
            # A small batch skips an externId another writer took; an import batch is all or nothing.
            raise IntegrityError("INSERT INTO contactmoment", None, ValueError("externId al in gebruik"))


def sleutel_van_inhoud(gegevens: dict[str, Any]) -> str:
    """The derived externId of a row without one: its content's fingerprint without the resident.

    The resident's pseudonym is left out on purpose: an erasure (`POST /v1/inwoners/_vergeet`) drops
    the pseudonym, and a key computed over it would stay behind as a link that a re-import (`proefdraai`)
    or anyone holding the server secret could confirm. Rows of one file that differ only in their
    resident are told apart by their order (`-2`, `-3`, see `Bulkschrijver.volgnummer`).
    """
    return AFGELEIDE_SLEUTEL_PREFIX + inhoud.inhoud_hash({**gegevens, "inwonerReferentie": None, "externId": None})


def _blokken(waarden: list[str], grootte: int) -> Iterator[list[str]]:
    for begin in range(0, len(waarden), grootte):
        yield waarden[begin:begin + grootte]
