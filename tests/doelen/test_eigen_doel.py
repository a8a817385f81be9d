"""Issue 25's "done when": an own indicator with a 2027-style year target of 120, shared with the GGD,
paced per quarter for the organisation, and beside the perturbed realisation for the regional key."""

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.doelen import koppeling
from tests.factories import make_key, make_organisatie
from tests.indicatoren.test_eigen import CODE, JGZ, YEAR, _plant


def _waarden(client: TestClient, headers: dict[str, str], **params: Any) -> dict[str, Any]:
    response = client.get(f"/v1/indicatoren/{CODE}/waarden", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_an_own_indicator_with_a_shared_year_target(client: TestClient, session: Session,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(koppeling, "vandaag", lambda: date(YEAR, 8, 15))  # mid-year: Q3 is running
    organisatie = make_organisatie(session, gemeentecodes=["GM0344", "GM0307"])
    _plant(session, organisatie, n=600)
    coordinator = make_key(session, organisatie=organisatie, scopes=("registreren", "rapporteren"))
    ggd = make_key(session, gemeentecodes=["GM0344", "GM0307"], scopes=("rapporteren",))
    assert client.post("/v1/indicatoren", json={**JGZ, "gedeeldMetRegio": True}, headers=coordinator).status_code == 201
    doel = client.post("/v1/doelen", json={"indicator": CODE, "periode": str(YEAR), "waarde": 120, "gedeeld": True},
                       headers=coordinator)
    assert doel.status_code == 201, doel.text

    kwartalen = _waarden(client, coordinator, periode=str(YEAR), interval="kwartaal")["rijen"]
    assert [r["doel"] for r in kwartalen] == pytest.approx([29.59, 29.92, 30.25, 30.25], abs=0.015)  # by days
    assert round(sum(r["doel"] for r in kwartalen), 2) == 120
    (lopend,) = [r for r in kwartalen if "tempo" in r]
    assert lopend["periode"]["vanaf"] == f"{YEAR}-07-01"
    assert lopend["tempo"] in ("voor", "op-schema", "achter")
    jaar = _waarden(client, coordinator, periode=str(YEAR))
    (tempo,) = jaar["tempo"]
    assert tempo["doel"] == 120 and 0 < tempo["doelVerwacht"] < 120

    # The GGD sees the shared target, and the realisation through disclosure control.
    assert [d["indicator"] for d in client.get("/v1/doelen", headers=ggd).json()] == [CODE]
    regionaal = _waarden(client, ggd, periode=str(YEAR), organisatie=str(organisatie.id))
    assert regionaal["onderdrukking"]["toegepast"] is True
    (rij,) = regionaal["rijen"]
    assert rij["doel"] == 120
    eigen = jaar["rijen"][0]["waarde"]
    assert rij["waarde"] is not None and abs(rij["waarde"] - eigen) <= 5  # perturbed, close
