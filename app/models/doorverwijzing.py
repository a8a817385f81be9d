import uuid
from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from app.models.base import UtcDateTime, record_key_field, timestamp_field, uuid_pk
from app.models.contactmoment import LEVEND

LEVEND_EINDSTATUS = text("contact_verwijderd_op IS NULL AND status IN ('afgerond', 'afgewezen', 'niet-verschenen')")


class Doorverwijzing(SQLModel, table=True):
    """A referral of a resident to a ketenpartner; its status changes as the referral progresses."""

    # Referral indicators join from the contactmomenten of a period to their referrals and read
    # partner and status from this index alone.
    __table_args__ = (
        # Adding a referral to an existing contactmoment is idempotent by externId (issue 23).
        UniqueConstraint("organisatie_id", "extern_id"),
        Index("ix_doorverwijzing_contactmoment_partner", "contactmoment_id", "ketenpartner_id", "status", "record_key"),
        # The completion rate's denominator (final statuses, catalogue.EINDSTATUSSEN) is a third smaller
        # to scan or probe than all referrals.
        Index(
            "ix_doorverwijzing_eindstatus", "contactmoment_id", "ketenpartner_id", "status", "record_key",
            postgresql_where=text("status IN ('afgerond', 'afgewezen', 'niet-verschenen')"),
            sqlite_where=text("status IN ('afgerond', 'afgewezen', 'niet-verschenen')"),
        ),
        # Regional, national and an organisation's own referral figures read the live referrals of a period
        # from one of these alone, without the contactmoment (migration 0032, docs/performance.md).
        Index("ix_doorverwijzing_gemeente_periode", "contact_gemeentecode", "contact_datum", "status",
              "ketenpartner_id", "record_key", "contact_sleutelpersoon_id", "contact_verwijderd_op", postgresql_where=LEVEND,
              sqlite_where=LEVEND),
        Index("ix_doorverwijzing_periode_eindstatus", "contact_datum", "ketenpartner_id", "status", "record_key",
              "contact_sleutelpersoon_id", "contact_verwijderd_op", postgresql_where=LEVEND_EINDSTATUS, sqlite_where=LEVEND_EINDSTATUS),
        Index("ix_doorverwijzing_organisatie_periode", "organisatie_id", "contact_datum", "status", "ketenpartner_id",
              "record_key", "contact_sleutelpersoon_id", "contact_verwijderd_op", postgresql_where=LEVEND, sqlite_where=LEVEND),
    )

    id: uuid.UUID = uuid_pk()
    organisatie_id: uuid.UUID = Field(foreign_key="organisatie.id", index=True)
    contactmoment_id: uuid.UUID = Field(foreign_key="contactmoment.id", ondelete="CASCADE")
    ketenpartner_id: uuid.UUID = Field(foreign_key="ketenpartner.id", index=True)
    extern_id: str | None = Field(default=None, max_length=100)
    # Fingerprint of a referral added on its own (POST .../doorverwijzingen), to tell a retry from a conflict.
    inhoud_hash: str | None = Field(default=None, max_length=64)
    onderwerp: str | None = Field(default=None, max_length=80)
    wijze: str = Field(max_length=20)
    status: str = Field(max_length=20)
    status_datum: date
    record_key: int | None = record_key_field()
    aangemaakt_op: datetime = timestamp_field()
    gewijzigd_op: datetime = timestamp_field()
    # Copies of the contact's columns, kept equal by database triggers in the same statement (migration 0032;
    # app/contactmomenten/afgeleid.py). Left None by a writer, they are filled from the contact.
    contact_datum: date | None = None
    contact_gemeentecode: str | None = Field(default=None, max_length=6)
    contact_sleutelpersoon_id: uuid.UUID | None = None
    contact_verwijderd_op: datetime | None = Field(default=None, sa_type=UtcDateTime)


class DoorverwijzingStatus(SQLModel, table=True):
    """History: one row per status a referral has had."""

    __tablename__ = "doorverwijzing_status"

    id: int | None = Field(default=None, primary_key=True)
    doorverwijzing_id: uuid.UUID = Field(
        foreign_key="doorverwijzing.id", index=True, ondelete="CASCADE"
    )
    status: str = Field(max_length=20)
    status_datum: date
    vastgelegd_op: datetime = timestamp_field()
    api_sleutel_id: uuid.UUID | None = None
