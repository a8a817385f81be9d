import uuid
from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from app.models.base import record_key_field, timestamp_field, uuid_pk


class Ervaringsverhaal(SQLModel, table=True):
    """A qualitative experience story (handreiking chapter 7), with consent when a resident tells it."""

    __table_args__ = (
        Index("ix_ervaringsverhaal_organisatie_datum", "organisatie_id", "datum"),
        # Shared stories of a region, for regional reporting keys.
        Index("ix_ervaringsverhaal_gemeente_gedeeld", "gemeentecode", "gedeeld", "datum"),
    )

    id: uuid.UUID = uuid_pk()
    organisatie_id: uuid.UUID = Field(foreign_key="organisatie.id")
    sleutelpersoon_id: uuid.UUID | None = Field(default=None, foreign_key="sleutelpersoon.id", index=True)
    datum: date
    gemeentecode: str = Field(max_length=6)
    wijkcode: str | None = Field(default=None, max_length=8)
    bron: str = Field(max_length=20)
    titel: str = Field(max_length=200)
    verhaal: str = Field(max_length=8000)
    citaat: str | None = Field(default=None, max_length=300)
    toestemming_gegeven: bool | None = None
    toestemming_datum: date | None = None
    toestemming_vorm: str | None = Field(default=None, max_length=20)
    gedeeld: bool = False
    record_key: int | None = record_key_field()
    aangemaakt_op: datetime = timestamp_field()
    gewijzigd_op: datetime = timestamp_field()


class ErvaringsverhaalOnderwerp(SQLModel, table=True):
    __tablename__ = "ervaringsverhaal_onderwerp"

    ervaringsverhaal_id: uuid.UUID = Field(foreign_key="ervaringsverhaal.id", primary_key=True, ondelete="CASCADE")
    onderwerp: str = Field(primary_key=True, max_length=80, index=True)
    record_key: int | None = record_key_field()


class ErvaringsverhaalEffect(SQLModel, table=True):
    __tablename__ = "ervaringsverhaal_effect"

    ervaringsverhaal_id: uuid.UUID = Field(foreign_key="ervaringsverhaal.id", primary_key=True, ondelete="CASCADE")
    effect: str = Field(primary_key=True, max_length=40, index=True)
    record_key: int | None = record_key_field()
