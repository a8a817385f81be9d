"""/v1/professionele-contacten: validation, the adviesvraag answer loop, idempotency, tenancy, a device, audit, ETags."""

from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.validation import vandaag
from tests.apparaten.helpers import als_apparaat, apparaat_cookie
from tests.factories import Omgeving, make_key, make_sleutelpersoon
from tests.helpers import assert_400, assert_problem, audit_regels

URL = "/v1/professionele-contacten"
DAG = (vandaag() - timedelta(days=3)).isoformat()


def body(omgeving: Omgeving, **overrides: Any) -> dict[str, Any]:
    waarden: dict[str, Any] = {
        "sleutelpersoonId": str(omgeving.sleutelpersoon.id), "datum": DAG, "soort": "adviesvraag",
        "aangevraagdDoor": {"soort": "ketenpartner", "ketenpartnerId": str(omgeving.ketenpartner.id)},
        "aantalProfessionals": 3, "onderwerpen": ["zorg.jgz"], "duurMinuten": 45,
    }
    waarden.update(overrides)
    return {k: v for k, v in waarden.items() if v is not None}


def test_create_read_correct_delete(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    h = omgeving.headers
    created = client.post(URL, json=body(omgeving), headers=h)
    assert created.status_code == 201, created.text
    contact = created.json()
    assert created.headers["Location"] == f"{URL}/{contact['id']}"
    assert (contact["soort"], contact["aantalProfessionals"], contact["onderwerpen"], contact["duurMinuten"]) == (
        "adviesvraag", 3, ["zorg.jgz"], 45)
    assert contact["aangevraagdDoor"] == {"soort": "ketenpartner", "ketenpartnerId": str(omgeving.ketenpartner.id), "gemeentecode": None}
    # An adviesvraag starts as gevraagd; the gemeente defaults to the key person's.
    assert (contact["status"], contact["terugkoppeling"]) == ("gevraagd", None)
    assert contact["gemeentecode"] == omgeving.sleutelpersoon.gemeentecode == "GM0344"

    got = client.get(f"{URL}/{contact['id']}", headers=h)
    assert got.status_code == 200 and got.json() == contact
    etag = got.headers["ETag"]
    assert created.headers["ETag"] == etag
    changed = client.patch(f"{URL}/{contact['id']}", json={"aantalProfessionals": 5, "onderwerpen": ["zorg", "geld.toeslagen"]},
                           headers={**h, "If-Match": etag})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["aantalProfessionals"], changed.json()["onderwerpen"]) == (5, ["geld.toeslagen", "zorg"])
    assert_problem(client.patch(f"{URL}/{contact['id']}", json={"aantalProfessionals": 1}, headers={**h, "If-Match": etag}), 412)
    assert client.get(f"{URL}/{contact['id']}", headers=h).json()["aantalProfessionals"] == 5

    assert client.delete(f"{URL}/{contact['id']}", headers=h).status_code == 204
    assert_problem(client.get(f"{URL}/{contact['id']}", headers=h), 404)
    assert client.get(URL, headers=h).json() == []
    acties = [(r.actie, r.resource_type) for r in audit_regels(session, resource_id=contact["id"])]
    assert acties == [("aangemaakt", "professioneel-contact"), ("gewijzigd", "professioneel-contact"),
                      ("verwijderd", "professioneel-contact")]


