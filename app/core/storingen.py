"""Which database and disk failures are outages (503 with Retry-After) rather than bugs (500).

A client can do nothing about a bug, but it should retry after an outage: the database down or
restarting, a busy SQLite write slot, a query stopped by the statement timeout, a full disk or a
read-only filesystem, every pooled connection in use. Everything else (a constraint violation the code did not expect, ...) stays 500.
"""

import errno
import sqlite3

import psycopg
from psycopg import errors as pg
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from app.core.errors import DienstNietBeschikbaar

# Seconds a client should wait: a busy slot frees within seconds, a restart or a disk takes longer.
KORT, LANG = 5, 30


def _storing(wat: str, retry_after: int, schrijvend: bool) -> DienstNietBeschikbaar:
    niets = " Er is niets opgeslagen." if schrijvend else ""
    return DienstNietBeschikbaar(
        f"{wat}.{niets} Probeer het over {retry_after} seconden opnieuw.", headers={"Retry-After": str(retry_after)}
    )


TIMEOUT = "Het verzoek duurde te lang en is afgebroken (tijdslimiet van de database)"
BEZET = "De database is bezet door een andere schrijver, bijvoorbeeld een grote import"
VOL = "De schijf van de database is vol"
ALLEEN_LEZEN = "De database of haar schijf is alleen-lezen"
ONBEREIKBAAR = "De database is niet bereikbaar"
POOL_VOL = "Alle databaseverbindingen van de dienst zijn bezet"


def als_storing(exc: BaseException, *, schrijvend: bool) -> DienstNietBeschikbaar | None:
    """The 503 for an outage, or None when `exc` is not one."""
    if isinstance(exc, PoolTimeout):
        # Waited the pool timeout for a connection (SQLAlchemy's, not a driver's): the load passes.
        return _storing(POOL_VOL, KORT, schrijvend)
    oorzaak = exc.orig if isinstance(exc, DBAPIError) else exc
    if isinstance(oorzaak, sqlite3.Error):
        tekst = str(oorzaak).lower()
        if "interrupted" in tekst:
            return _storing(TIMEOUT, KORT, schrijvend)
        if "locked" in tekst or "busy" in tekst:
            return _storing(BEZET, KORT, schrijvend)
        if "full" in tekst:
            return _storing(VOL, LANG, schrijvend)
        if "readonly" in tekst or "read-only" in tekst:
            return _storing(ALLEEN_LEZEN, LANG, schrijvend)
        if "disk i/o" in tekst or "unable to open" in tekst:
            return _storing(ONBEREIKBAAR, LANG, schrijvend)
        return None
    if isinstance(oorzaak, pg.QueryCanceled):
        return _storing(TIMEOUT, KORT, schrijvend)
    if isinstance(oorzaak, pg.LockNotAvailable):
        return _storing(BEZET, KORT, schrijvend)
    if isinstance(oorzaak, pg.DiskFull | pg.InsufficientResources):
        return _storing(VOL, LANG, schrijvend)
    if isinstance(oorzaak, pg.ReadOnlySqlTransaction):
        return _storing(ALLEEN_LEZEN, LANG, schrijvend)
    if isinstance(oorzaak, psycopg.OperationalError) or (isinstance(exc, DBAPIError) and exc.connection_invalidated):
        # Refused, closed, shutting down, starting up: the database will be back.
        return _storing(ONBEREIKBAAR, LANG, schrijvend)
    if isinstance(oorzaak, OSError) and oorzaak.errno in (errno.ENOSPC, errno.EDQUOT):
        return _storing("De schijf van de dienst is vol", LANG, schrijvend)
    if isinstance(oorzaak, OSError) and oorzaak.errno == errno.EROFS:
        return _storing("De schijf van de dienst is alleen-lezen", LANG, schrijvend)
    return None
