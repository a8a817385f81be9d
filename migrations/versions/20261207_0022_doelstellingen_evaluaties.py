"""doelstellingen and evaluaties: the organisation's goals and its evaluation meetings (issue 25, parts 1 and 4)

Revision ID: 0022
Revises: 0020
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models.base import UtcDateTime

revision: str = '0022'
down_revision: str | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('doelstelling',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organisatie_id', sa.Uuid(), nullable=False),
    sa.Column('extern_id', sa.String(length=100), nullable=True),
    sa.Column('titel', sa.String(length=200), nullable=False),
    sa.Column('omschrijving', sa.String(length=4000), nullable=True),
    sa.Column('behoefteanalyse_datum', sa.Date(), nullable=True),
    sa.Column('behoefteanalyse_tekst', sa.String(length=4000), nullable=True),
    sa.Column('beoogde_ketenpartners', sa.JSON(), nullable=False),
    sa.Column('vanaf', sa.Date(), nullable=False),
    sa.Column('tot', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('indicatoren', sa.JSON(), nullable=False),
    sa.Column('inhoud_hash', sa.String(length=64), nullable=False),
    sa.Column('aangemaakt_op', UtcDateTime(timezone=True), nullable=False),
    sa.Column('gewijzigd_op', UtcDateTime(timezone=True), nullable=False),
    sa.Column('verwijderd_op', UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['organisatie_id'], ['organisatie.id'], name=op.f('fk_doelstelling_organisatie_id_organisatie')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_doelstelling')),
    sa.UniqueConstraint('organisatie_id', 'extern_id', name=op.f('uq_doelstelling_organisatie_id_extern_id'))
    )
    with op.batch_alter_table('doelstelling', schema=None) as batch_op:
        batch_op.create_index('ix_doelstelling_organisatie_vanaf', ['organisatie_id', 'vanaf'], unique=False)

    op.create_table('evaluatie',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organisatie_id', sa.Uuid(), nullable=False),
    sa.Column('datum', sa.Date(), nullable=False),
    sa.Column('deelnemers', sa.JSON(), nullable=False),
    sa.Column('bevindingen', sa.String(length=8000), nullable=True),
    sa.Column('besluiten', sa.JSON(), nullable=False),
    sa.Column('indicatoren', sa.JSON(), nullable=False),
    sa.Column('ervaringsverhalen', sa.JSON(), nullable=False),
    sa.Column('aangemaakt_op', UtcDateTime(timezone=True), nullable=False),
    sa.Column('gewijzigd_op', UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisatie_id'], ['organisatie.id'], name=op.f('fk_evaluatie_organisatie_id_organisatie')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluatie'))
    )
    with op.batch_alter_table('evaluatie', schema=None) as batch_op:
        batch_op.create_index('ix_evaluatie_organisatie_datum', ['organisatie_id', 'datum'], unique=False)

    op.create_table('evaluatie_doelstelling',
    sa.Column('evaluatie_id', sa.Uuid(), nullable=False),
    sa.Column('doelstelling_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['doelstelling_id'], ['doelstelling.id'], name=op.f('fk_evaluatie_doelstelling_doelstelling_id_doelstelling')),
    sa.ForeignKeyConstraint(['evaluatie_id'], ['evaluatie.id'], name=op.f('fk_evaluatie_doelstelling_evaluatie_id_evaluatie'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('evaluatie_id', 'doelstelling_id', name=op.f('pk_evaluatie_doelstelling'))
    )
    with op.batch_alter_table('evaluatie_doelstelling', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluatie_doelstelling_doelstelling_id'), ['doelstelling_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('evaluatie_doelstelling', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluatie_doelstelling_doelstelling_id'))
    op.drop_table('evaluatie_doelstelling')
    with op.batch_alter_table('evaluatie', schema=None) as batch_op:
        batch_op.drop_index('ix_evaluatie_organisatie_datum')
    op.drop_table('evaluatie')
    with op.batch_alter_table('doelstelling', schema=None) as batch_op:
        batch_op.drop_index('ix_doelstelling_organisatie_vanaf')
    op.drop_table('doelstelling')
