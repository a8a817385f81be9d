import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from app.models.base import json_list_field, timestamp_field


class AuditRegel(SQLModel, table=True):
    """One write: who (key), what (action on a resource), when; never the values."""

    __tablename__ = "audit_regel"

    id: int | None = Field(default=None, primary_key=True)
    tijdstip: datetime = timestamp_field(index=True)
    api_sleutel_id: uuid.UUID | None = Field(default=None, index=True)
    organisatie_id: uuid.UUID | None = Field(default=None, index=True)
    apparaat_id: uuid.UUID | None = None  # a key person's device session, when it made the write
    actie: str = Field(max_length=40)
    resource_type: str = Field(max_length=40)
    resource_id: str | None = Field(default=None, max_length=64)
    velden: list[str] = json_list_field()
    aantal: int | None = None
