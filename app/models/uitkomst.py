import uuid
from datetime import date, datetime

from sqlmodel import Field, SQLModel

from app.models.base import record_key_field, timestamp_field, uuid_pk


class Uitkomst(SQLModel, table=True):
    """The outcome of a question (contactmoment) or of one of its referrals."""

    id: uuid.UUID = uuid_pk()
    organisatie_id: uuid.UUID = Field(foreign_key="organisatie.id", index=True)
    contactmoment_id: uuid.UUID = Field(foreign_key="contactmoment.id", index=True, ondelete="CASCADE")
    doorverwijzing_id: uuid.UUID | None = Field(
        default=None, foreign_key="doorverwijzing.id", index=True, ondelete="CASCADE"
    )
    resultaat: str = Field(max_length=20)
    datum: date
    record_key: int | None = record_key_field()
    aangemaakt_op: datetime = timestamp_field()
