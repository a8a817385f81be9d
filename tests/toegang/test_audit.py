"""GET /v1/audit: administrators see everything, an organisation only its own rows."""

import uuid
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import AuditRegel
from tests.factories import make_key, make_organisatie
from tests.helpers import zonder_code
from tests.toegang.helpers import admin_key, invalid_names

T0 = datetime(2025, 3, 14, 9, 0, tzinfo=UTC)


def _regel(session: Session, organisatie_id: uuid.UUID | None, minuten: int, **overrides: object) -> AuditRegel:
    values: dict[str, object] = {
        "tijdstip": T0 + timedelta(minutes=minuten),
        "api_sleutel_id": None,
        "organisatie_id": organisatie_id,
        "actie": "aangemaakt",
        "resource_type": "contactmoment",
        "resource_id": str(uuid.uuid4()),
        "velden": [],
    }
    values.update(overrides)
    regel = AuditRegel(**values)  # type: ignore[arg-type]
    session.add(regel)
    session.flush()
    return regel


def _window(**params: str) -> dict[str, str]:
    """Restrict to the fixed test period, so rows written by key creation do not interfere."""
    return {"vanaf": T0.isoformat(), "tot": (T0 + timedelta(days=1)).isoformat(), **params}


def test_administrator_sees_all_newest_first(client: TestClient, session: Session) -> None:
    a, b = make_organisatie(session), make_organisatie(session)
    oud = _regel(session, a.id, 1)
    midden = _regel(session, b.id, 2)
    nieuw = _regel(session, None, 3, resource_type="codelijst")

    response = client.get("/v1/audit", params=_window(), headers=admin_key(session))

    assert response.status_code == 200
    assert [r["id"] for r in response.json()] == [nieuw.id, midden.id, oud.id]
    assert response.headers["X-Total-Count"] == "3"
    first = response.json()[0]
    assert set(first) == {"id", "tijdstip", "apiSleutelId", "organisatieId", "apparaatId", "actie", "resourceType", "resourceId", "velden", "aantal"}
    assert first["tijdstip"].startswith("2025-03-14T09:03:00")


def test_organisation_sees_only_its_own_rows(client: TestClient, session: Session) -> None:
    a, b = make_organisatie(session), make_organisatie(session)
    eigen = _regel(session, a.id, 1)
    _regel(session, b.id, 2)
    _regel(session, None, 3)

    for scopes in (("inzien",), ("registreren",)):
        headers = make_key(session, organisatie=a, scopes=scopes)
        response = client.get("/v1/audit", params=_window(), headers=headers)
        assert response.status_code == 200
        assert [r["id"] for r in response.json()] == [eigen.id]

    # Asking for another organisation's rows by filter gives nothing, not someone else's trail.
    other = client.get("/v1/audit", params=_window(organisatieId=str(b.id)), headers=headers)
    assert other.status_code == 200 and other.json() == []


def test_organisation_sees_administrator_writes_about_itself(client: TestClient, session: Session) -> None:
    organisatie = make_organisatie(session, naam="Oud")
    admin = admin_key(session)
    client.patch(f"/v1/organisaties/{organisatie.id}", json={"naam": "Nieuw"}, headers=admin)

    response = client.get(
        "/v1/audit", params={"resourceType": "organisatie"}, headers=make_key(session, organisatie=organisatie, scopes=("inzien",))
    )
    assert [(r["actie"], r["velden"]) for r in response.json()] == [("gewijzigd", ["naam"])]


def test_filters(client: TestClient, session: Session) -> None:
    admin = admin_key(session)
    organisatie = make_organisatie(session)
    sleutel = uuid.uuid4()
    r1 = _regel(session, organisatie.id, 1, actie="gewijzigd", api_sleutel_id=sleutel, velden=["status"])
    r2 = _regel(session, organisatie.id, 2, actie="verwijderd", resource_type="uitkomst")
    r3 = _regel(session, organisatie.id, 3, resource_id="vast-id")

    def ids(**params: str) -> list[int]:
        response = client.get("/v1/audit", params=_window(**params), headers=admin)
        assert response.status_code == 200, response.json()
        return [r["id"] for r in response.json()]

    assert ids(actie="gewijzigd") == [r1.id]
    assert ids(resourceType="uitkomst") == [r2.id]
    assert ids(resourceId="vast-id") == [r3.id]
    assert ids(apiSleutelId=str(sleutel)) == [r1.id]
    assert ids(organisatieId=str(organisatie.id)) == [r3.id, r2.id, r1.id]
    # vanaf is inclusive, tot exclusive
    assert ids(vanaf=(T0 + timedelta(minutes=2)).isoformat(), tot=(T0 + timedelta(minutes=3)).isoformat()) == [r2.id]


def test_times_need_a_timezone_and_an_order(client: TestClient, session: Session) -> None:
    admin = admin_key(session)
    naive = client.get("/v1/audit", params={"vanaf": "2025-03-14T09:00:00", "tot": "2025-03-15"}, headers=admin)
    assert naive.status_code == 400
    assert invalid_names(naive) == ["tot", "vanaf"]

    reversed_ = client.get(
        "/v1/audit", params={"vanaf": "2025-03-15T00:00:00Z", "tot": "2025-03-14T00:00:00Z"}, headers=admin
    )
    assert reversed_.status_code == 400
    assert zonder_code(reversed_.json()["invalidParams"]) == [{"name": "tot", "reason": "Moet later zijn dan vanaf."}]

    garbage = client.get("/v1/audit", params={"vanaf": "gisteren"}, headers=admin)
    assert garbage.status_code == 400
    assert invalid_names(garbage) == ["vanaf"]


def test_paging(client: TestClient, session: Session) -> None:
    organisatie = make_organisatie(session)
    rows = [_regel(session, organisatie.id, m) for m in range(5)]
    response = client.get("/v1/audit", params=_window(pageSize="2", page="3"), headers=admin_key(session))
    assert [r["id"] for r in response.json()] == [rows[0].id]
    assert response.headers["X-Total-Count"] == "5"
