"""/v1/doelen: targets per indicator and period (behoefteanalyse)."""

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.core import versies
from app.core.db import SessionDep
from app.core.openapi import location
from app.core.pagination import PAGINATED, PaginaDep
from app.doelen import service
from app.doelen.dependencies import DoelDep
from app.doelen.schemas import DoelCreate, DoelPublic, DoelUpdate
from app.toegang.dependencies import InzienDep, RegistrerenDep

router = APIRouter(tags=["doelen"])


@router.post("/doelen", status_code=status.HTTP_201_CREATED, response_model=DoelPublic, summary="Doel vastleggen",
             responses={409: {"description": "Er is al een doel voor deze indicator, periode en filter (`bestaandId`)."}})
def create_doel(data: DoelCreate, session: SessionDep, caller: RegistrerenDep, response: Response) -> DoelPublic:
    """Legt een streefwaarde vast voor een indicator in een jaar, kwartaal of maand."""
    doel = service.create(session, caller=caller, data=data)
    response.headers["Location"] = location("doelen", doel.id)
    return service.publiek(doel)


@router.get("/doelen", response_model=list[DoelPublic], responses=PAGINATED, summary="Doelen")
def list_doelen(
    session: SessionDep, caller: InzienDep, pagina: PaginaDep,
    indicator: Annotated[str | None, Query(description="Alleen doelen van deze indicator.")] = None,
) -> list[DoelPublic]:
    """De doelen van de eigen organisatie, op periode en indicator."""
    statement = service.list_statement(caller=caller, indicator=indicator)
    return [service.publiek(d) for d in pagina.van(session, statement)]


@router.get("/doelen/{doelId}", response_model=DoelPublic, summary="Een doel")
def get_doel(doel: DoelDep, response: Response) -> DoelPublic:
    """Een doel van de eigen organisatie."""
    return versies.met_etag(response, service.publiek(doel))


@router.patch("/doelen/{doelId}", response_model=DoelPublic, summary="Doel wijzigen")
def update_doel(
    doel: DoelDep, data: DoelUpdate, session: SessionDep, caller: RegistrerenDep, response: Response, if_match: versies.IfMatchDep = None
) -> DoelPublic:
    """Wijzigt de streefwaarde. Met `If-Match` geeft een intussen gewijzigd doel 412."""
    if if_match is not None:
        versies.vergrendel(session, doel)
        versies.controleer(if_match, service.publiek(doel))
    return versies.met_etag(response, service.publiek(service.update(session, caller=caller, doel=doel, waarde=data.waarde)))


@router.delete("/doelen/{doelId}", status_code=status.HTTP_204_NO_CONTENT, summary="Doel verwijderen")
def delete_doel(doel: DoelDep, session: SessionDep, caller: RegistrerenDep) -> Response:
    """Verwijdert een doel."""
    service.delete(session, caller=caller, doel=doel)
    return Response(status_code=status.HTTP_204_NO_CONTENT)

