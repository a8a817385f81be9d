"""Checks every API route makes on the request itself, in one place (a dependency of each router).

- A query parameter the route does not declare is refused: a misspelt filter (`contactmomentId`
  for `contactmoment`) would otherwise be ignored and answer 200 with unfiltered data.
- A route with a JSON body refuses another Content-Type with 415, instead of a confusing 400.
"""

from typing import Any

from fastapi import Request
from fastapi.routing import APIRoute
from pydantic import BaseModel

from app.core.errors import MediatypeNietOndersteund, OngeldigeInvoer

_BEKEND: dict[int, tuple[str, ...]] = {}


def _namen(dependant: Any) -> set[str]:
    """The query keys a dependant and its sub-dependencies declare (a query model: its fields)."""
    namen: set[str] = set()
    for param in dependant.query_params:
        model = param.field_info.annotation
        if isinstance(model, type) and issubclass(model, BaseModel):
            namen |= {veld.alias or naam for naam, veld in model.model_fields.items()}
        else:
            namen.add(param.alias)
    for sub in dependant.dependencies:
        namen |= _namen(sub)
    return namen


def _bekende_namen(route: APIRoute) -> tuple[str, ...]:
    namen = _BEKEND.get(id(route))
    if namen is None:
        namen = _BEKEND.setdefault(id(route), tuple(sorted(_namen(route.dependant))))
    return namen


async def check_request(request: Request) -> None:
    """Router dependency: 415 for a JSON route sent something else, 400 naming unknown query parameters.

    Async on purpose: it does no I/O, so it costs no hop through the thread pool.
    """
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    if route.body_field is not None:
        _check_json(request)
    if request.query_params:
        _check_query(request, route)


def _check_json(request: Request) -> None:
    content_type = request.headers.get("content-type")
    if content_type is None:
        return
    mediatype = content_type.split(";", 1)[0].strip().lower()
    if mediatype != "application/json" and not mediatype.endswith("+json"):
        raise MediatypeNietOndersteund(
            f"Mediatype `{mediatype or '(leeg)'}` wordt hier niet ondersteund; stuur JSON met Content-Type application/json."
        )


def _check_query(request: Request, route: APIRoute) -> None:
    bekend = _bekende_namen(route)
    onbekend = [naam for naam in dict.fromkeys(request.query_params.keys()) if naam not in bekend]
    if onbekend:
        toegestaan = ", ".join(f"`{naam}`" for naam in bekend) or "geen"
        raise OngeldigeInvoer.met(
            [{"name": naam, "reason": f"Onbekende zoekparameter; toegestaan: {toegestaan}."} for naam in onbekend],
            onderwerp="De zoekparameters",
            bevat="bevatten",
        )
