"""Key persons: registration with every rule reported at once, tenancy, listing, audit, deactivation."""

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.core.validation import vandaag
from app.models import AuditRegel, Organisatie, Sleutelpersoon
from app.sleutelpersonen import service
from app.toegang.caller import Binding, Caller, Scope
from tests.factories import make_key, make_organisatie, make_sleutelpersoon
from tests.helpers import assert_400, assert_problem

# The app shares the test's session and rolls it back on an error response, so test data is
# committed (to a savepoint; the test's outer transaction still rolls everything back).

VOLLEDIG: dict[str, Any] = {
    "weergavenaam": "Amina",
    "talen": ["ar", "NL", "tir", "ar"],
    "rollen": ["bemiddelaar", "voorlichter"],
    "themas": ["gezondheid", "geld.toeslagen"],
    "dienstverband": "vrijwilliger",
    "urenPerWeek": 8,
    "basistrainingDatum": "2024-05-17",
    "actiefVanaf": "2024-06-01",
    "actiefTot": "2026-12-31",
    "gemeentecode": "GM0344",
}


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
        select(AuditRegel).where(AuditRegel.resource_type == "sleutelpersoon", AuditRegel.resource_id == str(resource_id))
        .order_by(AuditRegel.id)  # type: ignore[arg-type]
    ).all())


def post(client: TestClient, headers: dict[str, str], **changes: Any) -> Any:
    return client.post("/v1/sleutelpersonen", headers=headers, json={**VOLLEDIG, **changes})


# --- create ---

def test_create_returns_the_record_and_location(client: TestClient, session: Session, key_a: dict[str, str], org_a: Organisatie) -> None:
    response = post(client, key_a)
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["Location"] == f"/v1/sleutelpersonen/{body['id']}"
    assert body["organisatieId"] == str(org_a.id)
    assert body["talen"] == ["ar", "nl", "tir"]  # lowercased and deduplicated
    assert {k: body[k] for k in VOLLEDIG if k != "talen"} == {
        **{k: v for k, v in VOLLEDIG.items() if k != "talen"}, "urenPerWeek": 8.0,
    }
    assert body["actief"] is True
    assert body["aangemaaktOp"].endswith(("Z", "+00:00"))
    assert set(body) == {*VOLLEDIG, "id", "organisatieId", "actief", "aangemaaktOp", "gewijzigdOp"}
    [regel] = audit_rows(session, body["id"])
    assert regel.actie == "aangemaakt"
    assert regel.organisatie_id == org_a.id
    assert "weergavenaam" in regel.velden and "Amina" not in regel.velden


def test_minimal_create(client: TestClient, key_a: dict[str, str]) -> None:
    response = client.post("/v1/sleutelpersonen", headers=key_a, json={"weergavenaam": "  Yonas  "})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["weergavenaam"] == "Yonas"
    assert (body["talen"], body["rollen"], body["themas"], body["dienstverband"]) == ([], [], [], None)


@pytest.mark.parametrize(
    ("changes", "name", "reason"),
    [
        ({"weergavenaam": ""}, "weergavenaam", "Moet minstens 1 teken(s) lang zijn."),
        ({"weergavenaam": "   "}, "weergavenaam", "Moet minstens 1 teken(s) lang zijn."),
        ({"weergavenaam": "x" * 101}, "weergavenaam", "Mag hoogstens 100 tekens lang zijn."),
        ({"talen": ["ar", "xx"]}, "talen[1]", None),
        ({"talen": "ar"}, "talen", "Moet een lijst zijn."),
        ({"rollen": ["bemiddelaar", "chauffeur"]}, "rollen[1]", "Onbekende code `chauffeur` in codelijst rol."),
        ({"themas": ["geld.bestaat-niet"]}, "themas[0]", "Onbekende code `geld.bestaat-niet` in codelijst onderwerp."),
        ({"dienstverband": "kok"}, "dienstverband", "Onbekende code `kok` in codelijst dienstverband."),
        ({"urenPerWeek": 0}, "urenPerWeek", "Moet groter dan 0 en hoogstens 60 zijn."),
        ({"urenPerWeek": -1}, "urenPerWeek", "Moet groter dan 0 en hoogstens 60 zijn."),
        ({"urenPerWeek": 60.5}, "urenPerWeek", "Moet groter dan 0 en hoogstens 60 zijn."),
        ({"urenPerWeek": "veel"}, "urenPerWeek", None),
        ({"basistrainingDatum": "2024-13-01"}, "basistrainingDatum", "Moet een datum zijn (JJJJ-MM-DD)."),
        ({"basistrainingDatum": "2024-05-17T10:00:00Z"}, "basistrainingDatum", None),
        ({"actiefVanaf": "2024-06-01", "actiefTot": "2024-06-01"}, "actiefTot",
         "actiefTot (2024-06-01) moet na actiefVanaf (2024-06-01) liggen."),
        ({"actiefTot": "2024-01-01"}, "actiefTot", "actiefTot (2024-01-01) moet na actiefVanaf (2024-06-01) liggen."),
        ({"gemeentecode": "GM344"}, "gemeentecode", "Voldoet niet aan het patroon ^GM\\d{4}$."),
        ({"gemeentecode": "gm0344"}, "gemeentecode", None),
        ({"bsn": "123456782"}, "bsn", "Onbekend veld; dit veld wordt niet geaccepteerd."),
    ],
)
def test_each_rule_is_a_400_with_its_field(
    client: TestClient, session: Session, key_a: dict[str, str], changes: dict[str, Any], name: str, reason: str | None
) -> None:
    reasons = assert_400(post(client, key_a, **changes), [name])
    if reason is not None:
        assert reasons[name] == reason
    assert session.exec(select(Sleutelpersoon)).all() == []


