"""API schemas for key persons (sleutelpersonen)."""

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, Field, StringConstraints, field_validator

from app.core.persoonsgegevens import VrijeTekst
from app.core.schemas import InputSchema, Schema, alle_fouten
from app.core.validation import Gemeentecode, Taalcode

# Codes are checked against their code list by the service, so that unknown codes are reported
# together with the other field errors; the schema only bounds their length.
Code = Annotated[str, StringConstraints(min_length=1, max_length=80)]

_WEERGAVENAAM = dict(
    description=(
        "Naam waaronder de sleutelpersoon bekend is (niet per se de officiële naam). Geen BSN, "
        "telefoonnummer, e-mailadres, IBAN of adres: die worden geweigerd."
    ),
    examples=["Amina"],
)
_TALEN = dict(
    description="Talen die de sleutelpersoon spreekt (ISO 639-1, of ISO 639-3 voor talen zonder tweelettercode); dubbele worden samengevoegd.",
    examples=[["ar", "nl", "tir"]],
)
_ROLLEN = dict(
    description="Rollen uit de codelijst `rol`.",
    examples=[["bemiddelaar", "voorlichter"]],
)
_THEMAS = dict(
    description="Thema's uit de codelijst `onderwerp`; hoofdonderwerpen zijn toegestaan.",
    examples=[["gezondheid", "geld.toeslagen"]],
)
_DIENSTVERBAND = dict(
    description="Dienstverband uit de codelijst `dienstverband`.",
    examples=["vrijwilliger"],
)
_UREN = dict(
    description="Gemiddeld aantal uren per week (groter dan 0, hoogstens 60).",
    examples=[8],
)
_BASISTRAINING = dict(
    description="Datum waarop de basistraining is afgerond; niet in de toekomst.",
    examples=["2024-05-17"],
)
_VANAF = dict(description="Eerste dag waarop de sleutelpersoon actief is.", examples=["2024-06-01"])
_TOT = dict(
    description="Laatste dag van actief zijn; moet na `actiefVanaf` liggen.",
    examples=["2026-12-31"],
)
_GEMEENTE = dict(
    description="CBS-gemeentecode van de gemeente waar de sleutelpersoon vooral werkt.",
    examples=["GM0344"],
)



def _uren(value: float) -> float:
    if not 0 < value <= 60:
        raise ValueError("Moet groter dan 0 en hoogstens 60 zijn.")
    return value


# Checked by hand for a Dutch message that says "greater than 0"; the bounds stay in the OpenAPI schema.
UrenPerWeek = Annotated[float, AfterValidator(_uren), Field(json_schema_extra={"exclusiveMinimum": 0, "maximum": 60})]

_NOT_NULL = "Mag niet null zijn; laat het veld weg om het ongewijzigd te laten."


def _unique(values: list[Any]) -> list[Any]:
    return list(dict.fromkeys(values))


class SleutelpersoonBase(InputSchema):
    weergavenaam: VrijeTekst = Field(min_length=1, max_length=100, **_WEERGAVENAAM)  # type: ignore[arg-type]
    talen: list[Taalcode] = Field(default_factory=list, max_length=20, **_TALEN)  # type: ignore[arg-type]
    rollen: list[Code] = Field(default_factory=list, max_length=20, **_ROLLEN)  # type: ignore[arg-type]
    themas: list[Code] = Field(default_factory=list, max_length=50, **_THEMAS)  # type: ignore[arg-type]
    dienstverband: Code | None = Field(default=None, **_DIENSTVERBAND)  # type: ignore[arg-type]
    uren_per_week: UrenPerWeek | None = Field(default=None, **_UREN)  # type: ignore[arg-type]
    basistraining_datum: date | None = Field(default=None, **_BASISTRAINING)  # type: ignore[arg-type]
    actief_vanaf: date | None = Field(default=None, **_VANAF)  # type: ignore[arg-type]
    actief_tot: date | None = Field(default=None, **_TOT)  # type: ignore[arg-type]
    gemeentecode: Gemeentecode | None = Field(default=None, **_GEMEENTE)  # type: ignore[arg-type]

    @field_validator("talen", "rollen", "themas")
    @classmethod
    def _deduplicate(cls, value: list[str]) -> list[str]:
        return _unique(value)


class SleutelpersoonCreate(SleutelpersoonBase):
    """Een nieuwe sleutelpersoon van de eigen organisatie."""


