"""Response schemas of the indicator endpoints."""

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field

from app.core.periods import Interval
from app.core.persoonsgegevens import NAMEN_WAARSCHUWING, VrijeTekst
from app.core.schemas import InputSchema, Schema, alle_fouten
from app.indicatoren.catalogue import INDICATOREN, Eenheid

# An own indicator's code: namespaced, so it never clashes with a catalogue code.
EIGEN_CODE_PATTERN = r"^eigen\.[a-z0-9]+(-[a-z0-9]+)*$"
Filters = Annotated[
    dict[Annotated[str, Field(max_length=40)], list[Annotated[str, Field(min_length=1, max_length=80)]]],
    Field(max_length=10, description="Vaste filters: dezelfde namen en waarden als bij `/v1/indicatoren/{code}/waarden`.",
          examples=[{"onderwerp": ["zorg.jgz"], "doelgroep": ["statushouder"]}]),
]
BasisCode = Annotated[str, Field(max_length=80, description="Code van een indicator uit de catalogus die telt (een aantal, "
                                 "uniek aantal of som; geen percentage of mediaan).", examples=["aantal-hulpvragen"])]


class NoemerDefinitie(InputSchema):
    """De noemer die een eigen indicator een percentage maakt: 100 x teller / noemer."""

    basis: BasisCode
    filters: Filters = Field(default_factory=dict)


class NoemerPublic(Schema):
    basis: str = Field(description="Code van de indicator uit de catalogus die de noemer telt.", examples=["aantal-hulpvragen"])
    filters: dict[str, list[str]] = Field(description="Vaste filters van de noemer.", examples=[{"doelgroep": ["statushouder"]}])


# Every dimension an indicator of the catalogue has (a custom indicator has those of its base): an enum in the
# document, derived from the catalogue so a new indicator's dimensions join it.
Dimensie = StrEnum(  # type: ignore[misc]
    "Dimensie", {d: d for d in dict.fromkeys(d for indicator in INDICATOREN.values() for d in indicator.dimensies)}
)


class EigenDefinitiePublic(Schema):
    organisatie_id: str = Field(description="De organisatie die de indicator definieerde.", examples=["3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"])
    versie: int = Field(description="Versie van de definitie (1, 2, ...); elke wijziging geeft een nieuwe.", examples=[1])
    basis: str = Field(description="Code van de indicator uit de catalogus die de teller telt.", examples=["aantal-hulpvragen"])
    filters: dict[str, list[str]] = Field(description="Vaste filters op de basis.", examples=[{"onderwerp": ["zorg.jgz"]}])
    noemer: NoemerPublic | None = Field(default=None, description="Bij een percentage: de noemer.")
    gedeeld_met_regio: bool = Field(description="Regionale sleutels van de gemeenten van de organisatie zien de (beschermde) "
                                    "waarden.", examples=[True])
    status: Literal["actief", "ingetrokken"] = Field(description="`actief` of `ingetrokken`.", examples=["actief"])
    aangemaakt_op: datetime = Field(description="Moment van aanmaken.")
    gewijzigd_op: datetime = Field(description="Moment van de laatste wijziging.")


class IndicatorPublic(Schema):
    code: str = Field(description="Stabiele code van de indicator.", examples=["aantal-contactmomenten"])
    naam: str = Field(description="Nederlandse naam.", examples=["Aantal contactmomenten"])
    definitie: str = Field(description="Definitie in gewone taal.", examples=["Het aantal geregistreerde contactmomenten in de periode."])
    eenheid: Eenheid = Field(description="Eenheid: aantal, percentage, uren, dagen of euro.", examples=["aantal"])
    teller: str | None = Field(default=None, description="Bij een percentage: wat de teller telt.", examples=["doorverwijzingen met status afgerond"])
    noemer: str | None = Field(default=None, description="Bij een percentage: wat de noemer telt.", examples=["doorverwijzingen met een eindstatus"])
    dimensies: list[Dimensie] = Field(description="Dimensies om op te groeperen of te filteren.", examples=[["gemeente", "onderwerp"]])
    eigen: EigenDefinitiePublic | None = Field(default=None, description="Bij een eigen indicator van een organisatie: de "
                                                 "definitie (basis, vaste filters, noemer) en de versie. Leeg bij de catalogus.")


