"""Key persons of the caller's organisation."""

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.core import versies
from app.core.db import SessionDep
from app.core.filternamen import hernoemd
from app.core.openapi import location
from app.core.pagination import PAGINATED, PaginaDep
from app.core.schemas import schemafouten
from app.core.validation import GEMEENTECODE_PATTERN, Taalcode
from app.sleutelpersonen import service
from app.sleutelpersonen.dependencies import SleutelpersoonDep
from app.sleutelpersonen.schemas import (
    SleutelpersoonInvoer,
    SleutelpersoonPublic,
    SleutelpersoonUpdate,
)
from app.toegang.dependencies import EigenInzienDep, RegistrerenDep

router = APIRouter(tags=["sleutelpersonen"])


@router.post("/sleutelpersonen", status_code=status.HTTP_201_CREATED, summary="Sleutelpersoon registreren")
def create_sleutelpersoon(
    caller: RegistrerenDep, body: SleutelpersoonInvoer, session: SessionDep, response: Response
) -> SleutelpersoonPublic:
    """Registreer een sleutelpersoon van de eigen organisatie. Alle fouten worden tegelijk gemeld."""
    persoon = service.create(
        session, caller=caller, data=body.model_dump(by_alias=False, warnings=False), schemafouten=schemafouten(body)
    )
    response.headers["Location"] = location("sleutelpersonen", persoon.id)
    return SleutelpersoonPublic.model_validate(persoon)


ActiefFilter = Annotated[
    bool | None,
    Query(description="Alleen actieve (`true`) of gedeactiveerde (`false`) sleutelpersonen.", examples=[True]),
]
GemeenteFilter = Annotated[
    str | None, hernoemd("gemeentecode", "gemeente", str, pattern=GEMEENTECODE_PATTERN, description="CBS-gemeentecode.", examples=["GM0344"])
]
RolFilter = Annotated[
    str | None,
    hernoemd("rollen", "rol", str, max_length=80, description="Alleen sleutelpersonen met deze rol (codelijst `rol`).", examples=["bemiddelaar"]),
]
TaalFilter = Annotated[
    Taalcode | None, hernoemd("talen", "taal", Taalcode, description="Alleen sleutelpersonen die deze taal spreken.", examples=["ar"])
]
ZoekFilter = Annotated[
    str | None,
    Query(max_length=100, description="Deel van de weergavenaam (hoofdletterongevoelig).", examples=["ami"]),
]
SorteringDep = service.SORTERING.dep


@router.get("/sleutelpersonen", responses=PAGINATED, summary="Sleutelpersonen zoeken")
def list_sleutelpersonen(
    caller: EigenInzienDep, session: SessionDep, pagina: PaginaDep,
    sort: SorteringDep,
    actief: ActiefFilter = None,
    gemeente: GemeenteFilter = None,
    rol: RolFilter = None,
    taal: TaalFilter = None,
    zoek: ZoekFilter = None,
) -> list[SleutelpersoonPublic]:
    """De sleutelpersonen van de eigen organisatie, gepagineerd (standaard op weergavenaam)."""
    statement = service.list_statement(
        session, caller=caller, actief=actief, gemeente=gemeente, rol=rol, taal=taal, zoek=zoek, sort=sort
    )
    items = pagina.van(session, statement)
    return [SleutelpersoonPublic.model_validate(p) for p in items]


@router.get("/sleutelpersonen/{sleutelpersoonId}", summary="Eén sleutelpersoon")
def get_sleutelpersoon(caller: EigenInzienDep, persoon: SleutelpersoonDep, response: Response) -> SleutelpersoonPublic:
    """Eén sleutelpersoon van de eigen organisatie; die van een andere organisatie geeft 404."""
    return versies.met_etag(response, SleutelpersoonPublic.model_validate(persoon))


@router.patch("/sleutelpersonen/{sleutelpersoonId}", summary="Sleutelpersoon wijzigen")
def update_sleutelpersoon(
    caller: RegistrerenDep, persoon: SleutelpersoonDep, body: SleutelpersoonUpdate, session: SessionDep, response: Response, if_match: versies.IfMatchDep = None
) -> SleutelpersoonPublic:
    """Wijzig de meegestuurde velden. De controle loopt over het samengevoegde resultaat, dus
    `actiefTot` wordt ook tegen de opgeslagen `actiefVanaf` getoetst. Gedeactiveerde codes die de
    sleutelpersoon al had, blijven toegestaan. Met `If-Match` geeft een intussen gewijzigde sleutelpersoon 412."""
    if if_match is not None:
        versies.vergrendel(session, persoon)
        versies.controleer(if_match, SleutelpersoonPublic.model_validate(persoon))
    changes = body.model_dump(exclude_unset=True, by_alias=False)
    persoon = service.update(session, caller=caller, persoon=persoon, changes=changes)
    return versies.met_etag(response, SleutelpersoonPublic.model_validate(persoon))


@router.delete(
    "/sleutelpersonen/{sleutelpersoonId}", status_code=status.HTTP_204_NO_CONTENT, summary="Sleutelpersoon deactiveren"
)
def deactivate_sleutelpersoon(caller: RegistrerenDep, persoon: SleutelpersoonDep, session: SessionDep) -> Response:
    """Deactiveer de sleutelpersoon (`actief` wordt `false`). De gegevens blijven bewaard, omdat
    contactmomenten ernaar verwijzen; heractiveren kan met PATCH `{"actief": true}`."""
    service.deactivate(session, caller=caller, persoon=persoon)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
