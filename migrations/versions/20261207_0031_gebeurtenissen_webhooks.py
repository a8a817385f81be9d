"""gebeurtenissen en webhooks: the outbox, its counter, webhook subscriptions and deliveries (issue 28)

Revision ID: 0031
Revises: 0027
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models.base import UtcDateTime

revision: str = '0031'
down_revision: str | None = '0027'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "gebeurtenis",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("volgnummer", sa.BigInteger(), nullable=True),
        sa.Column("soort", sa.String(length=60), nullable=False),
        sa.Column("resource_type", sa.String(length=40), nullable=False),
        sa.Column("resource_id", sa.String(length=64), nullable=False),
        sa.Column("extern_id", sa.String(length=100), nullable=True),
        sa.Column("organisatie_id", sa.Uuid(), nullable=True),
        sa.Column("regionaal", sa.Boolean(), nullable=False),
        sa.Column("regio_gemeentecodes", sa.JSON(), nullable=True),
        sa.Column("href", sa.String(length=300), nullable=False),
        sa.Column("regio_href", sa.String(length=300), nullable=True),
        sa.Column("gegevens", sa.JSON(), nullable=True),
        sa.Column("tijdstip", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gebeurtenis")),
    )
    op.create_index("ix_gebeurtenis_volgnummer", "gebeurtenis", ["volgnummer"], unique=True)
    op.create_index("ix_gebeurtenis_organisatie_id_volgnummer", "gebeurtenis", ["organisatie_id", "volgnummer"])
    op.create_index("ix_gebeurtenis_regionaal_volgnummer", "gebeurtenis", ["regionaal", "volgnummer"])
    op.create_index("ix_gebeurtenis_tijdstip", "gebeurtenis", ["tijdstip"])
    op.create_table(
        "gebeurtenis_teller",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("laatste", sa.BigInteger(), nullable=False),
        sa.Column("verwijderd_tot", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gebeurtenis_teller")),
    )
    op.execute("INSERT INTO gebeurtenis_teller (id, laatste, verwijderd_tot) VALUES (1, 0, 0)")
    op.create_table(
        "webhook",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisatie_id", sa.Uuid(), nullable=True),
        sa.Column("gemeentecodes", sa.JSON(), nullable=True),
        sa.Column("api_sleutel_id", sa.Uuid(), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("soorten", sa.JSON(), nullable=False),
        sa.Column("geheim_zout", sa.String(length=64), nullable=False),
        sa.Column("actief", sa.Boolean(), nullable=False),
        sa.Column("uitgeschakeld_op", UtcDateTime(), nullable=True),
        sa.Column("opeenvolgende_fouten", sa.Integer(), nullable=False),
        sa.Column("aangemaakt_op", UtcDateTime(), nullable=False),
        sa.Column("gewijzigd_op", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["organisatie_id"], ["organisatie.id"], name=op.f("fk_webhook_organisatie_id_organisatie")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook")),
    )
    op.create_index("ix_webhook_organisatie_id", "webhook", ["organisatie_id"])
    op.create_table(
        "webhook_aflevering",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("webhook_id", sa.Uuid(), nullable=False),
        sa.Column("bericht_id", sa.String(length=40), nullable=False),
        sa.Column("soort", sa.String(length=60), nullable=False),
        sa.Column("volgnummer", sa.BigInteger(), nullable=True),
        sa.Column("body", sa.String(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("pogingen", sa.Integer(), nullable=False),
        sa.Column("volgende_poging_op", UtcDateTime(), nullable=False),
        sa.Column("werker", sa.String(length=100), nullable=True),
        sa.Column("lease_tot", UtcDateTime(), nullable=True),
        sa.Column("laatste_statuscode", sa.Integer(), nullable=True),
        sa.Column("laatste_fout", sa.String(length=200), nullable=True),
        sa.Column("laatste_poging_op", UtcDateTime(), nullable=True),
        sa.Column("aangemaakt_op", UtcDateTime(), nullable=False),
        sa.Column("afgeleverd_op", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["webhook_id"], ["webhook.id"], name=op.f("fk_webhook_aflevering_webhook_id_webhook"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_aflevering")),
    )
    op.create_index("ix_webhook_aflevering_webhook_id_aangemaakt_op", "webhook_aflevering", ["webhook_id", "aangemaakt_op"])
    op.create_index("ix_webhook_aflevering_status_volgende_poging_op", "webhook_aflevering", ["status", "volgende_poging_op"])


def downgrade() -> None:
    op.drop_table("webhook_aflevering")
    op.drop_table("webhook")
    op.drop_table("gebeurtenis_teller")
    op.drop_table("gebeurtenis")
