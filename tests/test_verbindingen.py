"""Slow uploads hold no database connection, and a full pool is an honest 503 (issue 22, finding 3).

A real uvicorn on real sockets: TestClient reads a request body whole before the app sees it, so a
slow upload cannot be made with it. The engine gets a small pool, so a handful of uploads would
take it all if each held a connection while its body streams.
"""

import time
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import Engine, event
from sqlmodel import Session

from app.core import db
from app.main import create_app
from app.toegang.dependencies import rate_limiter
from tests.conftest import DatabaseFactory
from tests.factories import body, make_key, make_omgeving
from tests.server import draaiende_server, open_verbinding

TRAGE_UPLOADS = 6
POOL = {"pool_size": 2, "max_overflow": 2, "pool_timeout": 3}


@pytest.fixture
def kleine_pool(databases: DatabaseFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """A migrated database of its own behind an engine with a pool of 2 + 2 connections."""
    gemigreerd = databases.new_engine()
    engine = db.make_engine(gemigreerd.url.render_as_string(hide_password=False), **POOL)
    gemigreerd.dispose()
    monkeypatch.setattr(db, "get_engine", lambda: engine)
    rate_limiter.reset()
    yield engine
    engine.dispose()


def _sleutelzoekingen(engine: Engine) -> list[str]:
    """Every key lookup on the engine, as it happens (to know the uploads got past authentication)."""
    gezien: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _noteer(_conn, _cursor, statement: str, *_args) -> None:  # type: ignore[no-untyped-def]
        if "FROM api_sleutel" in statement:
            gezien.append(statement)

    return gezien


def test_slow_uploads_with_uncached_keys_leave_the_pool_to_other_requests(kleine_pool: Engine) -> None:
    with Session(kleine_pool) as session:
        omgeving = make_omgeving(session)
        # One key per upload, none cached yet: each upload's authentication reads the database.
        sleutels = [make_key(session, organisatie=omgeving.organisatie, scopes=("registreren",)) for _ in range(TRAGE_UPLOADS)]
        session.commit()
        contactmoment = body(omgeving)
    zoekingen = _sleutelzoekingen(kleine_pool)
    with draaiende_server(create_app()) as poort:
        trage = [
            open_verbinding(poort, (
                "POST /v1/imports HTTP/1.1\r\nHost: test\r\nContent-Type: text/csv\r\n"
                f"Authorization: {sleutel['Authorization']}\r\nContent-Length: 1000000\r\n\r\n"
                "Datum;Sleutelpersoon\r\n"
            ).encode())
            for sleutel in sleutels
        ]
        try:
            einde = time.monotonic() + 30
            while len(zoekingen) < TRAGE_UPLOADS and time.monotonic() < einde:
                time.sleep(0.05)
            assert len(zoekingen) >= TRAGE_UPLOADS, "the uploads did not get past authentication"
            with httpx.Client(base_url=f"http://127.0.0.1:{poort}", timeout=60) as client:
                status = client.get("/v1/status")
                gelezen = client.get("/v1/imports", headers=omgeving.headers)
                geschreven = client.post("/v1/contactmomenten", headers=omgeving.headers, json=contactmoment)
        finally:
            for verbinding in trage:
                verbinding.close()
    assert status.status_code == 200, status.text
    assert gelezen.status_code == 200, gelezen.text
    assert geschreven.status_code == 201, geschreven.text


def test_a_pool_that_stays_full_is_503_with_retry_after(kleine_pool: Engine) -> None:
    """Every connection taken (by whatever): requests wait the pool timeout, then 503, never 500."""
    with Session(kleine_pool) as session:
        omgeving = make_omgeving(session)
        session.commit()
    from fastapi.testclient import TestClient

    with TestClient(create_app(), raise_server_exceptions=False) as client:
        assert client.get("/v1/sleutelpersonen", headers=omgeving.headers).status_code == 200  # key now cached
        bezet = [kleine_pool.connect() for _ in range(POOL["pool_size"] + POOL["max_overflow"])]
        try:
            antwoorden = {
                "lezen": client.get("/v1/sleutelpersonen", headers=omgeving.headers),
                "schrijven": client.post("/v1/sleutelpersonen", headers=omgeving.headers, json={"weergavenaam": "Nieuw N."}),
                "status": client.get("/v1/status"),
            }
        finally:
            for verbinding in bezet:
                verbinding.close()
    for wat, antwoord in antwoorden.items():
        assert antwoord.status_code == 503, (wat, antwoord.text)
        assert antwoord.headers["content-type"] == "application/problem+json"
        assert int(antwoord.headers["Retry-After"]) > 0
        assert "verbindingen" in antwoord.json()["detail"], antwoord.json()
    assert "Er is niets opgeslagen." in antwoorden["schrijven"].json()["detail"]


def test_the_key_lookup_of_a_cache_miss_leaves_no_transaction_open(kleine_pool: Engine) -> None:
    """Authentication alone (a route that then waits) holds no connection: checked on the pool itself."""
    with Session(kleine_pool) as session:
        omgeving = make_omgeving(session)
        session.commit()
    from fastapi import FastAPI

    from app.toegang.dependencies import CallerDep

    app = FastAPI()
    gemeten: list[int] = []

    @app.post("/na-authenticatie")
    async def na_authenticatie(caller: CallerDep, session: db.SessionDep) -> None:
        gemeten.append(kleine_pool.pool.checkedout())  # type: ignore[attr-defined]

    from fastapi.testclient import TestClient

    with TestClient(app) as client:
        assert client.post("/na-authenticatie", headers=omgeving.headers).status_code == 200
    assert gemeten == [0]



def test_the_pool_is_sized_by_the_settings(monkeypatch: pytest.MonkeyPatch, fresh_database_url) -> None:  # type: ignore[no-untyped-def]
    from app.core.config import get_settings

    monkeypatch.setenv("SLEUTELMONITOR_DATABASE_URL", fresh_database_url())
    monkeypatch.setenv("SLEUTELMONITOR_DATABASE_POOL_SIZE", "3")
    monkeypatch.setenv("SLEUTELMONITOR_DATABASE_MAX_OVERFLOW", "7")
    monkeypatch.setenv("SLEUTELMONITOR_DATABASE_POOL_TIMEOUT_SECONDEN", "4")
    get_settings.cache_clear()
    try:
        engine = db.get_engine.__wrapped__()  # made as get_engine makes it, without replacing the cached one
        assert (engine.pool.size(), engine.pool._max_overflow, engine.pool._timeout) == (3, 7, 4)  # type: ignore[attr-defined]
        engine.dispose()
    finally:
        get_settings.cache_clear()
