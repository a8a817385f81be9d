"""Loaders for one signal: of the caller's organisation, or addressed to the regional caller (404 otherwise)."""

import uuid
from typing import Annotated

from fastapi import Depends, Path

from app.core.db import SessionDep
from app.models import Signaal, SignaalBericht
from app.signalen import service
from app.toegang.dependencies import CallerDep, CallerOfApparaatDep

SignaalIdPad = Annotated[
    uuid.UUID,
    Path(alias="signaalId", description="Identificatie van het signaal.", examples=["0b9d3c1e-2f4a-4e5b-8c6d-7e8f9a0b1c2d"]),
]


def eigen_signaal(signaal_id: SignaalIdPad, caller: CallerOfApparaatDep, session: SessionDep) -> Signaal:
    """The caller organisation's signal; the route's own scope dependency decides read or write access."""
    return service.get(session, caller=caller, signaal_id=signaal_id)


def ontvangen_signaal(signaal_id: SignaalIdPad, caller: CallerDep, session: SessionDep) -> Signaal:
    """A signal addressed to one of the regional caller's gemeenten."""
    return service.get_ontvangen(session, caller=caller, signaal_id=signaal_id)


SignaalDep = Annotated[Signaal, Depends(eigen_signaal)]
OntvangenSignaalDep = Annotated[Signaal, Depends(ontvangen_signaal)]

BerichtIdPad = Annotated[
    uuid.UUID,
    Path(alias="berichtId", description="Identificatie van het bericht.", examples=["5e0c1b2a-9d8f-4a7b-8c6d-1e2f3a4b5c6d"]),
]


def eigen_bericht(bericht_id: BerichtIdPad, signaal: SignaalDep, session: SessionDep) -> SignaalBericht:
    """A message in the conversation about one of the caller organisation's signals (404 otherwise)."""
    return service.get_bericht(session, signaal=signaal, bericht_id=bericht_id)


def ontvangen_bericht(bericht_id: BerichtIdPad, signaal: OntvangenSignaalDep, session: SessionDep) -> SignaalBericht:
    """A message in the conversation about a signal addressed to the regional caller (404 otherwise)."""
    return service.get_bericht(session, signaal=signaal, bericht_id=bericht_id)


BerichtDep = Annotated[SignaalBericht, Depends(eigen_bericht)]
OntvangenBerichtDep = Annotated[SignaalBericht, Depends(ontvangen_bericht)]