def test_the_answer_loop_of_an_adviesvraag(client: TestClient, omgeving: Omgeving) -> None:
    h = omgeving.headers
    contact = client.post(URL, json=body(omgeving), headers=h).json()
    url = f"{URL}/{contact['id']}"
    assert client.patch(url, json={"status": "gegeven"}, headers=h).json()["status"] == "gegeven"
    # teruggekoppeld needs the asking party's terugkoppeling; a terugkoppeling before the contact is refused.
    assert_400(client.patch(url, json={"status": "teruggekoppeld"}, headers=h), ["terugkoppeling"])
    eerder = (date.fromisoformat(DAG) - timedelta(days=1)).isoformat()
    assert_400(client.patch(url, json={"terugkoppeling": {"tekst": "Gedaan", "datum": eerder}}, headers=h), ["terugkoppeling.datum"])
    # A terugkoppeling without a status closes the loop.
    terug = {"tekst": "Het wijkteam nodigt statushouders nu uit met een tolk.", "datum": vandaag().isoformat()}
    gesloten = client.patch(url, json={"terugkoppeling": terug}, headers=h)
    assert gesloten.status_code == 200, gesloten.text
    assert (gesloten.json()["status"], gesloten.json()["terugkoppeling"]) == ("teruggekoppeld", terug)
    # Back to gegeven while the terugkoppeling stands is a contradiction; clearing both is fine.
    assert_400(client.patch(url, json={"status": "gegeven"}, headers=h), ["status"])
    heropend = client.patch(url, json={"status": "gegeven", "terugkoppeling": None}, headers=h)
    assert (heropend.json()["status"], heropend.json()["terugkoppeling"]) == ("gegeven", None)
    # Created closed at once.
    direct = client.post(URL, json=body(omgeving, status="teruggekoppeld", terugkoppeling=terug), headers=h)
    assert direct.status_code == 201 and direct.json()["status"] == "teruggekoppeld"
    assert [c["id"] for c in client.get(URL, params={"status": "teruggekoppeld"}, headers=h).json()] == [direct.json()["id"]]


def test_only_an_adviesvraag_has_a_loop(client: TestClient, omgeving: Omgeving) -> None:
    h = omgeving.headers
    overleg = client.post(URL, json=body(omgeving, soort="casusoverleg"), headers=h)
    assert overleg.status_code == 201 and overleg.json()["status"] is None
    terug = {"tekst": "Gedaan", "datum": vandaag().isoformat()}
    assert_400(client.post(URL, json=body(omgeving, soort="klankbordgroep", status="gegeven", terugkoppeling=terug), headers=h),
               ["status", "terugkoppeling"])
    # Becoming an adviesvraag starts the loop; no longer being one ends it.
    url = f"{URL}/{overleg.json()['id']}"
    assert client.patch(url, json={"soort": "adviesvraag"}, headers=h).json()["status"] == "gevraagd"
    assert client.patch(url, json={"soort": "overleg"}, headers=h).json()["status"] is None


def test_invalid_input_lists_every_problem(client: TestClient, omgeving: Omgeving) -> None:
    h = omgeving.headers
    morgen = (vandaag() + timedelta(days=1)).isoformat()
    assert_400(client.post(URL, json=body(omgeving, aantalProfessionals=0, datum=morgen), headers=h), ["aantalProfessionals", "datum"])
    response = client.post(URL, json=body(omgeving, soort="koffie", onderwerpen=["bestaat.niet"],
                                          sleutelpersoonId="00000000-0000-4000-8000-000000000000",
                                          aangevraagdDoor={"soort": "ketenpartner", "ketenpartnerId": "00000000-0000-4000-8000-000000000000"}),
                           headers=h)
    assert_400(response, ["soort", "onderwerpen[0]", "sleutelpersoonId", "aangevraagdDoor.ketenpartnerId"])
    # A gemeente or GGD is named by its gemeentecode, a partner by its id; not both, not neither.
    for aanvrager in ({"soort": "gemeente"}, {"soort": "ggd", "gemeentecode": "GM0344", "ketenpartnerId": str(omgeving.ketenpartner.id)},
                      {"soort": "ketenpartner", "gemeentecode": "GM0344"}, {"soort": "buurman", "gemeentecode": "GM0344"}):
        response = client.post(URL, json=body(omgeving, aangevraagdDoor=aanvrager), headers=h)
        assert response.status_code == 400, (aanvrager, response.text)
    assert_400(client.post(URL, json=body(omgeving, aangevraagdDoor={"soort": "ggd", "gemeentecode": "GM9999"}), headers=h),
               ["aangevraagdDoor.gemeentecode"])
    ggd = client.post(URL, json=body(omgeving, soort="voorlichting-aan-professionals", aantalProfessionals=25,
                                     aangevraagdDoor={"soort": "ggd", "gemeentecode": "GM0344"}), headers=h)
    assert ggd.status_code == 201, ggd.text


