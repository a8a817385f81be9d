"""Loader for one story of the caller's organisation (404 for anyone else's)."""

import uuid
from typing import Annotated

from fastapi import Depends, Path

from app.core.db import SessionDep
from app.ervaringsverhalen import service
from app.models import Ervaringsverhaal
from app.toegang.dependencies import CallerOfApparaatDep

VerhaalIdPad = Annotated[
    uuid.UUID,
    Path(alias="verhaalId", description="Identificatie van het ervaringsverhaal.", examples=["2a7c9e1b-4d3f-4b6a-8c2e-1f0d9b8a7c6e"]),
]


def eigen_verhaal(verhaal_id: VerhaalIdPad, caller: CallerOfApparaatDep, session: SessionDep) -> Ervaringsverhaal:
    """The caller organisation's story; the route's own scope dependency decides read or write access."""
    return service.get(session, caller=caller, verhaal_id=verhaal_id)


VerhaalDep = Annotated[Ervaringsverhaal, Depends(eigen_verhaal)]
