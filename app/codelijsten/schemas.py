"""API schemas for code lists and their entries."""

from typing import Annotated, Any

from pydantic import Field, StringConstraints, field_validator

from app.codelijsten.service import HIERARCHISCH_CODE_PATTERN
from app.core.persoonsgegevens import ZonderStuurtekens
from app.core.schemas import InputSchema, Schema

Synoniem = Annotated[ZonderStuurtekens, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


# A display order, not a quantity; also keeps the value inside PostgreSQL's INTEGER.
MAX_VOLGORDE = 1_000_000


class Codelijst(Schema):
    naam: str = Field(description="Naam van de codelijst, te gebruiken in het pad `/codelijsten/{lijst}`.", examples=["onderwerp"])
    omschrijving: str = Field(description="Waar de codelijst voor dient.", examples=["Onderwerpen van hulpvragen."])
    hierarchisch: bool = Field(description="Of codes een hoofdcode hebben (`ouder.kind`).", examples=[True])
    aantal: int = Field(description="Aantal codes in de lijst, actief en gedeactiveerd.", examples=[56])
    aantal_actief: int = Field(description="Aantal actieve codes in de lijst.", examples=[55])


class CodeBase(Schema):
    label: str = Field(description="Nederlandse omschrijving van de code.", examples=["Toeslagen"])
    synoniemen: list[str] = Field(
        description="Andere schrijfwijzen die bij het importeren naar deze code worden vertaald.",
        examples=[["zorgtoeslag", "huurtoeslag"]],
    )
    volgorde: int = Field(description="Weergavevolgorde binnen de lijst (oplopend).", examples=[202])


class CodePublic(CodeBase):
    code: str = Field(description="De code; stabiel en onveranderlijk.", examples=["geld.toeslagen"])
    ouder: str | None = Field(description="Hoofdcode bij hiërarchische lijsten (onderwerp), anders leeg.", examples=["geld"])
    actief: bool = Field(description="Gedeactiveerde codes blijven geldig op bestaande registraties, niet op nieuwe.", examples=[True])


class CodeCreate(InputSchema):
    code: str = Field(
        min_length=1,
        max_length=80,
        description=(
            "Nieuwe code: kleine letters, cijfers en koppeltekens. Bij de lijst `onderwerp` is een "
            "subonderwerp `hoofdonderwerp.subonderwerp`, met een bestaand actief hoofdonderwerp; de "
            "ouder wordt uit de code afgeleid. Een code kan later niet meer veranderen."
        ),
        examples=["geld.energietoeslag"],
        json_schema_extra={"pattern": HIERARCHISCH_CODE_PATTERN},
    )
    label: ZonderStuurtekens = Field(min_length=1, max_length=200, description="Nederlandse omschrijving van de code.", examples=["Energietoeslag"])
    synoniemen: list[Synoniem] = Field(
        default_factory=list,
        max_length=50,
        description="Andere schrijfwijzen voor het importeren; dubbele (ongeacht hoofdletters) worden samengevoegd.",
        examples=[["energiecompensatie"]],
    )
    volgorde: int | None = Field(
        default=None,
        ge=0,
        le=MAX_VOLGORDE,
        description="Weergavevolgorde; zonder waarde komt de code achteraan (bij subonderwerpen achter de andere subonderwerpen).",
        examples=[206],
    )


class CodeUpdate(InputSchema):
    label: ZonderStuurtekens | None = Field(default=None, min_length=1, max_length=200, description="Nieuwe Nederlandse omschrijving.", examples=["Energietoeslag en -compensatie"])
    synoniemen: list[Synoniem] | None = Field(
        default=None, max_length=50, description="Vervangt de lijst met synoniemen.", examples=[["energiecompensatie"]]
    )
    actief: bool | None = Field(
        default=None,
        description="`false` deactiveert de code (niet meer te gebruiken op nieuwe registraties), `true` heractiveert hem.",
        examples=[False],
    )
    volgorde: int | None = Field(default=None, ge=0, le=MAX_VOLGORDE, description="Nieuwe weergavevolgorde.", examples=[206])

    @field_validator("label", "synoniemen", "actief", "volgorde", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # Omit a field to leave it unchanged; an explicit null would erase a required value.
        if value is None:
            raise ValueError("Mag niet null zijn; laat het veld weg om het ongewijzigd te laten.")
        return value
