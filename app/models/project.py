import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel

from app.models.base import timestamp_field, uuid_pk


class Project(SQLModel, table=True):
    """A funding stream of an organisation (issue 26, part 1): who pays, under which scheme, for when.

    The financier is a gemeente (`financier_gemeentecode`) or another named funder (`financier_naam`),
    exactly one of the two. Money is stored in whole cents (`begroting_centen`), so every sum is an
    exact integer on both databases.
    """

    id: uuid.UUID = uuid_pk()
    organisatie_id: uuid.UUID = Field(foreign_key="organisatie.id", index=True)
    naam: str = Field(max_length=200)
    financier_gemeentecode: str | None = Field(default=None, max_length=6)
    financier_naam: str | None = Field(default=None, max_length=200)
    regeling: str = Field(max_length=40)
    vanaf: date
    tot: date | None = None
    begroting_centen: int | None = Field(default=None, sa_type=BigInteger)
    aangemaakt_op: datetime = timestamp_field()
    gewijzigd_op: datetime = timestamp_field()
