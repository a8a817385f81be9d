"""CSV and XLSX renderings of indicator values, with Dutch headers, labels next to codes and the method."""

import io
from datetime import UTC, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo

from app.core import formaten
from app.core.formaten import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, Formaat, cel
from app.indicatoren.catalogue import Eenheid
from app.indicatoren.perturbatie import ptable
from app.indicatoren.service import Resultaat

__all__ = ["CSV_MEDIA_TYPE", "PROCENT_OPMAAK", "XLSX_MEDIA_TYPE", "cel", "onderdrukking", "to_csv", "to_xlsx"]

# Excel refuses a sheet name over 31 characters and these: \ / ? * [ ] :
_BLADNAAM_VERBODEN = str.maketrans({c: " " for c in "\\/?*[]:"})


def onderdrukking(resultaat: Resultaat) -> dict[str, Any]:
    """How the figures were protected, for the JSON body and the exports."""
    if not resultaat.onderdrukking:
        return {"toegepast": False, "drempel": resultaat.drempel}
    parameters = ptable(resultaat.drempel).parameters
    return {
        "toegepast": True,
        "drempel": resultaat.drempel,
        "methode": "celsleutelperturbatie",
        "maxRuis": parameters.max_ruis,
        "variantie": round(parameters.variantie, 2),
    }


# One scale for percentages in every format (issue 28): 77.8 means 77.8 %, in JSON, CSV and XLSX alike. The
# workbook holds that same number and shows it with a literal percent sign; Excel's bare `%` format would
# multiply by 100 and so need a fraction (0.778) that no other format gives.
PROCENT_OPMAAK = '0.0"%"'


# Column headings a reader understands, for the dimensions whose API name is a camelCase code.
KOPTEKST = {"ketenpartnerCategorie": "soort ketenpartner", "gerichtAan": "gericht aan"}


def _header(resultaat: Resultaat) -> list[str]:
    header = ["periode", "vanaf", "tot"]
    for naam in resultaat.verzoek.groeperen_op:
        kop = KOPTEKST.get(naam, naam)
        header += [kop, f"{kop} (omschrijving)"]
    header += ["waarde", "teller", "noemer", "onderdrukt"]
    if _met_doelen(resultaat):
        header += DOEL_KOPPEN
    return header


# Target columns, only in a table that has a target (app/doelen/koppeling.py), so other exports keep their shape.
DOEL_KOPPEN = ["doel", "realisatie (% van doel)", "doel verwacht tot vandaag", "tempo"]


def _met_doelen(resultaat: Resultaat) -> bool:
    return any(r.doel is not None for r in resultaat.rijen)


def _rows(resultaat: Resultaat) -> list[list[Any]]:
    rows = []
    met_doelen = _met_doelen(resultaat)
    for rij in resultaat.rijen:
        row: list[Any] = [rij.periode.label, rij.periode.vanaf, rij.periode.laatste_dag]
        for naam in resultaat.verzoek.groeperen_op:
            row += [rij.dimensies[naam], rij.labels.get(naam)]
        row += [rij.waarde, rij.teller, rij.noemer, "ja" if rij.onderdrukt else "nee"]
        if met_doelen:
            row += [rij.doel, rij.realisatie, rij.doel_verwacht, rij.tempo]
        rows.append(row)
    return rows


def to_csv(resultaat: Resultaat, formaat: Formaat = Formaat.csv) -> bytes:
    """The values as CSV: the Excel dialect (`;`, decimal comma, BOM) or RFC 4180 (`,`, decimal point)."""
    return formaten.to_csv(_header(resultaat), _rows(resultaat), formaat)


