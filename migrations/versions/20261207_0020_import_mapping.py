"""import_mapping: an organisation's stored import mapping (choices for unknown names, value synonyms)

Revision ID: 0020
Revises: 0021
Create Date: 2026-12-07

One row per organisation: the sections of the YAML mapping file (kolommen, waarden, standaard,
ketenpartners, aanmaken) as JSON. See app/imports/opgeslagen.py.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models.base import UtcDateTime

revision: str = '0020'
down_revision: str | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('import_mapping',
    sa.Column('organisatie_id', sa.Uuid(), nullable=False),
    sa.Column('inhoud', sa.JSON(), nullable=False),
    sa.Column('gewijzigd_op', UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organisatie_id'], ['organisatie.id'], name=op.f('fk_import_mapping_organisatie_id_organisatie')),
    sa.PrimaryKeyConstraint('organisatie_id', name=op.f('pk_import_mapping'))
    )


def downgrade() -> None:
    op.drop_table('import_mapping')
