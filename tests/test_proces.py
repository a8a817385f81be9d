"""Serving: workers die with their supervisor, a stop hands import jobs back, slow or vanished clients cost nothing."""

import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import httpx
import pytest

from tests.conftest import BACKEND


def _vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _kinderen(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _leeft(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux") or BACKEND != "sqlite", reason="Linux; one database is enough")
def test_workers_die_when_the_supervisor_is_killed(tmp_path: Path) -> None:
    poort = _vrije_poort()
    omgeving = {
        **os.environ,
        "SLEUTELMONITOR_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
        "SLEUTELMONITOR_ENVIRONMENT": "test",
    }
    subprocess.run([sys.executable, "-m", "app.cli", "migrate"], env=omgeving, check=True, capture_output=True,
                   cwd=Path(__file__).parent.parent)
    server = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(poort), "--workers", "2"],
        env=omgeving, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=Path(__file__).parent.parent,
    )
    try:
        einde = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{poort}/v1/status", timeout=2) as antwoord:
                    assert antwoord.status == 200
                    break
            except OSError:
                assert time.monotonic() < einde, "the server did not start"
                time.sleep(0.3)
        werkers = [p for kind in _kinderen(server.pid) for p in [kind, *_kinderen(kind)]]
        assert werkers
        server.send_signal(signal.SIGKILL)
        server.wait()
        einde = time.monotonic() + 15
        while any(_leeft(p) for p in werkers) and time.monotonic() < einde:
            time.sleep(0.2)
        assert not any(_leeft(p) for p in werkers), "a worker outlived its supervisor"
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", poort))  # the port is free for a restart
    finally:
        if server.poll() is None:
            server.kill()


# --- Process limits, slow clients, disconnects and a stop during an import job (issue 22, finding 6) ---


def test_serve_gives_uvicorn_a_generous_health_check_and_the_time_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    from app.cli import uvicorn_opties
    from app.core.config import get_settings
    from app.core.proces import BegrensdHttp

    get_settings.cache_clear()
    try:
        standaard = uvicorn.Config(**uvicorn_opties(host="127.0.0.1", port=8000, workers=2, reload=False))
        monkeypatch.setenv("SLEUTELMONITOR_WORKER_HEALTHCHECK_SECONDEN", "120")
        monkeypatch.setenv("SLEUTELMONITOR_GRACEFUL_SHUTDOWN_SECONDEN", "7")
        get_settings.cache_clear()
        ingesteld = uvicorn.Config(**uvicorn_opties(host="127.0.0.1", port=8000, workers=2, reload=False))
    finally:
        get_settings.cache_clear()
    # uvicorn's own 5 s killed healthy workers on a loaded machine.
    assert standaard.timeout_worker_healthcheck == 60 > uvicorn.Config("x:y").timeout_worker_healthcheck
    assert standaard.timeout_graceful_shutdown == 30
    assert (ingesteld.timeout_worker_healthcheck, ingesteld.timeout_graceful_shutdown) == (120, 7)
    ingesteld.load()
    assert ingesteld.http_protocol_class is BegrensdHttp


