"""Application factory: routers, middleware, error handlers, OpenAPI."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

from app import __version__
from app.codelijsten.router import router as codelijsten_router
from app.contactmomenten.router import router as contactmomenten_router
from app.core import db, logs, metrics
from app.core.config import get_settings
from app.core.errors import install_error_handlers
from app.core.filternamen import VerouderdeFiltersMiddleware
from app.core.http import HttpMiddleware
from app.core.idempotentiesleutel import IdempotentieMiddleware
from app.core import spans
from app.core.middleware import BodyLimitMiddleware, HeadersMiddleware
from app.core.openapi import API_PREFIX, install_openapi, operation_id
from app.core.proxy import DoorgestuurdeHeaders
from app.core.request_checks import check_request
from app.deskundigheid.router import router as deskundigheid_router
from app.doelen.router import router as doelen_router
from app.doelstellingen.router import router as doelstellingen_router
from app.doorverwijzingen.router import router as doorverwijzingen_router
from app.ervaringsverhalen.router import router as ervaringsverhalen_router
from app.evaluaties.router import router as evaluaties_router
from app.gebeurtenissen.router import router as gebeurtenissen_router
from app.imports.router import router as imports_router
from app.indicatoren.router import router as indicatoren_router
from app.inwoners.router import router as inwoners_router
from app.inzet.router import router as inzet_router
from app.ketenpartners.router import router as ketenpartners_router
from app.kosten.router import router as kosten_router
from app.organisaties.router import router as organisaties_router
from app.problemen.router import router as problemen_router
from app.professionele_contacten.router import router as professionele_contacten_router
from app.projecten.router import router as projecten_router
from app.rapportage.router import router as rapportage_router
from app.signalen.router import router as signalen_router
from app.sleutelpersonen.ondersteuning_router import router as ondersteuning_router
from app.sleutelpersonen.router import router as sleutelpersonen_router
from app.sso.router import router as sso_router
from app.status.router import router as status_router
from app.toegang.router import router as toegang_router
from app.uitkomsten.router import router as uitkomsten_router
from app.verantwoording.router import router as verantwoording_router
from app.webhooks.router import router as webhooks_router
from app.web.router import install as install_dashboard

logger = logging.getLogger(__name__)

DESCRIPTION = """
Sleutelmonitor registreert wat *Sleutelpersonen Gezondheid* doen (contactmomenten, onderwerpen,
acties, doorverwijzingen naar ketenpartners en uitkomsten) en berekent daaruit de indicatoren
uit het monitoringhoofdstuk van de Pharos-handreiking.

