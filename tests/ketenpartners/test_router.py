"""Ketenpartners: the organisation's social map, with tenancy, listing, audit and deactivation."""

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.ketenpartners import service
from app.models import AuditRegel, Ketenpartner, Organisatie
from app.toegang.caller import Binding, Caller, Scope
from tests.factories import make_key, make_ketenpartner, make_organisatie
from tests.helpers import assert_400, assert_problem

# The app shares the test's session and rolls it back on an error response, so test data is
# committed (to a savepoint; the test's outer transaction still rolls everything back).

NIEUW: dict[str, Any] = {"naam": "Schuldhulpmaatje Utrecht", "categorie": "schuldhulpverlening", "gemeentecode": "GM0344"}


@pytest.fixture
def org_a(session: Session) -> Organisatie:
    return make_organisatie(session, naam="Organisatie A", gemeentecodes=["GM0344"])


@pytest.fixture
def key_a(session: Session, org_a: Organisatie) -> dict[str, str]:
    headers = make_key(session, organisatie=org_a, scopes=("registreren",))
    session.commit()
    return headers


@pytest.fixture
def key_b(session: Session) -> dict[str, str]:
    headers = make_key(session, organisatie=make_organisatie(session, naam="Organisatie B"), scopes=("registreren",))
    session.commit()
    return headers


@pytest.fixture
def admin(session: Session) -> dict[str, str]:
    headers = make_key(session, scopes=("beheren",), beheer=True)
    session.commit()
    return headers


def audit_rows(session: Session, resource_id: uuid.UUID | str) -> list[AuditRegel]:
    return list(session.exec(
        select(AuditRegel).where(AuditRegel.resource_type == "ketenpartner", AuditRegel.resource_id == str(resource_id))
        .order_by(AuditRegel.id)  # type: ignore[arg-type]
    ).all())


def post(client: TestClient, headers: dict[str, str], **changes: Any) -> Any:
    return client.post("/v1/ketenpartners", headers=headers, json={**NIEUW, **changes})


def test_create_returns_the_record_and_is_audited(client: TestClient, session: Session, org_a: Organisatie, key_a: dict[str, str]) -> None:
    response = post(client, key_a)
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["Location"] == f"/v1/ketenpartners/{body['id']}"
    assert {k: body[k] for k in NIEUW} == NIEUW
    assert body["organisatieId"] == str(org_a.id)
    assert body["actief"] is True
    assert set(body) == {*NIEUW, "id", "organisatieId", "actief", "aangemaaktOp", "gewijzigdOp"}
    [regel] = audit_rows(session, body["id"])
    assert (regel.actie, regel.velden, regel.organisatie_id) == ("aangemaakt", ["categorie", "gemeentecode", "naam"], org_a.id)


def test_gemeentecode_is_optional(client: TestClient, key_a: dict[str, str]) -> None:
    response = client.post("/v1/ketenpartners", headers=key_a, json={"naam": "Huisarts De Brug", "categorie": "huisarts"})
    assert response.status_code == 201
    assert response.json()["gemeentecode"] is None


@pytest.mark.parametrize(
    ("changes", "name", "reason"),
    [
        ({"naam": ""}, "naam", "Moet minstens 1 teken(s) lang zijn."),
        ({"naam": "x" * 201}, "naam", "Mag hoogstens 200 tekens lang zijn."),
        ({"categorie": "kapper"}, "categorie", "Onbekende code `kapper` in codelijst ketenpartner-categorie."),
        ({"gemeentecode": "GM03444"}, "gemeentecode", "Voldoet niet aan het patroon ^GM\\d{4}$."),
        ({"contactpersoon": "Jan"}, "contactpersoon", "Onbekend veld; dit veld wordt niet geaccepteerd."),
    ],
)
def test_each_rule_is_a_400_with_its_field(
    client: TestClient, session: Session, key_a: dict[str, str], changes: dict[str, Any], name: str, reason: str
) -> None:
    assert assert_400(post(client, key_a, **changes), [name])[name] == reason
    assert session.exec(select(Ketenpartner)).all() == []


def test_all_format_errors_at_once(client: TestClient, key_a: dict[str, str]) -> None:
    reasons = assert_400(client.post("/v1/ketenpartners", headers=key_a, json={"gemeentecode": "Utrecht", "telefoon": "030"}),
                         ["naam", "categorie", "gemeentecode", "telefoon"])
    assert reasons["naam"] == "Verplicht veld ontbreekt."


