"""Who may read targets, and the loaders of a target named in the path."""

import uuid
from typing import Annotated

from fastapi import Depends

from app.core.db import SessionDep
from app.core.errors import GeenToegang
from app.doelen import service
from app.models import Doel
from app.toegang.caller import Binding, Caller, Scope
from app.toegang.dependencies import InzienDep, get_caller


async def doellezer(caller: Annotated[Caller, Depends(get_caller)]) -> Caller:
    """An organisation's key with scope `inzien`, or a regional key with scope `rapporteren` (shared targets)."""
    if caller.binding is Binding.organisatie and caller.has(Scope.inzien):
        return caller
    if caller.binding is Binding.regio and caller.has(Scope.rapporteren):
        return caller
    if caller.binding is Binding.organisatie:
        raise GeenToegang(f"Deze API-sleutel mist de scope `{Scope.inzien.value}`.")
    if caller.binding is Binding.regio:
        raise GeenToegang(f"Deze API-sleutel mist de scope `{Scope.rapporteren.value}`.")
    raise GeenToegang("Doelen lees je met een sleutel van de organisatie, of gedeelde doelen met een regionale sleutel.")


# The OpenAPI builder documents one scope per operation; the route's description names the regional one.
doellezer.__sleutelmonitor_scope__ = Scope.inzien  # type: ignore[attr-defined]
DoellezerDep = Annotated[Caller, Depends(doellezer)]


def leesbaar_doel(doelId: uuid.UUID, session: SessionDep, caller: DoellezerDep) -> Doel:
    """The target named in the path as the caller may read it, or 404 (another organisation's, or unshared)."""
    return service.get(session, caller=caller, doel_id=doelId)


def eigen_doel(doelId: uuid.UUID, session: SessionDep, caller: InzienDep) -> Doel:
    """The caller's own target named in the path, or 404 (also for another organisation's)."""
    return service.get_eigen(session, caller=caller, doel_id=doelId)


LeesbaarDoelDep = Annotated[Doel, Depends(leesbaar_doel)]
DoelDep = Annotated[Doel, Depends(eigen_doel)]
