"""Builders for own indicators (issue 25 part 2), written as rows: version 1, active."""

import uuid
from typing import Any

from sqlmodel import Session

from app.models import EigenIndicator, EigenIndicatorVersie, Organisatie


def make_eigen_indicator(session: Session, organisatie: Organisatie, **overrides: Any) -> EigenIndicator:
    """An own indicator of this organisation, counting hulpvragen about the JGZ of statushouders by default."""
    record = EigenIndicator(organisatie_id=organisatie.id, code=overrides.pop("code", f"eigen.test-{uuid.uuid4().hex[:8]}"),
                            gedeeld_met_regio=overrides.pop("gedeeld_met_regio", False))
    session.add(record)
    session.flush()
    versie = {"naam": "Hulpvragen JGZ van statushouders", "definitie": "Hulpvragen over de JGZ van statushouders.",
              "basis": "aantal-hulpvragen", "filters": {"doelgroep": ["statushouder"], "onderwerp": ["zorg.jgz"]},
              "noemer": None, **overrides}
    session.add(EigenIndicatorVersie(eigen_indicator_id=record.id, versie=1, **versie))
    session.flush()
    return record
