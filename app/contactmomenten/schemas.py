"""API schemas for contactmomenten, with embedded onderwerpen, acties, doorverwijzingen and uitkomst."""

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, Field, field_validator

from app.core import persoonsgegevens
from app.core.schemas import alle_fouten, GeenBsn, InputSchema, Schema
from app.core.validation import DatumNietInToekomst, Gemeentecode, Taalcode, Wijkcode
from app.doorverwijzingen.schemas import DoorverwijzingCreate, DoorverwijzingPublic
from app.uitkomsten.schemas import UitkomstEmbedded, UitkomstPublic

EERSTE_DATUM = date(2000, 1, 1)

def _uniek(naam: str) -> Any:
    def check(values: list[str]) -> list[str]:
        seen: set[str] = set()
        for value in values:
            if value in seen:
                raise ValueError(f"{naam} `{value}` komt meer dan eens voor.")
            seen.add(value)
        return values

    return AfterValidator(check)


InwonerReferentie = Annotated[
    persoonsgegevens.Referentie,
    Field(
        min_length=1,
        max_length=200,
        description=(
            "Eigen cliëntnummer van de partnerapplicatie. Wordt nooit opgeslagen zoals verstuurd: "
            "de dienst bewaart alleen een sleutel-hash (HMAC) per organisatie, om uniek bereik te tellen. "
            "Geen BSN, naam of andere direct herleidbare gegevens."
        ),
        examples=["client-8841"],
    ),
]
Onderwerpen = Annotated[
    list[Annotated[str, Field(max_length=80)]],
    _uniek("Onderwerp"),
    Field(
        min_length=1,
        max_length=20,
        description="Codes uit codelijst `onderwerp` (minstens één, elk hoogstens één keer).",
        examples=[["geld.toeslagen", "zorg.zorgverzekering"]],
        json_schema_extra={"uniqueItems": True},
    ),
]
Acties = Annotated[
    list[Annotated[str, Field(max_length=80)]],
    _uniek("Actie"),
    Field(
        max_length=20,
        description="Codes uit codelijst `actie` (elk hoogstens één keer).",
        examples=[["uitleg-brief", "afspraak-gemaakt"]],
        json_schema_extra={"uniqueItems": True},
    ),
]


def _niet_voor_eerste_datum(value: date) -> date:
    if value < EERSTE_DATUM:
        raise ValueError(
            f"Datum {value.isoformat()} ligt vóór {EERSTE_DATUM.isoformat()}; dat kan niet kloppen."
        )
    return value


Contactdatum = Annotated[
    DatumNietInToekomst,
    AfterValidator(_niet_voor_eerste_datum),
    Field(
        description="Datum van het contact; niet in de toekomst en niet vóór 2000-01-01.",
        examples=["2025-03-14"],
    ),
]


class Inwoner(Schema):
    """Coarse, non-identifying characteristics of the resident (all optional)."""

    leeftijdscategorie: str | None = Field(
        default=None,
        max_length=20,
        description="Code uit codelijst `leeftijdscategorie`.",
        examples=["27-44"],
    )
    geslacht: str | None = Field(
        default=None,
        max_length=20,
        description="Code uit codelijst `geslacht`.",
        examples=["vrouw"],
    )
    taal: Taalcode | None = Field(
        default=None, description="Taal van het gesprek of de inwoner (ISO 639).", examples=["ar"]
    )
    doelgroep: str | None = Field(
        default=None,
        max_length=40,
        description="Code uit codelijst `doelgroep` (gevoelig; optioneel).",
        examples=["statushouder"],
    )


class InwonerCreate(GeenBsn, Inwoner):
    model_config = InputSchema.model_config


class ContactmomentBase(Schema):
    extern_id: persoonsgegevens.IdZonderPersoonsgegevens | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        description="Id van het contactmoment in de partnerapplicatie; uniek per organisatie. Maakt opnieuw versturen veilig.",
        examples=["crm-2025-000123"],
    )
    sleutelpersoon_id: uuid.UUID = Field(
        description="Id van de sleutelpersoon (van de eigen organisatie).",
        examples=["7d9f1c2b-3a4e-4f5d-8e6c-1b2a3c4d5e6f"],
    )
    gemeentecode: Gemeentecode = Field(
        description="CBS-gemeentecode van de gemeente waar het contact plaatsvond."
    )
    wijkcode: Wijkcode | None = Field(
        default=None, description="CBS-wijkcode; moet in de gemeente liggen."
    )
    kanaal: str = Field(
        max_length=40, description="Code uit codelijst `kanaal`.", examples=["huisbezoek"]
    )
    soort: str = Field(
        default="individueel",
        max_length=20,
        description="Code uit codelijst `soort-contact`: `individueel` (één inwoner) of `groep` (groepsbijeenkomst). Standaard `individueel`.",
        examples=["individueel"],
    )
    aantal_deelnemers: int = Field(
        default=1,
        ge=1,
        le=10000,
        description="Aantal deelnemers: 1 bij `individueel`, minstens 2 bij `groep`. Standaard 1.",
        examples=[1],
    )
    rol: str | None = Field(
        default=None,
        max_length=40,
        description="Code uit codelijst `rol`.",
        examples=["bemiddelaar"],
    )
    duur_minuten: int | None = Field(
        default=None,
        ge=1,
        le=1440,
        description="Duur van het contact in minuten (1 tot en met 1440).",
        examples=[45],
    )
    project_id: uuid.UUID | None = Field(
        default=None,
        description="Het project (financieringsstroom, /v1/projecten) van de eigen organisatie waarop het contact "
        "geboekt wordt (optioneel). Een datum buiten de looptijd van het project is toegestaan.",
        examples=["0b7e4c1a-2d3f-4a5b-8c6d-7e8f9a0b1c2d"],
    )


