"""Routes for /v1/inzet (hours per key person per day) and /v1/inzet/per-maand (against contract hours)."""

import re
import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.codelijsten import service as codelijsten
from app.core import filters as gedeelde_filters
from app.core import versies
from app.core.db import SessionDep
from app.core.errors import OngeldigeInvoer
from app.core.filternamen import hernoemd
from app.core.openapi import location
from app.core.pagination import PAGINATED, PaginaDep
from app.core.periods import PeriodeFout, parse_periode
from app.core.persoonsgegevens import NAMEN_WAARSCHUWING
from app.core.validation import vandaag
from app.inzet import service
from app.inzet.dependencies import InzetDep
from app.inzet.schemas import InzetCreate, InzetPublic, InzetUpdate, UrenPerMaand
from app.toegang.dependencies import EigenInzienDep, EigenRegistrerenDep

router = APIRouter(tags=["inzet"])

LOCATION = {"Location": {"description": "URL van de inzet.", "schema": {"type": "string"}}}
DAGREGEL = (
    "Alle inzet van één sleutelpersoon op één dag samen is hoogstens 24 uur; meer geeft 400 met de dag en "
    "wat er die dag nog bij kan."
)

SleutelpersoonFilter = Annotated[
    uuid.UUID | None, hernoemd("sleutelpersoonId", "sleutelpersoon", uuid.UUID, description="Alleen inzet van deze sleutelpersoon (id).", examples=["7d9f1c2b-3a4e-4f5d-8e6c-1b2a3c4d5e6f"])
]
SoortFilter = Annotated[str | None, Query(max_length=40, description="Alleen inzet van deze soort (codelijst `inzet-soort`).", examples=["overleg"])]
PeriodeFilter = Annotated[
    str | None,
    Query(max_length=40, description="Alleen inzet in deze periode: 2026, 2026Q4, 2026-12, 2026W49 of relatief "
          "(deze-maand, vorige-maand, ...). Niet samen met datumVanaf/datumTot.", examples=["2026-12"]),
]
DatumVanaf = Annotated[date | None, Query(alias="datumVanaf", description="Inzet op of na deze datum.", examples=["2026-12-01"])]
DatumTot = Annotated[date | None, Query(alias="datumTot", description="Inzet op of vóór deze datum (inclusief).", examples=["2026-12-31"])]
Sortering = service.SORTERING.dep


@router.post(
    "/inzet",
    status_code=201,
    response_model=InzetPublic,
    summary="Gewerkte uren vastleggen",
    description=(
        "Legt vast hoeveel uur een sleutelpersoon op een dag werkte, en waaraan (`soort`). Uren gaan in "
        f"kwartieren (0.25). {DAGREGEL}\n\n"
        "`externId` maakt opnieuw versturen veilig: dezelfde inzet nog eens geeft 200 met de bestaande; "
        "hetzelfde `externId` met een andere inhoud geeft 409 met `bestaandId`.\n\n" + NAMEN_WAARSCHUWING
    ),
    responses={
        200: {"description": "Deze inzet bestond al (zelfde `externId` en inhoud).", "model": InzetPublic, "headers": LOCATION},
        201: {"description": "De inzet is vastgelegd.", "headers": LOCATION},
        409: {"description": "Het `externId` is al in gebruik voor inzet met een andere inhoud."},
    },
)
def create_inzet(body: InzetCreate, caller: EigenRegistrerenDep, session: SessionDep) -> Response:
    inzet, aangemaakt = service.create(session, caller=caller, data=body)
    publiek = service.publiek(inzet)
    return Response(
        content=publiek.model_dump_json(by_alias=True),
        status_code=201 if aangemaakt else 200,
        media_type="application/json",
        headers={"Location": location("inzet", inzet.id), "ETag": versies.etag(publiek)},
    )


@router.get("/inzet", response_model=list[InzetPublic], responses=PAGINATED, summary="Gewerkte uren opvragen",
            description="De inzet van de eigen organisatie, nieuwste dag eerst. Verwijderde inzet telt niet mee.")
