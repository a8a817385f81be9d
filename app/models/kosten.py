import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, Index
from sqlmodel import Field, SQLModel

from app.models.base import UtcDateTime, record_key_field, timestamp_field, uuid_pk


class Kosten(SQLModel, table=True):
    """One cost or allowance of an organisation (issue 26, part 5), optionally of a key person and a project.

    `bedrag_centen` holds the amount in whole cents: SQLite has no decimal type, so sums over an
    integer column are the only sums that are exact on both databases. `per_maand` marks a cost
    recorded for a month (`periode`); its `datum` is then the first day of that month.
    `gemeentecode` is where the cost counts in regional figures: the key person's gemeente, else the
    project's financing gemeente, unless the client names another.
    """

    __tablename__ = "kosten"
    __table_args__ = (
        Index("ix_kosten_organisatie_datum", "organisatie_id", "datum"),
        Index("ix_kosten_gemeente_datum", "gemeentecode", "datum", "verwijderd_op"),
    )

    id: uuid.UUID = uuid_pk()
    organisatie_id: uuid.UUID = Field(foreign_key="organisatie.id")
    soort: str = Field(max_length=40)
    bedrag_centen: int = Field(sa_type=BigInteger)
    datum: date
    per_maand: bool = False
    sleutelpersoon_id: uuid.UUID | None = Field(default=None, foreign_key="sleutelpersoon.id", index=True)
    project_id: uuid.UUID | None = Field(default=None, foreign_key="project.id", index=True)
    gemeentecode: str | None = Field(default=None, max_length=6)
    omschrijving: str | None = Field(default=None, max_length=500)
    record_key: int | None = record_key_field()
    aangemaakt_op: datetime = timestamp_field()
    gewijzigd_op: datetime = timestamp_field()
    verwijderd_op: datetime | None = Field(default=None, sa_type=UtcDateTime)
