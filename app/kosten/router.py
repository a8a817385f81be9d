"""Routes for /v1/kosten: costs and allowances, exact to the cent."""

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from app.codelijsten import service as codelijsten
from app.core import filters as gedeelde_filters
from app.core import geld, versies
from app.core.db import SessionDep
from app.core.filternamen import hernoemd
from app.core.openapi import location
from app.core.pagination import PAGINATED, PaginaDep
from app.core.periods import PeriodeFout, parse_periode
from app.core.schemas import schemafouten
from app.core.validation import vandaag
from app.imports import upload
from app.kosten import importeren, service
from app.kosten.dependencies import KostenDep
from app.kosten.schemas import KostenImport, KostenInvoer, KostenPublic, KostenUpdate
from app.toegang.dependencies import InzienDep, RegistrerenDep

router = APIRouter(tags=["kosten"])

BEDRAGEN = ("`bedrag` is een bedrag in euro's met ten hoogste twee decimalen. Het antwoord geeft het als tekst (`\"12.34\"`), "
            "zodat geen client het als binair kommagetal leest; verstuurd mag als tekst of als getal. Alle sommen zijn exact op de cent.")
SleutelpersoonFilter = Annotated[uuid.UUID | None, hernoemd("sleutelpersoonId", "sleutelpersoon", uuid.UUID, description="Alleen kosten van deze sleutelpersoon (id).", examples=["7d9f1c2b-3a4e-4f5d-8e6c-1b2a3c4d5e6f"])]
ProjectFilter = Annotated[uuid.UUID | None, hernoemd("projectId", "project", uuid.UUID, description="Alleen kosten op dit project (id).", examples=["0b7e4c1a-2d3f-4a5b-8c6d-7e8f9a0b1c2d"])]
SoortFilter = Annotated[str | None, Query(max_length=40, description="Alleen kosten van deze soort (codelijst `kosten-soort`).", examples=["reiskosten"])]
PeriodeFilter = Annotated[str | None, Query(max_length=40, description="Alleen kosten in deze periode: 2026, 2026Q1, 2026-03, ... Niet samen met datumVanaf/datumTot.", examples=["2026"])]
DatumVanaf = Annotated[date | None, Query(alias="datumVanaf", description="Kosten op of na deze datum.", examples=["2026-01-01"])]
DatumTot = Annotated[date | None, Query(alias="datumTot", description="Kosten op of vóór deze datum (inclusief).", examples=["2026-12-31"])]
Sortering = service.SORTERING.dep


@router.post("/kosten", status_code=status.HTTP_201_CREATED, summary="Kosten vastleggen",
             description="Legt kosten of een vergoeding vast: een soort, een bedrag, een dag (`datum`) of een maand "
             "(`periode`), en optioneel de sleutelpersoon en het project. " + BEDRAGEN)
def create_kosten(caller: RegistrerenDep, body: KostenInvoer, session: SessionDep, response: Response) -> KostenPublic:
    kosten = service.create(session, caller=caller, data=body, schemafouten=schemafouten(body))
    response.headers["Location"] = location("kosten", kosten.id)
    return service.publiek(kosten)


@router.get("/kosten", responses=PAGINATED, summary="Kosten zoeken",
            description="De kosten van de eigen organisatie, nieuwste eerst. Verwijderde kosten tellen niet mee. " + BEDRAGEN)
def list_kosten(
    caller: InzienDep, session: SessionDep, pagina: PaginaDep, sort: Sortering,
    sleutelpersoon: SleutelpersoonFilter = None, project: ProjectFilter = None, soort: SoortFilter = None,
    periode: PeriodeFilter = None, datum_vanaf: DatumVanaf = None, datum_tot: DatumTot = None,
) -> list[KostenPublic]:
    problemen = []
    if periode is not None:
        if datum_vanaf is not None or datum_tot is not None:
            problemen.append({"name": "periode", "reason": "Gebruik periode, of datumVanaf en datumTot, niet beide."})
        else:
            try:
                gekozen = parse_periode(periode, today=vandaag())
                datum_vanaf, datum_tot = gekozen.vanaf, gekozen.laatste_dag
            except PeriodeFout as exc:
                problemen.append({"name": "periode", "reason": str(exc)})
    gedeelde_filters.controleer_filters(
        session, codes=[("soort", codelijsten.KOSTEN_SOORT, soort)],
        periodes=[("datumVanaf", datum_vanaf, "datumTot", datum_tot)], problemen=problemen,
    )
    statement = service.list_statement(caller, soort=soort, sleutelpersoon=sleutelpersoon, project=project,
                                       datum_vanaf=datum_vanaf, datum_tot=datum_tot, sort=sort)
    return [service.publiek(k) for k in pagina.van(session, statement)]


