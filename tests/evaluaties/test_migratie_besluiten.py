"""Migration 0026: the decisions kept as JSON in each evaluation become `besluit` rows, in order, and back."""

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

from app.core.db import make_engine
from tests.conftest import alembic_config

NU = datetime(2026, 11, 20, 16, tzinfo=UTC)
BESLUITEN = [
    {"tekst": "Tolk regelen", "eigenaar_rol": "coordinator", "deadline": "2027-03-31", "status": "bezig"},
    {"tekst": "Cijfers delen", "eigenaar_rol": "ggd", "deadline": None, "status": "open"},
]


def test_json_decisions_become_rows_and_come_back(fresh_database_url: Callable[[], str]) -> None:
    engine = make_engine(fresh_database_url())
    try:
        with engine.begin() as connection:
            ervoor = ScriptDirectory.from_config(alembic_config(connection)).get_revision("0026").down_revision
            command.upgrade(alembic_config(connection), str(ervoor))
        organisatie, evaluatie, leeg = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        with engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO organisatie (id, naam, soort, gemeentecodes, actief, aangemaakt_op, gewijzigd_op) "
                "VALUES (:id, 'Org', 'ggd', :codes, :actief, :nu, :nu)"
            ).bindparams(sa.bindparam("id", type_=sa.Uuid()), sa.bindparam("codes", type_=sa.JSON()),
                         sa.bindparam("nu", type_=sa.DateTime(timezone=True))),
                {"id": organisatie, "codes": ["GM0344"], "actief": True, "nu": NU})
            evaluatie_tabel = sa.table("evaluatie", *(sa.column(n) for n in ("datum", "bevindingen")),
                                       sa.column("id", sa.Uuid()), sa.column("organisatie_id", sa.Uuid()), sa.column("deelnemers", sa.JSON()),
                                       sa.column("besluiten", sa.JSON()), sa.column("indicatoren", sa.JSON()),
                                       sa.column("ervaringsverhalen", sa.JSON()), sa.column("aangemaakt_op", sa.DateTime(timezone=True)),
                                       sa.column("gewijzigd_op", sa.DateTime(timezone=True)))
            for eid, besluiten in ((evaluatie, BESLUITEN), (leeg, [])):
                connection.execute(sa.insert(evaluatie_tabel).values(
                    id=eid, organisatie_id=organisatie, datum=date(2026, 11, 20), bevindingen=None, deelnemers=[],
                    besluiten=besluiten, indicatoren=[], ervaringsverhalen=[], aangemaakt_op=NU, gewijzigd_op=NU))
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0026")
        with engine.connect() as connection:
            rijen = connection.execute(sa.text(
                "SELECT evaluatie_id, organisatie_id, volgorde, tekst, eigenaar_rol, deadline, status FROM besluit ORDER BY volgorde"
            )).all()
            assert "besluiten" not in {c["name"] for c in sa.inspect(connection).get_columns("evaluatie")}
        assert [(r.volgorde, r.tekst, r.eigenaar_rol, str(r.deadline) if r.deadline else None, r.status) for r in rijen] == [
            (0, "Tolk regelen", "coordinator", "2027-03-31", "bezig"), (1, "Cijfers delen", "ggd", None, "open")]
        assert {str(r.evaluatie_id).replace("-", "") for r in rijen} == {evaluatie.hex}
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), str(ervoor))
        with engine.connect() as connection:
            terug = dict(connection.execute(sa.select(evaluatie_tabel.c.id, evaluatie_tabel.c.besluiten)).all())
        assert terug[evaluatie] == BESLUITEN and terug[leeg] == []
    finally:
        engine.dispose()
