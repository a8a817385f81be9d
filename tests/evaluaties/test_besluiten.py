"""/v1/besluiten: the decisions of all evaluations as one list (filters, overdue, paging), PATCH of the status
(audited, ETag), tenancy, and ids that survive a PATCH of the evaluation's list."""

import uuid
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.core.validation import vandaag
from app.models import Besluit
from tests.evaluaties.test_evaluaties import body, doelstelling
from tests.factories import Omgeving, make_omgeving
from tests.helpers import assert_400, assert_problem, audit_regels

GISTEREN = (vandaag() - timedelta(days=1)).isoformat()
VOLGENDE_MAAND = (vandaag() + timedelta(days=30)).isoformat()
VOLGEND_JAAR = (vandaag() + timedelta(days=365)).isoformat()


def besluit(tekst: str, rol: str, deadline: str | None, status: str = "open") -> dict[str, Any]:
    return {"tekst": tekst, "eigenaarRol": rol, "deadline": deadline, "status": status}


def evaluaties(client: TestClient, omgeving: Omgeving) -> tuple[dict[str, Any], dict[str, Any], str]:
    doel = doelstelling(client, omgeving)
    a = client.post("/v1/evaluaties", json=body(doelstellingen=[doel], besluiten=[
        besluit("Tolk regelen", "coordinator", GISTEREN),                      # overdue
        besluit("Folder vertalen", "ketenpartners", GISTEREN, "afgerond"),      # past, but done: not overdue
        besluit("Spreekuur bij de GGD", "ggd", VOLGENDE_MAAND, "bezig"),
    ]), headers=omgeving.headers)
    b = client.post("/v1/evaluaties", json=body(besluiten=[
        besluit("Evalueren met de gemeente", "gemeente", VOLGEND_JAAR), besluit("Zonder deadline", "coordinator", None)]),
        headers=omgeving.headers)
    assert a.status_code == 201 and b.status_code == 201, (a.text, b.text)
    return a.json(), b.json(), doel


