"""Routes for /v1/organisaties."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.core import versies
from app.core.db import SessionDep
from app.core.filternamen import hernoemd
from app.core.openapi import location
from app.core.pagination import PAGINATED, PaginaDep
from app.core.validation import GEMEENTECODE_PATTERN
from app.models import Organisatie
from app.organisaties import service
from app.organisaties.dependencies import (
    BeheerdeOrganisatieDep,
    LeesbareOrganisatieDep,
    OrganisatieLezerDep,
)
from app.organisaties.schemas import OrganisatieCreate, OrganisatiePublic, OrganisatieUpdate
from app.toegang.dependencies import BeherenDep

router = APIRouter(tags=["organisaties"])

LEZEN = (
    "Een beheersleutel (scope `beheren`) ziet alle organisaties; een sleutel van een organisatie "
    "(elke scope) alleen de eigen organisatie."
)


@router.post("/organisaties", status_code=201, response_model=OrganisatiePublic, summary="Organisatie aanmaken",
    description="Maakt een organisatie (tenant) aan. `soort` komt uit codelijst `organisatie-soort`.",
    responses={201: {"headers": {"Location": {"description": "URL van de nieuwe organisatie.", "schema": {"type": "string"}}}}},
)
def create_organisatie(
    body: OrganisatieCreate, caller: BeherenDep, session: SessionDep, response: Response
) -> Organisatie:
    organisatie = service.create_organisatie(
        session, caller=caller, naam=body.naam, soort=body.soort, gemeentecodes=body.gemeentecodes
    )
    response.headers["Location"] = location("organisaties", organisatie.id)
    return organisatie


@router.get("/organisaties", response_model=list[OrganisatiePublic], responses=PAGINATED,
    summary="Organisaties opvragen",
    description=f"Lijst van organisaties, op naam gesorteerd. {LEZEN}",
)
def list_organisaties(
    caller: OrganisatieLezerDep, session: SessionDep, pagina: PaginaDep,
    actief: Annotated[bool | None, Query(description="Alleen actieve (`true`) of gedeactiveerde (`false`) organisaties.", examples=[True])] = None,
    soort: Annotated[str | None, Query(description="Alleen organisaties van deze soort.", examples=["ggd"])] = None,
    gemeente: Annotated[
        str | None,
        hernoemd("gemeentecodes", "gemeente", str, pattern=GEMEENTECODE_PATTERN, description="Alleen organisaties die in deze gemeente werken.", examples=["GM0344"]),
    ] = None,
) -> list[Organisatie]:
    statement = service.organisaties_query(caller=caller, actief=actief, soort=soort, gemeente=gemeente)
    return pagina.van(session, statement)


@router.get("/organisaties/{organisatieId}", response_model=OrganisatiePublic, summary="Organisatie opvragen",
    description=f"Een organisatie. {LEZEN} Een andere organisatie geeft 404.",
)
def get_organisatie(organisatie: LeesbareOrganisatieDep, response: Response) -> OrganisatiePublic:
    return versies.met_etag(response, OrganisatiePublic.model_validate(organisatie))


@router.patch("/organisaties/{organisatieId}", response_model=OrganisatiePublic, summary="Organisatie wijzigen",
    description="Wijzigt de meegestuurde velden; weggelaten velden blijven zoals ze zijn.",
)
def update_organisatie(
    body: OrganisatieUpdate, organisatie: BeheerdeOrganisatieDep, caller: BeherenDep, session: SessionDep, response: Response, if_match: versies.IfMatchDep = None
) -> OrganisatiePublic:
    if if_match is not None:
        versies.vergrendel(session, organisatie)
        versies.controleer(if_match, OrganisatiePublic.model_validate(organisatie))
    organisatie = service.update_organisatie(
        session, caller=caller, organisatie=organisatie, wijzigingen=body.model_dump(exclude_unset=True, by_alias=False)
    )
    return versies.met_etag(response, OrganisatiePublic.model_validate(organisatie))


@router.delete("/organisaties/{organisatieId}", response_model=OrganisatiePublic, summary="Organisatie deactiveren",
    description=(
        "Deactiveert de organisatie: `actief` wordt `false` en haar API-sleutels werken niet meer (401). "
        "Registraties blijven bewaard. Antwoordt 200 met de gedeactiveerde organisatie; nogmaals "
        "deactiveren verandert niets."
    ),
)
def deactivate_organisatie(
    organisatie: BeheerdeOrganisatieDep, caller: BeherenDep, session: SessionDep
) -> Organisatie:
    return service.deactivate_organisatie(session, caller=caller, organisatie=organisatie)
