"""Migration 0025 keeps existing targets: pro rata (no profile) and private (not shared)."""

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

from app.core.db import make_engine
from app.models.base import UtcDateTime
from tests.conftest import alembic_config


def test_existing_targets_are_upgraded_pro_rata_and_private(fresh_database_url: Callable[[], str]) -> None:
    engine = make_engine(fresh_database_url())
    # The revision before 0025, whatever the chain becomes when branches are merged.
    vorige = ScriptDirectory.from_config(alembic_config(None)).get_revision("0025").down_revision
    organisatie, doel = uuid.uuid4(), uuid.uuid4()
    nu = datetime(2026, 1, 2, tzinfo=UTC)
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), vorige)
        with engine.begin() as connection:
            assert "gedeeld" not in {c["name"] for c in sa.inspect(connection).get_columns("doel")}
            # The tables as they are before 0025, typed as the models type them (reflection loses UUID and JSON).
            org_tabel = sa.table("organisatie", *[sa.column(n, t) for n, t in (
                ("id", sa.Uuid()), ("naam", sa.String()), ("soort", sa.String()), ("gemeentecodes", sa.JSON()),
                ("actief", sa.Boolean()), ("aangemaakt_op", UtcDateTime()), ("gewijzigd_op", UtcDateTime()))])
            doel_tabel = sa.table("doel", *[sa.column(n, t) for n, t in (
                ("id", sa.Uuid()), ("organisatie_id", sa.Uuid()), ("indicator", sa.String()), ("periode", sa.String()),
                ("vanaf", sa.Date()), ("tot", sa.Date()), ("waarde", sa.Float()), ("filters", sa.JSON()),
                ("filter_sleutel", sa.String()), ("aangemaakt_op", UtcDateTime()), ("gewijzigd_op", UtcDateTime()))])
            connection.execute(org_tabel.insert().values(
                id=organisatie, naam="Stichting", soort="welzijnsorganisatie", gemeentecodes=["GM0344"], actief=True,
                aangemaakt_op=nu, gewijzigd_op=nu))
            connection.execute(doel_tabel.insert().values(
                id=doel, organisatie_id=organisatie, indicator="aantal-contactmomenten", periode="2026",
                vanaf=date(2026, 1, 1), tot=date(2027, 1, 1), waarde=1200.0, filters={}, filter_sleutel="{}",
                aangemaakt_op=nu, gewijzigd_op=nu))
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0025")
        with engine.connect() as connection:
            na = sa.table("doel", sa.column("id", sa.Uuid()), sa.column("waarde", sa.Float()),
                          sa.column("verdeling", sa.JSON()), sa.column("gedeeld", sa.Boolean()))
            rij = connection.execute(sa.select(na.c.waarde, na.c.verdeling, na.c.gedeeld).where(na.c.id == doel)).one()
            assert tuple(rij) == (1200.0, None, False)
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), vorige)
        with engine.connect() as connection:
            assert not {"gedeeld", "verdeling"} & {c["name"] for c in sa.inspect(connection).get_columns("doel")}
            assert connection.execute(sa.text("SELECT count(*) FROM doel")).scalar() == 1
    finally:
        engine.dispose()
