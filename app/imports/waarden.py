"""Reading single values of an import: normalised text, dates, numbers, CBS codes, and the indexes
that match free text to codes and to the names of key persons and ketenpartners (see mapping.py).
"""

import difflib
import functools
import math
import re
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from app.codelijsten.synoniemen import SYNONIEMEN
from app.imports.readers import als_tekst
from app.models import Code

STOPWOORDEN = frozenset(
    "de het een en van met naar voor op in aan bij tot om of over per door uit te".split()
)

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


_BEDRAG = re.compile(r"^[+-]?\d[\d.,]*$")
_VOORBEELD_BEDRAG = "gebruik bijvoorbeeld 12,50 of € 1.234,56"


def lees_bedrag(waarde: Any) -> Decimal:
    """An amount in euros, exact: `12,50`, `€ 12,50`, `12.50`, `1.234,56`, `1,234.56`, or a number cell.

    Never through a binary float: text becomes a Decimal directly. A number cell of an xlsx is a
    float already; it is read as the 15 significant digits Excel itself shows, so 0.1 stays 0.10.
    Whatever has more than two decimals is left as it is, for the schema to refuse. A lone `.` or
    `,` followed by three digits (`1.234`) could be thousands or decimals, and is refused.
    """
    if isinstance(waarde, bool):
        raise ValueError(f"`{als_tekst(waarde)}` is geen bedrag; {_VOORBEELD_BEDRAG}.")  # noqa: TRY004  callers report ValueError
    if isinstance(waarde, Decimal):
        return waarde
    if isinstance(waarde, int):
        return Decimal(waarde)
    if isinstance(waarde, float):
        if not math.isfinite(waarde):
            raise ValueError(f"`{als_tekst(waarde)}` is geen bedrag; {_VOORBEELD_BEDRAG}.")
        return Decimal(format(waarde, ".15g"))
    tekst = re.sub(r"(?i)\s|€|eur(o|os)?\b", "", str(waarde).replace("\u00a0", " ").replace("\u202f", " "))
    tekst = re.sub(r"[,.]-$", "", tekst)  # `12,-`: whole euros, as Dutch price tags write them
    if not _BEDRAG.match(tekst):
        raise ValueError(f"`{als_tekst(waarde)}` is geen bedrag; {_VOORBEELD_BEDRAG}.")
    teken, cijfers = ("-", tekst[1:]) if tekst[0] in "+-" else ("", tekst)
    komma, punt = cijfers.count(","), cijfers.count(".")
    if komma and punt:  # the last one separates the cents: 1.234,56 (Dutch) or 1,234.56
        decimaal = "," if cijfers.rfind(",") > cijfers.rfind(".") else "."
        if cijfers.count(decimaal) > 1:
            raise ValueError(f"`{als_tekst(waarde)}` is geen bedrag; {_VOORBEELD_BEDRAG}.")
    elif komma + punt != 1:  # none, or 1.234.567: thousands only
        decimaal = None
    else:
        decimaal = "," if komma else "."
        if len(cijfers) - cijfers.index(decimaal) - 1 == 3 and not cijfers.startswith(("0", decimaal)):
            raise ValueError(f"`{als_tekst(waarde)}` is onduidelijk: duizendtallen of decimalen? Schrijf het bedrag "
                             "met een komma voor de centen, bijvoorbeeld 1234,00 of 1.234,00.")
    geheel, _, centen = cijfers.partition(decimaal) if decimaal else (cijfers, "", "")
    scheiding = {",", "."} - {decimaal}
    if any(s in geheel for s in scheiding):
        if not re.fullmatch(r"\d{1,3}([.,]\d{3})+", geheel) or len({c for c in geheel if c in ",."}) > 1:
            raise ValueError(f"`{als_tekst(waarde)}` is geen bedrag; {_VOORBEELD_BEDRAG}.")
        geheel = re.sub(r"[.,]", "", geheel)
    if not geheel.isdigit() or (decimaal and not centen.isdigit()):
        raise ValueError(f"`{als_tekst(waarde)}` is geen bedrag; {_VOORBEELD_BEDRAG}.")
    return Decimal(f"{teken}{geheel}.{centen}" if centen else f"{teken}{geheel}")


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

    def __init__(self, codes: Iterable[Code], *, lijst: str | None = None) -> None:
        self.lijst = lijst
        self._synoniemen: dict[str, list[str]] = {}
        self._suggestie: dict[str, set[str]] | None = None
        self.actief: dict[str, bool] = {}
        self._gezocht: dict[tuple[str, bool, bool], Treffer | str] = {}
        self.niveaus: list[tuple[str, dict[str, set[str]]]] = [
            ("code", {}), ("laatste deel van de code", {}), ("omschrijving", {}), ("synoniem", {})
        ]
        self.woorden: dict[str, set[str]] = {}
        # Label per active code, for the nearest allowed values when a value is unknown.
        self.labels: dict[str, str] = {}
        bladeren: dict[str, set[str]] = {}
        for entry in codes:
            self.actief[entry.code] = entry.actief
            self._synoniemen[entry.code] = list(entry.synoniemen)
            if entry.actief:
                self.labels[entry.code] = entry.label
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

    def dichtstbij(self, waarde: str, *, aantal: int = 3) -> list[str]:
        """The active values a value probably means, as `label (code)`, best first; none when nothing is close.

        By words, not by the spelling of codes: each word of the value is compared with the words of
        each code's label, its synonyms (the code table's and app/codelijsten/synoniemen.py) and the
        last part of its code. A word matches when equal, when one starts with the other (`toeslag`,
        `toeslagen`), or when it is a near spelling of the other (`scholden`). So `huur` suggests
        Huisvesting and `xyz` suggests nothing, where spelling alone once offered Energie.
        """
        woorden = _woorden(normaliseer(waarde)) or {normaliseer(waarde)}
        scores: dict[str, float] = {}
        for code, termwoorden in self._suggestiewoorden().items():
            score = sum(max((_woordgelijkenis(w, t) for t in termwoorden), default=0.0) for w in woorden)
            if score >= DREMPEL_SUGGESTIE:
                scores[code] = score
        beste = sorted(scores, key=lambda c: (-scores[c], self.labels[c]))[:aantal]
        return [f"{self.labels[c]} ({c})" for c in beste]

    def _suggestiewoorden(self) -> dict[str, set[str]]:
        if self._suggestie is None:
            self._suggestie = {}
            extra = SYNONIEMEN.get(self.lijst or "", {})
            for code, label in self.labels.items():
                termen = [label, code.rsplit(".", 1)[-1].replace("-", " "), *self._synoniemen.get(code, ()), *extra.get(code, ())]
                self._suggestie[code] = {w for t in termen for w in _woorden(normaliseer(t))}
        return self._suggestie

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


# A code is suggested when its words match the value's this well (1.0: one word matches exactly).
DREMPEL_SUGGESTIE = 0.8


def _woordgelijkenis(woord: str, term: str) -> float:
    """How alike two words are: 1 equal, 0.9 one starts with the other (4+ letters), else their spelling if close."""
    if woord == term:
        return 1.0
    korter, langer = sorted((woord, term), key=len)
    if len(korter) >= 4 and langer.startswith(korter):
        return 0.9
    if min(len(woord), len(term)) >= 5:
        ratio = difflib.SequenceMatcher(None, woord, term).ratio()
        if ratio >= 0.8:
            return ratio
    return 0.0


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
