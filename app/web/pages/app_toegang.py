"""App access per key person (coordinators): invite a key person to the app, see and revoke their devices.

An invitation's link and QR code are shown once, right after it is made: only its hash is stored.
"""

import uuid
from typing import Annotated, Any

import segno
from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlmodel import Session

from app.apparaten import service as apparaten
from app.core.config import get_settings
from app.core.db import SessionDep
from app.web import adapters
from app.web.apparaatnaam import apparaat_naam
from app.web.sessie import SessieDep, WebSessie, controleer_csrf
from app.web.templating import pagina

router = APIRouter(include_in_schema=False)


def _context(session: Session, sessie: WebSessie, sleutelpersoon_id: uuid.UUID) -> dict[str, Any]:
    persoon = adapters.sleutelpersoon(session, sessie.caller, sleutelpersoon_id)
    return {
        "sessie": sessie, "actief": "sleutelpersonen", "persoon": persoon,
        "apparaten": [(a, apparaat_naam(a.user_agent)) for a in apparaten.apparaten_van(session, sessie.caller, persoon.id)],
        "uitnodigingen": apparaten.open_uitnodigingen(session, sessie.caller, persoon.id),
        "nieuw": None, "dagen": get_settings().uitnodiging_dagen,
    }


@router.get("/sleutelpersonen/{sleutelpersoon_id}/app", response_class=HTMLResponse)
def app_toegang(request: Request, sleutelpersoon_id: uuid.UUID, sessie: SessieDep, session: SessionDep) -> Response:
    return pagina(request, "app_toegang.html", _context(session, sessie, sleutelpersoon_id))


def _basis(request: Request) -> str:
    """This site's address as the key person's phone will reach it: the public address when configured."""
    return (get_settings().public_url or str(request.base_url)).rstrip("/")


@router.post("/sleutelpersonen/{sleutelpersoon_id}/app/uitnodiging", response_class=HTMLResponse)
def nodig_uit(
    request: Request, sleutelpersoon_id: uuid.UUID, sessie: SessieDep, session: SessionDep,
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    controleer_csrf(request, csrf, sessie.csrf)
    uitnodiging, token = apparaten.nodig_uit(session, sessie.caller, sleutelpersoon_id)
    session.commit()
    link = f"{_basis(request)}/app/uitnodiging/{token}"
    context = _context(session, sessie, sleutelpersoon_id)
    context["nieuw"] = {"link": link, "qr": segno.make(link, error="m").svg_data_uri(scale=5, border=2),
                        "verloopt_op": uitnodiging.verloopt_op.date()}
    response = pagina(request, "app_toegang.html", context)
    # The link is shown once: never from a cache, never in a referrer.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@router.post("/sleutelpersonen/{sleutelpersoon_id}/app/apparaten/{apparaat_id}/intrekken")
def trek_apparaat_in(
    request: Request, sleutelpersoon_id: uuid.UUID, apparaat_id: uuid.UUID, sessie: SessieDep, session: SessionDep,
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    controleer_csrf(request, csrf, sessie.csrf)
    apparaten.trek_apparaat_in(session, sessie.caller, sleutelpersoon_id, apparaat_id)
    return RedirectResponse(f"/sleutelpersonen/{sleutelpersoon_id}/app?ingetrokken=apparaat", status_code=303)


@router.post("/sleutelpersonen/{sleutelpersoon_id}/app/uitnodigingen/{uitnodiging_id}/intrekken")
def trek_uitnodiging_in(
    request: Request, sleutelpersoon_id: uuid.UUID, uitnodiging_id: uuid.UUID, sessie: SessieDep,
    session: SessionDep, csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    controleer_csrf(request, csrf, sessie.csrf)
    apparaten.trek_uitnodiging_in(session, sessie.caller, sleutelpersoon_id, uitnodiging_id)
    return RedirectResponse(f"/sleutelpersonen/{sleutelpersoon_id}/app?ingetrokken=uitnodiging", status_code=303)
