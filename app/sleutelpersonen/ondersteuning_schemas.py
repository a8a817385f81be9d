"""API schemas for a key person's development plan, conversations and employment history (issue 26, parts 3-4)."""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, Field, field_validator

from app.core.persoonsgegevens import NAMEN_WAARSCHUWING, VrijeTekst
from app.core.schemas import InputSchema, Schema
from app.core.validation import DatumNietInToekomst, niet_voor_eerste_datum

_NOT_NULL = "Mag niet null zijn; laat het veld weg om het ongewijzigd te laten."


def _niet_null(value: Any) -> Any:
    if value is None:
        raise ValueError(_NOT_NULL)
    return value


Datum = Annotated[DatumNietInToekomst, AfterValidator(niet_voor_eerste_datum)]


class DoelStatus(StrEnum):
    open = "open"
    bezig = "bezig"
    behaald = "behaald"
    vervallen = "vervallen"


class GesprekSoort(StrEnum):
    voortgang = "voortgang"
    functionering = "functionering"
    afsluiting = "afsluiting"


class UitstroomReden(StrEnum):
    betaald_werk = "betaald-werk"
    opleiding = "opleiding"
    verhuisd = "verhuisd"
    gestopt = "gestopt"
    overig = "overig"


Omschrijving = Annotated[VrijeTekst, Field(min_length=1, max_length=1000,
                                           description="Het doel in eigen woorden. " + NAMEN_WAARSCHUWING,
                                           examples=["Zelfstandig een voorlichting over de zorgverzekering geven"])]
DoelDatum = Annotated[Datum, Field(description="Datum waarop het doel is afgesproken; niet in de toekomst.", examples=["2026-09-15"])]
Streefdatum = Annotated[date, Field(description="Wanneer het doel bereikt zou moeten zijn; niet vóór `datum`.", examples=["2027-03-01"])]
Status = Annotated[DoelStatus, Field(description="open, bezig, behaald of vervallen.", examples=["bezig"])]


class OntwikkeldoelCreate(InputSchema):
    """Een doel in het persoonlijk ontwikkelplan van de sleutelpersoon."""

    omschrijving: Omschrijving
    datum: DoelDatum
    streefdatum: Streefdatum | None = None
    status: Status = DoelStatus.open


