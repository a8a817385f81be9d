"""CLI help is readable without a terminal (issue 28): no option name cut short, nothing past 80 columns."""

from typing import Any

import typer
from typer.testing import CliRunner

from app.cli import app


def _commando_paden(groep: Any, pad: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paden = [pad]
    for naam, commando in groep.commands.items():
        if hasattr(commando, "commands"):
            paden += _commando_paden(commando, (*pad, naam))
        else:
            paden.append((*pad, naam))
    return paden


def test_every_help_fits_80_columns_and_names_every_option_whole() -> None:
    groep = typer.main.get_command(app)
    paden = _commando_paden(groep)
    assert len(paden) > 10
    runner = CliRunner()
    for pad in paden:
        result = runner.invoke(app, [*pad, "--help"], env={"COLUMNS": "80"}, terminal_width=80)
        assert result.exit_code == 0, (pad, result.output)
        assert "…" not in result.output, pad
        assert max(map(len, result.output.splitlines())) <= 80, pad
    hulp = runner.invoke(app, ["import", "--help"], terminal_width=80).output
    assert "--nieuwe-sleutelpersonen-aanmaken" in hulp
