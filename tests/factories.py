"""Small builders for test data: make_<x>(session, **overrides), flushed, not committed."""

import uuid
from datetime import date
from typing import Any

from sqlmodel import Session

from app.models import Ketenpartner, Organisatie, Sleutelpersoon
from app.toegang import service as toegang
from app.toegang.caller import Scope, cli_caller


def make_organisatie(session: Session, **overrides: Any) -> Organisatie:
    values: dict[str, Any] = {
        "naam": f"Organisatie {uuid.uuid4().hex[:6]}",
        "soort": "welzijnsorganisatie",
        "gemeentecodes": ["GM0344"],
    }
    values.update(overrides)
    organisatie = Organisatie(**values)
    session.add(organisatie)
    session.flush()
    return organisatie


def make_key(
    session: Session,
    *,
    organisatie: Organisatie | None = None,
    scopes: tuple[str, ...] = ("registreren", "rapporteren"),
    gemeentecodes: list[str] | None = None,
    beheer: bool = False,
    **overrides: Any,
) -> dict[str, str]:
    """Create a key and return the request headers that carry it."""
    key, token = toegang.create_key(
        session,
        caller=cli_caller(),
        naam=overrides.pop("naam", "testsleutel"),
        scopes=[Scope(s) for s in scopes],
        organisatie_id=organisatie.id if organisatie else None,
        gemeentecodes=gemeentecodes,
        beheer=beheer,
        **overrides,
    )
    return {"Authorization": f"Bearer {token}"}


def make_sleutelpersoon(session: Session, organisatie: Organisatie, **overrides: Any) -> Sleutelpersoon:
    values: dict[str, Any] = {
        "organisatie_id": organisatie.id,
        "weergavenaam": f"Sleutelpersoon {uuid.uuid4().hex[:6]}",
        "talen": ["ar", "nl"],
        "rollen": ["bemiddelaar"],
        "dienstverband": "vrijwilliger",
        "actief_vanaf": date(2023, 1, 1),
        "gemeentecode": organisatie.gemeentecodes[0] if organisatie.gemeentecodes else "GM0344",
    }
    values.update(overrides)
    persoon = Sleutelpersoon(**values)
    session.add(persoon)
    session.flush()
    return persoon


def make_ketenpartner(session: Session, organisatie: Organisatie, **overrides: Any) -> Ketenpartner:
    values: dict[str, Any] = {
        "organisatie_id": organisatie.id,
        "naam": f"Ketenpartner {uuid.uuid4().hex[:6]}",
        "categorie": "schuldhulpverlening",
        "gemeentecode": organisatie.gemeentecodes[0] if organisatie.gemeentecodes else None,
    }
    values.update(overrides)
    partner = Ketenpartner(**values)
    session.add(partner)
    session.flush()
    return partner
