"""Schemas for targets (doelen)."""

import uuid
from datetime import date, datetime

from pydantic import Field

from app.core.schemas import InputSchema, Schema
from app.indicatoren.catalogue import INDICATOREN


# Far above any count, hours or percentage a target can name; refuses `inf` and absurd values with a 400.
MAX_WAARDE = 1_000_000_000


class DoelBase(InputSchema):
    # The service checks both (with Dutch reasons); the document states what it accepts.
    indicator: str = Field(description="Code van de indicator.", examples=["aantal-contactmomenten"],
                           json_schema_extra={"enum": sorted(INDICATOREN)})
    periode: str = Field(description="Jaar, kwartaal of maand: 2026, 2026Q1 of 2026-03.", examples=["2026"],
                         json_schema_extra={"pattern": r"^\d{4}(-?[Qq][1-4]|-\d{2})?$"})
    waarde: float = Field(gt=0, le=MAX_WAARDE, description="Streefwaarde voor de indicator in die periode.", examples=[1200])
    filters: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Optioneel filter waarvoor het doel geldt, met dezelfde namen als bij de waarden.",
        examples=[{"gemeente": ["GM0344"]}],
    )


class DoelCreate(DoelBase):
    pass


class DoelUpdate(InputSchema):
    waarde: float = Field(gt=0, le=MAX_WAARDE, description="Nieuwe streefwaarde.", examples=[1500])


class DoelPublic(Schema):
    id: uuid.UUID = Field(description="Id van het doel.", examples=["5f0c6a43-8f7e-4c51-9b0e-1d2f3a4b5c6d"])
    indicator: str = Field(description="Code van de indicator.", examples=["aantal-contactmomenten"])
    periode: str = Field(description="De periode van het doel.", examples=["2026"])
    vanaf: date = Field(description="Eerste dag van de periode.", examples=["2026-01-01"])
    tot: date = Field(description="Laatste dag van de periode (inclusief).", examples=["2026-12-31"])
    waarde: float = Field(description="Streefwaarde.", examples=[1200])
    filters: dict[str, list[str]] = Field(description="Filter waarvoor het doel geldt.", examples=[{}])
    aangemaakt_op: datetime = Field(description="Tijdstip van aanmaken.")
    gewijzigd_op: datetime = Field(description="Tijdstip van de laatste wijziging.")
