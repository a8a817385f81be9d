"""API schemas for referrals (doorverwijzingen) and their status history."""

import uuid
from datetime import date, datetime

from pydantic import Field

from app.core.persoonsgegevens import IdZonderPersoonsgegevens
from app.core.schemas import GeenBsn, InputSchema, Schema
from app.core.validation import DatumNietInToekomst
from app.doorverwijzingen.statussen import Doorverwijzingstatus


class DoorverwijzingBase(Schema):
    ketenpartner_id: uuid.UUID = Field(
        description="Id van de ketenpartner (van de eigen organisatie) waarnaar is verwezen.",
        examples=["6f1c2a4e-8b1d-4c7e-9a0b-3d2e1f4a5b6c"],
    )
    onderwerp: str | None = Field(
        default=None,
        max_length=80,
        description="Code uit codelijst `onderwerp` waarover de doorverwijzing gaat; een van de onderwerpen van het contactmoment.",
        examples=["geld.toeslagen"],
    )
    wijze: str = Field(
        max_length=20,
        description="Code uit codelijst `doorverwijzing-wijze`: `warm` (overgedragen of meegegaan) of `informatief` (verteld waar naartoe).",
        examples=["warm"],
    )


class DoorverwijzingCreate(GeenBsn, DoorverwijzingBase):
    """A referral as embedded in a new contactmoment."""

    model_config = InputSchema.model_config

    status: str = Field(
        default="verwezen",
        max_length=20,
        description="Code uit codelijst `doorverwijzing-status`; standaard `verwezen`.",
        examples=["verwezen"],
    )
    status_datum: DatumNietInToekomst | None = Field(
        default=None,
        description="Datum waarop de doorverwijzing deze status kreeg; standaard de datum van het contactmoment. Niet in de toekomst en niet vóór de datum van het contactmoment.",
        examples=["2025-03-14"],
    )


class DoorverwijzingToevoegen(DoorverwijzingCreate):
    """A referral added later to an existing contactmoment (POST /contactmomenten/{id}/doorverwijzingen)."""

    extern_id: IdZonderPersoonsgegevens | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        description="Id van de doorverwijzing in de partnerapplicatie of op het apparaat; uniek per organisatie. "
        "Maakt opnieuw versturen veilig.",
        examples=["app-7f3c9a2e-verwijzing-1"],
    )


class DoorverwijzingUpdate(InputSchema):
    """A status change of a referral."""

    status: Doorverwijzingstatus = Field(description="De nieuwe status: een status waarheen de statusovergangen kunnen "
                                         "(de codelijst `doorverwijzing-status` kan er meer hebben, maar daarheen "
                                         "leidt geen overgang).", examples=["aangekomen"])
    status_datum: DatumNietInToekomst | None = Field(
        default=None,
        description="Datum van de statuswijziging; standaard vandaag. Niet in de toekomst, niet vóór de datum van het contactmoment en niet vóór de datum van de huidige status.",
        examples=["2025-03-21"],
    )


class DoorverwijzingPublic(DoorverwijzingBase):
    id: uuid.UUID = Field(
        description="Id van de doorverwijzing.", examples=["0b9d3c1e-2f4a-4e5b-8c6d-7e8f9a0b1c2d"]
    )
    contactmoment_id: uuid.UUID = Field(
        description="Id van het contactmoment waarbij de doorverwijzing is vastgelegd.",
        examples=["3fa85f64-5717-4562-b3fc-2c963f66afa6"],
    )
    extern_id: str | None = Field(
        default=None,
        description="Id in de partnerapplicatie, als de doorverwijzing los is toegevoegd met een externId; anders null.",
        examples=["app-7f3c9a2e-verwijzing-1"],
    )
    status: str = Field(
        description="Huidige status, code uit codelijst `doorverwijzing-status`.",
        examples=["verwezen"],
    )
    status_datum: date = Field(
        description="Datum waarop de huidige status inging.", examples=["2025-03-14"]
    )
    aangemaakt_op: datetime = Field(
        description="Tijdstip van vastleggen.", examples=["2025-03-14T10:15:00Z"]
    )
    gewijzigd_op: datetime = Field(
        description="Tijdstip van de laatste wijziging.", examples=["2025-03-21T09:00:00Z"]
    )


class StatusHistorie(Schema):
    status: str = Field(
        description="Status, code uit codelijst `doorverwijzing-status`.", examples=["verwezen"]
    )
    status_datum: date = Field(
        description="Datum waarop deze status inging.", examples=["2025-03-14"]
    )
    vastgelegd_op: datetime = Field(
        description="Tijdstip waarop deze status is vastgelegd.", examples=["2025-03-14T10:15:00Z"]
    )


class DoorverwijzingDetail(DoorverwijzingPublic):
    historie: list[StatusHistorie] = Field(
        description="Alle statussen die de doorverwijzing heeft gehad, oudste eerst (inclusief de eerste).",
    )
