"""List filters named as the fields they filter, with the old names still accepted (issue 28).

A list filter has the camelCase name of the field of the resource it filters: `?gemeentecode=` filters
`gemeentecode`, `?sleutelpersoonId=` filters `sleutelpersoonId`, `?onderwerpen=geld` keeps the items whose
`onderwerpen` hold `geld`. The old names (`gemeente`, `sleutelpersoon`, `onderwerp`, ...) work until v2: the
document marks them `deprecated`, and an answer to a request that used one carries

- `Deprecation: @<unix time>` (RFC 9745): since when the name is deprecated;
- `Sunset: <HTTP date>` (RFC 8594): after this date the old name may stop working;
- `Link: <...>; rel="deprecation"`: where it is documented (the OpenAPI document, whose parameter says which
  name replaces it; the CHANGELOG's "Deprecated" section says the same).

Both names with different values is a 400: the service cannot know which one the client meant.
"""

import json
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from starlette.types import Message, Receive, Scope, Send

from app.core.errors import OngeldigeInvoer
from app.core.middleware import HttpLaag

# The release that renamed the filters, and the date after which the old names may go (with v2).
VEROUDERD_SINDS = datetime(2026, 12, 7, tzinfo=UTC)
SUNSET = datetime(2027, 12, 31, tzinfo=UTC)
DOCUMENTATIE = "/v1/openapi.json"

DEPRECATION = f"@{int(VEROUDERD_SINDS.timestamp())}"
SUNSET_HEADER = format_datetime(SUNSET, usegmt=True)
LINK = f'<{DOCUMENTATIE}>; rel="deprecation"; type="application/json"'

# Where a request records the old names it used (request.state / scope["state"]).
_STATE = "verouderde_filters"


def beschrijving_oud(nieuw: str) -> str:
    return (f"Verouderd: de oude naam van `{nieuw}`, met dezelfde betekenis. Werkt tot {SUNSET:%Y-%m-%d} (het antwoord "
            f"heeft dan `Deprecation` en `Sunset`); gebruik `{nieuw}`. Beide met een andere waarde geeft 400.")


def hernoemd(nieuw: str, oud: str, soort: Any, **query: Any) -> Any:
    """A filter under its field name `nieuw` that still accepts its old name `oud` (deprecated in the document).

    Use as `Annotated[X | None, hernoemd("gemeentecode", "gemeente", str, pattern=...)]`; the value is the one
    given under either name. `query` holds the `Query` arguments of the new name (description, pattern, ...).
    """
    oude_query = {k: v for k, v in query.items() if k not in ("description", "examples")}

    def filter_(
        request: Request,
        nieuwe_waarde: Annotated[soort | None, Query(alias=nieuw, **query)] = None,
        oude_waarde: Annotated[soort | None, Query(alias=oud, deprecated=True, description=beschrijving_oud(nieuw),
                                                   **oude_query)] = None,
    ) -> Any:
        if oude_waarde is None:
            return nieuwe_waarde
        setattr(request.state, _STATE, {**getattr(request.state, _STATE, {}), nieuw: oud})  # scope["state"]: middleware
        if nieuwe_waarde is not None and nieuwe_waarde != oude_waarde:
            raise OngeldigeInvoer.met([{
                "name": oud, "code": "ongeldig",
                "reason": f"`{oud}` is de oude naam van `{nieuw}`, en beide hebben een andere waarde; geef alleen `{nieuw}`.",
            }], onderwerp="De zoekparameters", bevat="bevatten")
        return oude_waarde

    filter_.__name__ = f"filter_{nieuw}"
    return Depends(filter_)


class VerouderdeFiltersMiddleware(HttpLaag):
    """Adds Deprecation, Sunset and Link to the answer of a request that used an old filter name."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        state: dict[str, Any] = scope.setdefault("state", {})
        start: Message | None = None
        delen: list[bytes] = []

        async def verstuur(message: Message) -> None:
            nonlocal start
            oude_namen: dict[str, str] = state.get(_STATE) or {}
            if message["type"] == "http.response.start":
                if not oude_namen:
                    await send(message)
                    return
                message = {**message, "headers": [*message.get("headers", []), *verouderd_headers()]}
                if message["status"] != 400:
                    await send(message)
                    return
                start = message  # a 400 names the parameters as the client sent them: rewrite its body
                return
            if start is None:
                await send(message)
                return
            delen.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = _als_verzonden(b"".join(delen), oude_namen)
            headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
            await send({**start, "headers": [*headers, (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, verstuur)


def _als_verzonden(body: bytes, oude_namen: dict[str, str]) -> bytes:
    """A 400's invalidParams under the names the client used: `onderwerp`, not `onderwerpen`, if it sent that."""
    try:
        probleem = json.loads(body)
        for veld in probleem.get("invalidParams", []):
            veld["name"] = oude_namen.get(veld.get("name"), veld.get("name"))
    except (ValueError, AttributeError, TypeError):
        return body
    return json.dumps(probleem, ensure_ascii=False, separators=(",", ":")).encode()


def verouderd_headers() -> list[tuple[bytes, bytes]]:
    return [(b"deprecation", DEPRECATION.encode()), (b"sunset", SUNSET_HEADER.encode()), (b"link", LINK.encode())]
