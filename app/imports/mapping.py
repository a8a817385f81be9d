"""Column and value mapping: Dutch spreadsheet headers and free-text values to API fields and codes.

Headers are recognised case- and accent-insensitively from a list of common Dutch names; an
organisation's YAML mapping file can name other headers, ignore columns, add value synonyms and set
defaults. Values of code-list fields match, in this order: a synonym from the mapping file, the code,
the last part of a hierarchical code when unique (`toeslagen` -> `geld.toeslagen`), the label, a
synonym from the code table, and finally (reported as approximate) the one code whose words cover at
least half of the value's words (`Meegegaan naar afspraak` -> `begeleid-naar-afspraak`). Key persons
and ketenpartners are matched by name within the organisation, never approximately.
"""

import functools
import re
import unicodedata
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError
from sqlmodel import Session, select

from app.codelijsten import service as codelijsten
from app.imports.readers import KopHerkenner, LeesFout, Rij, als_tekst
from app.models import Code, Ketenpartner, Sleutelpersoon
from app.toegang import scoping
from app.toegang.caller import Caller

# Multi-valued cells ("Schulden, Toeslagen") are split on these.
SCHEIDERS_MET_TEKEN = re.compile(r"([,;/+])")
STOPWOORDEN = frozenset(
    "de het een en van met naar voor op in aan bij tot om of over per door uit te".split()
)
# Referrals need a way (warm/informatief); a spreadsheet rarely says, and "told where to go" claims least.
STANDAARD_WIJZE = "informatief"
STANDAARD_CATEGORIE = "overig"
MAX_WAARDEN_IN_OVERZICHT = 100


def normaliseer(tekst: Any) -> str:
    """Case-, accent- and punctuation-insensitive form: `Cliëntnummer ` -> `clientnummer`, `Duur (min)` -> `duur min`."""
    return _normaliseer(str(tekst))


# A spreadsheet repeats the same few hundred cell values a million times.
@functools.lru_cache(maxsize=65_536)
def _normaliseer(tekst: str) -> str:
    ontleed = unicodedata.normalize("NFKD", tekst)
    zonder_accenten = "".join(c for c in ontleed if not unicodedata.combining(c)).casefold()
    compact = re.sub(r"[\W_]+", " ", zonder_accenten).strip()
    # A value of punctuation only (`?`) keeps its characters, so it can still match a synonym.
    return compact or zonder_accenten.strip()


def _woorden(genormaliseerd: str) -> set[str]:
    return {w for w in genormaliseerd.split() if len(w) > 1 and w not in STOPWOORDEN}


# --- Fields and headers ---------------------------------------------------------------------


@dataclass(frozen=True)
class Veld:
    naam: str  # the name in mapping files and reports
    soort: str  # how a cell is read; see Vertaler._cel
    pad: str  # where the value goes in the ContactmomentCreate body
    koppen: tuple[str, ...]
    lijst: str | None = None
    verplicht: bool = False

    @property
    def meervoudig(self) -> bool:
        return self.soort in ("codes", "ketenpartners")

    @functools.cached_property
    def sleutel(self) -> str:
        """The top-level body key this field fills (`inwoner` for `inwoner.geslacht`)."""
        return re.split(r"[.\[]", self.pad)[0]


