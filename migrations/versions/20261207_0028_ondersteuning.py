"""ondersteuning: training and intervision, development plans, conversations, employment history (issue 26)

Tables `deskundigheidsbevordering` (with `deskundigheid_deelnemer`), `ontwikkeldoel`, `gesprek` and
`dienstverband`; the code list `deskundigheid-soort`; four more codes in `dienstverband`. Every key
person's one `dienstverband` value becomes its current (open) period, from the key person's start
date (`actief_vanaf`), or the day it was registered when that is empty. The column stays as the
current period's kind, for the API's old field.

Revision ID: 0028
Revises: 0026
Create Date: 2026-12-07
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models.base import UtcDateTime, utcnow

revision: str = '0028'
down_revision: str | None = '0026'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DESKUNDIGHEID_SOORTEN: list[tuple[str, str, list[str]]] = [
    ("basistraining", "Basistraining", ["basiscursus", "training sleutelpersonen"]),
    ("bijscholing", "Bijscholing", ["scholing", "cursus", "workshop", "training"]),
    ("intervisie", "Intervisie", ["intervisiebijeenkomst", "intervisie bijeenkomst"]),
    ("coaching", "Coaching", ["begeleiding", "supervisie"]),
    ("congres", "Congres", ["symposium", "conferentie", "landelijke dag"]),
    ("overig", "Overig", []),
]
# New kinds of employment; the existing ones (vrijwilliger, betaald, zzp) stay.
DIENSTVERBANDEN: list[tuple[str, str, list[str]]] = [
    ("oproepkracht", "Oproepkracht", ["oproep", "nulurencontract", "flexkracht"]),
    ("parttime", "Parttime", ["deeltijd", "part-time"]),
    ("fulltime", "Fulltime", ["voltijd", "full-time"]),
    ("stagiair", "Stagiair", ["stage", "stagiaire"]),
]

CODE = sa.table(
    "code",
    sa.column("lijst", sa.String),
    sa.column("code", sa.String),
    sa.column("label", sa.String),
    sa.column("ouder", sa.String),
    sa.column("synoniemen", sa.JSON),
    sa.column("volgorde", sa.Integer),
    sa.column("actief", sa.Boolean),
)


def _gemeen(tabel: str) -> list[sa.Column]:
    return [
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('organisatie_id', sa.Uuid(), nullable=False),
    ]


def _tijden(verwijderd: bool = True) -> list[sa.Column]:
    kolommen = [
        sa.Column('aangemaakt_op', UtcDateTime(timezone=True), nullable=False),
        sa.Column('gewijzigd_op', UtcDateTime(timezone=True), nullable=False),
    ]
    if verwijderd:
        kolommen.append(sa.Column('verwijderd_op', UtcDateTime(timezone=True), nullable=True))
    return kolommen


def _fk_org(tabel: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(['organisatie_id'], ['organisatie.id'], name=op.f(f'fk_{tabel}_organisatie_id_organisatie'))


def _fk_persoon(tabel: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(['sleutelpersoon_id'], ['sleutelpersoon.id'],
                                   name=op.f(f'fk_{tabel}_sleutelpersoon_id_sleutelpersoon'))


def upgrade() -> None:
    op.create_table('deskundigheidsbevordering',
    *_gemeen('deskundigheidsbevordering'),
    sa.Column('soort', sa.String(length=40), nullable=False),
    sa.Column('titel', sa.String(length=200), nullable=False),
    sa.Column('datum', sa.Date(), nullable=False),
    sa.Column('minuten', sa.Integer(), nullable=False),
    sa.Column('aanbieder', sa.String(length=200), nullable=True),
    sa.Column('certificaat_datum', sa.Date(), nullable=True),
    *_tijden(),
    _fk_org('deskundigheidsbevordering'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deskundigheidsbevordering')),
    )
    with op.batch_alter_table('deskundigheidsbevordering', schema=None) as batch_op:
        batch_op.create_index('ix_deskundigheidsbevordering_organisatie_datum', ['organisatie_id', 'datum'], unique=False)

    op.create_table('deskundigheid_deelnemer',
    sa.Column('deskundigheidsbevordering_id', sa.Uuid(), nullable=False),
    sa.Column('sleutelpersoon_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['deskundigheidsbevordering_id'], ['deskundigheidsbevordering.id'],
                            name=op.f('fk_deskundigheid_deelnemer_deskundigheidsbevordering_id_deskundigheidsbevordering'),
                            ondelete='CASCADE'),
    _fk_persoon('deskundigheid_deelnemer'),
    sa.PrimaryKeyConstraint('deskundigheidsbevordering_id', 'sleutelpersoon_id', name=op.f('pk_deskundigheid_deelnemer')),
    )
    with op.batch_alter_table('deskundigheid_deelnemer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deskundigheid_deelnemer_sleutelpersoon_id'), ['sleutelpersoon_id'], unique=False)

    op.create_table('ontwikkeldoel',
    *_gemeen('ontwikkeldoel'),
    sa.Column('sleutelpersoon_id', sa.Uuid(), nullable=False),
    sa.Column('omschrijving', sa.String(length=1000), nullable=False),
    sa.Column('datum', sa.Date(), nullable=False),
    sa.Column('streefdatum', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    *_tijden(),
    _fk_org('ontwikkeldoel'),
    _fk_persoon('ontwikkeldoel'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ontwikkeldoel')),
    )
    with op.batch_alter_table('ontwikkeldoel', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ontwikkeldoel_organisatie_id'), ['organisatie_id'], unique=False)
        batch_op.create_index('ix_ontwikkeldoel_sleutelpersoon_datum', ['sleutelpersoon_id', 'datum'], unique=False)

    op.create_table('gesprek',
    *_gemeen('gesprek'),
    sa.Column('sleutelpersoon_id', sa.Uuid(), nullable=False),
    sa.Column('datum', sa.Date(), nullable=False),
    sa.Column('soort', sa.String(length=20), nullable=False),
    sa.Column('afspraken', sa.String(length=2000), nullable=True),
    *_tijden(),
    _fk_org('gesprek'),
    _fk_persoon('gesprek'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gesprek')),
    )
    with op.batch_alter_table('gesprek', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_gesprek_organisatie_id'), ['organisatie_id'], unique=False)
        batch_op.create_index('ix_gesprek_sleutelpersoon_datum', ['sleutelpersoon_id', 'datum'], unique=False)

    op.create_table('dienstverband',
    *_gemeen('dienstverband'),
    sa.Column('sleutelpersoon_id', sa.Uuid(), nullable=False),
    sa.Column('soort', sa.String(length=20), nullable=False),
    sa.Column('vanaf', sa.Date(), nullable=False),
    sa.Column('tot', sa.Date(), nullable=True),
    sa.Column('uitstroom_reden', sa.String(length=20), nullable=True),
    *_tijden(verwijderd=False),
    _fk_org('dienstverband'),
    _fk_persoon('dienstverband'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dienstverband')),
    )
    with op.batch_alter_table('dienstverband', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dienstverband_organisatie_id'), ['organisatie_id'], unique=False)
        batch_op.create_index('ix_dienstverband_sleutelpersoon_vanaf', ['sleutelpersoon_id', 'vanaf'], unique=False)

    op.bulk_insert(CODE, [
        {"lijst": "deskundigheid-soort", "code": c, "label": label, "ouder": None, "synoniemen": syn,
         "volgorde": i, "actief": True}
        for i, (c, label, syn) in enumerate(DESKUNDIGHEID_SOORTEN)
    ])
    op.bulk_insert(CODE, [
        {"lijst": "dienstverband", "code": c, "label": label, "ouder": None, "synoniemen": syn,
         "volgorde": 10 + i, "actief": True}
        for i, (c, label, syn) in enumerate(DIENSTVERBANDEN)
    ])
    _huidige_dienstverbanden()


def _huidige_dienstverbanden() -> None:
    """Each key person's stored `dienstverband` becomes its open period, from its start date."""
    persoon = sa.table(
        "sleutelpersoon",
        sa.column("id", sa.Uuid()), sa.column("organisatie_id", sa.Uuid()), sa.column("dienstverband", sa.String),
        sa.column("actief_vanaf", sa.Date()), sa.column("aangemaakt_op", UtcDateTime(timezone=True)),
    )
    periode = sa.table(
        "dienstverband",
        sa.column("id", sa.Uuid()), sa.column("organisatie_id", sa.Uuid()), sa.column("sleutelpersoon_id", sa.Uuid()),
        sa.column("soort", sa.String), sa.column("vanaf", sa.Date()), sa.column("tot", sa.Date()),
        sa.column("uitstroom_reden", sa.String), sa.column("aangemaakt_op", UtcDateTime(timezone=True)),
        sa.column("gewijzigd_op", UtcDateTime(timezone=True)),
    )
    connection = op.get_bind()
    nu = utcnow()
    rijen = connection.execute(
        sa.select(persoon.c.id, persoon.c.organisatie_id, persoon.c.dienstverband, persoon.c.actief_vanaf,
                  persoon.c.aangemaakt_op).where(persoon.c.dienstverband.is_not(None))
    ).all()
    nieuw = [
        {"id": uuid.uuid4(), "organisatie_id": org, "sleutelpersoon_id": pid, "soort": soort,
         "vanaf": vanaf if vanaf is not None else aangemaakt.date(), "tot": None, "uitstroom_reden": None,
         "aangemaakt_op": nu, "gewijzigd_op": nu}
        for pid, org, soort, vanaf, aangemaakt in rijen
    ]
    for begin in range(0, len(nieuw), 1000):
        connection.execute(periode.insert(), nieuw[begin:begin + 1000])


