"""`sleutelmonitor backup` and `herstel` (issue 30): an online backup of the embedded SQLite while the
service writes, restored into a fresh path with its data and schema version; PostgreSQL points at pg_dump."""

import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, func
from sqlmodel import Session, select
from typer.testing import CliRunner

from app.cli import app as cli
from app.core.config import get_settings
from app.core.db import make_engine
from app.models import Organisatie
from tests.conftest import BACKEND, DatabaseFactory, alembic_config
from tests.factories import make_organisatie

runner = CliRunner()


@pytest.fixture
def database_url() -> Iterator[Callable[[str | None], None]]:
    """Point the settings (as the CLI reads them) at another database for the test; restored after."""
    vorige = os.environ.get("SLEUTELMONITOR_DATABASE_URL")

    def zet(url: str | None) -> None:
        if url is None:
            os.environ.pop("SLEUTELMONITOR_DATABASE_URL", None)
        else:
            os.environ["SLEUTELMONITOR_DATABASE_URL"] = url
        get_settings.cache_clear()

    yield zet
    zet(vorige)


def _aantal(pad: Path) -> int:
    with sqlite3.connect(pad) as verbinding:
        return verbinding.execute("SELECT count(*) FROM organisatie").fetchone()[0]


def _revisie(pad: Path) -> str:
    with sqlite3.connect(pad) as verbinding:
        return verbinding.execute("SELECT version_num FROM alembic_version").fetchone()[0]


@pytest.mark.skipif(BACKEND != "sqlite", reason="the embedded SQLite; PostgreSQL has pg_dump")
def test_backup_while_writing_then_restore_into_a_fresh_path(databases: DatabaseFactory, database_url, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    engine: Engine = databases.new_engine()
    bron = Path(engine.url.database or "")
    with Session(engine) as session:
        for _ in range(300):
            make_organisatie(session)
        session.commit()
    database_url(str(engine.url))

    # A writer commits organisations one by one for as long as the backups run (the service, writing).
    stop = threading.Event()
    geschreven: list[int] = []
    fouten: list[BaseException] = []

    def schrijf() -> None:
        try:
            while not stop.is_set():
                with Session(engine) as session:
                    make_organisatie(session)
                    session.commit()
                geschreven.append(1)
        except BaseException as exc:  # noqa: BLE001 -- reported below
            fouten.append(exc)

    schrijver = threading.Thread(target=schrijf)
    schrijver.start()
    backups = []
    try:
        while len(geschreven) < 20:  # the writer is under way
            stop.wait(0.01)
        for nummer in range(3):
            voor = len(geschreven)
            pad = tmp_path / f"backup-{nummer}.db"
            uitslag = runner.invoke(cli, ["backup", str(pad)])
            assert uitslag.exit_code == 0, uitslag.output
            backups.append((pad, voor, len(geschreven), uitslag.output))
        while len(geschreven) < backups[-1][2] + 20:  # and goes on after the last backup
            stop.wait(0.01)
    finally:
        stop.set()
        schrijver.join(timeout=60)
    assert not fouten, fouten  # no "database is locked": the backup never held the writer up
    (kop,) = ScriptDirectory.from_config(alembic_config(None)).get_heads()
    for pad, voor, na, uitvoer in backups:
        assert "Backup gemaakt" in uitvoer and kop in uitvoer
        assert not Path(f"{pad}-wal").exists()  # one self-contained file
        assert 300 + voor <= _aantal(pad) <= 300 + na + 1  # one snapshot, taken while the writer wrote
    assert _aantal(bron) > _aantal(backups[-1][0])

    # Restore into a fresh path: the data and the schema version are there, and the service can use it.
    pad = backups[-1][0]
    doel = tmp_path / "hersteld" / "sleutelmonitor.db"
    database_url(f"sqlite:///{doel}")
    uitslag = runner.invoke(cli, ["herstel", str(pad)])
    assert uitslag.exit_code == 0, uitslag.output
    assert _aantal(doel) == _aantal(pad) and _revisie(doel) == kop
    assert "migrate" not in uitslag.output  # the schema is this version's
    hersteld = make_engine(f"sqlite:///{doel}")
    with Session(hersteld) as session:
        assert session.exec(select(func.count()).select_from(Organisatie)).one() == _aantal(pad)
    hersteld.dispose()

    # Over an existing database only with --ja.
    ander = backups[0][0]
    geweigerd = runner.invoke(cli, ["herstel", str(ander)])
    assert geweigerd.exit_code == 1 and "--ja" in geweigerd.output
    assert _aantal(doel) == _aantal(pad)
    assert runner.invoke(cli, ["herstel", str(ander), "--ja"]).exit_code == 0
    assert _aantal(doel) == _aantal(ander)
    # A backup over an existing file only with --ja, too.
    database_url(str(engine.url))
    assert runner.invoke(cli, ["backup", str(ander)]).exit_code == 1
    assert runner.invoke(cli, ["backup", str(ander), "--ja"]).exit_code == 0
    engine.dispose()


@pytest.mark.skipif(BACKEND != "sqlite", reason="the embedded SQLite")
def test_restore_refuses_a_file_that_is_no_backup(database_url, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    onzin = tmp_path / "onzin.db"
    onzin.write_bytes(b"geen database" * 100)
    database_url(f"sqlite:///{tmp_path / 'doel.db'}")
    uitslag = runner.invoke(cli, ["herstel", str(onzin)])
    assert uitslag.exit_code == 1 and "geen (leesbare) Sleutelmonitor-database" in uitslag.output
    assert not (tmp_path / "doel.db").exists()


def test_on_postgresql_the_commands_point_at_pg_dump(database_url, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    database_url("postgresql+psycopg://sm:geheim@db.example/sm")
    for commando in ("backup", "herstel"):
        uitslag = runner.invoke(cli, [commando, str(tmp_path / "x.dump")])
        assert uitslag.exit_code == 2 and "pg_dump" in uitslag.output and "geheim" not in uitslag.output
    assert not (tmp_path / "x.dump").exists()
