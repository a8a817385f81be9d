"""Helpers for the dashboard tests without a browser: sign in through the form, read the cookie."""

import re
from typing import Any

from fastapi.testclient import TestClient
from itsdangerous import URLSafeTimedSerializer

from app.web.sessie import SALT


def csrf_van(client: TestClient) -> str:
    antwoord = client.get("/")
    gevonden = re.search(r'name="csrf" value="([^"]+)"', antwoord.text)
    assert gevonden, antwoord.text
    return gevonden.group(1)


def meld_aan(client: TestClient, headers: dict[str, str], **extra: str) -> Any:
    token = headers["Authorization"].split(" ", 1)[1]
    return client.post("/aanmelden", data={"sleutel": token, "csrf": csrf_van(client), **extra}, follow_redirects=False)


def cookie_inhoud(waarde: str) -> dict[str, Any]:
    """What anyone holding the cookie can read of it, without the server's secret."""
    return URLSafeTimedSerializer("niet-het-geheim", salt=SALT).loads_unsafe(waarde)[1]
