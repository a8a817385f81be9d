"""Builders for signal tests: a request body, and a signal stored directly (for tenancy walks and fuzzing)."""

import uuid
from datetime import timedelta
from typing import Any

from sqlmodel import Session

from app.core.validation import vandaag
from app.models import Organisatie, Signaal, SignaalBericht, SignaalOnderwerp, SignaalStatus


def signaal_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "datum": (vandaag() - timedelta(days=10)).isoformat(),
        "gemeentecode": "GM0344",
        "wijkcode": "WK034405",
        "onderwerpen": ["zorg.jgz"],
        "doelgroep": "statushouder",
        "taal": "ti",
        "titel": "Eritrese moeders kennen het consultatiebureau niet",
        "omschrijving": "In drie groepsbijeenkomsten vertelden moeders dat ze de uitnodiging niet begrepen.",
        "hoeVaakGehoord": 12,
        "urgentie": "middel",
        "gerichtAan": {"soort": "gemeente", "gemeentecode": "GM0344"},
    }
    body.update(overrides)
    return body


def make_signaal(session: Session, organisatie: Organisatie, **overrides: Any) -> Signaal:
    datum = overrides.pop("datum", vandaag() - timedelta(days=10))
    values: dict[str, Any] = {
        "organisatie_id": organisatie.id,
        "datum": datum,
        "gemeentecode": "GM0344",
        "titel": "Signaal",
        "omschrijving": "Omschrijving",
        "urgentie": "middel",
        "gericht_aan_soort": "gemeente",
        "gericht_aan_gemeentecode": "GM0344",
        "status": "ingediend",
        "status_datum": datum,
        "inhoud_hash": uuid.uuid4().hex,
    }
    values.update(overrides)
    signaal = Signaal(**values)
    session.add(signaal)
    session.flush()
    session.add(SignaalOnderwerp(signaal_id=signaal.id, onderwerp="zorg.jgz"))
    session.add(SignaalStatus(signaal_id=signaal.id, status=signaal.status, status_datum=signaal.status_datum))
    session.flush()
    return signaal


def make_bericht(session: Session, signaal: Signaal, **overrides: Any) -> SignaalBericht:
    values: dict[str, Any] = {"signaal_id": signaal.id, "van": "ontvanger", "tekst": "Ontvangen, we komen erop terug.",
                              "datum": signaal.datum, "inhoud_hash": uuid.uuid4().hex}
    values.update(overrides)
    bericht = SignaalBericht(**values)
    session.add(bericht)
    session.flush()
    return bericht
