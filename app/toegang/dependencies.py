"""The caller dependency: authenticate the bearer key, enforce scopes and binding, limit its rate."""

import math
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import select, update

from app.core.config import get_settings
from app.core.db import SessionDep
from app.core.errors import GeenToegang, NietGeauthenticeerd, TeVeelVerzoeken
from app.core.security import secret_matches, split_token
from app.models import ApiSleutel, Organisatie
from app.toegang.caller import Binding, Caller, Scope

LAST_USED_RESOLUTION = timedelta(minutes=1)


class RateLimiter:
    """Fixed one-minute window per key, per process: protects the service, not a billing meter."""

    def __init__(self) -> None:
        self._windows: dict[uuid.UUID, tuple[int, int]] = {}
        self._lock = threading.Lock()

    def check(self, key_id: uuid.UUID, limit: int) -> None:
        now = time.time()
        window = int(now // 60)
        with self._lock:
            current, count = self._windows.get(key_id, (window, 0))
            if current != window:
                current, count = window, 0
            count += 1
            self._windows[key_id] = (current, count)
        if count > limit:
            retry_after = max(1, math.ceil((window + 1) * 60 - now))
            raise TeVeelVerzoeken(
                f"Deze API-sleutel deed meer dan {limit} verzoeken in een minuut; "
                f"probeer het over {retry_after} seconden opnieuw.",
                headers={"Retry-After": str(retry_after)},
            )

    def reset(self) -> None:
        with self._lock:
            self._windows.clear()


rate_limiter = RateLimiter()
_last_used_written: dict[uuid.UUID, datetime] = {}


def _binding(key: ApiSleutel) -> Binding:
    if key.beheer:
        return Binding.beheer
    if key.organisatie_id is not None:
        return Binding.organisatie
    return Binding.regio


def get_caller(request: Request, session: SessionDep) -> Caller:
    """Authenticate `Authorization: Bearer <key>`; 401 problem when absent, unknown, revoked or expired."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NietGeauthenticeerd(
            "Geen API-sleutel meegestuurd; stuur de header `Authorization: Bearer <sleutel>`."
        )
    parts = split_token(token.strip())
    key = None
    if parts is not None:
        key = session.exec(select(ApiSleutel).where(ApiSleutel.prefix == parts[0])).first()
    # Compare even when the key is unknown, so timing does not tell which prefixes exist.
    stored = key.sleutel_hash if key is not None else "0" * 64
    if not secret_matches(parts[1] if parts else token, stored) or key is None:
        raise NietGeauthenticeerd("De API-sleutel is onbekend.")
    if key.ingetrokken_op is not None:
        raise NietGeauthenticeerd(f"De API-sleutel {key.prefix} is ingetrokken.")
    today = datetime.now(UTC).date()
    if key.verloopt_op is not None and key.verloopt_op < today:
        raise NietGeauthenticeerd(f"De API-sleutel {key.prefix} is verlopen op {key.verloopt_op.isoformat()}.")
    if key.organisatie_id is not None:
        organisatie = session.get(Organisatie, key.organisatie_id)
        if organisatie is None or not organisatie.actief:
            raise NietGeauthenticeerd(f"De organisatie van API-sleutel {key.prefix} is gedeactiveerd.")

    rate_limiter.check(key.id, get_settings().rate_limit_per_minute)
    _touch(session, key)
    request.state.api_sleutel_prefix = key.prefix
    return Caller(
        sleutel_id=key.id,
        scopes=frozenset(Scope(s) for s in key.scopes if s in Scope.__members__),
        binding=_binding(key),
        organisatie_id=key.organisatie_id,
        gemeentecodes=tuple(key.gemeentecodes or ()),
    )


def _touch(session: SessionDep, key: ApiSleutel) -> None:
    """Track lastUsedAt coarsely: at most one write per key per minute per process."""
    now = datetime.now(UTC)
    previous = _last_used_written.get(key.id) or key.laatst_gebruikt_op
    if previous is None or now - previous >= LAST_USED_RESOLUTION:
        session.exec(update(ApiSleutel).where(ApiSleutel.id == key.id).values(laatst_gebruikt_op=now))  # type: ignore[call-overload]
        _last_used_written[key.id] = now


def vereist(scope: Scope, *, binding: Binding | None = None) -> Callable[..., Caller]:
    """Dependency factory: the caller must hold `scope` (and, if given, have that binding)."""

    def dependency(caller: Annotated[Caller, Depends(get_caller)]) -> Caller:
        if binding is Binding.organisatie and caller.binding is not Binding.organisatie:
            soort = "rapportagesleutel" if caller.binding is Binding.regio else "beheersleutel"
            raise GeenToegang(
                f"Een {soort} geeft geen toegang tot registraties; "
                "gebruik een sleutel die aan een organisatie gebonden is."
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
RapporterenDep = Annotated[Caller, Depends(vereist(Scope.rapporteren))]
BeherenDep = Annotated[Caller, Depends(vereist(Scope.beheren))]
