"""`sleutelmonitor org ...` and `sleutelmonitor key ...`."""

import typer

org_app = typer.Typer(help="Organisaties beheren.", no_args_is_help=True)
key_app = typer.Typer(help="API-sleutels beheren.", no_args_is_help=True)
