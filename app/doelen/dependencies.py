"""Loader of a target within the caller's organisation."""

import uuid
from typing import Annotated

from fastapi import Depends

from app.core.db import SessionDep
from app.doelen import service
from app.models import Doel
from app.toegang.dependencies import InzienDep


def eigen_doel(doelId: uuid.UUID, session: SessionDep, caller: InzienDep) -> Doel:
    """The target named in the path, or 404 (also for another organisation's)."""
    return service.get(session, caller=caller, doel_id=doelId)


DoelDep = Annotated[Doel, Depends(eigen_doel)]
