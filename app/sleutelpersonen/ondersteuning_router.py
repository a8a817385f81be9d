"""Routes under a key person: /ontwikkelplan, /gesprekken, /dienstverbanden (issue 26, parts 3-4).

Only the organisation's own keys; a key person's device may read its own plan (read-only).
"""

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from app.core import versies
from app.core.db import SessionDep
from app.core.pagination import PAGINATED, PaginaDep
from app.models import Gesprek, Ontwikkeldoel
from app.sleutelpersonen import ondersteuning as service
from app.sleutelpersonen.dependencies import SleutelpersoonDep
from app.sleutelpersonen.ondersteuning_schemas import (
    DienstverbandCreate,
    DienstverbandPublic,
    DienstverbandUpdate,
    GesprekCreate,
    GesprekPublic,
    GesprekUpdate,
    OntwikkeldoelCreate,
    OntwikkeldoelPublic,
    OntwikkeldoelUpdate,
)
from app.toegang.dependencies import EigenInzienDep, InzienDep, RegistrerenDep

router = APIRouter(tags=["sleutelpersonen"])

PLAN = "/sleutelpersonen/{sleutelpersoonId}/ontwikkelplan"
GESPREKKEN = "/sleutelpersonen/{sleutelpersoonId}/gesprekken"
DIENSTVERBANDEN = "/sleutelpersonen/{sleutelpersoonId}/dienstverbanden"
ALLEEN_ORGANISATIE = ("Alleen de eigen organisatie ziet dit; het komt nooit in regionale cijfers of exports "
                      "(alleen als aantal, in de indicatoren van de organisatie zelf).")

DoelId = Annotated[uuid.UUID, Path(alias="ontwikkeldoelId", description="Id van het ontwikkeldoel.",
                                   examples=["1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"])]
GesprekId = Annotated[uuid.UUID, Path(alias="gesprekId", description="Id van het gesprek.",
                                      examples=["2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e"])]
PeriodeId = Annotated[uuid.UUID, Path(alias="dienstverbandId", description="Id van de periode.",
                                      examples=["4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a"])]


# --- ontwikkelplan ----------------------------------------------------------------------------


@router.get(PLAN, responses=PAGINATED, summary="Ontwikkelplan van een sleutelpersoon",
            description='De doelen van het persoonlijk ontwikkelplan, nieuwste eerst. De app van de sleutelpersoon mag het eigen plan lezen (niet wijzigen).' + " " + ALLEEN_ORGANISATIE)
def list_ontwikkeldoelen(caller: EigenInzienDep, persoon: SleutelpersoonDep, session: SessionDep,
                         pagina: PaginaDep) -> list[OntwikkeldoelPublic]:
    statement = service.lijst(session, Ontwikkeldoel, caller=caller, persoon=persoon)
    return [OntwikkeldoelPublic.model_validate(d) for d in pagina.van(session, statement)]


@router.post(PLAN, status_code=status.HTTP_201_CREATED, summary="Doel aan het ontwikkelplan toevoegen",
            description='Voegt een doel toe aan het persoonlijk ontwikkelplan (handreiking 6.2).' + " " + ALLEEN_ORGANISATIE)
def create_ontwikkeldoel(caller: RegistrerenDep, persoon: SleutelpersoonDep, body: OntwikkeldoelCreate,
                         session: SessionDep) -> OntwikkeldoelPublic:
    doel = service.create(session, Ontwikkeldoel, caller=caller, persoon=persoon, data=body.model_dump(by_alias=False))
    return OntwikkeldoelPublic.model_validate(doel)


@router.get(PLAN + "/{ontwikkeldoelId}", summary="Eén doel van het ontwikkelplan")
def get_ontwikkeldoel(caller: EigenInzienDep, persoon: SleutelpersoonDep, doel_id: DoelId,
                      session: SessionDep, response: Response) -> OntwikkeldoelPublic:
    """Eén doel; een doel van een andere sleutelpersoon of organisatie geeft 404."""
    doel = service.get(session, Ontwikkeldoel, caller=caller, persoon=persoon, record_id=doel_id, naam="Ontwikkeldoel")
    return versies.met_etag(response, OntwikkeldoelPublic.model_validate(doel))