def downgrade() -> None:
    # The key person's column still holds the current kind: the history alone is lost.
    codes = ", ".join(f"'{c}'" for c, _, _ in DIENSTVERBANDEN)
    op.execute(f"UPDATE sleutelpersoon SET dienstverband = NULL WHERE dienstverband IN ({codes})")
    op.execute(f"DELETE FROM code WHERE lijst = 'dienstverband' AND code IN ({codes})")
    op.execute("DELETE FROM code WHERE lijst = 'deskundigheid-soort'")
    with op.batch_alter_table('dienstverband', schema=None) as batch_op:
        batch_op.drop_index('ix_dienstverband_sleutelpersoon_vanaf')
        batch_op.drop_index(batch_op.f('ix_dienstverband_organisatie_id'))
    op.drop_table('dienstverband')
    with op.batch_alter_table('gesprek', schema=None) as batch_op:
        batch_op.drop_index('ix_gesprek_sleutelpersoon_datum')
        batch_op.drop_index(batch_op.f('ix_gesprek_organisatie_id'))
    op.drop_table('gesprek')
    with op.batch_alter_table('ontwikkeldoel', schema=None) as batch_op:
        batch_op.drop_index('ix_ontwikkeldoel_sleutelpersoon_datum')
        batch_op.drop_index(batch_op.f('ix_ontwikkeldoel_organisatie_id'))
    op.drop_table('ontwikkeldoel')
    with op.batch_alter_table('deskundigheid_deelnemer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deskundigheid_deelnemer_sleutelpersoon_id'))
    op.drop_table('deskundigheid_deelnemer')
    with op.batch_alter_table('deskundigheidsbevordering', schema=None) as batch_op:
        batch_op.drop_index('ix_deskundigheidsbevordering_organisatie_datum')
    op.drop_table('deskundigheidsbevordering')
