"""The demo data set has two goals and an evaluation with a decision for the demo key's organisation."""

from fastapi.testclient import TestClient
from sqlmodel import Session

from app import demo
from app.core.validation import vandaag
from app.models import Organisatie
from tests.factories import make_key


def test_demo_goals_and_evaluation_read_through_the_api(client: TestClient, session: Session) -> None:
    samenvatting = demo.laad_demo_data(session, aantal=200, seed=42, today=vandaag())
    org = next(o for o in samenvatting["organisaties"] if o["soort"] == "migrantenorganisatie")
    headers = make_key(session, organisatie=session.get(Organisatie, org["id"]), scopes=("inzien",))

    doelstellingen = client.get("/v1/doelstellingen", headers=headers)
    assert doelstellingen.status_code == 200, doelstellingen.text
    assert [d["status"] for d in doelstellingen.json()] == ["concept", "actief"]
    actief = doelstellingen.json()[1]
    assert actief["behoefteanalyse"] is not None and len(actief["beoogdeKetenpartners"]) == 2 and actief["indicatoren"]
    # The partners are the organisation's own.
    for partner in actief["beoogdeKetenpartners"]:
        assert client.get(f"/v1/ketenpartners/{partner}", headers=headers).status_code == 200

    evaluaties = client.get("/v1/evaluaties", params={"doelstelling": actief["id"]}, headers=headers)
    assert evaluaties.status_code == 200, evaluaties.text
    [evaluatie] = evaluaties.json()
    assert evaluatie["besluiten"][0]["eigenaarRol"] == "coordinator" and evaluatie["besluiten"][0]["status"] == "open"
    for verhaal in evaluatie["ervaringsverhalen"]:
        assert client.get(f"/v1/ervaringsverhalen/{verhaal}", headers=headers).status_code == 200
    # Every other organisation has none.
    ander = next(o for o in samenvatting["organisaties"] if o["id"] != org["id"])
    andere_sleutel = make_key(session, organisatie=session.get(Organisatie, ander["id"]), scopes=("inzien",), naam="ander")
    assert client.get("/v1/doelstellingen", headers=andere_sleutel).json() == []