VELDEN: tuple[Veld, ...] = (
    Veld("externId", "tekst", "externId", ("extern id", "externid", "externe id", "extern nummer")),
    Veld("datum", "datum", "datum", ("datum", "datum contact", "contactdatum", "datum contactmoment"), verplicht=True),
    Veld("sleutelpersoon", "sleutelpersoon", "sleutelpersoonId",
         ("sleutelpersoon", "naam sleutelpersoon", "sleutelpersoon naam", "naam"), verplicht=True),
    Veld("gemeentecode", "gemeente", "gemeentecode", ("gemeente", "gemeentecode", "gemeente code"), verplicht=True),
    Veld("wijkcode", "wijk", "wijkcode", ("wijk", "wijkcode", "wijk code")),
    Veld("kanaal", "code", "kanaal", ("kanaal", "contactvorm", "contactwijze"), codelijsten.KANAAL, verplicht=True),
    Veld("soort", "code", "soort", ("soort", "individueel groep", "individueel of groep", "soort contact"),
         codelijsten.SOORT_CONTACT),
    Veld("aantalDeelnemers", "getal", "aantalDeelnemers", ("aantal deelnemers", "deelnemers")),
    Veld("inwonerReferentie", "referentie", "inwonerReferentie",
         ("clientnummer", "client id", "clientid", "client nummer", "clientnr", "client nr",
          "inwonerreferentie", "inwoner referentie")),
    Veld("leeftijdscategorie", "leeftijd", "inwoner.leeftijdscategorie",
         ("leeftijd", "leeftijdscategorie", "leeftijdsgroep"), codelijsten.LEEFTIJDSCATEGORIE),
    Veld("geslacht", "code", "inwoner.geslacht", ("geslacht",), codelijsten.GESLACHT),
    Veld("taal", "taal", "inwoner.taal", ("taal", "gesprekstaal", "voertaal", "moedertaal")),
    Veld("doelgroep", "code", "inwoner.doelgroep", ("doelgroep",), codelijsten.DOELGROEP),
    Veld("rol", "code", "rol", ("rol", "rol sleutelpersoon"), codelijsten.ROL),
    Veld("onderwerpen", "codes", "onderwerpen", ("onderwerp", "onderwerpen", "hulpvraag", "hulpvragen"),
         codelijsten.ONDERWERP, verplicht=True),
    Veld("acties", "codes", "acties", ("actie", "acties", "ondernomen actie"), codelijsten.ACTIE),
    Veld("doorverwijzingen", "ketenpartners", "doorverwijzingen",
         ("doorverwezen naar", "verwezen naar", "doorverwijzing", "ketenpartner", "ketenpartners")),
    Veld("wijze", "code", "doorverwijzingen[].wijze", ("wijze", "wijze doorverwijzing", "wijze van doorverwijzen"),
         codelijsten.DOORVERWIJZING_WIJZE),
    Veld("resultaat", "code", "uitkomst.resultaat", ("resultaat", "uitkomst"), codelijsten.RESULTAAT),
    Veld("duurMinuten", "minuten", "duurMinuten",
         ("duur min", "duur", "minuten", "duur in minuten", "duur minuten", "tijd min")),
)
VELD: dict[str, Veld] = {v.naam: v for v in VELDEN}
NEGEREN = "negeren"
_KOP_NAAR_VELD: dict[str, str] = {normaliseer(k): v.naam for v in VELDEN for k in v.koppen}


# --- The mapping file -------------------------------------------------------------------------


class Mappingbestand(BaseModel):
    """An organisation's YAML mapping file (all sections optional)."""

    model_config = ConfigDict(extra="forbid")

    # header in the file -> field name, or `negeren` (or null) to leave a column out
    kolommen: dict[str, str | None] = {}
    # field name -> {value in the file: code (or name, for sleutelpersoon and doorverwijzingen)}
    waarden: dict[str, dict[str, str]] = {}
    # field name -> value used when the column is missing or the cell is empty
    standaard: dict[str, str | int] = {}
    # name of a ketenpartner the import creates -> its category (otherwise guessed from the name)
    ketenpartners: dict[str, str] = {}


def laad_mappingbestand(tekst: str) -> Mappingbestand:
    """Parse and check a YAML mapping file; LeesFout with every problem in Dutch."""
    try:
        inhoud = yaml.safe_load(tekst) or {}
    except yaml.YAMLError as exc:
        raise LeesFout(f"Het mappingbestand is geen geldige YAML: {exc}") from exc
    if not isinstance(inhoud, dict):
        raise LeesFout("Het mappingbestand moet secties bevatten: kolommen, waarden, standaard, ketenpartners.")
    try:
        mapping = Mappingbestand.model_validate(inhoud)
    except ValidationError as exc:
        delen = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        raise LeesFout("Het mappingbestand is ongeldig: " + "; ".join(delen)) from exc
    problemen: list[str] = []
    for kop, naam in mapping.kolommen.items():
        if naam is not None and naam != NEGEREN and naam not in VELD:
            problemen.append(f"kolommen: `{kop}` verwijst naar onbekend veld `{naam}`")
    for sectie, namen in (("waarden", mapping.waarden), ("standaard", mapping.standaard)):
        problemen += [f"{sectie}: onbekend veld `{n}`" for n in namen if n not in VELD]
    if problemen:
        bekend = ", ".join(VELD)
        raise LeesFout("Het mappingbestand is ongeldig: " + "; ".join(problemen) + f". Bekende velden: {bekend}.")
    return mapping


def veld_voor_kop(kop: str, mapping: Mappingbestand | None = None) -> str | None:
    """The field a header maps to, `negeren` for a column left out on purpose, or None when unknown."""
    if mapping is not None:
        for eigen, naam in mapping.kolommen.items():
            if normaliseer(eigen) == normaliseer(kop):
                return naam or NEGEREN
    genormaliseerd = normaliseer(kop)
    if genormaliseerd in _KOP_NAAR_VELD:
        return _KOP_NAAR_VELD[genormaliseerd]
    # Several columns for one list: "Onderwerp 1", "Onderwerp 2".
    zonder_nummer = re.sub(r"\s*\d+$", "", genormaliseerd)
    naam = _KOP_NAAR_VELD.get(zonder_nummer)
    if naam is not None and VELD[naam].meervoudig:
        return naam
    return None


