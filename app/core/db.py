"""Engine, and the request-scoped session that owns the transaction."""

import contextlib
import fcntl
import os
import sqlite3
import threading
import time
import weakref
from collections.abc import AsyncIterator, Callable
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Connection, Engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session, create_engine

from app.core import caches, spans
from app.core.config import get_settings
from app.core.errors import CommitOnbekend

T = TypeVar("T")


# How long a writer waits for SQLite's write lock, here and in SQLite's own busy handler.
BUSY_TIMEOUT_SECONDEN = 10.0


class _Schrijfslot:
    """One writer at a time on an SQLite file, handed over without SQLite's sleeping busy handler.

    Writers wait for SQLite's write lock in its busy handler, which sleeps 1, 2, 5, ... up to
    100 ms between tries: under load a writer that just missed the lock sleeps while others keep
    taking it, and a few requests wait seconds (p99 of several seconds at 32 clients). Writers of
    this process queue on a lock instead, and processes hand over through flock on a file next to
    the database, polled at most 1 ms apart. After the busy timeout the writer gets SQLite's own
    "database is locked", as before.
    """

    def __init__(self, pad: str | None) -> None:
        self._lock = threading.Lock()
        self._fd = os.open(f"{pad}-schrijfslot", os.O_RDWR | os.O_CREAT, 0o600) if pad else None

    def neem(self, wachttijd: float = BUSY_TIMEOUT_SECONDEN) -> bool:
        einde = time.monotonic() + wachttijd
        if not self._lock.acquire(timeout=wachttijd):
            return False
        if self._fd is None:
            return True
        wacht = 0.00005
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() > einde:
                    self._lock.release()
                    return False
                time.sleep(wacht)
                wacht = min(wacht * 2, 0.001)

    def geef(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._lock.release()


# SQLite's automatic checkpoint runs inside the COMMIT that crosses 1,000 WAL pages, so inside the
# write slot, where its fsync (up to ~200 ms on a busy disk) held up every other writer. It is off
# on our connections; instead a committing connection runs a PASSIVE checkpoint after every this
# many commits of its process, once it has given the slot back (~15 WAL pages per contactmoment).
CHECKPOINT_NA_COMMITS = 50
_COMMITS_SINDS_CHECKPOINT = 0


class _SqliteVerbinding(sqlite3.Connection):
    """A pysqlite connection that gives the write slot back when its transaction ends or it closes."""

    schrijfslot: _Schrijfslot | None = None
    houdt_slot = False
    # A request's time limit (time.monotonic()); the progress handler stops its statement after it.
    deadline: float | None = None

    def _te_laat(self) -> int:
        return 1 if self.deadline is not None and time.monotonic() > self.deadline else 0

    def _geef_slot(self) -> None:
        self.deadline = None
        if self.houdt_slot and self.schrijfslot is not None:
            self.houdt_slot = False
            self.schrijfslot.geef()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self._geef_slot()
        global _COMMITS_SINDS_CHECKPOINT  # a rough per-process counter is enough
        _COMMITS_SINDS_CHECKPOINT += 1
        if _COMMITS_SINDS_CHECKPOINT >= CHECKPOINT_NA_COMMITS:
            _COMMITS_SINDS_CHECKPOINT = 0
            # After the slot is free: a checkpoint waits for fsync, and other writers need not wait for it.
            # The commit succeeded; a checkpoint that cannot run now is simply tried again later.
            with contextlib.suppress(sqlite3.Error):
                self.execute("PRAGMA wal_checkpoint(PASSIVE)").close()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._geef_slot()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._geef_slot()


def _configure_sqlite(engine: Engine, schrijfslot: _Schrijfslot) -> None:
    """WAL, foreign keys, and transactions that SQLAlchemy (not pysqlite) controls."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own BEGIN handling breaks SAVEPOINT; let SQLAlchemy emit BEGIN itself.
        dbapi_connection.isolation_level = None
        if isinstance(dbapi_connection, _SqliteVerbinding):
            dbapi_connection.schrijfslot = schrijfslot
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        # In WAL mode NORMAL loses no committed transaction on an application crash, and stays
        # consistent after a power loss (the last commits before it may be lost); FULL would fsync
        # the WAL on every commit.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_SECONDEN * 1000)}")
        if isinstance(dbapi_connection, _SqliteVerbinding):
            cursor.execute("PRAGMA wal_autocheckpoint=0")  # see CHECKPOINT_NA_COMMITS
            # SQLite has no statement timeout; this aborts a statement ("interrupted") past the deadline.
            dbapi_connection.set_progress_handler(dbapi_connection._te_laat, 100_000)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Writing requests take the write lock up front (IMMEDIATE): a deferred transaction that
        # reads, then writes, fails with "database is locked" at once when another writer got there
        # first (the busy timeout does not cover that upgrade). Writers queue; readers stay deferred.
        immediate = connection.get_execution_options().get("sqlite_immediate", False)
        if immediate:
            # A request waits the busy timeout (then 503); a background job queues longer, a
            # heartbeat not at all (see app/imports/taken.py).
            neem_schrijfslot(connection, connection.get_execution_options().get("sqlite_slot_wachttijd", BUSY_TIMEOUT_SECONDEN))
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def neem_schrijfslot(connection: Any, wachttijd: float = BUSY_TIMEOUT_SECONDEN) -> None:
    """Take the SQLite write slot for this connection until its transaction ends (no-op elsewhere).

    Called when a writing transaction BEGINs. The tests call it too, for a writing request inside
    their enclosing transaction, where no BEGIN happens (tests/conftest.py, `productiesessie`).
    """
    dbapi_connection = connection.connection.dbapi_connection
    if isinstance(dbapi_connection, _SqliteVerbinding) and dbapi_connection.schrijfslot is not None \
            and not dbapi_connection.houdt_slot:
        if not dbapi_connection.schrijfslot.neem(wachttijd):
            # What SQLite itself answers after its busy timeout; the wait was the same.
            raise sqlite3.OperationalError("database is locked")
        dbapi_connection.houdt_slot = True


def einde_verzoek(connection: Any) -> None:
    """What a request's COMMIT or ROLLBACK does to an SQLite connection: give back the write slot, drop the deadline.

    For a request inside an enclosing transaction (the tests'), whose savepoint ends without either.
    """
    dbapi_connection = connection.connection.dbapi_connection
    if isinstance(dbapi_connection, _SqliteVerbinding):
        dbapi_connection._geef_slot()


def make_engine(database_url: str, **kwargs: Any) -> Engine:
    """Create an engine for SQLite or PostgreSQL with the project's connection settings."""
    url = make_url(database_url)
    # Statement parameters (resident hashes, field values, an import's report) stay out of error
    # messages, and so out of every log and traceback that prints them.
    kwargs.setdefault("hide_parameters", True)
    if url.get_backend_name() == "sqlite":
        bestand = url.database if url.database and url.database != ":memory:" else None
        if bestand and url.query.get("uri"):
            bestand = bestand.removeprefix("file:")  # sqlite:///file:pad?mode=ro&uri=true
        if bestand:
            Path(bestand).parent.mkdir(parents=True, exist_ok=True)
            # Writers hold a pooled connection while they queue for the write slot (up to the busy
            # timeout); with SQLAlchemy's default 5 + 10 connections they used them all during an
            # import, and reads then waited for a connection. SQLite connections are cheap to open:
            # allow one per thread-pool thread (anyio: 40) and some, keep 10 when idle.
            kwargs.setdefault("pool_size", 10)
            kwargs.setdefault("max_overflow", 50)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_SECONDEN, "factory": _SqliteVerbinding},
            **kwargs,
        )
        _configure_sqlite(engine, _Schrijfslot(bestand))
    else:
        if url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        kwargs.setdefault("pool_pre_ping", True)
        engine = create_engine(url, **kwargs)
    caches.bind(engine)
    return engine


