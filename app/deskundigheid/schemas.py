"""API schemas for deskundigheidsbevordering: training, intervision, coaching (issue 26, part 2)."""

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, Field, field_validator

from app.core.persoonsgegevens import NAMEN_WAARSCHUWING, VrijeTekst
from app.core.schemas import InputSchema, Schema
from app.core.validation import DatumNietInToekomst, niet_voor_eerste_datum

# Hours in quarter hours, stored as whole minutes (as /v1/inzet): sums stay exact.
KWARTIER = 0.25
MAX_UREN = 200  # a basic training of several days is about 40 hours; more is a typing error
MAX_DEELNEMERS = 200

Datum = Annotated[
    DatumNietInToekomst, AfterValidator(niet_voor_eerste_datum),
    Field(description="De dag van de bijeenkomst (bij een meerdaagse training de eerste dag); niet in de toekomst.",
          examples=["2026-11-12"]),
]
Uren = Annotated[float, Field(gt=0, le=MAX_UREN, multiple_of=KWARTIER,
                              description="Duur in uren, in kwartieren (0.25, 1.5, ...); meer dan 0, hoogstens 200. "
                              "Elke deelnemer krijgt deze uren.", examples=[2])]
Soort = Annotated[str, Field(max_length=40, description="Code uit codelijst `deskundigheid-soort`: basistraining, "
                             "bijscholing, intervisie, coaching, congres of overig.", examples=["intervisie"])]
Titel = Annotated[VrijeTekst, Field(min_length=1, max_length=200, description="Titel. " + NAMEN_WAARSCHUWING,
                                    examples=["Intervisie november"])]
Aanbieder = Annotated[VrijeTekst, Field(min_length=1, max_length=200, description="Wie de training gaf (organisatie).",
                                        examples=["Pharos"])]
Deelnemers = Annotated[list[uuid.UUID], Field(min_length=1, max_length=MAX_DEELNEMERS,
                                              description="Sleutelpersonen (ids, van de eigen organisatie) die deelnamen; "
                                              "dubbele worden samengevoegd.",
                                              examples=[["7d9f1c2b-3a4e-4f5d-8e6c-1b2a3c4d5e6f"]])]
CertificaatDatum = Annotated[DatumNietInToekomst, Field(
    description="Datum van het certificaat, als de training er een gaf; niet vóór `datum`.", examples=["2026-11-30"])]


def _uniek(waarden: list[uuid.UUID] | None) -> list[uuid.UUID] | None:
    return None if waarden is None else list(dict.fromkeys(waarden))


class DeskundigheidCreate(InputSchema):
    """Een training, intervisiebijeenkomst, coaching of congres met de deelnemende sleutelpersonen."""

    soort: Soort
    titel: Titel
    datum: Datum
    uren: Uren
    aanbieder: Aanbieder | None = None
    deelnemers: Deelnemers
    certificaat_datum: CertificaatDatum | None = None

    @field_validator("deelnemers")
    @classmethod
    def _dubbel(cls, value: list[uuid.UUID]) -> list[uuid.UUID] | None:
        return _uniek(value)


class DeskundigheidUpdate(InputSchema):
    """Gedeeltelijke wijziging: alleen meegestuurde velden veranderen; `deelnemers` vervangt de lijst."""

    soort: Soort | None = None
    titel: Titel | None = None
    datum: Datum | None = None
    uren: Uren | None = None
    aanbieder: Aanbieder | None = Field(default=None, description="Aanbieder; `null` wist hem.")
    deelnemers: Deelnemers | None = None
    certificaat_datum: CertificaatDatum | None = Field(default=None, description="Certificaatdatum; `null` wist haar.")

    @field_validator("soort", "titel", "datum", "uren", "deelnemers", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("Mag niet null zijn; laat het veld weg om het ongewijzigd te laten.")
        return value

    @field_validator("deelnemers")
    @classmethod
    def _dubbel(cls, value: list[uuid.UUID] | None) -> list[uuid.UUID] | None:
        return _uniek(value)


class DeskundigheidPublic(Schema):
    id: uuid.UUID = Field(description="Id van de bijeenkomst.", examples=["3c1d2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"])
    soort: str = Field(description="Code uit codelijst `deskundigheid-soort`.", examples=["intervisie"])
    titel: str = Field(description="Titel.", examples=["Intervisie november"])
    datum: date = Field(description="De dag van de bijeenkomst.", examples=["2026-11-12"])
    uren: float = Field(description="Duur in uren.", examples=[2])
    aanbieder: str | None = Field(description="Wie de training gaf.", examples=["Pharos"])
    deelnemers: list[uuid.UUID] = Field(description="De deelnemende sleutelpersonen.",
                                        examples=[["7d9f1c2b-3a4e-4f5d-8e6c-1b2a3c4d5e6f"]])
    certificaat_datum: date | None = Field(description="Datum van het certificaat.", examples=["2026-11-30"])
    aangemaakt_op: datetime = Field(description="Tijdstip van vastleggen.", examples=["2026-11-12T17:30:00Z"])
    gewijzigd_op: datetime = Field(description="Tijdstip van de laatste wijziging.", examples=["2026-11-12T17:30:00Z"])


class ImportFout(Schema):
    rij: int = Field(description="Rijnummer in het bestand (de kopregel is rij 1).", examples=[3])
    kolom: str | None = Field(description="De kolom, als de fout bij één kolom hoort.", examples=["Deelnemers"])
    reden: str = Field(description="Wat er mis is.", examples=["Sleutelpersoon `Amira` is onbekend."])


class DeskundigheidImport(Schema):
    """Het rapport van een import van trainingen en intervisie."""

    proefdraai: bool = Field(description="Waar bij een proefdraai: er is niets opgeslagen.", examples=[True])
    opgeslagen: bool = Field(description="Waar als de rijen zijn opgeslagen (geen proefdraai en geen fouten).", examples=[False])
    gelezen: int = Field(description="Gelezen rijen.", examples=[12])
    aangemaakt: int = Field(description="Nieuwe bijeenkomsten (rijen met dezelfde soort, titel en datum zijn één bijeenkomst).", examples=[3])
    bijgewerkt: int = Field(description="Bestaande bijeenkomsten die deelnemers erbij kregen.", examples=[0])
    ongewijzigd: int = Field(description="Bestaande bijeenkomsten waaraan niets verandert.", examples=[0])
    afgewezen: int = Field(description="Afgekeurde rijen.", examples=[1])
    fouten: list[ImportFout] = Field(description="De fouten per rij en kolom (hoogstens 100).")
