"""The pages behind each problem's `type` URI: what a kind of problem means and what to do (issue 28)."""

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from app.core.errors import NietGevonden, probleem_type
from app.core.problemen import SOORTEN, VELDCODES

router = APIRouter(tags=["status"])


class Probleemsoort(BaseModel):
    code: str = Field(description="De stabiele code, zoals in `code` van een foutbericht.", examples=["ongeldige-invoer"])
    type: str = Field(description="De URI van deze soort, zoals in `type` van een foutbericht.",
                      examples=["/v1/problemen/ongeldige-invoer"])
    status: int = Field(description="De HTTP-status waarmee deze soort komt.", examples=[400])
    title: str = Field(description="De `title` van het foutbericht.", examples=["Ongeldige invoer"])
    beschrijving: str = Field(description="Wat de fout betekent en wat u eraan doet.")


class Veldcode(BaseModel):
    code: str = Field(description="De code in `invalidParams[].code`.", examples=["verplicht"])
    beschrijving: str = Field(description="Wat er mis is met het veld.", examples=["Het veld ontbreekt."])


class Probleemsoorten(BaseModel):
    soorten: list[Probleemsoort] = Field(description="Elke soort fout die de API kan geven.")
    veldcodes: list[Veldcode] = Field(description="Elke code van `invalidParams[].code`.")


def _soort(code: str) -> Probleemsoort:
    soort = SOORTEN[code]
    return Probleemsoort(code=code, type=probleem_type(code), status=soort.status, title=soort.titel,
                         beschrijving=soort.beschrijving)


@router.get("/problemen", response_model=Probleemsoorten, summary="Soorten fouten",
            description="Elke soort foutbericht (problem+json) met zijn `code`, `type` en status, en de codes van "
            "`invalidParams`; zonder authenticatie.")
def list_problemen() -> Probleemsoorten:
    return Probleemsoorten(soorten=[_soort(code) for code in SOORTEN],
                           veldcodes=[Veldcode(code=c, beschrijving=b) for c, b in VELDCODES.items()])


@router.get("/problemen/{code}", response_model=Probleemsoort, summary="Eén soort fout",
            description="De pagina achter het `type` van een foutbericht; zonder authenticatie.")
def get_probleem(code: Annotated[str, Path(description="De code van de soort fout.", examples=["ongeldige-invoer"],
                                           max_length=60)]) -> Probleemsoort:
    if code not in SOORTEN:
        raise NietGevonden(f"Er is geen soort fout `{code}`; GET /v1/problemen noemt ze allemaal.")
    return _soort(code)
