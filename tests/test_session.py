"""The production request dependency `get_session`: it owns the transaction (the other tests override it)."""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from app.core import db
from app.core.config import get_settings
from app.core.db import SessionDep, make_engine


def test_get_session_commits_after_success_and_rolls_back_after_an_error(
    fresh_database_url: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(fresh_database_url())
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE notitie (tekst VARCHAR(20) PRIMARY KEY)"))
    monkeypatch.setattr(db, "get_engine", lambda: engine)
    app = FastAPI()

    @app.post("/gelukt")
    def gelukt(session: SessionDep) -> None:
        session.execute(text("INSERT INTO notitie (tekst) VALUES ('gelukt')"))

    @app.post("/mislukt")
    def mislukt(session: SessionDep) -> None:
        session.execute(text("INSERT INTO notitie (tekst) VALUES ('mislukt')"))
        raise RuntimeError("after the write")

    @app.get("/gelezen")
    def gelezen(session: SessionDep) -> list[str]:
        return list(session.execute(text("SELECT tekst FROM notitie ORDER BY tekst")).scalars())

    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.post("/gelukt").status_code == 200
        assert client.post("/mislukt").status_code == 500
        assert client.get("/gelezen").json() == ["gelukt"]
    with engine.connect() as connection:
        assert list(connection.execute(text("SELECT tekst FROM notitie")).scalars()) == ["gelukt"]
    engine.dispose()


def test_http_tests_run_through_the_production_request_session(app: FastAPI, session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """The `app` fixture's requests get production's session class, its statement timeout and, on SQLite,
    the write slot for a writing request (tests/conftest.py, `productiesessie`), inside the test's transaction."""
    monkeypatch.setenv("SLEUTELMONITOR_STATEMENT_TIMEOUT_SECONDEN", "7")
    get_settings.cache_clear()
    gezien: dict[str, Any] = {}

    def bekijk(sessie: Session, soort: str) -> None:
        verbinding = sessie.connection()
        gezien[soort] = {"klasse": type(sessie)}
        if verbinding.dialect.name == "postgresql":
            gezien[soort]["timeout"] = verbinding.exec_driver_sql("SHOW statement_timeout").scalar_one()
        else:
            dbapi = verbinding.connection.dbapi_connection
            gezien[soort]["timeout"] = dbapi.deadline is not None
            gezien[soort]["slot"] = dbapi.houdt_slot

    @app.get("/_sessie")
    def lezen(sessie: SessionDep) -> None:
        bekijk(sessie, "GET")

    @app.post("/_sessie")
    def schrijven(sessie: SessionDep) -> None:
        bekijk(sessie, "POST")

    try:
        with TestClient(app) as client:
            assert client.get("/_sessie").status_code == 200
            assert client.post("/_sessie").status_code == 200
    finally:
        get_settings.cache_clear()
    assert gezien["GET"]["klasse"] is gezien["POST"]["klasse"] is db._VerzoekSessie
    if session.get_bind().dialect.name == "postgresql":
        assert gezien["GET"]["timeout"] == gezien["POST"]["timeout"] == "7s"
    else:
        assert gezien["GET"] == {"klasse": db._VerzoekSessie, "timeout": True, "slot": False}
        assert gezien["POST"] == {"klasse": db._VerzoekSessie, "timeout": True, "slot": True}
        # Given back when the request ended, as production's COMMIT does: the test's own statements
        # run without the request's deadline, and another writer can take the slot.
        dbapi = session.connection().connection.dbapi_connection
        assert dbapi.deadline is None and not dbapi.houdt_slot


def test_a_request_in_an_http_test_is_stopped_by_the_statement_timeout(
    app: FastAPI, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As in production (test_storingen.py, on a database of its own), inside the test's transaction."""
    monkeypatch.setenv("SLEUTELMONITOR_STATEMENT_TIMEOUT_SECONDEN", "0.5")
    get_settings.cache_clear()

    @app.get("/_traag")
    def traag(sessie: SessionDep) -> int:
        if sessie.get_bind().dialect.name == "postgresql":
            return sessie.execute(text("SELECT 1 FROM pg_sleep(20)")).scalar_one()
        return sessie.execute(text(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000000) SELECT count(*) FROM n"
        )).scalar_one()

    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            response = client.get("/_traag")
    finally:
        get_settings.cache_clear()
    assert response.status_code == 503, response.text
    assert response.json()["detail"].startswith("Het verzoek duurde te lang en is afgebroken")
    # The test's transaction survived the cancelled request.
    assert session.execute(text("SELECT 1")).scalar_one() == 1
