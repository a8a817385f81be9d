"""Routes for /v1/api-sleutels (administrators) and /v1/audit."""

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response

from app.core.db import SessionDep
from app.core.errors import GeenToegang, OngeldigeInvoer
from app.core.filternamen import hernoemd
from app.core.openapi import location
from app.core.pagination import PAGINATED, PaginaDep
from app.models import ApiSleutel, AuditRegel
from app.toegang import service
from app.toegang.caller import Binding, Caller, Scope
from app.toegang.dependencies import BeherenDep, CallerDep
from app.toegang.schemas import (
    ApiSleutelAangemaakt,
    ApiSleutelCreate,
    ApiSleutelPublic,
    AuditRegelPublic,
)

router = APIRouter(tags=["api-sleutels"])


def beheerde_sleutel(
    sleutel_id: Annotated[
        uuid.UUID,
        Path(alias="sleutelId", description="Identificatie van de API-sleutel.", examples=["5d1c7c0e-8f0a-4b4e-9a8e-2b7d9f3c1a22"]),
    ],
    _caller: BeherenDep,
    session: SessionDep,
) -> ApiSleutel:
    """The key an administrator asks for, or 404."""
    return service.get_key(session, key_id_or_prefix=str(sleutel_id))


BeheerdeSleutelDep = Annotated[ApiSleutel, Depends(beheerde_sleutel)]


def audit_lezer(caller: CallerDep) -> Caller:
    """Administrators read the whole trail; organisation keys (inzien or registreren) their own part."""
    if caller.binding is Binding.regio:
        raise GeenToegang("Een rapportagesleutel geeft geen toegang tot de audittrail.")
    needed = Scope.beheren if caller.binding is Binding.beheer else Scope.inzien
    if not caller.has(needed):
        raise GeenToegang(f"Deze API-sleutel mist de scope `{needed.value}`.")
    return caller


AuditLezerDep = Annotated[Caller, Depends(audit_lezer)]


@router.post("/api-sleutels", status_code=201, response_model=ApiSleutelAangemaakt, summary="API-sleutel aanmaken",
    description=(
        "Maakt een sleutel aan, gebonden aan precies een van: een organisatie (`organisatieId`), een regio "
        "(`gemeentecodes`, alleen scope `rapporteren`) of beheer (`beheer: true`). Het antwoord bevat de "
        "sleutel in het veld `sleutel`; die wordt alleen nu getoond, daarna alleen het `prefix`."
    ),
    responses={201: {"headers": {"Location": {"description": "URL van de nieuwe sleutel.", "schema": {"type": "string"}}}}},
)
def create_api_sleutel(body: ApiSleutelCreate, caller: BeherenDep, session: SessionDep, response: Response) -> ApiSleutelAangemaakt:
    key, token = service.create_key(
        session,
        caller=caller,
        naam=body.naam,
        scopes=body.scopes,
        organisatie_id=body.organisatie_id,
        gemeentecodes=body.gemeentecodes,
        beheer=body.beheer,
        verloopt_op=body.verloopt_op,
    )
    response.headers["Location"] = location("api-sleutels", key.id)
    return ApiSleutelAangemaakt(**ApiSleutelPublic.model_validate(key).model_dump(by_alias=False), sleutel=token)


@router.get("/api-sleutels", response_model=list[ApiSleutelPublic], responses=PAGINATED,
    summary="API-sleutels opvragen",
    description="Alle sleutels, nieuwste eerst; zonder geheim of hash.",
)
def list_api_sleutels(
    _caller: BeherenDep, session: SessionDep, pagina: PaginaDep,
    organisatie_id: Annotated[
        uuid.UUID | None,
        Query(alias="organisatieId", description="Alleen sleutels van deze organisatie.", examples=["0b6e8a4e-2f6c-4d8e-9a51-3f7c2d1e9b10"]),
    ] = None,
) -> list[ApiSleutel]:
    statement = service.keys_query(organisatie_id=organisatie_id)
    return pagina.van(session, statement)