class OntwikkeldoelUpdate(InputSchema):
    """Gedeeltelijke wijziging van een doel."""

    omschrijving: Omschrijving | None = None
    datum: DoelDatum | None = None
    streefdatum: Streefdatum | None = Field(default=None, description="Streefdatum; `null` wist haar.")
    status: Status | None = None

    @field_validator("omschrijving", "datum", "status", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        return _niet_null(value)


class OntwikkeldoelPublic(Schema):
    id: uuid.UUID = Field(description="Id van het doel.", examples=["1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"])
    sleutelpersoon_id: uuid.UUID = Field(description="De sleutelpersoon.", examples=["7d9f1c2b-3a4e-4f5d-8e6c-1b2a3c4d5e6f"])
    omschrijving: str = Field(description="Het doel.", examples=["Zelfstandig een voorlichting over de zorgverzekering geven"])
    datum: date = Field(description="Datum waarop het doel is afgesproken.", examples=["2026-09-15"])
    streefdatum: date | None = Field(description="Streefdatum.", examples=["2027-03-01"])
    status: DoelStatus = Field(description="open, bezig, behaald of vervallen.", examples=["bezig"])
    aangemaakt_op: datetime = Field(description="Tijdstip van vastleggen.", examples=["2026-09-15T10:00:00Z"])
    gewijzigd_op: datetime = Field(description="Tijdstip van de laatste wijziging.", examples=["2026-09-15T10:00:00Z"])


GesprekDatum = Annotated[Datum, Field(description="Datum van het gesprek; niet in de toekomst.", examples=["2026-11-20"])]
Soort = Annotated[GesprekSoort, Field(description="voortgang, functionering of afsluiting.", examples=["voortgang"])]
Afspraken = Annotated[VrijeTekst, Field(min_length=1, max_length=2000,
                                        description="De gemaakte afspraken. " + NAMEN_WAARSCHUWING,
                                        examples=["Volgende maand meelopen met de voorlichting in de moskee"])]


class GesprekCreate(InputSchema):
    """Een gesprek met de sleutelpersoon (voortgang, functionering, afsluiting) met de gemaakte afspraken."""

    datum: GesprekDatum
    soort: Soort
    afspraken: Afspraken | None = None


class GesprekUpdate(InputSchema):
    """Gedeeltelijke wijziging van een gesprek."""

    datum: GesprekDatum | None = None
    soort: Soort | None = None
    afspraken: Afspraken | None = Field(default=None, description="Afspraken; `null` wist ze.")

    @field_validator("datum", "soort", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        return _niet_null(value)


class GesprekPublic(Schema):
    id: uuid.UUID = Field(description="Id van het gesprek.", examples=["2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e"])
    sleutelpersoon_id: uuid.UUID = Field(description="De sleutelpersoon.", examples=["7d9f1c2b-3a4e-4f5d-8e6c-1b2a3c4d5e6f"])
    datum: date = Field(description="Datum van het gesprek.", examples=["2026-11-20"])
    soort: GesprekSoort = Field(description="voortgang, functionering of afsluiting.", examples=["voortgang"])
    afspraken: str | None = Field(description="De gemaakte afspraken.", examples=["Volgende maand meelopen met de voorlichting"])
    aangemaakt_op: datetime = Field(description="Tijdstip van vastleggen.", examples=["2026-11-20T15:00:00Z"])
    gewijzigd_op: datetime = Field(description="Tijdstip van de laatste wijziging.", examples=["2026-11-20T15:00:00Z"])


DienstverbandSoort = Annotated[str, Field(min_length=1, max_length=20, description="Code uit codelijst `dienstverband` "
                                          "(vrijwilliger, betaald, zzp, oproepkracht, parttime, fulltime, stagiair).",
                                          examples=["parttime"])]
Vanaf = Annotated[Datum, Field(description="Eerste dag van de periode; niet in de toekomst.", examples=["2026-09-01"])]
Tot = Annotated[Datum, Field(description="Laatste dag van de periode (inclusief); niet in de toekomst. Leeg: loopt nog.",
                             examples=["2026-11-30"])]
Reden = Annotated[UitstroomReden, Field(
    description="Waarom de sleutelpersoon vertrok (alleen bij een afgesloten periode zonder vervolg): betaald-werk, "
    "opleiding, verhuisd, gestopt of overig.", examples=["betaald-werk"])]


class DienstverbandCreate(InputSchema):
    """Een periode van een dienstverband. Een nieuwe periode na de lopende sluit de lopende af op de dag ervoor."""

    soort: DienstverbandSoort
    vanaf: Vanaf
    tot: Tot | None = None
    uitstroom_reden: Reden | None = None


class DienstverbandUpdate(InputSchema):
    """Afsluiten (`tot`, met `uitstroomReden` bij vertrek) of corrigeren van een periode."""

    soort: DienstverbandSoort | None = None
    vanaf: Vanaf | None = None
    tot: Tot | None = Field(default=None, description="Laatste dag; `null` heropent de periode.")
    uitstroom_reden: Reden | None = Field(default=None, description="Reden van vertrek; `null` wist haar.")

    @field_validator("soort", "vanaf", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        return _niet_null(value)


class DienstverbandPublic(Schema):
    id: uuid.UUID = Field(description="Id van de periode.", examples=["4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a"])
    sleutelpersoon_id: uuid.UUID = Field(description="De sleutelpersoon.", examples=["7d9f1c2b-3a4e-4f5d-8e6c-1b2a3c4d5e6f"])
    soort: str = Field(description="Code uit codelijst `dienstverband`.", examples=["parttime"])
    vanaf: date = Field(description="Eerste dag.", examples=["2026-09-01"])
    tot: date | None = Field(description="Laatste dag (inclusief); leeg als de periode nog loopt.", examples=[None])
    uitstroom_reden: UitstroomReden | None = Field(description="Reden van vertrek.", examples=[None])
    aangemaakt_op: datetime = Field(description="Tijdstip van vastleggen.", examples=["2026-09-01T09:00:00Z"])
    gewijzigd_op: datetime = Field(description="Tijdstip van de laatste wijziging.", examples=["2026-09-01T09:00:00Z"])
