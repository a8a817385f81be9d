"""Supporting key persons (issue 26, parts 2-4): training and intervision, development plans,
conversations, and employment as dated periods."""

import uuid
from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from app.models.base import UtcDateTime, timestamp_field, uuid_pk


class Deskundigheidsbevordering(SQLModel, table=True):
    """One training, intervision meeting, coaching session or congress, with its participants.

    Hours are stored in whole minutes (the API speaks quarter hours), so sums are exact on both
    databases. Every participant is credited with the full hours of the session.
    """

    __tablename__ = "deskundigheidsbevordering"
    __table_args__ = (Index("ix_deskundigheidsbevordering_organisatie_datum", "organisatie_id", "datum"),)

    id: uuid.UUID = uuid_pk()
    organisatie_id: uuid.UUID = Field(foreign_key="organisatie.id")
    soort: str = Field(max_length=40)
    titel: str = Field(max_length=200)
    datum: date
    minuten: int
    aanbieder: str | None = Field(default=None, max_length=200)
    certificaat_datum: date | None = None
    aangemaakt_op: datetime = timestamp_field()
    gewijzigd_op: datetime = timestamp_field()
    verwijderd_op: datetime | None = Field(default=None, sa_type=UtcDateTime)


class DeskundigheidDeelnemer(SQLModel, table=True):
    """A key person who took part in a training or intervision meeting."""

    __tablename__ = "deskundigheid_deelnemer"

    deskundigheidsbevordering_id: uuid.UUID = Field(
        foreign_key="deskundigheidsbevordering.id", primary_key=True, ondelete="CASCADE"
    )
    sleutelpersoon_id: uuid.UUID = Field(foreign_key="sleutelpersoon.id", primary_key=True, index=True)


class Ontwikkeldoel(SQLModel, table=True):
    """One goal of a key person's personal development plan (handreiking 6.2)."""

    __table_args__ = (Index("ix_ontwikkeldoel_sleutelpersoon_datum", "sleutelpersoon_id", "datum"),)

    id: uuid.UUID = uuid_pk()
    organisatie_id: uuid.UUID = Field(foreign_key="organisatie.id", index=True)
    sleutelpersoon_id: uuid.UUID = Field(foreign_key="sleutelpersoon.id")
    omschrijving: str = Field(max_length=1000)
    datum: date
    streefdatum: date | None = None
    status: str = Field(max_length=20)
    aangemaakt_op: datetime = timestamp_field()
    gewijzigd_op: datetime = timestamp_field()
    verwijderd_op: datetime | None = Field(default=None, sa_type=UtcDateTime)


class Gesprek(SQLModel, table=True):
    """A dated conversation with a key person (progress, appraisal, exit) and the actions agreed."""

    __table_args__ = (Index("ix_gesprek_sleutelpersoon_datum", "sleutelpersoon_id", "datum"),)

    id: uuid.UUID = uuid_pk()
    organisatie_id: uuid.UUID = Field(foreign_key="organisatie.id", index=True)
    sleutelpersoon_id: uuid.UUID = Field(foreign_key="sleutelpersoon.id")
    datum: date
    soort: str = Field(max_length=20)
    afspraken: str | None = Field(default=None, max_length=2000)
    aangemaakt_op: datetime = timestamp_field()
    gewijzigd_op: datetime = timestamp_field()
    verwijderd_op: datetime | None = Field(default=None, sa_type=UtcDateTime)


class Dienstverband(SQLModel, table=True):
    """One period of employment of a key person (volunteer, on call, part-time, ...).

    `tot` is the last day (inclusive) and never in the future; the open period (`tot` null) is the
    current one, and its `soort` is kept on `sleutelpersoon.dienstverband` for the API's old field.
    `uitstroom_reden` says why the key person left, on the last period only.
    """

    __table_args__ = (Index("ix_dienstverband_sleutelpersoon_vanaf", "sleutelpersoon_id", "vanaf"),)

    id: uuid.UUID = uuid_pk()
    organisatie_id: uuid.UUID = Field(foreign_key="organisatie.id", index=True)
    sleutelpersoon_id: uuid.UUID = Field(foreign_key="sleutelpersoon.id")
    soort: str = Field(max_length=20)
    vanaf: date
    tot: date | None = None
    uitstroom_reden: str | None = Field(default=None, max_length=20)
    aangemaakt_op: datetime = timestamp_field()
    gewijzigd_op: datetime = timestamp_field()
