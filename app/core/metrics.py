"""Prometheus metrics at `/metrics` (issue 30): requests, latencies, errors, import jobs, connection pool.

- **Labels are route templates** (`/v1/contactmomenten/{contactmoment_id}`), never the raw path: an
  id in a label would make a time series per record. A path no route matches is `(onbekend)`, and a
  method outside the usual ones `OTHER`, so a client cannot grow the label sets.
- **Several worker processes** (`serve --workers N`): prometheus-client's multiprocess mode. `serve`
  points `PROMETHEUS_MULTIPROC_DIR` at an empty folder before the workers start
  (`proces.bereid_metrics_map`); each worker writes its values to files there and a scrape, whichever
  worker answers it, adds them up. Counters and histograms of a worker that died stay counted; its
  gauges (requests in progress, connections in use) are dropped at the next scrape.
- **Import jobs** are counted from the database at scrape time (they belong to no worker).
- **Protected**: off (404) unless `SLEUTELMONITOR_METRICS_TOKEN` (bearer) or
  `SLEUTELMONITOR_METRICS_NETWERKEN` (allowed client networks) is set; with both, both are needed.
  The middleware is only installed when metrics are on: off costs nothing per request.
"""

import glob
import hmac
import json
import os
import time
from collections.abc import Iterator
from ipaddress import ip_address
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import Engine, event, func
from sqlmodel import Session, col, select
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.config import get_settings
from app.core.errors import PROBLEM_MEDIA_TYPE, TITLES, problem_body
from app.core.middleware import HttpLaag

disable_created_metrics()  # no `_created` series beside every counter: half the scrape, no use in alerts

PAD = "/metrics"
ONBEKEND = "(onbekend)"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Where the outer middleware leaves a dict that the innermost one fills with the route template.
_SLEUTEL = "sleutelmonitor.metrics"
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

VERZOEKEN = Counter(
    "sleutelmonitor_http_requests", "HTTP requests by method, route template and status.", ("method", "route", "status")
)
DUUR = Histogram(
    "sleutelmonitor_http_request_duration_seconds",
    "Time from the request's arrival until its response was sent, by method and route template.",
    ("method", "route"), buckets=BUCKETS,
)
FOUTEN_5XX = Counter("sleutelmonitor_http_5xx", "Responses with a 5xx status (503 included), by route template.", ("route",))
NIET_BESCHIKBAAR = Counter(
    "sleutelmonitor_http_503", "503 responses (database unreachable, pool exhausted, disk full), by route template.",
    ("route",),
)
POOL_IN_GEBRUIK = Gauge(
    "sleutelmonitor_db_pool_connections_in_use", "Database connections taken from the pools now (all workers).",
    multiprocess_mode="livesum",
)
POOL_MAXIMUM = Gauge(
    "sleutelmonitor_db_pool_connections_max", "Connections the pools may open (pool size + overflow, all workers).",
    multiprocess_mode="livesum",
)


def route_template(scope: Scope) -> str | None:
    """The template of the route that handled this scope, with the mount prefix; None if none matched."""
    fastapi = scope.get("fastapi")
    context = fastapi.get("effective_route_context") if isinstance(fastapi, dict) else None
    if context is not None:
        return str(context.path)
    route = scope.get("route")
    if route is not None:
        return str(getattr(route, "path_format", None) or getattr(route, "path", ONBEKEND))
    meting = scope.get(_SLEUTEL)
    root = scope.get("root_path", "")
    if meting is not None and root != meting["root_path"]:  # a Mount (static files) moved its prefix here
        return f"{root.removeprefix(meting['root_path'])}/{{path}}"
    return None