@pytest.fixture
def met_sleutel(databases, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """A database of its own behind the app, with an organisation; yields its key's headers."""
    from sqlmodel import Session

    from app.core import db
    from tests.factories import make_omgeving

    engine = databases.new_engine()
    monkeypatch.setattr(db, "get_engine", lambda: engine)
    with Session(engine) as session:
        omgeving = make_omgeving(session)
        session.commit()
    yield omgeving.headers
    engine.dispose()


@pytest.fixture
def korte_termijnen(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from app.core.config import get_settings

    monkeypatch.setenv("SLEUTELMONITOR_HEADER_TIMEOUT_SECONDEN", "1")
    monkeypatch.setenv("SLEUTELMONITOR_BODY_TIMEOUT_SECONDEN", "1")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_slow_headers_and_stalled_bodies_are_dropped(met_sleutel: dict[str, str], korte_termijnen) -> None:  # type: ignore[no-untyped-def]
    from app.core.proces import BegrensdHttp
    from app.main import create_app
    from tests.server import draaiende_server, is_gesloten, open_verbinding

    traag = [b"GET /v1/status HTTP/1.1\r\nHost: test\r\n", b"", b"POST /v1/imp"]
    # Authenticated, so the route waits for the rest of the body.
    stil = [(
        "POST /v1/imports HTTP/1.1\r\nHost: test\r\nContent-Type: text/csv\r\n"
        f"Authorization: {met_sleutel['Authorization']}\r\nContent-Length: 1000\r\n\r\nDatum;"
    ).encode()]
    # Baseline: uvicorn's own protocol keeps them all open.
    with draaiende_server(create_app(), http="httptools") as poort:
        verbindingen = [open_verbinding(poort, kop) for kop in traag + stil]
        try:
            assert [is_gesloten(v, 3) for v in verbindingen] == [False] * len(verbindingen)
        finally:
            for v in verbindingen:
                v.close()
    with draaiende_server(create_app(), http=BegrensdHttp) as poort:
        verbindingen = [open_verbinding(poort, kop) for kop in (traag + stil) * 10]
        try:
            gesloten = [is_gesloten(v, 20) for v in verbindingen]
        finally:
            for v in verbindingen:
                v.close()
        assert all(gesloten), f"{gesloten.count(False)} of {len(gesloten)} slow connections stayed open"
        # A client that sends in time is served as before.
        assert httpx.get(f"http://127.0.0.1:{poort}/v1/status").status_code == 200


def test_a_client_that_disconnects_mid_upload_is_logged_as_such_not_as_an_error(
    met_sleutel: dict[str, str], caplog: pytest.LogCaptureFixture,
) -> None:
    from app.main import create_app
    from tests.server import draaiende_server, open_verbinding

    caplog.set_level(logging.INFO)
    with draaiende_server(create_app()) as poort:
        verbinding = open_verbinding(poort, (
            "POST /v1/imports HTTP/1.1\r\nHost: test\r\nContent-Type: text/csv\r\n"
            f"Authorization: {met_sleutel['Authorization']}\r\nContent-Length: 5000000\r\n\r\n"
        ).encode() + b"Datum;Sleutelpersoon\r\n" * 5000)
        verbinding.close()
        einde = time.monotonic() + 30
        while not any("disconnected" in r.getMessage() or "Unhandled" in r.getMessage() for r in caplog.records):
            assert time.monotonic() < einde, "the server noticed nothing"
            time.sleep(0.05)
        assert httpx.get(f"http://127.0.0.1:{poort}/v1/status").status_code == 200
    fouten = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not fouten, [r.getMessage() for r in fouten]
    assert any(
        r.levelno == logging.INFO and "POST /v1/imports: the client disconnected" in r.getMessage() for r in caplog.records
    )


@pytest.mark.skipif(not sys.platform.startswith("linux") or BACKEND != "sqlite", reason="Linux; one database is enough")
def test_sigterm_during_an_import_job_hands_the_job_back_and_the_next_start_runs_it(tmp_path: Path) -> None:
    from sqlmodel import Session, func, select

    from app.core.db import make_engine
    from app.imports import opslag
    from app.models import Contactmoment, ImportRun
    from tests.factories import make_key
    from tests.imports.helpers import csv_bytes, maak_omgeving, rij

    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    omgeving = {
        **os.environ,
        "SLEUTELMONITOR_DATABASE_URL": url,
        "SLEUTELMONITOR_ENVIRONMENT": "test",
        "SLEUTELMONITOR_IMPORT_MAP": str(tmp_path / "uploads"),
        "SLEUTELMONITOR_IMPORT_POLL_SECONDEN": "1",
    }
    wortel = Path(__file__).parent.parent
    subprocess.run([sys.executable, "-m", "app.cli", "migrate"], env=omgeving, check=True, capture_output=True, cwd=wortel)
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        org = maak_omgeving(session)
        headers = make_key(session, organisatie=org.organisatie, scopes=("registreren", "inzien"))
        session.commit()
    # Over the 1 MB above which an upload becomes a job (and under SQLite's 2 MB for atomic imports):
    # some 13,000 rows, seconds of work.
    bestand = csv_bytes(
        [rij(Datum=f"{d % 28 + 1}-{d // 28 % 12 + 1}-2024", Duur_min=str(d % 300 + 1), Cliëntnummer=f"C{d}") for d in range(13_000)]
    )
    assert 1_048_576 < len(bestand) < 2 * 1_048_576

    def start() -> tuple[subprocess.Popen[bytes], str]:
        poort = _vrije_poort()
        server = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(poort)],
            env=omgeving, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=wortel,
        )
        basis = f"http://127.0.0.1:{poort}"
        einde = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{basis}/v1/status", timeout=2).status_code == 200:
                    return server, basis
            except httpx.HTTPError:
                pass
            assert time.monotonic() < einde and server.poll() is None, "the server did not start"
            time.sleep(0.3)

    def aantal() -> int:
        with Session(engine) as session:
            return session.exec(select(func.count()).select_from(Contactmoment)).one()

    server, basis = start()
    try:
        antwoord = httpx.post(f"{basis}/v1/imports", content=bestand, headers={**headers, "Content-Type": "text/csv"}, timeout=60)
        assert antwoord.status_code == 202, antwoord.text
        locatie = basis + antwoord.headers["Location"]
        einde = time.monotonic() + 120
        while not (httpx.get(locatie, headers=headers).json().get("verwerkt") or 0) > 0:
            assert time.monotonic() < einde, "the job did not start"
            time.sleep(0.2)
        server.send_signal(signal.SIGTERM)
        _, fouten = server.communicate(timeout=120)
    finally:
        if server.poll() is None:
            server.kill()
    log = fouten.decode(errors="replace")
    # uvicorn ends by raising the signal it caught again, with its default action (-15).
    assert server.returncode in (0, -signal.SIGTERM), log
    with Session(engine) as session:
        run = session.exec(select(ImportRun)).one()
        assert (run.status, run.werker, run.pogingen) == ("wachtend", None, 0), log
        assert run.upload_id is not None and opslag.bestaat(session, run.upload_id)  # kept for the next start
    assert aantal() == 0  # rolled back, not half-written
    assert "handed back" in log

    server, basis = start()  # the next start runs it from the start
    try:
        einde = time.monotonic() + 600
        while (status := httpx.get(locatie.replace(locatie.split("/v1")[0], basis), headers=headers).json())["status"] in ("wachtend", "bezig"):
            assert time.monotonic() < einde, status
            time.sleep(1)
    finally:
        server.send_signal(signal.SIGTERM)
        server.communicate(timeout=120)
    assert (status["status"], status["aangemaakt"]) == ("geslaagd", aantal())
    engine.dispose()
