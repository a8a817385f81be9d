"""Jinja2 templates of the dashboard, their Dutch number formats, and the response headers of a page."""

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from app import __version__

MAP = Path(__file__).resolve().parent
STATIC = MAP / "static"

# Scripts and styles come from our own static files only: no inline script, no CDN, no eval.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)

MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december")


def getal(waarde: Any, decimalen: int | None = None) -> str:
    """A number as Dutch readers write it: 1.234 and 12,5."""
    if waarde is None:
        return "–"
    if decimalen is None:
        decimalen = 0 if float(waarde).is_integer() else 1
    tekst = f"{float(waarde):,.{decimalen}f}"
    return tekst.replace(",", " ").replace(".", ",").replace(" ", ".")


def datum(waarde: date | None) -> str:
    if waarde is None:
        return "–"
    return f"{waarde.day} {MAANDEN[waarde.month - 1]} {waarde.year}"


def _versie() -> str:
    """Changes when a static file changes, so browsers may cache them and still see a new release."""
    inhoud = hashlib.sha256(__version__.encode())
    for pad in sorted(STATIC.glob("*.*")):
        inhoud.update(pad.read_bytes())
    return inhoud.hexdigest()[:10]


templates = Jinja2Templates(directory=str(MAP / "templates"))
templates.env.filters["getal"] = getal
templates.env.filters["datum"] = datum
templates.env.globals["static_versie"] = _versie()
templates.env.globals["app_versie"] = __version__


def pagina(request: Request, naam: str, context: dict[str, Any], *, status_code: int = 200) -> HTMLResponse:
    """Render a page with the dashboard's Content-Security-Policy."""
    response = templates.TemplateResponse(request, naam, context, status_code=status_code)
    response.headers["Content-Security-Policy"] = CSP
    return response
