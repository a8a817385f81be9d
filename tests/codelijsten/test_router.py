"""Code lists: read by any key, extended and (de)activated by administrators, every write audited."""

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.codelijsten import service as codelijsten
from app.models import AuditRegel, Code
from tests.factories import make_key, make_organisatie
from tests.helpers import assert_400, assert_problem

# Seeded by migration 0002: 12 topic parents and 40 sub-topics.
AANTAL_ONDERWERPEN = 52


# The app shares the test's session and rolls it back on an error response, so test data is
# committed (to a savepoint; the test's outer transaction still rolls everything back).


@pytest.fixture
def admin(session: Session) -> dict[str, str]:
    headers = make_key(session, scopes=("beheren",), beheer=True)
    session.commit()
    return headers


@pytest.fixture
def org_key(session: Session) -> dict[str, str]:
    headers = make_key(session, organisatie=make_organisatie(session), scopes=("registreren",))
    session.commit()
    return headers


def audit_rows(session: Session, resource_id: str) -> list[AuditRegel]:
    return list(session.exec(
        select(AuditRegel).where(AuditRegel.resource_type == "code", AuditRegel.resource_id == resource_id)
        .order_by(AuditRegel.id)  # type: ignore[arg-type]
    ).all())


# --- reading ---

def test_list_of_lists_is_readable_by_every_kind_of_key(client: TestClient, session: Session, admin: dict[str, str]) -> None:
    organisatie = make_organisatie(session)
    keys = [
        admin,
        make_key(session, organisatie=organisatie, scopes=("inzien",)),
        make_key(session, organisatie=organisatie, scopes=("rapporteren",)),
        make_key(session, gemeentecodes=["GM0344"], scopes=("rapporteren",)),
    ]
    session.commit()
    for headers in keys:
        response = client.get("/v1/codelijsten", headers=headers)
        assert response.status_code == 200
        lijsten = {lijst["naam"]: lijst for lijst in response.json()}
        assert set(lijsten) == set(codelijsten.LIJSTEN)
        assert lijsten["onderwerp"]["aantal"] == AANTAL_ONDERWERPEN
        assert lijsten["onderwerp"]["hierarchisch"] is True
        assert lijsten["kanaal"] == {
            "naam": "kanaal",
            "omschrijving": codelijsten.LIJSTEN["kanaal"],
            "hierarchisch": False,
            "aantal": 7,
            "aantalActief": 7,
        }


def test_code_lists_need_a_key(client: TestClient) -> None:
    assert_problem(client.get("/v1/codelijsten"), 401, "Niet geauthenticeerd")
    assert_problem(client.get("/v1/codelijsten/kanaal"), 401, "Niet geauthenticeerd")


def test_entries_of_a_list_in_display_order(client: TestClient, org_key: dict[str, str]) -> None:
    response = client.get("/v1/codelijsten/kanaal", headers=org_key)
    assert response.status_code == 200
    body = response.json()
    assert [c["code"] for c in body] == [
        "persoonlijk", "telefonisch", "video", "berichtenapp", "huisbezoek", "spreekuur", "groepsbijeenkomst",
    ]
    assert body[1] == {
        "code": "telefonisch", "label": "Telefonisch", "ouder": None,
        "synoniemen": ["telefoon", "gebeld", "bellen"], "actief": True, "volgorde": 1,
    }


def test_topic_entries_carry_their_parent(client: TestClient, org_key: dict[str, str]) -> None:
    body = client.get("/v1/codelijsten/onderwerp", headers=org_key).json()
    assert len(body) == AANTAL_ONDERWERPEN
    by_code = {c["code"]: c for c in body}
    assert by_code["geld"]["ouder"] is None
    assert by_code["geld.toeslagen"]["ouder"] == "geld"


def test_one_entry_and_unknown_ones(client: TestClient, org_key: dict[str, str]) -> None:
    response = client.get("/v1/codelijsten/onderwerp/geld.toeslagen", headers=org_key)
    assert response.status_code == 200
    assert response.json()["label"] == "Toeslagen"
    body = assert_problem(client.get("/v1/codelijsten/onderwerp/geld.bestaat-niet", headers=org_key), 404, "Niet gevonden")
    assert "geld.bestaat-niet" in body["detail"]


