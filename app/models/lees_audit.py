import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer
from sqlmodel import Field, SQLModel

from app.models.base import timestamp_field


class LeesAudit(SQLModel, table=True):
    """One indicator read by a reader other than the organisation itself: who, when, which table; never its result.

    `nieuw` marks the first answered read of a table by a key on a day: those rows are what the
    daily budget counts (app/indicatoren/lezingen.py). `geweigerd` names why a read was refused
    (the budget, a table check); a refused read spends no budget.
    """

    __tablename__ = "lees_audit"
    __table_args__ = (
        # The budget's two questions in one index: "was this table read today?" (a seek on all four
        # columns: a table answered today has exactly one `nieuw` row) and "how many new tables today?"
        # (a range of at most the budget's entries, however often tables are re-read). One index, so
        # a planner without statistics cannot pick one that scans every re-read of the day.
        Index("ix_lees_audit_budget", "api_sleutel_id", "dag", "nieuw", "tabel_hash"),
        # The pattern report reads one day (or a few) across all keys.
        Index("ix_lees_audit_dag", "dag"),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=BigInteger().with_variant(Integer, "sqlite"))
    tijdstip: datetime = timestamp_field()
    api_sleutel_id: uuid.UUID | None = None
    dag: date  # the local (Europe/Amsterdam) day the budget counts on
    indicator: str = Field(max_length=80)
    parameters: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    tabel_hash: str = Field(max_length=64)
    nieuw: bool = False
    geweigerd: str | None = Field(default=None, max_length=200)
