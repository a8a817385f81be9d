"""Liveness and readiness (issue 30): live never asks the database; ready checks database, migrations and disk.

Each test points the app at a database of its own (or at none: a closed port) through
`app.core.db.get_engine`, as tests/test_storingen.py does; nothing is mocked.
"""

import socket
from collections.abc import Callable, Iterator

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from app import __version__
from app.core import db
from app.core.config import get_settings
from tests.conftest import DatabaseFactory, alembic_config


def _vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def app_op(monkeypatch: pytest.MonkeyPatch) -> Callable[[Engine], TestClient]:
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


def _is_503(antwoord) -> str:  # type: ignore[no-untyped-def]
    assert antwoord.status_code == 503, antwoord.text
    assert antwoord.headers["content-type"] == "application/problem+json"
    assert int(antwoord.headers["Retry-After"]) > 0
    assert antwoord.json()["title"] == "Dienst niet beschikbaar"
    return antwoord.json()["detail"]


def test_live_and_ready_on_a_migrated_database(eigen_db: Engine, app_op) -> None:  # type: ignore[no-untyped-def]
    with app_op(eigen_db) as client:
        live = client.get("/v1/status/live")
        ready = client.get("/v1/status/ready")
        status = client.get("/v1/status")
    assert live.status_code == 200 and live.json() == {"status": "ok", "versie": __version__}
    assert ready.status_code == 200, ready.text
    assert ready.json() == {"status": "ok", "versie": __version__, "database": "bereikbaar",
                            "schijf": "beschikbaar", "migraties": "actueel"}
    assert status.status_code == 200  # the old endpoint answers as before
    assert live.headers["API-Version"] == __version__ and "RateLimit-Limit" not in live.headers


def test_without_a_database_live_is_200_and_ready_503(app_op) -> None:  # type: ignore[no-untyped-def]
    dood = db.make_engine(f"postgresql+psycopg://sm:sm@127.0.0.1:{_vrije_poort()}/sm", connect_args={"connect_timeout": 2})
    with app_op(dood) as client:
        assert client.get("/v1/status/live").status_code == 200
        assert _is_503(client.get("/v1/status/ready")) == "De database is niet bereikbaar."


def test_ready_is_503_until_the_migrations_ran(fresh_database_url, app_op) -> None:  # type: ignore[no-untyped-def]
    engine = db.make_engine(fresh_database_url())
    try:
        with app_op(engine) as client:
            assert "staat op geen migraties" in _is_503(client.get("/v1/status/ready"))
            # One migration behind: the new version was started before `sleutelmonitor migrate`.
            with engine.begin() as verbinding:
                config = alembic_config(verbinding)
                script = ScriptDirectory.from_config(config)
                (kop,) = script.get_heads()
                vorige = script.get_revision(kop).down_revision
                command.upgrade(config, vorige)
            detail = _is_503(client.get("/v1/status/ready"))
            assert f"staat op {vorige}; deze versie verwacht {kop}" in detail
            assert "sleutelmonitor migrate" in detail
            assert client.get("/v1/status/live").status_code == 200
            with engine.begin() as verbinding:
                command.upgrade(alembic_config(verbinding), "head")
            assert client.get("/v1/status/ready").json()["migraties"] == "actueel"
    finally:
        engine.dispose()


def test_a_database_migrated_for_the_next_version_keeps_the_previous_version_ready(eigen_db: Engine, app_op) -> None:  # type: ignore[no-untyped-def]
    # A rolling upgrade: the next version's migrations ran first, this version still serves meanwhile.
    with eigen_db.begin() as verbinding:
        verbinding.execute(text("UPDATE alembic_version SET version_num = '9999_volgende_versie'"))
    with app_op(eigen_db) as client:
        ready = client.get("/v1/status/ready")
    assert ready.status_code == 200 and ready.json()["migraties"] == "nieuwer"


def test_ready_reports_a_full_disk(eigen_db: Engine, app_op, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SLEUTELMONITOR_MIN_VRIJE_SCHIJF_MB", str(10**12))
    get_settings.cache_clear()
    try:
        with app_op(eigen_db) as client:
            detail = _is_503(client.get("/v1/status/ready"))
            assert client.get("/v1/status/live").status_code == 200
    finally:
        monkeypatch.delenv("SLEUTELMONITOR_MIN_VRIJE_SCHIJF_MB")
        get_settings.cache_clear()
    assert detail.endswith("is (bijna) vol.")


def test_an_installation_without_its_migrations_is_not_ready_and_says_why(eigen_db: Engine, app_op, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from app.status import migraties

    def kapot() -> None:
        raise FileNotFoundError("migrations/")

    monkeypatch.setattr(migraties, "_scripts", kapot)
    with app_op(eigen_db) as client:
        assert "installatie is onvolledig" in _is_503(client.get("/v1/status/ready"))
