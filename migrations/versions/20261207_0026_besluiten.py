"""besluiten: the decisions of an evaluation become rows of their own (issue 25, part 4)

Until now an evaluation kept its decisions as a JSON list without ids. `/v1/besluiten` lists,
filters and changes decisions across evaluations, so each gets a row (and an id) in `besluit`;
the existing JSON is copied over in order, and the JSON column goes.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op

from app.models.base import UtcDateTime

revision: str = '0026'
down_revision: str | None = '0025'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Read the JSON first and drop the column before `besluit` exists: on SQLite the batch mode rebuilds
    # `evaluatie` (DROP TABLE), which with foreign keys on would cascade into rows already copied.
    evaluatie = sa.table('evaluatie', sa.column('id', sa.Uuid()), sa.column('organisatie_id', sa.Uuid()),
                         sa.column('besluiten', sa.JSON()), sa.column('gewijzigd_op', UtcDateTime(timezone=True)))
    rijen = []
    for e in op.get_bind().execute(sa.select(evaluatie.c.id, evaluatie.c.organisatie_id, evaluatie.c.besluiten,
                                              evaluatie.c.gewijzigd_op)):
        for volgorde, b in enumerate(e.besluiten or []):
            rijen.append({
                'id': uuid.uuid4(), 'organisatie_id': e.organisatie_id, 'evaluatie_id': e.id, 'volgorde': volgorde,
                'tekst': b['tekst'], 'eigenaar_rol': b['eigenaar_rol'],
                'deadline': date.fromisoformat(b['deadline']) if b.get('deadline') else None,
                'status': b.get('status') or 'open', 'aangemaakt_op': e.gewijzigd_op or datetime.now(UTC),
                'gewijzigd_op': e.gewijzigd_op or datetime.now(UTC),
            })
    with op.batch_alter_table('evaluatie', schema=None) as batch_op:
        batch_op.drop_column('besluiten')

    besluit = op.create_table('besluit',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organisatie_id', sa.Uuid(), nullable=False),
    sa.Column('evaluatie_id', sa.Uuid(), nullable=False),
    sa.Column('volgorde', sa.Integer(), nullable=False),
    sa.Column('tekst', sa.String(length=1000), nullable=False),
    sa.Column('eigenaar_rol', sa.String(length=20), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('aangemaakt_op', UtcDateTime(timezone=True), nullable=False),
    sa.Column('gewijzigd_op', UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['evaluatie_id'], ['evaluatie.id'], name=op.f('fk_besluit_evaluatie_id_evaluatie'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisatie_id'], ['organisatie.id'], name=op.f('fk_besluit_organisatie_id_organisatie')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_besluit'))
    )
    with op.batch_alter_table('besluit', schema=None) as batch_op:
        batch_op.create_index('ix_besluit_evaluatie_volgorde', ['evaluatie_id', 'volgorde'], unique=False)
        batch_op.create_index('ix_besluit_organisatie_status_deadline', ['organisatie_id', 'status', 'deadline'], unique=False)
    if rijen:
        op.bulk_insert(besluit, rijen)


def downgrade() -> None:
    besluit = sa.table('besluit', sa.column('evaluatie_id', sa.Uuid()), sa.column('volgorde', sa.Integer()),
                       sa.column('tekst', sa.String()), sa.column('eigenaar_rol', sa.String()), sa.column('deadline', sa.Date()),
                       sa.column('status', sa.String()))
    verbinding = op.get_bind()
    per_evaluatie: dict[uuid.UUID, list[dict[str, object]]] = {}
    for b in verbinding.execute(sa.select(besluit).order_by(besluit.c.evaluatie_id, besluit.c.volgorde)):
        per_evaluatie.setdefault(b.evaluatie_id, []).append({
            'tekst': b.tekst, 'eigenaar_rol': b.eigenaar_rol, 'deadline': b.deadline.isoformat() if b.deadline else None,
            'status': b.status})
    with op.batch_alter_table('besluit', schema=None) as batch_op:
        batch_op.drop_index('ix_besluit_organisatie_status_deadline')
        batch_op.drop_index('ix_besluit_evaluatie_volgorde')
    op.drop_table('besluit')
    with op.batch_alter_table('evaluatie', schema=None) as batch_op:
        batch_op.add_column(sa.Column('besluiten', sa.JSON(), nullable=False, server_default='[]'))
    evaluatie = sa.table('evaluatie', sa.column('id', sa.Uuid()), sa.column('besluiten', sa.JSON()))
    for evaluatie_id, besluiten in per_evaluatie.items():
        verbinding.execute(sa.update(evaluatie).where(evaluatie.c.id == evaluatie_id).values(besluiten=besluiten))
