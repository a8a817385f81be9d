"""The committed OpenAPI document is the one the code generates."""

import json
import os
import subprocess
import sys
from pathlib import Path

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
