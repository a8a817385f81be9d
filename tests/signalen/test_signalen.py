"""Signalen: the lifecycle across the giving organisation and the receiving region, tenancy, idempotency, audit."""

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.core.validation import vandaag
from app.models import AuditRegel, Signaal
from tests.factories import make_ketenpartner, make_key, make_organisatie, make_sleutelpersoon
from tests.signalen.factories import signaal_body

VANDAAG = vandaag().isoformat()


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return response.json()


def test_full_lifecycle_between_organisation_and_region(client: TestClient, session: Session) -> None:
    organisatie = make_organisatie(session, naam="Welzijn Overvecht")
    persoon = make_sleutelpersoon(session, organisatie)
    org = make_key(session, organisatie=organisatie, scopes=("registreren",))
    regio = make_key(session, gemeentecodes=["GM0344"], scopes=("signalen",))

    created = client.post("/v1/signalen", json=signaal_body(sleutelpersoonId=str(persoon.id)), headers=org)
    assert created.status_code == 201, created.text
    signaal = created.json()
    assert signaal["status"] == "ingediend" and signaal["terugkoppeling"] is None
    assert created.headers["Location"] == f"/v1/signalen/{signaal['id']}"
    url = f"/v1/ontvangen-signalen/{signaal['id']}"

    inbox = client.get("/v1/ontvangen-signalen", headers=regio)
    assert inbox.status_code == 200 and inbox.headers["X-Total-Count"] == "1"
    ontvangen = inbox.json()[0]
    assert ontvangen["organisatieNaam"] == "Welzijn Overvecht"
    assert "sleutelpersoonId" not in ontvangen and "externId" not in ontvangen
    assert str(persoon.id) not in inbox.text

    # Skipping straight to a final status is refused, naming the allowed next statuses.
    body = problem(client.patch(url, json={"status": "opgepakt", "terugkoppeling": {"tekst": "x", "datum": VANDAAG}}, headers=regio), 409)
    assert body["toegestaneStatussen"] == ["ontvangen", "in-behandeling"]
    assert "`ontvangen`" in body["detail"]

    assert client.patch(url, json={"status": "ontvangen"}, headers=regio).status_code == 200
    assert client.patch(url, json={"status": "in-behandeling"}, headers=regio).status_code == 200
    # A final status needs feedback.
    body = problem(client.patch(url, json={"status": "opgepakt"}, headers=regio), 400)
    assert [p["name"] for p in body["invalidParams"]] == ["terugkoppeling"]
    feedback = {"tekst": "De JGZ stuurt de uitnodiging voortaan met uitleg in het Tigrinya.", "datum": VANDAAG}
    done = client.patch(url, json={"status": "opgepakt", "terugkoppeling": feedback}, headers=regio)
    assert done.status_code == 200, done.text
    assert [h["status"] for h in done.json()["historie"]] == ["ingediend", "ontvangen", "in-behandeling", "opgepakt"]
    # Final: nothing follows.
    body = problem(client.patch(url, json={"status": "niet-opgepakt", "terugkoppeling": feedback}, headers=regio), 409)
    assert body["toegestaneStatussen"] == []

    # The organisation reads the feedback.
    eigen = client.get(f"/v1/signalen/{signaal['id']}", headers=org).json()
    assert eigen["status"] == "opgepakt"
    assert eigen["terugkoppeling"] == feedback
    assert eigen["sleutelpersoonId"] == str(persoon.id)
    assert len(eigen["historie"]) == 4

    # The organisation cannot move the status of a signal addressed to a gemeente.
    problem(client.patch(f"/v1/signalen/{signaal['id']}", json={"status": "ontvangen"}, headers=org), 409)

    acties = session.exec(select(AuditRegel.actie).where(AuditRegel.resource_id == signaal["id"])).all()
    assert sorted(acties) == ["aangemaakt"] + ["status-gewijzigd"] * 3
    regels = session.exec(select(AuditRegel).where(AuditRegel.resource_id == signaal["id"])).all()
    assert {r.organisatie_id for r in regels} == {organisatie.id}


def test_other_organisations_and_other_regions_see_nothing(client: TestClient, session: Session) -> None:
    organisatie, andere = make_organisatie(session), make_organisatie(session)
    org = make_key(session, organisatie=organisatie, scopes=("registreren",))
    ander = make_key(session, organisatie=andere, scopes=("registreren", "rapporteren"))
    elders = make_key(session, gemeentecodes=["GM0363"], scopes=("signalen", "rapporteren"))
    regio_zonder_scope = make_key(session, gemeentecodes=["GM0344"], scopes=("rapporteren",))
    signaal = client.post("/v1/signalen", json=signaal_body(), headers=org).json()

    assert client.get("/v1/signalen", headers=ander).json() == []
    for method in ("get", "patch", "delete"):
        kwargs = {"json": {"titel": "Overgenomen"}} if method == "patch" else {}
        problem(getattr(client, method)(f"/v1/signalen/{signaal['id']}", headers=ander, **kwargs), 404)
    assert client.get("/v1/ontvangen-signalen", headers=elders).json() == []
    problem(client.get(f"/v1/ontvangen-signalen/{signaal['id']}", headers=elders), 404)
    problem(client.patch(f"/v1/ontvangen-signalen/{signaal['id']}", json={"status": "ontvangen"}, headers=elders), 404)
    # Without the scope, and with an organisation key, the inbox is closed.
    problem(client.get("/v1/ontvangen-signalen", headers=regio_zonder_scope), 403)
    problem(client.get("/v1/ontvangen-signalen", headers=ander), 403)
    # A regional key cannot use the organisation's routes.
    problem(client.get("/v1/signalen", headers=elders), 403)


