"""The import report in a coordinator's words, for the dashboard.

The API's messages stay precise for integrators: they name endpoints, parameters and the mapping
file. On the dashboard the same report speaks of what is on the page: the options by their label,
the choices for unknown names, "alles of niets" and "Importeer de goede rijen nu". Translated by
error kind (each kind's API wording is recognised by its pattern); anything not recognised is
cleaned of API references rather than shown raw.
"""

import re
from typing import Any

from app.imports.schemas import ImportDetail, ImportPublic

# The options as labelled on the Importeren page.
OPTIE_PER_RIJ = "Goede rijen opslaan, ook als andere rijen fout zijn"
OPTIE_SLEUTELPERSONEN = "Onbekende sleutelpersonen aanmaken"
OPTIE_KETENPARTNERS = "Onbekende ketenpartners aanmaken"
KNOP_GOEDE_RIJEN = "Importeer de goede rijen nu"
KEUZES = "Onbekende namen"

# API field names (and body paths) as the columns of a log call them.
LABELS: dict[str, str] = {
    "externId": "Extern id", "datum": "Datum", "sleutelpersoon": "Sleutelpersoon", "sleutelpersoonId": "Sleutelpersoon",
    "gemeentecode": "Gemeente", "wijkcode": "Wijk", "kanaal": "Kanaal", "soort": "Soort",
    "aantalDeelnemers": "Aantal deelnemers", "inwonerReferentie": "Cliëntnummer", "leeftijdscategorie": "Leeftijd",
    "inwoner.leeftijdscategorie": "Leeftijd", "geslacht": "Geslacht", "inwoner.geslacht": "Geslacht", "taal": "Taal",
    "inwoner.taal": "Taal", "doelgroep": "Doelgroep", "inwoner.doelgroep": "Doelgroep", "rol": "Rol",
    "onderwerpen": "Onderwerp", "acties": "Actie", "doorverwijzingen": "Doorverwezen naar",
    "wijze": "Wijze van doorverwijzen", "resultaat": "Resultaat", "uitkomst.resultaat": "Resultaat",
    "duurMinuten": "Duur (min)",
    # Professional contacts (app/imports/professioneel.py).
    "registratie": "Registratie", "aangevraagdDoor": "Aangevraagd door", "aanvragerGemeente": "Gemeente aanvrager",
    "aangevraagdDoor.gemeentecode": "Gemeente aanvrager", "aantalProfessionals": "Aantal professionals", "status": "Status",
}

_SOORTEN: list[tuple[re.Pattern[str], Any]] = [
    (re.compile(r"^Onbekende sleutelpersoon `(?P<naam>.*?)`; registreer .*$", re.DOTALL),
     lambda m, hier: f"Sleutelpersoon {m['naam']} is onbekend. {_kies(hier)} ‘aanmaken’ of koppel de naam aan een "
                     f"bestaande sleutelpersoon; of vink bij het uploaden ‘{OPTIE_SLEUTELPERSONEN}’ aan."),
    (re.compile(r"^Onbekende ketenpartner `(?P<naam>.*?)`; zet .*$", re.DOTALL),
     lambda m, hier: f"Ketenpartner {m['naam']} is onbekend. {_kies(hier)} ‘aanmaken’ of koppel de naam aan een "
                     f"bestaande ketenpartner; of vink bij het uploaden ‘{OPTIE_KETENPARTNERS}’ aan."),
    (re.compile(r"^(?P<begin>Onbekende waarde `.*?`\.(?: Bedoelt u .*?\?)?) Alle waarden: .*$", re.DOTALL),
     lambda m, _: f"{m['begin']} Verbeter de waarde in uw bestand en upload het opnieuw."),
    (re.compile(r"^Er zijn (?P<n>\d+) sleutelpersonen met de naam `(?P<naam>.*?)`; .*$", re.DOTALL),
     lambda m, _: f"Er zijn {m['n']} sleutelpersonen met de naam {m['naam']}; geef ze op de pagina Sleutelpersonen "
               "elk een eigen naam."),
    (re.compile(r"^De kolommen (?P<kolommen>.*) zijn allebei `(?P<veld>\w+)`; .*$", re.DOTALL),
     lambda m, _: f"De kolommen {m['kolommen'].replace('`', '')} betekenen allebei {_label(m['veld'])}; geef de kolom "
               "die niet telt een andere kop, of verwijder hem."),
    (re.compile(r"^Er is geen kolom voor `(?P<veld>\w+)` \(bijvoorbeeld (?P<vb>.*?)\); .*$", re.DOTALL),
     lambda m, _: f"Er is geen kolom {_label(m['veld'])} (bijvoorbeeld {m['vb'].replace('`', '')}); voeg die kolom "
               "toe aan uw bestand."),
    (re.compile(r"^Het contactmoment bestaat al met andere doorverwijzingen; .*$", re.DOTALL),
     lambda m, _: "Dit contactmoment bestaat al met andere doorverwijzingen; een import wijzigt die niet. Wijzig ze op "
               "de pagina Opvolging."),
    (re.compile(r"^Het contactmoment met externId `(?P<id>.*?)` is verwijderd; (?P<rest>.*)$", re.DOTALL),
     lambda m, _: f"Het contactmoment met Extern id {m['id']} is verwijderd; {m['rest']}"),
]

