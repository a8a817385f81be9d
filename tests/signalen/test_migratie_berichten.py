"""Migration 0019: the feedback stored before the conversation becomes the first message of its thread."""

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import command

from app.core.db import make_engine
from app.models import Organisatie, Signaal
from tests.conftest import alembic_config


def test_bestaande_terugkoppeling_wordt_het_eerste_bericht(fresh_database_url: Callable[[], str]) -> None:
    engine = make_engine(fresh_database_url())
    nu = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    org_id, met, zonder = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0016")
        # The models' own tables: at 0016 these two are as they are now.
        with engine.begin() as connection:
            connection.execute(Organisatie.__table__.insert().values(
                id=org_id, naam="Welzijn Oost", soort="welzijnsorganisatie", gemeentecodes=["GM0344"], actief=True,
                aangemaakt_op=nu, gewijzigd_op=nu))
            gemeen = {"organisatie_id": org_id, "datum": date(2026, 11, 20), "gemeentecode": "GM0344", "titel": "Signaal",
                      "omschrijving": "Omschrijving", "urgentie": "middel", "gericht_aan_soort": "gemeente",
                      "gericht_aan_gemeentecode": "GM0344", "inhoud_hash": "0" * 64,
                      "aangemaakt_op": nu, "gewijzigd_op": nu}
            connection.execute(Signaal.__table__.insert(), [
                {**gemeen, "id": met, "status": "opgepakt", "status_datum": date(2026, 11, 27),
                 "terugkoppeling_tekst": "De JGZ past de uitnodiging aan.", "terugkoppeling_datum": date(2026, 11, 27)},
                {**gemeen, "id": zonder, "status": "ingediend", "status_datum": date(2026, 11, 20),
                 "terugkoppeling_tekst": None, "terugkoppeling_datum": None},
            ])
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
        with engine.connect() as connection:
            rijen = connection.execute(sa.text("SELECT signaal_id, van, tekst, datum FROM signaal_bericht")).all()
        assert len(rijen) == 1
        signaal_id, van, tekst, datum = rijen[0]
        assert uuid.UUID(str(signaal_id)) == met and van == "ontvanger" and tekst == "De JGZ past de uitnodiging aan."
        assert str(datum) == "2026-11-27"
    finally:
        engine.dispose()