@lru_cache
def get_engine() -> Engine:
    settings = get_settings()
    pool: dict[str, Any] = {"pool_timeout": settings.database_pool_timeout_seconden}
    if settings.database_pool_size is not None:
        pool["pool_size"] = settings.database_pool_size
    if settings.database_max_overflow is not None:
        pool["max_overflow"] = settings.database_max_overflow
    return make_engine(settings.database_url, **pool)


_SCHRIJVEND: "weakref.WeakKeyDictionary[Engine, Engine]" = weakref.WeakKeyDictionary()


def _schrijvend(engine: Engine) -> Engine:
    """The engine for writing requests: on SQLite one that BEGINs IMMEDIATE (see `_configure_sqlite`).

    Made once per engine: building an option engine per request cost a measurable share of a POST.
    """
    if engine.dialect.name != "sqlite":
        return engine
    schrijvend = _SCHRIJVEND.get(engine)
    if schrijvend is None:
        schrijvend = _SCHRIJVEND.setdefault(engine, engine.execution_options(sqlite_immediate=True))
        caches.bind_option_engine(schrijvend, parent=engine)
    return schrijvend


def schrijvend_met_wachttijd(engine: Engine, wachttijd: float) -> Engine:
    """A writing engine whose transactions wait up to `wachttijd` seconds for SQLite's write slot."""
    if engine.dialect.name != "sqlite":
        return engine
    per_wachttijd = _MET_WACHTTIJD.setdefault(engine, {})
    schrijvend = per_wachttijd.get(wachttijd)
    if schrijvend is None:
        schrijvend = engine.execution_options(sqlite_immediate=True, sqlite_slot_wachttijd=wachttijd)
        caches.bind_option_engine(schrijvend, parent=engine)
        per_wachttijd[wachttijd] = schrijvend
    return schrijvend


