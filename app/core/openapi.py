"""The OpenAPI document, shaped to the NL API Design Rules 2.2.

FastAPI's generated document is post-processed once: 422 becomes a 400 problem+json, every
operation lists its problem responses, every success response declares `API-Version`, the
bearer scheme and each operation's scope are documented, paths are given relative to a `/v1`
server, and nullable fields are written as `type: [x, "null"]` so formats stay visible to linters.
"""

import json
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel

from app import __version__
from app.core.config import get_settings
from app.core.conflicten import CONFLICTEN, IDEMPOTENTIE
from app.core.errors import CONFLICT_SCHEMAS, TITLES, Problem, VersieProblem
from app.core.idempotentiesleutel import ZONDER
from app.core.problemen import SOORTEN, STANDAARD
from app.core.request_checks import VERBODEN_TEKENS
from app.toegang.caller import SCOPE_UITLEG

API_PREFIX = "/v1"


def location(*delen: object) -> str:
    """The path of a resource for a Location header: `location("doelen", doel.id)` is `/v1/doelen/<id>`."""
    return "/".join([API_PREFIX, *(str(deel) for deel in delen)])
PUBLIC_PATHS = {"/v1/status", "/v1/status/live", "/v1/status/ready", "/v1/openapi.json", "/v1/problemen", "/v1/problemen/{code}"}

_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
# Statuses whose problem carries extension members, each documented in its own schema; 409 is a `oneOf` of the
# kinds an operation can raise (`_conflict_inhoud`).
_PROBLEM_SCHEMAS: dict[str, type[BaseModel]] = {"412": VersieProblem}
_VOORBEELD_URL = "https://sleutelmonitor.example.nl"


# Schemas that a route names only in `openapi_extra` (a multipart body read by hand), so FastAPI does not see them.
_EXTRA_SCHEMAS: list[type[BaseModel]] = []


def register_schema(model: type[BaseModel]) -> None:
    """Put a model in `components/schemas` under its class name."""
    _EXTRA_SCHEMAS.append(model)


def operation_id(route: APIRoute) -> str:
    """The operationId: the route name in camelCase (`get_indicator_waarden` -> `getIndicatorWaarden`).

    Generators turn it into a method name, so it is derived from the name alone, never from the path or the
    method as FastAPI does by default: a new route or prefix cannot rename existing client methods.
    """
    eerste, *rest = route.name.split("_")
    return eerste + "".join(deel[:1].upper() + deel[1:] for deel in rest)
_VERSION_HEADER_REF = {"$ref": "#/components/headers/API-Version"}


def _HEADER_REF(naam: str) -> dict[str, str]:
    return {"$ref": f"#/components/headers/{naam}"}


