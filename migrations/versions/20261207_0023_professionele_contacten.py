"""professionele contacten: a key person's contacts with professionals (issue 25, part 5)

Table `professioneel_contact` (with its topics in `professioneel_contact_onderwerp`) and the code
list `professioneel-contact-soort`. Like every counted table both have a `record_key` drawn by the
database on INSERT (docs/onderdrukking.md).

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models.base import UtcDateTime

revision: str = '0023'
down_revision: str | None = '0022'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The code list `professioneel-contact-soort`: (code, label, synonyms).
SOORTEN: list[tuple[str, str, list[str]]] = [
    ("adviesvraag", "Adviesvraag van een professional", ["advies", "consult", "vraag"]),
    ("casusoverleg", "Casusoverleg", ["casus", "multidisciplinair overleg", "mdo"]),
    ("voorlichting-aan-professionals", "Voorlichting aan professionals", ["training", "scholing", "presentatie"]),
    ("klankbordgroep", "Klankbordgroep", ["klankbord", "meedenken"]),
    ("materiaal-testen", "Materiaal testen", ["folder testen", "toetsen", "meelezen"]),
    ("overleg", "Overleg", ["afstemming", "vergadering"]),
]


def _record_key() -> sa.Column:
    """SMALLINT NOT NULL with a random 0-255 drawn by the database on every INSERT."""
    if op.get_context().dialect.name == "postgresql":
        default = sa.text("get_byte(uuid_send(gen_random_uuid()), 0)")
    else:
        default = sa.text("(random() & 255)")
    return sa.Column("record_key", sa.SmallInteger(), server_default=default, nullable=False)


def upgrade() -> None:
    op.create_table('professioneel_contact',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organisatie_id', sa.Uuid(), nullable=False),
    sa.Column('extern_id', sa.String(length=100), nullable=True),
    sa.Column('sleutelpersoon_id', sa.Uuid(), nullable=False),
    sa.Column('datum', sa.Date(), nullable=False),
    sa.Column('soort', sa.String(length=40), nullable=False),
    sa.Column('aangevraagd_door_soort', sa.String(length=20), nullable=False),
    sa.Column('aangevraagd_door_ketenpartner_id', sa.Uuid(), nullable=True),
    sa.Column('aangevraagd_door_gemeentecode', sa.String(length=6), nullable=True),
    sa.Column('aantal_professionals', sa.Integer(), nullable=False),
    sa.Column('duur_minuten', sa.Integer(), nullable=True),
    sa.Column('gemeentecode', sa.String(length=6), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=True),
    sa.Column('terugkoppeling_tekst', sa.String(length=4000), nullable=True),
    sa.Column('terugkoppeling_datum', sa.Date(), nullable=True),
    sa.Column('inhoud_hash', sa.String(length=64), nullable=False),
    _record_key(),
    sa.Column('aangemaakt_op', UtcDateTime(timezone=True), nullable=False),
    sa.Column('gewijzigd_op', UtcDateTime(timezone=True), nullable=False),
    sa.Column('verwijderd_op', UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['organisatie_id'], ['organisatie.id'],
                            name=op.f('fk_professioneel_contact_organisatie_id_organisatie')),
    sa.ForeignKeyConstraint(['sleutelpersoon_id'], ['sleutelpersoon.id'],
                            name=op.f('fk_professioneel_contact_sleutelpersoon_id_sleutelpersoon')),
    sa.ForeignKeyConstraint(['aangevraagd_door_ketenpartner_id'], ['ketenpartner.id'],
                            name=op.f('fk_professioneel_contact_aangevraagd_door_ketenpartner_id_ketenpartner')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_professioneel_contact')),
    sa.UniqueConstraint('organisatie_id', 'extern_id', name=op.f('uq_professioneel_contact_organisatie_id_extern_id'))
    )
    with op.batch_alter_table('professioneel_contact', schema=None) as batch_op:
        batch_op.create_index('ix_professioneel_contact_sleutelpersoon_datum', ['sleutelpersoon_id', 'datum'], unique=False)
        batch_op.create_index('ix_professioneel_contact_organisatie_datum', ['organisatie_id', 'datum'], unique=False)
        batch_op.create_index('ix_professioneel_contact_gemeente_datum', ['gemeentecode', 'datum', 'verwijderd_op'], unique=False)

    op.create_table('professioneel_contact_onderwerp',
    sa.Column('professioneel_contact_id', sa.Uuid(), nullable=False),
    sa.Column('onderwerp', sa.String(length=80), nullable=False),
    _record_key(),
    sa.ForeignKeyConstraint(['professioneel_contact_id'], ['professioneel_contact.id'],
                            name=op.f('fk_professioneel_contact_onderwerp_professioneel_contact_id_professioneel_contact'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('professioneel_contact_id', 'onderwerp', name=op.f('pk_professioneel_contact_onderwerp'))
    )
    with op.batch_alter_table('professioneel_contact_onderwerp', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_professioneel_contact_onderwerp_onderwerp'), ['onderwerp'], unique=False)

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
        {"lijst": "professioneel-contact-soort", "code": c, "label": label, "ouder": None, "synoniemen": syn,
         "volgorde": i, "actief": True}
        for i, (c, label, syn) in enumerate(SOORTEN)
    ])


def downgrade() -> None:
    op.execute("DELETE FROM code WHERE lijst = 'professioneel-contact-soort'")
    with op.batch_alter_table('professioneel_contact_onderwerp', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_professioneel_contact_onderwerp_onderwerp'))
    op.drop_table('professioneel_contact_onderwerp')
    with op.batch_alter_table('professioneel_contact', schema=None) as batch_op:
        batch_op.drop_index('ix_professioneel_contact_gemeente_datum')
        batch_op.drop_index('ix_professioneel_contact_organisatie_datum')
        batch_op.drop_index('ix_professioneel_contact_sleutelpersoon_datum')
    op.drop_table('professioneel_contact')
