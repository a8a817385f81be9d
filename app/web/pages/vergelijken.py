"""Vergelijken: one figure split by gemeente, wijk, organisation, key person or topic, this period next
to the previous one and the same period a year earlier, with drill-down from gemeente to wijk and
from hoofdonderwerp to subonderwerp.

Every number is the API's own (`adapters.indicator`, the caller's tenancy and disclosure control): a
regional key sees perturbed cells and "onderdrukt", never an exact or a zero it should not see, and
each comparison is a table of its own (checked and audited as such).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse

from app.core.config import get_settings
from app.core.db import SessionDep
from app.core.errors import DomeinFout
from app.core.periods import Periode
from app.indicatoren.dependencies import waarden_verzoek
from app.indicatoren.service import Resultaat, Rij
from app.toegang.caller import Binding, Scope
from app.web import adapters
from app.web.grafiek import Grafiek, downloads
from app.web.pages.overzicht import PERIODES, kies_periode
from app.web.sessie import SessieDep, WebSessie
from app.web.templating import getal, pagina

router = APIRouter(include_in_schema=False)

# The figures of the overview's tiles.
MATEN = (
    ("aantal-contactmomenten", "Contactmomenten"),
    ("aantal-hulpvragen", "Hulpvragen"),
    ("bereik-inwoners", "Bereik: inwoners"),
    ("bereik-groepsdeelnemers", "Bereik: groepsdeelnemers"),
    ("aantal-doorverwijzingen", "Doorverwijzingen"),
    ("percentage-doorverwijzingen-afgerond", "Doorverwijzingen afgerond (%)"),
    ("bestede-uren", "Bestede uren"),
    ("percentage-signalen-teruggekoppeld", "Signalen teruggekoppeld (%)"),
)
UITSPLITSINGEN = {
    "gemeente": "Gemeente", "wijk": "Wijk", "organisatie": "Organisatie", "sleutelpersoon": "Sleutelpersoon",
    "hoofdonderwerp": "Hoofdonderwerp", "onderwerp": "Subonderwerp",
}
# A regional key names the wijken it splits by (table checks); these are the first codes of a
# gemeente, whatever the data hold, so the list itself tells nothing. Fewer than 20 cells: the
# sparsity rule is for larger tables.
REGIONALE_WIJKEN = 19


def _toegestaan(sessie: WebSessie) -> list[tuple[str, str]]:
    weg = {"organisatie"} if sessie.is_organisatie else {"sleutelpersoon"}
    return [(k, v) for k, v in UITSPLITSINGEN.items() if k not in weg]


def _maanden(vanaf: date, tot: date) -> int | None:
    """The number of whole months a period spans, when it starts and ends on the first of a month."""
    if vanaf.day != 1 or tot.day != 1:
        return None
    return (tot.year - vanaf.year) * 12 + tot.month - vanaf.month


def _verschuif(d: date, maanden: int) -> date:
    index = d.year * 12 + (d.month - 1) + maanden
    return date(index // 12, index % 12 + 1, 1)


def vergelijkingsperiodes(per: Periode) -> list[tuple[str, date, date]]:
    """(name, first day, last day) of this period, the one before it and the same one a year earlier."""
    if (n := _maanden(per.vanaf, per.tot)) is not None:
        vorige = (_verschuif(per.vanaf, -n), per.vanaf)
        jaar = (_verschuif(per.vanaf, -12), _verschuif(per.tot, -12))
    else:
        lengte = per.tot - per.vanaf
        vorige = (per.vanaf - lengte, per.vanaf)
        # Whole weeks keep their weekdays a year earlier (52 weeks); other spans move by 365 days.
        terug = timedelta(days=364 if lengte.days % 7 == 0 else 365)
        jaar = (per.vanaf - terug, per.tot - terug)
    return [
        ("Deze periode", per.vanaf, per.laatste_dag),
        ("Periode ervoor", vorige[0], vorige[1] - timedelta(days=1)),
        ("Jaar eerder", jaar[0], jaar[1] - timedelta(days=1)),
    ]


@dataclass
class Vergelijking:
    naam: str
    vanaf: date
    tot: date
    resultaat: Resultaat | None = None
    reden: str | None = None  # why this comparison cannot be shown (refused by the table checks)
    per_code: dict[str | None, Rij] = field(default_factory=dict)


def _tekst(rij: Rij | None, eenheid: str) -> tuple[str, float | None, bool]:
    if rij is None:
        return "–", None, False
    if rij.onderdrukt:
        return "onderdrukt", None, True
    if rij.waarde is None:
        return "–", None, False
    return getal(rij.waarde) + eenheid, float(rij.waarde), False


def _verschil(nu: float | None, toen: float | None, eenheid: str) -> str:
    if nu is None or toen is None:
        return "–"
    verschil = nu - toen
    teken = "+" if verschil > 0 else ""
    tekst = f"{teken}{getal(verschil)}{eenheid}"
    if toen and eenheid != "%":
        tekst += f" ({teken}{getal(100 * verschil / toen, 0)}%)"
    return tekst


@router.get("/vergelijken", response_class=HTMLResponse)
def vergelijken(
    request: Request, sessie: SessieDep, session: SessionDep,
    maat: Annotated[str | None, Query(max_length=60)] = None,
    per: Annotated[str | None, Query(max_length=30)] = None,
    periode: Annotated[str | None, Query(max_length=40)] = None,
    eigen: Annotated[str | None, Query(max_length=40)] = None,
    gemeente: Annotated[str | None, Query(max_length=6)] = None,
    hoofdonderwerp: Annotated[str | None, Query(max_length=80)] = None,
) -> Response:
    caller = sessie.caller
    if not caller.has(Scope.rapporteren):
        return pagina(request, "fout.html", {"sessie": sessie, "status": 403, "titel": "Geen cijfers",
                                             "detail": "Deze sleutel mist de scope `rapporteren`.", "redenen": []},
                      status_code=403)
    beschermd = caller.binding is not Binding.organisatie
    fouten: list[str] = []
    maten = dict(MATEN)
    if maat not in maten:
        maat = MATEN[0][0]
    keuzes = _toegestaan(sessie)
    if per not in dict(keuzes):
        per = "gemeente"
    gekozen, periode_fouten = kies_periode(periode, eigen, beschermd=beschermd)
    fouten += periode_fouten
    gemeenten = adapters.labels(session, "gemeente")
    if gemeente and gemeente not in gemeenten:
        fouten.append(f"Gemeente {gemeente} bestaat niet.")
        gemeente = None
    onderwerpen = adapters.labels(session, "onderwerp")
    if hoofdonderwerp and (hoofdonderwerp not in onderwerpen or "." in hoofdonderwerp):
        fouten.append(f"Hoofdonderwerp {hoofdonderwerp} bestaat niet.")
        hoofdonderwerp = None
    if per == "wijk" and not gemeente:
        gemeente = (sorted(caller.gemeentecodes) or [None])[0] if beschermd else None
    filters: dict[str, list[str]] = {}
    if gemeente:
        filters["gemeente"] = [gemeente]
    if hoofdonderwerp:
        filters["hoofdonderwerp"] = [hoofdonderwerp]
    if per == "wijk" and beschermd and gemeente:
        filters["wijk"] = [f"WK{gemeente[2:6]}{n:02d}" for n in range(REGIONALE_WIJKEN)]

    # The period's dates, as the API resolves them; no figure is computed for it (a regional read would
    # cost the key an audited table of its daily budget for nothing).
    per_periode = waarden_verzoek(maat, periode=gekozen).periode
    eenheid = "%" if maat.startswith("percentage") else ""
    vergelijkingen: list[Vergelijking] = []
    for naam, vanaf, tot in vergelijkingsperiodes(per_periode):
        v = Vergelijking(naam, vanaf, tot)
        try:
            v.resultaat = adapters.indicator(session, caller, maat, vanaf=vanaf.isoformat(), tot=tot.isoformat(),
                                             groeperen_op=[per], filters=filters)
            v.per_code = {r.dimensies[per]: r for r in v.resultaat.rijen}
        except DomeinFout as exc:
            session.rollback()
            redenen = [p["reason"] for p in getattr(exc, "invalid_params", None) or [] if p.get("reason")]
            v.reden = "; ".join(redenen) or exc.detail
        vergelijkingen.append(v)

    huidig = vergelijkingen[0]
    rijen: list[dict[str, Any]] = []
    grafiek = Grafiek(id="vergelijking", titel=f"{maten[maat]} per {UITSPLITSINGEN[per].lower()}", soort="hbar",
                      eenheid=eenheid)
    if huidig.resultaat is not None:
        volgorde = sorted(huidig.resultaat.rijen, key=lambda r: (r.onderdrukt, -(r.waarde or 0)))
        for rij in volgorde:
            code = rij.dimensies[per]
            naam = rij.labels.get(per) or code or "onbekend"
            if per == "gemeente" and code:
                naam = f"{gemeenten.get(code, naam)} ({code})"
            waarden = [_tekst(v.per_code.get(code) if v.resultaat else None, eenheid) for v in vergelijkingen]
            link = None
            if per == "gemeente" and code:
                link = {"per": "wijk", "gemeente": code}
            elif per == "hoofdonderwerp" and code:
                link = {"per": "onderwerp", "hoofdonderwerp": code}
            if link:
                link = "/vergelijken?" + urlencode({"maat": maat, "periode": gekozen} | link)
            rijen.append({
                "naam": naam, "link": link, "waarden": waarden,
                "verschil_vorige": _verschil(waarden[0][1], waarden[1][1], eenheid),
                "verschil_jaar": _verschil(waarden[0][1], waarden[2][1], eenheid),
            })
            grafiek.labels.append(naam + (" (onderdrukt)" if rij.onderdrukt else ""))
        grafiek.reeksen = [
            {"naam": f"{v.naam} ({v.vanaf.strftime('%d-%m-%Y')} – {v.tot.strftime('%d-%m-%Y')})",
             "waarden": [r["waarden"][i][1] for r in rijen]}
            for i, v in enumerate(vergelijkingen[:2]) if v.resultaat is not None
        ]
        grafiek.downloads = downloads(huidig.resultaat, grafiek.titel)
    context = {
        "sessie": sessie, "actief": "vergelijken", "maten": MATEN, "maat": maat, "keuzes": keuzes, "per": per,
        "periodes": PERIODES, "periode": gekozen, "eigen": eigen if eigen and not periode_fouten else "",
        "gemeente": gemeente or "", "hoofdonderwerp": hoofdonderwerp or "", "fouten": fouten,
        "gemeenten": sorted(((c, n) for c, n in gemeenten.items() if not beschermd or c in caller.gemeentecodes),
                            key=lambda p: p[1]),
        "hoofdonderwerpen": sorted(((c, n) for c, n in onderwerpen.items() if "." not in c), key=lambda p: p[1]),
        "vergelijkingen": vergelijkingen, "rijen": rijen, "grafiek": grafiek, "beschermd": beschermd,
        "drempel": get_settings().suppression_threshold, "regionale_wijken": REGIONALE_WIJKEN,
        "titel_maat": maten[maat], "titel_per": UITSPLITSINGEN[per],
    }
    return pagina(request, "vergelijken.html", context)
