"""The dashboard at `/`: its pages, static files and HTML error pages, installed into the API's app."""

from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from app.apparaten import router as apparaten_router
from app.core.errors import DomeinFout, validation_params
from app.core.openapi import API_PREFIX
from app.sleutelapp import router as sleutelapp
from app.web.pages import (
    aanmelden,
    app_toegang,
    doelstellingen,
    eigen_indicatoren,
    ervaringsverhalen,
    importeren,
    opvolging,
    overzicht,
    projecten,
    rapportage,
    sessies,
    signalen,
    sleutelpersonen,
    sso,
    verantwoording,
    vergelijken,
)
from app.web.sessie import AanmeldenNodig, CsrfFout, lees, wis
from app.web.templating import STATIC, pagina

PAGINAS = (aanmelden, overzicht, vergelijken, sleutelpersonen, app_toegang, opvolging,
           eigen_indicatoren,  # before doelstellingen: /doelstellingen/indicatoren is no goal id
           doelstellingen, projecten, signalen,
           ervaringsverhalen, verantwoording, importeren, rapportage, sessies, sso)


class _Static(StaticFiles):
    """Static files that browsers may cache: their URLs carry a version (see templating.static_versie)."""

    async def get_response(self, path: str, scope: Scope) -> Any:
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            response.headers["Cache-Control"] = "public, max-age=86400"
        return response


def _is_dashboard(request: Request) -> bool:
    """A page a person reads; the API and the app's own JSON (/app/api) answer problem+json."""
    return not request.url.path.startswith((API_PREFIX, "/app/api/"))


def _foutpagina(request: Request, status: int, titel: str, detail: str, redenen: list[str] | None = None) -> Response:
    inhoud = lees(request)
    return pagina(request, "fout.html", {"status": status, "titel": titel, "detail": detail, "redenen": redenen or [],
                                         "aangemeld": bool(inhoud.get("p")), "csrf": inhoud.get("c", "")},
                  status_code=status)


def install(app: FastAPI) -> None:
    """Add the dashboard's routes and static files, and HTML error pages outside /v1."""
    for module in PAGINAS:
        app.include_router(module.router)
    app.include_router(apparaten_router.router)
    sleutelapp.install(app)  # the key persons' app at /app
    app.mount("/static", _Static(directory=STATIC), name="static")

    @app.exception_handler(AanmeldenNodig)
    async def _aanmelden(request: Request, exc: AanmeldenNodig) -> Response:
        query: dict[str, str] = {}
        if exc.reden:
            query["melding"] = "verlopen"
        if exc.volgende:
            query["volgende"] = exc.volgende
        response = RedirectResponse("/" + (f"?{urlencode(query)}" if query else ""), status_code=303)
        if exc.reden:
            wis(response)  # the cookie names a session that ended: nothing in it is of use any more
        return response

    @app.exception_handler(CsrfFout)
    async def _csrf(request: Request, exc: CsrfFout) -> Response:
        return _foutpagina(request, 403, "Formulier geweigerd", str(exc))

    # Outside /v1 a person reads the error, so it is a page; inside, it stays problem+json.
    api_domein = app.exception_handlers[DomeinFout]
    api_http = app.exception_handlers[StarletteHTTPException]

    @app.exception_handler(DomeinFout)
    async def _domein(request: Request, exc: DomeinFout) -> Response:
        if not _is_dashboard(request):
            return await api_domein(request, exc)  # type: ignore[no-any-return]
        redenen = [p["reason"] for p in getattr(exc, "invalid_params", None) or [] if p.get("reason")]
        return _foutpagina(request, exc.status, exc.title, exc.detail, redenen)

    api_validatie = app.exception_handlers[RequestValidationError]

    @app.exception_handler(RequestValidationError)
    async def _validatie(request: Request, exc: RequestValidationError) -> Response:
        if not _is_dashboard(request):
            return await api_validatie(request, exc)  # type: ignore[no-any-return]
        redenen = "; ".join(f"{p['name']}: {p['reason']}" for p in validation_params(exc.errors()))
        return _foutpagina(request, 400, "Ongeldige invoer", redenen)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if not _is_dashboard(request) or request.url.path.startswith("/static/"):
            return await api_http(request, exc)  # type: ignore[no-any-return]
        if exc.status_code == 404:
            return _foutpagina(request, 404, "Pagina niet gevonden", f"Er is geen pagina {request.url.path}.")
        return _foutpagina(request, exc.status_code, "Fout", str(exc.detail))
