import uuid
from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import UtcDateTime, record_key_field, timestamp_field, uuid_pk


class Inzet(SQLModel, table=True):
    """Hours a key person worked on one day, of one kind (issue 23, part 7).

    Stored in whole minutes (the API speaks hours in quarter hours), so sums are exact integers on
    both databases. `gemeentecode` is where the hours count in regional figures: the key person's
    gemeente when the hours were recorded, unless the client names another.
    """

    __table_args__ = (
        UniqueConstraint("organisatie_id", "extern_id"),
        # The day total (at most 24 hours per key person per day) and the key person's own lists.
        Index("ix_inzet_sleutelpersoon_datum", "sleutelpersoon_id", "datum"),
        Index("ix_inzet_organisatie_datum", "organisatie_id", "datum"),
        # Regional indicator reads: by gemeente and period, with what the cells need.
        Index("ix_inzet_gemeente_datum", "gemeentecode", "datum", "verwijderd_op", "soort", "minuten",
              "sleutelpersoon_id", "record_key"),
    )

    id: uuid.UUID = uuid_pk()
    organisatie_id: uuid.UUID = Field(foreign_key="organisatie.id")
    extern_id: str | None = Field(default=None, max_length=100)
    sleutelpersoon_id: uuid.UUID = Field(foreign_key="sleutelpersoon.id")
    datum: date
    minuten: int
    soort: str = Field(max_length=40)
    gemeentecode: str | None = Field(default=None, max_length=6)
    toelichting: str | None = Field(default=None, max_length=500)
    # The funding stream the record is charged to (issue 26): a project of the same organisation.
    project_id: uuid.UUID | None = Field(default=None, foreign_key="project.id", index=True)
    # Fingerprint of the submitted content, to tell a safe retry from a conflicting re-use of externId.
    inhoud_hash: str = Field(max_length=64)
    record_key: int | None = record_key_field()
    aangemaakt_op: datetime = timestamp_field()
    gewijzigd_op: datetime = timestamp_field()
    verwijderd_op: datetime | None = Field(default=None, sa_type=UtcDateTime)
