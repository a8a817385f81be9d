"""API schemas for SSO claim mappings and the record of SSO sign-ins."""

import uuid
from datetime import datetime

from pydantic import Field

from app.core.schemas import InputSchema, Schema
from app.core.validation import Gemeentecode
from app.toegang.caller import Scope


class SsoKoppelingBase(Schema):
    claim_waarde: str = Field(
        min_length=1, max_length=200,
        description="De waarde van de groeps- of rolclaim van de identity provider die toegang geeft, exact "
        "(hoofdlettergevoelig, geen patronen). Welke claim dat is, stelt de beheerder in "
        "(`SLEUTELMONITOR_SSO_GROEPEN_CLAIM`, standaard `groups`).",
        examples=["sleutelmonitor-coordinatoren-brug"],
    )
    scopes: list[Scope] = Field(
        min_length=1,
        description="Rechten in het dashboard, zoals bij een API-sleutel met dezelfde binding: voor een organisatie "
        "`registreren`, `inzien`, `rapporteren`; voor een regio `rapporteren`, `signalen`, `goedkeuren`.",
        examples=[["inzien", "rapporteren"]],
    )
    organisatie_id: uuid.UUID | None = Field(
        default=None, description="De organisatie waarvoor deze groep zich aanmeldt.",
        examples=["0b6e8a4e-2f6c-4d8e-9a51-3f7c2d1e9b10"],
    )
    gemeentecodes: list[Gemeentecode] | None = Field(
        default=None, description="Of: de regio (gemeenten) waarvoor deze groep zich aanmeldt.",
        examples=[["GM0344", "GM0307"]],
    )


class SsoKoppelingCreate(SsoKoppelingBase, InputSchema):
    """Een nieuwe koppeling van een groep of rol aan precies een van: `organisatieId` of `gemeentecodes`."""


class SsoKoppelingPublic(SsoKoppelingBase):
    """Een koppeling van een groep of rol van de identity provider aan een organisatie of regio."""

    id: uuid.UUID = Field(description="Identificatie van de koppeling.", examples=["3f1c7c0e-8f0a-4b4e-9a8e-2b7d9f3c1a22"])
    gemeentecodes: list[str] = Field(  # type: ignore[assignment]
        description="De regio; leeg bij een koppeling aan een organisatie.", examples=[[]]
    )
    aangemaakt_op: datetime = Field(description="Moment van aanmaken.", examples=["2026-12-07T09:30:00Z"])


class SsoAanmeldingPublic(Schema):
    """Een aanmeldpoging via SSO: wie (versleuteld), wanneer, via welke koppeling, en het einde van de sessie."""

    id: uuid.UUID = Field(description="Identificatie van de aanmelding.", examples=["9a1c7c0e-8f0a-4b4e-9a8e-2b7d9f3c1a22"])
    tijdstip: datetime = Field(description="Moment van aanmelden.", examples=["2026-12-07T09:30:00Z"])
    onderwerp: str | None = Field(
        description="Wie zich aanmeldde: een sleutel-hash (HMAC-SHA256) van issuer en `sub` van de identity provider, "
        "nooit naam of e-mailadres. Zoek één persoon op met de filter `sub`.",
        examples=["5b9f0c2e8d1a4f3b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d"],
    )
    uitkomst: str = Field(
        description="`aangemeld`, of waarom er geen sessie kwam: `geen-koppeling`, `meerdere-koppelingen`, "
        "`organisatie-gedeactiveerd`.", examples=["aangemeld"],
    )
    koppeling_id: uuid.UUID | None = Field(description="De gebruikte koppeling.", examples=["3f1c7c0e-8f0a-4b4e-9a8e-2b7d9f3c1a22"])
    claim_waarde: str | None = Field(description="De groep of rol van die koppeling.", examples=["sleutelmonitor-coordinatoren-brug"])
    api_sleutel_id: uuid.UUID | None = Field(
        description="De sleutel die deze persoon in het dashboard vertegenwoordigt (zo staat hij in de audittrail).",
        examples=["5d1c7c0e-8f0a-4b4e-9a8e-2b7d9f3c1a22"],
    )
    sessie_id: uuid.UUID | None = Field(description="De dashboardsessie.", examples=["7e1c7c0e-8f0a-4b4e-9a8e-2b7d9f3c1a22"])
    verloopt_op: datetime | None = Field(description="Einde van de sessie als niemand afmeldt.", examples=["2026-12-07T17:30:00Z"])
    beeindigd_op: datetime | None = Field(description="Moment waarop de sessie eerder eindigde.", examples=[None])
    einde: str | None = Field(
        description="Hoe de sessie eerder eindigde: `afgemeld`, `beeindigd` (vanuit de sessielijst) of `ingetrokken`.",
        examples=[None],
    )
