"""Routes of the key persons' app: the shell at /app, its service worker, and its own JSON under /app/api.

The shell holds no personal data (who you are comes from /app/api/profiel), so the service worker may
keep it for offline use. Registrations, corrections, signals and stories go to /v1 itself, so the
API's validation, idempotency and audit are the app's too.
"""

import hashlib
import re
from datetime import date
from typing import Annotated, Any

from babel.dates import format_date
from fastapi import APIRouter, FastAPI, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from app import __version__
from app.apparaten.dependencies import ApparaatDep
from app.core.db import SessionDep
from app.core.errors import NietGeauthenticeerd, OngeldigeInvoer
from app.core.periods import maand
from app.core.validation import vandaag
from app.models import Sleutelpersoon
from app.sleutelapp import i18n, service
from app.sleutelapp.iconen import ICONEN
from app.web.templating import CSP, MAP, STATIC

router = APIRouter(include_in_schema=False)

# Paths whose answers travel compressed: on Slow 3G the app's first load shrinks from 77 to 22 KB.
GECOMPRIMEERD = ("/app", "/static/app/")


class AppGzip:
    """gzip for the app's shell, static files and JSON only; the API and the dashboard stay as they are."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=500)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and str(scope.get("path", "")).startswith(GECOMPRIMEERD):
            await self.gzip(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def install(app: FastAPI) -> None:
    """Add the app's routes, and compression for its answers."""
    app.include_router(router)
    app.add_middleware(AppGzip)

TEMPLATES = MAP.parent / "sleutelapp" / "templates"
APP_STATIC = STATIC / "app"


def _versie() -> str:
    """Changes with every release and every static file of the app: the cache names of the service worker."""
    inhoud = hashlib.sha256(__version__.encode())
    for pad in sorted(APP_STATIC.glob("*.*")):
        inhoud.update(pad.read_bytes())
    inhoud.update((TEMPLATES / "app.html").read_bytes())
    return inhoud.hexdigest()[:10]


VERSIE = _versie()


def _omgeving(taal: str) -> Environment:
    omgeving = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]),
                           extensions=["jinja2.ext.i18n"])
    omgeving.install_gettext_translations(i18n.catalogus(taal).translations, newstyle=True)  # type: ignore[attr-defined]
    omgeving.globals.update(ICONEN=ICONEN, TALEN=i18n.TALEN, versie=VERSIE)
    return omgeving


OMGEVINGEN = {taal: _omgeving(taal) for taal in i18n.TALEN}


def taal_van(request: Request) -> str:
    return i18n.kies_taal(request.cookies.get(i18n.COOKIE), request.headers.get("accept-language"))


@router.get("/app", response_class=HTMLResponse)
def shell(request: Request) -> Response:
    """The app's one page; its screens switch in the browser, and it opens offline from the service worker."""
    taal = taal_van(request)
    html = OMGEVINGEN[taal].get_template("app.html").render(
        taal=taal, richting=i18n.TALEN[taal]["richting"], teksten=i18n.catalogus(taal).js)
    return HTMLResponse(html, headers={"Content-Security-Policy": CSP, "Cache-Control": "no-cache",
                                       "Vary": "Cookie, Accept-Language"})


@router.get("/app/sw.js")
def service_worker() -> Response:
    """The service worker, from /app so that its scope can be /app; never cached by HTTP, so updates arrive."""
    code = (APP_STATIC / "sw.js").read_text(encoding="utf-8").replace("__VERSIE__", VERSIE)
    return Response(code, media_type="text/javascript", headers={
        "Cache-Control": "no-cache", "Service-Worker-Allowed": "/app"})


@router.get("/app/manifest.webmanifest")
def manifest() -> Response:
    return JSONResponse({
        "name": "Sleutelmonitor", "short_name": "Sleutelmonitor", "start_url": "/app", "scope": "/app",
        "display": "standalone", "background_color": "#f5f7fa", "theme_color": "#154273",
    }, media_type="application/manifest+json")


def _wie(sessie: Any) -> service.Wie:
    return service.Wie(organisatie_id=sessie.organisatie_id, sleutelpersoon_id=sessie.sleutelpersoon_id)


def _persoon(session: SessionDep, sessie: Any) -> Sleutelpersoon:
    persoon = session.get(Sleutelpersoon, sessie.sleutelpersoon_id)
    if persoon is None or persoon.organisatie_id != sessie.organisatie_id or getattr(persoon, "verwijderd_op", None):
        raise NietGeauthenticeerd("Deze sleutelpersoon bestaat niet meer; vraag je coördinator om een nieuwe uitnodiging.")
    return persoon


def _prive(data: Any) -> JSONResponse:
    """Own data: the browser's HTTP cache keeps none of it (the service worker keeps the last copy)."""
    return JSONResponse(data, headers={"Cache-Control": "no-store"})


@router.get("/app/api/profiel")
def profiel(sessie: ApparaatDep, session: SessionDep) -> Response:
    """Who this device belongs to, the form's defaults and the most used topics and partners."""
    return _prive(service.profiel(session, _wie(sessie), _persoon(session, sessie)))


@router.get("/app/api/codelijsten")
def codes(sessie: ApparaatDep, session: SessionDep) -> Response:
    """The active code lists the forms use (labels in Dutch), with search words, and the social map."""
    return _prive(service.codelijsten_voor(session, _wie(sessie), _persoon(session, sessie)))


@router.get("/app/api/opvolgen")
def opvolgen(sessie: ApparaatDep, session: SessionDep) -> Response:
    """Own open referrals (oldest first) and recent contacts."""
    return _prive(service.opvolgen(session, _wie(sessie)))


@router.get("/app/api/maand")
def mijn_maand(
    request: Request, sessie: ApparaatDep, session: SessionDep,
    maand_: Annotated[str | None, Query(alias="maand", max_length=7)] = None,
) -> Response:
    """Own figures of a month (default: this month) beside the month before, own targets and signals."""
    if maand_:
        gevonden = re.fullmatch(r"(\d{4})-(\d{2})", maand_)
        if not gevonden or not 1 <= int(gevonden.group(2)) <= 12 or int(gevonden.group(1)) < 2000:
            raise OngeldigeInvoer.veld("maand", "Gebruik JJJJ-MM, bijvoorbeeld 2026-10.")
        periode = maand(int(gevonden.group(1)), int(gevonden.group(2)))
    else:
        periode = maand(vandaag().year, vandaag().month)
    taal = taal_van(request)
    vertaal = i18n.catalogus(taal).translations.gettext
    data = service.mijn_maand(session, _wie(sessie), periode, vertaal)
    data["maandNaam"] = _maandnaam(periode.vanaf, taal)
    data["vorigeNaam"] = _maandnaam(service.vorige(periode).vanaf, taal)
    return _prive(data)


def _maandnaam(dag: date, taal: str) -> str:
    return format_date(dag, "LLLL y", locale=taal)
