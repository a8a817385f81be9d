import uuid
from datetime import date, datetime

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import UtcDateTime, json_list_field, timestamp_field, uuid_pk


class Rapportageritme(SQLModel, table=True):
    """A region's reporting rhythm for its gemeenten: month or quarter, a deadline, the organisations expected."""

    id: uuid.UUID = uuid_pk()
    naam: str = Field(max_length=200)
    ritme: str = Field(max_length=10)  # maand | kwartaal
    gemeentecodes: list[str] = json_list_field()
    termijn_dagen: int  # the deadline: this many days after the period's last day
    vanaf: date  # the first period is the one that contains this date
    api_sleutel_id: uuid.UUID | None = None  # who declared it
    aangemaakt_op: datetime = timestamp_field()
    gewijzigd_op: datetime = timestamp_field()


class RapportageritmeOrganisatie(SQLModel, table=True):
    """An organisation expected to report under a rhythm."""

    __tablename__ = "rapportageritme_organisatie"

    ritme_id: uuid.UUID = Field(foreign_key="rapportageritme.id", primary_key=True)
    organisatie_id: uuid.UUID = Field(foreign_key="organisatie.id", primary_key=True, index=True)


class Rapportagestatus(SQLModel, table=True):
    """The status of one (rhythm, organisation, period); no row means `open`.

    The lock check reads (organisatie_id, status, begin) through one index: one query per write request.
    """

    __table_args__ = (
        UniqueConstraint("ritme_id", "organisatie_id", "periode"),
        Index("ix_rapportagestatus_slot", "organisatie_id", "status", "begin"),
    )

    id: uuid.UUID = uuid_pk()
    ritme_id: uuid.UUID = Field(foreign_key="rapportageritme.id")
    organisatie_id: uuid.UUID = Field(foreign_key="organisatie.id")
    periode: str = Field(max_length=7)  # 2026Q1 or 2026-03
    begin: date
    eind: date  # exclusive: the first day after the period
    status: str = Field(max_length=20)  # open, ingediend, goedgekeurd, teruggestuurd, heropend
    eerst_ingediend_op: datetime | None = Field(default=None, sa_type=UtcDateTime)  # for timeliness
    ingediend_op: datetime | None = Field(default=None, sa_type=UtcDateTime)
    goedgekeurd_op: datetime | None = Field(default=None, sa_type=UtcDateTime)
    bericht: str | None = Field(default=None, sa_type=Text)  # the region's message when sent back
    reden: str | None = Field(default=None, sa_type=Text)  # the region's reason when reopened
    gewijzigd_op: datetime = timestamp_field()


class RapportageHistorie(SQLModel, table=True):
    """One step in a period's history: who did what, when (and the message or reason)."""

    __tablename__ = "rapportage_historie"

    id: uuid.UUID = uuid_pk()
    status_id: uuid.UUID = Field(foreign_key="rapportagestatus.id", index=True)
    tijdstip: datetime = timestamp_field()
    actie: str = Field(max_length=40)  # ingediend, goedgekeurd, teruggestuurd, heropend, gewijzigd-na-goedkeuring
    status: str = Field(max_length=20)  # the status after this step
    api_sleutel_id: uuid.UUID | None = None
    toelichting: str | None = Field(default=None, sa_type=Text)
    aantal: int | None = None  # for a change of approved figures: the records it touched
