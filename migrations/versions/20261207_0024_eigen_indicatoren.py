"""eigen indicatoren: indicators an organisation defines itself, with immutable versions (issue 25, part 2)

Tables `eigen_indicator` (code, sharing, status) and `eigen_indicator_versie` (the definition of each
version: name, definition, base measure, fixed filters, optional denominator). No counted rows, so no
record keys: an own indicator's values are the catalogue's over the same records (docs/eigen-indicatoren.md).

Revision ID: 0024
Revises: 0030
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models.base import UtcDateTime

revision: str = '0024'
down_revision: str | None = '0030'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('eigen_indicator',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organisatie_id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=80), nullable=False),
    sa.Column('gedeeld_met_regio', sa.Boolean(), nullable=False),
    sa.Column('huidige_versie', sa.Integer(), nullable=False),
    sa.Column('aangemaakt_op', UtcDateTime(timezone=True), nullable=False),
    sa.Column('gewijzigd_op', UtcDateTime(timezone=True), nullable=False),
    sa.Column('ingetrokken_op', UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['organisatie_id'], ['organisatie.id'], name=op.f('fk_eigen_indicator_organisatie_id_organisatie')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eigen_indicator')),
    sa.UniqueConstraint('organisatie_id', 'code', name=op.f('uq_eigen_indicator_organisatie_id_code'))
    )
    op.create_table('eigen_indicator_versie',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('eigen_indicator_id', sa.Uuid(), nullable=False),
    sa.Column('versie', sa.Integer(), nullable=False),
    sa.Column('naam', sa.String(length=200), nullable=False),
    sa.Column('definitie', sa.String(length=4000), nullable=False),
    sa.Column('basis', sa.String(length=80), nullable=False),
    sa.Column('filters', sa.JSON(), nullable=False),
    sa.Column('noemer', sa.JSON(), nullable=True),
    sa.Column('aangemaakt_op', UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['eigen_indicator_id'], ['eigen_indicator.id'], name=op.f('fk_eigen_indicator_versie_eigen_indicator_id_eigen_indicator')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eigen_indicator_versie')),
    sa.UniqueConstraint('eigen_indicator_id', 'versie', name=op.f('uq_eigen_indicator_versie_eigen_indicator_id_versie'))
    )
    with op.batch_alter_table('eigen_indicator_versie', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eigen_indicator_versie_eigen_indicator_id'), ['eigen_indicator_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('eigen_indicator_versie', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eigen_indicator_versie_eigen_indicator_id'))
    op.drop_table('eigen_indicator_versie')
    op.drop_table('eigen_indicator')
