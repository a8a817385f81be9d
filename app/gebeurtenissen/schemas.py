"""API schemas of the event feed: thin events (what happened to which resource, never its content)."""

import enum
from datetime import datetime
from typing import Any

from pydantic import Field

from app.core.schemas import Schema
from app.gebeurtenissen.service import SOORTEN

GebeurtenisSoort = enum.StrEnum("GebeurtenisSoort", {naam.replace(".", "_").replace("-", "_"): naam for naam in SOORTEN})  # type: ignore[misc]


class GebeurtenisPublic(Schema):
    """Eén gebeurtenis: wat er met welk record gebeurde, zonder de inhoud; lees het record via `href`."""

    volgnummer: int = Field(description="Oplopend volgnummer in de volgorde waarin de wijzigingen zijn vastgelegd.",
                            examples=[1042])
    soort: GebeurtenisSoort = Field(description="Soort gebeurtenis: `<resource>.<wat>`.",
                                    examples=["doorverwijzing.status-gewijzigd"])
    resource_type: str = Field(description="Soort record.", examples=["doorverwijzing"])
    resource_id: str = Field(description="Id van het record.", examples=["1c9e5f5a-4a1d-4c1b-9d8e-2f3a4b5c6d7e"])
    extern_id: str | None = Field(default=None, description="Het `externId` van het record, als het er een heeft "
                                  "(niet voor regionale sleutels).", examples=["crm-2025-000123"])
    organisatie_id: str | None = Field(default=None, description="De organisatie van het record.")
    tijdstip: datetime = Field(description="Wanneer de wijziging is vastgelegd (UTC).")
    href: str = Field(description="Pad van het record in deze API (bij een verwijdering: het pad dat nu 404 geeft).",
                      examples=["/v1/doorverwijzingen/1c9e5f5a-4a1d-4c1b-9d8e-2f3a4b5c6d7e"])
    gegevens: dict[str, Any] | None = Field(
        default=None, description="Alleen codes en aantallen: de nieuwe `status` bij een statuswijziging, de "
        "aantallen bij `import.voltooid`. Nooit vrije tekst of gegevens over inwoners.",
        examples=[{"status": "aangekomen"}],
    )


class GebeurtenissenPagina(Schema):
    """Een pagina van de feed, met de cursor om verder te lezen."""

    gebeurtenissen: list[GebeurtenisPublic]
    cursor: str = Field(description="Ondoorzichtige cursor: geef hem mee als `na` om verder te lezen na deze pagina "
                        "(ook als de pagina leeg is). Bewaar hem na verwerking.", examples=["ZzEuMTA0Mg"])
    volgende: str = Field(description="Link naar de volgende pagina (dezelfde filters, `na` = `cursor`).",
                          examples=["/v1/gebeurtenissen?na=ZzEuMTA0Mg&limit=100"])
    meer: bool = Field(description="`true` als er direct nog meer gebeurtenissen klaarstaan; anders later opnieuw "
                       "vragen (of een webhook gebruiken).")
