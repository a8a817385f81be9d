"""Partial updates of a record: what really changes, and the record as it would be after."""

from typing import Any


def verschil(record: Any, changes: dict[str, Any]) -> dict[str, Any]:
    """The sent changes that differ from the record's values (only those count, and are audited)."""
    return {naam: waarde for naam, waarde in changes.items() if getattr(record, naam) != waarde}


def samengevoegd(record: Any, changed: dict[str, Any]) -> dict[str, Any]:
    """The record's field values with the changes applied, for validating the whole."""
    return {naam: getattr(record, naam) for naam in type(record).model_fields} | changed
