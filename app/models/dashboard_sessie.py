import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from app.models.base import UtcDateTime, timestamp_field, uuid_pk


class DashboardSessie(SQLModel, table=True):
    """A dashboard sign-in: the signed cookie names it by a random token, the table keeps its SHA-256.

    Checked on every request, so signing out or ending it from the list ends it at once, in every
    process. What is kept of the person is only what the session list needs: a coarse device name
    ("Windows, Chrome", not the raw user agent) and times; no client address. Rows are deleted
    `dashboard_sessie_bewaardagen` after the session expired (app/web/sessieopslag.py).
    """

    __tablename__ = "dashboard_sessie"

    id: uuid.UUID = uuid_pk()
    api_sleutel_id: uuid.UUID = Field(foreign_key="api_sleutel.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    apparaat: str = Field(max_length=60)
    aangemaakt_op: datetime = timestamp_field()
    laatst_gezien_op: datetime = timestamp_field()
    verloopt_op: datetime = Field(sa_type=UtcDateTime, index=True)
    beeindigd_op: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # afgemeld (signed out here), beeindigd (ended from the list), ingetrokken (the key was revoked)
    einde: str | None = Field(default=None, max_length=20)


class Aanmeldpoging(SQLModel, table=True):
    """A failed dashboard sign-in, counted per client address and per key prefix for throttling.

    Both are stored as keyed hashes (HMAC with the server secret), never in the clear, and rows are
    deleted once they fall out of the throttling window. Shared by every process and replica.
    """

    __tablename__ = "aanmeldpoging"

    id: uuid.UUID = uuid_pk()
    adres_hash: str = Field(max_length=64, index=True)
    prefix_hash: str | None = Field(default=None, max_length=64, index=True)
    moment: datetime = timestamp_field(index=True)
