"""The accountability report (verantwoording) of one organisation over one period, in one click.

One `Verantwoording` holds everything an organisation reports to its financier (a gemeente, the GGD):
the chapter-7 indicators with their targets, hours, reach, referrals, signals and what was done with
them, the shared stories, and a Toelichting with the definitions. It is built from the same services
the API uses (`indicatoren.service.bereken` with the organisation's own key: exact figures, the same
numbers `GET /v1/indicatoren/{code}/waarden` gives), and rendered as XLSX (`xlsx.py`) or PDF (`pdf.py`).

Each section is one function in `SECTIES` that takes the `Context` and returns a `Sectie`; adding a
section (costs, the period's status) is one function and one entry.

Nothing in the report names a resident or a key person: figures are totals, signals and stories come
without their key person, and only stories shared with consent (`ervaringsverhalen.service.deelbaar`)
are included.
"""

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from app.codelijsten import service as codelijsten
from app.core.config import get_settings
from app.core.errors import GeenToegang, NietGevonden, OngeldigeInvoer
from app.core.periods import Periode, PeriodeFout, parse_periode
from app.core.validation import vandaag
from app.ervaringsverhalen import service as verhalen
from app.indicatoren.catalogue import INDICATOREN, Eenheid, Indicator
from app.indicatoren.service import Resultaat, Rij, Verzoek, bereken
from app.models import Ervaringsverhaal, Ketenpartner, Organisatie, Signaal
from app.signalen import service as signalen
from app.toegang.caller import Binding, Caller

# A report lists at most this many signals and stories; more are counted, and named in the section's note.
MAX_REGELS = 500

PERCENTAGE_SCHAAL = (
    "Percentages staan op één schaal: als percentage, 45,5% is 45,5 van de 100. In de Excel-werkmap bevat de cel "
    "hetzelfde getal als de API (45,5), opgemaakt met een procentteken; in de PDF staat 45,5%."
)


class Soort:
    """How a column's values are written: text, a count, hours, a percentage (0-100) or a date."""

    tekst = "tekst"
    aantal = "aantal"
    uren = "uren"
    percentage = "percentage"
    datum = "datum"
    dagen = "dagen"
    euro = "euro"


@dataclass(frozen=True)
class Kolom:
    naam: str
    soort: str = Soort.tekst


@dataclass
class Sectie:
    """One part of the report: a sheet in the workbook, a chapter in the PDF."""

    code: str  # the sheet's name
    titel: str
    inleiding: str
    kolommen: list[Kolom]
    rijen: list[list[Any]] = field(default_factory=list)
    leeg: str = "Geen gegevens in deze periode."
    noot: str | None = None


@dataclass
class Context:
    session: Session
    caller: Caller
    organisatie: Organisatie
    periode: Periode
    # A part of the organisation's work (one project, or the projects of one financier): indicator filters
    # applied wherever the indicator has that dimension; the rest of the report is the whole organisation's.
    selectie: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def geldt_voor(self, indicator: Indicator) -> bool:
        """Whether the selection applies to this indicator (it has every selected dimension)."""
        return all(naam in indicator.dimensies for naam in self.selectie)


@dataclass
class Verantwoording:
    organisatie: Organisatie
    periode: Periode
    gemaakt_op: datetime
    secties: list[Sectie]
    definities: list[Indicator]
    kerncijfers: list[tuple[str, "Getal"]]  # (name, value) for the first page
    selectie: str | None = None  # "Project …" or "Financier …": what part of the work, in words

    @property
    def bestandsnaam(self) -> str:
        # ASCII only: a header value is Latin-1, and a file name travels through mail and file systems.
        ascii_naam = unicodedata.normalize("NFKD", self.organisatie.naam).encode("ascii", "ignore").decode().lower()
        naam = re.sub(r"[^a-z0-9]+", "-", ascii_naam).strip("-")
        deel = ""
        if self.selectie:
            ascii_deel = unicodedata.normalize("NFKD", self.selectie).encode("ascii", "ignore").decode().lower()
            deel = "-" + re.sub(r"[^a-z0-9]+", "-", ascii_deel).strip("-")[:60].strip("-")
        return f"verantwoording-{naam or 'organisatie'}{deel}-{self.periode.label.replace('/', '_')}"

    def toelichting(self) -> list[tuple[str, str]]:
        """What the report is about and how to read it, as (label, text)."""
        p = self.periode
        return [
            ("Organisatie", self.organisatie.naam),
            *([("Deel van het werk", (f"{self.selectie}. Indicatoren met die uitsplitsing gaan alleen over dit deel; "
                                     "de andere (signalen, ervaringsverhalen en wat niet aan een project hangt) "
                                     "over de hele organisatie: de kolom Geldt voor zegt welke."))]
              if self.selectie else []),
            ("Periode", f"{p.label} ({p.vanaf.strftime('%d-%m-%Y')} tot en met {p.laatste_dag.strftime('%d-%m-%Y')})"),
            ("Gemaakt op", self.gemaakt_op.strftime("%d-%m-%Y %H:%M UTC")),
            ("Bron", ("Sleutelmonitor: de registraties van de sleutelpersonen van de organisatie; indicatoren uit "
                     "hoofdstuk 7 (Monitoring en evaluatie) van de handreiking Samenwerken met Sleutelpersonen "
                     "Gezondheid (Pharos).")),
            ("Cijfers", ("Exacte cijfers van de eigen organisatie, dezelfde als GET /v1/indicatoren/{code}/waarden "
                        "met de sleutel van de organisatie voor deze periode.")),
            ("Percentages", PERCENTAGE_SCHAAL),
            ("Privacy", ("Geen gegevens van inwoners of namen van sleutelpersonen: alleen totalen, signalen zonder "
                        "de sleutelpersoon, en alleen ervaringsverhalen die gedeeld mogen worden (met toestemming "
                        "waar die nodig is).")),
        ]


