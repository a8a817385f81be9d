"""Projecten: CRUD, validation in one pass, tenancy (404), audit, filters, deletion only when unused."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Organisatie
from tests.factories import make_contactmoment, make_key, make_organisatie, make_sleutelpersoon
from tests.helpers import assert_400, assert_problem, audit_regels
from tests.kosten.maak import make_kosten, make_project

NIEUW: dict[str, Any] = {
    "naam": "Kansrijke Start Utrecht", "financier": {"gemeentecode": "GM0344"}, "regeling": "kansrijke-start",
    "vanaf": "2026-01-01", "tot": "2026-12-31", "begroting": "25000.50",
}


@pytest.fixture
def org_a(session: Session) -> Organisatie:
    return make_organisatie(session, naam="Organisatie A", gemeentecodes=["GM0344"])


@pytest.fixture
def key_a(session: Session, org_a: Organisatie) -> dict[str, str]:
    headers = make_key(session, organisatie=org_a, scopes=("registreren", "inzien"))
    session.commit()
    return headers


@pytest.fixture
def key_b(session: Session) -> dict[str, str]:
    headers = make_key(session, organisatie=make_organisatie(session, naam="Organisatie B"), scopes=("registreren", "inzien"))
    session.commit()
    return headers


def test_create_read_update_and_audit(client: TestClient, session: Session, key_a: dict[str, str]) -> None:
    response = client.post("/v1/projecten", headers=key_a, json=NIEUW)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["begroting"] == "25000.50"
    assert body["financier"] == {"gemeentecode": "GM0344", "naam": None}
    assert response.headers["Location"].endswith(f"/v1/projecten/{body['id']}")
    assert client.get(f"/v1/projecten/{body['id']}", headers=key_a).json() == body
    gewijzigd = client.patch(f"/v1/projecten/{body['id']}", headers=key_a,
                             json={"financier": {"naam": "ZonMw"}, "regeling": "zonmw", "begroting": 1000.1})
    assert gewijzigd.status_code == 200, gewijzigd.text
    assert gewijzigd.json()["financier"] == {"gemeentecode": None, "naam": "ZonMw"}
    assert gewijzigd.json()["begroting"] == "1000.10"
    acties = [r.actie for r in audit_regels(session, resource_type="project", resource_id=body["id"])]
    assert acties == ["aangemaakt", "gewijzigd"]


def test_all_errors_at_once(client: TestClient, key_a: dict[str, str]) -> None:
    response = client.post("/v1/projecten", headers=key_a, json={
        **NIEUW, "regeling": "loterij", "vanaf": "2026-06-01", "tot": "2026-01-01",
    })
    reasons = assert_400(response, ["regeling", "tot"])
    assert "loterij" in reasons["regeling"]
    # Schema errors and the service's rules in one answer.
    response = client.post("/v1/projecten", headers=key_a, json={
        **NIEUW, "financier": {}, "begroting": "1.001", "regeling": "loterij", "vanaf": "2026-06-01", "tot": "2026-01-01",
    })
    assert_400(response, ["financier", "begroting", "regeling", "tot"])


@pytest.mark.parametrize("financier", [{}, {"gemeentecode": "GM0344", "naam": "ZonMw"}])
def test_financier_is_exactly_one(client: TestClient, key_a: dict[str, str], financier: dict[str, str]) -> None:
    response = client.post("/v1/projecten", headers=key_a, json={**NIEUW, "financier": financier})
    assert_problem(response, 400)


@pytest.mark.parametrize("begroting", ["12.345", "-1", "NaN", "1e20", "abc"])
def test_money_is_refused_with_more_than_cents_or_out_of_range(client: TestClient, key_a: dict[str, str], begroting: str) -> None:
    response = client.post("/v1/projecten", headers=key_a, json={**NIEUW, "begroting": begroting})
    assert_400(response, ["begroting"])


def test_another_organisations_project_is_404(client: TestClient, session: Session, key_a: dict[str, str],
                                              key_b: dict[str, str]) -> None:
    project_id = client.post("/v1/projecten", headers=key_a, json=NIEUW).json()["id"]
    for method in ("get", "patch", "delete"):
        kwargs: dict[str, Any] = {"json": {"naam": "x"}} if method == "patch" else {}
        response = getattr(client, method)(f"/v1/projecten/{project_id}", headers=key_b, **kwargs)
        assert_problem(response, 404)
    assert client.get("/v1/projecten", headers=key_b).json() == []


def test_list_filters_and_pagination(client: TestClient, session: Session, org_a: Organisatie, key_a: dict[str, str]) -> None:
    make_project(session, org_a, naam="B sociaal", regeling="sociaal-domein")
    make_project(session, org_a, naam="A kansrijk", regeling="kansrijke-start", financier_gemeentecode=None,
                 financier_naam="Fonds", tot=None)
    session.commit()
    alle = client.get("/v1/projecten", headers=key_a).json()
    assert [p["naam"] for p in alle] == ["A kansrijk", "B sociaal"]
    assert [p["naam"] for p in client.get("/v1/projecten?regeling=sociaal-domein", headers=key_a).json()] == ["B sociaal"]
    assert [p["naam"] for p in client.get("/v1/projecten?gemeente=GM0344", headers=key_a).json()] == ["B sociaal"]
    assert [p["naam"] for p in client.get("/v1/projecten?lopendOp=2027-06-01", headers=key_a).json()] == ["A kansrijk"]
    eerste = client.get("/v1/projecten?pageSize=1", headers=key_a)
    assert [p["naam"] for p in eerste.json()] == ["A kansrijk"]
    assert_400(client.get("/v1/projecten?regeling=loterij", headers=key_a), ["regeling"])


def test_delete_only_when_nothing_is_charged(client: TestClient, session: Session, org_a: Organisatie,
                                            key_a: dict[str, str]) -> None:
    leeg = make_project(session, org_a)
    gebruikt = make_project(session, org_a)
    make_kosten(session, org_a, project_id=gebruikt.id)
    met_contact = make_project(session, org_a)
    contact = make_contactmoment(session, org_a, make_sleutelpersoon(session, org_a))
    contact.project_id = met_contact.id
    session.add(contact)
    session.commit()
    leeg_id = leeg.id
    assert client.delete(f"/v1/projecten/{leeg_id}", headers=key_a).status_code == 204
    assert_problem(client.get(f"/v1/projecten/{leeg_id}", headers=key_a), 404)
    assert_problem(client.delete(f"/v1/projecten/{gebruikt.id}", headers=key_a), 409)
    assert_problem(client.delete(f"/v1/projecten/{met_contact.id}", headers=key_a), 409)


def test_besteding_is_exact_against_budget(client: TestClient, session: Session, org_a: Organisatie,
                                          key_a: dict[str, str]) -> None:
    project = make_project(session, org_a, begroting_centen=300)
    for _ in range(10):  # ten times 0.10 + 0.20: floats give 2.9999999999999996
        make_kosten(session, org_a, project_id=project.id, bedrag_centen=10)
        make_kosten(session, org_a, project_id=project.id, bedrag_centen=20)
    session.commit()
    body = client.get(f"/v1/projecten/{project.id}/besteding", headers=key_a).json()
    assert body == {"projectId": str(project.id), "besteed": "3.00", "begroting": "3.00", "percentage": 100.0}
    assert sum([0.10, 0.20] * 10) != 3.0  # the float sum this test guards against
