"""The OpenAPI document, shaped to the NL API Design Rules 2.2.

FastAPI's generated document is post-processed once: 422 becomes a 400 problem+json, every
operation lists its problem responses, every success response declares `API-Version`, the
bearer scheme and each operation's scope are documented, paths are given relative to a `/v1`
server, and nullable fields are written as `type: [x, "null"]` so formats stay visible to linters.
"""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts

from app import __version__
from app.core.config import get_settings
from app.core.errors import TITLES, Problem
from app.core.request_checks import VERBODEN_TEKENS

API_PREFIX = "/v1"


def location(*delen: object) -> str:
    """The path of a resource for a Location header: `location("doelen", doel.id)` is `/v1/doelen/<id>`."""
    return "/".join([API_PREFIX, *(str(deel) for deel in delen)])
PUBLIC_PATHS = {"/v1/status", "/v1/openapi.json"}

_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
_VERSION_HEADER_REF = {"$ref": "#/components/headers/API-Version"}


def _problem(status: int, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "headers": {"API-Version": _VERSION_HEADER_REF},
        "content": {"application/problem+json": {"schema": _PROBLEM_REF}},
    }


def _scopes_of(route: APIRoute) -> list[str]:
    found: list[str] = []

    def walk(dependant: Any) -> None:
        scope = getattr(dependant.call, "__sleutelmonitor_scope__", None)
        if scope is not None:
            found.append(scope.value)
        for sub in dependant.dependencies:
            walk(sub)

    walk(route.dependant)
    return found


