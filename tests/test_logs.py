"""The logs keep no query strings, statement parameters or cell values."""

import logging
import socket
import threading
import time

import httpx
import pytest
import uvicorn
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from app.main import create_app

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
