"""lees_audit: every indicator read by a reader other than the organisation itself, for audit and budget

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07

One row per read by a regional, national or beheer key (API and dashboard alike): the key, the
local day, the table's parameters and their hash, whether it was the key's first read of that
table that day (`nieuw`, what the daily budget counts) and why it was refused, if it was. Never a
value of the answer. See app/indicatoren/lezingen.py and docs/onderdrukking.md.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models.base import UtcDateTime

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('lees_audit',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('tijdstip', UtcDateTime(), nullable=False),
    sa.Column('api_sleutel_id', sa.Uuid(), nullable=True),
    sa.Column('dag', sa.Date(), nullable=False),
    sa.Column('indicator', sa.String(length=80), nullable=False),
    sa.Column('parameters', sa.JSON(), nullable=False),
    sa.Column('tabel_hash', sa.String(length=64), nullable=False),
    sa.Column('nieuw', sa.Boolean(), nullable=False),
    sa.Column('geweigerd', sa.String(length=200), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lees_audit'))
    )
    with op.batch_alter_table('lees_audit', schema=None) as batch_op:
        batch_op.create_index('ix_lees_audit_budget', ['api_sleutel_id', 'dag', 'nieuw', 'tabel_hash'], unique=False)
        batch_op.create_index('ix_lees_audit_dag', ['dag'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('lees_audit', schema=None) as batch_op:
        batch_op.drop_index('ix_lees_audit_dag')
        batch_op.drop_index('ix_lees_audit_budget')
    op.drop_table('lees_audit')
