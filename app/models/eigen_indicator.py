import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import UtcDateTime, timestamp_field, uuid_pk


class EigenIndicator(SQLModel, table=True):
    """An indicator an organisation defines itself (issue 25 part 2): its code, sharing and status.

    The definition lives in immutable versions (`EigenIndicatorVersie`); `huidige_versie` names the
    latest. Withdrawing (`ingetrokken_op`) keeps the code taken and every version readable, so values
    asked with `versie=N` stay reproducible.
    """

    __tablename__ = "eigen_indicator"
    __table_args__ = (UniqueConstraint("organisatie_id", "code"),)

    id: uuid.UUID = uuid_pk()
    organisatie_id: uuid.UUID = Field(foreign_key="organisatie.id")
    code: str = Field(max_length=80)
    gedeeld_met_regio: bool = False
    huidige_versie: int = 1
    aangemaakt_op: datetime = timestamp_field()
    gewijzigd_op: datetime = timestamp_field()
    ingetrokken_op: datetime | None = Field(default=None, sa_type=UtcDateTime)


class EigenIndicatorVersie(SQLModel, table=True):
    """One version of an own indicator's definition; never changed once written."""

    __tablename__ = "eigen_indicator_versie"
    __table_args__ = (UniqueConstraint("eigen_indicator_id", "versie"),)

    id: uuid.UUID = uuid_pk()
    eigen_indicator_id: uuid.UUID = Field(foreign_key="eigen_indicator.id", index=True)
    versie: int
    naam: str = Field(max_length=200)
    definitie: str = Field(max_length=4000)
    basis: str = Field(max_length=80)
    # {dimension: [values]}: fixed filters on the base measure, as on /v1/indicatoren/{code}/waarden.
    filters: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    # {"basis": code, "filters": {...}} making the indicator a percentage, or None.
    noemer: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    aangemaakt_op: datetime = timestamp_field()
