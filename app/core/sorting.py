"""The `sort` query parameter: a dependency built from a StrEnum of sortable API field names.

The allowed names appear in the OpenAPI document (description and pattern), and a route receives
ORDER BY clauses, never a free string to parse.
"""

import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any

from fastapi import Depends, Query

from app.core.errors import OngeldigeInvoer


class Sortering:
    """The sortable fields of one resource (API name -> column) as a StrEnum, and the default order."""

    def __init__(self, naam: str, kolommen: Mapping[str, Any], *, standaard: str) -> None:
        self.velden: type[StrEnum] = StrEnum(f"{naam}Sorteerveld", {veld: veld for veld in kolommen})  # type: ignore[misc]
        self.kolommen = {str(veld): kolommen[veld] for veld in self.velden}
        self.standaard_tekst = standaard
        self.standaard = self.clauses(standaard)
        keuze = "|".join(re.escape(naam) for naam in self.kolommen)
        beschrijving = (
            "Sorteervelden, kommagescheiden, `-` voor aflopend: "
            + ", ".join(f"`{naam}`" for naam in self.kolommen)
            + f"; standaard `{standaard}`."
        )

        async def sort(  # async: no I/O, so no hop through the thread pool
            sort: Annotated[
                str | None,
                Query(
                    description=beschrijving,
                    examples=[standaard],
                    json_schema_extra={"pattern": f"^[-+]?({keuze})(,[-+]?({keuze}))*$"},
                ),
            ] = None,
        ) -> list[Any]:
            return self.clauses(sort) if sort is not None else self.standaard

        self.dependency = sort

    def clauses(self, sort: str) -> list[Any]:
        """Translate `-datum,aangemaaktOp` into ORDER BY clauses; an unknown field is a 400."""
        clauses = []
        for deel in sort.split(","):
            deel = deel.strip()
            naam = deel.lstrip("-+")
            if naam not in self.kolommen:
                raise OngeldigeInvoer.veld(
                    "sort", f"Onbekend sorteerveld `{naam}`; toegestaan: {', '.join(sorted(self.kolommen))}."
                )
            kolom = self.kolommen[naam]
            clauses.append(kolom.desc() if deel.startswith("-") else kolom.asc())
        return clauses

    @property
    def dep(self) -> Any:
        """`Annotated[list, Depends(...)]` for a route's `sort` parameter."""
        return Annotated[list[Any], Depends(self.dependency)]