_MET_WACHTTIJD: "weakref.WeakKeyDictionary[Engine, dict[float, Engine]]" = weakref.WeakKeyDictionary()


def kort_lezen(session: Session, werk: Callable[[Session], T]) -> T:
    """Run a read in a session of its own that ends at once, so `session` holds no connection after it.

    For what a request reads before it streams its body (the API key): a read in the request's own
    session kept its connection "idle in transaction" until the body ended, and on SQLite a writing
    request's BEGIN IMMEDIATE held the write slot as long. Slow uploads so took the whole pool (or the
    slot), and every other request waited. The read here never takes the write slot. Inside an
    enclosing transaction (tests bind the request's session to a connection) it uses `session` itself,
    the only one that sees the test's rows.
    """
    bind = session.get_bind()
    if not isinstance(bind, Engine):
        return werk(session)
    with Session(bind, expire_on_commit=False) as eigen:
        eigen.connection(execution_options={"sqlite_immediate": False})
        return werk(eigen)


def vastleggen(session: Session) -> None:
    """COMMIT; a connection lost during it leaves the outcome unknown, and the client must hear that."""
    try:
        session.commit()
    except DBAPIError as exc:
        if exc.connection_invalidated and session.get_bind().dialect.name != "sqlite":
            raise CommitOnbekend() from exc
        raise


def _tijdslimiet(session: Session, _transaction: Any, connection: Any) -> None:
    """Bound every statement of a request: PostgreSQL stops it itself, SQLite through its progress handler."""
    seconden = get_settings().statement_timeout_seconden
    if not seconden:
        return
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SET LOCAL statement_timeout = {int(seconden * 1000)}")
    else:
        dbapi_connection = connection.connection.dbapi_connection
        if isinstance(dbapi_connection, _SqliteVerbinding):
            dbapi_connection.deadline = time.monotonic() + seconden


class _VerzoekSessie(Session):
    """A request's session: each of its transactions gets the statement timeout (`_tijdslimiet`)."""


