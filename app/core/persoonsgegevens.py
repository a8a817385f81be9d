"""The one guard against personal data in free text, names and identifiers.

Free text is where personal data slips in: a key person types a resident's phone number into a
signal, or a BSN into an id. Every string a client writes goes through `vind`: the `GeenBsn` base of
every input schema applies it to every field, and the `VrijeTekst`/`Naam`, `Referentie` and
`IdZonderPersoonsgegevens` types carry it (or the identifier rule, `vind_in_id`) themselves.
Refusals name the field and the kind of data, never the value, so the value does not reach logs,
problem responses or screenshots either.

How a text is read (issue 22 found half of what people really type let through):

- normalised first: Unicode NFKC (full-width digits and ＠), every dash a hyphen, invisible
  characters removed;
- dates, times and time ranges (`15-03-2025`, `09.30`, `09.30-11.00`) are taken out before any
  number is looked at, so they are never a phone number or a BSN;
- phone numbers by libphonenumber's matcher (`phonenumbers`, region NL, so Dutch and international
  numbers in any notation); numbers of organisations (0800, 0900, 088, 14 0xx) are allowed;
- IBANs by `schwifty` (the country's length and format, and the checksum);
- e-mail addresses also when written out (`[at]`, `(at)`, " at ... dot nl", `apenstaartje`);
- BSNs with any of the usual separators, and eight digits (the leading 0 dropped) after the word BSN;
- postcodes with a house number, with or without spaces, in any case, with "nr" or "huisnummer".

The corpus in tests/persoonsgegevens_corpus.py holds both lists (must refuse, must accept);
`scripts/bench.py --parts guard` reports the miss and false-refusal rates and the cost.

The checks flag, they cannot prove: any nine digits pass the elfproef one time in eleven, so a
number that happens to pass is refused too. That errs on the safe side.
"""

import enum
import re
import unicodedata
from functools import cache
from typing import Annotated, Any, get_args

import phonenumbers
from pydantic import AfterValidator
from schwifty import IBAN, registry
from schwifty.exceptions import SchwiftyException


class Soort(enum.StrEnum):
    """Kinds of personal data the guard recognises, with the Dutch name used in error messages."""

    bsn = "burgerservicenummer (BSN)"
    email = "e-mailadres"
    telefoon = "telefoonnummer"
    iban = "bankrekeningnummer (IBAN)"
    adres = "postcode met huisnummer"


ALLE: tuple[Soort, ...] = tuple(Soort)

# --- Normalising ------------------------------------------------------------------------------

# Dashes, minus signs and the like that people (and word processors) put between digits.
_STREEPJES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63"), "-")
# Invisible characters that would split a number without showing: zero-width spaces and joiners,
# the soft hyphen, the word joiner and the byte-order mark.
_ONZICHTBAAR = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_VERTALING = _STREEPJES | _ONZICHTBAAR