# --- building ------------------------------------------------------------------------------------


def periode_van(tekst: str) -> Periode:
    """The report's period: a year, quarter or month (2026, 2026Q1, 2026-03) or a relative one; 400 otherwise."""
    try:
        periode = parse_periode(tekst, today=vandaag())
    except PeriodeFout as exc:
        raise OngeldigeInvoer.veld("periode", str(exc)) from exc
    if not (periode.label[:4].isdigit() and (len(periode.label) == 4 or periode.label[4] in "Q-")
            and "/" not in periode.label):
        raise OngeldigeInvoer.veld(
            "periode", "Een verantwoording gaat over een jaar, kwartaal of maand, bijvoorbeeld 2026, 2026Q1 of 2026-03.")
    return periode


def maak(session: Session, *, caller: Caller, periode: Periode, selectie: dict[str, tuple[str, ...]] | None = None,
         selectie_tekst: str | None = None) -> Verantwoording:
    """The organisation's accountability report for the period (the caller's own organisation only), optionally
    for a part of its work (`selectie`: indicator filters, described by `selectie_tekst`)."""
    if caller.binding is not Binding.organisatie or caller.organisatie_id is None:
        raise GeenToegang("Een verantwoording is er alleen voor de organisatie zelf; gebruik haar eigen sleutel.")
    organisatie = session.get(Organisatie, caller.organisatie_id)
    if organisatie is None:
        raise NietGevonden(f"Organisatie {caller.organisatie_id} bestaat niet.")
    context = Context(session=session, caller=caller, organisatie=organisatie, periode=periode,
                      selectie=dict(selectie or {}))
    secties = [sectie(context) for sectie in alle_secties()]
    return Verantwoording(
        organisatie=organisatie, periode=periode, gemaakt_op=datetime.now(UTC), secties=secties,
        definities=list(INDICATOREN.values()), kerncijfers=_kerncijfers(next(s for s in secties if s.code == "Indicatoren")),
        selectie=selectie_tekst,
    )


def waarde(context: Context, code: str, *, groeperen_op: Sequence[str] = (),
           filters: dict[str, tuple[str, ...]] | None = None) -> Resultaat:
    """An indicator over the report's period, exactly as the API computes it for the organisation's key (with
    the report's selection as filters where the indicator has those dimensions)."""
    settings = get_settings()
    indicator = INDICATOREN[code]
    alle = {**(context.selectie if context.geldt_voor(indicator) else {}), **(filters or {})}
    verzoek = Verzoek(indicator=indicator, periode=context.periode, interval=None,
                      groeperen_op=tuple(groeperen_op), filters=alle)
    return bereken(context.session, caller=context.caller, verzoek=verzoek, drempel=settings.suppression_threshold,
                   max_rijen=settings.max_indicator_rows)


def _soort(indicator: Indicator) -> str:
    return {Eenheid.percentage: Soort.percentage, Eenheid.uren: Soort.uren, Eenheid.dagen: Soort.dagen,
            Eenheid.euro: Soort.euro}.get(indicator.eenheid, Soort.aantal)


# --- sections ------------------------------------------------------------------------------------