class ContactmomentCreate(GeenBsn, ContactmomentBase):
    """A new contactmoment with everything known at that moment; written in one transaction."""

    model_config = InputSchema.model_config

    datum: Contactdatum
    inwoner_referentie: InwonerReferentie | None = None
    inwoner: InwonerCreate | None = Field(
        default=None, description="Kenmerken van de inwoner (alle optioneel)."
    )
    onderwerpen: Onderwerpen
    acties: Acties = Field(default_factory=list)
    doorverwijzingen: list[DoorverwijzingCreate] = Field(
        default_factory=list,
        max_length=20,
        description="Doorverwijzingen naar ketenpartners; de status wordt later bijgewerkt via `/doorverwijzingen`.",
    )
    uitkomst: UitkomstEmbedded | None = Field(
        default=None,
        description="Uitkomst zoals nu bekend; datum is de datum van het contactmoment.",
    )


# The POST body: a body that fails the schema still reaches the service, which reports its errors
# together with those of the rules (one 400).
ContactmomentInvoer = alle_fouten(ContactmomentCreate)


# Fields a correction may not set to null: they are required on a contactmoment.
_VERPLICHT = (
    "sleutelpersoon_id",
    "datum",
    "gemeentecode",
    "kanaal",
    "soort",
    "aantal_deelnemers",
    "onderwerpen",
    "acties",
)


class ContactmomentUpdate(InputSchema):
    """A correction: only the fields sent change; `onderwerpen` and `acties` replace the whole list.

    Referrals have their own resource (`/doorverwijzingen`), outcomes too (`/uitkomsten`).
    """

    extern_id: persoonsgegevens.IdZonderPersoonsgegevens | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        description="Id in de partnerapplicatie; uniek per organisatie.",
        examples=["crm-2025-000123"],
    )
    sleutelpersoon_id: uuid.UUID = Field(
        default=None,
        description="Id van de sleutelpersoon (van de eigen organisatie).",
        examples=["7d9f1c2b-3a4e-4f5d-8e6c-1b2a3c4d5e6f"],
    )
    datum: Contactdatum = None  # type: ignore[assignment]
    gemeentecode: Gemeentecode = Field(default=None, description="CBS-gemeentecode.")
    wijkcode: Wijkcode | None = Field(
        default=None, description="CBS-wijkcode; moet in de gemeente liggen; null wist hem."
    )
    kanaal: str = Field(
        default=None,
        max_length=40,
        description="Code uit codelijst `kanaal`.",
        examples=["telefonisch"],
    )
    soort: str = Field(
        default=None,
        max_length=20,
        description="Code uit codelijst `soort-contact`.",
        examples=["groep"],
    )
    aantal_deelnemers: int = Field(
        default=None, ge=1, le=10000, description="Aantal deelnemers.", examples=[12]
    )
    inwoner_referentie: InwonerReferentie | None = Field(
        default=None, description="Nieuw cliëntnummer; null wist de koppeling."
    )
    inwoner: InwonerCreate | None = Field(
        default=None, description="Kenmerken; alleen de meegestuurde kenmerken wijzigen."
    )
    rol: str | None = Field(
        default=None, max_length=40, description="Code uit codelijst `rol`.", examples=["adviseur"]
    )
    duur_minuten: int | None = Field(
        default=None, ge=1, le=1440, description="Duur in minuten.", examples=[30]
    )
    project_id: uuid.UUID | None = Field(
        default=None, description="Project (id); null haalt het contact van het project af.",
        examples=["0b7e4c1a-2d3f-4a5b-8c6d-7e8f9a0b1c2d"],
    )
    onderwerpen: Onderwerpen = None  # type: ignore[assignment]
    acties: Acties = None  # type: ignore[assignment]

    @field_validator(*_VERPLICHT, mode="before")
    @classmethod
    def _niet_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("Mag niet null zijn; laat het veld weg om het niet te wijzigen.")
        return value


class ContactmomentPublic(ContactmomentBase):
    id: uuid.UUID = Field(
        description="Id van het contactmoment.", examples=["3fa85f64-5717-4562-b3fc-2c963f66afa6"]
    )
    datum: date = Field(description="Datum van het contact.", examples=["2025-03-14"])
    heeft_inwoner_referentie: bool = Field(
        description="Of er een (gepseudonimiseerde) inwonerreferentie is vastgelegd. De referentie zelf wordt nooit teruggegeven.",
        examples=[True],
    )
    inwoner: Inwoner = Field(description="Kenmerken van de inwoner.")
    onderwerpen: list[str] = Field(
        description="Codes uit codelijst `onderwerp`.", examples=[["geld.toeslagen"]]
    )
    acties: list[str] = Field(
        description="Codes uit codelijst `actie`.", examples=[["uitleg-brief"]]
    )
    doorverwijzingen: list[DoorverwijzingPublic] = Field(
        description="Doorverwijzingen met hun huidige status."
    )
    uitkomst: UitkomstPublic | None = Field(description="De laatst vastgelegde uitkomst, of null.")
    aangemaakt_op: datetime = Field(
        description="Tijdstip van vastleggen.", examples=["2025-03-14T10:15:00Z"]
    )
    gewijzigd_op: datetime = Field(
        description="Tijdstip van de laatste wijziging (ook van een doorverwijzingsstatus of nieuwe uitkomst); voor `gewijzigdSinds`.",
        examples=["2025-03-21T09:00:00Z"],
    )
