"""Regenerate the README's example output from the real output of the service.

    .venv/bin/python scripts/readme_voorbeelden.py              # rewrite the blocks in README.md
    .venv/bin/python scripts/readme_voorbeelden.py --controleer # exit 1 when a block's shape is out of date

Each generated block sits between `<!-- begin: readme_voorbeelden NAME -->` and `<!-- end: readme_voorbeelden -->`
in README.md. The script migrates a fresh embedded SQLite database in a temporary folder, loads the demo
data as `make run` does (in an 100-column terminal), and sends the README's first request with the
organisation key it printed. Keys are replaced by `smk_…`, so the README never holds a working key.

The demo data runs up to today, so its counts and dates move with the calendar. `--controleer` (used by
tests/test_readme_voorbeelden.py) therefore compares the shape of each block: digits, dates and ids are
masked, and of the request only the header names and the JSON members are compared.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BEGIN = "<!-- begin: readme_voorbeelden {naam} -->"
EINDE = "<!-- end: readme_voorbeelden -->"
SLEUTEL = re.compile(r"smk_[A-Za-z0-9]+_[A-Za-z0-9_-]+")
EERSTE_VERZOEK = "/v1/contactmomenten?pageSize=1"


def _omgeving(map_: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLEUTELMONITOR_") and k != "PORT"}
    env |= {
        "SLEUTELMONITOR_DATABASE_URL": f"sqlite:///{map_ / 'sleutelmonitor.db'}",
        "SLEUTELMONITOR_ENVIRONMENT": "development",
        "SLEUTELMONITOR_IMPORT_MAP": str(map_ / "uploads"),
        "COLUMNS": "100",
        "TERM": "dumb",
        "NO_COLOR": "1",
        "PYTHONPATH": str(ROOT),
    }
    return env


def _cli(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"sleutelmonitor {' '.join(args)} faalde:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def _netjes(uitvoer: str) -> str:
    """The demo output as a reader copies it: no trailing blanks, rules of a fixed width, keys hidden."""
    regels = []
    for regel in uitvoer.splitlines():
        regel = SLEUTEL.sub("smk_…", regel.rstrip())
        titel = re.fullmatch(r"\s*─+ (.+?) ─+", regel)
        if titel:
            regel = f" ──── {titel.group(1)} ────"
        elif re.fullmatch(r"\s*─+", regel):
            regel = " ────"
        regels.append(regel)
    while regels and not regels[0]:
        regels.pop(0)
    return "\n".join(regels).rstrip() + "\n"


_VERZOEK = """
import json, sys
from fastapi.testclient import TestClient
from app.main import create_app
with TestClient(create_app(), base_url="http://127.0.0.1:8000") as client:
    r = client.get(sys.argv[1], headers={"Authorization": "Bearer " + sys.argv[2]})
print(json.dumps({"status": r.status_code, "reason": r.reason_phrase, "headers": list(r.headers.items()),
                  "body": r.json()}))
"""


def _eerste_verzoek(env: dict[str, str], sleutel: str) -> str:
    """`curl -i` of the README's first request, as the app answers it (uvicorn adds `date` and `server`)."""
    result = subprocess.run(
        [sys.executable, "-c", _VERZOEK, EERSTE_VERZOEK, sleutel], cwd=ROOT, env=env, capture_output=True,
        text=True, check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"het eerste verzoek faalde:\n{result.stderr}")
    antwoord = json.loads(result.stdout.strip().splitlines()[-1])
    regels = [f"HTTP/1.1 {antwoord['status']} {antwoord['reason']}"]
    regels += [f"{naam}: {SLEUTEL.sub('smk_…', waarde)}" for naam, waarde in antwoord["headers"]]
    regels += ["", json.dumps(antwoord["body"], ensure_ascii=False, indent=2)]
    return "\n".join(regels) + "\n"


def genereer() -> dict[str, str]:
    """The README's blocks, from a fresh demo database."""
    with tempfile.TemporaryDirectory() as tmp:
        map_ = Path(tmp)
        env = _omgeving(map_)
        _cli(env, "migrate")
        demo = _cli(env, "demo-data", "--als-leeg")
        sleutel = SLEUTEL.search(demo.split("Organisatiesleutel", 1)[1])
        if sleutel is None:
            raise SystemExit("de demo-data gaf geen organisatiesleutel")
        return {
            "demo-data": "```text\n" + _netjes(demo) + "```\n",
            "eerste-verzoek": f'```text\n$ curl -i -H "Authorization: Bearer smk_…" "http://127.0.0.1:8000'
                              f'{EERSTE_VERZOEK}"\n' + _eerste_verzoek(env, sleutel.group(0)) + "```\n",
        }


def blokken(tekst: str) -> dict[str, str]:
    """The generated blocks in a README text, by name."""
    patroon = re.compile(r"<!-- begin: readme_voorbeelden (\S+) -->\n(.*?)" + re.escape(EINDE), re.DOTALL)
    return {m.group(1): m.group(2) for m in patroon.finditer(tekst)}


def vervang(tekst: str, nieuw: dict[str, str]) -> str:
    for naam, blok in nieuw.items():
        begin = BEGIN.format(naam=naam)
        if begin not in tekst:
            raise SystemExit(f"README.md mist {begin}")
        kop, rest = tekst.split(begin, 1)
        _, staart = rest.split(EINDE, 1)
        tekst = f"{kop}{begin}\n{blok}{EINDE}{staart}"
    return tekst


def vorm(naam: str, blok: str) -> object:
    """What must not drift: the text with numbers, dates and ids masked; of a response its header names and
    the members of its JSON."""
    if naam == "eerste-verzoek":
        kop, _, lichaam = blok.partition("\n\n")
        namen = sorted(regel.split(":", 1)[0].lower() for regel in kop.splitlines()[2:])
        data = json.loads(lichaam.rsplit("```", 1)[0])
        return {"headers": namen, "velden": sorted({k for item in data for k in item})}
    zonder = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<id>", blok)
    zonder = re.sub(r"\d+", "#", zonder)
    return [" ".join(regel.split()) for regel in zonder.splitlines() if regel.strip()]


def main() -> int:
    nieuw = genereer()
    tekst = README.read_text(encoding="utf-8")
    if "--controleer" in sys.argv:
        oud = blokken(tekst)
        verschil = [naam for naam, blok in nieuw.items() if naam not in oud or vorm(naam, oud[naam]) != vorm(naam, blok)]
        if verschil:
            print(f"README.md is verouderd ({', '.join(verschil)}): draai scripts/readme_voorbeelden.py")
            return 1
        return 0
    README.write_text(vervang(tekst, nieuw), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