@router.patch(PLAN + "/{ontwikkeldoelId}", summary="Doel van het ontwikkelplan wijzigen")
def update_ontwikkeldoel(caller: RegistrerenDep, persoon: SleutelpersoonDep, doel_id: DoelId, body: OntwikkeldoelUpdate,
                         session: SessionDep, response: Response, if_match: versies.IfMatchDep = None) -> OntwikkeldoelPublic:
    """Wijzigt de meegestuurde velden, bijvoorbeeld de status (open, bezig, behaald, vervallen). Met `If-Match`
    geeft een intussen gewijzigd doel 412."""
    doel = service.get(session, Ontwikkeldoel, caller=caller, persoon=persoon, record_id=doel_id, naam="Ontwikkeldoel")
    if if_match is not None:
        versies.vergrendel(session, doel)
        versies.controleer(if_match, OntwikkeldoelPublic.model_validate(doel))
    doel = service.update(session, caller=caller, record=doel, changes=body.model_dump(exclude_unset=True, by_alias=False))
    return versies.met_etag(response, OntwikkeldoelPublic.model_validate(doel))


@router.delete(PLAN + "/{ontwikkeldoelId}", status_code=status.HTTP_204_NO_CONTENT, summary="Doel verwijderen")
def delete_ontwikkeldoel(caller: RegistrerenDep, persoon: SleutelpersoonDep, doel_id: DoelId, session: SessionDep) -> Response:
    """Verwijdert het doel (zacht): het geeft daarna 404 en telt niet meer mee."""
    doel = service.get(session, Ontwikkeldoel, caller=caller, persoon=persoon, record_id=doel_id, naam="Ontwikkeldoel")
    service.delete(session, caller=caller, record=doel)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- gesprekken -------------------------------------------------------------------------------


@router.get(GESPREKKEN, responses=PAGINATED, summary="Gesprekken met een sleutelpersoon",
            description='Voortgangs-, functionerings- en afsluitende gesprekken, nieuwste eerst.' + " " + ALLEEN_ORGANISATIE)
def list_gesprekken(caller: InzienDep, persoon: SleutelpersoonDep, session: SessionDep,
                    pagina: PaginaDep) -> list[GesprekPublic]:
    statement = service.lijst(session, Gesprek, caller=caller, persoon=persoon)
    return [GesprekPublic.model_validate(g) for g in pagina.van(session, statement)]


@router.post(GESPREKKEN, status_code=status.HTTP_201_CREATED, summary="Gesprek vastleggen",
            description='Legt een gesprek vast met de gemaakte afspraken (handreiking 6.1).' + " " + ALLEEN_ORGANISATIE)
def create_gesprek(caller: RegistrerenDep, persoon: SleutelpersoonDep, body: GesprekCreate,
                   session: SessionDep) -> GesprekPublic:
    gesprek = service.create(session, Gesprek, caller=caller, persoon=persoon, data=body.model_dump(by_alias=False))
    return GesprekPublic.model_validate(gesprek)


@router.get(GESPREKKEN + "/{gesprekId}", summary="Eén gesprek")
def get_gesprek(caller: InzienDep, persoon: SleutelpersoonDep, gesprek_id: GesprekId, session: SessionDep,
                response: Response) -> GesprekPublic:
    """Eén gesprek; een gesprek van een andere sleutelpersoon of organisatie geeft 404."""
    return versies.met_etag(response, GesprekPublic.model_validate(
        service.get(session, Gesprek, caller=caller, persoon=persoon, record_id=gesprek_id, naam="Gesprek")))


@router.patch(GESPREKKEN + "/{gesprekId}", summary="Gesprek wijzigen")
def update_gesprek(caller: RegistrerenDep, persoon: SleutelpersoonDep, gesprek_id: GesprekId, body: GesprekUpdate,
                   session: SessionDep, response: Response, if_match: versies.IfMatchDep = None) -> GesprekPublic:
    """Wijzigt de meegestuurde velden. Met `If-Match` geeft een intussen gewijzigd gesprek 412."""
    gesprek = service.get(session, Gesprek, caller=caller, persoon=persoon, record_id=gesprek_id, naam="Gesprek")
    if if_match is not None:
        versies.vergrendel(session, gesprek)
        versies.controleer(if_match, GesprekPublic.model_validate(gesprek))
    gesprek = service.update(session, caller=caller, record=gesprek, changes=body.model_dump(exclude_unset=True, by_alias=False))
    return versies.met_etag(response, GesprekPublic.model_validate(gesprek))


