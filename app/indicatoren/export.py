"""CSV (RFC 4180) and XLSX renderings of indicator values, with Dutch headers."""

import csv
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from app.core.spreadsheet import veilige_cel as _cel
from app.indicatoren.perturbatie import ptable
from app.indicatoren.service import Resultaat

CSV_MEDIA_TYPE = "text/csv"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


def _header(resultaat: Resultaat) -> list[str]:
    header = ["periode", "vanaf", "tot"]
    for naam in resultaat.verzoek.groeperen_op:
        header += [naam, f"{naam} (omschrijving)"]
    header += ["waarde", "teller", "noemer", "onderdrukt"]
    return header


def _rows(resultaat: Resultaat) -> list[list[Any]]:
    rows = []
    for rij in resultaat.rijen:
        row: list[Any] = [rij.periode.label, rij.periode.vanaf, rij.periode.laatste_dag]
        for naam in resultaat.verzoek.groeperen_op:
            row += [rij.dimensies[naam], rij.labels.get(naam)]
        row += [rij.waarde, rij.teller, rij.noemer, "ja" if rij.onderdrukt else "nee"]
        rows.append(row)
    return rows


def to_csv(resultaat: Resultaat) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(_header(resultaat))
    for row in _rows(resultaat):
        writer.writerow(["" if v is None else v.isoformat() if hasattr(v, "isoformat") else _cel(v) for v in row])
    return buffer.getvalue()


def to_xlsx(resultaat: Resultaat) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = resultaat.verzoek.indicator.code[:31]
    sheet.append(_header(resultaat))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in _rows(resultaat):
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text: openpyxl would store `=…` as a formula
    for column in ("B", "C"):
        for cell in sheet[column][1:]:
            cell.number_format = "dd-mm-yyyy"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
