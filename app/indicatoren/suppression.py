"""Small-count suppression for regional reports (see docs/onderdrukking.md).

Primary: every count from 1 up to the threshold minus one is hidden. Secondary: in every group
of cells that differ in one dimension only (a row or column of the table, the time axis
included), a group total can be asked for separately, so a single hidden cell could be
recomputed by subtraction. Whenever a group holds exactly one hidden cell, the smallest
non-zero visible cell of that group is hidden too; this repeats until no group changes.
"""

from collections import defaultdict
from collections.abc import Hashable, Mapping

Key = tuple[Hashable, ...]


def onderdruk(cellen: Mapping[Key, int | float | None], *, drempel: int) -> set[Key]:
    """Return the keys of the cells to hide; all keys must have the same length."""
    hidden = {k for k, v in cellen.items() if v is not None and 0 < v < drempel}
    if not hidden:
        return hidden
    width = len(next(iter(cellen)))
    changed = True
    while changed:
        changed = False
        for axis in range(width):
            groups: dict[Key, list[Key]] = defaultdict(list)
            for key in cellen:
                groups[key[:axis] + key[axis + 1 :]].append(key)
            for members in groups.values():
                if sum(1 for k in members if k in hidden) != 1:
                    continue
                visible = [k for k in members if k not in hidden and (cellen[k] or 0) > 0]
                if not visible:
                    continue  # the rest is zero: the total is the hidden cell, and it is hidden too
                smallest = min(visible, key=lambda k: (cellen[k] or 0, repr(k)))
                hidden.add(smallest)
                changed = True
    return hidden
