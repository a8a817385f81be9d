"""Loader for one contactmoment of the caller's organisation (404 otherwise, also when soft-deleted)."""

import uuid
from typing import Annotated

from fastapi import Depends, Path

from app.contactmomenten import service
from app.core.db import SessionDep
from app.models import Contactmoment
from app.toegang.dependencies import CallerDep

ContactmomentIdPad = Annotated[
    uuid.UUID,
    Path(
        alias="contactmomentId",
        description="Identificatie van het contactmoment.",
        examples=["3fa85f64-5717-4562-b3fc-2c963f66afa6"],
    ),
]


def contactmoment(
    contactmoment_id: ContactmomentIdPad, caller: CallerDep, session: SessionDep
) -> Contactmoment:
    """The caller's contactmoment; the route's own scope dependency decides read or write access."""
    return service.get(session, caller=caller, contactmoment_id=contactmoment_id)


ContactmomentDep = Annotated[Contactmoment, Depends(contactmoment)]
