"""Targets: CRUD within the organisation, and doel/realisatie on matching indicator rows."""

import uuid
from datetime import date

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.core.validation import vandaag
from app.models import AuditRegel, Contactmoment
from tests.factories import make_key, make_organisatie, make_sleutelpersoon

YEAR = vandaag().year - 1


def test_target_shows_realisation_per_matching_interval(client: TestClient, session: Session) -> None:
    organisatie = make_organisatie(session)
    persoon = make_sleutelpersoon(session, organisatie)
    for day in range(1, 31):
        session.add(Contactmoment(organisatie_id=organisatie.id, sleutelpersoon_id=persoon.id, datum=date(YEAR, 3, day),
                                  gemeentecode="GM0344", kanaal="persoonlijk", soort="individueel", inhoud_hash=uuid.uuid4().hex))
    session.flush()
    headers = make_key(session, organisatie=organisatie, scopes=("registreren", "rapporteren"))
    created = client.post("/v1/doelen", json={"indicator": "aantal-contactmomenten", "periode": f"{YEAR}-03", "waarde": 40}, headers=headers)
    assert created.status_code == 201, created.text
    assert created.headers["Location"] == f"/v1/doelen/{created.json()['id']}"
    assert created.json()["tot"] == f"{YEAR}-03-31"

    rows = client.get(f"/v1/indicatoren/aantal-contactmomenten/waarden?periode={YEAR}&interval=maand", headers=headers).json()["rijen"]
    march = rows[2]
    assert march["waarde"] == 30 and march["doel"] == 40 and march["realisatie"] == 75.0
    assert "doel" not in rows[3]
    # A filtered query does not match an unfiltered target.
    filtered = client.get(f"/v1/indicatoren/aantal-contactmomenten/waarden?periode={YEAR}-03&kanaal=persoonlijk", headers=headers).json()
    assert "doel" not in filtered["rijen"][0]


def test_duplicate_target_is_409_and_bad_target_is_400(client: TestClient, session: Session) -> None:
    headers = make_key(session, organisatie=make_organisatie(session), scopes=("registreren",))
    body = {"indicator": "aantal-hulpvragen", "periode": f"{YEAR}Q2", "waarde": 10, "filters": {"gemeente": ["GM0344"]}}
    first = client.post("/v1/doelen", json=body, headers=headers)
    assert first.status_code == 201
    again = client.post("/v1/doelen", json=body, headers=headers)
    assert again.status_code == 409 and again.json()["bestaandId"] == first.json()["id"]
    bad = client.post("/v1/doelen", json={"indicator": "x", "periode": f"{YEAR}W10", "waarde": -1, "filters": {}}, headers=headers)
    assert bad.status_code == 400
    assert {p["name"] for p in bad.json()["invalidParams"]} == {"waarde"}
    bad = client.post("/v1/doelen", json={"indicator": "x", "periode": f"{YEAR}W10", "waarde": 5}, headers=headers)
    assert {p["name"] for p in bad.json()["invalidParams"]} == {"indicator", "periode"}


def test_targets_are_scoped_and_audited(client: TestClient, session: Session) -> None:
    a, b = make_organisatie(session), make_organisatie(session)
    headers_a = make_key(session, organisatie=a, scopes=("registreren",))
    headers_b = make_key(session, organisatie=b, scopes=("registreren",))
    doel = client.post("/v1/doelen", json={"indicator": "bestede-uren", "periode": str(YEAR), "waarde": 500}, headers=headers_a).json()
    assert client.get(f"/v1/doelen/{doel['id']}", headers=headers_b).status_code == 404
    assert client.patch(f"/v1/doelen/{doel['id']}", json={"waarde": 1}, headers=headers_b).status_code == 404
    assert client.get("/v1/doelen", headers=headers_b).json() == []
    assert client.patch(f"/v1/doelen/{doel['id']}", json={"waarde": 600}, headers=headers_a).json()["waarde"] == 600
    assert client.delete(f"/v1/doelen/{doel['id']}", headers=headers_a).status_code == 204
    acties = session.exec(select(AuditRegel.actie).where(AuditRegel.resource_id == doel["id"]).order_by(AuditRegel.id)).all()
    assert acties == ["aangemaakt", "gewijzigd", "verwijderd"]
