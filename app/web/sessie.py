"""The dashboard's session: a signed cookie that names a server-side session row, never holds the key.

A browser cannot send the `Authorization` header on a link or a form, so the dashboard signs a person
in with their API key once and then carries a session cookie. The cookie is signed (itsdangerous) and
readable by its holder, so it holds only what its holder may know and what is useless elsewhere: the
key's prefix, a random session token (the table keeps its SHA-256, app/web/sessieopslag.py), a CSRF
token and the sign-in time. Every request reads the session row (no cache: signing out, ending the
session from the list or revoking the key ends it at once, in every process) and the key (cached for
`caches.SLEUTELS_SECONDEN`), and applies the same checks as the API.
"""

import hmac
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import Engine

from app.core.config import get_settings
from app.core.db import SessionDep, kort_lezen
from app.core.errors import NietGeauthenticeerd
from app.core.security import secret_matches, split_token
from app.models import utcnow
from app.toegang.caller import Binding, Caller, Scope
from app.toegang.dependencies import (
    caller_van,
    controleer_geldig,
    gebruik,
    lees_sleutel,
    rate_limiter,
    teller_engine,
)
from app.web import aanmeldpogingen, sessieopslag

COOKIE = "sleutelmonitor_sessie"
SALT = "sleutelmonitor-dashboard-sessie"
CSRF_VELD = "csrf"


class AanmeldenNodig(Exception):
    """No valid session: the handler sends the browser to the sign-in page (303), with a reason."""

    def __init__(self, reden: str | None = None, volgende: str | None = None) -> None:
        super().__init__(reden or "")
        self.reden = reden
        self.volgende = volgende


class CsrfFout(Exception):
    """A form without the session's CSRF token, or from another origin: refused with 403."""


@dataclass(frozen=True)
class WebSessie:
    caller: Caller
    csrf: str
    prefix: str
    sessie_id: uuid.UUID  # the row of dashboard_sessie: "dit apparaat" in the session list
    naam: str = ""  # who is signed in, in words: the organisation's name, or the region's gemeenten by name

    @property
    def is_organisatie(self) -> bool:
        return self.caller.binding is Binding.organisatie

    @property
    def is_regio(self) -> bool:
        return self.caller.binding is Binding.regio

    # What the menu offers: the pages this key can open (each page checks again).
    @property
    def ziet_overzicht(self) -> bool:
        return self.caller.has(Scope.rapporteren)

    @property
    def ziet_signalen(self) -> bool:
        return self.caller.has(Scope.inzien) if self.is_organisatie else self.caller.has(Scope.signalen)

    @property
    def ziet_verhalen(self) -> bool:
        return self.caller.has(Scope.inzien) if self.is_organisatie else self.caller.has(Scope.rapporteren)

    @property
    def mag_importeren(self) -> bool:
        return self.is_organisatie and self.caller.has(Scope.registreren)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(get_settings().secret_key, salt=SALT)


def _levensduur() -> int:
    return get_settings().dashboard_sessie_minuten * 60


def lees(request: Request) -> dict[str, Any]:
    """The cookie's content when its signature and age are valid; else empty."""
    waarde = request.cookies.get(COOKIE)
    if not waarde:
        return {}
    try:
        inhoud = _serializer().loads(waarde, max_age=_levensduur())
    except BadSignature:  # also SignatureExpired, its subclass
        return {}
    return inhoud if isinstance(inhoud, dict) else {}


def schrijf(response: Response, inhoud: dict[str, Any]) -> None:
    """Set the cookie: HttpOnly, SameSite=Strict, Secure behind HTTPS, with the session's lifetime."""
    settings = get_settings()
    response.set_cookie(
        COOKIE,
        _serializer().dumps(inhoud),
        max_age=_levensduur(),
        path="/",
        httponly=True,
        samesite="strict",
        secure=(settings.public_url or "").startswith("https://") or settings.environment == "production",
    )


