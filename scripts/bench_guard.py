"""The personal-data guard's cost and its two error rates (`bench.py --parts guard`).

The guard (app/core/persoonsgegevens.py) runs on every string of every write and on every import
row, so its cost is measured three ways, each next to a baseline taken in the same run:

- per text, over the ordinary sentences of the corpus (tests/persoonsgegevens_corpus.py) and
  generated date/time phrasings, each as if seen for the first time (the guard remembers short clean
  texts); baseline: one compiled regex scan of the same texts, the least any scan of a text costs;
- per contactmoment body and per signal body, validated by their write schemas with the guard, and
  with the guard switched off (the baseline): the difference is what the guard adds to a write or an
  import row (code-list values repeat from row to row, so they come from the guard's memory).

It also reports the miss rate (texts that must be refused, let through) and the false-refusal rate
(ordinary texts refused) over the corpus. No database is needed.
"""

from __future__ import annotations

import re
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.contactmomenten.schemas import ContactmomentCreate
from app.core import persoonsgegevens
from app.signalen.schemas import SignaalCreate
from tests.persoonsgegevens_corpus import (
    ACCEPTEREN,
    WEIGEREN,
    datum_tijd_zinnen,
    issue_22_zinnen,
    tijdvak_zinnen,
)

DATUM = (date.today() - timedelta(days=10)).isoformat()
CONTACTMOMENT = {
    "externId": "crm-2025-000123",
    "sleutelpersoonId": str(uuid.UUID(int=1)),
    "datum": DATUM,
    "gemeentecode": "GM0344",
    "wijkcode": "WK034401",
    "kanaal": "huisbezoek",
    "soort": "individueel",
    "aantalDeelnemers": 1,
    "inwonerReferentie": "client-8841",
    "inwoner": {"leeftijdscategorie": "27-44", "geslacht": "vrouw", "taal": "ar", "doelgroep": "statushouder"},
    "rol": "bemiddelaar",
    "duurMinuten": 45,
    "onderwerpen": ["geld.toeslagen", "zorg.zorgverzekering"],
    "acties": ["uitleg-brief", "afspraak-gemaakt"],
    "doorverwijzingen": [{"ketenpartnerId": str(uuid.UUID(int=2)), "onderwerp": "geld.toeslagen", "wijze": "warm", "status": "verwezen"}],
    "uitkomst": {"resultaat": "doorverwezen"},
}
SIGNAAL = {
    "externId": "crm-sig-0042",
    "datum": DATUM,
    "gemeentecode": "GM0344",
    "wijkcode": "WK034405",
    "onderwerpen": ["zorg.jgz"],
    "doelgroep": "statushouder",
    "taal": "ti",
    "titel": "Eritrese moeders kennen het consultatiebureau niet",
    "omschrijving": "In drie groepsbijeenkomsten op 12-11-2026 van 19.00-21.00 uur vertelden 14 moeders dat ze de "
                    "uitnodiging van het consultatiebureau niet begrepen; 3 van hen kwamen daarna op 19-11-2026 om 10.30 uur.",
    "hoeVaakGehoord": 12,
    "urgentie": "middel",
    "gerichtAan": {"soort": "gemeente", "gemeentecode": "GM0344"},
}


def teksten() -> list[str]:
    """The ordinary texts the per-text figure is measured over."""
    return ACCEPTEREN + datum_tijd_zinnen(200) + tijdvak_zinnen(200)


def tarieven() -> dict[str, float]:
    """Miss rate and false-refusal rate over the corpus, and over issue 22's two date/time forms."""
    gemist = sum(not persoonsgegevens.vind(t) for t, _, _ in WEIGEREN)
    gemist_22 = sum(not persoonsgegevens.vind(t) for t, _, herkomst in WEIGEREN if herkomst == "issue-22")
    aantal_22 = sum(herkomst == "issue-22" for *_, herkomst in WEIGEREN)
    onterecht = sum(bool(persoonsgegevens.vind(t)) for t in ACCEPTEREN)
    datum_tijd, tijdvak = issue_22_zinnen(1000)
    return {
        "miss rate %": round(100 * gemist / len(WEIGEREN), 1),
        "missed of issue-22 variants": float(gemist_22),
        "issue-22 variants": float(aantal_22),
        "false refusals %": round(100 * onterecht / len(ACCEPTEREN), 1),
        "dd-mm-yyyy hh.mm refused %": round(100 * sum(bool(persoonsgegevens.vind(t)) for t in datum_tijd) / len(datum_tijd), 1),
        "date hh.mm-hh.mm refused %": round(100 * sum(bool(persoonsgegevens.vind(t)) for t in tijdvak) / len(tijdvak), 1),
    }


def _per_keer_us(functie: Callable[[], Any], keren: int, rondes: int = 5) -> float:
    """CPU microseconds per call (this process's CPU time, so other work on a shared machine counts
    less), the best of a few rounds."""
    functie()
    beste = float("inf")
    for _ in range(rondes):
        begin = time.process_time()
        for _ in range(keren):
            functie()
        beste = min(beste, time.process_time() - begin)
    return beste / keren * 1e6


# Every entry point of the guard the write schemas call (the earlier, BSN-only guard had the last two).
_INGANGEN = ("vind", "vind_in_id", "bevat_bsn", "is_bsn_als_waarde")


@contextmanager
def zonder_guard() -> Iterator[None]:
    """The write schemas with the guard switched off: the baseline of the per-body figures."""
    origineel = {naam: getattr(persoonsgegevens, naam) for naam in _INGANGEN if hasattr(persoonsgegevens, naam)}
    for naam, functie in origineel.items():
        leeg: Any = (lambda *_a, **_k: []) if naam.startswith("vind") else (lambda *_a, **_k: False)
        setattr(persoonsgegevens, naam, leeg)
    try:
        yield
    finally:
        for naam, functie in origineel.items():
            setattr(persoonsgegevens, naam, functie)


def meet(keren: int = 200) -> list[tuple[str, float, float, dict[str, float]]]:
    """(name, µs with the guard, µs baseline, details) for per text, per contactmoment and per signal."""
    alle = teksten()
    scan = re.compile(r"\d|@")

    # Each text as if seen for the first time: the memory of clean short texts is emptied (an earlier
    # guard, measured for comparison, has none).
    schoon: set[str] = getattr(persoonsgegevens, "_SCHOON", set())

    def met_guard() -> None:
        for tekst in alle:
            schoon.clear()
            persoonsgegevens.vind(tekst)

    def basis() -> None:
        for tekst in alle:
            scan.search(tekst)

    n = max(1, keren // 20)
    per_tekst = _per_keer_us(met_guard, n) / len(alle)
    per_tekst_basis = _per_keer_us(basis, n) / len(alle)
    uitkomst = [("per ordinary text", per_tekst, per_tekst_basis, {"texts": float(len(alle))} | tarieven())]
    for naam, schema, body in (("per contactmoment body", ContactmomentCreate, CONTACTMOMENT),
                               ("per signal body", SignaalCreate, SIGNAAL)):
        schema.model_validate(body)  # valid, so both figures time the same path
        met = _per_keer_us(lambda s=schema, b=body: s.model_validate(b), keren)
        with zonder_guard():
            zonder = _per_keer_us(lambda s=schema, b=body: s.model_validate(b), keren)
        uitkomst.append((naam, met, zonder, {"guard µs": round(met - zonder, 1)}))
    return uitkomst


if __name__ == "__main__":
    for naam, met, basis, details in meet():
        print(f"{naam}: {met:.1f} µs (baseline {basis:.1f} µs) {details}")
