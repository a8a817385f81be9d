"""/v1/organisaties: administrators manage organisations; an organisation's key sees only itself."""

import uuid

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import ApiSleutel, AuditRegel, Organisatie
from tests.factories import make_key, make_organisatie
from tests.helpers import zonder_code


def _admin(session: Session) -> dict[str, str]:
    return make_key(session, beheer=True, scopes=("beheren",))


def _key_id(session: Session, headers: dict[str, str]) -> uuid.UUID:
    prefix = "_".join(headers["Authorization"].removeprefix("Bearer ").split("_")[:2])
    return session.exec(select(ApiSleutel.id).where(ApiSleutel.prefix == prefix)).one()


def _audit(session: Session, resource_id: uuid.UUID) -> list[AuditRegel]:
    statement = select(AuditRegel).where(AuditRegel.resource_id == str(resource_id)).order_by(AuditRegel.id)  # type: ignore[arg-type]
    return list(session.exec(statement).all())


def _names(response) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(p["name"] for p in response.json()["invalidParams"])


# --- create ---------------------------------------------------------------------------------


def test_admin_creates_organisation_with_location_and_audit(client: TestClient, session: Session) -> None:
    admin = _admin(session)
    body = {"naam": "GGD regio Utrecht", "soort": "ggd", "gemeentecodes": ["GM0344", "GM0340", "GM0344"]}

    response = client.post("/v1/organisaties", json=body, headers=admin)

    assert response.status_code == 201
    created = response.json()
    assert set(created) == {"id", "naam", "soort", "gemeentecodes", "actief", "aangemaaktOp", "gewijzigdOp", "gedeactiveerdOp"}
    assert created["naam"] == "GGD regio Utrecht"
    assert created["gemeentecodes"] == ["GM0344", "GM0340"]  # repeated codes dropped, order kept
    assert created["actief"] is True and created["gedeactiveerdOp"] is None
    assert response.headers["Location"] == f"/v1/organisaties/{created['id']}"
    [regel] = _audit(session, uuid.UUID(created["id"]))
    assert (regel.actie, regel.resource_type, regel.velden) == ("aangemaakt", "organisatie", ["gemeentecodes", "naam", "soort"])
    assert regel.api_sleutel_id == _key_id(session, admin)
    assert regel.organisatie_id == uuid.UUID(created["id"])


