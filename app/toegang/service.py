"""API key life cycle (create with the token shown once, list, revoke) and reading the audit trail."""

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import update
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.core.errors import NietGevonden, OngeldigeInvoer
from app.core.security import new_token
from app.core.validation import vandaag
from app.models import ApiSleutel, AuditRegel, DashboardSessie, Organisatie
from app.organisaties import service as organisaties
from app.toegang import audit, scoping
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
    binding, problems = binding_problemen(session, scopes=scopes, organisatie_id=organisatie_id,
                                          gemeentecodes=gemeentecodes, beheer=beheer)
    if verloopt_op is not None and verloopt_op < vandaag():
        problems.append({"name": "verlooptOp", "reason": "De vervaldatum ligt in het verleden."})
    if problems:
        n = len(problems)
        raise OngeldigeInvoer(
            problems[0]["reason"] if n == 1 else f"De invoer bevat {n} fouten; zie invalidParams.",
            invalid_params=problems,
        )
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
    assert binding is not None  # no problems means exactly one binding was chosen
    bound_by = {Binding.organisatie: "organisatieId", Binding.regio: "gemeentecodes", Binding.beheer: "beheer"}
    velden = ["naam", "scopes", bound_by[binding]] + (["verlooptOp"] if verloopt_op else [])
    audit.log(session, caller=caller, actie="aangemaakt", resource_type="api-sleutel",
              resource_id=key.id, organisatie_id=organisatie_id, velden=velden)
    return key, token


def binding_problemen(
    session: Session,
    *,
    scopes: list[Scope],
    organisatie_id: uuid.UUID | None = None,
    gemeentecodes: list[str] | None = None,
    beheer: bool = False,
) -> tuple[Binding | None, list[dict[str, str]]]:
    """The binding these fields make and what is wrong with them (also for SSO mappings, app/sso)."""
    problems: list[dict[str, str]] = []
    bindings = [organisatie_id is not None, bool(gemeentecodes), beheer]
    binding: Binding | None = None
    if sum(bindings) != 1:
        problems.append({
            "name": "binding",
            "reason": "Kies precies een binding: een organisatie, een regio (gemeentecodes) of beheer.",
        })
    else:
        binding = Binding.organisatie if organisatie_id else Binding.regio if gemeentecodes else Binding.beheer
    if not scopes:
        problems.append({"name": "scopes", "reason": "Geef minstens een scope."})
    elif binding is not None:
        not_allowed = sorted(s.value for s in set(scopes) - ALLOWED_SCOPES[binding])
        if not_allowed:
            allowed = ", ".join(sorted(s.value for s in ALLOWED_SCOPES[binding]))
            problems.append({
                "name": "scopes",
                "reason": f"Scope {', '.join(not_allowed)} past niet bij binding {binding.value}; toegestaan: {allowed}.",
            })
    if gemeentecodes:
        problems += organisaties.check_gemeentecodes(gemeentecodes)
    if organisatie_id is not None:
        organisatie = session.get(Organisatie, organisatie_id)
        if organisatie is None or not organisatie.actief:
            problems.append({
                "name": "organisatieId",
                "reason": f"Organisatie {organisatie_id} bestaat niet of is gedeactiveerd.",
            })
    return binding, problems


def keys_query(*, organisatie_id: uuid.UUID | None = None) -> SelectOfScalar[ApiSleutel]:
    """Select all keys, newest first (id as tiebreaker), optionally of one organisation."""
    statement = select(ApiSleutel).order_by(ApiSleutel.aangemaakt_op.desc(), ApiSleutel.id)  # type: ignore[attr-defined]
    if organisatie_id is not None:
        statement = statement.where(ApiSleutel.organisatie_id == organisatie_id)
    return statement


def list_keys(session: Session, *, organisatie_id: uuid.UUID | None = None) -> list[ApiSleutel]:
    """All keys, newest first, optionally of one organisation."""
    return list(session.exec(keys_query(organisatie_id=organisatie_id)).all())


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
    """Revoke a key and end its dashboard sessions; revoking twice keeps the first moment."""
    if key.ingetrokken_op is None:
        key.ingetrokken_op = datetime.now(UTC)
        session.add(key)
        session.flush()
        # The key check ends them too, but a session row read by another process must say so at once,
        # and the key's session list must tell why they ended.
        session.exec(update(DashboardSessie)  # type: ignore[call-overload]
                     .where(col(DashboardSessie.api_sleutel_id) == key.id, col(DashboardSessie.beeindigd_op).is_(None),
                            col(DashboardSessie.verloopt_op) > key.ingetrokken_op)
                     .values(beeindigd_op=key.ingetrokken_op, einde="ingetrokken"))
        audit.log(session, caller=caller, actie="ingetrokken", resource_type="api-sleutel",
                  resource_id=key.id, organisatie_id=key.organisatie_id, velden=["ingetrokkenOp"])
    return key


def audit_query(
    *,
    caller: Caller,
    vanaf: datetime | None = None,
    tot: datetime | None = None,
    actie: str | None = None,
    resource_type: str | None = None,
    resource_id: str | None = None,
    api_sleutel_id: uuid.UUID | None = None,
    organisatie_id: uuid.UUID | None = None,
) -> SelectOfScalar[AuditRegel]:
    """Audit rows the caller may see (administrators: all; others: their organisation), newest first."""
    statement = select(AuditRegel)
    if caller.binding is not Binding.beheer:
        statement = scoping.eigen(statement, AuditRegel, caller)
    filters = [
        (AuditRegel.actie, actie),
        (AuditRegel.resource_type, resource_type),
        (AuditRegel.resource_id, resource_id),
        (AuditRegel.api_sleutel_id, api_sleutel_id),
        (AuditRegel.organisatie_id, organisatie_id),
    ]
    for column, value in filters:
        if value is not None:
            statement = statement.where(column == value)
    if vanaf is not None:
        statement = statement.where(AuditRegel.tijdstip >= vanaf)
    if tot is not None:
        statement = statement.where(AuditRegel.tijdstip < tot)
    return statement.order_by(AuditRegel.tijdstip.desc(), AuditRegel.id.desc())  # type: ignore[attr-defined, union-attr]