_MELDINGEN: list[tuple[re.Pattern[str], Any]] = [
    (re.compile(r"^Er is niets opgeslagen: (?P<a>[\d.]+) van de (?P<g>[\d.]+) rijen zijn afgekeurd en de import is atomair.*$", re.DOTALL),
     lambda m: f"Er is niets opgeslagen: {m['a']} van de {m['g']} rijen zijn afgekeurd, en de import was alles of niets. "
               f"Verbeter het bestand, of kies bij het uploaden ‘{OPTIE_PER_RIJ}’."),
    (re.compile(r"^Proefdraai: er is niets opgeslagen\. Een atomaire import zou niets opslaan, want (?P<a>\d+) van de (?P<g>\d+) .*$", re.DOTALL),
     lambda m: f"Er is nog niets opgeslagen. {m['a']} van de {m['g']} rijen kloppen niet, dus alles of niets "
               f"importeren zou niets opslaan. Met ‘{KNOP_GOEDE_RIJEN}’ slaat u {_goede(int(m['g']) - int(m['a']))} "
               "op; de andere kunt u later verbeteren en opnieuw importeren."),
    (re.compile(r"^Proefdraai: er is niets opgeslagen; .*$", re.DOTALL),
     lambda m: "Er is nog niets opgeslagen; de aantallen zijn wat importeren zou doen."),
]

# What an API message may say that a coordinator has no use for.
_OPRUIMEN: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\s*\((?:[^()]*?(?:/v1/|`--|=true|=false|\bAPI\b|mappingbestand)[^()]*?)\)"), ""),
    (re.compile(r"\b(?:GET|POST|PUT|PATCH|DELETE) /v1/\S+"), "de pagina"),
    (re.compile(r"een atomaire import", re.IGNORECASE), "een import van alles of niets"),
    (re.compile(r"\batomair(e)?\b", re.IGNORECASE), "alles of niets"),
    (re.compile(r"\bNDJSON\b"), "JSON-regels"),
    (re.compile(r"Importeer per rij \(`perRij=true`\)"), f"Kies ‘{OPTIE_PER_RIJ}’"),
]
_VELDNAAM = re.compile(r"`([A-Za-z][\w.\[\]]*)`")


def _goede(aantal: int) -> str:
    return "de goede rij" if aantal == 1 else f"de {aantal} goede rijen"


def _label(veld: str) -> str:
    kaal = re.sub(r"\[\d*\]", "", veld)
    return LABELS.get(kaal, LABELS.get(kaal.split(".")[-1], kaal))


def _opgeruimd(tekst: str) -> str:
    for patroon, vervanging in _OPRUIMEN:
        tekst = patroon.sub(vervanging, tekst)
    # `aantalDeelnemers` -> Aantal deelnemers; other quoted values (codes, the cell's text) stay as they are.
    return _VELDNAAM.sub(lambda m: _label(m[1]) if _label(m[1]) != re.sub(r"\[\d*\]", "", m[1]) else m[0], tekst)


def _kies(op_proefdraai: bool) -> str:
    if op_proefdraai:
        return f"Kies bij ‘{KEUZES}’ hieronder"
    return f"Deze rijen zijn niet opgeslagen. Upload het bestand opnieuw en kies bij ‘{KEUZES}’"


def reden(tekst: str, *, op_proefdraai: bool = True) -> str:
    """One error's reason as the dashboard shows it (`op_proefdraai`: the page offers the choices for names)."""
    for patroon, maak in _SOORTEN:
        if m := patroon.match(tekst):
            return _aanhalingstekens(maak(m, op_proefdraai))
    # A reason without a column starts with the API path it is about: `inwoner.geslacht: ...`.
    if m := re.match(r"^(?P<pad>[a-z][\w.\[\]]*): (?P<rest>.*)$", tekst, re.DOTALL):
        tekst = f"{_label(m['pad'])}: {m['rest']}"
    return _aanhalingstekens(_opgeruimd(tekst))


def _aanhalingstekens(tekst: str) -> str:
    """`value` (the API's code formatting) as ‘value’."""
    return re.sub(r"`([^`]*)`", r"‘\1’", tekst)


def melding(tekst: str | None) -> str | None:
    """The report's overall message as the dashboard shows it."""
    if not tekst:
        return tekst
    for patroon, maak in _MELDINGEN:
        if m := patroon.match(tekst):
            return maak(m)
    return _aanhalingstekens(_opgeruimd(tekst))


def vertaal(job: ImportPublic) -> ImportPublic:
    """A run's report with every message in the coordinator's words (a copy; the stored report is unchanged)."""
    wijzigingen: dict[str, Any] = {"melding": melding(job.melding)}
    if isinstance(job, ImportDetail):
        hier = job.proefdraai
        wijzigingen["fouten"] = [f.model_copy(update={"reden": reden(f.reden, op_proefdraai=hier)}) for f in job.fouten]
        wijzigingen["foutsoorten"] = [s.model_copy(update={"reden": reden(s.reden, op_proefdraai=hier)})
                                      for s in job.foutsoorten]
        wijzigingen["kolommen"] = [k.model_copy(update={"veld": _label(k.veld) if k.veld else None}) for k in job.kolommen]
    return job.model_copy(update=wijzigingen)