def indicatoren(context: Context) -> Sectie:
    """Every catalogue indicator for the period, with teller and noemer of rates, and the target where one is set."""
    sectie = Sectie(
        code="Indicatoren", titel="Indicatoren",
        inleiding="De indicatoren uit hoofdstuk 7 van de handreiking over de hele periode. Waar de organisatie voor "
                  "deze periode een doel stelde, staan het doel en de realisatie (de waarde als percentage van het "
                  "doel) ernaast; loopt de periode nog, dan ook wat het doel tot vandaag verwacht en het tempo. De "
                  "definities staan in de Toelichting.",
        kolommen=[Kolom("Indicator"), Kolom("Code"), Kolom("Eenheid"), Kolom("Waarde", Soort.aantal),
                  Kolom("Teller", Soort.aantal), Kolom("Noemer", Soort.aantal), Kolom("Doel", Soort.aantal),
                  Kolom("Realisatie van het doel", Soort.percentage), Kolom("Verwacht tot nu", Soort.aantal),
                  Kolom("Tempo")],
    )
    if context.selectie:
        sectie.kolommen.append(Kolom("Geldt voor"))
    for indicator in INDICATOREN.values():
        rij = waarde(context, indicator.code).rijen[0]
        sectie.rijen.append([
            indicator.naam, indicator.code, indicator.eenheid.value, Getal(rij.waarde, _soort(indicator)),
            rij.teller, rij.noemer, Getal(rij.doel, _soort(indicator)) if rij.doel is not None else None,
            rij.realisatie, _verwacht(rij, indicator), TEMPO.get(getattr(rij, "tempo", None) or "", ""),
        ] + ([("dit deel" if context.geldt_voor(indicator) else "hele organisatie")] if context.selectie else []))
    return sectie


# Pace against a target whose period contains today (app/doelen/koppeling.py), in words.
TEMPO = {"voor": "voor op schema", "op-schema": "op schema", "achter": "achter op schema"}


def _verwacht(rij: Rij, indicator: Indicator) -> "Getal | None":
    """What the target expects by today (pace), where the period runs; None for a period that has ended."""
    verwacht = getattr(rij, "doel_verwacht", None)
    return Getal(verwacht, _soort(indicator)) if verwacht is not None else None


@dataclass(frozen=True)
class Getal:
    """A value whose kind differs per row of one column (the indicators' Waarde): its own soort."""

    waarde: Any
    soort: str


def per_dimensie(resultaat: Resultaat, dimensie: str) -> list[tuple[str, Rij]]:
    return [(r.labels.get(dimensie) or r.dimensies[dimensie] or "onbekend", r) for r in resultaat.rijen]


def uren(context: Context) -> Sectie:
    """Hours: registered hours by kind (inzet-uren) and the duration of contacts (bestede-uren)."""
    sectie = Sectie(
        code="Uren", titel="Uren",
        inleiding="De gewerkte uren die sleutelpersonen registreerden, per soort inzet (inzet-uren), en de "
                  "opgetelde duur van hun contactmomenten (bestede-uren).",
        kolommen=[Kolom("Wat"), Kolom("Soort"), Kolom("Uren", Soort.uren)],
    )
    for label, rij in per_dimensie(waarde(context, "inzet-uren", groeperen_op=["soort"]), "soort"):
        sectie.rijen.append(["Inzet (geregistreerde uren)", label, rij.waarde])
    sectie.rijen.append(["Inzet (geregistreerde uren)", "Totaal", waarde(context, "inzet-uren").rijen[0].waarde])
    sectie.rijen.append(["Duur van contactmomenten", "Totaal", waarde(context, "bestede-uren").rijen[0].waarde])
    return sectie


def bereik(context: Context) -> Sectie:
    """Reach among residents (individual and group) and among professionals, by kind of contact."""
    sectie = Sectie(
        code="Bereik", titel="Bereik onder inwoners en professionals",
        inleiding="Hoeveel inwoners de sleutelpersonen bereikten, in individuele contacten en in "
                  "groepsbijeenkomsten, en hoeveel professionals, per soort contact met professionals.",
        kolommen=[Kolom("Doelgroep"), Kolom("Maat"), Kolom("Uitsplitsing"), Kolom("Aantal", Soort.aantal)],
    )
    for code, naam in (("bereik-inwoners", "Unieke inwoners in individuele contacten"),
                       ("nieuwe-inwoners", "Nieuwe inwoners (eerste contact in de periode)"),
                       ("bereik-groepsdeelnemers", "Deelnemers aan groepsbijeenkomsten")):
        sectie.rijen.append(["Inwoners", naam, "Totaal", waarde(context, code).rijen[0].waarde])
    for code, naam in (("aantal-professionele-contacten", "Contacten met professionals"),
                       ("bereik-professionals", "Bereikte professionals")):
        for label, rij in per_dimensie(waarde(context, code, groeperen_op=["soort"]), "soort"):
            sectie.rijen.append(["Professionals", naam, label, rij.waarde])
        sectie.rijen.append(["Professionals", naam, "Totaal", waarde(context, code).rijen[0].waarde])
    return sectie