def normaliseer(text: str) -> str:
    """The text as the checks read it: Unicode NFKC (full-width digits and ＠ become ASCII, no-break
    spaces become spaces), every dash a hyphen, invisible characters gone."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFKC", text).translate(_VERTALING)


# --- Dates and times are never personal data ------------------------------------------------------

_DAG = r"(?:0?[1-9]|[12]\d|3[01])"
_MAAND = r"(?:0?[1-9]|1[0-2])"
_TIJD = r"(?:[01]?\d|2[0-3])[.:][0-5]\d(?:[.:][0-5]\d)?"
_DATUM_OF_TIJD = re.compile(
    rf"{_DAG}(?P<s1>[-./]){_MAAND}(?P=s1)(?:19|20)?\d\d"  # 15-03-2025, 1.3.25, 15/03/2025
    rf"|(?:19|20)\d\d(?P<s2>[-./]){_MAAND}(?P=s2){_DAG}"  # 2025-03-15
    rf"|{_TIJD}(?:-{_TIJD})?"  # 09.30, 9:30, 09.30-11.00 (with spaces around the dash: two times)
)
# A number with everything glued to it: `15-03-2025` inside `115-03-2025` or `15-03-2025-1` is no date.
_GETAL = re.compile(r"[0-9][0-9.:/,-]*")
_GEEN_DATUM_OF_TIJD = re.compile(r"[0-9][-./:][0-9]")


def _vervang_datum(match: re.Match[str]) -> str:
    getal = match.group()
    kern = getal.rstrip(".,:/-")
    return f" datum {getal[len(kern):]}" if _DATUM_OF_TIJD.fullmatch(kern) else getal


def _zonder_datums(text: str) -> str:
    """The text with every date, time and time range replaced by a word, so no check reads its digits."""
    if _GEEN_DATUM_OF_TIJD.search(text) is None:
        return text
    return _GETAL.sub(_vervang_datum, text)


# --- BSN -------------------------------------------------------------------------------------


def is_bsn(value: str) -> bool:
    """True when `value` is a valid BSN: 9 digits (or 8 with an implied leading 0) passing the elfproef."""
    digits = value.strip()
    if not digits.isascii() or not digits.isdigit() or len(digits) not in (8, 9):
        return False
    digits = digits.zfill(9)
    if digits == "000000000":
        return False
    total = sum(int(d) * (9 - i) for i, d in enumerate(digits[:8])) - int(digits[8])
    return total % 11 == 0


# What people put between the digits of a BSN: a space or a few, a dot, hyphen, slash or underscore
# (with or without spaces around it: `111 - 222 - 333`), or a comma without spaces (`111,222,333`).
# A comma with a space is a list (`101, 102, 103`), not one number.
_SCHEIDING = r"(?:[ \t]{0,3}[-./_][ \t]{0,3}|[ \t]{1,3}|,)"
_SCHEIDING_TUSSEN_CIJFERS = re.compile(rf"(?<=\d){_SCHEIDING}(?=\d)")
# Eight or nine digits with separators allowed between them, bounded by non-digits (after the
# separators are taken out, the run must be exactly 8 or 9 digits).
# (The digit comes before the look-behind, so the regex engine can skip ahead to the next digit.)
_KANDIDAAT = re.compile(rf"[0-9](?<![0-9][0-9])(?:{_SCHEIDING}?[0-9]){{7,8}}(?!{_SCHEIDING}?[0-9])")
# Eight digits close together: without them there is no BSN and no phone number.
_SNEL = re.compile(r"[0-9](?:[^0-9]{0,7}[0-9]){7}")
# An eight-digit BSN (its leading 0 dropped) only counts after the word: eight-digit numbers are far
# more often dates (20250314), KvK numbers and order numbers.
_BSN_WOORD = re.compile(
    r"(?:\bbsn|burger\s*service\s*nummer|\bsofi[\s-]*(?:nummer|nr)|persoonsnummer)\W{0,3}(?:\w+\W{1,3}){0,2}$",
    re.IGNORECASE,
)


def _bsn_in(text: str) -> bool:
    for match in _KANDIDAAT.finditer(text):
        cijfers = re.sub(r"\D", "", match.group())
        if not is_bsn(cijfers):
            continue
        if len(cijfers) == 9 or _BSN_WOORD.search(text, 0, match.start()):
            return True
    return False


def bevat_bsn(text: str) -> bool:
    """True when the text holds a BSN: nine digits passing the elfproef, written with any of the usual
    separators (or full-width), or eight digits right after the word BSN. Dates and times never count."""
    text = normaliseer(text)
    if _SNEL.search(text) is None:
        return False
    text = _zonder_datums(text)
    return _SNEL.search(text) is not None and _bsn_in(text)


# --- e-mail -----------------------------------------------------------------------------------

# `@`, with or without spaces, and the ways people write it out: [at], (at), {at}, " at ",
# "apenstaartje". The dot likewise: ".", [dot], (punt), " dot ", " punt ".
_AT_TEKEN = r"\s*@\s*"
_AT_WOORD = r"\s*[\[({<]\s*(?:at|apenstaartje)\s*[\])}>]\s*|\s+(?:at|apenstaartje)\s+"
_PUNT = r"(?:\.|\s*[\[({<]\s*(?:dot|punt)\s*[\])}>]\s*|\s+(?:dot|punt)\s+)"
_LABEL = r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"
# Written out ("fatima at example dot nl") it must end in a top-level domain people actually use,
# so "hij at soep. Daarna" stays a sentence.
_TLDS = (
    "nl|com|org|net|be|de|eu|info|nu|io|fr|uk|co|biz|me|online|email|tr|ma|sr|cw|aw|es|it|pl|ro|bg|"
    "gov|edu|int|ch|at|se|dk|no|fi|pt|gr|ie|lu|ua|ru|sy|af|er|so|et|ir|iq|eg|gh|ng|in|pk|cn"
)
# Bounded everywhere (a local part of at most 64 characters that starts a word, at most 8 labels), so
# a long text cannot make the regex backtrack for seconds.
_EMAIL = re.compile(
    rf"(?<![a-z0-9._%+\-])[a-z0-9._%+\-]{{1,64}}"
    rf"(?:{_AT_TEKEN}{_LABEL}(?:{_PUNT}{_LABEL}){{0,8}}{_PUNT}[a-z]{{2,24}}(?![a-z0-9])"
    rf"|(?:{_AT_WOORD}){_LABEL}(?:{_PUNT}{_LABEL}){{0,8}}{_PUNT}(?:{_TLDS})(?![a-z0-9]))",
    re.IGNORECASE,
)
_AT_WOORD_SNEL = re.compile(r"\bat\b")


def _mogelijk_email(text: str) -> bool:
    """False when the text has no @ nor a written-out one: the cheap test before the e-mail regex."""
    if "@" in text:
        return True
    laag = text.lower()
    return ("at" in laag and _AT_WOORD_SNEL.search(laag) is not None) or "apenstaartje" in laag


def _bevat_email(text: str) -> bool:
    return _mogelijk_email(text) and _EMAIL.search(text) is not None


# --- phone ------------------------------------------------------------------------------------

# Where a phone number can start, with at least seven more digits after it (with the separators phone
# numbers are written with): a `+`, or a number beginning with 0 (06, 010, 0031) or with the country
# code 31 (31612345678). Without one there is nothing to look for, and libphonenumber's matcher (tens
# of microseconds) is the costly part of the guard: ids like `crm-2025-000123` stop here.
_TELEFOON_KANDIDAAT = re.compile(r"(?:\+\s*[0-9]|0(?<![0-9]0)|3(?<![0-9]3)1)(?:[\s().\-/]{0,4}[0-9]){7}")
# Numbers of organisations, not of people: 0800 and 0900 numbers, shared-cost and company-wide
# numbers (088, 14 0xx). A key person may write down where residents can call.
_ZAKELIJK = {
    phonenumbers.PhoneNumberType.TOLL_FREE,
    phonenumbers.PhoneNumberType.PREMIUM_RATE,
    phonenumbers.PhoneNumberType.SHARED_COST,
    phonenumbers.PhoneNumberType.UAN,
}


def _telefoonnummers(text: str) -> list[tuple[int, int]]:
    """The spans of personal phone numbers in `text` (dates and times already replaced)."""
    if _TELEFOON_KANDIDAAT.search(text) is None:
        return []
    return [
        (match.start, match.end)
        for match in phonenumbers.PhoneNumberMatcher(text, "NL", leniency=phonenumbers.Leniency.VALID)
        if phonenumbers.number_type(match.number) not in _ZAKELIJK
    ]


# --- IBAN -------------------------------------------------------------------------------------

_IBAN_KANDIDAAT = re.compile(r"(?<![a-z0-9])[a-z]{2}\d{2}(?:[ \-.]{0,2}[a-z0-9]){11,30}", re.IGNORECASE)
# Two letters and two check digits: the cheap test before the candidate regex (which tries every letter).
_IBAN_SNEL = re.compile(r"[0-9][0-9](?<=[A-Za-z][A-Za-z][0-9][0-9])")


@cache
def _iban_lengte(land: str) -> int | None:
    try:
        return registry.get_iban_spec(land).iban_length
    except SchwiftyException:  # not a country with IBANs
        return None


def is_iban(value: str) -> bool:
    """True when `value` (separators removed, any case) is an IBAN: the country's length and
    format and a valid mod-97 checksum (schwifty)."""
    compact = re.sub(r"[\s\-.]", "", value).upper()
    try:
        IBAN(compact)
    except SchwiftyException:
        return False
    return True


def _ibans(text: str) -> list[tuple[int, int]]:
    if _IBAN_SNEL.search(text) is None:
        return []
    spans = []
    for match in _IBAN_KANDIDAAT.finditer(text):
        compact = re.sub(r"[\s\-.]", "", match.group()).upper()
        lengte = _iban_lengte(compact[:2])
        # The candidate may have swallowed a following word: the country says how long an IBAN is.
        if lengte is not None and len(compact) >= lengte and is_iban(compact[:lengte]):
            spans.append(match.span())
    return spans


# --- postcode with house number -----------------------------------------------------------------

# Two-letter words that follow a number in ordinary sentences ("in 2025 en 12 andere"): written in
# lower case after a space they are not a postcode's letters. SA, SD and SS are never used.
_GEEN_POSTCODELETTERS = frozenset({
    "en", "op", "in", "om", "te", "de", "ik", "is", "al", "nu", "er", "zo", "na", "of", "ze", "we", "je",
    "uw", "wo", "ma", "di", "do", "vr", "za", "nr", "tm", "ca", "sa", "sd", "ss",
})
_POSTCODE = r"(?<![\da-z])[1-9]\d{3}(?P<spatie>\s?)(?P<letters>[a-z]{2})(?![a-z])"
_TOEVOEGING = r"(?:\s?[a-z](?![a-z]))?(?:\s?-\s?\d{1,4}|\s?-\s?[a-z](?![a-z]))?"
_HUISNUMMER = rf"\d{{1,5}}{_TOEVOEGING}(?!\d)"
_HUISNUMMER_WOORD = r"(?:huis)?(?:nummer|nr|no)\.?"
_ADRES = re.compile(
    rf"{_POSTCODE}[\s,.:;]*(?:{_HUISNUMMER_WOORD}[\s:]*)?{_HUISNUMMER}"
    rf"|(?<![\d-]){_HUISNUMMER}[\s,]*{_POSTCODE.replace('spatie', 'spatie2').replace('letters', 'letters2')}",
    re.IGNORECASE,
)
_ADRES_SNEL = re.compile(r"[0-9]{4}\s?[A-Za-z]{2}(?![A-Za-z])")


def _is_postcode(match: re.Match[str]) -> bool:
    letters = match.group("letters") or match.group("letters2")
    spatie = match.group("spatie") if match.group("letters") else match.group("spatie2")
    if letters.lower() in ("sa", "sd", "ss"):
        return False
    return letters.isupper() or not spatie or letters.lower() not in _GEEN_POSTCODELETTERS


def _adressen(text: str) -> list[tuple[int, int]]:
    if _ADRES_SNEL.search(text) is None:
        return []
    return [m.span() for m in _ADRES.finditer(text) if _is_postcode(m)]


# --- all kinds at once ----------------------------------------------------------------------------

# What every numeric kind needs at the least, in one scan: eight digits close together (BSN, phone
# number; dates too, which are taken out later), four digits and two letters (postcode), or two letters,
# two digits and eleven more characters (IBAN). Without any of them there is nothing to find: most
# codes, names and sentences stop here.
_GETALLEN = re.compile(
    r"[0-9](?:[^0-9]{0,7}[0-9]){7}|[0-9]{4}\s?[A-Za-z]{2}|[A-Za-z]{2}[0-9]{2}(?:[ .-]{0,2}[A-Za-z0-9]){11}"
)


# Short texts found clean: code-list values, categories and names come back on every row of an
# import, so each is checked once. Only clean texts are kept (never one with personal data), at most
# `_SCHOON_MAX` of them; when full the set starts again. The guard is a pure function, so nothing
# here goes stale.
_SCHOON: set[str] = set()
_SCHOON_LENGTE = 64
_SCHOON_MAX = 20_000


def _onthoud_schoon(text: str) -> None:
    if len(_SCHOON) >= _SCHOON_MAX:
        _SCHOON.clear()
    _SCHOON.add(text)


def _wis(text: str, spans: list[tuple[int, int]], woord: str) -> str:
    for start, eind in reversed(spans):
        text = f"{text[:start]} {woord} {text[eind:]}"
    return text


def vind(text: str, soorten: tuple[Soort, ...] = ALLE, *, onthoud: bool = True) -> list[Soort]:
    """The kinds of personal data found in `text` (empty when none).

    A short text found clean is remembered (`_SCHOON`), unless `onthoud` is false: resident
    references are checked without it, so none of them stays in memory after its request.

    The text is normalised first (NFKC, dashes, invisible characters) and its dates and times are
    taken out, so `op 15-03-2025 09.30 uur` is never a phone number. Each kind found is blanked
    before the next is looked for, so the digits of a phone number or IBAN do not also count as a BSN.
    """
    if len(text) < 6 or text in _SCHOON:  # the shortest of them all: a@b.nl
        return []
    origineel = text
    text = normaliseer(text)
    email = _mogelijk_email(text) and Soort.email in soorten
    getallen = _GETALLEN.search(text) is not None
    gevonden: list[Soort] = []
    if getallen:
        text = _zonder_datums(text)
    if email and _EMAIL.search(text) is not None:
        gevonden.append(Soort.email)
        text = _EMAIL.sub(" e-mail ", text)
    if getallen:
        acht = _SNEL.search(text) is not None
        for soort, zoek, nodig in ((Soort.iban, _ibans, len(text) >= 15), (Soort.telefoon, _telefoonnummers, acht),
                                   (Soort.adres, _adressen, True)):
            if nodig and soort in soorten and (spans := zoek(text)):
                gevonden.append(soort)
                text = _wis(text, spans, soort.name)
        if acht and Soort.bsn in soorten and _SNEL.search(text) is not None and _bsn_in(text):
            gevonden.append(Soort.bsn)
    if not gevonden:
        if onthoud and soorten is ALLE and len(origineel) <= _SCHOON_LENGTE:
            _onthoud_schoon(origineel)
        return []
    return [soort for soort in soorten if soort in gevonden]


def vind_in_id(value: str) -> list[Soort]:
    """The kinds of personal data in an identifier (externId): an e-mail address or IBAN anywhere in
    it, a BSN, phone number or postcode with house number as the whole value.

    Inside a longer id a run of digits is no sign of anything: random ids hold nine-digit runs that
    pass the elfproef one time in eleven, ten-digit runs that are valid phone numbers, and hex that
    reads as a postcode (`3266aa3b`). Refusing those would make generated ids fail at random.
    """
    text = normaliseer(value).strip()
    gevonden = []
    if _bevat_email(text):
        gevonden.append(Soort.email)
    if len(text) >= 15 and _ibans(text):
        gevonden.append(Soort.iban)
    # A BSN or phone number as the whole value: only digits and the signs numbers are written with.
    if _ALLEEN_NUMMER.fullmatch(text) is not None and _SNEL.search(text) is not None:
        if is_bsn_als_waarde(text):
            gevonden.append(Soort.bsn)
        if any(start == 0 and eind == len(text) for start, eind in _telefoonnummers(text)):
            gevonden.append(Soort.telefoon)
    if any(start == 0 and eind == len(text) for start, eind in _adressen(text)):
        gevonden.append(Soort.adres)
    return [soort for soort in ALLE if soort in gevonden]


_ALLEEN_NUMMER = re.compile(r"[0-9\s().,/_+-]+")


def reden(gevonden: list[Soort]) -> str:
    """The Dutch reason for an invalidParams entry: the kinds found, never the value."""
    soorten = ", ".join(s.value for s in gevonden)
    return (
        f"Bevat persoonsgegevens ({soorten}); die mogen niet in Sleutelmonitor worden vastgelegd. "
        "Beschrijf de situatie zonder gegevens die naar een persoon herleidbaar zijn."
    )


def controleer(velden: dict[str, str | None], soorten: tuple[Soort, ...] = ALLE) -> list[dict[str, str]]:
    """invalidParams for every field (API name -> text) holding personal data."""
    problems = []
    for naam, waarde in velden.items():
        if waarde and (gevonden := vind(waarde, soorten)):
            problems.append({"name": naam, "reason": reden(gevonden)})
    return problems


def is_bsn_als_waarde(value: str) -> bool:
    """True when the whole value, separators between digits removed, is a BSN (`111222333`, `111-222-333`)."""
    return is_bsn(_SCHEIDING_TUSSEN_CIJFERS.sub("", normaliseer(value).strip()))


# Control characters (NUL above all: PostgreSQL refuses it in text) have no place in text or ids;
# newline, carriage return and tab are ordinary in longer text.
_STUURTEKENS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
STUURTEKENS_REDEN = "Bevat stuurtekens (zoals NUL); die zijn niet toegestaan."


def _zonder_stuurtekens(value: str) -> None:
    if _STUURTEKENS.search(value):
        raise ValueError(STUURTEKENS_REDEN)


def _zonder_persoonsgegevens(value: str) -> str:
    _zonder_stuurtekens(value)
    if gevonden := vind(value):
        raise ValueError(reden(gevonden))
    return value


def _zonder_bsn(value: str) -> str:
    _zonder_stuurtekens(value)
    if bevat_bsn(value):
        raise ValueError(reden([Soort.bsn]))
    return value


def _id_zonder_persoonsgegevens(value: str) -> str:
    _zonder_stuurtekens(value)
    if gevonden := vind_in_id(value):
        raise ValueError(reden(gevonden))
    return value


REFERENTIE_BSN_REDEN = (
    "Dit lijkt een burgerservicenummer (BSN). Een BSN mag niet naar Sleutelmonitor worden "
    "gestuurd; gebruik het eigen cliëntnummer van uw applicatie als inwonerReferentie."
)


def _referentie_zonder_persoonsgegevens(value: str) -> str:
    if bevat_bsn(value.strip()):
        raise ValueError(REFERENTIE_BSN_REDEN)
    if gevonden := vind(value, onthoud=False):
        raise ValueError(reden(gevonden))
    return value


def _referentie_zonder_bsn(value: str) -> str:
    if bevat_bsn(value.strip()):
        raise ValueError(REFERENTIE_BSN_REDEN)
    return value


def _alleen_zonder_stuurtekens(value: str) -> str:
    _zonder_stuurtekens(value)
    return value


# Text that needs no personal-data check but must be storable on both databases (code-list labels).
ZonderStuurtekens = Annotated[str, AfterValidator(_alleen_zonder_stuurtekens)]
# Free text (titles, descriptions) and names (key persons, partners, organisations, API keys, import
# files and sheets): refused when it holds any kind of personal data.
VrijeTekst = Annotated[str, AfterValidator(_zonder_persoonsgegevens)]
Naam = VrijeTekst
# Only a BSN refused; no schema uses this any more (names take the full guard, `Naam`).
ZonderBsn = Annotated[str, AfterValidator(_zonder_bsn)]
# Identifiers from partner apps (externId): refused when the id is a BSN, phone number or postcode
# with house number, or holds an e-mail address or IBAN (`vind_in_id`). Not when a BSN- or phone-like
# run sits inside a longer id (`crm-123456782a`): random ids would otherwise fail at random.
IdZonderPersoonsgegevens = Annotated[str, AfterValidator(_id_zonder_persoonsgegevens)]
IdZonderBsn = IdZonderPersoonsgegevens  # the earlier name
# A resident reference (inwonerReferentie): never stored as sent, but refused when it holds personal
# data, a BSN with a message of its own; checked without the memory of clean texts.
Referentie = Annotated[str, AfterValidator(_referentie_zonder_persoonsgegevens)]
# The reference of an erasure request: only a BSN refused, as when the records were registered before
# the wider guard (issue 22), so a resident whose reference holds a phone number can still be erased.
VergetenReferentie = Annotated[str, AfterValidator(_referentie_zonder_bsn)]


def _draagt(annotation: Any, metadata: list[Any], functies: tuple[Any, ...]) -> bool:
    """True when a field's type (or its metadata) carries one of these validator functions."""
    def heeft(items: Any) -> bool:
        return any(getattr(m, "func", None) in functies for m in items)

    return (
        heeft(metadata)
        or any(heeft(getattr(arg, "__metadata__", ())) for arg in get_args(annotation))
        or heeft(getattr(annotation, "__metadata__", ()))
    )


