import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from app.models.base import timestamp_field


class ImportMapping(SQLModel, table=True):
    """An organisation's stored import mapping (the YAML mapping file's sections as JSON), one per organisation.

    Filled by the dashboard's choices for unknown names ("aanmaken", "koppelen aan ...") and by
    `PUT /v1/import-mapping`; used by every import of the organisation unless the caller opts out.
    """

    __tablename__ = "import_mapping"

    organisatie_id: uuid.UUID = Field(foreign_key="organisatie.id", primary_key=True)
    inhoud: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    gewijzigd_op: datetime = timestamp_field()
