"""Properties of the perturbation table (ptable) and of its lookups (docs/onderdrukking.md)."""

import csv
import hashlib
import io
import statistics

import pytest

from app.indicatoren.perturbatie import CELSLEUTELS, PtableParameters, genereer, ptable

PARAMETERS = PtableParameters()
TABEL = genereer(PARAMETERS)
D, T = PARAMETERS.max_ruis, PARAMETERS.drempel


def test_the_published_table_does_not_change_unnoticed() -> None:
    """Changing the generator or its parameters changes every published figure: do it on purpose only."""
    assert hashlib.sha256(TABEL.als_csv().encode()).hexdigest()[:16] == "9219e698e7d5e139"


def test_generation_is_deterministic_and_cached() -> None:
    assert genereer(PtableParameters()) == TABEL
    assert ptable(T) is ptable(T)
    assert genereer(PtableParameters(zaad="ander")) != TABEL


def test_noise_is_bounded_with_the_stated_distribution_away_from_the_threshold() -> None:
    for pcv in range(T + D, PARAMETERS.max_pcv + 1):
        rij = TABEL.ruis[pcv]
        assert len(rij) == CELSLEUTELS
        assert {d: rij.count(d) for d in set(rij)} == {0: 100, 1: 52, -1: 52, 2: 26, -2: 26}
        assert statistics.fmean(rij) == 0
        assert statistics.pvariance(rij) == pytest.approx(PARAMETERS.variantie)
    assert PARAMETERS.variantie == pytest.approx(1.22, abs=0.01)


def test_noise_depends_on_the_cell_key_and_differs_between_rows() -> None:
    rijen = {TABEL.ruis[pcv] for pcv in range(T, PARAMETERS.max_pcv + 1)}
    assert len(rijen) == PARAMETERS.max_pcv - T + 1  # every row its own shuffle


@pytest.mark.parametrize("waarde", [*range(0, 120), 499, 500, 501, 10_000, 123_457])
def test_counts_zero_stays_zero_small_is_suppressed_rest_is_close(waarde: int) -> None:
    for celsleutel in range(CELSLEUTELS):
        getoond = TABEL.aantal(waarde, celsleutel)
        if waarde == 0:
            assert getoond == 0
        elif waarde < T:
            assert getoond is None
        else:
            assert getoond is not None and getoond >= T and abs(getoond - waarde) <= D


def test_large_values_reuse_the_top_rows() -> None:
    p = PARAMETERS
    assert [TABEL.pcv(w) for w in (1, p.max_pcv)] == [1, p.max_pcv]
    for waarde in range(p.max_pcv + 1, p.max_pcv + 3 * p.herhaling):
        assert p.max_pcv - p.herhaling < TABEL.pcv(waarde) <= p.max_pcv


def test_noise_is_unbiased_over_cell_keys_away_from_the_threshold() -> None:
    for waarde in (T + D, 50, 1234):
        assert statistics.fmean(TABEL.aantal(waarde, k) for k in range(CELSLEUTELS)) == waarde  # type: ignore[misc]


def test_sums_need_enough_records_and_stay_close() -> None:
    assert TABEL.som(0, records=0, celsleutel=7, basis=60) == 0
    assert TABEL.som(600, records=T - 1, celsleutel=7, basis=60) is None
    for som in (0.0, 59.0, 61.0, 1234.0, 98_765.0):
        for celsleutel in range(CELSLEUTELS):
            getoond = TABEL.som(som, records=T, celsleutel=celsleutel, basis=60)
            assert getoond is not None and getoond % 60 == 0 and getoond >= 0
            assert abs(getoond - som) < (D + 1) * 60
    # Away from zero, rounding up or down by the cell key is unbiased and the noise has mean 0.
    for som in (1234.0, 98_765.0):
        gemiddeld = statistics.fmean(TABEL.som(som, records=50, celsleutel=k, basis=60) or 0 for k in range(CELSLEUTELS))
        assert gemiddeld == pytest.approx(som, abs=60 / CELSLEUTELS)


def test_exported_in_the_ons_format() -> None:
    rijen = list(csv.reader(io.StringIO(TABEL.als_csv())))
    assert rijen[0] == ["pcv", "ckey", "pvalue"]
    assert len(rijen) == 1 + PARAMETERS.max_pcv * CELSLEUTELS
    assert rijen[1] == ["1", "0", "-1"]


def test_parameters_that_would_break_the_rules_are_refused() -> None:
    with pytest.raises(ValueError):
        genereer(PtableParameters(verdeling=(100, 50, 25)))
    with pytest.raises(ValueError):
        genereer(PtableParameters(drempel=60))


def test_cli_writes_the_table(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from app.cli import app as cli_app

    uitvoer = tmp_path / "ptable.csv"
    result = CliRunner().invoke(cli_app, ["ptable", "--uitvoer", str(uitvoer)])
    assert result.exit_code == 0, result.output
    assert uitvoer.read_text(encoding="utf-8") == ptable(T).als_csv()
