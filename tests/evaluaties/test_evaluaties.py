"""/v1/evaluaties: CRUD, all errors at once, the personal-data guard, tenancy of linked goals and stories, audit, filters."""

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.core.validation import vandaag
from app.models import EvaluatieDoelstelling
from tests.ervaringsverhalen.factories import make_verhaal
from tests.factories import Omgeving, make_omgeving
from tests.helpers import assert_400, assert_problem, audit_regels

ONBEKEND = "00000000-0000-4000-8000-000000000000"
DATUM = (vandaag() - timedelta(days=10)).isoformat()


def doelstelling(client: TestClient, omgeving: Omgeving, titel: str = "Meer jonge moeders bij de JGZ") -> str:
    response = client.post("/v1/doelstellingen", json={"titel": titel, "vanaf": "2026-01-01", "status": "actief"}, headers=omgeving.headers)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def body(**overrides: Any) -> dict[str, Any]:
    waarden: dict[str, Any] = {
        "datum": DATUM,
        "deelnemers": [{"rol": "sleutelpersonen", "aantal": 6}, {"rol": "coordinator", "aantal": 1}, {"rol": "ggd", "aantal": 1}],
        "bevindingen": "Het bereik onder jonge moeders groeit; de GGD ziet ze nog weinig terug.",
        "besluiten": [{"tekst": "Voorlichting JGZ ook in het Tigrinya", "eigenaarRol": "coordinator", "deadline": "2027-03-31"}],
        "indicatoren": ["bereik-inwoners"],
    }
    waarden.update(overrides)
    return {k: v for k, v in waarden.items() if v is not None}


