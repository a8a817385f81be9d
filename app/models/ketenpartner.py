import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from app.models.base import timestamp_field, uuid_pk


class Ketenpartner(SQLModel, table=True):
    """A partner organisation on the organisation's social map."""

    id: uuid.UUID = uuid_pk()
    organisatie_id: uuid.UUID = Field(foreign_key="organisatie.id", index=True)
    naam: str = Field(max_length=200)
    categorie: str = Field(max_length=40)
    gemeentecode: str | None = Field(default=None, max_length=6)
    actief: bool = True
    aangemaakt_op: datetime = timestamp_field()
    gewijzigd_op: datetime = timestamp_field()
