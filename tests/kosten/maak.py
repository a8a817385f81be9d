"""Builders for projects and costs (flushed, not committed), for the tests of issue 26."""

from datetime import date
from typing import Any

from sqlmodel import Session

from app.models import Kosten, Organisatie, Project


def make_project(session: Session, organisatie: Organisatie, **overrides: Any) -> Project:
    values: dict[str, Any] = {
        "organisatie_id": organisatie.id, "naam": "Kansrijke Start", "regeling": "kansrijke-start",
        "financier_gemeentecode": "GM0344", "vanaf": date(2025, 1, 1), "tot": date(2026, 12, 31),
        "begroting_centen": 1_000_000,
    }
    values.update(overrides)
    project = Project(**values)
    session.add(project)
    session.flush()
    return project


def make_kosten(session: Session, organisatie: Organisatie, **overrides: Any) -> Kosten:
    values: dict[str, Any] = {
        "organisatie_id": organisatie.id, "soort": "reiskosten", "bedrag_centen": 1234, "datum": date(2025, 3, 14),
        "gemeentecode": "GM0344",
    }
    values.update(overrides)
    kosten = Kosten(**values)
    session.add(kosten)
    session.flush()
    return kosten