def _metadata(resultaat: Resultaat) -> list[tuple[str, str]]:
    verzoek = resultaat.verzoek
    indicator = verzoek.indicator
    methode = onderdrukking(resultaat)
    if methode["toegepast"]:
        bescherming = (
            f"Celsleutelperturbatie: elk aantal kreeg een vaste ruis van ten hoogste {methode['maxRuis']} "
            f"(variantie {str(methode['variantie']).replace('.', ',')}); aantallen onder {methode['drempel']} "
            "zijn niet getoond."
        )
    else:
        bescherming = "Geen: exacte aantallen van de eigen organisatie (niet voor publicatie buiten de organisatie)."
    filters = "; ".join(f"{naam} = {', '.join(waarden)}" for naam, waarden in verzoek.filters.items())
    versie: list[tuple[str, str]] = []
    if (eigen := verzoek.eigen) is not None:
        vast = "; ".join(f"{naam} = {', '.join(waarden)}" for naam, waarden in eigen.filters.items()) or "geen"
        versie = [("Versie", f"{eigen.versie} (eigen indicator van de organisatie, op basis van {eigen.basis.code}; "
                             f"vaste filters: {vast})")]
    return [
        ("Indicator", f"{indicator.code} {indicator.naam}"),
        *versie,
        ("Definitie", indicator.definitie),
        ("Eenheid", indicator.eenheid.value),
        ("Teller", indicator.teller_omschrijving or ""),
        ("Noemer", indicator.noemer_omschrijving or ""),
        ("Periode", f"{verzoek.periode.label} ({verzoek.periode.vanaf.isoformat()} t/m "
                    f"{verzoek.periode.laatste_dag.isoformat()})"),
        ("Interval", verzoek.interval.value if verzoek.interval else "geen (één waarde voor de periode)"),
        ("Filters", filters or "geen"),
        ("Gegroepeerd op", ", ".join(verzoek.groeperen_op) or "niet gegroepeerd"),
        ("Bescherming", bescherming),
        ("Gemaakt op", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("Bron", "Sleutelmonitor, indicatoren uit het monitoringhoofdstuk van de Pharos-handreiking"),
    ]


def bladnaam(tekst: str) -> str:
    """A sheet name Excel accepts, cut at a word so it stays readable."""
    tekst = " ".join(tekst.translate(_BLADNAAM_VERBODEN).split())
    if len(tekst) <= 31:
        return tekst
    kort = tekst[:30].rsplit(" ", 1)[0] if " " in tekst[:30] else tekst[:30]
    return kort + "…"  # shows that the name goes on; the full name is on the Toelichting sheet


def to_xlsx(resultaat: Resultaat) -> bytes:
    """A data sheet as an Excel table (autofilter, labels, percent format) and a sheet with the metadata."""
    indicator = resultaat.verzoek.indicator
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = bladnaam(indicator.naam)
    header = _header(resultaat)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    # The columns on the percent scale: the value (and its targets) of a percentage, and every realisation.
    procent = {"realisatie (% van doel)"}
    if indicator.eenheid is Eenheid.percentage:
        procent |= {"waarde", "doel", "doel verwacht tot vandaag"}
    getallen = {"waarde"}
    for row in _rows(resultaat):
        sheet.append(row)
        for kop, cell in zip(header, sheet[sheet.max_row], strict=True):
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text: openpyxl would store `=…` as a formula
            elif kop in procent and isinstance(cell.value, int | float):
                cell.number_format = PROCENT_OPMAAK
            elif kop in getallen and isinstance(cell.value, float):
                cell.number_format = "0.0"
    for column in ("B", "C"):
        for cell in sheet[column][1:]:
            cell.number_format = "dd-mm-yyyy"
    laatste = get_column_letter(len(header))
    table = Table(displayName="Waarden", ref=f"A1:{laatste}{max(sheet.max_row, 2)}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    sheet.add_table(table)  # an Excel table carries its own autofilter
    for index, naam in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(naam) + 4))
    sheet.freeze_panes = "A2"

    toelichting = workbook.create_sheet("Toelichting")
    for sleutel, waarde in _metadata(resultaat):
        toelichting.append([sleutel, waarde])
        toelichting.cell(row=toelichting.max_row, column=2).data_type = "s"
    for cell in toelichting["A"]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top")
    for cell in toelichting["B"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    toelichting.column_dimensions["A"].width = 18
    toelichting.column_dimensions["B"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
