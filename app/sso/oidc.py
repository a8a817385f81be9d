"""The OpenID Connect relying party: discovery, the authorization request, the code exchange, the ID token.

Authlib builds the authorization request (code flow, PKCE S256, `state`, `nonce`) and exchanges the code
(`requests_client.OAuth2Session`, client_secret_basic); joserfc (Authlib's JOSE library) verifies the ID token's signature
against the provider's JWKS, and Authlib's `CodeIDToken` checks iss, aud, exp, iat, nonce, azp and at_hash.

The discovery document and the JWKS are cached per process for `CACHE_SECONDEN` (a short, documented
lifetime, as DOMAIN.md allows); an ID token signed with an unknown key id fetches the JWKS once more
(key rotation). Any failure to reach the provider is `IdpOnbereikbaar` (the page answers 503 with
Retry-After), never a 500.
"""

import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

import httpx
import requests
from authlib.common.urls import add_params_to_uri
from authlib.integrations.requests_client import OAuth2Session, OAuthError
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

from app.core.config import Settings, get_settings

CACHE_SECONDEN = 600
TIMEOUT_SECONDEN = 10.0
# Only asymmetric signatures: `none` and HS256 (keyed with the client secret, or worse, the public key) are
# refused whatever the discovery document offers.
ALGORITMES = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")
TERUG_PAD = "/sso/terug"
AFGEMELD_PAD = "/sso/afgemeld"


class IdpOnbereikbaar(Exception):
    """The identity provider did not answer (or answered nonsense) when the service asked it something."""


class OngeldigAntwoord(Exception):
    """What came back from the provider or the browser fails a check (state, iss, code, ID token)."""


@dataclass(frozen=True)
class Aanvraag:
    """A started sign-in: the URL to send the browser to, and what the browser must bring back."""

    url: str
    state: str
    nonce: str
    code_verifier: str


class _Cache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waarden: dict[str, tuple[float, Any]] = {}

    def get(self, sleutel: str) -> Any | None:
        with self._lock:
            gevonden = self._waarden.get(sleutel)
        if gevonden is None or gevonden[0] < time.monotonic():
            return None
        return gevonden[1]

    def put(self, sleutel: str, waarde: Any) -> None:
        with self._lock:
            self._waarden[sleutel] = (time.monotonic() + CACHE_SECONDEN, waarde)

    def clear(self) -> None:
        with self._lock:
            self._waarden.clear()


cache = _Cache()


def _get_json(url: str) -> dict[str, Any]:
    try:
        antwoord = httpx.get(url, timeout=TIMEOUT_SECONDEN, follow_redirects=False)
        antwoord.raise_for_status()
        inhoud = antwoord.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise IdpOnbereikbaar(f"{url}: {type(exc).__name__}") from None
    if not isinstance(inhoud, dict):
        raise IdpOnbereikbaar(f"{url}: geen JSON-object")
    return inhoud


def metadata(settings: Settings | None = None) -> dict[str, Any]:
    """The provider's discovery document (cached); its issuer must be the configured one exactly."""
    settings = settings or get_settings()
    issuer = (settings.sso_issuer or "").rstrip("/")
    if (gevonden := cache.get(f"metadata:{issuer}")) is not None:
        return gevonden  # type: ignore[no-any-return]
    document = _get_json(f"{issuer}/.well-known/openid-configuration")
    if str(document.get("issuer", "")).rstrip("/") != issuer:
        raise IdpOnbereikbaar("de issuer in het discovery-document is een andere dan ingesteld")
    for veld in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(document.get(veld), str):
            raise IdpOnbereikbaar(f"het discovery-document mist {veld}")
    cache.put(f"metadata:{issuer}", document)
    return document


def _jwks(document: dict[str, Any], *, opnieuw: bool = False) -> KeySet:
    sleutel = f"jwks:{document['jwks_uri']}"
    waarde = None if opnieuw else cache.get(sleutel)
    if waarde is None:
        waarde = _get_json(document["jwks_uri"])
        cache.put(sleutel, waarde)
    try:
        return KeySet.import_key_set(waarde)
    except (JoseError, ValueError, TypeError, KeyError) as exc:
        raise IdpOnbereikbaar(f"JWKS onbruikbaar: {type(exc).__name__}") from None


def redirect_uri(settings: Settings | None = None) -> str:
    settings = settings or get_settings()
    return f"{settings.sso_redirect_url_basis}{TERUG_PAD}"


def _client(settings: Settings) -> OAuth2Session:
    geheim = settings.sso_client_secret.get_secret_value() if settings.sso_client_secret else None
    return OAuth2Session(
        client_id=settings.sso_client_id, client_secret=geheim, scope=settings.sso_scopes,
        redirect_uri=redirect_uri(settings), code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_basic",
    )


