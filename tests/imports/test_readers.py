"""Readers on files made here: encodings, separators, quoting, empty rows, sheets, dates, NDJSON."""

from datetime import date, datetime
from pathlib import Path

import pytest

from app.imports.mapping import is_koprij, lees_datum, lees_gemeentecode, lees_minuten
from app.imports.readers import CsvLezer, LeesFout, NdjsonLezer, XlsxLezer, als_tekst, formaat_van_naam
from tests.imports.helpers import KOP, csv_bytes, ndjson_bytes, rij, xlsx_bytes


def _cellen(lezer) -> list[tuple[int, dict]]:  # type: ignore[no-untyped-def]
    return [(r.nummer, r.cellen) for r in lezer.rijen()]


# --- CSV -------------------------------------------------------------------------------------


def test_csv_utf8_with_bom_and_semicolons() -> None:
    lezer = CsvLezer(csv_bytes([rij(Sleutelpersoon="Zoë Ö.")], codering="utf-8-sig"))
    assert (lezer.codering, lezer.scheidingsteken) == ("utf-8-sig", ";")
    [(nummer, cellen)] = _cellen(lezer)
    assert nummer == 2
    assert list(cellen) == KOP  # the BOM is not part of the first header
    assert cellen["Sleutelpersoon"] == "Zoë Ö."
    assert cellen["Cliëntnummer"] == "C001"


def test_csv_utf8_without_bom() -> None:
    lezer = CsvLezer(csv_bytes([rij(Onderwerp="Geld, Toeslagen")], codering="utf-8"))
    assert lezer.codering == "utf-8"
    assert _cellen(lezer)[0][1]["Onderwerp"] == "Geld, Toeslagen"


def test_csv_windows_1252_with_accents() -> None:
    data = csv_bytes([rij(Sleutelpersoon="Hélène Ë.", Onderwerp="Financiën")], codering="cp1252")
    assert "ë".encode("cp1252") in data
    lezer = CsvLezer(data)
    assert lezer.codering == "cp1252"
    [(_, cellen)] = _cellen(lezer)
    assert "Cliëntnummer" in cellen
    assert (cellen["Sleutelpersoon"], cellen["Onderwerp"]) == ("Hélène Ë.", "Financiën")


def test_csv_windows_1252_byte_late_in_a_large_file_is_still_detected(tmp_path: Path) -> None:
    # Only the last row has a non-UTF-8 byte, far beyond any sample the reader could take.
    rijen = [rij(Cliëntnummer=f"C{i:05d}") for i in range(3000)] + [rij(Sleutelpersoon="Noël")]
    pad = tmp_path / "groot.csv"
    pad.write_bytes(csv_bytes(rijen, codering="cp1252"))
    lezer = CsvLezer(pad)
    assert lezer.codering == "cp1252"
    laatste = list(lezer.rijen())[-1]
    assert (laatste.nummer, laatste.cellen["Sleutelpersoon"]) == (3002, "Noël")


@pytest.mark.parametrize("scheidingsteken", [",", "\t", ";"])
def test_csv_separator_is_sniffed(scheidingsteken: str) -> None:
    # Values with commas are quoted by the writer; the sniffer must still pick the real separator.
    data = csv_bytes(
        [rij(Onderwerp="Schulden, Toeslagen"), rij(Onderwerp="Taal; Huisarts")],
        scheidingsteken=scheidingsteken,
    )
    lezer = CsvLezer(data)
    assert lezer.scheidingsteken == scheidingsteken
    assert [c["Onderwerp"] for _, c in _cellen(lezer)] == ["Schulden, Toeslagen", "Taal; Huisarts"]


def test_csv_quoted_field_with_newline_counts_as_one_row() -> None:
    data = csv_bytes([rij(Onderwerp="Toeslagen,\nSchulden"), rij(Onderwerp="Huisarts")])
    rijen = _cellen(CsvLezer(data))
    assert [n for n, _ in rijen] == [2, 3]  # rows as a spreadsheet shows them, not physical lines
    assert rijen[0][1]["Onderwerp"] == "Toeslagen,\nSchulden"