def list_inzet(
    caller: EigenInzienDep, session: SessionDep, pagina: PaginaDep, sort: Sortering,
    sleutelpersoon: SleutelpersoonFilter = None, soort: SoortFilter = None, periode: PeriodeFilter = None,
    datum_vanaf: DatumVanaf = None, datum_tot: DatumTot = None,
) -> list[InzetPublic]:
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
        session, codes=[("soort", codelijsten.INZET_SOORT, soort)],
        periodes=[("datumVanaf", datum_vanaf, "datumTot", datum_tot)], problemen=problemen,
    )
    statement = service.list_statement(service.eigen_statement(caller), sleutelpersoon=sleutelpersoon, soort=soort,
                                       datum_vanaf=datum_vanaf, datum_tot=datum_tot, sort=sort)
    return [service.publiek(i) for i in pagina.van(session, statement)]


MaandQuery = Annotated[
    str | None, Query(max_length=7, description="De maand (JJJJ-MM); standaard de huidige maand.", examples=["2026-12"])
]


@router.get(
    "/inzet/per-maand",
    response_model=list[UrenPerMaand],
    summary="Gewerkte uren tegenover contracturen per maand",
    description=(
        "Per sleutelpersoon van de eigen organisatie (actieve, en wie in de maand uren heeft) de geregistreerde "
        "uren in de maand, per soort, tegenover de contracturen: `urenPerWeek` × (dagen in de maand ÷ 7), op een "
        "kwartier afgerond. Zonder `urenPerWeek` zijn `contracturen` en `percentage` null."
    ),
)
def uren_per_maand(
    caller: EigenInzienDep, session: SessionDep, maand: MaandQuery = None, sleutelpersoon: SleutelpersoonFilter = None,
) -> list[UrenPerMaand]:
    if maand is None:
        vandaag_ = vandaag()
        jaar, nummer = vandaag_.year, vandaag_.month
    else:
        gevonden = re.fullmatch(r"(\d{4})-(\d{2})", maand)
        if not gevonden or not 1 <= int(gevonden.group(2)) <= 12 or int(gevonden.group(1)) < 2000:
            raise OngeldigeInvoer.veld("maand", f"`{maand}` is geen maand; gebruik JJJJ-MM, bijvoorbeeld 2026-12.")
        jaar, nummer = int(gevonden.group(1)), int(gevonden.group(2))
    return service.uren_per_maand(session, caller=caller, jaar=jaar, maand_=nummer, sleutelpersoon=sleutelpersoon)


@router.get("/inzet/{inzetId}", response_model=InzetPublic, summary="Gewerkte uren opvragen (één)",
            description="Eén inzet van de eigen organisatie; die van een andere organisatie, of verwijderde, geeft 404.")
def get_inzet(caller: EigenInzienDep, inzet: InzetDep, response: Response) -> InzetPublic:
    return versies.met_etag(response, service.publiek(inzet))


@router.patch(
    "/inzet/{inzetId}",
    response_model=InzetPublic,
    summary="Gewerkte uren corrigeren",
    description=(
        f"Corrigeert de meegestuurde velden; dezelfde regels als bij vastleggen gelden voor het resultaat. {DAGREGEL}\n\n"
        "Stuur de `ETag` van uw versie mee in `If-Match`: is de inzet intussen gewijzigd, dan volgt 412 en wordt er "
        "niets opgeslagen.\n\n" + NAMEN_WAARSCHUWING
    ),
)
def update_inzet(
    caller: EigenRegistrerenDep, inzet: InzetDep, body: InzetUpdate, session: SessionDep, response: Response,
    if_match: versies.IfMatchDep = None,
) -> InzetPublic:
    if if_match is not None:
        versies.vergrendel(session, inzet)
        versies.controleer(if_match, service.publiek(inzet))
    inzet = service.update(session, caller=caller, inzet=inzet, data=body)
    return versies.met_etag(response, service.publiek(inzet))


@router.delete("/inzet/{inzetId}", status_code=status.HTTP_204_NO_CONTENT, summary="Gewerkte uren verwijderen",
               description="Verwijdert de inzet (zacht): ze telt nergens meer mee en geeft daarna 404. Het `externId` blijft bezet.")
def delete_inzet(caller: EigenRegistrerenDep, inzet: InzetDep, session: SessionDep) -> Response:
    service.delete(session, caller=caller, inzet=inzet)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
