"""Schemas for targets (doelen)."""

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import Field

from app.core.schemas import InputSchema, Schema
from app.indicatoren.catalogue import INDICATOREN

# Far above any count, hours or percentage a target can name; refuses `inf` and absurd values with a 400.
MAX_WAARDE = 1_000_000_000

VERDELING_UITLEG = (
    "Optionele verdeling van het doel over de periode: 12 maandgewichten of 4 kwartaalgewichten bij een jaar, "
    "3 maandgewichten bij een kwartaal; niet negatief, met een som groter dan 0. Alleen de verhouding telt. "
    "Zonder verdeling wordt een doel naar rato van het aantal dagen verdeeld. Aantallen en sommen worden "
    "verdeeld over de kwartalen en maanden van de waarden (`interval=kwartaal|maand`); een percentage of "
    "mediaan geldt in elk deel; een aantal unieke inwoners of sleutelpersonen wordt niet verdeeld."
)
FILTERS_UITLEG = (
    "Optioneel filter waarvoor het doel geldt, met dezelfde namen als bij de waarden. Een doel voor één groep "
    "(één gemeente, hoofdonderwerp, sleutelpersoon, ...) is een filter met één waarde: het staat naast die rij "
    "als de waarden op die dimensie gegroepeerd zijn, en naast het totaal als op die waarde gefilterd wordt. "
    "Een doel zonder filter geldt voor de hele organisatie en staat alleen bij het totaal."
)
GEDEELD_UITLEG = (
    "Gedeeld met de regionale sleutels van de gemeenten waar het doel over gaat: de gemeenten in het filter, "
    "anders die van de organisatie. Niet gedeelde doelen blijven binnen de organisatie."
)


# A weight only relates to the others; the service checks the rest (non-negative, length, sum) in its one pass.
Gewicht = Annotated[float, Field(le=MAX_WAARDE)]


class DoelBase(InputSchema):
    # The service checks both (with Dutch reasons); the document states what it accepts.
    indicator: str = Field(description="Code van de indicator: uit de catalogus (" + ", ".join(
                               f"`{c}`" for c in sorted(INDICATOREN)) + ") of een eigen indicator (`eigen.…`).",
                           examples=["aantal-contactmomenten"], max_length=80,
                           json_schema_extra={"pattern": r"^([a-z0-9-]+|eigen\.[a-z0-9-]+)$"})
    periode: str = Field(description="Jaar, kwartaal of maand: 2026, 2026Q1 of 2026-03.", examples=["2026"],
                         json_schema_extra={"pattern": r"^\d{4}(-?[Qq][1-4]|-\d{2})?$"})
    waarde: float = Field(gt=0, le=MAX_WAARDE, description="Streefwaarde voor de indicator in die periode.", examples=[1200])
    filters: dict[str, list[str]] = Field(default_factory=dict, description=FILTERS_UITLEG, examples=[{"gemeente": ["GM0344"]}])
    verdeling: list[Gewicht] | None = Field(default=None, max_length=12, description=VERDELING_UITLEG,
                                          examples=[[1, 1, 1, 1, 1, 1, 0.5, 0.5, 1, 1, 1, 1]])
    gedeeld: bool = Field(default=False, description=GEDEELD_UITLEG, examples=[True])


class DoelCreate(DoelBase):
    pass


class DoelUpdate(InputSchema):
    waarde: float | None = Field(default=None, gt=0, le=MAX_WAARDE, description="Nieuwe streefwaarde.", examples=[1500])
    verdeling: list[Gewicht] | None = Field(default=None, max_length=12,
                                            description="Nieuwe verdeling; `null` verdeelt weer naar rato van de dagen.",
                                          examples=[[1, 1, 1, 2]])
    gedeeld: bool | None = Field(default=None, description=GEDEELD_UITLEG, examples=[True])


class OrganisatieNaam(Schema):
    id: uuid.UUID = Field(description="Id van de organisatie.", examples=["2b1f0c8e-4d5a-4e7b-9c3d-0a1b2c3d4e5f"])
    naam: str = Field(description="Naam van de organisatie.", examples=["Stichting Samen Gezond"])


class DoelPublic(Schema):
    id: uuid.UUID = Field(description="Id van het doel.", examples=["5f0c6a43-8f7e-4c51-9b0e-1d2f3a4b5c6d"])
    organisatie: OrganisatieNaam = Field(description="De organisatie die het doel stelde.")
    indicator: str = Field(description="Code van de indicator.", examples=["aantal-contactmomenten"])
    periode: str = Field(description="De periode van het doel.", examples=["2026"])
    vanaf: date = Field(description="Eerste dag van de periode.", examples=["2026-01-01"])
    tot: date = Field(description="Laatste dag van de periode (inclusief).", examples=["2026-12-31"])
    waarde: float = Field(description="Streefwaarde.", examples=[1200])
    filters: dict[str, list[str]] = Field(description="Filter waarvoor het doel geldt.", examples=[{}])
    verdeling: list[float] | None = Field(description="Gewichten per maand of kwartaal; leeg: naar rato van de dagen.",
                                          examples=[None])
    gedeeld: bool = Field(description="Gedeeld met de regionale sleutels van de gemeenten van het doel.", examples=[False])
    aangemaakt_op: datetime = Field(description="Tijdstip van aanmaken.")
    gewijzigd_op: datetime = Field(description="Tijdstip van de laatste wijziging.")
