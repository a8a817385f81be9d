"""Routes for /v1/signalen (the giving organisation) and /v1/ontvangen-signalen (the receiving region)."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response, status

from app.codelijsten import service as codelijsten
from app.core import filters as gedeelde_filters
from app.core import versies
from app.core.db import SessionDep
from app.core.filternamen import hernoemd
from app.core.openapi import API_PREFIX, location
from app.core.pagination import PAGINATED, PAGINATION_HEADERS, PagineringDep, paginate
from app.core.persoonsgegevens import NAMEN_WAARSCHUWING
from app.core.validation import GEMEENTECODE_PATTERN
from app.signalen import service
from app.signalen.dependencies import (
    BerichtDep,
    OntvangenBerichtDep,
    OntvangenSignaalDep,
    SignaalDep,
)
from app.signalen.schemas import (
    BerichtCreate,
    BerichtPublic,
    BerichtVan,
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
    hernoemd("onderwerpen", "onderwerp", str, max_length=80, description="Alleen signalen over dit onderwerp; een hoofdonderwerp omvat zijn subonderwerpen.", examples=["zorg"]),
]
GemeenteFilter = Annotated[str | None, hernoemd("gemeentecode", "gemeente", str, pattern=GEMEENTECODE_PATTERN, description="Gemeente waar het signaal speelt.", examples=["GM0344"])]
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
    description=(
        "De signalen van de eigen organisatie, met status, historie en de laatste terugkoppeling van de ontvanger "
        "(het hele gesprek: `/signalen/{signaalId}/berichten`). Ingetrokken signalen tellen niet mee."
    ),
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
        "Bij een signaal aan een gemeente of GGD wijzigt alleen de ontvanger de status (409). De terugkoppeling van "
        "een ketenpartner komt als bericht van de ontvanger in het gesprek (`/signalen/{signaalId}/berichten`).\n\n" + NAMEN_WAARSCHUWING
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
        "die het signaal gaf. Een andere overgang geeft 409 met de toegestane volgende statussen.\n\n"
        "**Wijziging:** een `terugkoppeling` komt als bericht van de ontvanger in het gesprek over het signaal "
        "(`/ontvangen-signalen/{signaalId}/berichten`) en overschrijft geen eerdere terugkoppeling meer. Voor een "
        "tussenbericht zonder statuswijziging is `POST .../berichten`.\n\n" + NAMEN_WAARSCHUWING
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



# --- the conversation: messages between the receiver and the giving organisation ------------

GESPREK = (
    "Het gesprek over een signaal: gedateerde berichten tussen de ontvanger (de beleidsadviseur van een gemeente "
    "of GGD) en de organisatie die het signaal gaf, oudste eerst. Elk bericht blijft bewaard; een nieuw bericht "
    "overschrijft niets. Een bericht en een statuswijziging zijn aparte handelingen: een bericht verandert de "
    "status niet, en kan in elke status, ook na een eindstatus.\n\n"
    "**Wijziging:** `terugkoppeling` in een signaal is sinds deze versie het laatste bericht van de ontvanger "
    "(`van: ontvanger`). Een terugkoppeling bij een statuswijziging (`PATCH`) komt als bericht in het gesprek."
)
BERICHT_POST = (
    "\n\n" + NAMEN_WAARSCHUWING + " Tekst met zulke gegevens geeft 400; `invalidParams` noemt het veld en de soort "
    "gegevens, nooit de waarde.\n\n`externId` maakt opnieuw versturen veilig: hetzelfde bericht nog eens geeft 200 "
    "met het bestaande; hetzelfde `externId` met een andere inhoud geeft 409 met `bestaandId`."
)
BERICHT_LOCATION = {"Location": {"description": "URL van het bericht.", "schema": {"type": "string"}}}
BERICHT_ANTWOORDEN: dict[int | str, dict[str, Any]] = {
    200: {"description": "Dit bericht bestond al (zelfde `externId` en inhoud).", "model": BerichtPublic, "headers": BERICHT_LOCATION},
    201: {"description": "Het bericht is geplaatst.", "headers": BERICHT_LOCATION},
    409: {"description": "Het `externId` is bij dit signaal al in gebruik voor een bericht met een andere inhoud."},
}
BERICHTEN_VOORBEELD = {
    200: {
        "headers": PAGINATION_HEADERS,
        "content": {"application/json": {"example": [
            {"id": "5e0c1b2a-9d8f-4a7b-8c6d-1e2f3a4b5c6d", "van": "ontvanger", "datum": "2026-11-24",
             "tekst": "We hebben uw signaal ontvangen en bespreken het volgende week met de JGZ.",
             "externId": None, "aangemaaktOp": "2026-11-24T09:30:00Z"},
            {"id": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", "van": "organisatie", "datum": "2026-11-25",
             "tekst": "Dank u. De moeders willen graag meedenken over een nieuwe uitnodiging.",
             "externId": "crm-bericht-0007", "aangemaaktOp": "2026-11-25T14:02:00Z"},
        ]}},
    },
}


def _bericht_antwoord(bericht: Any, aangemaakt: bool, kant: BerichtVan) -> Response:
    publiek = service.berichten_publiek([bericht], kant=kant)[0]
    pad = "signalen" if kant is BerichtVan.organisatie else "ontvangen-signalen"
    return Response(content=publiek.model_dump_json(by_alias=True), status_code=201 if aangemaakt else 200,
                    media_type="application/json", headers={"Location": location(pad, bericht.signaal_id, "berichten", bericht.id)})


@router.get(
    "/signalen/{signaalId}/berichten",
    response_model=list[BerichtPublic],
    responses=BERICHTEN_VOORBEELD,
    summary="Gesprek over een eigen signaal opvragen",
    description=GESPREK + "\n\nDe app van een sleutelpersoon ziet alleen de gesprekken over de eigen signalen.",
)
def list_berichten(
    caller: EigenInzienDep, signaal: SignaalDep, session: SessionDep, paginering: PagineringDep, request: Request, response: Response,
) -> list[BerichtPublic]:
    berichten = paginate(session, service.berichten_statement(signaal), paginering=paginering, request=request, response=response)
    return service.berichten_publiek(berichten, kant=BerichtVan.organisatie)


@router.post(
    "/signalen/{signaalId}/berichten",
    status_code=201,
    response_model=BerichtPublic,
    responses=BERICHT_ANTWOORDEN,
    summary="Reageren op een eigen signaal",
    description=(
        "Plaatst een bericht van de organisatie (`van: organisatie`) in het gesprek over een eigen signaal, "
        "bijvoorbeeld een antwoord op een vraag van de ontvanger. De ontvanger ziet de naam van de organisatie, "
        "nooit welke sleutelpersoon schreef. Ook de app van een sleutelpersoon kan reageren, op de eigen signalen."
        + BERICHT_POST
    ),
)
def create_bericht(caller: EigenRegistrerenDep, signaal: SignaalDep, body: BerichtCreate, session: SessionDep) -> Response:
    bericht, aangemaakt = service.plaats_bericht(session, caller=caller, signaal=signaal, van=BerichtVan.organisatie, data=body)
    return _bericht_antwoord(bericht, aangemaakt, BerichtVan.organisatie)


@router.get("/signalen/{signaalId}/berichten/{berichtId}", response_model=BerichtPublic,
            summary="Eén bericht over een eigen signaal opvragen",
            description="Eén bericht uit het gesprek over een eigen signaal; een bericht verandert nooit.")
def get_bericht(caller: EigenInzienDep, bericht: BerichtDep) -> BerichtPublic:
    return service.berichten_publiek([bericht], kant=BerichtVan.organisatie)[0]


@router.get(
    "/ontvangen-signalen/{signaalId}/berichten",
    response_model=list[BerichtPublic],
    responses=BERICHTEN_VOORBEELD,
    summary="Gesprek over een ontvangen signaal opvragen",
    description=GESPREK,
)
def list_ontvangen_berichten(
    caller: SignalenDep, signaal: OntvangenSignaalDep, session: SessionDep, paginering: PagineringDep, request: Request,
    response: Response,
) -> list[BerichtPublic]:
    berichten = paginate(session, service.berichten_statement(signaal), paginering=paginering, request=request, response=response)
    return service.berichten_publiek(berichten, kant=BerichtVan.ontvanger)


@router.post(
    "/ontvangen-signalen/{signaalId}/berichten",
    status_code=201,
    response_model=BerichtPublic,
    responses=BERICHT_ANTWOORDEN,
    summary="Bericht sturen over een ontvangen signaal",
    description=(
        "Plaatst een bericht van de ontvanger (`van: ontvanger`), bijvoorbeeld een tussenbericht (\"we hebben het "
        "ontvangen\") of een vraag aan de organisatie. De status verandert niet; daarvoor is `PATCH`. Het laatste "
        "bericht van de ontvanger is de `terugkoppeling` van het signaal." + BERICHT_POST
    ),
)
def create_ontvangen_bericht(caller: SignalenDep, signaal: OntvangenSignaalDep, body: BerichtCreate, session: SessionDep) -> Response:
    bericht, aangemaakt = service.plaats_bericht(session, caller=caller, signaal=signaal, van=BerichtVan.ontvanger, data=body)
    return _bericht_antwoord(bericht, aangemaakt, BerichtVan.ontvanger)


@router.get("/ontvangen-signalen/{signaalId}/berichten/{berichtId}", response_model=BerichtPublic,
            summary="Eén bericht over een ontvangen signaal opvragen",
            description="Eén bericht uit het gesprek over een signaal gericht aan een van de gemeenten van de sleutel.")
def get_ontvangen_bericht(caller: SignalenDep, bericht: OntvangenBerichtDep) -> BerichtPublic:
    return service.berichten_publiek([bericht], kant=BerichtVan.ontvanger)[0]
