"""Table formats shared by every endpoint that serves a table: choosing one, and writing CSV.

A client chooses with `?formaat=` (Excel "From Web" and Power Query cannot set headers) or with `Accept`;
the query parameter wins. Plain `csv` is what Dutch Excel opens on a double click: `;` between fields, a
decimal comma, a UTF-8 byte order mark (without it Excel reads Windows-1252 and shows "financiÃ«n") and
CRLF. `csv-rfc4180` is the comma variant for tools: `,`, decimal point, no BOM, CRLF.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from enum import StrEnum
from typing import Any

from fastapi import Request, Response

JSON_MEDIA_TYPE = "application/json"
CSV_MEDIA_TYPE = "text/csv"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MARKDOWN_MEDIA_TYPE = "text/markdown"
OCTET_MEDIA_TYPE = "application/octet-stream"

FORMULETEKENS = ("=", "+", "-", "@", "\t", "\r")


class Formaat(StrEnum):
    json = "json"
    csv = "csv"
    csv_rfc4180 = "csv-rfc4180"
    xlsx = "xlsx"
    markdown = "markdown"


class CsvFormaat(StrEnum):
    """The two CSV dialects, for the operations that answer CSV only."""

    csv = "csv"
    csv_rfc4180 = "csv-rfc4180"


MEDIATYPE = {
    Formaat.json: JSON_MEDIA_TYPE,
    Formaat.csv: CSV_MEDIA_TYPE,
    Formaat.csv_rfc4180: CSV_MEDIA_TYPE,
    Formaat.xlsx: XLSX_MEDIA_TYPE,
    Formaat.markdown: MARKDOWN_MEDIA_TYPE,
}
EXTENSIE = {Formaat.json: "json", Formaat.csv: "csv", Formaat.csv_rfc4180: "csv", Formaat.xlsx: "xlsx",
            Formaat.markdown: "md"}

KEUZE_UITLEG = (
    "Kies het formaat met `formaat` (dat wint) of met `Accept`. `csv` opent met een dubbelklik in "
    "Nederlandse Excel (puntkomma's, decimale komma, UTF-8 met BOM); `csv-rfc4180` is de variant met komma's "
    "en decimale punten voor andere programma's."
)


def kies(request: Request, gevraagd: str | None, toegestaan: Sequence[Formaat]) -> Formaat:
    """The format of the answer: `formaat` if given (already checked against the endpoint's enum), else `Accept`."""
    if gevraagd is not None:
        return Formaat(gevraagd)
    accept = request.headers.get("accept", "").lower()
    for formaat in toegestaan:
        # `text/csv` in Accept means the Excel variant; tools that want commas say `formaat=csv-rfc4180`.
        if formaat is not Formaat.csv_rfc4180 and MEDIATYPE[formaat] in accept:
            return formaat
    return toegestaan[0]


def responses(*formaten: Formaat, json_schema: dict[str, Any] | None = None, beschrijving: str) -> dict[int | str, Any]:
    """The 200 response with one media type per format, so a generator offers each (bytes for files)."""
    content: dict[str, Any] = {}
    for formaat in formaten:
        if formaat is Formaat.json:
            content[JSON_MEDIA_TYPE] = {"schema": json_schema or {"type": "object"}}
        elif formaat is Formaat.xlsx:
            content[XLSX_MEDIA_TYPE] = {"schema": {"type": "string", "format": "binary"}}
            # The same bytes for generators that know no spreadsheet type (openapi-python-client reads only
            # `application/octet-stream` as a file); the server sends the spreadsheet type whatever `Accept` says.
            content[OCTET_MEDIA_TYPE] = {"schema": {"type": "string", "format": "binary"}}
        elif formaat in (Formaat.csv, Formaat.csv_rfc4180):
            content[CSV_MEDIA_TYPE] = {"schema": {"type": "string"}}
        else:
            content[MEDIATYPE[formaat]] = {"schema": {"type": "string"}}
    return {200: {"description": beschrijving, "content": content, "headers": {
        "Content-Disposition": {
            "description": "Bij csv, xlsx en markdown: `attachment` met een bestandsnaam.",
            "schema": {"type": "string"},
        }
    }}}


def cel(waarde: Any) -> Any:
    """Neutralise text that a spreadsheet would run as a formula (OWASP CSV injection): prefix it with a
    quote. Numbers are written as numbers, so a negative number stays a number."""
    if isinstance(waarde, str) and waarde.startswith(FORMULETEKENS):
        return "'" + waarde
    return waarde


def _tekst(waarde: Any, *, decimaal: str) -> Any:
    if waarde is None:
        return ""
    if isinstance(waarde, bool):
        return "ja" if waarde else "nee"
    if isinstance(waarde, date):
        return waarde.isoformat()
    if isinstance(waarde, float):
        return repr(waarde).replace(".", decimaal) if decimaal != "." else repr(waarde)
    return cel(waarde)


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]], formaat: Formaat = Formaat.csv) -> bytes:
    """The table as CSV bytes in the Excel (`csv`) or the RFC 4180 (`csv-rfc4180`) dialect."""
    excel = formaat is Formaat.csv
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if excel else ",", lineterminator="\r\n")
    writer.writerow(header)
    decimaal = "," if excel else "."
    for row in rows:
        writer.writerow([_tekst(v, decimaal=decimaal) for v in row])
    return buffer.getvalue().encode("utf-8-sig" if excel else "utf-8")


def bestand(inhoud: bytes | str, formaat: Formaat, naam: str) -> Response:
    """A download: the media type of the format and a `Content-Disposition` with `<naam>.<extensie>`."""
    mediatype = MEDIATYPE[formaat]
    if formaat is Formaat.csv_rfc4180:
        mediatype += "; charset=utf-8; header=present"
    elif formaat in (Formaat.csv, Formaat.markdown):
        mediatype += "; charset=utf-8"
    return Response(inhoud, media_type=mediatype,
                    headers={"Content-Disposition": f'attachment; filename="{naam}.{EXTENSIE[formaat]}"'})


def to_xlsx(header: Sequence[str], rows: Iterable[Sequence[Any]], *, titel: str) -> bytes:
    """A simple table as an Excel workbook: bold header, frozen first row, every text a string cell (no formulas)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = titel[:31]
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for rij, waarden in enumerate(rows, start=2):
        for kolom, waarde in enumerate(waarden, start=1):
            cell = sheet.cell(row=rij, column=kolom, value=waarde)
            if isinstance(waarde, str):
                cell.data_type = "s"  # text starting with `=` stays text (OWASP CSV injection)
            elif isinstance(waarde, date):
                cell.number_format = "dd-mm-yyyy"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