def test_unknown_list_is_404(client: TestClient, org_key: dict[str, str], admin: dict[str, str]) -> None:
    body = assert_problem(client.get("/v1/codelijsten/kleuren", headers=org_key), 404, "Niet gevonden")
    assert "kleuren" in body["detail"]
    assert_problem(client.post("/v1/codelijsten/kleuren", headers=admin, json={"code": "rood", "label": "Rood"}),
                   404, "Niet gevonden")


def test_onderwerpen_alias_and_hoofdonderwerp_filter(client: TestClient, org_key: dict[str, str]) -> None:
    alles = client.get("/v1/onderwerpen", headers=org_key)
    assert alles.status_code == 200
    assert alles.json() == client.get("/v1/codelijsten/onderwerp", headers=org_key).json()

    geld = client.get("/v1/onderwerpen", params={"hoofdonderwerp": "geld"}, headers=org_key).json()
    assert [c["code"] for c in geld] == [
        "geld", "geld.schulden", "geld.toeslagen", "geld.belastingen", "geld.uitkering", "geld.armoederegelingen",
    ]
    for waarde in ("geld.toeslagen", "bestaat-niet"):
        assert_problem(client.get("/v1/onderwerpen", params={"hoofdonderwerp": waarde}, headers=org_key),
                       400, "Ongeldige invoer", ["hoofdonderwerp"])


def test_actief_filter(client: TestClient, session: Session, org_key: dict[str, str], admin: dict[str, str]) -> None:
    assert client.patch("/v1/codelijsten/kanaal/video", headers=admin, json={"actief": False}).status_code == 200
    actief = [c["code"] for c in client.get("/v1/codelijsten/kanaal", params={"actief": "true"}, headers=org_key).json()]
    inactief = [c["code"] for c in client.get("/v1/codelijsten/kanaal", params={"actief": "false"}, headers=org_key).json()]
    assert "video" not in actief and len(actief) == 6
    assert inactief == ["video"]
    lijsten = {lijst["naam"]: lijst for lijst in client.get("/v1/codelijsten", headers=org_key).json()}
    assert (lijsten["kanaal"]["aantal"], lijsten["kanaal"]["aantalActief"]) == (7, 6)


# --- administration ---

def test_admin_adds_a_sub_topic(client: TestClient, session: Session, admin: dict[str, str]) -> None:
    response = client.post(
        "/v1/codelijsten/onderwerp",
        headers=admin,
        json={"code": "geld.energietoeslag", "label": "Energietoeslag", "synoniemen": [" energiecompensatie ", "Energiecompensatie"]},
    )
    assert response.status_code == 201, response.text
    assert response.headers["Location"] == "/v1/codelijsten/onderwerp/geld.energietoeslag"
    # geld is parent 2 (volgorde 200) with five children 201..205: the new one comes last.
    assert response.json() == {
        "code": "geld.energietoeslag", "label": "Energietoeslag", "ouder": "geld",
        "synoniemen": ["energiecompensatie"], "actief": True, "volgorde": 206,
    }
    assert session.get(Code, ("onderwerp", "geld.energietoeslag")) is not None
    [regel] = audit_rows(session, "onderwerp/geld.energietoeslag")
    assert regel.actie == "aangemaakt"
    assert regel.organisatie_id is None
    assert regel.api_sleutel_id is not None


def test_new_top_level_topic_and_simple_code_go_last(client: TestClient, admin: dict[str, str]) -> None:
    topic = client.post("/v1/codelijsten/onderwerp", headers=admin, json={"code": "digitaal", "label": "Digitale vaardigheden"})
    assert topic.status_code == 201
    assert topic.json()["ouder"] is None
    assert topic.json()["volgorde"] == 1200  # after overig (1100)
    kanaal = client.post("/v1/codelijsten/kanaal", headers=admin, json={"code": "e-mail", "label": "E-mail", "volgorde": 3})
    assert kanaal.status_code == 201
    assert kanaal.json()["volgorde"] == 3
    rol = client.post("/v1/codelijsten/rol", headers=admin, json={"code": "tolk", "label": "Tolk"})
    assert rol.json()["volgorde"] == 6


def test_only_administrators_write_code_lists(client: TestClient, org_key: dict[str, str]) -> None:
    body = assert_problem(client.post("/v1/codelijsten/kanaal", headers=org_key, json={"code": "fax", "label": "Fax"}),
                          403, "Geen toegang")
    assert "beheren" in body["detail"]
    assert_problem(client.patch("/v1/codelijsten/kanaal/video", headers=org_key, json={"actief": False}),
                   403, "Geen toegang")


