import uuid
from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from app.models.base import UtcDateTime, record_key_field, timestamp_field, uuid_pk

# The live rows of a child table: its contact is not (soft) deleted.
LEVEND = text("contact_verwijderd_op IS NULL")


class Contactmoment(SQLModel, table=True):
    """One contact: a key person helps one resident, or runs a group session."""

    __table_args__ = (
        UniqueConstraint("organisatie_id", "extern_id"),
        # Covering indexes for indicators and lists: an organisation's or a gemeente's live records
        # in a period are read from the index alone (docs/performance.md).
        Index("ix_contactmoment_organisatie_periode", "organisatie_id", "datum", "verwijderd_op", "gemeentecode", "id"),
        # Regional figures also sum the record keys (cell key perturbation) and count the key persons
        # (contributor rule): both are in the index too.
        Index("ix_contactmoment_gemeente_periode", "gemeentecode", "datum", "verwijderd_op", "id", "record_key",
              "sleutelpersoon_id"),
        Index("ix_contactmoment_organisatie_gewijzigd", "organisatie_id", "gewijzigd_op"),
        # An organisation's reach (distinct residents) per key person, from the index alone (migration 0032).
        Index("ix_contactmoment_organisatie_bereik", "organisatie_id", "datum", "soort", "sleutelpersoon_id",
              "inwoner_hash", "verwijderd_op", postgresql_where=text("verwijderd_op IS NULL"), sqlite_where=text("verwijderd_op IS NULL")),
    )

    id: uuid.UUID = uuid_pk()
    organisatie_id: uuid.UUID = Field(foreign_key="organisatie.id")
    extern_id: str | None = Field(default=None, max_length=100)
    sleutelpersoon_id: uuid.UUID = Field(foreign_key="sleutelpersoon.id", index=True)
    datum: date
    gemeentecode: str = Field(max_length=6)
    wijkcode: str | None = Field(default=None, max_length=8)
    kanaal: str = Field(max_length=40)
    soort: str = Field(max_length=20)
    aantal_deelnemers: int = 1
    # HMAC-SHA256 of the partner app's client id under a per-organisation key; never the id itself.
    inwoner_hash: str | None = Field(default=None, max_length=64, index=True)
    leeftijdscategorie: str | None = Field(default=None, max_length=20)
    geslacht: str | None = Field(default=None, max_length=20)
    taal: str | None = Field(default=None, max_length=3)
    doelgroep: str | None = Field(default=None, max_length=40)
    rol: str | None = Field(default=None, max_length=40)
    duur_minuten: int | None = None
    # The funding stream the record is charged to (issue 26): a project of the same organisation.
    project_id: uuid.UUID | None = Field(default=None, foreign_key="project.id", index=True)
    # Fingerprint of the submitted content, to tell a safe retry from a conflicting re-use of externId.
    inhoud_hash: str = Field(max_length=64)
    record_key: int | None = record_key_field()
    aangemaakt_op: datetime = timestamp_field()
    gewijzigd_op: datetime = timestamp_field()
    verwijderd_op: datetime | None = Field(default=None, sa_type=UtcDateTime)


class ContactmomentOnderwerp(SQLModel, table=True):
    __tablename__ = "contactmoment_onderwerp"
    # Help questions of a region's contacts, with their record keys, read from the index alone.
    __table_args__ = (
        Index("ix_contactmoment_onderwerp_sleutel", "contactmoment_id", "onderwerp", "record_key"),
        # Regional, national and an organisation's own help-question figures read the live topic rows of a
        # period from one of these alone, without the contactmoment (migration 0032, docs/performance.md).
        Index("ix_contactmoment_onderwerp_gemeente_periode", "contact_gemeentecode", "contact_datum", "onderwerp",
              "record_key", "contact_sleutelpersoon_id", "contact_verwijderd_op", postgresql_where=LEVEND, sqlite_where=LEVEND),
        Index("ix_contactmoment_onderwerp_periode", "contact_datum", "onderwerp", "record_key",
              "contact_sleutelpersoon_id", "contact_verwijderd_op", postgresql_where=LEVEND, sqlite_where=LEVEND),
        Index("ix_contactmoment_onderwerp_organisatie_periode", "contact_organisatie_id", "contact_datum", "onderwerp",
              "record_key", "contact_sleutelpersoon_id", "contact_verwijderd_op", postgresql_where=LEVEND, sqlite_where=LEVEND),
    )

    contactmoment_id: uuid.UUID = Field(
        foreign_key="contactmoment.id", primary_key=True, ondelete="CASCADE"
    )
    onderwerp: str = Field(primary_key=True, max_length=80, index=True)
    record_key: int | None = record_key_field()
    # Copies of the contact's columns, kept equal by database triggers in the same statement (migration 0032;
    # app/contactmomenten/afgeleid.py). Left None by a writer, they are filled from the contact.
    contact_datum: date | None = None
    contact_gemeentecode: str | None = Field(default=None, max_length=6)
    contact_organisatie_id: uuid.UUID | None = None
    contact_sleutelpersoon_id: uuid.UUID | None = None
    contact_verwijderd_op: datetime | None = Field(default=None, sa_type=UtcDateTime)


class ContactmomentActie(SQLModel, table=True):
    __tablename__ = "contactmoment_actie"

    contactmoment_id: uuid.UUID = Field(
        foreign_key="contactmoment.id", primary_key=True, ondelete="CASCADE"
    )
    actie: str = Field(primary_key=True, max_length=80, index=True)
    record_key: int | None = record_key_field()
