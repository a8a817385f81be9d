"""Optimistic concurrency for PATCH: an `ETag` on each single resource and a `412` on a stale `If-Match`.

The ETag is a hash of the public representation, so anything a client can see change (a field, a status in
the history, a child) changes it, and no version column is needed. A PATCH with `If-Match` compares the tag
with the representation as it is now, after locking the row, so two partner apps that read the same version
cannot both write it: the second gets 412 and reads again. A PATCH without `If-Match` still works as before.
"""

import hashlib
import json
from typing import Annotated, Any, TypeVar

from fastapi import Header, Response
from pydantic import BaseModel
from sqlmodel import Session

from app.core.errors import VersieVerouderd

T = TypeVar("T", bound=BaseModel)

IfMatchDep = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description="De `ETag` van de versie die u wijzigt (uit de GET of de vorige PATCH). Is het record sindsdien "
        "gewijzigd, dan volgt 412 en wordt er niets opgeslagen. Zonder deze header wordt altijd opgeslagen.",
        examples=['"5d41402abc4b2a76b9719d91"'],
    ),
]



def etag(representatie: BaseModel) -> str:
    """The strong entity tag of a representation: a hash of its JSON as the API sends it."""
    inhoud = json.dumps(representatie.model_dump(mode="json", by_alias=True), sort_keys=True, separators=(",", ":"))
    return '"' + hashlib.sha256(inhoud.encode()).hexdigest()[:24] + '"'


def met_etag(response: Response, representatie: T) -> T:
    """Put the representation's ETag on the response and return the representation."""
    response.headers["ETag"] = etag(representatie)
    return representatie


def vergrendel(session: Session, record: Any) -> None:
    """Lock the row for the rest of the transaction, so the version cannot change between check and write."""
    session.refresh(record, with_for_update=True)


def controleer(if_match: str | None, huidig: BaseModel) -> None:
    """412 when `If-Match` names no current version (`*` matches any); nothing to check without it."""
    if if_match is None:
        return
    gevraagd = {deel.strip() for deel in if_match.split(",") if deel.strip()}
    huidige = etag(huidig)
    if "*" in gevraagd or huidige in gevraagd:
        return
    raise VersieVerouderd(
        f"Het record is gewijzigd sinds versie {', '.join(sorted(gevraagd))}; er is niets opgeslagen. Haal het "
        "record opnieuw op, pas uw wijziging toe op de nieuwe versie en stuur die `ETag` mee in `If-Match`.",
        extra={"huidigeEtag": huidige},
    )
