"""record_keys: a random record key (0..255) on every counted unit, for cell key perturbation

Regional figures are protected by cell key perturbation (docs/onderdrukking.md): a cell's key is
the sum of its units' record keys mod 256. The database draws each key at insert through a server
default, so every write path (API, imports, demo, benchmark COPY) gets one without naming the
column; existing rows get one here. Both defaults use the database's cryptographic random source:
SQLite's random() is built on sqlite3_randomness (ChaCha20), PostgreSQL's gen_random_uuid() on
pg_strong_random(); byte 0 of a version-4 UUID is fully random.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABELLEN = ("contactmoment", "contactmoment_onderwerp", "contactmoment_actie", "doorverwijzing", "uitkomst", "sleutelpersoon")


def _default() -> sa.TextClause:
    if op.get_bind().dialect.name == "postgresql":
        return sa.text("get_byte(uuid_send(gen_random_uuid()), 0)")
    return sa.text("(random() & 255)")


EINDSTATUS = sa.text("status IN ('afgerond', 'afgewezen', 'niet-verschenen')")
# Covering indexes of the regional indicator queries gain the record key (docs/performance.md).
INDEXEN = {
    "contactmoment": [("ix_contactmoment_gemeente_periode", ["gemeentecode", "datum", "verwijderd_op", "id"], {})],
    "doorverwijzing": [
        ("ix_doorverwijzing_contactmoment_partner", ["contactmoment_id", "ketenpartner_id", "status"], {}),
        ("ix_doorverwijzing_eindstatus", ["contactmoment_id", "ketenpartner_id", "status"],
         {"postgresql_where": EINDSTATUS, "sqlite_where": EINDSTATUS}),
    ],
}


def upgrade() -> None:
    for tabel in TABELLEN:
        # SQLite cannot add a column with a non-constant default in place: batch mode copies the
        # table, and the copy evaluates the default once per existing row.
        with op.batch_alter_table(tabel, schema=None) as batch_op:
            batch_op.add_column(sa.Column('record_key', sa.SmallInteger(), server_default=_default(), nullable=False))
            for naam, kolommen, opties in INDEXEN.get(tabel, []):
                batch_op.drop_index(naam, **opties)
                batch_op.create_index(naam, [*kolommen, "record_key"], unique=False, **opties)
    with op.batch_alter_table("contactmoment_onderwerp", schema=None) as batch_op:
        batch_op.create_index(
            "ix_contactmoment_onderwerp_sleutel", ["contactmoment_id", "onderwerp", "record_key"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("contactmoment_onderwerp", schema=None) as batch_op:
        batch_op.drop_index("ix_contactmoment_onderwerp_sleutel")
    for tabel in reversed(TABELLEN):
        with op.batch_alter_table(tabel, schema=None) as batch_op:
            for naam, kolommen, opties in INDEXEN.get(tabel, []):
                batch_op.drop_index(naam, **opties)
                batch_op.create_index(naam, kolommen, unique=False, **opties)
            batch_op.drop_column('record_key')
