"""API schemas for doelstellingen (the organisation's goals, issue 25 part 1)."""

import enum
import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, Field, field_validator

from app.core.persoonsgegevens import NAMEN_WAARSCHUWING, IdZonderPersoonsgegevens, VrijeTekst
from app.core.schemas import InputSchema, Schema, alle_fouten
from app.core.validation import DatumNietInToekomst, uniek


class DoelstellingStatus(enum.StrEnum):
    concept = "concept"
    actief = "actief"
    afgerond = "afgerond"


def uniek_ids(values: list[uuid.UUID]) -> list[uuid.UUID]:
    """A list of ids in which every id occurs once (an AfterValidator)."""
    if len(set(values)) != len(values):
        raise ValueError("Elk id mag hoogstens één keer voorkomen.")
    return values


ExternId = Annotated[
    IdZonderPersoonsgegevens,
    Field(min_length=1, max_length=100,
          description="Id in de eigen administratie; uniek per organisatie. Maakt opnieuw versturen veilig.",
          examples=["plan-2027-jgz"]),
]
Titel = Annotated[VrijeTekst, Field(min_length=1, max_length=200, description="Korte titel van de doelstelling. " + NAMEN_WAARSCHUWING,
                                    examples=["Meer jonge moeders bereiken het consultatiebureau"])]
Omschrijving = Annotated[VrijeTekst, Field(min_length=1, max_length=4000, description="Wat de doelstelling inhoudt. " + NAMEN_WAARSCHUWING,
                                           examples=["Statushouders met jonge kinderen vinden de weg naar de JGZ."])]
Ketenpartners = Annotated[
    list[uuid.UUID],
    AfterValidator(uniek_ids),
    Field(max_length=50, description="Ids van ketenpartners van de eigen organisatie met wie de doelstelling wordt nagestreefd.",
          examples=[["3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"]], json_schema_extra={"uniqueItems": True}),
]
Indicatoren = Annotated[
    list[Annotated[str, Field(max_length=80)]],
    AfterValidator(uniek),
    Field(max_length=20, description="Codes van indicatoren (zie `/v1/indicatoren`) die de doelstelling meten.",
          examples=[["aantal-hulpvragen", "bereik-inwoners"]], json_schema_extra={"uniqueItems": True}),
]


class Behoefteanalyse(InputSchema):
    """De behoefteanalyse waaruit de doelstelling voortkomt (handreiking hoofdstuk 7)."""

    datum: DatumNietInToekomst = Field(description="Datum van de behoefteanalyse; niet in de toekomst.", examples=["2026-09-15"])
    tekst: Annotated[VrijeTekst, Field(min_length=1, max_length=4000, description="Korte samenvatting. " + NAMEN_WAARSCHUWING,
                                       examples=["Jonge moeders onder statushouders missen de consultatiebureaus."])]


class DoelstellingCreate(InputSchema):
    """Een nieuwe doelstelling van de eigen organisatie."""

    extern_id: ExternId | None = None
    titel: Titel
    omschrijving: Omschrijving | None = None
    behoefteanalyse: Behoefteanalyse | None = None
    beoogde_ketenpartners: Ketenpartners = Field(default_factory=list)
    vanaf: date = Field(description="Begin van de looptijd.", examples=["2027-01-01"])
    tot: date | None = Field(default=None, description="Einde van de looptijd (inclusief); leeg is doorlopend.", examples=["2027-12-31"])
    status: DoelstellingStatus = Field(default=DoelstellingStatus.concept, description="`concept`, `actief` of `afgerond`.", examples=["actief"])
    indicatoren: Indicatoren = Field(default_factory=list)


DoelstellingInvoer = alle_fouten(DoelstellingCreate)


class DoelstellingUpdate(InputSchema):
    """Gedeeltelijke wijziging: alleen meegestuurde velden veranderen."""

    titel: Titel | None = None
    omschrijving: Omschrijving | None = Field(default=None, description="Omschrijving; `null` wist haar.")
    behoefteanalyse: Behoefteanalyse | None = Field(default=None, description="Behoefteanalyse; `null` wist haar.")
    beoogde_ketenpartners: Ketenpartners | None = None
    vanaf: date | None = Field(default=None, description="Begin van de looptijd.", examples=["2027-01-01"])
    tot: date | None = Field(default=None, description="Einde (inclusief); `null` maakt de doelstelling doorlopend.", examples=["2027-12-31"])
    status: DoelstellingStatus | None = Field(default=None, description="`concept`, `actief` of `afgerond`.", examples=["afgerond"])
    indicatoren: Indicatoren | None = None

    @field_validator("titel", "beoogde_ketenpartners", "vanaf", "status", "indicatoren", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("Mag niet null zijn; laat het veld weg om het ongewijzigd te laten.")
        return value


class BehoefteanalysePublic(Schema):
    datum: date = Field(description="Datum van de behoefteanalyse.", examples=["2026-09-15"])
    tekst: str = Field(description="Samenvatting.", examples=["Jonge moeders onder statushouders missen de consultatiebureaus."])


class DoelstellingPublic(Schema):
    """Een doelstelling van de eigen organisatie."""

    id: uuid.UUID = Field(description="Id van de doelstelling.", examples=["0b6f3e2a-1c4d-4e5f-9a8b-7c6d5e4f3a2b"])
    extern_id: str | None = Field(description="Id in de eigen administratie.", examples=["plan-2027-jgz"])
    titel: str = Field(description="Titel.", examples=["Meer jonge moeders bereiken het consultatiebureau"])
    omschrijving: str | None = Field(description="Omschrijving.", examples=["Statushouders met jonge kinderen vinden de weg naar de JGZ."])
    behoefteanalyse: BehoefteanalysePublic | None = Field(description="De behoefteanalyse, als vastgelegd.")
    beoogde_ketenpartners: list[uuid.UUID] = Field(description="Ids van de beoogde ketenpartners.", examples=[["3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"]])
    vanaf: date = Field(description="Begin van de looptijd.", examples=["2027-01-01"])
    tot: date | None = Field(description="Einde van de looptijd (inclusief).", examples=["2027-12-31"])
    status: DoelstellingStatus = Field(description="Status.", examples=["actief"])
    indicatoren: list[str] = Field(description="Codes van de indicatoren die de doelstelling meten.", examples=[["aantal-hulpvragen"]])
    aangemaakt_op: datetime = Field(description="Tijdstip van vastleggen (UTC).", examples=["2026-12-07T10:15:00Z"])
    gewijzigd_op: datetime = Field(description="Tijdstip van de laatste wijziging (UTC).", examples=["2026-12-07T10:15:00Z"])
