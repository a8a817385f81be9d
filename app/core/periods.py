"""Reporting periods: parse `2025`, `2025Q1`, `2025-03`, `2025W10`, relative names and date ranges,
and split a period into intervals (dag, week, maand, kwartaal, jaar).

Every period is half-open: [vanaf, tot), with `tot` the first day after the period.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class Interval(StrEnum):
    dag = "dag"
    week = "week"
    maand = "maand"
    kwartaal = "kwartaal"
    jaar = "jaar"


RELATIEVE_PERIODES = (
    "deze-maand",
    "vorige-maand",
    "dit-kwartaal",
    "vorig-kwartaal",
    "dit-jaar",
    "vorig-jaar",
    "laatste-12-maanden",
)


@dataclass(frozen=True)
class Periode:
    vanaf: date
    tot: date  # exclusive
    label: str

    @property
    def laatste_dag(self) -> date:
        return self.tot - timedelta(days=1)


# The dates a period may span: wide enough for every historic log, and far from date's limits.
EERSTE_DAG = date(1990, 1, 1)
LAATSTE_DAG = date(2100, 12, 31)


class PeriodeFout(ValueError):
    """A period that cannot be parsed; the message is Dutch and meant for the client."""


def _month_start(d: date) -> date:
    return d.replace(day=1)


def _add_months(d: date, months: int) -> date:
    index = d.year * 12 + (d.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


def _quarter_start(d: date) -> date:
    return date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)


def maand(year: int, month: int) -> Periode:
    start = date(year, month, 1)
    return Periode(start, _add_months(start, 1), f"{year:04d}-{month:02d}")


def kwartaal(year: int, quarter: int) -> Periode:
    start = date(year, 3 * (quarter - 1) + 1, 1)
    return Periode(start, _add_months(start, 3), f"{year:04d}Q{quarter}")


def jaar(year: int) -> Periode:
    return Periode(date(year, 1, 1), date(year + 1, 1, 1), f"{year:04d}")


def iso_week(year: int, week: int) -> Periode:
    try:
        start = date.fromisocalendar(year, week, 1)
    except ValueError as exc:
        raise PeriodeFout(f"{year} heeft geen ISO-week {week}.") from exc
    return Periode(start, start + timedelta(days=7), f"{year:04d}W{week:02d}")


def dag(d: date) -> Periode:
    return Periode(d, d + timedelta(days=1), d.isoformat())


_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(\d{4})$"), "jaar"),
    (re.compile(r"^(\d{4})-?Q([1-4])$", re.I), "kwartaal"),
    (re.compile(r"^(\d{4})-(\d{2})$"), "maand"),
    (re.compile(r"^(\d{4})-?W(\d{1,2})$", re.I), "week"),
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), "dag"),
]


# `laatste-N-maanden|kwartalen|jaren`: the N whole units before the current one, at most this many.
_LAATSTE = re.compile(r"^laatste-(\d{1,3})-(maanden|kwartalen|jaren)$")
MAX_LAATSTE = {"maanden": 120, "kwartalen": 40, "jaren": 10}


def parse_periode(value: str, *, today: date) -> Periode:
    """Parse one period expression: absolute, relative to `today`, or a range `A/B` of two absolute ones
    (from the start of A to the end of B, as ISO 8601 writes intervals: `2024Q4/2026Q3`)."""
    text = value.strip()
    if "/" in text:
        begin, _, einde = text.partition("/")
        if not begin.strip() or not einde.strip() or "/" in einde:
            raise PeriodeFout(f"Een bereik is twee perioden met een / ertussen, zoals 2024Q4/2026Q3; niet `{value}`.")
        eerste, laatste = _absoluut(begin.strip(), today), _absoluut(einde.strip(), today)
        if laatste.tot <= eerste.vanaf or laatste.vanaf < eerste.vanaf:
            raise PeriodeFout(f"In het bereik `{text}` begint {laatste.label} vóór {eerste.label}; zet de vroegste voorop.")
        return Periode(eerste.vanaf, laatste.tot, f"{eerste.label}/{laatste.label}")
    relative = _relative(text.lower(), today)
    if relative is not None:
        return relative
    return _absoluut(text, today, value)


def _absoluut(text: str, today: date, value: str | None = None) -> Periode:
    """One absolute period (a year, quarter, month, ISO week or day)."""
    value = value or text
    if _relative(text.lower(), today) is not None:
        raise PeriodeFout(f"In een bereik staan twee absolute perioden (zoals 2024Q4/2026Q3), geen `{text}`.")
    for pattern, kind in _PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        numbers = [int(g) for g in match.groups()]
        if numbers[0] < 1900 or numbers[0] > 9998:
            raise PeriodeFout(f"Jaar {numbers[0]} valt buiten het toegestane bereik.")
        if kind == "jaar":
            return jaar(numbers[0])
        if kind == "kwartaal":
            return kwartaal(numbers[0], numbers[1])
        if kind == "maand":
            if not 1 <= numbers[1] <= 12:
                raise PeriodeFout(f"Maand {numbers[1]} bestaat niet.")
            return maand(numbers[0], numbers[1])
        if kind == "week":
            return iso_week(numbers[0], numbers[1])
        try:
            return dag(date(*numbers))
        except ValueError as exc:
            raise PeriodeFout(f"{text} is geen bestaande datum.") from exc
    raise PeriodeFout(
        f"Onbekende periode `{value}`; gebruik bijvoorbeeld 2025, 2025Q1, 2025-03, 2025W10, een bereik als "
        f"2024Q4/2026Q3, laatste-N-maanden, laatste-N-kwartalen, laatste-N-jaren of een van: "
        f"{', '.join(RELATIEVE_PERIODES)}."
    )


def _relative(text: str, today: date) -> Periode | None:
    if text == "deze-maand":
        return maand(today.year, today.month)
    if text == "vorige-maand":
        start = _add_months(_month_start(today), -1)
        return maand(start.year, start.month)
    if text == "dit-kwartaal":
        return kwartaal(today.year, (today.month - 1) // 3 + 1)
    if text == "vorig-kwartaal":
        start = _add_months(_quarter_start(today), -3)
        return kwartaal(start.year, (start.month - 1) // 3 + 1)
    if text == "dit-jaar":
        return jaar(today.year)
    if text == "vorig-jaar":
        return jaar(today.year - 1)
    match = _LAATSTE.match(text)
    if match is None:
        return None
    aantal, eenheid = int(match.group(1)), match.group(2)
    if not 1 <= aantal <= MAX_LAATSTE[eenheid]:
        raise PeriodeFout(f"`{text}`: N ligt tussen 1 en {MAX_LAATSTE[eenheid]} {eenheid}.")
    # The N whole units before the current one, nothing of the running one.
    if eenheid == "maanden":
        end = _month_start(today)
        return Periode(_add_months(end, -aantal), end, text)
    if eenheid == "kwartalen":
        end = _quarter_start(today)
        return Periode(_add_months(end, -3 * aantal), end, text)
    end = date(today.year, 1, 1)
    return Periode(date(today.year - aantal, 1, 1), end, text)


def range_periode(vanaf: date, tot: date) -> Periode:
    """A period from `vanaf` up to and including `tot` (the API's `tot` is inclusive)."""
    if tot < vanaf:
        raise PeriodeFout("`vanaf` ligt na `tot`.")
    if vanaf < EERSTE_DAG or tot > LAATSTE_DAG:
        raise PeriodeFout(f"Een periode ligt tussen {EERSTE_DAG.isoformat()} en {LAATSTE_DAG.isoformat()}.")
    return Periode(vanaf, tot + timedelta(days=1), f"{vanaf.isoformat()}/{tot.isoformat()}")


def _bucket_of(d: date, interval: Interval) -> Periode:
    if interval is Interval.dag:
        return dag(d)
    if interval is Interval.week:
        iso = d.isocalendar()
        return iso_week(iso.year, iso.week)
    if interval is Interval.maand:
        return maand(d.year, d.month)
    if interval is Interval.kwartaal:
        return kwartaal(d.year, (d.month - 1) // 3 + 1)
    return jaar(d.year)


def intervallen(periode: Periode, interval: Interval) -> list[Periode]:
    """Split a period into consecutive intervals, clipped to the period, with no gaps."""
    result: list[Periode] = []
    cursor = periode.vanaf
    while cursor < periode.tot:
        bucket = _bucket_of(cursor, interval)
        end = min(bucket.tot, periode.tot)
        label = bucket.label if (bucket.vanaf == cursor and bucket.tot == end) else (
            f"{cursor.isoformat()}/{(end - timedelta(days=1)).isoformat()}"
        )
        result.append(Periode(cursor, end, label))
        cursor = end
    return result
