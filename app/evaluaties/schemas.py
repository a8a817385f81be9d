"""API schemas for evaluaties (evaluation meetings with their decisions, issue 25 part 4)."""

import enum
import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, Field, field_validator

from app.core.persoonsgegevens import NAMEN_WAARSCHUWING, VrijeTekst
from app.core.schemas import InputSchema, Schema, alle_fouten
from app.core.validation import DatumNietInToekomst
from app.doelstellingen.schemas import Indicatoren, uniek_ids


class DeelnemerRol(enum.StrEnum):
    sleutelpersonen = "sleutelpersonen"
    coordinator = "coordinator"
    ketenpartners = "ketenpartners"
    gemeente = "gemeente"
    ggd = "ggd"


class BesluitStatus(enum.StrEnum):
    open = "open"
    bezig = "bezig"
    afgerond = "afgerond"


ROL_UITLEG = "`sleutelpersonen`, `coordinator`, `ketenpartners`, `gemeente` of `ggd`"


class Deelnemer(InputSchema):
    """Hoeveel deelnemers met een rol er waren; nooit namen."""

    rol: DeelnemerRol = Field(description=f"DeelnemerRol: {ROL_UITLEG}.", examples=["sleutelpersonen"])
    aantal: int = Field(ge=1, le=1000, description="Aantal deelnemers met deze rol.", examples=[6])


class Besluit(InputSchema):
    """Een besluit met wie het oppakt (als rol) en wanneer."""

    id: uuid.UUID | None = Field(
        default=None, description="Bij wijzigen: het id van een bestaand besluit van deze evaluatie, zodat het zijn id houdt. "
        "Zonder id houdt een besluit met dezelfde tekst, eigenaarRol en deadline zijn id; anders is het nieuw.",
        examples=["3e2d1c0b-9a8f-4e7d-8c6b-5a4f3e2d1c0b"])
    tekst: Annotated[VrijeTekst, Field(min_length=1, max_length=1000, description="Het besluit. " + NAMEN_WAARSCHUWING,
                                       examples=["Voorlichting JGZ ook in het Tigrinya aanbieden"])]
    eigenaar_rol: DeelnemerRol = Field(description=f"Wie het besluit uitvoert, als rol: {ROL_UITLEG}.", examples=["coordinator"])
    deadline: date | None = Field(default=None, description="Uiterste datum (optioneel).", examples=["2027-03-31"])
    status: BesluitStatus = Field(default=BesluitStatus.open, description="`open`, `bezig` of `afgerond`.", examples=["open"])


def _rollen_uniek(values: list[Deelnemer]) -> list[Deelnemer]:
    rollen = [d.rol for d in values]
    if len(set(rollen)) != len(rollen):
        raise ValueError("Elke rol mag hoogstens één keer voorkomen; tel de deelnemers per rol op.")
    return values


DeelnemersLijst = Annotated[
    list[Deelnemer], AfterValidator(_rollen_uniek),
    Field(min_length=1, max_length=5, description="Deelnemer per rol (aantallen, geen namen); elke rol hoogstens één keer."),
]
Besluiten = Annotated[list[Besluit], Field(max_length=50, description="De besluiten van de evaluatie.")]
Doelstellingen = Annotated[
    list[uuid.UUID], AfterValidator(uniek_ids),
    Field(max_length=50, description="Ids van de besproken doelstellingen van de eigen organisatie.",
          examples=[["0b6f3e2a-1c4d-4e5f-9a8b-7c6d5e4f3a2b"]], json_schema_extra={"uniqueItems": True}),
]
Verhalen = Annotated[
    list[uuid.UUID], AfterValidator(uniek_ids),
    Field(max_length=100, description="Ids van de besproken ervaringsverhalen van de eigen organisatie.",
          examples=[["2a7c9e1b-4d3f-4b6a-8c2e-1f0d9b8a7c6e"]], json_schema_extra={"uniqueItems": True}),
]
Bevindingen = Annotated[VrijeTekst, Field(min_length=1, max_length=8000, description="Wat de evaluatie opleverde. " + NAMEN_WAARSCHUWING,
                                          examples=["Het bereik onder jonge moeders groeit, maar de GGD ziet ze nog weinig terug."])]


class EvaluatieCreate(InputSchema):
    """Een evaluatie van de eigen organisatie."""

    datum: DatumNietInToekomst = Field(description="Datum van de evaluatie; niet in de toekomst.", examples=["2026-11-20"])
    deelnemers: DeelnemersLijst
    doelstellingen: Doelstellingen = Field(default_factory=list)
    bevindingen: Bevindingen | None = None
    besluiten: Besluiten = Field(default_factory=list)
    indicatoren: Indicatoren = Field(default_factory=list, description="Codes van de besproken indicatoren (zie `/v1/indicatoren`).")
    ervaringsverhalen: Verhalen = Field(default_factory=list)