def teksten(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [b["tekst"] for b in response.json()]


def test_list_filters_overdue_and_paging(client: TestClient, omgeving: Omgeving) -> None:
    h = omgeving.headers
    a, b, doel = evaluaties(client, omgeving)
    alle = client.get("/v1/besluiten", headers=h)
    # By deadline, decisions without one last.
    assert teksten(alle) == ["Tolk regelen", "Folder vertalen", "Spreekuur bij de GGD", "Evalueren met de gemeente", "Zonder deadline"]
    eerste = alle.json()[0]
    assert eerste["evaluatieId"] == a["id"] and eerste["doelstellingen"] == [doel] and eerste["teLaat"] is True
    assert eerste["id"] == a["besluiten"][0]["id"] and eerste["evaluatieDatum"] == a["datum"]
    assert teksten(client.get("/v1/besluiten", params={"teLaat": "true"}, headers=h)) == ["Tolk regelen"]
    assert "Tolk regelen" not in teksten(client.get("/v1/besluiten", params={"teLaat": "false"}, headers=h))
    assert len(teksten(client.get("/v1/besluiten", params={"teLaat": "false"}, headers=h))) == 4
    assert teksten(client.get("/v1/besluiten", params={"status": "bezig"}, headers=h)) == ["Spreekuur bij de GGD"]
    assert teksten(client.get("/v1/besluiten", params={"eigenaarRol": "coordinator"}, headers=h)) == ["Tolk regelen", "Zonder deadline"]
    assert teksten(client.get("/v1/besluiten", params={"deadlineVanaf": vandaag().isoformat()}, headers=h)) == [
        "Spreekuur bij de GGD", "Evalueren met de gemeente"]
    assert teksten(client.get("/v1/besluiten", params={"deadlineTot": VOLGENDE_MAAND}, headers=h)) == [
        "Tolk regelen", "Folder vertalen", "Spreekuur bij de GGD"]
    assert teksten(client.get("/v1/besluiten", params={"evaluatie": b["id"]}, headers=h)) == ["Evalueren met de gemeente", "Zonder deadline"]
    assert len(teksten(client.get("/v1/besluiten", params={"doelstelling": doel}, headers=h))) == 3
    assert teksten(client.get("/v1/besluiten", params={"sort": "-deadline"}, headers=h))[:1] == ["Evalueren met de gemeente"]
    pagina = client.get("/v1/besluiten", params={"pageSize": 2, "page": 2}, headers=h)
    assert teksten(pagina) == ["Spreekuur bij de GGD", "Evalueren met de gemeente"]
    problemen = client.get("/v1/besluiten", params={"status": "klaar", "eigenaarRol": "wethouder", "deadlineVanaf": VOLGEND_JAAR,
                                                     "deadlineTot": GISTEREN}, headers=h)
    body_ = assert_problem(problemen, 400)
    assert {p["name"] for p in body_["invalidParams"]} >= {"status", "eigenaarRol"}


def test_patch_changes_the_status_audited_with_etag(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    h = omgeving.headers
    a, _, _ = evaluaties(client, omgeving)
    besluit_id = a["besluiten"][0]["id"]
    gelezen = client.get(f"/v1/besluiten/{besluit_id}", headers=h)
    assert gelezen.status_code == 200 and gelezen.json()["status"] == "open"
    etag_evaluatie = client.get(f"/v1/evaluaties/{a['id']}", headers=h).headers["ETag"]
    gewijzigd = client.patch(f"/v1/besluiten/{besluit_id}", json={"status": "afgerond"}, headers={**h, "If-Match": gelezen.headers["ETag"]})
    assert gewijzigd.status_code == 200, gewijzigd.text
    assert gewijzigd.json()["status"] == "afgerond" and gewijzigd.json()["teLaat"] is False
    # The evaluation shows the new status, keeps the id, and its ETag moved.
    evaluatie = client.get(f"/v1/evaluaties/{a['id']}", headers=h)
    assert evaluatie.json()["besluiten"][0] == {**a["besluiten"][0], "status": "afgerond"}
    assert evaluatie.headers["ETag"] != etag_evaluatie
    # A stale ETag is refused; the same status again writes nothing.
    assert_problem(client.patch(f"/v1/besluiten/{besluit_id}", json={"status": "bezig"},
                                headers={**h, "If-Match": gelezen.headers["ETag"]}), 412)
    assert client.patch(f"/v1/besluiten/{besluit_id}", json={"status": "afgerond"}, headers=h).status_code == 200
    regels = audit_regels(session, resource_id=besluit_id)
    assert [(r.actie, r.resource_type) for r in regels] == [("gewijzigd", "besluit")]
    assert client.get("/v1/besluiten", params={"teLaat": "true"}, headers=h).json() == []
    assert_400(client.patch(f"/v1/besluiten/{besluit_id}", json={"status": "klaar", "tekst": "anders"}, headers=h), ["status", "tekst"])
    assert_400(client.patch(f"/v1/besluiten/{besluit_id}", json={"status": None}, headers=h), ["status"])


def test_another_organisations_decisions_are_404_and_absent(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    ander = make_omgeving(session, naam="Andere organisatie")
    hun, _, _ = evaluaties(client, ander)
    hun_id = hun["besluiten"][0]["id"]
    for methode, extra in (("get", {}), ("patch", {"json": {"status": "afgerond"}})):
        assert_problem(getattr(client, methode)(f"/v1/besluiten/{hun_id}", headers=omgeving.headers, **extra), 404)
    assert client.get("/v1/besluiten", headers=omgeving.headers).json() == []
    assert client.get("/v1/besluiten", params={"evaluatie": hun["id"]}, headers=omgeving.headers).json() == []
    # Their decision is untouched.
    assert client.get(f"/v1/besluiten/{hun_id}", headers=ander.headers).json()["status"] == "open"


def test_a_list_sent_to_the_evaluation_keeps_ids_and_refuses_strange_ones(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    h = omgeving.headers
    a, b, _ = evaluaties(client, omgeving)
    ids = [x["id"] for x in a["besluiten"]]
    # Without ids: the same content keeps its id, a new decision gets a new one, a dropped one is gone.
    nieuw = [besluit("Spreekuur bij de GGD", "ggd", VOLGENDE_MAAND, "afgerond"), besluit("Nieuw besluit", "coordinator", None)]
    r = client.patch(f"/v1/evaluaties/{a['id']}", json={"besluiten": nieuw}, headers=h)
    assert r.status_code == 200, r.text
    assert r.json()["besluiten"][0]["id"] == ids[2] and r.json()["besluiten"][1]["id"] not in ids
    assert_problem(client.get(f"/v1/besluiten/{ids[0]}", headers=h), 404)
    # With an id: its text may change and it stays the same decision.
    mee = [{**r.json()["besluiten"][0], "tekst": "Spreekuur bij de GGD, ook op zaterdag"}]
    r2 = client.patch(f"/v1/evaluaties/{a['id']}", json={"besluiten": mee}, headers=h)
    assert r2.status_code == 200 and r2.json()["besluiten"][0]["id"] == ids[2], r2.text
    # Another evaluation's decision id, or an id twice, is refused with the place named.
    vreemd = b["besluiten"][0]
    assert_400(client.patch(f"/v1/evaluaties/{a['id']}", json={"besluiten": [vreemd, mee[0], mee[0]]}, headers=h),
               ["besluiten[0].id", "besluiten[2].id"])
    assert_400(client.post("/v1/evaluaties", json=body(besluiten=[vreemd]), headers=h), ["besluiten[0].id"])
    # Deleting the evaluation removes its decisions.
    assert client.delete(f"/v1/evaluaties/{a['id']}", headers=h).status_code == 204
    assert session.exec(select(Besluit).where(Besluit.evaluatie_id == uuid.UUID(a["id"]))).all() == []