def is_koprij(mapping: Mappingbestand | None) -> KopHerkenner:
    """A header recogniser for the readers: a row naming at least two known columns is the header."""

    def herken(cellen: list[str]) -> bool:
        return sum(1 for c in cellen if veld_voor_kop(c, mapping) not in (None, NEGEREN)) >= 2

    return herken


@dataclass
class Kolomindeling:
    """Which column feeds which field; file-level problems (missing or doubled columns) in `fouten`."""

    kolommen: dict[str, str | None]  # column -> field name (None: ignored)
    velden: dict[str, list[str]]  # field name -> its columns
    fouten: list[str] = field(default_factory=list)


def deel_kolommen_in(koppen: Iterable[str], mapping: Mappingbestand | None = None) -> Kolomindeling:
    """Assign every column to a field; name what is missing or ambiguous."""
    standaard = mapping.standaard if mapping else {}
    indeling = Kolomindeling(kolommen={}, velden={})
    for kop in koppen:
        naam = veld_voor_kop(kop, mapping)
        indeling.kolommen[kop] = None if naam in (None, NEGEREN) else naam
        if naam not in (None, NEGEREN):
            indeling.velden.setdefault(naam, []).append(kop)
    for naam, kolommen in indeling.velden.items():
        if len(kolommen) > 1 and not VELD[naam].meervoudig:
            lijst = " en ".join(f"`{k}`" for k in kolommen)
            indeling.fouten.append(
                f"De kolommen {lijst} zijn allebei `{naam}`; zet in het mappingbestand de kolom die niet "
                f"telt op `{NEGEREN}`."
            )
    for veld in VELDEN:
        if veld.verplicht and veld.naam not in indeling.velden and veld.naam not in standaard:
            voorbeelden = " of ".join(f"`{k.capitalize()}`" for k in veld.koppen[:2])
            indeling.fouten.append(
                f"Er is geen kolom voor `{veld.naam}` (bijvoorbeeld {voorbeelden}); voeg die toe, of noem de "
                "kolom in het mappingbestand (kolommen) of geef een standaardwaarde (standaard)."
            )
    return indeling


# --- Reading single cells ---------------------------------------------------------------------

