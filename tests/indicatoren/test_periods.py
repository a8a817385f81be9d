"""Period parsing: every format, ISO week edges, leap years, relative periods on a fixed clock."""

from datetime import date

import pytest

from app.core.periods import Interval, PeriodeFout, intervallen, parse_periode, range_periode

TODAY = date(2026, 2, 15)


@pytest.mark.parametrize(
    ("text", "vanaf", "tot"),
    [
        ("2025", date(2025, 1, 1), date(2026, 1, 1)),
        ("2025Q1", date(2025, 1, 1), date(2025, 4, 1)),
        ("2025q4", date(2025, 10, 1), date(2026, 1, 1)),
        ("2025-03", date(2025, 3, 1), date(2025, 4, 1)),
        ("2025-12", date(2025, 12, 1), date(2026, 1, 1)),
        ("2024-02", date(2024, 2, 1), date(2024, 3, 1)),
        ("2025W10", date(2025, 3, 3), date(2025, 3, 10)),
        ("2025-W01", date(2024, 12, 30), date(2025, 1, 6)),  # week 1 starts in late December
        ("2026W53", date(2026, 12, 28), date(2027, 1, 4)),  # 2026 has 53 ISO weeks
        ("2020W53", date(2020, 12, 28), date(2021, 1, 4)),
        ("2024-02-29", date(2024, 2, 29), date(2024, 3, 1)),
    ],
)
def test_absolute_periods(text: str, vanaf: date, tot: date) -> None:
    periode = parse_periode(text, today=TODAY)
    assert (periode.vanaf, periode.tot) == (vanaf, tot)


@pytest.mark.parametrize(
    ("text", "vanaf", "tot"),
    [
        ("deze-maand", date(2026, 2, 1), date(2026, 3, 1)),
        ("vorige-maand", date(2026, 1, 1), date(2026, 2, 1)),
        ("dit-kwartaal", date(2026, 1, 1), date(2026, 4, 1)),
        ("vorig-kwartaal", date(2025, 10, 1), date(2026, 1, 1)),
        ("dit-jaar", date(2026, 1, 1), date(2027, 1, 1)),
        ("vorig-jaar", date(2025, 1, 1), date(2026, 1, 1)),
        ("laatste-12-maanden", date(2025, 2, 1), date(2026, 2, 1)),
    ],
)
def test_relative_periods(text: str, vanaf: date, tot: date) -> None:
    periode = parse_periode(text, today=TODAY)
    assert (periode.vanaf, periode.tot) == (vanaf, tot)


def test_vorige_maand_in_january_is_december() -> None:
    periode = parse_periode("vorige-maand", today=date(2026, 1, 10))
    assert (periode.vanaf, periode.tot) == (date(2025, 12, 1), date(2026, 1, 1))


@pytest.mark.parametrize("text", ["2025W54", "2025W00", "2025W53", "2025-13", "2025Q5", "2023-02-29", "gisteren", "25", ""])
def test_malformed_periods_are_refused(text: str) -> None:
    with pytest.raises(PeriodeFout):
        parse_periode(text, today=TODAY)


def test_range_is_inclusive_and_ordered() -> None:
    periode = range_periode(date(2025, 1, 1), date(2025, 1, 31))
    assert periode.tot == date(2025, 2, 1)
    with pytest.raises(PeriodeFout):
        range_periode(date(2025, 2, 1), date(2025, 1, 1))


def test_intervals_cover_period_without_gaps() -> None:
    year = parse_periode("2024", today=TODAY)
    for interval, count in [(Interval.dag, 366), (Interval.maand, 12), (Interval.kwartaal, 4), (Interval.jaar, 1)]:
        parts = intervallen(year, interval)
        assert len(parts) == count
        assert parts[0].vanaf == year.vanaf and parts[-1].tot == year.tot
        assert all(a.tot == b.vanaf for a, b in zip(parts, parts[1:], strict=False))


def test_weekly_intervals_are_clipped_to_the_period() -> None:
    parts = intervallen(parse_periode("2025", today=TODAY), Interval.week)
    # 2025-01-01 is a Wednesday: the first interval is the tail of ISO week 2025W01.
    assert parts[0].vanaf == date(2025, 1, 1) and parts[0].tot == date(2025, 1, 6)
    assert parts[1].label == "2025W02"
    assert parts[-1].tot == date(2026, 1, 1)
    assert len(parts) == 53


@pytest.mark.parametrize(
    ("text", "vanaf", "tot"),
    [
        ("laatste-12-maanden", date(2025, 2, 1), date(2026, 2, 1)),
        ("laatste-24-maanden", date(2024, 2, 1), date(2026, 2, 1)),
        ("laatste-1-maanden", date(2026, 1, 1), date(2026, 2, 1)),
        ("laatste-4-kwartalen", date(2025, 1, 1), date(2026, 1, 1)),
        ("laatste-6-kwartalen", date(2024, 7, 1), date(2026, 1, 1)),
        ("laatste-2-jaren", date(2024, 1, 1), date(2026, 1, 1)),
        ("2024Q4/2026Q3", date(2024, 10, 1), date(2026, 10, 1)),
        ("2024/2025", date(2024, 1, 1), date(2026, 1, 1)),
        ("2025-03/2025-05", date(2025, 3, 1), date(2025, 6, 1)),
        ("2025-03-10/2025-03-12", date(2025, 3, 10), date(2025, 3, 13)),
        ("2025Q1/2025-02", date(2025, 1, 1), date(2025, 3, 1)),  # a month inside the quarter ends the range
    ],
)
def test_sliding_periods_and_ranges(text: str, vanaf: date, tot: date) -> None:
    periode = parse_periode(text, today=TODAY)
    assert (periode.vanaf, periode.tot) == (vanaf, tot)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("laatste-0-maanden", "tussen 1 en 120"),
        ("laatste-121-maanden", "tussen 1 en 120"),
        ("laatste-41-kwartalen", "tussen 1 en 40"),
        ("laatste-11-jaren", "tussen 1 en 10"),
        ("2026Q3/2024Q4", "vroegste voorop"),
        ("2025/dit-jaar", "twee absolute perioden"),
        ("2025/", "twee perioden"),
        ("2024/2025/2026", "twee perioden"),
        ("2025/2025-13", "bestaat niet"),
    ],
)
def test_bad_ranges_say_why(text: str, fragment: str) -> None:
    with pytest.raises(PeriodeFout, match=fragment):
        parse_periode(text, today=TODAY)
