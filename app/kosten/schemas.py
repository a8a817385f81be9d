"""API schemas for kosten: costs and allowances, exact to the cent (issue 26, part 5)."""

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, Field, field_validator

from app.core.geld import Bedrag, BedragUit
from app.core.persoonsgegevens import NAMEN_WAARSCHUWING, VrijeTekst
from app.core.schemas import InputSchema, Schema, alle_fouten
from app.core.validation import DatumNietInToekomst, Gemeentecode, niet_voor_eerste_datum
from app.deskundigheid.schemas import ImportFout

MAAND_PATTERN = r"^(20\d\d)-(0[1-9]|1[0-2])$"

Kostendatum = Annotated[
    DatumNietInToekomst, AfterValidator(niet_voor_eerste_datum),
    Field(description="De dag van de kosten; niet in de toekomst. Of `periode` voor kosten over een maand.", examples=["2026-03-14"]),
]
Maand = Annotated[
    str,
    Field(pattern=MAAND_PATTERN, description="De maand (JJJJ-MM) van kosten over een hele maand (een maandvergoeding), in "
          "plaats van `datum`; niet na de huidige maand. Telt in indicatoren op de eerste dag van de maand.", examples=["2026-03"]),
]
Soort = Annotated[
    str,
    Field(min_length=1, max_length=40, description="Code uit codelijst `kosten-soort`: vrijwilligersvergoeding, reiskosten, "
          "kinderopvang, telefoon, scholing, begeleiding, materiaal of overig.", examples=["reiskosten"]),
]
Omschrijving = Annotated[
    VrijeTekst,
    Field(min_length=1, max_length=500, description="Korte omschrijving (optioneel). " + NAMEN_WAARSCHUWING,
          examples=["OV-kosten voorlichting buurthuis"]),
]
_SP = "De sleutelpersoon (van de eigen organisatie) voor wie of door wie de kosten gemaakt zijn (optioneel)."
_PROJECT = "Het project (van de eigen organisatie) waarop de kosten geboekt worden (optioneel)."
_GEMEENTE = ("Gemeente waar de kosten meetellen in regionale cijfers; standaard die van de sleutelpersoon, anders de "
             "financierende gemeente van het project.")


class KostenCreate(InputSchema):
    """Kosten of een vergoeding: een bedrag van een soort, op een dag (`datum`) of over een maand (`periode`)."""

    soort: Soort
    bedrag: Bedrag
    datum: Kostendatum | None = None
    periode: Maand | None = None
    sleutelpersoon_id: uuid.UUID | None = Field(default=None, description=_SP, examples=["7d9f1c2b-3a4e-4f5d-8e6c-1b2a3c4d5e6f"])
    project_id: uuid.UUID | None = Field(default=None, description=_PROJECT, examples=["0b7e4c1a-2d3f-4a5b-8c6d-7e8f9a0b1c2d"])
    gemeentecode: Gemeentecode | None = Field(default=None, description=_GEMEENTE, examples=["GM0344"])
    omschrijving: Omschrijving | None = None


# The create body that arrives with its schema errors, so the service reports them with its own in one 400.
KostenInvoer = alle_fouten(KostenCreate)


class KostenUpdate(InputSchema):
    """Gedeeltelijke correctie: alleen meegestuurde velden veranderen; `null` wist een optioneel veld."""

    soort: Soort | None = None
    bedrag: Bedrag | None = None
    datum: Kostendatum | None = None
    periode: Maand | None = None
    sleutelpersoon_id: uuid.UUID | None = Field(default=None, description=_SP)
    project_id: uuid.UUID | None = Field(default=None, description=_PROJECT)
    gemeentecode: Gemeentecode | None = Field(default=None, description=_GEMEENTE)
    omschrijving: Omschrijving | None = None

    @field_validator("soort", "bedrag", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("Mag niet null zijn; laat het veld weg om het ongewijzigd te laten.")
        return value


class KostenPublic(Schema):
    id: uuid.UUID = Field(description="Id van de kosten.", examples=["4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8"])
    soort: str = Field(description="Code uit codelijst `kosten-soort`.", examples=["reiskosten"])
    bedrag: BedragUit = Field(description="Bedrag in euro's, als tekst met twee decimalen (exact).", examples=["12.34"])
    datum: date | None = Field(description="De dag van de kosten; leeg bij kosten over een maand.", examples=["2026-03-14"])
    periode: str | None = Field(description="De maand (JJJJ-MM) bij kosten over een maand; anders leeg.", examples=["2026-03"])
    sleutelpersoon_id: uuid.UUID | None = Field(description="De sleutelpersoon, of leeg.", examples=["7d9f1c2b-3a4e-4f5d-8e6c-1b2a3c4d5e6f"])
    project_id: uuid.UUID | None = Field(description="Het project, of leeg.", examples=["0b7e4c1a-2d3f-4a5b-8c6d-7e8f9a0b1c2d"])
    gemeentecode: str | None = Field(description="Gemeente waar de kosten meetellen.", examples=["GM0344"])
    omschrijving: str | None = Field(description="Omschrijving.", examples=["OV-kosten voorlichting buurthuis"])
    aangemaakt_op: datetime = Field(description="Tijdstip van vastleggen.", examples=["2026-03-14T17:30:00Z"])
    gewijzigd_op: datetime = Field(description="Tijdstip van de laatste wijziging.", examples=["2026-03-14T17:30:00Z"])


class KostenOverzicht(Schema):
    """De kosten van één sleutelpersoon in een periode: totaal, per soort en de regels."""

    sleutelpersoon_id: uuid.UUID = Field(description="De sleutelpersoon.")
    totaal: BedragUit = Field(description="Som van de kosten in euro's (exact).", examples=["123.45"])
    per_soort: dict[str, BedragUit] = Field(description="Dezelfde som per soort (alleen soorten met kosten).",
                                             examples=[{"reiskosten": "23.45", "vrijwilligersvergoeding": "100.00"}])
    kosten: list[KostenPublic] = Field(description="De kosten zelf, oudste eerst.")


class KostenImport(Schema):
    """Het rapport van een import van kosten."""

    proefdraai: bool = Field(description="Waar bij een proefdraai: er is niets opgeslagen.", examples=[True])
    opgeslagen: bool = Field(description="Waar als de rijen zijn opgeslagen (geen proefdraai en geen fouten).", examples=[False])
    gelezen: int = Field(description="Gelezen rijen.", examples=[12])
    aangemaakt: int = Field(description="Rijen die nieuwe kosten werden (of bij een proefdraai zouden worden).", examples=[10])
    ongewijzigd: int = Field(description="Rijen waarvan de kosten er al waren (zelfde soort, bedrag, datum of periode, "
                             "sleutelpersoon, project en omschrijving), en die dus niet nog eens zijn vastgelegd.", examples=[2])
    afgewezen: int = Field(description="Afgekeurde rijen.", examples=[0])
    totaal: BedragUit = Field(description="Som van de bedragen van de goedgekeurde rijen in euro's (exact op de cent).",
                              examples=["1234.56"])
    fouten: list[ImportFout] = Field(description="De fouten per rij en kolom (hoogstens 100).")