# On the class, once: a listener per session instance cost every request a copy of the dispatcher.
event.listen(_VerzoekSessie, "after_begin", _tijdslimiet)


def schrijfsessie(engine: Engine) -> Session:
    """A writing session of its own on `engine`, with a request's statement timeout: for the group commit.

    On SQLite its first statement takes the write slot (BEGIN IMMEDIATE), as a writing request's does.
    """
    return _VerzoekSessie(_schrijvend(engine), expire_on_commit=False)



def _commit(session: Session) -> None:
    try:
        vastleggen(session)
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _rollback(session: Session) -> None:
    try:
        session.rollback()
    finally:
        session.close()


def is_schrijvend(request: Request) -> bool:
    """A request that may write: it gets a writing session (on SQLite: the write slot, BEGIN IMMEDIATE).

    Not a route marked `schrijft_in_groep` while group commit is on: its writes go through a session of
    its own, and a read in its request session (a cache miss, a retry's look-up) must not take the slot.
    """
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    route = request.scope.get("route")
    return not (getattr(getattr(route, "endpoint", None), GROEPSCOMMIT, False) and get_settings().groepscommit)


GROEPSCOMMIT = "__sleutelmonitor_groepscommit__"


def schrijft_in_groep(endpoint: T) -> T:
    """Mark a route whose writes go through the group commit (app/contactmomenten/schrijfgroep.py)."""
    setattr(endpoint, GROEPSCOMMIT, True)
    return endpoint


async def get_session(request: Request) -> AsyncIterator[Session]:
    """Yield a session; commit when the route succeeded, roll back when it raised."""
    engine = get_engine()
    async with verzoeksessie(_schrijvend(engine) if is_schrijvend(request) else engine) as session:
        yield session


@contextlib.asynccontextmanager
async def verzoeksessie(bind: Engine | Connection) -> AsyncIterator[Session]:
    """A request's session on `bind`: committed when the block succeeded, rolled back when it raised.

    Async on purpose: creating a session does no I/O, so it costs no thread-pool hop. Only the
    commit or rollback, which block, run in the thread pool, and only when the session began a
    transaction (a request that never touched the database has nothing to end). On a connection
    already in a transaction (the tests' rolled-back one) the session works in a savepoint of it.
    """
    session = _VerzoekSessie(bind, expire_on_commit=False, join_transaction_mode="create_savepoint")
    try:
        yield session
    except BaseException:
        if session.in_transaction():
            await run_in_threadpool(_rollback, session)
        else:
            session.close()
        raise
    if session.in_transaction() or session.new or session.dirty or session.deleted:
        await run_in_threadpool(_commit, session)
    else:
        session.close()


def commit_after(session: Session, werk: Callable[[], T]) -> T:
    """Run `werk`, then commit at once in the same thread: for a route whose work is one short write.

    The request dependency still owns the transaction: it rolls back when this raises, and finds
    nothing left to commit otherwise. Committing in the same thread-pool call as the writes holds
    SQLite's write lock for the INSERTs and the COMMIT only, instead of also across a thread-pool
    hop and the event loop's queue, which capped POST /v1/contactmomenten at ~150 req/s.
    """
    uitkomst = werk()
    with spans.span("commit"):
        vastleggen(session)
    return uitkomst


# scope="function": the commit happens before the response is sent, so a failed commit
# becomes an error response instead of a success the client can't trust.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def checkpoint(session: Session) -> None:
    """After a large commit on SQLite (an import), move the WAL into the database file now.

    Automatic checkpoints are off (see CHECKPOINT_NA_COMMITS), and a one-transaction import of a
    million rows leaves gigabytes of WAL that every reader would otherwise search until the next
    checkpoint. PASSIVE: it never waits for readers, and what it cannot copy now is copied later.
    """
    if session.get_bind().dialect.name != "sqlite":
        return
    # Inside an enclosing transaction (tests) SQLite refuses; the data is committed either way.
    with contextlib.suppress(OperationalError):
        session.connection().exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").close()
    session.commit()
