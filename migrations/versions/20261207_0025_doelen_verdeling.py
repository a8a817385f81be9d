"""doelen: a profile over the period's months or quarters, and sharing with regional keys (issue 25, part 3)

`doel.verdeling` (JSON weights, NULL: pro rata by days) and `doel.gedeeld` (false for every existing
target: sharing is a choice the organisation makes afterwards). A target per group value needs no
column: it is a target with a one-value filter on that dimension.

Revision ID: 0025
Revises: 0030
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0025'
down_revision: str | None = '0030'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('doel', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verdeling', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('gedeeld', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('doel', schema=None) as batch_op:
        batch_op.drop_column('gedeeld')
        batch_op.drop_column('verdeling')
