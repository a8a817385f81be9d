"""Migrations are the only way the schema changes: they must match the models and run both ways."""

from collections.abc import Callable

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app import models
from app.core.db import make_engine
from tests.conftest import alembic_config


def _differences(connection) -> list:  # type: ignore[no-untyped-def]
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, models.SQLModel.metadata)


def test_models_and_migrations_agree(fresh_database_url: Callable[[], str]) -> None:
    engine = make_engine(fresh_database_url())
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
        with engine.connect() as connection:
            assert _differences(connection) == []
    finally:
        engine.dispose()


def test_downgrade_to_base_and_upgrade_again(fresh_database_url: Callable[[], str]) -> None:
    engine = make_engine(fresh_database_url())
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "base")
        with engine.connect() as connection:
            tables = set(connection.dialect.get_table_names(connection)) - {"alembic_version"}
            assert tables == set()
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
        with engine.connect() as connection:
            assert _differences(connection) == []
    finally:
        engine.dispose()