def test_other_organisation_gets_404_everywhere(client: TestClient, session: Session, key_a: dict[str, str], key_b: dict[str, str]) -> None:
    partner_id = post(client, key_a).json()["id"]
    path = f"/v1/ketenpartners/{partner_id}"
    for response in (
        client.get(path, headers=key_b),
        client.patch(path, headers=key_b, json={"naam": "Overgenomen"}),
        client.delete(path, headers=key_b),
    ):
        assert assert_problem(response, 404, "Niet gevonden")["detail"] == f"Ketenpartner {partner_id} bestaat niet."
    partner = session.get(Ketenpartner, uuid.UUID(partner_id))
    assert partner is not None and partner.naam == NIEUW["naam"] and partner.actief
    assert client.get("/v1/ketenpartners", headers=key_b).json() == []
    assert client.get("/v1/ketenpartners", params={"categorie": "schuldhulpverlening"}, headers=key_b).json() == []


def test_scopes_and_bindings(client: TestClient, session: Session, org_a: Organisatie, admin: dict[str, str]) -> None:
    partner = make_ketenpartner(session, org_a)
    inzien = make_key(session, organisatie=org_a, scopes=("inzien",))
    regio = make_key(session, gemeentecodes=["GM0344"], scopes=("rapporteren",))
    session.commit()
    path = f"/v1/ketenpartners/{partner.id}"
    assert client.get(path, headers=inzien).status_code == 200
    assert_problem(post(client, inzien), 403, "Geen toegang")
    assert_problem(client.patch(path, headers=inzien, json={"naam": "X"}), 403, "Geen toegang")
    assert_problem(client.delete(path, headers=inzien), 403, "Geen toegang")
    for headers in (regio, admin):
        assert_problem(client.get("/v1/ketenpartners", headers=headers), 403, "Geen toegang")
        assert_problem(client.get(path, headers=headers), 403, "Geen toegang")


@pytest.fixture
def kaart(session: Session, org_a: Organisatie) -> list[Ketenpartner]:
    partners = [
        make_ketenpartner(session, org_a, naam="Huisartsenpraktijk Oost", categorie="huisarts", gemeentecode="GM0344",
                          aangemaakt_op=datetime(2025, 1, 2, tzinfo=UTC)),
        make_ketenpartner(session, org_a, naam="buurtteam west", categorie="sociaal-wijkteam", gemeentecode="GM0363",
                          aangemaakt_op=datetime(2025, 1, 3, tzinfo=UTC)),
        make_ketenpartner(session, org_a, naam="Schuldhulp Oost", categorie="schuldhulpverlening", gemeentecode=None,
                          actief=False, aangemaakt_op=datetime(2025, 1, 1, tzinfo=UTC)),
    ]
    session.commit()
    return partners