# The POST body: schema errors reach the service and are reported with the rules' own (one 400).
SleutelpersoonInvoer = alle_fouten(SleutelpersoonCreate)


class SleutelpersoonUpdate(InputSchema):
    """Gedeeltelijke wijziging: alleen meegestuurde velden veranderen; `null` wist een optioneel veld."""

    weergavenaam: VrijeTekst | None = Field(default=None, min_length=1, max_length=100, **_WEERGAVENAAM)  # type: ignore[arg-type]
    talen: list[Taalcode] | None = Field(default=None, max_length=20, **_TALEN)  # type: ignore[arg-type]
    rollen: list[Code] | None = Field(default=None, max_length=20, **_ROLLEN)  # type: ignore[arg-type]
    themas: list[Code] | None = Field(default=None, max_length=50, **_THEMAS)  # type: ignore[arg-type]
    dienstverband: Code | None = Field(default=None, **_DIENSTVERBAND)  # type: ignore[arg-type]
    uren_per_week: UrenPerWeek | None = Field(default=None, **_UREN)  # type: ignore[arg-type]
    basistraining_datum: date | None = Field(default=None, **_BASISTRAINING)  # type: ignore[arg-type]
    actief_vanaf: date | None = Field(default=None, **_VANAF)  # type: ignore[arg-type]
    actief_tot: date | None = Field(default=None, **_TOT)  # type: ignore[arg-type]
    gemeentecode: Gemeentecode | None = Field(default=None, **_GEMEENTE)  # type: ignore[arg-type]
    actief: bool | None = Field(
        default=None,
        description="`true` heractiveert een gedeactiveerde sleutelpersoon; `false` deactiveert (zoals DELETE).",
        examples=[True],
    )

    @field_validator("weergavenaam", "talen", "rollen", "themas", "actief", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # These fields always have a value; null would erase it rather than leave it unchanged.
        if value is None:
            raise ValueError(_NOT_NULL)
        return value

    @field_validator("talen", "rollen", "themas")
    @classmethod
    def _deduplicate(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _unique(value)


class SleutelpersoonPublic(Schema):
    """Een sleutelpersoon zoals de API hem teruggeeft."""

    id: uuid.UUID = Field(description="Identificatie van de sleutelpersoon.", examples=["0b7e3c1e-6f1a-4d2b-9a51-1d3f5a7c9e21"])
    organisatie_id: uuid.UUID = Field(description="De organisatie waarvoor de sleutelpersoon werkt.", examples=["5f0c6a52-8d8e-4b7e-a1a4-2f6a3f0e9b10"])
    weergavenaam: str = Field(**_WEERGAVENAAM)  # type: ignore[arg-type]
    talen: list[str] = Field(**_TALEN)  # type: ignore[arg-type]
    rollen: list[str] = Field(**_ROLLEN)  # type: ignore[arg-type]
    themas: list[str] = Field(**_THEMAS)  # type: ignore[arg-type]
    dienstverband: str | None = Field(**_DIENSTVERBAND)  # type: ignore[arg-type]
    uren_per_week: float | None = Field(**_UREN)  # type: ignore[arg-type]
    basistraining_datum: date | None = Field(**_BASISTRAINING)  # type: ignore[arg-type]
    actief_vanaf: date | None = Field(**_VANAF)  # type: ignore[arg-type]
    actief_tot: date | None = Field(**_TOT)  # type: ignore[arg-type]
    gemeentecode: str | None = Field(**_GEMEENTE)  # type: ignore[arg-type]
    actief: bool = Field(description="`false` na deactivering; de sleutelpersoon blijft bestaan voor de historie.", examples=[True])
    aangemaakt_op: datetime = Field(description="Tijdstip van registratie (UTC).", examples=["2025-03-14T09:30:00Z"])
    gewijzigd_op: datetime = Field(description="Tijdstip van de laatste wijziging (UTC).", examples=["2025-03-14T09:30:00Z"])


# The schemas under a key person (plan, conversations, employment) live beside their service; named
# here too, so every `*.schemas` module lists the domain's write schemas (tests/test_persoonsgegevens_schemas.py).
from app.sleutelpersonen.ondersteuning_schemas import (  # noqa: F401
    DienstverbandCreate,
    DienstverbandUpdate,
    GesprekCreate,
    GesprekUpdate,
    OntwikkeldoelCreate,
    OntwikkeldoelUpdate,
)
