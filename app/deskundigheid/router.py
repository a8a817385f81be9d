"""Routes for /v1/deskundigheidsbevordering: trainings, intervision, coaching and congresses (issue 26, part 2)."""

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from app.codelijsten import service as codelijsten
from app.core import filters as gedeelde_filters
from app.core import versies
from app.core.db import SessionDep
from app.core.filternamen import hernoemd
from app.core.openapi import location
from app.core.pagination import PAGINATED, PaginaDep
from app.core.schemas import alle_fouten, schemafouten
from app.deskundigheid import importeren, service
from app.deskundigheid.dependencies import DeskundigheidDep
from app.deskundigheid.schemas import (
    DeskundigheidCreate,
    DeskundigheidImport,
    DeskundigheidPublic,
    DeskundigheidUpdate,
    ImportFout,
)
from app.imports import upload
from app.toegang.dependencies import InzienDep, RegistrerenDep

router = APIRouter(tags=["deskundigheidsbevordering"])

DeskundigheidInvoer = alle_fouten(DeskundigheidCreate)

SoortFilter = Annotated[str | None, Query(max_length=40, description="Alleen deze soort (codelijst `deskundigheid-soort`).",
                                          examples=["intervisie"])]
SleutelpersoonFilter = Annotated[uuid.UUID | None, hernoemd("deelnemers", "sleutelpersoon", uuid.UUID, description="Alleen bijeenkomsten met deze deelnemer (id).",
                                                         examples=["7d9f1c2b-3a4e-4f5d-8e6c-1b2a3c4d5e6f"])]
DatumVanaf = Annotated[date | None, Query(alias="datumVanaf", description="Op of na deze datum.", examples=["2026-10-01"])]
DatumTot = Annotated[date | None, Query(alias="datumTot", description="Op of vóór deze datum (inclusief).", examples=["2026-12-31"])]
Sortering = service.SORTERING.dep


@router.post("/deskundigheidsbevordering", status_code=status.HTTP_201_CREATED,
             summary="Training of intervisie vastleggen",
             responses={201: {"headers": {"Location": {"description": "URL van het record.", "schema": {"type": "string"}}}}})
def create_deskundigheid(caller: RegistrerenDep, body: DeskundigheidInvoer, session: SessionDep,  # type: ignore[valid-type]
                         response: Response) -> DeskundigheidPublic:
    """Legt een training, intervisiebijeenkomst, coaching of congres vast met de deelnemende sleutelpersonen van
    de eigen organisatie. Alle fouten (ook onbekende deelnemers en codes) komen tegelijk in één 400."""
    record, _ = service.create(session, caller=caller, data=body.model_dump(by_alias=False, warnings=False),
                               schemafouten=schemafouten(body))
    response.headers["Location"] = location("deskundigheidsbevordering", record.id)
    return service.publieke_lijst(session, [record])[0]  # participants in the order every read gives them


@router.get("/deskundigheidsbevordering", responses=PAGINATED, summary="Trainingen en intervisie opvragen")
def list_deskundigheid(
    caller: InzienDep, session: SessionDep, pagina: PaginaDep, sort: Sortering,
    soort: SoortFilter = None, sleutelpersoon: SleutelpersoonFilter = None,
    datum_vanaf: DatumVanaf = None, datum_tot: DatumTot = None,
) -> list[DeskundigheidPublic]:
    """De trainingen en intervisiebijeenkomsten van de eigen organisatie, nieuwste eerst, gepagineerd."""
    gedeelde_filters.controleer_filters(session, codes=[("soort", codelijsten.DESKUNDIGHEID_SOORT, soort)],
                                        periodes=[("datumVanaf", datum_vanaf, "datumTot", datum_tot)])
    statement = service.list_statement(service.eigen_statement(caller), soort=soort, sleutelpersoon=sleutelpersoon,
                                       datum_vanaf=datum_vanaf, datum_tot=datum_tot, sort=sort)
    return service.publieke_lijst(session, list(pagina.van(session, statement)))


