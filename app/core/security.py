"""Token and pseudonym primitives: API key generation and hashing, resident-reference HMAC."""

import functools
import hashlib
import hmac
import secrets
import uuid

TOKEN_PREFIX = "smk"


def new_token() -> tuple[str, str, str]:
    """Return (token, visible prefix, sha256 of the secret part); the token is shown once."""
    prefix = f"{TOKEN_PREFIX}_{secrets.token_hex(4)}"
    secret = secrets.token_urlsafe(32)  # 256 bits of entropy
    return f"{prefix}_{secret}", prefix, hash_secret(secret)


def hash_secret(secret: str) -> str:
    # A 256-bit random secret needs no slow hash: brute force is already out of reach.
    return hashlib.sha256(secret.encode()).hexdigest()


def split_token(token: str) -> tuple[str, str] | None:
    """Split `smk_xxxxxxxx_secret` into (prefix, secret); None when it is not of that form."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or len(parts[1]) != 8 or not parts[2]:
        return None
    return f"{parts[0]}_{parts[1]}", parts[2]


def secret_matches(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), stored_hash)


# Derived once per organisation: an import pseudonymises a million references with the same key.
@functools.lru_cache(maxsize=4096)
def organisation_key(server_secret: str, organisatie_id: uuid.UUID) -> bytes:
    """Per-organisation HMAC key, derived from the server secret (HKDF-like, one block)."""
    return hmac.new(server_secret.encode(), b"inwoner:" + organisatie_id.bytes, hashlib.sha256).digest()


def pseudonymise(server_secret: str, organisatie_id: uuid.UUID, referentie: str) -> str:
    """HMAC-SHA256 of a resident reference under the organisation's key (hex)."""
    normalised = referentie.strip()
    return hmac.new(
        organisation_key(server_secret, organisatie_id), normalised.encode(), hashlib.sha256
    ).hexdigest()
