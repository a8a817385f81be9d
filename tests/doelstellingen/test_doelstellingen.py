"""/v1/doelstellingen: CRUD, all errors at once, the personal-data guard, tenancy, idempotency, audit, filters."""

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.validation import vandaag
from tests.factories import Omgeving, make_ketenpartner, make_key, make_omgeving
from tests.helpers import assert_400, assert_problem, audit_regels

ONBEKEND = "00000000-0000-4000-8000-000000000000"


def body(omgeving: Omgeving, **overrides: Any) -> dict[str, Any]:
    waarden: dict[str, Any] = {
        "titel": "Meer jonge moeders bereiken het consultatiebureau",
        "omschrijving": "Statushouders met jonge kinderen vinden de weg naar de JGZ.",
        "behoefteanalyse": {"datum": (vandaag() - timedelta(days=60)).isoformat(), "tekst": "Gesprekken met de JGZ en de GGD."},
        "beoogdeKetenpartners": [str(omgeving.ketenpartner.id)],
        "vanaf": "2027-01-01",
        "tot": "2027-12-31",
        "status": "actief",
        "indicatoren": ["aantal-hulpvragen", "bereik-inwoners"],
    }
    waarden.update(overrides)
    return {k: v for k, v in waarden.items() if v is not None}


def test_create_read_change_delete(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    h = omgeving.headers
    created = client.post("/v1/doelstellingen", json=body(omgeving), headers=h)
    assert created.status_code == 201, created.text
    d = created.json()
    assert created.headers["Location"] == f"/v1/doelstellingen/{d['id']}"
    assert d["behoefteanalyse"]["tekst"] == "Gesprekken met de JGZ en de GGD."
    assert d["beoogdeKetenpartners"] == [str(omgeving.ketenpartner.id)]
    assert (d["status"], d["indicatoren"], d["tot"]) == ("actief", ["aantal-hulpvragen", "bereik-inwoners"], "2027-12-31")

    got = client.get(f"/v1/doelstellingen/{d['id']}", headers=h)
    assert got.status_code == 200 and got.json() == d
    etag = got.headers["ETag"]
    assert created.headers["ETag"] == etag

    changed = client.patch(f"/v1/doelstellingen/{d['id']}", json={"status": "afgerond", "behoefteanalyse": None},
                           headers={**h, "If-Match": etag})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["status"], changed.json()["behoefteanalyse"]) == ("afgerond", None)
    stale = client.patch(f"/v1/doelstellingen/{d['id']}", json={"titel": "Anders"}, headers={**h, "If-Match": etag})
    assert_problem(stale, 412)
    assert client.get(f"/v1/doelstellingen/{d['id']}", headers=h).json()["titel"] == d["titel"]

    assert client.delete(f"/v1/doelstellingen/{d['id']}", headers=h).status_code == 204
    assert_problem(client.get(f"/v1/doelstellingen/{d['id']}", headers=h), 404)
    assert client.get("/v1/doelstellingen", headers=h).json() == []

    acties = [(r.actie, r.resource_type) for r in audit_regels(session, resource_id=d["id"])]
    assert acties == [("aangemaakt", "doelstelling"), ("gewijzigd", "doelstelling"), ("verwijderd", "doelstelling")]


def test_every_problem_at_once_schema_and_rules_together(client: TestClient, omgeving: Omgeving) -> None:
    # A schema error (status), a rule error (unknown indicator), an unknown partner and a reversed term: one 400.
    response = client.post("/v1/doelstellingen", json=body(
        omgeving, status="gepland", indicatoren=["aantal-hulpvragen", "geluk"], beoogdeKetenpartners=[ONBEKEND],
        vanaf="2027-06-01", tot="2027-01-01",
    ), headers=omgeving.headers)
    redenen = assert_400(response, ["status", "indicatoren[1]", "beoogdeKetenpartners[0]", "tot"])
    assert "geluk" in redenen["indicatoren[1]"]
    # Missing title and a future needs analysis, an unknown field: all named.
    morgen = (vandaag() + timedelta(days=1)).isoformat()
    response = client.post("/v1/doelstellingen", json=body(omgeving, titel=None, behoefteanalyse={"datum": morgen, "tekst": "x"}, naam="Fatima"),
                           headers=omgeving.headers)
    assert_400(response, ["titel", "behoefteanalyse.datum", "naam"])
    # PATCH: rules on the result, all at once.
    d = client.post("/v1/doelstellingen", json=body(omgeving), headers=omgeving.headers).json()
    response = client.patch(f"/v1/doelstellingen/{d['id']}", json={"tot": "2026-01-01", "indicatoren": ["geluk"]}, headers=omgeving.headers)
    assert_400(response, ["tot", "indicatoren[0]"])
    assert_400(client.patch(f"/v1/doelstellingen/{d['id']}", json={"titel": None}, headers=omgeving.headers), ["titel"])


