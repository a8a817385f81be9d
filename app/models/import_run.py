import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index
from sqlmodel import Field, SQLModel

from app.models.base import UtcDateTime, timestamp_field, uuid_pk


class ImportRun(SQLModel, table=True):
    """One bulk import of a historic log: options, status, counts and the grouped error report."""

    __tablename__ = "import_run"
    __table_args__ = (
        Index("ix_import_run_organisatie_aangemaakt", "organisatie_id", "aangemaakt_op"),
        Index("ix_import_run_status", "status"),
    )

    id: uuid.UUID = uuid_pk()
    organisatie_id: uuid.UUID = Field(foreign_key="organisatie.id")
    api_sleutel_id: uuid.UUID | None = None
    # wachtend, bezig, geslaagd, mislukt, gedeeltelijk
    status: str = Field(max_length=20)
    # atomair or per-rij; a dry run (proefdraai) is either, rolled back at the end.
    modus: str = Field(max_length=20)
    proefdraai: bool = False
    formaat: str = Field(max_length=10)
    bestandsnaam: str | None = Field(default=None, max_length=255)
    opties: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    gelezen: int = 0
    aangemaakt: int = 0
    bijgewerkt: int = 0
    ongewijzigd: int = 0
    afgewezen: int = 0
    # Grouped errors, created key persons and partners, approximate value mappings, a file-level message.
    rapport: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    aangemaakt_op: datetime = timestamp_field()
    gestart_op: datetime | None = Field(default=None, sa_type=UtcDateTime)
    voltooid_op: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # A job (app/imports/taken.py): rows done so far, the worker holding it and until when, how
    # often it was started, and its stored upload (app/imports/opslag.py) while it waits or runs.
    verwerkt: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    werker: str | None = Field(default=None, max_length=120)
    lease_tot: datetime | None = Field(default=None, sa_type=UtcDateTime)
    pogingen: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    upload_id: uuid.UUID | None = Field(default=None, foreign_key="import_upload.id", ondelete="SET NULL")
    # Unused since migration 0034 (the upload moved into the database): kept so a previous version that
    # still serves during the upgrade can write it; a later migration drops it.
    bestandspad: str | None = Field(default=None, max_length=1000)
