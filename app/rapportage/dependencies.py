"""Loaders of the reporting cycle: a rhythm of the caller's region, and one cell of it (404 otherwise)."""

import uuid
from typing import Annotated

from fastapi import Depends, Path

from app.core.db import SessionDep
from app.models import Rapportageritme
from app.rapportage import service
from app.rapportage.service import Vak
from app.toegang.caller import Caller, Scope
from app.toegang.dependencies import vereist

# A region (a regional key with scope `goedkeuren`) or an administrator (`beheren` implies it).
GoedkeurenDep = Annotated[Caller, Depends(vereist(Scope.goedkeuren))]

Periodecode = Annotated[str, Path(description="Code van de periode: 2026Q1 (kwartaal) of 2026-03 (maand).",
                                  examples=["2026Q1"], max_length=40)]


def _ritme(
    ritme_id: Annotated[uuid.UUID, Path(alias="ritmeId", description="Id van het rapportageritme.",
                                        examples=["5c8e0f3a-7d2b-4e1a-9c6f-1b2d3e4f5a6b"])],
    caller: GoedkeurenDep,
    session: SessionDep,
) -> Rapportageritme:
    return service.get_ritme(session, caller=caller, ritme_id=ritme_id)


RitmeDep = Annotated[Rapportageritme, Depends(_ritme)]


def _vak(
    ritme: RitmeDep,
    periode: Periodecode,
    organisatie_id: Annotated[uuid.UUID, Path(alias="organisatieId", description="Id van de organisatie.",
                                              examples=["0b6e8a4e-2f6c-4d8e-9a51-3f7c2d1e9b10"])],
    session: SessionDep,
) -> Vak:
    return service.regio_vak(session, ritme=ritme, periode=periode, organisatie_id=organisatie_id)


VakDep = Annotated[Vak, Depends(_vak)]
