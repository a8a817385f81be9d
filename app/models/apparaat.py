import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from app.models.base import UtcDateTime, timestamp_field, uuid_pk


class Uitnodiging(SQLModel, table=True):
    """A one-time invitation for a key person to connect a device; only the SHA-256 of its token is stored.

    Shown once to the coordinator who made it (link and QR code), valid for a week, used at most once.
    """

    id: uuid.UUID = uuid_pk()
    organisatie_id: uuid.UUID = Field(foreign_key="organisatie.id", index=True)
    sleutelpersoon_id: uuid.UUID = Field(foreign_key="sleutelpersoon.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    aangemaakt_op: datetime = timestamp_field()
    aangemaakt_door: uuid.UUID | None = None  # the API key of the coordinator's dashboard session
    verloopt_op: datetime = Field(sa_type=UtcDateTime)
    gebruikt_op: datetime | None = Field(default=None, sa_type=UtcDateTime)
    ingetrokken_op: datetime | None = Field(default=None, sa_type=UtcDateTime)
    apparaat_id: uuid.UUID | None = None  # the device session it created


class Apparaat(SQLModel, table=True):
    """A key person's device session: the cookie holds a random token, the table its SHA-256.

    Valid until `verloopt_op`, which moves forward with use (a sliding lifetime); a coordinator can
    revoke it (`ingetrokken_op`), which ends it on its next request.
    """

    id: uuid.UUID = uuid_pk()
    organisatie_id: uuid.UUID = Field(foreign_key="organisatie.id", index=True)
    sleutelpersoon_id: uuid.UUID = Field(foreign_key="sleutelpersoon.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_agent: str | None = Field(default=None, max_length=300)
    aangemaakt_op: datetime = timestamp_field()
    laatst_gebruikt_op: datetime = timestamp_field()
    verloopt_op: datetime = Field(sa_type=UtcDateTime)
    ingetrokken_op: datetime | None = Field(default=None, sa_type=UtcDateTime)