def test_duplicate_code_is_409(client: TestClient, session: Session, admin: dict[str, str]) -> None:
    body = assert_problem(client.post("/v1/codelijsten/kanaal", headers=admin, json={"code": "video", "label": "Video"}),
                          409, "Conflict")
    assert (body["code"], body["bestaandeCode"]) == ("bestaat-al", "video")
    assert body["lijst"] == "kanaal"
    assert audit_rows(session, "kanaal/video") == []


@pytest.mark.parametrize(
    ("lijst", "code"),
    [
        ("kanaal", "Fax"),
        ("kanaal", "fax_machine"),
        ("kanaal", "-fax"),
        ("kanaal", "fax.nummer"),  # only onderwerp is hierarchical
        ("onderwerp", "geld.toeslagen.huur"),  # one level deep
        ("onderwerp", "geld..x"),
    ],
)
def test_code_must_be_lowercase_kebab(client: TestClient, admin: dict[str, str], lijst: str, code: str) -> None:
    response = client.post(f"/v1/codelijsten/{lijst}", headers=admin, json={"code": code, "label": "X"})
    assert_problem(response, 400, "Ongeldige invoer", ["code"])


def test_code_length_leaves_room_in_the_audit_trail(client: TestClient, admin: dict[str, str]) -> None:
    lijst = "ketenpartner-categorie"
    te_lang = "a" * (codelijsten.max_code_length(lijst) + 1)
    assert_problem(client.post(f"/v1/codelijsten/{lijst}", headers=admin, json={"code": te_lang, "label": "X"}),
                   400, "Ongeldige invoer", ["code"])
    precies = "a" * codelijsten.max_code_length(lijst)
    assert client.post(f"/v1/codelijsten/{lijst}", headers=admin, json={"code": precies, "label": "X"}).status_code == 201


def test_sub_topic_needs_an_existing_active_parent(client: TestClient, admin: dict[str, str]) -> None:
    body = assert_problem(
        client.post("/v1/codelijsten/onderwerp", headers=admin, json={"code": "sport.voetbal", "label": "Voetbal"}),
        400, "Ongeldige invoer", ["code"],
    )
    assert "sport" in body["invalidParams"][0]["reason"]
    for child in client.get("/v1/onderwerpen", params={"hoofdonderwerp": "wonen"}, headers=admin).json()[1:]:
        client.patch(f"/v1/codelijsten/onderwerp/{child['code']}", headers=admin, json={"actief": False})
    assert client.patch("/v1/codelijsten/onderwerp/wonen", headers=admin, json={"actief": False}).status_code == 200
    body = assert_problem(
        client.post("/v1/codelijsten/onderwerp", headers=admin, json={"code": "wonen.verhuizen", "label": "Verhuizen"}),
        400, "Ongeldige invoer", ["code"],
    )
    assert "gedeactiveerd" in body["invalidParams"][0]["reason"]


def test_post_refuses_unknown_fields_and_ouder_is_derived(client: TestClient, admin: dict[str, str]) -> None:
    response = client.post(
        "/v1/codelijsten/onderwerp", headers=admin,
        json={"code": "geld.x", "label": "X", "ouder": "zorg", "actief": False},
    )
    body = assert_problem(response, 400, "Ongeldige invoer", ["ouder", "actief"])
    assert body["invalidParams"][0]["reason"] == "Onbekend veld; dit veld wordt niet geaccepteerd."


def test_post_reports_missing_fields_together(client: TestClient, admin: dict[str, str]) -> None:
    assert_problem(client.post("/v1/codelijsten/kanaal", headers=admin, json={}), 400, "Ongeldige invoer", ["code", "label"])


def test_deactivate_and_reactivate_a_code(client: TestClient, session: Session, admin: dict[str, str]) -> None:
    response = client.patch("/v1/codelijsten/rol/helper", headers=admin, json={"actief": False})
    assert response.status_code == 200
    assert response.json()["actief"] is False
    problems = codelijsten.check_codes(session, lijst="rol", values=[("rol", "helper")])
    assert [p["name"] for p in problems] == ["rol"]
    assert "gedeactiveerd" in problems[0]["reason"]

    response = client.patch("/v1/codelijsten/rol/helper", headers=admin, json={"actief": True, "label": "Helper (hulp)"})
    assert response.status_code == 200
    assert response.json()["label"] == "Helper (hulp)"
    rows = audit_rows(session, "rol/helper")
    assert [(r.actie, r.velden) for r in rows] == [
        ("gedeactiveerd", ["actief"]),
        ("geactiveerd", ["actief", "label"]),
    ]


