"""API schemas for ervaringsverhalen (experience stories, handreiking chapter 7)."""

import enum
import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, Field, field_validator

from app.core.persoonsgegevens import NAMEN_WAARSCHUWING, VrijeTekst
from app.core.schemas import GeenBsn, InputSchema, Schema
from app.core.validation import DatumNietInToekomst, Gemeentecode, Wijkcode, niet_voor_eerste_datum, uniek

VERHAAL_MAX = 8000
CITAAT_MAX = 300


class Bron(enum.StrEnum):
    sleutelpersoon = "sleutelpersoon"
    collega = "collega"
    ketenpartner = "ketenpartner"
    inwoner = "inwoner"
    coordinator = "coordinator"


class Toestemmingsvorm(enum.StrEnum):
    mondeling = "mondeling"
    schriftelijk = "schriftelijk"


Verhaaldatum = Annotated[
    DatumNietInToekomst,
    AfterValidator(niet_voor_eerste_datum),
    Field(description="Datum waarop het verhaal is opgehaald; niet in de toekomst, niet vóór 2000-01-01.", examples=["2026-10-02"]),
]
Onderwerpen = Annotated[
    list[Annotated[str, Field(max_length=80)]],
    AfterValidator(uniek),
    Field(max_length=10, description="Codes uit codelijst `onderwerp` (mag leeg).", examples=[["gezondheid.mentaal"]]),
]
Effecten = Annotated[
    list[Annotated[str, Field(max_length=40)]],
    AfterValidator(uniek),
    Field(
        min_length=1, max_length=6,
        description="Codes uit codelijst `effect`: persoonlijke-ontwikkeling, samenwerking, culturele-sensitiviteit, eerder-in-beeld, gezondheid-welzijn, anders.",
        examples=[["eerder-in-beeld", "samenwerking"]],
        json_schema_extra={"uniqueItems": True},
    ),
]
Titel = Annotated[VrijeTekst, Field(min_length=1, max_length=200, description="Korte titel. " + NAMEN_WAARSCHUWING,
                                    examples=["Via de sleutelpersoon eerder bij de POH-GGZ"])]
Verhaal = Annotated[VrijeTekst, Field(min_length=1, max_length=VERHAAL_MAX, description="Het verhaal. " + NAMEN_WAARSCHUWING,
                                      examples=["Drie gezinnen kwamen via de sleutelpersoon bij de POH-GGZ, voordat het misging."])]
Citaat = Annotated[VrijeTekst, Field(min_length=1, max_length=CITAAT_MAX, description="Kort citaat voor rapportages (optioneel). " + NAMEN_WAARSCHUWING,
                                     examples=["Zonder haar waren deze gezinnen pas in crisis bij ons gekomen."])]


class Toestemming(GeenBsn, Schema):
    """Toestemming van wie het verhaal vertelde; verplicht als de bron een inwoner is."""

    model_config = InputSchema.model_config

    gegeven: bool = Field(description="Of toestemming is gegeven om het verhaal vast te leggen en te delen.", examples=[True])
    datum: DatumNietInToekomst = Field(description="Datum van de toestemming; niet in de toekomst.", examples=["2026-10-02"])
    vorm: Toestemmingsvorm = Field(description="`mondeling` of `schriftelijk`.", examples=["mondeling"])


class ErvaringsverhaalBase(InputSchema):
    datum: Verhaaldatum
    gemeentecode: Gemeentecode = Field(description="Gemeente waar het verhaal speelt.", examples=["GM0344"])
    wijkcode: Wijkcode | None = Field(default=None, description="Wijk (optioneel).", examples=["WK034405"])
    bron: Bron = Field(description="Wie het verhaal vertelde: sleutelpersoon, collega, ketenpartner, inwoner of coordinator.", examples=["ketenpartner"])
    onderwerpen: Onderwerpen = Field(default_factory=list)
    effecten: Effecten
    titel: Titel
    verhaal: Verhaal
    citaat: Citaat | None = None
    sleutelpersoon_id: uuid.UUID | None = Field(
        default=None, description="De betrokken sleutelpersoon (van de eigen organisatie, optioneel); regionale sleutels zien dit nooit.",
        examples=["7d9f1c2b-3a4e-4f5d-8e6c-1b2a3c4d5e6f"],
    )
    toestemming: Toestemming | None = Field(default=None, description="Verplicht als `bron` `inwoner` is.")
    gedeeld: bool = Field(
        default=False,
        description="`true`: regionale rapportagesleutels van deze gemeente mogen het verhaal lezen. Bij een inwoner als bron alleen met gegeven toestemming.",
        examples=[True],
    )


