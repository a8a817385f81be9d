import uuid
from datetime import date, datetime

from sqlalchemy import JSON, UniqueConstraint, false
from sqlmodel import Field, SQLModel

from app.models.base import timestamp_field, uuid_pk


class Doel(SQLModel, table=True):
    """A target value for an indicator over a period, set by an organisation (behoefteanalyse)."""

    __table_args__ = (UniqueConstraint("organisatie_id", "indicator", "periode", "filter_sleutel"),)

    id: uuid.UUID = uuid_pk()
    organisatie_id: uuid.UUID = Field(foreign_key="organisatie.id", index=True)
    indicator: str = Field(max_length=80)
    periode: str = Field(max_length=20)
    vanaf: date
    tot: date  # exclusive
    waarde: float
    filters: dict[str, list[str]] = Field(default_factory=dict, sa_type=JSON)
    # Canonical form of `filters`, so "the same target twice" is a database constraint.
    filter_sleutel: str = Field(default="", max_length=500)
    # Weights over the period's months or quarters (app/doelen/verdeling.py); None: pro rata by days.
    verdeling: list[float] | None = Field(default=None, sa_type=JSON)
    # Shared with the regional keys of the gemeenten the target concerns (app/doelen/service.py).
    gedeeld: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    aangemaakt_op: datetime = timestamp_field()
    gewijzigd_op: datetime = timestamp_field()
