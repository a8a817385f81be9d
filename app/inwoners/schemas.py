"""API schemas for residents' AVG (GDPR) rights."""

from pydantic import Field

from app.contactmomenten.schemas import InwonerReferentie
from app.core.schemas import InputSchema, Schema


class VergeetVerzoek(InputSchema):
    inwoner_referentie: InwonerReferentie = Field(
        description="Het cliëntnummer zoals de partnerapplicatie het bij registreren meestuurde.",
        examples=["client-8841"],
    )


class VergeetResultaat(Schema):
    aantal_contactmomenten: int = Field(
        description="Aantal contactmomenten waarvan de koppeling met deze inwoner is verwijderd.",
        examples=[3],
    )
