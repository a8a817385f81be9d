"""Kosten: exact money in and out, validation in one pass, tenancy (404), audit, filters, soft delete."""

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.periods import jaar
from app.kosten import service
from app.models import Kosten, Organisatie
from app.toegang.caller import Binding, Caller, Scope
from tests.factories import make_key, make_organisatie, make_sleutelpersoon
from tests.helpers import assert_400, assert_problem, audit_regels
from tests.kosten.maak import make_kosten, make_project


@pytest.fixture
def org_a(session: Session) -> Organisatie:
    return make_organisatie(session, naam="Organisatie A", gemeentecodes=["GM0344"])


@pytest.fixture
def key_a(session: Session, org_a: Organisatie) -> dict[str, str]:
    headers = make_key(session, organisatie=org_a, scopes=("registreren", "inzien"))
    session.commit()
    return headers


def nieuw(**overrides: Any) -> dict[str, Any]:
    return {"soort": "reiskosten", "bedrag": "12.34", "datum": "2026-03-14", **overrides}


def test_create_stores_cents_and_answers_a_string(client: TestClient, session: Session, org_a: Organisatie,
                                                 key_a: dict[str, str]) -> None:
    persoon = make_sleutelpersoon(session, org_a, gemeentecode="GM0363")
    project = make_project(session, org_a)
    session.commit()
    response = client.post("/v1/kosten", headers=key_a, json=nieuw(
        bedrag=0.1, sleutelpersoonId=str(persoon.id), projectId=str(project.id), omschrijving="OV naar het buurthuis"))
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["bedrag"] == "0.10"
    assert body["gemeentecode"] == "GM0363"  # the key person's gemeente by default
    opgeslagen = session.get(Kosten, uuid.UUID(body["id"]))
    assert opgeslagen is not None and opgeslagen.bedrag_centen == 10
    assert [r.actie for r in audit_regels(session, resource_type="kosten", resource_id=body["id"])] == ["aangemaakt"]


def test_a_month_instead_of_a_day(client: TestClient, key_a: dict[str, str]) -> None:
    response = client.post("/v1/kosten", headers=key_a, json=nieuw(datum=None, periode="2026-02", soort="vrijwilligersvergoeding"))
    assert response.status_code == 201, response.text
    assert response.json()["datum"] is None and response.json()["periode"] == "2026-02"
    gewijzigd = client.patch(f"/v1/kosten/{response.json()['id']}", headers=key_a, json={"datum": "2026-02-10"})
    assert (gewijzigd.json()["datum"], gewijzigd.json()["periode"]) == ("2026-02-10", None)


def test_all_errors_at_once_and_nothing_stored(client: TestClient, session: Session, key_a: dict[str, str]) -> None:
    andere = make_organisatie(session, naam="Organisatie B")
    vreemd_project = make_project(session, andere)
    vreemde_persoon = make_sleutelpersoon(session, andere)
    session.commit()
    response = client.post("/v1/kosten", headers=key_a, json=nieuw(
        soort="loterij", periode="2026-02", projectId=str(vreemd_project.id), sleutelpersoonId=str(vreemde_persoon.id)))
    reasons = assert_400(response, ["soort", "datum", "projectId", "sleutelpersoonId"])
    assert "eigen organisatie" in reasons["projectId"]
    # Schema errors and the service's rules in one answer.
    response = client.post("/v1/kosten", headers=key_a, json=nieuw(bedrag="0.001", soort="loterij", periode="2026-13"))
    assert_400(response, ["bedrag", "soort", "periode"])
    assert client.get("/v1/kosten", headers=key_a).json() == []


@pytest.mark.parametrize("bedrag", ["0.001", "0", "-5", "NaN", "Infinity", "10000000000.00", 1.005])
def test_amounts_with_more_than_cents_or_out_of_range_are_refused(client: TestClient, key_a: dict[str, str], bedrag: Any) -> None:
    assert_400(client.post("/v1/kosten", headers=key_a, json=nieuw(bedrag=bedrag)), ["bedrag"])


def test_personal_data_in_the_description_is_refused(client: TestClient, key_a: dict[str, str]) -> None:
    response = client.post("/v1/kosten", headers=key_a, json=nieuw(omschrijving="terugbetalen op NL91ABNA0417164300"))
    reasons = assert_400(response, ["omschrijving"])
    assert "NL91" not in reasons["omschrijving"]


def test_tenancy_filters_and_soft_delete(client: TestClient, session: Session, org_a: Organisatie, key_a: dict[str, str]) -> None:
    andere = make_organisatie(session, naam="Organisatie B")
    key_b = make_key(session, organisatie=andere, scopes=("registreren", "inzien"))
    project = make_project(session, org_a)
    a = make_kosten(session, org_a, project_id=project.id, datum=date(2026, 1, 5))
    make_kosten(session, org_a, soort="telefoon", datum=a.datum.replace(month=2))
    session.commit()
    assert_problem(client.get(f"/v1/kosten/{a.id}", headers=key_b), 404)
    assert client.get("/v1/kosten", headers=key_b).json() == []
    assert [k["id"] for k in client.get(f"/v1/kosten?project={project.id}", headers=key_a).json()] == [str(a.id)]
    assert [k["soort"] for k in client.get("/v1/kosten?soort=telefoon", headers=key_a).json()] == ["telefoon"]
    assert len(client.get("/v1/kosten?periode=2026-01", headers=key_a).json()) == 1
    assert_400(client.get("/v1/kosten?soort=loterij", headers=key_a), ["soort"])
    assert client.delete(f"/v1/kosten/{a.id}", headers=key_a).status_code == 204
    assert_problem(client.get(f"/v1/kosten/{a.id}", headers=key_a), 404)
    assert len(client.get("/v1/kosten", headers=key_a).json()) == 1


def test_kosten_van_sleutelpersoon_is_exact(session: Session, org_a: Organisatie) -> None:
    persoon = make_sleutelpersoon(session, org_a)
    for centen in (10, 20) * 5:
        make_kosten(session, org_a, sleutelpersoon_id=persoon.id, bedrag_centen=centen,
                    soort="reiskosten" if centen == 10 else "telefoon")
    make_kosten(session, org_a, bedrag_centen=99999)  # nobody's
    caller = Caller(sleutel_id=None, scopes=frozenset({Scope.inzien}), binding=Binding.organisatie, organisatie_id=org_a.id)
    overzicht = service.kosten_van_sleutelpersoon(session, caller, persoon.id, jaar(2025))
    assert overzicht.totaal == Decimal("1.50")
    assert overzicht.per_soort == {"reiskosten": Decimal("0.50"), "telefoon": Decimal("1.00")}
    assert len(overzicht.kosten) == 10
    assert overzicht.model_dump(mode="json")["totaal"] == "1.50"
