"""Routes for /v1/uitkomsten."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from app.codelijsten import service as codelijsten
from app.core.db import SessionDep
from app.core.filternamen import hernoemd
from app.core.filters import controleer_filters
from app.core.openapi import location
from app.core.pagination import PAGINATED, PaginaDep
from app.models import Uitkomst
from app.toegang.dependencies import EigenInzienDep, EigenRegistrerenDep
from app.uitkomsten import service
from app.uitkomsten.schemas import UitkomstCreate, UitkomstPublic

router = APIRouter(tags=["uitkomsten"])


@router.post("/uitkomsten", status_code=201, response_model=UitkomstPublic, summary="Uitkomst vastleggen",
    description=(
        "Legt later de uitkomst vast van een contactmoment, of van een van zijn doorverwijzingen. "
        "Het contactmoment toont steeds de laatst vastgelegde uitkomst."
    ),
    responses={
        201: {
            "headers": {
                "Location": {"description": "URL van de uitkomst.", "schema": {"type": "string"}}
            }
        }
    },
)
def create_uitkomst(
    body: UitkomstCreate, caller: EigenRegistrerenDep, session: SessionDep, response: Response
) -> Uitkomst:
    uitkomst = service.create(session, caller=caller, data=body)
    response.headers["Location"] = location("uitkomsten", uitkomst.id)
    return uitkomst


@router.get("/uitkomsten", response_model=list[UitkomstPublic], responses=PAGINATED, summary="Uitkomsten opvragen",
    description="Uitkomsten van de eigen organisatie, nieuwste eerst (niet die van verwijderde contactmomenten).",
)
def list_uitkomsten(
    caller: EigenInzienDep, session: SessionDep, pagina: PaginaDep,
    contactmoment: Annotated[
        uuid.UUID | None, hernoemd("contactmomentId", "contactmoment", uuid.UUID, description="Alleen uitkomsten van dit contactmoment (id).", examples=["3fa85f64-5717-4562-b3fc-2c963f66afa6"])
    ] = None,
    doorverwijzing: Annotated[
        uuid.UUID | None, hernoemd("doorverwijzingId", "doorverwijzing", uuid.UUID, description="Alleen uitkomsten van deze doorverwijzing (id).", examples=["0b9d3c1e-2f4a-4e5b-8c6d-7e8f9a0b1c2d"])
    ] = None,
    resultaat: Annotated[
        str | None, Query(max_length=20, description="Alleen uitkomsten met dit resultaat.", examples=["opgelost"])
    ] = None,
) -> list[Uitkomst]:
    controleer_filters(
        session, codes=[("resultaat", codelijsten.RESULTAAT, resultaat)]
    )
    statement = service.list_statement(
        caller=caller,
        contactmoment=contactmoment,
        doorverwijzing=doorverwijzing,
        resultaat=resultaat,
    )
    return pagina.van(session, statement)


@router.get("/uitkomsten/{uitkomstId}", response_model=UitkomstPublic, summary="Uitkomst opvragen",
    description="Eén uitkomst van de eigen organisatie.",
)
def get_uitkomst(
    caller: EigenInzienDep,
    session: SessionDep,
    uitkomst_id: Annotated[
        uuid.UUID,
        Path(
            alias="uitkomstId",
            description="Identificatie van de uitkomst.",
            examples=["9c8b7a6f-5e4d-4c3b-a2f1-0e9d8c7b6a5f"],
        ),
    ],
) -> Uitkomst:
    return service.get(session, caller=caller, uitkomst_id=uitkomst_id)