@router.get("/deskundigheidsbevordering/{deskundigheidId}", summary="Eén training of intervisiebijeenkomst")
def get_deskundigheid(caller: InzienDep, record: DeskundigheidDep, session: SessionDep,
                      response: Response) -> DeskundigheidPublic:
    """Eén record van de eigen organisatie; dat van een andere organisatie, of een verwijderd, geeft 404."""
    return versies.met_etag(response, service.publieke_lijst(session, [record])[0])


@router.patch("/deskundigheidsbevordering/{deskundigheidId}", summary="Training of intervisie wijzigen")
def update_deskundigheid(caller: RegistrerenDep, record: DeskundigheidDep, body: DeskundigheidUpdate,
                         session: SessionDep, response: Response,
                         if_match: versies.IfMatchDep = None) -> DeskundigheidPublic:
    """Wijzigt de meegestuurde velden; `deelnemers` vervangt de hele lijst. De regels gelden voor het resultaat.
    Met `If-Match` geeft een intussen gewijzigd record 412."""
    if if_match is not None:
        versies.vergrendel(session, record)
        versies.controleer(if_match, service.publieke_lijst(session, [record])[0])
    record = service.update(session, caller=caller, record=record, changes=body.model_dump(exclude_unset=True, by_alias=False))
    return versies.met_etag(response, service.publieke_lijst(session, [record])[0])


@router.delete("/deskundigheidsbevordering/{deskundigheidId}", status_code=status.HTTP_204_NO_CONTENT,
               summary="Training of intervisie verwijderen")
def delete_deskundigheid(caller: RegistrerenDep, record: DeskundigheidDep, session: SessionDep) -> Response:
    """Verwijdert het record (zacht): het telt nergens meer mee en geeft daarna 404."""
    service.delete(session, caller=caller, record=record)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/deskundigheidsbevordering/import", response_model=DeskundigheidImport, summary="Trainingen importeren",
    description=(
        "Importeert trainingen en intervisie uit een spreadsheet: CSV zoals Nederlandse Excel het opslaat "
        "(`Content-Type: text/csv`) of xlsx. Kolommen: Soort, Titel, Datum, Uren, Aanbieder, Deelnemers (namen of ids "
        "van sleutelpersonen, gescheiden door `,` `;` `/` of `+`), Certificaatdatum. Meestal staat er een rij per "
        "deelnemer: rijen met dezelfde soort, titel en datum zijn één bijeenkomst. Elke bijeenkomst doorloopt dezelfde "
        "controles als `POST /deskundigheidsbevordering`. Een bestaande bijeenkomst (zelfde soort, titel en datum) krijgt "
        "alleen de nieuwe deelnemers, zodat hetzelfde bestand nogmaals importeren niets verandert. Atomair: bij een fout "
        "wordt niets opgeslagen. Met `proefdraai=true` wordt nooit iets opgeslagen."
    ),
    openapi_extra=upload.REQUEST_BODY,
)
def importeer_deskundigheid(
    caller: RegistrerenDep, bestand: Annotated[tuple[str, bytes], Depends(upload.bestand)], session: SessionDep,
    proefdraai: Annotated[bool, Query(description="Alleen controleren; niets opslaan.", examples=[True])] = False,
) -> DeskundigheidImport:
    formaat, inhoud = bestand
    verslag = importeren.importeer(session, caller=caller, inhoud=inhoud, formaat=formaat, proefdraai=proefdraai)
    return DeskundigheidImport(
        proefdraai=verslag.proefdraai, opgeslagen=verslag.opgeslagen, gelezen=verslag.gelezen,
        aangemaakt=verslag.aangemaakt, bijgewerkt=verslag.bijgewerkt, ongewijzigd=verslag.ongewijzigd,
        afgewezen=verslag.afgewezen, fouten=[ImportFout(**f) for f in verslag.fouten],
    )
