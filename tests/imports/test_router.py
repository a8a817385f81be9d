"""POST /v1/imports (201 in the request; the 202 job path is in test_taken.py), GET the runs, the CSV error report, tenancy."""

import uuid

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.imports import router as imports_router
from app.models import AuditRegel, Contactmoment, ImportRun
from tests.factories import make_key
from tests.helpers import zonder_code
from tests.imports.helpers import (
    ASTROLOGIE,
    Omgeving,
    csv_bytes,
    maak_omgeving,
    ndjson_bytes,
    rij,
    xlsx_bytes,
)

CSV = {"Content-Type": "text/csv"}
XLSX = {"Content-Type": imports_router.XLSX_MEDIA_TYPE}


@pytest.fixture
def sleutel(session: Session, omgeving: Omgeving) -> dict[str, str]:
    return make_key(session, organisatie=omgeving.organisatie, scopes=("registreren",))


def _post(client: TestClient, sleutel: dict[str, str], body: bytes, *, headers: dict[str, str] = CSV, **params: object):  # type: ignore[no-untyped-def]
    return client.post("/v1/imports", content=body, headers={**sleutel, **headers}, params=params)


def test_small_csv_is_imported_in_the_request(client: TestClient, session: Session, omgeving: Omgeving, sleutel: dict[str, str]) -> None:
    response = _post(client, sleutel, csv_bytes([rij(), rij(Datum="15-3-2025")]), bestandsnaam="logboek.csv")
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["Location"] == f"/v1/imports/{body['id']}"
    assert {k: body[k] for k in ("status", "modus", "proefdraai", "formaat", "bestandsnaam", "gelezen", "verwerkt",
                                 "aangemaakt", "bijgewerkt", "ongewijzigd", "afgewezen", "fouten")} == {
        "status": "geslaagd", "modus": "atomair", "proefdraai": False, "formaat": "csv", "bestandsnaam": "logboek.csv",
        "gelezen": 2, "verwerkt": 2, "aangemaakt": 2, "bijgewerkt": 0, "ongewijzigd": 0, "afgewezen": 0, "fouten": [],
    }
    assert {"kolom": "Cliëntnummer", "veld": "inwonerReferentie"} in body["kolommen"]
    assert session.exec(select(func.count()).select_from(Contactmoment).where(Contactmoment.organisatie_id == omgeving.organisatie.id)).one() == 2
    regel = session.exec(select(AuditRegel).where(AuditRegel.resource_type == "import")).one()
    assert (regel.actie, regel.resource_id, regel.aantal, regel.api_sleutel_id is not None) == ("geimporteerd", body["id"], 2, True)


def test_options_as_query_keys(client: TestClient, session: Session, omgeving: Omgeving, sleutel: dict[str, str]) -> None:
    bestand = csv_bytes([rij(Sleutelpersoon="Nieuw N.", Doorverwezen_naar="Taalhuis"), rij(Datum="31-2-2025")])
    response = _post(client, sleutel, bestand, proefdraai="true", perRij="true",
                     nieuweSleutelpersonenAanmaken="true", nieuweKetenpartnersAanmaken="true")
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["status"], body["modus"], body["proefdraai"], body["aangemaakt"], body["afgewezen"]) == (
        "gedeeltelijk", "per-rij", True, 1, 1
    )
    assert (body["nieuweSleutelpersonenAanmaken"], body["nieuweKetenpartnersAanmaken"]) == (True, True)
    assert body["nieuweSleutelpersonen"] == ["Nieuw N."]
    assert body["nieuweKetenpartners"] == [{"naam": "Taalhuis", "categorie": "taalaanbieder"}]
    assert body["fouten"] == [
        {"kolom": "Datum", "waarde": "31-2-2025", "reden": "`31-2-2025` is geen bestaande datum.", "aantal": 1, "rijen": [3]}
    ]
    assert session.exec(select(func.count()).select_from(Contactmoment).where(Contactmoment.organisatie_id == omgeving.organisatie.id)).one() == 0


def test_atomic_failure_is_reported_and_the_error_csv_downloads(client: TestClient, omgeving: Omgeving, sleutel: dict[str, str]) -> None:
    bestand = csv_bytes([rij(Onderwerp="Astrologie"), rij(), rij(Onderwerp="Astrologie")])
    response = _post(client, sleutel, bestand)
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["aangemaakt"], body["afgewezen"]) == ("mislukt", 0, 2)
    assert body["melding"].startswith("Er is niets opgeslagen: 2 van de 3 rijen zijn afgekeurd")

    fouten = client.get(f"/v1/imports/{body['id']}/fouten", headers={**sleutel, "Accept": "text/csv"})
    assert fouten.status_code == 200
    assert fouten.headers["content-type"] == "text/csv; charset=utf-8"
    assert fouten.headers["content-disposition"] == f'attachment; filename="import-{body["id"]}-fouten.csv"'
    assert fouten.content.decode("utf-8-sig").splitlines() == [
        "rij;datum;sleutelpersoon;kolom;waarde;reden",
        "2;14-3-2025;Mays A.;Onderwerp;Astrologie;" + ASTROLOGIE,
        "4;14-3-2025;Mays A.;Onderwerp;Astrologie;" + ASTROLOGIE,
    ]


