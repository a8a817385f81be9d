"""Overzicht: the organisation's (or region's) figures for a period, as tiles, charts and tables."""

import inspect
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from app.core.db import SessionDep
from app.core.errors import OngeldigeInvoer
from app.indicatoren import tabelcontrole
from app.indicatoren.dependencies import waarden_verzoek
from app.indicatoren.service import Resultaat
from app.toegang.caller import Binding, Scope
from app.web import adapters
from app.web.grafiek import Cel, Grafiek, cel, downloads, label, waarde
from app.web.sessie import SessieDep
from app.web.templating import getal, pagina

router = APIRouter(include_in_schema=False)

PERIODES = (
    ("laatste-12-maanden", "Laatste 12 maanden"),
    ("dit-jaar", "Dit jaar"),
    ("vorig-jaar", "Vorig jaar"),
    ("dit-kwartaal", "Dit kwartaal"),
    ("vorig-kwartaal", "Vorig kwartaal"),
    ("deze-maand", "Deze maand"),
    ("vorige-maand", "Vorige maand"),
)
STANDAARD_PERIODE = "laatste-12-maanden"


@dataclass
class Tegel:
    titel: str
    waarde: str
    onderdrukt: bool = False
    toelichting: str | None = None
    maat: str | None = None  # the indicator, for "uitsplitsen" on /vergelijken


def _tegel(titel: str, resultaat: Resultaat, *, eenheid: str = "", toelichting: str | None = None) -> Tegel:
    rij = adapters.totaal(resultaat)
    maat = resultaat.verzoek.indicator.code
    if rij.onderdrukt:
        return Tegel(titel, "onderdrukt", onderdrukt=True, toelichting="te weinig waarnemingen om te tonen", maat=maat)
    if rij.waarde is None:
        return Tegel(titel, "–", toelichting=toelichting or "geen gegevens in deze periode", maat=maat)
    if rij.noemer is not None and rij.teller is not None:
        toelichting = f"{getal(rij.teller)} van {getal(rij.noemer)}"
    return Tegel(titel, getal(rij.waarde) + eenheid, toelichting=toelichting, maat=maat)


def _signalen_tegel(session: Any, caller: Any, periode: str, per: Any) -> Tegel:
    """Signals fed back. An adviser (a regional `signalen` key) reads every signal addressed to the
    region in the inbox, so those are counted exactly; anyone else gets the indicator (perturbed for
    a regional reader without the inbox)."""
    if caller.binding is Binding.regio and caller.has(Scope.signalen):
        teller, noemer = adapters.inbox_teruggekoppeld(session, caller, vanaf=per.vanaf, tot=per.tot)
        if not noemer:
            return Tegel("Signalen teruggekoppeld", "–", toelichting="geen signalen aan uw gemeenten in deze periode")
        return Tegel("Signalen teruggekoppeld", getal(round(100 * teller / noemer, 1)) + "%",
                     toelichting=f"{getal(teller)} van {getal(noemer)} signalen aan uw gemeenten")
    return _tegel("Signalen teruggekoppeld",
                  adapters.indicator(session, caller, "percentage-signalen-teruggekoppeld", periode=periode), eenheid="%")


def kies_periode(periode: str | None, eigen: str | None, *, beschermd: bool = False) -> tuple[str, list[str]]:
    """The period asked for, checked like the API checks it (for a regional reader with the table
    checks' calendar rule too); the default with a message when invalid."""
    gekozen = (eigen or "").strip() or periode or STANDAARD_PERIODE
    try:
        verzoek = waarden_verzoek("aantal-contactmomenten", periode=gekozen)
    except OngeldigeInvoer as exc:
        return STANDAARD_PERIODE, [p["reason"] for p in exc.invalid_params or []] or [exc.detail]
    if beschermd and not tabelcontrole.toegestane_periode(verzoek.periode):
        return STANDAARD_PERIODE, [(f"Regionale cijfers gaan over een hele week, maand, kwartaal of jaar; "
                                    f"`{gekozen}` is dat niet.")]
    return gekozen, []


def _trend(session: Any, caller: Any, periode: str) -> Grafiek:
    contacten = adapters.indicator(session, caller, "aantal-contactmomenten", periode=periode, interval="maand")
    vragen = adapters.indicator(session, caller, "aantal-hulpvragen", periode=periode, interval="maand")
    grafiek = Grafiek(id="trend", titel="Contactmomenten en hulpvragen per maand", soort="line",
                      kop=["Maand", "Contactmomenten", "Hulpvragen"])
    if len(contacten.rijen) <= 2:
        grafiek.soort = "bar"  # a line through one or two points says less than bars
    for c, v in zip(contacten.rijen, vragen.rijen, strict=True):
        grafiek.labels.append(c.periode.label)
        grafiek.rijen.append([Cel(c.periode.label), cel(c), cel(v)])
    grafiek.reeksen = [
        {"naam": "Contactmomenten", "waarden": [waarde(r) for r in contacten.rijen]},
        {"naam": "Hulpvragen", "waarden": [waarde(r) for r in vragen.rijen]},
    ]
    grafiek.downloads = downloads(contacten, "Contactmomenten per maand") + downloads(vragen, "Hulpvragen per maand")
    return grafiek


