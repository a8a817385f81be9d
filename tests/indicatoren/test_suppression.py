"""Primary and secondary suppression on plain cell tables."""

from app.indicatoren.suppression import onderdruk


def test_no_small_counts_means_nothing_hidden() -> None:
    assert onderdruk({(0, "a"): 10, (0, "b"): 0, (0, "c"): 7}, drempel=5) == set()


def test_primary_hides_counts_below_threshold_but_not_zero() -> None:
    hidden = onderdruk({(0, "a"): 3, (0, "b"): 4, (0, "c"): 0, (0, "d"): 20}, drempel=5)
    assert hidden == {(0, "a"), (0, "b")}


def test_single_hidden_cell_gets_a_secondary_partner() -> None:
    # Without a second hidden cell, 3 = total (33) - 10 - 20.
    hidden = onderdruk({(0, "a"): 3, (0, "b"): 10, (0, "c"): 20}, drempel=5)
    assert hidden == {(0, "a"), (0, "b")}


def test_secondary_skips_zero_cells() -> None:
    hidden = onderdruk({(0, "a"): 2, (0, "b"): 0, (0, "c"): 9, (0, "d"): 30}, drempel=5)
    assert hidden == {(0, "a"), (0, "c")}


def test_rest_zero_needs_no_partner() -> None:
    assert onderdruk({(0, "a"): 2, (0, "b"): 0}, drempel=5) == {(0, "a")}


def test_two_dimensional_table_is_protected_along_both_axes() -> None:
    cells = {
        (0, "x", "p"): 2, (0, "x", "q"): 10, (0, "x", "r"): 12,
        (0, "y", "p"): 8, (0, "y", "q"): 9, (0, "y", "r"): 15,
    }
    hidden = onderdruk(cells, drempel=5)
    assert (0, "x", "p") in hidden
    # Every row and every column now holds zero or at least two hidden cells.
    for axis in (1, 2):
        groups: dict[object, int] = {}
        for key in cells:
            rest = key[:axis] + key[axis + 1 :]
            groups[rest] = groups.get(rest, 0) + (key in hidden)
        assert all(n != 1 for n in groups.values())


def test_time_axis_counts_as_a_group() -> None:
    # Months of one year: the year total can be asked for, so one hidden month needs a partner.
    cells = {(m,): v for m, v in enumerate([12, 3, 15, 40])}
    assert onderdruk(cells, drempel=5) == {(1,), (0,)}
