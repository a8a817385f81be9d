"""Routes for /v1/evaluaties: evaluation meetings and what was decided (issue 25, part 4)."""

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.core import filters as gedeelde_filters
from app.core import versies
from app.core.db import SessionDep
from app.core.filternamen import hernoemd
from app.core.openapi import location
from app.core.pagination import PAGINATED, PaginaDep
from app.core.persoonsgegevens import NAMEN_WAARSCHUWING
from app.core.schemas import schemafouten
from app.doelstellingen.service import periode_grenzen
from app.evaluaties import besluiten, service
from app.evaluaties.dependencies import BesluitDep, EvaluatieDep
from app.evaluaties.schemas import (
    BesluitLijstPublic,
    BesluitStatus,
    BesluitUpdate,
    DeelnemerRol,
    EvaluatieInvoer,
    EvaluatiePublic,
    EvaluatieUpdate,
)
from app.toegang.dependencies import InzienDep, RegistrerenDep

router = APIRouter(tags=["evaluaties"])

REGELS = (
    "Deelnemers staan er per rol met een aantal in, nooit met namen. `doelstellingen` en `ervaringsverhalen` zijn ids "
    "van de eigen organisatie, `indicatoren` codes uit `/v1/indicatoren`. Alle fouten komen tegelijk terug."
)

DoelstellingFilter = Annotated[
    uuid.UUID | None, hernoemd("doelstellingen", "doelstelling", uuid.UUID, description="Alleen evaluaties die deze doelstelling bespraken (id).", examples=["0b6f3e2a-1c4d-4e5f-9a8b-7c6d5e4f3a2b"])
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


# --- /v1/besluiten: the decisions of all evaluations ---------------------------------------------

BesluitSortering = besluiten.SORTERING.dep


@router.get("/besluiten", response_model=list[BesluitLijstPublic], responses=PAGINATED, summary="Besluiten opvragen",
            description="De besluiten van alle evaluaties van de eigen organisatie, elk met de evaluatie en de doelstellingen "
            "die daar besproken werden; standaard op deadline (besluiten zonder deadline achteraan). `teLaat=true` geeft "
            "de besluiten waarvan de deadline voorbij is en die niet afgerond zijn.")
def list_besluiten(
    caller: InzienDep, session: SessionDep, pagina: PaginaDep, sort: BesluitSortering,
    status_: Annotated[BesluitStatus | None, Query(alias="status", description="Alleen besluiten met deze status.", examples=["open"])] = None,
    eigenaar_rol: Annotated[DeelnemerRol | None, Query(alias="eigenaarRol", description="Alleen besluiten van deze eigenaar (rol).",
                                                       examples=["coordinator"])] = None,
    deadline_vanaf: Annotated[date | None, Query(alias="deadlineVanaf", description="Deadline op of na deze datum.",
                                                 examples=["2027-01-01"])] = None,
    deadline_tot: Annotated[date | None, Query(alias="deadlineTot", description="Deadline op of vóór deze datum (inclusief).",
                                               examples=["2027-03-31"])] = None,
    te_laat: Annotated[bool | None, Query(alias="teLaat", description="`true`: alleen besluiten over hun deadline die niet afgerond "
                                          "zijn; `false`: alle andere.", examples=[True])] = None,
    evaluatie: Annotated[uuid.UUID | None, hernoemd("evaluatieId", "evaluatie", uuid.UUID, description="Alleen besluiten van deze evaluatie (id).",
                                                 examples=["6c5d4e3f-2a1b-4c9d-8e7f-6a5b4c3d2e1f"])] = None,
    doelstelling: DoelstellingFilter = None,
) -> list[BesluitLijstPublic]:
    gedeelde_filters.controleer_filters(session, periodes=[("deadlineVanaf", deadline_vanaf, "deadlineTot", deadline_tot)])
    statement = besluiten.list_statement(
        caller, status=status_.value if status_ else None, eigenaar_rol=eigenaar_rol.value if eigenaar_rol else None,
        deadline_vanaf=deadline_vanaf, deadline_tot=deadline_tot, te_laat=te_laat, evaluatie=evaluatie, doelstelling=doelstelling,
        sort=sort,
    )
    return besluiten.publiek(session, list(pagina.van(session, statement)))


@router.get("/besluiten/{besluitId}", response_model=BesluitLijstPublic, summary="Besluit opvragen",
            description="Eén besluit van de eigen organisatie; dat van een andere organisatie geeft 404.")
def get_besluit(caller: InzienDep, besluit: BesluitDep, session: SessionDep, response: Response) -> BesluitLijstPublic:
    return versies.met_etag(response, besluiten.publiek(session, [besluit])[0])


@router.patch(
    "/besluiten/{besluitId}",
    response_model=BesluitLijstPublic,
    summary="Status van een besluit bijwerken",
    description="Zet de `status` van een besluit (`open`, `bezig`, `afgerond`) of verzet de `deadline`. De evaluatie waar het "
    "besluit bij hoort telt daarmee ook als gewijzigd. Stuur de `ETag` van uw versie mee in `If-Match`: is het besluit intussen "
    "gewijzigd, dan volgt 412 en wordt er niets opgeslagen.",
)
def update_besluit(caller: RegistrerenDep, besluit: BesluitDep, body: BesluitUpdate, session: SessionDep, response: Response,
                   if_match: versies.IfMatchDep = None) -> BesluitLijstPublic:
    if if_match is not None:
        versies.vergrendel(session, besluit)
        versies.controleer(if_match, besluiten.publiek(session, [besluit])[0])
    besluit = besluiten.update(session, caller=caller, besluit=besluit, data=body)
    return versies.met_etag(response, besluiten.publiek(session, [besluit])[0])
