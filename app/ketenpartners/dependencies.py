"""Loader for one ketenpartner of the caller's organisation (404 for anyone else's)."""

import uuid
from typing import Annotated

from fastapi import Depends, Path

from app.core.db import SessionDep
from app.ketenpartners import service
from app.models import Ketenpartner
from app.toegang.dependencies import CallerOfApparaatDep


def get_ketenpartner(
    ketenpartner_id: Annotated[uuid.UUID, Path(alias="ketenpartnerId", description="Identificatie van de ketenpartner.")],
    session: SessionDep,
    caller: CallerOfApparaatDep,
) -> Ketenpartner:
    """Fetch the ketenpartner within the caller's organisation, or 404.

    The scope check is the route's own dependency (declared before this one), so the OpenAPI
    document lists exactly one scope per operation.
    """
    return service.get(session, caller=caller, ketenpartner_id=ketenpartner_id)


KetenpartnerDep = Annotated[Ketenpartner, Depends(get_ketenpartner)]