def test_csv_empty_and_trailing_rows_are_skipped_but_keep_row_numbers() -> None:
    tekst = ";".join(KOP) + "\r\n" + ";".join(rij()) + "\r\n;;;;;;;;;;;;;;\r\n" + ";".join(rij(Taal="tr")) + "\r\n;;;;\r\n\r\n"
    rijen = _cellen(CsvLezer(tekst.encode()))
    assert [n for n, _ in rijen] == [2, 4]
    assert rijen[1][1]["Taal"] == "tr"


def test_csv_title_rows_above_the_header_are_skipped() -> None:
    tekst = "Logboek sleutelpersonen 2024;;\r\n\r\n" + "Datum;Sleutelpersoon;Onderwerp\r\n14-3-2025;Mays A.;Taal\r\n"
    lezer = CsvLezer(tekst.encode(), herken_kop=is_koprij(None))
    assert _cellen(lezer) == [(4, {"Datum": "14-3-2025", "Sleutelpersoon": "Mays A.", "Onderwerp": "Taal"})]
    assert lezer.koppen == ["Datum", "Sleutelpersoon", "Onderwerp"]


def test_csv_row_with_more_cells_than_columns_is_a_row_error() -> None:
    tekst = "Datum;Onderwerp\r\n14-3-2025;Schulden;Toeslagen\r\n14-3-2025;Taal;\r\n"
    rijen = list(CsvLezer(tekst.encode()).rijen())
    assert rijen[0].fout is not None and "3 cellen" in rijen[0].fout
    assert (rijen[1].fout, rijen[1].cellen) == (None, {"Datum": "14-3-2025", "Onderwerp": "Taal"})


def test_csv_empty_file_is_a_read_error() -> None:
    with pytest.raises(LeesFout, match="leeg"):
        CsvLezer(b"\r\n\r\n")


def test_csv_estimates_its_rows_for_the_progress_bar() -> None:
    assert CsvLezer(csv_bytes([rij(), rij(), rij()])).schat_aantal() == 3


# --- XLSX ------------------------------------------------------------------------------------


def test_xlsx_first_sheet_with_date_cells_serial_numbers_and_numbers() -> None:
    data = xlsx_bytes({
        "2024": [
            ["Datum", "Sleutelpersoon", "Aantal deelnemers", "Duur (min)"],
            [datetime(2024, 3, 14), "Mays A.", 1, 30.0],
            [45366, "Fátima E.", 12, 45],  # an Excel serial date typed as a number
            [None, None, None, None],
            [date(2024, 7, 1), "Mays A.", 1, None],
        ],
        "Overig": [["iets anders"]],
    })
    rijen = _cellen(XlsxLezer(data))
    assert [n for n, _ in rijen] == [2, 3, 5]
    assert rijen[0][1] == {"Datum": datetime(2024, 3, 14), "Sleutelpersoon": "Mays A.", "Aantal deelnemers": 1, "Duur (min)": 30}
    assert lees_datum(rijen[0][1]["Datum"]) == date(2024, 3, 14)
    assert lees_datum(rijen[1][1]["Datum"]) == date(2024, 3, 15)
    assert als_tekst(rijen[0][1]["Duur (min)"]) == "30"
    assert lees_datum(rijen[2][1]["Datum"]) == date(2024, 7, 1)


def test_xlsx_named_sheet_case_insensitive_and_unknown_sheet() -> None:
    data = xlsx_bytes({"2023": [["Datum"], ["1-1-2023"]], "Logboek 2024": [["Datum"], ["2-2-2024"]]})
    assert _cellen(XlsxLezer(data, blad="logboek 2024")) == [(2, {"Datum": "2-2-2024"})]
    with pytest.raises(LeesFout, match="Werkblad `2025` bestaat niet; het bestand heeft: `2023`, `Logboek 2024`"):
        list(XlsxLezer(data, blad="2025").rijen())