def test_training_date_may_be_today_but_not_tomorrow(client: TestClient, key_a: dict[str, str]) -> None:
    morgen = vandaag() + timedelta(days=1)
    reasons = assert_400(post(client, key_a, basistrainingDatum=morgen.isoformat()), ["basistrainingDatum"])
    assert reasons["basistrainingDatum"] == f"Datum {morgen.isoformat()} ligt in de toekomst."
    assert post(client, key_a, basistrainingDatum=vandaag().isoformat()).status_code == 201


def test_weergavenaam_is_required(client: TestClient, key_a: dict[str, str]) -> None:
    reasons = assert_400(client.post("/v1/sleutelpersonen", headers=key_a, json={"talen": ["ar"]}), ["weergavenaam"])
    assert reasons["weergavenaam"] == "Verplicht veld ontbreekt."


def test_all_code_list_and_date_errors_at_once(client: TestClient, key_a: dict[str, str]) -> None:
    response = post(
        client, key_a,
        rollen=["chauffeur", "bemiddelaar", "kok"],
        themas=["gezondheid", "hobby"],
        dienstverband="kok",
        basistrainingDatum=(vandaag() + timedelta(days=30)).isoformat(),
        actiefVanaf="2025-01-01",
        actiefTot="2024-12-31",
    )
    assert_400(response, ["rollen[0]", "rollen[2]", "themas[1]", "dienstverband", "basistrainingDatum", "actiefTot"])
    assert response.json()["detail"] == "De sleutelpersoon bevat 6 fouten; zie invalidParams."


def test_all_format_errors_at_once(client: TestClient, key_a: dict[str, str]) -> None:
    response = client.post(
        "/v1/sleutelpersonen", headers=key_a,
        json={"talen": ["xx", "ar", "qqq"], "urenPerWeek": 61, "gemeentecode": "0344", "actiefVanaf": "gisteren", "notitie": "x"},
    )
    assert_400(response, ["weergavenaam", "talen[0]", "talen[2]", "urenPerWeek", "gemeentecode", "actiefVanaf", "notitie"])


def test_format_and_rule_errors_at_once(client: TestClient, key_a: dict[str, str]) -> None:
    """A format error no longer hides the rules: one 400 names both kinds."""
    response = post(
        client, key_a, dienstverband="Stagiair!", urenPerWeek=61, rollen=["kok"],
        actiefVanaf="2025-01-01", actiefTot="2024-12-31",
    )
    assert_400(response, ["dienstverband", "urenPerWeek", "rollen[0]", "actiefTot"])
    assert response.json()["detail"] == "De sleutelpersoon bevat 4 fouten; zie invalidParams."


# --- access and tenancy ---

def test_other_organisation_gets_404_everywhere(client: TestClient, session: Session, key_a: dict[str, str], key_b: dict[str, str]) -> None:
    persoon_id = post(client, key_a).json()["id"]
    path = f"/v1/sleutelpersonen/{persoon_id}"
    for response in (
        client.get(path, headers=key_b),
        client.patch(path, headers=key_b, json={"weergavenaam": "Overgenomen"}),
        client.delete(path, headers=key_b),
    ):
        body = assert_problem(response, 404, "Niet gevonden")
        assert body["detail"] == f"Sleutelpersoon {persoon_id} bestaat niet."
    persoon = session.get(Sleutelpersoon, uuid.UUID(persoon_id))
    assert persoon is not None and persoon.weergavenaam == "Amina" and persoon.actief
    assert client.get(path, headers=key_a).status_code == 200


