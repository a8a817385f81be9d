"""The lock of approved periods: one check every write path calls, one indexed query per request.

A write whose record date falls in a period that the region approved for the organisation is refused
with 409 (`code` periode-goedgekeurd, registered in app/core/problemen.py), naming the period and how to reopen it. Callers pass all dates
of the request at once (a batch: the import's bulk writer) so the check stays one query, however many
rows. Erasure of a resident (AVG) never calls it: it is always allowed (see `service.meld_wijziging`).
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from app.core.errors import Conflict
from app.models import Rapportagestatus
from app.rapportage.periodes import Periodestatus

# The problem's `code` a client can test for; its `type` is the page /v1/problemen/periode-goedgekeurd.
CODE = "periode-goedgekeurd"


@dataclass(frozen=True)
class Slot:
    """An approved period of one organisation: [begin, eind)."""

    ritme_id: uuid.UUID
    organisatie_id: uuid.UUID
    periode: str
    begin: date
    eind: date

    def bevat(self, d: date) -> bool:
        return self.begin <= d < self.eind

    @property
    def heropenen(self) -> str:
        return (f"POST /v1/rapportageritmes/{self.ritme_id}/periodes/{self.periode}/organisaties/"
                f"{self.organisatie_id}/heropenen")


class PeriodeGoedgekeurd(Conflict):
    """409: the write falls in an approved period."""

    def __init__(self, sloten: list[Slot]) -> None:
        namen = ", ".join(sorted({s.periode for s in sloten}))
        eerste = sloten[0]
        super().__init__(
            f"De rapportageperiode {namen} is goedgekeurd door de regio; registraties met een datum in die periode "
            "kunnen niet meer worden toegevoegd, gewijzigd of verwijderd. Vraag de regio de periode te heropenen "
            f"({eerste.heropenen}, met een reden) en probeer het daarna opnieuw.",
            title="Periode goedgekeurd",
            code=CODE, extra={"periodes": sorted({s.periode for s in sloten})},
        )


def sloten(session: Session, *, organisatie_id: uuid.UUID | None, van: date, tot: date) -> list[Slot]:
    """The approved periods of the organisation that overlap [van, tot] (inclusive): one indexed query."""
    if organisatie_id is None:
        return []
    s = Rapportagestatus
    rijen = session.execute(
        select(s.ritme_id, s.periode, s.begin, s.eind).where(
            s.organisatie_id == organisatie_id, s.status == Periodestatus.goedgekeurd.value, s.begin <= tot, s.eind > van,
        )
    )
    return [Slot(r.ritme_id, organisatie_id, r.periode, r.begin, r.eind) for r in rijen]


def in_slot(gevonden: list[Slot], d: date) -> list[Slot]:
    """The approved periods that contain day `d`."""
    return [slot for slot in gevonden if slot.bevat(d)]


def controleer(session: Session, *, organisatie_id: uuid.UUID | None, datums: Iterable[date | None]) -> None:
    """Raise 409 (`PeriodeGoedgekeurd`) when any of these record dates lies in an approved period."""
    dagen = [d for d in datums if d is not None]
    if not dagen:
        return
    gevonden = sloten(session, organisatie_id=organisatie_id, van=min(dagen), tot=max(dagen))
    geraakt = [slot for d in dagen for slot in in_slot(gevonden, d)]
    if geraakt:
        raise PeriodeGoedgekeurd(geraakt)


def reden(gevonden: list[Slot]) -> str:
    """The reason an import row is refused, for its row report."""
    return PeriodeGoedgekeurd(gevonden).detail
