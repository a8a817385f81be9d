"""The coordinator downloads the verantwoording in Chromium: the page is axe clean on a desktop and at 375 px,
the period picker chooses the period, and the PDF and XLSX buttons download the report of that period.

With SLEUTELMONITOR_SCREENSHOTS=<folder> (as `make screenshots` sets it) and pdftoppm installed, page 1 of the
downloaded PDF is saved as <folder>/verantwoording.png.
"""

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from pypdf import PdfReader

from app.core.periods import parse_periode
from app.core.validation import vandaag
from tests.web.conftest import SCREENSHOTS, Dashboard, aanmelden, axe, downloaden

TELEFOON = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True, "locale": "nl-NL"}


def test_verantwoording_downloaden(browser: Any, page: Any, dashboard: Dashboard, tmp_path: Path) -> None:
    aanmelden(page, dashboard, "org")
    page.get_by_role("link", name="Verantwoording").click()
    page.wait_for_url("**/verantwoording")
    assert axe(page) == []
    dit_jaar = parse_periode("dit-jaar", today=vandaag()).label
    assert page.get_by_role("heading", level=1).inner_text().startswith("Verantwoording")

    gedownload = downloaden(page, page.get_by_role("link", name=f"Verantwoording {dit_jaar} als PDF"))
    pdf = tmp_path / "verantwoording.pdf"
    gedownload.save_as(pdf)
    tekst = " ".join("\n".join(p.extract_text() for p in PdfReader(pdf).pages).split())
    assert f"Verantwoording {dashboard.org.naam}" in tekst and f"periode {dit_jaar}" in tekst
    if SCREENSHOTS and shutil.which("pdftoppm"):
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(Path(SCREENSHOTS) / "verantwoording")], check=True)

    # Another period through the house picker: last year, in Excel.
    vorig_jaar = parse_periode("vorig-jaar", today=vandaag()).label
    page.get_by_label("Periode", exact=True).select_option("vorig-jaar")
    page.get_by_role("button", name="Kies periode").click()
    page.wait_for_url("**periode=vorig-jaar**")
    gedownload = downloaden(page, page.get_by_role("link", name=f"Verantwoording {vorig_jaar} als Excel (xlsx)"))
    werkmap = load_workbook(io.BytesIO(Path(gedownload.path()).read_bytes()))
    assert "Indicatoren" in werkmap.sheetnames and "Toelichting" in werkmap.sheetnames
    assert any(vorig_jaar in str(c) for rij in werkmap["Toelichting"].iter_rows(values_only=True) for c in rij if c)

    telefoon = browser.new_context(**TELEFOON)
    scherm = telefoon.new_page()
    aanmelden(scherm, dashboard, "org")
    assert scherm.goto(dashboard.url + "/verantwoording").status == 200
    breedte = scherm.evaluate("() => document.documentElement.scrollWidth")
    assert breedte <= 375, f"/verantwoording is {breedte} px breed op een telefoon van 375 px"
    assert axe(scherm) == []
    telefoon.close()


def test_de_regio_ziet_geen_verantwoording(page: Any, dashboard: Dashboard) -> None:
    aanmelden(page, dashboard, "regio")
    assert page.get_by_role("link", name="Verantwoording").count() == 0
    assert page.goto(dashboard.url + "/verantwoording").status == 403
