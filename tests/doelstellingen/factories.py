"""Builders for goals, evaluations and their decisions stored directly (for tenancy walks and fuzzing)."""

from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, select

from app.core.validation import vandaag
from app.models import Besluit, Doelstelling, Evaluatie, EvaluatieDoelstelling, Organisatie


def make_doelstelling(session: Session, organisatie: Organisatie, **overrides: Any) -> Doelstelling:
    values: dict[str, Any] = {
        "organisatie_id": organisatie.id,
        "titel": "Doelstelling",
        "vanaf": date(vandaag().year, 1, 1),
        "status": "actief",
        "indicatoren": ["aantal-hulpvragen"],
        "inhoud_hash": "0" * 64,
    }
    values.update(overrides)
    doelstelling = Doelstelling(**values)
    session.add(doelstelling)
    session.flush()
    return doelstelling


def make_evaluatie(session: Session, organisatie: Organisatie, *, doelstellingen: list[Doelstelling] = (), **overrides: Any) -> Evaluatie:  # type: ignore[assignment]
    values: dict[str, Any] = {
        "organisatie_id": organisatie.id,
        "datum": vandaag() - timedelta(days=7),
        "deelnemers": [{"rol": "coordinator", "aantal": 1}],
    }
    besluiten = overrides.pop("besluiten", [{"tekst": "Besluit", "eigenaar_rol": "coordinator", "deadline": None, "status": "open"}])
    values.update(overrides)
    evaluatie = Evaluatie(**values)
    session.add(evaluatie)
    session.flush()
    session.add_all([Besluit(organisatie_id=organisatie.id, evaluatie_id=evaluatie.id, volgorde=i, **b) for i, b in enumerate(besluiten)])
    session.add_all([EvaluatieDoelstelling(evaluatie_id=evaluatie.id, doelstelling_id=d.id) for d in doelstellingen])
    session.flush()
    return evaluatie


def make_besluit(session: Session, organisatie: Organisatie, **overrides: Any) -> Besluit:
    """The one decision of a new evaluation."""
    evaluatie = make_evaluatie(session, organisatie, **overrides)
    session.flush()
    return session.exec(select(Besluit).where(Besluit.evaluatie_id == evaluatie.id)).one()