def test_signal_to_ketenpartner_is_not_in_a_regional_inbox_and_the_organisation_records_feedback(
    client: TestClient, session: Session
) -> None:
    organisatie = make_organisatie(session)
    partner = make_ketenpartner(session, organisatie)
    org = make_key(session, organisatie=organisatie, scopes=("registreren",))
    regio = make_key(session, gemeentecodes=["GM0344"], scopes=("signalen",))
    body = signaal_body(gerichtAan={"soort": "ketenpartner", "ketenpartnerId": str(partner.id)})
    signaal = client.post("/v1/signalen", json=body, headers=org).json()
    assert client.get("/v1/ontvangen-signalen", headers=regio).json() == []

    url = f"/v1/signalen/{signaal['id']}"
    assert client.patch(url, json={"status": "ontvangen"}, headers=org).status_code == 200
    feedback = {"tekst": "Schuldhulp plant een voorlichting.", "datum": VANDAAG}
    result = client.patch(url, json={"status": "niet-opgepakt", "terugkoppeling": feedback}, headers=org)
    assert result.status_code == 200, result.text
    assert result.json()["terugkoppeling"] == feedback

    # Another organisation's ketenpartner is unknown here.
    ander = make_ketenpartner(session, make_organisatie(session))
    body = signaal_body(gerichtAan={"soort": "ketenpartner", "ketenpartnerId": str(ander.id)})
    assert [p["name"] for p in problem(client.post("/v1/signalen", json=body, headers=org), 400)["invalidParams"]] == [
        "gerichtAan.ketenpartnerId"
    ]


def test_externid_makes_posting_idempotent(client: TestClient, session: Session) -> None:
    org = make_key(session, organisatie=make_organisatie(session), scopes=("registreren",))
    body = signaal_body(externId="crm-sig-0042")
    first = client.post("/v1/signalen", json=body, headers=org)
    again = client.post("/v1/signalen", json=body, headers=org)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    conflict = problem(client.post("/v1/signalen", json={**body, "urgentie": "hoog"}, headers=org), 409)
    assert conflict["bestaandId"] == first.json()["id"]
    assert session.exec(select(Signaal).where(Signaal.extern_id == "crm-sig-0042")).one()


def test_correct_and_withdraw(client: TestClient, session: Session) -> None:
    organisatie = make_organisatie(session)
    org = make_key(session, organisatie=organisatie, scopes=("registreren",))
    regio = make_key(session, gemeentecodes=["GM0344", "GM0363"], scopes=("signalen",))
    signaal = client.post("/v1/signalen", json=signaal_body(), headers=org).json()
    url = f"/v1/signalen/{signaal['id']}"

    changed = client.patch(url, json={"urgentie": "hoog", "onderwerpen": ["zorg.jgz", "gezin.opvoeding"],
                                      "gerichtAan": {"soort": "ggd", "gemeentecode": "GM0363"}}, headers=org)
    assert changed.status_code == 200, changed.text
    assert changed.json()["urgentie"] == "hoog"
    assert sorted(changed.json()["onderwerpen"]) == ["gezin.opvoeding", "zorg.jgz"]
    assert client.get("/v1/ontvangen-signalen?onderwerp=gezin", headers=regio).headers["X-Total-Count"] == "1"
    assert client.get("/v1/ontvangen-signalen?gerichtAan=ggd", headers=regio).headers["X-Total-Count"] == "1"

    client.patch(f"/v1/ontvangen-signalen/{signaal['id']}", json={"status": "ontvangen"}, headers=regio)
    # Once received, the addressee is fixed.
    problem(client.patch(url, json={"gerichtAan": {"soort": "gemeente", "gemeentecode": "GM0344"}}, headers=org), 409)

    assert client.delete(url, headers=org).status_code == 204
    problem(client.get(url, headers=org), 404)
    problem(client.get(f"/v1/ontvangen-signalen/{signaal['id']}", headers=regio), 404)
    assert client.get("/v1/signalen", headers=org).json() == []


def test_validation_reports_every_problem(client: TestClient, session: Session) -> None:
    org = make_key(session, organisatie=make_organisatie(session), scopes=("registreren",))
    body = signaal_body(
        onderwerpen=["bestaat-niet"], urgentie="extreem", wijkcode="WK036301",
        gerichtAan={"soort": "gemeente"}, datum=(vandaag() + timedelta(days=1)).isoformat(),
    )
    names = {p["name"] for p in problem(client.post("/v1/signalen", json=body, headers=org), 400)["invalidParams"]}
    assert {"urgentie", "gerichtAan", "datum"} <= names
    body = signaal_body(onderwerpen=["bestaat-niet"], wijkcode="WK036301")
    names = {p["name"] for p in problem(client.post("/v1/signalen", json=body, headers=org), 400)["invalidParams"]}
    assert names == {"onderwerpen[0]", "wijkcode"}
