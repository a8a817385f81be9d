"""The dashboard's session: a signed cookie that names the API key, never holds it, and a CSRF token.

A browser cannot send the `Authorization` header on a link or a form, so the dashboard signs a person
in with their API key once and then carries a session cookie. The cookie is signed (itsdangerous) and
readable by its holder, so it holds only what its holder may know and what is useless elsewhere: the
key's prefix, a keyed fingerprint of the key's stored hash (the raw key is never in it, nor in any log
line that prints cookies), a CSRF token and the sign-in time. Every request reads the key again
(cached for `caches.SLEUTELS_SECONDEN`, emptied by a revocation in this process) and applies the same
checks as the API, so revoking or expiring a key ends its sessions on their next request.
"""

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.core.config import get_settings
from app.core.db import SessionDep
from app.core.errors import NietGeauthenticeerd
from app.core.security import secret_matches, split_token
from app.toegang.caller import Binding, Caller, Scope
from app.toegang.dependencies import caller_van, controleer_geldig, lees_sleutel, rate_limiter

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


def _vingerafdruk(sleutel_hash: str) -> str:
    """Binds the session to this exact key without putting anything key-derived in the clear."""
    geheim = get_settings().secret_key.encode()
    return hmac.new(geheim, b"dashboard:" + sleutel_hash.encode(), hashlib.sha256).hexdigest()[:32]


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


def meld_aan(session: SessionDep, token: str) -> dict[str, Any]:
    """Check a key as the API does (401 problem otherwise) and return the content of a new session."""
    delen = split_token(token.strip())
    key = lees_sleutel(session, delen[0]) if delen is not None else None
    stored = key.sleutel_hash if key is not None else "0" * 64
    # Compare even when the key is unknown, so timing does not tell which prefixes exist.
    if not secret_matches(delen[1] if delen else token, stored) or key is None:
        raise NietGeauthenticeerd("Deze API-sleutel is onbekend. Controleer of u hem volledig hebt geplakt.")
    controleer_geldig(key)
    if key.beheer:
        raise NietGeauthenticeerd(
            "Een beheersleutel geeft geen toegang tot het dashboard; gebruik de sleutel van een organisatie of regio."
        )
    rate_limiter.check(key.id, get_settings().rate_limit_per_minute)
    # A fresh CSRF token at sign-in, so a token planted before it is worthless afterwards.
    return {"p": key.prefix, "f": _vingerafdruk(key.sleutel_hash), "c": secrets.token_urlsafe(24), "t": int(time.time())}


def _sessie(session: SessionDep, inhoud: dict[str, Any]) -> WebSessie:
    prefix, vingerafdruk = inhoud.get("p"), inhoud.get("f")
    if not isinstance(prefix, str) or not isinstance(vingerafdruk, str):
        raise AanmeldenNodig()
    key = lees_sleutel(session, prefix)
    if key is None or not hmac.compare_digest(_vingerafdruk(key.sleutel_hash), vingerafdruk):
        raise AanmeldenNodig("Uw sessie hoort bij een sleutel die niet meer bestaat; meld u opnieuw aan.")
    try:
        controleer_geldig(key)
        rate_limiter.check(key.id, get_settings().rate_limit_per_minute)
    except NietGeauthenticeerd as exc:
        raise AanmeldenNodig(exc.detail) from None
    return WebSessie(caller=caller_van(key), csrf=str(inhoud.get("c", "")), prefix=key.prefix)


async def web_sessie(request: Request, session: SessionDep) -> WebSessie:
    """The signed-in person's caller, checked again on every request; else to the sign-in page."""
    inhoud = lees(request)
    if not inhoud.get("p"):
        volgende = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise AanmeldenNodig(volgende=volgende if request.method == "GET" else None)
    return await run_in_threadpool(_sessie, session, inhoud)


SessieDep = Annotated[WebSessie, Depends(web_sessie)]