_HEADERS: dict[str, Any] = {
    "Retry-After": {"description": "Na hoeveel seconden u het opnieuw kunt proberen.",
                    "schema": {"type": "integer", "minimum": 0}},
    "RateLimit-Limit": {"description": "Het aantal verzoeken per minuut voor deze sleutel (IETF draft-ietf-httpapi-ratelimit-headers).",
                        "schema": {"type": "integer", "minimum": 0}},
    "RateLimit-Remaining": {"description": "Hoeveel verzoeken er in deze minuut nog over zijn.",
                            "schema": {"type": "integer", "minimum": 0}},
    "RateLimit-Reset": {"description": "Over hoeveel seconden de teller weer op nul staat.",
                        "schema": {"type": "integer", "minimum": 0}},
    "ETag": {"description": "Versie van deze representatie: stuur hem in `If-None-Match` (een 304 als er niets "
                            "veranderde) of, bij een enkel record, in `If-Match` bij PATCH.",
             "schema": {"type": "string"}},
}
_HEADERS["Idempotent-Replayed"] = {
    "description": "`true` als dit het bewaarde antwoord is op een eerder verzoek met dezelfde `Idempotency-Key`.",
    "schema": {"type": "string", "enum": ["true"]},
}
_IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key", "in": "header", "required": False,
    "description": "Een unieke waarde per verzoek (bijvoorbeeld een UUID). Stuurt u hetzelfde verzoek met dezelfde "
    "sleutel nog eens (binnen 24 uur), dan krijgt u het eerste antwoord terug met `Idempotent-Replayed: true` en wordt "
    "er niets opnieuw geschreven. Dezelfde sleutel met een ander verzoek geeft 409 (`code: idempotency-key-hergebruikt`); "
    "terwijl het eerste verzoek nog loopt 409 met `Retry-After` (`code: idempotency-key-in-behandeling`).",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
    "example": "5f0c6d3e-8a3b-4c1e-9b7a-2d4e6f8a0b1c",
}
_RATELIMIT_REFS = {naam: _HEADER_REF(naam) for naam in ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset")}


def _problem(status: int, description: str) -> dict[str, Any]:
    """A problem response; its content is set once per operation by `_problem_inhoud`."""
    return {"description": description, "headers": {"API-Version": _VERSION_HEADER_REF}}


def _voorbeelden() -> dict[str, Any]:
    """`components/examples`: one problem per kind, with its own status, title and code (never the 400 of the base)."""
    voorbeelden: dict[str, Any] = {}
    for code, soort in SOORTEN.items():
        model = CONFLICT_SCHEMAS.get(code) or _PROBLEM_SCHEMAS.get(str(soort.status))
        if model is not None and model.model_json_schema()["properties"]["code"].get("const") == code:
            waarde = dict(model.model_json_schema()["examples"][0])
        else:
            waarde = {"type": f"{_VOORBEELD_URL}/v1/problemen/{code}", "title": soort.titel, "status": soort.status,
                      "detail": soort.beschrijving, "instance": "/v1/contactmomenten", "code": code}
            if soort.status == 400:
                waarde["detail"] = "De invoer bevat 1 fout; zie invalidParams."
                waarde["invalidParams"] = [{"name": "datum", "reason": "Verplicht veld ontbreekt.", "code": "verplicht"}]
        voorbeelden[code] = {"summary": f"{soort.status} `{code}`", "value": waarde}
    return voorbeelden


def _problem_inhoud(status: int, soorten: tuple[str, ...]) -> dict[str, Any]:
    """The problem+json content of one response: its schema, and examples of the kinds it can be."""
    if status == 409:
        soorten = soorten or ("conflict",)
        modellen = [CONFLICT_SCHEMAS[code] for code in soorten]
        if len(modellen) == 1:
            schema: dict[str, Any] = {"$ref": f"#/components/schemas/{modellen[0].__name__}"}
        else:
            schema = {
                "oneOf": [{"$ref": f"#/components/schemas/{m.__name__}"} for m in modellen],
                "discriminator": {"propertyName": "code", "mapping": {
                    code: f"#/components/schemas/{CONFLICT_SCHEMAS[code].__name__}" for code in soorten}},
            }
    else:
        model = _PROBLEM_SCHEMAS.get(str(status))
        schema = {"$ref": f"#/components/schemas/{model.__name__}"} if model else _PROBLEM_REF
        soorten = (STANDAARD.get(status, "interne-fout"),)
    return {"schema": schema, "examples": {code: {"$ref": f"#/components/examples/{code}"} for code in soorten}}


def conflictsoorten(method: str, path: str, operation_id: str) -> tuple[str, ...]:
    """The kinds of 409 an operation can answer with (app/core/conflicten.py), the Idempotency-Key kinds included."""
    soorten = CONFLICTEN.get(operation_id, ())
    if method == "post" and path.startswith(API_PREFIX) and path not in ZONDER:
        soorten = (*soorten, *IDEMPOTENTIE)
    return soorten


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
                if "const" in merged:  # a nullable single value: the value or null
                    merged["enum"] = [merged.pop("const")]
                if "enum" in merged and None not in merged["enum"]:
                    merged["enum"] = [*merged["enum"], None]
                node = merged
            elif "$ref" in other:
                rest = {k: v for k, v in node.items() if k != "anyOf"}
                node = {**rest, "oneOf": [other, {"type": "null"}]}
        return {k: _collapse_nullable(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_collapse_nullable(v) for v in node]
    return node


def _drop_null(parameter: dict[str, Any]) -> None:
    """A query or header parameter is absent or has a value, never JSON null: `X | None` is just X.

    Left as `anyOf [X, null]`, openapi-generator types an enum parameter such as `formaat` as `Any`.
    """
    schema = parameter.get("schema", {})
    any_of = schema.get("anyOf")
    if isinstance(any_of, list) and {"type": "null"} in any_of:
        rest = [s for s in any_of if s != {"type": "null"}]
        if len(rest) == 1:
            del schema["anyOf"]
            schema.update(rest[0])
            if schema.get("default", "") is None:
                del schema["default"]
    if "$ref" in schema:
        # A reference with a title or description beside it reads to openapi-generator as a new, nameless
        # schema (`Any`); the parameter itself carries the description and the example.
        examples = schema.get("examples")
        if examples and "example" not in parameter:
            parameter["example"] = examples[0]
        parameter.setdefault("description", schema.get("description", ""))
        for key in ("title", "description", "examples"):
            schema.pop(key, None)


def _refs(node: Any) -> set[str]:
    """Names of the component schemas a node refers to directly."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        own = {ref.rsplit("/", 1)[1]} if isinstance(ref, str) and ref.startswith("#/components/schemas/") else set()
        return own.union(*(_refs(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(v) for v in node))
    return set()


def _closure(start: set[str], schemas: dict[str, Any]) -> set[str]:
    found, todo = set(), list(start)
    while todo:
        name = todo.pop()
        if name not in found and name in schemas:
            found.add(name)
            todo += _refs(schemas[name])
    return found


def _request_only_defaults(doc: dict[str, Any]) -> None:
    """Move `default` out of schemas that only requests use, into their descriptions.

    openapi-typescript 7 (with its default `defaultNonNullable`) types a property with a `default` as always
    present, which is right for a response and wrong for a request body in `components`: `soort` and
    `aantalDeelnemers` would become required in `ContactmomentCreate`. The server still applies the
    default; the description says which.
    """
    schemas = doc.get("components", {}).get("schemas", {})
    operations = [op for item in doc.get("paths", {}).values() for op in item.values() if isinstance(op, dict)]
    requests = _closure(set().union(*(_refs(op.get("requestBody", {})) for op in operations)), schemas)
    responses = _closure(set().union(*(_refs(op.get("responses", {})) for op in operations)), schemas)
    for name in requests - responses:
        for prop in schemas[name].get("properties", {}).values():
            if "default" not in prop:
                continue
            default = prop.pop("default")
            if default is not None and "tandaard" not in prop.get("description", ""):
                prop["description"] = f"{prop.get('description', '').rstrip()} Standaard `{json.dumps(default)}`.".strip()


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
    # Relative unless configured: a document fetched from :8001 then points clients at :8001 too.
    server = f"{settings.public_url.rstrip('/')}{API_PREFIX}" if settings.public_url else API_PREFIX
    doc["servers"] = [{"url": server, "description": "Deze installatie"}]
    components = doc.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    schemas.update(
        {k: v for k, v in Problem.model_json_schema(ref_template="#/components/schemas/{model}")
         .pop("$defs", {}).items()}
    )
    for model in (Problem, *CONFLICT_SCHEMAS.values(), *_PROBLEM_SCHEMAS.values(), *_EXTRA_SCHEMAS):
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schema.pop("$defs", None)
        schemas[model.__name__] = schema
    components["headers"] = {
        "API-Version": {
            "description": "Volledige versie van de API (semver).",
            "schema": {"type": "string", "example": __version__},
        }
    }
    components["headers"].update(_HEADERS)
    components["examples"] = _voorbeelden()
    components["securitySchemes"] = {
        "apiSleutel": {
            "type": "http",
            "scheme": "bearer",
            "description": "API-sleutel, verkregen van een beheerder: `Authorization: Bearer smk_...`.\n\n"
            "Elke sleutel heeft scopes; de `security` van elke operatie noemt de scopes die zij vereist (alle "
            "genoemde; een lege lijst: elke geldige sleutel, wat u ziet hangt af van de binding):\n\n"
            + "\n".join(f"- `{scope}`: {uitleg}" for scope, uitleg in SCOPE_UITLEG.items()),
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
        versioned = any(p.get("name") == "If-Match" for op in item.values() for p in op.get("parameters", []))
        for method, op in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            route = routes.get((path, method))
            for parameter in op.get("parameters", []):
                _drop_null(parameter)
            responses = op.setdefault("responses", {})
            responses.pop("422", None)
            for status, response in responses.items():
                response.setdefault("headers", {})["API-Version"] = _VERSION_HEADER_REF
                if not str(status).startswith(("4", "5")):
                    for media in response.get("content", {}).values():
                        # FastAPI titles inline response schemas after the path ("Response List Doelen V1
                        # Doelen Get"); generators would turn that into a type name.
                        if str(media.get("schema", {}).get("title", "")).startswith("Response "):
                            del media["schema"]["title"]
            has_params = bool(op.get("parameters")) or "requestBody" in op
            if method in ("post", "put", "patch") or has_params:
                responses.setdefault("400", _problem(400, "Ongeldige invoer; alle fouten staan in `invalidParams`."))
            if path not in PUBLIC_PATHS:
                # OpenAPI 3.1 lets a non-OAuth2 requirement list the roles it needs: here the key's scopes.
                scopes = list(dict.fromkeys(_scopes_of(route))) if route else []
                op["security"] = [{"apiSleutel": scopes}]
                responses.setdefault("401", _problem(401, TITLES[401]))
                responses.setdefault("403", _problem(403, TITLES[403]))
                responses.setdefault("429", _problem(429, TITLES[429]))
                responses["429"]["headers"].update({"Retry-After": _HEADER_REF("Retry-After"), **_RATELIMIT_REFS})
                for status, response in responses.items():
                    if str(status).startswith("2"):
                        response.setdefault("headers", {}).update(_RATELIMIT_REFS)
            if method == "get":
                responses.setdefault("304", {
                    "description": "Niet gewijzigd: de `ETag` van het antwoord staat in `If-None-Match`; er is geen body.",
                    "headers": {"API-Version": _VERSION_HEADER_REF, "ETag": _HEADER_REF("ETag")},
                })
                if "200" in responses and "application/json" in responses["200"].get("content", {}):
                    responses["200"].setdefault("headers", {}).setdefault("ETag", _HEADER_REF("ETag"))
            if method == "post" and path.startswith(API_PREFIX) and path not in ZONDER:
                op.setdefault("parameters", []).append(_IDEMPOTENCY_KEY)
                for status, response in responses.items():
                    if str(status).startswith(("2", "4")) and str(status) not in ("401", "403", "429"):
                        response.setdefault("headers", {})["Idempotent-Replayed"] = _HEADER_REF("Idempotent-Replayed")
            if "requestBody" in op:
                responses.setdefault("415", _problem(415, "De body heeft een mediatype dat deze operatie niet leest."))
            responses.setdefault("503", _problem(503, "De database is niet bereikbaar, alle verbindingen zijn bezet of "
                                                      "de schijf is vol; probeer het na `Retry-After` seconden opnieuw."))
            responses["503"].setdefault("headers", {})["Retry-After"] = _HEADER_REF("Retry-After")
            if "{" in path:
                responses.setdefault("404", _problem(404, TITLES[404]))
            if versioned and method in ("get", "patch"):
                responses["200"].setdefault("headers", {})["ETag"] = _HEADER_REF("ETag")
            if versioned and method == "patch":
                responses["412"] = _problem(412, "De `If-Match` noemt een oudere versie; er is niets opgeslagen.")
            soorten = conflictsoorten(method, path, op["operationId"])
            if soorten:
                responses.setdefault("409", _problem(409, "Conflict met de huidige toestand."))
                responses["409"]["description"] = (
                    f"{responses['409']['description'].rstrip()} Soorten (`code`): "
                    + ", ".join(f"`{code}`" for code in soorten) + ".")
            if "requestBody" in op:
                responses.setdefault("413", _problem(413, TITLES[413]))
            responses.setdefault("500", _problem(500, TITLES[500]))
            for status, response in responses.items():
                if str(status).startswith(("4", "5")):
                    response["content"] = {"application/problem+json": _problem_inhoud(int(status), soorten)}
            for parameter in op.get("parameters", []):
                if parameter.get("name") == "pageSize":
                    # The largest page is a setting, checked by `pagination.paginering`; the document
                    # states the installation's own value.
                    parameter["schema"]["maximum"] = settings.max_page_size
        relative = path.removeprefix(API_PREFIX) or "/"
        new_paths[relative] = item
    doc["paths"] = new_paths
    _request_only_defaults(doc)
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
            te_doen += verwijzingen(inhoud.get("schema"))
    gedaan: set[str] = set()
    while te_doen:
        naam = te_doen.pop()
        if naam in gedaan or naam not in schemas:
            continue
        gedaan.add(naam)
        _markeer(schemas[naam])
        te_doen += verwijzingen(schemas[naam])


def verwijzingen(node: Any) -> list[str]:
    """The component names a schema refers to, at any depth."""
    if isinstance(node, dict):
        eigen = [node["$ref"].rsplit("/", 1)[-1]] if isinstance(node.get("$ref"), str) else []
        return eigen + [n for w in node.values() for n in verwijzingen(w)]
    if isinstance(node, list):
        return [n for w in node for n in verwijzingen(w)]
    return []


def install_openapi(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build_openapi(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
