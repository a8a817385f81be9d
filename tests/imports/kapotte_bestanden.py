"""A corpus of malformed import files, made deterministically in memory (issue 22, finding 4).

Each entry is (name, format, bytes). The corpus follows the kinds of files that gave 500s: bit
flips and truncations of a real workbook, workbooks whose XML says what no spreadsheet program writes
(a shared-string index out of range, cell types with impossible values, a compression method Python
does not have), NDJSON nested thousands deep, integers of thousands of digits, lone surrogates and
NUL characters, and CSV with NUL bytes, broken quotes and impossible numbers.

    .venv/bin/python -m tests.imports.kapotte_bestanden DIR   # write them as files, to try by hand
"""

import io
import random
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

from tests.imports.helpers import KOP, csv_bytes, rij, xlsx_bytes

Bestand = tuple[str, str, bytes]

WERKBOEK = xlsx_bytes({"Blad1": [KOP, rij(), rij(Sleutelpersoon="Fátima E.")]})
BLAD = "xl/worksheets/sheet1.xml"
GEDEELDE_TEKSTEN = "xl/sharedStrings.xml"


def _leden(werkboek: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(werkboek)) as archief:
        return {naam: archief.read(naam) for naam in archief.namelist()}


def _zip(leden: dict[str, bytes], *, methode: Callable[[str], int] = lambda _: zipfile.ZIP_DEFLATED) -> bytes:
    uit = io.BytesIO()
    with zipfile.ZipFile(uit, "w") as archief:
        for naam, inhoud in leden.items():
            archief.writestr(zipfile.ZipInfo(naam, date_time=(2025, 1, 1, 0, 0, 0)), inhoud, compress_type=methode(naam))
    return uit.getvalue()


def _met_blad(rijen_xml: bytes, *, gedeeld: bytes | None = None, stijlen: bytes | None = None) -> bytes:
    """The workbook with its sheet's data replaced by `rijen_xml` (and its shared strings or styles)."""
    leden = _leden(WERKBOEK)
    blad = leden[BLAD]
    begin, rest = blad.split(b"<sheetData>", 1)
    _, eind = rest.split(b"</sheetData>", 1)
    leden[BLAD] = begin + b"<sheetData>" + rijen_xml + b"</sheetData>" + eind
    if gedeeld is not None:
        leden[GEDEELDE_TEKSTEN] = gedeeld
    if stijlen is not None:
        leden["xl/styles.xml"] = stijlen
    return _zip(leden)


def _kop_xml() -> bytes:
    cellen = b"".join(b'<c t="inlineStr"><is><t>%s</t></is></c>' % k.encode() for k in KOP)
    return b'<row r="1">' + cellen + b"</row>"


def _rij_xml(*cellen: bytes, r: bytes = b"2") -> bytes:
    return _kop_xml() + b'<row r="' + r + b'">' + b"".join(cellen) + b"</row>"


def _tekst(waarde: bytes) -> bytes:
    return b'<c t="inlineStr"><is><t>' + waarde + b"</t></is></c>"


def _gedeeld(*teksten: bytes) -> bytes:
    items = b"".join(b"<si><t>" + t + b"</t></si>" for t in teksten)
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main" count="%d" uniqueCount="%d">' % (len(teksten), len(teksten)) + items + b"</sst>")


# A date style (numFmtId 14) as cell style 1, so a number in a cell with s="1" is read as a date.
STIJLEN = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="http://schemas.openxmlformats.org/'
           b'spreadsheetml/2006/main"><fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1">'
           b'<border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0"/>'
           b'<xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>')


