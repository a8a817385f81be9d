import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from app.models.base import UtcDateTime, json_list_field, timestamp_field, uuid_pk


class Organisatie(SQLModel, table=True):
    """A tenant: the GGD, municipality or welfare organisation that hosts key persons."""

    id: uuid.UUID = uuid_pk()
    naam: str = Field(max_length=200)
    soort: str = Field(max_length=40)
    gemeentecodes: list[str] = json_list_field()
    actief: bool = True
    aangemaakt_op: datetime = timestamp_field()
    gewijzigd_op: datetime = timestamp_field()
    gedeactiveerd_op: datetime | None = Field(default=None, sa_type=UtcDateTime)
