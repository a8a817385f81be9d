"""API schemas for outcomes (uitkomsten) of a contactmoment or of one of its referrals."""

import uuid
from datetime import date, datetime

from pydantic import Field

from app.core.schemas import GeenBsn, InputSchema, Schema
from app.core.validation import DatumNietInToekomst


class UitkomstBase(Schema):
    resultaat: str = Field(
        max_length=20,
        description="Code uit codelijst `resultaat`: opgelost, deels-opgelost, lopend, doorverwezen, niet-opgelost of onbekend.",
        examples=["opgelost"],
    )


class UitkomstEmbedded(GeenBsn, UitkomstBase):
    """The outcome as posted inside a new contactmoment; its date is the contactmoment's date."""

    model_config = InputSchema.model_config


class UitkomstCreate(GeenBsn, UitkomstBase):
    model_config = InputSchema.model_config

    contactmoment_id: uuid.UUID = Field(
        description="Id van het contactmoment (van de eigen organisatie) waarvan dit de uitkomst is.",
        examples=["3fa85f64-5717-4562-b3fc-2c963f66afa6"],
    )
    doorverwijzing_id: uuid.UUID | None = Field(
        default=None,
        description="Id van een doorverwijzing van dat contactmoment, als de uitkomst daarover gaat.",
        examples=["0b9d3c1e-2f4a-4e5b-8c6d-7e8f9a0b1c2d"],
    )
    datum: DatumNietInToekomst | None = Field(
        default=None,
        description="Datum waarop de uitkomst bekend werd; standaard vandaag. Niet in de toekomst en niet vóór de datum van het contactmoment.",
        examples=["2025-04-02"],
    )


class UitkomstPublic(UitkomstBase):
    id: uuid.UUID = Field(
        description="Id van de uitkomst.", examples=["9c8b7a6f-5e4d-4c3b-a2f1-0e9d8c7b6a5f"]
    )
    contactmoment_id: uuid.UUID = Field(
        description="Id van het contactmoment.", examples=["3fa85f64-5717-4562-b3fc-2c963f66afa6"]
    )
    doorverwijzing_id: uuid.UUID | None = Field(
        description="Id van de doorverwijzing waarover de uitkomst gaat, of null.",
        examples=["0b9d3c1e-2f4a-4e5b-8c6d-7e8f9a0b1c2d"],
    )
    datum: date = Field(
        description="Datum waarop de uitkomst bekend werd.", examples=["2025-04-02"]
    )
    aangemaakt_op: datetime = Field(
        description="Tijdstip van vastleggen.", examples=["2025-04-02T14:00:00Z"]
    )
