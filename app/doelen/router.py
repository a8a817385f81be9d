"""/v1/doelen: targets per indicator and period (behoefteanalyse)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status
from sqlmodel import select

from app.core.db import SessionDep
from app.core.pagination import PAGINATED, PagineringDep, paginate
from app.doelen import service
from app.doelen.schemas import DoelCreate, DoelPublic, DoelUpdate
from app.models import Doel
from app.toegang.dependencies import InzienDep, RegistrerenDep
from app.toegang.scoping import eigen, haal_eigen

router = APIRouter(tags=["doelen"])


def _public(doel: Doel) -> DoelPublic:
    return DoelPublic(
        id=doel.id, indicator=doel.indicator, periode=doel.periode, vanaf=doel.vanaf, tot=service.laatste_dag(doel),
        waarde=doel.waarde, filters=doel.filters, aangemaakt_op=doel.aangemaakt_op, gewijzigd_op=doel.gewijzigd_op,
    )


def eigen_doel(doelId: uuid.UUID, session: SessionDep, caller: InzienDep) -> Doel:  # noqa: N803
    return haal_eigen(session, Doel, doelId, caller, naam="Doel")


DoelDep = Annotated[Doel, Depends(eigen_doel)]


@router.post("/doelen", status_code=status.HTTP_201_CREATED, response_model=DoelPublic, summary="Doel vastleggen")
def create_doel(data: DoelCreate, session: SessionDep, caller: RegistrerenDep, response: Response) -> DoelPublic:
    """Legt een streefwaarde vast voor een indicator in een jaar, kwartaal of maand."""
    doel = service.create_doel(session, caller=caller, data=data)
    response.headers["Location"] = f"/v1/doelen/{doel.id}"
    return _public(doel)


@router.get("/doelen", response_model=list[DoelPublic], responses=PAGINATED, summary="Doelen")
def list_doelen(
    session: SessionDep, caller: InzienDep, paginering: PagineringDep, request: Request, response: Response,
    indicator: Annotated[str | None, Query(description="Alleen doelen van deze indicator.")] = None,
) -> list[DoelPublic]:
    """De doelen van de eigen organisatie, op periode en indicator."""
    statement = eigen(select(Doel), Doel, caller).order_by(Doel.vanaf, Doel.indicator, Doel.id)
    if indicator:
        statement = statement.where(Doel.indicator == indicator)
    return [_public(d) for d in paginate(session, statement, paginering=paginering, request=request, response=response)]


@router.get("/doelen/{doelId}", response_model=DoelPublic, summary="Een doel")
def get_doel(doel: DoelDep) -> DoelPublic:
    """Een doel van de eigen organisatie."""
    return _public(doel)


@router.patch("/doelen/{doelId}", response_model=DoelPublic, summary="Doel wijzigen")
def update_doel(doel: DoelDep, data: DoelUpdate, session: SessionDep, caller: RegistrerenDep) -> DoelPublic:
    """Wijzigt de streefwaarde."""
    return _public(service.update_doel(session, caller=caller, doel=doel, waarde=data.waarde))


@router.delete("/doelen/{doelId}", status_code=status.HTTP_204_NO_CONTENT, summary="Doel verwijderen")
def delete_doel(doel: DoelDep, session: SessionDep, caller: RegistrerenDep) -> Response:
    """Verwijdert een doel."""
    service.delete_doel(session, caller=caller, doel=doel)
    return Response(status_code=status.HTTP_204_NO_CONTENT)

