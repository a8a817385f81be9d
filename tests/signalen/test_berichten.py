"""Signals as a conversation: dated messages between the receiving region and the giving organisation.

Before: a new feedback text overwrote the earlier one, so an interim "we have received it" was lost and
the organisation saw only the last text. Now every message is kept in order; `terugkoppeling` is the
receiver's latest message; a status change and a message are separate actions.
"""

import uuid
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.core.validation import vandaag
from app.models import AuditRegel, Signaal, SignaalBericht
from tests.apparaten.helpers import als_apparaat, apparaat_cookie
from tests.factories import make_key, make_organisatie, make_sleutelpersoon
from tests.signalen.factories import signaal_body

VANDAAG = vandaag().isoformat()
GISTEREN = (vandaag() - timedelta(days=1)).isoformat()


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return response.json()


def _opzet(client: TestClient, session: Session) -> tuple[dict[str, str], dict[str, str], str]:
    organisatie = make_organisatie(session, naam="Welzijn Overvecht")
    org = make_key(session, organisatie=organisatie, scopes=("registreren",))
    regio = make_key(session, gemeentecodes=["GM0344"], scopes=("signalen",))
    signaal = client.post("/v1/signalen", json=signaal_body(), headers=org)
    assert signaal.status_code == 201, signaal.text
    return org, regio, signaal.json()["id"]


def test_een_tussenbericht_blijft_bewaard_naast_de_eindterugkoppeling(client: TestClient, session: Session) -> None:
    """The issue's finding through the existing PATCH: an interim feedback is no longer overwritten."""
    org, regio, sid = _opzet(client, session)
    url = f"/v1/ontvangen-signalen/{sid}"
    tussen = {"tekst": "We hebben het ontvangen en bespreken het met de JGZ.", "datum": GISTEREN}
    assert client.patch(url, json={"status": "in-behandeling", "terugkoppeling": tussen}, headers=regio).status_code == 200
    eind = {"tekst": "De JGZ stuurt de uitnodiging voortaan met uitleg in het Tigrinya.", "datum": VANDAAG}
    assert client.patch(url, json={"status": "opgepakt", "terugkoppeling": eind}, headers=regio).status_code == 200

    draad = client.get(f"/v1/signalen/{sid}/berichten", headers=org).json()
    assert [(b["van"], b["tekst"], b["datum"]) for b in draad] == [
        ("ontvanger", tussen["tekst"], GISTEREN), ("ontvanger", eind["tekst"], VANDAAG)
    ]
    # `terugkoppeling` still works: the receiver's latest message.
    assert client.get(f"/v1/signalen/{sid}", headers=org).json()["terugkoppeling"] == eind


