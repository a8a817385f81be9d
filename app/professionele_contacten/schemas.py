"""API schemas for professionele contacten: a key person's contacts with professionals (issue 25, part 5)."""

import enum
import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, Field, field_validator, model_validator

from app.core.persoonsgegevens import NAMEN_WAARSCHUWING, IdZonderPersoonsgegevens, VrijeTekst
from app.core.schemas import GeenBsn, InputSchema, Schema
from app.core.validation import DatumNietInToekomst, Gemeentecode, niet_voor_eerste_datum, uniek

TERUGKOPPELING_MAX = 4000
ADVIESVRAAG = "adviesvraag"


class AanvragerSoort(enum.StrEnum):
    ketenpartner = "ketenpartner"
    gemeente = "gemeente"
    ggd = "ggd"


class AdviesStatus(enum.StrEnum):
    """The answer loop of an adviesvraag."""

    gevraagd = "gevraagd"
    gegeven = "gegeven"
    teruggekoppeld = "teruggekoppeld"


Contactdatum = Annotated[
    DatumNietInToekomst,
    AfterValidator(niet_voor_eerste_datum),
    Field(description="De dag van het contact; niet in de toekomst, niet vóór 2000-01-01.", examples=["2026-12-03"]),
]
Soort = Annotated[
    str,
    Field(max_length=40, description="Code uit codelijst `professioneel-contact-soort`: adviesvraag, casusoverleg, "
          "voorlichting-aan-professionals, klankbordgroep, materiaal-testen of overleg.", examples=["adviesvraag"]),
]
AantalProfessionals = Annotated[
    int, Field(ge=1, le=10000, description="Aantal professionals dat bereikt werd (minstens 1).", examples=[6]),
]
DuurMinuten = Annotated[
    int, Field(ge=1, le=24 * 60, description="Duur van het contact in minuten (optioneel).", examples=[45]),
]
Onderwerpen = Annotated[
    list[Annotated[str, Field(max_length=80)]],
    AfterValidator(uniek),
    Field(min_length=0, max_length=10,
          description="Codes uit codelijst `onderwerp`; een hoofdonderwerp omvat zijn subonderwerpen in filters en indicatoren.",
          examples=[["zorg.jgz"]]),
]
ExternId = Annotated[
    IdZonderPersoonsgegevens,
    Field(min_length=1, max_length=100,
          description="Id in de partnerapplicatie of op het apparaat; uniek per organisatie. Maakt opnieuw versturen veilig.",
          examples=["app-7f3c9a2e-prof-1"]),
]


class AangevraagdDoor(GeenBsn, Schema):
    """Wie om het contact vroeg: een ketenpartner van de organisatie, een gemeente, of de GGD voor een gemeente."""

    model_config = InputSchema.model_config

    soort: AanvragerSoort = Field(description="`ketenpartner`, `gemeente` of `ggd`.", examples=["ketenpartner"])
    ketenpartner_id: uuid.UUID | None = Field(
        default=None, description="Bij `ketenpartner`: id van een ketenpartner van de eigen organisatie.",
        examples=["6f1c2a4e-8b1d-4c7e-9a0b-3d2e1f4a5b6c"],
    )
    gemeentecode: Gemeentecode | None = Field(
        default=None, description="Bij `gemeente` en `ggd`: de gemeente (of de gemeente waarvoor de GGD werkt).",
        examples=["GM0344"],
    )

    @model_validator(mode="after")
    def _compleet(self) -> "AangevraagdDoor":
        if self.soort is AanvragerSoort.ketenpartner:
            if self.ketenpartner_id is None or self.gemeentecode is not None:
                raise ValueError("Bij soort `ketenpartner` hoort `ketenpartnerId` (en geen `gemeentecode`).")
        elif self.gemeentecode is None or self.ketenpartner_id is not None:
            raise ValueError(f"Bij soort `{self.soort.value}` hoort `gemeentecode` (en geen `ketenpartnerId`).")
        return self


class AdviesTerugkoppeling(GeenBsn, Schema):
    """Wat de vragende partij met het advies deed."""

    model_config = InputSchema.model_config

    tekst: VrijeTekst = Field(
        min_length=1, max_length=TERUGKOPPELING_MAX,
        description="Wat er met het advies is gedaan, volgens de partij die het vroeg. " + NAMEN_WAARSCHUWING,
        examples=["Het wijkteam nodigt statushouders nu uit met een tolk."],
    )
    datum: DatumNietInToekomst = Field(description="Datum van de terugkoppeling; niet in de toekomst, niet vóór het contact.",
                                       examples=["2026-12-05"])


STATUS_UITLEG = (
    "Alleen bij `adviesvraag`: `gevraagd` (standaard), `gegeven` (het advies is gegeven) of `teruggekoppeld` "
    "(de vragende partij liet weten wat ermee gedaan is; dan hoort er een `terugkoppeling` bij). Een "
    "`terugkoppeling` zonder status zet de status op `teruggekoppeld`."
)