Naam = Annotated[VrijeTekst, Field(min_length=1, max_length=200, description="Nederlandse naam. " + NAMEN_WAARSCHUWING,
                                   examples=["Hulpvragen JGZ van statushouders"])]
Definitie = Annotated[VrijeTekst, Field(min_length=1, max_length=4000, description="Definitie in gewone taal. " + NAMEN_WAARSCHUWING,
                                        examples=["Hulpvragen over jeugdgezondheidszorg van inwoners die statushouder zijn."])]


class EigenIndicatorCreate(InputSchema):
    """Een indicator die de organisatie zelf definieert uit een maat van de catalogus."""

    code: str = Field(pattern=EIGEN_CODE_PATTERN, max_length=80,
                      description="`eigen.` gevolgd door kleine letters, cijfers en streepjes; uniek per organisatie.",
                      examples=["eigen.hulpvragen-jgz-statushouders"])
    naam: Naam
    definitie: Definitie
    basis: BasisCode
    filters: Filters = Field(default_factory=dict)
    noemer: NoemerDefinitie | None = Field(default=None, description="Maakt de indicator een percentage: 100 x teller / noemer.")
    gedeeld_met_regio: bool = Field(default=False, description="Laat regionale sleutels van de gemeenten van de organisatie "
                                    "de beschermde waarden zien.", examples=[True])


EigenIndicatorInvoer = alle_fouten(EigenIndicatorCreate)


class EigenIndicatorUpdate(InputSchema):
    """Gedeeltelijke wijziging; een andere naam, definitie, basis, filters of noemer geeft een nieuwe versie."""

    naam: Naam | None = None
    definitie: Definitie | None = None
    basis: BasisCode | None = None
    filters: Filters | None = None
    noemer: NoemerDefinitie | None = Field(default=None, description="Een nieuwe noemer, of null om hem te verwijderen.")
    gedeeld_met_regio: bool | None = Field(default=None, description="Delen met de regio aan of uit (geeft geen nieuwe versie).")


EigenIndicatorUpdateInvoer = alle_fouten(EigenIndicatorUpdate)


