"""The audit trail: one row per write, naming the key, the action and the resource, never values."""

import uuid
from collections.abc import Iterable

from sqlmodel import Session

from app.models import AuditRegel
from app.toegang.caller import Caller


def log(
    session: Session,
    *,
    caller: Caller,
    actie: str,
    resource_type: str,
    resource_id: uuid.UUID | str | None = None,
    velden: Iterable[str] = (),
    organisatie_id: uuid.UUID | None = None,
    aantal: int | None = None,
) -> None:
    """Record one write in the caller's transaction, so it exists exactly when the write does."""
    session.add(
        AuditRegel(
            api_sleutel_id=caller.sleutel_id,
            organisatie_id=organisatie_id or caller.organisatie_id,
            actie=actie,
            resource_type=resource_type,
            resource_id=str(resource_id) if resource_id is not None else None,
            velden=sorted(velden),
            aantal=aantal,
        )
    )