def xlsx_corpus() -> list[Bestand]:
    uit: list[Bestand] = []
    kans = random.Random(22)
    # Bit flips across the whole zip (directory, headers, compressed XML) and truncations.
    for i in range(24):
        data = bytearray(WERKBOEK)
        for _ in range(1 + i % 4):
            positie = kans.randrange(len(data))
            data[positie] ^= 1 << kans.randrange(8)
        uit.append((f"bitflip-{i}.xlsx", "xlsx", bytes(data)))
    for lengte in (30, 200, len(WERKBOEK) // 2, len(WERKBOEK) - 22, len(WERKBOEK) - 1):
        uit.append((f"afgekapt-{lengte}.xlsx", "xlsx", WERKBOEK[:lengte]))
    # Bit flips inside one member's compressed data only (zlib.error, bad CRC).
    leden = _leden(WERKBOEK)
    for naam in (BLAD, "xl/workbook.xml", GEDEELDE_TEKSTEN if GEDEELDE_TEKSTEN in leden else "xl/styles.xml"):
        archief = bytearray(_zip(leden))
        plek = archief.find(naam.encode()) + len(naam) + 10
        for j in range(3):
            archief[plek + j * 7] ^= 0x55
        uit.append((f"lid-kapot-{naam.replace('/', '_')}.xlsx", "xlsx", bytes(archief)))
    # The end record points the central directory further on than it is: every member's offset
    # comes out negative (zipfile: "negative seek value"; found by the fuzz in test_fuzz_lezers).
    eind = bytearray(WERKBOEK)
    plek = eind.rfind(b"PK\x05\x06") + 16
    eind[plek:plek + 4] = (int.from_bytes(eind[plek:plek + 4], "little") + 100).to_bytes(4, "little")
    uit.append(("eindrecord-verschoven.xlsx", "xlsx", bytes(eind)))
    # Members stored with methods Python lacks (NotImplementedError) or that are missing altogether.
    methode = 99
    uit.append(("onbekende-compressie.xlsx", "xlsx", _onbekende_methode(leden, methode)))
    for weg in (BLAD, "xl/workbook.xml", "[Content_Types].xml", "xl/_rels/workbook.xml.rels"):
        uit.append((f"zonder-{weg.replace('/', '_')}.xlsx", "xlsx", _zip({k: v for k, v in leden.items() if k != weg})))
    # XML that no spreadsheet program writes.
    uit += [
        ("gedeelde-tekst-buiten-bereik.xlsx", "xlsx", _met_blad(_rij_xml(b'<c t="s"><v>999</v></c>'), gedeeld=_gedeeld(b"a"))),
        ("gedeelde-tekst-negatief.xlsx", "xlsx", _met_blad(_rij_xml(b'<c t="s"><v>-5</v></c>'), gedeeld=_gedeeld(b"a"))),
        ("gedeelde-tekst-geen-getal.xlsx", "xlsx", _met_blad(_rij_xml(b'<c t="s"><v>abc</v></c>'), gedeeld=_gedeeld(b"a"))),
        ("getal-geen-getal.xlsx", "xlsx", _met_blad(_rij_xml(b'<c t="n"><v>twaalf</v></c>'))),
        ("getal-5001-cijfers.xlsx", "xlsx", _met_blad(_rij_xml(b"<c><v>" + b"9" * 5001 + b"</v></c>"))),
        ("getal-oneindig.xlsx", "xlsx", _met_blad(_rij_xml(b"<c><v>1e999</v></c>", b"<c><v>nan</v></c>"))),
        ("datum-buiten-bereik.xlsx", "xlsx", _met_blad(_rij_xml(b'<c s="1"><v>99999999999</v></c>'), stijlen=STIJLEN)),
        ("datum-negatief.xlsx", "xlsx", _met_blad(_rij_xml(b'<c s="1"><v>-99999999</v></c>'), stijlen=STIJLEN)),
        ("datumtype-onzin.xlsx", "xlsx", _met_blad(_rij_xml(b'<c t="d"><v>geen datum</v></c>'))),
        ("stijl-buiten-bereik.xlsx", "xlsx", _met_blad(_rij_xml(b'<c s="999"><v>1</v></c>'))),
        ("booleaans-onzin.xlsx", "xlsx", _met_blad(_rij_xml(b'<c t="b"><v>misschien</v></c>'))),
        ("fouttype.xlsx", "xlsx", _met_blad(_rij_xml(b'<c t="e"><v>#DIV/0!</v></c>'))),
        ("onbekend-celtype.xlsx", "xlsx", _met_blad(_rij_xml(b'<c t="zzz"><v>1</v></c>'))),
        ("inline-zonder-tekst.xlsx", "xlsx", _met_blad(_rij_xml(b'<c t="inlineStr"></c>'))),
        ("celverwijzing-onzin.xlsx", "xlsx", _met_blad(_rij_xml(b'<c r="1A"><v>1</v></c>', b'<c r="ZZZZZZ1"><v>1</v></c>'))),
        ("rijnummer-onzin.xlsx", "xlsx", _met_blad(_rij_xml(_tekst(b"x"), r=b"abc"))),
        ("rijnummer-nul.xlsx", "xlsx", _met_blad(_rij_xml(_tekst(b"x"), r=b"0"))),
        ("rijnummer-enorm.xlsx", "xlsx", _met_blad(_rij_xml(_tekst(b"x"), r=b"99999999999999999999"))),
        ("surrogaat-escape.xlsx", "xlsx", _met_blad(_rij_xml(_tekst(b"Mays _xD800_ A."), _tekst(b"GM0344")))),
        ("nul-escape.xlsx", "xlsx", _met_blad(_rij_xml(_tekst(b"14-3-2025"), _tekst(b"Mays_x0000_A.")))),
        ("surrogaat-in-kop.xlsx", "xlsx", _met_blad(b'<row r="1">' + _tekst(b"Datum_xDC00_") + b"</row>" + b'<row r="2">' + _tekst(b"1-1-2025") + b"</row>")),
        ("gedeelde-surrogaat.xlsx", "xlsx", _met_blad(_rij_xml(b'<c t="s"><v>0</v></c>'), gedeeld=_gedeeld(b"_xD83D_"))),
        ("xml-kapot.xlsx", "xlsx", _met_blad(b"<row><c><v>1</v></row>")),
        ("dimensie-onzin.xlsx", "xlsx", _dimensie(b"A1:ZZZZZZZZ999999999999")),
        ("leeg-blad.xlsx", "xlsx", _met_blad(b"")),
    ]
    return uit


def _onbekende_methode(leden: dict[str, bytes], methode: int) -> bytes:
    data = bytearray(_zip(leden, methode=lambda naam: zipfile.ZIP_STORED))
    # Patch the method field of the sheet's local header and central directory entry.
    naam = BLAD.encode()
    for handtekening, plek in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        start = 0
        while (start := data.find(handtekening, start)) >= 0:
            naam_begin = start + (30 if handtekening == b"PK\x03\x04" else 46)
            if data[naam_begin:naam_begin + len(naam)] == naam:
                data[start + plek:start + plek + 2] = methode.to_bytes(2, "little")
            start += 4
    return bytes(data)


def _dimensie(ref: bytes) -> bytes:
    leden = _leden(WERKBOEK)
    blad = leden[BLAD]
    if b"<dimension" in blad:
        begin = blad.index(b"<dimension")
        eind = blad.index(b"/>", begin) + 2
        blad = blad[:begin] + b'<dimension ref="' + ref + b'"/>' + blad[eind:]
    leden[BLAD] = blad
    return _zip(leden)


def _ndjson(*regels: str | bytes) -> bytes:
    return b"".join((r if isinstance(r, bytes) else r.encode("utf-8", "surrogatepass")) + b"\n" for r in regels)


def ndjson_corpus() -> list[Bestand]:
    diep = 5000
    return [
        ("genest-lijst.ndjson", "ndjson", _ndjson("[" * diep + "]" * diep)),
        ("genest-object.ndjson", "ndjson", _ndjson('{"a":' * diep + "1" + "}" * diep)),
        ("genest-in-veld.ndjson", "ndjson", _ndjson('{"onderwerpen": ' + "[" * diep + "]" * diep + "}")),
        ("getal-5001-cijfers.ndjson", "ndjson", _ndjson('{"aantalDeelnemers": ' + "9" * 5001 + "}")),
        ("getal-5001-cijfers-kaal.ndjson", "ndjson", _ndjson("9" * 5001)),
        ("getal-1e999.ndjson", "ndjson", _ndjson('{"aantalDeelnemers": 1e999, "duurMinuten": -1e999}')),
        ("nan.ndjson", "ndjson", _ndjson('{"aantalDeelnemers": NaN, "duurMinuten": Infinity}')),
        ("surrogaat.ndjson", "ndjson", _ndjson('{"externId": "\\ud800", "datum": "2025-03-14"}')),
        ("surrogaat-in-sleutel.ndjson", "ndjson", _ndjson('{"\\udc00": 1, "datum": "2025-03-14"}')),
        ("surrogaat-in-lijst.ndjson", "ndjson", _ndjson('{"onderwerpen": ["geld.\\ud83d"]}')),
        ("surrogaat-rauw.ndjson", "ndjson", _ndjson(b'{"externId": "\xed\xa0\x80"}')),
        ("nul-teken.ndjson", "ndjson", _ndjson('{"externId": "a\\u0000b", "sleutelpersoonId": "\\u0000"}')),
        ("geen-utf8.ndjson", "ndjson", _ndjson(b'{"externId": "caf\xe9"}')),
        ("geen-object.ndjson", "ndjson", _ndjson("true", "null", "[]", '"tekst"', "12")),
        ("kapotte-json.ndjson", "ndjson", _ndjson("{", '{"a": }', "}{", "{'a': 1}")),
        ("bom-midden.ndjson", "ndjson", _ndjson('{"datum": "2025-03-14"}', '\ufeff{"datum": "2025-03-14"}')),
        ("verkeerde-typen.ndjson", "ndjson", _ndjson(
            '{"datum": 1e308, "gemeentecode": [], "inwoner": "x", "doorverwijzingen": [{"ketenpartnerId": {"a": 1}}]}',
            '{"onderwerpen": {"a": 1}, "acties": [[[]]], "uitkomst": [], "aantalDeelnemers": "9' + "9" * 5000 + '"}',
            '{"sleutelpersoonId": 123, "datum": "99999-99-99", "duurMinuten": 1e20, "externId": ""}',
        )),
        ("alleen-witruimte.ndjson", "ndjson", b"\n \n\t\n"),
        ("leeg.ndjson", "ndjson", b"\xef\xbb\xbf"),
    ]


def csv_corpus() -> list[Bestand]:
    return [
        ("nul-bytes.csv", "csv", csv_bytes([rij()]).replace(b"Mays", b"Ma\x00ys")),
        ("nul-in-kop.csv", "csv", b"Datum\x00;Sleutelpersoon\r\n1-1-2025;Mays A.\r\n"),
        ("open-aanhalingsteken.csv", "csv", csv_bytes([rij()]) + b'"14-3-2025;Mays A.;"GM0344\r\n'),
        ("losse-cr.csv", "csv", csv_bytes([rij()]).replace(b"\r\n", b"\r")),
        ("getal-5001-cijfers.csv", "csv", csv_bytes([rij(Aantal_deelnemers="9" * 5001, Duur_min="9" * 5001)])),
        ("getal-enorm.csv", "csv", csv_bytes([rij(Aantal_deelnemers="1e999", Duur_min="-1e999")])),
        ("datum-onzin.csv", "csv", csv_bytes([rij(Datum="99-99-99999"), rij(Datum="31-2-2025"), rij(Datum="0-0-0"),
                                              rij(Datum="1-1-" + "9" * 5000)])),
        ("cp1252-ongedefinieerd.csv", "csv", csv_bytes([rij()]).replace(b"Mays", b"M\x81\x8d\x8f\x90\x9d")),
        ("utf16.csv", "csv", csv_bytes([rij()], codering="utf-16")),
        ("alleen-bom.csv", "csv", b"\xef\xbb\xbf"),
        ("alleen-kop.csv", "csv", csv_bytes([])),
        ("scheidingsteken-in-waarde.csv", "csv", csv_bytes([rij()]) + b"14-3-2025;Mays A.;GM0344;" + b";" * 40 + b"\r\n"),
        ("kop-duplicaten.csv", "csv", b"Datum;Datum;Datum\r\n1-1-2025;2-1-2025;3-1-2025\r\n"),
        ("binair.csv", "csv", bytes(range(256)) * 4),
        ("surrogaat-als-utf8.csv", "csv", csv_bytes([rij()], codering="utf-8").replace(b"Mays", b"\xed\xa0\x80")),
    ]


def corpus() -> list[Bestand]:
    """Every malformed file: about 100, each small."""
    return xlsx_corpus() + ndjson_corpus() + csv_corpus()


if __name__ == "__main__":
    doel = Path(sys.argv[1] if len(sys.argv) > 1 else "kapotte-bestanden")
    doel.mkdir(parents=True, exist_ok=True)
    for naam, _, inhoud in corpus():
        (doel / naam).write_bytes(inhoud)
    print(f"{len(corpus())} files in {doel}")