def names(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [p["naam"] for p in response.json()]


def test_list_filters_and_sorting(client: TestClient, key_a: dict[str, str], kaart: list[Ketenpartner]) -> None:
    def get(**params: str) -> list[str]:
        return names(client.get("/v1/ketenpartners", params=params, headers=key_a))

    assert get() == ["buurtteam west", "Huisartsenpraktijk Oost", "Schuldhulp Oost"]  # naam, case-insensitive
    assert get(sort="-naam") == ["Schuldhulp Oost", "Huisartsenpraktijk Oost", "buurtteam west"]
    assert get(sort="categorie") == ["Huisartsenpraktijk Oost", "Schuldhulp Oost", "buurtteam west"]
    assert get(sort="aangemaaktOp") == ["Schuldhulp Oost", "Huisartsenpraktijk Oost", "buurtteam west"]
    assert get(categorie="huisarts") == ["Huisartsenpraktijk Oost"]
    assert get(gemeente="GM0344") == ["Huisartsenpraktijk Oost"]
    assert get(actief="false") == ["Schuldhulp Oost"]
    assert get(zoek="OOST", actief="true") == ["Huisartsenpraktijk Oost"]
    assert get(zoek="_") == []
    assert_400(client.get("/v1/ketenpartners", params={"categorie": "kapper"}, headers=key_a), ["categorie"])
    assert_400(client.get("/v1/ketenpartners", params={"sort": "telefoon"}, headers=key_a), ["sort"])
    assert_400(client.get("/v1/ketenpartners", params={"gemeente": "GM1"}, headers=key_a), ["gemeente"])


def test_list_is_paginated_with_link_header(client: TestClient, session: Session, org_a: Organisatie, key_a: dict[str, str]) -> None:
    for naam in ("A", "B", "C"):
        make_ketenpartner(session, org_a, naam=naam)
    session.commit()
    first = client.get("/v1/ketenpartners", params={"pageSize": 2}, headers=key_a)
    assert names(first) == ["A", "B"]
    assert first.headers["X-Total-Count"] == "3"
    assert '</v1/ketenpartners?page=2&pageSize=2>; rel="next"' in first.headers["Link"]
    assert '</v1/ketenpartners?page=2&pageSize=2>; rel="last"' in first.headers["Link"]
    assert names(client.get("/v1/ketenpartners", params={"pageSize": 2, "page": 2}, headers=key_a)) == ["C"]


def test_patch_changes_sent_fields_and_is_audited(client: TestClient, session: Session, key_a: dict[str, str]) -> None:
    created = post(client, key_a).json()
    path = f"/v1/ketenpartners/{created['id']}"
    response = client.patch(path, headers=key_a, json={"naam": "SchuldHulpMaatje", "gemeentecode": None})
    assert response.status_code == 200, response.text
    assert (response.json()["naam"], response.json()["gemeentecode"], response.json()["categorie"]) == (
        "SchuldHulpMaatje", None, "schuldhulpverlening")
    assert [(r.actie, r.velden) for r in audit_rows(session, created["id"])][1:] == [("gewijzigd", ["gemeentecode", "naam"])]
    reasons = assert_400(client.patch(path, headers=key_a, json={"naam": None, "categorie": "kapper", "id": "x"}),
                         ["naam", "id"])
    assert reasons["naam"] == "Mag niet null zijn; laat het veld weg om het ongewijzigd te laten."
    assert_400(client.patch(path, headers=key_a, json={"categorie": "kapper"}), ["categorie"])


def test_deactivated_category_refused_on_new_but_kept_on_existing(
    client: TestClient, session: Session, org_a: Organisatie, key_a: dict[str, str], admin: dict[str, str]
) -> None:
    bestaand = make_ketenpartner(session, org_a, categorie="zorgverzekeraar")
    session.commit()
    assert client.patch("/v1/codelijsten/ketenpartner-categorie/zorgverzekeraar", headers=admin, json={"actief": False}).status_code == 200
    reasons = assert_400(post(client, key_a, categorie="zorgverzekeraar"), ["categorie"])
    assert reasons["categorie"] == "Code `zorgverzekeraar` in codelijst ketenpartner-categorie is gedeactiveerd."
    assert client.patch(f"/v1/ketenpartners/{bestaand.id}", headers=key_a, json={"naam": "VGZ"}).status_code == 200
    # Filtering on a deactivated category still finds the old records.
    assert names(client.get("/v1/ketenpartners", params={"categorie": "zorgverzekeraar"}, headers=key_a)) == ["VGZ"]


def test_delete_deactivates_and_patch_reactivates(client: TestClient, session: Session, key_a: dict[str, str]) -> None:
    partner_id = post(client, key_a).json()["id"]
    path = f"/v1/ketenpartners/{partner_id}"
    response = client.delete(path, headers=key_a)
    assert response.status_code == 204 and response.content == b""
    assert client.get(path, headers=key_a).json()["actief"] is False
    assert client.delete(path, headers=key_a).status_code == 204
    assert client.patch(path, headers=key_a, json={"actief": True}).json()["actief"] is True
    assert [(r.actie, r.velden) for r in audit_rows(session, partner_id)][1:] == [
        ("gedeactiveerd", ["actief"]),
        ("geactiveerd", ["actief"]),
    ]


def test_get_own_returns_none_for_other_organisations(session: Session, org_a: Organisatie) -> None:
    partner = make_ketenpartner(session, org_a, actief=False)
    eigen = Caller(sleutel_id=None, scopes=frozenset({Scope.registreren}), binding=Binding.organisatie, organisatie_id=org_a.id)
    ander = Caller(sleutel_id=None, scopes=frozenset({Scope.registreren}), binding=Binding.organisatie,
                   organisatie_id=make_organisatie(session).id)
    assert service.get_own(session, caller=eigen, ketenpartner_id=partner.id) is partner
    assert service.get_own(session, caller=ander, ketenpartner_id=partner.id) is None
    assert service.get_own(session, caller=eigen, ketenpartner_id=uuid.uuid4()) is None
