import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer
from sqlmodel import Field, SQLModel

from app.models.base import UtcDateTime, timestamp_field, uuid_pk

_BIGINT_PK = BigInteger().with_variant(Integer, "sqlite")


class Gebeurtenis(SQLModel, table=True):
    """One change, written in the transaction of the change itself (the outbox; app/gebeurtenissen).

    Thin: what happened to which resource, never its content. `volgnummer` is given after commit by
    `gebeurtenissen.nummer` (in commit order, so a reader paging by it never skips a late commit);
    until then the row is invisible to the feed and to webhooks.
    """

    __tablename__ = "gebeurtenis"
    __table_args__ = (
        Index("ix_gebeurtenis_volgnummer", "volgnummer", unique=True),
        Index("ix_gebeurtenis_organisatie_id_volgnummer", "organisatie_id", "volgnummer"),
        Index("ix_gebeurtenis_regionaal_volgnummer", "regionaal", "volgnummer"),
        Index("ix_gebeurtenis_tijdstip", "tijdstip"),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=_BIGINT_PK)
    volgnummer: int | None = Field(default=None, sa_type=BigInteger)
    soort: str = Field(max_length=60)
    resource_type: str = Field(max_length=40)
    resource_id: str = Field(max_length=64)
    extern_id: str | None = Field(default=None, max_length=100)
    organisatie_id: uuid.UUID | None = None
    # Shown to a regional key whose gemeenten include all of `regio_gemeentecodes` (a signal's
    # addressee, a reporting rhythm's gemeenten); never when `regionaal` is false.
    regionaal: bool = False
    regio_gemeentecodes: list[str] | None = Field(default=None, sa_type=JSON)
    # Where the resource is read: for the organisation, and for a regional key (another path).
    href: str = Field(max_length=300)
    regio_href: str | None = Field(default=None, max_length=300)
    # Codes and counts only (a new status, an import's counts): no text, nothing about a resident.
    gegevens: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    tijdstip: datetime = timestamp_field()


class GebeurtenisTeller(SQLModel, table=True):
    """The one row that numbers events: the last number given, and up to which number retention removed."""

    __tablename__ = "gebeurtenis_teller"

    id: int = Field(default=1, primary_key=True)
    laatste: int = Field(default=0, sa_type=BigInteger)
    verwijderd_tot: int = Field(default=0, sa_type=BigInteger)


class Webhook(SQLModel, table=True):
    """A subscription of an organisation (or a region) to events, delivered signed to `url`."""

    __tablename__ = "webhook"
    __table_args__ = (Index("ix_webhook_organisatie_id", "organisatie_id"),)

    id: uuid.UUID = uuid_pk()
    organisatie_id: uuid.UUID | None = Field(default=None, foreign_key="organisatie.id")
    # A regional subscription: the gemeenten of the key that made it (it sees only events of these).
    gemeentecodes: list[str] | None = Field(default=None, sa_type=JSON)
    api_sleutel_id: uuid.UUID | None = None
    url: str = Field(max_length=2000)
    soorten: list[str] = Field(default_factory=list, sa_type=JSON)  # empty: every kind the subscriber may see
    # The signing key is derived from the server secret and this salt; the database alone cannot sign.
    geheim_zout: str = Field(max_length=64)
    actief: bool = True
    uitgeschakeld_op: datetime | None = Field(default=None, sa_type=UtcDateTime)
    opeenvolgende_fouten: int = 0
    aangemaakt_op: datetime = timestamp_field()
    gewijzigd_op: datetime = timestamp_field()


class WebhookAflevering(SQLModel, table=True):
    """One event (or test message) for one webhook: its body, attempts and outcome (the delivery log)."""

    __tablename__ = "webhook_aflevering"
    __table_args__ = (
        Index("ix_webhook_aflevering_webhook_id_aangemaakt_op", "webhook_id", "aangemaakt_op"),
        Index("ix_webhook_aflevering_status_volgende_poging_op", "status", "volgende_poging_op"),
    )

    id: uuid.UUID = uuid_pk()
    webhook_id: uuid.UUID = Field(foreign_key="webhook.id", ondelete="CASCADE")
    bericht_id: str = Field(max_length=40)  # the `webhook-id` header: the same on every attempt
    soort: str = Field(max_length=60)
    volgnummer: int | None = Field(default=None, sa_type=BigInteger)
    body: str
    status: str = Field(default="wachtend", max_length=10)  # wachtend | bezig | geslaagd | mislukt
    pogingen: int = 0
    volgende_poging_op: datetime = Field(sa_type=UtcDateTime)
    werker: str | None = Field(default=None, max_length=100)
    lease_tot: datetime | None = Field(default=None, sa_type=UtcDateTime)
    laatste_statuscode: int | None = None
    laatste_fout: str | None = Field(default=None, max_length=200)
    laatste_poging_op: datetime | None = Field(default=None, sa_type=UtcDateTime)
    aangemaakt_op: datetime = timestamp_field()
    afgeleverd_op: datetime | None = Field(default=None, sa_type=UtcDateTime)
