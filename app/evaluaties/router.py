"""Routes for /v1/evaluaties: evaluation meetings and what was decided (issue 25, part 4)."""

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.core import filters as gedeelde_filters
from app.core import versies
from app.core.db import SessionDep
from app.core.openapi import location
from app.core.pagination import PAGINATED, PaginaDep
from app.core.persoonsgegevens import NAMEN_WAARSCHUWING
from app.core.schemas import schemafouten
from app.doelstellingen.service import periode_grenzen
from app.evaluaties import service
from app.evaluaties.dependencies import EvaluatieDep
from app.evaluaties.schemas import EvaluatieInvoer, EvaluatiePublic, EvaluatieUpdate
from app.toegang.dependencies import InzienDep, RegistrerenDep

router = APIRouter(tags=["evaluaties"])

REGELS = (
    "Deelnemers staan er per rol met een aantal in, nooit met namen. `doelstellingen` en `ervaringsverhalen` zijn ids "
    "van de eigen organisatie, `indicatoren` codes uit `/v1/indicatoren`. Alle fouten komen tegelijk terug."
)

DoelstellingFilter = Annotated[
    uuid.UUID | None, Query(description="Alleen evaluaties die deze doelstelling bespraken (id).", examples=["0b6f3e2a-1c4d-4e5f-9a8b-7c6d5e4f3a2b"])
]
PeriodeFilter = Annotated[
    str | None,
    Query(max_length=40, description="Alleen evaluaties in deze periode: 2026, 2026Q4, 2026-11, 2026W47 of relatief "
          "(dit-jaar, ...). Niet samen met datumVanaf/datumTot.", examples=["2026"]),
]
DatumVanaf = Annotated[date | None, Query(alias="datumVanaf", description="Evaluaties op of na deze datum.", examples=["2026-01-01"])]
DatumTot = Annotated[date | None, Query(alias="datumTot", description="Evaluaties op of vóór deze datum (inclusief).", examples=["2026-12-31"])]
Sortering = service.SORTERING.dep


@router.post(
    "/evaluaties",
    status_code=201,
    response_model=EvaluatiePublic,
    summary="Evaluatie vastleggen",
    description=f"Legt een evaluatie van de eigen organisatie vast, met bevindingen en besluiten. {REGELS}\n\n{NAMEN_WAARSCHUWING}",
    responses={201: {"description": "De evaluatie is vastgelegd.", "headers": {"Location": {"description": "URL van de evaluatie.", "schema": {"type": "string"}}}}},
)
def create_evaluatie(body: EvaluatieInvoer, caller: RegistrerenDep, session: SessionDep, response: Response) -> EvaluatiePublic:
    evaluatie = service.create(session, caller=caller, data=body, schemafouten=schemafouten(body))
    response.headers["Location"] = location("evaluaties", evaluatie.id)
    return versies.met_etag(response, service.publiek(session, [evaluatie])[0])


@router.get("/evaluaties", response_model=list[EvaluatiePublic], responses=PAGINATED, summary="Evaluaties opvragen",
            description="De evaluaties van de eigen organisatie, nieuwste eerst.")
def list_evaluaties(
    caller: InzienDep, session: SessionDep, pagina: PaginaDep, sort: Sortering,
    doelstelling: DoelstellingFilter = None, periode: PeriodeFilter = None, datum_vanaf: DatumVanaf = None, datum_tot: DatumTot = None,
) -> list[EvaluatiePublic]:
    problemen: list[dict[str, str]] = []
    datum_vanaf, datum_tot = periode_grenzen(periode, datum_vanaf, datum_tot, problemen)
    gedeelde_filters.controleer_filters(session, periodes=[("datumVanaf", datum_vanaf, "datumTot", datum_tot)], problemen=problemen)
    statement = service.list_statement(service.eigen_statement(caller), doelstelling=doelstelling, datum_vanaf=datum_vanaf,
                                       datum_tot=datum_tot, sort=sort)
    return service.publiek(session, pagina.van(session, statement))


@router.get("/evaluaties/{evaluatieId}", response_model=EvaluatiePublic, summary="Evaluatie opvragen",
            description="Eén evaluatie van de eigen organisatie; die van een andere organisatie geeft 404.")
def get_evaluatie(caller: InzienDep, evaluatie: EvaluatieDep, session: SessionDep, response: Response) -> EvaluatiePublic:
    return versies.met_etag(response, service.publiek(session, [evaluatie])[0])


@router.patch(
    "/evaluaties/{evaluatieId}",
    response_model=EvaluatiePublic,
    summary="Evaluatie wijzigen",
    description=(
        f"Wijzigt de meegestuurde velden; een meegestuurde lijst (zoals `besluiten`, om de status van een besluit bij te "
        f"werken) vervangt de hele lijst. {REGELS}\n\nStuur de `ETag` van uw versie mee in `If-Match`: is de evaluatie "
        "intussen gewijzigd, dan volgt 412 en wordt er niets opgeslagen.\n\n" + NAMEN_WAARSCHUWING
    ),
)
def update_evaluatie(
    caller: RegistrerenDep, evaluatie: EvaluatieDep, body: EvaluatieUpdate, session: SessionDep, response: Response,
    if_match: versies.IfMatchDep = None,
) -> EvaluatiePublic:
    if if_match is not None:
        versies.vergrendel(session, evaluatie)
        versies.controleer(if_match, service.publiek(session, [evaluatie])[0])
    evaluatie = service.update(session, caller=caller, evaluatie=evaluatie, data=body)
    return versies.met_etag(response, service.publiek(session, [evaluatie])[0])


@router.delete("/evaluaties/{evaluatieId}", status_code=status.HTTP_204_NO_CONTENT, summary="Evaluatie verwijderen",
               description="Verwijdert de evaluatie definitief; de audittrail bewaart alleen dat het gebeurde.")
def delete_evaluatie(caller: RegistrerenDep, evaluatie: EvaluatieDep, session: SessionDep) -> Response:
    service.delete_evaluatie(session, caller=caller, evaluatie=evaluatie)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
