"""Routes for /v1/contactmomenten."""

import uuid
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.codelijsten import service as codelijsten
from app.contactmomenten import service
from app.contactmomenten.dependencies import ContactmomentDep
from app.contactmomenten.schemas import (
    ContactmomentInvoer,
    ContactmomentPublic,
    ContactmomentUpdate,
)
from app.core.db import SessionDep, commit_na
from app.core.filters import controleer_filters
from app.core.openapi import location
from app.core.pagination import PAGINATED, PaginaDep
from app.core.validation import GEMEENTECODE_PATTERN, WIJKCODE_PATTERN
from app.toegang.dependencies import InzienDep, RegistrerenDep

router = APIRouter(tags=["contactmomenten"])

LOCATION = {"Location": {"description": "URL van het contactmoment.", "schema": {"type": "string"}}}


@router.post(
    "/contactmomenten",
    status_code=201,
    response_model=ContactmomentPublic,
    summary="Contactmoment registreren",
    description=(
        "Legt één contactmoment vast met alles wat op dat moment bekend is: onderwerpen, acties, "
        "doorverwijzingen en uitkomst, in één transactie (alles of niets). Alle fouten komen tegelijk "
        "terug in `invalidParams`.\n\n"
        "`externId` maakt opnieuw versturen veilig: hetzelfde contactmoment nog eens versturen geeft "
        "200 met het bestaande record; hetzelfde `externId` met een andere inhoud geeft 409 met "
        "`bestaandId`.\n\n"
        "`inwonerReferentie` wordt nooit opgeslagen zoals verstuurd (alleen een sleutel-hash) en nooit "
        "teruggegeven. Een BSN wordt geweigerd."
    ),
    responses={
        200: {
            "description": "Dit contactmoment bestond al (zelfde `externId` en inhoud); er is niets nieuws vastgelegd.",
            "model": ContactmomentPublic,
            "headers": LOCATION,
        },
        201: {"description": "Het contactmoment is vastgelegd.", "headers": LOCATION},
        409: {
            "description": "Het `externId` is al in gebruik voor een contactmoment met een andere inhoud; "
            "`bestaandId` noemt dat contactmoment."
        },
    },
)
def create_contactmoment(
    body: ContactmomentInvoer, caller: RegistrerenDep, session: SessionDep
) -> Response:
    publiek, aangemaakt = commit_na(session, lambda: service.create(session, caller=caller, data=body))
    # Serialised here, once: returning the model would have FastAPI validate it again as response_model
    # (in another thread-pool hop) before serialising it; the document still declares ContactmomentPublic.
    return Response(
        content=publiek.model_dump_json(by_alias=True),
        status_code=201 if aangemaakt else 200,
        media_type="application/json",
        headers={"Location": location("contactmomenten", publiek.id)},
    )


