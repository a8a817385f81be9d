"""dashboard_sessie and aanmeldpoging: server-side dashboard sessions and sign-in throttling

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07

The dashboard's signed cookie now names a row of `dashboard_sessie` (a random token, stored as its
SHA-256), checked on every request, so signing out or ending a session from the list ends it at once
in every process. `aanmeldpoging` holds failed sign-ins (keyed hashes of the client address and the
key prefix, kept for the throttling window only), shared by every process. See app/web/sessieopslag.py
and app/web/aanmeldpogingen.py.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models.base import UtcDateTime

revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('dashboard_sessie',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('api_sleutel_id', sa.Uuid(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('apparaat', sa.String(length=60), nullable=False),
    sa.Column('aangemaakt_op', UtcDateTime(), nullable=False),
    sa.Column('laatst_gezien_op', UtcDateTime(), nullable=False),
    sa.Column('verloopt_op', UtcDateTime(), nullable=False),
    sa.Column('beeindigd_op', UtcDateTime(), nullable=True),
    sa.Column('einde', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['api_sleutel_id'], ['api_sleutel.id'], name=op.f('fk_dashboard_sessie_api_sleutel_id_api_sleutel')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dashboard_sessie')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_dashboard_sessie_token_hash'))
    )
    with op.batch_alter_table('dashboard_sessie', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dashboard_sessie_api_sleutel_id'), ['api_sleutel_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dashboard_sessie_verloopt_op'), ['verloopt_op'], unique=False)

    op.create_table('aanmeldpoging',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('adres_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix_hash', sa.String(length=64), nullable=True),
    sa.Column('moment', UtcDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aanmeldpoging'))
    )
    with op.batch_alter_table('aanmeldpoging', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_aanmeldpoging_adres_hash'), ['adres_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_aanmeldpoging_prefix_hash'), ['prefix_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_aanmeldpoging_moment'), ['moment'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('aanmeldpoging', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_aanmeldpoging_moment'))
        batch_op.drop_index(batch_op.f('ix_aanmeldpoging_prefix_hash'))
        batch_op.drop_index(batch_op.f('ix_aanmeldpoging_adres_hash'))
    op.drop_table('aanmeldpoging')
    with op.batch_alter_table('dashboard_sessie', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dashboard_sessie_verloopt_op'))
        batch_op.drop_index(batch_op.f('ix_dashboard_sessie_api_sleutel_id'))
    op.drop_table('dashboard_sessie')
