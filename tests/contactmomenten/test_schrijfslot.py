"""Issue 29: a POST builds its rows and its response before the transaction's first statement.

On SQLite that first statement takes the write slot (BEGIN IMMEDIATE), which every writer of both workers
waits for; what the slot covers is what caps SQLite's write rate, so pure Python stays outside it.
"""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.contactmomenten import service
from app.rapportage import slot
from tests.factories import Omgeving, body


def test_rows_and_response_are_built_before_the_period_check(
    client: TestClient, omgeving: Omgeving, monkeypatch: pytest.MonkeyPatch
) -> None:
    volgorde: list[str] = []

    def volg(naam: str, functie: Any) -> Any:
        def gevolgd(*args: Any, **kwargs: Any) -> Any:
            volgorde.append(naam)
            return functie(*args, **kwargs)
        return gevolgd

    monkeypatch.setattr(service, "nieuwe_rijen", volg("rijen", service.nieuwe_rijen))
    monkeypatch.setattr(service, "publiek", volg("antwoord", service.publiek))
    monkeypatch.setattr(slot, "controleer", volg("periodecheck", slot.controleer))
    antwoord = client.post("/v1/contactmomenten", json=body(omgeving), headers=omgeving.headers)
    assert antwoord.status_code == 201, antwoord.text
    assert volgorde == ["rijen", "antwoord", "periodecheck"]
    # The response is still the record as stored.
    opgehaald = client.get(f"/v1/contactmomenten/{antwoord.json()['id']}", headers=omgeving.headers)
    assert opgehaald.status_code == 200
    assert {k: v for k, v in opgehaald.json().items() if k != "gewijzigdOp"} == \
        {k: v for k, v in antwoord.json().items() if k != "gewijzigdOp"}