def test_unknown_id_is_404_and_malformed_id_is_400(client: TestClient, key_a: dict[str, str]) -> None:
    assert_problem(client.get(f"/v1/sleutelpersonen/{uuid.uuid4()}", headers=key_a), 404, "Niet gevonden")
    assert_400(client.get("/v1/sleutelpersonen/42", headers=key_a), ["sleutelpersoonId"])


def test_list_never_shows_other_organisations(client: TestClient, session: Session, org_a: Organisatie, key_a: dict[str, str], key_b: dict[str, str]) -> None:
    make_sleutelpersoon(session, org_a, weergavenaam="Van A")
    session.commit()
    response = client.get("/v1/sleutelpersonen", headers=key_b)
    assert response.status_code == 200
    assert response.json() == []
    assert response.headers["X-Total-Count"] == "0"
    # Filters cannot reach across organisations either.
    assert client.get("/v1/sleutelpersonen", params={"zoek": "Van A", "gemeente": "GM0344"}, headers=key_b).json() == []
    assert [p["weergavenaam"] for p in client.get("/v1/sleutelpersonen", headers=key_a).json()] == ["Van A"]


def test_scopes_and_bindings(client: TestClient, session: Session, org_a: Organisatie, admin: dict[str, str]) -> None:
    persoon = make_sleutelpersoon(session, org_a)
    inzien = make_key(session, organisatie=org_a, scopes=("inzien",))
    rapporteren = make_key(session, organisatie=org_a, scopes=("rapporteren",))
    regio = make_key(session, gemeentecodes=["GM0344"], scopes=("rapporteren",))
    session.commit()
    path = f"/v1/sleutelpersonen/{persoon.id}"
    assert client.get(path, headers=inzien).status_code == 200
    assert client.get("/v1/sleutelpersonen", headers=inzien).status_code == 200
    assert_problem(post(client, inzien), 403, "Geen toegang")
    assert_problem(client.patch(path, headers=inzien, json={"weergavenaam": "X"}), 403, "Geen toegang")
    assert_problem(client.delete(path, headers=inzien), 403, "Geen toegang")
    for headers in (rapporteren, regio, admin):
        assert_problem(client.get("/v1/sleutelpersonen", headers=headers), 403, "Geen toegang")
        assert_problem(client.get(path, headers=headers), 403, "Geen toegang")
    assert_problem(client.get("/v1/sleutelpersonen"), 401, "Niet geauthenticeerd")


# --- list ---

def datum_tijd(dag: int) -> datetime:
    return datetime(2025, 3, dag, 9, 0, tzinfo=UTC)


@pytest.fixture
def drie(session: Session, org_a: Organisatie) -> list[Sleutelpersoon]:
    personen = [
        make_sleutelpersoon(session, org_a, weergavenaam="Bilal", talen=["ar", "nl"], rollen=["bemiddelaar"],
                            actief_vanaf=date(2022, 1, 1), gemeentecode="GM0344", aangemaakt_op=datum_tijd(2)),
        make_sleutelpersoon(session, org_a, weergavenaam="amina", talen=["ti"], rollen=["voorlichter", "helper"],
                            actief_vanaf=date(2024, 1, 1), gemeentecode="GM0363", aangemaakt_op=datum_tijd(3)),
        make_sleutelpersoon(session, org_a, weergavenaam="Chen", talen=["zh", "nl"], rollen=["helper"],
                            actief_vanaf=date(2023, 1, 1), gemeentecode="GM0344", actief=False,
                            aangemaakt_op=datum_tijd(1)),
    ]
    session.commit()
    return personen


