"""Backup and restore of the embedded SQLite database (`sleutelmonitor backup` / `herstel`, issue 30).

The backup uses SQLite's online backup API (`sqlite3.Connection.backup`) in one step: it reads one
consistent snapshot of the database in a read transaction. The service runs in WAL mode, so its
writers go on meanwhile (they append to the WAL; the snapshot does not see them). Copying the file
with `cp` instead could catch it halfway through a checkpoint, and misses what is still in the WAL.

The copy is written next to its destination under a temporary name, checked (`PRAGMA
quick_check`, an alembic revision present), switched to a single file (journal mode DELETE, no
`-wal` beside it) and only then renamed into place, so a half-written backup never carries the
final name. A restore copies a backup into the configured database through the same API, so a
`-wal` file left beside the old database cannot be replayed over it.

PostgreSQL has its own tools (pg_dump, pg_restore, or the platform's managed backups); they are
not reimplemented here.
"""

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupFout(Exception):
    """A backup or restore that cannot go ahead; the message is for the operator (Dutch)."""


@dataclass(frozen=True)
class Verslag:
    pad: Path
    bytes: int
    revisie: str | None


def sqlite_bestand(database_url: str) -> Path | None:
    """The database file of an SQLite URL; None for another database (PostgreSQL)."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return None
    if not url.database or url.database == ":memory:":
        raise BackupFout("Een database in het geheugen heeft geen bestand om te back-uppen.")
    return Path(url.database.removeprefix("file:"))


def _controleer(verbinding: sqlite3.Connection, naam: str) -> str | None:
    """quick_check and the alembic revision of a database; BackupFout when it is damaged or no Sleutelmonitor database."""
    try:
        uitslag = verbinding.execute("PRAGMA quick_check").fetchone()
        if uitslag is None or uitslag[0] != "ok":
            raise BackupFout(f"{naam} is beschadigd (quick_check: {uitslag[0] if uitslag else 'geen antwoord'}).")
        rij = verbinding.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupFout(f"{naam} is geen (leesbare) Sleutelmonitor-database: {exc}.") from exc
    return rij[0] if rij else None


def maak(bron: Path, doel: Path, *, overschrijven: bool = False) -> Verslag:
    """Back up the SQLite database `bron` to `doel` while the service may be writing."""
    if not bron.is_file():
        raise BackupFout(f"De database {bron} bestaat niet.")
    if doel.exists() and not overschrijven:
        raise BackupFout(f"{doel} bestaat al. Kies een andere naam, of gebruik --ja om het te overschrijven.")
    if doel.resolve() == bron.resolve():
        raise BackupFout("De backup kan niet de database zelf zijn.")
    doel.parent.mkdir(parents=True, exist_ok=True)
    deel = doel.with_name(doel.name + ".deel")
    deel.unlink(missing_ok=True)
    # `mode=ro`: this connection never writes to the service's database (nor checkpoints its WAL).
    lezer = sqlite3.connect(f"{bron.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    schrijver = sqlite3.connect(deel)
    try:
        lezer.backup(schrijver)  # pages=-1: one step, one snapshot
        schrijver.execute("PRAGMA journal_mode=DELETE")
        revisie = _controleer(schrijver, "De backup")
        schrijver.commit()
    except BaseException:
        schrijver.close()
        deel.unlink(missing_ok=True)
        raise
    finally:
        lezer.close()
    schrijver.close()
    with open(deel, "rb") as bestand:
        os.fsync(bestand.fileno())
    os.replace(deel, doel)
    return Verslag(pad=doel, bytes=doel.stat().st_size, revisie=revisie)


def herstel(backup: Path, doel: Path, *, overschrijven: bool = False) -> Verslag:
    """Put a backup in place of the SQLite database `doel` (refused over an existing one unless overschrijven)."""
    if not backup.is_file():
        raise BackupFout(f"De backup {backup} bestaat niet.")
    if doel.exists() and doel.stat().st_size > 0 and not overschrijven:
        raise BackupFout(
            f"De database {doel} bestaat al en zou worden vervangen. Stop de dienst en herhaal met --ja."
        )
    bron = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
    try:
        revisie = _controleer(bron, "De backup")
        if revisie is None:
            raise BackupFout("De backup heeft geen schemaversie (alembic_version); is het een Sleutelmonitor-backup?")
        doel.parent.mkdir(parents=True, exist_ok=True)
        ontvanger = sqlite3.connect(doel, timeout=30)
        try:
            bron.backup(ontvanger)
            _controleer(ontvanger, "De herstelde database")
        finally:
            ontvanger.close()
    finally:
        bron.close()
    return Verslag(pad=doel, bytes=doel.stat().st_size, revisie=revisie)
