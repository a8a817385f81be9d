"""Alembic environment: one metadata (app.models), batch mode on SQLite."""

from logging.config import fileConfig

from typing import Any

from alembic import context
from sqlalchemy import Connection

from app import models
from app.core.config import get_settings
from app.core.db import make_engine
from app.models.base import UtcDateTime
from sqlmodel.sql.sqltypes import AutoString

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = models.SQLModel.metadata


def _render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Render project column types as plain, stable SQLAlchemy types in migration files."""
    if type_ != "type":
        return False
    if isinstance(obj, UtcDateTime):
        autogen_context.imports.add("from app.models.base import UtcDateTime")
        return "UtcDateTime()"
    if isinstance(obj, AutoString):
        return f"sa.String(length={obj.length})" if obj.length else "sa.String()"
    return False


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(
        url=get_settings().database_url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    # Tests hand in their own connection so migrations run on the test database.
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(get_settings().database_url)
    try:
        with engine.connect() as conn:
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
