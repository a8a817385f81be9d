"""Idempotency-Key: one row per caller and key, with the stored answer (issue 28)

Revision ID: 0030
Revises: 0023
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models.base import UtcDateTime

revision: str = '0030'
down_revision: str | None = '0023'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "idempotentie_sleutel",
        sa.Column("wie", sa.String(64), nullable=False),
        sa.Column("sleutel", sa.String(255), nullable=False),
        sa.Column("vingerafdruk", sa.String(64), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("antwoord_status", sa.Integer(), nullable=True),
        sa.Column("antwoord_headers", sa.JSON(), nullable=True),
        sa.Column("antwoord_body", sa.LargeBinary(), nullable=True),
        sa.Column("aangemaakt_op", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("wie", "sleutel", name=op.f("pk_idempotentie_sleutel")),
    )
    op.create_index("ix_idempotentie_sleutel_aangemaakt_op", "idempotentie_sleutel", ["aangemaakt_op"])


def downgrade() -> None:
    op.drop_index("ix_idempotentie_sleutel_aangemaakt_op", table_name="idempotentie_sleutel")
    op.drop_table("idempotentie_sleutel")
