"""Routes for /v1/professionele-contacten (reach among professionals, issue 25 part 5)."""

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.codelijsten import service as codelijsten
from app.core import filters as gedeelde_filters
from app.core import versies
from app.core.db import SessionDep
from app.core.filternamen import hernoemd
from app.core.openapi import location
from app.core.pagination import PAGINATED, PaginaDep
from app.core.periods import PeriodeFout, parse_periode
from app.core.persoonsgegevens import NAMEN_WAARSCHUWING
from app.core.validation import vandaag
from app.professionele_contacten import service
from app.professionele_contacten.dependencies import ProfessioneelContactDep
from app.professionele_contacten.schemas import (
    AdviesStatus,
    ProfessioneelContactCreate,
    ProfessioneelContactPublic,
    ProfessioneelContactUpdate,
)
from app.toegang.dependencies import EigenInzienDep, EigenRegistrerenDep

router = APIRouter(tags=["professionele-contacten"])

PAD = "professionele-contacten"
LOCATION = {"Location": {"description": "URL van het professionele contact.", "schema": {"type": "string"}}}
LUS = (
    "Een `adviesvraag` heeft een terugkoppellus zoals een signaal: `status` gevraagd → gegeven → teruggekoppeld; "
    "bij `teruggekoppeld` hoort de `terugkoppeling` van de partij die om advies vroeg (wat er met het advies is "
    "gedaan). Andere soorten hebben geen status."
)

SleutelpersoonFilter = Annotated[
    uuid.UUID | None, hernoemd("sleutelpersoonId", "sleutelpersoon", uuid.UUID, description="Alleen contacten van deze sleutelpersoon (id).", examples=["7d9f1c2b-3a4e-4f5d-8e6c-1b2a3c4d5e6f"])
]
SoortFilter = Annotated[str | None, Query(max_length=40, description="Alleen contacten van deze soort (codelijst `professioneel-contact-soort`).",
                                          examples=["adviesvraag"])]
StatusFilter = Annotated[AdviesStatus | None, Query(description="Alleen adviesvragen met deze status.", examples=["gegeven"])]
KetenpartnerFilter = Annotated[
    uuid.UUID | None, hernoemd("ketenpartnerId", "ketenpartner", uuid.UUID, description="Alleen contacten waarom deze ketenpartner vroeg (id).", examples=["6f1c2a4e-8b1d-4c7e-9a0b-3d2e1f4a5b6c"])
]
OnderwerpFilter = Annotated[str | None, hernoemd("onderwerpen", "onderwerp", str, max_length=80, description="Alleen contacten over dit onderwerp; een hoofdonderwerp omvat zijn subonderwerpen.",
                                              examples=["zorg"])]
GemeenteFilter = Annotated[str | None, Query(max_length=6, description="Alleen contacten die in deze gemeente meetellen.", examples=["GM0344"])]
PeriodeFilter = Annotated[
    str | None,
    Query(max_length=40, description="Alleen contacten in deze periode: 2026, 2026Q4, 2026-12, 2026W49 of relatief "
          "(deze-maand, vorige-maand, ...). Niet samen met datumVanaf/datumTot.", examples=["2026-12"]),
]
DatumVanaf = Annotated[date | None, Query(alias="datumVanaf", description="Contacten op of na deze datum.", examples=["2026-12-01"])]
DatumTot = Annotated[date | None, Query(alias="datumTot", description="Contacten op of vóór deze datum (inclusief).", examples=["2026-12-31"])]
Sortering = service.SORTERING.dep


@router.post(
    f"/{PAD}",
    status_code=201,
    response_model=ProfessioneelContactPublic,
    summary="Professioneel contact vastleggen",
    description=(
        "Legt een contact van een sleutelpersoon met professionals vast: een adviesvraag, casusoverleg, voorlichting "
        "aan professionals, klankbordgroep, materiaal testen of overleg, met wie erom vroeg (een ketenpartner, een "
        f"gemeente of de GGD) en hoeveel professionals bereikt werden. {LUS}\n\n"
        "`externId` maakt opnieuw versturen veilig: hetzelfde contact nog eens geeft 200 met het bestaande; "
        "hetzelfde `externId` met een andere inhoud geeft 409 met `bestaandId`.\n\n" + NAMEN_WAARSCHUWING
    ),
    responses={
        200: {"description": "Dit contact bestond al (zelfde `externId` en inhoud).", "model": ProfessioneelContactPublic, "headers": LOCATION},
        201: {"description": "Het contact is vastgelegd.", "headers": LOCATION},
        409: {"description": "Het `externId` is al in gebruik voor een contact met een andere inhoud."},
    },
)
def create_professioneel_contact(body: ProfessioneelContactCreate, caller: EigenRegistrerenDep, session: SessionDep) -> Response:
    contact, aangemaakt = service.create(session, caller=caller, data=body)
    publiek = service.publiek_een(session, contact)
    return Response(
        content=publiek.model_dump_json(by_alias=True),
        status_code=201 if aangemaakt else 200,
        media_type="application/json",
        headers={"Location": location(PAD, contact.id), "ETag": versies.etag(publiek)},
    )


