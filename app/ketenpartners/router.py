"""The social map: ketenpartners of the caller's organisation."""

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.core import versies
from app.core.db import SessionDep
from app.core.filternamen import hernoemd
from app.core.openapi import location
from app.core.pagination import PAGINATED, PaginaDep
from app.core.validation import GEMEENTECODE_PATTERN
from app.ketenpartners import service
from app.ketenpartners.dependencies import KetenpartnerDep
from app.ketenpartners.schemas import KetenpartnerCreate, KetenpartnerPublic, KetenpartnerUpdate
from app.toegang.dependencies import EigenInzienDep, RegistrerenDep

router = APIRouter(tags=["ketenpartners"])


@router.post("/ketenpartners", status_code=status.HTTP_201_CREATED, summary="Ketenpartner toevoegen")
def create_ketenpartner(
    caller: RegistrerenDep, body: KetenpartnerCreate, session: SessionDep, response: Response
) -> KetenpartnerPublic:
    """Voeg een ketenpartner toe aan de sociale kaart van de eigen organisatie."""
    partner = service.create(session, caller=caller, data=body.model_dump(by_alias=False))
    response.headers["Location"] = location("ketenpartners", partner.id)
    return KetenpartnerPublic.model_validate(partner)


CategorieFilter = Annotated[
    str | None,
    Query(max_length=40, description="Categorie (codelijst `ketenpartner-categorie`).", examples=["huisarts"]),
]
GemeenteFilter = Annotated[
    str | None, hernoemd("gemeentecode", "gemeente", str, pattern=GEMEENTECODE_PATTERN, description="CBS-gemeentecode.", examples=["GM0344"])
]
ActiefFilter = Annotated[
    bool | None,
    Query(description="Alleen actieve (`true`) of gedeactiveerde (`false`) ketenpartners.", examples=[True]),
]
ZoekFilter = Annotated[
    str | None, Query(max_length=100, description="Deel van de naam (hoofdletterongevoelig).", examples=["schuld"])
]
SorteringDep = service.SORTERING.dep


@router.get("/ketenpartners", responses=PAGINATED, summary="Ketenpartners zoeken")
def list_ketenpartners(
    caller: EigenInzienDep, session: SessionDep, pagina: PaginaDep,
    sort: SorteringDep,
    categorie: CategorieFilter = None,
    gemeente: GemeenteFilter = None,
    actief: ActiefFilter = None,
    zoek: ZoekFilter = None,
) -> list[KetenpartnerPublic]:
    """De ketenpartners van de eigen organisatie, gepagineerd (standaard op naam)."""
    statement = service.list_statement(
        session, caller=caller, categorie=categorie, gemeente=gemeente, actief=actief, zoek=zoek, sort=sort
    )
    items = pagina.van(session, statement)
    return [KetenpartnerPublic.model_validate(p) for p in items]


@router.get("/ketenpartners/{ketenpartnerId}", summary="Eén ketenpartner")
def get_ketenpartner(caller: EigenInzienDep, partner: KetenpartnerDep, response: Response) -> KetenpartnerPublic:
    """Eén ketenpartner van de eigen organisatie; die van een andere organisatie geeft 404."""
    return versies.met_etag(response, KetenpartnerPublic.model_validate(partner))


@router.patch("/ketenpartners/{ketenpartnerId}", summary="Ketenpartner wijzigen")
def update_ketenpartner(
    caller: RegistrerenDep, partner: KetenpartnerDep, body: KetenpartnerUpdate, session: SessionDep, response: Response, if_match: versies.IfMatchDep = None
) -> KetenpartnerPublic:
    """Wijzig de meegestuurde velden. Een gedeactiveerde categorie die de ketenpartner al had, blijft toegestaan.
    Met `If-Match` geeft een intussen gewijzigde ketenpartner 412."""
    if if_match is not None:
        versies.vergrendel(session, partner)
        versies.controleer(if_match, KetenpartnerPublic.model_validate(partner))
    changes = body.model_dump(exclude_unset=True, by_alias=False)
    partner = service.update(session, caller=caller, partner=partner, changes=changes)
    return versies.met_etag(response, KetenpartnerPublic.model_validate(partner))


@router.delete(
    "/ketenpartners/{ketenpartnerId}", status_code=status.HTTP_204_NO_CONTENT, summary="Ketenpartner deactiveren"
)
def deactivate_ketenpartner(caller: RegistrerenDep, partner: KetenpartnerDep, session: SessionDep) -> Response:
    """Deactiveer de ketenpartner (`actief` wordt `false`). De gegevens blijven bewaard, omdat
    doorverwijzingen ernaar verwijzen; heractiveren kan met PATCH `{"actief": true}`."""
    service.deactivate(session, caller=caller, partner=partner)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
