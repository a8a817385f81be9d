"""The event feed: GET /v1/gebeurtenissen?na={cursor} (issue 28)."""

import logging
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy import Engine

from app.core.db import SessionDep
from app.gebeurtenissen import service
from app.gebeurtenissen.schemas import GebeurtenissenPagina, GebeurtenisSoort
from app.toegang.caller import Caller, Scope
from app.toegang.dependencies import vereist

logger = logging.getLogger(__name__)

router = APIRouter(tags=["gebeurtenissen"])

GebeurtenissenDep = Annotated[Caller, Depends(vereist(Scope.gebeurtenissen))]


@router.get(
    "/gebeurtenissen", summary="Gebeurtenissen volgen",
    responses={410: {"description": "De cursor is ouder dan de bewaartermijn (`code: cursor-verlopen`)."}},
)
def list_gebeurtenissen(
    caller: GebeurtenissenDep,
    session: SessionDep,
    request: Request,
    response: Response,
    na: Annotated[str | None, Query(max_length=100, description="Cursor uit een eerder antwoord (`cursor`); zonder: "
                                    "vanaf de oudste bewaarde gebeurtenis.", examples=["ZzEuMTA0Mg"])] = None,
    soort: Annotated[list[GebeurtenisSoort] | None, Query(description="Alleen deze soorten (herhaal de parameter "
                                                          "voor meer).")] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="Hoogstens zoveel gebeurtenissen.", examples=[100])] = 100,
) -> GebeurtenissenPagina:
    """De gebeurtenissen van de eigen organisatie in volgorde (aanmaken, wijzigen, statuswijziging, verwijderen als
    tombstone, import voltooid, ...), met een cursor om verder te lezen. Een regionale sleutel ziet alleen de
    ontvangen signalen en de rapportageperiodes van de eigen gemeenten, nooit registraties van een organisatie.
    Gebeurtenissen worden een ingestelde tijd bewaard (standaard 30 dagen); een oudere cursor geeft 410."""
    bind = session.get_bind()
    if isinstance(bind, Engine):
        try:
            service.nummer(bind, wachttijd=2.0)
        except Exception:  # busy (SQLite's write slot): serve what is numbered; the poller numbers the rest
            logger.info("Numbering events before a feed read failed; the feed serves what is numbered", exc_info=True)
    else:
        service.nummer(session)  # a session inside an enclosing transaction (tests)
    soorten = [s.value for s in soort or []]
    pagina = service.lees(session, caller=caller, na=na, soorten=soorten, limit=limit)
    cursor = service.cursor(pagina.positie)
    query = urlencode([("na", cursor), *(("soort", s) for s in soorten), ("limit", str(limit))])
    volgende = f"{request.url.path}?{query}"
    response.headers["Link"] = f'<{volgende}>; rel="next"'
    return GebeurtenissenPagina.model_validate({
        "gebeurtenissen": pagina.gebeurtenissen, "cursor": cursor, "volgende": volgende,
        "meer": len(pagina.gebeurtenissen) == limit,
    })
