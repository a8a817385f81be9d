"""Signing a key person's device in with an invitation, and out: /app/uitnodiging/{token}, /app/afmelden.

Opening the link shows a page with one button; only the form's POST uses the invitation. So a chat
app or mail scanner that fetches links for a preview does not use up the one-time token.
"""

import uuid
from typing import Annotated, Any

from babel.dates import format_date
from fastapi import APIRouter, Form, Path, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from app.apparaten import service
from app.apparaten.dependencies import ApparaatDep, wis_cookie, zet_cookie
from app.apparaten.service import N_
from app.core.config import get_settings
from app.core.db import SessionDep
from app.sleutelapp import i18n
from app.sleutelapp.router import OMGEVINGEN, taal_van
from app.toegang.dependencies import APPARAAT_COOKIE, RateLimiter
from app.web.sessie import controleer_csrf, csrf_token, lees
from app.web.templating import CSP

router = APIRouter(include_in_schema=False)

# Attempts per client address (behind a trusted proxy: the address the proxy saw, app/core/proxy.py).
pogingen = RateLimiter()
_NAAMRUIMTE = uuid.UUID("5d0c7a52-3f0e-4f7e-9a39-6b0f6f1c2a10")

TokenPad = Annotated[str, Path(min_length=20, max_length=100, pattern=r"^[A-Za-z0-9_-]+$")]


def _tel_poging(request: Request) -> None:
    adres = request.client.host if request.client else "onbekend"
    pogingen.check(uuid.uuid5(_NAAMRUIMTE, adres), get_settings().uitnodiging_pogingen_per_minuut,
                   wie="Dit adres")


def _taal(request: Request) -> str:
    """The page's language: a `?taal=` the key person chose here, else the app's own choice."""
    gevraagd = request.query_params.get("taal")
    return gevraagd if gevraagd in i18n.TALEN else taal_van(request)


def _pagina(request: Request, context: dict[str, Any], status_code: int = 200) -> Response:
    """The invitation page in the app's style and language (its texts are in the app's catalogue)."""
    taal = _taal(request)
    html = OMGEVINGEN[taal].get_template("uitnodiging.html").render(
        taal=taal, richting=i18n.TALEN[taal]["richting"], dagen=get_settings().uitnodiging_dagen, **context)
    response = HTMLResponse(html, status_code=status_code)
    response.headers["Content-Security-Policy"] = CSP
    # The link is a secret: never from a cache, never in a referrer.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    if request.query_params.get("taal") in i18n.TALEN:
        response.set_cookie(i18n.COOKIE, taal, max_age=365 * 24 * 3600, path="/app", samesite="lax")
    return response


def _fout(request: Request, fout: service.UitnodigingOngeldig) -> Response:
    return _pagina(request, {"fout": True, "titel": fout.titel, "uitleg": fout.uitleg}, status_code=fout.status)


@router.get("/app/uitnodiging/{token}", response_class=HTMLResponse)
def uitnodiging(request: Request, token: TokenPad, session: SessionDep) -> Response:
    _tel_poging(request)
    try:
        uitnodiging_, persoon, organisatie = service.bekijk(session, token)
    except service.UitnodigingOngeldig as fout:
        return _fout(request, fout)
    response = Response()
    csrf = csrf_token(request, response)
    pagina_ = _pagina(request, {
        "fout": False, "titel": N_("Welkom bij Sleutelmonitor"), "persoon": persoon, "organisatie": organisatie,
        "token": token, "csrf": csrf,
        "verloopt_op": format_date(uitnodiging_.verloopt_op.date(), format="long", locale=_taal(request)),
    })
    for waarde in response.headers.getlist("set-cookie"):
        pagina_.headers.append("set-cookie", waarde)
    return pagina_


@router.post("/app/uitnodiging/{token}")
def gebruik_uitnodiging(
    request: Request, token: TokenPad, session: SessionDep, csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    _tel_poging(request)
    # The page's token and this site's origin: another site cannot sign this browser in as someone else.
    controleer_csrf(request, csrf, lees(request).get("c"))
    vorige = request.cookies.get(APPARAAT_COOKIE)
    try:
        _, apparaat_token = service.activeer(session, token, request.headers.get("user-agent"), vorige)
    except service.UitnodigingOngeldig as fout:
        return _fout(request, fout)
    response = RedirectResponse("/app", status_code=303)
    zet_cookie(response, apparaat_token)
    return response


@router.post("/app/afmelden")
def afmelden(sessie: ApparaatDep, session: SessionDep) -> Response:
    """The key person signs this device out (from the app, which sends its header): the session ends now."""
    service.meld_af(session, sessie.caller)
    response = Response(status_code=204)
    wis_cookie(response)
    return response
