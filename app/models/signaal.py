import uuid
from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import UtcDateTime, record_key_field, timestamp_field, uuid_pk


class Signaal(SQLModel, table=True):
    """A signal from the community to policy makers or a ketenpartner, with its status and feedback."""

    __table_args__ = (
        UniqueConstraint("organisatie_id", "extern_id"),
        # The regional inbox: live signals addressed to a gemeente (or the GGD for it).
        Index("ix_signaal_gericht_aan", "gericht_aan_gemeentecode", "gericht_aan_soort", "verwijderd_op"),
        Index("ix_signaal_organisatie_datum", "organisatie_id", "datum"),
    )

    id: uuid.UUID = uuid_pk()
    organisatie_id: uuid.UUID = Field(foreign_key="organisatie.id")
    extern_id: str | None = Field(default=None, max_length=100)
    sleutelpersoon_id: uuid.UUID | None = Field(default=None, foreign_key="sleutelpersoon.id", index=True)
    datum: date
    gemeentecode: str = Field(max_length=6)
    wijkcode: str | None = Field(default=None, max_length=8)
    doelgroep: str | None = Field(default=None, max_length=40)
    taal: str | None = Field(default=None, max_length=3)
    titel: str = Field(max_length=200)
    omschrijving: str = Field(max_length=4000)
    hoe_vaak_gehoord: int | None = None
    urgentie: str = Field(max_length=10)
    gericht_aan_soort: str = Field(max_length=20)
    gericht_aan_gemeentecode: str | None = Field(default=None, max_length=6)
    gericht_aan_ketenpartner_id: uuid.UUID | None = Field(default=None, foreign_key="ketenpartner.id")
    status: str = Field(max_length=20)
    status_datum: date
    terugkoppeling_tekst: str | None = Field(default=None, max_length=4000)
    terugkoppeling_datum: date | None = None
    # Fingerprint of the submitted content, to tell a safe retry from a conflicting re-use of externId.
    inhoud_hash: str = Field(max_length=64)
    record_key: int | None = record_key_field()
    aangemaakt_op: datetime = timestamp_field()
    gewijzigd_op: datetime = timestamp_field()
    verwijderd_op: datetime | None = Field(default=None, sa_type=UtcDateTime)


class SignaalOnderwerp(SQLModel, table=True):
    __tablename__ = "signaal_onderwerp"

    signaal_id: uuid.UUID = Field(foreign_key="signaal.id", primary_key=True, ondelete="CASCADE")
    onderwerp: str = Field(primary_key=True, max_length=80, index=True)
    record_key: int | None = record_key_field()


class SignaalStatus(SQLModel, table=True):
    """History: one row per status a signal has had."""

    __tablename__ = "signaal_status"

    id: int | None = Field(default=None, primary_key=True)
    signaal_id: uuid.UUID = Field(foreign_key="signaal.id", index=True, ondelete="CASCADE")
    status: str = Field(max_length=20)
    status_datum: date
    vastgelegd_op: datetime = timestamp_field()
    api_sleutel_id: uuid.UUID | None = None
    record_key: int | None = record_key_field()


class SignaalBericht(SQLModel, table=True):
    """One dated message in a signal's conversation: from the receiver (adviser) or the giving organisation.

    Messages are never changed or overwritten. The signal's `terugkoppeling_*` columns mirror the
    receiver's latest message (the API's `terugkoppeling`), kept in step by the service that adds one.
    """

    __tablename__ = "signaal_bericht"
    __table_args__ = (
        # externId makes a POST idempotent, per signal and per side.
        UniqueConstraint("signaal_id", "van", "extern_id"),
        Index("ix_signaal_bericht_draad", "signaal_id", "datum", "aangemaakt_op"),
    )

    id: uuid.UUID = uuid_pk()
    signaal_id: uuid.UUID = Field(foreign_key="signaal.id", ondelete="CASCADE")
    van: str = Field(max_length=20)  # ontvanger | organisatie
    tekst: str = Field(max_length=4000)
    datum: date
    extern_id: str | None = Field(default=None, max_length=100)
    inhoud_hash: str = Field(max_length=64)
    # Who wrote it: the API key, or a key person's device (then also its key person, for the organisation's view).
    api_sleutel_id: uuid.UUID | None = None
    apparaat_id: uuid.UUID | None = None
    sleutelpersoon_id: uuid.UUID | None = None
    aangemaakt_op: datetime = timestamp_field()
