"""The accountability report as a PDF, rendered on the server from HTML with WeasyPrint.

WeasyPrint (PyPI) writes a tagged PDF (PDF/UA-1: structure tree, language, title, reading order), which
screen readers can follow; it needs Pango from the operating system (Debian: libpango-1.0-0 and
libpangoft2-1.0-0, which `.ci/run` and the Dockerfile install). It is imported on first use, so a server
without Pango still serves everything else, and answers a PDF request with an honest 503.
"""

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from app import __version__
from app.core.errors import DienstNietBeschikbaar
from app.verantwoording.service import PERCENTAGE_SCHAAL, Getal, Sectie, Soort, Verantwoording
from app.web.templating import datum, getal

PDF_MEDIA_TYPE = "application/pdf"
_MAP = Path(__file__).resolve().parent / "templates"
_env = Environment(loader=FileSystemLoader(str(_MAP)), autoescape=select_autoescape(["html"]))


def opmaak(waarde: Any, soort: str = Soort.tekst) -> str:
    """A cell as a Dutch reader writes it: 1.234, 12,5, 45,5%, 14-03-2026; – for nothing. A `Getal` (a value
    whose unit differs per row) says its unit: 12,5 uur."""
    eenheid = ""
    if isinstance(waarde, Getal):
        waarde, soort = waarde.waarde, waarde.soort
        eenheid = {Soort.uren: " uur", Soort.dagen: " dagen"}.get(soort, "")
    if waarde is None or waarde == "":
        return "–"
    if soort == Soort.datum and hasattr(waarde, "strftime"):
        return str(waarde.strftime("%d-%m-%Y"))
    if isinstance(waarde, bool):
        return "ja" if waarde else "nee"
    if soort == Soort.euro and isinstance(waarde, int | float):
        return "€ " + getal(waarde, 2)
    if isinstance(waarde, int | float):
        tekst = getal(waarde, 1 if soort in (Soort.uren, Soort.percentage) and not float(waarde).is_integer() else None)
        return tekst + ("%" if soort == Soort.percentage else eenheid)
    return str(waarde)


def gevulde_kolommen(sectie: Sectie, vanaf: int = 0) -> list[int]:
    """The indexes of the columns (from `vanaf`) that hold anything in some row: a page has no room for a
    column of dashes (the pace of a period that has ended, the teller of counts). The workbook keeps them all."""
    def gevuld(waarde: Any) -> bool:
        return (waarde.waarde if isinstance(waarde, Getal) else waarde) not in (None, "")

    return [i for i in range(vanaf, len(sectie.kolommen)) if any(gevuld(r[i]) for r in sectie.rijen)]


_env.filters["opmaak"] = opmaak
_env.globals["gevulde_kolommen"] = gevulde_kolommen
_env.filters["getal"] = getal
_env.filters["datum"] = datum


def to_html(verantwoording: Verantwoording) -> str:
    """The report as one HTML document in the dashboard's house style (print CSS of its own)."""
    return _env.get_template("verantwoording.html").render(
        v=verantwoording, schaal=PERCENTAGE_SCHAAL, app_versie=__version__, Soort=Soort,
    )


def to_pdf(verantwoording: Verantwoording) -> bytes:
    """The report as a tagged PDF (PDF/UA-1)."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: Pango missing from the system
        raise DienstNietBeschikbaar(
            "De PDF kan op deze server niet gemaakt worden (WeasyPrint of de Pango-bibliotheek ontbreekt); "
            "vraag de beheerder die te installeren, of download de verantwoording als Excel (formaat=xlsx).",
            title="PDF niet beschikbaar", headers={"Retry-After": "3600"},
        ) from exc
    html = to_html(verantwoording)
    return bytes(HTML(string=html, base_url=str(_MAP)).write_pdf(pdf_variant="pdf/ua-1"))
