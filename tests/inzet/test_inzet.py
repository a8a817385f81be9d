"""/v1/inzet: hours per key person per day: validation, the 24-hour day rule, idempotency, tenancy, audit, ETags."""

from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.validation import vandaag
from tests.factories import Omgeving, make_key, make_sleutelpersoon
from tests.helpers import assert_400, assert_problem, audit_regels

DAG = (vandaag() - timedelta(days=3)).isoformat()


def body(omgeving: Omgeving, **overrides: Any) -> dict[str, Any]:
    waarden: dict[str, Any] = {"sleutelpersoonId": str(omgeving.sleutelpersoon.id), "datum": DAG, "uren": 2.5, "soort": "contacten"}
    waarden.update(overrides)
    return {k: v for k, v in waarden.items() if v is not None}


def test_create_read_correct_delete(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    h = omgeving.headers
    created = client.post("/v1/inzet", json=body(omgeving, toelichting="Spreekuur in het buurthuis"), headers=h)
    assert created.status_code == 201, created.text
    inzet = created.json()
    assert created.headers["Location"] == f"/v1/inzet/{inzet['id']}"
    assert (inzet["uren"], inzet["soort"], inzet["datum"]) == (2.5, "contacten", DAG)
    # The gemeente defaults to the key person's.
    assert inzet["gemeentecode"] == omgeving.sleutelpersoon.gemeentecode == "GM0344"

    got = client.get(f"/v1/inzet/{inzet['id']}", headers=h)
    assert got.status_code == 200 and got.json() == inzet
    etag = got.headers["ETag"]
    assert created.headers["ETag"] == etag

    changed = client.patch(f"/v1/inzet/{inzet['id']}", json={"uren": 3.75, "soort": "overleg"}, headers={**h, "If-Match": etag})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["uren"], changed.json()["soort"]) == (3.75, "overleg")
    # The old version is stale now: 412, nothing stored.
    stale = client.patch(f"/v1/inzet/{inzet['id']}", json={"uren": 1}, headers={**h, "If-Match": etag})
    assert_problem(stale, 412)
    assert client.get(f"/v1/inzet/{inzet['id']}", headers=h).json()["uren"] == 3.75

    assert client.delete(f"/v1/inzet/{inzet['id']}", headers=h).status_code == 204
    assert_problem(client.get(f"/v1/inzet/{inzet['id']}", headers=h), 404)
    assert client.get("/v1/inzet", headers=h).json() == []

    acties = [(r.actie, r.resource_type) for r in audit_regels(session, resource_id=inzet["id"])]
    assert acties == [("aangemaakt", "inzet"), ("gewijzigd", "inzet"), ("verwijderd", "inzet")]


def test_invalid_input_lists_every_problem(client: TestClient, omgeving: Omgeving) -> None:
    morgen = (vandaag() + timedelta(days=1)).isoformat()
    response = client.post("/v1/inzet", json=body(omgeving, uren=1.1, datum=morgen, soort="slapen"), headers=omgeving.headers)
    redenen = assert_400(response, ["uren", "datum"])  # schema errors first; code-list errors need a valid schema
    assert "0.25" in redenen["uren"]
    response = client.post("/v1/inzet", json=body(omgeving, soort="slapen", sleutelpersoonId="00000000-0000-4000-8000-000000000000"),
                           headers=omgeving.headers)
    assert_400(response, ["soort", "sleutelpersoonId"])
    for uren in (0, -1, 24.25):
        assert_400(client.post("/v1/inzet", json=body(omgeving, uren=uren), headers=omgeving.headers), ["uren"])


def test_free_text_guard_refuses_personal_data_without_echoing_it(client: TestClient, omgeving: Omgeving) -> None:
    response = client.post("/v1/inzet", json=body(omgeving, toelichting="Gebeld met 0612345678"), headers=omgeving.headers)
    assert_400(response, ["toelichting"])
    assert "0612345678" not in response.text


