"""The share function of a target (app/doelen/verdeling.py): parts add up, profiles, pace, validation."""

from datetime import date, timedelta

import pytest

from app.core.periods import jaar, kwartaal, maand
from app.doelen.verdeling import Tempo, Verdeling, controleer_verdeling, tempo


def _honderdsten(delen: list[float]) -> int:
    return sum(round(100 * d) for d in delen)


@pytest.mark.parametrize("jaartal", [2025, 2028])  # 365 and 366 days
@pytest.mark.parametrize("waarde", [1200, 1000, 7, 12.34, 999_999.99])
def test_a_year_spreads_over_quarters_and_months_that_sum_to_the_year(jaartal: int, waarde: float) -> None:
    verdeling = Verdeling(jaar(jaartal))
    kwartalen = [verdeling.deel(waarde, kwartaal(jaartal, q)) for q in range(1, 5)]
    maanden = [verdeling.deel(waarde, maand(jaartal, m)) for m in range(1, 13)]
    assert _honderdsten(kwartalen) == round(100 * waarde)
    assert _honderdsten(maanden) == round(100 * waarde)
    # Months add up to their quarter exactly: both are differences of the same rounded boundaries.
    for q in range(4):
        assert _honderdsten(maanden[3 * q:3 * q + 3]) == round(100 * kwartalen[q])
    # Pro rata by days: a 31-day month carries more than February.
    assert maanden[0] > maanden[1]
    dagen_q1, dagen = (90, 365) if jaartal == 2025 else (91, 366)
    assert kwartalen[0] == pytest.approx(waarde * dagen_q1 / dagen, abs=0.01)


def test_a_profile_of_months_decides_the_parts() -> None:
    gewichten = (0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1)
    verdeling = Verdeling(jaar(2025), gewichten)
    maanden = [verdeling.deel(1200, maand(2025, m)) for m in range(1, 13)]
    assert maanden == [0] * 6 + [200.0] * 6
    assert [verdeling.deel(1200, kwartaal(2025, q)) for q in range(1, 5)] == [0, 0, 600.0, 600.0]


def test_a_profile_of_quarters_is_pro_rata_within_a_quarter() -> None:
    verdeling = Verdeling(jaar(2025), (1, 2, 3, 4))
    assert [verdeling.deel(100, kwartaal(2025, q)) for q in range(1, 5)] == [10.0, 20.0, 30.0, 40.0]
    # January is 31 of the 90 days of the first quarter.
    assert verdeling.deel(100, maand(2025, 1)) == pytest.approx(10 * 31 / 90, abs=0.01)
    assert _honderdsten([verdeling.deel(100, maand(2025, m)) for m in range(1, 13)]) == 10_000


def test_a_quarter_target_spreads_over_its_months() -> None:
    verdeling = Verdeling(kwartaal(2025, 2), (1, 1, 2))
    assert [verdeling.deel(100, maand(2025, m)) for m in (4, 5, 6)] == [25.0, 25.0, 50.0]


def test_expected_by_a_day_mid_year() -> None:
    verdeling = Verdeling(jaar(2025))
    # 30 June 2025 is day 181 of 365; today counts as elapsed.
    assert verdeling.verwacht(365, jaar(2025), date(2025, 6, 30)) == 181.0
    assert verdeling.verwacht(365, jaar(2025), date(2024, 12, 31)) == 0
    assert verdeling.verwacht(365, jaar(2025), date(2026, 3, 1)) == 365
    # Within July: one day of July has passed on 1 July.
    assert verdeling.verwacht(365, maand(2025, 7), date(2025, 7, 1)) == 1.0
    # With a profile: nothing expected before July, half a year of the target by 30 September.
    profiel = Verdeling(jaar(2025), (0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1))
    assert profiel.verwacht(1200, jaar(2025), date(2025, 6, 30)) == 0
    assert profiel.verwacht(1200, jaar(2025), date(2025, 9, 30)) == 600


def test_the_share_grows_day_by_day() -> None:
    verdeling = Verdeling(jaar(2025), (1, 0, 3, 2))
    dag, vorige = date(2024, 12, 30), -1.0
    while dag < date(2026, 1, 3):
        aandeel = verdeling.aandeel(dag)
        assert 0 <= aandeel <= 1 and aandeel >= vorige
        vorige, dag = aandeel, dag + timedelta(days=1)
    assert vorige == 1


def test_profiles_are_checked() -> None:
    assert controleer_verdeling(None, jaar(2025)) == []
    assert controleer_verdeling([1] * 12, jaar(2025)) == []
    assert controleer_verdeling([1] * 4, jaar(2025)) == []
    assert controleer_verdeling([1] * 3, kwartaal(2025, 1)) == []
    assert len(controleer_verdeling([1] * 5, jaar(2025))) == 1
    assert len(controleer_verdeling([1] * 12, kwartaal(2025, 1))) == 1
    assert len(controleer_verdeling([1], maand(2025, 1))) == 1
    assert len(controleer_verdeling([1, -1, 1, 1], jaar(2025))) == 1
    assert len(controleer_verdeling([0, 0, 0, 0], jaar(2025))) == 1
    assert len(controleer_verdeling([float("nan"), 1, 1, 1], jaar(2025))) == 1
    assert len(controleer_verdeling([-1] * 5, jaar(2025))) == 2  # every problem at once


def test_pace_has_a_tolerance_of_ten_percent() -> None:
    assert tempo(100, 100) is Tempo.op_schema
    assert tempo(90, 100) is Tempo.op_schema
    assert tempo(110, 100) is Tempo.op_schema
    assert tempo(89, 100) is Tempo.achter
    assert tempo(111, 100) is Tempo.voor
    assert tempo(0, 0) is Tempo.op_schema
    assert tempo(1, 0) is Tempo.voor
    assert tempo(None, 100) is None
