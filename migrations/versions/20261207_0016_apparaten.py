"""apparaten: invitations and device sessions of key persons (the app at /app), and who wrote in the audit

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07

A coordinator invites a key person (`uitnodiging`: a one-time token, stored as its SHA-256, valid for
a week); opening it on a phone creates a device session (`apparaat`: a random token in an HttpOnly
cookie, stored as its SHA-256, with a sliding lifetime). The audit trail names the device that made
a write (`audit_regel.apparaat_id`). See app/apparaten/.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models.base import UtcDateTime

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('apparaat',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organisatie_id', sa.Uuid(), nullable=False),
    sa.Column('sleutelpersoon_id', sa.Uuid(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_agent', sa.String(length=300), nullable=True),
    sa.Column('aangemaakt_op', UtcDateTime(), nullable=False),
    sa.Column('laatst_gebruikt_op', UtcDateTime(), nullable=False),
    sa.Column('verloopt_op', UtcDateTime(), nullable=False),
    sa.Column('ingetrokken_op', UtcDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['organisatie_id'], ['organisatie.id'], name=op.f('fk_apparaat_organisatie_id_organisatie')),
    sa.ForeignKeyConstraint(['sleutelpersoon_id'], ['sleutelpersoon.id'], name=op.f('fk_apparaat_sleutelpersoon_id_sleutelpersoon')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_apparaat')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_apparaat_token_hash'))
    )
    with op.batch_alter_table('apparaat', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_apparaat_organisatie_id'), ['organisatie_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_apparaat_sleutelpersoon_id'), ['sleutelpersoon_id'], unique=False)

    op.create_table('uitnodiging',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organisatie_id', sa.Uuid(), nullable=False),
    sa.Column('sleutelpersoon_id', sa.Uuid(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('aangemaakt_op', UtcDateTime(), nullable=False),
    sa.Column('aangemaakt_door', sa.Uuid(), nullable=True),
    sa.Column('verloopt_op', UtcDateTime(), nullable=False),
    sa.Column('gebruikt_op', UtcDateTime(), nullable=True),
    sa.Column('ingetrokken_op', UtcDateTime(), nullable=True),
    sa.Column('apparaat_id', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['organisatie_id'], ['organisatie.id'], name=op.f('fk_uitnodiging_organisatie_id_organisatie')),
    sa.ForeignKeyConstraint(['sleutelpersoon_id'], ['sleutelpersoon.id'], name=op.f('fk_uitnodiging_sleutelpersoon_id_sleutelpersoon')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_uitnodiging')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_uitnodiging_token_hash'))
    )
    with op.batch_alter_table('uitnodiging', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_uitnodiging_organisatie_id'), ['organisatie_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_uitnodiging_sleutelpersoon_id'), ['sleutelpersoon_id'], unique=False)

    with op.batch_alter_table('audit_regel', schema=None) as batch_op:
        batch_op.add_column(sa.Column('apparaat_id', sa.Uuid(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('audit_regel', schema=None) as batch_op:
        batch_op.drop_column('apparaat_id')
    with op.batch_alter_table('uitnodiging', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_uitnodiging_sleutelpersoon_id'))
        batch_op.drop_index(batch_op.f('ix_uitnodiging_organisatie_id'))
    op.drop_table('uitnodiging')
    with op.batch_alter_table('apparaat', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_apparaat_sleutelpersoon_id'))
        batch_op.drop_index(batch_op.f('ix_apparaat_organisatie_id'))
    op.drop_table('apparaat')
