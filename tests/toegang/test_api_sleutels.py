"""/v1/api-sleutels: administrators create (token shown once), list, read and revoke keys."""

import uuid
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.core.validation import vandaag
from app.models import ApiSleutel, AuditRegel
from tests.factories import make_key, make_organisatie
from tests.helpers import zonder_code
from tests.toegang.helpers import admin_key, invalid_names, key_of, token_of

PUBLIC_FIELDS = {
    "id", "prefix", "naam", "scopes", "organisatieId", "gemeentecodes", "beheer",
    "verlooptOp", "ingetrokkenOp", "laatstGebruiktOp", "aangemaaktOp",
}


def _audit(session: Session, key_id: uuid.UUID | str) -> list[AuditRegel]:
    statement = select(AuditRegel).where(AuditRegel.resource_id == str(key_id)).order_by(AuditRegel.id)  # type: ignore[arg-type]
    return list(session.exec(statement).all())


def test_create_organisation_key_returns_token_once(client: TestClient, session: Session) -> None:
    admin = admin_key(session)
    organisatie = make_organisatie(session)
    verloopt = (vandaag() + timedelta(days=30)).isoformat()

    response = client.post(
        "/v1/api-sleutels",
        json={"naam": "Registratie-app", "scopes": ["registreren", "rapporteren"],
              "organisatieId": str(organisatie.id), "verlooptOp": verloopt},
        headers=admin,
    )

    assert response.status_code == 201
    created = response.json()
    assert set(created) == PUBLIC_FIELDS | {"sleutel"}
    assert created["sleutel"].startswith(created["prefix"] + "_")
    assert created["scopes"] == ["rapporteren", "registreren"]
    assert (created["organisatieId"], created["gemeentecodes"], created["beheer"]) == (str(organisatie.id), [], False)
    assert created["verlooptOp"] == verloopt
    assert created["ingetrokkenOp"] is None
    assert response.headers["Location"] == f"/v1/api-sleutels/{created['id']}"

    # The token works, and is bound to its organisation.
    mine = {"Authorization": f"Bearer {created['sleutel']}"}
    assert client.get(f"/v1/organisaties/{organisatie.id}", headers=mine).status_code == 200

    [regel] = _audit(session, created["id"])
    assert (regel.actie, regel.resource_type) == ("aangemaakt", "api-sleutel")
    assert regel.velden == ["naam", "organisatieId", "scopes", "verlooptOp"]
    assert regel.organisatie_id == organisatie.id
    assert regel.api_sleutel_id == key_of(session, admin).id

    # Only the hash is stored.
    stored = session.get(ApiSleutel, uuid.UUID(created["id"]))
    assert stored is not None and created["sleutel"].split("_", 2)[2] not in stored.sleutel_hash


def test_create_regional_and_admin_keys(client: TestClient, session: Session) -> None:
    admin = admin_key(session)
    regional = client.post(
        "/v1/api-sleutels",
        json={"naam": "Power BI GGD", "scopes": ["rapporteren"], "gemeentecodes": ["GM0344", "GM0340"]},
        headers=admin,
    )
    assert regional.status_code == 201
    assert regional.json()["gemeentecodes"] == ["GM0340", "GM0344"]
    assert _audit(session, regional.json()["id"])[0].velden == ["gemeentecodes", "naam", "scopes"]

    beheer = client.post(
        "/v1/api-sleutels", json={"naam": "Beheer", "scopes": ["beheren"], "beheer": True}, headers=admin
    )
    assert beheer.status_code == 201
    assert beheer.json()["beheer"] is True
    new_admin = {"Authorization": f"Bearer {beheer.json()['sleutel']}"}
    assert client.get("/v1/api-sleutels", headers=new_admin).status_code == 200


def test_binding_must_be_exactly_one(client: TestClient, session: Session) -> None:
    admin = admin_key(session)
    organisatie = make_organisatie(session)
    none = client.post("/v1/api-sleutels", json={"naam": "X", "scopes": ["rapporteren"]}, headers=admin)
    assert none.status_code == 400
    assert zonder_code(none.json()["invalidParams"]) == [
        {"name": "binding", "reason": "Kies precies een binding: een organisatie, een regio (gemeentecodes) of beheer."}
    ]

    two = client.post(
        "/v1/api-sleutels",
        json={"naam": "X", "scopes": ["rapporteren"], "organisatieId": str(organisatie.id), "beheer": True},
        headers=admin,
    )
    assert two.status_code == 400
    assert invalid_names(two) == ["binding"]


def test_create_reports_all_domain_errors_at_once(client: TestClient, session: Session) -> None:
    yesterday = (vandaag() - timedelta(days=1)).isoformat()
    response = client.post(
        "/v1/api-sleutels",
        json={"naam": "X", "scopes": ["registreren"], "gemeentecodes": ["GM0344"], "verlooptOp": yesterday},
        headers=admin_key(session),
    )
    assert response.status_code == 400
    assert zonder_code(response.json()["invalidParams"]) == [
        {"name": "scopes", "reason": "Scope registreren past niet bij binding regio; toegestaan: gebeurtenissen, goedkeuren, rapporteren, signalen."},
        {"name": "verlooptOp", "reason": "De vervaldatum ligt in het verleden."},
    ]


