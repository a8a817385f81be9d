"""POST /v1/imports as any client sends it: a form upload (browser, Postman) and application/octet-stream."""

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.models import Contactmoment
from tests.factories import make_key
from tests.helpers import assert_400, assert_problem
from tests.imports.helpers import KOP, Omgeving, csv_bytes, rij, xlsx_bytes

URL = "/v1/imports"


@pytest.fixture
def sleutel(session: Session, omgeving: Omgeving) -> dict[str, str]:
    return make_key(session, organisatie=omgeving.organisatie, scopes=("registreren", "inzien"))


def _aantal(session: Session, omgeving: Omgeving) -> int:
    return session.exec(
        select(func.count()).select_from(Contactmoment).where(Contactmoment.organisatie_id == omgeving.organisatie.id)
    ).one()


def test_form_upload_with_options_as_fields(client: TestClient, session: Session, omgeving: Omgeving, sleutel: dict[str, str]) -> None:
    inhoud = csv_bytes([rij(), rij(Datum="31-2-2025")])
    response = client.post(URL, headers=sleutel, files={"bestand": ("logboek-2024.csv", inhoud, "text/csv")},
                           data={"perRij": "true", "proefdraai": "false"})
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["formaat"], body["bestandsnaam"], body["modus"], body["aangemaakt"], body["afgewezen"]) == (
        "csv", "logboek-2024.csv", "per-rij", 1, 1
    )
    assert _aantal(session, omgeving) == 1


def test_form_fields_win_from_the_query(client: TestClient, session: Session, omgeving: Omgeving, sleutel: dict[str, str]) -> None:
    response = client.post(URL, headers=sleutel, params={"proefdraai": "false"},
                           files={"bestand": ("x.csv", csv_bytes([rij()]), "text/csv")}, data={"proefdraai": "on"})
    assert response.status_code == 201, response.text
    assert response.json()["proefdraai"] is True  # a browser checkbox sends `on`
    assert _aantal(session, omgeving) == 0


def test_form_file_without_media_type_is_recognised(client: TestClient, session: Session, omgeving: Omgeving, sleutel: dict[str, str]) -> None:
    # Postman and some generated clients send every file part as application/octet-stream.
    response = client.post(URL, headers=sleutel, files={"bestand": ("export", csv_bytes([rij()]), "application/octet-stream")})
    assert response.status_code == 201, response.text
    assert response.json()["formaat"] == "csv"


def test_bad_form_lists_every_problem(client: TestClient, sleutel: dict[str, str]) -> None:
    response = client.post(URL, headers=sleutel, data={"perRij": "misschien", "kleur": "blauw"},
                           files={"iets": ("x.csv", b"a;b", "text/csv")})
    reasons = assert_400(response, ["perRij", "kleur", "iets", "bestand"])
    assert reasons["bestand"] == "Voeg het logboek toe als bestandsveld `bestand`."
    assert response.json()["detail"].startswith("Het formulier bevat 4 fouten")


def test_octet_stream_with_a_file_name(client: TestClient, sleutel: dict[str, str]) -> None:
    inhoud = csv_bytes([rij()])
    response = client.post(URL, headers={**sleutel, "Content-Type": "application/octet-stream"}, content=inhoud,
                           params={"bestandsnaam": "logboek.csv"})
    assert response.status_code == 201, response.text
    assert response.json()["formaat"] == "csv"


def test_octet_stream_recognises_xlsx_from_its_content(client: TestClient, session: Session, omgeving: Omgeving, sleutel: dict[str, str]) -> None:
    inhoud = xlsx_bytes({"Logboek": [KOP, rij()]})
    response = client.post(URL, headers={**sleutel, "Content-Type": "application/octet-stream"}, content=inhoud)
    assert response.status_code == 201, response.text
    assert (response.json()["formaat"], response.json()["status"]) == ("xlsx", "geslaagd")
    assert _aantal(session, omgeving) == 1


