"""The record key: a small random number per row, drawn by the database, for disclosure control."""

from typing import Any

from sqlalchemy import Column, FetchedValue, SmallInteger
from sqlmodel import Field


def record_key_field() -> Any:
    """A SMALLINT NOT NULL column whose value (0-255) the database draws on INSERT.

    The indicator engine uses it to perturb small regional figures reproducibly. The default is
    written per dialect in the migration (SQLite `random() & 255`, PostgreSQL a random uuid byte);
    the model only declares that the server fills it, so models and migrations agree on both.
    """
    return Field(default=None, sa_column=Column(SmallInteger, nullable=False, server_default=FetchedValue()))
