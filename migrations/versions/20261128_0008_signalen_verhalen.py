"""signalen_verhalen: signals to policy with status history, experience stories, code list `effect`

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28

Every new table has `record_key`, a SMALLINT (0-255) drawn by the database on INSERT, for the
disclosure control of regional figures. The models declare it as a server-filled column only.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models.base import UtcDateTime

revision: str = '0008'
# Written on a branch beside 0007 (record keys); set to '0007' when both are merged.
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# The code list `effect` (handreiking chapter 7): (code, label, synonyms).
EFFECTEN: list[tuple[str, str, list[str]]] = [
    ("persoonlijke-ontwikkeling", "Persoonlijke ontwikkeling", ["eigen ontwikkeling", "empowerment"]),
    ("samenwerking", "Versterken van samenwerking", ["samenwerken", "netwerk"]),
    ("culturele-sensitiviteit", "Culturele sensitiviteit", ["cultuursensitiviteit", "cultuursensitief werken"]),
    ("eerder-in-beeld", "Eerder in beeld krijgen van behoeften en vragen", ["vroegsignalering", "eerder in beeld"]),
    ("gezondheid-welzijn", "Gezondheid en welzijn", ["gezondheid", "welzijn"]),
    ("anders", "Anders", ["overig"]),
]


def _record_key() -> sa.Column:
    """SMALLINT NOT NULL with a random 0-255 drawn by the database on every INSERT."""
    if op.get_context().dialect.name == "postgresql":
        default = sa.text("get_byte(uuid_send(gen_random_uuid()), 0)")
    else:
        default = sa.text("(random() & 255)")
    return sa.Column("record_key", sa.SmallInteger(), server_default=default, nullable=False)


def upgrade() -> None:
    op.create_table('ervaringsverhaal',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organisatie_id', sa.Uuid(), nullable=False),
    sa.Column('sleutelpersoon_id', sa.Uuid(), nullable=True),
    sa.Column('datum', sa.Date(), nullable=False),
    sa.Column('gemeentecode', sa.String(length=6), nullable=False),
    sa.Column('wijkcode', sa.String(length=8), nullable=True),
    sa.Column('bron', sa.String(length=20), nullable=False),
    sa.Column('titel', sa.String(length=200), nullable=False),
    sa.Column('verhaal', sa.String(length=8000), nullable=False),
    sa.Column('citaat', sa.String(length=300), nullable=True),
    sa.Column('toestemming_gegeven', sa.Boolean(), nullable=True),
    sa.Column('toestemming_datum', sa.Date(), nullable=True),
    sa.Column('toestemming_vorm', sa.String(length=20), nullable=True),
    sa.Column('gedeeld', sa.Boolean(), nullable=False),
    _record_key(),
    sa.Column('aangemaakt_op', UtcDateTime(), nullable=False),
    sa.Column('gewijzigd_op', UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organisatie_id'], ['organisatie.id'], name=op.f('fk_ervaringsverhaal_organisatie_id_organisatie')),
    sa.ForeignKeyConstraint(['sleutelpersoon_id'], ['sleutelpersoon.id'], name=op.f('fk_ervaringsverhaal_sleutelpersoon_id_sleutelpersoon')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ervaringsverhaal'))
    )
    with op.batch_alter_table('ervaringsverhaal', schema=None) as batch_op:
        batch_op.create_index('ix_ervaringsverhaal_gemeente_gedeeld', ['gemeentecode', 'gedeeld', 'datum'], unique=False)
        batch_op.create_index('ix_ervaringsverhaal_organisatie_datum', ['organisatie_id', 'datum'], unique=False)
        batch_op.create_index(batch_op.f('ix_ervaringsverhaal_sleutelpersoon_id'), ['sleutelpersoon_id'], unique=False)

    op.create_table('signaal',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organisatie_id', sa.Uuid(), nullable=False),
    sa.Column('extern_id', sa.String(length=100), nullable=True),
    sa.Column('sleutelpersoon_id', sa.Uuid(), nullable=True),
    sa.Column('datum', sa.Date(), nullable=False),
    sa.Column('gemeentecode', sa.String(length=6), nullable=False),
    sa.Column('wijkcode', sa.String(length=8), nullable=True),
    sa.Column('doelgroep', sa.String(length=40), nullable=True),
    sa.Column('taal', sa.String(length=3), nullable=True),
    sa.Column('titel', sa.String(length=200), nullable=False),
    sa.Column('omschrijving', sa.String(length=4000), nullable=False),
    sa.Column('hoe_vaak_gehoord', sa.Integer(), nullable=True),
    sa.Column('urgentie', sa.String(length=10), nullable=False),
    sa.Column('gericht_aan_soort', sa.String(length=20), nullable=False),
    sa.Column('gericht_aan_gemeentecode', sa.String(length=6), nullable=True),
    sa.Column('gericht_aan_ketenpartner_id', sa.Uuid(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_datum', sa.Date(), nullable=False),
    sa.Column('terugkoppeling_tekst', sa.String(length=4000), nullable=True),
    sa.Column('terugkoppeling_datum', sa.Date(), nullable=True),
    sa.Column('inhoud_hash', sa.String(length=64), nullable=False),
    _record_key(),
    sa.Column('aangemaakt_op', UtcDateTime(), nullable=False),
    sa.Column('gewijzigd_op', UtcDateTime(), nullable=False),
    sa.Column('verwijderd_op', UtcDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['gericht_aan_ketenpartner_id'], ['ketenpartner.id'], name=op.f('fk_signaal_gericht_aan_ketenpartner_id_ketenpartner')),
    sa.ForeignKeyConstraint(['organisatie_id'], ['organisatie.id'], name=op.f('fk_signaal_organisatie_id_organisatie')),
    sa.ForeignKeyConstraint(['sleutelpersoon_id'], ['sleutelpersoon.id'], name=op.f('fk_signaal_sleutelpersoon_id_sleutelpersoon')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signaal')),
    sa.UniqueConstraint('organisatie_id', 'extern_id', name=op.f('uq_signaal_organisatie_id_extern_id'))
    )
    with op.batch_alter_table('signaal', schema=None) as batch_op:
        batch_op.create_index('ix_signaal_gericht_aan', ['gericht_aan_gemeentecode', 'gericht_aan_soort', 'verwijderd_op'], unique=False)
        batch_op.create_index('ix_signaal_organisatie_datum', ['organisatie_id', 'datum'], unique=False)
        batch_op.create_index(batch_op.f('ix_signaal_sleutelpersoon_id'), ['sleutelpersoon_id'], unique=False)

    op.create_table('ervaringsverhaal_effect',
    sa.Column('ervaringsverhaal_id', sa.Uuid(), nullable=False),
    sa.Column('effect', sa.String(length=40), nullable=False),
    _record_key(),
    sa.ForeignKeyConstraint(['ervaringsverhaal_id'], ['ervaringsverhaal.id'], name=op.f('fk_ervaringsverhaal_effect_ervaringsverhaal_id_ervaringsverhaal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('ervaringsverhaal_id', 'effect', name=op.f('pk_ervaringsverhaal_effect'))
    )
    with op.batch_alter_table('ervaringsverhaal_effect', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ervaringsverhaal_effect_effect'), ['effect'], unique=False)

    op.create_table('ervaringsverhaal_onderwerp',
    sa.Column('ervaringsverhaal_id', sa.Uuid(), nullable=False),
    sa.Column('onderwerp', sa.String(length=80), nullable=False),
    _record_key(),
    sa.ForeignKeyConstraint(['ervaringsverhaal_id'], ['ervaringsverhaal.id'], name=op.f('fk_ervaringsverhaal_onderwerp_ervaringsverhaal_id_ervaringsverhaal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('ervaringsverhaal_id', 'onderwerp', name=op.f('pk_ervaringsverhaal_onderwerp'))
    )
    with op.batch_alter_table('ervaringsverhaal_onderwerp', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ervaringsverhaal_onderwerp_onderwerp'), ['onderwerp'], unique=False)

    op.create_table('signaal_onderwerp',
    sa.Column('signaal_id', sa.Uuid(), nullable=False),
    sa.Column('onderwerp', sa.String(length=80), nullable=False),
    _record_key(),
    sa.ForeignKeyConstraint(['signaal_id'], ['signaal.id'], name=op.f('fk_signaal_onderwerp_signaal_id_signaal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('signaal_id', 'onderwerp', name=op.f('pk_signaal_onderwerp'))
    )
    with op.batch_alter_table('signaal_onderwerp', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signaal_onderwerp_onderwerp'), ['onderwerp'], unique=False)

    op.create_table('signaal_status',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('signaal_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_datum', sa.Date(), nullable=False),
    sa.Column('vastgelegd_op', UtcDateTime(), nullable=False),
    sa.Column('api_sleutel_id', sa.Uuid(), nullable=True),
    _record_key(),
    sa.ForeignKeyConstraint(['signaal_id'], ['signaal.id'], name=op.f('fk_signaal_status_signaal_id_signaal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signaal_status'))
    )
    with op.batch_alter_table('signaal_status', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signaal_status_signaal_id'), ['signaal_id'], unique=False)

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
        dict(lijst="effect", code=c, label=label, ouder=None, synoniemen=syn, volgorde=i, actief=True)
        for i, (c, label, syn) in enumerate(EFFECTEN)
    ])


def downgrade() -> None:
    op.execute("DELETE FROM code WHERE lijst = 'effect'")
    with op.batch_alter_table('signaal_status', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signaal_status_signaal_id'))

    op.drop_table('signaal_status')
    with op.batch_alter_table('signaal_onderwerp', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signaal_onderwerp_onderwerp'))

    op.drop_table('signaal_onderwerp')
    with op.batch_alter_table('ervaringsverhaal_onderwerp', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ervaringsverhaal_onderwerp_onderwerp'))

    op.drop_table('ervaringsverhaal_onderwerp')
    with op.batch_alter_table('ervaringsverhaal_effect', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ervaringsverhaal_effect_effect'))

    op.drop_table('ervaringsverhaal_effect')
    with op.batch_alter_table('signaal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signaal_sleutelpersoon_id'))
        batch_op.drop_index('ix_signaal_organisatie_datum')
        batch_op.drop_index('ix_signaal_gericht_aan')

    op.drop_table('signaal')
    with op.batch_alter_table('ervaringsverhaal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ervaringsverhaal_sleutelpersoon_id'))
        batch_op.drop_index('ix_ervaringsverhaal_organisatie_datum')
        batch_op.drop_index('ix_ervaringsverhaal_gemeente_gedeeld')

    op.drop_table('ervaringsverhaal')
