"""Honest answers during outages: a 503 problem with Retry-After, never a 500, on the real databases.

Each test points the production request dependency at a database of its own (or at none: a closed
port, a read-only file), through `app.core.db.get_engine`; nothing is mocked.
"""

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlmodel import Session

from app.core import db
from app.core.config import get_settings
from app.core.db import SessionDep
from app.core.errors import install_error_handlers
from tests.conftest import BACKEND, DatabaseFactory
from tests.factories import make_omgeving


def _vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _is_503(response, *, niets_opgeslagen: bool) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert int(response.headers["Retry-After"]) > 0
    body = response.json()
    assert body["title"] == "Dienst niet beschikbaar"
    assert ("Er is niets opgeslagen." in body["detail"]) is niets_opgeslagen
    return body


@pytest.fixture
def app_op(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """The real app, its request sessions on the given engine."""
    from app.main import create_app

    def maak(engine: Engine) -> TestClient:
        monkeypatch.setattr(db, "get_engine", lambda: engine)
        return TestClient(create_app(), raise_server_exceptions=False)

    return maak


@pytest.fixture
def eigen_db(databases: DatabaseFactory) -> Iterator[Engine]:
    engine = databases.new_engine()
    yield engine
    engine.dispose()


def test_database_refusing_connections_is_503_for_reads_writes_and_status(app_op) -> None:  # type: ignore[no-untyped-def]
    """Nothing listens on the port (PostgreSQL stopped or restarting): 503 with Retry-After, never 500."""
    dood = db.make_engine(f"postgresql+psycopg://sm:sm@127.0.0.1:{_vrije_poort()}/sm", connect_args={"connect_timeout": 2})
    with app_op(dood) as client:
        headers = {"Authorization": "Bearer smk_abcdefgh_" + "x" * 32}
        _is_503(client.get("/v1/contactmomenten", headers=headers), niets_opgeslagen=False)
        _is_503(client.post("/v1/contactmomenten", headers=headers, json={}), niets_opgeslagen=True)
        status = client.get("/v1/status")
        assert status.status_code == 503 and status.json()["detail"] == "De database is niet bereikbaar."
        assert status.headers["Retry-After"] == "30"


@pytest.mark.skipif(BACKEND != "sqlite", reason="a read-only SQLite file")
def test_read_only_sqlite_file_is_503_for_writes_and_status_says_so(eigen_db: Engine, app_op) -> None:  # type: ignore[no-untyped-def]
    with Session(eigen_db) as session:
        omgeving = make_omgeving(session)
        session.commit()
    bestand = Path(eigen_db.url.database or "")
    alleen_lezen = db.make_engine(f"sqlite:///file:{bestand}?mode=ro&uri=true")
    with app_op(alleen_lezen) as client:
        gelezen = client.get("/v1/sleutelpersonen", headers=omgeving.headers)
        assert gelezen.status_code == 200, gelezen.text  # reads still work
        body = _is_503(
            client.post("/v1/sleutelpersonen", headers=omgeving.headers, json={"weergavenaam": "Nieuw N."}),
            niets_opgeslagen=True,
        )
        assert body["detail"].startswith("De database of haar schijf is alleen-lezen.")
        status = client.get("/v1/status")
        assert status.status_code == 503 and status.json()["detail"] == "De database is alleen-lezen geopend."
    alleen_lezen.dispose()


def test_status_reports_a_full_disk(eigen_db: Engine, app_op, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    # A disk is "full" below the configured free space; asking for more than any disk has shows it.
    monkeypatch.setenv("SLEUTELMONITOR_MIN_VRIJE_SCHIJF_MB", str(10**12))
    get_settings.cache_clear()
    try:
        with app_op(eigen_db) as client:
            status = client.get("/v1/status")
    finally:
        monkeypatch.delenv("SLEUTELMONITOR_MIN_VRIJE_SCHIJF_MB")
        get_settings.cache_clear()
    assert status.status_code == 503
    assert status.json()["detail"].endswith("is (bijna) vol.")
    with app_op(eigen_db) as client:
        assert client.get("/v1/status").json()["schijf"] == "beschikbaar"


def test_a_slow_query_is_stopped_by_the_statement_timeout_and_answered_503(eigen_db: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLEUTELMONITOR_STATEMENT_TIMEOUT_SECONDEN", "1")
    get_settings.cache_clear()
    monkeypatch.setattr(db, "get_engine", lambda: eigen_db)
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/traag")
    def traag(session: SessionDep) -> int:
        if eigen_db.dialect.name == "postgresql":
            return session.execute(text("SELECT 1 FROM pg_sleep(20)")).scalar_one()
        # Runs for minutes without the limit: a recursive count to a billion.
        return session.execute(text(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000000) SELECT count(*) FROM n"
        )).scalar_one()

    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            response = client.get("/traag")
    finally:
        get_settings.cache_clear()
    # The answer itself says the statement was stopped (not timed: without the limit it would end,
    # minutes later, in a 200).
    body = _is_503(response, niets_opgeslagen=False)
    assert body["detail"].startswith("Het verzoek duurde te lang en is afgebroken")
    if eigen_db.dialect.name == "postgresql":
        # The query stopped in the server too, not only in the client.
        with eigen_db.connect() as connection:
            bezig = connection.execute(text("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(20)%' AND pid <> pg_backend_pid()")).scalar_one()
        assert bezig == 0


@pytest.mark.skipif(BACKEND != "postgresql", reason="a connection lost during COMMIT (PostgreSQL)")
def test_a_commit_whose_connection_is_lost_says_the_outcome_is_unknown(eigen_db: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db, "get_engine", lambda: eigen_db)
    app = FastAPI()
    install_error_handlers(app)
    with eigen_db.begin() as connection:
        connection.execute(text("CREATE TABLE notitie (tekst VARCHAR(20) PRIMARY KEY)"))

    @app.post("/schrijf")
    def schrijf(session: SessionDep) -> None:
        session.execute(text("INSERT INTO notitie (tekst) VALUES ('x')"))
        pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        # The server ends this connection before the dependency commits (a crash, a failover).
        with eigen_db.connect() as ander:
            ander.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.post("/schrijf")
    assert response.status_code == 503
    body = response.json()
    assert body["title"] == "Uitkomst onbekend"
    assert "onbekend" in body["detail"] and "`externId`" in body["detail"]
    assert "niet opgeslagen" not in body["detail"]


@pytest.mark.skipif(BACKEND != "postgresql", reason="a connection lost mid-transaction (PostgreSQL restart)")
def test_a_connection_lost_mid_transaction_is_503_not_500(eigen_db: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """As in a PostgreSQL restart: the rollback of the dead connection once raised PendingRollbackError (500)."""
    monkeypatch.setattr(db, "get_engine", lambda: eigen_db)
    app = FastAPI()
    install_error_handlers(app)
    with eigen_db.begin() as connection:
        connection.execute(text("CREATE TABLE notitie2 (tekst VARCHAR(20) PRIMARY KEY)"))

    @app.post("/schrijf")
    def schrijf(session: SessionDep) -> None:
        session.execute(text("INSERT INTO notitie2 (tekst) VALUES ('x')"))
        pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with eigen_db.connect() as ander:
            ander.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        session.execute(text("SELECT 1"))

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.post("/schrijf")
    body = _is_503(response, niets_opgeslagen=True)
    assert body["detail"].startswith("De database is niet bereikbaar.")
