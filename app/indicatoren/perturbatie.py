"""Cell key perturbation for figures that leave an organisation (docs/onderdrukking.md).

The method of ONS (Census 2021, `cell-key-perturbation`) and ABS TableBuilder: every counted unit
carries a random record key (0..255), a cell's key is the sum of its units' keys mod 256, and a
perturbation table (ptable) maps (cell value, cell key) to the noise added to the cell. The same
cell always has the same key, so it always gets the same answer; two overlapping cells have
unrelated keys, so their difference carries the noise of both.

The ptable follows ONS's format (`pcv, ckey, pvalue`) and its rule for large values: cells above
`max_pcv` reuse the last `herhaling` rows. Unlike ONS's sample `ptable_10_5_rule.csv` (pure
rounding: the noise depends on the value only), the noise here depends on the cell key, so adding
one's own records one at a time does not reveal a rounding boundary.
"""

import csv
import io
import math
import random
from dataclasses import dataclass
from functools import lru_cache

CELSLEUTELS = 256


@dataclass(frozen=True)
class PtableParameters:
    """The parameters the ptable is generated from; they are part of the published method."""

    drempel: int = 5  # values 1..drempel-1 are never shown
    # Slots out of 256 for noise 0, ±1, ±2 (each sign): P(0) = 100/256, P(±1) = 52/256, P(±2) = 26/256.
    verdeling: tuple[int, ...] = (100, 52, 26)
    max_pcv: int = 100  # rows 1..max_pcv; larger values reuse the last `herhaling` rows
    herhaling: int = 50
    zaad: str = "sleutelmonitor-ptable-1"  # seed of the per-row shuffles; changing it changes every answer

    @property
    def max_ruis(self) -> int:
        return len(self.verdeling) - 1

    @property
    def variantie(self) -> float:
        return sum(2 * n * d * d for d, n in enumerate(self.verdeling) if d) / CELSLEUTELS


@dataclass(frozen=True)
class Ptable:
    parameters: PtableParameters
    ruis: tuple[tuple[int, ...], ...]  # ruis[pcv][ckey]; row 0 is all zeros

    def pcv(self, waarde: int) -> int:
        """The ptable row of a cell value (ONS: rows above the top are reused cyclically)."""
        p = self.parameters
        if waarde <= p.max_pcv:
            return waarde
        return (waarde - 1) % p.herhaling + p.max_pcv - p.herhaling + 1

    def aantal(self, waarde: int, celsleutel: int) -> int | None:
        """The published count: 0 stays 0, small counts are suppressed (None), the rest gets noise."""
        if waarde <= 0:
            return 0
        verstoord = waarde + self.ruis[self.pcv(waarde)][celsleutel % CELSLEUTELS]
        return verstoord if verstoord >= self.parameters.drempel else None

    def som(self, som: float, *, records: int, celsleutel: int, basis: float) -> float | None:
        """A published sum: None when fewer than `drempel` records contribute, else a multiple of
        `basis`, rounded up or down by the cell key (unbiased) and moved by the ptable's noise in
        whole bases."""
        if records <= 0:
            return 0
        if records < self.parameters.drempel:
            return None
        sleutel = celsleutel % CELSLEUTELS
        afgerond = math.floor(som / basis + (sleutel + 0.5) / CELSLEUTELS)
        return max(0, afgerond + self.ruis[self.pcv(records)][sleutel]) * basis

    def als_csv(self) -> str:
        """The table in ONS's format: one row per (pcv, ckey)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["pcv", "ckey", "pvalue"])
        for pcv in range(1, len(self.ruis)):
            for ckey, pvalue in enumerate(self.ruis[pcv]):
                writer.writerow([pcv, ckey, pvalue])
        return buffer.getvalue()


def genereer(parameters: PtableParameters) -> Ptable:
    """Build the ptable: per row, noise in the stated proportions, shuffled over the 256 cell keys.

    Rows below the threshold map to 0 (they are suppressed anyway). Near the threshold, noise that
    would land in 1..drempel-1 is moved to the threshold itself, so a shown count is never small
    and a count of at least the threshold is never suppressed.
    """
    slots = [0] * parameters.verdeling[0]
    for d, n in enumerate(parameters.verdeling[1:], start=1):
        slots += [d] * n + [-d] * n
    if len(slots) != CELSLEUTELS:
        raise ValueError(f"de verdeling telt {len(slots)} cellen, geen {CELSLEUTELS}")
    if parameters.max_pcv - parameters.herhaling < parameters.drempel + parameters.max_ruis:
        raise ValueError("de herhaalde rijen moeten boven de drempel plus de ruis liggen")
    rijen: list[tuple[int, ...]] = [(0,) * CELSLEUTELS]
    for pcv in range(1, parameters.max_pcv + 1):
        if pcv < parameters.drempel:
            rijen.append((-pcv,) * CELSLEUTELS)
            continue
        rij = [max(d, parameters.drempel - pcv) for d in slots]
        random.Random(f"{parameters.zaad}:{pcv}").shuffle(rij)
        rijen.append(tuple(rij))
    return Ptable(parameters=parameters, ruis=tuple(rijen))


@lru_cache(maxsize=4)
def ptable(drempel: int) -> Ptable:
    """The service's ptable for a threshold (a setting); built once per process, in a few ms."""
    return genereer(PtableParameters(drempel=drempel))
