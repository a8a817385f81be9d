"""Signalen: the organisation's outbox, and for a regional `signalen` key the inbox with a reply form."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from sqlmodel import Session

from app.core.db import SessionDep
from app.core.errors import DomeinFout, GeenToegang, validation_params
from app.core.request_checks import REDEN, VERBODEN_TEKENS
from app.core.validation import vandaag
from app.signalen.schemas import SignaalStatusCode, StatusWijziging
from app.toegang.caller import Scope
from app.web import adapters
from app.web.sessie import SessieDep, WebSessie, controleer_csrf
from app.web.templating import pagina

router = APIRouter(include_in_schema=False)

STATUSSEN = [s.value for s in SignaalStatusCode]
VELDNAMEN = {"status": "Nieuwe status", "terugkoppeling.tekst": "Terugkoppeling", "terugkoppeling": "Terugkoppeling",
             "statusDatum": "Datum", "terugkoppeling.datum": "Datum"}


def _context(session: Session, sessie: WebSessie, status: str | None, nummer: int = 1) -> dict[str, Any]:
    caller = sessie.caller
    inbox = sessie.is_regio and caller.has(Scope.signalen)
    if not inbox and not (sessie.is_organisatie and caller.has(Scope.inzien)):
        raise GeenToegang("Deze sleutel geeft geen toegang tot signalen: nodig is een organisatiesleutel met scope "
                          "`inzien`, of een regionale sleutel met scope `signalen`.")
    # One more than a page, to know whether there is a next one.
    plek = {"status": status, "limiet": adapters.PAGINA + 1, "offset": (nummer - 1) * adapters.PAGINA}
    signalen = (adapters.ontvangen_signalen(session, caller, **plek) if inbox
                else adapters.uitgaande_signalen(session, caller, **plek))
    meer, signalen = len(signalen) > adapters.PAGINA, signalen[: adapters.PAGINA]
    return {
        "sessie": sessie, "actief": "signalen", "inbox": inbox, "signalen": signalen, "status": status or "",
        "statussen": STATUSSEN, "volgende": {str(s.id): adapters.volgende_statussen(s.status) for s in signalen},
        "onderwerpen": adapters.labels(session, "onderwerp"), "vandaag": vandaag().isoformat(),
        "fouten": {}, "invoer": {}, "gewijzigd": None, "pagina": nummer, "meer": meer,
    }


@router.get("/signalen", response_class=HTMLResponse)
def signalen(
    request: Request, sessie: SessieDep, session: SessionDep,
    status: Annotated[str | None, Query(max_length=40)] = None,
    gewijzigd: Annotated[uuid.UUID | None, Query()] = None,
    nummer: Annotated[int, Query(alias="pagina", ge=1, le=10_000)] = 1,
) -> Response:
    context = _context(session, sessie, status if status in STATUSSEN else None, nummer)
    context["gewijzigd"] = str(gewijzigd) if gewijzigd else None
    return pagina(request, "signalen.html", context)


def _wijzig(session: Session, sessie: WebSessie, signaal_id: uuid.UUID, body: dict[str, Any]) -> dict[str, str]:
    """Validate and apply a status change as the API does; the problems by field name, none when saved."""
    try:
        adapters.wijzig_status(session, sessie.caller, signaal_id, StatusWijziging.model_validate(body))
    except ValidationError as exc:
        return {p["name"]: p["reason"] for p in validation_params(exc.errors())}
    except DomeinFout as exc:
        if exc.status not in (400, 409):
            raise
        return {p["name"]: p["reason"] for p in (exc.invalid_params or [])} or {"status": exc.detail}
    return {}


@router.post("/signalen/{signaal_id}/status", response_class=HTMLResponse)
def wijzig_status(
    request: Request, signaal_id: uuid.UUID, sessie: SessieDep, session: SessionDep,
    csrf: Annotated[str, Form(max_length=100)] = "",
    status: Annotated[str, Form(max_length=40)] = "",
    tekst: Annotated[str, Form(max_length=5000)] = "",
    datum: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """`PATCH /v1/ontvangen-signalen/{id}` from a form: the same schema, service and rules."""
    controleer_csrf(request, csrf, sessie.csrf)
    body: dict[str, Any] = {"status": status}
    if datum:
        body["statusDatum"] = datum
    if tekst.strip():
        body["terugkoppeling"] = {"tekst": tekst, "datum": datum or vandaag().isoformat()}
    # What check_request refuses in every JSON body of the API, before the schema sees it.
    fouten = {"terugkoppeling.tekst": REDEN} if VERBODEN_TEKENS.search(tekst) else _wijzig(session, sessie, signaal_id, body)
    if not fouten:
        return RedirectResponse(f"/signalen?gewijzigd={signaal_id}#signaal-{signaal_id}", status_code=303)
    session.rollback()
    context = _context(session, sessie, None)
    context.update(fouten={str(signaal_id): [(VELDNAMEN.get(k, k), v) for k, v in fouten.items()]},
                   invoer={str(signaal_id): {"status": status, "tekst": tekst, "datum": datum}})
    return pagina(request, "signalen.html", context, status_code=400)