def test_xlsx_with_named_sheet_and_ndjson(client: TestClient, omgeving: Omgeving, sleutel: dict[str, str]) -> None:
    from tests.imports.helpers import KOP

    werkboek = xlsx_bytes({"Leeg": [["niets"]], "2025": [KOP, rij(), rij(Datum="16-3-2025")]})
    response = _post(client, sleutel, werkboek, headers=XLSX, blad="2025")
    assert response.status_code == 201, response.text
    assert (response.json()["formaat"], response.json()["blad"], response.json()["aangemaakt"]) == ("xlsx", "2025", 2)

    regel = {"sleutelpersoonId": str(omgeving.mays.id), "datum": "2025-03-14", "gemeentecode": "GM0344",
             "kanaal": "telefonisch", "onderwerpen": ["zorg.huisarts"], "externId": "app-1"}
    response = _post(client, sleutel, ndjson_bytes([regel]), headers={"Content-Type": "application/x-ndjson"})
    assert response.status_code == 201, response.text
    assert (response.json()["formaat"], response.json()["aangemaakt"]) == ("ndjson", 1)


def test_unreadable_file_is_a_failed_run(client: TestClient, sleutel: dict[str, str]) -> None:
    response = _post(client, sleutel, b"dit is geen werkboek", headers=XLSX)
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["melding"]) == ("mislukt", "Het bestand is geen geldig xlsx-bestand (Excel 2007 of nieuwer).")
    assert body["fouten"] == [{"kolom": None, "waarde": "", "reden": body["melding"], "aantal": 1, "rijen": []}]


def test_charset_in_content_type_is_used(client: TestClient, sleutel: dict[str, str]) -> None:
    bestand = csv_bytes([rij(Onderwerp="Financiën")], codering="latin-1")
    response = _post(client, sleutel, bestand, headers={"Content-Type": "text/csv; charset=ISO-8859-1"})
    assert response.status_code == 201
    assert response.json()["aangemaakt"] == 1


def test_unsupported_media_type_is_415(client: TestClient, sleutel: dict[str, str]) -> None:
    response = _post(client, sleutel, b"a,b", headers={"Content-Type": "application/json"})
    assert response.status_code == 415
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["title"] == "Mediatype niet ondersteund"
    assert response.json()["detail"].startswith("Mediatype `application/json` wordt niet ondersteund")
    # Without a usable Content-Type the file name's extension decides.
    met_naam = _post(client, sleutel, csv_bytes([rij()]), headers={"Content-Type": "application/octet-stream"}, bestandsnaam="x.csv")
    assert met_naam.status_code == 201


def test_empty_body_and_bad_options_are_400(client: TestClient, sleutel: dict[str, str]) -> None:
    leeg = _post(client, sleutel, b"")
    assert leeg.status_code == 400
    assert zonder_code(leeg.json()["invalidParams"]) == [{"name": "body", "reason": "Het bestand is leeg; stuur het bestand zelf als body."}]
    fout = _post(client, sleutel, csv_bytes([rij()]), perRij="misschien")
    assert fout.status_code == 400
    assert [p["name"] for p in fout.json()["invalidParams"]] == ["perRij"]
    charset = _post(client, sleutel, csv_bytes([rij()]), headers={"Content-Type": "text/csv; charset=klingon"})
    assert charset.status_code == 400


def test_oversize_upload_is_413(client: TestClient, sleutel: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    from app.core.config import get_settings

    monkeypatch.setattr(get_settings(), "max_import_bytes", 2048)
    response = _post(client, sleutel, csv_bytes([rij()] * 40))
    assert response.status_code == 413
    assert response.json()["title"] == "Verzoek te groot"


def test_registering_scope_is_needed_to_import(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    lezer = make_key(session, organisatie=omgeving.organisatie, scopes=("inzien",))
    response = _post(client, lezer, csv_bytes([rij()]))
    assert response.status_code == 403
    assert response.json()["detail"] == "Deze API-sleutel mist de scope `registreren`."
    regio = make_key(session, scopes=("rapporteren",), gemeentecodes=["GM0344"])
    assert _post(client, regio, csv_bytes([rij()])).status_code == 403


# --- reading runs ------------------------------------------------------------------------------


def test_list_shows_only_own_runs_newest_first(client: TestClient, session: Session, omgeving: Omgeving, sleutel: dict[str, str]) -> None:
    andere = maak_omgeving(session)
    andere_sleutel = make_key(session, organisatie=andere.organisatie, scopes=("registreren",))
    eerste = _post(client, sleutel, csv_bytes([rij()])).json()["id"]
    tweede = _post(client, sleutel, csv_bytes([rij(Onderwerp="Astrologie")])).json()["id"]
    _post(client, andere_sleutel, csv_bytes([rij()]))

    response = client.get("/v1/imports", headers=sleutel)
    assert response.status_code == 200
    assert [r["id"] for r in response.json()] == [tweede, eerste]
    assert response.headers["X-Total-Count"] == "2"
    assert "fouten" not in response.json()[0]
    mislukt = client.get("/v1/imports", headers=sleutel, params={"status": "mislukt"})
    assert [r["id"] for r in mislukt.json()] == [tweede]
    assert client.get("/v1/imports", headers=sleutel, params={"status": "raar"}).status_code == 400


def test_other_organisations_run_is_404(client: TestClient, session: Session, omgeving: Omgeving, sleutel: dict[str, str]) -> None:
    andere = maak_omgeving(session)
    andere_sleutel = make_key(session, organisatie=andere.organisatie, scopes=("registreren",))
    run_id = _post(client, andere_sleutel, csv_bytes([rij()])).json()["id"]
    for pad in (f"/v1/imports/{run_id}", f"/v1/imports/{run_id}/fouten", f"/v1/imports/{uuid.uuid4()}"):
        response = client.get(pad, headers=sleutel)
        assert response.status_code == 404, pad
        assert response.json()["title"] == "Niet gevonden"
    assert client.get(f"/v1/imports/{run_id}", headers=andere_sleutel).status_code == 200
    lezer = make_key(session, organisatie=andere.organisatie, scopes=("inzien",))
    assert client.get(f"/v1/imports/{run_id}", headers=lezer).status_code == 200
    assert session.get(ImportRun, uuid.UUID(run_id)) is not None