def test_create_validates_the_request_shape(client: TestClient, session: Session) -> None:
    response = client.post(
        "/v1/api-sleutels",
        json={"naam": "", "scopes": ["alles"], "gemeentecodes": ["0344"], "verlooptOp": "morgen", "geheim": "x"},
        headers=admin_key(session),
    )
    assert response.status_code == 400
    assert invalid_names(response) == ["geheim", "gemeentecodes[0]", "naam", "scopes[0]", "verlooptOp"]


def test_unknown_or_deactivated_organisation_is_an_invalid_field(client: TestClient, session: Session) -> None:
    admin = admin_key(session)
    for organisatie_id in (uuid.uuid4(), make_organisatie(session, actief=False).id):
        response = client.post(
            "/v1/api-sleutels",
            json={"naam": "X", "scopes": ["inzien"], "organisatieId": str(organisatie_id)},
            headers=admin,
        )
        assert response.status_code == 400
        assert zonder_code(response.json()["invalidParams"]) == [
            {"name": "organisatieId", "reason": f"Organisatie {organisatie_id} bestaat niet of is gedeactiveerd."}
        ]


def test_list_filters_pages_and_never_shows_secrets(client: TestClient, session: Session) -> None:
    admin = admin_key(session)
    a, b = make_organisatie(session), make_organisatie(session)
    key_a = make_key(session, organisatie=a, naam="sleutel A")
    key_b = make_key(session, organisatie=b, naam="sleutel B")

    response = client.get("/v1/api-sleutels", headers=admin)
    assert response.status_code == 200
    assert all(set(item) == PUBLIC_FIELDS for item in response.json())
    assert response.headers["X-Total-Count"] == str(len(response.json()))
    for headers in (admin, key_a, key_b):
        stored = key_of(session, headers)
        assert token_of(headers) not in response.text
        assert token_of(headers).split("_", 2)[2] not in response.text
        assert stored.sleutel_hash not in response.text

    only_a = client.get("/v1/api-sleutels", params={"organisatieId": str(a.id)}, headers=admin)
    assert [k["naam"] for k in only_a.json()] == ["sleutel A"]

    page = client.get("/v1/api-sleutels", params={"pageSize": 1}, headers=admin)
    assert len(page.json()) == 1
    assert 'rel="next"' in page.headers["Link"]


def test_get_one_and_404(client: TestClient, session: Session) -> None:
    admin = admin_key(session)
    headers = make_key(session, gemeentecodes=["GM0344"], scopes=("rapporteren",))
    key = key_of(session, headers)

    response = client.get(f"/v1/api-sleutels/{key.id}", headers=admin)
    assert response.status_code == 200
    assert set(response.json()) == PUBLIC_FIELDS
    assert response.json()["prefix"] == key.prefix
    assert token_of(headers) not in response.text and key.sleutel_hash not in response.text

    missing = uuid.uuid4()
    not_found = client.get(f"/v1/api-sleutels/{missing}", headers=admin)
    assert not_found.status_code == 404
    assert not_found.json()["detail"] == f"API-sleutel {missing} bestaat niet."


def test_revoke_returns_the_revoked_key_and_is_idempotent(client: TestClient, session: Session) -> None:
    admin = admin_key(session)
    headers = make_key(session, organisatie=make_organisatie(session), scopes=("inzien",))
    key = key_of(session, headers)

    response = client.delete(f"/v1/api-sleutels/{key.id}", headers=admin)
    assert response.status_code == 200
    assert set(response.json()) == PUBLIC_FIELDS
    revoked_at = response.json()["ingetrokkenOp"]
    assert revoked_at is not None

    assert client.get("/v1/organisaties", headers=headers).status_code == 401
    again = client.delete(f"/v1/api-sleutels/{key.id}", headers=admin)
    assert again.status_code == 200 and again.json()["ingetrokkenOp"] == revoked_at

    actions = [(r.actie, r.velden) for r in _audit(session, key.id)]
    assert actions == [("aangemaakt", ["naam", "organisatieId", "scopes"]), ("ingetrokken", ["ingetrokkenOp"])]


def test_keys_are_managed_by_administrators_only(client: TestClient, session: Session) -> None:
    organisatie = make_organisatie(session)
    own = make_key(session, organisatie=organisatie, scopes=("registreren", "inzien", "rapporteren"))
    key = key_of(session, own)
    for method, path in (
        ("GET", "/v1/api-sleutels"),
        ("GET", f"/v1/api-sleutels/{key.id}"),
        ("DELETE", f"/v1/api-sleutels/{key.id}"),
    ):
        response = client.request(method, path, headers=own)
        assert response.status_code == 403, (method, path)
        assert response.json()["detail"] == "Deze API-sleutel mist de scope `beheren`."
    response = client.post(
        "/v1/api-sleutels",
        json={"naam": "X", "scopes": ["registreren"], "organisatieId": str(organisatie.id)},
        headers=own,
    )
    assert response.status_code == 403
