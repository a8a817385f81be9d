"""import_taken: an import job's lease, heartbeat, progress and stored upload live in its run

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28

A background import is claimed by one worker with a lease (`werker`, `lease_tot`) that its
heartbeat renews; `verwerkt` is its progress, readable by every worker; `bestandspad` is the stored
upload, so a job whose worker died can be run again and its file removed. `pogingen` bounds reruns.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models.base import UtcDateTime

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('import_run', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verwerkt', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('werker', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('lease_tot', UtcDateTime(), nullable=True))
        batch_op.add_column(sa.Column('pogingen', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('bestandspad', sa.String(length=1000), nullable=True))
        batch_op.create_index('ix_import_run_status', ['status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('import_run', schema=None) as batch_op:
        batch_op.drop_index('ix_import_run_status')
        batch_op.drop_column('bestandspad')
        batch_op.drop_column('pogingen')
        batch_op.drop_column('lease_tot')
        batch_op.drop_column('werker')
        batch_op.drop_column('verwerkt')