def names(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [p["weergavenaam"] for p in response.json()]


def test_list_filters(client: TestClient, key_a: dict[str, str], drie: list[Sleutelpersoon]) -> None:
    def get(**params: str) -> list[str]:
        return names(client.get("/v1/sleutelpersonen", params={"sort": "actiefVanaf", **params}, headers=key_a))

    assert get() == ["Bilal", "Chen", "amina"]
    assert get(actief="true") == ["Bilal", "amina"]
    assert get(actief="false") == ["Chen"]
    assert get(gemeente="GM0344") == ["Bilal", "Chen"]
    assert get(rol="helper") == ["Chen", "amina"]
    assert get(taal="nl") == ["Bilal", "Chen"]
    assert get(taal="NL", actief="true") == ["Bilal"]
    assert get(zoek="AMI") == ["amina"]
    assert get(zoek="%") == []
    assert get(zoek="h", rol="helper") == ["Chen"]


def test_list_sorting(client: TestClient, key_a: dict[str, str], drie: list[Sleutelpersoon]) -> None:
    def get(sort: str) -> list[str]:
        return names(client.get("/v1/sleutelpersonen", params={"sort": sort}, headers=key_a))

    assert get("-actiefVanaf") == ["amina", "Chen", "Bilal"]
    assert get("aangemaaktOp") == ["Chen", "Bilal", "amina"]
    assert get("-aangemaaktOp") == ["amina", "Bilal", "Chen"]
    assert get("weergavenaam") == ["amina", "Bilal", "Chen"]  # case-insensitive
    assert get("-weergavenaam") == ["Chen", "Bilal", "amina"]
    reasons = assert_400(client.get("/v1/sleutelpersonen", params={"sort": "geboortedatum"}, headers=key_a), ["sort"])
    assert "weergavenaam" in reasons["sort"]


def test_list_filter_values_are_validated(client: TestClient, key_a: dict[str, str]) -> None:
    reasons = assert_400(client.get("/v1/sleutelpersonen", params={"rol": "chauffeur"}, headers=key_a), ["rol"])
    assert reasons["rol"] == "Onbekende code `chauffeur` in codelijst rol."
    assert_400(client.get("/v1/sleutelpersonen", params={"taal": "xx"}, headers=key_a), ["taal"])
    assert_400(client.get("/v1/sleutelpersonen", params={"gemeente": "Utrecht"}, headers=key_a), ["gemeente"])
    assert_400(client.get("/v1/sleutelpersonen", params={"actief": "misschien"}, headers=key_a), ["actief"])


def test_list_is_paginated_with_link_header(client: TestClient, session: Session, org_a: Organisatie, key_a: dict[str, str]) -> None:
    for naam in ("A", "B", "C", "D", "E"):
        make_sleutelpersoon(session, org_a, weergavenaam=naam)
    session.commit()
    first = client.get("/v1/sleutelpersonen", params={"pageSize": 2, "actief": "true"}, headers=key_a)
    assert names(first) == ["A", "B"]
    assert first.headers["X-Total-Count"] == "5"
    links = first.headers["Link"]
    assert '</v1/sleutelpersonen?actief=true&page=1&pageSize=2>; rel="first"' in links
    assert '</v1/sleutelpersonen?actief=true&page=2&pageSize=2>; rel="next"' in links
    assert '</v1/sleutelpersonen?actief=true&page=3&pageSize=2>; rel="last"' in links
    assert 'rel="prev"' not in links
    last = client.get("/v1/sleutelpersonen", params={"pageSize": 2, "page": 3, "actief": "true"}, headers=key_a)
    assert names(last) == ["E"]
    assert 'rel="prev"' in last.headers["Link"] and 'rel="next"' not in last.headers["Link"]


# --- update ---

def test_patch_changes_only_sent_fields_and_is_audited(client: TestClient, session: Session, key_a: dict[str, str]) -> None:
    created = post(client, key_a).json()
    response = client.patch(f"/v1/sleutelpersonen/{created['id']}", headers=key_a,
                            json={"urenPerWeek": 12, "talen": ["so"], "gemeentecode": None})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["urenPerWeek"], body["talen"], body["gemeentecode"]) == (12.0, ["so"], None)
    assert body["weergavenaam"] == "Amina" and body["rollen"] == ["bemiddelaar", "voorlichter"]
    assert body["gewijzigdOp"] >= created["gewijzigdOp"]
    rows = audit_rows(session, created["id"])
    assert [(r.actie, r.velden) for r in rows] == [
        ("aangemaakt", rows[0].velden),
        ("gewijzigd", ["gemeentecode", "talen", "urenPerWeek"]),
    ]


