"""Keeps app/core/conflicten.py honest: every 409 and 412 a test receives must be in the OpenAPI document.

The `app` fixture wraps each app under test in `Waarnemer`, which notes the method, path, status and `code` of
every 409 and 412 answer. At the end of the session (tests/conftest.py) each is looked up in the document: the
operation must document that status, and a 409 must list the kind (`code`) among its `oneOf`. A route that
starts raising a new kind of conflict thus fails the run until the kind is declared for it.
"""

import json
import re
from dataclasses import dataclass
from typing import Any

from starlette.types import Message, Receive, Scope, Send

from app.core.middleware import HttpLaag

GEVOLGD = (409, 412)


@dataclass(frozen=True)
class Waarneming:
    method: str
    path: str
    status: int
    code: str | None


WAARNEMINGEN: set[Waarneming] = set()


class Waarnemer(HttpLaag):
    """ASGI middleware that notes the 409 and 412 answers (their `code` read from the body)."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        status: int | None = None
        delen: list[bytes] = []

        async def versturen(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body" and status in GEVOLGD:
                delen.append(message.get("body", b""))
                if not message.get("more_body", False):
                    WAARNEMINGEN.add(Waarneming(scope["method"], scope["path"], status, _code(b"".join(delen))))
            await send(message)

        await self.app(scope, receive, versturen)


def _code(body: bytes) -> str | None:
    try:
        waarde = json.loads(body)
    except ValueError:
        return None
    return waarde.get("code") if isinstance(waarde, dict) else None


def _operaties(doc: dict[str, Any]) -> list[tuple[re.Pattern[str], str, dict[str, Any]]]:
    """(pattern of the full path, method, operation), literal paths before templated ones."""
    prefix = doc["servers"][0]["url"].rstrip("/")
    prefix = prefix[prefix.find("/v1"):] if "/v1" in prefix else prefix
    rijen = []
    for path, item in doc["paths"].items():
        patroon = re.compile(re.escape(prefix) + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "/?")
        for method, op in item.items():
            if isinstance(op, dict):
                rijen.append((path.count("{"), patroon, method.upper(), op))
    rijen.sort(key=lambda r: r[0])
    return [(patroon, method, op) for _, patroon, method, op in rijen]


def _schemas_van(response: dict[str, Any]) -> set[str]:
    schema = response.get("content", {}).get("application/problem+json", {}).get("schema", {})
    refs = schema.get("oneOf", [schema])
    return {r.get("$ref", "").rsplit("/", 1)[-1] for r in refs}


def ongedocumenteerd(waarnemingen: set[Waarneming], doc: dict[str, Any]) -> list[str]:
    """The observed 409/412 answers the document does not describe, as readable lines."""
    schemas = doc["components"]["schemas"]
    per_code = {s["properties"]["code"]["const"]: naam for naam, s in schemas.items()
                if "const" in s.get("properties", {}).get("code", {})}
    operaties = _operaties(doc)
    fouten = []
    for w in sorted(waarnemingen, key=lambda w: (w.path, w.method, w.status, w.code or "")):
        op = next((op for patroon, method, op in operaties if method == w.method and patroon.fullmatch(w.path)), None)
        if op is None:
            continue  # a page of the dashboard or the app: not in the API document
        naam = f"{w.method} {w.path} ({op['operationId']})"
        response = op["responses"].get(str(w.status))
        if response is None:
            fouten.append(f"{naam} answered {w.status} (code {w.code}), which the document leaves out")
        elif w.status == 409 and per_code.get(w.code or "") not in _schemas_van(response):
            fouten.append(f"{naam} answered 409 with code `{w.code}`, not among its documented kinds "
                          f"{sorted(_schemas_van(response))}: add it to CONFLICTEN in app/core/conflicten.py")
    return fouten
