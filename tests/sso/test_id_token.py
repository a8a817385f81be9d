"""The ID token check on its own: signature, algorithm, iss, aud, exp and nonce (tokens made here with joserfc).

The sign-in tests cover tokens of the real provider; these make the tokens a hostile or broken provider
(or someone in the middle) could send, which a certified provider never does.
"""

import base64
import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey

from app.core.config import get_settings
from app.sso import oidc

ISSUER = "https://idp.example"
CLIENT = "sleutelmonitor"
JWKS_URI = f"{ISSUER}/jwks"
DOCUMENT = {"issuer": ISSUER, "jwks_uri": JWKS_URI, "id_token_signing_alg_values_supported": ["RS256", "HS256", "none"]}
SLEUTEL = RSAKey.generate_key(2048, parameters={"kid": "k1"}, private=True)


@pytest.fixture(autouse=True)
def instellingen(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for naam, waarde in {"SSO_ISSUER": ISSUER, "SSO_CLIENT_ID": CLIENT, "SSO_CLIENT_SECRET": "client-geheim-dat-lang-genoeg-is-0123456789",
                         "SSO_REDIRECT_BASIS": "https://monitor.example"}.items():
        monkeypatch.setenv(f"SLEUTELMONITOR_{naam}", waarde)
    get_settings.cache_clear()
    oidc.cache.clear()
    # The provider's published keys, as fetched from its jwks_uri (only the public half).
    oidc.cache.put(f"jwks:{JWKS_URI}", {"keys": [SLEUTEL.as_dict(private=False)]})
    yield
    oidc.cache.clear()
    monkeypatch.undo()
    get_settings.cache_clear()


def _claims(**anders: Any) -> dict[str, Any]:
    nu = int(time.time())
    return {"iss": ISSUER, "aud": CLIENT, "sub": "persoon-1", "iat": nu, "exp": nu + 300, "nonce": "n1", **anders}


def _token(claims: dict[str, Any], *, alg: str = "RS256", sleutel: Any = SLEUTEL) -> str:
    return jwt.encode({"alg": alg, "kid": "k1"}, claims, sleutel, algorithms=[alg])


def _controleer(token: str, nonce: str = "n1") -> dict[str, Any]:
    return oidc.controleer_id_token(token, document=DOCUMENT, nonce=nonce)


def test_geldig_token() -> None:
    assert _controleer(_token(_claims()))["sub"] == "persoon-1"


@pytest.mark.parametrize("claims", [
    _claims(iss="https://andere-idp.example"),
    _claims(aud="een-andere-client"),
    _claims(exp=int(time.time()) - 3600, iat=int(time.time()) - 7200),
    _claims(nonce="n2"),
    {k: v for k, v in _claims().items() if k != "nonce"},
    {k: v for k, v in _claims().items() if k != "sub"},
], ids=["iss", "aud", "verlopen", "nonce", "zonder-nonce", "zonder-sub"])
def test_verkeerde_claims_geweigerd(claims: dict[str, Any]) -> None:
    with pytest.raises(oidc.OngeldigAntwoord):
        _controleer(_token(claims))


def test_andere_sleutel_geweigerd() -> None:
    vreemd = RSAKey.generate_key(2048, parameters={"kid": "k1"}, private=True)
    with pytest.raises(oidc.OngeldigAntwoord):
        _controleer(_token(_claims(), sleutel=vreemd))


def test_hs256_met_het_clientgeheim_geweigerd() -> None:
    """Algorithm confusion: a token 'signed' with the client secret (or the public key) as an HMAC key."""
    with pytest.raises(oidc.OngeldigAntwoord):
        _controleer(_token(_claims(), alg="HS256", sleutel=OctKey.import_key("client-geheim-dat-lang-genoeg-is-0123456789")))


def test_alg_none_geweigerd() -> None:
    def deel(waarde: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(waarde).encode()).rstrip(b"=").decode()

    with pytest.raises(oidc.OngeldigAntwoord):
        _controleer(f"{deel({'alg': 'none'})}.{deel(_claims())}.")


def test_gewijzigde_inhoud_geweigerd() -> None:
    kop, _, handtekening = _token(_claims()).split(".")
    inhoud = base64.urlsafe_b64encode(json.dumps(_claims(sub="beheerder")).encode()).rstrip(b"=").decode()
    with pytest.raises(oidc.OngeldigAntwoord):
        _controleer(f"{kop}.{inhoud}.{handtekening}")
