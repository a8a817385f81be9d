"""The one personal-data guard (app.core.persoonsgegevens), and its use in every free-text field."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core import persoonsgegevens
from app.core.persoonsgegevens import Soort, vind
from tests.factories import make_key, make_organisatie
from tests.signalen.factories import signaal_body

GEVALLEN: list[tuple[str, Soort]] = [
    ("bsn 111222333", Soort.bsn),
    ("nummer 111-222-333 genoemd", Soort.bsn),
    ("111.222.333", Soort.bsn),
    ("1234.56.782", Soort.bsn),
    ("123 456 782", Soort.bsn),
    ("mail fatima.x@example.nl even", Soort.email),
    ("bel 06-12345678", Soort.telefoon),
    ("bel 0612345678", Soort.telefoon),
    ("bel 06 1234 5678", Soort.telefoon),
    ("bel +31 6 12345678", Soort.telefoon),
    ("bel +31 (0)6 1234 5678", Soort.telefoon),
    ("bel 0031612345678", Soort.telefoon),
    ("bel 010-1234567", Soort.telefoon),
    ("bel 020 123 4567", Soort.telefoon),
    ("rekening NL91ABNA0417164300", Soort.iban),
    ("rekening NL91 ABNA 0417 1643 00 graag", Soort.iban),
    ("rekening nl91abna0417164300", Soort.iban),
    ("woont op 1234 AB 12", Soort.adres),
    ("woont op 3511AB 7-2", Soort.adres),
    ("Hoofdstraat 12, 1234 AB Utrecht", Soort.adres),
]

SCHOON = [
    "Eritrese moeders kennen het consultatiebureau niet.",
    "In 2025 kwamen 12 moeders; op 14-03-2026 om 10.30 uur weer 8.",
    "Bijeenkomst op 01-02-2025 10 deelnemers",
    "crm-2025-000123",
    "order 1234567820",
    "Postcodegebied 3511 AB zonder huisnummer",
    "NL91ABNA0417164301 is geen geldig IBAN",
    "Bel de huisartsenpost (zie de website)",
    "111222334 faalt de elfproef",
]


@pytest.mark.parametrize(("tekst", "soort"), GEVALLEN, ids=[t for t, _ in GEVALLEN])
def test_finds_each_kind(tekst: str, soort: Soort) -> None:
    assert soort in vind(tekst)


@pytest.mark.parametrize("tekst", SCHOON)
def test_leaves_ordinary_text_alone(tekst: str) -> None:
    assert vind(tekst) == []


def test_reason_names_the_kind_never_the_value() -> None:
    [problem] = persoonsgegevens.controleer({"omschrijving": "bel 06-12345678 of mail a@b.nl"})
    assert problem["name"] == "omschrijving"
    assert "telefoonnummer" in problem["reason"] and "e-mailadres" in problem["reason"]
    assert "12345678" not in problem["reason"] and "a@b.nl" not in problem["reason"]


def _velden_signaal() -> dict[str, dict[str, Any]]:
    return {
        "titel": {"titel": "{}"},
        "omschrijving": {"omschrijving": "{}"},
    }


@pytest.mark.parametrize(("tekst", "soort"), [GEVALLEN[1], GEVALLEN[5], GEVALLEN[7], GEVALLEN[14], GEVALLEN[17]])
@pytest.mark.parametrize("veld", ["titel", "omschrijving"])
def test_signal_free_text_is_guarded(client: TestClient, session: Session, veld: str, tekst: str, soort: Soort) -> None:
    org = make_key(session, organisatie=make_organisatie(session), scopes=("registreren",))
    response = client.post("/v1/signalen", json=signaal_body(**{veld: tekst}), headers=org)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    [param] = response.json()["invalidParams"]
    assert param["name"] == veld
    assert soort.value in param["reason"]
    assert tekst not in response.text


def test_feedback_and_externid_are_guarded(client: TestClient, session: Session) -> None:
    org = make_key(session, organisatie=make_organisatie(session), scopes=("registreren",))
    response = client.post("/v1/signalen", json=signaal_body(externId="111222333"), headers=org)
    assert [p["name"] for p in response.json()["invalidParams"]] == ["externId"]
    signaal = client.post("/v1/signalen", json=signaal_body(), headers=org).json()
    regio = make_key(session, gemeentecodes=["GM0344"], scopes=("signalen",))
    url = f"/v1/ontvangen-signalen/{signaal['id']}"
    client.patch(url, json={"status": "ontvangen"}, headers=regio)
    response = client.patch(
        url, json={"status": "opgepakt", "terugkoppeling": {"tekst": "Mail j.jansen@gemeente.nl", "datum": signaal["datum"]}}, headers=regio
    )
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalidParams"]] == ["terugkoppeling.tekst"]
    assert "j.jansen" not in response.text


def test_names_of_key_persons_and_partners_refuse_a_bsn(client: TestClient, session: Session) -> None:
    organisatie = make_organisatie(session)
    org = make_key(session, organisatie=organisatie, scopes=("registreren",))
    response = client.post("/v1/ketenpartners", json={"naam": "Partner 111222333", "categorie": "huisarts"}, headers=org)
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalidParams"]] == ["naam"]
    # A partner's own phone number is business data, not personal data.
    ok = client.post("/v1/ketenpartners", json={"naam": "Huisartsenpost 030-1234567", "categorie": "huisarts"}, headers=org)
    assert ok.status_code == 201, ok.text
    sleutelpersoon = {"weergavenaam": "Fatima 06-12345678", "dienstverband": "vrijwilliger", "actiefVanaf": "2024-01-01",
                      "gemeentecode": "GM0344"}
    response = client.post("/v1/sleutelpersonen", json=sleutelpersoon, headers=org)
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalidParams"]] == ["weergavenaam"]
    assert "telefoonnummer" in response.json()["invalidParams"][0]["reason"]


def test_contactmoment_externid_refuses_a_bsn(client: TestClient, session: Session) -> None:
    org = make_key(session, organisatie=make_organisatie(session), scopes=("registreren",))
    response = client.post("/v1/contactmomenten", json={"externId": "111-222-333"}, headers=org)
    assert response.status_code == 400
    assert "externId" in [p["name"] for p in response.json()["invalidParams"]]
    # Inside a longer id a BSN-like run is allowed: random ids would otherwise fail one time in ~700.
    response = client.post("/v1/contactmomenten", json={"externId": "crm-123456782a"}, headers=org)
    assert "externId" not in [p["name"] for p in response.json()["invalidParams"]]


def test_identifier_check_is_on_the_whole_value() -> None:
    assert persoonsgegevens.is_bsn_als_waarde("111222333")
    assert persoonsgegevens.is_bsn_als_waarde(" 111.222.333 ")
    assert not persoonsgegevens.is_bsn_als_waarde("crm-111222333")
    assert not persoonsgegevens.is_bsn_als_waarde("111222334")


def test_control_characters_are_refused_in_text_and_ids(client: TestClient, session: Session) -> None:
    org = make_key(session, organisatie=make_organisatie(session), scopes=("registreren",))
    body = signaal_body(titel="a\u0000b", omschrijving="regel een\nregel twee\tmet tab", externId="x\u0000")
    response = client.post("/v1/signalen", json=body, headers=org)
    assert response.status_code == 400
    assert sorted(p["name"] for p in response.json()["invalidParams"]) == ["externId", "titel"]


def test_code_list_labels_refuse_control_characters(client: TestClient, session: Session) -> None:
    from tests.toegang.helpers import admin_key

    response = client.post("/v1/codelijsten/onderwerp", json={"code": "nul", "label": "a\u0000b", "synoniemen": ["c\u0000"]},
                           headers=admin_key(session))
    assert response.status_code == 400
    assert sorted(p["name"] for p in response.json()["invalidParams"]) == ["label", "synoniemen[0]"]
