"""Routes for /v1/doorverwijzingen."""

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.codelijsten import service as codelijsten
from app.contactmomenten import service as contactmomenten
from app.contactmomenten.dependencies import ContactmomentDep
from app.core import versies
from app.core.db import SessionDep
from app.core.filternamen import hernoemd
from app.core.filters import controleer_filters
from app.core.openapi import location
from app.core.pagination import PAGINATED, PaginaDep
from app.doorverwijzingen import service, toevoegen
from app.doorverwijzingen.dependencies import DoorverwijzingDep
from app.doorverwijzingen.schemas import (
    DoorverwijzingDetail,
    DoorverwijzingPublic,
    DoorverwijzingToevoegen,
    DoorverwijzingUpdate,
)
from app.doorverwijzingen.statussen import EINDSTATUSSEN
from app.models import Doorverwijzing
from app.toegang.dependencies import EigenInzienDep, EigenRegistrerenDep

router = APIRouter(tags=["doorverwijzingen"])

OVERGANGEN_TEKST = "\n".join(
    f"- `{van}` → {', '.join(f'`{naar}`' for naar in naar_lijst) if naar_lijst else 'geen (eindstatus)'}"
    for van, naar_lijst in service.OVERGANGEN.items()
)


LOCATION = {"Location": {"description": "URL van de doorverwijzing.", "schema": {"type": "string"}}}
ETAG = {"ETag": {"description": "De `ETag` van de doorverwijzing, voor een latere PATCH met `If-Match`.", "schema": {"type": "string"}}}


@router.post(
    "/contactmomenten/{contactmomentId}/doorverwijzingen",
    status_code=201,
    response_model=DoorverwijzingDetail,
    summary="Doorverwijzing toevoegen aan een contactmoment",
    description=(
        "Voegt later een doorverwijzing toe aan een bestaand contactmoment van de eigen organisatie, met dezelfde "
        "regels als een doorverwijzing die met het contactmoment meekomt: een ketenpartner van de eigen organisatie, "
        "een onderwerp van het contactmoment, codes uit `doorverwijzing-wijze` en `doorverwijzing-status`, een "
        "statusdatum niet vóór het contactmoment en niet in de toekomst. Alle fouten komen tegelijk terug.\n\n"
        "Het antwoord is de nieuwe doorverwijzing (met `Location` en haar eigen `ETag`). Het contactmoment toont haar "
        "daarna bij zijn doorverwijzingen; daarmee veranderen ook zijn `ETag` en `gewijzigdOp`.\n\n"
        "`If-Match` is hier niet nodig: toevoegen overschrijft niets. Stuurt u toch de `ETag` van het contactmoment "
        "mee, dan volgt 412 als het contactmoment intussen gewijzigd is, en wordt er niets opgeslagen. Een herhaling "
        "met hetzelfde `externId` geeft altijd 200, ook met de `ETag` van vóór de eerste poging.\n\n"
        "`externId` maakt opnieuw versturen veilig: dezelfde doorverwijzing nog eens geeft 200 met de bestaande; "
        "hetzelfde `externId` met een andere inhoud geeft 409 met `bestaandId`. Een contactmoment van een andere "
        "organisatie, of een verwijderd contactmoment, geeft 404."
    ),
    responses={
        200: {"description": "Deze doorverwijzing bestond al (zelfde `externId` en inhoud).", "model": DoorverwijzingDetail,
              "headers": {**LOCATION, **ETAG}},
        201: {"description": "De doorverwijzing is toegevoegd.", "headers": {**LOCATION, **ETAG}},
        409: {"description": "Het `externId` is al in gebruik voor een andere doorverwijzing, of het contactmoment heeft "
              "al het maximum aantal doorverwijzingen."},
        412: {"description": "Het contactmoment is gewijzigd sinds de versie in `If-Match`; er is niets opgeslagen."},
    },
)
def create_doorverwijzing(
    record: ContactmomentDep, body: DoorverwijzingToevoegen, caller: EigenRegistrerenDep, session: SessionDep,
    if_match: versies.IfMatchDep = None,
) -> Response:
    def controleer_versie() -> None:
        if if_match is not None:
            versies.vergrendel(session, record)
            versies.controleer(if_match, contactmomenten.publiek_een(session, record=record))

    verwijzing, aangemaakt = toevoegen.create(session, caller=caller, contactmoment=record, data=body,
                                              controleer_versie=controleer_versie)
    detail = service.detail(session, verwijzing=verwijzing)
    return Response(
        content=detail.model_dump_json(by_alias=True),
        status_code=201 if aangemaakt else 200,
        media_type="application/json",
        headers={"Location": location("doorverwijzingen", verwijzing.id), "ETag": versies.etag(detail)},
    )


