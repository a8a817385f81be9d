"""Routes of the reporting cycle: /v1/rapportageritmes (the region) and /v1/rapportageperiodes (the organisation).

Paths (docs/rapportage.md):
- the region declares `/v1/rapportageritmes` and acts on
  `/v1/rapportageritmes/{ritmeId}/periodes/{periode}/organisaties/{organisatieId}/{goedkeuren|terugsturen|heropenen}`;
- the organisation reads `/v1/rapportageperiodes` and submits `/v1/rapportageperiodes/{periode}/indienen`.
"""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.core import versies
from app.core.db import SessionDep
from app.core.openapi import location
from app.core.pagination import PAGINATED, PaginaDep, paginate_list
from app.rapportage import service
from app.rapportage.dependencies import GoedkeurenDep, Periodecode, RitmeDep, VakDep
from app.rapportage.periodes import Periodestatus
from app.rapportage.schemas import (
    Heropenen,
    RapportageperiodePublic,
    RapportageritmeCreate,
    RapportageritmePublic,
    RapportageritmeUpdate,
    Terugsturen,
)
from app.toegang.dependencies import InzienDep, RegistrerenDep

router = APIRouter(tags=["rapportageperiodes"])

PeriodeFilter = Annotated[str | None, Query(max_length=40, description="Alleen deze periode (2026Q1 of 2026-03).", examples=["2026Q1"])]
StatusFilter = Annotated[Periodestatus | None, Query(description="Alleen periodes met deze status.", examples=["ingediend"])]
SLOT = (
    "Na goedkeuring zijn registraties met een datum in de periode vergrendeld: toevoegen, wijzigen, verwijderen en "
    "importeren geven 409 met `code: periode-goedgekeurd`. Het wissen van een inwoner (AVG) blijft mogelijk en komt "
    "in de historie als `gewijzigd-na-goedkeuring`."
)


@router.post("/rapportageritmes", status_code=201, response_model=RapportageritmePublic, summary="Rapportageritme vastleggen",
             responses={201: {"headers": {"Location": {"description": "URL van het ritme.", "schema": {"type": "string"}}}}},
             description="Een regio legt voor haar gemeenten het ritme vast (maand of kwartaal), de organisaties die moeten "
             "rapporteren en de termijn in dagen na het einde van een periode. Gemeenten buiten de regio van de sleutel geven "
             "403; onbekende organisaties of organisaties die in geen van de gemeenten werken 400.")
def create_ritme(body: RapportageritmeCreate, caller: GoedkeurenDep, session: SessionDep, response: Response) -> RapportageritmePublic:
    ritme = service.create_ritme(session, caller=caller, data=body)
    response.headers["Location"] = location("rapportageritmes", ritme.id)
    return service.ritme_publiek(session, ritme)


@router.get("/rapportageritmes", response_model=list[RapportageritmePublic], responses=PAGINATED,
            summary="Rapportageritmes opvragen", description="De rapportageritmes van de gemeenten in de regio van de sleutel.")
def list_ritmes(caller: GoedkeurenDep, session: SessionDep, pagina: PaginaDep) -> list[RapportageritmePublic]:
    lijst = service.ritmes(session, caller=caller)
    return [service.ritme_publiek(session, r) for r in paginate_list(lijst, paginering=pagina.paginering,
                                                                       request=pagina.request, response=pagina.response)]


@router.get("/rapportageritmes/{ritmeId}", response_model=RapportageritmePublic, summary="Rapportageritme opvragen",
            description="Eén rapportageritme; een ritme van een andere regio geeft 404.")
def get_ritme(ritme: RitmeDep, session: SessionDep, response: Response) -> RapportageritmePublic:
    return versies.met_etag(response, service.ritme_publiek(session, ritme))


@router.patch("/rapportageritmes/{ritmeId}", response_model=RapportageritmePublic, summary="Rapportageritme wijzigen",
              description="Wijzigt de naam, de termijn of de organisaties die moeten rapporteren. Het ritme en de gemeenten "
              "liggen vast: leg voor een ander ritme een nieuw ritme vast.")
def update_ritme(ritme: RitmeDep, body: RapportageritmeUpdate, caller: GoedkeurenDep, session: SessionDep,
                 response: Response, if_match: versies.IfMatchDep = None) -> RapportageritmePublic:
    if if_match is not None:  # a rhythm changed meanwhile: 412, nothing saved
        versies.vergrendel(session, ritme)
        versies.controleer(if_match, service.ritme_publiek(session, ritme))
    return versies.met_etag(response, service.ritme_publiek(session, service.update_ritme(session, caller=caller, ritme=ritme, data=body)))


@router.get("/rapportageritmes/{ritmeId}/periodes", response_model=list[RapportageperiodePublic], responses=PAGINATED,
            summary="Volledigheid per organisatie en periode",
            description="De volledigheidstabel van een ritme: per verwachte organisatie en periode (van de eerste tot de "
            "huidige) de status, de deadline en of er tijdig is ingediend, met de historie. De nieuwste periode eerst.")
