"""Response schemas of the indicator endpoints."""

from datetime import date

from pydantic import Field

from app.core.schemas import Schema


class IndicatorPublic(Schema):
    code: str = Field(description="Stabiele code van de indicator.", examples=["aantal-contactmomenten"])
    naam: str = Field(description="Nederlandse naam.", examples=["Aantal contactmomenten"])
    definitie: str = Field(description="Definitie in gewone taal.", examples=["Het aantal geregistreerde contactmomenten in de periode."])
    eenheid: str = Field(description="Eenheid: aantal, percentage, uren, dagen of euro.", examples=["aantal"])
    teller: str | None = Field(default=None, description="Bij een percentage: wat de teller telt.", examples=["doorverwijzingen met status afgerond"])
    noemer: str | None = Field(default=None, description="Bij een percentage: wat de noemer telt.", examples=["doorverwijzingen met een eindstatus"])
    dimensies: list[str] = Field(description="Dimensies om op te groeperen of te filteren.", examples=[["gemeente", "onderwerp"]])


class PeriodePublic(Schema):
    vanaf: date = Field(description="Eerste dag van de periode.", examples=["2025-01-01"])
    tot: date = Field(description="Laatste dag van de periode (inclusief).", examples=["2025-12-31"])
    label: str = Field(description="Naam van de periode.", examples=["2025"])


class DimensieWaarde(Schema):
    code: str | None = Field(description="Code of id van de waarde; leeg als die niet is vastgelegd.", examples=["GM0344"])
    label: str | None = Field(description="Nederlandse omschrijving.", examples=["Utrecht"])


class IndicatorRij(Schema):
    periode: PeriodePublic = Field(description="Het interval van deze rij.")
    waarde: float | None = Field(description="De waarde; leeg als die is onderdrukt of de noemer 0 is.", examples=[42])
    teller: int | None = Field(default=None, description="Bij een percentage: de teller.", examples=[30])
    noemer: int | None = Field(default=None, description="Bij een percentage: de noemer.", examples=[40])
    onderdrukt: bool = Field(description="Waar als de waarde niet wordt getoond (alleen bij beschermde cijfers): het aantal met ruis valt onder de drempel (ook bij 0: onderdrukt betekent dus niet dat er iemand is), de cel bevat werk van te weinig sleutelpersonen, of een som of mediaan heeft te weinig records.", examples=[False])
    doel: float | None = Field(default=None, description="Streefwaarde, als de organisatie een doel heeft voor precies dit interval en filter.", examples=[100])
    realisatie: float | None = Field(default=None, description="Waarde als percentage van het doel, op een decimaal.", examples=[42.0])
    organisatie: DimensieWaarde | None = None
    gemeente: DimensieWaarde | None = None
    wijk: DimensieWaarde | None = None
    sleutelpersoon: DimensieWaarde | None = None
    onderwerp: DimensieWaarde | None = None
    hoofdonderwerp: DimensieWaarde | None = None
    kanaal: DimensieWaarde | None = None
    soort: DimensieWaarde | None = None
    rol: DimensieWaarde | None = None
    taal: DimensieWaarde | None = None
    leeftijdscategorie: DimensieWaarde | None = None
    geslacht: DimensieWaarde | None = None
    doelgroep: DimensieWaarde | None = None
    actie: DimensieWaarde | None = None
    ketenpartner: DimensieWaarde | None = None
    ketenpartnerCategorie: DimensieWaarde | None = None
    status: DimensieWaarde | None = None
    wijze: DimensieWaarde | None = None
    urgentie: DimensieWaarde | None = None
    gerichtAan: DimensieWaarde | None = None  # noqa: N815
    bron: DimensieWaarde | None = None
    effect: DimensieWaarde | None = None
    project: DimensieWaarde | None = None
    regeling: DimensieWaarde | None = None


class Onderdrukking(Schema):
    toegepast: bool = Field(
        description="Waar voor alle sleutels behalve die van de organisatie zelf: de cijfers zijn beschermd "
        "met celsleutelperturbatie (zie `methode`).",
        examples=[True],
    )
    drempel: int = Field(description="Aantallen van 1 tot deze drempel worden nooit getoond (`onderdrukt`).", examples=[5])
    methode: str | None = Field(
        default=None,
        description="De beschermingsmethode: `celsleutelperturbatie` (de methode van ONS en ABS). Elk getoond "
        "aantal kan tot `maxRuis` afwijken van de telling; dezelfde cel geeft altijd hetzelfde antwoord. Totalen "
        "hoeven daardoor niet gelijk te zijn aan de som van de cellen.",
        examples=["celsleutelperturbatie"],
    )
    max_ruis: int | None = Field(default=None, description="De grootste afwijking van een aantal door de ruis.", examples=[2])
    variantie: float | None = Field(default=None, description="De variantie van de ruis op een aantal.", examples=[1.22])


class IndicatorWaarden(Schema):
    indicator: IndicatorPublic
    periode: PeriodePublic
    interval: str | None = Field(description="Interval van de tijdreeks, of leeg voor een totaal.", examples=["maand"])
    groeperen_op: list[str] = Field(description="De dimensies waarop is gegroepeerd.", examples=[["gemeente"]])
    filters: dict[str, list[str]] = Field(description="De toegepaste filters.", examples=[{"gemeente": ["GM0344"]}])
    onderdrukking: Onderdrukking
    rijen: list[IndicatorRij] = Field(description="De waarden, in vaste volgorde: interval, dan dimensiewaarden.")