class EigenIndicatorVersiePublic(Schema):
    versie: int = Field(description="Versienummer.", examples=[1])
    naam: str = Field(description="Naam in deze versie.", examples=["Hulpvragen JGZ van statushouders"])
    definitie: str = Field(description="Definitie in deze versie.", examples=["Hulpvragen over JGZ van statushouders."])
    basis: str = Field(description="Basis in deze versie.", examples=["aantal-hulpvragen"])
    filters: dict[str, list[str]] = Field(description="Vaste filters in deze versie.", examples=[{"onderwerp": ["zorg.jgz"]}])
    noemer: NoemerPublic | None = Field(default=None, description="Noemer in deze versie, als het een percentage is.")
    aangemaakt_op: datetime = Field(description="Moment waarop deze versie ontstond.")


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
    doel: float | None = Field(default=None, description="Streefwaarde van deze rij, als er een doel voor is: een doel voor precies dit interval, of het deel van een doel voor een jaar of kwartaal (naar rato van de dagen of volgens de verdeling, in honderdsten; de delen tellen op tot het doel). Een percentage of mediaan geldt in elk deel. Een doel met een filter van één waarde staat bij de rij van die waarde. Alleen aanwezig als er een doel is.", examples=[100])
    realisatie: float | None = Field(default=None, description="Waarde als percentage van het doel, op een decimaal.", examples=[42.0])
    doel_verwacht: float | None = Field(default=None, description="Bij een interval waarin vandaag valt: wat er volgens het doel tot en met vandaag bereikt zou zijn (naar rato van de verstreken dagen of volgens de verdeling; bij een percentage of mediaan het doel zelf).", examples=[61.5])
    tempo: str | None = Field(default=None, description="Bij een interval waarin vandaag valt: `voor`, `op-schema` of `achter`. Op schema is binnen 10% van `doelVerwacht`. Regionale sleutels zien het tempo van de beschermde (met ruis) waarde; een onderdrukte waarde heeft geen tempo.", examples=["op-schema"], json_schema_extra={"enum": ["voor", "op-schema", "achter"]})
    volledig: bool | None = Field(default=None, description="Alleen buiten de eigen organisatie: waar als elke organisatie die "
                                  "voor deze cel moest rapporteren (/v1/rapportageritmes) alle periodes in het interval heeft "
                                  "ingediend (met alleenGoedgekeurd: goedgekeurd gekregen); onwaar als er een ontbreekt of niemand "
                                  "hoefde te rapporteren.", examples=[True])
    aantal_organisaties: int | None = Field(default=None, description="Alleen buiten de eigen organisatie: het aantal verwachte "
                                            "organisaties waarvan alle periodes in het interval zijn ingediend (met "
                                            "alleenGoedgekeurd: goedgekeurd).", examples=[3])
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
    methode: Literal["celsleutelperturbatie"] | None = Field(
        default=None,
        description="De beschermingsmethode: `celsleutelperturbatie` (de methode van ONS en ABS). Elk getoond "
        "aantal kan tot `maxRuis` afwijken van de telling; dezelfde cel geeft altijd hetzelfde antwoord. Totalen "
        "hoeven daardoor niet gelijk te zijn aan de som van de cellen.",
        examples=["celsleutelperturbatie"],
    )
    max_ruis: int | None = Field(default=None, description="De grootste afwijking van een aantal door de ruis.", examples=[2])
    variantie: float | None = Field(default=None, description="De variantie van de ruis op een aantal.", examples=[1.22])


class DoelTempo(Schema):
    doel_id: str = Field(description="Id van het doel.", examples=["5f0c6a43-8f7e-4c51-9b0e-1d2f3a4b5c6d"])
    periode: PeriodePublic = Field(description="De hele periode van het doel.")
    filters: dict[str, list[str]] = Field(description="Het filter (de groep) waarvoor het doel geldt.", examples=[{"gemeente": ["GM0344"]}])
    doel: float = Field(description="Streefwaarde voor de hele periode.", examples=[1200])
    doel_verwacht: float = Field(description="Wat er tot en met vandaag bereikt zou zijn.", examples=[600])
    gerealiseerd: float | None = Field(description="Wat er tot nu toe bereikt is (bij een interval de som van de rijen).", examples=[640])
    tempo: str | None = Field(description="`voor`, `op-schema` (binnen 10% van `doelVerwacht`) of `achter`.", examples=["op-schema"],
                              json_schema_extra={"enum": ["voor", "op-schema", "achter"]})


class IndicatorWaarden(Schema):
    indicator: IndicatorPublic
    versie: int | None = Field(default=None, description="Bij een eigen indicator: de versie van de definitie die is gebruikt "
                               "(de laatste, of die van `versie=`). Leeg bij de catalogus.", examples=[2])
    periode: PeriodePublic
    interval: Interval | None = Field(description="Interval van de tijdreeks, of leeg voor een totaal.", examples=["maand"])
    groeperen_op: list[Dimensie] = Field(description="De dimensies waarop is gegroepeerd.", examples=[["gemeente"]])
    filters: dict[str, list[str]] = Field(description="De toegepaste filters.", examples=[{"gemeente": ["GM0344"]}])
    onderdrukking: Onderdrukking
    rijen: list[IndicatorRij] = Field(description="De waarden, in vaste volgorde: interval, dan dimensiewaarden.")
    tempo: list[DoelTempo] = Field(default_factory=list, description="Het tempo over de hele periode van elk doel waarvan de "
                                   "periode precies de gevraagde is en vandaag bevat, naast de rijen (bij een interval de som van "
                                   "de rijen; alleen voor aantallen en sommen, of zonder interval).")
