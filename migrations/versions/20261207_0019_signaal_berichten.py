"""signaal_bericht: a signal's feedback becomes a conversation of dated messages

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07

Until now a new feedback text overwrote the earlier one (`signaal.terugkoppeling_tekst`). Each
message is now kept in `signaal_bericht`, from the receiver (`van = 'ontvanger'`) or from the
organisation that gave the signal (`van = 'organisatie'`). The signal's `terugkoppeling_*` columns
stay: they mirror the receiver's latest message (the API's `terugkoppeling`). The feedback stored
so far becomes the first message of each thread.
"""

import hashlib
import json
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from app.models.base import UtcDateTime

revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bericht = op.create_table('signaal_bericht',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('signaal_id', sa.Uuid(), nullable=False),
    sa.Column('van', sa.String(length=20), nullable=False),
    sa.Column('tekst', sa.String(length=4000), nullable=False),
    sa.Column('datum', sa.Date(), nullable=False),
    sa.Column('extern_id', sa.String(length=100), nullable=True),
    sa.Column('inhoud_hash', sa.String(length=64), nullable=False),
    sa.Column('api_sleutel_id', sa.Uuid(), nullable=True),
    sa.Column('apparaat_id', sa.Uuid(), nullable=True),
    sa.Column('sleutelpersoon_id', sa.Uuid(), nullable=True),
    sa.Column('aangemaakt_op', UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['signaal_id'], ['signaal.id'], name=op.f('fk_signaal_bericht_signaal_id_signaal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signaal_bericht')),
    sa.UniqueConstraint('signaal_id', 'van', 'extern_id', name=op.f('uq_signaal_bericht_signaal_id_van_extern_id'))
    )
    with op.batch_alter_table('signaal_bericht', schema=None) as batch_op:
        batch_op.create_index('ix_signaal_bericht_draad', ['signaal_id', 'datum', 'aangemaakt_op'], unique=False)

    # The feedback given so far: the first message of each thread, from the receiver.
    signaal = sa.table('signaal', sa.column('id', sa.Uuid()), sa.column('terugkoppeling_tekst', sa.String()),
                       sa.column('terugkoppeling_datum', sa.Date()), sa.column('gewijzigd_op', UtcDateTime()))
    connection = op.get_bind()
    rijen = connection.execute(
        sa.select(signaal.c.id, signaal.c.terugkoppeling_tekst, signaal.c.terugkoppeling_datum, signaal.c.gewijzigd_op)
        .where(signaal.c.terugkoppeling_tekst.is_not(None), signaal.c.terugkoppeling_datum.is_not(None))
    ).all()
    if rijen:
        op.bulk_insert(bericht, [
            {
                'id': uuid.uuid4(), 'signaal_id': rij.id, 'van': 'ontvanger', 'tekst': rij.terugkoppeling_tekst,
                'datum': rij.terugkoppeling_datum, 'extern_id': None,
                'inhoud_hash': hashlib.sha256(json.dumps(
                    {'tekst': rij.terugkoppeling_tekst, 'datum': rij.terugkoppeling_datum.isoformat()}, sort_keys=True
                ).encode()).hexdigest(),
                'api_sleutel_id': None, 'apparaat_id': None, 'sleutelpersoon_id': None,
                'aangemaakt_op': rij.gewijzigd_op or datetime.now(UTC),
            }
            for rij in rijen
        ])


def downgrade() -> None:
    # The signal's terugkoppeling columns already hold the receiver's latest message: nothing to copy back.
    with op.batch_alter_table('signaal_bericht', schema=None) as batch_op:
        batch_op.drop_index('ix_signaal_bericht_draad')
    op.drop_table('signaal_bericht')
