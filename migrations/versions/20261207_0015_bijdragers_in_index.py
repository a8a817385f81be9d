"""bijdragers_in_index: the regional covering index of contactmoment also holds the key person

Regional tables count the key persons behind every cell (the contributor rule, issue 21). Without
the key person in the covering index both databases would read every counted contact from the
table itself; with it, a regional table stays an index-only scan (docs/performance.md).

Revision ID: 0015
Revises: 0012
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0015'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAAM = "ix_contactmoment_gemeente_periode"
OUD = ["gemeentecode", "datum", "verwijderd_op", "id", "record_key"]


def upgrade() -> None:
    with op.batch_alter_table("contactmoment", schema=None) as batch_op:
        batch_op.drop_index(NAAM)
        batch_op.create_index(NAAM, [*OUD, "sleutelpersoon_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("contactmoment", schema=None) as batch_op:
        batch_op.drop_index(NAAM)
        batch_op.create_index(NAAM, OUD, unique=False)
