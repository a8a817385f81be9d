"""Background import jobs, persisted in their run: claimed with a lease, kept alive by a heartbeat,
run again or failed with a reason when their worker died.

A large upload is stored in the database (app/imports/opslag.py) and its run waits as `wachtend`. Any
worker of any instance may claim it: one UPDATE that only matches a free job (compare-and-set), so exactly one worker runs it. The
job is one transaction (atomic and per-row alike), so a worker that dies mid-way leaves nothing;
running it again from the stored upload is exact, because an import is idempotent by externId. The
exception is per-row on SQLite, which commits every few thousand rows so that request writes get the
single write slot in between (what it committed stays; a rerun finds those rows unchanged). Before it
writes anything a job copies its upload into a local file and reads it once, so one over the row limit fails in seconds.

Liveness differs per database:

- PostgreSQL: a heartbeat thread renews `lease_tot` and writes `verwerkt` in its own short
  transaction every quarter lease. A job whose lease ran out belongs to a dead (or stuck) worker; the
  poller of any worker takes it over. Before committing, a job checks in its own transaction that it
  still holds the run (`werker`), so a worker that lost its lease never commits a second copy.
- SQLite: one file on one host, and a running job holds the only write slot for its whole
  transaction, so no heartbeat can be written to the database. The worker holds an flock on a lock
  file per job instead (the kernel drops it when the process dies, however it dies), and writes its
  progress into that file, where every worker of the host reads it.

A server that stops (SIGTERM, a deploy) hands its running jobs back instead of waiting for them:
`stop()` makes each job roll back at its next progress report (every few hundred rows) and put its
run back to `wachtend`, upload kept and the attempt not counted, so another worker or the next start
runs it from the start. A job that ran 20 minutes once held up a stop for as long.

A dead job is run again while it has been started fewer than `MAX_POGINGEN` times and its upload is
still there; otherwise it ends `mislukt` with the reason. Uploads nobody refers to, and local copies
left by a crash, are removed by the poller (at start-up, then every `OPRUIMEN_SECONDEN`).
"""

import contextlib
import fcntl
import logging
import os
import socket
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, or_, update
from sqlmodel import Session, col, select

from app.core import poller
from app.core.config import get_settings
from app.core.db import checkpoint, get_engine, schrijvend_met_wachttijd
from app.core.errors import OngeldigeInvoer
from app.imports import opslag, service
from app.imports.mapping import Mappingbestand
from app.imports.readers import LeesFout, TeGrootBestand
from app.imports.verslag import BEZIG, MISLUKT, WACHTEND, Opties
from app.models import ImportRun, utcnow
from app.toegang.caller import Binding, Caller, Scope

logger = logging.getLogger(__name__)

# This process, as written in `werker`: host, pid and a random part (pids are reused after a restart).
WERKER = f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
# A job is started at most this often; a file that kills its worker twice is not tried a third time.
MAX_POGINGEN = 2
# How long a job waits for SQLite's write slot (another import may hold it); a request waits 10 s.
JOB_WACHTTIJD_SECONDEN = 3600.0
# Local copies of uploads untouched for this long are removed, unless their job still waits or runs: a crash left them.
OPRUIMEN_NA_SECONDEN = 600.0
# A job's local copy of its upload is named after its run (so the sweep leaves a running job's copy alone).
KOPIE = "sleutelmonitor-taak-"
OPRUIMEN_SECONDEN = 300.0

# Set when this process stops: running jobs hand their run back, and no job is claimed any more.
_STOPPEN = threading.Event()
_LOPEND: set[uuid.UUID] = set()
_LOPEND_VERANDERD = threading.Condition()


def stop(wachttijd: float = 0.0) -> bool:
    """Stop running jobs of this process: each hands its run back. Waits up to `wachttijd` seconds for them.

    Returns True when no job of this process runs any more. Safe from a signal handler with 0.
    """
    _STOPPEN.set()
    if wachttijd <= 0:
        return not _LOPEND
    with _LOPEND_VERANDERD:
        return _LOPEND_VERANDERD.wait_for(lambda: not _LOPEND, timeout=wachttijd)


def hervat() -> None:
    """Allow jobs again (a process that starts serving; tests)."""
    _STOPPEN.clear()


class Teruggegeven(Exception):
    """This process stops: the job rolls back and hands its run back to be run elsewhere or later."""


