"""Nothing synchronous and slow runs on the event loop: every route is sync, async dependencies are known.

Issue 22, finding 1: one `async def` route that called the synchronous import service stopped every
request of its worker for 37 s. FastAPI runs a sync route or dependency in the thread pool, so the
rule is simple: routes are `def`. An `async def` dependency is allowed only when it does no blocking
work on the loop (it awaits the thread pool for that); each one is listed here with why.
"""

import inspect
from collections.abc import Iterator

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from app.main import create_app

# Async dependencies reviewed for blocking work (module.qualname: what it does on the loop).
ASYNC_TOEGESTAAN = {
    "app.core.db.get_session": "creates a session (no I/O); commit and rollback go through the thread pool",
    "app.core.pagination.pagina": "builds a dataclass, no I/O",
    "app.core.sorting.Sortering.__init__.<locals>.sort": "parses the sort parameter, no I/O",
    "app.core.request_checks.check_request": "header and query checks; the JSON body is at most max_body_bytes",
    "app.toegang.dependencies.authenticeer": "a key cache hit is no I/O; a miss, and a device's lookup, go through the thread pool",
    "app.toegang.dependencies.get_caller": "refuses a device, no I/O",
    "app.toegang.dependencies.get_caller_of_apparaat": "no I/O",
    "app.apparaten.dependencies.apparaat_sessie": "sets the device's cookie again, no I/O",
    "app.toegang.dependencies.vereist.<locals>.dependency": "compares scopes, no I/O",
    "app.web.sessie.web_sessie": "reads the cookie; the key check goes through the thread pool",
    "app.imports.router.ontvang_bestand": "streams the body; the zip check and large copies go through the thread pool",
    "app.imports.upload.bestand": "streams a body of at most 1 MB into memory; no parsing, no database (the trainings and costs imports)",
    "app.doelen.dependencies.doellezer": "checks the caller's binding and scopes, no I/O",
}


def _afhankelijkheden(dependant: Dependant) -> Iterator[Dependant]:
    for afhankelijk in dependant.dependencies:
        yield afhankelijk
        yield from _afhankelijkheden(afhankelijk)


def _naam(functie: object) -> str:
    return f"{getattr(functie, '__module__', '?')}.{getattr(functie, '__qualname__', repr(functie))}"


def _routes() -> list[APIRoute]:
    # iter_route_contexts flattens included routers, as in the route table tests.
    routes = [c.route for c in iter_route_contexts(create_app().routes) if isinstance(c.original_route, APIRoute)]
    assert len(routes) > 50 and all(isinstance(r, APIRoute) for r in routes)
    return routes  # type: ignore[return-value]


# Async routes reviewed (path: why it must run on the event loop).
ASYNC_ROUTES_TOEGESTAAN = {
    "{'GET'} /status/live": "the liveness probe does no I/O and must answer while every thread-pool thread is busy",
}


def test_no_route_is_async() -> None:
    async_routes = sorted(f"{r.methods} {r.path}" for r in _routes() if inspect.iscoroutinefunction(r.endpoint))
    assert [r for r in async_routes if r not in ASYNC_ROUTES_TOEGESTAAN] == [], (
        "make these routes `def` (FastAPI runs them in the thread pool)")


def test_async_dependencies_are_reviewed() -> None:
    gevonden = {
        _naam(d.call)
        for r in _routes()
        for d in _afhankelijkheden(r.dependant)
        if d.call is not None and inspect.iscoroutinefunction(d.call)
    }
    assert gevonden - set(ASYNC_TOEGESTAAN) == set(), "review these async dependencies for blocking work"
