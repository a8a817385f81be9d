"""Routes for /v1/sso-koppelingen and /v1/sso-aanmeldingen (administrators only)."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response

from app.core.db import SessionDep
from app.core.openapi import location
from app.core.pagination import PAGINATED, PaginaDep
from app.models import SsoKoppeling
from app.sso import service
from app.sso.schemas import SsoAanmeldingPublic, SsoKoppelingCreate, SsoKoppelingPublic
from app.toegang.dependencies import BeherenDep

router = APIRouter(tags=["sso"])


def beheerde_koppeling(
    koppeling_id: Annotated[
        uuid.UUID,
        Path(alias="koppelingId", description="Identificatie van de SSO-koppeling.", examples=["3f1c7c0e-8f0a-4b4e-9a8e-2b7d9f3c1a22"]),
    ],
    _caller: BeherenDep,
    session: SessionDep,
) -> SsoKoppeling:
    """The mapping an administrator asks for, or 404."""
    return service.get(session, koppeling_id=koppeling_id)


KoppelingDep = Annotated[SsoKoppeling, Depends(beheerde_koppeling)]


@router.post("/sso-koppelingen", status_code=201, response_model=SsoKoppelingPublic, summary="SSO-koppeling aanmaken",
    description=(
        "Koppelt een groep of rol van de identity provider aan een organisatie (`organisatieId`) of een regio "
        "(`gemeentecodes`), met scopes zoals bij een API-sleutel. Wie zich via SSO aanmeldt met precies één "
        "gekoppelde groep, krijgt die binding in het dashboard; zonder of met meer dan één gekoppelde groep wordt "
        "de aanmelding geweigerd."
    ),
    responses={201: {"headers": {"Location": {"description": "URL van de nieuwe koppeling.", "schema": {"type": "string"}}}}},
)
def create_sso_koppeling(body: SsoKoppelingCreate, caller: BeherenDep, session: SessionDep, response: Response) -> SsoKoppeling:
    koppeling = service.create(session, caller=caller, claim_waarde=body.claim_waarde, scopes=body.scopes,
                               organisatie_id=body.organisatie_id, gemeentecodes=body.gemeentecodes)
    response.headers["Location"] = location("sso-koppelingen", koppeling.id)
    return koppeling


@router.get("/sso-koppelingen", response_model=list[SsoKoppelingPublic], responses=PAGINATED,
    summary="SSO-koppelingen opvragen", description="Alle koppelingen, nieuwste eerst.")
def list_sso_koppelingen(_caller: BeherenDep, session: SessionDep, pagina: PaginaDep) -> list[SsoKoppeling]:
    return pagina.van(session, service.list_query())


@router.get("/sso-koppelingen/{koppelingId}", response_model=SsoKoppelingPublic, summary="SSO-koppeling opvragen",
    description="Een koppeling.")
def get_sso_koppeling(koppeling: KoppelingDep) -> SsoKoppeling:
    return koppeling


@router.delete("/sso-koppelingen/{koppelingId}", status_code=204, summary="SSO-koppeling verwijderen",
    description=(
        "Verwijdert de koppeling. De sessies van wie zich via deze koppeling aanmeldde, eindigen direct "
        "(hun sleutels worden ingetrokken); een volgende aanmelding met die groep wordt geweigerd."
    ),
)
def delete_sso_koppeling(koppeling: KoppelingDep, caller: BeherenDep, session: SessionDep) -> Response:
    service.delete_koppeling(session, caller=caller, koppeling=koppeling)
    return Response(status_code=204)


@router.get("/sso-aanmeldingen", response_model=list[SsoAanmeldingPublic], responses=PAGINATED,
    summary="SSO-aanmeldingen opvragen",
    description=(
        "Wie zich via SSO aanmeldde of werd geweigerd, wanneer, via welke koppeling, en hoe de sessie eindigde; "
        "nieuwste eerst. Een persoon staat er als sleutel-hash, nooit met naam of e-mailadres."
    ),
)
def list_sso_aanmeldingen(
    _caller: BeherenDep, session: SessionDep, pagina: PaginaDep,
    sub: Annotated[str | None, Query(max_length=255, description="Alleen deze persoon: de `sub` die de identity "
                                     "provider voor hem of haar gebruikt (de dienst rekent de hash zelf uit).",
                                     examples=["f3a9c1d2-7b1e-4c0a-9d3e-2a1b0c9d8e7f"])] = None,
    uitkomst: Annotated[str | None, Query(max_length=30, description="Alleen deze uitkomst.", examples=["geen-koppeling"])] = None,
) -> list[dict[str, Any]]:
    from app.core.config import get_settings

    onderwerp = service.onderwerp_hash(get_settings().sso_issuer or "", sub) if sub is not None else None
    rijen = pagina.van(session, service.aanmeldingen_query(onderwerp=onderwerp, uitkomst=uitkomst))
    return [_aanmelding(record, sessie) for record, sessie in rijen]


def _aanmelding(record: Any, sessie: Any) -> dict[str, Any]:
    return {
        "id": record.id, "tijdstip": record.tijdstip, "onderwerp": record.onderwerp, "uitkomst": record.uitkomst,
        "koppeling_id": record.koppeling_id, "claim_waarde": record.claim_waarde, "api_sleutel_id": record.api_sleutel_id,
        "sessie_id": record.dashboard_sessie_id, "verloopt_op": sessie.verloopt_op if sessie else None,
        "beeindigd_op": (sessie.beeindigd_op if sessie else None) or record.afgemeld_op,
        "einde": (sessie.einde if sessie else None) or ("afgemeld" if record.afgemeld_op else None),
    }
