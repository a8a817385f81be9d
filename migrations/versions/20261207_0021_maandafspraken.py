"""maandafspraak: the agreements of a coordinator and a key person per month (the maandoverzicht)

Revision ID: 0021
Revises: 0019
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models.base import UtcDateTime

revision: str = '0021'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('maandafspraak',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organisatie_id', sa.Uuid(), nullable=False),
    sa.Column('sleutelpersoon_id', sa.Uuid(), nullable=False),
    sa.Column('maand', sa.String(length=7), nullable=False),
    sa.Column('tekst', sa.Text(), nullable=False),
    sa.Column('api_sleutel_id', sa.Uuid(), nullable=True),
    sa.Column('gewijzigd_op', UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organisatie_id'], ['organisatie.id'], name=op.f('fk_maandafspraak_organisatie_id_organisatie')),
    sa.ForeignKeyConstraint(['sleutelpersoon_id'], ['sleutelpersoon.id'], name=op.f('fk_maandafspraak_sleutelpersoon_id_sleutelpersoon')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_maandafspraak')),
    sa.UniqueConstraint('sleutelpersoon_id', 'maand', name=op.f('uq_maandafspraak_sleutelpersoon_id_maand'))
    )
    with op.batch_alter_table('maandafspraak', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_maandafspraak_organisatie_id'), ['organisatie_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('maandafspraak', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_maandafspraak_organisatie_id'))
    op.drop_table('maandafspraak')
