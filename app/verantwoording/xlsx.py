"""The accountability report as an Excel workbook: a sheet per section and a Toelichting sheet.

Each section is an Excel table (autofilter, banded rows) with Dutch headers. Percentages are on the one
scale of the API (45.5 is 45,5%, as JSON, CSV and the indicator export give it) under a format with a
literal percent sign, so Excel shows 45,5%; hours and other decimals get one decimal. Every text is a string cell, never a formula.
"""

import io
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from app.indicatoren.export import PROCENT_OPMAAK, bladnaam
from app.verantwoording.service import Getal, Sectie, Soort, Verantwoording

# Wide columns for long text; numbers and dates stay narrow.
_BREEDTE = {Soort.euro: 14, Soort.tekst: 28, Soort.datum: 12, Soort.aantal: 14, Soort.uren: 12, Soort.percentage: 14}
_LANG = {"Verhaal": 80, "Terugkoppeling": 60, "Signaal": 45, "Citaat": 45, "Titel": 40, "Indicator": 40}


def _schrijf(cell: Any, waarde: Any, soort: str) -> None:
    if isinstance(waarde, Getal):
        waarde, soort = waarde.waarde, waarde.soort
    if waarde is None:
        return
    if isinstance(waarde, str):
        cell.value = waarde
        cell.data_type = "s"  # text stays text: openpyxl would store `=…` as a formula (OWASP CSV injection)
        return
    cell.value = waarde
    if soort == Soort.percentage and isinstance(waarde, int | float):
        cell.number_format = PROCENT_OPMAAK
        return
    if soort == Soort.euro:
        cell.number_format = '"€" #,##0.00'
    elif isinstance(waarde, date):
        cell.number_format = "dd-mm-yyyy"
    elif isinstance(waarde, float):
        cell.number_format = "0.0" if soort == Soort.uren or not waarde.is_integer() else "0"


def _sectie(workbook: Workbook, sectie: Sectie, index: int) -> None:
    sheet: Worksheet = workbook.create_sheet(bladnaam(sectie.code))
    sheet.append([k.naam for k in sectie.kolommen])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for rij in sectie.rijen:
        regel = sheet.max_row + 1
        for kolom, (waarde, k) in enumerate(zip(rij, sectie.kolommen, strict=True), start=1):
            cell = sheet.cell(row=regel, column=kolom)
            _schrijf(cell, waarde, k.soort)
            if k.soort == Soort.tekst and _LANG.get(k.naam, 0) >= 45:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    laatste = get_column_letter(len(sectie.kolommen))
    if sectie.rijen:
        table = Table(displayName=f"Tabel{index}", ref=f"A1:{laatste}{sheet.max_row}")
        table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
        sheet.add_table(table)  # an Excel table carries its own autofilter
    else:
        sheet.append([sectie.leeg])
    if sectie.noot:
        sheet.append([])
        sheet.append([sectie.noot])
    for nummer, k in enumerate(sectie.kolommen, start=1):
        sheet.column_dimensions[get_column_letter(nummer)].width = _LANG.get(k.naam, _BREEDTE.get(k.soort, 16))
    sheet.freeze_panes = "A2"


def to_xlsx(verantwoording: Verantwoording) -> bytes:
    """The workbook: Toelichting first (what, who, when, how to read), then one sheet per section."""
    workbook = Workbook()
    toelichting = workbook.active
    toelichting.title = "Toelichting"
    titel = f"Verantwoording {verantwoording.organisatie.naam} {verantwoording.periode.label}"
    toelichting.append([titel + (f", {verantwoording.selectie}" if verantwoording.selectie else "")])
    toelichting["A1"].font = Font(bold=True, size=14)
    toelichting.append([])
    for sleutel, tekst in verantwoording.toelichting():
        toelichting.append([sleutel, tekst])
    toelichting.append([])
    toelichting.append(["Bladen", "; ".join(f"{s.code}: {s.titel}" for s in verantwoording.secties)])
    for sectie in verantwoording.secties:
        toelichting.append([sectie.titel, sectie.inleiding])
    toelichting.append([])
    toelichting.append(["Definities van de indicatoren"])
    toelichting.cell(row=toelichting.max_row, column=1).font = Font(bold=True, size=12)
    kop = toelichting.max_row + 1
    toelichting.append(["Code", "Naam", "Eenheid", "Definitie", "Teller", "Noemer"])
    for cell in toelichting[kop]:
        cell.font = Font(bold=True)
    for indicator in verantwoording.definities:
        toelichting.append([indicator.code, indicator.naam, indicator.eenheid.value, indicator.definitie,
                            indicator.teller_omschrijving or "", indicator.noemer_omschrijving or ""])
    for rij in toelichting.iter_rows(min_row=3):
        for cell in rij:
            if isinstance(cell.value, str):
                cell.data_type = "s"
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        if rij[0].row < kop - 2 and rij[0].value:
            rij[0].font = Font(bold=True)
    for kolom, breedte in zip("ABCDEF", (34, 60, 12, 80, 30, 30), strict=True):
        toelichting.column_dimensions[kolom].width = breedte
    for index, sectie in enumerate(verantwoording.secties, start=1):
        _sectie(workbook, sectie, index)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
