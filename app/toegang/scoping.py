"""Tenancy in one place: every query for organisation records goes through these helpers."""

import uuid
from collections.abc import Callable, Iterable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Path
from sqlalchemy import false, true
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
    """Restrict a select to the caller's organisation; a key without one sees nothing.

    A key person's device (Binding.sleutelpersoon) sees less: the records of its own key person (a
    model with `sleutelpersoon_id`, or one hanging off a contactmoment by `contactmoment_id`), that
    key person itself, and the organisation's shared social map (ketenpartners). Any other model
    answers nothing, so a route opened to devices by mistake still shows no colleague's records.
    """
    if caller.organisatie_id is None:
        return statement.where(False)  # type: ignore[arg-type]
    statement = statement.where(model.organisatie_id == caller.organisatie_id)
    if caller.binding is Binding.sleutelpersoon:
        statement = statement.where(_van_eigen_persoon(model, caller))
    return statement


def als_organisatie(caller: Caller) -> Caller:
    """The caller's organisation as a whole: for uniqueness checks (externId) a device cannot see across.

    Only to find a clash; what is shown of the clashing record is decided by `zichtbaar`.
    """
    if not caller.is_apparaat:
        return caller
    return Caller(sleutel_id=None, scopes=caller.scopes, binding=Binding.organisatie, organisatie_id=caller.organisatie_id)


def zichtbaar(caller: Caller, record: Any) -> bool:
    """Whether the caller may see this record of its organisation (a device: only its own key person's)."""
    return not caller.is_apparaat or getattr(record, "sleutelpersoon_id", None) == caller.sleutelpersoon_id


def _van_eigen_persoon(model: Any, caller: Caller) -> Any:
    """The condition that keeps a device's reads to its own key person (see `eigen`)."""
    from app.models import Contactmoment, Ketenpartner, Sleutelpersoon

    if caller.sleutelpersoon_id is None:
        return false()
    if model is Sleutelpersoon:
        return model.id == caller.sleutelpersoon_id
    if model is Ketenpartner:
        return true()
    if "sleutelpersoon_id" in model.__table__.columns:
        return model.sleutelpersoon_id == caller.sleutelpersoon_id
    if "contactmoment_id" in model.__table__.columns:
        return model.contactmoment_id.in_(
            select(Contactmoment.id).where(Contactmoment.sleutelpersoon_id == caller.sleutelpersoon_id)
        )
    return false()


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
    from app.toegang.dependencies import CallerOfApparaatDep

    # A device may reach a loader; the route's own scope dependency decides whether it may call the
    # route at all, and `eigen` narrows what a device finds.
    def laad(
        record_id: Annotated[uuid.UUID, Path(alias=pad, description=omschrijving, examples=[voorbeeld])],
        caller: CallerOfApparaatDep,
        session: SessionDep,
    ) -> T:
        return ophalen(session, caller, record_id)

    return Annotated[model, Depends(laad)]
