"""API schemas for organisations (tenants)."""

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import Field, field_validator

from app.core.schemas import InputSchema, Schema
from app.core.validation import Gemeentecode

Naam = Annotated[
    str,
    Field(min_length=1, max_length=200, description="Naam van de organisatie.", examples=["GGD Regio Utrecht"]),
]
Soort = Annotated[
    str,
    Field(
        min_length=1,
        max_length=40,
        description="Soort organisatie, uit codelijst `organisatie-soort` (ggd, gemeente, "
        "welzijnsorganisatie, zorgorganisatie, migrantenorganisatie, onderwijs, overig).",
        examples=["ggd"],
    ),
]
Gemeentecodes = Annotated[
    list[Gemeentecode],
    Field(
        min_length=1,
        description="De gemeenten waarin de organisatie werkt; minstens een.",
        examples=[["GM0344", "GM0340"]],
    ),
]


def _unique(codes: list[str]) -> list[str]:
    """Drop repeated codes, keep the order the client gave."""
    return list(dict.fromkeys(codes))


class OrganisatieBase(Schema):
    naam: Naam
    soort: Soort
    gemeentecodes: Gemeentecodes


class OrganisatieCreate(OrganisatieBase, InputSchema):
    """Een nieuwe organisatie."""

    @field_validator("gemeentecodes")
    @classmethod
    def _dedupe(cls, value: list[str]) -> list[str]:
        return _unique(value)


class OrganisatieUpdate(InputSchema):
    """Wijziging van een organisatie; alleen meegestuurde velden worden aangepast."""

    naam: Naam | None = None
    soort: Soort | None = None
    gemeentecodes: Gemeentecodes | None = None

    @field_validator("naam", "soort", "gemeentecodes")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # Only runs for fields the client sent: an explicit null would clear a required column.
        if value is None:
            raise ValueError("Mag niet leeg (null) zijn; laat het veld weg om het niet te wijzigen.")
        return _unique(value) if isinstance(value, list) else value


class OrganisatiePublic(OrganisatieBase):
    """Een organisatie (tenant) die sleutelpersonen inzet."""

    id: uuid.UUID = Field(description="Identificatie van de organisatie.", examples=["0b6e8a4e-2f6c-4d8e-9a51-3f7c2d1e9b10"])
    actief: bool = Field(description="`false` nadat de organisatie is gedeactiveerd; haar sleutels werken dan niet meer.", examples=[True])
    aangemaakt_op: datetime = Field(description="Moment van aanmaken.", examples=["2025-03-14T09:30:00Z"])
    gewijzigd_op: datetime = Field(description="Moment van de laatste wijziging.", examples=["2025-03-14T09:30:00Z"])
    gedeactiveerd_op: datetime | None = Field(
        default=None, description="Moment van deactiveren; leeg zolang de organisatie actief is.", examples=[None]
    )