def doorverwijzingen(context: Context) -> Sectie:
    """Referrals by kind of partner: how many, how many reached a final status, how many were completed."""
    sectie = Sectie(
        code="Doorverwijzingen", titel="Doorverwijzingen",
        inleiding="Doorverwijzingen naar ketenpartners vanuit contactmomenten in de periode, per soort "
                  "ketenpartner: hoeveel er afgerond zijn, van de doorverwijzingen met een eindstatus (afgerond, "
                  "afgewezen of niet verschenen).",
        kolommen=[Kolom("Soort ketenpartner"), Kolom("Doorverwijzingen", Soort.aantal),
                  Kolom("Met eindstatus", Soort.aantal), Kolom("Afgerond", Soort.aantal),
                  Kolom("Percentage afgerond", Soort.percentage)],
    )
    dimensie = "ketenpartnerCategorie"
    afgerond = {r.dimensies[dimensie]: r for r in waarde(
        context, "percentage-doorverwijzingen-afgerond", groeperen_op=[dimensie]).rijen}
    for label, rij in per_dimensie(waarde(context, "aantal-doorverwijzingen", groeperen_op=[dimensie]), dimensie):
        pct = afgerond.get(rij.dimensies[dimensie])
        sectie.rijen.append([label, rij.waarde, pct.noemer if pct else 0, pct.teller if pct else 0,
                             pct.waarde if pct else None])
    totaal = waarde(context, "percentage-doorverwijzingen-afgerond").rijen[0]
    sectie.rijen.append(["Totaal", waarde(context, "aantal-doorverwijzingen").rijen[0].waarde, totaal.noemer,
                         totaal.teller, totaal.waarde])
    return sectie


def _code(waarde: Any) -> str:
    """A code-list value as text, whether the schema kept the enum or its value."""
    return str(getattr(waarde, "value", waarde))


SIGNAALSTATUS = {"ingediend": "Ingediend", "ontvangen": "Ontvangen", "in-behandeling": "In behandeling",
                 "opgepakt": "Opgepakt", "niet-opgepakt": "Niet opgepakt"}


def _signalen_rijen(context: Context) -> tuple[list[Signaal], int]:
    p = context.periode
    statement = signalen.list_statement(signalen.eigen_statement(context.caller), datum_vanaf=p.vanaf,
                                        datum_tot=p.laatste_dag)
    rijen = list(context.session.exec(statement.limit(MAX_REGELS + 1)))
    return rijen[:MAX_REGELS], len(rijen)


def signaal_overzicht(context: Context) -> Sectie:
    """The organisation's signals dated in the period: to whom, their status and the feedback (no key person)."""
    sectie = Sectie(
        code="Signalen", titel="Signalen en wat ermee gebeurde",
        inleiding="Signalen die sleutelpersonen doorgaven aan beleid of ketenpartners, met een datum in de periode: "
                  "aan wie, de status nu en de terugkoppeling. Zonder de naam van de sleutelpersoon.",
        kolommen=[Kolom("Datum", Soort.datum), Kolom("Signaal"), Kolom("Onderwerpen"), Kolom("Gericht aan"),
                  Kolom("Urgentie"), Kolom("Hoe vaak gehoord", Soort.aantal), Kolom("Status"),
                  Kolom("Terugkoppeling op", Soort.datum), Kolom("Terugkoppeling")],
        leeg="Geen signalen in deze periode.",
    )
    rijen, gevonden = _signalen_rijen(context)
    if gevonden > MAX_REGELS:
        sectie.noot = f"De eerste {MAX_REGELS} signalen van de periode (op datum, nieuwste eerst); kies een kortere periode voor de rest."
    publiek = signalen.publiek(context.session, rijen)
    onderwerpen = codelijsten.labels(context.session, lijst=codelijsten.ONDERWERP)
    gemeenten = codelijsten.labels(context.session, lijst=codelijsten.GEMEENTE)
    partner_ids = {s.gericht_aan.ketenpartner_id for s in publiek if s.gericht_aan.ketenpartner_id}
    partners = dict(context.session.exec(select(Ketenpartner.id, Ketenpartner.naam).where(
        col(Ketenpartner.id).in_(partner_ids)))) if partner_ids else {}
    for s in publiek:
        aan = s.gericht_aan
        if aan.ketenpartner_id:
            gericht = f"Ketenpartner {partners.get(aan.ketenpartner_id, '')}".strip()
        else:
            soort = "GGD" if _code(aan.soort) == "ggd" else "Gemeente"
            gericht = f"{soort} {gemeenten.get(aan.gemeentecode or '', aan.gemeentecode or '')}".strip()
        teruggekoppeld = s.terugkoppeling
        sectie.rijen.append([
            s.datum, s.titel, "; ".join(onderwerpen.get(o, o) for o in s.onderwerpen), gericht, _code(s.urgentie),
            s.hoe_vaak_gehoord, SIGNAALSTATUS.get(_code(s.status), _code(s.status)),
            teruggekoppeld.datum if teruggekoppeld else None, teruggekoppeld.tekst if teruggekoppeld else "nog geen",
        ])
    return sectie


