"""The verantwoording's Status section: the region's reporting periods within the report's period, as
`GET /v1/rapportageperiodes` gives them to the organisation (submitted, approved, open)."""

import io
from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import Session

from tests.rapportage.factories import make_ritme, make_status
from tests.verantwoording.conftest import pdf_onmogelijk
from tests.verantwoording.test_verantwoording import JAAR, URL, _blad, data  # noqa: F401  (the fixture)


def test_status_van_de_kwartalen(client: TestClient, session: Session, data: dict[str, Any]) -> None:  # noqa: F811
    org = data["a"]["organisatie"]
    ritme = make_ritme(session, [org], vanaf=date(JAAR, 1, 1))
    make_status(session, ritme, org, periode=f"{JAAR}Q1", status="goedgekeurd")
    make_status(session, ritme, org, periode=f"{JAAR}Q2", status="ingediend")
    session.commit()
    antwoord = client.get(URL, params={"periode": JAAR, "formaat": "xlsx"}, headers=data["a"]["headers"])
    assert antwoord.status_code == 200, antwoord.text
    rijen = {r["Periode"]: r for r in _blad(load_workbook(io.BytesIO(antwoord.content)), "Status")}
    assert set(rijen) == {f"{JAAR}Q1", f"{JAAR}Q2", f"{JAAR}Q3", f"{JAAR}Q4"}
    assert (rijen[f"{JAAR}Q1"]["Status"], rijen[f"{JAAR}Q1"]["Op tijd"]) == ("Goedgekeurd", "ja")
    assert rijen[f"{JAAR}Q1"]["Goedgekeurd op"].date() == date(JAAR, 4, 1)
    assert rijen[f"{JAAR}Q2"]["Status"] == "Ingediend" and rijen[f"{JAAR}Q3"]["Status"] == "Open"
    assert rijen[f"{JAAR}Q3"]["Op tijd"] == "nee"  # its deadline has passed without a submission
    kwartaal = client.get(URL, params={"periode": f"{JAAR}Q2"}, headers=data["a"]["headers"])
    assert {r["Periode"] for r in _blad(load_workbook(io.BytesIO(kwartaal.content)), "Status")} == {f"{JAAR}Q2"}
    if pdf_onmogelijk() is None:
        pdf = client.get(URL, params={"periode": JAAR, "formaat": "pdf"}, headers=data["a"]["headers"])
        assert pdf.status_code == 200