@router.get(f"/{PAD}", response_model=list[ProfessioneelContactPublic], responses=PAGINATED,
            summary="Professionele contacten opvragen",
            description="De professionele contacten van de eigen organisatie, nieuwste eerst. Verwijderde tellen niet mee.")
def list_professionele_contacten(
    caller: EigenInzienDep, session: SessionDep, pagina: PaginaDep, sort: Sortering,
    sleutelpersoon: SleutelpersoonFilter = None, soort: SoortFilter = None, status_: Annotated[AdviesStatus | None, Query(
        alias="status", description="Alleen adviesvragen met deze status.", examples=["gegeven"])] = None,
    ketenpartner: KetenpartnerFilter = None, onderwerp: OnderwerpFilter = None, gemeentecode: GemeenteFilter = None,
    periode: PeriodeFilter = None, datum_vanaf: DatumVanaf = None, datum_tot: DatumTot = None,
) -> list[ProfessioneelContactPublic]:
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
        session, codes=[("soort", codelijsten.PROFESSIONEEL_CONTACT_SOORT, soort), ("onderwerp", codelijsten.ONDERWERP, onderwerp),
                        ("gemeentecode", codelijsten.GEMEENTE, gemeentecode)],
        periodes=[("datumVanaf", datum_vanaf, "datumTot", datum_tot)], problemen=problemen,
    )
    statement = service.list_statement(
        service.eigen_statement(caller), sleutelpersoon=sleutelpersoon, soort=soort,
        status=status_.value if status_ else None, ketenpartner=ketenpartner, onderwerp=onderwerp, gemeentecode=gemeentecode,
        datum_vanaf=datum_vanaf, datum_tot=datum_tot, sort=sort,
    )
    return service.publiek_lijst(session, list(pagina.van(session, statement)))


@router.get(f"/{PAD}/{{contactId}}", response_model=ProfessioneelContactPublic, summary="Professioneel contact opvragen (één)",
            description="Eén professioneel contact van de eigen organisatie; dat van een andere organisatie, of een verwijderd, geeft 404.")
def get_professioneel_contact(caller: EigenInzienDep, contact: ProfessioneelContactDep, session: SessionDep,
                              response: Response) -> ProfessioneelContactPublic:
    return versies.met_etag(response, service.publiek_een(session, contact))


@router.patch(
    f"/{PAD}/{{contactId}}",
    response_model=ProfessioneelContactPublic,
    summary="Professioneel contact corrigeren of terugkoppeling vastleggen",
    description=(
        f"Corrigeert de meegestuurde velden; dezelfde regels als bij vastleggen gelden voor het resultaat. {LUS}\n\n"
        "Stuur de `ETag` van uw versie mee in `If-Match`: is het contact intussen gewijzigd, dan volgt 412 en wordt er "
        "niets opgeslagen.\n\n" + NAMEN_WAARSCHUWING
    ),
)
def update_professioneel_contact(
    caller: EigenRegistrerenDep, contact: ProfessioneelContactDep, body: ProfessioneelContactUpdate, session: SessionDep,
    response: Response, if_match: versies.IfMatchDep = None,
) -> ProfessioneelContactPublic:
    if if_match is not None:
        versies.vergrendel(session, contact)
        versies.controleer(if_match, service.publiek_een(session, contact))
    contact = service.update(session, caller=caller, contact=contact, data=body)
    return versies.met_etag(response, service.publiek_een(session, contact))


@router.delete(f"/{PAD}/{{contactId}}", status_code=status.HTTP_204_NO_CONTENT, summary="Professioneel contact verwijderen",
               description="Verwijdert het contact (zacht): het telt nergens meer mee en geeft daarna 404. Het `externId` blijft bezet.")
def delete_professioneel_contact(caller: EigenRegistrerenDep, contact: ProfessioneelContactDep, session: SessionDep) -> Response:
    service.delete(session, caller=caller, contact=contact)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
