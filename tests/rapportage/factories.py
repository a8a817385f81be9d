"""Builders for the reporting cycle: a rhythm with its expected organisations, and a period's status."""

from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import Session

from app.models import Organisatie, Rapportageritme, RapportageritmeOrganisatie, Rapportagestatus
from app.rapportage import periodes

REGIO = ["GM0344"]


def make_ritme(session: Session, organisaties: list[Organisatie], **overrides: Any) -> Rapportageritme:
    values: dict[str, Any] = {"naam": "Kwartaalrapportage", "ritme": "kwartaal", "gemeentecodes": REGIO,
                              "termijn_dagen": 30, "vanaf": date(2025, 1, 1)}
    values.update(overrides)
    ritme = Rapportageritme(**values)
    session.add(ritme)
    session.flush()
    for organisatie in organisaties:
        session.add(RapportageritmeOrganisatie(ritme_id=ritme.id, organisatie_id=organisatie.id))
    session.flush()
    return ritme


def make_status(session: Session, ritme: Rapportageritme, organisatie: Organisatie, *, periode: str = "2025Q1",
                status: str = "goedgekeurd", ingediend_op: datetime | None = None) -> Rapportagestatus:
    """A period's status row as the cycle would leave it (without history)."""
    p = periodes.parse(ritme.ritme, periode)
    assert p is not None
    moment = ingediend_op or datetime(p.tot.year, p.tot.month, p.tot.day, 9, tzinfo=UTC)
    rij = Rapportagestatus(ritme_id=ritme.id, organisatie_id=organisatie.id, periode=periode, begin=p.vanaf, eind=p.tot,
                           status=status, eerst_ingediend_op=moment, ingediend_op=moment,
                           goedgekeurd_op=moment if status == "goedgekeurd" else None)
    session.add(rij)
    session.flush()
    return rij
