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
    """An evaluation meeting (issue 25 part 4): who took part (roles and counts, no names), findings; its
    decisions are rows of `besluit`."""

    __table_args__ = (Index("ix_evaluatie_organisatie_datum", "organisatie_id", "datum"),)

    id: uuid.UUID = uuid_pk()
    organisatie_id: uuid.UUID = Field(foreign_key="organisatie.id")
    datum: date
    deelnemers: list[Any] = json_list_field()
    bevindingen: str | None = Field(default=None, max_length=8000)
    indicatoren: list[Any] = json_list_field()
    ervaringsverhalen: list[Any] = json_list_field()
    aangemaakt_op: datetime = timestamp_field()
    gewijzigd_op: datetime = timestamp_field()


class EvaluatieDoelstelling(SQLModel, table=True):
    """The goals an evaluation discussed: a table (not JSON) so the list filters on it on both databases."""

    __tablename__ = "evaluatie_doelstelling"

    evaluatie_id: uuid.UUID = Field(foreign_key="evaluatie.id", primary_key=True, ondelete="CASCADE")
    doelstelling_id: uuid.UUID = Field(foreign_key="doelstelling.id", primary_key=True, index=True)


class Besluit(SQLModel, table=True):
    """A decision of an evaluation: a row of its own (not JSON) so `/v1/besluiten` can list, filter and
    change decisions across all evaluations on both databases. `volgorde` keeps the evaluation's order."""

    __table_args__ = (
        Index("ix_besluit_organisatie_status_deadline", "organisatie_id", "status", "deadline"),
        Index("ix_besluit_evaluatie_volgorde", "evaluatie_id", "volgorde"),
    )

    id: uuid.UUID = uuid_pk()
    organisatie_id: uuid.UUID = Field(foreign_key="organisatie.id")
    evaluatie_id: uuid.UUID = Field(foreign_key="evaluatie.id", ondelete="CASCADE")
    volgorde: int
    tekst: str = Field(max_length=1000)
    eigenaar_rol: str = Field(max_length=20)
    deadline: date | None = None
    status: str = Field(max_length=20)
    aangemaakt_op: datetime = timestamp_field()
    gewijzigd_op: datetime = timestamp_field()