@router.get("/doorverwijzingen", response_model=list[DoorverwijzingPublic], responses=PAGINATED,
    summary="Doorverwijzingen opvragen",
    description=(
        "Doorverwijzingen van de eigen organisatie (niet die van verwijderde contactmomenten). "
        "`datumVanaf`/`datumTot` filteren op de datum van het contactmoment (de dag van verwijzen), "
        "`statusDatumVanaf`/`statusDatumTot` op de datum van de huidige status."
    ),
)
def list_doorverwijzingen(
    caller: EigenInzienDep, session: SessionDep, pagina: PaginaDep,
    sort: service.SORTERING.dep,  # type: ignore[name-defined]
    status: Annotated[
        str | None, Query(max_length=20, description="Alleen doorverwijzingen met deze huidige status.", examples=["verwezen"])
    ] = None,
    ketenpartner: Annotated[
        uuid.UUID | None, hernoemd("ketenpartnerId", "ketenpartner", uuid.UUID, description="Alleen doorverwijzingen naar deze ketenpartner (id).", examples=["6f1c2a4e-8b1d-4c7e-9a0b-3d2e1f4a5b6c"])
    ] = None,
    onderwerp: Annotated[
        str | None, Query(max_length=80, description="Alleen doorverwijzingen over dit onderwerp; een hoofdonderwerp omvat zijn subonderwerpen.", examples=["geld"])
    ] = None,
    contactmoment: Annotated[
        uuid.UUID | None, hernoemd("contactmomentId", "contactmoment", uuid.UUID, description="Alleen doorverwijzingen van dit contactmoment (id).", examples=["3fa85f64-5717-4562-b3fc-2c963f66afa6"])
    ] = None,
    datum_vanaf: Annotated[
        date | None, Query(alias="datumVanaf", description="Contactmoment op of na deze datum.", examples=["2025-01-01"])
    ] = None,
    datum_tot: Annotated[
        date | None, Query(alias="datumTot", description="Contactmoment op of vóór deze datum (inclusief).", examples=["2025-03-31"])
    ] = None,
    status_datum_vanaf: Annotated[
        date | None, Query(alias="statusDatumVanaf", description="Huidige status ingegaan op of na deze datum.", examples=["2025-01-01"])
    ] = None,
    status_datum_tot: Annotated[
        date | None, Query(alias="statusDatumTot", description="Huidige status ingegaan op of vóór deze datum (inclusief).", examples=["2025-03-31"])
    ] = None,
    open_: Annotated[
        bool | None, Query(alias="open", description=(
            "`true`: alleen open doorverwijzingen (zonder eindstatus: nog te volgen); `false`: alleen afgesloten "
            f"(eindstatus {', '.join(f'`{s}`' for s in EINDSTATUSSEN)})."), examples=[True])
    ] = None,
    sleutelpersoon: Annotated[
        uuid.UUID | None, hernoemd("sleutelpersoonId", "sleutelpersoon", uuid.UUID, description="Alleen doorverwijzingen van contactmomenten van deze sleutelpersoon (id).",
                                examples=["8d2f6a1c-3b4e-4f5a-9c8d-7e6f5a4b3c2d"])
    ] = None,
) -> list[Doorverwijzing]:
    controleer_filters(
        session,
        codes=[
            ("status", codelijsten.DOORVERWIJZING_STATUS, status),
            ("onderwerp", codelijsten.ONDERWERP, onderwerp),
        ],
        periodes=[
            ("datumVanaf", datum_vanaf, "datumTot", datum_tot),
            ("statusDatumVanaf", status_datum_vanaf, "statusDatumTot", status_datum_tot),
        ],
    )
    statement = service.list_statement(
        caller=caller,
        status=status,
        ketenpartner=ketenpartner,
        onderwerp=onderwerp,
        contactmoment=contactmoment,
        datum_vanaf=datum_vanaf,
        datum_tot=datum_tot,
        status_datum_vanaf=status_datum_vanaf,
        status_datum_tot=status_datum_tot,
        open_=open_,
        sleutelpersoon=sleutelpersoon,
        sort=sort,
    )
    return pagina.van(session, statement)


@router.get("/doorverwijzingen/{doorverwijzingId}", response_model=DoorverwijzingDetail,
    summary="Doorverwijzing opvragen",
    description="Eén doorverwijzing met de historie van haar statussen (oudste eerst).",
)
def get_doorverwijzing(
    caller: EigenInzienDep, verwijzing: DoorverwijzingDep, session: SessionDep, response: Response
) -> DoorverwijzingDetail:
    return versies.met_etag(response, service.detail(session, verwijzing=verwijzing))


@router.patch("/doorverwijzingen/{doorverwijzingId}", response_model=DoorverwijzingDetail,
    summary="Status van een doorverwijzing wijzigen",
    description=(
        "Zet de doorverwijzing op een nieuwe status. Elke wijziging komt in de historie. Toegestane "
        f"overgangen:\n\n{OVERGANGEN_TEKST}\n\nEen andere overgang geeft 409 met de toegestane "
        "volgende statussen.\n\nMet de `ETag` van uw versie in `If-Match` geeft een intussen gewijzigde "
        "doorverwijzing 412 in plaats van een stille overschrijving."
    ),
    responses={409: {"description": "Deze statusovergang is niet toegestaan."}},
)
def update_doorverwijzing(
    caller: EigenRegistrerenDep,
    verwijzing: DoorverwijzingDep,
    body: DoorverwijzingUpdate,
    session: SessionDep,
    response: Response,
    if_match: versies.IfMatchDep = None,
) -> DoorverwijzingDetail:
    if if_match is not None:
        versies.vergrendel(session, verwijzing)
        versies.controleer(if_match, service.detail(session, verwijzing=verwijzing))
    verwijzing = service.wijzig_status(session, caller=caller, verwijzing=verwijzing, data=body)
    return versies.met_etag(response, service.detail(session, verwijzing=verwijzing))
