"""The logs keep no query strings, statement parameters or cell values."""

import io
import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from app.core.logs import JsonFormatter
from app.main import create_app
from tests.conftest import BACKEND

GEHEIM = "C001-geheim"


def _vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_access_log_has_the_path_but_not_the_query_string(engine: Engine, capfd: pytest.CaptureFixture[str]) -> None:
    # The server as `sleutelmonitor serve` starts it: uvicorn's own logging config, the app from its factory.
    poort = _vrije_poort()
    server = uvicorn.Server(uvicorn.Config("app.main:create_app", factory=True, host="127.0.0.1", port=poort, log_level="info"))
    draad = threading.Thread(target=server.run, daemon=True)
    draad.start()
    try:
        for _ in range(200):
            if server.started:
                break
            time.sleep(0.05)
        assert server.started
        antwoord = httpx.get(f"http://127.0.0.1:{poort}/v1/contactmomenten?externId={GEHEIM}&inwonerReferentie={GEHEIM}")
    finally:
        server.should_exit = True
        draad.join(timeout=10)
    uitvoer = "".join(capfd.readouterr())
    assert f'"GET /v1/contactmomenten HTTP/1.1" {antwoord.status_code}' in uitvoer
    assert GEHEIM not in uitvoer


def test_database_errors_carry_no_statement_parameters(engine: Engine) -> None:
    with engine.connect() as verbinding, pytest.raises(DBAPIError) as fout:
        verbinding.execute(text("INSERT INTO organisatie (naam) VALUES (:naam)"), {"naam": GEHEIM})
    assert "[SQL parameters hidden due to hide_parameters=True]" in str(fout.value)
    assert "[parameters:" not in str(fout.value)


def test_a_logged_database_error_shows_no_row_values(engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    # PostgreSQL quotes the failing row in its DETAIL ("Failing row contains (null, C001-geheim, …)").
    create_app()
    with engine.connect() as verbinding:
        for statement in ("INSERT INTO organisatie (naam) VALUES (:naam)", "SELECT CAST(:naam AS INTEGER)"):
            try:
                verbinding.execute(text(statement), {"naam": GEHEIM})
            except DBAPIError:
                logging.getLogger("app.test").exception("Onverwachte fout")
            verbinding.rollback()
    assert caplog.text.count("Onverwachte fout") >= 1
    assert "Traceback" in caplog.text
    assert GEHEIM not in caplog.text


# --- JSON lines and the request id (issue 30) -------------------------------------------------------

EIGEN_ID = "0f8e5d2c-4b1a-4c3d-9e7f-a1b2c3d4e5f6"


def test_every_response_carries_a_request_id_problems_too(client: TestClient) -> None:
    antwoorden = [
        client.get("/v1/status"),
        client.get("/v1/bestaat-niet"),  # 404 problem
        client.delete("/v1/status"),  # 405 problem
        client.post("/v1/organisaties", content=b"x" * 2_000_000, headers={"Content-Type": "application/json"}),  # 413
        client.get("/metrics"),  # off: 404 outside /v1
    ]
    ids = [antwoord.headers["X-Request-ID"] for antwoord in antwoorden]
    assert antwoorden[3].status_code == 413
    assert all(uuid.UUID(id_) for id_ in ids) and len(set(ids)) == len(ids)
    # A sane incoming id is kept (a proxy's or a client's trace id); anything else is replaced.
    assert client.get("/v1/status", headers={"X-Request-ID": EIGEN_ID}).headers["X-Request-ID"] == EIGEN_ID
    for onzin in ("123456782", "kort", "a b c d e f g h i j k l", "x" * 200, "<script>alert(1)</script>xxxxxxx"):
        terug = client.get("/v1/status", headers={"X-Request-ID": onzin}).headers["X-Request-ID"]
        assert terug != onzin and uuid.UUID(terug)


def test_a_logged_database_error_in_json_shows_no_row_values(engine: Engine) -> None:
    create_app()
    uitvoer = io.StringIO()
    handler = logging.StreamHandler(uitvoer)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("app.test.json")
    logger.addHandler(handler)
    try:
        with engine.connect() as verbinding:
            for statement in ("INSERT INTO organisatie (naam) VALUES (:naam)", "SELECT CAST(:naam AS INTEGER)"):
                try:
                    verbinding.execute(text(statement), {"naam": GEHEIM})
                except DBAPIError:
                    logger.exception("Onverwachte fout")
                verbinding.rollback()
    finally:
        logger.removeHandler(handler)
    regels = [json.loads(regel) for regel in uitvoer.getvalue().splitlines()]
    assert regels and all(regel["message"] == "Onverwachte fout" and regel["level"] == "ERROR" for regel in regels)
    assert all("Traceback" in regel["exception"] for regel in regels)
    assert GEHEIM not in uitvoer.getvalue()


@pytest.mark.skipif(BACKEND != "sqlite", reason="the log format does not depend on the database")
def test_serve_writes_json_lines_with_the_request_id_and_no_query_string(tmp_path: Path) -> None:
    omgeving = {
        **os.environ,
        "SLEUTELMONITOR_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
        "SLEUTELMONITOR_LOG_FORMAAT": "json",
    }
    wortel = Path(__file__).parent.parent
    subprocess.run([sys.executable, "-m", "app.cli", "migrate"], env=omgeving, check=True, capture_output=True, cwd=wortel)
    poort = _vrije_poort()
    server = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(poort)],
        env=omgeving, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=wortel,
    )
    basis = f"http://127.0.0.1:{poort}"
    try:
        einde = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{basis}/v1/status/live", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < einde and server.poll() is None, "the server did not start"
            time.sleep(0.3)
        antwoord = httpx.get(f"{basis}/v1/contactmomenten?externId={GEHEIM}", headers={"X-Request-ID": EIGEN_ID})
        nieuw = httpx.get(f"{basis}/v1/status", headers={"X-Request-ID": "123456782"})
    finally:
        server.terminate()
        uit, fout = server.communicate(timeout=60)
    assert antwoord.headers["X-Request-ID"] == EIGEN_ID
    tekst = uit.decode() + fout.decode()
    regels = [json.loads(regel) for regel in tekst.splitlines() if regel.strip()]  # every line is one JSON object
    toegang = [regel for regel in regels if regel["logger"] == "uvicorn.access"]
    eigen = next(regel for regel in toegang if regel.get("request_id") == EIGEN_ID)
    assert eigen["path"] == "/v1/contactmomenten" and eigen["status"] == antwoord.status_code
    assert eigen["method"] == "GET" and set(eigen) >= {"time", "level", "message"}
    assert any(regel.get("request_id") == nieuw.headers["X-Request-ID"] for regel in toegang)
    assert any(regel["logger"].startswith("uvicorn") and "Application startup complete" in regel["message"] for regel in regels)
    assert GEHEIM not in tekst and "123456782" not in tekst
