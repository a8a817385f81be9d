"""Shared metadata (stable constraint names) and column types used by every table."""

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, FetchedValue, SmallInteger, TypeDecorator
from sqlmodel import Field, SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC timestamps on both databases (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def json_list_field(**kwargs: Any) -> Any:
    return Field(default_factory=list, sa_type=JSON, **kwargs)


def timestamp_field(**kwargs: Any) -> Any:
    return Field(default_factory=utcnow, sa_type=UtcDateTime, **kwargs)


def uuid_pk() -> Any:
    return Field(default_factory=uuid.uuid4, primary_key=True)


def record_key_field() -> Any:
    """A random record key (0..255) for cell key perturbation (docs/onderdrukking.md).

    The database draws it at insert (server default, see migration 0007) and nothing ever changes
    it, so every write path gets one without listing the column, and no API schema carries it.
    """
    return Field(
        default=None, sa_type=SmallInteger, sa_column_kwargs={"server_default": FetchedValue(), "nullable": False}
    )