def _onderwerpen(session: Any, caller: Any, periode: str, hoofdonderwerp: str | None) -> Grafiek:
    if hoofdonderwerp:
        resultaat = adapters.indicator(session, caller, "aantal-hulpvragen", periode=periode,
                                       groeperen_op=["onderwerp"], filters={"hoofdonderwerp": [hoofdonderwerp]})
        naam = adapters.labels(session, "onderwerp").get(hoofdonderwerp, hoofdonderwerp)
        grafiek = Grafiek(id="onderwerpen", titel=f"Hulpvragen over {naam}, per subonderwerp", soort="hbar",
                          kop=["Subonderwerp", "Hulpvragen"])
        dimensie = "onderwerp"
    else:
        resultaat = adapters.indicator(session, caller, "aantal-hulpvragen", periode=periode,
                                       groeperen_op=["hoofdonderwerp"])
        grafiek = Grafiek(id="onderwerpen", titel="Hulpvragen per hoofdonderwerp", soort="hbar",
                          kop=["Hoofdonderwerp", "Hulpvragen"],
                          toelichting="Kies een hoofdonderwerp in de tabel om de subonderwerpen te zien.")
        dimensie = "hoofdonderwerp"
    rijen = sorted(resultaat.rijen, key=lambda r: (r.onderdrukt, -(r.waarde or 0)))
    for rij in rijen:
        tekst = rij.labels.get(dimensie) or rij.dimensies[dimensie] or "onbekend"
        grafiek.labels.append(label(tekst, rij))
        link = None
        if dimensie == "hoofdonderwerp" and rij.dimensies[dimensie]:
            link = "/overzicht?" + urlencode({"periode": periode, "hoofdonderwerp": rij.dimensies[dimensie]}) + "#onderwerpen"
        grafiek.rijen.append([Cel(tekst, link=link, code=rij.dimensies[dimensie] if link else None), cel(rij)])
    grafiek.reeksen = [{"naam": "Hulpvragen", "waarden": [waarde(r) for r in rijen]}]
    grafiek.downloads = downloads(resultaat, grafiek.titel)
    return grafiek


def _doorverwijzingen(session: Any, caller: Any, periode: str) -> Grafiek:
    aantallen = adapters.indicator(session, caller, "aantal-doorverwijzingen", periode=periode,
                                   groeperen_op=["ketenpartnerCategorie"])
    afgerond = adapters.indicator(session, caller, "percentage-doorverwijzingen-afgerond", periode=periode,
                                  groeperen_op=["ketenpartnerCategorie"])
    per_categorie = {r.dimensies["ketenpartnerCategorie"]: r for r in afgerond.rijen}
    grafiek = Grafiek(id="doorverwijzingen", titel="Doorverwijzingen per soort ketenpartner", soort="hbar",
                      kop=["Soort ketenpartner", "Doorverwijzingen", "Afgerond (van met eindstatus)"])
    rijen = sorted(aantallen.rijen, key=lambda r: (r.onderdrukt, -(r.waarde or 0)))
    for rij in rijen:
        code = rij.dimensies["ketenpartnerCategorie"]
        tekst = rij.labels.get("ketenpartnerCategorie") or code or "onbekend"
        grafiek.labels.append(label(tekst, rij))
        percentage = per_categorie.get(code)
        if percentage is None or percentage.waarde is None and not percentage.onderdrukt:
            afgerond_cel = Cel("–")
        elif percentage.onderdrukt:
            afgerond_cel = Cel("onderdrukt", onderdrukt=True)
        else:
            afgerond_cel = Cel(f"{getal(percentage.waarde)}% ({getal(percentage.teller)} van {getal(percentage.noemer)})",
                               getal=True)
        grafiek.rijen.append([Cel(tekst), cel(rij), afgerond_cel])
    grafiek.reeksen = [{"naam": "Doorverwijzingen", "waarden": [waarde(r) for r in rijen]}]
    grafiek.downloads = downloads(aantallen, "Doorverwijzingen per soort ketenpartner") + downloads(
        afgerond, "Percentage afgerond per soort ketenpartner")
    return grafiek


