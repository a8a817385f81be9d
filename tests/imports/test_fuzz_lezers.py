"""Every reader survives any byte sequence (issue 22, finding 4): property-based, with Hypothesis.

Two properties, each over CSV, xlsx and NDJSON:

- the reader yields rows or raises `LeesFout` (a Dutch message), nothing else, and no header or cell
  it yields holds text that cannot be stored (a lone surrogate, NUL);
- a dry run through the import service on a real database ends `geslaagd`, `gedeeltelijk` or
  `mislukt`, and its report serialises as the API sends it.

Bounded for the normal suite; `SLEUTELMONITOR_FUZZ_EXAMPLES=500` searches longer.
"""

import csv
import io
import json
import os
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from app.imports import service
from app.imports.mapping import is_koprij
from app.imports.readers import _ONSCHRIJFBAAR, LeesFout, lezer_voor
from app.imports.schemas import publiek
from tests.imports.helpers import KOP, Omgeving, rij
from tests.imports.kapotte_bestanden import WERKBOEK, _met_blad, _rij_xml

VOORBEELDEN = int(os.environ.get("SLEUTELMONITOR_FUZZ_EXAMPLES", "15"))
LEZERS = settings(max_examples=VOORBEELDEN * 4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
IMPORTS = settings(max_examples=VOORBEELDEN, deadline=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# Text with what breaks readers: separators, quotes, line ends, NUL, lone surrogates, digits, dates.
TEKENS = st.sampled_from(list(';,\t"\'\r\n\x00\ud800\udc00\ufeff€é-/ 0123456789') + ["9" * 50, "14-3-2025", "Mays A."])
TEKST = st.lists(st.one_of(TEKENS, st.text(max_size=5)), max_size=40).map("".join)


def _codeer(tekst: str, codering: str) -> bytes:
    return tekst.encode(codering, "surrogatepass" if codering.startswith("utf") else "replace")


@st.composite
def csv_bestanden(draw: st.DrawFn) -> bytes:
    soort = draw(st.sampled_from(["tekst", "rijen", "bytes"]))
    if soort == "bytes":
        return draw(st.binary(max_size=400))
    if soort == "tekst":
        return _codeer(draw(TEKST), draw(st.sampled_from(["utf-8", "cp1252", "utf-16"])))
    # Valid rows with random values in some cells; surrogatepass writes a lone surrogate as UTF-8 would.
    rijen = draw(st.lists(st.dictionaries(st.sampled_from(KOP), TEKST, max_size=4), max_size=4))
    buffer = io.StringIO()
    schrijver = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    schrijver.writerows([KOP, *([r.get(k, v) for k, v in zip(KOP, rij(), strict=True)] for r in rijen)])
    return buffer.getvalue().encode("utf-8", "surrogatepass")


@st.composite
def xlsx_bestanden(draw: st.DrawFn) -> bytes:
    soort = draw(st.sampled_from(["bitflip", "afgekapt", "cellen"]))
    if soort == "bitflip":
        data = bytearray(WERKBOEK)
        for positie, bit in draw(st.lists(st.tuples(st.integers(0, len(data) - 1), st.integers(0, 7)), min_size=1, max_size=6)):
            data[positie] ^= 1 << bit
        return bytes(data)
    if soort == "afgekapt":
        return WERKBOEK[: draw(st.integers(0, len(WERKBOEK) - 1))]
    cellen = []
    for _ in range(draw(st.integers(1, 6))):
        celtype = draw(st.sampled_from(["", "s", "n", "b", "d", "e", "str", "inlineStr", "zzz"]))
        stijl = draw(st.sampled_from(["", "0", "1", "99"]))
        waarde = escape(draw(st.one_of(TEKST, st.integers().map(str), st.floats().map(repr))))
        waarde = "".join(c for c in waarde if c in "\t\n\r" or (" " <= c and not "\ud800" <= c <= "\udfff"))
        attrs = (f' t="{celtype}"' if celtype else "") + (f' s="{stijl}"' if stijl else "")
        inhoud = f"<is><t>{waarde}</t></is>" if celtype == "inlineStr" else f"<v>{waarde}</v>"
        cellen.append(f"<c{attrs}>{inhoud}</c>".encode())
    return _met_blad(_rij_xml(*cellen))


JSON_SLEUTELS = st.sampled_from(["externId", "datum", "sleutelpersoonId", "gemeentecode", "onderwerpen", "acties",
                                 "aantalDeelnemers", "duurMinuten", "inwoner", "doorverwijzingen", "uitkomst", "soort"])
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEKST,
    lambda kind: st.lists(kind, max_size=3) | st.dictionaries(JSON_SLEUTELS | TEKST, kind, max_size=4),
    max_leaves=12,
)


@st.composite
def ndjson_bestanden(draw: st.DrawFn) -> bytes:
    regels = []
    for _ in range(draw(st.integers(1, 4))):
        soort = draw(st.sampled_from(["json", "object", "bytes", "diep"]))
        if soort == "bytes":
            regels.append(draw(st.binary(max_size=80)).replace(b"\n", b" "))
        elif soort == "diep":
            diepte = draw(st.integers(10, 3000))
            regels.append(b'{"onderwerpen": ' + b"[" * diepte + b"]" * diepte + b"}")
        else:
            waarde = draw(st.dictionaries(JSON_SLEUTELS, JSON, max_size=6)) if soort == "object" else draw(JSON)
            regels.append(json.dumps(waarde).encode())
    return b"\n".join(regels) + b"\n"


FORMATEN = {"csv": csv_bestanden(), "xlsx": xlsx_bestanden(), "ndjson": ndjson_bestanden()}


def _lees(formaat: str, data: bytes) -> None:
    try:
        lezer = lezer_voor(formaat, data, herken_kop=is_koprij(None))
        for gelezen in lezer.rijen():
            assert gelezen.fout is not None or not any(
                _ONSCHRIJFBAAR.search(json.dumps([k, v], ensure_ascii=False, default=str)) for k, v in gelezen.cellen.items()
            ), gelezen
            assert gelezen.fout is None or not _ONSCHRIJFBAAR.search(gelezen.fout)
        assert not _ONSCHRIJFBAAR.search("".join(getattr(lezer, "koppen", None) or []))
    except LeesFout as exc:
        assert str(exc) and not _ONSCHRIJFBAAR.search(str(exc))


@pytest.mark.parametrize("formaat", sorted(FORMATEN))
def test_a_reader_yields_rows_or_a_dutch_read_error(formaat: str) -> None:
    @LEZERS
    @given(data=FORMATEN[formaat])
    def eigenschap(data: bytes) -> None:
        _lees(formaat, data)

    eigenschap()


@pytest.mark.parametrize("formaat", sorted(FORMATEN))
def test_a_dry_run_of_any_file_ends_with_a_report_the_api_can_send(session: Session, omgeving: Omgeving, formaat: str) -> None:
    @IMPORTS
    @given(data=FORMATEN[formaat], per_rij=st.booleans())
    def eigenschap(data: bytes, per_rij: bool) -> None:
        run, verslag = service.voer_uit(session, caller=omgeving.caller, bron=data,
                                        opties=service.Opties(formaat=formaat, proefdraai=True, per_rij=per_rij))
        assert verslag.status in (service.GESLAAGD, service.GEDEELTELIJK, service.MISLUKT)
        json.dumps(run.rapport, ensure_ascii=False).encode("utf-8")
        assert "\x00" not in json.dumps(run.rapport, ensure_ascii=False)
        publiek(run).model_dump_json(by_alias=True)

    eigenschap()
