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

# Ordinary text the guard must leave alone: tests/persoonsgegevens_corpus.py (ACCEPTEREN), checked in
# tests/test_persoonsgegevens_corpus.py.


@pytest.mark.parametrize(("tekst", "soort"), GEVALLEN, ids=[t for t, _ in GEVALLEN])
def test_finds_each_kind(tekst: str, soort: Soort) -> None:
    assert soort in vind(tekst)


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


# One value of each kind, as people type them (issue 22: names and ids were checked for a BSN only).
ELK_SOORT = {
    Soort.bsn: "111 - 222 - 333",
    Soort.email: "fatima at example dot nl",
    Soort.telefoon: "(06) 12345678",
    Soort.iban: "NL91  ABNA  0417  1643  00",
    Soort.adres: "3511AB, nr 12",
}


@pytest.mark.parametrize("soort", list(ELK_SOORT), ids=[s.name for s in ELK_SOORT])
def test_every_name_refuses_every_kind(client: TestClient, session: Session, soort: Soort) -> None:
    from tests.toegang.helpers import admin_key

    waarde = ELK_SOORT[soort]
    organisatie = make_organisatie(session)
    org = make_key(session, organisatie=organisatie, scopes=("registreren",))
    beheer = admin_key(session)
    verzoeken = {
        "ketenpartner": client.post("/v1/ketenpartners", json={"naam": f"Partner {waarde}", "categorie": "huisarts"}, headers=org),
        "sleutelpersoon": client.post("/v1/sleutelpersonen", headers=org, json={
            "weergavenaam": f"Fatima {waarde}", "dienstverband": "vrijwilliger", "actiefVanaf": "2024-01-01", "gemeentecode": "GM0344"}),
        "organisatie": client.post("/v1/organisaties", headers=beheer,
                                   json={"naam": f"Stichting {waarde}", "soort": "overig", "gemeentecodes": ["GM0344"]}),
        "organisatie wijzigen": client.patch(f"/v1/organisaties/{organisatie.id}", headers=beheer, json={"naam": f"Stichting {waarde}"}),
        "API-sleutel": client.post("/v1/api-sleutels", headers=beheer, json={
            "naam": f"App van {waarde}", "scopes": ["registreren"], "organisatieId": str(organisatie.id)}),
    }
    for wat, response in verzoeken.items():
        assert response.status_code == 400, f"{wat}: {response.status_code} {response.text}"
        [param] = response.json()["invalidParams"]
        assert soort.value in param["reason"], wat
        assert waarde not in response.text, wat


def test_a_partners_service_number_is_not_personal_data(client: TestClient, session: Session) -> None:
    org = make_key(session, organisatie=make_organisatie(session), scopes=("registreren",))
    for naam in ("Huisartsenpost 0900-1234567", "Gemeente Utrecht 14 030", "Zorgverzekeraar 088-1234567", "Thuiszorg 0800 0123"):
        response = client.post("/v1/ketenpartners", json={"naam": naam, "categorie": "overig"}, headers=org)
        assert response.status_code == 201, (naam, response.text)
    # A fixed line or mobile number is a person's, or may be: refused.
    response = client.post("/v1/ketenpartners", json={"naam": "Huisartsenpost 030-1234567", "categorie": "huisarts"}, headers=org)
    assert response.status_code == 400


@pytest.mark.parametrize("soort", list(ELK_SOORT), ids=[s.name for s in ELK_SOORT])
def test_import_file_and_sheet_names_refuse_every_kind(client: TestClient, session: Session, soort: Soort) -> None:
    org = make_key(session, organisatie=make_organisatie(session), scopes=("registreren",))
    waarde = ELK_SOORT[soort]
    csv = {"Content-Type": "text/csv"}
    for params in ({"bestandsnaam": f"logboek {waarde}.csv"}, {"blad": f"blad {waarde}"}):
        response = client.post("/v1/imports", content=b"Datum\n", headers={**org, **csv}, params=params)
        assert response.status_code == 400, response.text
        assert [p["name"] for p in response.json()["invalidParams"]] == list(params)
        assert soort.value in response.json()["invalidParams"][0]["reason"]
    # The same fields in a form, and a form file's own name (kept as a label only: left out when it holds personal data).
    formulier = client.post("/v1/imports", headers=org, data={"bestandsnaam": f"logboek {waarde}.csv"},
                            files={"bestand": ("x.csv", b"Datum\n", "text/csv")})
    assert formulier.status_code == 400, formulier.text
    assert [p["name"] for p in formulier.json()["invalidParams"]] == ["bestandsnaam"]
    bestand = client.post("/v1/imports", headers=org, params={"proefdraai": "true"},
                          files={"bestand": (f"logboek {waarde}.csv", b"Datum;Sleutelpersoon\n", "text/csv")})
    assert bestand.status_code == 201, bestand.text
    assert bestand.json()["bestandsnaam"] == "(weggelaten: bevat persoonsgegevens)"


@pytest.mark.parametrize("soort", list(ELK_SOORT), ids=[s.name for s in ELK_SOORT])
def test_extern_ids_refuse_every_kind(client: TestClient, session: Session, soort: Soort) -> None:
    org = make_key(session, organisatie=make_organisatie(session), scopes=("registreren",))
    waarde = ELK_SOORT[soort]
    signaal = client.post("/v1/signalen", json=signaal_body(externId=waarde), headers=org)
    assert signaal.status_code == 400
    assert [p["name"] for p in signaal.json()["invalidParams"]] == ["externId"]
    assert soort.value in signaal.json()["invalidParams"][0]["reason"]
    contact = client.post("/v1/contactmomenten", json={"externId": waarde}, headers=org)
    assert "externId" in [p["name"] for p in contact.json()["invalidParams"]]


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
