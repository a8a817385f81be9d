"""Builders for contactmomenten and helpers for their tests; reusable by other domains' tests."""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from app.contactmomenten import service as contactmomenten
from app.models import (
    AuditRegel,
    Contactmoment,
    ContactmomentActie,
    ContactmomentOnderwerp,
    Doorverwijzing,
    DoorverwijzingStatus,
    Ketenpartner,
    Organisatie,
    Sleutelpersoon,
    Uitkomst,
)
from tests.factories import make_ketenpartner, make_key, make_organisatie, make_sleutelpersoon

DATUM = date(2025, 3, 14)


def make_contactmoment(
    session: Session,
    organisatie: Organisatie,
    sleutelpersoon: Sleutelpersoon,
    *,
    onderwerpen: tuple[str, ...] | list[str] = ("geld.toeslagen",),
    acties: tuple[str, ...] | list[str] = (),
    doorverwijzingen: tuple[dict[str, Any], ...] | list[dict[str, Any]] = (),
    uitkomst: str | None = None,
    inwoner_referentie: str | None = None,
    **overrides: Any,
) -> Contactmoment:
    """A contactmoment with children, written directly (flushed, not committed).

    `doorverwijzingen` holds dicts with `ketenpartner` (a Ketenpartner) and optionally `onderwerp`,
    `wijze`, `status`, `status_datum`; each gets its initial history row. `uitkomst` is a resultaat
    code, recorded on the contactmoment's date. `inwoner_referentie` is pseudonymised as the API does.
    """
    values: dict[str, Any] = {
        "organisatie_id": organisatie.id,
        "sleutelpersoon_id": sleutelpersoon.id,
        "datum": DATUM,
        "gemeentecode": organisatie.gemeentecodes[0] if organisatie.gemeentecodes else "GM0344",
        "kanaal": "persoonlijk",
        "soort": "individueel",
        "aantal_deelnemers": 1,
        "inhoud_hash": "",
    }
    if inwoner_referentie is not None:
        values["inwoner_hash"] = contactmomenten.referentie_hash(
            organisatie_id=organisatie.id, referentie=inwoner_referentie
        )
    values.update(overrides)
    record = Contactmoment(**values)
    session.add(record)
    session.flush()
    for onderwerp in onderwerpen:
        session.add(ContactmomentOnderwerp(contactmoment_id=record.id, onderwerp=onderwerp))
    for actie in acties:
        session.add(ContactmomentActie(contactmoment_id=record.id, actie=actie))
    verwijzingen = []
    for spec in doorverwijzingen:
        partner: Ketenpartner = spec["ketenpartner"]
        verwijzingen.append(
            Doorverwijzing(
                organisatie_id=organisatie.id,
                contactmoment_id=record.id,
                ketenpartner_id=partner.id,
                onderwerp=spec.get("onderwerp"),
                wijze=spec.get("wijze", "warm"),
                status=spec.get("status", "verwezen"),
                status_datum=spec.get("status_datum", record.datum),
            )
        )
    session.add_all(verwijzingen)
    session.flush()
    for verwijzing in verwijzingen:
        session.add(
            DoorverwijzingStatus(
                doorverwijzing_id=verwijzing.id,
                status=verwijzing.status,
                status_datum=verwijzing.status_datum,
            )
        )
    if uitkomst is not None:
        session.add(
            Uitkomst(
                organisatie_id=organisatie.id,
                contactmoment_id=record.id,
                resultaat=uitkomst,
                datum=record.datum,
            )
        )
    session.flush()
    if not overrides.get("inhoud_hash"):
        contactmomenten.herbereken_inhoud_hash(session, records=[record])
        session.flush()
    return record


@dataclass
class Omgeving:
    """One organisation with a key person, a partner and a registration key."""

    organisatie: Organisatie
    sleutelpersoon: Sleutelpersoon
    ketenpartner: Ketenpartner
    headers: dict[str, str]


def make_omgeving(session: Session, **organisatie: Any) -> Omgeving:
    org = make_organisatie(session, **organisatie)
    return Omgeving(
        organisatie=org,
        sleutelpersoon=make_sleutelpersoon(session, org),
        ketenpartner=make_ketenpartner(session, org),
        headers=make_key(session, organisatie=org, scopes=("registreren",)),
    )


def body(omgeving: Omgeving, **overrides: Any) -> dict[str, Any]:
    """A valid POST /v1/contactmomenten body for this organisation, with overrides (None removes a key)."""
    data: dict[str, Any] = {
        "externId": f"crm-{uuid.uuid4().hex[:10]}",
        "sleutelpersoonId": str(omgeving.sleutelpersoon.id),
        "datum": DATUM.isoformat(),
        "gemeentecode": "GM0344",
        "wijkcode": "WK034401",
        "kanaal": "huisbezoek",
        "soort": "individueel",
        "aantalDeelnemers": 1,
        "inwonerReferentie": "client-8841",
        "inwoner": {
            "leeftijdscategorie": "27-44",
            "geslacht": "vrouw",
            "taal": "ar",
            "doelgroep": "statushouder",
        },
        "rol": "bemiddelaar",
        "duurMinuten": 45,
        "onderwerpen": ["geld.toeslagen", "zorg.zorgverzekering"],
        "acties": ["uitleg-brief", "afspraak-gemaakt"],
        "doorverwijzingen": [
            {
                "ketenpartnerId": str(omgeving.ketenpartner.id),
                "onderwerp": "geld.toeslagen",
                "wijze": "warm",
                "status": "verwezen",
            }
        ],
        "uitkomst": {"resultaat": "doorverwezen"},
    }
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


TABELLEN = (
    Contactmoment,
    ContactmomentOnderwerp,
    ContactmomentActie,
    Doorverwijzing,
    DoorverwijzingStatus,
    Uitkomst,
    AuditRegel,
)


def tel_rijen(session: Session) -> dict[str, int]:
    """Row counts of every table a registration writes to."""
    return {
        m.__tablename__: session.exec(select(func.count()).select_from(m)).one() for m in TABELLEN
    }  # type: ignore[attr-defined]


def audit_regels(session: Session, **where: Any) -> list[AuditRegel]:
    statement = select(AuditRegel)
    for key, value in where.items():
        statement = statement.where(getattr(AuditRegel, key) == value)
    return list(session.exec(statement.order_by(AuditRegel.id)))


def namen(response: Any) -> set[str]:
    """The invalidParams names of a problem response."""
    return {p["name"] for p in response.json().get("invalidParams", [])}


@pytest.fixture
def omgeving(session: Session) -> Omgeving:
    """Organisation A, committed to the test's savepoint so a failed request does not roll it back."""
    result = make_omgeving(session)
    session.commit()
    return result


@pytest.fixture
def andere(session: Session) -> Omgeving:
    """Organisation B, to prove nothing crosses the tenant boundary."""
    result = make_omgeving(session)
    session.commit()
    return result
