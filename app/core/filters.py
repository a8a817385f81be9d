"""Checks and conditions shared by the list filters of several domains."""

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col

from app.codelijsten import service as codelijsten
from app.core.errors import OngeldigeInvoer


def gegeven(statement: Any, voorwaarden: Iterable[tuple[Any, Callable[[Any], Any]]]) -> Any:
    """Apply each (value, condition of the value) whose query value was given, i.e. is not None."""
    for waarde, voorwaarde in voorwaarden:
        if waarde is not None:
            statement = statement.where(voorwaarde(waarde))
    return statement


def onderwerp_filter(column: Any, onderwerp: str) -> Any:
    """Match a topic code or any of its children: `geld` matches `geld` and `geld.toeslagen`."""
    return or_(column == onderwerp, col(column).startswith(f"{onderwerp}.", autoescape=True))


def controleer_filters(
    session: Session,
    *,
    codes: Iterable[tuple[str, str, str | None]] = (),
    periodes: Iterable[tuple[str, date | None, str, date | None]] = (),
    problemen: Iterable[dict[str, str]] = (),
) -> None:
    """Refuse unknown codes and reversed date ranges in list filters, all at once.

    A typo in a filter should be a 400, not an empty page that looks like "no data".
    `codes` holds (query key, code list, value); `periodes` (from key, from, to key, to); `problemen`
    what the caller found itself.
    """
    problems: list[dict[str, str]] = list(problemen)
    for naam, lijst, waarde in codes:
        if waarde is not None:
            # A deactivated code still finds the old records that carry it.
            problems += codelijsten.check_codes(
                session, lijst=lijst, values=[(naam, waarde)], allow_inactive=[waarde]
            )
    for vanaf_naam, vanaf, tot_naam, tot in periodes:
        if vanaf is not None and tot is not None and tot < vanaf:
            problems.append(
                {
                    "name": tot_naam,
                    "reason": f"{tot_naam} ({tot.isoformat()}) ligt vóór {vanaf_naam} ({vanaf.isoformat()}).",
                }
            )
    if problems:
        raise OngeldigeInvoer.met(problems, onderwerp="De zoekparameters", bevat="bevatten")


