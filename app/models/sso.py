import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from app.models.base import UtcDateTime, json_list_field, timestamp_field, uuid_pk


class SsoKoppeling(SQLModel, table=True):
    """An IdP group or role value mapped to an organisation or a region with scopes (an API key's binding).

    Exactly one value per row, compared exactly (no patterns): a person whose claim holds it signs in
    to the dashboard with this binding (app/sso/service.py).
    """

    __tablename__ = "sso_koppeling"

    id: uuid.UUID = uuid_pk()
    claim_waarde: str = Field(max_length=200, unique=True)
    scopes: list[str] = json_list_field()
    organisatie_id: uuid.UUID | None = Field(default=None, foreign_key="organisatie.id", index=True)
    gemeentecodes: list[str] = json_list_field()
    aangemaakt_op: datetime = timestamp_field()


class SsoGebruiker(SQLModel, table=True):
    """One person (keyed hash of issuer and subject) under one mapping, and the API key that stands for them.

    The key's secret is never shown to anyone: it only carries the binding, so the dashboard session,
    the audit trail (who wrote), the rate limit and revocation work per person exactly as for a key.
    """

    __tablename__ = "sso_gebruiker"

    id: uuid.UUID = uuid_pk()
    koppeling_id: uuid.UUID = Field(foreign_key="sso_koppeling.id", index=True)
    onderwerp: str = Field(max_length=64, index=True)
    api_sleutel_id: uuid.UUID = Field(foreign_key="api_sleutel.id", unique=True)
    aangemaakt_op: datetime = timestamp_field()


class SsoAanmelding(SQLModel, table=True):
    """One SSO sign-in attempt: who (keyed hash), when, the mapping used or why it was refused, its session.

    No name, e-mail or raw group list of the person is kept. Rows go `dashboard_sessie_bewaardagen`
    after the longest session could have ended.
    """

    __tablename__ = "sso_aanmelding"

    id: uuid.UUID = uuid_pk()
    tijdstip: datetime = timestamp_field(index=True)
    onderwerp: str | None = Field(default=None, max_length=64, index=True)
    # aangemeld, geen-koppeling, meerdere-koppelingen
    uitkomst: str = Field(max_length=30)
    # Copies, not foreign keys: the record outlives a deleted mapping and an expired session row.
    koppeling_id: uuid.UUID | None = None
    claim_waarde: str | None = Field(default=None, max_length=200)
    api_sleutel_id: uuid.UUID | None = None
    dashboard_sessie_id: uuid.UUID | None = Field(default=None, index=True)
    afgemeld_op: datetime | None = Field(default=None, sa_type=UtcDateTime)
