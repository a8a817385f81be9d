"""sso: OpenID Connect sign-in for the dashboard: claim mappings, the person's key, sign-in records

Issue 30, part 2. `sso_koppeling` maps an IdP group or role value to an organisation or region with
scopes; `sso_gebruiker` names, per person (keyed hash of issuer and subject) and mapping, the API key
that carries the binding (its secret is never shown); `sso_aanmelding` records every SSO sign-in
attempt for the administrator. New tables only: safe while the previous version still serves.

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models.base import UtcDateTime

revision: str = '0033'
down_revision: str | None = '0032'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sso_koppeling",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("claim_waarde", sa.String(length=200), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("organisatie_id", sa.Uuid(), nullable=True),
        sa.Column("gemeentecodes", sa.JSON(), nullable=False),
        sa.Column("aangemaakt_op", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["organisatie_id"], ["organisatie.id"],
                                name=op.f("fk_sso_koppeling_organisatie_id_organisatie")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sso_koppeling")),
        sa.UniqueConstraint("claim_waarde", name=op.f("uq_sso_koppeling_claim_waarde")),
    )
    op.create_index("ix_sso_koppeling_organisatie_id", "sso_koppeling", ["organisatie_id"])
    op.create_table(
        "sso_gebruiker",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("koppeling_id", sa.Uuid(), nullable=False),
        sa.Column("onderwerp", sa.String(length=64), nullable=False),
        sa.Column("api_sleutel_id", sa.Uuid(), nullable=False),
        sa.Column("aangemaakt_op", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["koppeling_id"], ["sso_koppeling.id"],
                                name=op.f("fk_sso_gebruiker_koppeling_id_sso_koppeling")),
        sa.ForeignKeyConstraint(["api_sleutel_id"], ["api_sleutel.id"],
                                name=op.f("fk_sso_gebruiker_api_sleutel_id_api_sleutel")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sso_gebruiker")),
        sa.UniqueConstraint("api_sleutel_id", name=op.f("uq_sso_gebruiker_api_sleutel_id")),
    )
    op.create_index("ix_sso_gebruiker_koppeling_id", "sso_gebruiker", ["koppeling_id"])
    op.create_index("ix_sso_gebruiker_onderwerp", "sso_gebruiker", ["onderwerp"])
    op.create_table(
        "sso_aanmelding",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tijdstip", UtcDateTime(), nullable=False),
        sa.Column("onderwerp", sa.String(length=64), nullable=True),
        sa.Column("uitkomst", sa.String(length=30), nullable=False),
        sa.Column("koppeling_id", sa.Uuid(), nullable=True),
        sa.Column("claim_waarde", sa.String(length=200), nullable=True),
        sa.Column("api_sleutel_id", sa.Uuid(), nullable=True),
        sa.Column("dashboard_sessie_id", sa.Uuid(), nullable=True),
        sa.Column("afgemeld_op", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sso_aanmelding")),
    )
    op.create_index("ix_sso_aanmelding_tijdstip", "sso_aanmelding", ["tijdstip"])
    op.create_index("ix_sso_aanmelding_onderwerp", "sso_aanmelding", ["onderwerp"])
    op.create_index("ix_sso_aanmelding_dashboard_sessie_id", "sso_aanmelding", ["dashboard_sessie_id"])


def downgrade() -> None:
    op.drop_table("sso_aanmelding")
    op.drop_table("sso_gebruiker")
    op.drop_table("sso_koppeling")