@router.delete(GESPREKKEN + "/{gesprekId}", status_code=status.HTTP_204_NO_CONTENT, summary="Gesprek verwijderen")
def delete_gesprek(caller: RegistrerenDep, persoon: SleutelpersoonDep, gesprek_id: GesprekId, session: SessionDep) -> Response:
    """Verwijdert het gesprek (zacht): het geeft daarna 404."""
    gesprek = service.get(session, Gesprek, caller=caller, persoon=persoon, record_id=gesprek_id, naam="Gesprek")
    service.delete(session, caller=caller, record=gesprek)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- dienstverbanden ------------------------------------------------------------------------------


@router.get(DIENSTVERBANDEN, summary="Dienstverbanden van een sleutelpersoon (historie)")
def list_dienstverbanden(caller: InzienDep, persoon: SleutelpersoonDep, session: SessionDep) -> list[DienstverbandPublic]:
    """Alle perioden, oudste eerst. De lopende periode (zonder `tot`) is het huidige dienstverband; dat staat
    ook in het veld `dienstverband` van de sleutelpersoon."""
    return [DienstverbandPublic.model_validate(p) for p in service.perioden(session, persoon_id=persoon.id)]


@router.post(DIENSTVERBANDEN, status_code=status.HTTP_201_CREATED, summary="Dienstverband toevoegen of wisselen")
def create_dienstverband(caller: RegistrerenDep, persoon: SleutelpersoonDep, body: DienstverbandCreate,
                         session: SessionDep) -> DienstverbandPublic:
    """Voegt een periode toe. Begint die na de lopende periode, dan sluit de lopende op de dag ervoor: zo legt u
    een overstap vast (van vrijwilliger naar parttime, ...). Perioden overlappen nooit; `tot` ligt niet in de
    toekomst."""
    periode = service.voeg_periode_toe(session, caller=caller, persoon=persoon, data=body.model_dump(by_alias=False))
    return DienstverbandPublic.model_validate(periode)


@router.patch(DIENSTVERBANDEN + "/{dienstverbandId}", summary="Dienstverband afsluiten of corrigeren")
def update_dienstverband(caller: RegistrerenDep, persoon: SleutelpersoonDep, periode_id: PeriodeId,
                         body: DienstverbandUpdate, session: SessionDep, response: Response,
                         if_match: versies.IfMatchDep = None) -> DienstverbandPublic:
    """Sluit een periode af met `tot` (en bij vertrek `uitstroomReden`: betaald-werk, opleiding, verhuisd, gestopt,
    overig), of corrigeert haar. Perioden overlappen nooit. Met `If-Match` geeft een intussen gewijzigde periode 412."""
    periode = service.get_periode(session, caller=caller, persoon=persoon, periode_id=periode_id)
    if if_match is not None:
        versies.vergrendel(session, periode)
        versies.controleer(if_match, DienstverbandPublic.model_validate(periode))
    periode = service.wijzig_periode(session, caller=caller, persoon=persoon, periode=periode,
                                     changes=body.model_dump(exclude_unset=True, by_alias=False))
    return versies.met_etag(response, DienstverbandPublic.model_validate(periode))


@router.get(DIENSTVERBANDEN + "/{dienstverbandId}", summary="Eén dienstverband")
def get_dienstverband(caller: InzienDep, persoon: SleutelpersoonDep, periode_id: PeriodeId, session: SessionDep,
                      response: Response) -> DienstverbandPublic:
    """Eén periode van het dienstverband, met haar `ETag` voor een latere PATCH; een andere geeft 404."""
    periode = service.get_periode(session, caller=caller, persoon=persoon, periode_id=periode_id)
    return versies.met_etag(response, DienstverbandPublic.model_validate(periode))
