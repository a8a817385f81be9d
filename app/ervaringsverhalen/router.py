"""Routes for /v1/ervaringsverhalen (own stories) and /v1/gedeelde-ervaringsverhalen (a region's shared stories)."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from app.codelijsten import service as codelijsten
from app.core import filters as gedeelde_filters
from app.core import formaten, versies
from app.core.db import SessionDep
from app.core.filternamen import hernoemd
from app.core.formaten import Formaat
from app.core.openapi import API_PREFIX
from app.core.pagination import PAGINATED, PagineringDep, paginate
from app.core.persoonsgegevens import NAMEN_WAARSCHUWING
from app.core.validation import GEMEENTECODE_PATTERN
from app.ervaringsverhalen import export, service
from app.ervaringsverhalen.dependencies import VerhaalDep
from app.ervaringsverhalen.schemas import (
    Bron,
    ErvaringsverhaalCreate,
    ErvaringsverhaalPublic,
    ErvaringsverhaalUpdate,
    Exportformaat,
    GedeeldVerhaal,
)
from app.toegang import scoping
from app.toegang.dependencies import (
    EigenInzienDep,
    EigenRegistrerenDep,
    RegioRapporterenDep,
)

router = APIRouter(tags=["ervaringsverhalen"])

GemeenteFilter = Annotated[str | None, hernoemd("gemeentecode", "gemeente", str, pattern=GEMEENTECODE_PATTERN, description="Gemeente van het verhaal.", examples=["GM0344"])]
BronFilter = Annotated[Bron | None, Query(description="Alleen verhalen van deze bron.", examples=["inwoner"])]
EffectFilter = Annotated[str | None, hernoemd("effecten", "effect", str, max_length=40, description="Alleen verhalen met dit effect (codelijst `effect`).", examples=["eerder-in-beeld"])]
OnderwerpFilter = Annotated[
    str | None, hernoemd("onderwerpen", "onderwerp", str, max_length=80, description="Alleen verhalen over dit onderwerp; een hoofdonderwerp omvat zijn subonderwerpen.", examples=["gezondheid"])
]
DatumVanaf = Annotated[date | None, Query(alias="datumVanaf", description="Verhalen op of na deze datum.", examples=["2026-01-01"])]
DatumTot = Annotated[date | None, Query(alias="datumTot", description="Verhalen op of vóór deze datum (inclusief).", examples=["2026-12-31"])]

CONSENT = (
    "Een verhaal van een inwoner (`bron: inwoner`) vraagt om `toestemming` (`gegeven`, `datum`, `vorm`). "
    "Een verhaal is buiten de eigen organisatie zichtbaar (voor regionale rapportagesleutels van de gemeente) "
    "alleen als het `gedeeld` is en de vastgelegde toestemming dat toelaat."
)


def _controleer(session: SessionDep, effect: str | None, onderwerp: str | None, vanaf: date | None, tot: date | None) -> None:
    gedeelde_filters.controleer_filters(
        session,
        codes=[("effect", codelijsten.EFFECT, effect), ("onderwerp", codelijsten.ONDERWERP, onderwerp)],
        periodes=[("datumVanaf", vanaf, "datumTot", tot)],
    )


@router.post(
    "/ervaringsverhalen",
    status_code=201,
    response_model=ErvaringsverhaalPublic,
    summary="Ervaringsverhaal vastleggen",
    description=f"Legt een ervaringsverhaal van de eigen organisatie vast.\n\n{CONSENT}\n\n{NAMEN_WAARSCHUWING}",
    responses={201: {"description": "Het verhaal is vastgelegd.", "headers": {"Location": {"description": "URL van het verhaal.", "schema": {"type": "string"}}}}},
)
def create_ervaringsverhaal(body: ErvaringsverhaalCreate, caller: EigenRegistrerenDep, session: SessionDep, response: Response) -> ErvaringsverhaalPublic:
    verhaal = service.create(session, caller=caller, data=body)
    response.headers["Location"] = f"{API_PREFIX}/ervaringsverhalen/{verhaal.id}"
    return service.publiek(session, [verhaal])[0]


@router.get("/ervaringsverhalen", response_model=list[ErvaringsverhaalPublic], responses=PAGINATED,
            summary="Eigen ervaringsverhalen opvragen", description="De verhalen van de eigen organisatie, nieuwste eerst.")
def list_ervaringsverhalen(
    caller: EigenInzienDep, session: SessionDep, paginering: PagineringDep, request: Request, response: Response,
    gemeente: GemeenteFilter = None, bron: BronFilter = None, effect: EffectFilter = None, onderwerp: OnderwerpFilter = None,
    datum_vanaf: DatumVanaf = None, datum_tot: DatumTot = None,
) -> list[ErvaringsverhaalPublic]:
    _controleer(session, effect, onderwerp, datum_vanaf, datum_tot)
    statement = service.list_statement(service.eigen_statement(caller), gemeente=gemeente, bron=bron, effect=effect,
                                       onderwerp=onderwerp, datum_vanaf=datum_vanaf, datum_tot=datum_tot)
    return service.publiek(session, paginate(session, statement, paginering=paginering, request=request, response=response))


@router.get("/ervaringsverhalen/{verhaalId}", response_model=ErvaringsverhaalPublic, summary="Eigen ervaringsverhaal opvragen",
            description="Eén verhaal van de eigen organisatie; dat van een andere organisatie geeft 404.")
def get_ervaringsverhaal(
    caller: EigenInzienDep, verhaal: VerhaalDep, session: SessionDep, response: Response
) -> ErvaringsverhaalPublic:
    return versies.met_etag(response, service.publiek(session, [verhaal])[0])


@router.patch("/ervaringsverhalen/{verhaalId}", response_model=ErvaringsverhaalPublic, summary="Ervaringsverhaal wijzigen",
              description=f"Wijzigt de meegestuurde velden; de toestemmingsregels gelden voor het resultaat.\n\n{CONSENT}\n\n{NAMEN_WAARSCHUWING}")
def update_ervaringsverhaal(
    caller: EigenRegistrerenDep, verhaal: VerhaalDep, body: ErvaringsverhaalUpdate, session: SessionDep, response: Response, if_match: versies.IfMatchDep = None
) -> ErvaringsverhaalPublic:
    if if_match is not None:
        versies.vergrendel(session, verhaal)
        versies.controleer(if_match, service.publiek(session, [verhaal])[0])
    verhaal = service.update(session, caller=caller, verhaal=verhaal, data=body)
    return versies.met_etag(response, service.publiek(session, [verhaal])[0])


@router.delete("/ervaringsverhalen/{verhaalId}", status_code=status.HTTP_204_NO_CONTENT, summary="Ervaringsverhaal verwijderen",
               description="Verwijdert het verhaal definitief, bijvoorbeeld als de verteller de toestemming intrekt.")
def delete_ervaringsverhaal(caller: EigenRegistrerenDep, verhaal: VerhaalDep, session: SessionDep) -> Response:
    service.delete_verhaal(session, caller=caller, verhaal=verhaal)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/gedeelde-ervaringsverhalen",
    response_model=list[GedeeldVerhaal],
    responses=PAGINATED,
    summary="Gedeelde ervaringsverhalen van de regio",
    description=(
        "Voor een regionale sleutel met scope `rapporteren`: de gedeelde verhalen (met toestemming waar nodig) uit de "
        "gemeenten van de sleutel, met de naam van de organisatie en zonder sleutelpersoon of toestemmingsgegevens."
    ),
)
def list_gedeelde_ervaringsverhalen(
    caller: RegioRapporterenDep, session: SessionDep, paginering: PagineringDep, request: Request, response: Response,
    gemeente: GemeenteFilter = None, bron: BronFilter = None, effect: EffectFilter = None, onderwerp: OnderwerpFilter = None,
    datum_vanaf: DatumVanaf = None, datum_tot: DatumTot = None,
) -> list[GedeeldVerhaal]:
    scoping.binnen_regio(caller, gemeente)
    _controleer(session, effect, onderwerp, datum_vanaf, datum_tot)
    statement = service.list_statement(service.gedeeld_statement(caller), gemeente=gemeente, bron=bron, effect=effect,
                                       onderwerp=onderwerp, datum_vanaf=datum_vanaf, datum_tot=datum_tot)
    return service.gedeeld(session, paginate(session, statement, paginering=paginering, request=request, response=response))


@router.get(
    "/gedeelde-ervaringsverhalen/export",
    summary="Gedeelde ervaringsverhalen exporteren",
    description=(
        "De gedeelde verhalen van de regio (dezelfde filters als de lijst) als werkblad (`formaat=xlsx`: één rij per "
        f"verhaal in een Excel-tabel, met gemeentenamen en de labels van onderwerpen en effecten), als CSV "
        f"(`formaat=csv` voor Nederlandse Excel, `formaat=csv-rfc4180` met komma's) of als leesbaar verslag per effect "
        f"(`formaat=markdown`), voor het jaarverslag aan een gemeente. Zonder `formaat` beslist `Accept`, anders xlsx. "
        f"Hoogstens {service.MAX_EXPORT} verhalen; kies anders een kortere periode."
    ),
    response_class=Response,
    responses=formaten.responses(
        Formaat.xlsx, Formaat.csv, Formaat.markdown, beschrijving="Het werkblad, de CSV of het verslag."
    ),
)
def export_gedeelde_ervaringsverhalen(
    caller: RegioRapporterenDep, session: SessionDep,
    request: Request,
    formaat: Annotated[
        Exportformaat | None, Query(description="Formaat van het antwoord. " + formaten.KEUZE_UITLEG, examples=["xlsx"])
    ] = None,
    gemeente: GemeenteFilter = None, bron: BronFilter = None, effect: EffectFilter = None, onderwerp: OnderwerpFilter = None,
    datum_vanaf: DatumVanaf = None, datum_tot: DatumTot = None,
) -> Response:
    scoping.binnen_regio(caller, gemeente)
    _controleer(session, effect, onderwerp, datum_vanaf, datum_tot)
    gekozen = formaten.kies(request, formaat, (Formaat.xlsx, Formaat.csv, Formaat.csv_rfc4180, Formaat.markdown))
    return export.exporteer(session, caller=caller, formaat=gekozen, gemeente=gemeente, bron=bron, effect=effect,
                            onderwerp=onderwerp, datum_vanaf=datum_vanaf, datum_tot=datum_tot)
