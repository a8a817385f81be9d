import uuid
from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from app.models.base import record_key_field, timestamp_field, uuid_pk


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