def test_free_text_guard_refuses_personal_data_without_echoing_it(client: TestClient, omgeving: Omgeving) -> None:
    response = client.post("/v1/doelstellingen", json=body(
        omgeving, titel="Bel 0612345678", omschrijving="Mail naar fatima@example.nl",
        behoefteanalyse={"datum": "2026-01-05", "tekst": "Woont op 3511 AB 12"},
    ), headers=omgeving.headers)
    assert_400(response, ["titel", "omschrijving", "behoefteanalyse.tekst"])
    for waarde in ("0612345678", "fatima@example.nl", "3511 AB"):
        assert waarde not in response.text
    d = client.post("/v1/doelstellingen", json=body(omgeving), headers=omgeving.headers).json()
    assert_400(client.patch(f"/v1/doelstellingen/{d['id']}", json={"omschrijving": "BSN 111222333"}, headers=omgeving.headers), ["omschrijving"])


def test_another_organisations_partner_and_goal_are_unknown(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    ander = make_omgeving(session, naam="Andere organisatie")
    # Their partner is as unknown as no partner at all.
    response = client.post("/v1/doelstellingen", json=body(omgeving, beoogdeKetenpartners=[str(ander.ketenpartner.id)]),
                           headers=omgeving.headers)
    redenen = assert_400(response, ["beoogdeKetenpartners[0]"])
    assert "eigen organisatie" in redenen["beoogdeKetenpartners[0]"]
    # Their goal answers 404 on every route, and never shows in our list.
    hun = client.post("/v1/doelstellingen", json=body(ander), headers=ander.headers).json()
    for methode, extra in (("get", {}), ("patch", {"json": {"status": "afgerond"}}), ("delete", {})):
        assert_problem(getattr(client, methode)(f"/v1/doelstellingen/{hun['id']}", headers=omgeving.headers, **extra), 404)
    assert client.get("/v1/doelstellingen", headers=omgeving.headers).json() == []
    assert client.get(f"/v1/doelstellingen/{hun['id']}", headers=ander.headers).json()["status"] == "actief"


def test_extern_id_makes_a_retry_safe(client: TestClient, omgeving: Omgeving) -> None:
    h = omgeving.headers
    eerste = client.post("/v1/doelstellingen", json=body(omgeving, externId="plan-2027-1"), headers=h)
    assert eerste.status_code == 201
    nog_eens = client.post("/v1/doelstellingen", json=body(omgeving, externId="plan-2027-1"), headers=h)
    assert nog_eens.status_code == 200 and nog_eens.json()["id"] == eerste.json()["id"]
    anders = client.post("/v1/doelstellingen", json=body(omgeving, externId="plan-2027-1", titel="Iets anders"), headers=h)
    assert assert_problem(anders, 409)["bestaandId"] == eerste.json()["id"]
    assert len(client.get("/v1/doelstellingen", headers=h).json()) == 1


def test_filters_status_and_period_overlap(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    h = omgeving.headers
    maak = lambda **o: client.post("/v1/doelstellingen", json=body(omgeving, **o), headers=h).json()["id"]
    a = maak(titel="2026", vanaf="2026-01-01", tot="2026-12-31", status="afgerond")
    b = maak(titel="2027", vanaf="2027-01-01", tot="2027-12-31")
    c = maak(titel="Doorlopend", vanaf="2026-07-01", tot=None, status="concept")
    ids = lambda r: sorted(x["id"] for x in r.json())
    assert ids(client.get("/v1/doelstellingen", params={"periode": "2026"}, headers=h)) == sorted([a, c])
    assert ids(client.get("/v1/doelstellingen", params={"periode": "2027Q2"}, headers=h)) == sorted([b, c])
    assert ids(client.get("/v1/doelstellingen", params={"datumVanaf": "2026-12-01", "datumTot": "2027-01-31"}, headers=h)) == sorted([a, b, c])
    assert ids(client.get("/v1/doelstellingen", params={"status": "actief"}, headers=h)) == [b]
    # Default order: latest start first; pagination headers like every list.
    lijst = client.get("/v1/doelstellingen", params={"pageSize": 2}, headers=h)
    assert [x["id"] for x in lijst.json()] == [b, c] and lijst.headers["X-Total-Count"] == "3"
    assert [x["titel"] for x in client.get("/v1/doelstellingen", params={"sort": "titel"}, headers=h).json()] == ["2026", "2027", "Doorlopend"]
    assert_400(client.get("/v1/doelstellingen", params={"periode": "2026", "datumVanaf": "2026-01-01"}, headers=h), ["periode"])
    assert_400(client.get("/v1/doelstellingen", params={"datumVanaf": "2027-01-01", "datumTot": "2026-01-01"}, headers=h), ["datumTot"])
    assert_400(client.get("/v1/doelstellingen", params={"status": "gepland"}, headers=h), ["status"])


def test_inactive_partner_already_linked_does_not_block_a_change(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    partner = make_ketenpartner(session, omgeving.organisatie, naam="Buurthuis")
    d = client.post("/v1/doelstellingen", json=body(omgeving, beoogdeKetenpartners=[str(partner.id)]), headers=omgeving.headers).json()
    response = client.patch(f"/v1/doelstellingen/{d['id']}", json={"beoogdeKetenpartners": [str(partner.id), str(omgeving.ketenpartner.id)]},
                            headers=omgeving.headers)
    assert response.status_code == 200, response.text


def test_read_only_key_reads_but_does_not_write(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    lezer = make_key(session, organisatie=omgeving.organisatie, scopes=("inzien",), naam="lezer")
    assert client.get("/v1/doelstellingen", headers=lezer).status_code == 200
    assert_problem(client.post("/v1/doelstellingen", json=body(omgeving), headers=lezer), 403)