def _engine() -> Engine:
    """The engine jobs use (a seam for tests, which point it at a database of their own)."""
    return get_engine()


def uploadmap() -> Path:
    """This host's folder for a job's local copy of its upload, an API upload while it streams in, and
    SQLite's lock files: SLEUTELMONITOR_IMPORT_MAP, or a folder in the temp dir. Never shared between hosts."""
    ingesteld = get_settings().import_map
    map_ = Path(ingesteld) if ingesteld else Path(tempfile.gettempdir()) / "sleutelmonitor-imports"
    map_.mkdir(parents=True, exist_ok=True, mode=0o700)
    return map_


def _is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


# --- SQLite: liveness and progress through a lock file per job ---------------------------------


class _Slotbestand:
    """An flock held while this process runs the job; its content is the number of rows done."""

    def __init__(self, run_id: uuid.UUID) -> None:
        self.pad = uploadmap() / f"{run_id}.lock"
        self.fd: int | None = None

    def neem(self) -> bool:
        fd = os.open(self.pad, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self.fd = fd
        return True

    def schrijf(self, verwerkt: int) -> None:
        if self.fd is not None:
            os.pwrite(self.fd, f"{verwerkt:<20}".encode(), 0)

    def geef(self) -> None:
        if self.fd is not None:
            self.pad.unlink(missing_ok=True)
            os.close(self.fd)  # closing drops the flock
            self.fd = None


def _voortgang_uit_bestand(run_id: uuid.UUID) -> int | None:
    try:
        tekst = (uploadmap() / f"{run_id}.lock").read_text().strip()
    except OSError:
        return None
    return int(tekst) if tekst.isdigit() else None


def voortgang(run: ImportRun) -> int | None:
    """Rows done by a running job, as any worker sees it; None when the run is not running."""
    if run.status != BEZIG:
        return None
    if _is_sqlite(_engine()):
        gelezen = _voortgang_uit_bestand(run.id)
        return gelezen if gelezen is not None else run.verwerkt
    return run.verwerkt


# --- Claiming -----------------------------------------------------------------------------------


def _claim(engine: Engine, run_id: uuid.UUID, *, vorige_werker: str | None, wachttijd: float) -> bool:
    """Take the job if it is still free (waiting, or held by `vorige_werker` whose lease ran out)."""
    nu = utcnow()
    lease = timedelta(seconds=get_settings().import_lease_seconden)
    vrij = ImportRun.status == WACHTEND
    if vorige_werker is not None:
        vrij = (col(ImportRun.status) == BEZIG) & (col(ImportRun.werker) == vorige_werker)
        if not _is_sqlite(engine):
            vrij = vrij & (col(ImportRun.lease_tot) < nu)
    with Session(schrijvend_met_wachttijd(engine, wachttijd)) as session:
        resultaat = session.execute(
            update(ImportRun)
            .where(col(ImportRun.id) == run_id, vrij)
            .values(
                status=BEZIG, werker=WERKER, lease_tot=nu + lease, pogingen=col(ImportRun.pogingen) + 1,
                verwerkt=0, gestart_op=nu,
            )
        )
        session.commit()
    return resultaat.rowcount == 1  # type: ignore[attr-defined]


def draai(run_id: uuid.UUID) -> None:
    """Claim a waiting job and run it here (right after the upload, or from the poller)."""
    engine = _engine()
    if _STOPPEN.is_set():
        return  # stays waiting; the next start (or another worker) runs it
    slot = _Slotbestand(run_id) if _is_sqlite(engine) else None
    if slot is not None and not slot.neem():
        return  # another worker of this host runs it
    try:
        if _claim(engine, run_id, vorige_werker=None, wachttijd=JOB_WACHTTIJD_SECONDEN):
            _voer_uit(engine, run_id, slot)
    finally:
        if slot is not None:
            slot.geef()


class Overgenomen(Exception):
    """This worker's lease ran out and another worker took the job over: stop without committing."""


class _Hartslag:
    """Renews the lease and publishes progress every quarter lease, in its own short transactions."""

    def __init__(self, engine: Engine, run_id: uuid.UUID, slot: _Slotbestand | None) -> None:
        self.engine = engine
        self.run_id = run_id
        self.slot = slot
        self.verwerkt = 0
        self.kwijt = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"hartslag-{run_id}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def zet(self, verwerkt: int) -> None:
        """The import's progress callback (every few hundred rows)."""
        self.verwerkt = verwerkt
        if self.slot is not None:
            self.slot.schrijf(verwerkt)
        if self.kwijt:
            raise Overgenomen(f"De taak {self.run_id} is door een andere werker overgenomen.")
        if _STOPPEN.is_set():
            raise Teruggegeven(f"De server stopt; de taak {self.run_id} wordt later opnieuw gestart.")

    def tik(self) -> None:
        """One heartbeat. On SQLite the job itself holds the write slot: the lock file is its heartbeat."""
        if self.slot is not None:
            return
        with Session(self.engine) as session:
            session.connection().exec_driver_sql("SET LOCAL lock_timeout = '2s'")
            resultaat = session.execute(
                update(ImportRun)
                .where(col(ImportRun.id) == self.run_id, col(ImportRun.werker) == WERKER)
                .values(
                    lease_tot=utcnow() + timedelta(seconds=get_settings().import_lease_seconden),
                    verwerkt=self.verwerkt,
                )
            )
            session.commit()
        if resultaat.rowcount == 0:  # type: ignore[attr-defined]
            self.kwijt = True

    def _loop(self) -> None:
        interval = get_settings().import_lease_seconden / 4
        while not self._stop.wait(interval):
            try:
                self.tik()
            except Exception:  # a missed beat is retried; the lease allows three
                logger.warning("Heartbeat of import %s failed", self.run_id, exc_info=True)

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


def _opties(run: ImportRun) -> Opties:
    extra = run.opties or {}
    return Opties(
        formaat=run.formaat,
        per_rij=run.modus == "per-rij",
        proefdraai=run.proefdraai,
        nieuwe_sleutelpersonen=bool(extra.get("nieuweSleutelpersonenAanmaken")),
        nieuwe_ketenpartners=bool(extra.get("nieuweKetenpartnersAanmaken")),
        blad=extra.get("blad"),
        codering=extra.get("codering"),
        bestandsnaam=run.bestandsnaam,
        mapping=Mappingbestand.model_validate(extra["mapping"]) if extra.get("mapping") else None,
    )


def _caller(run: ImportRun) -> Caller:
    """The uploader, as far as an import needs it: their organisation, scope registreren, their key."""
    return Caller(
        sleutel_id=run.api_sleutel_id,
        scopes=frozenset({Scope.registreren}),
        binding=Binding.organisatie,
        organisatie_id=run.organisatie_id,
    )


def _voer_uit(engine: Engine, run_id: uuid.UUID, slot: _Slotbestand | None) -> None:
    """Run a claimed job (one transaction, or chunks per row on SQLite); a failure records `mislukt`, a stop hands it back."""
    with _LOPEND_VERANDERD:
        _LOPEND.add(run_id)
    try:
        _voer_uit_hier(engine, run_id, slot)
    finally:
        with _LOPEND_VERANDERD:
            _LOPEND.discard(run_id)
            _LOPEND_VERANDERD.notify_all()


def _voer_uit_hier(engine: Engine, run_id: uuid.UUID, slot: _Slotbestand | None) -> None:
    hartslag = _Hartslag(engine, run_id, slot)
    hartslag.start()
    session = Session(schrijvend_met_wachttijd(engine, JOB_WACHTTIJD_SECONDEN), expire_on_commit=False)
    pad: Path | None = None
    opties: Opties | None = None
    try:
        # Read in a session of its own, without the write slot: counting the rows takes a while.
        with Session(engine, expire_on_commit=False) as lezen:
            gelezen_run = lezen.get(ImportRun, run_id)
        assert gelezen_run is not None
        upload_id = gelezen_run.upload_id
        pad = opslag.naar_bestand(engine, upload_id, uploadmap(), prefix=f"{KOPIE}{run_id}-",
                                  suffix=f".{gelezen_run.formaat}") if upload_id else None
        if pad is None:
            _mislukt(engine, run_id, "Het geüploade bestand is niet meer beschikbaar; er is niets opgeslagen. Upload het opnieuw.")
            return
        opties = _opties(gelezen_run)
        if _is_sqlite(engine) and opties.per_rij and not opties.proefdraai:
            # SQLite has one write slot: commit every few thousand rows and let request writes in
            # between, instead of holding it for the whole file (a 100 MB file: 21 minutes of 503s).
            opties = replace(opties, tussentijds_vastleggen=True)
        try:
            # The API refuses such an upload at once (400); this catches every other way in (the dashboard).
            service.controleer_omvang(opties, pad.stat().st_size, dialect=engine.dialect.name)
        except OngeldigeInvoer as exc:
            _mislukt(engine, run_id, f"{exc.detail} Er is niets opgeslagen.")
            return
        try:
            service.tel_rijen(pad, opties, onderweg=_controleer_stop)
        except TeGrootBestand as exc:
            # Over the row limit: known in seconds, not after validating two million rows.
            _mislukt(engine, run_id, f"{exc} Er is niets opgeslagen.")
            return
        except LeesFout:
            pass  # the import itself reports an unreadable file, with what it read up to there
        run = session.get(ImportRun, run_id)
        assert run is not None
        verslag = service.importeer(
            session, caller=_caller(run), bron=pad, opties=opties, run=run, voortgang=hartslag.zet
        )
        # Still ours? In this transaction, so a worker that lost its lease never commits a second copy.
        nog_van_ons = session.execute(
            update(ImportRun)
            .where(col(ImportRun.id) == run_id, col(ImportRun.werker) == WERKER)
            .values(werker=None, lease_tot=None, upload_id=None, verwerkt=verslag.gelezen)
        )
        if nog_van_ons.rowcount != 1:  # type: ignore[attr-defined]
            raise Overgenomen(f"De taak {run_id} is door een andere werker overgenomen.")
        opslag.verwijder(session, upload_id)  # with the result: a finished job leaves no upload behind
        session.commit()
        checkpoint(session)
    except Overgenomen:
        logger.warning("Import %s was taken over by another worker; this run is rolled back", run_id)
        session.rollback()  # the stored upload stays: the new owner reads it
    except Teruggegeven:
        session.rollback()  # the stored upload stays: the next run reads it
        if _geef_terug(engine, run_id):
            logger.info("Import %s handed back: this process stops; it runs again elsewhere or at the next start", run_id)
    except Exception:
        logger.exception("Import %s failed", run_id)
        session.rollback()
        if opties is not None and opties.tussentijds_vastleggen:
            _mislukt(engine, run_id, (
                "Er ging onverwacht iets mis. De rijen die vóór de fout per rij zijn vastgelegd, blijven opgeslagen; "
                "importeer het bestand opnieuw voor de rest (al opgeslagen rijen blijven dan ongewijzigd)."
            ))
        else:
            _mislukt(engine, run_id, "Er ging onverwacht iets mis; er is niets opgeslagen.")
    finally:
        session.close()
        hartslag.stop()
        if pad is not None:
            pad.unlink(missing_ok=True)  # this host's copy only


def _mislukt(engine: Engine, run_id: uuid.UUID, melding: str, *, alleen_van: str | None = WERKER) -> bool:
    """End a job `mislukt` with a reason, if it is still held by `alleen_van`; its upload is removed."""
    with Session(schrijvend_met_wachttijd(engine, JOB_WACHTTIJD_SECONDEN), expire_on_commit=False) as session:
        run = session.get(ImportRun, run_id)
        if run is None or run.status not in (WACHTEND, BEZIG) or run.werker != alleen_van:
            return False
        upload_id = run.upload_id
        run.status = MISLUKT
        run.voltooid_op = utcnow()
        run.werker = run.lease_tot = run.upload_id = None
        run.rapport = {**(run.rapport or {}), "melding": melding}
        session.add(run)
        session.flush()
        opslag.verwijder(session, upload_id)
        if not run.proefdraai:
            service.voltooid(session, run)
        session.commit()
    return True


def _controleer_stop(_gelezen: int) -> None:
    if _STOPPEN.is_set():
        raise Teruggegeven("De server stopt; de taak wordt later opnieuw gestart.")


def _geef_terug(engine: Engine, run_id: uuid.UUID) -> bool:
    """Put a job this process holds back to `wachtend`, as if never started (its upload stays)."""
    with Session(schrijvend_met_wachttijd(engine, JOB_WACHTTIJD_SECONDEN)) as session:
        resultaat = session.execute(
            update(ImportRun)
            .where(col(ImportRun.id) == run_id, col(ImportRun.werker) == WERKER)
            .values(
                status=WACHTEND, werker=None, lease_tot=None, verwerkt=0, gestart_op=None,
                pogingen=col(ImportRun.pogingen) - 1,
            )
        )
        session.commit()
    return resultaat.rowcount == 1  # type: ignore[attr-defined]


# --- Recovery: the poller of every worker -------------------------------------------------------


def herstel() -> int:
    """Run waiting jobs, and take over or fail jobs whose worker died; returns how many were handled."""
    engine = _engine()
    nu = utcnow()
    with Session(engine) as session:
        kandidaten = session.exec(
            select(ImportRun.id, ImportRun.status, ImportRun.werker, ImportRun.pogingen, ImportRun.upload_id)
            # A run without a worker is the command line's or a request's own: not a job.
            .where(or_(col(ImportRun.status) == WACHTEND, (col(ImportRun.status) == BEZIG) & col(ImportRun.werker).is_not(None)))
            .order_by(col(ImportRun.aangemaakt_op))
        ).all()
    behandeld = 0
    for run_id, status, werker, pogingen, upload_id in kandidaten:
        if _STOPPEN.is_set():
            break
        if status == WACHTEND:
            draai(run_id)
            behandeld += 1
            continue
        slot = _Slotbestand(run_id) if _is_sqlite(engine) else None
        if slot is not None and not slot.neem():
            continue  # its worker is alive
        try:
            if slot is None and not _lease_verlopen(engine, run_id, nu):
                continue
            behandeld += 1
            if pogingen >= MAX_POGINGEN or not _upload_bestaat(engine, upload_id):
                reden = (
                    f"De verwerking is {pogingen} keer afgebroken doordat de server stopte"
                    if pogingen >= MAX_POGINGEN
                    else "De server stopte tijdens de verwerking en het geüploade bestand is er niet meer"
                )
                _mislukt(engine, run_id, f"{reden}; er is niets opgeslagen. Upload het bestand opnieuw.", alleen_van=werker)
                continue
            logger.warning("Import %s: worker %s stopped; running it again here", run_id, werker)
            if _claim(engine, run_id, vorige_werker=werker, wachttijd=JOB_WACHTTIJD_SECONDEN):
                _voer_uit(engine, run_id, slot)
        finally:
            if slot is not None:
                slot.geef()
    return behandeld


def _upload_bestaat(engine: Engine, upload_id: uuid.UUID | None) -> bool:
    with Session(engine) as session:
        return opslag.bestaat(session, upload_id)


def _lease_verlopen(engine: Engine, run_id: uuid.UUID, nu: datetime) -> bool:
    with Session(engine) as session:
        lease_tot = session.exec(select(ImportRun.lease_tot).where(ImportRun.id == run_id)).first()
    return lease_tot is None or lease_tot < nu


def ruim_op() -> list[Path | uuid.UUID]:
    """Remove stored uploads no waiting or running job refers to (see opslag.ruim_op), and local copies a
    crash left in this host's folder; returns what was removed."""
    with Session(schrijvend_met_wachttijd(_engine(), 10.0)) as session:
        weg: list[Path | uuid.UUID] = list(opslag.ruim_op(session))
        session.commit()
        actief = {str(run_id) for run_id in session.exec(
            select(ImportRun.id).where(col(ImportRun.status).in_((WACHTEND, BEZIG)))
        ).all()}
    grens = time.time() - OPRUIMEN_NA_SECONDEN
    for pad in uploadmap().iterdir():
        if pad.suffix == ".lock" or pad.is_dir():
            continue
        if pad.name.startswith(KOPIE) and pad.name[len(KOPIE):len(KOPIE) + 36] in actief:
            continue  # the copy a job reads right now (a large file takes longer than the grace period)
        with contextlib.suppress(OSError):
            if pad.stat().st_mtime < grens:
                pad.unlink()
                weg.append(pad)
    return weg


class Poller(poller.Poller):
    """A daemon thread per worker: recovery every `import_poll_seconden`, uploads swept now and then."""

    def __init__(self, interval: float, *, stap: Callable[[], object] = herstel) -> None:
        super().__init__("import-poller", interval, stap=stap, opruimen=ruim_op, opruim_interval=OPRUIMEN_SECONDEN)