class ProfessioneelContactCreate(InputSchema):
    """Een contact van een sleutelpersoon met professionals."""

    extern_id: ExternId | None = None
    sleutelpersoon_id: uuid.UUID = Field(description="De sleutelpersoon (van de eigen organisatie).",
                                         examples=["7d9f1c2b-3a4e-4f5d-8e6c-1b2a3c4d5e6f"])
    datum: Contactdatum
    soort: Soort
    aangevraagd_door: AangevraagdDoor = Field(description="Wie om het contact vroeg.")
    aantal_professionals: AantalProfessionals
    onderwerpen: Onderwerpen = Field(default_factory=list)
    duur_minuten: DuurMinuten | None = None
    project_id: uuid.UUID | None = Field(
        default=None, description="Het project (/v1/projecten) van de eigen organisatie waarop het contact geboekt wordt (optioneel).",
        examples=["0b7e4c1a-2d3f-4a5b-8c6d-7e8f9a0b1c2d"],
    )
    gemeentecode: Gemeentecode | None = Field(
        default=None, description="Gemeente waar het contact meetelt in regionale cijfers; standaard de gemeente van de sleutelpersoon.",
        examples=["GM0344"],
    )
    status: AdviesStatus | None = Field(default=None, description=STATUS_UITLEG, examples=["gevraagd"])
    terugkoppeling: AdviesTerugkoppeling | None = Field(default=None, description="Alleen bij `adviesvraag` met status `teruggekoppeld`.")


class ProfessioneelContactUpdate(InputSchema):
    """Gedeeltelijke correctie: alleen meegestuurde velden veranderen."""

    sleutelpersoon_id: uuid.UUID | None = Field(default=None, description="De sleutelpersoon.", examples=["7d9f1c2b-3a4e-4f5d-8e6c-1b2a3c4d5e6f"])
    datum: Contactdatum | None = None
    soort: Soort | None = None
    aangevraagd_door: AangevraagdDoor | None = Field(default=None, description="Wie om het contact vroeg.")
    aantal_professionals: AantalProfessionals | None = None
    onderwerpen: Onderwerpen | None = None
    duur_minuten: DuurMinuten | None = Field(default=None, description="Duur in minuten; `null` wist hem.", examples=[45])
    project_id: uuid.UUID | None = Field(default=None, description="Project (id); `null` haalt het contact van het project af.",
                                         examples=["0b7e4c1a-2d3f-4a5b-8c6d-7e8f9a0b1c2d"])
    gemeentecode: Gemeentecode | None = Field(default=None, description="Gemeente; `null` wist haar.", examples=["GM0344"])
    status: AdviesStatus | None = Field(default=None, description=STATUS_UITLEG, examples=["teruggekoppeld"])
    terugkoppeling: AdviesTerugkoppeling | None = Field(default=None, description="De terugkoppeling van de vragende partij; `null` wist haar.")

    @field_validator("sleutelpersoon_id", "datum", "soort", "aangevraagd_door", "aantal_professionals", "onderwerpen", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("Mag niet null zijn; laat het veld weg om het ongewijzigd te laten.")
        return value


class AangevraagdDoorPublic(Schema):
    soort: AanvragerSoort = Field(description="`ketenpartner`, `gemeente` of `ggd`.", examples=["ketenpartner"])
    ketenpartner_id: uuid.UUID | None = Field(description="Bij `ketenpartner`: de ketenpartner.", examples=["6f1c2a4e-8b1d-4c7e-9a0b-3d2e1f4a5b6c"])
    gemeentecode: str | None = Field(description="Bij `gemeente` en `ggd`: de gemeente.", examples=["GM0344"])


class AdviesTerugkoppelingPublic(Schema):
    tekst: str = Field(description="Wat er met het advies is gedaan.", examples=["Het wijkteam nodigt statushouders nu uit met een tolk."])
    datum: date = Field(description="Datum van de terugkoppeling.", examples=["2026-12-05"])


class ProfessioneelContactPublic(Schema):
    id: uuid.UUID = Field(description="Id van het professionele contact.", examples=["5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"])
    extern_id: str | None = Field(description="Id in de partnerapplicatie of op het apparaat.", examples=["app-7f3c9a2e-prof-1"])
    sleutelpersoon_id: uuid.UUID = Field(description="De sleutelpersoon.", examples=["7d9f1c2b-3a4e-4f5d-8e6c-1b2a3c4d5e6f"])
    datum: date = Field(description="De dag van het contact.", examples=["2026-12-03"])
    soort: str = Field(description="Code uit codelijst `professioneel-contact-soort`.", examples=["adviesvraag"])
    aangevraagd_door: AangevraagdDoorPublic = Field(description="Wie om het contact vroeg.")
    aantal_professionals: int = Field(description="Aantal bereikte professionals.", examples=[6])
    onderwerpen: list[str] = Field(description="Codes uit codelijst `onderwerp`.", examples=[["zorg.jgz"]])
    duur_minuten: int | None = Field(description="Duur in minuten.", examples=[45])
    project_id: uuid.UUID | None = Field(default=None, description="Het project waarop het contact geboekt is, of null.",
                                         examples=["0b7e4c1a-2d3f-4a5b-8c6d-7e8f9a0b1c2d"])
    gemeentecode: str | None = Field(description="Gemeente waar het contact meetelt.", examples=["GM0344"])
    status: AdviesStatus | None = Field(description="Bij een adviesvraag: gevraagd, gegeven of teruggekoppeld; anders null.", examples=["gegeven"])
    terugkoppeling: AdviesTerugkoppelingPublic | None = Field(description="De terugkoppeling van de vragende partij, of null.")
    aangemaakt_op: datetime = Field(description="Tijdstip van vastleggen.", examples=["2026-12-03T17:30:00Z"])
    gewijzigd_op: datetime = Field(description="Tijdstip van de laatste wijziging.", examples=["2026-12-03T17:30:00Z"])
