"""The landing page: sign in with an API key, links for developers, and sign out."""

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from app.core.config import get_settings
from app.core.db import SessionDep
from app.core.errors import DomeinFout
from app.web import aanmeldpogingen
from app.web import sessie as sessies
from app.web.templating import pagina

router = APIRouter(include_in_schema=False)


def veilig_doel(volgende: str | None) -> str:
    """Only a path on this site: an open redirect would let a link send a signed-in person anywhere."""
    if volgende and volgende.startswith("/") and not volgende.startswith(("//", "/\\")):
        return volgende
    return "/overzicht"


def _aanmeldpagina(request: Request, *, fout: str | None = None, melding: str | None = None,
                   volgende: str | None = None, status_code: int = 200) -> Response:
    response = Response()
    csrf = sessies.csrf_token(request, response)
    html = pagina(request, "aanmelden.html", {"csrf": csrf, "fout": fout, "melding": melding,
                                              "volgende": volgende or "", "sso_naam": _sso_naam()},
                  status_code=status_code)
    for waarde in response.headers.getlist("set-cookie"):
        html.headers.append("set-cookie", waarde)
    return html


def _sso_naam() -> str | None:
    """The IdP's name for the "Aanmelden met ..." button; None while single sign-on is off."""
    settings = get_settings()
    return settings.sso_naam if settings.sso_aan else None


def _adres(request: Request) -> str:
    """The client's address (behind a trusted proxy: the one the proxy saw, app/core/proxy.py)."""
    return request.client.host if request.client else "onbekend"


@router.get("/", response_class=HTMLResponse)
def aanmelden_pagina(
    request: Request, session: SessionDep,
    volgende: Annotated[str | None, Query(max_length=500)] = None,
    melding: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    # Only a running session skips the form: a cookie of an ended one would otherwise bounce between here
    # and the page that refused it.
    if sessies.geldige_sessie(request, session) is not None:
        return RedirectResponse(veilig_doel(volgende), status_code=303)
    teksten = {"afgemeld": "U bent afgemeld.", "verlopen": "Uw sessie is verlopen of ongeldig; meld u opnieuw aan."}
    return _aanmeldpagina(request, melding=teksten.get(melding or ""), volgende=volgende)


@router.post("/aanmelden", response_class=HTMLResponse)
def aanmelden(
    request: Request, session: SessionDep,
    sleutel: Annotated[str, Form(max_length=200)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
    volgende: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    sessies.controleer_csrf(request, csrf, sessies.lees(request).get("c"))
    if not sleutel.strip():
        return _aanmeldpagina(request, fout="Vul uw API-sleutel in.", volgende=volgende, status_code=400)
    try:
        inhoud = sessies.meld_aan(session, sleutel, adres=_adres(request), user_agent=request.headers.get("user-agent"))
    except aanmeldpogingen.TeVeelPogingen as exc:
        html = _aanmeldpagina(request, fout=exc.detail, volgende=volgende, status_code=429)
        html.headers["Retry-After"] = str(exc.retry_after)
        return html
    except DomeinFout as exc:
        return _aanmeldpagina(request, fout=exc.detail, volgende=volgende, status_code=exc.status)
    # One browser, one session: signing in again (another key, an old tab) ends the session it had.
    sessies.meld_af(session, sessies.lees(request))
    response = RedirectResponse(veilig_doel(volgende), status_code=303)
    sessies.schrijf(response, inhoud)
    return response


@router.post("/afmelden")
def afmelden(request: Request, session: SessionDep, csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    inhoud = sessies.lees(request)
    sessies.controleer_csrf(request, csrf, inhoud.get("c"))
    from app.web.pages.sso import afmelden_bij_idp  # an SSO session signs out at its IdP too

    idp = afmelden_bij_idp(session, inhoud)
    sessies.meld_af(session, inhoud)
    if idp:
        # A page that moves on, not a redirect: the CSP's form-action 'self' stops a form's redirect to another site.
        response = pagina(request, "sso_afmelden.html", {"idp_url": idp, "sso_naam": _sso_naam()})
        response.headers["Refresh"] = f"0; url={idp}"
        sessies.wis(response)
        return response
    response = RedirectResponse("/?melding=afgemeld", status_code=303)
    sessies.wis(response)
    return response
