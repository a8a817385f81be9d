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


def test_0034_copies_the_file_of_a_waiting_job_into_the_database(fresh_database_url: Callable[[], str], tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A job waiting in the upload folder when the upgrade runs keeps its upload (now in the database)."""
    import uuid
    import zlib

    import sqlalchemy as sa

    from app.models import utcnow

    def rij(tabel: sa.Table, **waarden: object) -> dict[str, object]:
        """The given values, and a plausible one for every other required column (the schema as of 0032)."""
        for kolom in tabel.columns:
            if kolom.name in waarden or kolom.nullable or kolom.server_default is not None:
                continue
            soort = kolom.type.python_type if not isinstance(kolom.type, sa.JSON) else list
            waarden[kolom.name] = {str: "x", list: [], bool: True, int: 0}.get(soort, utcnow())
        return waarden

    inhoud = b"Datum;Sleutelpersoon\r\n" + b"1-3-2025;Mays A.\r\n" * 5000
    bestand = tmp_path / "wachtend.csv"
    bestand.write_bytes(inhoud)
    engine = make_engine(fresh_database_url())
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0033")
        with engine.begin() as connection:
            meta = sa.MetaData()
            organisatie = sa.Table("organisatie", meta, sa.Column("id", sa.Uuid(), primary_key=True), autoload_with=connection)
            run = sa.Table("import_run", meta, sa.Column("id", sa.Uuid(), primary_key=True),
                           sa.Column("organisatie_id", sa.Uuid()), autoload_with=connection)
            org_id, wachtend, klaar = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
            connection.execute(organisatie.insert().values(rij(organisatie, id=org_id, naam="Org", soort="ggd", actief=True)))
            for run_id, status, pad in ((wachtend, "wachtend", bestand), (klaar, "geslaagd", bestand)):
                connection.execute(run.insert().values(rij(run, id=run_id, organisatie_id=org_id, status=status, modus="atomair",
                                                           formaat="csv", bestandspad=str(pad))))
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
        with engine.connect() as connection:
            upload_ids = dict(connection.execute(sa.text("SELECT id, upload_id FROM import_run")).all())
            blokken = connection.execute(sa.text("SELECT inhoud FROM import_upload_blok ORDER BY volgnummer")).scalars().all()
            grootte = connection.execute(sa.text("SELECT grootte FROM import_upload")).scalar_one()
        ids = {uuid.UUID(str(k)): v for k, v in upload_ids.items()}
        assert ids[klaar] is None and ids[wachtend] is not None  # only the waiting job's
        assert grootte == len(inhoud) and b"".join(zlib.decompress(b) for b in blokken) == inhoud
    finally:
        engine.dispose()
