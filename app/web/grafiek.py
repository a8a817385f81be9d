"""A chart of the dashboard as data: drawn by Chart.js in the browser, and always also a table.

The table is the chart's text alternative (WCAG 1.1.1) and the screen reader's way in; the chart
carries a one-sentence summary as its accessible name. A suppressed cell is never drawn as zero:
the bar is left out and its label says "onderdrukt".
"""

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from app.indicatoren.service import Resultaat, Rij
from app.web.templating import getal

ONDERDRUKT = "onderdrukt"


@dataclass
class Cel:
    tekst: str
    link: str | None = None
    code: str | None = None
    onderdrukt: bool = False
    getal: bool = False


@dataclass
class Grafiek:
    id: str
    titel: str
    soort: str  # bar, hbar or line
    labels: list[str] = field(default_factory=list)
    reeksen: list[dict[str, Any]] = field(default_factory=list)
    kop: list[str] = field(default_factory=list)
    rijen: list[list[Cel]] = field(default_factory=list)
    downloads: list[dict[str, str]] = field(default_factory=list)
    eenheid: str = ""
    toelichting: str | None = None

    @property
    def data_json(self) -> str:
        """The chart's data for app.js, safe inside a <script type="application/json"> element."""
        tekst = json.dumps({"soort": self.soort, "labels": self.labels, "reeksen": self.reeksen,
                            "eenheid": self.eenheid, "titel": self.titel}, ensure_ascii=False)
        return tekst.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")

    @property
    def samenvatting(self) -> str:
        """One sentence that says what the chart shows, for its accessible name."""
        if not self.labels:
            return f"{self.titel}: geen gegevens in deze periode."
        reeks = self.reeksen[0]
        paren = [(label, w) for label, w in zip(self.labels, reeks["waarden"], strict=True) if w is not None]
        onderdrukt = sum(1 for w in reeks["waarden"] if w is None)
        if not paren:
            return f"{self.titel}: alle {len(self.labels)} waarden zijn onderdrukt."
        hoogste = max(paren, key=lambda p: p[1])
        zin = (f"{self.titel}, {len(self.labels)} waarden; de hoogste is {hoogste[0]} met {getal(hoogste[1])}"
               f"{(' ' + self.eenheid) if self.eenheid else ''}.")
        if onderdrukt:
            zin += f" {onderdrukt} {'waarde is' if onderdrukt == 1 else 'waarden zijn'} onderdrukt."
        return zin + " De tabel geeft alle waarden."


def waarde(rij: Rij) -> float | int | None:
    """What a chart draws: nothing (not zero) for a suppressed cell."""
    return None if rij.onderdrukt else rij.waarde


def cel(rij: Rij, *, eenheid: str = "") -> Cel:
    if rij.onderdrukt:
        return Cel(ONDERDRUKT, onderdrukt=True)
    if rij.waarde is None:
        return Cel("–", getal=True)
    return Cel(getal(rij.waarde) + (f" {eenheid}" if eenheid else ""), getal=True)


def label(tekst: str | None, rij: Rij) -> str:
    tekst = tekst or "onbekend"
    return f"{tekst} ({ONDERDRUKT})" if rij.onderdrukt else tekst


def downloads(resultaat: Resultaat, naam: str) -> list[dict[str, str]]:
    """CSV and XLSX links to the dashboard's download route, with the query of this result."""
    verzoek = resultaat.verzoek
    query: dict[str, str] = {"indicator": verzoek.indicator.code, "vanaf": verzoek.periode.vanaf.isoformat(),
                             "tot": verzoek.periode.laatste_dag.isoformat()}
    if verzoek.interval is not None:
        query["interval"] = verzoek.interval.value
    if verzoek.groeperen_op:
        query["groeperenOp"] = ",".join(verzoek.groeperen_op)
    for filter_naam, waarden in verzoek.filters.items():
        query[filter_naam] = ",".join(waarden)
    return [
        {"label": f"{naam} als CSV", "url": "/overzicht/download?" + urlencode(query | {"formaat": "csv"})},
        {"label": f"{naam} als Excel (xlsx)", "url": "/overzicht/download?" + urlencode(query | {"formaat": "xlsx"})},
    ]
