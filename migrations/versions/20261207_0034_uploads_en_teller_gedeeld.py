"""uploads_en_teller_gedeeld: import uploads and the rate limit in the database, shared by every instance

Issue 30, part 3. An upload waiting for its job (or for the dashboard's real run after a dry run) lived
in a folder of the host that received it; it is now stored in `import_upload` with its bytes in blocks
(`import_upload_blok`), and a run refers to it by `upload_id`. Waiting and running jobs whose file is
still in the folder of the host that runs this migration are copied in; any other such job ends
`mislukt` at its next claim with "upload it again", as a lost file always did.

`import_run.bestandspad` stays for now (unused): a previous version that still serves while this
migration runs keeps working; a later migration drops it.

`rate_limit_teller` counts requests per key per minute, UNLOGGED on PostgreSQL (no WAL: a crash loses
at most the current minute's counts). SQLite gets the table too, unused (single host, counted in-process).

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-07
"""

import uuid
import zlib
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op

from app.models.base import UtcDateTime, utcnow

revision: str = '0034'
down_revision: str | None = '0033'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BLOK = 4 * 1024 * 1024


def upgrade() -> None:
    op.create_table(
        "import_upload",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisatie_id", sa.Uuid(), nullable=False),
        sa.Column("soort", sa.String(20), nullable=False),
        sa.Column("formaat", sa.String(10), nullable=False),
        sa.Column("compressie", sa.String(10), nullable=False),
        sa.Column("grootte", sa.BigInteger(), nullable=False),
        sa.Column("opgeslagen", sa.BigInteger(), nullable=False),
        sa.Column("aangemaakt_op", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["organisatie_id"], ["organisatie.id"], name=op.f("fk_import_upload_organisatie_id_organisatie")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_upload")),
    )
    op.create_index("ix_import_upload_aangemaakt_op", "import_upload", ["aangemaakt_op"])
    op.create_index(op.f("ix_import_upload_organisatie_id"), "import_upload", ["organisatie_id"])
    op.create_table(
        "import_upload_blok",
        sa.Column("upload_id", sa.Uuid(), nullable=False),
        sa.Column("volgnummer", sa.Integer(), nullable=False),
        sa.Column("inhoud", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["upload_id"], ["import_upload.id"], name=op.f("fk_import_upload_blok_upload_id_import_upload"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("upload_id", "volgnummer", name=op.f("pk_import_upload_blok")),
    )
    if op.get_bind().dialect.name == "postgresql":
        # The blocks are zlib output or a zip already: TOAST's own compression would only try and give up.
        op.execute("ALTER TABLE import_upload_blok ALTER COLUMN inhoud SET STORAGE EXTERNAL")
    with op.batch_alter_table("import_run") as batch:
        batch.add_column(sa.Column("upload_id", sa.Uuid(), nullable=True))
        batch.create_foreign_key(op.f("fk_import_run_upload_id_import_upload"), "import_upload", ["upload_id"], ["id"],
                                 ondelete="SET NULL")
    postgresql = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "rate_limit_teller",
        sa.Column("sleutel", sa.Uuid(), nullable=False),
        sa.Column("venster", sa.BigInteger(), nullable=False),
        sa.Column("aantal", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("sleutel", "venster", name=op.f("pk_rate_limit_teller")),
        prefixes=["UNLOGGED"] if postgresql else [],
    )
    op.create_index("ix_rate_limit_teller_venster", "rate_limit_teller", ["venster"])
    _kopieer_wachtende_bestanden()


def _kopieer_wachtende_bestanden() -> None:
    """Copy the files of waiting and running jobs that this host holds into the new tables."""
    bind = op.get_bind()
    run = sa.table("import_run", sa.column("id", sa.Uuid()), sa.column("organisatie_id", sa.Uuid()), sa.column("formaat"),
                   sa.column("bestandspad"), sa.column("status"), sa.column("upload_id", sa.Uuid()))
    runs = bind.execute(
        sa.select(run.c.id, run.c.organisatie_id, run.c.formaat, run.c.bestandspad)
        .where(run.c.status.in_(("wachtend", "bezig")), run.c.bestandspad.is_not(None))
    ).all()
    upload = sa.table("import_upload", sa.column("id", sa.Uuid()), sa.column("organisatie_id", sa.Uuid()),
                      *(sa.column(c) for c in ("soort", "formaat", "compressie", "grootte", "opgeslagen")),
                      sa.column("aangemaakt_op", UtcDateTime()))
    blok = sa.table("import_upload_blok", sa.column("upload_id", sa.Uuid()), sa.column("volgnummer"),
                    sa.column("inhoud", sa.LargeBinary()))
    for run_id, organisatie_id, formaat, pad in runs:
        bestand = Path(pad)
        if not bestand.is_file():
            continue
        upload_id = uuid.uuid4()
        comprimeer = formaat != "xlsx"
        grootte = opgeslagen = 0
        bind.execute(upload.insert().values(
            id=upload_id, organisatie_id=organisatie_id, soort="taak", formaat=formaat or "csv",
            compressie="zlib" if comprimeer else "geen", grootte=0, opgeslagen=0, aangemaakt_op=utcnow()))
        with bestand.open("rb") as f:
            for volgnummer, deel in enumerate(iter(lambda f=f: f.read(BLOK), b"")):
                inhoud = zlib.compress(deel, 1) if comprimeer else deel
                grootte, opgeslagen = grootte + len(deel), opgeslagen + len(inhoud)
                bind.execute(blok.insert().values(upload_id=upload_id, volgnummer=volgnummer, inhoud=inhoud))
        bind.execute(upload.update().where(upload.c.id == upload_id).values(grootte=grootte, opgeslagen=opgeslagen))
        bind.execute(run.update().where(run.c.id == run_id).values(upload_id=upload_id))


def downgrade() -> None:
    op.drop_index("ix_rate_limit_teller_venster", table_name="rate_limit_teller")
    op.drop_table("rate_limit_teller")
    with op.batch_alter_table("import_run") as batch:
        batch.drop_constraint(op.f("fk_import_run_upload_id_import_upload"), type_="foreignkey")
        batch.drop_column("upload_id")
    op.drop_table("import_upload_blok")
    op.drop_index(op.f("ix_import_upload_organisatie_id"), table_name="import_upload")
    op.drop_index("ix_import_upload_aangemaakt_op", table_name="import_upload")
    op.drop_table("import_upload")
