"""The filters of GET /v1/contactmomenten: one dependency that reads, checks and applies them."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Depends, Query
from sqlalchemy import exists
from sqlmodel import Session, col
from sqlmodel.sql.expression import SelectOfScalar

from app.codelijsten import service as codelijsten
from app.core.filternamen import hernoemd
from app.core.filters import controleer_filters, onderwerp_filter
from app.core.validation import GEMEENTECODE_PATTERN, WIJKCODE_PATTERN
from app.models import Contactmoment, ContactmomentOnderwerp


@dataclass
class ContactmomentFilters:
    """Query filters; every one that is set narrows the list."""

    datum_vanaf: Annotated[
        date | None, Query(alias="datumVanaf", description="Alleen contacten op of na deze datum.", examples=["2025-01-01"])
    ] = None
    datum_tot: Annotated[
        date | None, Query(alias="datumTot", description="Alleen contacten op of vóór deze datum (inclusief).", examples=["2025-03-31"])
    ] = None
    sleutelpersoon_id: Annotated[uuid.UUID | None, hernoemd(
        "sleutelpersoonId", "sleutelpersoon", uuid.UUID, description="Alleen contacten van deze sleutelpersoon (id).",
        examples=["7d9f1c2b-3a4e-4f5d-8e6c-1b2a3c4d5e6f"])] = None
    gemeentecode: Annotated[str | None, hernoemd(
        "gemeentecode", "gemeente", str, pattern=GEMEENTECODE_PATTERN,
        description="Alleen contacten in deze gemeente (CBS-code).", examples=["GM0344"])] = None
    wijkcode: Annotated[str | None, hernoemd(
        "wijkcode", "wijk", str, pattern=WIJKCODE_PATTERN, description="Alleen contacten in deze wijk (CBS-code).",
        examples=["WK034401"])] = None
    onderwerpen: Annotated[str | None, hernoemd(
        "onderwerpen", "onderwerp", str, max_length=80, description="Alleen contacten met dit onderwerp in "
        "`onderwerpen`; een hoofdonderwerp (`geld`) omvat zijn subonderwerpen (`geld.toeslagen`).",
        examples=["geld"])] = None
    kanaal: Annotated[
        str | None, Query(max_length=40, description="Alleen contacten via dit kanaal.", examples=["huisbezoek"])
    ] = None
    soort: Annotated[
        str | None, Query(max_length=20, description="Alleen `individueel` of alleen `groep`.", examples=["groep"])
    ] = None
    extern_id: Annotated[
        str | None, Query(alias="externId", max_length=100, description="Het contactmoment met dit externId.", examples=["crm-2025-000123"])
    ] = None
    gewijzigd_sinds: Annotated[
        datetime | None, Query(alias="gewijzigdSinds", description="Alleen contactmomenten die op of na dit tijdstip (RFC 3339, met tijdzone) zijn aangemaakt of gewijzigd.", examples=["2025-03-14T00:00:00Z"])
    ] = None

    def controleer(self, session: Session) -> None:
        """Refuse unknown codes, a reversed date range and a time without zone, all in one 400."""
        problemen = []
        if self.gewijzigd_sinds is not None and self.gewijzigd_sinds.tzinfo is None:
            reden = "Geef een tijdstip met tijdzone (RFC 3339), bijv. 2025-03-14T10:00:00Z."
            problemen.append({"name": "gewijzigdSinds", "reason": reden})
        controleer_filters(
            session,
            codes=[
                ("onderwerpen", codelijsten.ONDERWERP, self.onderwerpen),
                ("kanaal", codelijsten.KANAAL, self.kanaal),
                ("soort", codelijsten.SOORT_CONTACT, self.soort),
            ],
            periodes=[("datumVanaf", self.datum_vanaf, "datumTot", self.datum_tot)],
            problemen=problemen,
        )

    def toepassen(self, statement: SelectOfScalar[Contactmoment]) -> SelectOfScalar[Contactmoment]:
        """The statement narrowed by every filter that is set."""
        gelijk: list[tuple[Any, Any]] = [
            (Contactmoment.sleutelpersoon_id, self.sleutelpersoon_id),
            (Contactmoment.gemeentecode, self.gemeentecode),
            (Contactmoment.wijkcode, self.wijkcode),
            (Contactmoment.kanaal, self.kanaal),
            (Contactmoment.soort, self.soort),
            (Contactmoment.extern_id, self.extern_id),
        ]
        for kolom, waarde in gelijk:
            if waarde is not None:
                statement = statement.where(kolom == waarde)
        if self.datum_vanaf is not None:
            statement = statement.where(Contactmoment.datum >= self.datum_vanaf)
        if self.datum_tot is not None:
            statement = statement.where(Contactmoment.datum <= self.datum_tot)
        if self.onderwerpen is not None:
            statement = statement.where(
                exists().where(
                    ContactmomentOnderwerp.contactmoment_id == Contactmoment.id,
                    onderwerp_filter(ContactmomentOnderwerp.onderwerp, self.onderwerpen),
                )
            )
        if self.gewijzigd_sinds is not None:
            statement = statement.where(col(Contactmoment.gewijzigd_op) >= self.gewijzigd_sinds)
        return statement


ContactmomentFiltersDep = Annotated[ContactmomentFilters, Depends()]
