"""The `sleutelmonitor` command: serve, migrate, and administration."""

from pathlib import Path
from typing import Annotated

import typer

from app.demo import demo_data
from app.imports.cli import importeer
from app.inwoners.cli import retention
from app.sso.cli import sso_app
from app.toegang.cli import key_app, org_app, toegang_app

app = typer.Typer(
    help="Sleutelmonitor: registratie en indicatoren voor Sleutelpersonen Gezondheid.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    # Plain help (click's): it wraps at 80 columns without a terminal and never cuts option names
    # short, where Rich's tables did (`--nieuwe-sleutelperson…` in a pipe or a CI log).
    rich_markup_mode=None,
)
app.add_typer(org_app, name="org")
app.add_typer(key_app, name="key")
app.add_typer(toegang_app, name="toegang")
app.add_typer(sso_app, name="sso")
app.command("demo-data")(demo_data)
app.command("retention")(retention)
app.command("import")(importeer)


def _alembic_config():  # type: ignore[no-untyped-def]
    from pathlib import Path

    from alembic.config import Config

    import migrations

    # The migrations are a package of their own (in the wheel too), so this works from the source tree and
    # from an installed service alike; alembic.ini is only for running `alembic` by hand in the source tree.
    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).resolve().parent))
    config.set_main_option("path_separator", "os")
    return config


@app.command()
def migrate(revisie: str = typer.Argument("head", help="Doelrevisie (standaard: head).")) -> None:
    """Breng het databaseschema naar de nieuwste versie (alembic upgrade)."""
    from alembic import command

    command.upgrade(_alembic_config(), revisie)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Adres om op te luisteren."),
    port: int = typer.Option(8000, help="Poort."),
    workers: int = typer.Option(1, help="Aantal uvicorn-workers."),
    reload: bool = typer.Option(False, help="Herstart bij codewijzigingen (ontwikkeling)."),
) -> None:
    """Start de API-server (uvicorn)."""
    import uvicorn

    from app.core import logs
    from app.core.config import get_settings
    from app.core.proces import bereid_metrics_map

    settings = get_settings()
    if settings.metrics_aan:
        bereid_metrics_map()  # before any worker imports prometheus_client
    # Logging as configured here applies in every worker process too (JSON lines by default).
    log_config = logs.log_config(settings.log_formaat, settings.log_level)
    uvicorn.run(**uvicorn_opties(host=host, port=port, workers=workers, reload=reload), log_config=log_config)


def uvicorn_opties(*, host: str, port: int, workers: int, reload: bool) -> dict[str, object]:
    """What `serve` hands to uvicorn: the app, and the process and time limits of app/core/proces.py."""
    from app.core.config import get_settings

    settings = get_settings()
    return {
        "app": "app.main:create_app",
        "factory": True,
        "host": host,
        "port": port,
        "workers": workers,
        "reload": reload,
        # Forwarded headers are applied by the app itself (app/core/proxy.py), from the proxies in
        # SLEUTELMONITOR_TRUSTED_PROXIES, with X-Forwarded-Host too; uvicorn's copy would rewrite the
        # client address first. The same list is handed to uvicorn for anything else that reads it.
        "proxy_headers": False,
        "forwarded_allow_ips": settings.trusted_proxies,
        "server_header": False,
        # Header and body read limits on top of uvicorn's own protocol (httptools).
        "http": "app.core.proces:BegrensdHttp",
        "timeout_worker_healthcheck": settings.worker_healthcheck_seconden,
        # Requests in progress get this long after SIGTERM; import jobs are handed back at once.
        "timeout_graceful_shutdown": settings.graceful_shutdown_seconden,
    }


PG_DUMP = (
    "Op PostgreSQL maakt u backups met de eigen gereedschappen van PostgreSQL (of die van uw platform):\n"
    "  pg_dump --format=custom --file=<bestand> <database>\n"
    "  pg_restore --clean --if-exists --dbname=<database> <bestand>\n"
    "Sleutelmonitor doet dat niet na; zie docs/productie.md."
)


def _sqlite_bestand():  # type: ignore[no-untyped-def]
    from app.core.backup import sqlite_bestand
    from app.core.config import get_settings

    bestand = sqlite_bestand(get_settings().database_url)
    if bestand is None:
        typer.echo(PG_DUMP, err=True)
        raise typer.Exit(2)
    return bestand


@app.command()
def backup(
    bestand: Annotated[Path, typer.Argument(help="Het backupbestand dat wordt gemaakt.")],
    ja: bool = typer.Option(False, "--ja", help="Overschrijf een bestaand backupbestand."),
) -> None:
    """Maak een backup van de SQLite-database, ook terwijl de dienst draait."""
    from app.core.backup import BackupFout, maak

    try:
        verslag = maak(_sqlite_bestand(), bestand, overschrijven=ja)
    except BackupFout as fout:
        typer.echo(str(fout), err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Backup gemaakt: {verslag.pad} ({verslag.bytes / 1_048_576:.1f} MB, schema {verslag.revisie}).")


@app.command()
def herstel(
    bestand: Annotated[Path, typer.Argument(help="De backup die wordt teruggezet.")],
    ja: bool = typer.Option(False, "--ja", help="Vervang een bestaande database (stop eerst de dienst)."),
) -> None:
    """Zet een backup terug als de SQLite-database (weigert zonder --ja te overschrijven)."""
    from app.core.backup import BackupFout
    from app.core.backup import herstel as herstel_backup
    from app.status.migraties import _scripts

    try:
        verslag = herstel_backup(bestand, _sqlite_bestand(), overschrijven=ja)
    except BackupFout as fout:
        typer.echo(str(fout), err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Hersteld: {verslag.pad} ({verslag.bytes / 1_048_576:.1f} MB, schema {verslag.revisie}).")
    koppen, _ = _scripts()
    if verslag.revisie not in koppen:
        typer.echo("Het schema is niet dat van deze versie: voer `sleutelmonitor migrate` uit voor u de dienst start.")


@app.command("ptable")
def ptable_export(
    uitvoer: str = typer.Option("-", "--uitvoer", "-o", help="Bestand voor de CSV; standaard de terminal."),
) -> None:
    """Schrijf de perturbatietabel (pcv, ckey, pvalue) van de celsleutelperturbatie als CSV."""
    import sys
    from pathlib import Path

    from app.core.config import get_settings
    from app.indicatoren.perturbatie import ptable

    tekst = ptable(get_settings().suppression_threshold).als_csv()
    if uitvoer == "-":
        sys.stdout.write(tekst)
    else:
        Path(uitvoer).write_text(tekst, encoding="utf-8")


if __name__ == "__main__":
    app()