Alle fouten zijn `application/problem+json` (RFC 9457). Ongeldige invoer geeft status 400 met
alle fouten tegelijk in `invalidParams`. Elk antwoord draagt de headers `API-Version` en `X-Request-ID`
(stuurt u zelf een `X-Request-ID` van 16 tot 128 tekens mee, dan krijgt u die terug; noem hem bij een vraag aan de beheerder).
"""

TAGS = [
    {"name": "status", "description": "Gezondheid van de dienst."},
    {"name": "organisaties", "description": "Organisaties (tenants) die sleutelpersonen inzetten."},
    {"name": "api-sleutels", "description": "API-sleutels en audittrail (beheer)."},
    {"name": "sso", "description": "Eenmalige aanmelding (OpenID Connect) voor het dashboard: koppelingen van groepen aan organisaties of regio's, en wie zich aanmeldde (beheer)."},
    {"name": "codelijsten", "description": "Codelijsten: onderwerpen, kanalen, acties, resultaten en meer."},
    {"name": "sleutelpersonen", "description": "Sleutelpersonen van de eigen organisatie."},
    {"name": "ketenpartners", "description": "De sociale kaart: ketenpartners van de eigen organisatie."},
    {"name": "contactmomenten", "description": "Contactmomenten met onderwerpen, acties, doorverwijzingen en uitkomst."},
    {"name": "doorverwijzingen", "description": "Doorverwijzingen naar ketenpartners en hun status."},
    {"name": "uitkomsten", "description": "Uitkomsten die later worden vastgelegd."},
    {"name": "inwoners", "description": "AVG-rechten van inwoners."},
    {"name": "indicatoren", "description": "Indicatoren uit het monitoringhoofdstuk van de handreiking."},
    {"name": "doelen", "description": "Streefwaarden per indicator en periode (behoefteanalyse)."},
    {"name": "imports", "description": "Bulkimport van historische logboeken (CSV, XLSX, NDJSON)."},
    {"name": "signalen", "description": "Signalen aan gemeente, GGD of ketenpartner, en hun afhandeling."},
    {"name": "ervaringsverhalen", "description": "Ervaringsverhalen van inwoners en hun delen met de regio."},
    {"name": "inzet", "description": "Gewerkte uren van sleutelpersonen per dag en soort, tegenover hun contracturen."},
    {"name": "doelstellingen", "description": "Doelstellingen van de eigen organisatie, met behoefteanalyse en indicatoren."},
    {"name": "evaluaties", "description": "Evaluaties van de doelstellingen: deelnemers per rol, bevindingen en besluiten."},
    {"name": "professionele-contacten", "description": "Bereik onder professionals: adviesvragen, casusoverleg, voorlichting en overleg van sleutelpersonen met professionals."},
    {"name": "verantwoordingen", "description": "De verantwoording van een organisatie over een periode in één keer: XLSX of PDF."},
    {"name": "projecten", "description": "Projecten: financieringsstromen (regelingen) waarop werk en kosten worden geboekt."},
    {"name": "kosten", "description": "Kosten en vergoedingen, exact op de cent, per sleutelpersoon en project."},
    {"name": "deskundigheidsbevordering", "description": "Training, intervisie, coaching en congressen van sleutelpersonen (deskundigheidsbevordering), met de deelnemers."},
    {"name": "gebeurtenissen", "description": "De gebeurtenissenfeed: elke wijziging (ook verwijderingen) in volgorde, met een cursor."},
    {"name": "webhooks", "description": "Webhooks: gebeurtenissen ondertekend afgeleverd (Standard Webhooks), met herhaalpogingen en afleverlog."},
    {"name": "rapportageperiodes", "description": "De rapportagecyclus: ritme van de regio, indienen, goedkeuren, terugsturen en heropenen; goedgekeurde periodes zijn vergrendeld."},
]


# In this order; each is included straight into the app under /v1 (not through an intermediate
# /v1 router): every nesting level costs every request another pass of FastAPI's route matching.
DOMAIN_ROUTERS = (
    status_router,
    problemen_router,
    organisaties_router,
    toegang_router,
    sso_router,
    codelijsten_router,
    sleutelpersonen_router,
    ondersteuning_router,
    deskundigheid_router,
    ketenpartners_router,
    contactmomenten_router,
    doorverwijzingen_router,
    uitkomsten_router,
    inwoners_router,
    indicatoren_router,
    doelen_router,
    imports_router,
    signalen_router,
    ervaringsverhalen_router,
    inzet_router,
    doelstellingen_router,
    evaluaties_router,
    professionele_contacten_router,
    verantwoording_router,
    rapportage_router,
    projecten_router,
    kosten_router,
    gebeurtenissen_router,
    webhooks_router,
)


@asynccontextmanager
async def _lifespan(_app: FastAPI) -> AsyncIterator[None]:
    """Each worker looks for waiting and abandoned import jobs (and sweeps their uploads), and delivers webhooks, while it runs."""
    from app.core.proces import sterf_met_ouder, stop_taken_bij_signaal
    from app.imports import taken

    sterf_met_ouder()
    taken.hervat()
    stop_taken_bij_signaal()
    interval = get_settings().import_poll_seconden
    poller = taken.Poller(interval) if interval > 0 else None
    if poller is not None:
        poller.start()
    # Webhook deliveries (and event retention): a sibling poller, persisted in the database like the jobs.
    from app.webhooks import bezorging

    webhook_interval = get_settings().webhook_poll_seconden
    webhook_poller = bezorging.Poller(webhook_interval) if webhook_interval > 0 else None
    if webhook_poller is not None:
        webhook_poller.start()
    try:
        yield
    finally:
        if poller is not None:
            poller.stop()
        if webhook_poller is not None:
            webhook_poller.stop()
        # Running jobs hand their run back (`sleutelmonitor serve` asks them at SIGTERM already).
        if taken.stop(get_settings().graceful_shutdown_seconden):
            taken.hervat()  # nothing runs any more; an app made again in this process (tests) may run jobs
        else:
            logger.warning("Import jobs still running at shutdown; their lease or lock file hands them over")


# CORS for browser clients of other origins (SLEUTELMONITOR_CORS_ORIGINS): what they may send and read.
ALLOW_HEADERS = ["Authorization", "Content-Type", "Accept", "If-Match", "If-None-Match", "Idempotency-Key", "X-Request-ID"]
EXPOSE_HEADERS = [
    "API-Version", "Link", "X-Total-Count", "Location", "ETag", "Content-Disposition", "Retry-After",
    "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "Deprecation", "Sunset", "X-Request-ID",
]


def openapi_document(request: Request) -> JSONResponse:
    """The OpenAPI document of the app that serves the request.

    A module-level function, not a closure over the app: FastAPI keeps each endpoint in an LRU cache of
    4,096 entries (fastapi.dependencies.models), so a closure kept every app made in a process alive, some
    1,300 apps and 6 GB by the end of the test suite (tests/test_geheugen.py).
    """
    return JSONResponse(request.app.openapi(), headers={"Access-Control-Allow-Origin": "*"})


def create_app() -> FastAPI:
    settings = get_settings()
    logging.basicConfig(level=settings.log_level.upper())
    logs.installeer()
    app = FastAPI(
        lifespan=_lifespan,
        title="Sleutelmonitor API",
        version=__version__,
        description=DESCRIPTION,
        openapi_url=None,  # served below under /v1, with CORS * and no authentication
        docs_url=None,  # served below, pointing at /v1/openapi.json
        redoc_url=None,
        redirect_slashes=False,
        openapi_tags=TAGS,
        generate_unique_id_function=operation_id,
    )
    for domain_router in DOMAIN_ROUTERS:
        app.include_router(domain_router, prefix=API_PREFIX, dependencies=[Depends(check_request)])
    install_openapi(app)
    install_error_handlers(app)
    app.add_route(metrics.PAD, metrics.endpoint, methods=["GET"], include_in_schema=False)
    install_dashboard(app)  # after the API's error handlers: it wraps them for pages outside /v1

    app.add_api_route(f"{API_PREFIX}/openapi.json", openapi_document, methods=["GET"], include_in_schema=False)

    # Swagger UI from the swagger-ui-bundle wheel, not a CDN: the docs page works without a network.
    app.mount(f"{API_PREFIX}/docs/static", StaticFiles(directory=str(swagger_ui_path)), name="swagger-ui")

    @app.get(f"{API_PREFIX}/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        static = f"{API_PREFIX}/docs/static"
        return get_swagger_ui_html(
            openapi_url=f"{API_PREFIX}/openapi.json",
            title="Sleutelmonitor API",
            swagger_js_url=f"{static}/swagger-ui-bundle.js",
            swagger_css_url=f"{static}/swagger-ui.css",
            swagger_favicon_url=f"{static}/favicon-32x32.png",
        )

    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "HEAD", "POST", "PATCH", "DELETE"],
            allow_headers=ALLOW_HEADERS,
            expose_headers=EXPOSE_HEADERS,
        )
    def body_limit(path: str) -> int:
        # Historic logs are uploaded whole; every other body is a single record.
        # The dashboard's upload form (/importeren) carries the same files.
        return settings.max_import_bytes if path.startswith((f"{API_PREFIX}/imports", "/importeren")) else settings.max_body_bytes

    if settings.metrics_aan:  # Prometheus (app/core/metrics.py); off, nothing is measured
        metrics.volg_pool(db.get_engine())
        app.add_middleware(metrics.RouteTemplateMiddleware)  # innermost: sees the route that matched
    app.add_middleware(IdempotentieMiddleware)  # Idempotency-Key: reads bodies the limit below already bounded
    app.add_middleware(BodyLimitMiddleware, limit_for=body_limit)
    app.add_middleware(VerouderdeFiltersMiddleware)  # Deprecation/Sunset/Link after an old filter name
    app.add_middleware(HttpMiddleware)  # HEAD, If-None-Match/304, RateLimit-*: inside the security headers
    app.add_middleware(HeadersMiddleware, api_version=__version__)
    if settings.metrics_aan:
        app.add_middleware(metrics.MetricsMiddleware)  # every response, 304 and 413 included
    app.add_middleware(logs.RequestIdMiddleware)  # X-Request-ID on every response, and in every log line
    # Outermost: every other layer sees the scheme, host and client the trusted proxy saw.
    app.add_middleware(DoorgestuurdeHeaders, trusted_hosts=settings.trusted_proxies)
    if settings.meet_spans:
        # Measuring only (docs/performance.md): around everything, so `totaal` is the request's whole time here.
        app.add_middleware(spans.SpanMiddleware, pad=settings.meet_spans)
    return app