def test_old_excel_as_octet_stream_is_415(client: TestClient, sleutel: dict[str, str]) -> None:
    response = client.post(URL, headers={**sleutel, "Content-Type": "application/octet-stream"},
                           content=b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    assert_problem(response, 415, "Mediatype niet ondersteund")
    assert ".xls" in response.json()["detail"]


def test_document_offers_one_upload_body_and_each_option_once() -> None:
    """Issue 28: one body type (openapi-generator picked `application/x-ndjson` out of five and failed), and
    every option either a query parameter or a form field, never both (generators made `proefdraai2`)."""
    from app.main import create_app

    doc = create_app().openapi()
    operatie = doc["paths"]["/imports"]["post"]
    body = operatie["requestBody"]["content"]
    assert list(body) == ["multipart/form-data"]
    assert body["multipart/form-data"]["schema"] == {"$ref": "#/components/schemas/ImportFormulier"}
    velden = list(doc["components"]["schemas"]["ImportFormulier"]["properties"])
    assert velden[0] == "bestand" and velden == ["bestand", "mapping"]
    query = {p["name"] for p in operatie["parameters"] if p["in"] == "query"}
    assert query == {"proefdraai", "perRij", "nieuweSleutelpersonenAanmaken", "nieuweKetenpartnersAanmaken", "blad",
                     "bestandsnaam", "opgeslagenMapping"}
    assert not query & set(velden)


def test_options_in_the_query_are_not_deprecated(client: TestClient, sleutel: dict[str, str]) -> None:
    response = client.post(URL, headers=sleutel, params={"perRij": "true", "proefdraai": "true"},
                           files={"bestand": ("x.csv", csv_bytes([rij(), rij(Datum="31-2-2025")]), "text/csv")},
                           data={"mapping": "waarden: {}\n"})
    assert response.status_code == 201, response.text
    assert (response.json()["modus"], response.json()["proefdraai"]) == ("per-rij", True)
    assert "Deprecation" not in response.headers


def test_options_as_form_fields_still_work_and_say_deprecation(client: TestClient, sleutel: dict[str, str]) -> None:
    response = client.post(URL, headers=sleutel, files={"bestand": ("x.csv", csv_bytes([rij()]), "text/csv")},
                           data={"proefdraai": "true"})
    assert response.status_code == 201, response.text
    assert response.json()["proefdraai"] is True
    assert response.headers["Deprecation"].startswith("@")
    assert int(response.headers["Deprecation"][1:]) > 0


def test_error_report_in_both_csv_dialects(client: TestClient, sleutel: dict[str, str]) -> None:
    import csv
    import io

    inhoud = csv_bytes([rij(Onderwerp="Astrologie", Sleutelpersoon="Fatima E.", Datum="2-3-2025")])
    body = client.post(URL, headers=sleutel, files={"bestand": ("x.csv", inhoud, "text/csv")}).json()
    excel = client.get(f"/v1/imports/{body['id']}/fouten", headers=sleutel)
    regels = list(csv.DictReader(io.StringIO(excel.content.decode("utf-8-sig")), delimiter=";"))
    assert [(r["rij"], r["datum"], r["sleutelpersoon"], r["kolom"]) for r in regels] == [("2", "2-3-2025", "Fatima E.", "Onderwerp")]
    tools = client.get(f"/v1/imports/{body['id']}/fouten", params={"formaat": "csv-rfc4180"}, headers=sleutel)
    assert tools.headers["content-type"] == "text/csv; charset=utf-8; header=present"
    assert list(csv.DictReader(io.StringIO(tools.text))) == regels


def test_unreadable_form_is_a_dutch_400(client: TestClient, sleutel: dict[str, str]) -> None:
    bestanden = [("bestand", (f"x{i}.csv", b"a;b", "text/csv")) for i in range(6)]
    response = client.post(URL, headers=sleutel, files=bestanden)
    reasons = assert_400(response, ["body"])
    assert reasons["body"].startswith("Het formulier is niet te lezen")
    kapot = client.post(URL, headers={**sleutel, "Content-Type": "multipart/form-data; boundary=x"}, content=b"--x\r\nrommel")
    assert kapot.status_code == 400 and kapot.headers["content-type"] == "application/problem+json"
