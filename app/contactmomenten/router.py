"""Routes for /v1/contactmomenten."""

from fastapi import APIRouter, Response

from app.contactmomenten import service
from app.contactmomenten.dependencies import ContactmomentDep
from app.contactmomenten.filters import ContactmomentFiltersDep
from app.contactmomenten.schemas import (
    ContactmomentInvoer,
    ContactmomentPublic,
    ContactmomentUpdate,
)
from app.core import spans, versies
from app.core.db import SessionDep, commit_after, schrijft_in_groep
from app.core.openapi import location
from app.core.pagination import PAGINATED, PaginaDep
from app.toegang.dependencies import EigenInzienDep, EigenRegistrerenDep

router = APIRouter(tags=["contactmomenten"])

LOCATION = {"Location": {"description": "URL van het contactmoment.", "schema": {"type": "string"}}}


@router.post("/contactmomenten", status_code=201, response_model=ContactmomentPublic,
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
@schrijft_in_groep
def create_contactmoment(
    body: ContactmomentInvoer, caller: EigenRegistrerenDep, session: SessionDep
) -> Response:
    publiek, aangemaakt = commit_after(session, lambda: service.create(session, caller=caller, data=body, in_groep=True))
    # Serialised here, once: returning the model would have FastAPI validate it again as response_model
    # (in another thread-pool hop) before serialising it; the document still declares ContactmomentPublic.
    with spans.span("antwoord"):
        inhoud = publiek.model_dump_json(by_alias=True)
    return Response(
        content=inhoud,
        status_code=201 if aangemaakt else 200,
        media_type="application/json",
        headers={"Location": location("contactmomenten", publiek.id)},
    )


@router.get("/contactmomenten", response_model=list[ContactmomentPublic], responses=PAGINATED,
    summary="Contactmomenten opvragen",
    description=(
        "Contactmomenten van de eigen organisatie, met onderwerpen, acties, doorverwijzingen en de "
        "laatste uitkomst. Verwijderde contactmomenten tellen niet mee. Voor incrementeel "
        "synchroniseren: `gewijzigdSinds` met `sort=gewijzigdOp`."
    ),
)
def list_contactmomenten(
    caller: EigenInzienDep, session: SessionDep, pagina: PaginaDep,
    sort: service.SORTERING.dep,  # type: ignore[name-defined]
    filters: ContactmomentFiltersDep,
) -> list[ContactmomentPublic]:
    filters.controleer(session)
    statement = service.list_statement(caller=caller, filters=filters, sort=sort)
    records = pagina.van(session, statement)
    return service.publiek_lijst(session, records=records)


@router.get("/contactmomenten/{contactmomentId}", response_model=ContactmomentPublic, summary="Contactmoment opvragen",
    description="Eén contactmoment van de eigen organisatie. Een contactmoment van een andere organisatie, of een verwijderd contactmoment, geeft 404.",
)
def get_contactmoment(
    caller: EigenInzienDep, record: ContactmomentDep, session: SessionDep, response: Response
) -> ContactmomentPublic:
    return versies.met_etag(response, service.publiek_een(session, record=record))


@router.patch("/contactmomenten/{contactmomentId}", response_model=ContactmomentPublic,
    summary="Contactmoment corrigeren",
    description=(
        "Corrigeert de meegestuurde velden; weggelaten velden blijven zoals ze zijn. `onderwerpen` en "
        "`acties` vervangen de hele lijst. Dezelfde regels als bij registreren gelden voor het "
        "gecorrigeerde geheel. Doorverwijzingen wijzigen via `/doorverwijzingen`, uitkomsten via "
        "`/uitkomsten`. Wordt `datum` later gezet, dan schuiven statusdatums en uitkomstdatums die op "
        "de oude datum lagen mee.\n\nStuur de `ETag` van uw versie mee in `If-Match`, dan overschrijft u "
        "nooit ongemerkt de wijziging van een andere applicatie: is het contactmoment intussen gewijzigd, dan "
        "volgt 412."
    ),
)
def update_contactmoment(
    caller: EigenRegistrerenDep, record: ContactmomentDep, body: ContactmomentUpdate, session: SessionDep,
    response: Response, if_match: versies.IfMatchDep = None,
) -> ContactmomentPublic:
    if if_match is not None:
        versies.vergrendel(session, record)
        versies.controleer(if_match, service.publiek_een(session, record=record))
    record = service.update(
        session,
        caller=caller,
        record=record,
        changes=body.model_dump(exclude_unset=True, by_alias=False),
    )
    return versies.met_etag(response, service.publiek_een(session, record=record))


@router.delete("/contactmomenten/{contactmomentId}", status_code=204, summary="Contactmoment verwijderen",
    description=(
        "Verwijdert een contactmoment (zacht): het telt nergens meer mee en geeft daarna 404. Het "
        "`externId` blijft bezet."
    ),
)
def delete_contactmoment(
    caller: EigenRegistrerenDep, record: ContactmomentDep, session: SessionDep
) -> Response:
    service.delete(session, caller=caller, record=record)
    return Response(status_code=204)
