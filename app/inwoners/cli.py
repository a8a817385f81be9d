"""`sleutelmonitor retention`: apply the retention period for resident hashes."""

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from sqlmodel import Session, col, select

from app.core.config import get_settings
from app.core.db import get_engine
from app.core.validation import vandaag
from app.inwoners import service
from app.models import Organisatie


@contextmanager
def _open_session() -> Iterator[Session]:
    with Session(get_engine(), expire_on_commit=False) as session:
        yield session


def retention(
    maanden: int | None = typer.Option(
        None,
        "--maanden",
        min=1,
        help="Bewaartermijn in maanden; standaard SLEUTELMONITOR_RETENTION_MONTHS.",
    ),
    proefdraai: bool = typer.Option(
        False,
        "--proefdraai",
        help="Alleen tellen wat zou verdwijnen; niets wijzigen.",
    ),
) -> None:
    """Verwijder inwoner-hashes van contactmomenten ouder dan de bewaartermijn; de tellingen blijven."""
    termijn = maanden if maanden is not None else get_settings().retention_months
    if termijn is None:
        typer.echo(
            "Geen bewaartermijn: geef --maanden of stel SLEUTELMONITOR_RETENTION_MONTHS in.",
            err=True,
        )
        raise typer.Exit(code=2)
    peildatum = vandaag()
    with _open_session() as session:
        aantallen = service.pas_bewaartermijn_toe(
            session, maanden=termijn, peildatum=peildatum, proefdraai=proefdraai
        )
        namen = (
            {
                o.id: o.naam
                for o in session.exec(
                    select(Organisatie).where(col(Organisatie.id).in_(list(aantallen)))
                )
            }
            if aantallen
            else {}
        )
        if proefdraai:
            session.rollback()
        else:
            session.commit()
    grens = service.maanden_terug(peildatum, termijn)
    werkwoord = "zou verwijderen" if proefdraai else "verwijderd"
    typer.echo(f"Bewaartermijn {termijn} maanden: contactmomenten vóór {grens.isoformat()}.")
    for organisatie_id, aantal in sorted(
        aantallen.items(), key=lambda item: namen.get(item[0], "")
    ):
        typer.echo(
            f"{namen.get(organisatie_id, organisatie_id)} ({organisatie_id}): {aantal} inwoner-koppeling(en) {werkwoord}"
        )
    totaal = sum(aantallen.values())
    typer.echo(f"Totaal: {totaal} {'(proefdraai, niets gewijzigd)' if proefdraai else ''}".rstrip())
