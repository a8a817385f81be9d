import uuid
from datetime import date, datetime

from sqlmodel import Field, SQLModel

from app.models.base import UtcDateTime, json_list_field, timestamp_field, uuid_pk


class ApiSleutel(SQLModel, table=True):
    """An API key; only the SHA-256 of the secret part is stored."""

    __tablename__ = "api_sleutel"

    id: uuid.UUID = uuid_pk()
    prefix: str = Field(max_length=16, unique=True, index=True)
    sleutel_hash: str = Field(max_length=64)
    naam: str = Field(max_length=200)
    scopes: list[str] = json_list_field()
    organisatie_id: uuid.UUID | None = Field(default=None, foreign_key="organisatie.id", index=True)
    gemeentecodes: list[str] = json_list_field()
    beheer: bool = False
    verloopt_op: date | None = None
    ingetrokken_op: datetime | None = Field(default=None, sa_type=UtcDateTime)
    laatst_gebruikt_op: datetime | None = Field(default=None, sa_type=UtcDateTime)
    aangemaakt_op: datetime = timestamp_field()
