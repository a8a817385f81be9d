"""Issue 29: the per-row work of an import, counted (not timed): what is done once per distinct value stays so.

Each test counts calls of the slow path through a spy on the real function (the database is the real one)
and checks that the result is still what the slow path gives.
"""

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy.dialects import sqlite
from sqlmodel import Session

from app.codelijsten import service as codelijsten
from app.contactmomenten import schrijver
from app.imports import readers
from tests.imports.helpers import Omgeving, fouten, importeer, ndjson_bytes


def _body(omgeving: Omgeving, extern_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "externId": extern_id, "sleutelpersoonId": str(omgeving.mays.id), "datum": "2025-03-14",
        "gemeentecode": "GM0344", "wijkcode": "WK034401", "kanaal": "huisbezoek", "inwonerReferentie": "client-7",
        "inwoner": {"leeftijdscategorie": "27-44", "geslacht": "vrouw", "taal": "ar"},
        "rol": "bemiddelaar", "onderwerpen": ["geld.toeslagen", "zorg.huisarts"], "acties": ["informatie-gegeven"],
        "doorverwijzingen": [{"ketenpartnerId": str(omgeving.uwv.id), "onderwerp": "geld.toeslagen", "wijze": "warm"}],
        "uitkomst": {"resultaat": "opgelost"}, **extra,
    }


class Teller:
    """Wraps a function and counts its calls."""

    def __init__(self, functie: Any) -> None:
        self.functie, self.keren = functie, 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.keren += 1
        return self.functie(*args, **kwargs)


def test_rows_with_only_active_codes_do_not_go_through_check_codes(
    session: Session, omgeving: Omgeving, monkeypatch: pytest.MonkeyPatch
) -> None:
    teller = Teller(codelijsten.check_codes)
    monkeypatch.setattr(codelijsten, "check_codes", teller)
    bodies = [_body(omgeving, f"r-{i}") for i in range(20)]
    bodies.append(_body(omgeving, "fout", kanaal="postduif", acties=["bestaat-niet"]))
    verslag = importeer(session, omgeving, ndjson_bytes(bodies), formaat="ndjson", per_rij=True)
    assert (verslag.aangemaakt, verslag.afgewezen) == (20, 1)
    # Only the row with unknown codes took the slow path (once per list it checks), and its errors are all there.
    assert 0 < teller.keren <= 11
    assert {kolom for _, kolom, _, _ in fouten(verslag)} == {"kanaal", "acties[0]"}


def test_clean_ndjson_lines_are_not_walked_cell_by_cell(monkeypatch: pytest.MonkeyPatch) -> None:
    onschrijfbaar = Teller(readers._onschrijfbare_kolom)
    te_lang = Teller(readers._te_lang)
    te_diep = Teller(readers._te_diep)
    monkeypatch.setattr(readers, "_onschrijfbare_kolom", onschrijfbaar)
    monkeypatch.setattr(readers, "_te_lang", te_lang)
    monkeypatch.setattr(readers, "_te_diep", te_diep)
    # As most tools write it: UTF-8 text, not escaped (an escaped é, `\u00e9`, is clean too).
    regel = r'{"a": "schoon \u00e9", "b": ["x", {"c": "é ü 😀"}]}' + "\n"
    rijen = list(readers.NdjsonLezer(regel.encode() * 50).rijen())
    assert len(rijen) == 50 and all(r.fout is None for r in rijen)
    assert (onschrijfbaar.keren, te_lang.keren, te_diep.keren) == (0, 0, 0)
    # A NUL or a lone surrogate can only arrive as an escape: such a line is still checked, and refused.
    vies = list(readers.NdjsonLezer(b'{"a": "x\\u0000y"}\n{"a": "\\ud800"}\n{"a": "\\ud83d\\ude00"}\n').rijen())
    assert [r.fout is not None for r in vies] == [True, True, False]
    assert onschrijfbaar.keren == 3


def test_the_writer_converts_each_distinct_value_once_per_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    dialect = sqlite.dialect()
    tabel = schrijver._CONTACTMOMENT
    processor = schrijver._omzetter(dialect, tabel, "aangemaakt_op")
    assert processor is not None
    teller = Teller(processor)
    monkeypatch.setitem(schrijver._OMZETTERS, (dialect.name, tabel.name, "aangemaakt_op"), teller)
    nu = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)
    waarden = [{"extern_id": f"x-{i}", "aangemaakt_op": nu} for i in range(100)]
    rijen = schrijver._als_tupels(dialect, tabel, ("extern_id", "aangemaakt_op"), waarden)
    assert teller.keren == 1
    assert [tuple(r) for r in rijen] == [(f"x-{i}", processor(nu)) for i in range(100)]
