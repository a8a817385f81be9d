"""inzet: hours per key person per day (table `inzet`, code list `inzet-soort`), and an externId on referrals

Issue 23, parts 4 and 7. `inzet` holds the hours a key person worked on a day, by kind; like every
counted table it has a `record_key` drawn by the database on INSERT (docs/onderdrukking.md). A
referral gets an optional `extern_id` (unique per organisation) and the fingerprint of its
submission, so adding a referral to an existing contactmoment can be retried safely.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models.base import UtcDateTime

revision: str = '0017'
# Written beside 0016 (device sessions, the lead's), on top of it since main was merged in.
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The code list `inzet-soort`: (code, label, synonyms).
SOORTEN: list[tuple[str, str, list[str]]] = [
    ("contacten", "Contacten met inwoners", ["contact", "hulpvragen", "spreekuur"]),
    ("groepsactiviteit", "Groepsactiviteit of voorlichting", ["voorlichting", "bijeenkomst", "groep"]),
    ("overleg", "Overleg", ["vergadering", "casusoverleg", "afstemming"]),
    ("training", "Training en intervisie", ["scholing", "cursus", "intervisie"]),
    ("reizen", "Reizen", ["reistijd", "onderweg"]),
    ("overig", "Overig", ["anders", "administratie"]),
]


def _record_key() -> sa.Column:
    """SMALLINT NOT NULL with a random 0-255 drawn by the database on every INSERT."""
    if op.get_context().dialect.name == "postgresql":
        default = sa.text("get_byte(uuid_send(gen_random_uuid()), 0)")
    else:
        default = sa.text("(random() & 255)")
    return sa.Column("record_key", sa.SmallInteger(), server_default=default, nullable=False)


def upgrade() -> None:
    op.create_table('inzet',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organisatie_id', sa.Uuid(), nullable=False),
    sa.Column('extern_id', sa.String(length=100), nullable=True),
    sa.Column('sleutelpersoon_id', sa.Uuid(), nullable=False),
    sa.Column('datum', sa.Date(), nullable=False),
    sa.Column('minuten', sa.Integer(), nullable=False),
    sa.Column('soort', sa.String(length=40), nullable=False),
    sa.Column('gemeentecode', sa.String(length=6), nullable=True),
    sa.Column('toelichting', sa.String(length=500), nullable=True),
    sa.Column('inhoud_hash', sa.String(length=64), nullable=False),
    _record_key(),
    sa.Column('aangemaakt_op', UtcDateTime(timezone=True), nullable=False),
    sa.Column('gewijzigd_op', UtcDateTime(timezone=True), nullable=False),
    sa.Column('verwijderd_op', UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['organisatie_id'], ['organisatie.id'], name=op.f('fk_inzet_organisatie_id_organisatie')),
    sa.ForeignKeyConstraint(['sleutelpersoon_id'], ['sleutelpersoon.id'], name=op.f('fk_inzet_sleutelpersoon_id_sleutelpersoon')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inzet')),
    sa.UniqueConstraint('organisatie_id', 'extern_id', name=op.f('uq_inzet_organisatie_id_extern_id'))
    )
    with op.batch_alter_table('inzet', schema=None) as batch_op:
        batch_op.create_index('ix_inzet_sleutelpersoon_datum', ['sleutelpersoon_id', 'datum'], unique=False)
        batch_op.create_index('ix_inzet_organisatie_datum', ['organisatie_id', 'datum'], unique=False)
        batch_op.create_index('ix_inzet_gemeente_datum', ['gemeentecode', 'datum', 'verwijderd_op', 'soort', 'minuten',
                                                          'sleutelpersoon_id', 'record_key'], unique=False)

    with op.batch_alter_table('doorverwijzing', schema=None) as batch_op:
        batch_op.add_column(sa.Column('extern_id', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('inhoud_hash', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_doorverwijzing_organisatie_id_extern_id'), ['organisatie_id', 'extern_id'])

    code = sa.table(
        "code",
        sa.column("lijst", sa.String),
        sa.column("code", sa.String),
        sa.column("label", sa.String),
        sa.column("ouder", sa.String),
        sa.column("synoniemen", sa.JSON),
        sa.column("volgorde", sa.Integer),
        sa.column("actief", sa.Boolean),
    )
    op.bulk_insert(code, [
        {"lijst": "inzet-soort", "code": c, "label": label, "ouder": None, "synoniemen": syn, "volgorde": i, "actief": True}
        for i, (c, label, syn) in enumerate(SOORTEN)
    ])


def downgrade() -> None:
    op.execute("DELETE FROM code WHERE lijst = 'inzet-soort'")
    with op.batch_alter_table('doorverwijzing', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_doorverwijzing_organisatie_id_extern_id'), type_='unique')
        batch_op.drop_column('inhoud_hash')
        batch_op.drop_column('extern_id')
    with op.batch_alter_table('inzet', schema=None) as batch_op:
        batch_op.drop_index('ix_inzet_gemeente_datum')
        batch_op.drop_index('ix_inzet_organisatie_datum')
        batch_op.drop_index('ix_inzet_sleutelpersoon_datum')
    op.drop_table('inzet')
