"""Routes for /v1/doelstellingen: the organisation's goals (issue 25, part 1)."""

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
from app.doelstellingen import service
from app.doelstellingen.dependencies import DoelstellingDep
from app.doelstellingen.schemas import (
    DoelstellingInvoer,
    DoelstellingPublic,
    DoelstellingStatus,
    DoelstellingUpdate,
)
from app.toegang.dependencies import InzienDep, RegistrerenDep

router = APIRouter(tags=["doelstellingen"])

LOCATION = {"Location": {"description": "URL van de doelstelling.", "schema": {"type": "string"}}}
REGELS = (
    "`beoogdeKetenpartners` zijn ketenpartners van de eigen organisatie; `indicatoren` zijn codes uit `/v1/indicatoren`; "
    "`tot` ligt niet vóór `vanaf`. Alle fouten komen tegelijk terug."
)

StatusFilter = Annotated[DoelstellingStatus | None, Query(description="Alleen doelstellingen met deze status.", examples=["actief"])]
PeriodeFilter = Annotated[
    str | None,
    Query(max_length=40, description="Alleen doelstellingen waarvan de looptijd deze periode overlapt: 2027, 2027Q1, 2027-03, "
          "2027W10 of relatief (dit-jaar, ...). Niet samen met datumVanaf/datumTot.", examples=["2027"]),
]
DatumVanaf = Annotated[date | None, Query(alias="datumVanaf", description="Looptijd overlapt: eindigt op of na deze datum (of loopt door).", examples=["2027-01-01"])]
DatumTot = Annotated[date | None, Query(alias="datumTot", description="Looptijd overlapt: begint op of vóór deze datum.", examples=["2027-12-31"])]
Sortering = service.SORTERING.dep


@router.post(
    "/doelstellingen",
    status_code=201,
    response_model=DoelstellingPublic,
    summary="Doelstelling vastleggen",
    description=(
        "Legt een doelstelling van de eigen organisatie vast, met de behoefteanalyse waaruit ze voortkomt, de beoogde "
        f"ketenpartners, de looptijd en de indicatoren die haar meten. {REGELS}\n\n"
        "`externId` maakt opnieuw versturen veilig: dezelfde doelstelling nog eens geeft 200 met de bestaande; "
        "hetzelfde `externId` met een andere inhoud geeft 409 met `bestaandId`.\n\n" + NAMEN_WAARSCHUWING
    ),
    responses={
        200: {"description": "Deze doelstelling bestond al (zelfde `externId` en inhoud).", "model": DoelstellingPublic, "headers": LOCATION},
        201: {"description": "De doelstelling is vastgelegd.", "headers": LOCATION},
        409: {"description": "Het `externId` is al in gebruik voor een doelstelling met een andere inhoud."},
    },
)
def create_doelstelling(body: DoelstellingInvoer, caller: RegistrerenDep, session: SessionDep) -> Response:
    doelstelling, aangemaakt = service.create(session, caller=caller, data=body, schemafouten=schemafouten(body))
    publiek = service.publiek(doelstelling)
    return Response(
        content=publiek.model_dump_json(by_alias=True),
        status_code=201 if aangemaakt else 200,
        media_type="application/json",
        headers={"Location": location("doelstellingen", doelstelling.id), "ETag": versies.etag(publiek)},
    )


@router.get("/doelstellingen", response_model=list[DoelstellingPublic], responses=PAGINATED, summary="Doelstellingen opvragen",
            description="De doelstellingen van de eigen organisatie, de laatst begonnen eerst. Verwijderde tellen niet mee.")
def list_doelstellingen(
    caller: InzienDep, session: SessionDep, pagina: PaginaDep, sort: Sortering,
    status: StatusFilter = None, periode: PeriodeFilter = None, datum_vanaf: DatumVanaf = None, datum_tot: DatumTot = None,
) -> list[DoelstellingPublic]:
    problemen: list[dict[str, str]] = []
    datum_vanaf, datum_tot = service.periode_grenzen(periode, datum_vanaf, datum_tot, problemen)
    gedeelde_filters.controleer_filters(session, periodes=[("datumVanaf", datum_vanaf, "datumTot", datum_tot)], problemen=problemen)
    statement = service.list_statement(service.eigen_statement(caller), status=status, datum_vanaf=datum_vanaf,
                                       datum_tot=datum_tot, sort=sort)
    return [service.publiek(d) for d in pagina.van(session, statement)]


@router.get("/doelstellingen/{doelstellingId}", response_model=DoelstellingPublic, summary="Doelstelling opvragen",
            description="Eén doelstelling van de eigen organisatie; die van een andere organisatie, of een verwijderde, geeft 404.")
def get_doelstelling(caller: InzienDep, doelstelling: DoelstellingDep, response: Response) -> DoelstellingPublic:
    return versies.met_etag(response, service.publiek(doelstelling))


@router.patch(
    "/doelstellingen/{doelstellingId}",
    response_model=DoelstellingPublic,
    summary="Doelstelling wijzigen",
    description=(
        f"Wijzigt de meegestuurde velden; de regels gelden voor het resultaat. {REGELS}\n\n"
        "Stuur de `ETag` van uw versie mee in `If-Match`: is de doelstelling intussen gewijzigd, dan volgt 412 en wordt "
        "er niets opgeslagen.\n\n" + NAMEN_WAARSCHUWING
    ),
)
def update_doelstelling(
    caller: RegistrerenDep, doelstelling: DoelstellingDep, body: DoelstellingUpdate, session: SessionDep, response: Response,
    if_match: versies.IfMatchDep = None,
) -> DoelstellingPublic:
    if if_match is not None:
        versies.vergrendel(session, doelstelling)
        versies.controleer(if_match, service.publiek(doelstelling))
    doelstelling = service.update(session, caller=caller, doelstelling=doelstelling, data=body)
    return versies.met_etag(response, service.publiek(doelstelling))


@router.delete(
    "/doelstellingen/{doelstellingId}", status_code=status.HTTP_204_NO_CONTENT, summary="Doelstelling verwijderen",
    description=(
        "Verwijdert de doelstelling (zacht): ze wordt nergens meer getoond en geeft daarna 404. Evaluaties die haar "
        "bespraken houden haar id; het `externId` blijft bezet."
    ),
)
def delete_doelstelling(caller: RegistrerenDep, doelstelling: DoelstellingDep, session: SessionDep) -> Response:
    service.delete(session, caller=caller, doelstelling=doelstelling)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