_DATUM_NL = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})$")
_DATUM_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_TIJD_ACHTER = re.compile(r"[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
EXCEL_NUL = date(1899, 12, 30)


def lees_datum(waarde: Any) -> date:
    """A date from a cell: a date(time) cell, an Excel serial number, d-m-yyyy, dd-mm-yyyy, d-m-yy or ISO."""
    if isinstance(waarde, datetime):
        return waarde.date()
    if isinstance(waarde, date):
        return waarde
    voorbeeld = "gebruik bijvoorbeeld 14-3-2025, 14-03-2025 of 2025-03-14"
    if isinstance(waarde, (int, float)) and not isinstance(waarde, bool):
        if 1 <= waarde < 2958466:
            return EXCEL_NUL + timedelta(days=int(waarde))
        raise ValueError(f"`{als_tekst(waarde)}` is geen datum; {voorbeeld}.")
    tekst = str(waarde).strip()
    kaal = _TIJD_ACHTER.sub("", tekst)
    try:
        if re.fullmatch(r"\d{5}", kaal):
            return EXCEL_NUL + timedelta(days=int(kaal))
        if m := _DATUM_NL.match(kaal):
            dag, maand, jaar = int(m[1]), int(m[2]), int(m[3])
            return date(jaar + 2000 if len(m[3]) == 2 else jaar, maand, dag)
        if m := _DATUM_ISO.match(kaal):
            return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise ValueError(f"`{tekst}` is geen bestaande datum.") from None
    raise ValueError(f"`{tekst}` is geen datum; {voorbeeld}.")


def lees_geheel_getal(waarde: Any) -> int:
    if isinstance(waarde, bool):
        raise ValueError(f"`{als_tekst(waarde)}` is geen geheel getal.")
    if isinstance(waarde, int):
        return waarde
    if isinstance(waarde, float) and waarde.is_integer():
        return int(waarde)
    tekst = str(waarde).strip().replace(" ", "")
    if m := re.fullmatch(r"([+-]?\d+)([.,]0+)?", tekst):
        return int(m[1])
    raise ValueError(f"`{als_tekst(waarde)}` is geen geheel getal.")


def lees_minuten(waarde: Any) -> int:
    """Minutes: `45`, `45 min`, `1:30` (hours:minutes) or `1,5 uur`."""
    try:
        return lees_geheel_getal(waarde)
    except ValueError:
        pass
    tekst = str(waarde).strip().lower()
    if m := re.fullmatch(r"(\d+)\s*(m|min|min\.|minuten|minuut)", tekst):
        return int(m[1])
    if m := re.fullmatch(r"(\d{1,2}):(\d{2})", tekst):
        return int(m[1]) * 60 + int(m[2])
    if m := re.fullmatch(r"(\d+(?:[.,]\d+)?)\s*(u|uur|h)", tekst):
        return round(float(m[1].replace(",", ".")) * 60)
    raise ValueError(f"`{als_tekst(waarde)}` is geen duur in minuten; gebruik bijvoorbeeld 45, 45 min of 1:30.")


def lees_gemeentecode(waarde: Any) -> str:
    tekst = re.sub(r"\s+", "", als_tekst(waarde)).upper()
    if m := re.fullmatch(r"(GM)?(\d{1,4})", tekst):
        return f"GM{int(m[2]):04d}"
    raise ValueError(f"`{als_tekst(waarde)}` is geen gemeentecode; gebruik de CBS-code, bijvoorbeeld GM0344.")


def lees_wijkcode(waarde: Any) -> str:
    tekst = re.sub(r"\s+", "", als_tekst(waarde)).upper()
    if m := re.fullmatch(r"(WK)?(\d{4}[0-9A-Z]{2})", tekst):
        return f"WK{m[2]}"
    raise ValueError(f"`{als_tekst(waarde)}` is geen wijkcode; gebruik de CBS-code, bijvoorbeeld WK034401.")


def leeftijdscategorie_van(leeftijd: int) -> str:
    for grens, categorie in ((17, "0-17"), (26, "18-26"), (44, "27-44"), (64, "45-64")):
        if leeftijd <= grens:
            return categorie
    return "65-plus"


# Dutch names of the languages key persons most often work in, to their ISO 639 code.
TALEN: dict[str, str] = {
    normaliseer(naam): code
    for code, namen in {
        "ar": "arabisch", "tr": "turks", "ti": "tigrinya tigrinja tigrinia", "fa": "farsi perzisch",
        "prs": "dari", "so": "somalisch somali", "uk": "oekraiens oekraïens", "ru": "russisch", "pl": "pools",
        "en": "engels", "nl": "nederlands", "fr": "frans", "de": "duits", "es": "spaans", "pt": "portugees",
        "ku": "koerdisch", "ckb": "sorani", "kmr": "kurmanji", "zgh": "tamazight berbers", "rif": "tarifit riffijns",
        "am": "amhaars amharic", "ps": "pashto pasjtoe", "ur": "urdu", "hi": "hindi", "zh": "chinees mandarijn",
        "yue": "kantonees", "vi": "vietnamees", "th": "thais", "id": "indonesisch", "bg": "bulgaars",
        "ro": "roemeens", "hu": "hongaars", "sr": "servisch", "hr": "kroatisch", "bs": "bosnisch",
        "sq": "albanees", "hy": "armeens", "ka": "georgisch", "el": "grieks", "he": "hebreeuws",
        "it": "italiaans", "pap": "papiaments papiamento", "srn": "sranantongo sranan", "sw": "swahili",
        "om": "oromo", "ln": "lingala", "ta": "tamil", "bn": "bengaals", "pa": "punjabi",
        "az": "azerbeidzjaans azeri",
    }.items()
    for naam in namen.split()
}


# --- Code lists ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Treffer:
    code: str
    wijze: str  # code, laatste deel van de code, omschrijving, synoniem, mappingbestand, benaderd


class CodeIndex:
    """Lookup of free-text values in one code list, strict levels first, then by words."""

    def __init__(self, codes: Iterable[Code]) -> None:
        self.actief: dict[str, bool] = {}
        self._gezocht: dict[tuple[str, bool, bool], Treffer | str] = {}
        self.niveaus: list[tuple[str, dict[str, set[str]]]] = [
            ("code", {}), ("laatste deel van de code", {}), ("omschrijving", {}), ("synoniem", {})
        ]
        self.woorden: dict[str, set[str]] = {}
        bladeren: dict[str, set[str]] = {}
        for entry in codes:
            self.actief[entry.code] = entry.actief
            termen = [entry.code, entry.label, *entry.synoniemen]
            self._voeg_toe(0, entry.code, entry.code)
            if "." in entry.code:
                bladeren.setdefault(normaliseer(entry.code.rsplit(".", 1)[1]), set()).add(entry.code)
                termen.append(entry.code.rsplit(".", 1)[1])
            self._voeg_toe(2, entry.label, entry.code)
            for synoniem in entry.synoniemen:
                self._voeg_toe(3, synoniem, entry.code)
            for term in termen:
                for woord in _woorden(normaliseer(term)):
                    self.woorden.setdefault(woord, set()).add(entry.code)
        # Only a unique last part identifies a code (`toeslagen`, not a part two parents share).
        self.niveaus[1][1].update({blad: codes for blad, codes in bladeren.items() if len(codes) == 1})

    def _voeg_toe(self, niveau: int, term: str, code: str) -> None:
        self.niveaus[niveau][1].setdefault(normaliseer(term), set()).add(code)

    def _kies(self, codes: set[str]) -> str | set[str]:
        if len(codes) == 1:
            return next(iter(codes))
        actief = {c for c in codes if self.actief.get(c)}
        return next(iter(actief)) if len(actief) == 1 else codes

    def zoek(self, waarde: str, *, benaderen: bool = True, minstens_een_woord: bool = False) -> Treffer | str:
        """The matching code, or a Dutch reason why there is none (unknown or ambiguous)."""
        # The index never changes once built, so each distinct value is looked up once per file.
        vraag = (waarde, benaderen, minstens_een_woord)
        antwoord = self._gezocht.get(vraag)
        if antwoord is None:
            antwoord = self._gezocht[vraag] = self._zoek(waarde, benaderen=benaderen, minstens_een_woord=minstens_een_woord)
        return antwoord

    def _zoek(self, waarde: str, *, benaderen: bool, minstens_een_woord: bool) -> Treffer | str:
        sleutel = normaliseer(waarde)
        for wijze, index in self.niveaus:
            if sleutel in index:
                gekozen = self._kies(index[sleutel])
                if isinstance(gekozen, str):
                    return Treffer(gekozen, wijze)
                return f"`{waarde}` past bij meer dan één code ({', '.join(sorted(gekozen))})."
        if benaderen:
            woorden = _woorden(sleutel)
            score: dict[str, int] = {}
            for woord in woorden:
                for code in self.woorden.get(woord, ()):
                    score[code] = score.get(code, 0) + 1
            if score:
                beste = max(score.values())
                kandidaten = {c for c, s in score.items() if s == beste}
                genoeg = beste >= 1 if minstens_een_woord else 2 * beste >= len(woorden)
                gekozen = self._kies(kandidaten)
                if genoeg and isinstance(gekozen, str):
                    return Treffer(gekozen, "benaderd")
        return f"Onbekende waarde `{waarde}`."


# --- Names of key persons and partners -----------------------------------------------------------


class NaamIndex:
    """The organisation's key persons or ketenpartners by normalised name."""

    def __init__(self, paren: Iterable[tuple[uuid.UUID, str]]) -> None:
        self.namen: dict[str, list[uuid.UUID]] = {}
        for record_id, naam in paren:
            self.namen.setdefault(normaliseer(naam), []).append(record_id)

    def zoek(self, naam: str) -> list[uuid.UUID]:
        return self.namen.get(normaliseer(naam), [])

    def voeg_toe(self, naam: str, record_id: uuid.UUID) -> None:
        self.namen.setdefault(normaliseer(naam), []).append(record_id)

    def verwijder(self, naam: str, record_id: uuid.UUID) -> None:
        ids = self.namen.get(normaliseer(naam), [])
        if record_id in ids:
            ids.remove(record_id)


# --- Rows ----------------------------------------------------------------------------------------


@dataclass
class Vertaling:
    """One row, mapped: the body for ContactmomentCreate and where each part came from."""

    data: dict[str, Any] = field(default_factory=dict)
    # body path (`onderwerpen[1]`, `inwoner.geslacht`) -> (column, cell text)
    bronnen: dict[str, tuple[str, str]] = field(default_factory=dict)
    # (column, cell text, reason)
    fouten: list[tuple[str | None, str, str]] = field(default_factory=list)
    # body paths whose problem is already in `fouten`, so the schema does not report it again
    foutpaden: set[str] = field(default_factory=set)
    # top-level body keys the file provides (a correction leaves the others alone)
    aanwezig: set[str] = field(default_factory=set)
    # names the import will create when allowed: the key person, and ketenpartners by referral index
    nieuwe_sleutelpersoon: str | None = None
    nieuwe_ketenpartners: dict[int, str] = field(default_factory=dict)

    def fout(self, pad: str, kolom: str | None, tekst: str, reden: str) -> None:
        self.fouten.append((kolom, tekst, reden))
        self.foutpaden.add(pad)

    def kolom_voor(self, naam: str) -> tuple[str | None, str]:
        """The column and cell behind an invalidParams name, trying ever shorter paths."""
        pad = naam
        while pad not in self.bronnen:
            korter = re.sub(r"(\.[^.\[\]]+|\[\d+\])$", "", pad)
            if korter in (pad, ""):
                return None, ""
            pad = korter
        return self.bronnen[pad]


def _zet(data: dict[str, Any], pad: str, waarde: Any) -> None:
    kop, _, rest = pad.partition(".")
    if rest:
        data.setdefault(kop, {})[rest] = waarde
    else:
        data[kop] = waarde


def _leeg(waarde: Any) -> bool:
    return waarde is None or (isinstance(waarde, str) and not waarde.strip())


class Vertaler:
    """Maps the rows of one tabular file for one organisation; read-only (creation is the service's)."""

    def __init__(
        self,
        session: Session,
        *,
        caller: Caller,
        indeling: Kolomindeling,
        mapping: Mappingbestand | None = None,
        nieuwe_sleutelpersonen: bool = False,
        nieuwe_ketenpartners: bool = False,
    ) -> None:
        self.session = session
        self.indeling = indeling
        self.mapping = mapping or Mappingbestand()
        self.nieuwe_sleutelpersonen = nieuwe_sleutelpersonen
        self.nieuwe_ketenpartners = nieuwe_ketenpartners
        self.synoniemen = {
            naam: {normaliseer(k): v for k, v in waarden.items()} for naam, waarden in self.mapping.waarden.items()
        }
        self.partnercategorieen = {normaliseer(k): v for k, v in self.mapping.ketenpartners.items()}
        self.sleutelpersonen = NaamIndex(
            session.exec(scoping.eigen(select(Sleutelpersoon.id, Sleutelpersoon.weergavenaam), Sleutelpersoon, caller)).all()  # type: ignore[arg-type]
        )
        self.ketenpartners = NaamIndex(
            session.exec(scoping.eigen(select(Ketenpartner.id, Ketenpartner.naam), Ketenpartner, caller)).all()  # type: ignore[arg-type]
        )
        self._indexen: dict[str, CodeIndex] = {}
        # (column, value, code) of values matched by words only: the report lists them for a check.
        self.benaderd: dict[tuple[str, str], str] = {}
        # column -> {cell text: how it was mapped}, for `--toon-mapping`
        self.overzicht: dict[str, dict[str, str]] = {}

    def index(self, lijst: str) -> CodeIndex:
        if lijst not in self._indexen:
            self._indexen[lijst] = CodeIndex(codelijsten.lookup(self.session, lijst=lijst).values())
        return self._indexen[lijst]

    def _noteer(self, kolom: str, tekst: str, uitkomst: str) -> None:
        waarden = self.overzicht.setdefault(kolom, {})
        if tekst in waarden or len(waarden) < MAX_WAARDEN_IN_OVERZICHT:
            waarden[tekst] = uitkomst

    def _herschrijf(self, veld: str, tekst: str) -> tuple[str, bool]:
        """Apply the mapping file's value synonyms for a field."""
        eigen = self.synoniemen.get(veld, {}).get(normaliseer(tekst))
        return (eigen, True) if eigen is not None else (tekst, False)

    def code(self, veld: Veld, kolom: str, tekst: str, *, benaderen: bool = True) -> Treffer | str:
        """One code-list value; notes approximate matches for the report."""
        assert veld.lijst is not None
        herschreven, eigen = self._herschrijf(veld.naam, tekst)
        treffer = self.index(veld.lijst).zoek(herschreven, benaderen=benaderen)
        if isinstance(treffer, Treffer):
            if eigen:
                treffer = Treffer(treffer.code, "mappingbestand")
            if treffer.wijze == "benaderd":
                self.benaderd[(kolom, tekst)] = treffer.code
            self._noteer(kolom, tekst, f"{treffer.code} ({treffer.wijze})")
        else:
            self._noteer(kolom, tekst, f"FOUT: {treffer}")
        return treffer

    def categorie_voor(self, naam: str) -> str:
        """The category for a ketenpartner the import creates: from the mapping file, else guessed from its name."""
        lijst = self.index(codelijsten.KETENPARTNER_CATEGORIE)
        eigen = self.partnercategorieen.get(normaliseer(naam))
        if eigen is not None:
            treffer = lijst.zoek(eigen, benaderen=False)
            return treffer.code if isinstance(treffer, Treffer) else STANDAARD_CATEGORIE
        treffer = lijst.zoek(naam, minstens_een_woord=True)
        return treffer.code if isinstance(treffer, Treffer) else STANDAARD_CATEGORIE

    # -- one row --

    def vertaal(self, rij: Rij) -> Vertaling:
        v = Vertaling()
        wijze: tuple[str, str, str] | None = None  # (code, column, text) for every referral of the row
        for veld in VELDEN:
            kolommen = self.indeling.velden.get(veld.naam, [])
            cellen = [(k, rij.cellen.get(k)) for k in kolommen]
            gevuld = [(k, w) for k, w in cellen if not _leeg(w)]
            if not gevuld and veld.naam in self.mapping.standaard:
                gevuld = [(f"standaard {veld.naam}", self.mapping.standaard[veld.naam])]
            if kolommen or gevuld:
                v.aanwezig.add(veld.sleutel)
            if not gevuld:
                if kolommen:
                    v.bronnen[veld.pad] = (kolommen[0], "")
                continue
            if veld.naam == "wijze":
                kolom, waarde = gevuld[0]
                tekst = als_tekst(waarde)
                treffer = self.code(veld, kolom, tekst)
                if isinstance(treffer, Treffer):
                    wijze = (treffer.code, kolom, tekst)
                else:
                    v.fout("doorverwijzingen", kolom, tekst, treffer)
                continue
            self._cel(v, veld, gevuld)

        # An individual contact has exactly one participant, so more than one means a group session.
        if "soort" not in v.data and isinstance(v.data.get("aantalDeelnemers"), int) and v.data["aantalDeelnemers"] >= 2:
            v.data["soort"] = "groep"
        for i, verwijzing in enumerate(v.data.get("doorverwijzingen", [])):
            verwijzing["wijze"] = wijze[0] if wijze else STANDAARD_WIJZE
            if wijze:
                v.bronnen[f"doorverwijzingen[{i}].wijze"] = (wijze[1], wijze[2])
        return v

    def _cel(self, v: Vertaling, veld: Veld, gevuld: list[tuple[str, Any]]) -> None:
        kolom, waarde = gevuld[0]
        tekst = als_tekst(waarde)
        if veld.soort not in ("codes", "ketenpartners"):
            v.bronnen[veld.pad] = (kolom, "" if veld.soort == "referentie" else tekst)
        try:
            if veld.soort == "datum":
                _zet(v.data, veld.pad, lees_datum(waarde))
            elif veld.soort in ("tekst", "referentie"):
                _zet(v.data, veld.pad, tekst)
            elif veld.soort == "getal":
                _zet(v.data, veld.pad, lees_geheel_getal(waarde))
            elif veld.soort == "minuten":
                _zet(v.data, veld.pad, lees_minuten(waarde))
            elif veld.soort == "gemeente":
                _zet(v.data, veld.pad, lees_gemeentecode(waarde))
            elif veld.soort == "wijk":
                _zet(v.data, veld.pad, lees_wijkcode(waarde))
            elif veld.soort == "taal":
                _zet(v.data, veld.pad, self._taal(kolom, tekst))
            elif veld.soort == "leeftijd" and re.fullmatch(r"\d{1,3}", tekst):
                categorie = leeftijdscategorie_van(int(tekst))
                self._noteer(kolom, tekst, f"{categorie} (leeftijd)")
                _zet(v.data, veld.pad, categorie)
            elif veld.soort in ("code", "leeftijd"):
                treffer = self.code(veld, kolom, tekst)
                if isinstance(treffer, str):
                    raise ValueError(treffer)
                _zet(v.data, veld.pad, treffer.code)
            elif veld.soort == "codes":
                self._codes(v, veld, gevuld)
            elif veld.soort == "sleutelpersoon":
                self._sleutelpersoon(v, veld, kolom, tekst)
            elif veld.soort == "ketenpartners":
                self._ketenpartners(v, veld, gevuld)
        except ValueError as exc:
            v.fout(veld.pad, kolom, "" if veld.soort == "referentie" else tekst, str(exc))

    def _taal(self, kolom: str, tekst: str) -> str:
        herschreven, _ = self._herschrijf("taal", tekst)
        sleutel = normaliseer(herschreven)
        if sleutel in TALEN:
            self._noteer(kolom, tekst, TALEN[sleutel])
            return TALEN[sleutel]
        if re.fullmatch(r"[a-z]{2,3}", sleutel):
            self._noteer(kolom, tekst, f"{sleutel} (taalcode)")
            return sleutel  # the schema checks the code itself
        self._noteer(kolom, tekst, "FOUT: onbekende taal")
        raise ValueError(f"Onbekende taal `{tekst}`; gebruik een ISO 639-code (bijv. ar) of een Nederlandse taalnaam.")

    @staticmethod
    def _delen(tekst: str, bekend: Callable[[str], bool]) -> list[str]:
        """A multi-valued cell in parts: split on separators, but keep the longest runs that are known as a whole.

        So `Huisartsen Noord/Zuid + UWV` gives `Huisartsen Noord/Zuid` and `UWV` when the first is a
        known name, and a label with a slash stays one value.
        """
        stukken = SCHEIDERS_MET_TEKEN.split(tekst)  # part, separator, part, ...
        delen = stukken[0::2]
        uitkomst: list[str] = []
        begin = 0
        while begin < len(delen):
            eind = begin + 1
            for kandidaat in range(len(delen), begin + 1, -1):
                if bekend("".join(stukken[2 * begin: 2 * kandidaat - 1]).strip()):
                    eind = kandidaat
                    break
            deel = "".join(stukken[2 * begin: 2 * eind - 1]).strip()
            if deel:
                uitkomst.append(deel)
            begin = eind
        return uitkomst

    def _codes(self, v: Vertaling, veld: Veld, gevuld: list[tuple[str, Any]]) -> None:
        codes: list[str] = []
        for kolom, waarde in gevuld:
            tekst = als_tekst(waarde)
            v.bronnen.setdefault(veld.pad, (kolom, tekst))
            lijst = self.index(veld.lijst)  # type: ignore[arg-type]
            bekend = lambda deel: isinstance(  # noqa: E731
                lijst.zoek(self._herschrijf(veld.naam, deel)[0], benaderen=False), Treffer
            )
            for deel in self._delen(tekst, bekend):
                treffer = self.code(veld, kolom, deel)
                if isinstance(treffer, str):
                    v.fout(veld.pad, kolom, deel, treffer)
                elif treffer.code not in codes:  # "Taal, taalles" is one topic, not a duplicate
                    v.bronnen[f"{veld.pad}[{len(codes)}]"] = (kolom, deel)
                    codes.append(treffer.code)
        v.data[veld.pad] = codes

    def _sleutelpersoon(self, v: Vertaling, veld: Veld, kolom: str, tekst: str) -> None:
        naam, _ = self._herschrijf(veld.naam, tekst)
        ids = self.sleutelpersonen.zoek(naam)
        if len(ids) == 1:
            self._noteer(kolom, tekst, "bestaande sleutelpersoon")
            v.data["sleutelpersoonId"] = ids[0]
        elif len(ids) > 1:
            self._noteer(kolom, tekst, "FOUT: meerdere sleutelpersonen met deze naam")
            raise ValueError(
                f"Er zijn {len(ids)} sleutelpersonen met de naam `{naam}`; maak de namen uniek of gebruik het mappingbestand."
            )
        elif self.nieuwe_sleutelpersonen:
            self._noteer(kolom, tekst, "nieuwe sleutelpersoon (wordt aangemaakt)")
            v.nieuwe_sleutelpersoon = naam.strip()
            v.data["sleutelpersoonId"] = uuid.uuid4()  # placeholder until the service creates the person
        else:
            self._noteer(kolom, tekst, "FOUT: onbekende sleutelpersoon")
            raise ValueError(
                f"Onbekende sleutelpersoon `{naam}`; registreer de sleutelpersoon eerst, of importeer met "
                "nieuwe sleutelpersonen aanmaken."
            )

    def _ketenpartners(self, v: Vertaling, veld: Veld, gevuld: list[tuple[str, Any]]) -> None:
        verwijzingen: list[dict[str, Any]] = []
        gezien: set[str] = set()
        for kolom, waarde in gevuld:
            tekst = als_tekst(waarde)
            v.bronnen.setdefault(veld.pad, (kolom, tekst))
            bekend = lambda deel: bool(self.ketenpartners.zoek(self._herschrijf(veld.naam, deel)[0]))  # noqa: E731
            for deel in self._delen(tekst, bekend):
                naam, _ = self._herschrijf(veld.naam, deel)
                if normaliseer(naam) in gezien:
                    continue
                gezien.add(normaliseer(naam))
                ids = self.ketenpartners.zoek(naam)
                if len(ids) > 1:
                    self._noteer(kolom, deel, "FOUT: meerdere ketenpartners met deze naam")
                    v.fout(veld.pad, kolom, deel, f"Er zijn {len(ids)} ketenpartners met de naam `{naam}`; maak de namen uniek.")
                    continue
                if ids:
                    partner_id = ids[0]
                    self._noteer(kolom, deel, "bestaande ketenpartner")
                elif self.nieuwe_ketenpartners:
                    categorie = self.categorie_voor(naam)
                    self._noteer(kolom, deel, f"nieuwe ketenpartner, categorie {categorie} (wordt aangemaakt)")
                    v.nieuwe_ketenpartners[len(verwijzingen)] = naam.strip()
                    partner_id = uuid.uuid4()  # placeholder until the service creates the partner
                else:
                    self._noteer(kolom, deel, "FOUT: onbekende ketenpartner")
                    v.fout(
                        veld.pad, kolom, deel,
                        f"Onbekende ketenpartner `{naam}`; zet hem eerst op de sociale kaart, of importeer met "
                        "nieuwe ketenpartners aanmaken.",
                    )
                    continue
                v.bronnen[f"doorverwijzingen[{len(verwijzingen)}]"] = (kolom, deel)
                verwijzingen.append({"ketenpartnerId": partner_id})
        v.data["doorverwijzingen"] = verwijzingen
