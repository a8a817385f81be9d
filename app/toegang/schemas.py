"""API schemas for API keys and the audit trail; never the secret or its hash, except once on creation."""

import uuid
from datetime import date, datetime

from pydantic import Field

from app.core.schemas import InputSchema, Schema
from app.core.validation import Gemeentecode
from app.toegang.caller import Scope


class ApiSleutelBase(Schema):
    naam: str = Field(
        min_length=1, max_length=200, description="Herkenbare naam, bijvoorbeeld de applicatie die de sleutel gebruikt.",
        examples=["Registratie-app Welzijn Utrecht"],
    )
    scopes: list[Scope] = Field(
        min_length=1,
        description=(
            "Rechten van de sleutel: `registreren` en `inzien` (registraties van de eigen organisatie), "
            "`rapporteren` (indicatoren; voor een regionale sleutel ook de gedeelde ervaringsverhalen), "
            "`beheren` (organisaties, sleutels, codelijsten), `signalen` (alleen regionale sleutels: de "
            "signalen gericht aan de eigen gemeenten ontvangen, hun status wijzigen en terugkoppelen), `goedkeuren` "
            "(alleen regionale sleutels: het rapportageritme van de eigen gemeenten vastleggen en de ingediende "
            "periodes goedkeuren, terugsturen of heropenen)."
        ),
        examples=[["registreren", "rapporteren"]],
    )
    organisatie_id: uuid.UUID | None = Field(
        default=None, description="De organisatie waaraan de sleutel gebonden is.",
        examples=["0b6e8a4e-2f6c-4d8e-9a51-3f7c2d1e9b10"],
    )
    gemeentecodes: list[Gemeentecode] | None = Field(
        default=None, description="Voor een rapportagesleutel: de regio (gemeenten) die de sleutel mag zien.",
        examples=[["GM0344", "GM0340"]],
    )
    beheer: bool = Field(default=False, description="`true` voor een beheersleutel.", examples=[False])
    verloopt_op: date | None = Field(
        default=None, description="Laatste dag waarop de sleutel werkt; leeg betekent: verloopt niet.",
        examples=["2026-12-31"],
    )


class ApiSleutelCreate(ApiSleutelBase, InputSchema):
    """Een nieuwe API-sleutel, gebonden aan precies een van: `organisatieId`, `gemeentecodes` of `beheer: true`."""


class ApiSleutelPublic(ApiSleutelBase):
    """Een API-sleutel; het geheim zelf wordt alleen bij het aanmaken getoond."""

    id: uuid.UUID = Field(description="Identificatie van de sleutel.", examples=["5d1c7c0e-8f0a-4b4e-9a8e-2b7d9f3c1a22"])
    prefix: str = Field(
        description="Zichtbaar begin van de sleutel, om hem te herkennen in logboeken.", examples=["smk_1a2b3c4d"]
    )
    gemeentecodes: list[str] = Field(  # type: ignore[assignment]
        description="De regio van een rapportagesleutel; leeg bij andere sleutels.", examples=[["GM0344", "GM0340"]]
    )
    ingetrokken_op: datetime | None = Field(
        default=None, description="Moment van intrekken; leeg zolang de sleutel geldig is.", examples=[None]
    )
    laatst_gebruikt_op: datetime | None = Field(
        default=None, description="Laatste gebruik (tot op ongeveer een minuut nauwkeurig).",
        examples=["2025-03-14T09:30:00Z"],
    )
    aangemaakt_op: datetime = Field(description="Moment van aanmaken.", examples=["2025-03-14T09:30:00Z"])


class ApiSleutelAangemaakt(ApiSleutelPublic):
    """Een zojuist aangemaakte API-sleutel, met het geheim dat maar een keer wordt getoond."""

    sleutel: str = Field(
        description="De volledige sleutel voor `Authorization: Bearer <sleutel>`. Wordt alleen nu getoond; "
        "bewaar hem veilig.",
        examples=["smk_1a2b3c4d_Q2hhbmdlLW1lLWluLXByb2R1Y3Rpb24tcGxlYXNlLW9rPw"],
    )


class AuditRegelPublic(Schema):
    """Een schrijfactie in de audittrail: wie (sleutel), wat en wanneer; nooit de waarden."""

    id: int = Field(description="Volgnummer van de auditregel.", examples=[1234])
    tijdstip: datetime = Field(description="Moment van de schrijfactie.", examples=["2025-03-14T09:30:00Z"])
    api_sleutel_id: uuid.UUID | None = Field(
        description="De sleutel die schreef; leeg bij een beheerder op de opdrachtregel.",
        examples=["5d1c7c0e-8f0a-4b4e-9a8e-2b7d9f3c1a22"],
    )
    organisatie_id: uuid.UUID | None = Field(
        description="De organisatie waar de wijziging bij hoort.", examples=["0b6e8a4e-2f6c-4d8e-9a51-3f7c2d1e9b10"]
    )
    apparaat_id: uuid.UUID | None = Field(
        default=None,
        description="Het apparaat van een sleutelpersoon (de app) dat schreef; leeg bij een API-sleutel.",
        examples=[None],
    )
    actie: str = Field(description="Wat er gebeurde.", examples=["gewijzigd"])
    resource_type: str = Field(description="Soort resource.", examples=["contactmoment"])
    resource_id: str | None = Field(description="Identificatie van de resource.", examples=["7a0f3d2c-1b4e-4c8a-9d6f-5e2a1b3c4d5e"])
    velden: list[str] = Field(description="Namen van de gewijzigde velden (nooit de waarden).", examples=[["status", "statusDatum"]])
    aantal: int | None = Field(description="Aantal records bij een bulkactie.", examples=[None])