def test_patch_is_validated_against_stored_values(client: TestClient, key_a: dict[str, str]) -> None:
    path = f"/v1/sleutelpersonen/{post(client, key_a).json()['id']}"  # actief 2024-06-01 .. 2026-12-31
    reasons = assert_400(client.patch(path, headers=key_a, json={"actiefTot": "2024-05-31"}), ["actiefTot"])
    assert reasons["actiefTot"] == "actiefTot (2024-05-31) moet na actiefVanaf (2024-06-01) liggen."
    reasons = assert_400(client.patch(path, headers=key_a, json={"actiefVanaf": "2027-01-01"}), ["actiefVanaf"])
    assert reasons["actiefVanaf"] == "actiefTot (2026-12-31) moet na actiefVanaf (2027-01-01) liggen."
    assert client.patch(path, headers=key_a, json={"actiefVanaf": "2027-01-01", "actiefTot": None}).status_code == 200
    assert_400(client.patch(path, headers=key_a, json={"rollen": ["kok"], "basistrainingDatum": "2999-01-01"}),
               ["rollen[0]", "basistrainingDatum"])


def test_patch_refuses_null_for_required_fields_and_unknown_fields(client: TestClient, key_a: dict[str, str]) -> None:
    path = f"/v1/sleutelpersonen/{post(client, key_a).json()['id']}"
    reasons = assert_400(client.patch(path, headers=key_a, json={"weergavenaam": None, "talen": None, "id": str(uuid.uuid4())}),
                         ["weergavenaam", "talen", "id"])
    assert reasons["weergavenaam"] == "Mag niet null zijn; laat het veld weg om het ongewijzigd te laten."
    assert_400(client.patch(path, headers=key_a, json={"organisatieId": str(uuid.uuid4())}), ["organisatieId"])


def test_deactivated_rol_refused_on_new_but_kept_on_existing(
    client: TestClient, session: Session, org_a: Organisatie, key_a: dict[str, str], admin: dict[str, str]
) -> None:
    bestaand = make_sleutelpersoon(session, org_a, rollen=["helper"], themas=["wonen.energie"])
    session.commit()
    assert client.patch("/v1/codelijsten/rol/helper", headers=admin, json={"actief": False}).status_code == 200

    reasons = assert_400(post(client, key_a, rollen=["bemiddelaar", "helper"]), ["rollen[1]"])
    assert reasons["rollen[1]"] == "Code `helper` in codelijst rol is gedeactiveerd."

    path = f"/v1/sleutelpersonen/{bestaand.id}"
    assert client.patch(path, headers=key_a, json={"weergavenaam": "Nieuwe naam"}).status_code == 200
    response = client.patch(path, headers=key_a, json={"rollen": ["helper", "bemiddelaar"]})
    assert response.status_code == 200, response.text
    assert response.json()["rollen"] == ["helper", "bemiddelaar"]
    # Another person that never had the code may not get it.
    ander = post(client, key_a).json()["id"]
    assert_400(client.patch(f"/v1/sleutelpersonen/{ander}", headers=key_a, json={"rollen": ["helper"]}), ["rollen[0]"])


# --- deactivate ---

def test_delete_deactivates_and_patch_reactivates(client: TestClient, session: Session, key_a: dict[str, str]) -> None:
    persoon_id = post(client, key_a).json()["id"]
    path = f"/v1/sleutelpersonen/{persoon_id}"
    response = client.delete(path, headers=key_a)
    assert response.status_code == 204
    assert response.content == b""
    assert client.get(path, headers=key_a).json()["actief"] is False
    assert client.delete(path, headers=key_a).status_code == 204  # idempotent, nothing new to audit
    assert client.patch(path, headers=key_a, json={"actief": True}).json()["actief"] is True
    assert [(r.actie, r.velden) for r in audit_rows(session, persoon_id)][1:] == [
        ("gedeactiveerd", ["actief"]),
        ("geactiveerd", ["actief"]),
    ]


# --- service helpers for other domains ---

def test_get_own_returns_none_for_other_organisations(session: Session, org_a: Organisatie) -> None:
    persoon = make_sleutelpersoon(session, org_a, actief=False)
    eigen = Caller(sleutel_id=None, scopes=frozenset({Scope.registreren}), binding=Binding.organisatie, organisatie_id=org_a.id)
    ander = Caller(sleutel_id=None, scopes=frozenset({Scope.registreren}), binding=Binding.organisatie,
                   organisatie_id=make_organisatie(session).id)
    regio = Caller(sleutel_id=None, scopes=frozenset({Scope.rapporteren}), binding=Binding.regio, gemeentecodes=("GM0344",))
    assert service.get_own(session, caller=eigen, sleutelpersoon_id=persoon.id) is persoon
    assert service.get_own(session, caller=ander, sleutelpersoon_id=persoon.id) is None
    assert service.get_own(session, caller=regio, sleutelpersoon_id=persoon.id) is None
    assert service.get_own(session, caller=eigen, sleutelpersoon_id=uuid.uuid4()) is None