@router.get("/kosten/{kostenId}", summary="Kosten opvragen (één)",
            description="Eén kostenregel van de eigen organisatie; die van een andere organisatie, of verwijderde, geeft 404.")
def get_kosten(caller: InzienDep, kosten: KostenDep, response: Response) -> KostenPublic:
    return versies.met_etag(response, service.publiek(kosten))


@router.patch("/kosten/{kostenId}", summary="Kosten corrigeren",
              description="Corrigeert de meegestuurde velden; dezelfde regels gelden voor het resultaat. `datum` sturen "
              "wist `periode` en omgekeerd. Met `If-Match` geeft een intussen gewijzigde regel 412. " + BEDRAGEN)
def update_kosten(
    caller: RegistrerenDep, kosten: KostenDep, body: KostenUpdate, session: SessionDep, response: Response,
    if_match: versies.IfMatchDep = None,
) -> KostenPublic:
    if if_match is not None:
        versies.vergrendel(session, kosten)
        versies.controleer(if_match, service.publiek(kosten))
    kosten = service.update(session, caller=caller, kosten=kosten, data=body)
    return versies.met_etag(response, service.publiek(kosten))


@router.delete("/kosten/{kostenId}", status_code=status.HTTP_204_NO_CONTENT, summary="Kosten verwijderen",
               description="Verwijdert de kosten (zacht): ze tellen nergens meer mee en geven daarna 404.")
def delete_kosten(caller: RegistrerenDep, kosten: KostenDep, session: SessionDep) -> Response:
    service.delete(session, caller=caller, kosten=kosten)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/kosten/import", response_model=KostenImport, summary="Kosten importeren",
    description=(
        "Importeert kosten en vergoedingen uit een spreadsheet: CSV zoals Nederlandse Excel het opslaat "
        "(`Content-Type: text/csv`) of xlsx. Kolommen: Soort, Bedrag (`12,50`, `€ 12,50`, `12.50` of `1.234,56`; exact op "
        "de cent), Datum of Periode (een maand, JJJJ-MM), Sleutelpersoon (naam of id), Project (naam of id), Gemeente "
        "(code of naam) en Omschrijving. Elke rij doorloopt dezelfde controles als `POST /kosten`, ook de controle op "
        "persoonsgegevens en op goedgekeurde rapportageperiodes. Kosten die er al zijn (zelfde soort, bedrag, datum of "
        "periode, sleutelpersoon, project en omschrijving) worden niet nog eens vastgelegd: hetzelfde bestand nogmaals "
        "importeren verandert niets, en een bestand met rijen erbij voegt alleen die toe. Staat een rij twee keer in "
        "het bestand, dan zijn het twee kosten. Atomair: bij een fout wordt niets opgeslagen. Met `proefdraai=true` "
        "wordt nooit iets opgeslagen."
    ),
    openapi_extra=upload.REQUEST_BODY,
)
def importeer_kosten(
    caller: RegistrerenDep, bestand: Annotated[tuple[str, bytes], Depends(upload.bestand)], session: SessionDep,
    proefdraai: Annotated[bool, Query(description="Alleen controleren; niets opslaan.", examples=[True])] = False,
) -> KostenImport:
    formaat, inhoud = bestand
    verslag = importeren.importeer(session, caller=caller, inhoud_=inhoud, formaat=formaat, proefdraai=proefdraai)
    return KostenImport(
        proefdraai=verslag.proefdraai, opgeslagen=verslag.opgeslagen, gelezen=verslag.gelezen,
        aangemaakt=verslag.aangemaakt, ongewijzigd=verslag.ongewijzigd, afgewezen=verslag.afgewezen,
        totaal=geld.euro(verslag.totaal_centen), fouten=verslag.fouten,
    )
