"""Loader for one referral of the caller's organisation (404 otherwise, also when its contactmoment was deleted)."""

import uuid
from typing import Annotated

from fastapi import Depends, Path

from app.core.db import SessionDep
from app.doorverwijzingen import service
from app.models import Doorverwijzing
from app.toegang.dependencies import CallerDep

DoorverwijzingIdPad = Annotated[
    uuid.UUID,
    Path(
        alias="doorverwijzingId",
        description="Identificatie van de doorverwijzing.",
        examples=["0b9d3c1e-2f4a-4e5b-8c6d-7e8f9a0b1c2d"],
    ),
]


def doorverwijzing(
    doorverwijzing_id: DoorverwijzingIdPad, caller: CallerDep, session: SessionDep
) -> Doorverwijzing:
    """The caller's referral; the route's own scope dependency decides read or write access."""
    return service.get(session, caller=caller, doorverwijzing_id=doorverwijzing_id)


DoorverwijzingDep = Annotated[Doorverwijzing, Depends(doorverwijzing)]
