"""API schemas of the reporting cycle: rhythms (`/v1/rapportageritmes`) and period statuses (`/v1/rapportageperiodes`)."""

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field

from app.core.persoonsgegevens import NAMEN_WAARSCHUWING, VrijeTekst
from app.core.schemas import InputSchema, Schema
from app.core.validation import Gemeentecode
from app.rapportage.periodes import Periodestatus, Ritme

RITME_UITLEG = "`maand` (perioden als 2026-03) of `kwartaal` (perioden als 2026Q1)"


class RapportageritmeCreate(InputSchema):
    """Het rapportageritme dat een regio vastlegt voor haar gemeenten."""

    naam: Annotated[VrijeTekst, Field(min_length=1, max_length=200, description="Naam van de afspraak. " + NAMEN_WAARSCHUWING,
                                      examples=["Kwartaalrapportage GGD regio Utrecht"])]
    ritme: Ritme = Field(description=f"Het ritme: {RITME_UITLEG}.", examples=["kwartaal"])
    gemeentecodes: list[Gemeentecode] = Field(min_length=1, max_length=100,
                                              description="De gemeenten waarvoor het ritme geldt (binnen de regio van de sleutel).",
                                              examples=[["GM0344"]])
    organisatie_ids: list[uuid.UUID] = Field(
        min_length=1, max_length=500,
        description="De organisaties die moeten rapporteren; elk bedient minstens een van de gemeenten.",
        examples=[["0b6e8a4e-2f6c-4d8e-9a51-3f7c2d1e9b10"]],
    )
    termijn_dagen: int = Field(ge=0, le=366, description="De termijn: zoveel dagen na de laatste dag van een periode moet "
                               "die zijn ingediend.", examples=[30])
    vanaf: date = Field(description="De eerste periode is die waarin deze datum valt.", examples=["2026-01-01"])


class RapportageritmeUpdate(InputSchema):
    """Wijzigt de naam, de termijn of de verwachte organisaties; de gemeenten en het ritme liggen vast."""

    naam: Annotated[VrijeTekst | None, Field(default=None, min_length=1, max_length=200, description="Naam van de afspraak.",
                                             examples=["Kwartaalrapportage GGD regio Utrecht"])]
    organisatie_ids: list[uuid.UUID] | None = Field(default=None, min_length=1, max_length=500,
                                                    description="De organisaties die moeten rapporteren.")
    termijn_dagen: int | None = Field(default=None, ge=0, le=366, description="De termijn in dagen na de periode.", examples=[45])


class OrganisatieVerwijzing(Schema):
    id: uuid.UUID = Field(description="Id van de organisatie.", examples=["0b6e8a4e-2f6c-4d8e-9a51-3f7c2d1e9b10"])
    naam: str = Field(description="Naam van de organisatie.", examples=["Welzijn Utrecht"])


class RapportageritmePublic(Schema):
    id: uuid.UUID = Field(description="Id van het ritme.", examples=["5c8e0f3a-7d2b-4e1a-9c6f-1b2d3e4f5a6b"])
    naam: str = Field(description="Naam van de afspraak.", examples=["Kwartaalrapportage GGD regio Utrecht"])
    ritme: Ritme = Field(description=f"Het ritme: {RITME_UITLEG}.", examples=["kwartaal"])
    gemeentecodes: list[str] = Field(description="De gemeenten waarvoor het ritme geldt.", examples=[["GM0344"]])
    organisaties: list[OrganisatieVerwijzing] = Field(description="De organisaties die moeten rapporteren.")
    termijn_dagen: int = Field(description="Dagen na de laatste dag van een periode.", examples=[30])
    vanaf: date = Field(description="De eerste periode is die waarin deze datum valt.", examples=["2026-01-01"])
    aangemaakt_op: datetime = Field(description="Tijdstip van vastleggen.")
    gewijzigd_op: datetime = Field(description="Tijdstip van de laatste wijziging.")


class HistorieStap(Schema):
    tijdstip: datetime = Field(description="Wanneer.")
    actie: Literal["ingediend", "goedgekeurd", "teruggestuurd", "heropend", "gewijzigd-na-goedkeuring"] = Field(
        description="`ingediend`, `goedgekeurd`, `teruggestuurd`, `heropend` of `gewijzigd-na-goedkeuring` "
                       "(een wissing van een inwoner (AVG) raakte de goedgekeurde cijfers).", examples=["goedgekeurd"])
    status: Periodestatus = Field(description="De status na deze stap.", examples=["goedgekeurd"])
    sleutel_id: uuid.UUID | None = Field(default=None, description="De API-sleutel die de stap zette (wie).")
    toelichting: str | None = Field(default=None, description="Het bericht (terugsturen) of de reden (heropenen).")
    aantal: int | None = Field(default=None, description="Bij `gewijzigd-na-goedkeuring`: het aantal geraakte contactmomenten.")


class RapportageperiodePublic(Schema):
    """De status van een organisatie in een periode van een rapportageritme."""

    ritme_id: uuid.UUID = Field(description="Het rapportageritme.")
    ritme_naam: str = Field(description="Naam van het ritme.", examples=["Kwartaalrapportage GGD regio Utrecht"])
    organisatie: OrganisatieVerwijzing
    periode: str = Field(description="Code van de periode.", examples=["2026Q1"])
    vanaf: date = Field(description="Eerste dag van de periode.", examples=["2026-01-01"])
    tot: date = Field(description="Laatste dag van de periode (inclusief).", examples=["2026-03-31"])
    deadline: date = Field(description="Uiterste dag om in te dienen.", examples=["2026-04-30"])
    status: Periodestatus = Field(description="`open`, `ingediend`, `goedgekeurd`, `teruggestuurd` of `heropend`.", examples=["ingediend"])
    tijdig: bool | None = Field(description="Waar als de periode voor het eerst is ingediend op of voor de deadline; onwaar "
                                "als dat erna was of als de deadline zonder indiening verstreek; leeg zolang de deadline "
                                "nog niet verstreken is en er niets is ingediend.", examples=[True])
    ingediend_op: datetime | None = Field(default=None, description="De laatste indiening.")
    eerst_ingediend_op: datetime | None = Field(default=None, description="De eerste indiening (telt voor tijdigheid).")
    goedgekeurd_op: datetime | None = Field(default=None, description="De goedkeuring (bij status goedgekeurd).")
    bericht: str | None = Field(default=None, description="Het bericht van de regio bij terugsturen.")
    reden: str | None = Field(default=None, description="De reden van de regio bij heropenen.")
    wijzigingen_na_goedkeuring: int = Field(
        default=0, description="Hoe vaak een wissing van een inwoner (AVG) de cijfers raakte sinds de laatste goedkeuring.",
        examples=[0],
    )
    historie: list[HistorieStap] = Field(description="Elke stap, de oudste eerst.")


class Terugsturen(InputSchema):
    bericht: Annotated[VrijeTekst, Field(min_length=1, max_length=2000,
                                         description="Wat de organisatie moet aanvullen of verbeteren. " + NAMEN_WAARSCHUWING,
                                         examples=["De uren van maart ontbreken."])]


class Heropenen(InputSchema):
    reden: Annotated[VrijeTekst, Field(min_length=1, max_length=2000, description="Waarom de periode weer open gaat. "
                                       + NAMEN_WAARSCHUWING, examples=["Een import van februari kwam te laat."])]
