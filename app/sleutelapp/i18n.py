"""The app's message catalogue: one gettext catalogue per language, read from the .po files at start.

The .po files are read at runtime with Babel's pofile reader and turned into gettext translations
in memory (Babel writes the .mo into a buffer). There is no compiled .mo in the repository and no
compile step in the Makefile, so an edited .po is what runs, and a fresh clone needs nothing more
than `pip install`. Reading three small catalogues costs a few milliseconds at import.

The templates use Jinja2's i18n extension (one environment per language); the JavaScript gets the
messages that occur in its own source as a JSON object embedded in the shell, from the same catalogue.
"""

import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALE = Path(__file__).resolve().parent / "locale"
DOMEIN = "messages"

STANDAARD = "nl"
# The app's own languages; `richting` is the writing direction of the page.
TALEN: dict[str, dict[str, str]] = {
    "nl": {"naam": "Nederlands", "richting": "ltr"},
    "en": {"naam": "English", "richting": "ltr"},
    "ar": {"naam": "العربية", "richting": "rtl"},
}
COOKIE = "sleutelmonitor_taal"
# Messages that the JavaScript needs come from this source file (its location in the catalogue).
JS_BRON = "app/web/static/app/sleutel.js"


@dataclass(frozen=True)
class Catalogus:
    taal: str
    translations: Translations
    js: dict[str, str]  # msgid -> text, for the messages the JavaScript uses


def _po(taal: str) -> Path:
    return LOCALE / taal / "LC_MESSAGES" / f"{DOMEIN}.po"


@cache
def catalogus(taal: str) -> Catalogus:
    """The catalogue of one language (an untranslated message falls back to its Dutch msgid)."""
    with _po(taal).open("rb") as bestand:
        po = read_po(bestand, locale=taal, domain=DOMEIN)
    buffer = io.BytesIO()
    write_mo(buffer, po, use_fuzzy=False)
    buffer.seek(0)
    translations = Translations(buffer, domain=DOMEIN)
    js: dict[str, str] = {}
    for bericht in po:
        if not bericht.id or not isinstance(bericht.id, str):
            continue
        if any(plek == JS_BRON for plek, _ in bericht.locations):
            js[bericht.id] = (bericht.string if bericht.string and not bericht.fuzzy else bericht.id)
    return Catalogus(taal=taal, translations=translations, js=js)


def kies_taal(cookie: str | None, accept_language: str | None) -> str:
    """The device's choice (cookie), else the first supported language the browser asks for, else Dutch."""
    if cookie in TALEN:
        return cookie  # type: ignore[return-value]
    kandidaten: list[tuple[float, int, str]] = []
    for plek, deel in enumerate((accept_language or "").split(",")[:20]):
        stukken = deel.strip().split(";")
        code = stukken[0].strip().lower().split("-")[0]
        gewicht = 1.0
        for param in stukken[1:]:
            sleutel, _, waarde = param.strip().partition("=")
            if sleutel == "q":
                try:
                    gewicht = float(waarde)
                except ValueError:
                    gewicht = 0.0
        if code in TALEN and gewicht > 0:
            kandidaten.append((-gewicht, plek, code))
    return min(kandidaten)[2] if kandidaten else STANDAARD