def test_more_than_24_hours_a_day_is_refused_naming_the_day(client: TestClient, omgeving: Omgeving) -> None:
    h = omgeving.headers
    assert client.post("/v1/inzet", json=body(omgeving, uren=16), headers=h).status_code == 201
    eerste = client.post("/v1/inzet", json=body(omgeving, uren=7.5, soort="reizen"), headers=h)
    assert eerste.status_code == 201
    te_veel = client.post("/v1/inzet", json=body(omgeving, uren=0.75, soort="overig"), headers=h)
    redenen = assert_400(te_veel, ["uren"])
    assert DAG in redenen["uren"] and "0,5 uur" in redenen["uren"], redenen
    # Exactly 24 is allowed; another day is another total.
    assert client.post("/v1/inzet", json=body(omgeving, uren=0.5, soort="overig"), headers=h).status_code == 201
    ander = (date.fromisoformat(DAG) - timedelta(days=1)).isoformat()
    assert client.post("/v1/inzet", json=body(omgeving, uren=8, datum=ander), headers=h).status_code == 201
    # A correction counts without its own old value, and a move to a full day is refused.
    inzet_id = eerste.json()["id"]
    assert client.patch(f"/v1/inzet/{inzet_id}", json={"uren": 7}, headers=h).status_code == 200
    assert_400(client.patch(f"/v1/inzet/{inzet_id}", json={"uren": 8.25}, headers=h), ["uren"])
    assert client.patch(f"/v1/inzet/{inzet_id}", json={"datum": ander}, headers=h).status_code == 200
    # Moved: 15 hours on the other day, 16.5 left on the first.
    assert_400(client.post("/v1/inzet", json=body(omgeving, uren=9.25, datum=ander), headers=h), ["uren"])
    assert client.post("/v1/inzet", json=body(omgeving, uren=7.5), headers=h).status_code == 201
    # A deleted record no longer counts.
    assert client.delete(f"/v1/inzet/{inzet_id}", headers=h).status_code == 204
    assert client.post("/v1/inzet", json=body(omgeving, uren=16, datum=ander), headers=h).status_code == 201


