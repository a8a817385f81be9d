"""doelen: a profile over the period's months or quarters, and sharing with regional keys (issue 25, part 3)

`doel.verdeling` (JSON weights, NULL: pro rata by days) and `doel.gedeeld` (false for every existing
target: sharing is a choice the organisation makes afterwards). A target per group value needs no
column: it is a target with a one-value filter on that dimension. `doel.indicator` widens to 80
characters, the length of an own indicator's code (`eigen.…`, migration 0024).

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0025'
down_revision: str | None = '0024'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('doel', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verdeling', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('gedeeld', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.alter_column('indicator', existing_type=sa.String(60), type_=sa.String(80), existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('doel', schema=None) as batch_op:
        batch_op.alter_column('indicator', existing_type=sa.String(80), type_=sa.String(60), existing_nullable=False)
        batch_op.drop_column('gedeeld')
        batch_op.drop_column('verdeling')