class RouteTemplateMiddleware:
    """Innermost: after routing, note the route template where the metrics middleware finds it.

    Middleware between the two may copy the scope (HEAD as GET, a forwarded Host), so the router's
    updates would not reach the outer one; the dict it left travels along in every copy.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        finally:
            meting = scope.get(_SLEUTEL)
            if meting is not None:
                meting["route"] = route_template(scope)


class MetricsMiddleware(HttpLaag):
    """Outer: count every response (those of other middleware too: 304, 413) with its status and duration.

    Per request this costs a counter and a histogram update: a few µs, or some 30 µs on a loaded
    two-core machine in multiprocess mode (files in memory, a lock); no gauge of requests in progress,
    which would double that.
    """

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        meting: dict[str, Any] = {"root_path": scope.get("root_path", ""), "route": None}
        scope = {**scope, _SLEUTEL: meting}
        status = 500  # an exception before the response started: the server's error middleware answers 500
        begin = time.perf_counter()

        async def versturen(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, versturen)
        finally:
            route = meting["route"] or ONBEKEND
            method = scope["method"] if scope["method"] in METHODS else "OTHER"
            teller, duur = _kinderen(method, route, status)
            teller.inc()
            duur.observe(time.perf_counter() - begin)
            if status >= 500:
                FOUTEN_5XX.labels(route).inc()
                if status == 503:
                    NIET_BESCHIKBAAR.labels(route).inc()


# The labelled series per (method, route, status), kept: `labels()` takes a lock and checks its arguments
# on every call, about as long as the update itself. Bounded: routes and methods are fixed sets.
_KINDEREN: dict[tuple[str, str, int], tuple[Any, Any]] = {}


def _kinderen(method: str, route: str, status: int) -> tuple[Any, Any]:
    kinderen = _KINDEREN.get((method, route, status))
    if kinderen is None:
        kinderen = (VERZOEKEN.labels(method, route, str(status)), DUUR.labels(method, route))
        _KINDEREN[(method, route, status)] = kinderen
    return kinderen


def volg_pool(engine: Engine) -> None:
    """Keep the pool gauges of this process current: at every checkout and checkin."""
    if getattr(engine, "_sleutelmonitor_metrics", False):
        return
    engine._sleutelmonitor_metrics = True  # type: ignore[attr-defined]
    pool = engine.pool
    maximum = pool.size() + max(getattr(pool, "_max_overflow", 0), 0) if hasattr(pool, "size") else 0
    POOL_MAXIMUM.inc(maximum)

    def bij(*_args: Any) -> None:
        POOL_IN_GEBRUIK.set(pool.checkedout() if hasattr(pool, "checkedout") else 0)

    event.listen(engine, "checkout", bij)
    event.listen(engine, "checkin", bij)


class ImportCollector(Collector):
    """Import jobs waiting and running, and how long the oldest has waited: read at scrape time."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from app.core.db import get_engine
        from app.imports.verslag import BEZIG as RUN_BEZIG
        from app.imports.verslag import WACHTEND
        from app.models import ImportRun, utcnow

        bereikbaar = GaugeMetricFamily(
            "sleutelmonitor_metrics_database_up", "1 when this scrape could read the import jobs from the database."
        )
        try:
            with Session(get_engine()) as session:
                rijen = session.exec(
                    select(ImportRun.status, func.count(), func.min(ImportRun.aangemaakt_op))
                    .where(col(ImportRun.status).in_((WACHTEND, RUN_BEZIG)))
                    .group_by(ImportRun.status)
                ).all()
        except Exception:  # noqa: BLE001 -- an outage: the probes and the 503 counters tell; the scrape still answers
            bereikbaar.add_metric([], 0)
            yield bereikbaar
            return
        bereikbaar.add_metric([], 1)
        yield bereikbaar
        per_status = {status: (aantal, oudste) for status, aantal, oudste in rijen}
        taken = GaugeMetricFamily("sleutelmonitor_import_jobs", "Import jobs by status.", labels=("status",))
        for status in (WACHTEND, RUN_BEZIG):
            taken.add_metric([status], per_status.get(status, (0, None))[0])
        yield taken
        oudste = per_status.get(WACHTEND, (0, None))[1]
        wachttijd = (utcnow() - oudste).total_seconds() if oudste is not None else 0.0
        yield GaugeMetricFamily(
            "sleutelmonitor_import_oldest_waiting_seconds", "Age of the oldest waiting import job (0: none waits).",
            value=max(wachttijd, 0.0),
        )


_IMPORTS = CollectorRegistry(auto_describe=False)
_IMPORTS.register(ImportCollector())


def _ruim_dode_workers_op(map_: str) -> None:
    """Drop the live gauges of worker processes that are gone (a replaced or crashed worker)."""
    from prometheus_client import multiprocess

    pids = {os.path.basename(pad).rsplit("_", 1)[-1].removesuffix(".db") for pad in glob.glob(os.path.join(map_, "gauge_live*_*.db"))}
    for pid in pids:
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            multiprocess.mark_process_dead(int(pid), map_)
        except PermissionError:
            pass  # alive, someone else's


def uitvoer() -> bytes:
    """The exposition: this process's registry, or every worker's values in multiprocess mode, and the jobs."""
    map_ = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if map_:
        from prometheus_client import multiprocess

        _ruim_dode_workers_op(map_)
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=map_)
        return generate_latest(registry) + generate_latest(_IMPORTS)
    return generate_latest(REGISTRY) + generate_latest(_IMPORTS)


def _probleem(request: Request, status: int, detail: str, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps(problem_body(request.url.path, status, detail, title=TITLES[status]))
    return Response(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def _client_toegestaan(request: Request) -> bool:
    netwerken = get_settings().metrics_netwerken_lijst
    try:
        adres = ip_address(request.client.host) if request.client else None
    except ValueError:
        return False
    return adres is not None and any(adres in netwerk for netwerk in netwerken)


def endpoint(request: Request) -> Response:
    """GET /metrics (sync: the import query runs in the thread pool)."""
    settings = get_settings()
    if not settings.metrics_aan:
        return _probleem(request, 404, "Metrics staan uit (SLEUTELMONITOR_METRICS_TOKEN of SLEUTELMONITOR_METRICS_NETWERKEN).")
    if settings.metrics_netwerken.strip() and not _client_toegestaan(request):
        return _probleem(request, 403, "Dit adres mag de metrics niet lezen.")
    if settings.metrics_token:
        schema, _, token = request.headers.get("authorization", "").partition(" ")
        if schema.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), settings.metrics_token.encode()):
            return _probleem(request, 401, "Stuur het metrics-token als `Authorization: Bearer …`.",
                             headers={"WWW-Authenticate": 'Bearer realm="metrics"'})
    return Response(uitvoer(), media_type=CONTENT_TYPE_LATEST)
