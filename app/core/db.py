"""Engine, and the request-scoped session that owns the transaction."""

from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session, create_engine

from app.core.config import get_settings


def _configure_sqlite(engine: Engine) -> None:
    """WAL, foreign keys, and transactions that SQLAlchemy (not pysqlite) controls."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own BEGIN handling breaks SAVEPOINT; let SQLAlchemy emit BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Writing requests take the write lock up front (IMMEDIATE): a deferred transaction that
        # reads, then writes, fails with "database is locked" at once when another writer got there
        # first (the busy timeout does not cover that upgrade). Writers queue; readers stay deferred.
        immediate = connection.get_execution_options().get("sqlite_immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(database_url: str, **kwargs: Any) -> Engine:
    """Create an engine for SQLite or PostgreSQL with the project's connection settings."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 10}, **kwargs
        )
        _configure_sqlite(engine)
        return engine
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


@lru_cache
def get_engine() -> Engine:
    return make_engine(get_settings().database_url)


def get_session(request: Request) -> Iterator[Session]:
    """Yield a session; commit when the route succeeded, roll back when it raised."""
    engine = get_engine()
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        engine = engine.execution_options(sqlite_immediate=True)  # ignored by PostgreSQL
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


# scope="function": the commit happens before the response is sent, so a failed commit
# becomes an error response instead of a success the client can't trust.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