@router.get("/api-sleutels/{sleutelId}", response_model=ApiSleutelPublic, summary="API-sleutel opvragen",
    description="Een sleutel; zonder geheim of hash.",
)
def get_api_sleutel(key: BeheerdeSleutelDep) -> ApiSleutel:
    return key


@router.delete("/api-sleutels/{sleutelId}", response_model=ApiSleutelPublic, summary="API-sleutel intrekken",
    description=(
        "Trekt de sleutel in: daarna antwoordt elk verzoek met deze sleutel 401. Antwoordt 200 met de "
        "ingetrokken sleutel (`ingetrokkenOp` gevuld); nogmaals intrekken verandert niets."
    ),
)
def revoke_api_sleutel(key: BeheerdeSleutelDep, caller: BeherenDep, session: SessionDep) -> ApiSleutel:
    return service.revoke_key(session, caller=caller, key=key)


@router.get("/audit", response_model=list[AuditRegelPublic], responses=PAGINATED, summary="Audittrail opvragen",
    description=(
        "Elke schrijfactie: wie (sleutel), wat en wanneer; nooit de waarden. Nieuwste eerst. Een beheersleutel "
        "(scope `beheren`) ziet alles; een sleutel van een organisatie (scope `inzien` of `registreren`) "
        "alleen de regels van de eigen organisatie."
    ),
)
def list_audit_regels(
    caller: AuditLezerDep, session: SessionDep, pagina: PaginaDep,
    vanaf: Annotated[datetime | None, hernoemd("tijdstipVanaf", "vanaf", datetime, description="Vanaf dit tijdstip (inclusief).", examples=["2025-03-01T00:00:00Z"])] = None,
    tot: Annotated[datetime | None, hernoemd("tijdstipTot", "tot", datetime, description="Tot dit tijdstip (exclusief).", examples=["2025-04-01T00:00:00Z"])] = None,
    actie: Annotated[str | None, Query(description="Alleen deze actie.", examples=["gewijzigd"])] = None,
    resource_type: Annotated[str | None, Query(alias="resourceType", description="Alleen deze soort resource.", examples=["organisatie"])] = None,
    resource_id: Annotated[str | None, Query(alias="resourceId", description="Alleen deze resource.", examples=["0b6e8a4e-2f6c-4d8e-9a51-3f7c2d1e9b10"])] = None,
    api_sleutel_id: Annotated[
        uuid.UUID | None,
        Query(alias="apiSleutelId", description="Alleen schrijfacties met deze sleutel.", examples=["5d1c7c0e-8f0a-4b4e-9a8e-2b7d9f3c1a22"]),
    ] = None,
    organisatie_id: Annotated[
        uuid.UUID | None,
        Query(alias="organisatieId", description="Alleen regels van deze organisatie (voor beheerders).", examples=["0b6e8a4e-2f6c-4d8e-9a51-3f7c2d1e9b10"]),
    ] = None,
) -> list[AuditRegel]:
    # A naive time is ambiguous (UTC? Amsterdam?), so refuse it rather than guess.
    problems = [
        {"name": name, "reason": "Moet een tijdstip met tijdzone zijn (RFC 3339), bijvoorbeeld 2025-03-14T09:30:00Z."}
        for name, value in (("vanaf", vanaf), ("tot", tot))
        if value is not None and value.tzinfo is None
    ]
    if not problems and vanaf is not None and tot is not None and vanaf >= tot:
        problems.append({"name": "tot", "reason": "Moet later zijn dan vanaf."})
    if problems:
        raise OngeldigeInvoer.met(problems)
    statement = service.audit_query(
        caller=caller,
        vanaf=vanaf,
        tot=tot,
        actie=actie,
        resource_type=resource_type,
        resource_id=resource_id,
        api_sleutel_id=api_sleutel_id,
        organisatie_id=organisatie_id,
    )
    return pagina.van(session, statement)