def test_create_reports_every_invalid_field(client: TestClient, session: Session) -> None:
    response = client.post(
        "/v1/organisaties",
        json={"naam": "", "soort": "ggd", "gemeentecodes": ["GM34", "XX0001"], "kvk": "123"},
        headers=_admin(session),
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["title"] == "Ongeldige invoer"
    assert _names(response) == ["gemeentecodes[0]", "gemeentecodes[1]", "kvk", "naam"]


def test_create_requires_at_least_one_gemeentecode(client: TestClient, session: Session) -> None:
    response = client.post(
        "/v1/organisaties", json={"naam": "X", "soort": "ggd", "gemeentecodes": []}, headers=_admin(session)
    )
    assert response.status_code == 400
    assert _names(response) == ["gemeentecodes"]


def test_create_checks_soort_against_code_list(client: TestClient, session: Session) -> None:
    response = client.post(
        "/v1/organisaties", json={"naam": "X", "soort": "bakkerij", "gemeentecodes": ["GM0344"]}, headers=_admin(session)
    )
    assert response.status_code == 400
    body = response.json()
    assert body["invalidParams"] == [
        {"name": "soort", "reason": "Onbekende code `bakkerij` in codelijst organisatie-soort.", "code": "niet-toegestaan"}
    ]
    assert session.exec(select(Organisatie).where(Organisatie.naam == "X")).first() is None


def test_organisation_key_may_not_create(client: TestClient, session: Session) -> None:
    key = make_key(session, organisatie=make_organisatie(session), scopes=("inzien",))
    response = client.post(
        "/v1/organisaties", json={"naam": "X", "soort": "ggd", "gemeentecodes": ["GM0344"]}, headers=key
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "Deze API-sleutel mist de scope `beheren`."


# --- list -----------------------------------------------------------------------------------


def test_admin_lists_all_with_filters_and_paging(client: TestClient, session: Session) -> None:
    admin = _admin(session)
    a = make_organisatie(session, naam="A GGD", soort="ggd", gemeentecodes=["GM0344", "GM0340"])
    b = make_organisatie(session, naam="B Welzijn", soort="welzijnsorganisatie", gemeentecodes=["GM0340"])
    c = make_organisatie(session, naam="C Oud", soort="ggd", gemeentecodes=["GM0363"], actief=False)

    def ids(**params: str) -> list[str]:
        response = client.get("/v1/organisaties", params=params, headers=admin)
        assert response.status_code == 200, response.json()
        return [o["id"] for o in response.json()]

    assert ids() == [str(a.id), str(b.id), str(c.id)]
    assert ids(soort="ggd") == [str(a.id), str(c.id)]
    assert ids(gemeente="GM0340") == [str(a.id), str(b.id)]
    assert ids(gemeente="GM0034") == []  # no partial match inside GM0344 or GM0340
    assert ids(actief="false") == [str(c.id)]
    assert ids(actief="true", soort="ggd") == [str(a.id)]

    page = client.get("/v1/organisaties", params={"pageSize": 2, "page": 2}, headers=admin)
    assert [o["id"] for o in page.json()] == [str(c.id)]
    assert page.headers["X-Total-Count"] == "3"
    assert 'rel="prev"' in page.headers["Link"]


def test_gemeente_filter_is_validated(client: TestClient, session: Session) -> None:
    response = client.get("/v1/organisaties", params={"gemeente": "%"}, headers=_admin(session))
    assert response.status_code == 400
    assert _names(response) == ["gemeente"]


def test_organisation_key_lists_only_itself(client: TestClient, session: Session) -> None:
    eigen = make_organisatie(session)
    make_organisatie(session)
    response = client.get("/v1/organisaties", headers=make_key(session, organisatie=eigen, scopes=("rapporteren",)))
    assert response.status_code == 200
    assert [o["id"] for o in response.json()] == [str(eigen.id)]
    assert response.headers["X-Total-Count"] == "1"


def test_regional_key_may_not_list(client: TestClient, session: Session) -> None:
    response = client.get(
        "/v1/organisaties", headers=make_key(session, gemeentecodes=["GM0344"], scopes=("rapporteren",))
    )
    assert response.status_code == 403


# --- read one -------------------------------------------------------------------------------


def test_read_one_own_other_admin_and_regional(client: TestClient, session: Session) -> None:
    a, b = make_organisatie(session), make_organisatie(session)
    key_a = make_key(session, organisatie=a, scopes=("inzien",))

    own = client.get(f"/v1/organisaties/{a.id}", headers=key_a)
    assert own.status_code == 200 and own.json()["id"] == str(a.id)

    other = client.get(f"/v1/organisaties/{b.id}", headers=key_a)
    assert other.status_code == 404
    assert other.json()["detail"] == f"Organisatie {b.id} bestaat niet."

    assert client.get(f"/v1/organisaties/{b.id}", headers=_admin(session)).status_code == 200
    missing = uuid.uuid4()
    assert client.get(f"/v1/organisaties/{missing}", headers=_admin(session)).status_code == 404

    regional = make_key(session, gemeentecodes=["GM0344"], scopes=("rapporteren",))
    response = client.get(f"/v1/organisaties/{a.id}", headers=regional)
    assert response.status_code == 403
    assert response.json()["title"] == "Geen toegang"


def test_invalid_id_is_400_naming_the_parameter(client: TestClient, session: Session) -> None:
    response = client.get("/v1/organisaties/niet-een-uuid", headers=_admin(session))
    assert response.status_code == 400
    assert zonder_code(response.json()["invalidParams"]) == [{"name": "organisatieId", "reason": "Moet een UUID zijn."}]


# --- update ---------------------------------------------------------------------------------


def test_patch_changes_only_sent_fields_and_audits_their_names(client: TestClient, session: Session) -> None:
    admin = _admin(session)
    org = make_organisatie(session, naam="Oud", soort="welzijnsorganisatie", gemeentecodes=["GM0344"])

    response = client.patch(
        f"/v1/organisaties/{org.id}", json={"naam": "Nieuw", "soort": "welzijnsorganisatie"}, headers=admin
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["naam"], body["soort"], body["gemeentecodes"]) == ("Nieuw", "welzijnsorganisatie", ["GM0344"])
    [regel] = _audit(session, org.id)
    assert (regel.actie, regel.velden) == ("gewijzigd", ["naam"])  # soort was sent but did not change

    client.patch(f"/v1/organisaties/{org.id}", json={"gemeentecodes": ["GM0344", "GM0307"]}, headers=admin)
    assert [r.velden for r in _audit(session, org.id)] == [["naam"], ["gemeentecodes"]]


def test_patch_without_changes_writes_no_audit(client: TestClient, session: Session) -> None:
    org = make_organisatie(session, naam="Zelfde")
    response = client.patch(f"/v1/organisaties/{org.id}", json={"naam": "Zelfde"}, headers=_admin(session))
    assert response.status_code == 200
    assert _audit(session, org.id) == []


def test_patch_refuses_null_invalid_values_and_unknown_fields(client: TestClient, session: Session) -> None:
    org = make_organisatie(session)
    response = client.patch(
        f"/v1/organisaties/{org.id}",
        json={"naam": None, "gemeentecodes": ["GM1"], "actief": True},
        headers=_admin(session),
    )
    assert response.status_code == 400
    assert _names(response) == ["actief", "gemeentecodes[0]", "naam"]

    soort = client.patch(f"/v1/organisaties/{org.id}", json={"soort": "bakkerij"}, headers=_admin(session))
    assert soort.status_code == 400
    assert _names(soort) == ["soort"]


def test_patch_is_for_administrators(client: TestClient, session: Session) -> None:
    org = make_organisatie(session)
    key = make_key(session, organisatie=org, scopes=("registreren",))
    response = client.patch(f"/v1/organisaties/{org.id}", json={"naam": "Zelf"}, headers=key)
    assert response.status_code == 403
    assert response.json()["detail"] == "Deze API-sleutel mist de scope `beheren`."


def test_patch_unknown_organisation_is_404(client: TestClient, session: Session) -> None:
    missing = uuid.uuid4()
    response = client.patch(f"/v1/organisaties/{missing}", json={"naam": "X"}, headers=_admin(session))
    assert response.status_code == 404
    assert response.json()["detail"] == f"Organisatie {missing} bestaat niet."


# --- deactivate -----------------------------------------------------------------------------


def test_delete_deactivates_and_locks_out_the_organisations_keys(client: TestClient, session: Session) -> None:
    admin = _admin(session)
    org = make_organisatie(session)
    org_key = make_key(session, organisatie=org, scopes=("inzien",))
    assert client.get(f"/v1/organisaties/{org.id}", headers=org_key).status_code == 200

    response = client.delete(f"/v1/organisaties/{org.id}", headers=admin)

    assert response.status_code == 200
    body = response.json()
    assert body["actief"] is False and body["gedeactiveerdOp"] is not None
    [regel] = _audit(session, org.id)
    assert (regel.actie, regel.velden) == ("gedeactiveerd", ["actief", "gedeactiveerdOp"])

    locked = client.get(f"/v1/organisaties/{org.id}", headers=org_key)
    assert locked.status_code == 401
    assert locked.json()["detail"].endswith("is gedeactiveerd.")

    again = client.delete(f"/v1/organisaties/{org.id}", headers=admin)
    assert again.status_code == 200
    assert again.json()["gedeactiveerdOp"] == body["gedeactiveerdOp"]
    assert len(_audit(session, org.id)) == 1

    # The organisation stays readable for administrators, and its records stay.
    assert client.get(f"/v1/organisaties/{org.id}", headers=admin).json()["actief"] is False


def test_delete_is_for_administrators(client: TestClient, session: Session) -> None:
    org = make_organisatie(session)
    response = client.delete(f"/v1/organisaties/{org.id}", headers=make_key(session, organisatie=org))
    assert response.status_code == 403
    assert session.get(Organisatie, org.id).actief is True  # type: ignore[union-attr]
