"""rapportageperiodes: reporting rhythms, expected organisations, period statuses and their history

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models.base import UtcDateTime

revision: str = '0029'
down_revision: str | None = '0028'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('rapportageritme',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('naam', sa.String(length=200), nullable=False),
    sa.Column('ritme', sa.String(length=10), nullable=False),
    sa.Column('gemeentecodes', sa.JSON(), nullable=False),
    sa.Column('termijn_dagen', sa.Integer(), nullable=False),
    sa.Column('vanaf', sa.Date(), nullable=False),
    sa.Column('api_sleutel_id', sa.Uuid(), nullable=True),
    sa.Column('aangemaakt_op', UtcDateTime(), nullable=False),
    sa.Column('gewijzigd_op', UtcDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rapportageritme'))
    )
    op.create_table('rapportageritme_organisatie',
    sa.Column('ritme_id', sa.Uuid(), nullable=False),
    sa.Column('organisatie_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['organisatie_id'], ['organisatie.id'], name=op.f('fk_rapportageritme_organisatie_organisatie_id_organisatie')),
    sa.ForeignKeyConstraint(['ritme_id'], ['rapportageritme.id'], name=op.f('fk_rapportageritme_organisatie_ritme_id_rapportageritme')),
    sa.PrimaryKeyConstraint('ritme_id', 'organisatie_id', name=op.f('pk_rapportageritme_organisatie'))
    )
    with op.batch_alter_table('rapportageritme_organisatie', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rapportageritme_organisatie_organisatie_id'), ['organisatie_id'], unique=False)
    op.create_table('rapportagestatus',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('ritme_id', sa.Uuid(), nullable=False),
    sa.Column('organisatie_id', sa.Uuid(), nullable=False),
    sa.Column('periode', sa.String(length=7), nullable=False),
    sa.Column('begin', sa.Date(), nullable=False),
    sa.Column('eind', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('eerst_ingediend_op', UtcDateTime(), nullable=True),
    sa.Column('ingediend_op', UtcDateTime(), nullable=True),
    sa.Column('goedgekeurd_op', UtcDateTime(), nullable=True),
    sa.Column('bericht', sa.Text(), nullable=True),
    sa.Column('reden', sa.Text(), nullable=True),
    sa.Column('gewijzigd_op', UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organisatie_id'], ['organisatie.id'], name=op.f('fk_rapportagestatus_organisatie_id_organisatie')),
    sa.ForeignKeyConstraint(['ritme_id'], ['rapportageritme.id'], name=op.f('fk_rapportagestatus_ritme_id_rapportageritme')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rapportagestatus')),
    sa.UniqueConstraint('ritme_id', 'organisatie_id', 'periode', name=op.f('uq_rapportagestatus_ritme_id_organisatie_id_periode'))
    )
    with op.batch_alter_table('rapportagestatus', schema=None) as batch_op:
        batch_op.create_index('ix_rapportagestatus_slot', ['organisatie_id', 'status', 'begin'], unique=False)
    op.create_table('rapportage_historie',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('status_id', sa.Uuid(), nullable=False),
    sa.Column('tijdstip', UtcDateTime(), nullable=False),
    sa.Column('actie', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('api_sleutel_id', sa.Uuid(), nullable=True),
    sa.Column('toelichting', sa.Text(), nullable=True),
    sa.Column('aantal', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['status_id'], ['rapportagestatus.id'], name=op.f('fk_rapportage_historie_status_id_rapportagestatus')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rapportage_historie'))
    )
    with op.batch_alter_table('rapportage_historie', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rapportage_historie_status_id'), ['status_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('rapportage_historie', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rapportage_historie_status_id'))
    op.drop_table('rapportage_historie')
    with op.batch_alter_table('rapportagestatus', schema=None) as batch_op:
        batch_op.drop_index('ix_rapportagestatus_slot')
    op.drop_table('rapportagestatus')
    with op.batch_alter_table('rapportageritme_organisatie', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rapportageritme_organisatie_organisatie_id'))
    op.drop_table('rapportageritme_organisatie')
    op.drop_table('rapportageritme')
