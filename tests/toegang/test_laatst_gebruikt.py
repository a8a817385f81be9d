"""lastUsedAt is written beside the request, best effort: a GET never writes in its own transaction,
never waits for a busy database and never fails by it; writes wait a bounded time, then get 503.

On a database of its own with real commits, because the write happens in its own transaction.
"""

import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, text
from sqlmodel import Session, select

from app.core import db
from app.models import ApiSleutel
from app.toegang.dependencies import gebruik, rate_limiter
from tests.conftest import BACKEND, DatabaseFactory
from tests.factories import Omgeving, make_omgeving


@pytest.fixture(scope="module")
def eigen_engine(databases: DatabaseFactory) -> Iterator[Engine]:
    engine = databases.new_engine()
    yield engine
    engine.dispose()


@pytest.fixture
def omgeving(eigen_engine: Engine) -> Omgeving:
    with Session(eigen_engine, expire_on_commit=False) as session:
        resultaat = make_omgeving(session)
        session.commit()
    return resultaat


@pytest.fixture
def client(eigen_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    from app.main import create_app

    rate_limiter.reset()
    monkeypatch.setattr(db, "get_engine", lambda: eigen_engine)
    with TestClient(create_app(), raise_server_exceptions=False) as test_client:
        yield test_client


def _laatst_gebruikt(engine: Engine, omgeving: Omgeving):  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        return session.exec(select(ApiSleutel.laatst_gebruikt_op).where(ApiSleutel.organisatie_id == omgeving.organisatie.id)).one()


def test_use_is_recorded_as_laatst_gebruikt_op(client: TestClient, eigen_engine: Engine, omgeving: Omgeving) -> None:
    assert _laatst_gebruikt(eigen_engine, omgeving) is None
    assert client.get("/v1/sleutelpersonen", headers=omgeving.headers).status_code == 200
    gebruik.wacht()
    assert _laatst_gebruikt(eigen_engine, omgeving) is not None


def test_reads_succeed_at_once_while_a_long_writer_holds_the_database(
    client: TestClient, eigen_engine: Engine, omgeving: Omgeving, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As during a long import: SQLite's write slot taken, or on PostgreSQL the key's row locked."""
    monkeypatch.setattr(db, "BUSY_TIMEOUT_SECONDEN", 1.0)
    houder = Session(db.schrijvend_met_wachttijd(eigen_engine, 5.0))
    try:
        if BACKEND == "sqlite":
            houder.execute(text("UPDATE organisatie SET naam = naam WHERE id = 'geen'"))  # takes the slot
        else:
            houder.execute(select(ApiSleutel).where(ApiSleutel.organisatie_id == omgeving.organisatie.id).with_for_update())
        # Instrumented, not timed: every write (and every wait for SQLite's write slot) while the GETs run.
        schrijven, slotpogingen = [], []

        def noteer(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            if "rate_limit_teller" in statement:
                # PostgreSQL's shared rate-limit count: an autocommit upsert of its own row beside the request's
                # transaction; it touches nothing the writer holds (tests/toegang/test_rate_limit_gedeeld.py).
                return
            if re.match(r"\s*(INSERT|UPDATE|DELETE|BEGIN IMMEDIATE|SELECT .* FOR UPDATE)", statement, re.IGNORECASE | re.DOTALL):
                schrijven.append((threading.current_thread().name, statement.split()[0].upper()))

        echte_neem = db._Schrijfslot.neem

        def neem(slot: Any, wachttijd: float = db.BUSY_TIMEOUT_SECONDEN) -> bool:
            slotpogingen.append((threading.current_thread().name, wachttijd))
            return echte_neem(slot, wachttijd)

        monkeypatch.setattr(db._Schrijfslot, "neem", neem)
        event.listen(eigen_engine, "before_cursor_execute", noteer)
        try:
            for _ in range(5):
                gelezen = client.get("/v1/sleutelpersonen", headers=omgeving.headers)
                assert gelezen.status_code == 200, gelezen.text
            gebruik.wacht()
        finally:
            event.remove(eigen_engine, "before_cursor_execute", noteer)
            monkeypatch.setattr(db._Schrijfslot, "neem", echte_neem)
        # None of them waited for the writer: the requests wrote nothing in their own transactions and
        # asked for no write slot; the one write, lastUsedAt, ran beside them and gave up at once.
        assert all(draad.startswith("laatst-gebruikt") for draad, _ in schrijven), schrijven
        assert all(draad.startswith("laatst-gebruikt") and wachttijd == 0 for draad, wachttijd in slotpogingen), slotpogingen
        # It did try: on SQLite it found the slot taken, on PostgreSQL its UPDATE met the row lock.
        assert slotpogingen if BACKEND == "sqlite" else schrijven
        if BACKEND == "sqlite":
            # A write queues for the busy timeout, then gets a 503 with Retry-After, not a 500.
            geschreven = client.post("/v1/sleutelpersonen", headers=omgeving.headers, json={"weergavenaam": "Nieuw N."})
            assert geschreven.status_code == 503, geschreven.text
            assert geschreven.headers["Retry-After"] == "5"
            assert geschreven.json()["detail"].startswith("De database is bezet door een andere schrijver")
        gebruik.wacht()
    finally:
        houder.rollback()
        houder.close()
    assert _laatst_gebruikt(eigen_engine, omgeving) is None  # skipped while busy: it is only a hint
