"""Routes for /v1/ervaringsverhalen (own stories) and /v1/gedeelde-ervaringsverhalen (a region's shared stories)."""

from datetime import date
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Depends, Query, Request, Response, status

from app.codelijsten import service as codelijsten
from app.core import deprecation, formaten, versies
from app.core import filters as gedeelde_filters
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


def exportfilters(
    caller: RegioRapporterenDep, session: SessionDep,
    gemeente: GemeenteFilter = None, bron: BronFilter = None, effect: EffectFilter = None, onderwerp: OnderwerpFilter = None,
    datum_vanaf: DatumVanaf = None, datum_tot: DatumTot = None,
) -> dict[str, Any]:
    """The list's filters for an export, checked: within the key's region, known codes, a valid period."""
    scoping.binnen_regio(caller, gemeente)
    _controleer(session, effect, onderwerp, datum_vanaf, datum_tot)
    return {"gemeente": gemeente, "bron": bron, "effect": effect, "onderwerp": onderwerp, "datum_vanaf": datum_vanaf,
            "datum_tot": datum_tot}


ExportfiltersDep = Annotated[dict[str, Any], Depends(exportfilters)]
EXPORT_UITLEG = f"Dezelfde filters als de lijst; hoogstens {service.MAX_EXPORT} verhalen, kies anders een kortere periode."
# Deprecated since API 0.3 (issue 28): `/export?formaat=` with one operation per format, so every generated
# client types the answer. The old route keeps working, outside the document.
OPVOLGER = {Formaat.xlsx: "export.xlsx", Formaat.csv: "export.csv", Formaat.csv_rfc4180: "export.csv",
            Formaat.markdown: "export.md"}


@router.get("/gedeelde-ervaringsverhalen/export", include_in_schema=False)
def export_gedeelde_ervaringsverhalen(
    caller: RegioRapporterenDep, session: SessionDep, request: Request, filters: ExportfiltersDep,
    formaat: Exportformaat | None = None,
) -> Response:
    gekozen = formaten.kies(request, formaat, (Formaat.xlsx, Formaat.csv, Formaat.csv_rfc4180, Formaat.markdown))
    antwoord = export.exporteer(session, caller=caller, formaat=gekozen, **filters)
    query = [(k, v) for k, v in parse_qsl(request.url.query, keep_blank_values=True) if k != "formaat"]
    if gekozen is Formaat.csv_rfc4180:
        query.append(("formaat", gekozen.value))
    opvolger = request.url.path.removesuffix("export") + OPVOLGER[gekozen]
    deprecation.markeer(antwoord.headers, opvolger=opvolger + (f"?{urlencode(query)}" if query else ""))
    return antwoord


@router.get(
    "/gedeelde-ervaringsverhalen/export.xlsx",
    summary="Gedeelde ervaringsverhalen als Excel-werkmap",
    description=(
        "De gedeelde verhalen van de regio als werkblad: één rij per verhaal in een Excel-tabel, met gemeentenamen en "
        f"de labels van onderwerpen en effecten, voor het jaarverslag aan een gemeente. {EXPORT_UITLEG}"
    ),
    response_class=Response,
    responses=formaten.responses(Formaat.xlsx, beschrijving="Het werkblad."),
)
def export_gedeelde_ervaringsverhalen_xlsx(caller: RegioRapporterenDep, session: SessionDep, filters: ExportfiltersDep) -> Response:
    return export.exporteer(session, caller=caller, formaat=Formaat.xlsx, **filters)


@router.get(
    "/gedeelde-ervaringsverhalen/export.csv",
    summary="Gedeelde ervaringsverhalen als CSV",
    description=(
        "De gedeelde verhalen van de regio als CSV: `formaat=csv` (standaard) voor Nederlandse Excel, "
        f"`formaat=csv-rfc4180` met komma's. {EXPORT_UITLEG}"
    ),
    response_class=Response,
    responses=formaten.responses(Formaat.csv, beschrijving="De CSV."),
)
def export_gedeelde_ervaringsverhalen_csv(
    caller: RegioRapporterenDep, session: SessionDep, filters: ExportfiltersDep,
    formaat: Annotated[
        formaten.CsvFormaat, Query(description="`csv` (Nederlandse Excel) of `csv-rfc4180` (komma's).", examples=["csv"])
    ] = formaten.CsvFormaat.csv,
) -> Response:
    return export.exporteer(session, caller=caller, formaat=Formaat(formaat.value), **filters)


@router.get(
    "/gedeelde-ervaringsverhalen/export.md",
    summary="Gedeelde ervaringsverhalen als verslag",
    description=f"De gedeelde verhalen van de regio als leesbaar verslag per effect (Markdown). {EXPORT_UITLEG}",
    response_class=Response,
    responses=formaten.responses(Formaat.markdown, beschrijving="Het verslag."),
)
def export_gedeelde_ervaringsverhalen_md(caller: RegioRapporterenDep, session: SessionDep, filters: ExportfiltersDep) -> Response:
    return export.exporteer(session, caller=caller, formaat=Formaat.markdown, **filters)
