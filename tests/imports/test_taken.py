"""Background import jobs persisted in their run: claim, heartbeat, progress, recovery after a dead worker.

These tests run against a database of their own with real commits: a job runs in its own
transactions and threads, as in production, which the rolled-back test transaction cannot show.
"""

import os
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlmodel import Session, col, func, select

from app.core import db
from app.core.config import get_settings
from app.imports import opslag, service, taken
from app.imports import router as imports_router
from app.models import Contactmoment, ImportRun, ImportUpload, ImportUploadBlok, utcnow
from tests.conftest import BACKEND, DatabaseFactory
from tests.factories import make_key
from tests.imports.helpers import Omgeving, csv_bytes, maak_omgeving, rij
from tests.imports.kapotte_bestanden import corpus

CSV = {"Content-Type": "text/csv"}


@pytest.fixture(scope="module")
def eigen_engine(databases: DatabaseFactory) -> Iterator[Engine]:
    engine = databases.new_engine()
    yield engine
    engine.dispose()


@pytest.fixture
def engine_taken(eigen_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """Jobs, requests and the upload folder on this module's database and a folder of this test."""
    monkeypatch.setattr(taken, "_engine", lambda: eigen_engine)
    monkeypatch.setattr(db, "get_engine", lambda: eigen_engine)
    monkeypatch.setenv("SLEUTELMONITOR_IMPORT_MAP", str(tmp_path / "uploads"))
    get_settings.cache_clear()
    yield eigen_engine
    get_settings.cache_clear()


@pytest.fixture
def omgeving(engine_taken: Engine) -> Omgeving:
    with Session(engine_taken, expire_on_commit=False) as session:
        resultaat = maak_omgeving(session)
        session.commit()
    return resultaat


@pytest.fixture
def sleutel(engine_taken: Engine, omgeving: Omgeving) -> dict[str, str]:
    with Session(engine_taken) as session:
        headers = make_key(session, organisatie=omgeving.organisatie, scopes=("registreren", "inzien"))
        session.commit()
    return headers


@pytest.fixture
def client(engine_taken: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    from app.main import create_app
    from app.toegang.dependencies import rate_limiter

    rate_limiter.reset()
    monkeypatch.setattr(imports_router, "GROTE_IMPORT_BYTES", 512)
    with TestClient(create_app(), raise_server_exceptions=False) as test_client:
        yield test_client


def _aantal(engine: Engine, omgeving: Omgeving) -> int:
    with Session(engine) as session:
        return session.exec(
            select(func.count()).select_from(Contactmoment).where(Contactmoment.organisatie_id == omgeving.organisatie.id)
        ).one()


def _bestand(n: int = 20, **extra: str) -> bytes:
    return csv_bytes([rij(Datum=f"{d % 28 + 1}-3-2025", Duur_min=str(d + 1), **extra) for d in range(n)])


def _run(engine: Engine, run_id: uuid.UUID) -> ImportRun:
    with Session(engine, expire_on_commit=False) as session:
        run = session.get(ImportRun, run_id)
        assert run is not None
        return run


def _achtergelaten(engine: Engine, omgeving: Omgeving, inhoud: bytes, *, pogingen: int = 1, bestand: bool = True) -> ImportRun:
    """A job as a worker killed with -9 leaves it: `bezig`, its lease run out, its upload still there."""
    with Session(engine, expire_on_commit=False) as session:
        run = service.nieuwe_run(
            session, caller=omgeving.caller, opties=service.Opties(formaat="csv"), status=service.BEZIG
        )
        if bestand:
            run.upload_id = opslag.bewaar(session, organisatie_id=omgeving.organisatie.id, bron=inhoud, formaat="csv").id
        run.werker, run.lease_tot, run.pogingen = "elders:4242:dood", utcnow() - timedelta(seconds=1), pogingen
        session.add(run)
        session.commit()
    return run


def _upload_er(engine: Engine, run: ImportRun) -> bool:
    with Session(engine) as session:
        return opslag.bestaat(session, run.upload_id)


def _uploads(engine: Engine, omgeving: Omgeving) -> int:
    """The organisation's stored uploads and their blocks left in the database (a finished job leaves none)."""
    with Session(engine) as session:
        eigen = select(ImportUpload.id).where(ImportUpload.organisatie_id == omgeving.organisatie.id)
        return session.exec(select(func.count()).select_from(ImportUpload).where(col(ImportUpload.id).in_(eigen))).one() + \
            session.exec(select(func.count()).select_from(ImportUploadBlok).where(col(ImportUploadBlok.upload_id).in_(eigen))).one()


def test_large_file_becomes_a_job_and_its_upload_is_removed(client: TestClient, engine_taken: Engine, omgeving: Omgeving,
                                                            sleutel: dict[str, str]) -> None:
    bestand = _bestand()
    assert len(bestand) > 512
    response = client.post("/v1/imports", content=bestand, headers={**sleutel, **CSV}, params={"bestandsnaam": "groot.csv"})
    # TestClient runs the background task after the response, within this call.
    assert response.status_code == 202, response.text
    body = response.json()
    assert (body["status"], body["gelezen"], body["bestandsnaam"]) == ("wachtend", 0, "groot.csv")
    assert response.headers["Location"] == f"/v1/imports/{body['id']}"

    status = client.get(response.headers["Location"], headers=sleutel)
    assert status.status_code == 200
    assert {k: status.json()[k] for k in ("status", "gelezen", "verwerkt", "aangemaakt", "afgewezen")} == {
        "status": "geslaagd", "gelezen": 20, "verwerkt": 20, "aangemaakt": 20, "afgewezen": 0,
    }
    assert status.json()["gestartOp"] is not None and status.json()["voltooidOp"] is not None
    assert list(taken.uploadmap().iterdir()) == []  # the local copy and the job's lock file are removed
    assert _uploads(engine_taken, omgeving) == 0  # and the stored upload, with the job's result
    run = _run(engine_taken, uuid.UUID(body["id"]))
    assert (run.werker, run.lease_tot, run.upload_id, run.pogingen) == (None, None, None, 1)
    assert _aantal(engine_taken, omgeving) == 20


def test_large_form_upload_becomes_a_job(client: TestClient, engine_taken: Engine, omgeving: Omgeving,
                                         sleutel: dict[str, str]) -> None:
    # A browser or Postman upload (multipart) takes the same job path as a raw body.
    response = client.post("/v1/imports", headers=sleutel, files={"bestand": ("groot.csv", _bestand(), "text/csv")})
    assert response.status_code == 202, response.text
    status = client.get(response.headers["Location"], headers=sleutel).json()
    assert (status["status"], status["aangemaakt"], status["bestandsnaam"]) == ("geslaagd", 20, "groot.csv")
    assert list(taken.uploadmap().iterdir()) == []
    assert _uploads(engine_taken, omgeving) == 0
    assert _aantal(engine_taken, omgeving) == 20


def test_job_with_bad_rows_in_atomic_mode_fails_without_writing(client: TestClient, engine_taken: Engine, omgeving: Omgeving,
                                                                sleutel: dict[str, str]) -> None:
    bestand = csv_bytes([rij(Datum=f"{d}-3-2025") for d in range(1, 20)] + [rij(Onderwerp="Astrologie")])
    response = client.post("/v1/imports", content=bestand, headers={**sleutel, **CSV})
    assert response.status_code == 202
    status = client.get(response.headers["Location"], headers=sleutel).json()
    assert (status["status"], status["aangemaakt"], status["afgewezen"]) == ("mislukt", 0, 1)
    assert status["fouten"][0]["rijen"] == [21]
    assert _aantal(engine_taken, omgeving) == 0


def test_a_job_whose_worker_died_is_run_again_by_any_worker(engine_taken: Engine, omgeving: Omgeving) -> None:
    run = _achtergelaten(engine_taken, omgeving, _bestand(30))
    assert taken.herstel() == 1
    opnieuw = _run(engine_taken, run.id)
    assert (opnieuw.status, opnieuw.aangemaakt, opnieuw.pogingen, opnieuw.werker) == ("geslaagd", 30, 2, None)
    assert _aantal(engine_taken, omgeving) == 30
    assert _uploads(engine_taken, omgeving) == 0


def test_a_job_that_died_twice_ends_failed_with_the_reason(engine_taken: Engine, omgeving: Omgeving) -> None:
    run = _achtergelaten(engine_taken, omgeving, _bestand(), pogingen=taken.MAX_POGINGEN)
    taken.herstel()
    mislukt = _run(engine_taken, run.id)
    assert mislukt.status == "mislukt" and mislukt.voltooid_op is not None
    assert mislukt.rapport["melding"] == (
        f"De verwerking is {taken.MAX_POGINGEN} keer afgebroken doordat de server stopte; er is niets opgeslagen. "
        "Upload het bestand opnieuw."
    )
    assert _uploads(engine_taken, omgeving) == 0
    assert _aantal(engine_taken, omgeving) == 0


def test_a_dead_job_without_its_upload_ends_failed(engine_taken: Engine, omgeving: Omgeving) -> None:
    run = _achtergelaten(engine_taken, omgeving, b"", bestand=False)
    taken.herstel()
    mislukt = _run(engine_taken, run.id)
    assert mislukt.status == "mislukt"
    assert "het geüploade bestand is er niet meer" in mislukt.rapport["melding"]


def test_a_live_job_is_left_alone(engine_taken: Engine, omgeving: Omgeving) -> None:
    """A job whose worker still runs it (lease valid on PostgreSQL, lock file held on SQLite) is not taken over."""
    run = _achtergelaten(engine_taken, omgeving, _bestand())
    with Session(engine_taken) as session:
        levend = session.get(ImportRun, run.id)
        assert levend is not None
        levend.lease_tot = utcnow() + timedelta(minutes=1)
        session.add(levend)
        session.commit()
    slot = taken._Slotbestand(run.id)
    assert slot.neem()  # as the living worker does on SQLite
    try:
        assert taken.herstel() == 0
    finally:
        slot.geef()
    assert _run(engine_taken, run.id).status == "bezig"


def test_only_one_worker_claims_a_waiting_job(engine_taken: Engine, omgeving: Omgeving) -> None:
    with Session(engine_taken, expire_on_commit=False) as session:
        run = service.nieuwe_run(session, caller=omgeving.caller, opties=service.Opties(formaat="csv"), status=service.WACHTEND)
        session.commit()
    gelukt: list[bool] = []
    threads = [
        threading.Thread(target=lambda: gelukt.append(taken._claim(engine_taken, run.id, vorige_werker=None, wachttijd=30)))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(gelukt) == [False] * 7 + [True]


def test_progress_is_readable_from_any_worker_while_the_job_runs(engine_taken: Engine, omgeving: Omgeving,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The job publishes its progress where another process can read it: the run (PostgreSQL), the lock file (SQLite)."""
    run = _achtergelaten(engine_taken, omgeving, _bestand(1200))
    gezien: list[int | None] = []
    doorgaan = threading.Event()
    halverwege = threading.Event()
    echte_zet = taken._Hartslag.zet

    def zet(self: taken._Hartslag, verwerkt: int) -> None:
        echte_zet(self, verwerkt)
        if verwerkt == 1000:
            self.tik()  # the heartbeat's beat, now rather than after a quarter lease
            halverwege.set()
            doorgaan.wait(30)

    monkeypatch.setattr(taken._Hartslag, "zet", zet)
    job = threading.Thread(target=taken.herstel)
    job.start()
    assert halverwege.wait(60)
    with Session(engine_taken) as andere_werker:  # a fresh session: what another worker reads
        gezien.append(taken.voortgang(andere_werker.get(ImportRun, run.id)))  # type: ignore[arg-type]
    doorgaan.set()
    job.join()
    assert gezien == [1000]
    assert _run(engine_taken, run.id).status == "geslaagd"


def test_a_worker_that_lost_its_lease_does_not_commit(engine_taken: Engine, omgeving: Omgeving,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The job finds that another worker took it over (its lease ran out): it rolls back, writes nothing."""
    run = _achtergelaten(engine_taken, omgeving, _bestand(10))
    if engine_taken.dialect.name == "sqlite":
        # On SQLite the job holds the write slot, so no takeover can be written while it runs; what
        # the final check sees is the same, so change the run inside the job's own transaction.
        echte_importeer = service.importeer

        def importeer_en_verlies(*args, **kwargs):  # type: ignore[no-untyped-def]
            verslag = echte_importeer(*args, **kwargs)
            kwargs["run"].werker = "ander:1:x"
            args[0].flush()
            return verslag

        monkeypatch.setattr(service, "importeer", importeer_en_verlies)
    else:
        echte_zet = taken._Hartslag.zet

        def zet(self: taken._Hartslag, verwerkt: int) -> None:
            # Mid-import, another worker takes the job over, from its own connection.
            with Session(engine_taken) as ander:
                ander.get(ImportRun, run.id).werker = "ander:1:x"  # type: ignore[union-attr]
                ander.commit()
            echte_zet(self, verwerkt)

        monkeypatch.setattr(taken._Hartslag, "zet", zet)
    taken.herstel()
    assert _aantal(engine_taken, omgeving) == 0
    if engine_taken.dialect.name != "sqlite":
        assert _run(engine_taken, run.id).werker == "ander:1:x"  # the job is the other worker's now


def test_uploads_of_crashed_jobs_are_swept(engine_taken: Engine, omgeving: Omgeving) -> None:
    """Stored uploads nobody refers to go after ten minutes; a waiting or running job's stays, as its local copy."""
    wees = taken.uploadmap() / "sleutelmonitor-import-wees.csv"
    wees.write_bytes(b"x")
    vers = taken.uploadmap() / "sleutelmonitor-import-vers.csv"
    vers.write_bytes(b"x")  # being uploaded right now: too new to sweep
    run = _achtergelaten(engine_taken, omgeving, _bestand())
    kopie = taken.uploadmap() / f"{taken.KOPIE}{run.id}-abc.csv"  # the running job's local copy
    kopie.write_bytes(b"x")
    oud = time.time() - taken.OPRUIMEN_NA_SECONDEN - 1
    for pad in (wees, kopie):
        os.utime(pad, (oud, oud))
    with Session(engine_taken, expire_on_commit=False) as session:
        # Left by a job whose end could not remove it: no run refers to it.
        wees_upload = opslag.bewaar(session, organisatie_id=omgeving.organisatie.id, bron=b"x", formaat="csv")
        verse_upload = opslag.bewaar(session, organisatie_id=omgeving.organisatie.id, bron=b"x", formaat="csv")
        session.commit()
        for upload in (wees_upload, session.get(ImportUpload, run.upload_id)):
            upload.aangemaakt_op = utcnow() - opslag.OPRUIMEN_NA - timedelta(seconds=1)  # type: ignore[union-attr]
            session.add(upload)
        session.commit()
    assert taken.ruim_op() == [wees_upload.id, wees]
    assert vers.exists() and kopie.exists()
    with Session(engine_taken) as session:
        assert opslag.bestaat(session, verse_upload.id) and opslag.bestaat(session, run.upload_id)
        assert not opslag.bestaat(session, wees_upload.id)
        assert session.exec(select(func.count()).select_from(ImportUploadBlok)
                            .where(ImportUploadBlok.upload_id == wees_upload.id)).one() == 0


def test_per_row_from_the_command_line_keeps_what_it_committed_when_killed(engine_taken: Engine, omgeving: Omgeving) -> None:
    """`sleutelmonitor import --per-rij` commits every VASTLEG_STAP rows; a kill loses only the rows since."""
    from app.imports.verwerking import VASTLEG_STAP

    bestand = _bestand(VASTLEG_STAP + 700)

    def afgebroken(n: int) -> None:
        if n > VASTLEG_STAP:
            raise KeyboardInterrupt  # Ctrl-C, or the process killed: what follows never commits

    session = Session(engine_taken, expire_on_commit=False)
    opties = service.Opties(formaat="csv", per_rij=True, tussentijds_vastleggen=True)
    with pytest.raises(KeyboardInterrupt):
        service.voer_uit(session, caller=omgeving.caller, bron=bestand, opties=opties, voortgang=afgebroken)
    session.rollback()
    session.close()
    assert _aantal(engine_taken, omgeving) == VASTLEG_STAP
    # Running it again completes the file and changes nothing that was there.
    with Session(engine_taken, expire_on_commit=False) as session:
        _, verslag = service.voer_uit(session, caller=omgeving.caller, bron=bestand, opties=opties)
        session.commit()
    assert (verslag.aangemaakt, verslag.ongewijzigd) == (700, VASTLEG_STAP)
    assert _aantal(engine_taken, omgeving) == VASTLEG_STAP + 700


@pytest.mark.skipif(BACKEND != "sqlite", reason="SQLite's single write slot")
def test_a_job_queues_for_the_write_slot_instead_of_failing(engine_taken: Engine, omgeving: Omgeving,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Another writer holds SQLite's write slot longer than a request would wait: the job waits its turn."""
    monkeypatch.setattr(db, "BUSY_TIMEOUT_SECONDEN", 0.2)
    with Session(engine_taken, expire_on_commit=False) as session:
        run = service.nieuwe_run(session, caller=omgeving.caller, opties=service.Opties(formaat="csv"), status=service.WACHTEND)
        run.upload_id = opslag.bewaar(session, organisatie_id=omgeving.organisatie.id, bron=_bestand(50), formaat="csv").id
        session.add(run)
        session.commit()
    houder = Session(db.schrijvend_met_wachttijd(engine_taken, 5.0))
    houder.execute(text("UPDATE organisatie SET naam = naam || '' WHERE actief"))  # takes the slot
    job = threading.Thread(target=taken.draai, args=(run.id,))
    job.start()
    time.sleep(1.0)  # five busy timeouts of a request
    # A commit while the job waits: a job that had read first (a deferred transaction) would now
    # fail at once with "database is locked", as the 3.6 MB xlsx job did.
    houder.commit()
    houder.close()
    job.join(60)
    klaar = _run(engine_taken, run.id)
    assert (klaar.status, klaar.aangemaakt) == ("geslaagd", 50), klaar.rapport


def test_a_stopping_worker_hands_its_running_job_back(engine_taken: Engine, omgeving: Omgeving,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """At SIGTERM a job neither finishes its minutes of rows nor dies: it rolls back and waits for the next worker."""
    run = _achtergelaten(engine_taken, omgeving, _bestand(1200))
    bezig = threading.Event()
    doorgaan = threading.Event()
    echte_zet = taken._Hartslag.zet

    def zet(self: taken._Hartslag, verwerkt: int) -> None:
        echte_zet(self, verwerkt)
        if verwerkt == 500:
            bezig.set()
            doorgaan.wait(30)

    monkeypatch.setattr(taken._Hartslag, "zet", zet)
    job = threading.Thread(target=taken.herstel)
    job.start()
    try:
        assert bezig.wait(60)
        assert _run(engine_taken, run.id).pogingen == 2
        doorgaan.set()
        assert taken.stop(wachttijd=60), "the job did not hand its run back"
        job.join(60)
        teruggegeven = _run(engine_taken, run.id)
        assert (teruggegeven.status, teruggegeven.werker, teruggegeven.lease_tot, teruggegeven.pogingen) == ("wachtend", None, None, 1)
        assert _upload_er(engine_taken, teruggegeven)  # the upload stays for the next run
        assert not list(taken.uploadmap().glob("*.lock"))
        assert _aantal(engine_taken, omgeving) == 0
        assert taken.herstel() == 0  # a stopping process claims nothing
    finally:
        doorgaan.set()
        taken.hervat()
    # The next start (or another worker) runs it from the start.
    assert taken.herstel() == 1
    klaar = _run(engine_taken, run.id)
    assert (klaar.status, klaar.aangemaakt, klaar.pogingen) == ("geslaagd", 1200, 2)
    assert _aantal(engine_taken, omgeving) == 1200


# --- Large imports on SQLite leave room for other writers; a file over the row limit fails fast (finding 5) ---


@pytest.mark.skipif(BACKEND != "sqlite", reason="SQLite's single write slot")
def test_request_writes_succeed_during_a_per_row_job_on_sqlite(client: TestClient, engine_taken: Engine, omgeving: Omgeving,
                                                               sleutel: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The job commits every few hundred rows (here) and hands the slot over; before, it held it to the end."""
    from app.imports import verwerking
    from tests.factories import body

    # A request waits 2 s for the write slot here; the job takes far longer, a stretch of it far less.
    monkeypatch.setattr(db, "BUSY_TIMEOUT_SECONDEN", 2.0)
    monkeypatch.setattr(verwerking, "VASTLEG_STAP", 200)
    run = _achtergelaten(engine_taken, omgeving, _bestand(6000), pogingen=0)
    with Session(engine_taken) as session:
        wachtend = session.get(ImportRun, run.id)
        wachtend.status, wachtend.werker, wachtend.modus = "wachtend", None, "per-rij"  # type: ignore[union-attr]
        session.commit()
    job = threading.Thread(target=taken.herstel)
    job.start()
    antwoorden: list[int] = []
    tijdens = 0
    try:
        einde = time.monotonic() + 120
        while (taken._voortgang_uit_bestand(run.id) or 0) == 0:
            assert time.monotonic() < einde and job.is_alive(), "the job did not start"
            time.sleep(0.01)
        factory_omgeving = SimpleNamespace(sleutelpersoon=omgeving.mays, ketenpartner=omgeving.uwv)
        while job.is_alive() and len(antwoorden) < 20:
            antwoord = client.post("/v1/contactmomenten", headers=sleutel, json=body(factory_omgeving))  # type: ignore[arg-type]
            antwoorden.append(antwoord.status_code)
            if job.is_alive():
                tijdens += 1
    finally:
        job.join(300)
    assert tijdens >= 1, "the job ended before a request could be made"
    assert antwoorden == [201] * len(antwoorden), antwoorden
    klaar = _run(engine_taken, run.id)
    assert (klaar.status, klaar.aangemaakt) == ("geslaagd", 6000)


@pytest.mark.skipif(BACKEND != "sqlite", reason="SQLite's single write slot")
def test_an_atomic_upload_too_large_to_hold_sqlites_write_slot_for_is_refused(
    client: TestClient, engine_taken: Engine, sleutel: dict[str, str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SLEUTELMONITOR_SQLITE_ATOMAIR_MAX_MB", "0.001")  # about 1 KB
    get_settings.cache_clear()
    bestand = _bestand(40)
    atomair = client.post("/v1/imports", content=bestand, headers={**sleutel, **CSV})
    proef = client.post("/v1/imports", content=bestand, headers={**sleutel, **CSV}, params={"proefdraai": "true"})
    per_rij = client.post("/v1/imports", content=bestand, headers={**sleutel, **CSV}, params={"perRij": "true"})
    assert atomair.status_code == 400, atomair.text
    assert atomair.json()["invalidParams"][0]["name"] == "perRij"
    assert "`perRij=true`" in atomair.json()["invalidParams"][0]["reason"]
    assert proef.status_code == 400 and proef.json()["invalidParams"][0]["name"] == "proefdraai"
    assert per_rij.status_code == 202, per_rij.text
    assert [p.name for p in taken.uploadmap().iterdir()] == []  # refused uploads are not kept
    assert per_rij.json()["status"] == "wachtend"
    assert client.get(per_rij.headers["Location"], headers=sleutel).json()["status"] == "geslaagd"


def test_a_file_over_the_row_limit_fails_before_any_row_is_imported(engine_taken: Engine, omgeving: Omgeving,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Counted first (reading alone is ~100 times faster than importing), so it fails in seconds, not minutes."""
    from app.imports import verwerking

    monkeypatch.setenv("SLEUTELMONITOR_MAX_IMPORT_RIJEN", "1000")
    get_settings.cache_clear()
    verwerkt: list[int] = []
    echte_verwerk = verwerking.Run.verwerk

    def verwerk(self: verwerking.Run, rij) -> None:  # type: ignore[no-untyped-def]
        verwerkt.append(rij.nummer)
        echte_verwerk(self, rij)

    monkeypatch.setattr(verwerking.Run, "verwerk", verwerk)
    binnen = _achtergelaten(engine_taken, omgeving, _bestand(1000), pogingen=0)
    taken.herstel()
    assert _run(engine_taken, binnen.id).status == "geslaagd"
    assert len(verwerkt) == 1000  # the baseline: a file at the limit is imported row by row

    verwerkt.clear()
    erover = _achtergelaten(engine_taken, omgeving, _bestand(1001), pogingen=0)
    taken.herstel()
    mislukt = _run(engine_taken, erover.id)
    assert mislukt.status == "mislukt"
    assert mislukt.rapport["melding"] == "Het bestand heeft meer dan 1000 rijen; dat is de grens. Splits het bestand. Er is niets opgeslagen."
    assert verwerkt == []  # not one row validated or written before it failed
    assert not _upload_er(engine_taken, erover)


@pytest.mark.skipif(BACKEND != "sqlite", reason="SQLite's single write slot")
def test_a_job_too_large_for_its_mode_on_sqlite_fails_with_the_reason(engine_taken: Engine, omgeving: Omgeving,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A job that reached the queue another way (the dashboard) is refused by the job itself."""
    monkeypatch.setenv("SLEUTELMONITOR_SQLITE_ATOMAIR_MAX_MB", "0.001")
    get_settings.cache_clear()
    run = _achtergelaten(engine_taken, omgeving, _bestand(40), pogingen=0)
    taken.herstel()
    mislukt = _run(engine_taken, run.id)
    assert mislukt.status == "mislukt"
    assert mislukt.rapport["melding"].startswith("Een atomaire import (alles of niets) van een bestand groter dan 0.001 MB")
    assert mislukt.rapport["melding"].endswith("Er is niets opgeslagen.")
    assert _aantal(engine_taken, omgeving) == 0


# Issue 22, finding 4: as a job, a lone surrogate was stored in the report, and from then on the run
# answered 500 on every read and could not be deleted. Each of these now ends with a Dutch reason.
JOBCORPUS = [b for b in corpus() if b[0] in {
    "surrogaat.ndjson", "surrogaat-in-sleutel.ndjson", "nul-teken.ndjson", "genest-lijst.ndjson", "getal-5001-cijfers.ndjson",
    "gedeelde-tekst-buiten-bereik.xlsx", "onbekende-compressie.xlsx", "lid-kapot-xl_worksheets_sheet1.xml.xlsx",
    "surrogaat-escape.xlsx", "nul-bytes.csv",
}]
MEDIATYPEN = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              "ndjson": "application/x-ndjson"}


@pytest.mark.parametrize(("naam", "formaat", "inhoud"), JOBCORPUS, ids=[b[0] for b in JOBCORPUS])
def test_a_malformed_file_as_a_job_ends_with_a_readable_report(client: TestClient, sleutel: dict[str, str],
                                                                naam: str, formaat: str, inhoud: bytes) -> None:
    opvulling = {"ndjson": b"\n" * 600, "csv": b"\r\n" * 600, "xlsx": b""}[formaat]  # over the 512 bytes of a job
    antwoord = client.post("/v1/imports?perRij=true", content=inhoud + opvulling,
                           headers={**sleutel, "Content-Type": MEDIATYPEN[formaat]})
    assert antwoord.status_code == 202, antwoord.text
    locatie = antwoord.headers["Location"]
    run = client.get(locatie, headers=sleutel)
    assert run.status_code == 200, run.text
    assert run.json()["status"] in ("mislukt", "gedeeltelijk") and "onverwacht" not in (run.json()["melding"] or "")
    assert client.get(f"{locatie}/fouten", headers=sleutel).status_code == 200
    assert client.delete(locatie, headers=sleutel).status_code == 204
    assert client.get(locatie, headers=sleutel).status_code == 404