def is_id_zonder_bsn(annotation: Any, metadata: list[Any]) -> bool:
    """True when a field's type (or its metadata) carries the identifier rule of `IdZonderPersoonsgegevens`."""
    return _draagt(annotation, metadata, (_id_zonder_persoonsgegevens,))


def heeft_eigen_controle(annotation: Any, metadata: list[Any]) -> bool:
    """True when a field's type already runs a guard of its own (`VrijeTekst`/`Naam`, `Referentie` or
    the identifier rule), so a schema-wide check need not run the guard over it a second time."""
    return _draagt(
        annotation, metadata, (_id_zonder_persoonsgegevens, _zonder_persoonsgegevens, _referentie_zonder_persoonsgegevens,
                              _referentie_zonder_bsn)
    )


NAMEN_WAARSCHUWING = (
    "Schrijf geen namen of andere persoonsgegevens van inwoners in vrije tekst: deze tekst wordt "
    "gedeeld met beleidsmakers en in rapportages, en Sleutelmonitor legt bewust geen persoonsgegevens "
    "vast (AVG, dataminimalisatie). BSN, e-mailadressen, telefoonnummers, IBAN's en postcode met "
    "huisnummer worden geweigerd; namen kan de dienst niet herkennen, daarvoor bent u zelf verantwoordelijk."
)