def test_extern_id_makes_a_retry_safe(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    h = omgeving.headers
    eerste = client.post("/v1/inzet", json=body(omgeving, externId="app-uren-1"), headers=h)
    assert eerste.status_code == 201
    opnieuw = client.post("/v1/inzet", json=body(omgeving, externId="app-uren-1"), headers=h)
    assert opnieuw.status_code == 200 and opnieuw.json()["id"] == eerste.json()["id"]
    # A retry does not count twice toward the day either.
    assert client.get("/v1/inzet", headers=h).headers["X-Total-Count"] == "1"
    anders = client.post("/v1/inzet", json=body(omgeving, externId="app-uren-1", uren=3), headers=h)
    assert assert_problem(anders, 409)["bestaandId"] == eerste.json()["id"]
    assert client.delete(f"/v1/inzet/{eerste.json()['id']}", headers=h).status_code == 204
    assert_problem(client.post("/v1/inzet", json=body(omgeving, externId="app-uren-1"), headers=h), 409)
    assert len(audit_regels(session, resource_type="inzet", actie="aangemaakt")) == 1


def test_list_filters_paging_and_sorting(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    h = omgeving.headers
    collega = make_sleutelpersoon(session, omgeving.organisatie)
    session.commit()
    dagen = [(vandaag().replace(day=1) - timedelta(days=n)) for n in (1, 2, 40)]
    for i, dag in enumerate(dagen):
        assert client.post("/v1/inzet", json=body(omgeving, datum=dag.isoformat(), uren=i + 1), headers=h).status_code == 201
    assert client.post("/v1/inzet", json=body(omgeving, sleutelpersoonId=str(collega.id), soort="training"), headers=h).status_code == 201

    alles = client.get("/v1/inzet", params={"pageSize": 2}, headers=h)
    assert alles.headers["X-Total-Count"] == "4" and len(alles.json()) == 2 and 'rel="next"' in alles.headers["Link"]
    eigen = client.get("/v1/inzet", params={"sleutelpersoon": str(omgeving.sleutelpersoon.id), "sort": "uren"}, headers=h).json()
    assert [i["uren"] for i in eigen] == [1, 2, 3]
    vorige_maand = f"{dagen[0].year}-{dagen[0].month:02d}"
    in_maand = client.get("/v1/inzet", params={"periode": vorige_maand}, headers=h).json()
    assert sorted(i["datum"] for i in in_maand) == sorted({d.isoformat() for d in dagen[:2] if d.month == dagen[0].month})
    bereik = client.get("/v1/inzet", params={"datumVanaf": dagen[1].isoformat(), "datumTot": dagen[0].isoformat()}, headers=h).json()
    assert sorted(i["datum"] for i in bereik) == sorted([dagen[0].isoformat(), dagen[1].isoformat()])
    assert [i["soort"] for i in client.get("/v1/inzet", params={"soort": "training"}, headers=h).json()] == ["training"]
    assert_400(client.get("/v1/inzet", params={"soort": "slapen", "datumVanaf": "2026-02-01", "datumTot": "2026-01-01"}, headers=h),
               ["soort", "datumTot"])
    assert_400(client.get("/v1/inzet", params={"periode": "gisteren"}, headers=h), ["periode"])
    assert_400(client.get("/v1/inzet", params={"sort": "naam"}, headers=h), ["sort"])


def test_another_organisations_hours_are_404_and_its_key_person_unknown(
    client: TestClient, omgeving: Omgeving, andere: Omgeving
) -> None:
    van_b = client.post("/v1/inzet", json=body(andere), headers=andere.headers).json()
    for methode, extra in (("GET", {}), ("PATCH", {"json": {"uren": 1}}), ("DELETE", {})):
        assert_problem(client.request(methode, f"/v1/inzet/{van_b['id']}", headers=omgeving.headers, **extra), 404)
    assert client.get("/v1/inzet", headers=omgeving.headers).json() == []
    # Naming B's key person is "unknown", as an id that does not exist.
    assert_400(client.post("/v1/inzet", json=body(andere), headers=omgeving.headers), ["sleutelpersoonId"])
    # The same externId in two organisations is two records.
    a = client.post("/v1/inzet", json=body(omgeving, externId="gedeeld-1"), headers=omgeving.headers)
    b = client.post("/v1/inzet", json=body(andere, externId="gedeeld-1"), headers=andere.headers)
    assert (a.status_code, b.status_code) == (201, 201)


def test_a_read_key_cannot_write(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    lezen = make_key(session, organisatie=omgeving.organisatie, scopes=("inzien",))
    session.commit()
    assert_problem(client.post("/v1/inzet", json=body(omgeving), headers=lezen), 403)
    assert client.get("/v1/inzet", headers=lezen).status_code == 200


def test_hours_against_contract_hours_per_month(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    persoon = omgeving.sleutelpersoon
    persoon.uren_per_week = 8
    zonder = make_sleutelpersoon(session, omgeving.organisatie, weergavenaam="Zonder contract", uren_per_week=None)
    session.add(persoon)
    session.commit()
    h = omgeving.headers
    for dag, uren, soort in ((1, 4, "contacten"), (2, 2.5, "overleg"), (3, 1.5, "contacten")):
        assert client.post("/v1/inzet", json=body(omgeving, datum=f"2026-11-{dag:02d}", uren=uren, soort=soort), headers=h).status_code == 201
    assert client.post("/v1/inzet", json=body(omgeving, datum="2026-10-31", uren=9), headers=h).status_code == 201

    rijen = client.get("/v1/inzet/per-maand", params={"maand": "2026-11"}, headers=h)
    assert rijen.status_code == 200, rijen.text
    per_persoon = {r["sleutelpersoonId"]: r for r in rijen.json()}
    rij = per_persoon[str(persoon.id)]
    # November has 30 days: 8 × 30 / 7 = 34.29 hours, 34.25 to the quarter hour.
    assert (rij["uren"], rij["contracturen"], rij["percentage"]) == (8.0, 34.25, 23.4)
    assert rij["urenPerSoort"] == {"contacten": 5.5, "overleg": 2.5}
    leeg = per_persoon[str(zonder.id)]
    assert (leeg["uren"], leeg["contracturen"], leeg["percentage"]) == (0, None, None)
    assert_400(client.get("/v1/inzet/per-maand", params={"maand": "2026-13"}, headers=h), ["maand"])