class ErvaringsverhaalCreate(ErvaringsverhaalBase):
    """Een nieuw ervaringsverhaal van de eigen organisatie."""


class ErvaringsverhaalUpdate(InputSchema):
    """Gedeeltelijke wijziging: alleen meegestuurde velden veranderen."""

    datum: Verhaaldatum | None = None
    gemeentecode: Gemeentecode | None = Field(default=None, description="Gemeente.", examples=["GM0344"])
    wijkcode: Wijkcode | None = Field(default=None, description="Wijk; `null` wist hem.", examples=["WK034405"])
    bron: Bron | None = Field(default=None, description="Bron.", examples=["collega"])
    onderwerpen: Onderwerpen | None = None
    effecten: Effecten | None = None
    titel: Titel | None = None
    verhaal: Verhaal | None = None
    citaat: Citaat | None = None
    sleutelpersoon_id: uuid.UUID | None = Field(default=None, description="Sleutelpersoon; `null` wist hem.", examples=["7d9f1c2b-3a4e-4f5d-8e6c-1b2a3c4d5e6f"])
    toestemming: Toestemming | None = Field(default=None, description="Toestemming; `null` wist haar (niet bij een inwoner als bron).")
    gedeeld: bool | None = Field(default=None, description="Delen met regionale rapportagesleutels.", examples=[False])

    @field_validator("datum", "gemeentecode", "bron", "onderwerpen", "effecten", "titel", "verhaal", "gedeeld", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("Mag niet null zijn; laat het veld weg om het ongewijzigd te laten.")
        return value


class ToestemmingPublic(Schema):
    gegeven: bool = Field(description="Of toestemming is gegeven.", examples=[True])
    datum: date = Field(description="Datum van de toestemming.", examples=["2026-10-02"])
    vorm: Toestemmingsvorm = Field(description="`mondeling` of `schriftelijk`.", examples=["mondeling"])


class VerhaalInhoud(Schema):
    id: uuid.UUID = Field(description="Id van het verhaal.", examples=["2a7c9e1b-4d3f-4b6a-8c2e-1f0d9b8a7c6e"])
    datum: date = Field(description="Datum.", examples=["2026-10-02"])
    gemeentecode: str = Field(description="Gemeente.", examples=["GM0344"])
    wijkcode: str | None = Field(description="Wijk.", examples=["WK034405"])
    bron: Bron = Field(description="Bron.", examples=["ketenpartner"])
    onderwerpen: list[str] = Field(description="Codes uit codelijst `onderwerp`.", examples=[["gezondheid.mentaal"]])
    effecten: list[str] = Field(description="Codes uit codelijst `effect`.", examples=[["eerder-in-beeld"]])
    titel: str = Field(description="Titel.", examples=["Via de sleutelpersoon eerder bij de POH-GGZ"])
    verhaal: str = Field(description="Het verhaal.", examples=["Drie gezinnen kwamen eerder bij de POH-GGZ."])
    citaat: str | None = Field(description="Citaat.", examples=["Zonder haar waren deze gezinnen pas in crisis bij ons gekomen."])


class ErvaringsverhaalPublic(VerhaalInhoud):
    """Een ervaringsverhaal zoals de eigen organisatie het ziet."""

    sleutelpersoon_id: uuid.UUID | None = Field(description="De betrokken sleutelpersoon.", examples=["7d9f1c2b-3a4e-4f5d-8e6c-1b2a3c4d5e6f"])
    toestemming: ToestemmingPublic | None = Field(description="Toestemming, als vastgelegd.")
    gedeeld: bool = Field(description="Gedeeld met regionale rapportagesleutels.", examples=[True])
    aangemaakt_op: datetime = Field(description="Tijdstip van vastleggen (UTC).", examples=["2026-10-02T10:15:00Z"])
    gewijzigd_op: datetime = Field(description="Tijdstip van de laatste wijziging (UTC).", examples=["2026-10-02T10:15:00Z"])


class GedeeldVerhaal(VerhaalInhoud):
    """Een gedeeld verhaal zoals een regionale rapportagesleutel het ziet: met de organisatie, zonder sleutelpersoon."""

    organisatie_naam: str = Field(description="Naam van de organisatie die het verhaal ophaalde.", examples=["Welzijn Overvecht"])


class Exportformaat(enum.StrEnum):
    xlsx = "xlsx"
    csv = "csv"
    csv_rfc4180 = "csv-rfc4180"
    markdown = "markdown"
