"""The demo's reporting cycle: a quarterly rhythm; for the last ended quarter one organisation approved, one
submitted and one late; what the region's completeness table and rapportagegraad show."""

from datetime import date

from fastapi.testclient import TestClient
from sqlmodel import Session

from app import demo
from app.core.validation import vandaag
from app.rapportage.periodes import periode_van
from tests.factories import make_key


def test_demo_region_sees_approved_submitted_and_late(client: TestClient, session: Session) -> None:
    today = date(2026, 12, 7)  # 2026Q3 ended on 30 September; its deadline (30 days) has passed
    samenvatting = demo.laad_demo_data(session, aantal=120, seed=7, today=today)
    rollen = samenvatting["rapportage"]
    assert rollen["periode"] == "2026Q3"
    regio = make_key(session, gemeentecodes=["GM0344", "GM0307"], scopes=("rapporteren", "goedkeuren"))
    [ritme] = client.get("/v1/rapportageritmes", headers=regio).json()
    assert ritme["ritme"] == "kwartaal" and len(ritme["organisaties"]) == 3
    tabel = client.get(f"/v1/rapportageritmes/{ritme['id']}/periodes", headers=regio, params={"periode": "2026Q3"}).json()
    gezien = sorted((v["status"], v["tijdig"]) for v in tabel)
    assert vandaag() > date(2026, 10, 30)  # the deadline of 2026Q3 has passed for the service too
    assert gezien == [("goedgekeurd", True), ("ingediend", True), ("open", False)]
    ggd = next(v for v in tabel if v["status"] == "goedgekeurd")
    assert [s["actie"] for s in ggd["historie"]] == ["ingediend", "goedgekeurd"]
    graad = client.get("/v1/indicatoren/rapportagegraad/waarden", headers=regio, params={"periode": "2026Q3"}).json()
    assert (graad["rijen"][0]["teller"], graad["rijen"][0]["noemer"]) == (2, 3)
    assert periode_van("kwartaal", today).label == "2026Q4"
