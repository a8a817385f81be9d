from datetime import datetime

from sqlalchemy import JSON, Index, LargeBinary
from sqlmodel import Field, SQLModel

from app.models.base import timestamp_field


class IdempotentieSleutel(SQLModel, table=True):
    """One `Idempotency-Key` of one caller and the answer to its POST, kept for a day (app/core/idempotentiesleutel.py).

    `wie` and `vingerafdruk` are keyed hashes (HMAC with the server secret): of the caller's credential,
    and of the request (method, path, query and body). A request body may hold a resident reference;
    only the keyed hash of the whole body is stored, never the body.
    """

    __tablename__ = "idempotentie_sleutel"
    __table_args__ = (Index("ix_idempotentie_sleutel_aangemaakt_op", "aangemaakt_op"),)

    wie: str = Field(primary_key=True, max_length=64)
    sleutel: str = Field(primary_key=True, max_length=255)
    vingerafdruk: str = Field(max_length=64)
    status: str = Field(max_length=10)  # bezig | klaar
    antwoord_status: int | None = None
    antwoord_headers: dict[str, str] | None = Field(default=None, sa_type=JSON)
    antwoord_body: bytes | None = Field(default=None, sa_type=LargeBinary)
    aangemaakt_op: datetime = timestamp_field()