def _collapse_nullable(node: Any) -> Any:
    """Turn `anyOf: [{type: x, ...}, {type: null}]` into `{type: [x, null], ...}`."""
    if isinstance(node, dict):
        any_of = node.get("anyOf")
        if isinstance(any_of, list) and len(any_of) == 2 and {"type": "null"} in any_of:
            other = next(s for s in any_of if s != {"type": "null"})
            if "type" in other and isinstance(other["type"], str) and "$ref" not in other:
                merged = {k: v for k, v in node.items() if k != "anyOf"}
                merged.update(other)
                merged["type"] = [other["type"], "null"]
                node = merged
            elif "$ref" in other:
                rest = {k: v for k, v in node.items() if k != "anyOf"}
                node = {**rest, "oneOf": [other, {"type": "null"}]}
        return {k: _collapse_nullable(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_collapse_nullable(v) for v in node]
    return node


def build_openapi(app: FastAPI) -> dict[str, Any]:
    settings = get_settings()
    doc = get_openapi(
        title=app.title,
        version=__version__,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
    )
    doc["info"]["contact"] = {
        "name": "Team Sleutelmonitor",
        "email": "sleutelmonitor@example.nl",
        "url": "https://github.com/sleutelmonitor/sleutelmonitor",
    }
    doc["info"]["license"] = {"name": "EUPL-1.2", "identifier": "EUPL-1.2"}
    doc["servers"] = [
        {"url": f"{settings.public_url.rstrip('/')}{API_PREFIX}", "description": "Deze installatie"}
    ]
    components = doc.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    schemas.update(
        {k: v for k, v in Problem.model_json_schema(ref_template="#/components/schemas/{model}")
         .pop("$defs", {}).items()}
    )
    schemas["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas["Problem"].pop("$defs", None)
    components["headers"] = {
        "API-Version": {
            "description": "Volledige versie van de API (semver).",
            "schema": {"type": "string", "example": __version__},
        }
    }
    components["securitySchemes"] = {
        "apiSleutel": {
            "type": "http",
            "scheme": "bearer",
            "description": "API-sleutel, verkregen van een beheerder: `Authorization: Bearer smk_...`.",
        }
    }

    # FastAPI keeps included routers as contexts; iterate them to reach every APIRoute with its full path.
    routes = {
        (context.path, method.lower()): context.original_route
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute)
        for method in context.original_route.methods
    }
    new_paths: dict[str, Any] = {}
    for path, item in doc.get("paths", {}).items():
        for method, op in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            route = routes.get((path, method))
            responses = op.setdefault("responses", {})
            responses.pop("422", None)
            for status, response in responses.items():
                response.setdefault("headers", {})["API-Version"] = _VERSION_HEADER_REF
                if str(status).startswith(("4", "5")):
                    response["content"] = {"application/problem+json": {"schema": _PROBLEM_REF}}
            has_params = bool(op.get("parameters")) or "requestBody" in op
            if method in ("post", "put", "patch") or has_params:
                responses.setdefault("400", _problem(400, "Ongeldige invoer; alle fouten staan in `invalidParams`."))
            if path not in PUBLIC_PATHS:
                op["security"] = [{"apiSleutel": []}]
                responses.setdefault("401", _problem(401, TITLES[401]))
                responses.setdefault("403", _problem(403, TITLES[403]))
                responses.setdefault("429", _problem(429, TITLES[429]))
                scopes = _scopes_of(route) if route else []
                note = (
                    "**Scope:** " + ", ".join(f"`{s}`" for s in scopes)
                    if scopes
                    else "**Scope:** geen specifieke scope; elke geldige API-sleutel (wat u ziet hangt af van de binding)."
                )
                op["description"] = f"{op.get('description', '').strip()}\n\n{note}".strip()
            if "{" in path:
                responses.setdefault("404", _problem(404, TITLES[404]))
            if "requestBody" in op:
                responses.setdefault("413", _problem(413, TITLES[413]))
            responses.setdefault("500", _problem(500, TITLES[500]))
            for parameter in op.get("parameters", []):
                if parameter.get("name") == "pageSize":
                    # The largest page is a setting, checked by `pagination.paginering`; the document
                    # states the installation's own value.
                    parameter["schema"]["maximum"] = settings.max_page_size
        relative = path.removeprefix(API_PREFIX) or "/"
        new_paths[relative] = item
    doc["paths"] = new_paths
    doc = _collapse_nullable(doc)
    _documenteer_stuurtekens(doc)
    return doc


# The characters `request_checks` refuses in every query value and every string of a JSON body, as a
# pattern on each such string in the document, written as `\uXXXX` (ECMA-262 and Python read it alike).
STUURTEKENS_PATROON = "^[^" + "".join(
    teken if teken == "-" else f"\\u{ord(teken):04x}" for teken in VERBODEN_TEKENS.pattern.strip("[]")
) + "]*$"


def _is_vrije_tekst(node: dict[str, Any]) -> bool:
    soort = node.get("type")
    soorten = soort if isinstance(soort, list) else [soort]
    return "string" in soorten and not ({"enum", "pattern", "format", "const"} & node.keys())


def _markeer(node: Any) -> None:
    if isinstance(node, dict):
        if _is_vrije_tekst(node):
            node["pattern"] = STUURTEKENS_PATROON
        for sleutel, waarde in node.items():
            if sleutel not in ("examples", "example", "default", "enum"):
                _markeer(waarde)
    elif isinstance(node, list):
        for waarde in node:
            _markeer(waarde)


def _documenteer_stuurtekens(doc: dict[str, Any]) -> None:
    """Put the control-character rule on every free string a client sends: parameters and request bodies."""
    schemas = doc.get("components", {}).get("schemas", {})
    te_doen: list[str] = []
    for item in doc["paths"].values():
        for op in item.values():
            if not isinstance(op, dict):
                continue
            for parameter in op.get("parameters", []):
                if parameter.get("in") in ("query", "path"):
                    _markeer(parameter.get("schema"))
            inhoud = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            te_doen += _verwijzingen(inhoud.get("schema"))
    gedaan: set[str] = set()
    while te_doen:
        naam = te_doen.pop()
        if naam in gedaan or naam not in schemas:
            continue
        gedaan.add(naam)
        _markeer(schemas[naam])
        te_doen += _verwijzingen(schemas[naam])


def _verwijzingen(node: Any) -> list[str]:
    """The component names a schema refers to, at any depth."""
    if isinstance(node, dict):
        eigen = [node["$ref"].rsplit("/", 1)[-1]] if isinstance(node.get("$ref"), str) else []
        return eigen + [n for w in node.values() for n in _verwijzingen(w)]
    if isinstance(node, list):
        return [n for w in node for n in _verwijzingen(w)]
    return []


def install_openapi(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build_openapi(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