def list_ritme_periodes(
    ritme: RitmeDep, session: SessionDep, pagina: PaginaDep, periode: PeriodeFilter = None,
    organisatie_id: Annotated[uuid.UUID | None, Query(alias="organisatieId", description="Alleen deze organisatie.")] = None,
    status: StatusFilter = None,
) -> list[RapportageperiodePublic]:
    lijst = service.vakken(session, [ritme], organisatie_id=organisatie_id, periode=periode)
    lijst = [v for v in lijst if status is None or v.huidig is status]
    lijst.sort(key=lambda v: (-v.periode.vanaf.toordinal(), v.organisatie.naam, str(v.organisatie.id)))
    return service.publiek(session, paginate_list(lijst, paginering=pagina.paginering, request=pagina.request,
                                                  response=pagina.response))


@router.get("/rapportageritmes/{ritmeId}/periodes/{periode}/organisaties/{organisatieId}",
            response_model=RapportageperiodePublic, summary="Periode van een organisatie opvragen",
            description="De status en historie van één organisatie in één periode van het ritme.")
def get_ritme_periode(vak: VakDep, caller: GoedkeurenDep, session: SessionDep) -> RapportageperiodePublic:
    return service.publiek(session, [vak])[0]


@router.post("/rapportageritmes/{ritmeId}/periodes/{periode}/organisaties/{organisatieId}/goedkeuren",
             response_model=RapportageperiodePublic, summary="Periode goedkeuren",
             description="Keurt een ingediende periode goed (alleen vanuit status `ingediend`; anders 409). " + SLOT)
def goedkeuren_periode(vak: VakDep, caller: GoedkeurenDep, session: SessionDep) -> RapportageperiodePublic:
    return service.publiek(session, [service.beoordeel(session, caller=caller, vak=vak, stap="goedkeuren")])[0]


@router.post("/rapportageritmes/{ritmeId}/periodes/{periode}/organisaties/{organisatieId}/terugsturen",
             response_model=RapportageperiodePublic, summary="Periode terugsturen",
             description="Stuurt een ingediende periode terug naar de organisatie, met een bericht wat er moet gebeuren "
             "(alleen vanuit status `ingediend`; anders 409). De organisatie kan daarna opnieuw indienen.")
def terugsturen_periode(vak: VakDep, body: Terugsturen, caller: GoedkeurenDep, session: SessionDep) -> RapportageperiodePublic:
    return service.publiek(session, [service.beoordeel(session, caller=caller, vak=vak, stap="terugsturen",
                                                       toelichting=body.bericht)])[0]


@router.post("/rapportageritmes/{ritmeId}/periodes/{periode}/organisaties/{organisatieId}/heropenen",
             response_model=RapportageperiodePublic, summary="Periode heropenen",
             description="Heropent een goedgekeurde periode, met een reden (alleen vanuit status `goedgekeurd`; anders "
             "409). Registraties in de periode kunnen dan weer worden gewijzigd; de organisatie dient opnieuw in.")
def heropenen_periode(vak: VakDep, body: Heropenen, caller: GoedkeurenDep, session: SessionDep) -> RapportageperiodePublic:
    return service.publiek(session, [service.beoordeel(session, caller=caller, vak=vak, stap="heropenen",
                                                       toelichting=body.reden)])[0]


@router.get("/rapportageperiodes", response_model=list[RapportageperiodePublic], responses=PAGINATED,
            summary="Eigen rapportageperiodes opvragen",
            description="De periodes waarin de eigen organisatie moet rapporteren, per ritme, met status, deadline, "
            "tijdigheid en historie. De nieuwste periode eerst.")
def list_eigen_periodes(caller: InzienDep, session: SessionDep, pagina: PaginaDep, periode: PeriodeFilter = None,
                        status: StatusFilter = None) -> list[RapportageperiodePublic]:
    lijst = [v for v in service.eigen_vakken(session, caller=caller, periode=periode) if status is None or v.huidig is status]
    return service.publiek(session, paginate_list(lijst, paginering=pagina.paginering, request=pagina.request,
                                                  response=pagina.response))


@router.post("/rapportageperiodes/{periode}/indienen", response_model=list[RapportageperiodePublic],
             summary="Periode indienen",
             description="De coördinator bevestigt dat de cijfers van de periode compleet zijn: de periode gaat naar "
             "`ingediend` (vanuit `open`, `teruggestuurd` of `heropend`), voor elk ritme van de organisatie met deze "
             "periode. Een periode die nog loopt, of al is ingediend of goedgekeurd, geeft 409; een periode waarin de "
             "organisatie niet hoeft te rapporteren 404.")
def indienen_periode(periode: Periodecode, caller: RegistrerenDep, session: SessionDep) -> list[RapportageperiodePublic]:
    return service.publiek(session, service.dien_in(session, caller=caller, periode=periode))
