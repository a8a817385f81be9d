"""The caller dependency: authenticate the bearer key, enforce scopes and binding, limit its rate."""

import logging
import math
import threading
import time
import uuid
import weakref
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Engine, bindparam
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, select, update

from app.core import caches, spans
from app.core.config import get_settings
from app.core.db import SessionDep, kort_lezen, schrijvend_met_wachttijd
from app.core.errors import GeenToegang, NietGeauthenticeerd, TeVeelVerzoeken
from app.core.security import secret_matches, split_token
from app.core.validation import vandaag
from app.models import ApiSleutel, Organisatie, RateLimitTeller
from app.toegang.caller import Binding, Caller, Scope

logger = logging.getLogger(__name__)

LAST_USED_RESOLUTION = timedelta(minutes=1)


class RateLimiter:
    """Fixed one-minute window per key (or device): protects the service, not a billing meter.

    On PostgreSQL the count lives in the database (`rate_limit_teller`, UNLOGGED), so every worker
    of every instance behind a load balancer counts against one number: one upsert per request, in
    its own autocommit statement beside the request's transaction. On SQLite (one host by design)
    the count is per process, as is cheapest; a setup with several workers on SQLite allows the
    limit per worker. When the database cannot count (it is down, its pool exhausted), the request
    is counted in-process instead: a limiter must not turn an outage of its counter into refusals.
    """

    def __init__(self) -> None:
        self._windows: dict[uuid.UUID, tuple[int, int]] = {}
        self._lock = threading.Lock()
        self._opgeruimd_tot = 0  # the last window whose older rows this process removed

    def check(self, key_id: uuid.UUID, limit: int, *, wie: str = "Deze API-sleutel",
              engine: Engine | None = None) -> tuple[int, int, int]:
        """Count a request; returns (limit, remaining, seconds until the window resets) for the
        RateLimit-* headers, or raises 429 with the same figures and Retry-After.

        With `engine` on PostgreSQL the count is shared by every instance (a blocking round trip: call it
        from a worker thread, see `tel`)."""
        now = time.time()
        window = int(now // 60)
        count = self._tel_gedeeld(engine, key_id, window) if engine is not None else None
        if count is None:
            count = self._tel_lokaal(key_id, window)
        reset = max(1, math.ceil((window + 1) * 60 - now))
        if count > limit:
            raise TeVeelVerzoeken(
                f"{wie} deed meer dan {limit} verzoeken in een minuut; "
                f"probeer het over {reset} seconden opnieuw.",
                headers={"Retry-After": str(reset), "RateLimit-Limit": str(limit), "RateLimit-Remaining": "0",
                         "RateLimit-Reset": str(reset)},
            )
        return limit, limit - count, reset

    def _tel_lokaal(self, key_id: uuid.UUID, window: int) -> int:
        with self._lock:
            current, count = self._windows.get(key_id, (window, 0))
            if current != window:
                current, count = window, 0
            count += 1
            self._windows[key_id] = (current, count)
        return count

    def _tel_gedeeld(self, engine: Engine, key_id: uuid.UUID, window: int) -> int | None:
        try:
            with _autocommit(engine).connect() as verbinding:
                count = verbinding.execute(_UPSERT, {"sleutel": key_id, "venster": window}).scalar_one()
                if window > self._opgeruimd_tot:
                    # Once a minute per process: the windows before the previous one are of no use any more.
                    self._opgeruimd_tot = window
                    verbinding.execute(_OPRUIMEN, {"venster": window - 1})
            return int(count)
        except SQLAlchemyError as exc:  # down, pool exhausted, ...: counted in this process instead
            logger.warning("rate limit not counted in the database (%s); counted in this process", type(exc).__name__)
            return None

    def reset(self) -> None:
        with self._lock:
            self._windows.clear()


def _upsert() -> Any:
    from sqlalchemy.dialects.postgresql import insert

    tabel = RateLimitTeller.__table__  # type: ignore[attr-defined]
    statement = insert(tabel).values(sleutel=bindparam("sleutel"), venster=bindparam("venster"), aantal=1)
    return statement.on_conflict_do_update(
        index_elements=[tabel.c.sleutel, tabel.c.venster], set_={"aantal": tabel.c.aantal + 1}
    ).returning(tabel.c.aantal)


_UPSERT = _upsert()
_OPRUIMEN = RateLimitTeller.__table__.delete().where(  # type: ignore[attr-defined]
    RateLimitTeller.__table__.c.venster < bindparam("venster")  # type: ignore[attr-defined]
)
_AUTOCOMMIT: "weakref.WeakKeyDictionary[Engine, Engine]" = weakref.WeakKeyDictionary()


def _autocommit(engine: Engine) -> Engine:
    """The engine's autocommit variant (made once): the upsert is one round trip, without BEGIN and COMMIT."""
    gedeeld = _AUTOCOMMIT.get(engine)
    if gedeeld is None:
        gedeeld = _AUTOCOMMIT[engine] = engine.execution_options(isolation_level="AUTOCOMMIT")
    return gedeeld


def teller_engine(session: Session) -> Engine | None:
    """The engine that counts requests for every instance: the request's own database when it is PostgreSQL."""
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else getattr(bind, "engine", None)
    return engine if isinstance(engine, Engine) and engine.dialect.name == "postgresql" else None


async def tel(session: Session, key_id: uuid.UUID) -> tuple[int, int, int]:
    """Count a request of an async dependency: in-process at once, or in the database from a worker thread."""
    limit = get_settings().rate_limit_per_minute
    engine = teller_engine(session)
    if engine is None:
        return rate_limiter.check(key_id, limit)
    return await run_in_threadpool(rate_limiter.check, key_id, limit, engine=engine)


rate_limiter = RateLimiter()
_last_used_written: dict[uuid.UUID, datetime] = {}


class GebruikSchrijver:
    """Writes a key's lastUsedAt best effort: beside the request, never in its transaction.

    A request that wrote lastUsedAt in its own transaction held the key's row lock (PostgreSQL) or
    needed SQLite's write slot for as long as it ran: a slow report made every other request with
    that key wait, and during an import GETs failed with "database is locked". Now one thread per
    process writes it in its own short transaction, and gives up at once when the row or the write
    slot is taken; the next chance is a minute later. A request never waits for it or fails by it.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._wachtend: set[uuid.UUID] = set()
        self._uitvoerder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="laatst-gebruikt")

    def meld(self, engine: Engine, key_id: uuid.UUID, moment: datetime) -> None:
        self.schrijf(engine, key_id, update(ApiSleutel).where(ApiSleutel.id == key_id)  # type: ignore[arg-type]
                     .values(laatst_gebruikt_op=moment).execution_options(**{_ALLEEN_GEBRUIK: True}))

    def schrijf(self, engine: Engine, sleutel: uuid.UUID, statement: Any) -> None:
        """Run one small UPDATE beside the request, at most one waiting per record (`sleutel`)."""
        with self._lock:
            if sleutel in self._wachtend:
                return
            self._wachtend.add(sleutel)
        self._uitvoerder.submit(self._schrijf, engine, sleutel, statement)

    def _schrijf(self, engine: Engine, sleutel: uuid.UUID, statement: Any) -> None:
        try:
            with Session(schrijvend_met_wachttijd(engine, 0.0)) as session:
                if engine.dialect.name == "postgresql":
                    session.connection().exec_driver_sql("SET LOCAL lock_timeout = '100ms'")
                session.exec(statement)
                session.commit()
        except Exception as exc:  # busy, locked or down: it is only a hint, skip it
            logger.debug("last use of %s not written: %s", sleutel, exc)
        finally:
            with self._lock:
                self._wachtend.discard(sleutel)

    def wacht(self) -> None:
        """Until every reported use is written or skipped (for tests and scripts)."""
        self._uitvoerder.submit(lambda: None).result()


gebruik = GebruikSchrijver()


@dataclass(frozen=True)
class _Sleutel:
    """What authentication needs of a key and its organisation, as read from the database."""

    id: uuid.UUID
    prefix: str
    sleutel_hash: str
    scopes: tuple[str, ...]
    organisatie_id: uuid.UUID | None
    gemeentecodes: tuple[str, ...]
    beheer: bool
    verloopt_op: date | None
    ingetrokken_op: datetime | None
    laatst_gebruikt_op: datetime | None
    organisatie_actief: bool
    organisatie_naam: str | None = None  # for the dashboard's header, without a query per page


# Marks the lastUsedAt write, which changes nothing authentication reads (see core.caches).
_ALLEEN_GEBRUIK = caches.ALLEEN_GEBRUIK


def _sleutel_cache(session: SessionDep) -> caches.TijdelijkeCache:
    """Keys by prefix for caches.SLEUTELS_SECONDEN, so a request costs no key or organisation query.

    Unknown prefixes are cached too (as None), so response times do not tell which prefixes exist.
    Any statement of this process that writes to api_sleutel or organisatie empties it, so a
    revocation through this process's API or CLI applies to its very next request.
    """
    return caches.voor(session.get_bind()).sleutels


def _lees_sleutel(session: SessionDep, prefix: str) -> _Sleutel | None:
    """The key with this prefix, from the cache or the database (then cached)."""
    cache = _sleutel_cache(session)
    gevonden, sleutel = cache.get(prefix)
    if gevonden:
        return sleutel
    # In a short session of its own: an upload authenticates before its body streams (see kort_lezen).
    sleutel = kort_lezen(session, lambda eigen: _uit_database(eigen, prefix))
    cache.put(prefix, sleutel)
    return sleutel


def _uit_database(session: Session, prefix: str) -> _Sleutel | None:
    key = session.exec(select(ApiSleutel).where(ApiSleutel.prefix == prefix)).first()
    if key is None:
        return None
    organisatie = session.get(Organisatie, key.organisatie_id) if key.organisatie_id is not None else None
    return _Sleutel(
        id=key.id,
        prefix=key.prefix,
        sleutel_hash=key.sleutel_hash,
        scopes=tuple(key.scopes),
        organisatie_id=key.organisatie_id,
        gemeentecodes=tuple(key.gemeentecodes or ()),
        beheer=key.beheer,
        verloopt_op=key.verloopt_op,
        ingetrokken_op=key.ingetrokken_op,
        laatst_gebruikt_op=key.laatst_gebruikt_op,
        organisatie_actief=organisatie is not None and organisatie.actief,
        organisatie_naam=organisatie.naam if organisatie is not None else None,
    )


def _binding(key: _Sleutel) -> Binding:
    if key.beheer:
        return Binding.beheer
    if key.organisatie_id is not None:
        return Binding.organisatie
    return Binding.regio


async def authenticeer(request: Request, session: SessionDep) -> Caller:
    """Authenticate `Authorization: Bearer <key>`; 401 problem when absent, unknown, revoked or expired.

    Without an Authorization header, a key person's device session (the app at /app) may stand in:
    its cookie together with the app's own header (`_apparaat`). Routes decide whether a device may
    call them: `get_caller` (and so every `vereist(...)` without `apparaat=True`) refuses it.

    Async on purpose: with the key cached (nearly always) it does no I/O, so it runs on the event
    loop; only a cache miss or the lastUsedAt write goes through the thread pool.
    """
    with spans.span("auth"):
        caller = await _authenticeer(request, session)
    return caller


async def _authenticeer(request: Request, session: SessionDep) -> Caller:
    header = request.headers.get("authorization", "")
    if not header and (apparaat_token := request.cookies.get(APPARAAT_COOKIE)):
        return await _apparaat(request, session, apparaat_token)
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NietGeauthenticeerd(
            "Geen API-sleutel meegestuurd; stuur de header `Authorization: Bearer <sleutel>`."
        )
    parts = split_token(token.strip())
    key: _Sleutel | None = None
    if parts is not None:
        gevonden, key = _sleutel_cache(session).get(parts[0])
        if not gevonden:
            key = await run_in_threadpool(_lees_sleutel, session, parts[0])
    # Compare even when the key is unknown, so timing does not tell which prefixes exist.
    stored = key.sleutel_hash if key is not None else "0" * 64
    if not secret_matches(parts[1] if parts else token, stored) or key is None:
        raise NietGeauthenticeerd("De API-sleutel is onbekend.")
    controleer_geldig(key)

    with spans.span("ratelimit"):
        request.state.rate_limit = await tel(session, key.id)
    if _touch_nodig(key):
        _touch(session, key)
    request.state.api_sleutel_prefix = key.prefix
    return caller_van(key)



APPARAAT_COOKIE = "sleutelmonitor_apparaat"
# A header only the app's own scripts send: a page of another site cannot add it to a request without
# a CORS preflight this service never grants, so a device's cookie alone never authorises a request
# (the CSRF defence of cookie-authenticated API calls; the cookie is also SameSite=Lax).
APP_HEADER = "x-sleutelmonitor-app"


async def _apparaat(request: Request, session: SessionDep, token: str) -> Caller:
    """A key person's device session, checked on every request: revocation ends it at once."""
    from app.apparaten import service as apparaten

    if request.headers.get(APP_HEADER) != "1":
        raise GeenToegang(
            "Een apparaatsessie geldt alleen voor verzoeken van de app van Sleutelmonitor "
            "(header `X-Sleutelmonitor-App: 1`); een ander programma gebruikt een API-sleutel."
        )
    apparaat = await run_in_threadpool(kort_lezen, session, lambda eigen: apparaten.zoek(eigen, token))
    if apparaat is None:
        raise NietGeauthenticeerd("Dit apparaat is niet aangemeld. Open de uitnodiging van je coördinator.")
    nu = datetime.now(UTC)
    if reden := apparaat.reden_ongeldig(nu):
        raise NietGeauthenticeerd(reden)
    request.state.rate_limit = await tel(session, apparaat.id)
    bind = session.get_bind()
    if nu - apparaat.laatst_gebruikt_op >= apparaten.GEBRUIK_RESOLUTIE and isinstance(bind, Engine):
        gebruik.schrijf(bind.engine, apparaat.id, apparaten.verleng_statement(apparaat.id, nu))
    request.state.apparaat_id = apparaat.id
    return apparaat.caller


async def get_caller(caller: Annotated[Caller, Depends(authenticeer)]) -> Caller:
    """The authenticated API key; a key person's device is refused (403) unless a route allows it."""
    if caller.is_apparaat:
        raise GeenToegang("De app van een sleutelpersoon heeft hier geen toegang.")
    return caller


async def get_caller_of_apparaat(caller: Annotated[Caller, Depends(authenticeer)]) -> Caller:
    """The authenticated API key, or a key person's device session (for the routes the app uses)."""
    return caller


def lees_sleutel(session: SessionDep, prefix: str) -> _Sleutel | None:
    """The key with this prefix as authentication reads it (cached); for the dashboard's session check."""
    return _lees_sleutel(session, prefix)


def controleer_geldig(key: _Sleutel) -> None:
    """401 when the key is revoked, expired or its organisation deactivated: checked on every request."""
    if key.ingetrokken_op is not None:
        raise NietGeauthenticeerd(f"De API-sleutel {key.prefix} is ingetrokken.")
    if key.verloopt_op is not None and key.verloopt_op < vandaag():
        raise NietGeauthenticeerd(f"De API-sleutel {key.prefix} is verlopen op {key.verloopt_op.isoformat()}.")
    if key.organisatie_id is not None and not key.organisatie_actief:
        raise NietGeauthenticeerd(f"De organisatie van API-sleutel {key.prefix} is gedeactiveerd.")


def caller_van(key: _Sleutel) -> Caller:
    """The caller a valid key stands for."""
    return Caller(
        sleutel_id=key.id,
        scopes=frozenset(Scope(s) for s in key.scopes if s in Scope.__members__),
        binding=_binding(key),
        organisatie_id=key.organisatie_id,
        gemeentecodes=tuple(key.gemeentecodes or ()),
    )


def _touch_nodig(key: _Sleutel) -> bool:
    previous = _last_used_written.get(key.id) or key.laatst_gebruikt_op
    return previous is None or datetime.now(UTC) - previous >= LAST_USED_RESOLUTION


def _touch(session: SessionDep, key: _Sleutel) -> None:
    """Track lastUsedAt coarsely: at most one write per key per minute per process, beside the request."""
    now = datetime.now(UTC)
    _last_used_written[key.id] = now
    bind = session.get_bind()
    # A session bound to a connection lives inside an enclosing transaction (tests): nothing beside
    # it could see the key, so there is nothing to write.
    if isinstance(bind, Engine):
        gebruik.meld(bind.engine, key.id, now)


def vereist(
    scope: Scope, *, binding: Binding | None = None, apparaat: bool = False
) -> Callable[..., Awaitable[Caller]]:
    """Dependency factory: the caller must hold `scope` (and, if given, have that binding).

    `apparaat=True`: a key person's device session may call the route too, as a caller bound to the
    organisation that sees only its own key person's records (see `scoping.eigen`).
    """

    # Async on purpose: it does no I/O, so it runs on the event loop instead of costing every
    # request a hop through the thread pool.
    async def dependency(
        caller: Annotated[Caller, Depends(get_caller_of_apparaat if apparaat else get_caller)],
    ) -> Caller:
        # A device stands in for its organisation, narrowed to its own key person by scoping.eigen.
        als_organisatie = caller.binding is Binding.organisatie or (apparaat and caller.is_apparaat)
        if binding is Binding.organisatie and not als_organisatie:
            soort = "rapportagesleutel" if caller.binding is Binding.regio else "beheersleutel"
            raise GeenToegang(
                f"Een {soort} geeft geen toegang tot registraties; "
                "gebruik een sleutel die aan een organisatie gebonden is."
            )
        if binding is Binding.regio and caller.binding is not Binding.regio:
            raise GeenToegang(
                "Alleen een regionale sleutel (gebonden aan gemeentecodes) geeft hier toegang."
            )
        if not caller.has(scope):
            raise GeenToegang(f"Deze API-sleutel mist de scope `{scope.value}`.")
        return caller

    dependency.__sleutelmonitor_scope__ = scope  # type: ignore[attr-defined]  # read by the OpenAPI builder
    return dependency


CallerDep = Annotated[Caller, Depends(get_caller)]
# Aliases routes use; the scope is documented per operation from these.
RegistrerenDep = Annotated[Caller, Depends(vereist(Scope.registreren, binding=Binding.organisatie))]
InzienDep = Annotated[Caller, Depends(vereist(Scope.inzien, binding=Binding.organisatie))]
# The same, and a key person's device may call the route too (its own records only): the app at /app.
EigenRegistrerenDep = Annotated[
    Caller, Depends(vereist(Scope.registreren, binding=Binding.organisatie, apparaat=True))
]
EigenInzienDep = Annotated[Caller, Depends(vereist(Scope.inzien, binding=Binding.organisatie, apparaat=True))]
# Any caller, a key person's device included (code lists).
CallerOfApparaatDep = Annotated[Caller, Depends(get_caller_of_apparaat)]
RapporterenDep = Annotated[Caller, Depends(vereist(Scope.rapporteren))]
BeherenDep = Annotated[Caller, Depends(vereist(Scope.beheren))]
# Regional keys only: the signals addressed to their gemeenten, and the shared stories of those.
SignalenDep = Annotated[Caller, Depends(vereist(Scope.signalen, binding=Binding.regio))]
RegioRapporterenDep = Annotated[Caller, Depends(vereist(Scope.rapporteren, binding=Binding.regio))]
