"""`sleutelmonitor retention`: apply the retention periods (resident hashes, signals, stories)."""

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from sqlmodel import Session, col, select

from app.core.config import get_settings
from app.core.db import get_engine
from app.core.validation import vandaag
from app.ervaringsverhalen import service as ervaringsverhalen
from app.inwoners import service
from app.models import Organisatie
from app.signalen import service as signalen
from app.toegang.caller import cli_caller

# Per resource type: (setting, how the output names the records, the service's retention function).
BEWAARTERMIJNEN = (
    ("retention_months_signalen", "signalen", signalen.pas_bewaartermijn_toe),
    ("retention_months_ervaringsverhalen", "ervaringsverhalen", ervaringsverhalen.pas_bewaartermijn_toe),
)


@contextmanager
def _open_session() -> Iterator[Session]:
    with Session(get_engine(), expire_on_commit=False) as session:
        yield session


def retention(
    maanden: int | None = typer.Option(
        None,
        "--maanden",
        min=1,
        help="Bewaartermijn in maanden voor inwoner-hashes; standaard SLEUTELMONITOR_RETENTION_MONTHS.",
    ),
    proefdraai: bool = typer.Option(
        False,
        "--proefdraai",
        help="Alleen tellen wat zou verdwijnen; niets wijzigen.",
    ),
) -> None:
    """Pas de bewaartermijnen toe: inwoner-hashes van oude contactmomenten (de tellingen blijven), en
    signalen en ervaringsverhalen ouder dan hun eigen termijn (SLEUTELMONITOR_RETENTION_MONTHS_SIGNALEN,
    SLEUTELMONITOR_RETENTION_MONTHS_ERVARINGSVERHALEN)."""
    settings = get_settings()
    termijn = maanden if maanden is not None else settings.retention_months
    per_soort = [(soort, getattr(settings, naam), functie) for naam, soort, functie in BEWAARTERMIJNEN]
    per_soort = [(soort, t, functie) for soort, t, functie in per_soort if t is not None]
    if termijn is None and not per_soort:
        typer.echo(
            "Geen bewaartermijn: geef --maanden of stel SLEUTELMONITOR_RETENTION_MONTHS in "
            "(of SLEUTELMONITOR_RETENTION_MONTHS_SIGNALEN, SLEUTELMONITOR_RETENTION_MONTHS_ERVARINGSVERHALEN).",
            err=True,
        )
        raise typer.Exit(code=2)
    peildatum = vandaag()
    with _open_session() as session:
        aantallen = (
            service.pas_bewaartermijn_toe(session, maanden=termijn, peildatum=peildatum, proefdraai=proefdraai)
            if termijn is not None
            else {}
        )
        overig = [
            (soort, t, functie(session, grens=service.maanden_terug(peildatum, t), proefdraai=proefdraai, caller=cli_caller()))
            for soort, t, functie in per_soort
        ]
        org_ids = set(aantallen).union(*(set(a) for _, _, a in overig))
        namen = (
            {o.id: o.naam for o in session.exec(select(Organisatie).where(col(Organisatie.id).in_(list(org_ids))))}
            if org_ids
            else {}
        )
        if proefdraai:
            session.rollback()
        else:
            session.commit()
    werkwoord = "zou verwijderen" if proefdraai else "verwijderd"
    if termijn is not None:
        grens = service.maanden_terug(peildatum, termijn)
        typer.echo(f"Bewaartermijn {termijn} maanden: contactmomenten vóór {grens.isoformat()}.")
        for organisatie_id, aantal in sorted(aantallen.items(), key=lambda item: namen.get(item[0], "")):
            typer.echo(
                f"{namen.get(organisatie_id, organisatie_id)} ({organisatie_id}): {aantal} inwoner-koppeling(en) {werkwoord}"
            )
        totaal = sum(aantallen.values())
        typer.echo(f"Totaal: {totaal} {'(proefdraai, niets gewijzigd)' if proefdraai else ''}".rstrip())
    for soort, t, per_org in overig:
        grens = service.maanden_terug(peildatum, t)
        typer.echo(f"Bewaartermijn {soort} {t} maanden: {soort} van vóór {grens.isoformat()}.")
        for organisatie_id, aantal in sorted(per_org.items(), key=lambda item: namen.get(item[0], "")):
            typer.echo(f"{namen.get(organisatie_id, organisatie_id)} ({organisatie_id}): {aantal} {soort} {werkwoord}")
        typer.echo(f"Totaal {soort}: {sum(per_org.values())} {'(proefdraai, niets gewijzigd)' if proefdraai else ''}".rstrip())
