"""API key life cycle: create (token shown once), list, revoke."""

import uuid
from datetime import UTC, date, datetime

from sqlmodel import Session, select

from app.core.errors import NietGevonden, OngeldigeInvoer
from app.core.security import new_token
from app.models import ApiSleutel, Organisatie
from app.toegang import audit
from app.toegang.caller import ALLOWED_SCOPES, Binding, Caller, Scope


def create_key(
    session: Session,
    *,
    caller: Caller,
    naam: str,
    scopes: list[Scope],
    organisatie_id: uuid.UUID | None = None,
    gemeentecodes: list[str] | None = None,
    beheer: bool = False,
    verloopt_op: date | None = None,
) -> tuple[ApiSleutel, str]:
    """Create a key bound to exactly one of: an organisation, a set of gemeentecodes, or beheer."""
    bindings = [organisatie_id is not None, bool(gemeentecodes), beheer]
    if sum(bindings) != 1:
        raise OngeldigeInvoer.veld(
            "binding", "Kies precies een binding: een organisatie, een regio (gemeentecodes) of beheer."
        )
    binding = Binding.organisatie if organisatie_id else Binding.regio if gemeentecodes else Binding.beheer
    if not scopes:
        raise OngeldigeInvoer.veld("scopes", "Geef minstens een scope.")
    not_allowed = sorted(s.value for s in set(scopes) - ALLOWED_SCOPES[binding])
    if not_allowed:
        allowed = ", ".join(sorted(s.value for s in ALLOWED_SCOPES[binding]))
        raise OngeldigeInvoer.veld(
            "scopes", f"Scope {', '.join(not_allowed)} past niet bij binding {binding.value}; toegestaan: {allowed}."
        )
    if verloopt_op is not None and verloopt_op < datetime.now(UTC).date():
        raise OngeldigeInvoer.veld("verlooptOp", "De vervaldatum ligt in het verleden.")
    if organisatie_id is not None:
        organisatie = session.get(Organisatie, organisatie_id)
        if organisatie is None or not organisatie.actief:
            raise NietGevonden(f"Organisatie {organisatie_id} bestaat niet of is gedeactiveerd.")
    token, prefix, secret_hash = new_token()
    key = ApiSleutel(
        prefix=prefix,
        sleutel_hash=secret_hash,
        naam=naam,
        scopes=sorted(s.value for s in set(scopes)),
        organisatie_id=organisatie_id,
        gemeentecodes=sorted(set(gemeentecodes or [])),
        beheer=beheer,
        verloopt_op=verloopt_op,
    )
    session.add(key)
    session.flush()
    audit.log(session, caller=caller, actie="aangemaakt", resource_type="api-sleutel",
              resource_id=key.id, organisatie_id=organisatie_id)
    return key, token


def list_keys(session: Session, *, organisatie_id: uuid.UUID | None = None) -> list[ApiSleutel]:
    """All keys, newest first, optionally of one organisation."""
    statement = select(ApiSleutel).order_by(ApiSleutel.aangemaakt_op.desc(), ApiSleutel.id)  # type: ignore[attr-defined]
    if organisatie_id is not None:
        statement = statement.where(ApiSleutel.organisatie_id == organisatie_id)
    return list(session.exec(statement).all())


def get_key(session: Session, *, key_id_or_prefix: str) -> ApiSleutel:
    """Find a key by id or by its visible prefix."""
    try:
        key = session.get(ApiSleutel, uuid.UUID(key_id_or_prefix))
    except ValueError:
        key = session.exec(select(ApiSleutel).where(ApiSleutel.prefix == key_id_or_prefix)).first()
    if key is None:
        raise NietGevonden(f"API-sleutel {key_id_or_prefix} bestaat niet.")
    return key


def revoke_key(session: Session, *, caller: Caller, key: ApiSleutel) -> ApiSleutel:
    """Revoke a key; revoking twice keeps the first moment."""
    if key.ingetrokken_op is None:
        key.ingetrokken_op = datetime.now(UTC)
        session.add(key)
        session.flush()
        audit.log(session, caller=caller, actie="ingetrokken", resource_type="api-sleutel",
                  resource_id=key.id, organisatie_id=key.organisatie_id, velden=["ingetrokkenOp"])
    return key
