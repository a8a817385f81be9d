"""A key person's device (issue 23) on the new routes: its own hours and referrals only; a colleague's are 404."""

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.validation import vandaag
from tests.apparaten.helpers import als_apparaat, apparaat_cookie
from tests.factories import Omgeving, body, make_sleutelpersoon
from tests.helpers import assert_400, assert_problem

DAG = (vandaag() - timedelta(days=1)).isoformat()


def _uren(persoon_id: Any, **extra: Any) -> dict[str, Any]:
    return {"sleutelpersoonId": str(persoon_id), "datum": DAG, "uren": 1.5, "soort": "contacten", **extra}


def test_a_device_records_and_reads_its_own_hours_and_not_a_colleagues(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    ik, collega = omgeving.sleutelpersoon, make_sleutelpersoon(session, omgeving.organisatie)
    ik.uren_per_week = 6
    session.add(ik)
    telefoon = als_apparaat(apparaat_cookie(session, ik.id))
    session.commit()

    eigen = client.post("/v1/inzet", json=_uren(ik.id, externId="telefoon-uren-1"), headers=telefoon)
    assert eigen.status_code == 201, eigen.text
    assert client.get(f"/v1/inzet/{eigen.json()['id']}", headers=telefoon).json()["uren"] == 1.5
    van_collega = client.post("/v1/inzet", json=_uren(collega.id, uren=3), headers=omgeving.headers)
    assert van_collega.status_code == 201

    # The list, the month and every single route show the device its own hours only.
    assert [i["id"] for i in client.get("/v1/inzet", headers=telefoon).json()] == [eigen.json()["id"]]
    maand = client.get("/v1/inzet/per-maand", params={"maand": DAG[:7]}, headers=telefoon).json()
    assert [(m["sleutelpersoonId"], m["uren"]) for m in maand] == [(str(ik.id), 1.5)]
    url = f"/v1/inzet/{van_collega.json()['id']}"
    for methode, extra in (("GET", {}), ("PATCH", {"json": {"uren": 1}}), ("DELETE", {})):
        assert_problem(client.request(methode, url, headers=telefoon, **extra), 404)
    # A colleague's key person is unknown to the device, as another organisation's is.
    assert_400(client.post("/v1/inzet", json=_uren(collega.id), headers=telefoon), ["sleutelpersoonId"])
    # An externId a colleague's record holds is taken, without naming that record.
    client.post("/v1/inzet", json=_uren(collega.id, externId="gedeeld-id", uren=1), headers=omgeving.headers)
    conflict = assert_problem(client.post("/v1/inzet", json=_uren(ik.id, externId="gedeeld-id"), headers=telefoon), 409)
    assert "bestaandId" not in conflict
    # The device corrects and deletes its own.
    assert client.patch(f"/v1/inzet/{eigen.json()['id']}", json={"uren": 2}, headers=telefoon).status_code == 200
    assert client.delete(f"/v1/inzet/{eigen.json()['id']}", headers=telefoon).status_code == 204


def test_a_device_adds_a_referral_to_its_own_contact_only(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    ik, collega = omgeving.sleutelpersoon, make_sleutelpersoon(session, omgeving.organisatie)
    telefoon = als_apparaat(apparaat_cookie(session, ik.id))
    session.commit()
    eigen = client.post("/v1/contactmomenten", json=body(omgeving, doorverwijzingen=[]), headers=telefoon)
    assert eigen.status_code == 201, eigen.text
    van_collega = client.post("/v1/contactmomenten", json=body(omgeving, sleutelpersoonId=str(collega.id), doorverwijzingen=[]),
                              headers=omgeving.headers)
    verwijzing = {"ketenpartnerId": str(omgeving.ketenpartner.id), "onderwerp": "geld.toeslagen", "wijze": "warm",
                  "externId": "telefoon-verwijzing-1"}
    toegevoegd = client.post(f"/v1/contactmomenten/{eigen.json()['id']}/doorverwijzingen", json=verwijzing, headers=telefoon)
    assert toegevoegd.status_code == 201, toegevoegd.text
    # Sent again from the queue: the same referral.
    opnieuw = client.post(f"/v1/contactmomenten/{eigen.json()['id']}/doorverwijzingen", json=verwijzing, headers=telefoon)
    assert opnieuw.status_code == 200 and opnieuw.json()["id"] == toegevoegd.json()["id"]
    assert_problem(client.post(f"/v1/contactmomenten/{van_collega.json()['id']}/doorverwijzingen",
                               json=verwijzing | {"externId": "telefoon-verwijzing-2"}, headers=telefoon), 404)
