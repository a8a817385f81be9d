"""Routes for /v1/signalen (the giving organisation) and /v1/ontvangen-signalen (the receiving region)."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response, status

from app.codelijsten import service as codelijsten
from app.core import filters as gedeelde_filters
from app.core import versies
from app.core.db import SessionDep
from app.core.openapi import API_PREFIX
from app.core.pagination import PAGINATED, PagineringDep, paginate
from app.core.persoonsgegevens import NAMEN_WAARSCHUWING
from app.core.validation import GEMEENTECODE_PATTERN
from app.signalen import service
from app.signalen.dependencies import OntvangenSignaalDep, SignaalDep
from app.signalen.schemas import (
    GerichtAanSoort,
    OntvangenSignaal,
    SignaalCreate,
    SignaalPublic,
    SignaalStatusCode,
    SignaalUpdate,
    StatusWijziging,
    Urgentie,
)
from app.toegang import scoping
from app.toegang.dependencies import (
    EigenInzienDep,
    EigenRegistrerenDep,
    SignalenDep,
)

router = APIRouter(tags=["signalen"])

LOCATION = {"Location": {"description": "URL van het signaal.", "schema": {"type": "string"}}}
OVERGANGEN_TEKST = "\n".join(
    f"- `{van.value}` → {', '.join(f'`{n.value}`' for n in naar) if naar else 'geen (eindstatus)'}"
    for van, naar in service.OVERGANGEN.items()
)
STATUS_409 = {409: {"description": "Deze statusovergang is niet toegestaan; `toegestaneStatussen` noemt wat wel kan."}}

StatusFilter = Annotated[SignaalStatusCode | None, Query(description="Alleen signalen met deze huidige status.", examples=["ingediend"])]
UrgentieFilter = Annotated[Urgentie | None, Query(description="Alleen signalen met deze urgentie.", examples=["hoog"])]
OnderwerpFilter = Annotated[
    str | None,
    Query(max_length=80, description="Alleen signalen over dit onderwerp; een hoofdonderwerp omvat zijn subonderwerpen.", examples=["zorg"]),
]
GemeenteFilter = Annotated[str | None, Query(pattern=GEMEENTECODE_PATTERN, description="Gemeente waar het signaal speelt.", examples=["GM0344"])]
SoortFilter = Annotated[GerichtAanSoort | None, Query(alias="gerichtAan", description="Alleen signalen gericht aan deze soort ontvanger.", examples=["gemeente"])]
DatumVanaf = Annotated[date | None, Query(alias="datumVanaf", description="Signalen op of na deze datum.", examples=["2026-01-01"])]
DatumTot = Annotated[date | None, Query(alias="datumTot", description="Signalen op of vóór deze datum (inclusief).", examples=["2026-12-31"])]
Sortering = service.SORTERING.dep


def signaal_filters(
    session: SessionDep, status: StatusFilter = None, urgentie: UrgentieFilter = None,
    onderwerp: OnderwerpFilter = None, gemeente: GemeenteFilter = None, gericht_aan: SoortFilter = None,
    datum_vanaf: DatumVanaf = None, datum_tot: DatumTot = None,
) -> dict[str, Any]:
    """The list filters of both signal lists, checked against the code lists and each other."""
    gedeelde_filters.controleer_filters(
        session, codes=[("onderwerp", codelijsten.ONDERWERP, onderwerp)],
        periodes=[("datumVanaf", datum_vanaf, "datumTot", datum_tot)],
    )
    return {"status": status, "urgentie": urgentie, "onderwerp": onderwerp, "gemeente": gemeente,
            "soort": gericht_aan, "datum_vanaf": datum_vanaf, "datum_tot": datum_tot}


FiltersDep = Annotated[dict[str, Any], Depends(signaal_filters)]


@router.post(
    "/signalen",
    status_code=201,
    response_model=SignaalPublic,
    summary="Signaal indienen",
    description=(
        "Legt een signaal uit de gemeenschap vast (status `ingediend`) en richt het aan een gemeente, de GGD "
        "of een ketenpartner van de eigen organisatie. Een signaal gaat over wat sleutelpersonen vaker horen, "
        "niet over één inwoner.\n\n"
        f"{NAMEN_WAARSCHUWING} Tekst met zulke gegevens geeft 400; `invalidParams` noemt het veld en de soort gegevens, nooit de waarde.\n\n"
        "`externId` maakt opnieuw versturen veilig: hetzelfde signaal nog eens geeft 200 met het bestaande; "
        "hetzelfde `externId` met een andere inhoud geeft 409 met `bestaandId`."
    ),
    responses={
        200: {"description": "Dit signaal bestond al (zelfde `externId` en inhoud).", "model": SignaalPublic, "headers": LOCATION},
        201: {"description": "Het signaal is ingediend.", "headers": LOCATION},
        409: {"description": "Het `externId` is al in gebruik voor een signaal met een andere inhoud."},
    },
)
def create_signaal(body: SignaalCreate, caller: EigenRegistrerenDep, session: SessionDep) -> Response:
    signaal, aangemaakt = service.create(session, caller=caller, data=body)
    publiek = service.publiek(session, [signaal])[0]
    return Response(
        content=publiek.model_dump_json(by_alias=True),
        status_code=201 if aangemaakt else 200,
        media_type="application/json",
        headers={"Location": f"{API_PREFIX}/signalen/{signaal.id}"},
    )


@router.get(
    "/signalen",
    response_model=list[SignaalPublic],
    responses=PAGINATED,
    summary="Eigen signalen opvragen",
    description="De signalen van de eigen organisatie, met status, historie en terugkoppeling van de ontvanger. Ingetrokken signalen tellen niet mee.",
)
def list_signalen(
    caller: EigenInzienDep, session: SessionDep, paginering: PagineringDep, request: Request, response: Response,
    sort: Sortering, filters: FiltersDep,
) -> list[SignaalPublic]:
    statement = service.list_statement(service.eigen_statement(caller), **filters, sort=sort)
    return service.publiek(session, paginate(session, statement, paginering=paginering, request=request, response=response))


@router.get("/signalen/{signaalId}", response_model=SignaalPublic, summary="Eigen signaal opvragen",
            description="Eén signaal van de eigen organisatie, met de historie van zijn statussen en de terugkoppeling.")
def get_signaal(caller: EigenInzienDep, signaal: SignaalDep, session: SessionDep, response: Response) -> SignaalPublic:
    return versies.met_etag(response, service.publiek(session, [signaal])[0])


@router.patch(
    "/signalen/{signaalId}",
    response_model=SignaalPublic,
    summary="Eigen signaal corrigeren",
    description=(
        "Corrigeert de meegestuurde velden. `gerichtAan` kan alleen zolang de status `ingediend` is.\n\n"
        "Bij een signaal aan een **ketenpartner** legt de organisatie ook diens status en terugkoppeling vast "
        f"(`status`, `statusDatum`, `terugkoppeling`), langs dezelfde overgangen als de ontvanger:\n\n{OVERGANGEN_TEKST}\n\n"
        "Bij een signaal aan een gemeente of GGD wijzigt alleen de ontvanger de status (409).\n\n" + NAMEN_WAARSCHUWING
    ),
    responses=STATUS_409,
)
def update_signaal(
    caller: EigenRegistrerenDep, signaal: SignaalDep, body: SignaalUpdate, session: SessionDep, response: Response, if_match: versies.IfMatchDep = None
) -> SignaalPublic:
    if if_match is not None:
        versies.vergrendel(session, signaal)
        versies.controleer(if_match, service.publiek(session, [signaal])[0])
    signaal = service.update(session, caller=caller, signaal=signaal, data=body)
    return versies.met_etag(response, service.publiek(session, [signaal])[0])


@router.delete("/signalen/{signaalId}", status_code=status.HTTP_204_NO_CONTENT, summary="Signaal intrekken",
               description="Trekt het signaal in: de organisatie en de ontvanger zien het niet meer. Het `externId` blijft bezet.")
def withdraw_signaal(caller: EigenRegistrerenDep, signaal: SignaalDep, session: SessionDep) -> Response:
    service.withdraw(session, caller=caller, signaal=signaal)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/ontvangen-signalen",
    response_model=list[OntvangenSignaal],
    responses=PAGINATED,
    summary="Ontvangen signalen opvragen",
    description=(
        "Voor een regionale sleutel met scope `signalen` (een beleidsadviseur van een gemeente of een GGD): de "
        "signalen gericht aan een van de gemeenten van de sleutel (soort `gemeente` of `ggd`). U ziet de naam "
        "van de organisatie die het signaal gaf, nooit de sleutelpersoon."
    ),
)
def list_ontvangen_signalen(
    caller: SignalenDep, session: SessionDep, paginering: PagineringDep, request: Request, response: Response,
    sort: Sortering, filters: FiltersDep,
) -> list[OntvangenSignaal]:
    scoping.binnen_regio(caller, filters["gemeente"])
    statement = service.list_statement(service.ontvangen_statement(caller), **filters, sort=sort)
    return service.ontvangen(session, paginate(session, statement, paginering=paginering, request=request, response=response))


@router.get("/ontvangen-signalen/{signaalId}", response_model=OntvangenSignaal, summary="Ontvangen signaal opvragen",
            description="Eén signaal gericht aan een van de gemeenten van de sleutel, met historie en terugkoppeling.")
def get_ontvangen_signaal(
    caller: SignalenDep, signaal: OntvangenSignaalDep, session: SessionDep, response: Response
) -> OntvangenSignaal:
    return versies.met_etag(response, service.ontvangen(session, [signaal])[0])


@router.patch(
    "/ontvangen-signalen/{signaalId}",
    response_model=OntvangenSignaal,
    summary="Status van een ontvangen signaal wijzigen en terugkoppelen",
    description=(
        f"Zet het signaal op een nieuwe status. Elke wijziging komt in de historie. Toegestane overgangen:\n\n{OVERGANGEN_TEKST}\n\n"
        "`opgepakt` en `niet-opgepakt` vragen om een `terugkoppeling` (`tekst`, `datum`); die ziet de organisatie "
        "die het signaal gaf. Een andere overgang geeft 409 met de toegestane volgende statussen.\n\n" + NAMEN_WAARSCHUWING
    ),
    responses=STATUS_409,
)
def update_ontvangen_signaal(
    caller: SignalenDep, signaal: OntvangenSignaalDep, body: StatusWijziging, session: SessionDep, response: Response, if_match: versies.IfMatchDep = None
) -> OntvangenSignaal:
    if if_match is not None:
        versies.vergrendel(session, signaal)
        versies.controleer(if_match, service.ontvangen(session, [signaal])[0])
    signaal = service.wijzig_status(session, caller=caller, signaal=signaal, data=body)
    return versies.met_etag(response, service.ontvangen(session, [signaal])[0])