def test_gesprek_met_tussenbericht_antwoord_en_eindstatus(client: TestClient, session: Session) -> None:
    org, regio, sid = _opzet(client, session)
    ontvangen = f"/v1/ontvangen-signalen/{sid}"
    eigen = f"/v1/signalen/{sid}"

    assert client.patch(ontvangen, json={"status": "in-behandeling"}, headers=regio).status_code == 200
    tussen = client.post(f"{ontvangen}/berichten", json={"tekst": "Ontvangen, we zoeken uit wie dit oppakt.", "datum": GISTEREN},
                         headers=regio)
    assert tussen.status_code == 201, tussen.text
    assert tussen.json()["van"] == "ontvanger" and tussen.json()["datum"] == GISTEREN
    # A message changes no status; it is the signal's terugkoppeling now.
    na_tussen = client.get(eigen, headers=org).json()
    assert na_tussen["status"] == "in-behandeling"
    assert na_tussen["terugkoppeling"] == {"tekst": "Ontvangen, we zoeken uit wie dit oppakt.", "datum": GISTEREN}

    antwoord = client.post(f"{eigen}/berichten", json={"tekst": "Dank u. De moeders willen meedenken.", "externId": "crm-b-1"},
                           headers=org)
    assert antwoord.status_code == 201, antwoord.text
    assert antwoord.json()["van"] == "organisatie" and antwoord.json()["datum"] == VANDAAG
    assert antwoord.json()["externId"] == "crm-b-1"
    # Location names the message, readable by each side on its own route.
    assert antwoord.headers["Location"] == f"{eigen}/berichten/{antwoord.json()['id']}"
    assert client.get(antwoord.headers["Location"], headers=org).json() == antwoord.json()
    van_regio = client.get(f"{ontvangen}/berichten/{antwoord.json()['id']}", headers=regio)
    assert van_regio.status_code == 200 and van_regio.json()["externId"] is None
    assert tussen.headers["Location"] == f"{ontvangen}/berichten/{tussen.json()['id']}"
    # The organisation's reply is not the receiver's feedback.
    assert client.get(eigen, headers=org).json()["terugkoppeling"]["tekst"] == "Ontvangen, we zoeken uit wie dit oppakt."

    eind = {"tekst": "De JGZ past de uitnodiging aan.", "datum": VANDAAG}
    assert client.patch(ontvangen, json={"status": "opgepakt", "terugkoppeling": eind}, headers=regio).status_code == 200
    # After a final status the conversation can go on; the status cannot.
    assert client.post(f"{eigen}/berichten", json={"tekst": "Fijn, dank u wel."}, headers=org).status_code == 201

    regio_draad = client.get(f"{ontvangen}/berichten", headers=regio)
    assert regio_draad.status_code == 200 and regio_draad.headers["X-Total-Count"] == "4"
    assert [b["van"] for b in regio_draad.json()] == ["ontvanger", "organisatie", "ontvanger", "organisatie"]
    # The receiver never sees the organisation's own ids.
    assert all(b["externId"] is None for b in regio_draad.json()) and "crm-b-1" not in regio_draad.text
    org_draad = client.get(f"{eigen}/berichten", headers=org).json()
    assert [b["id"] for b in org_draad] == [b["id"] for b in regio_draad.json()]
    assert client.get(eigen, headers=org).json()["terugkoppeling"] == eind

    # Paging.
    pagina = client.get(f"{eigen}/berichten?pageSize=3&page=2", headers=org)
    assert [b["tekst"] for b in pagina.json()] == ["Fijn, dank u wel."] and 'rel="prev"' in pagina.headers["Link"]

    # Every message in the giving organisation's audit trail, also those of the region.
    regels = session.exec(select(AuditRegel).where(AuditRegel.resource_type == "signaalbericht")).all()
    assert len(regels) == 4
    berichten = session.exec(select(SignaalBericht)).all()
    assert {r.resource_id for r in regels} == {str(b.id) for b in berichten}
    organisatie_id = session.exec(select(Signaal.organisatie_id).where(Signaal.id == uuid.UUID(sid))).one()
    assert {r.organisatie_id for r in regels} == {organisatie_id}


def test_externid_maakt_een_bericht_idempotent(client: TestClient, session: Session) -> None:
    org, regio, sid = _opzet(client, session)
    url = f"/v1/signalen/{sid}/berichten"
    bericht = {"tekst": "Een vraag van ons.", "externId": "crm-b-7"}
    eerste, nog_eens = client.post(url, json=bericht, headers=org), client.post(url, json=bericht, headers=org)
    assert (eerste.status_code, nog_eens.status_code) == (201, 200)
    assert eerste.json()["id"] == nog_eens.json()["id"]
    conflict = problem(client.post(url, json={**bericht, "tekst": "Iets anders."}, headers=org), 409)
    assert conflict["bestaandId"] == eerste.json()["id"]
    # The other side has its own ids: the same externId there is a new message.
    ander = client.post(f"/v1/ontvangen-signalen/{sid}/berichten", json=bericht, headers=regio)
    assert ander.status_code == 201 and ander.json()["id"] != eerste.json()["id"]
    assert len(client.get(url, headers=org).json()) == 2


def test_ongeldige_berichten_alle_fouten_tegelijk(client: TestClient, session: Session) -> None:
    org, regio, sid = _opzet(client, session)
    morgen = (vandaag() + timedelta(days=1)).isoformat()
    body = problem(client.post(f"/v1/ontvangen-signalen/{sid}/berichten",
                               json={"tekst": "Mail j.jansen@gemeente.nl", "datum": morgen}, headers=regio), 400)
    assert {p["name"] for p in body["invalidParams"]} == {"tekst", "datum"}
    assert "j.jansen" not in str(body)
    problem(client.post(f"/v1/signalen/{sid}/berichten", json={"tekst": ""}, headers=org), 400)
    problem(client.post(f"/v1/signalen/{sid}/berichten", json={"tekst": "x" * 4001}, headers=org), 400)
    # Not before the signal.
    te_vroeg = (vandaag() - timedelta(days=30)).isoformat()
    body = problem(client.post(f"/v1/signalen/{sid}/berichten", json={"tekst": "Oud", "datum": te_vroeg}, headers=org), 400)
    assert [p["name"] for p in body["invalidParams"]] == ["datum"]
    assert session.exec(select(SignaalBericht)).all() == []