def test_create_read_change_delete(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    h = omgeving.headers
    doel = doelstelling(client, omgeving)
    verhaal = make_verhaal(session, omgeving.organisatie)
    created = client.post("/v1/evaluaties", json=body(doelstellingen=[doel], ervaringsverhalen=[str(verhaal.id)]), headers=h)
    assert created.status_code == 201, created.text
    e = created.json()
    assert created.headers["Location"] == f"/v1/evaluaties/{e['id']}"
    assert e["doelstellingen"] == [doel] and e["ervaringsverhalen"] == [str(verhaal.id)]
    besluit_id = e["besluiten"][0].pop("id")
    assert e["besluiten"] == [{"tekst": "Voorlichting JGZ ook in het Tigrinya", "eigenaarRol": "coordinator", "deadline": "2027-03-31", "status": "open"}]
    e["besluiten"][0]["id"] = besluit_id
    assert e["deelnemers"][0] == {"rol": "sleutelpersonen", "aantal": 6}

    got = client.get(f"/v1/evaluaties/{e['id']}", headers=h)
    assert got.status_code == 200 and got.json() == e
    etag = got.headers["ETag"]
    besluiten = [e["besluiten"][0] | {"status": "bezig"}]
    changed = client.patch(f"/v1/evaluaties/{e['id']}", json={"besluiten": besluiten, "doelstellingen": []}, headers={**h, "If-Match": etag})
    assert changed.status_code == 200, changed.text
    assert changed.json()["besluiten"][0]["status"] == "bezig" and changed.json()["doelstellingen"] == []
    assert changed.json()["besluiten"][0]["id"] == besluit_id  # a status change keeps the decision's id
    assert_problem(client.patch(f"/v1/evaluaties/{e['id']}", json={"bevindingen": "Anders"}, headers={**h, "If-Match": etag}), 412)
    # The same content again changes nothing and writes no audit row.
    assert client.patch(f"/v1/evaluaties/{e['id']}", json={"besluiten": besluiten}, headers=h).status_code == 200

    assert client.delete(f"/v1/evaluaties/{e['id']}", headers=h).status_code == 204
    assert_problem(client.get(f"/v1/evaluaties/{e['id']}", headers=h), 404)
    assert session.exec(select(EvaluatieDoelstelling)).all() == []
    acties = [(r.actie, r.resource_type) for r in audit_regels(session, resource_id=e["id"])]
    assert acties == [("aangemaakt", "evaluatie"), ("gewijzigd", "evaluatie"), ("verwijderd", "evaluatie")]


def test_every_problem_at_once(client: TestClient, omgeving: Omgeving) -> None:
    morgen = (vandaag() + timedelta(days=1)).isoformat()
    response = client.post("/v1/evaluaties", json=body(
        datum=morgen,
        deelnemers=[{"rol": "wethouder", "aantal": 0}],
        besluiten=[{"tekst": "Iets", "eigenaarRol": "coordinator", "status": "klaar"}],
        indicatoren=["geluk"],
        doelstellingen=[ONBEKEND],
        ervaringsverhalen=[ONBEKEND],
    ), headers=omgeving.headers)
    assert_400(response, ["datum", "deelnemers[0].rol", "deelnemers[0].aantal", "besluiten[0].status", "indicatoren[0]",
                          "doelstellingen[0]", "ervaringsverhalen[0]"])
    dubbel = client.post("/v1/evaluaties", json=body(deelnemers=[{"rol": "ggd", "aantal": 1}, {"rol": "ggd", "aantal": 2}]),
                         headers=omgeving.headers)
    assert_400(dubbel, ["deelnemers"])
    assert_400(client.post("/v1/evaluaties", json=body(deelnemers=[]), headers=omgeving.headers), ["deelnemers"])
    # Names of participants have no field to go in.
    assert_400(client.post("/v1/evaluaties", json=body(deelnemers=[{"rol": "ggd", "aantal": 1, "naam": "Fatima"}]),
                           headers=omgeving.headers), ["deelnemers[0].naam"])


def test_free_text_guard_refuses_personal_data_without_echoing_it(client: TestClient, omgeving: Omgeving) -> None:
    response = client.post("/v1/evaluaties", json=body(
        bevindingen="Moeder bereikbaar op 06-12345678",
        besluiten=[{"tekst": "Mail fatima@example.nl", "eigenaarRol": "coordinator"}],
    ), headers=omgeving.headers)
    assert_400(response, ["bevindingen", "besluiten[0].tekst"])
    assert "12345678" not in response.text and "fatima@example.nl" not in response.text


def test_another_organisations_goal_story_and_evaluation_are_unknown(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    ander = make_omgeving(session, naam="Andere organisatie")
    hun_doel = doelstelling(client, ander)
    hun_verhaal = make_verhaal(session, ander.organisatie)
    response = client.post("/v1/evaluaties", json=body(doelstellingen=[hun_doel], ervaringsverhalen=[str(hun_verhaal.id)]),
                           headers=omgeving.headers)
    assert_400(response, ["doelstellingen[0]", "ervaringsverhalen[0]"])
    hun = client.post("/v1/evaluaties", json=body(doelstellingen=[hun_doel]), headers=ander.headers)
    assert hun.status_code == 201, hun.text
    for methode, extra in (("get", {}), ("patch", {"json": {"bevindingen": "x"}}), ("delete", {})):
        assert_problem(getattr(client, methode)(f"/v1/evaluaties/{hun.json()['id']}", headers=omgeving.headers, **extra), 404)
    assert client.get("/v1/evaluaties", headers=omgeving.headers).json() == []
    # Filtering on their goal finds nothing of ours, and nothing of theirs.
    assert client.get("/v1/evaluaties", params={"doelstelling": hun_doel}, headers=omgeving.headers).json() == []


def test_a_deleted_goal_stays_on_the_evaluations_that_discussed_it(client: TestClient, omgeving: Omgeving) -> None:
    h = omgeving.headers
    doel = doelstelling(client, omgeving)
    e = client.post("/v1/evaluaties", json=body(doelstellingen=[doel]), headers=h).json()
    assert client.delete(f"/v1/doelstellingen/{doel}", headers=h).status_code == 204
    assert client.get(f"/v1/evaluaties/{e['id']}", headers=h).json()["doelstellingen"] == [doel]
    # Changing something else still works; linking the deleted goal anew does not.
    assert client.patch(f"/v1/evaluaties/{e['id']}", json={"bevindingen": "Bijgewerkt"}, headers=h).status_code == 200
    ander = client.post("/v1/evaluaties", json=body(doelstellingen=[doel]), headers=h)
    assert_400(ander, ["doelstellingen[0]"])


def test_filters_goal_and_period(client: TestClient, omgeving: Omgeving) -> None:
    h = omgeving.headers
    doel_a, doel_b = doelstelling(client, omgeving, "A"), doelstelling(client, omgeving, "B")
    vorig_jaar = f"{vandaag().year - 1}-06-15"
    e1 = client.post("/v1/evaluaties", json=body(doelstellingen=[doel_a]), headers=h).json()["id"]
    e2 = client.post("/v1/evaluaties", json=body(datum=vorig_jaar, doelstellingen=[doel_a, doel_b]), headers=h).json()["id"]
    ids = lambda r: [x["id"] for x in r.json()]
    assert ids(client.get("/v1/evaluaties", headers=h)) == [e1, e2]  # newest first
    assert sorted(ids(client.get("/v1/evaluaties", params={"doelstelling": doel_a}, headers=h))) == sorted([e1, e2])
    assert ids(client.get("/v1/evaluaties", params={"doelstelling": doel_b}, headers=h)) == [e2]
    assert ids(client.get("/v1/evaluaties", params={"periode": str(vandaag().year - 1)}, headers=h)) == [e2]
    assert ids(client.get("/v1/evaluaties", params={"datumVanaf": DATUM}, headers=h)) == [e1]
    assert ids(client.get("/v1/evaluaties", params={"sort": "datum"}, headers=h)) == [e2, e1]
    assert_400(client.get("/v1/evaluaties", params={"periode": "gisteren-ooit"}, headers=h), ["periode"])


def test_a_decision_sent_in_a_patch_gets_its_defaults(client: TestClient, omgeving: Omgeving) -> None:
    """Found by fuzzing: PATCH dropped a decision's unset `status`/`deadline`, and reading it back was a 500."""
    h = omgeving.headers
    e = client.post("/v1/evaluaties", json=body(), headers=h).json()
    response = client.patch(f"/v1/evaluaties/{e['id']}", json={"besluiten": [{"eigenaarRol": "ggd", "tekst": "Cijfers delen"}]}, headers=h)
    assert response.status_code == 200, response.text
    assert [{k: v for k, v in b.items() if k != "id"} for b in response.json()["besluiten"]] == [
        {"tekst": "Cijfers delen", "eigenaarRol": "ggd", "deadline": None, "status": "open"}]
    assert client.get(f"/v1/evaluaties/{e['id']}", headers=h).json()["besluiten"] == response.json()["besluiten"]
