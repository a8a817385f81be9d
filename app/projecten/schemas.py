"""API schemas for projecten: funding streams an organisation charges work and costs to (issue 26, part 1)."""

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import Field, field_validator, model_validator

from app.core.geld import Bedrag, BedragUit
from app.core.persoonsgegevens import Naam
from app.core.schemas import InputSchema, Schema, alle_fouten
from app.core.validation import Gemeentecode

_NAAM = {"description": "Naam van het project. Persoonsgegevens worden geweigerd.", "examples": ["Kansrijke Start Utrecht 2026"]}
_REGELING = {
    "description": "Code uit codelijst `regeling`: sociaal-domein, kansrijke-start, rookvrij, inburgering, zonmw, amif, gala of overig.",
    "examples": ["kansrijke-start"],
}
_VANAF = {"description": "Eerste dag van het project.", "examples": ["2026-01-01"]}
_TOT = {"description": "Laatste dag van het project (inclusief); leeg als het doorloopt.", "examples": ["2026-12-31"]}
_BEGROTING = "Begroting in euro's (twee decimalen), als tekst; leeg als er geen begroting is."


class Financier(InputSchema):
    """Wie het project betaalt: een gemeente (`gemeentecode`) of een andere financier (`naam`), precies één van beide."""

    gemeentecode: Gemeentecode | None = Field(default=None, description="CBS-code van de gemeente die betaalt.", examples=["GM0344"])
    naam: Naam | None = Field(default=None, min_length=1, max_length=200,
                              description="Naam van een andere financier: ZonMw, een fonds, ...", examples=["ZonMw"])

    @model_validator(mode="after")
    def _precies_een(self) -> "Financier":
        if (self.gemeentecode is None) == (self.naam is None):
            raise ValueError("Geef precies één van gemeentecode (een gemeente betaalt) of naam (een andere financier).")
        return self


class ProjectCreate(InputSchema):
    """Een nieuw project (financieringsstroom) van de eigen organisatie."""

    naam: Naam = Field(min_length=1, max_length=200, **_NAAM)  # type: ignore[arg-type]
    financier: Financier
    regeling: str = Field(min_length=1, max_length=40, **_REGELING)  # type: ignore[arg-type]
    vanaf: date = Field(**_VANAF)  # type: ignore[arg-type]
    tot: date | None = Field(default=None, **_TOT)  # type: ignore[arg-type]
    begroting: Bedrag | None = Field(default=None, description=_BEGROTING, examples=["25000.00"])


# The create body that arrives with its schema errors, so the service reports them with its own in one 400.
ProjectInvoer = alle_fouten(ProjectCreate)


class ProjectUpdate(InputSchema):
    """Gedeeltelijke wijziging: alleen meegestuurde velden veranderen; `null` wist `tot` of `begroting`."""

    naam: Naam | None = Field(default=None, min_length=1, max_length=200, **_NAAM)  # type: ignore[arg-type]
    financier: Financier | None = None
    regeling: str | None = Field(default=None, min_length=1, max_length=40, **_REGELING)  # type: ignore[arg-type]
    vanaf: date | None = Field(default=None, **_VANAF)  # type: ignore[arg-type]
    tot: date | None = Field(default=None, **_TOT)  # type: ignore[arg-type]
    begroting: Bedrag | None = Field(default=None, description=_BEGROTING, examples=["25000.00"])

    @field_validator("naam", "financier", "regeling", "vanaf", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("Mag niet null zijn; laat het veld weg om het ongewijzigd te laten.")
        return value


class FinancierPublic(Schema):
    gemeentecode: str | None = Field(description="CBS-code van de gemeente die betaalt.", examples=["GM0344"])
    naam: str | None = Field(description="Naam van een andere financier.", examples=["ZonMw"])


class ProjectPublic(Schema):
    """Een project zoals de API het teruggeeft."""

    id: uuid.UUID = Field(description="Identificatie van het project.", examples=["0b7e4c1a-2d3f-4a5b-8c6d-7e8f9a0b1c2d"])
    naam: str = Field(**_NAAM)  # type: ignore[arg-type]
    financier: FinancierPublic
    regeling: str = Field(**_REGELING)  # type: ignore[arg-type]
    vanaf: date = Field(**_VANAF)  # type: ignore[arg-type]
    tot: date | None = Field(**_TOT)  # type: ignore[arg-type]
    begroting: BedragUit | None = Field(description=_BEGROTING, examples=["25000.00"])
    aangemaakt_op: datetime = Field(description="Tijdstip van registratie (UTC).", examples=["2026-01-05T09:30:00Z"])
    gewijzigd_op: datetime = Field(description="Tijdstip van de laatste wijziging (UTC).", examples=["2026-01-05T09:30:00Z"])


class Besteding(Schema):
    """Wat er van de begroting van een project is besteed: de som van de kosten die erop geboekt zijn."""

    project_id: uuid.UUID = Field(description="Het project.", examples=["0b7e4c1a-2d3f-4a5b-8c6d-7e8f9a0b1c2d"])
    besteed: BedragUit = Field(description="Som van de kosten op het project, in euro's.", examples=["1234.56"])
    begroting: BedragUit | None = Field(description="De begroting, of leeg.", examples=["25000.00"])
    percentage: float | None = Field(description="besteed ÷ begroting × 100, op één decimaal; leeg zonder begroting.",
                                     examples=[4.9])