EvaluatieInvoer = alle_fouten(EvaluatieCreate)


class EvaluatieUpdate(InputSchema):
    """Gedeeltelijke wijziging: alleen meegestuurde velden veranderen (een lijst vervangt de hele lijst)."""

    datum: DatumNietInToekomst | None = Field(default=None, description="Datum van de evaluatie.", examples=["2026-11-20"])
    deelnemers: DeelnemersLijst | None = None
    doelstellingen: Doelstellingen | None = None
    bevindingen: Bevindingen | None = Field(default=None, description="Bevindingen; `null` wist ze.")
    besluiten: Besluiten | None = None
    indicatoren: Indicatoren | None = None
    ervaringsverhalen: Verhalen | None = None

    @field_validator("datum", "deelnemers", "doelstellingen", "besluiten", "indicatoren", "ervaringsverhalen", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("Mag niet null zijn; laat het veld weg om het ongewijzigd te laten.")
        return value


class DeelnemerPublic(Schema):
    rol: DeelnemerRol = Field(description="DeelnemerRol.", examples=["sleutelpersonen"])
    aantal: int = Field(description="Aantal.", examples=[6])


class BesluitPublic(Schema):
    id: uuid.UUID = Field(description="Id van het besluit (zie `/v1/besluiten`).", examples=["3e2d1c0b-9a8f-4e7d-8c6b-5a4f3e2d1c0b"])
    tekst: str = Field(description="Het besluit.", examples=["Voorlichting JGZ ook in het Tigrinya aanbieden"])
    eigenaar_rol: DeelnemerRol = Field(description="Wie het uitvoert, als rol.", examples=["coordinator"])
    deadline: date | None = Field(description="Uiterste datum.", examples=["2027-03-31"])
    status: BesluitStatus = Field(description="Status.", examples=["open"])


class EvaluatiePublic(Schema):
    """Een evaluatie van de eigen organisatie."""

    id: uuid.UUID = Field(description="Id van de evaluatie.", examples=["6c5d4e3f-2a1b-4c9d-8e7f-6a5b4c3d2e1f"])
    datum: date = Field(description="Datum.", examples=["2026-11-20"])
    deelnemers: list[DeelnemerPublic] = Field(description="Deelnemer per rol.")
    doelstellingen: list[uuid.UUID] = Field(description="Ids van de besproken doelstellingen.", examples=[["0b6f3e2a-1c4d-4e5f-9a8b-7c6d5e4f3a2b"]])
    bevindingen: str | None = Field(description="Bevindingen.", examples=["Het bereik onder jonge moeders groeit."])
    besluiten: list[BesluitPublic] = Field(description="Besluiten.")
    indicatoren: list[str] = Field(description="Codes van de besproken indicatoren.", examples=[["bereik-inwoners"]])
    ervaringsverhalen: list[uuid.UUID] = Field(description="Ids van de besproken ervaringsverhalen.", examples=[["2a7c9e1b-4d3f-4b6a-8c2e-1f0d9b8a7c6e"]])
    aangemaakt_op: datetime = Field(description="Tijdstip van vastleggen (UTC).", examples=["2026-12-07T10:15:00Z"])
    gewijzigd_op: datetime = Field(description="Tijdstip van de laatste wijziging (UTC).", examples=["2026-12-07T10:15:00Z"])


class BesluitLijstPublic(BesluitPublic):
    """Een besluit met de evaluatie waarin het genomen werd en de doelstellingen die daar besproken werden."""

    evaluatie_id: uuid.UUID = Field(description="Id van de evaluatie.", examples=["6c5d4e3f-2a1b-4c9d-8e7f-6a5b4c3d2e1f"])
    evaluatie_datum: date = Field(description="Datum van de evaluatie.", examples=["2026-11-20"])
    doelstellingen: list[uuid.UUID] = Field(description="Ids van de doelstellingen die de evaluatie besprak.",
                                            examples=[["0b6f3e2a-1c4d-4e5f-9a8b-7c6d5e4f3a2b"]])
    te_laat: bool = Field(description="De deadline is voorbij en het besluit is niet afgerond.", examples=[False])
    gewijzigd_op: datetime = Field(description="Tijdstip van de laatste wijziging (UTC).", examples=["2026-12-07T10:15:00Z"])


class BesluitUpdate(InputSchema):
    """De status van een besluit bijwerken (en eventueel de deadline verzetten)."""

    status: BesluitStatus | None = Field(default=None, description="`open`, `bezig` of `afgerond`.", examples=["afgerond"])
    deadline: date | None = Field(default=None, description="Nieuwe uiterste datum; `null` wist hem.", examples=["2027-06-30"])

    @field_validator("status", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("Mag niet null zijn; laat het veld weg om het ongewijzigd te laten.")
        return value
