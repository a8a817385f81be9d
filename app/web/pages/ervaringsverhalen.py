"""Ervaringsverhalen: a list and a reader; for a regional key the API's exports of shared stories."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse

from app.core.db import SessionDep
from app.toegang.caller import Scope
from app.web import adapters
from app.web.sessie import SessieDep
from app.web.templating import pagina

router = APIRouter(include_in_schema=False)


@router.get("/ervaringsverhalen", response_class=HTMLResponse)
def ervaringsverhalen(request: Request, sessie: SessieDep, session: SessionDep,
                      nummer: Annotated[int, Query(alias="pagina", ge=1, le=10_000)] = 1) -> Response:
    verhalen = adapters.verhalen_van(session, sessie.caller, limiet=adapters.PAGINA + 1,
                                     offset=(nummer - 1) * adapters.PAGINA)
    return pagina(request, "ervaringsverhalen.html", {
        "sessie": sessie, "actief": "ervaringsverhalen", "verhalen": verhalen[: adapters.PAGINA],
        "pagina": nummer, "meer": len(verhalen) > adapters.PAGINA,
        "export": sessie.is_regio and sessie.caller.has(Scope.rapporteren),
        "onderwerpen": adapters.labels(session, "onderwerp"), "effecten": adapters.labels(session, "effect"),
    })


@router.get("/ervaringsverhalen/export")
def export(sessie: SessieDep, session: SessionDep,
           formaat: Annotated[str, Query(pattern="^(xlsx|markdown)$")] = "xlsx") -> Response:
    return adapters.verhalen_export(session, sessie.caller, formaat)


@router.get("/ervaringsverhalen/{verhaal_id}", response_class=HTMLResponse)
def verhaal(request: Request, verhaal_id: uuid.UUID, sessie: SessieDep, session: SessionDep) -> Response:
    return pagina(request, "verhaal.html", {
        "sessie": sessie, "actief": "ervaringsverhalen", "v": adapters.verhaal(session, sessie.caller, verhaal_id),
        "onderwerpen": adapters.labels(session, "onderwerp"), "effecten": adapters.labels(session, "effect"),
    })
