"""/v1/doelen: targets per indicator and period (behoefteanalyse)."""

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.core import versies
from app.core.db import SessionDep
from app.core.openapi import location
from app.core.pagination import PAGINATED, PaginaDep
from app.doelen import service
from app.doelen.dependencies import DoelDep, DoellezerDep, LeesbaarDoelDep
from app.doelen.schemas import DoelCreate, DoelPublic, DoelUpdate
from app.toegang.dependencies import RegistrerenDep

router = APIRouter(tags=["doelen"])

REGIONAAL = (
    " Een regionale sleutel met scope `rapporteren` leest hier de gedeelde doelen (`gedeeld: true`) die over "
    "een van zijn gemeenten gaan (de gemeenten in het filter van het doel, anders die van de organisatie), met de "
    "naam van de organisatie; een niet gedeeld doel bestaat voor zo'n sleutel niet (404)."
)


@router.post("/doelen", status_code=status.HTTP_201_CREATED, response_model=DoelPublic, summary="Doel vastleggen",
             responses={409: {"description": "Er is al een doel voor deze indicator, periode en filter (`bestaandId`)."}})
def create_doel(data: DoelCreate, session: SessionDep, caller: RegistrerenDep, response: Response) -> DoelPublic:
    """Legt een streefwaarde vast voor een indicator in een jaar, kwartaal of maand, optioneel voor één groep
    (een filter met één waarde), met een verdeling over maanden of kwartalen, en gedeeld met de regio."""
    doel = service.create(session, caller=caller, data=data)
    response.headers["Location"] = location("doelen", doel.id)
    return service.een_publiek(session, doel)


@router.get("/doelen", response_model=list[DoelPublic], responses=PAGINATED, summary="Doelen",
            description="De doelen van de eigen organisatie, op periode en indicator." + REGIONAAL)
def list_doelen(
    session: SessionDep, caller: DoellezerDep, pagina: PaginaDep,
    indicator: Annotated[str | None, Query(description="Alleen doelen van deze indicator.")] = None,
) -> list[DoelPublic]:
    statement = service.list_statement(caller=caller, indicator=indicator, session=session)
    return service.publiek(session, pagina.van(session, statement))


@router.get("/doelen/{doelId}", response_model=DoelPublic, summary="Een doel",
            description="Een doel van de eigen organisatie." + REGIONAAL)
def get_doel(doel: LeesbaarDoelDep, session: SessionDep, response: Response) -> DoelPublic:
    return versies.met_etag(response, service.een_publiek(session, doel))


@router.patch("/doelen/{doelId}", response_model=DoelPublic, summary="Doel wijzigen")
def update_doel(
    doel: DoelDep, data: DoelUpdate, session: SessionDep, caller: RegistrerenDep, response: Response, if_match: versies.IfMatchDep = None
) -> DoelPublic:
    """Wijzigt de streefwaarde, de verdeling of het delen. Met `If-Match` geeft een intussen gewijzigd doel 412."""
    if if_match is not None:
        versies.vergrendel(session, doel)
        versies.controleer(if_match, service.een_publiek(session, doel))
    return versies.met_etag(response, service.een_publiek(session, service.update(session, caller=caller, doel=doel, data=data)))


@router.delete("/doelen/{doelId}", status_code=status.HTTP_204_NO_CONTENT, summary="Doel verwijderen")
def delete_doel(doel: DoelDep, session: SessionDep, caller: RegistrerenDep) -> Response:
    """Verwijdert een doel."""
    service.delete(session, caller=caller, doel=doel)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
