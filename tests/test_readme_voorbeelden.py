"""The README's example output is the service's real output (scripts/readme_voorbeelden.py).

The script migrates a fresh embedded SQLite database of its own and loads the demo data, whatever database
the suite runs on, so it runs in the SQLite stage only (about 20 seconds).
"""

import importlib.util
import sys
from pathlib import Path

import pytest

from tests.conftest import BACKEND

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(BACKEND != "sqlite", reason="the script uses its own SQLite database; once is enough")


def _script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("readme_voorbeelden", ROOT / "scripts" / "readme_voorbeelden.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["readme_voorbeelden"] = module
    spec.loader.exec_module(module)
    return module


def test_readme_blocks_have_the_shape_of_a_fresh_run() -> None:
    script = _script()
    nieuw = script.genereer()
    oud = script.blokken((ROOT / "README.md").read_text(encoding="utf-8"))
    assert set(oud) == {"demo-data", "eerste-verzoek"}
    for naam, blok in nieuw.items():
        assert script.vorm(naam, oud[naam]) == script.vorm(naam, blok), (
            f"README block {naam} is out of date: run .venv/bin/python scripts/readme_voorbeelden.py"
        )
    # No working key ever lands in the README.
    assert script.SLEUTEL.search("".join(nieuw.values())) is None


def test_the_shape_check_can_fail() -> None:
    script = _script()
    blok = "```text\n│ contactmomenten │ 2250 │\n│ inwoners │ 592 │\n```\n"
    assert script.vorm("demo-data", blok) == script.vorm("demo-data", blok.replace("2250", "17"))
    assert script.vorm("demo-data", blok) != script.vorm("demo-data", blok.replace("inwoners", "bewoners"))
