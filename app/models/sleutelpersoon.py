import uuid
from datetime import date, datetime

from sqlmodel import Field, SQLModel

from app.models.base import json_list_field, record_key_field, timestamp_field, uuid_pk


class Sleutelpersoon(SQLModel, table=True):
    """A key person of an organisation; `weergavenaam` is a display name, not necessarily the legal name."""

    id: uuid.UUID = uuid_pk()
    organisatie_id: uuid.UUID = Field(foreign_key="organisatie.id", index=True)
    weergavenaam: str = Field(max_length=200)
    talen: list[str] = json_list_field()
    rollen: list[str] = json_list_field()
    themas: list[str] = json_list_field()
    dienstverband: str | None = Field(default=None, max_length=20)
    uren_per_week: float | None = None
    basistraining_datum: date | None = None
    actief_vanaf: date | None = None
    actief_tot: date | None = None
    gemeentecode: str | None = Field(default=None, max_length=6)
    actief: bool = True
    record_key: int | None = record_key_field()
    aangemaakt_op: datetime = timestamp_field()
    gewijzigd_op: datetime = timestamp_field()
