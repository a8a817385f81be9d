"""`Idempotency-Key` on every POST (issue 28; draft-ietf-httpapi-idempotency-key-header).

A client that sends `Idempotency-Key: <unique value>` with a POST may send the same request again
(after a timeout, a dropped connection, a crash) and gets the first answer back instead of a second
write, with `Idempotent-Replayed: true`. The key is stored per caller (a keyed hash of its API key
or device session) for `BEWAARTIJD`, with a keyed hash of the request: the same key with another
method, path, query or body is a 409 (`code: idempotency-key-hergebruikt`), and the same key while the
first request is still running is a 409 with `Retry-After` (`code: idempotency-key-in-behandeling`).
It sits beside `externId`, which keeps a record idempotent for ever; the key covers every POST.

How: the key is reserved in a short transaction of its own before the request runs, and the answer is
stored in another after it; a request that failed with a 5xx, 401, 403 or 429 (or an outage) gives its
reservation back, so a retry runs again. If the process dies between the request's commit and storing
its answer, the reservation stays "bezig" and a retry gets the 409 until the key expires: the client
then reads the record (by its externId or Location) instead of writing twice.

Erasing a resident (`/v1/inwoners/_vergeet`) forgets every stored key, since a request body may have
held the reference; the erasure request itself is never stored, nor are the answers that carry a secret
shown once (`ZONDER`).

A replay is answered from the stored answer without running the request: for at most `BEWAARTIJD`,
also after the key was revoked; it holds only what that key was answered before.
"""

import contextlib
import hashlib
import hmac
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.config import get_settings
from app.core.errors import PROBLEM_MEDIA_TYPE, problem_body
from app.models import IdempotentieSleutel

BEWAARTIJD = timedelta(hours=24)
HEADER = b"idempotency-key"
# Visible ASCII, 1 to 255 characters: a UUID, a ULID or any opaque token of the client.
GELDIG = re.compile(r"[\x21-\x7e]{1,255}")
# Answers that depend on the moment rather than on the request: never replayed.
NIET_BEWAREN = {401, 403, 408, 429}
# Not covered, so nothing of their answer is kept: erasure (idempotent by itself, and its body is a resident
# reference), and the two POSTs whose answer carries a secret shown once (an API key's token, a webhook's
# signing secret). Storing that answer for a replay would put the secret in the database for a day, where
# otherwise only its hash or salt is kept. A retry of these creates a second key or webhook; revoke the spare.
ZONDER = {"/v1/inwoners/_vergeet", "/v1/api-sleutels", "/v1/webhooks"}
BEWAARDE_HEADERS = ("content-type", "location", "etag", "content-disposition")


def _hmac(*delen: bytes) -> str:
    sleutel = hashlib.sha256(b"sleutelmonitor-idempotentie-1" + get_settings().secret_key.encode()).digest()
    return hmac.new(sleutel, b"\x00".join(delen), hashlib.sha256).hexdigest()


def _header(scope: Scope, naam: bytes) -> bytes | None:
    return next((v for k, v in scope.get("headers", []) if k == naam), None)


def _wie(scope: Scope) -> bytes | None:
    """The caller's credential as sent: its API key, or its device cookie."""
    if (authorization := _header(scope, b"authorization")) is not None:
        return b"a:" + authorization
    if (cookie := _header(scope, b"cookie")) is not None and b"sleutelmonitor_apparaat=" in cookie:
        return b"c:" + cookie
    return None


async def _problem(scope: Scope, send: Send, status: int, detail: str, code: str,
                   headers: list[tuple[bytes, bytes]] | None = None) -> None:
    titel = {400: "Ongeldige invoer", 409: "Conflict"}[status]
    extra = {"code": code} if status == 409 else {}
    invalid = [{"name": "Idempotency-Key", "reason": detail, "code": code}] if status == 400 else None
    body = json.dumps(problem_body(scope["path"], status, detail, title=titel, invalid_params=invalid,
                                   extra=extra)).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", PROBLEM_MEDIA_TYPE.encode()), (b"content-length", str(len(body)).encode()), *(headers or [])]})
    await send({"type": "http.response.body", "body": body})


class IdempotentieMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope["method"] != "POST" or not scope["path"].startswith("/v1/")
                or scope["path"] in ZONDER):
            await self.app(scope, receive, send)
            return
        ruw = _header(scope, HEADER)
        wie = _wie(scope)
        if ruw is None or wie is None:  # no key, or no caller: the app answers as always (401 without a caller)
            await self.app(scope, receive, send)
            return
        sleutel = ruw.decode("latin-1").strip()
        if not GELDIG.fullmatch(sleutel):
            await _problem(scope, send, 400, "De `Idempotency-Key` is 1 tot 255 zichtbare ASCII-tekens, "
                           "bijvoorbeeld een UUID.", "patroon")
            return

        berichten: list[Message] = []
        delen: list[bytes] = []
        while True:
            bericht = await receive()
            berichten.append(bericht)
            if bericht["type"] != "http.request":
                break
            delen.append(bericht.get("body", b""))
            if not bericht.get("more_body", False):
                break
        wie_hash = _hmac(b"wie", wie)
        vingerafdruk = _hmac(b"verzoek", scope["method"].encode(), scope["path"].encode(),
                             scope.get("query_string", b""), b"".join(delen))
        bestaand = await _in_sessie(scope, _reserveer, wie_hash, sleutel, vingerafdruk)
        if bestaand is not None:
            await self._bestaand(scope, send, bestaand, vingerafdruk)
            return

        opnieuw = iter(berichten)

        async def ontvangen() -> Message:
            return next(opnieuw, None) or await receive()

        start: Message | None = None
        body: list[bytes] = []

        async def versturen(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                body.append(message.get("body", b""))
            await send(message)

        bewaard = False
        try:
            await self.app(scope, ontvangen, versturen)
            if start is not None and start["status"] < 500 and start["status"] not in NIET_BEWAREN:
                headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in start.get("headers", [])}
                await _in_sessie(scope, _bewaar, wie_hash, sleutel, start["status"],
                                 {k: v for k, v in headers.items() if k in BEWAARDE_HEADERS}, b"".join(body))
                bewaard = True
        finally:
            if not bewaard:
                with contextlib.suppress(Exception):  # an outage: the reservation expires by itself
                    await _in_sessie(scope, _vergeet, wie_hash, sleutel)

    @staticmethod
    async def _bestaand(scope: Scope, send: Send, bestaand: dict[str, Any], vingerafdruk: str) -> None:
        if bestaand["vingerafdruk"] != vingerafdruk:
            await _problem(scope, send, 409, "Deze `Idempotency-Key` is al gebruikt voor een ander verzoek (een andere "
                           "methode, een ander pad of een andere body). Gebruik een nieuwe sleutel voor een nieuw verzoek.",
                           "idempotency-key-hergebruikt")
            return
        if bestaand["status"] != "klaar":
            await _problem(scope, send, 409, "Het eerste verzoek met deze `Idempotency-Key` wordt nog verwerkt; probeer "
                           "het zo opnieuw. Blijft dit zo, lees het record dan op (met zijn externId) in plaats van "
                           "opnieuw te schrijven.", "idempotency-key-in-behandeling", [(b"retry-after", b"1")])
            return
        body = bestaand["antwoord_body"] or b""
        headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in (bestaand["antwoord_headers"] or {}).items()
                   if k != "content-length"]
        headers += [(b"content-length", str(len(body)).encode()), (b"idempotent-replayed", b"true")]
        await send({"type": "http.response.start", "status": bestaand["antwoord_status"], "headers": headers})
        await send({"type": "http.response.body", "body": body})


async def _in_sessie(scope: Scope, werk: Any, *args: Any) -> Any:
    """Run `werk(session, *args)` in a short transaction of its own, through the app's session
    dependency (so the tests' override keeps it in their rolled-back transaction)."""
    from app.core.db import get_session

    fabriek = scope["app"].dependency_overrides.get(get_session, get_session)
    try:
        async with contextlib.asynccontextmanager(fabriek)(Request(scope)) as session:
            return await run_in_threadpool(werk, session, *args)
    except IntegrityError:
        # The same key reserved at the same moment by a parallel request (PostgreSQL): that one runs.
        return {"vingerafdruk": args[2], "status": "bezig"}


def _reserveer(session: Any, wie: str, sleutel: str, vingerafdruk: str) -> dict[str, Any] | None:
    """The stored row of this key (as a dict), or None after reserving it for this request."""
    nu = datetime.now(UTC)
    session.execute(delete(IdempotentieSleutel).where(IdempotentieSleutel.aangemaakt_op < nu - BEWAARTIJD))
    rij = session.get(IdempotentieSleutel, (wie, sleutel))
    if rij is not None:
        return {k: getattr(rij, k) for k in ("vingerafdruk", "status", "antwoord_status", "antwoord_headers",
                                             "antwoord_body")}
    session.add(IdempotentieSleutel(wie=wie, sleutel=sleutel, vingerafdruk=vingerafdruk, status="bezig",
                                    aangemaakt_op=nu))
    session.flush()
    return None


def _bewaar(session: Any, wie: str, sleutel: str, status: int, headers: dict[str, str], body: bytes) -> None:
    rij = session.get(IdempotentieSleutel, (wie, sleutel))
    if rij is not None:
        rij.status, rij.antwoord_status, rij.antwoord_headers, rij.antwoord_body = "klaar", status, headers, body
        session.add(rij)


def _vergeet(session: Any, wie: str, sleutel: str) -> None:
    session.execute(delete(IdempotentieSleutel).where(IdempotentieSleutel.wie == wie,
                                                      IdempotentieSleutel.sleutel == sleutel))
