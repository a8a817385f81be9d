"""Exports of shared stories for a region: an XLSX with one row per story, and a Markdown report by effect."""

import io
import re
from collections.abc import Sequence
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from app.ervaringsverhalen.schemas import GedeeldVerhaal

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MARKDOWN_MEDIA_TYPE = "text/markdown"

KOPPEN = ["datum", "gemeente", "wijk", "organisatie", "bron", "onderwerpen", "effecten", "titel", "verhaal", "citaat"]


def _labels(codes: list[str], labels: dict[str, str]) -> str:
    return "; ".join(labels.get(code, code) for code in codes)


def to_xlsx(verhalen: Sequence[GedeeldVerhaal], *, onderwerp_labels: dict[str, str], effect_labels: dict[str, str]) -> bytes:
    """One row per story with onderwerp and effect labels; every text is a string cell, never a formula."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Ervaringsverhalen"
    sheet.append(KOPPEN)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for rij, v in enumerate(verhalen, start=2):
        waarden = [
            v.datum, v.gemeentecode, v.wijkcode, v.organisatie_naam, v.bron.value,
            _labels(v.onderwerpen, onderwerp_labels), _labels(v.effecten, effect_labels), v.titel, v.verhaal, v.citaat,
        ]
        for kolom, waarde in enumerate(waarden, start=1):
            cell = sheet.cell(row=rij, column=kolom)
            cell.value = waarde
            if isinstance(waarde, str):
                # openpyxl turns text starting with `=` into a formula; a story is never one (OWASP CSV injection).
                cell.data_type = "s"
            elif isinstance(waarde, date):
                cell.number_format = "dd-mm-yyyy"
        sheet.cell(row=rij, column=9).alignment = Alignment(wrap_text=True, vertical="top")
    for kolom, breedte in zip("ABCDEFGHIJ", (12, 10, 11, 28, 14, 30, 30, 40, 80, 40), strict=True):
        sheet.column_dimensions[kolom].width = breedte
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_MARKDOWN_SPECIAAL = re.compile(r"([\\`*_{}\[\]<>#|!])")


def _md(text: str) -> str:
    """Story text as literal Markdown: no markup, links or HTML from the text itself."""
    return _MARKDOWN_SPECIAAL.sub(r"\\\1", text)


def to_markdown(
    verhalen: Sequence[GedeeldVerhaal],
    *,
    gemeentecodes: Sequence[str],
    onderwerp_labels: dict[str, str],
    effect_labels: dict[str, str],
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
        f"Gemeenten: {', '.join(gemeentecodes)}. Periode: {periode}. Aantal verhalen: {len(verhalen)}.",
        "",
        "Gedeelde verhalen, met toestemming waar die nodig is; zonder namen van sleutelpersonen of inwoners.",
    ]
    for effect, label in effect_labels.items():
        groep = [v for v in verhalen if effect in v.effecten]
        if not groep:
            continue
        regels += ["", f"## {_md(label)} ({len(groep)})"]
        for v in groep:
            onderwerpen = _labels(v.onderwerpen, onderwerp_labels)
            regels += [
                "",
                f"### {_md(v.titel)}",
                "",
                f"*{v.datum.strftime('%d-%m-%Y')} · {v.gemeentecode} · {_md(v.organisatie_naam)} · bron: {v.bron.value}"
                + (f" · {_md(onderwerpen)}" if onderwerpen else "") + "*",
            ]
            if v.citaat:
                regels += ["", f"> {_md(v.citaat)}"]
            for alinea in v.verhaal.splitlines():
                if alinea.strip():
                    regels += ["", _md(alinea.strip())]
    return "\n".join(regels) + "\n"
