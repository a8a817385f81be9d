"""Exports of shared stories for a region: an XLSX with one row per story, and a Markdown report by effect."""

import io
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from fastapi import Response
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.table import Table, TableStyleInfo
from sqlmodel import Session

from app.codelijsten import service as codelijsten
from app.core import formaten
from app.core.errors import OngeldigeInvoer
from app.core.formaten import MARKDOWN_MEDIA_TYPE, XLSX_MEDIA_TYPE, Formaat
from app.ervaringsverhalen import service
from app.ervaringsverhalen.schemas import Bron, GedeeldVerhaal
from app.toegang.caller import Caller

__all__ = ["MARKDOWN_MEDIA_TYPE", "XLSX_MEDIA_TYPE", "exporteer", "to_csv", "to_markdown", "to_xlsx"]

KOPPEN = ["datum", "gemeente", "gemeente (naam)", "wijk", "organisatie", "bron", "onderwerpen", "effecten", "titel",
          "verhaal", "citaat"]


def _labels(codes: list[str], labels: dict[str, str]) -> str:
    return "; ".join(labels.get(code, code) for code in codes)


def _rijen(verhalen: Sequence[GedeeldVerhaal], labels: dict[str, dict[str, str]]) -> list[list[Any]]:
    """One row per story: codes with their names and labels, as in KOPPEN."""
    return [
        [
            v.datum, v.gemeentecode, labels["gemeente"].get(v.gemeentecode, v.gemeentecode), v.wijkcode,
            v.organisatie_naam, v.bron.value, _labels(v.onderwerpen, labels["onderwerp"]),
            _labels(v.effecten, labels["effect"]), v.titel, v.verhaal, v.citaat,
        ]
        for v in verhalen
    ]


def to_csv(verhalen: Sequence[GedeeldVerhaal], formaat: Formaat, *, labels: dict[str, dict[str, str]]) -> bytes:
    """The rows of the workbook as CSV, in the Excel or the RFC 4180 dialect (formulas neutralised)."""
    return formaten.to_csv(KOPPEN, _rijen(verhalen, labels), formaat)


def to_xlsx(verhalen: Sequence[GedeeldVerhaal], *, labels: dict[str, dict[str, str]]) -> bytes:
    """One row per story in an Excel table with labels; every text is a string cell, never a formula."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Ervaringsverhalen"
    sheet.append(KOPPEN)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for rij, waarden in enumerate(_rijen(verhalen, labels), start=2):
        for kolom, waarde in enumerate(waarden, start=1):
            cell = sheet.cell(row=rij, column=kolom)
            cell.value = waarde
            if isinstance(waarde, str):
                # openpyxl turns text starting with `=` into a formula; a story is never one (OWASP CSV injection).
                cell.data_type = "s"
            elif isinstance(waarde, date):
                cell.number_format = "dd-mm-yyyy"
        sheet.cell(row=rij, column=10).alignment = Alignment(wrap_text=True, vertical="top")
    for kolom, breedte in zip("ABCDEFGHIJK", (12, 10, 22, 11, 28, 14, 30, 30, 40, 80, 40), strict=True):
        sheet.column_dimensions[kolom].width = breedte
    table = Table(displayName="Ervaringsverhalen", ref=f"A1:K{max(sheet.max_row, 2)}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    sheet.add_table(table)  # an Excel table carries its own autofilter
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _gemeente(code: str, labels: dict[str, dict[str, str]]) -> str:
    naam = labels["gemeente"].get(code)
    return f"{naam} ({code})" if naam else code


_MARKDOWN_SPECIAAL = re.compile(r"([\\`*_{}\[\]<>#|!])")


def _md(text: str) -> str:
    """Story text as literal Markdown: no markup, links or HTML from the text itself."""
    return _MARKDOWN_SPECIAAL.sub(r"\\\1", text)


def to_markdown(
    verhalen: Sequence[GedeeldVerhaal],
    *,
    gemeentecodes: Sequence[str],
    labels: dict[str, dict[str, str]],
    vanaf: date | None,
    tot: date | None,
) -> str:
    """A readable report for the yearly report to a gemeente, grouped by effect (a story may appear under several)."""
    periode = (
        f"{vanaf.isoformat() if vanaf else 'begin'} tot en met {tot.isoformat() if tot else 'nu'}"
        if vanaf or tot else "alle gedeelde verhalen"
    )
    regels = [
        "# Ervaringsverhalen van sleutelpersonen",
        "",
        f"Gemeenten: {', '.join(_gemeente(c, labels) for c in gemeentecodes)}. Periode: {periode}. Aantal verhalen: {len(verhalen)}.",
        "",
        "Gedeelde verhalen, met toestemming waar die nodig is; zonder namen van sleutelpersonen of inwoners.",
    ]
    for effect, label in labels["effect"].items():
        groep = [v for v in verhalen if effect in v.effecten]
        if not groep:
            continue
        regels += ["", f"## {_md(label)} ({len(groep)})"]
        for v in groep:
            onderwerpen = _labels(v.onderwerpen, labels["onderwerp"])
            regels += [
                "",
                f"### {_md(v.titel)}",
                "",
                f"*{v.datum.strftime('%d-%m-%Y')} · {_md(_gemeente(v.gemeentecode, labels))} · {_md(v.organisatie_naam)} · bron: {v.bron.value}"
                + (f" · {_md(onderwerpen)}" if onderwerpen else "") + "*",
            ]
            if v.citaat:
                regels += ["", f"> {_md(v.citaat)}"]
            for alinea in v.verhaal.splitlines():
                if alinea.strip():
                    regels += ["", _md(alinea.strip())]
    return "\n".join(regels) + "\n"


def exporteer(
    session: Session, *, caller: Caller, formaat: Formaat, gemeente: str | None = None, bron: Bron | None = None,
    effect: str | None = None, onderwerp: str | None = None, datum_vanaf: date | None = None, datum_tot: date | None = None,
) -> Response:
    """The region's shared stories as a download in `formaat`; the API's export and the dashboard's."""
    statement = service.list_statement(service.gedeeld_statement(caller), gemeente=gemeente, bron=bron, effect=effect,
                                       onderwerp=onderwerp, datum_vanaf=datum_vanaf, datum_tot=datum_tot)
    rijen = list(session.exec(statement.limit(service.MAX_EXPORT + 1)))
    if len(rijen) > service.MAX_EXPORT:
        raise OngeldigeInvoer.veld("datumVanaf", f"Meer dan {service.MAX_EXPORT} verhalen; kies een kortere periode.")
    verhalen = service.gedeeld(session, rijen)
    labels = {
        "onderwerp": codelijsten.labels(session, lijst=codelijsten.ONDERWERP),
        "gemeente": codelijsten.labels(session, lijst=codelijsten.GEMEENTE),
        "effect": {
            c.code: c.label
            for c in sorted(codelijsten.lookup(session, lijst=codelijsten.EFFECT).values(), key=lambda c: (c.volgorde, c.code))
        },
    }
    if formaat is Formaat.markdown:
        tekst = to_markdown(verhalen, gemeentecodes=caller.gemeentecodes, labels=labels, vanaf=datum_vanaf, tot=datum_tot)
        return formaten.bestand(tekst, formaat, "ervaringsverhalen")
    if formaat in (Formaat.csv, Formaat.csv_rfc4180):
        return formaten.bestand(to_csv(verhalen, formaat, labels=labels), formaat, "ervaringsverhalen")
    return formaten.bestand(to_xlsx(verhalen, labels=labels), formaat, "ervaringsverhalen")