def wis(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")


def csrf_token(request: Request, response: Response) -> str:
    """The CSRF token of this browser; an anonymous session (no key) is started for the sign-in form."""
    inhoud = lees(request)
    token = inhoud.get("c")
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(24)
        schrijf(response, {"c": token, "t": int(time.time())})
    return str(token)


_STANDAARDPOORT = {"http": 80, "https": 443}


def _origin(scheme: str, host: str | None, poort: int | None) -> str:
    """`scheme://host[:port]` as a browser writes an Origin: lower case, no default port."""
    scheme = scheme.lower()
    naam = (host or "").lower()
    return f"{scheme}://{naam}" if poort in (None, _STANDAARDPOORT.get(scheme)) else f"{scheme}://{naam}:{poort}"


def eigen_origins(request: Request) -> set[str]:
    """The origins of this site: the one the request was made to (behind a trusted proxy: the scheme
    and host the proxy saw, app/core/proxy.py) and the configured public address, if any."""
    origins = {_origin(request.url.scheme, request.url.hostname, request.url.port)}
    if publiek := get_settings().public_url:
        url = urlsplit(publiek)
        origins.add(_origin(url.scheme, url.hostname, url.port))
    return origins


def controleer_csrf(request: Request, gegeven: str | None, verwacht: str | None) -> None:
    """The form's token must equal the session's, and a browser-sent Origin must be this site's own."""
    origin = request.headers.get("origin")
    if origin and origin != "null" and origin.rstrip("/").lower() not in eigen_origins(request):
        raise CsrfFout(f"Het formulier kwam van {origin}, niet van deze site.")
    if not gegeven or not verwacht or not hmac.compare_digest(gegeven, verwacht):
        raise CsrfFout("Het formulier is verlopen of kwam niet van deze site; laad de pagina opnieuw.")


def meld_aan(session: SessionDep, token: str, *, adres: str, user_agent: str | None) -> dict[str, Any]:
    """Check a key as the API does (401 problem otherwise), start a session row, return the cookie's content.

    Throttled per client address and per key prefix (`aanmeldpogingen`): past the limit of failures
    `TeVeelPogingen`, before the key is even looked at; a failure here is counted.
    """
    delen = split_token(token.strip())
    prefix = delen[0] if delen is not None else None
    aanmeldpogingen.controleer(session, adres=adres, prefix=prefix)
    key = lees_sleutel(session, prefix) if prefix is not None else None
    stored = key.sleutel_hash if key is not None else "0" * 64
    # Compare even when the key is unknown, so timing does not tell which prefixes exist.
    if not secret_matches(delen[1] if delen else token, stored) or key is None:
        aanmeldpogingen.noteer_mislukt(session, adres=adres, prefix=prefix)
        raise NietGeauthenticeerd("Deze API-sleutel is onbekend. Controleer of u hem volledig hebt geplakt.")
    controleer_geldig(key)
    if key.beheer:
        raise NietGeauthenticeerd(
            "Een beheersleutel geeft geen toegang tot het dashboard; gebruik de sleutel van een organisatie of regio."
        )
    rate_limiter.check(key.id, get_settings().rate_limit_per_minute, engine=teller_engine(session))
    _, sessie_token = sessieopslag.create(session, caller=caller_van(key), user_agent=user_agent)
    # A fresh CSRF token at sign-in, so a token planted before it is worthless afterwards.
    return {"p": key.prefix, "s": sessie_token, "c": secrets.token_urlsafe(24), "t": int(time.time())}


def meld_af(session: SessionDep, inhoud: dict[str, Any]) -> None:
    """End the session this cookie names, if it still runs (signing out)."""
    token, prefix = inhoud.get("s"), inhoud.get("p")
    if not isinstance(token, str) or not isinstance(prefix, str):
        return
    rij = sessieopslag.get(session, token)
    key = lees_sleutel(session, prefix)
    if rij is None or key is None or rij.api_sleutel_id != key.id or rij.beeindigd_op is not None:
        return
    sessieopslag.end(session, caller=caller_van(key), sessie_id=rij.id, einde=sessieopslag.Einde.afgemeld)


def _sessie(session: SessionDep, inhoud: dict[str, Any]) -> WebSessie:
    prefix, token = inhoud.get("p"), inhoud.get("s")
    if not isinstance(prefix, str) or not isinstance(token, str):
        # A cookie from before server-side sessions (prefix and fingerprint): its session is not known.
        raise AanmeldenNodig("Uw sessie is verlopen; meld u opnieuw aan.")
    # Read on every request, in a short session of its own (as the key: an upload may stream after it).
    rij = kort_lezen(session, lambda eigen: sessieopslag.get(eigen, token))
    nu = utcnow()
    if rij is None:
        raise AanmeldenNodig("Uw sessie bestaat niet meer; meld u opnieuw aan.")
    if reden := sessieopslag.reden_ongeldig(rij, nu):
        raise AanmeldenNodig(reden)
    key = lees_sleutel(session, prefix)
    if key is None or key.id != rij.api_sleutel_id:
        raise AanmeldenNodig("Uw sessie hoort bij een sleutel die niet meer bestaat; meld u opnieuw aan.")
    try:
        controleer_geldig(key)
        rate_limiter.check(key.id, get_settings().rate_limit_per_minute, engine=teller_engine(session))
    except NietGeauthenticeerd as exc:
        raise AanmeldenNodig(exc.detail) from None
    bind = session.get_bind()
    # Last use, at most once a minute, beside the request (a read request takes no write slot for it).
    if nu - rij.laatst_gezien_op >= sessieopslag.GEZIEN_RESOLUTIE and isinstance(bind, Engine):
        gebruik.schrijf(bind.engine, rij.id, sessieopslag.gezien_statement(rij.id, nu))
    caller = caller_van(key)
    return WebSessie(caller=caller, csrf=str(inhoud.get("c", "")), prefix=key.prefix, sessie_id=rij.id,
                     naam=_naam(session, caller, key.organisatie_naam))


def _naam(session: SessionDep, caller: Caller, organisatie_naam: str | None) -> str:
    """'Stichting Brug Utrecht', or 'Regio Utrecht (GM0344), Amersfoort (GM0307)': names next to codes.

    The organisation's name comes with its key (cached like the key); gemeente names from the code list
    (cached like every code list), so the header costs a page no query."""
    from app.codelijsten import service as codelijsten

    if caller.organisatie_id is not None:
        return organisatie_naam or "Organisatie"
    namen = codelijsten.labels(session, lijst=codelijsten.GEMEENTE)
    return "Regio " + ", ".join(f"{namen.get(g, g)} ({g})" for g in caller.gemeentecodes)


def geldige_sessie(request: Request, session: SessionDep) -> WebSessie | None:
    """The signed-in person's session if the cookie names a running one (for pages open to everyone)."""
    inhoud = lees(request)
    if not inhoud.get("p"):
        return None
    try:
        return _sessie(session, inhoud)
    except AanmeldenNodig:
        return None


async def web_sessie(request: Request, session: SessionDep) -> WebSessie:
    """The signed-in person's caller, checked again on every request; else to the sign-in page."""
    inhoud = lees(request)
    if not inhoud.get("p"):
        volgende = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise AanmeldenNodig(volgende=volgende if request.method == "GET" else None)
    return await run_in_threadpool(_sessie, session, inhoud)


SessieDep = Annotated[WebSessie, Depends(web_sessie)]
