"""Loader for one key person of the caller's organisation (404 for anyone else's)."""

import uuid
from typing import Annotated

from fastapi import Depends, Path

from app.core.db import SessionDep
from app.models import Sleutelpersoon
from app.sleutelpersonen import service
from app.toegang.dependencies import CallerOfApparaatDep


def get_sleutelpersoon(
    sleutelpersoon_id: Annotated[
        uuid.UUID, Path(alias="sleutelpersoonId", description="Identificatie van de sleutelpersoon.")
    ],
    session: SessionDep,
    caller: CallerOfApparaatDep,
) -> Sleutelpersoon:
    """Fetch the key person within the caller's organisation, or 404.

    The scope check is the route's own dependency (declared before this one), so the OpenAPI
    document lists exactly one scope per operation.
    """
    return service.get(session, caller=caller, sleutelpersoon_id=sleutelpersoon_id)


SleutelpersoonDep = Annotated[Sleutelpersoon, Depends(get_sleutelpersoon)]
