"""HTTP conveniences every client expects (issue 28): HEAD on every GET, conditional GET with 304,
and the RateLimit-* headers.

- **HEAD** is answered as the GET of the same resource without its body (RFC 9110 9.3.2), so uptime
  probes and clients that check a resource before fetching it work; a path without GET still answers 405.
- **ETag / If-None-Match**: a single resource already carries the ETag of its representation
  (`versies.etag`); any other JSON 200 to a GET gets one from a hash of its body, so a client that
  polls a list or an indicator can send `If-None-Match` and get `304 Not Modified` without a body.
  The comparison is the weak one RFC 9110 13.1.2 prescribes for If-None-Match.
- **RateLimit-Limit / -Remaining / -Reset** (the IETF httpapi draft names) on every response to an
  authenticated request, set from the rate limiter's count for the key (`request.state.rate_limit`).
"""

import hashlib

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# JSON bodies up to this size get a body-hash ETag; larger ones pass through unbuffered.
MAX_GEBUFFERD = 4 * 1024 * 1024


def _tags(waarde: str) -> set[str]:
    """The opaque tags of an If-None-Match value, weak prefixes removed."""
    return {deel.strip().removeprefix("W/") for deel in waarde.split(",") if deel.strip()}


def _past(if_none_match: str | None, etag: str) -> bool:
    if if_none_match is None:
        return False
    tags = _tags(if_none_match)
    return "*" in tags or etag.removeprefix("W/") in tags


def ratelimit_headers(limit: int, resterend: int, reset: int) -> list[tuple[bytes, bytes]]:
    return [
        (b"ratelimit-limit", str(limit).encode()),
        (b"ratelimit-remaining", str(max(0, resterend)).encode()),
        (b"ratelimit-reset", str(reset).encode()),
    ]


class HttpMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, _met_ratelimit(scope, send))
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}
        if_none_match = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"if-none-match"), None)
        state = scope.setdefault("state", {})
        start: Message | None = None
        delen: list[bytes] = []
        bufferen = False
        klaar = False

        async def verstuur_start(message: Message, body: bytes | None) -> bool:
            """Send the start (as a 304 when the tag matches); True when the body must be left out."""
            headers = list(message.get("headers", []))
            present = {k.lower() for k, _ in headers}
            headers += [h for h in _ratelimit_van(state) if h[0] not in present]
            etag = next((v.decode("latin-1") for k, v in headers if k.lower() == b"etag"), None)
            if etag is None and body is not None:
                etag = '"' + hashlib.sha256(body).hexdigest()[:24] + '"'
                headers.append((b"etag", etag.encode()))
            if etag is not None and message["status"] == 200 and _past(if_none_match, etag):
                weg = {b"content-length", b"content-type"}
                await send({"type": "http.response.start", "status": 304,
                            "headers": [(k, v) for k, v in headers if k.lower() not in weg]})
                return True
            await send({**message, "headers": headers})
            return head

        leeg = False

        async def versturen(message: Message) -> None:
            nonlocal start, bufferen, klaar, leeg
            if klaar:
                return
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                soort = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                heeft_etag = any(k.lower() == b"etag" for k, _ in headers)
                if message["status"] == 200 and not heeft_etag and soort.startswith(b"application/json"):
                    start, bufferen = message, True  # the ETag needs the whole body
                    return
                leeg = await verstuur_start(message, None)
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            if bufferen:
                delen.append(message.get("body", b""))
                meer = message.get("more_body", False)
                if meer and sum(map(len, delen)) <= MAX_GEBUFFERD:
                    return
                assert start is not None
                body = b"".join(delen)
                bufferen = False
                leeg = await verstuur_start(start, None if meer else body)
                message = {**message, "body": body}
            if leeg:
                if not message.get("more_body", False):
                    klaar = True
                    await send({"type": "http.response.body", "body": b""})
                return
            await send(message)

        await self.app(scope, receive, versturen)


def _ratelimit_van(state: dict) -> list[tuple[bytes, bytes]]:  # type: ignore[type-arg]
    stand = state.get("rate_limit")
    return ratelimit_headers(*stand) if stand else []


def _met_ratelimit(scope: Scope, send: Send) -> Send:
    if scope["type"] != "http":
        return send
    state = scope.setdefault("state", {})

    async def versturen(message: Message) -> None:
        if message["type"] == "http.response.start":
            extra = _ratelimit_van(state)
            if extra:
                present = {k.lower() for k, _ in message.get("headers", [])}
                message = {**message, "headers": [*message.get("headers", []),
                                                  *(h for h in extra if h[0] not in present)]}
        await send(message)

    return versturen
