"""The one guard against personal data in free text and identifiers.

Free text is where personal data slips in: a key person types a resident's phone number into a
signal, or a BSN into an id. Every free-text field goes through `vind` (or the `VrijeTekst` and
`ZonderBsn` schema types built on it). Refusals name the field and the kind of data, never the value,
so the value does not reach logs, problem responses or screenshots either.

The checks flag, they cannot prove: any nine digits pass the elfproef one time in eleven, so a
number that happens to pass is refused too. That errs on the safe side.
"""

import enum
import re
from typing import Annotated, Any, get_args

from pydantic import AfterValidator


class Soort(enum.StrEnum):
    """Kinds of personal data the guard recognises, with the Dutch name used in error messages."""

    bsn = "burgerservicenummer (BSN)"
    email = "e-mailadres"
    telefoon = "telefoonnummer"
    iban = "bankrekeningnummer (IBAN)"
    adres = "postcode met huisnummer"


ALLE: tuple[Soort, ...] = tuple(Soort)

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


# Only 9-digit runs count inside text: 8-digit runs are mostly dates (20250314) in ids.
_NEGEN_CIJFERS = re.compile(r"(?<!\d)\d{9}(?!\d)")
# `1234.56.782`, `123 456 782` and `111-222-333` are written BSNs too.
_SCHEIDING_TUSSEN_CIJFERS = re.compile(r"(?<=\d)[ .\-](?=\d)")


# Nine digits with at most one separator between each two: without such a run there is no BSN, and
# most texts (codes, names) are done after this one search (every string of every input passes here).
_KANDIDAAT = re.compile(r"\d(?:[ .\-]?\d){8}")


def bevat_bsn(text: str) -> bool:
    """True when the text, with single spaces, dots and dashes between digits removed, holds a BSN."""
    if _KANDIDAAT.search(text) is None:
        return False
    compact = _SCHEIDING_TUSSEN_CIJFERS.sub("", text)
    return any(is_bsn(run) for run in _NEGEN_CIJFERS.findall(compact))


# --- e-mail, phone, IBAN, address ------------------------------------------------------------

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
# A Dutch number: 0, +31 or 0031 (optionally with "(0)"), then nine digits, each optionally after
# one separator: 06-12345678, 06 1234 5678, 010-1234567, +31 6 12345678, +31 (0)10 123 4567.
_TELEFOON = re.compile(r"(?<![\w+])(?:\+31|0031|0)(?:[ .\-]?\(0\))?(?:[ .\-]?\d){9}(?!\d)")
# A date like 01-02-2025 followed by a number is not a phone number.
_DATUM_BEGIN = re.compile(r"^\d{1,2}[.\-/]\d{1,2}[.\-/]\d{2,4}")
_IBAN_KANDIDAAT = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){11,30}")
# 1234 AB 12, 1234AB 12-3, and the other way round: 12, 1234 AB.
_POSTCODE = r"[1-9]\d{3} ?[A-Z]{2}(?![A-Za-z])"
_ADRES = re.compile(
    rf"(?<!\d){_POSTCODE}[ ,]+\d{{1,5}}(?!\d)|(?<!\d)\d{{1,5}}[A-Za-z]?(?:-\d+)?,? +{_POSTCODE}"
)


def is_iban(value: str) -> bool:
    """True when `value` (spaces removed, any case) is an IBAN with a valid mod-97 checksum."""
    compact = value.replace(" ", "").upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", compact):
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def _bevat_iban(text: str) -> bool:
    for match in _IBAN_KANDIDAAT.finditer(text):
        compact = match.group().replace(" ", "").upper()
        # The candidate may have swallowed a following word; try every length an IBAN can have.
        if any(is_iban(compact[:lengte]) for lengte in range(len(compact), 14, -1)):
            return True
    return False


def _bevat_telefoon(text: str) -> bool:
    return any(not _DATUM_BEGIN.match(m.group()) for m in _TELEFOON.finditer(text))


_CONTROLES = {
    Soort.bsn: bevat_bsn,
    Soort.email: lambda text: _EMAIL.search(text) is not None,
    Soort.telefoon: _bevat_telefoon,
    Soort.iban: _bevat_iban,
    Soort.adres: lambda text: _ADRES.search(text) is not None,
}


def vind(text: str, soorten: tuple[Soort, ...] = ALLE) -> list[Soort]:
    """The kinds of personal data found in `text` (empty when none)."""
    return [soort for soort in soorten if _CONTROLES[soort](text)]


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
    return is_bsn(_SCHEIDING_TUSSEN_CIJFERS.sub("", value.strip()))


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


def _geen_bsn_als_id(value: str) -> str:
    _zonder_stuurtekens(value)
    if is_bsn_als_waarde(value):
        raise ValueError(reden([Soort.bsn]))
    return value


def _alleen_zonder_stuurtekens(value: str) -> str:
    _zonder_stuurtekens(value)
    return value


# Text that needs no personal-data check but must be storable on both databases (code-list labels).
ZonderStuurtekens = Annotated[str, AfterValidator(_alleen_zonder_stuurtekens)]
# Free text (titles, descriptions, names): refused when it holds any kind of personal data.
VrijeTekst = Annotated[str, AfterValidator(_zonder_persoonsgegevens)]
# Organisation names: refused when they hold a BSN (a partner's own phone number is allowed).
ZonderBsn = Annotated[str, AfterValidator(_zonder_bsn)]
# Identifiers from partner apps (externId): refused when the id itself is a BSN. Not when a BSN-like
# run sits inside a longer id (`crm-123456782a`): one in eleven random nine-digit runs passes the
# elfproef, and refusing those would make generated ids fail at random.
IdZonderBsn = Annotated[str, AfterValidator(_geen_bsn_als_id)]


def is_id_zonder_bsn(annotation: Any, metadata: list[Any]) -> bool:
    """True when a field's type (or its metadata) carries the identifier rule of `IdZonderBsn`."""
    if any(getattr(m, "func", None) is _geen_bsn_als_id for m in metadata):
        return True
    return any(
        getattr(m, "func", None) is _geen_bsn_als_id
        for arg in get_args(annotation)
        for m in getattr(arg, "__metadata__", ())
    ) or any(getattr(m, "func", None) is _geen_bsn_als_id for m in getattr(annotation, "__metadata__", ()))

NAMEN_WAARSCHUWING = (
    "Schrijf geen namen of andere persoonsgegevens van inwoners in vrije tekst: deze tekst wordt "
    "gedeeld met beleidsmakers en in rapportages, en Sleutelmonitor legt bewust geen persoonsgegevens "
    "vast (AVG, dataminimalisatie). BSN, e-mailadressen, telefoonnummers, IBAN's en postcode met "
    "huisnummer worden geweigerd; namen kan de dienst niet herkennen, daarvoor bent u zelf verantwoordelijk."
)
