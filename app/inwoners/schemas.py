"""API schemas for residents' AVG (GDPR) rights."""

from pydantic import Field

from app.core.persoonsgegevens import VergetenReferentie
from app.core.schemas import InputSchema, Schema


class VergeetVerzoek(InputSchema):
    # Any reference that could have been registered can be erased: only a BSN, which never was, is refused.
    inwoner_referentie: VergetenReferentie = Field(
        min_length=1,
        max_length=200,
        description="Het cliëntnummer zoals de partnerapplicatie het bij registreren meestuurde.",
        examples=["client-8841"],
    )


class VergeetResultaat(Schema):
    aantal_contactmomenten: int = Field(
        description="Aantal contactmomenten waarvan de koppeling met deze inwoner is verwijderd.",
        examples=[3],
    )