@router.get(
    "/contactmomenten",
    response_model=list[ContactmomentPublic],
    responses=PAGINATED,
    summary="Contactmomenten opvragen",
    description=(
        "Contactmomenten van de eigen organisatie, met onderwerpen, acties, doorverwijzingen en de "
        "laatste uitkomst. Verwijderde contactmomenten tellen niet mee. Voor incrementeel "
        "synchroniseren: `gewijzigdSinds` met `sort=gewijzigdOp`."
    ),
)
def list_contactmomenten(
    caller: InzienDep,
    session: SessionDep,
    pagina: PaginaDep,
    sort: service.SORTERING.dep,  # type: ignore[name-defined]
    datum_vanaf: Annotated[
        date | None,
        Query(
            alias="datumVanaf",
            description="Alleen contacten op of na deze datum.",
            examples=["2025-01-01"],
        ),
    ] = None,
    datum_tot: Annotated[
        date | None,
        Query(
            alias="datumTot",
            description="Alleen contacten op of vóór deze datum (inclusief).",
            examples=["2025-03-31"],
        ),
    ] = None,
    sleutelpersoon: Annotated[
        uuid.UUID | None,
        Query(
            description="Alleen contacten van deze sleutelpersoon (id).",
            examples=["7d9f1c2b-3a4e-4f5d-8e6c-1b2a3c4d5e6f"],
        ),
    ] = None,
    gemeente: Annotated[
        str | None,
        Query(
            pattern=GEMEENTECODE_PATTERN,
            description="Alleen contacten in deze gemeente (CBS-code).",
            examples=["GM0344"],
        ),
    ] = None,
    wijk: Annotated[
        str | None,
        Query(
            pattern=WIJKCODE_PATTERN,
            description="Alleen contacten in deze wijk (CBS-code).",
            examples=["WK034401"],
        ),
    ] = None,
    onderwerp: Annotated[
        str | None,
        Query(
            max_length=80,
            description="Alleen contacten over dit onderwerp; een hoofdonderwerp (`geld`) omvat zijn subonderwerpen (`geld.toeslagen`).",
            examples=["geld"],
        ),
    ] = None,
    kanaal: Annotated[
        str | None,
        Query(
            max_length=40, description="Alleen contacten via dit kanaal.", examples=["huisbezoek"]
        ),
    ] = None,
    soort: Annotated[
        str | None,
        Query(
            max_length=20, description="Alleen `individueel` of alleen `groep`.", examples=["groep"]
        ),
    ] = None,
    extern_id: Annotated[
        str | None,
        Query(
            alias="externId",
            max_length=100,
            description="Het contactmoment met dit externId.",
            examples=["crm-2025-000123"],
        ),
    ] = None,
    gewijzigd_sinds: Annotated[
        datetime | None,
        Query(
            alias="gewijzigdSinds",
            description="Alleen contactmomenten die op of na dit tijdstip (RFC 3339, met tijdzone) zijn aangemaakt of gewijzigd.",
            examples=["2025-03-14T00:00:00Z"],
        ),
    ] = None,
) -> list[ContactmomentPublic]:
    controleer_filters(
        session,
        codes=[
            ("onderwerp", codelijsten.ONDERWERP, onderwerp),
            ("kanaal", codelijsten.KANAAL, kanaal),
            ("soort", codelijsten.SOORT_CONTACT, soort),
        ],
        periodes=[("datumVanaf", datum_vanaf, "datumTot", datum_tot)],
    )
    statement = service.list_statement(
        caller=caller,
        datum_vanaf=datum_vanaf,
        datum_tot=datum_tot,
        sleutelpersoon=sleutelpersoon,
        gemeente=gemeente,
        wijk=wijk,
        onderwerp=onderwerp,
        kanaal=kanaal,
        soort=soort,
        extern_id=extern_id,
        gewijzigd_sinds=gewijzigd_sinds,
        sort=sort,
    )
    records = pagina.van(session, statement)
    return service.publiek_lijst(session, records=records)


@router.get(
    "/contactmomenten/{contactmomentId}",
    response_model=ContactmomentPublic,
    summary="Contactmoment opvragen",
    description="Eén contactmoment van de eigen organisatie. Een contactmoment van een andere organisatie, of een verwijderd contactmoment, geeft 404.",
)
def get_contactmoment(
    caller: InzienDep, record: ContactmomentDep, session: SessionDep
) -> ContactmomentPublic:
    return service.publiek_een(session, record=record)


@router.patch(
    "/contactmomenten/{contactmomentId}",
    response_model=ContactmomentPublic,
    summary="Contactmoment corrigeren",
    description=(
        "Corrigeert de meegestuurde velden; weggelaten velden blijven zoals ze zijn. `onderwerpen` en "
        "`acties` vervangen de hele lijst. Dezelfde regels als bij registreren gelden voor het "
        "gecorrigeerde geheel. Doorverwijzingen wijzigen via `/doorverwijzingen`, uitkomsten via "
        "`/uitkomsten`. Wordt `datum` later gezet, dan schuiven statusdatums en uitkomstdatums die op "
        "de oude datum lagen mee."
    ),
)
def update_contactmoment(
    caller: RegistrerenDep, record: ContactmomentDep, body: ContactmomentUpdate, session: SessionDep
) -> ContactmomentPublic:
    record = service.update(
        session,
        caller=caller,
        record=record,
        changes=body.model_dump(exclude_unset=True, by_alias=False),
    )
    return service.publiek_een(session, record=record)


@router.delete(
    "/contactmomenten/{contactmomentId}",
    status_code=204,
    summary="Contactmoment verwijderen",
    description=(
        "Verwijdert een contactmoment (zacht): het telt nergens meer mee en geeft daarna 404. Het "
        "`externId` blijft bezet."
    ),
)
def delete_contactmoment(
    caller: RegistrerenDep, record: ContactmomentDep, session: SessionDep
) -> Response:
    service.delete(session, caller=caller, record=record)
    return Response(status_code=204)