def start() -> Aanvraag:
    """A fresh authorization request: new state, nonce and PKCE verifier every time (never taken from input)."""
    settings = get_settings()
    document = metadata(settings)
    state, nonce, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(32), secrets.token_urlsafe(48)
    with _client(settings) as client:
        url, _ = client.create_authorization_url(
            document["authorization_endpoint"], state=state, nonce=nonce, code_verifier=verifier,
        )
    return Aanvraag(url=url, state=state, nonce=nonce, code_verifier=verifier)


def wissel_code(*, code: str, code_verifier: str, nonce: str, iss: str | None) -> tuple[dict[str, Any], str]:
    """Exchange the code (once: the provider refuses a replay) and verify the ID token; its claims and raw form."""
    settings = get_settings()
    document = metadata(settings)
    # RFC 9207: when the provider names itself in the response, it must be the one we asked (mix-up defence).
    if iss is not None and iss.rstrip("/") != str(document["issuer"]).rstrip("/"):
        raise OngeldigAntwoord("het antwoord kwam van een andere identity provider")
    try:
        with _client(settings) as client:
            token = client.fetch_token(document["token_endpoint"], code=code, code_verifier=code_verifier,
                                       grant_type="authorization_code", timeout=TIMEOUT_SECONDEN)
    except requests.RequestException as exc:
        raise IdpOnbereikbaar(f"token endpoint: {type(exc).__name__}") from None
    except (OAuthError, ValueError) as exc:  # the provider refused the code (used, expired, wrong client)
        reden = getattr(exc, "error", None) or type(exc).__name__
        raise OngeldigAntwoord(f"de identity provider weigerde de code ({reden})") from None
    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        raise OngeldigAntwoord("het antwoord van de identity provider bevat geen ID-token")
    claims = controleer_id_token(id_token, document=document, nonce=nonce, access_token=token.get("access_token"))
    groepen_claim = settings.sso_groepen_claim
    if groepen_claim not in claims and isinstance(document.get("userinfo_endpoint"), str) and token.get("access_token"):
        claims = {**claims, groepen_claim: _userinfo(document, token["access_token"], claims["sub"]).get(groepen_claim)}
    return claims, id_token


def controleer_id_token(id_token: str, *, document: dict[str, Any], nonce: str,
                        access_token: str | None = None) -> dict[str, Any]:
    """Signature (provider's JWKS, asymmetric algorithms only), then iss, aud, exp, iat, nonce, azp, at_hash."""
    settings = get_settings()
    aangeboden = document.get("id_token_signing_alg_values_supported") or ["RS256"]
    registry = JWSRegistry(algorithms=[a for a in aangeboden if a in ALGORITMES] or ["RS256"])
    try:
        try:
            token = jwt.decode(id_token, _jwks(document), registry=registry)
        except InvalidKeyIdError:
            token = jwt.decode(id_token, _jwks(document, opnieuw=True), registry=registry)
        params: dict[str, Any] = {"nonce": nonce, "client_id": settings.sso_client_id}
        if access_token:
            params["access_token"] = access_token
        claims = CodeIDToken(token.claims, token.header,
                             {"iss": {"essential": True, "values": [document["issuer"]]},
                              "aud": {"essential": True, "values": [settings.sso_client_id]},
                              "sub": {"essential": True}, "exp": {"essential": True}},
                             params)
        claims.validate(leeway=60)
    except (JoseError, ValueError, TypeError, KeyError) as exc:  # bad signature, wrong audience, old token, garbage
        raise OngeldigAntwoord(f"het ID-token is ongeldig ({type(exc).__name__})") from None
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise OngeldigAntwoord("het ID-token noemt geen gebruiker (sub)")
    return dict(claims)


def _userinfo(document: dict[str, Any], access_token: str, sub: str) -> dict[str, Any]:
    try:
        antwoord = httpx.get(document["userinfo_endpoint"], headers={"Authorization": f"Bearer {access_token}"},
                             timeout=TIMEOUT_SECONDEN)
        antwoord.raise_for_status()
        inhoud = antwoord.json()
    except (httpx.HTTPError, ValueError):
        raise IdpOnbereikbaar("userinfo endpoint") from None
    # OIDC Core 5.3.2: the userinfo `sub` must be the ID token's, or the response is not for this person.
    if not isinstance(inhoud, dict) or inhoud.get("sub") != sub:
        raise OngeldigAntwoord("userinfo hoort bij een andere gebruiker")
    return inhoud


def afmeld_url(id_token: str | None) -> str | None:
    """RP-initiated logout at the provider (end_session_endpoint), or None when it has none."""
    settings = get_settings()
    try:
        document = metadata(settings)
    except IdpOnbereikbaar:
        return None
    eindpunt = document.get("end_session_endpoint")
    if not isinstance(eindpunt, str):
        return None
    params = {"post_logout_redirect_uri": f"{settings.sso_redirect_url_basis}{AFGEMELD_PAD}",
              "client_id": settings.sso_client_id or ""}
    if id_token:
        params["id_token_hint"] = id_token
    return add_params_to_uri(eindpunt, params)  # type: ignore[no-any-return]
