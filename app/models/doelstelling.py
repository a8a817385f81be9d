import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import UtcDateTime, json_list_field, timestamp_field, uuid_pk


class Doelstelling(SQLModel, table=True):
    """A goal of the organisation (handreiking chapter 7: needs analysis, goals, then indicators; issue 25 part 1).

    Lists (intended ketenpartners, indicator codes) are JSON: they are read whole with the goal and never
    filtered on. Soft-deleted (`verwijderd_op`), because evaluations keep referring to the goals they discussed.
    """

    __table_args__ = (
        UniqueConstraint("organisatie_id", "extern_id"),
        Index("ix_doelstelling_organisatie_vanaf", "organisatie_id", "vanaf"),
    )

    id: uuid.UUID = uuid_pk()
    organisatie_id: uuid.UUID = Field(foreign_key="organisatie.id")
    extern_id: str | None = Field(default=None, max_length=100)
    titel: str = Field(max_length=200)
    omschrijving: str | None = Field(default=None, max_length=4000)
    behoefteanalyse_datum: date | None = None
    behoefteanalyse_tekst: str | None = Field(default=None, max_length=4000)
    beoogde_ketenpartners: list[Any] = json_list_field()
    vanaf: date
    tot: date | None = None
    status: str = Field(max_length=20)
    indicatoren: list[Any] = json_list_field()
    # Fingerprint of the submitted content, to tell a safe retry from a conflicting re-use of externId.
    inhoud_hash: str = Field(max_length=64)
    aangemaakt_op: datetime = timestamp_field()
    gewijzigd_op: datetime = timestamp_field()
    verwijderd_op: datetime | None = Field(default=None, sa_type=UtcDateTime)


class Evaluatie(SQLModel, table=True):
    """An evaluation meeting (issue 25 part 4): who took part (roles and counts, no names), findings, decisions."""

    __table_args__ = (Index("ix_evaluatie_organisatie_datum", "organisatie_id", "datum"),)

    id: uuid.UUID = uuid_pk()
    organisatie_id: uuid.UUID = Field(foreign_key="organisatie.id")
    datum: date
    deelnemers: list[Any] = json_list_field()
    bevindingen: str | None = Field(default=None, max_length=8000)
    besluiten: list[Any] = json_list_field()
    indicatoren: list[Any] = json_list_field()
    ervaringsverhalen: list[Any] = json_list_field()
    aangemaakt_op: datetime = timestamp_field()
    gewijzigd_op: datetime = timestamp_field()


class EvaluatieDoelstelling(SQLModel, table=True):
    """The goals an evaluation discussed: a table (not JSON) so the list filters on it on both databases."""

    __tablename__ = "evaluatie_doelstelling"

    evaluatie_id: uuid.UUID = Field(foreign_key="evaluatie.id", primary_key=True, ondelete="CASCADE")
    doelstelling_id: uuid.UUID = Field(foreign_key="doelstelling.id", primary_key=True, index=True)
