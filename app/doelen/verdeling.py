"""How a target spreads over the parts of its period, and how far along it should be on a day.

A target is a value for a year, quarter or month. Its *share function* `aandeel(d)` says which part
of the target falls before day `d` (0 at the first day, 1 after the last):

- by default pro rata by calendar days (a 31-day month carries 31/365 of a year target);
- with a profile (`verdeling`): weights for the target's equal calendar parts, 12 months or
  4 quarters of a year, 3 months of a quarter; within a part, pro rata by days.

Everything else derives from that one function, so the figures agree with each other:

- the part of the target in an interval [a, b) is `target x (aandeel(b) - aandeel(a))`;
- the expected value on day t is `target x aandeel(t + 1 day)` (today counts as elapsed).

Rounding is cumulative, in hundredths: the rounded target up to a boundary is
`round(100 x target x aandeel(boundary))`, and a part is the difference of two such boundaries. Parts
therefore sum exactly to the target (in hundredths), months to their quarter and quarters to the
year, whatever the granularity asked for.

Only *additive* measures spread (counts and sums: contacts, questions, hours, participants, new
residents). A rate or a median is a level: a target of 75% holds in every quarter as it does in the
year. A distinct count (reach, active key persons) is neither: its quarters do not add up to its
year, so a year target is not split over quarters (set quarter targets explicitly); its pace on the
whole period is still pro rata.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from app.core.periods import Periode, jaar, kwartaal, maand


class Spreiding(StrEnum):
    optellend = "optellend"  # parts add up to the whole: spread pro rata or by profile
    niveau = "niveau"  # a rate or median: the same value holds for every part
    uniek = "uniek"  # a distinct count: not spread, pace pro rata on the whole period


class Tempo(StrEnum):
    voor = "voor"
    op_schema = "op-schema"
    achter = "achter"


# The tolerance of "op schema": a realisation within 10% of what is expected by today (either way).
# Wide enough for perturbation noise (at most 2) on regional figures of 20 and more, and for the
# unevenness of real work within a month; narrow enough that a quarter behind shows.
TOLERANTIE = 0.10

HONDERDSTEN = 100


def delen_van(periode: Periode, aantal: int) -> list[Periode]:
    """The `aantal` equal calendar parts of a year (12 months or 4 quarters) or quarter (3 months)."""
    start = periode.vanaf
    if aantal == 12:
        return [maand(start.year, m) for m in range(1, 13)]
    if aantal == 4:
        return [kwartaal(start.year, q) for q in range(1, 5)]
    if aantal == 3:
        return [maand(start.year, start.month + i) for i in range(3)]
    if aantal == 1:
        return [periode]
    raise ValueError(aantal)


def toegestane_lengtes(periode: Periode) -> tuple[int, ...]:
    """Profile lengths that fit a target period: a year 12 or 4, a quarter 3, a month none."""
    dagen = (periode.tot - periode.vanaf).days
    if periode.vanaf.month == 1 and periode.vanaf.day == 1 and periode.tot == jaar(periode.vanaf.year).tot:
        return (12, 4)
    if dagen > 31:
        return (3,)
    return ()


def controleer_verdeling(verdeling: Sequence[float] | None, periode: Periode | None) -> list[str]:
    """Dutch reasons a profile does not fit its period (empty when it fits)."""
    if verdeling is None:
        return []
    redenen = []
    if periode is not None:
        lengtes = toegestane_lengtes(periode)
        if not lengtes:
            redenen.append("Een doel voor een maand heeft geen verdeling.")
        elif len(verdeling) not in lengtes:
            wat = "12 maandgewichten of 4 kwartaalgewichten" if lengtes == (12, 4) else "3 maandgewichten"
            redenen.append(f"Een verdeling over {periode.label} heeft {wat}, niet {len(verdeling)}.")
    if any(not math.isfinite(w) or w < 0 for w in verdeling):
        redenen.append("Een gewicht mag niet negatief zijn (en moet een getal zijn).")
    elif not sum(verdeling) > 0:
        redenen.append("De som van de gewichten moet groter zijn dan 0.")
    return redenen


@dataclass(frozen=True)
class Verdeling:
    """The share function of one target: its period and (optional) profile."""

    periode: Periode
    gewichten: tuple[float, ...] | None = None

    def aandeel(self, d: date) -> float:
        """The share of the target that falls before day `d`, between 0 and 1."""
        if d <= self.periode.vanaf:
            return 0.0
        if d >= self.periode.tot:
            return 1.0
        gewichten = self.gewichten or (1.0,)
        delen = delen_van(self.periode, len(gewichten)) if self.gewichten else [self.periode]
        totaal = sum(gewichten)
        binnen = 0.0
        for deel, gewicht in zip(delen, gewichten, strict=True):
            if d >= deel.tot:
                binnen += gewicht
                continue
            binnen += gewicht * (d - deel.vanaf).days / (deel.tot - deel.vanaf).days
            break
        return binnen / totaal

    def tot_honderdsten(self, waarde: float, d: date) -> int:
        """The target up to day `d` in hundredths, rounded: the boundary of the cumulative rounding."""
        return round(HONDERDSTEN * waarde * self.aandeel(d))

    def deel(self, waarde: float, interval: Periode) -> float:
        """The part of the target in an interval (clipped to the target's period), in hundredths exactly."""
        return (self.tot_honderdsten(waarde, interval.tot) - self.tot_honderdsten(waarde, interval.vanaf)) / HONDERDSTEN

    def verwacht(self, waarde: float, interval: Periode, vandaag: date) -> float:
        """What the interval should have reached by the end of `vandaag` (today counts as elapsed)."""
        einde = min(max(vandaag + timedelta(days=1), interval.vanaf), interval.tot)
        return (self.tot_honderdsten(waarde, einde) - self.tot_honderdsten(waarde, interval.vanaf)) / HONDERDSTEN


def tempo(gerealiseerd: float | None, verwacht: float | None) -> Tempo | None:
    """Ahead, on schedule or behind: within TOLERANTIE of the expected value is on schedule."""
    if gerealiseerd is None or verwacht is None:
        return None
    if verwacht <= 0:
        return Tempo.op_schema if gerealiseerd <= 0 else Tempo.voor
    verhouding = gerealiseerd / verwacht
    if verhouding > 1 + TOLERANTIE:
        return Tempo.voor
    if verhouding < 1 - TOLERANTIE:
        return Tempo.achter
    return Tempo.op_schema
