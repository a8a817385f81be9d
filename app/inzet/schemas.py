"""API schemas for inzet: hours a key person worked on one day, by kind (issue 23, part 7)."""

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, Field, field_validator

from app.core.persoonsgegevens import NAMEN_WAARSCHUWING, IdZonderPersoonsgegevens, VrijeTekst
from app.core.schemas import InputSchema, Schema
from app.core.validation import DatumNietInToekomst, Gemeentecode, niet_voor_eerste_datum

# Hours go in quarter hours: what Dutch time sheets use, exact in binary floating point and in
# whole minutes, so a sum never drifts (0.1 + 0.2 hours does).
KWARTIER = 0.25
MAX_UREN_PER_DAG = 24

Inzetdatum = Annotated[
    DatumNietInToekomst,
    AfterValidator(niet_voor_eerste_datum),
    Field(description="De dag waarop gewerkt is; niet in de toekomst, niet vóór 2000-01-01.", examples=["2026-12-03"]),
]
Uren = Annotated[
    float,
    Field(
        gt=0, le=MAX_UREN_PER_DAG, multiple_of=KWARTIER,
        description="Gewerkte uren op die dag, in kwartieren (0.25, 0.5, 1.75, ...): meer dan 0, hoogstens 24. "
        f"Alle inzet van een sleutelpersoon op één dag samen is hoogstens {MAX_UREN_PER_DAG} uur.",
        examples=[2.5],
    ),
]
Soort = Annotated[
    str,
    Field(
        max_length=40,
        description="Code uit codelijst `inzet-soort`: contacten, groepsactiviteit, overleg, training, reizen of overig.",
        examples=["groepsactiviteit"],
    ),
]
Toelichting = Annotated[
    VrijeTekst,
    Field(min_length=1, max_length=500, description="Korte toelichting (optioneel). " + NAMEN_WAARSCHUWING,
          examples=["Voorlichting over de zorgverzekering in het buurthuis"]),
]
ExternId = Annotated[
    IdZonderPersoonsgegevens,
    Field(min_length=1, max_length=100,
          description="Id in de partnerapplicatie of op het apparaat; uniek per organisatie. Maakt opnieuw versturen veilig.",
          examples=["app-7f3c9a2e-uren-1"]),
]


class InzetCreate(InputSchema):
    """Gewerkte uren van een sleutelpersoon op één dag, van één soort."""

    extern_id: ExternId | None = None
    sleutelpersoon_id: uuid.UUID = Field(
        description="De sleutelpersoon (van de eigen organisatie) die de uren werkte.", examples=["7d9f1c2b-3a4e-4f5d-8e6c-1b2a3c4d5e6f"],
    )
    datum: Inzetdatum
    uren: Uren
    soort: Soort
    gemeentecode: Gemeentecode | None = Field(
        default=None,
        description="Gemeente waar de uren meetellen in regionale cijfers; standaard de gemeente van de sleutelpersoon.",
        examples=["GM0344"],
    )
    toelichting: Toelichting | None = None
    project_id: uuid.UUID | None = Field(
        default=None, description="Het project (/v1/projecten) van de eigen organisatie waarop de uren geboekt worden (optioneel).",
        examples=["0b7e4c1a-2d3f-4a5b-8c6d-7e8f9a0b1c2d"],
    )


class InzetUpdate(InputSchema):
    """Gedeeltelijke correctie: alleen meegestuurde velden veranderen."""

    sleutelpersoon_id: uuid.UUID | None = Field(default=None, description="De sleutelpersoon.", examples=["7d9f1c2b-3a4e-4f5d-8e6c-1b2a3c4d5e6f"])
    datum: Inzetdatum | None = None
    uren: Uren | None = None
    soort: Soort | None = None
    gemeentecode: Gemeentecode | None = Field(default=None, description="Gemeente; `null` wist haar.", examples=["GM0344"])
    toelichting: Toelichting | None = Field(default=None, description="Toelichting; `null` wist haar. " + NAMEN_WAARSCHUWING)
    project_id: uuid.UUID | None = Field(default=None, description="Project (id); `null` haalt de uren van het project af.",
                                         examples=["0b7e4c1a-2d3f-4a5b-8c6d-7e8f9a0b1c2d"])

    @field_validator("sleutelpersoon_id", "datum", "uren", "soort", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("Mag niet null zijn; laat het veld weg om het ongewijzigd te laten.")
        return value


class InzetPublic(Schema):
    id: uuid.UUID = Field(description="Id van de inzet.", examples=["5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"])
    extern_id: str | None = Field(description="Id in de partnerapplicatie of op het apparaat.", examples=["app-7f3c9a2e-uren-1"])
    sleutelpersoon_id: uuid.UUID = Field(description="De sleutelpersoon.", examples=["7d9f1c2b-3a4e-4f5d-8e6c-1b2a3c4d5e6f"])
    datum: date = Field(description="De dag waarop gewerkt is.", examples=["2026-12-03"])
    uren: float = Field(description="Gewerkte uren, in kwartieren.", examples=[2.5])
    soort: str = Field(description="Code uit codelijst `inzet-soort`.", examples=["groepsactiviteit"])
    gemeentecode: str | None = Field(description="Gemeente waar de uren meetellen.", examples=["GM0344"])
    toelichting: str | None = Field(description="Toelichting.", examples=["Voorlichting over de zorgverzekering in het buurthuis"])
    project_id: uuid.UUID | None = Field(default=None, description="Het project waarop de uren geboekt zijn, of null.",
                                         examples=["0b7e4c1a-2d3f-4a5b-8c6d-7e8f9a0b1c2d"])
    aangemaakt_op: datetime = Field(description="Tijdstip van vastleggen.", examples=["2026-12-03T17:30:00Z"])
    gewijzigd_op: datetime = Field(description="Tijdstip van de laatste wijziging.", examples=["2026-12-03T17:30:00Z"])


class UrenPerMaand(Schema):
    """Gewerkte uren van één sleutelpersoon in één maand tegenover de contracturen."""

    sleutelpersoon_id: uuid.UUID = Field(description="De sleutelpersoon.", examples=["7d9f1c2b-3a4e-4f5d-8e6c-1b2a3c4d5e6f"])
    weergavenaam: str = Field(description="Weergavenaam van de sleutelpersoon.", examples=["Amina"])
    maand: str = Field(description="De maand (JJJJ-MM).", examples=["2026-12"])
    uren: float = Field(description="Som van de geregistreerde inzet in de maand.", examples=[31.5])
    uren_per_soort: dict[str, float] = Field(description="Dezelfde som per soort inzet (alleen soorten met uren).",
                                             examples=[{"contacten": 20.0, "overleg": 11.5}])
    uren_per_week: float | None = Field(description="Contracturen per week van de sleutelpersoon (`urenPerWeek`), of null.", examples=[8.0])
    contracturen: float | None = Field(
        description="Contracturen in de maand: urenPerWeek × (dagen in de maand ÷ 7), op een kwartier afgerond; null zonder urenPerWeek.",
        examples=[35.5],
    )
    percentage: float | None = Field(description="uren ÷ contracturen × 100, op één decimaal; null zonder contracturen.", examples=[88.7])
