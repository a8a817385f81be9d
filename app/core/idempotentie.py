"""Idempotent POST by `externId`: the same content again is a safe retry, anything else a 409."""

from typing import Any, TypeVar

from app.core.errors import Conflict

T = TypeVar("T")


def herhaling(bestaand: T, *, naam: str, extern_id: str, vingerafdruk: str, weg: str = "verwijderd",
              wijzig: str = "Wijzig", aanvulling: str = "") -> T:
    """The stored record for a repeated externId, or a Conflict that names it (`bestaandId`).

    `aanvulling` is appended to the conflict's detail (another way to change the record)."""
    record: Any = bestaand
    if getattr(record, "verwijderd_op", None) is not None:
        raise Conflict(
            f"Er bestond al een {naam} met externId `{extern_id}`; het is {weg}. "
            "Een externId kan niet opnieuw worden gebruikt.",
            extra={"bestaandId": str(record.id)}, code="externid-verwijderd",
        )
    if record.inhoud_hash != vingerafdruk:
        raise Conflict(
            f"Er bestaat al een {naam} met externId `{extern_id}` met een andere inhoud. "
            f"{wijzig} het bestaande {naam} met PATCH, of gebruik een ander externId.{aanvulling}",
            extra={"bestaandId": str(record.id)}, code="externid-andere-inhoud",
        )
    return bestaand
