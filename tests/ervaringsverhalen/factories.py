"""Builders for story tests: a request body, and a story stored directly (for tenancy walks and fuzzing)."""

from datetime import timedelta
from typing import Any

from sqlmodel import Session

from app.core.validation import vandaag
from app.models import Ervaringsverhaal, ErvaringsverhaalEffect, Organisatie


def verhaal_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "datum": (vandaag() - timedelta(days=20)).isoformat(),
        "gemeentecode": "GM0344",
        "bron": "ketenpartner",
        "onderwerpen": ["gezondheid.mentaal"],
        "effecten": ["eerder-in-beeld", "samenwerking"],
        "titel": "Via de sleutelpersoon eerder bij de POH-GGZ",
        "verhaal": "Drie gezinnen kwamen via de sleutelpersoon bij de POH-GGZ.\nDaarvoor kwamen ze pas in crisis.",
        "citaat": "Zonder haar waren deze gezinnen pas in crisis bij ons gekomen.",
        "gedeeld": True,
    }
    body.update(overrides)
    return body


def make_verhaal(session: Session, organisatie: Organisatie, **overrides: Any) -> Ervaringsverhaal:
    values: dict[str, Any] = {
        "organisatie_id": organisatie.id,
        "datum": vandaag() - timedelta(days=20),
        "gemeentecode": "GM0344",
        "bron": "collega",
        "titel": "Verhaal",
        "verhaal": "Tekst",
        "gedeeld": True,
    }
    values.update(overrides)
    verhaal = Ervaringsverhaal(**values)
    session.add(verhaal)
    session.flush()
    session.add(ErvaringsverhaalEffect(ervaringsverhaal_id=verhaal.id, effect="samenwerking"))
    session.flush()
    return verhaal
