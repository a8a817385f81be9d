import uuid
from datetime import datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import timestamp_field, uuid_pk


class Maandafspraak(SQLModel, table=True):
    """What a coordinator and a key person agreed in their monthly talk (the maandoverzicht's "Afspraken").

    Free text, checked by the personal-data guard like every other; one per key person and month.
    """

    __table_args__ = (UniqueConstraint("sleutelpersoon_id", "maand"),)

    id: uuid.UUID = uuid_pk()
    organisatie_id: uuid.UUID = Field(foreign_key="organisatie.id", index=True)
    sleutelpersoon_id: uuid.UUID = Field(foreign_key="sleutelpersoon.id")
    maand: str = Field(max_length=7)  # JJJJ-MM
    tekst: str = Field(sa_type=Text)
    api_sleutel_id: uuid.UUID | None = None  # who wrote it last
    gewijzigd_op: datetime = timestamp_field()
