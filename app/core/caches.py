"""Every per-process cache of the service, bound to the engine whose rows it holds.

The service keeps its state in the database. The caches below only save reads, each for a short,
named lifetime (also listed in the README):

| cache | lifetime | forgotten when |
|---|---|---|
| code lists read by validation | `CODELIJSTEN_SECONDEN` | a statement writes to `code`; a writing transaction rolls back |
| "this key person / partner is the organisation's own" (for a device: its own key person's view) | until forgotten | a writing transaction rolls back |
| API keys by prefix (read by `toegang.dependencies`) | `SLEUTELS_SECONDEN` | a statement writes to `api_sleutel` or `organisatie` (not the lastUsedAt write) |

The caches are one `Caches` object per engine (`voor`), with their listeners on that engine
instance, so two engines in one process (tests, scripts) never share or clear each other's caches.
"""

import functools
import re
import threading
import time
import weakref
from typing import Any

from sqlalchemy import Connection, Engine, event

# How long a worker keeps using the code lists it read: a code deactivated through this process is
# refused at once, through another worker or replica within this many seconds.
CODELIJSTEN_SECONDEN = 10.0
# How long a worker may keep using what it read about an API key: revoking a key, or deactivating its
# organisation, takes effect in the worker that made the change at once and in every other worker
# (process, replica) within this many seconds.
SLEUTELS_SECONDEN = 10.0

# Key in a connection's info: its transaction wrote something (so a rollback can unmake what was read).
_SCHREEF = "caches.schreef"
_SCHRIJVEND = frozenset({"INSERT", "UPDATE", "DELETE", "WITH", "CREATE", "DROP", "ALTER"})
_SCHRIJFT_CODE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?code"?[\s(]', re.IGNORECASE)
_SCHRIJFT_SLEUTEL = re.compile(
    r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(api_sleutel|organisatie)"?[\s(]', re.IGNORECASE
)
# An execution option that marks a write no cache depends on (the throttled lastUsedAt of a key).
ALLEEN_GEBRUIK = "sleutelmonitor_alleen_laatst_gebruikt"


class ValidatieCache:
    """What validation read before: the code lists (for a while) and the records known to be one's own.

    Loading the code lists and looking up the key person took a quarter of a POST's time (measured
    with scripts/bench.py). Key persons and partners are never deleted, so that one exists stays
    true, unless the transaction that made it rolls back.
    """

    MAXIMUM_EIGEN = 100_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._codes: tuple[float, Any] | None = None
        self._eigen: set[tuple[Any, ...]] = set()

    def codes(self) -> Any | None:
        gelezen = self._codes
        if gelezen is None or time.monotonic() - gelezen[0] > CODELIJSTEN_SECONDEN:
            return None
        return gelezen[1]

    def bewaar_codes(self, codes: Any) -> None:
        self._codes = (time.monotonic(), codes)

    def is_eigen(self, sleutel: tuple[Any, ...]) -> bool:
        return sleutel in self._eigen

    def bewaar_eigen(self, sleutel: tuple[Any, ...]) -> None:
        with self._lock:
            if len(self._eigen) >= self.MAXIMUM_EIGEN:
                self._eigen.clear()
            self._eigen.add(sleutel)

    def clear_codes(self) -> None:
        self._codes = None

    def clear(self) -> None:
        with self._lock:
            self._codes = None
            self._eigen = set()


class TijdelijkeCache:
    """Values by key for a fixed number of seconds; bounded, so a flood of new keys only empties it."""

    MAXIMUM = 10_000

    def __init__(self, seconden: float) -> None:
        self.seconden = seconden
        self._waarden: dict[str, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, sleutel: str) -> tuple[bool, Any]:
        """(found, value); found with None means: known to be None."""
        with self._lock:
            gevonden = self._waarden.get(sleutel)
        if gevonden is None or time.monotonic() - gevonden[0] > self.seconden:
            return False, None
        return True, gevonden[1]

    def put(self, sleutel: str, waarde: Any) -> None:
        with self._lock:
            if len(self._waarden) >= self.MAXIMUM:
                self._waarden.clear()
            self._waarden[sleutel] = (time.monotonic(), waarde)

    def clear(self) -> None:
        with self._lock:
            self._waarden.clear()


class Caches:
    """The caches of one engine."""

    def __init__(self) -> None:
        self.validatie = ValidatieCache()
        self.sleutels = TijdelijkeCache(SLEUTELS_SECONDEN)


_PER_ENGINE: "weakref.WeakKeyDictionary[Engine, Caches]" = weakref.WeakKeyDictionary()
_BIND_LOCK = threading.Lock()


def bind(engine: Engine) -> Caches:
    """The caches of this engine, made (with their listeners on the engine) on first use."""
    gevonden = _PER_ENGINE.get(engine)
    if gevonden is not None:
        return gevonden
    with _BIND_LOCK:
        gevonden = _PER_ENGINE.get(engine)
        if gevonden is None:
            gevonden = Caches()
            _listen(engine, gevonden)
            _PER_ENGINE[engine] = gevonden
    return gevonden


def bind_option_engine(option_engine: Engine, *, parent: Engine) -> None:
    """An engine made with `execution_options` shares its parent's listeners, so also its caches."""
    _PER_ENGINE[option_engine] = bind(parent)


def voor(bind_: Engine | Connection) -> Caches:
    """The caches of the engine behind a session's bind (`session.get_bind()`)."""
    engine = bind_.engine if isinstance(bind_, Connection) else bind_
    return bind(engine)


def schreef(verbinding: Connection) -> None:
    """Note that a connection's transaction wrote, for writes that bypass SQLAlchemy's statement events."""
    verbinding.info[_SCHREEF] = True


@functools.lru_cache(maxsize=1024)
def _soort(statement: str) -> str | None:
    """None for a statement that does not write, else what it writes to: `code`, `sleutel` or `anders`.

    Cached: the same few compiled statements come by on every request.
    """
    if statement.lstrip()[:6].upper() not in _SCHRIJVEND:
        return None
    if _SCHRIJFT_CODE.match(statement):
        return "code"
    if _SCHRIJFT_SLEUTEL.match(statement):
        return "sleutel"
    return "anders"


def _listen(engine: Engine, caches: Caches) -> None:
    cache = caches.validatie

    @event.listens_for(engine, "before_cursor_execute")
    def _noteer_schrijven(conn: Any, _cursor: Any, statement: str, _parameters: Any, context: Any, _many: bool) -> None:
        soort = _soort(statement)
        if soort is None:
            return
        conn.info[_SCHREEF] = True
        if soort == "code":
            cache.clear_codes()
        elif soort == "sleutel" and not (context is not None and context.execution_options.get(ALLEEN_GEBRUIK)):
            caches.sleutels.clear()

    @event.listens_for(engine, "commit")
    def _na_commit(conn: Any) -> None:
        if not conn.invalidated:
            conn.info.pop(_SCHREEF, None)

    @event.listens_for(engine, "rollback")
    def _na_rollback(conn: Any) -> None:
        # A connection lost mid-transaction (a database restart) refuses even `info`, with
        # PendingRollbackError, which turned the outage into a 500; what it wrote is unknown.
        if conn.invalidated:
            cache.clear()
            return
        # Only a transaction that wrote can have shown us rows that now never existed.
        if conn.info.pop(_SCHREEF, False):
            cache.clear()

    @event.listens_for(engine, "rollback_savepoint")
    def _na_savepoint_rollback(conn: Any, _name: Any, _context: Any) -> None:
        if conn.invalidated or conn.info.get(_SCHREEF):
            cache.clear()
