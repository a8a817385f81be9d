"""The upload of one spreadsheet in a request body, shared by the small imports (trainings, costs).

CSV (`text/csv`), xlsx, or `application/octet-stream` for generated clients, told apart by the first
bytes: an xlsx is a zip file, anything else is read as CSV. Bounded at 1 MB while it streams in.
"""

from dataclasses import dataclass, field
from typing import Any

from fastapi import Request

from app.core.errors import OngeldigeInvoer

MAX_IMPORT_BYTES = 1_048_576
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# For the route's `openapi_extra`: the three ways to send the file.
# Bytes first: openapi-generator uses the first media type only, and sends a file as bytes whatever it is.
REQUEST_BODY = {"requestBody": {"required": True, "content": {
    # For generated clients: the file as bytes, CSV or xlsx told apart by its first bytes.
    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
    "text/csv": {"schema": {"type": "string"}}, XLSX: {"schema": {"type": "string", "format": "binary"}}}}}


async def bestand(request: Request) -> tuple[str, bytes]:
    """The uploaded file and its format (an async dependency: reading the body needs no thread; the route is sync)."""
    soort = request.headers.get("content-type", "").split(";")[0].strip().lower()
    formaat = {"text/csv": "csv", XLSX: "xlsx", "application/octet-stream": "?"}.get(soort)
    if formaat is None:
        raise OngeldigeInvoer.veld("Content-Type", f"Stuur het bestand als text/csv, als {XLSX} of als "
                                   "application/octet-stream.")
    inhoud = bytearray()
    async for blok in request.stream():
        inhoud += blok
        if len(inhoud) > MAX_IMPORT_BYTES:
            raise OngeldigeInvoer.veld("body", "Het bestand is groter dan 1 MB; splits het op.")
    if formaat == "?":
        formaat = "xlsx" if inhoud.startswith(b"PK\x03\x04") else "csv"
    return formaat, bytes(inhoud)


# A small import reports at most this many errors (row, column, reason); the count of rejected rows is whole.
MAX_FOUTEN = 100


@dataclass
class Verslag:
    """The report of a small import (trainings, costs): counts and the first `MAX_FOUTEN` errors."""

    proefdraai: bool
    gelezen: int = 0
    aangemaakt: int = 0
    ongewijzigd: int = 0
    afgewezen: int = 0
    fouten: list[dict[str, Any]] = field(default_factory=list)
    opgeslagen: bool = False

    def fout(self, rij: int, kolom: str | None, reden: str) -> None:
        if len(self.fouten) < MAX_FOUTEN:
            self.fouten.append({"rij": rij, "kolom": kolom, "reden": reden})