@router.get("/overzicht", response_class=HTMLResponse)
def overzicht(
    request: Request, sessie: SessieDep, session: SessionDep,
    periode: Annotated[str | None, Query(max_length=40)] = None,
    eigen: Annotated[str | None, Query(max_length=40)] = None,
    hoofdonderwerp: Annotated[str | None, Query(max_length=80)] = None,
) -> Response:
    caller = sessie.caller
    if not caller.has(Scope.rapporteren):
        # A key for the signal inbox (or for reading only) has no figures: start where it has work.
        return RedirectResponse("/signalen", status_code=303)
    gekozen, fouten = kies_periode(periode, eigen, beschermd=caller.binding is not Binding.organisatie)
    if hoofdonderwerp and hoofdonderwerp not in adapters.labels(session, "onderwerp"):
        fouten.append(f"Hoofdonderwerp `{hoofdonderwerp}` bestaat niet; het overzicht toont alle hoofdonderwerpen.")
        hoofdonderwerp = None
    totaal = adapters.indicator(session, caller, "aantal-contactmomenten", periode=gekozen)
    per = totaal.verzoek.periode
    tegels = [
        _tegel("Contactmomenten", totaal),
        _tegel("Hulpvragen", adapters.indicator(session, caller, "aantal-hulpvragen", periode=gekozen)),
        _tegel("Bereik: inwoners", adapters.indicator(session, caller, "bereik-inwoners", periode=gekozen),
               toelichting="unieke inwoners in individuele contacten"),
        _tegel("Bereik: groepsdeelnemers", adapters.indicator(session, caller, "bereik-groepsdeelnemers", periode=gekozen),
               toelichting="deelnemers aan groepsbijeenkomsten"),
        _tegel("Doorverwijzingen", adapters.indicator(session, caller, "aantal-doorverwijzingen", periode=gekozen)),
        _tegel("Doorverwijzingen afgerond",
               adapters.indicator(session, caller, "percentage-doorverwijzingen-afgerond", periode=gekozen), eenheid="%"),
        _tegel("Bestede uren", adapters.indicator(session, caller, "bestede-uren", periode=gekozen)),
        _signalen_tegel(session, caller, gekozen, per),
    ]
    grafieken = [
        _trend(session, caller, gekozen),
        _onderwerpen(session, caller, gekozen, hoofdonderwerp),
        _doorverwijzingen(session, caller, gekozen),
    ]
    doelen = adapters.doelen_in(session, caller, vanaf=per.vanaf, tot=per.tot)
    # Each target links to the goals that name its indicator and whose term overlaps the target's period.
    per_indicator = adapters.doelstellingen_per_indicator(session, caller) if doelen else {}
    doelstellingen = [
        [(d_id, titel) for d_id, titel, vanaf, tot in per_indicator.get(d.indicator, [])
         if d.vanaf is not None and d.tot is not None and vanaf < d.tot and (tot is None or tot >= d.vanaf)]
        for d in doelen
    ]
    return pagina(request, "overzicht.html", {
        "sessie": sessie, "actief": "overzicht", "periodes": PERIODES, "periode": gekozen,
        "eigen": eigen if eigen and not fouten else "", "fouten": fouten, "per": per, "tegels": tegels,
        "grafieken": grafieken, "doelen": list(zip(doelen, doelstellingen, strict=True)), "tempo_namen": adapters.TEMPO_NAMEN, "hoofdonderwerp": hoofdonderwerp,
        "onderdrukking": totaal.onderdrukking, "drempel": totaal.drempel,
    })


# The query keys the API's indicator request accepts; anything else in a download link is ignored.
_VERZOEK_PARAMETERS = frozenset(inspect.signature(waarden_verzoek).parameters) - {"code"}


@router.get("/overzicht/download")
def download(
    request: Request, sessie: SessieDep, session: SessionDep,
    indicator: Annotated[str, Query(max_length=60)], formaat: Annotated[str, Query(pattern="^(csv|xlsx)$")] = "csv",
) -> Response:
    """The figures behind a chart as the API exports them; a browser link cannot send the API key."""
    parameters = {k: v for k, v in request.query_params.items() if k in _VERZOEK_PARAMETERS}
    groepen = tuple(g for g in (parameters.pop("groeperenOp", "") or "").split(",") if g)
    vaste = {k: parameters.pop(k, None) for k in ("periode", "vanaf", "tot", "interval")}
    filters = {k: v.split(",") for k, v in parameters.items()}
    resultaat = adapters.indicator(session, sessie.caller, indicator, groeperen_op=groepen, filters=filters, **vaste)
    return adapters.download(resultaat, formaat)
