"""Cell key perturbation for figures that leave an organisation (docs/onderdrukking.md).

The method of ONS (Census 2021, `cell-key-perturbation`) and ABS TableBuilder: every counted unit
carries a random record key (0..255), and a cell's record key sum is the sum of its units' keys mod
256. What differs from a textbook ptable (issue 21):

- **A cell key per measure and cell.** The sum of record keys is not used as the cell key directly:
  a keyed hash of the measure (a count of contacts, of questions, of residents, a sum of minutes, a
  median), the cell's description and the sum gives the key (`celsleutel`). Two figures over the
  same records (a sum and a count, a median and a numerator, a quarter and its only busy month) so
  get independent noise: a difference never cancels it, and "the two tables gave the same figure"
  no longer means "they hold the same records". The cell keys of two overlapping cells are not
  related by a sum an attacker can subtract.
- **Existence hidden.** Nothing below the threshold is published, zero included: a true 0 and a
  true 1..4 are both published as suppressed. The noise is applied unchanged near the threshold, so
  a true 3 or 4 can be published as 5 or 6 and a true 5 or 6 can be suppressed, each by the cell key.
  "Suppressed" therefore means neither "someone" nor "at most 4".

The ptable follows ONS's format (`pcv, ckey, pvalue`) and its rule for large values: cells above
`max_pcv` reuse the last `herhaling` rows. The noise depends on the cell key, not the value alone,
so adding one's own records one at a time does not reveal a rounding boundary.
"""

import csv
import hashlib
import hmac
import io
import math
import random
from dataclasses import dataclass
from functools import lru_cache

CELSLEUTELS = 256


@dataclass(frozen=True)
class PtableParameters:
    """The parameters the ptable is generated from; they are part of the published method."""

    drempel: int = 5  # a published count is at least this; anything less is suppressed
    # Slots out of 256 for noise 0, ±1, ±2 (each sign): P(0) = 100/256, P(±1) = 52/256, P(±2) = 26/256.
    verdeling: tuple[int, ...] = (100, 52, 26)
    max_pcv: int = 100  # rows 1..max_pcv; larger values reuse the last `herhaling` rows
    herhaling: int = 50
    zaad: str = "sleutelmonitor-ptable-2"  # seed of the per-row shuffles; changing it changes every answer

    @property
    def max_ruis(self) -> int:
        return len(self.verdeling) - 1

    @property
    def variantie(self) -> float:
        return sum(2 * n * d * d for d, n in enumerate(self.verdeling) if d) / CELSLEUTELS

    def kans_getoond(self, waarde: int) -> float:
        """The share of cell keys for which a true count is published (not suppressed)."""
        if waarde <= 0:
            return 0.0
        slots = [(0, self.verdeling[0])] + [(s * d, n) for d, n in enumerate(self.verdeling) if d for s in (1, -1)]
        return sum(n for d, n in slots if waarde + d >= self.drempel) / CELSLEUTELS


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
        """The published count: the value plus the ptable's noise, or None (suppressed) below the threshold.

        A true 0 is suppressed too, so a suppressed cell does not say that anybody is there."""
        if waarde <= 0:
            return None
        verstoord = waarde + self.ruis[self.pcv(waarde)][celsleutel % CELSLEUTELS]
        return verstoord if verstoord >= self.parameters.drempel else None

    def som(self, som: float, *, records: int, celsleutel: int, basis: float, min_records: int) -> float | None:
        """A published sum (or median): None when fewer than `min_records` records contribute, else a
        multiple of `basis`, rounded up or down by the cell key (unbiased) and moved by the ptable's
        noise in whole bases. The cell key is the sum's own (`celsleutel` with the sum's measure), so
        a difference with any count over the same records carries this noise in full."""
        if records < max(1, min_records):
            return None
        sleutel = celsleutel % CELSLEUTELS
        afgerond = math.floor(som / basis + (sleutel + 0.5) / CELSLEUTELS)
        return max(0, afgerond + self.ruis[self.pcv(records)][(sleutel * 167 + 89) % CELSLEUTELS]) * basis

    def als_csv(self) -> str:
        """The table in ONS's format: one row per (pcv, ckey); `pvalue` below the threshold is empty."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["pcv", "ckey", "pvalue"])
        for pcv in range(1, len(self.ruis)):
            for ckey in range(CELSLEUTELS):
                getoond = self.aantal(pcv, ckey)
                writer.writerow([pcv, ckey, "" if getoond is None else getoond])
        return buffer.getvalue()


def genereer(parameters: PtableParameters) -> Ptable:
    """Build the ptable: per row, noise in the stated proportions, shuffled over the 256 cell keys.

    The same noise applies near the threshold as elsewhere; `Ptable.aantal` suppresses what lands
    below it. So the outcome of a count near the threshold depends on the cell key in both
    directions, and the noise stays unbiased before suppression."""
    slots = [0] * parameters.verdeling[0]
    for d, n in enumerate(parameters.verdeling[1:], start=1):
        slots += [d] * n + [-d] * n
    if len(slots) != CELSLEUTELS:
        raise ValueError(f"de verdeling telt {len(slots)} cellen, geen {CELSLEUTELS}")
    if parameters.max_pcv - parameters.herhaling < parameters.drempel + parameters.max_ruis:
        raise ValueError("de herhaalde rijen moeten boven de drempel plus de ruis liggen")
    rijen: list[tuple[int, ...]] = [(0,) * CELSLEUTELS]
    for pcv in range(1, parameters.max_pcv + 1):
        rij = list(slots)
        random.Random(f"{parameters.zaad}:{pcv}").shuffle(rij)
        rijen.append(tuple(rij))
    return Ptable(parameters=parameters, ruis=tuple(rijen))


@lru_cache(maxsize=4)
def ptable(drempel: int) -> Ptable:
    """The service's ptable for a threshold (a setting); built once per process, in a few ms."""
    return genereer(PtableParameters(drempel=drempel))


def celsleutel(geheim: bytes, maat: str, sleutelsom: int, cel: str) -> int:
    """The cell key of one measure of one cell whose record keys sum to `sleutelsom` (mod 256).

    A keyed hash of the measure, the cell's description (its period and the value of every
    characteristic, see `service.beschrijving`) and the record key sum: the same cell always gives
    the same key; two measures, or two different descriptions, give unrelated keys (so a difference
    of two tables never cancels the noise, even when they cover the same records); and without the
    secret nobody can relate the keys of two cells."""
    return hmac.new(geheim, f"{maat}|{cel}|{sleutelsom % CELSLEUTELS}".encode(), hashlib.sha256).digest()[0]
