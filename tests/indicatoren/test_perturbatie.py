"""Properties of the perturbation table (ptable) and of its lookups (docs/onderdrukking.md)."""

import csv
import hashlib
import io
import statistics

import pytest

from app.indicatoren.perturbatie import CELSLEUTELS, PtableParameters, celsleutel, genereer, ptable

PARAMETERS = PtableParameters()
TABEL = genereer(PARAMETERS)
D, T = PARAMETERS.max_ruis, PARAMETERS.drempel


def test_the_published_table_does_not_change_unnoticed() -> None:
    """Changing the generator or its parameters changes every published figure: do it on purpose only."""
    assert hashlib.sha256(TABEL.als_csv().encode()).hexdigest()[:16] == "46cdce30e7e54497"


def test_generation_is_deterministic_and_cached() -> None:
    assert genereer(PtableParameters()) == TABEL
    assert ptable(T) is ptable(T)
    assert genereer(PtableParameters(zaad="ander")) != TABEL


def test_noise_is_bounded_with_the_stated_distribution_in_every_row() -> None:
    # The same noise near the threshold as elsewhere: no row is moved towards the threshold.
    for pcv in range(1, PARAMETERS.max_pcv + 1):
        rij = TABEL.ruis[pcv]
        assert len(rij) == CELSLEUTELS
        assert {d: rij.count(d) for d in set(rij)} == {0: 100, 1: 52, -1: 52, 2: 26, -2: 26}
        assert statistics.fmean(rij) == 0
        assert statistics.pvariance(rij) == pytest.approx(PARAMETERS.variantie)
    assert PARAMETERS.variantie == pytest.approx(1.22, abs=0.01)


def test_noise_depends_on_the_cell_key_and_differs_between_rows() -> None:
    rijen = {TABEL.ruis[pcv] for pcv in range(1, PARAMETERS.max_pcv + 1)}
    assert len(rijen) == PARAMETERS.max_pcv  # every row its own shuffle


@pytest.mark.parametrize("waarde", [*range(120), 499, 500, 501, 10_000, 123_457])
def test_counts_nothing_below_the_threshold_is_shown_the_rest_is_close(waarde: int) -> None:
    for sleutel in range(CELSLEUTELS):
        getoond = TABEL.aantal(waarde, sleutel)
        if waarde == 0 or waarde + D < T:
            assert getoond is None  # a true 0 looks exactly like a true 1 or 2
        else:
            assert getoond is None or (getoond >= T and abs(getoond - waarde) <= D)
        if waarde - D >= T:
            assert getoond is not None


def test_near_the_threshold_the_outcome_depends_on_the_cell_key_in_both_directions() -> None:
    """A true 3 or 4 is sometimes shown (as 5 or 6), a true 5 or 6 sometimes suppressed: "onderdrukt"
    means neither "someone" nor "at most 4"; the shares are the published parameters."""
    getoond = {w: sum(TABEL.aantal(w, k) is not None for k in range(CELSLEUTELS)) / CELSLEUTELS for w in range(9)}
    assert getoond[0] == getoond[1] == getoond[2] == 0
    assert 0 < getoond[3] < getoond[4] < 0.5 < getoond[5] < getoond[6] < 1
    assert getoond[7] == getoond[8] == 1
    assert getoond == {w: PARAMETERS.kans_getoond(w) for w in getoond}
    assert (round(getoond[3], 3), round(getoond[4], 3), round(getoond[5], 3), round(getoond[6], 3)) == (
        0.102, 0.305, 0.695, 0.898)


def test_cell_keys_per_measure_and_cell_are_unrelated() -> None:
    """Two measures over the same records, or two descriptions of the same records, get independent
    keys; no constant offset relates them, and key sums no longer add up."""
    geheim, cel = b"test", "2025-03-01/2025-04-01|gemeente=GM0344"
    a = [celsleutel(geheim, "aantal:contactmoment", s, cel) for s in range(CELSLEUTELS)]
    b = [celsleutel(geheim, "som:duur_minuten", s, cel) for s in range(CELSLEUTELS)]
    c = [celsleutel(geheim, "aantal:contactmoment", s, "2025-01-01/2025-04-01|gemeente=GM0344") for s in range(CELSLEUTELS)]
    for ander in (b, c):
        assert len({(x - y) % CELSLEUTELS for x, y in zip(a, ander, strict=True)}) > 100
    # Additivity is gone: key(s + t) - key(s) takes many values for a fixed t.
    assert len({(a[(s + 37) % 256] - a[s]) % 256 for s in range(CELSLEUTELS)}) > 100
    assert a != [celsleutel(b"ander", "aantal:contactmoment", s, cel) for s in range(CELSLEUTELS)]
    assert 150 < len(set(a)) <= CELSLEUTELS  # a hash, so some collisions, but spread over the keys
    assert a == [celsleutel(geheim, "aantal:contactmoment", s, cel) for s in range(CELSLEUTELS)]  # the same cell: the same key


def test_large_values_reuse_the_top_rows() -> None:
    p = PARAMETERS
    assert [TABEL.pcv(w) for w in (1, p.max_pcv)] == [1, p.max_pcv]
    for waarde in range(p.max_pcv + 1, p.max_pcv + 3 * p.herhaling):
        assert p.max_pcv - p.herhaling < TABEL.pcv(waarde) <= p.max_pcv


def test_noise_is_unbiased_over_cell_keys_away_from_the_threshold() -> None:
    for waarde in (T + D, 50, 1234):
        assert statistics.fmean(TABEL.aantal(waarde, k) for k in range(CELSLEUTELS)) == waarde  # type: ignore[misc]


def test_sums_need_enough_records_and_stay_close() -> None:
    assert TABEL.som(0, records=0, celsleutel=7, basis=60, min_records=T) is None
    assert TABEL.som(600, records=T - 1, celsleutel=7, basis=60, min_records=T) is None
    for som in (0.0, 59.0, 61.0, 1234.0, 98_765.0):
        for sleutel in range(CELSLEUTELS):
            getoond = TABEL.som(som, records=T, celsleutel=sleutel, basis=60, min_records=T)
            assert getoond is not None and getoond % 60 == 0 and getoond >= 0
            assert abs(getoond - som) < (D + 1) * 60
    # Away from zero, rounding up or down by the cell key is unbiased and the noise has mean 0.
    for som in (1234.0, 98_765.0):
        gemiddeld = statistics.fmean(TABEL.som(som, records=50, celsleutel=k, basis=60, min_records=T) or 0
                                     for k in range(CELSLEUTELS))
        assert gemiddeld == pytest.approx(som, abs=60 / CELSLEUTELS)


def test_exported_in_the_ons_format() -> None:
    rijen = list(csv.reader(io.StringIO(TABEL.als_csv())))
    assert rijen[0] == ["pcv", "ckey", "pvalue"]
    assert len(rijen) == 1 + PARAMETERS.max_pcv * CELSLEUTELS
    assert rijen[1] == ["1", "0", ""]  # suppressed
    assert {r[2] for r in rijen[1:] if r[0] in ("1", "2")} == {""}


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