def test_free_text_guard_refuses_personal_data_without_echoing_it(client: TestClient, omgeving: Omgeving) -> None:
    terug = {"tekst": "Mail jan.jansen@example.nl voor details", "datum": vandaag().isoformat()}
    response = client.post(URL, json=body(omgeving, terugkoppeling=terug), headers=omgeving.headers)
    assert response.status_code == 400
    assert "jan.jansen@example.nl" not in response.text


def test_extern_id_makes_a_retry_safe(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    h = omgeving.headers
    eerste = client.post(URL, json=body(omgeving, externId="app-prof-1"), headers=h)
    assert eerste.status_code == 201
    # The same content with the topics in another order is the same submission.
    opnieuw = client.post(URL, json=body(omgeving, externId="app-prof-1"), headers=h)
    assert opnieuw.status_code == 200 and opnieuw.json()["id"] == eerste.json()["id"]
    assert client.get(URL, headers=h).headers["X-Total-Count"] == "1"
    anders = client.post(URL, json=body(omgeving, externId="app-prof-1", aantalProfessionals=9), headers=h)
    assert assert_problem(anders, 409)["bestaandId"] == eerste.json()["id"]
    assert client.delete(f"{URL}/{eerste.json()['id']}", headers=h).status_code == 204
    assert_problem(client.post(URL, json=body(omgeving, externId="app-prof-1"), headers=h), 409)
    assert len(audit_regels(session, resource_type="professioneel-contact", actie="aangemaakt")) == 1


def test_list_filters_paging_and_sorting(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    h = omgeving.headers
    collega = make_sleutelpersoon(session, omgeving.organisatie)
    session.commit()
    dagen = [(vandaag().replace(day=1) - timedelta(days=n)) for n in (1, 2, 40)]
    for i, dag in enumerate(dagen):
        assert client.post(URL, json=body(omgeving, datum=dag.isoformat(), aantalProfessionals=i + 1), headers=h).status_code == 201
    assert client.post(URL, json=body(omgeving, sleutelpersoonId=str(collega.id), soort="klankbordgroep", onderwerpen=["geld.toeslagen"],
                                      aangevraagdDoor={"soort": "gemeente", "gemeentecode": "GM0344"}), headers=h).status_code == 201

    alles = client.get(URL, params={"pageSize": 2}, headers=h)
    assert alles.headers["X-Total-Count"] == "4" and len(alles.json()) == 2 and 'rel="next"' in alles.headers["Link"]
    eigen = client.get(URL, params={"sleutelpersoon": str(omgeving.sleutelpersoon.id), "sort": "aantalProfessionals"}, headers=h).json()
    assert [c["aantalProfessionals"] for c in eigen] == [1, 2, 3]
    vorige_maand = f"{dagen[0].year}-{dagen[0].month:02d}"
    in_maand = client.get(URL, params={"periode": vorige_maand}, headers=h).json()
    assert sorted(c["datum"] for c in in_maand) == sorted({d.isoformat() for d in dagen[:2] if d.month == dagen[0].month})
    assert [c["soort"] for c in client.get(URL, params={"soort": "klankbordgroep"}, headers=h).json()] == ["klankbordgroep"]
    assert len(client.get(URL, params={"onderwerp": "zorg"}, headers=h).json()) == 3  # a parent includes zorg.jgz
    assert len(client.get(URL, params={"onderwerp": "geld.toeslagen"}, headers=h).json()) == 1
    assert len(client.get(URL, params={"ketenpartner": str(omgeving.ketenpartner.id)}, headers=h).json()) == 3
    assert len(client.get(URL, params={"gemeentecode": "GM0344"}, headers=h).json()) == 4
    assert_400(client.get(URL, params={"soort": "koffie", "onderwerp": "nee", "datumVanaf": "2026-02-01", "datumTot": "2026-01-01"},
                          headers=h), ["soort", "onderwerp", "datumTot"])
    assert_400(client.get(URL, params={"periode": "gisteren"}, headers=h), ["periode"])
    assert_400(client.get(URL, params={"sort": "naam"}, headers=h), ["sort"])


def test_another_organisations_contacts_are_404_and_its_partner_unknown(
    client: TestClient, omgeving: Omgeving, andere: Omgeving
) -> None:
    van_b = client.post(URL, json=body(andere), headers=andere.headers).json()
    for methode, extra in (("GET", {}), ("PATCH", {"json": {"aantalProfessionals": 1}}), ("DELETE", {})):
        assert_problem(client.request(methode, f"{URL}/{van_b['id']}", headers=omgeving.headers, **extra), 404)
    assert client.get(URL, headers=omgeving.headers).json() == []
    # B's key person and B's partner are unknown to A, as ids that do not exist.
    assert_400(client.post(URL, json=body(andere), headers=omgeving.headers), ["sleutelpersoonId", "aangevraagdDoor.ketenpartnerId"])
    a = client.post(URL, json=body(omgeving, externId="gedeeld-1"), headers=omgeving.headers)
    b = client.post(URL, json=body(andere, externId="gedeeld-1"), headers=andere.headers)
    assert (a.status_code, b.status_code) == (201, 201)


def test_a_read_key_cannot_write(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    lezen = make_key(session, organisatie=omgeving.organisatie, scopes=("inzien",))
    session.commit()
    assert_problem(client.post(URL, json=body(omgeving), headers=lezen), 403)
    assert client.get(URL, headers=lezen).status_code == 200


def test_a_device_records_and_reads_its_own_contacts_only(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    ik, collega = omgeving.sleutelpersoon, make_sleutelpersoon(session, omgeving.organisatie)
    telefoon = als_apparaat(apparaat_cookie(session, ik.id))
    session.commit()
    eigen = client.post(URL, json=body(omgeving, externId="telefoon-prof-1"), headers=telefoon)
    assert eigen.status_code == 201, eigen.text
    van_collega = client.post(URL, json=body(omgeving, sleutelpersoonId=str(collega.id)), headers=omgeving.headers)
    assert van_collega.status_code == 201
    assert [c["id"] for c in client.get(URL, headers=telefoon).json()] == [eigen.json()["id"]]
    for methode, extra in (("GET", {}), ("PATCH", {"json": {"aantalProfessionals": 1}}), ("DELETE", {})):
        assert_problem(client.request(methode, f"{URL}/{van_collega.json()['id']}", headers=telefoon, **extra), 404)
    assert_400(client.post(URL, json=body(omgeving, sleutelpersoonId=str(collega.id)), headers=telefoon), ["sleutelpersoonId"])
    client.post(URL, json=body(omgeving, sleutelpersoonId=str(collega.id), externId="gedeeld-id"), headers=omgeving.headers)
    conflict = assert_problem(client.post(URL, json=body(omgeving, externId="gedeeld-id"), headers=telefoon), 409)
    assert "bestaandId" not in conflict
    assert client.patch(f"{URL}/{eigen.json()['id']}", json={"status": "gegeven"}, headers=telefoon).status_code == 200
    assert client.delete(f"{URL}/{eigen.json()['id']}", headers=telefoon).status_code == 204


def test_a_device_retry_with_the_same_extern_id_stores_one(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    """The app's queue sends again when an answer was lost: the same externId (made on the phone) is one contact."""
    telefoon = als_apparaat(apparaat_cookie(session, omgeving.sleutelpersoon.id))
    session.commit()
    verzoek = body(omgeving, externId="3f0c8e2a-7b1d-4c55-9a0e-2d6f1b4c8e71")
    eerste = client.post(URL, json=verzoek, headers=telefoon)
    tweede = client.post(URL, json=verzoek, headers=telefoon)
    assert (eerste.status_code, tweede.status_code) == (201, 200), tweede.text
    assert tweede.json()["id"] == eerste.json()["id"]
    assert [c["id"] for c in client.get(URL, headers=telefoon).json()] == [eerste.json()["id"]]
    assert [r.actie for r in audit_regels(session, resource_id=eerste.json()["id"])] == ["aangemaakt"]
