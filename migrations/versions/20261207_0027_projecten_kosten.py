"""projecten en kosten: funding streams, costs and allowances (issue 26, parts 1 and 5)

Table `project` (a funding stream: financier, regeling, period, budget in cents), table `kosten`
(a cost in whole cents, optionally of a key person and a project; counted, so it has a
`record_key` drawn by the database on INSERT, docs/onderdrukking.md), a nullable `project_id` on
contactmoment, inzet and professioneel_contact, and the code lists `regeling` and `kosten-soort`.

Revision ID: 0027
Revises: 0029
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models.base import UtcDateTime

revision: str = '0027'
# Written on 0023; follows main's head 0028 since main was merged in (one head; the lead rechains at merge).
down_revision: str | None = '0029'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (code, label, synonyms) per code list.
REGELINGEN: list[tuple[str, str, list[str]]] = [
    ("sociaal-domein", "Sociaal domein (gemeente)", ["wmo", "gemeente", "sociaal"]),
    ("kansrijke-start", "Kansrijke Start", ["kansrijke start", "eerste 1000 dagen"]),
    ("rookvrij", "Rookvrije Generatie / stoppen met roken", ["roken", "rookvrije generatie"]),
    ("inburgering", "Wet inburgering", ["wet inburgering", "inburgering"]),
    ("zonmw", "ZonMw", ["zon mw"]),
    ("amif", "AMIF (Europees fonds)", ["asiel- migratie- en integratiefonds"]),
    ("gala", "GALA (Gezond en Actief Leven Akkoord)", ["spuk", "gala-subsidie"]),
    ("overig", "Overig", ["anders", "fonds"]),
]
KOSTEN_SOORTEN: list[tuple[str, str, list[str]]] = [
    ("vrijwilligersvergoeding", "Vrijwilligersvergoeding", ["vergoeding", "vrijwilligers"]),
    ("reiskosten", "Reiskosten", ["reis", "ov", "kilometers"]),
    ("kinderopvang", "Kinderopvang", ["oppas", "opvang"]),
    ("telefoon", "Telefoon", ["beltegoed", "telefoonkosten"]),
    ("scholing", "Scholing en training", ["training", "cursus", "opleiding"]),
    ("begeleiding", "Begeleiding en coördinatie", ["coordinatie", "coaching"]),
    ("materiaal", "Materiaal", ["drukwerk", "folders", "catering"]),
    ("overig", "Overig", ["anders"]),
]
MET_PROJECT = ("contactmoment", "inzet", "professioneel_contact")


def _record_key() -> sa.Column:
    """SMALLINT NOT NULL with a random 0-255 drawn by the database on every INSERT."""
    if op.get_context().dialect.name == "postgresql":
        default = sa.text("get_byte(uuid_send(gen_random_uuid()), 0)")
    else:
        default = sa.text("(random() & 255)")
    return sa.Column("record_key", sa.SmallInteger(), server_default=default, nullable=False)


def upgrade() -> None:
    op.create_table('project',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organisatie_id', sa.Uuid(), nullable=False),
    sa.Column('naam', sa.String(length=200), nullable=False),
    sa.Column('financier_gemeentecode', sa.String(length=6), nullable=True),
    sa.Column('financier_naam', sa.String(length=200), nullable=True),
    sa.Column('regeling', sa.String(length=40), nullable=False),
    sa.Column('vanaf', sa.Date(), nullable=False),
    sa.Column('tot', sa.Date(), nullable=True),
    sa.Column('begroting_centen', sa.BigInteger(), nullable=True),
    sa.Column('aangemaakt_op', UtcDateTime(timezone=True), nullable=False),
    sa.Column('gewijzigd_op', UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisatie_id'], ['organisatie.id'], name=op.f('fk_project_organisatie_id_organisatie')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project'))
    )
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_organisatie_id'), ['organisatie_id'], unique=False)

    op.create_table('kosten',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organisatie_id', sa.Uuid(), nullable=False),
    sa.Column('soort', sa.String(length=40), nullable=False),
    sa.Column('bedrag_centen', sa.BigInteger(), nullable=False),
    sa.Column('datum', sa.Date(), nullable=False),
    sa.Column('per_maand', sa.Boolean(), nullable=False),
    sa.Column('sleutelpersoon_id', sa.Uuid(), nullable=True),
    sa.Column('project_id', sa.Uuid(), nullable=True),
    sa.Column('gemeentecode', sa.String(length=6), nullable=True),
    sa.Column('omschrijving', sa.String(length=500), nullable=True),
    _record_key(),
    sa.Column('aangemaakt_op', UtcDateTime(timezone=True), nullable=False),
    sa.Column('gewijzigd_op', UtcDateTime(timezone=True), nullable=False),
    sa.Column('verwijderd_op', UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['organisatie_id'], ['organisatie.id'], name=op.f('fk_kosten_organisatie_id_organisatie')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_kosten_project_id_project')),
    sa.ForeignKeyConstraint(['sleutelpersoon_id'], ['sleutelpersoon.id'], name=op.f('fk_kosten_sleutelpersoon_id_sleutelpersoon')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kosten'))
    )
    with op.batch_alter_table('kosten', schema=None) as batch_op:
        batch_op.create_index('ix_kosten_organisatie_datum', ['organisatie_id', 'datum'], unique=False)
        batch_op.create_index('ix_kosten_gemeente_datum', ['gemeentecode', 'datum', 'verwijderd_op'], unique=False)
        batch_op.create_index(batch_op.f('ix_kosten_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_kosten_sleutelpersoon_id'), ['sleutelpersoon_id'], unique=False)

    for tabel in MET_PROJECT:
        with op.batch_alter_table(tabel, schema=None) as batch_op:
            batch_op.add_column(sa.Column('project_id', sa.Uuid(), nullable=True))
            batch_op.create_index(batch_op.f(f'ix_{tabel}_project_id'), ['project_id'], unique=False)
            batch_op.create_foreign_key(batch_op.f(f'fk_{tabel}_project_id_project'), 'project', ['project_id'], ['id'])

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
        {"lijst": lijst, "code": c, "label": label, "ouder": None, "synoniemen": syn, "volgorde": i, "actief": True}
        for lijst, codes in (("regeling", REGELINGEN), ("kosten-soort", KOSTEN_SOORTEN))
        for i, (c, label, syn) in enumerate(codes)
    ])


def downgrade() -> None:
    op.execute("DELETE FROM code WHERE lijst IN ('regeling', 'kosten-soort')")
    for tabel in reversed(MET_PROJECT):
        with op.batch_alter_table(tabel, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{tabel}_project_id_project'), type_='foreignkey')
            batch_op.drop_index(batch_op.f(f'ix_{tabel}_project_id'))
            batch_op.drop_column('project_id')
    with op.batch_alter_table('kosten', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kosten_sleutelpersoon_id'))
        batch_op.drop_index(batch_op.f('ix_kosten_project_id'))
        batch_op.drop_index('ix_kosten_gemeente_datum')
        batch_op.drop_index('ix_kosten_organisatie_datum')
    op.drop_table('kosten')
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_organisatie_id'))
    op.drop_table('project')
