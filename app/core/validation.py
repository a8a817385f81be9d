"""Shared validators for region codes, language codes and dates (BSN detection: app.core.persoonsgegevens).

Usable as pydantic `Annotated` types in schemas (`Gemeentecode`, `Wijkcode`, `Taalcode`,
`DatumNietInToekomst`) and as plain functions in services that collect all field errors at once.
"""

import re
from datetime import date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, Field, StringConstraints

# BSN detection lives in the one personal-data guard; these names stay importable from here.
from app.core.persoonsgegevens import ZonderBsn, bevat_bsn, is_bsn

GEMEENTECODE_PATTERN = r"^GM\d{4}$"
WIJKCODE_PATTERN = r"^WK\d{4}[0-9A-Z]{2}$"

# "Today" is a Dutch calendar day: a record made at 00:30 in Amsterdam must not be "in the future".
TIJDZONE = ZoneInfo("Europe/Amsterdam")

Gemeentecode = Annotated[
    str,
    StringConstraints(pattern=GEMEENTECODE_PATTERN),
    Field(
        description="CBS-gemeentecode: `GM` gevolgd door 4 cijfers.",
        examples=["GM0344"],
    ),
]

Wijkcode = Annotated[
    str,
    StringConstraints(pattern=WIJKCODE_PATTERN),
    Field(
        description="CBS-wijkcode: `WK` gevolgd door de 4 cijfers van de gemeente en 2 tekens [0-9A-Z].",
        examples=["WK034401"],
    ),
]


def check_wijk_in_gemeente(wijkcode: str | None, gemeentecode: str | None) -> str | None:
    """Return a Dutch reason when the wijk does not lie in the gemeente (WK0344xx belongs to GM0344), else None."""
    if not wijkcode or not gemeentecode:
        return None
    if wijkcode[2:6] != gemeentecode[2:6]:
        return f"Wijk {wijkcode} ligt niet in gemeente {gemeentecode} (verwacht een wijkcode die begint met WK{gemeentecode[2:6]})."
    return None


# ISO 639-1: the 183 current two-letter codes (the deprecated collective code `bh` is left out).
ISO_639_1: frozenset[str] = frozenset(
    """
    aa ab ae af ak am an ar as av ay az
    ba be bg bi bm bn bo br bs
    ca ce ch co cr cs cu cv cy
    da de dv dz
    ee el en eo es et eu
    fa ff fi fj fo fr fy
    ga gd gl gn gu gv
    ha he hi ho hr ht hu hy hz
    ia id ie ig ii ik io is it iu
    ja jv
    ka kg ki kj kk kl km kn ko kr ks ku kv kw ky
    la lb lg li ln lo lt lu lv
    mg mh mi mk ml mn mr ms mt my
    na nb nd ne ng nl nn no nr nv ny
    oc oj om or os
    pa pi pl ps pt
    qu
    rm rn ro ru rw
    sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw
    ta te tg th ti tk tl tn to tr ts tt tw ty
    ug uk ur uz
    ve vi vo
    wa wo
    xh
    yi yo
    za zh zu
    """.split()
)

# ISO 639-3 has ~7,900 codes; embedding all of them would mostly admit typos. Instead we accept the
# three-letter codes that matter for migrant and refugee communities in the Netherlands: languages
# without a two-letter code (Tigrinya dialect groups, Dari, Sorani, Kurmanji, Arabic varieties,
# Tamazight/Tarifit, Sarnami, Papiamentu, Sranan Tongo, Cape Verdean Creole, ...) and the 639-3 forms
# of common languages that some client systems send instead of the two-letter code. Extend as needed.
ISO_639_3_GANGBAAR: frozenset[str] = frozenset(
    """
    tir prs pbt ckb kmr sdh apc ary arz acm apd ayl aeb arq som amh orm ukr rus pol bul ron tur
    ara fas pus urd ben tam srp hrv bos sqi fra eng spa por deu nld zho cmn yue vie tha ind tgl
    lin swa yor ibo hau twi pap srn rif zgh shi tzm kab hns hin pan jav kea ful wol bam aze kur
    hye kat ell heb hun ces slk lit lav est bel mkd slv ita fil haz uzb kaz kir tgk tuk nep sin
    """.split()
)

_TAALCODE_RE = re.compile(r"^[a-z]{2,3}$")


def is_taalcode(value: str) -> bool:
    """True for a current ISO 639-1 code or one of the accepted ISO 639-3 codes (lowercase)."""
    return value in ISO_639_1 or value in ISO_639_3_GANGBAAR


def _taalcode(value: str) -> str:
    # Case is normalised (`AR` -> `ar`) so spreadsheets and CRMs with capitals are not refused.
    code = value.strip().lower()
    if not _TAALCODE_RE.match(code):
        raise ValueError(f"`{value}` is geen taalcode; gebruik een ISO 639-1-code (bijv. `ar`) of ISO 639-3-code (bijv. `tir`).")
    if not is_taalcode(code):
        raise ValueError(f"Onbekende taalcode `{value}`; gebruik een ISO 639-1-code (bijv. `ar`) of ISO 639-3-code (bijv. `tir`).")
    return code


Taalcode = Annotated[
    str,
    AfterValidator(_taalcode),
    Field(
        description=(
            "Taal als ISO 639-1-code (twee letters, bijv. `ar`) of ISO 639-3-code (drie letters, "
            "bijv. `tir`, `prs`, `ckb`) voor talen zonder tweelettercode; kleine letters."
        ),
        examples=["ar"],
        json_schema_extra={"pattern": "^[a-z]{2,3}$"},
    ),
]


def vandaag() -> date:
    """Today's date in the Netherlands."""
    return datetime.now(TIJDZONE).date()


def niet_in_toekomst(d: date | None, veld: str) -> dict[str, str] | None:
    """Return an invalidParam for `veld` when the date lies after today (Dutch time), else None."""
    if d is not None and d > vandaag():
        return {"name": veld, "reason": f"Datum {d.isoformat()} ligt in de toekomst."}
    return None


def _niet_in_toekomst(d: date) -> date:
    if d > vandaag():
        raise ValueError(f"Datum {d.isoformat()} ligt in de toekomst.")
    return d


# A date field that may not lie after today, for use directly in schemas.
DatumNietInToekomst = Annotated[date, AfterValidator(_niet_in_toekomst)]


__all__ = [
    "DatumNietInToekomst",
    "GEMEENTECODE_PATTERN",
    "Gemeentecode",
    "ISO_639_1",
    "ISO_639_3_GANGBAAR",
    "Taalcode",
    "WIJKCODE_PATTERN",
    "Wijkcode",
    "ZonderBsn",
    "bevat_bsn",
    "check_wijk_in_gemeente",
    "is_bsn",
    "is_taalcode",
    "niet_in_toekomst",
    "vandaag",
]


# The earliest date a signal or story can carry: the programme is younger than this.
EERSTE_DATUM = date(2000, 1, 1)


def uniek(values: list[str]) -> list[str]:
    """A list of codes in which every code occurs once (an AfterValidator)."""
    if len(set(values)) != len(values):
        raise ValueError("Elke code mag hoogstens één keer voorkomen.")
    return values


def niet_voor_eerste_datum(value: date) -> date:
    """A date on or after EERSTE_DATUM (an AfterValidator)."""
    if value < EERSTE_DATUM:
        raise ValueError(f"Datum ligt vóór {EERSTE_DATUM.isoformat()}; dat kan niet kloppen.")
    return value
