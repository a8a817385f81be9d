import uuid
from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import UtcDateTime, record_key_field, timestamp_field, uuid_pk


class ProfessioneelContact(SQLModel, table=True):
    """A key person's contact with professionals: advice asked, a case meeting, a talk (issue 25, part 5).

    Who asked is a ketenpartner of the organisation, a gemeente or the GGD (`aangevraagd_door_*`).
    An `adviesvraag` has an answer loop like a signal: `status` gevraagd -> gegeven -> teruggekoppeld,
    with the asking party's `terugkoppeling` (what was done with the advice). Other kinds have no
    status. `gemeentecode` is where the contact counts in regional figures: the key person's gemeente
    when it was recorded, unless the client names another.
    """

    __tablename__ = "professioneel_contact"
    __table_args__ = (
        UniqueConstraint("organisatie_id", "extern_id"),
        Index("ix_professioneel_contact_sleutelpersoon_datum", "sleutelpersoon_id", "datum"),
        Index("ix_professioneel_contact_organisatie_datum", "organisatie_id", "datum"),
        # Regional indicator reads: by gemeente and period.
        Index("ix_professioneel_contact_gemeente_datum", "gemeentecode", "datum", "verwijderd_op"),
    )

    id: uuid.UUID = uuid_pk()
    organisatie_id: uuid.UUID = Field(foreign_key="organisatie.id")
    extern_id: str | None = Field(default=None, max_length=100)
    sleutelpersoon_id: uuid.UUID = Field(foreign_key="sleutelpersoon.id")
    datum: date
    soort: str = Field(max_length=40)
    aangevraagd_door_soort: str = Field(max_length=20)  # ketenpartner | gemeente | ggd
    aangevraagd_door_ketenpartner_id: uuid.UUID | None = Field(default=None, foreign_key="ketenpartner.id")
    aangevraagd_door_gemeentecode: str | None = Field(default=None, max_length=6)
    aantal_professionals: int
    duur_minuten: int | None = None
    gemeentecode: str | None = Field(default=None, max_length=6)
    status: str | None = Field(default=None, max_length=20)  # adviesvraag only
    terugkoppeling_tekst: str | None = Field(default=None, max_length=4000)
    terugkoppeling_datum: date | None = None
    # The funding stream the record is charged to (issue 26): a project of the same organisation.
    project_id: uuid.UUID | None = Field(default=None, foreign_key="project.id", index=True)
    # Fingerprint of the submitted content, to tell a safe retry from a conflicting re-use of externId.
    inhoud_hash: str = Field(max_length=64)
    record_key: int | None = record_key_field()
    aangemaakt_op: datetime = timestamp_field()
    gewijzigd_op: datetime = timestamp_field()
    verwijderd_op: datetime | None = Field(default=None, sa_type=UtcDateTime)


class ProfessioneelContactOnderwerp(SQLModel, table=True):
    __tablename__ = "professioneel_contact_onderwerp"

    professioneel_contact_id: uuid.UUID = Field(foreign_key="professioneel_contact.id", primary_key=True, ondelete="CASCADE")
    onderwerp: str = Field(primary_key=True, max_length=80, index=True)
    record_key: int | None = record_key_field()
