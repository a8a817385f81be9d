"""The committed OpenAPI document is the one the code generates."""

import json
import os
import subprocess
import sys
from pathlib import Path

from app.core.openapi import verwijzingen

ROOT = Path(__file__).resolve().parent.parent


def test_committed_openapi_matches_code() -> None:
    env = {**os.environ, "SLEUTELMONITOR_PUBLIC_URL": "https://elders.example.nl"}  # the script ignores it
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "export_openapi.py"), "--check"],
        env=env, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr


def test_committed_openapi_is_valid_json_with_v1_server() -> None:
    doc = json.loads((ROOT / "openapi" / "openapi.json").read_text(encoding="utf-8"))
    assert doc["openapi"].startswith("3.")
    assert doc["servers"][0]["url"] == "/v1"


PG_INTEGER_MAX = 2**31 - 1


def _onbegrensde_getallen(node: object, pad: str) -> list[str]:
    if isinstance(node, dict):
        soort = node.get("type")
        soorten = soort if isinstance(soort, list) else [soort]
        eigen = []
        if {"integer", "number"} & set(soorten):
            maximum = node.get("maximum", node.get("exclusiveMaximum"))
            if maximum is None or ("integer" in soorten and maximum > PG_INTEGER_MAX):
                eigen = [pad]
        return eigen + [p for k, w in node.items() for p in _onbegrensde_getallen(w, f"{pad}/{k}")]
    if isinstance(node, list):
        return [p for i, w in enumerate(node) for p in _onbegrensde_getallen(w, f"{pad}[{i}]")]
    return []


def test_every_number_a_client_sends_has_a_documented_maximum() -> None:
    """A number without a bound once reached PostgreSQL's INTEGER and came back as a 500 (found by the deep fuzz run)."""
    doc = json.loads((ROOT / "openapi" / "openapi.json").read_text(encoding="utf-8"))
    schemas = doc["components"]["schemas"]
    te_doen: list[str] = []
    onbegrensd: list[str] = []
    for pad, item in doc["paths"].items():
        for methode, operatie in item.items():
            if not isinstance(operatie, dict):
                continue
            for parameter in operatie.get("parameters", []):
                te_doen += verwijzingen(parameter.get("schema"))
                onbegrensd += _onbegrensde_getallen(parameter.get("schema"), f"{methode} {pad} ?{parameter['name']}")
            for inhoud in operatie.get("requestBody", {}).get("content", {}).values():
                te_doen += verwijzingen(inhoud.get("schema"))
    gezien: set[str] = set()
    while te_doen:
        naam = te_doen.pop()
        if naam not in gezien:
            gezien.add(naam)
            onbegrensd += _onbegrensde_getallen(schemas[naam], naam)
            te_doen += verwijzingen(schemas[naam])
    assert onbegrensd == []
