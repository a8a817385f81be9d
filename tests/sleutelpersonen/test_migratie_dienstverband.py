"""Migration 0028: a key person's one `dienstverband` value becomes its current (open) period."""

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import command

from app.core.db import make_engine
from app.models import Organisatie, Sleutelpersoon
from tests.conftest import alembic_config


def test_het_huidige_dienstverband_wordt_de_lopende_periode(fresh_database_url: Callable[[], str]) -> None:
    engine = make_engine(fresh_database_url())
    aangemaakt = datetime(2025, 5, 6, 9, 0, tzinfo=UTC)
    org_id, met_start, zonder_start, zonder = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0026")  # the revision before 0028
        with engine.begin() as connection:
            connection.execute(Organisatie.__table__.insert().values(
                id=org_id, naam="Welzijn Oost", soort="welzijnsorganisatie", gemeentecodes=["GM0344"], actief=True,
                aangemaakt_op=aangemaakt, gewijzigd_op=aangemaakt))
            # The model's own table: before 0028 it is as it is now.
            tabel = Sleutelpersoon.__table__
            gemeen = {"organisatie_id": org_id, "talen": [], "rollen": [], "themas": [], "actief": True,
                      "aangemaakt_op": aangemaakt, "gewijzigd_op": aangemaakt}
            connection.execute(tabel.insert(), [
                {**gemeen, "id": met_start, "weergavenaam": "Amina", "dienstverband": "betaald", "actief_vanaf": date(2024, 3, 1)},
                {**gemeen, "id": zonder_start, "weergavenaam": "Yonas", "dienstverband": "vrijwilliger", "actief_vanaf": None},
                {**gemeen, "id": zonder, "weergavenaam": "Sara", "dienstverband": None, "actief_vanaf": date(2024, 1, 1)},
            ])
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
        with engine.connect() as connection:
            rijen = connection.execute(sa.text(
                "SELECT sleutelpersoon_id, soort, vanaf, tot, uitstroom_reden FROM dienstverband ORDER BY vanaf")).all()
            gebleven = dict(connection.execute(sa.text("SELECT weergavenaam, dienstverband FROM sleutelpersoon")).all())
        assert [(uuid.UUID(str(p)), s, str(v), t, r) for p, s, v, t, r in rijen] == [
            (met_start, "betaald", "2024-03-01", None, None),
            (zonder_start, "vrijwilliger", "2025-05-06", None, None),  # no start date: the day it was registered
        ]
        assert gebleven == {"Amina": "betaald", "Yonas": "vrijwilliger", "Sara": None}
    finally:
        engine.dispose()