def test_patch_label_and_synonyms_is_audited_without_values(client: TestClient, session: Session, admin: dict[str, str]) -> None:
    response = client.patch("/v1/codelijsten/kanaal/video", headers=admin,
                            json={"label": "Beeldbellen", "synoniemen": ["teams", "zoom"], "volgorde": 10})
    assert response.status_code == 200
    assert response.json() == {"code": "video", "label": "Beeldbellen", "ouder": None,
                               "synoniemen": ["teams", "zoom"], "actief": True, "volgorde": 10}
    [regel] = audit_rows(session, "kanaal/video")
    assert (regel.actie, regel.velden) == ("gewijzigd", ["label", "synoniemen", "volgorde"])


def test_patch_without_change_writes_no_audit_row(client: TestClient, session: Session, admin: dict[str, str]) -> None:
    assert client.patch("/v1/codelijsten/kanaal/video", headers=admin, json={"actief": True}).status_code == 200
    assert audit_rows(session, "kanaal/video") == []


def test_code_itself_is_immutable_and_null_is_refused(client: TestClient, admin: dict[str, str]) -> None:
    assert_problem(client.patch("/v1/codelijsten/kanaal/video", headers=admin, json={"code": "beeld"}),
                   400, "Ongeldige invoer", ["code"])
    body = assert_problem(client.patch("/v1/codelijsten/kanaal/video", headers=admin, json={"label": None, "actief": None}),
                          400, "Ongeldige invoer", ["label", "actief"])
    assert "null" in body["invalidParams"][0]["reason"]


def test_patch_unknown_code_is_404(client: TestClient, admin: dict[str, str]) -> None:
    assert_problem(client.patch("/v1/codelijsten/kanaal/fax", headers=admin, json={"actief": False}), 404, "Niet gevonden")


def test_topic_hierarchy_stays_consistent(client: TestClient, admin: dict[str, str]) -> None:
    body = assert_problem(client.patch("/v1/codelijsten/onderwerp/juridisch", headers=admin, json={"actief": False}),
                          409, "Conflict")
    assert body["actieveSubcodes"] == ["juridisch.gezinshereniging", "juridisch.verblijf"]
    for child in body["actieveSubcodes"]:
        assert client.patch(f"/v1/codelijsten/onderwerp/{child}", headers=admin, json={"actief": False}).status_code == 200
    assert client.patch("/v1/codelijsten/onderwerp/juridisch", headers=admin, json={"actief": False}).status_code == 200
    body = assert_problem(
        client.patch("/v1/codelijsten/onderwerp/juridisch.verblijf", headers=admin, json={"actief": True}), 409, "Conflict"
    )
    assert body["ouder"] == "juridisch"


def test_lookup_is_cached_per_session_and_cleared_by_writes(session: Session) -> None:
    from app.toegang.caller import cli_caller

    first = codelijsten.lookup(session, lijst="kanaal")
    assert codelijsten.lookup(session, lijst="kanaal") is first
    codelijsten.add_code(session, caller=cli_caller(), lijst="kanaal", code="fax", label="Fax")
    assert "fax" in codelijsten.lookup(session, lijst="kanaal")
    assert codelijsten.labels(session, lijst="kanaal")["fax"] == "Fax"


def test_a_display_order_beyond_any_list_is_a_400_not_a_500(client: TestClient, admin: dict[str, str]) -> None:
    # Found by the deep schemathesis run: 2368017141 overflowed PostgreSQL's INTEGER and answered 500.
    nieuw = client.post("/v1/codelijsten/onderwerp", headers=admin, json={"code": "d2-x", "label": "Iets", "volgorde": 2368017141})
    assert_400(nieuw, ["volgorde"])
    gewijzigd = client.patch("/v1/codelijsten/kanaal/video", headers=admin, json={"volgorde": 2368017141})
    assert_400(gewijzigd, ["volgorde"])
