"""Checks every API route makes on the request itself, in one place (a dependency of each router).

- A query parameter the route does not declare is refused: a misspelt filter (`contactmomentId`
  for `contactmoment`) would otherwise be ignored and answer 200 with unfiltered data.
- A route with a JSON body refuses another Content-Type with 415, instead of a confusing 400.
- Text with control characters (NUL among them, which PostgreSQL cannot store), bidi overrides or
  zero-width characters is refused, in query values and anywhere in a JSON body, with one 400 that
  names every field. Tab, line feed and carriage return stay allowed in text.
"""

import json
import re
from collections.abc import Iterator
from typing import Any

from fastapi import Request
from fastapi.routing import APIRoute
from pydantic import BaseModel

from app.core.errors import MediatypeNietOndersteund, OngeldigeInvoer

_BEKEND: dict[int, tuple[str, ...]] = {}
VERBODEN_TEKENS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200d\u202a-\u202e\u2066-\u2069\ufeff]")
REDEN = "Bevat een stuurteken, een onzichtbaar teken of een tekenrichtingsteken; die worden niet opgeslagen."


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
    problemen = [{"name": naam, "reason": REDEN} for naam, waarde in request.query_params.multi_items()
                 if VERBODEN_TEKENS.search(naam) or VERBODEN_TEKENS.search(waarde)]
    if route.body_field is not None:
        problemen += [{"name": pad, "reason": REDEN} for pad in _verboden_in_body(await request.body())]
    if problemen:
        raise OngeldigeInvoer.met(problemen)
    if request.query_params:
        _check_query(request, route)


def _verboden_in_body(body: bytes) -> list[str]:
    """The paths (`naam`, `inwoner.taal`, `onderwerpen[0]`) of JSON strings with forbidden characters."""
    if not body or not VERBODEN_TEKENS.search(body.decode("utf-8", "replace")) and b"\\u" not in body:
        return []
    try:
        data = json.loads(body)
    except ValueError:
        return []  # not JSON: the body validation reports it
    return sorted(set(_paden(data, "")))


def _paden(waarde: Any, pad: str) -> Iterator[str]:
    if isinstance(waarde, str):
        if VERBODEN_TEKENS.search(waarde):
            yield pad or "body"
    elif isinstance(waarde, dict):
        for sleutel, item in waarde.items():
            naam = f"{pad}.{sleutel}" if pad else str(sleutel)
            if VERBODEN_TEKENS.search(str(sleutel)):
                yield naam
            yield from _paden(item, naam)
    elif isinstance(waarde, list):
        for index, item in enumerate(waarde):
            yield from _paden(item, f"{pad}[{index}]")


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
