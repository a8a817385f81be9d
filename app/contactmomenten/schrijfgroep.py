"""Group commit for single POSTs: the concurrent new contactmomenten of one worker share one transaction.

Under load the write transaction itself was the bottleneck: on SQLite one writer at a time holds the write
slot (across workers), and a POST held it for its period check, seven INSERTs and the COMMIT, about 5 ms on
a busy machine, where a request waits for the GIL and the CPU between statements. On PostgreSQL every POST
paid its own BEGIN, timeout, period check and COMMIT round trips. Now a POST that has validated its rows and
built its response hands them to its worker's `Schrijfgroep`: the first to arrive leads, and writes every
POST waiting at that moment in one transaction (one period check per organisation, the batch writer's
INSERTs, one COMMIT); the POSTs that arrive meanwhile wait and form the next batch, led by the first of
them. A quiet server writes batches of one, as before; a busy one, batches of up to `MAXIMUM`.

Each POST still gets its own outcome: written; not written because its externId is taken (the caller then
answers 200 or 409 from the existing record, as before); or refused because its date lies in an approved
period. An error of one row (an IntegrityError) does not fail the others: the batch is rolled back and each
POST written again in a transaction of its own. Any other error (an outage, the write slot's timeout) is
every POST's error in the batch, and none of them is written. Audit rows and events are written in the
batch's transaction, so each exists exactly when its contactmoment does.

Only for sessions bound to an engine (production); a session bound to a connection (the tests' enclosing
transaction) writes in its own transaction as before (`service.create`).
"""

import threading
import uuid
import weakref
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.contactmomenten import schrijver
from app.contactmomenten.inhoud import Rijen
from app.core import db, spans
from app.core.config import get_settings
from app.gebeurtenissen import service as gebeurtenissen
from app.rapportage import slot
from app.toegang.caller import Caller

# At most this many POSTs per transaction: the batch writer's small-batch path (one INSERT ... ON CONFLICT DO
# NOTHING per contactmoment) goes up to schrijver.KLEINE_BATCH.
MAXIMUM = schrijver.KLEINE_BATCH


@dataclass(eq=False)
class _Opdracht:
    """One POST's rows, and its outcome once its batch is done."""

    caller: Caller
    rijen: Rijen
    datum: date
    wekker: threading.Event = field(default_factory=threading.Event)
    leider: bool = False
    klaar: bool = False
    geschreven: bool = False
    fout: BaseException | None = None


class Schrijfgroep:
    """The group commit of one engine in one process (see the module's docstring)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._lock = threading.Lock()
        self._wachtend: list[_Opdracht] = []
        self._bezig = False

    def schrijf(self, *, caller: Caller, rijen: Rijen, datum: date) -> bool:
        """Write one contactmoment's rows in a shared transaction; False when its externId is taken.

        Raises `slot.PeriodeGoedgekeurd` when `datum` lies in an approved period, or the batch's error.
        """
        opdracht = _Opdracht(caller=caller, rijen=rijen, datum=datum)
        with self._lock:
            self._wachtend.append(opdracht)
            if not self._bezig:
                self._bezig = opdracht.leider = True
        while not opdracht.klaar:
            if opdracht.leider:
                self._leid()
            else:
                opdracht.wekker.wait()
                opdracht.wekker.clear()
        if opdracht.fout is not None:
            raise opdracht.fout
        return opdracht.geschreven

    def _leid(self) -> None:
        """Write what waits now (this thread's own POST first), then hand the lead to the next waiting POST."""
        with self._lock:
            batch, self._wachtend = self._wachtend[:MAXIMUM], self._wachtend[MAXIMUM:]
        try:
            self._voer_uit(batch)
        finally:
            with self._lock:
                for opdracht in batch:
                    opdracht.klaar = True
                if self._wachtend:
                    volgende = self._wachtend[0]
                    volgende.leider = True
                    volgende.wekker.set()
                else:
                    self._bezig = False
            for opdracht in batch:
                opdracht.wekker.set()

    def _voer_uit(self, batch: list[_Opdracht]) -> None:
        try:
            self._samen(batch)
        except IntegrityError as exc:
            if len(batch) == 1:
                batch[0].fout = exc
                return
            # One row's error: each POST once more on its own, so only that one fails.
            for opdracht in batch:
                opdracht.fout = None
                try:
                    self._samen([opdracht])
                except Exception as eigen:  # noqa: BLE001  (its own outcome, raised in its own request)
                    opdracht.fout = eigen
        except Exception as exc:  # noqa: BLE001  (the batch's outcome, raised in each of its requests)
            for opdracht in batch:
                opdracht.fout = exc

    def _samen(self, batch: list[_Opdracht]) -> None:
        """One transaction: the period check per organisation, the rows of every POST not refused, one COMMIT."""
        session = db.schrijfsessie(self.engine)
        try:
            with spans.span("periodeslot"):
                _periodes(session, batch)
            te_schrijven = [o for o in batch if o.fout is None]
            geschreven: set[uuid.UUID] = set()
            # One writer call per caller (its audit rows name the caller); nearly always one.
            per_caller: dict[Caller, Rijen] = {}
            for opdracht in te_schrijven:
                per_caller.setdefault(opdracht.caller, Rijen()).voeg_toe(opdracht.rijen)
            with spans.span("schrijven"):
                for caller, rijen in per_caller.items():
                    geschreven |= schrijver.schrijf(session, caller=caller, rijen=rijen)
                gebeurtenis_rijen = []
                for opdracht in te_schrijven:
                    nieuw = opdracht.rijen.contactmomenten[0]
                    opdracht.geschreven = nieuw["id"] in geschreven
                    if opdracht.geschreven:
                        gebeurtenis_rijen.append(gebeurtenissen.rij(
                            "contactmoment.aangemaakt", resource_id=nieuw["id"],
                            organisatie_id=nieuw["organisatie_id"], extern_id=nieuw.get("extern_id")))
                gebeurtenissen.leg_vast_alle(session, gebeurtenis_rijen)
            with spans.span("commit"):
                db.vastleggen(session)
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()


def _periodes(session: Session, batch: list[_Opdracht]) -> None:
    """Mark each POST whose date lies in an approved period of its organisation: one query per organisation."""
    per_organisatie: dict[uuid.UUID | None, list[_Opdracht]] = {}
    for opdracht in batch:
        per_organisatie.setdefault(opdracht.caller.organisatie_id, []).append(opdracht)
    for organisatie_id, opdrachten in per_organisatie.items():
        datums = [o.datum for o in opdrachten]
        gevonden = slot.sloten(session, organisatie_id=organisatie_id, van=min(datums), tot=max(datums))
        for opdracht in opdrachten:
            geraakt = slot.in_slot(gevonden, opdracht.datum)
            if geraakt:
                opdracht.fout = slot.PeriodeGoedgekeurd(geraakt)


_PER_ENGINE: "weakref.WeakKeyDictionary[Engine, Schrijfgroep]" = weakref.WeakKeyDictionary()
_REGISTER_LOCK = threading.Lock()


def voor(session: Session) -> Schrijfgroep | None:
    """The group of the engine behind a request's session; None when the session is bound to a connection
    (the tests' enclosing transaction) or group commit is off (`SLEUTELMONITOR_GROEPSCOMMIT=false`)."""
    bind = session.get_bind()
    if not isinstance(bind, Engine) or not get_settings().groepscommit:
        return None
    groep = _PER_ENGINE.get(bind)
    if groep is None:
        with _REGISTER_LOCK:
            groep = _PER_ENGINE.setdefault(bind, Schrijfgroep(bind))
    return groep