def test_andere_organisaties_en_regios_zien_het_gesprek_niet(client: TestClient, session: Session) -> None:
    org, regio, sid = _opzet(client, session)
    ander = make_key(session, organisatie=make_organisatie(session), scopes=("registreren",))
    elders = make_key(session, gemeentecodes=["GM0363"], scopes=("signalen",))
    client.post(f"/v1/ontvangen-signalen/{sid}/berichten", json={"tekst": "Geheim voor anderen"}, headers=regio)
    for method, kwargs in (("get", {}), ("post", {"json": {"tekst": "Ingebroken"}})):
        problem(getattr(client, method)(f"/v1/signalen/{sid}/berichten", headers=ander, **kwargs), 404)
        problem(getattr(client, method)(f"/v1/ontvangen-signalen/{sid}/berichten", headers=elders, **kwargs), 404)
        # Each side has its own route.
        problem(getattr(client, method)(f"/v1/ontvangen-signalen/{sid}/berichten", headers=org, **kwargs), 403)
        problem(getattr(client, method)(f"/v1/signalen/{sid}/berichten", headers=regio, **kwargs), 403)
    # A message is found only under its own signal.
    bericht_id = client.get(f"/v1/signalen/{sid}/berichten", headers=org).json()[0]["id"]
    ander_signaal = client.post("/v1/signalen", json=signaal_body(), headers=org).json()["id"]
    problem(client.get(f"/v1/signalen/{ander_signaal}/berichten/{bericht_id}", headers=org), 404)
    problem(client.get(f"/v1/ontvangen-signalen/{ander_signaal}/berichten/{bericht_id}", headers=regio), 404)
    # A withdrawn signal's conversation is gone for both.
    assert client.delete(f"/v1/signalen/{sid}", headers=org).status_code == 204
    problem(client.get(f"/v1/signalen/{sid}/berichten", headers=org), 404)
    problem(client.get(f"/v1/ontvangen-signalen/{sid}/berichten", headers=regio), 404)
    problem(client.get(f"/v1/signalen/{sid}/berichten/{bericht_id}", headers=org), 404)
    assert len(session.exec(select(SignaalBericht)).all()) == 1


def test_sleutelpersoon_reageert_via_de_app_op_een_eigen_signaal(client: TestClient, session: Session) -> None:
    organisatie = make_organisatie(session)
    persoon, collega = make_sleutelpersoon(session, organisatie), make_sleutelpersoon(session, organisatie)
    org = make_key(session, organisatie=organisatie, scopes=("registreren",))
    regio = make_key(session, gemeentecodes=["GM0344"], scopes=("signalen",))
    eigen = client.post("/v1/signalen", json=signaal_body(sleutelpersoonId=str(persoon.id)), headers=org).json()
    van_collega = client.post("/v1/signalen", json=signaal_body(sleutelpersoonId=str(collega.id)), headers=org).json()
    client.post(f"/v1/ontvangen-signalen/{eigen['id']}/berichten", json={"tekst": "Kunt u vertellen in welke wijk?"}, headers=regio)
    telefoon = als_apparaat(apparaat_cookie(session, persoon.id))

    draad = client.get(f"/v1/signalen/{eigen['id']}/berichten", headers=telefoon)
    assert draad.status_code == 200 and [b["tekst"] for b in draad.json()] == ["Kunt u vertellen in welke wijk?"]
    antwoord = client.post(f"/v1/signalen/{eigen['id']}/berichten", json={"tekst": "Vooral in Overvecht-Noord."}, headers=telefoon)
    assert antwoord.status_code == 201, antwoord.text
    opgeslagen = session.get(SignaalBericht, uuid.UUID(antwoord.json()["id"]))
    assert opgeslagen is not None and opgeslagen.sleutelpersoon_id == persoon.id and opgeslagen.apparaat_id is not None
    # The receiver sees the organisation's reply, never the key person.
    regio_draad = client.get(f"/v1/ontvangen-signalen/{eigen['id']}/berichten", headers=regio)
    assert regio_draad.json()[-1]["van"] == "organisatie" and str(persoon.id) not in regio_draad.text
    # A colleague's signal is unknown to this device.
    problem(client.get(f"/v1/signalen/{van_collega['id']}/berichten", headers=telefoon), 404)
    problem(client.post(f"/v1/signalen/{van_collega['id']}/berichten", json={"tekst": "Hallo"}, headers=telefoon), 404)
