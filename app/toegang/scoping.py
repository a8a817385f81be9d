"""Tenancy in one place: every query for organisation records goes through these helpers."""

import uuid
from collections.abc import Callable, Iterable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Path
from sqlmodel import Session, select
from sqlmodel.sql.expression import SelectOfScalar

from app.core.errors import GeenToegang, NietGevonden
from app.toegang.caller import Binding, Caller

T = TypeVar("T")


def buiten_regio_reden(caller: Caller, gemeentecodes: Iterable[str]) -> str | None:
    """The Dutch reason a regional key may not filter on these gemeenten, or None when all lie in its region.

    One rule for every regional read (indicators, signal inbox, shared stories): a filter outside the
    region is refused with 403, never answered with an empty list.
    """
    if caller.binding is not Binding.regio:
        return None
    buiten = set(gemeentecodes) - set(caller.gemeentecodes)
    if not buiten:
        return None
    return f"Gemeente {', '.join(sorted(buiten))} valt buiten de regio van deze sleutel ({', '.join(caller.gemeentecodes)})."


def binnen_regio(caller: Caller, *gemeentecodes: str | None) -> None:
    """Raise 403 when a regional key filters on a gemeente outside its region (see `buiten_regio_reden`)."""
    if reden := buiten_regio_reden(caller, [g for g in gemeentecodes if g]):
        raise GeenToegang(reden)


def eigen(statement: SelectOfScalar[T], model: Any, caller: Caller) -> SelectOfScalar[T]:
    """Restrict a select to the caller's organisation; a key without one sees nothing."""
    if caller.organisatie_id is None:
        return statement.where(False)  # type: ignore[arg-type]
    return statement.where(model.organisatie_id == caller.organisatie_id)


def zoek_eigen(session: Session, model: type[T], record_id: uuid.UUID, caller: Caller) -> T | None:
    """One live (not soft-deleted) record of the caller's organisation, or None; never raises."""
    statement = eigen(select(model).where(model.id == record_id), model, caller)  # type: ignore[attr-defined]
    if hasattr(model, "verwijderd_op"):
        statement = statement.where(model.verwijderd_op.is_(None))  # type: ignore[attr-defined]
    return session.exec(statement).first()


def haal_eigen(
    session: Session, model: type[T], record_id: uuid.UUID, caller: Caller, *, naam: str
) -> T:
    """Fetch one record of the caller's organisation, or 404 (never 403: ids leak nothing)."""
    record = zoek_eigen(session, model, record_id, caller)
    if record is None:
        raise NietGevonden(f"{naam} {record_id} bestaat niet.")
    return record


def loader(
    model: type[T],
    ophalen: Callable[[Session, Caller, uuid.UUID], T],
    *,
    pad: str,
    omschrijving: str,
    voorbeeld: str,
) -> Any:
    """`Annotated[model, Depends(...)]` for a route: the caller's record named by path parameter `pad`, or 404.

    The scope check is the route's own dependency, so the OpenAPI document lists one scope per operation.
    """
    from app.core.db import SessionDep
    from app.toegang.dependencies import CallerDep

    def laad(
        record_id: Annotated[uuid.UUID, Path(alias=pad, description=omschrijving, examples=[voorbeeld])],
        caller: CallerDep,
        session: SessionDep,
    ) -> T:
        return ophalen(session, caller, record_id)

    return Annotated[model, Depends(laad)]