def test_xlsx_that_is_not_a_workbook_is_a_read_error() -> None:
    with pytest.raises(LeesFout, match="geen geldig xlsx-bestand"):
        list(XlsxLezer(b"Datum;Onderwerp\r\n").rijen())


def test_xlsx_from_a_path(tmp_path: Path) -> None:
    pad = tmp_path / "logboek.xlsx"
    pad.write_bytes(xlsx_bytes({"Blad1": [["Datum", "Onderwerp"], ["14-3-2025", "Taal"]]}))
    lezer = XlsxLezer(pad)
    assert _cellen(lezer) == [(2, {"Datum": "14-3-2025", "Onderwerp": "Taal"})]
    assert lezer.schat_aantal() == 1


# --- NDJSON ----------------------------------------------------------------------------------


def test_ndjson_rows_are_numbered_by_line_and_bad_lines_are_row_errors() -> None:
    data = ndjson_bytes([{"datum": "2025-03-14"}, "", "{niet json", "[1, 2]", {"datum": "2025-03-15"}])
    rijen = list(NdjsonLezer(data).rijen())
    assert [(r.nummer, r.fout is None) for r in rijen] == [(1, True), (3, False), (4, False), (5, True)]
    assert rijen[1].fout is not None and rijen[1].fout.startswith("Geen geldige JSON")
    assert rijen[2].fout == "Elke regel moet één JSON-object (een contactmoment) zijn."
    assert rijen[3].cellen == {"datum": "2025-03-15"}


# --- cells and names ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tekst", "verwacht"),
    [
        ("14-3-2025", date(2025, 3, 14)),
        ("4-3-2025", date(2025, 3, 4)),
        ("14-03-2025", date(2025, 3, 14)),
        ("04-03-2025", date(2025, 3, 4)),
        ("14/3/2025", date(2025, 3, 14)),
        ("14.03.2025", date(2025, 3, 14)),
        ("14-3-25", date(2025, 3, 14)),
        ("2025-03-14", date(2025, 3, 14)),
        ("2025-03-14 00:00:00", date(2025, 3, 14)),
        ("14-03-2025 10:30", date(2025, 3, 14)),
        ("45730", date(2025, 3, 14)),
        (45730, date(2025, 3, 14)),
        (45730.0, date(2025, 3, 14)),
    ],
)
def test_dutch_iso_and_serial_dates(tekst: object, verwacht: date) -> None:
    assert lees_datum(tekst) == verwacht


@pytest.mark.parametrize(
    ("tekst", "reden"),
    [
        ("31-02-2024", "`31-02-2024` is geen bestaande datum."),
        ("2024-13-01", "`2024-13-01` is geen bestaande datum."),
        ("maart 2024", "`maart 2024` is geen datum; gebruik bijvoorbeeld 14-3-2025, 14-03-2025 of 2025-03-14."),
        ("3/14/2025", "`3/14/2025` is geen bestaande datum."),  # day first, always
    ],
)
def test_invalid_dates_give_a_dutch_reason(tekst: str, reden: str) -> None:
    with pytest.raises(ValueError) as exc:
        lees_datum(tekst)
    assert str(exc.value) == reden


@pytest.mark.parametrize(("tekst", "minuten"), [("45", 45), (45.0, 45), ("45 min", 45), ("1:30", 90), ("1,5 uur", 90)])
def test_minutes(tekst: object, minuten: int) -> None:
    assert lees_minuten(tekst) == minuten


@pytest.mark.parametrize(("tekst", "code"), [("GM0344", "GM0344"), ("gm 344", "GM0344"), ("344", "GM0344"), (363, "GM0363")])
def test_gemeentecode(tekst: object, code: str) -> None:
    assert lees_gemeentecode(tekst) == code


def test_format_from_file_name() -> None:
    assert [formaat_van_naam(n) for n in ("a.CSV", "b.xlsx", "c.ndjson", "d.jsonl", "e.txt")] == [
        "csv", "xlsx", "ndjson", "ndjson", "csv"
    ]
    with pytest.raises(LeesFout, match=r"Oude Excel-bestanden \(.xls\)"):
        formaat_van_naam("oud.xls")
