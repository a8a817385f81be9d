"""API schemas for ketenpartners (the organisation's social map)."""

import uuid
from datetime import datetime
from typing import Any

from pydantic import Field, field_validator

from app.core.persoonsgegevens import Naam
from app.core.schemas import InputSchema, Schema
from app.core.validation import Gemeentecode

_NAAM = dict(description="Naam van de ketenpartner (een organisatie, geen persoon); persoonsgegevens (BSN, e-mailadres, telefoonnummer, IBAN, postcode met huisnummer) worden geweigerd.", examples=["Schuldhulpmaatje Utrecht"])
_CATEGORIE = dict(description="Categorie uit de codelijst `ketenpartner-categorie`.", examples=["schuldhulpverlening"])
_GEMEENTE = dict(description="CBS-gemeentecode van de gemeente waar de ketenpartner werkt (optioneel).", examples=["GM0344"])


class KetenpartnerBase(InputSchema):
    naam: Naam = Field(min_length=1, max_length=200, **_NAAM)  # type: ignore[arg-type]
    # Checked against the code list by the service, so it is reported with the other errors.
    categorie: str = Field(min_length=1, max_length=40, **_CATEGORIE)  # type: ignore[arg-type]
    gemeentecode: Gemeentecode | None = Field(default=None, **_GEMEENTE)  # type: ignore[arg-type]


class KetenpartnerCreate(KetenpartnerBase):
    """Een nieuwe ketenpartner op de sociale kaart van de eigen organisatie."""


class KetenpartnerUpdate(InputSchema):
    """Gedeeltelijke wijziging: alleen meegestuurde velden veranderen; `null` wist de gemeentecode."""

    naam: Naam | None = Field(default=None, min_length=1, max_length=200, **_NAAM)  # type: ignore[arg-type]
    categorie: str | None = Field(default=None, min_length=1, max_length=40, **_CATEGORIE)  # type: ignore[arg-type]
    gemeentecode: Gemeentecode | None = Field(default=None, **_GEMEENTE)  # type: ignore[arg-type]
    actief: bool | None = Field(
        default=None,
        description="`true` heractiveert een gedeactiveerde ketenpartner; `false` deactiveert (zoals DELETE).",
        examples=[True],
    )

    @field_validator("naam", "categorie", "actief", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # These fields always have a value; null would erase it rather than leave it unchanged.
        if value is None:
            raise ValueError("Mag niet null zijn; laat het veld weg om het ongewijzigd te laten.")
        return value


class KetenpartnerPublic(Schema):
    """Een ketenpartner zoals de API hem teruggeeft."""

    id: uuid.UUID = Field(description="Identificatie van de ketenpartner.", examples=["3c2d9f4e-1a7b-4c8d-9e0f-2b4a6c8e0d13"])
    organisatie_id: uuid.UUID = Field(description="De organisatie op wier sociale kaart de ketenpartner staat.", examples=["5f0c6a52-8d8e-4b7e-a1a4-2f6a3f0e9b10"])
    naam: str = Field(**_NAAM)  # type: ignore[arg-type]
    categorie: str = Field(**_CATEGORIE)  # type: ignore[arg-type]
    gemeentecode: str | None = Field(**_GEMEENTE)  # type: ignore[arg-type]
    actief: bool = Field(description="`false` na deactivering; de ketenpartner blijft bestaan voor de historie.", examples=[True])
    aangemaakt_op: datetime = Field(description="Tijdstip van registratie (UTC).", examples=["2025-03-14T09:30:00Z"])
    gewijzigd_op: datetime = Field(description="Tijdstip van de laatste wijziging (UTC).", examples=["2025-03-14T09:30:00Z"])