def gedeelde_verhalen(context: Context) -> Sectie:
    """The organisation's stories dated in the period that may be shared (marked shared, consent where needed)."""
    sectie = Sectie(
        code="Ervaringsverhalen", titel="Ervaringsverhalen",
        inleiding="Ervaringsverhalen met een datum in de periode die gedeeld mogen worden: gemarkeerd als gedeeld, "
                  "en met toestemming waar die nodig is (altijd als een inwoner het verhaal vertelde). Zonder de naam "
                  "van de sleutelpersoon.",
        kolommen=[Kolom("Datum", Soort.datum), Kolom("Titel"), Kolom("Gemeente"), Kolom("Bron"), Kolom("Effecten"),
                  Kolom("Citaat"), Kolom("Verhaal")],
        leeg="Geen gedeelde ervaringsverhalen in deze periode.",
    )
    p = context.periode
    statement = verhalen.list_statement(
        verhalen.eigen_statement(context.caller).where(verhalen.deelbaar()), datum_vanaf=p.vanaf, datum_tot=p.laatste_dag)
    rijen: list[Ervaringsverhaal] = list(context.session.exec(statement.limit(MAX_REGELS + 1)))
    if len(rijen) > MAX_REGELS:
        sectie.noot = f"De eerste {MAX_REGELS} verhalen van de periode (nieuwste eerst); kies een kortere periode voor de rest."
    effecten = codelijsten.labels(context.session, lijst=codelijsten.EFFECT)
    gemeenten = codelijsten.labels(context.session, lijst=codelijsten.GEMEENTE)
    bronnen = {"sleutelpersoon": "Sleutelpersoon", "collega": "Collega", "ketenpartner": "Ketenpartner",
               "inwoner": "Inwoner", "coordinator": "Coördinator"}
    for v in verhalen.publiek(context.session, rijen[:MAX_REGELS]):
        sectie.rijen.append([
            v.datum, v.titel, gemeenten.get(v.gemeentecode, v.gemeentecode), bronnen.get(_code(v.bron), _code(v.bron)),
            "; ".join(effecten.get(e, e) for e in v.effecten), v.citaat or "", v.verhaal,
        ])
    return sectie


SECTIES: tuple[Callable[[Context], Sectie], ...] = (
    indicatoren,
    uren,
    bereik,
    doorverwijzingen,
    signaal_overzicht,
    gedeelde_verhalen,
)



def alle_secties() -> tuple[Callable[[Context], Sectie], ...]:
    """The sections in the report's order; those of other domains are imported here, out of import time
    (they import this module)."""
    from app.verantwoording import kosten, rapportage

    return (rapportage.periodestatus, SECTIES[0], uren, kosten.kosten, *SECTIES[2:])


# The figures on the report's first page, from the indicators section (code, label).
KERNCIJFERS = (
    ("aantal-contactmomenten", "Contactmomenten"),
    ("aantal-hulpvragen", "Hulpvragen"),
    ("bereik-inwoners", "Unieke inwoners bereikt"),
    ("bereik-groepsdeelnemers", "Deelnemers aan groepsbijeenkomsten"),
    ("bereik-professionals", "Professionals bereikt"),
    ("aantal-doorverwijzingen", "Doorverwijzingen"),
    ("percentage-doorverwijzingen-afgerond", "Doorverwijzingen afgerond"),
    ("inzet-uren", "Gewerkte uren"),
    ("kosten", "Kosten"),
    ("actieve-sleutelpersonen", "Actieve sleutelpersonen"),
    ("aantal-signalen", "Signalen"),
    ("percentage-signalen-teruggekoppeld", "Signalen teruggekoppeld"),
)


def _kerncijfers(sectie: Sectie) -> list[tuple[str, Getal]]:
    per_code = {rij[1]: rij[3] for rij in sectie.rijen}
    return [(label, per_code[code]) for code, label in KERNCIJFERS if code in per_code]
