"""Targets that follow the reader (issue 25, part 3): spread over quarters and months, pace, per group
value, shared with regional keys, in the exports; on both databases."""

import csv
import io
import re
import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import Session, select

from app.core.validation import vandaag
from app.doelen import koppeling
from app.models import AuditRegel, Contactmoment, ContactmomentOnderwerp, Organisatie
from tests.factories import make_key, make_organisatie, make_sleutelpersoon
from tests.helpers import assert_400

YEAR = vandaag().year - 1  # a whole past year: no date is in the future
URL = "/v1/indicatoren/aantal-contactmomenten/waarden"


def _contacten(session: Session, organisatie: Organisatie, aantal: int, *, van: date, tot: date,
               gemeente: str = "GM0344", personen: int = 3, onderwerp: str = "geld.toeslagen") -> None:
    """`aantal` contacts spread evenly over [van, tot), by `personen` key persons taking turns."""
    mensen = [make_sleutelpersoon(session, organisatie) for _ in range(personen)]
    dagen = (tot - van).days
    for i in range(aantal):
        record = Contactmoment(organisatie_id=organisatie.id, sleutelpersoon_id=mensen[i % personen].id,
                               datum=van + timedelta(days=i * dagen // aantal), gemeentecode=gemeente, kanaal="persoonlijk",
                               soort="individueel", inhoud_hash=uuid.uuid4().hex)
        session.add(record)
        session.flush()
        session.add(ContactmomentOnderwerp(contactmoment_id=record.id, onderwerp=onderwerp))
    session.flush()


def _doel(client: TestClient, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    body.setdefault("indicator", "aantal-contactmomenten")
    body.setdefault("periode", str(YEAR))
    response = client.post("/v1/doelen", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def _rijen(client: TestClient, headers: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    params.setdefault("periode", str(YEAR))
    response = client.get(URL if "code" not in params else f"/v1/indicatoren/{params.pop('code')}/waarden",
                          params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["rijen"]


@pytest.fixture
def org(session: Session) -> dict[str, Any]:
    organisatie = make_organisatie(session, gemeentecodes=["GM0344", "GM0345"])
    return {"org": organisatie, "headers": make_key(session, organisatie=organisatie, scopes=("registreren", "rapporteren"))}


def test_a_year_target_spreads_over_quarters_and_months_summing_to_the_year(client: TestClient, org: dict[str, Any]) -> None:
    _doel(client, org["headers"], waarde=1000)
    kwartalen = _rijen(client, org["headers"], interval="kwartaal")
    maanden = _rijen(client, org["headers"], interval="maand")
    assert all("doel" in r for r in kwartalen + maanden)
    assert round(100 * sum(r["doel"] for r in kwartalen)) == 100_000
    assert round(100 * sum(r["doel"] for r in maanden)) == 100_000
    dagen = (date(YEAR + 1, 1, 1) - date(YEAR, 1, 1)).days
    assert maanden[0]["doel"] == pytest.approx(1000 * 31 / dagen, abs=0.01)  # pro rata by days
    for q, kwartaal in enumerate(kwartalen):
        assert round(100 * sum(m["doel"] for m in maanden[3 * q:3 * q + 3])) == round(100 * kwartaal["doel"])
    # The whole year without an interval: the target itself.
    assert _rijen(client, org["headers"])[0]["doel"] == 1000


def test_a_profile_spreads_by_its_weights(client: TestClient, org: dict[str, Any]) -> None:
    doel = _doel(client, org["headers"], waarde=1200, verdeling=[0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1])
    assert doel["verdeling"] == [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]
    assert [r["doel"] for r in _rijen(client, org["headers"], interval="maand")] == [0] * 6 + [200] * 6
    assert [r["doel"] for r in _rijen(client, org["headers"], interval="kwartaal")] == [0, 0, 600, 600]
    # Back to pro rata by days with null; the change is audited with its field.
    response = client.patch(f"/v1/doelen/{doel['id']}", json={"verdeling": [1, 1, 1, 1]}, headers=org["headers"])
    assert response.status_code == 200 and response.json()["verdeling"] == [1, 1, 1, 1]
    assert [r["doel"] for r in _rijen(client, org["headers"], interval="kwartaal")] == [300] * 4


def test_an_explicit_quarter_or_month_target_wins_over_the_spread_one(client: TestClient, org: dict[str, Any]) -> None:
    _doel(client, org["headers"], waarde=1200, verdeling=[1] * 12)
    _doel(client, org["headers"], waarde=500, periode=f"{YEAR}Q2", verdeling=[1, 1, 3])
    _doel(client, org["headers"], waarde=7, periode=f"{YEAR}-01")
    maanden = [r["doel"] for r in _rijen(client, org["headers"], interval="maand")]
    assert maanden == [7, 100, 100, 100, 100, 300] + [100] * 6
    assert [r["doel"] for r in _rijen(client, org["headers"], interval="kwartaal")] == [300, 500, 300, 300]


def test_a_rate_target_holds_in_every_part_and_a_reach_target_is_not_split(client: TestClient, org: dict[str, Any]) -> None:
    _doel(client, org["headers"], indicator="percentage-opgelost", waarde=75)
    _doel(client, org["headers"], indicator="bereik-inwoners", waarde=400)
    assert [r.get("doel") for r in _rijen(client, org["headers"], code="percentage-opgelost", interval="kwartaal")] == [75] * 4
    assert [r.get("doel") for r in _rijen(client, org["headers"], code="bereik-inwoners", interval="kwartaal")] == [None] * 4
    assert _rijen(client, org["headers"], code="bereik-inwoners")[0]["doel"] == 400


def test_pace_for_a_date_mid_year(client: TestClient, session: Session, org: dict[str, Any],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(koppeling, "vandaag", lambda: date(YEAR, 6, 30))
    dag_van_het_jaar = (date(YEAR, 6, 30) - date(YEAR, 1, 1)).days + 1
    dagen = (date(YEAR + 1, 1, 1) - date(YEAR, 1, 1)).days
    _contacten(session, org["org"], 100, van=date(YEAR, 1, 1), tot=date(YEAR, 6, 30))
    doel = _doel(client, org["headers"], waarde=dagen)  # one a day
    # Without an interval: the row is the whole year.
    body = client.get(URL, params={"periode": str(YEAR)}, headers=org["headers"]).json()
    (rij,) = body["rijen"]
    assert (rij["waarde"], rij["doel"], rij["doelVerwacht"], rij["tempo"]) == (100, dagen, dag_van_het_jaar, "achter")
    assert body["tempo"] == [{
        "doelId": doel["id"], "periode": {"vanaf": f"{YEAR}-01-01", "tot": f"{YEAR}-12-31", "label": str(YEAR)},
        "filters": {}, "doel": dagen, "doelVerwacht": dag_van_het_jaar, "gerealiseerd": 100, "tempo": "achter",
    }]
    # Per quarter: the pace of the quarter that contains today, and the year's pace beside the rows.
    body = client.get(URL, params={"periode": str(YEAR), "interval": "kwartaal"}, headers=org["headers"]).json()
    q2 = body["rijen"][1]
    assert q2["doelVerwacht"] == pytest.approx(q2["doel"], abs=0.01)  # 30 June: the whole quarter is due
    assert "tempo" not in body["rijen"][0] and "tempo" not in body["rijen"][2]
    assert body["tempo"][0]["gerealiseerd"] == 100 and body["tempo"][0]["doelVerwacht"] == dag_van_het_jaar
    # A lower target: ahead; within 10%: on schedule.
    client.patch(f"/v1/doelen/{doel['id']}", json={"waarde": 150}, headers=org["headers"])
    assert _rijen(client, org["headers"])[0]["tempo"] == "voor"
    client.patch(f"/v1/doelen/{doel['id']}", json={"waarde": 2 * 100 * dagen / dag_van_het_jaar}, headers=org["headers"])
    assert _rijen(client, org["headers"])[0]["tempo"] == "achter"
    client.patch(f"/v1/doelen/{doel['id']}", json={"waarde": 100 * dagen / dag_van_het_jaar}, headers=org["headers"])
    assert _rijen(client, org["headers"])[0]["tempo"] == "op-schema"


def test_pace_follows_the_profile(client: TestClient, session: Session, org: dict[str, Any],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(koppeling, "vandaag", lambda: date(YEAR, 6, 30))
    _contacten(session, org["org"], 10, van=date(YEAR, 1, 1), tot=date(YEAR, 6, 30))
    _doel(client, org["headers"], waarde=1200, verdeling=[0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1])
    (rij,) = _rijen(client, org["headers"])
    assert (rij["doelVerwacht"], rij["tempo"]) == (0, "voor")  # nothing due before July


def test_a_past_or_future_period_has_no_pace(client: TestClient, org: dict[str, Any]) -> None:
    _doel(client, org["headers"], waarde=100)
    body = client.get(URL, params={"periode": str(YEAR), "interval": "maand"}, headers=org["headers"]).json()
    assert body["tempo"] == [] and not any("tempo" in r for r in body["rijen"])


def test_a_per_gemeente_target_shows_only_beside_that_gemeente(client: TestClient, session: Session, org: dict[str, Any]) -> None:
    _contacten(session, org["org"], 30, van=date(YEAR, 1, 1), tot=date(YEAR, 12, 1), gemeente="GM0344")
    _contacten(session, org["org"], 20, van=date(YEAR, 1, 1), tot=date(YEAR, 12, 1), gemeente="GM0345")
    _doel(client, org["headers"], waarde=60, filters={"gemeente": ["GM0344"]})
    _doel(client, org["headers"], waarde=500)  # the whole organisation
    rijen = {r["gemeente"]["code"]: r for r in _rijen(client, org["headers"], groeperenOp="gemeente")}
    assert (rijen["GM0344"]["waarde"], rijen["GM0344"]["doel"], rijen["GM0344"]["realisatie"]) == (30, 60, 50.0)
    assert "doel" not in rijen["GM0345"]
    per_kwartaal = [r for r in _rijen(client, org["headers"], groeperenOp="gemeente", interval="kwartaal")]
    assert {r["gemeente"]["code"] for r in per_kwartaal if "doel" in r} == {"GM0344"}
    assert round(sum(r["doel"] for r in per_kwartaal if "doel" in r), 2) == 60
    # The total shows the organisation's target; the total filtered on the gemeente shows the gemeente's.
    assert _rijen(client, org["headers"])[0]["doel"] == 500
    assert _rijen(client, org["headers"], gemeente="GM0344")[0]["doel"] == 60
    assert "doel" not in _rijen(client, org["headers"], gemeente="GM0345")[0]
    # Grouped by more than the target's dimension: a sub-cell is not the gemeente; no target.
    assert not any("doel" in r for r in _rijen(client, org["headers"], groeperenOp="gemeente,kanaal"))


def test_a_per_hoofdonderwerp_target(client: TestClient, session: Session, org: dict[str, Any]) -> None:
    _contacten(session, org["org"], 12, van=date(YEAR, 1, 1), tot=date(YEAR, 12, 1), onderwerp="zorg.jgz")
    _contacten(session, org["org"], 5, van=date(YEAR, 1, 1), tot=date(YEAR, 12, 1), onderwerp="geld.schulden")
    _doel(client, org["headers"], indicator="aantal-hulpvragen", waarde=24, filters={"hoofdonderwerp": ["zorg"]})
    rijen = {r["hoofdonderwerp"]["code"]: r for r in _rijen(client, org["headers"], code="aantal-hulpvragen",
                                                            groeperenOp="hoofdonderwerp")}
    assert (rijen["zorg"]["waarde"], rijen["zorg"]["doel"], rijen["zorg"]["realisatie"]) == (12, 24, 50.0)
    assert "doel" not in rijen["geld"]


def test_bad_targets_report_every_problem_at_once(client: TestClient, org: dict[str, Any]) -> None:
    response = client.post("/v1/doelen", json={
        "indicator": "aantal-contactmomenten", "periode": f"{YEAR}-03", "waarde": 10, "verdeling": [1, 2, 3],
        "filters": {"gemeente": ["GM0344"], "sleutelpersoon": ["geen-uuid"], "kleur": ["rood"]},
    }, headers=org["headers"])
    assert_400(response, ["verdeling", "filters.sleutelpersoon", "filters.kleur"])
    response = client.post("/v1/doelen", json={
        "indicator": "aantal-contactmomenten", "periode": str(YEAR), "waarde": 10, "verdeling": [1, -1, 1],
        "gedeeld": True, "filters": {"sleutelpersoon": [str(uuid.uuid4())]},
    }, headers=org["headers"])
    assert_400(response, ["verdeling", "verdeling", "gedeeld"])
    assert "12 maandgewichten of 4 kwartaalgewichten" in response.json()["invalidParams"][1]["reason"]
    response = client.post("/v1/doelen", json={"indicator": "aantal-contactmomenten", "periode": str(YEAR), "waarde": 10,
                                               "verdeling": [0, 0, 0, 0]}, headers=org["headers"])
    assert_400(response, ["verdeling"])
    doel = _doel(client, org["headers"], waarde=10)
    assert_400(client.patch(f"/v1/doelen/{doel['id']}", json={"verdeling": [1, 1, 1], "waarde": None},
                            headers=org["headers"]), ["verdeling", "waarde"])


def test_changes_are_audited_with_their_fields(client: TestClient, session: Session, org: dict[str, Any]) -> None:
    doel = _doel(client, org["headers"], waarde=10)
    response = client.patch(f"/v1/doelen/{doel['id']}", json={"gedeeld": True, "verdeling": [1, 1, 1, 1]}, headers=org["headers"])
    assert response.status_code == 200 and response.json()["gedeeld"] is True
    regels = session.exec(select(AuditRegel).where(AuditRegel.resource_id == doel["id"]).order_by(AuditRegel.id)).all()
    assert [r.actie for r in regels] == ["aangemaakt", "gewijzigd"]
    assert sorted(regels[1].velden or []) == ["gedeeld", "verdeling"]


# --- shared targets and regional keys -----------------------------------------------------------------


@pytest.fixture
def regio(session: Session) -> dict[str, Any]:
    """An organisation in GM0344 with a year of work, a shared and an unshared target; keys in and out of the region."""
    organisatie = make_organisatie(session, gemeentecodes=["GM0344"], naam="Stichting Samen Gezond")
    _contacten(session, organisatie, 120, van=date(YEAR, 1, 1), tot=date(YEAR + 1, 1, 1))
    headers = make_key(session, organisatie=organisatie, scopes=("registreren", "rapporteren"))
    return {
        "org": organisatie, "headers": headers,
        "regionaal": make_key(session, gemeentecodes=["GM0344", "GM0363"], scopes=("rapporteren",)),
        "elders": make_key(session, gemeentecodes=["GM0599"], scopes=("rapporteren",)),
    }


def test_a_shared_target_reaches_the_regional_key_and_an_unshared_one_does_not(
    client: TestClient, session: Session, regio: dict[str, Any]
) -> None:
    gedeeld = _doel(client, regio["headers"], waarde=240, gedeeld=True)
    prive = _doel(client, regio["headers"], indicator="aantal-hulpvragen", waarde=100)
    andere = make_organisatie(session, gemeentecodes=["GM0344"])
    _doel(client, make_key(session, organisatie=andere, scopes=("registreren",)), waarde=5)  # unshared, same gemeente

    lijst = client.get("/v1/doelen", headers=regio["regionaal"])
    assert lijst.status_code == 200 and lijst.headers["X-Total-Count"] == "1"
    (item,) = lijst.json()
    assert item["id"] == gedeeld["id"]
    assert item["organisatie"] == {"id": str(regio["org"].id), "naam": "Stichting Samen Gezond"}
    assert client.get(f"/v1/doelen/{gedeeld['id']}", headers=regio["regionaal"]).status_code == 200
    assert client.get(f"/v1/doelen/{prive['id']}", headers=regio["regionaal"]).status_code == 404
    # Outside the region: nothing, and 404 by id.
    assert client.get("/v1/doelen", headers=regio["elders"]).json() == []
    assert client.get(f"/v1/doelen/{gedeeld['id']}", headers=regio["elders"]).status_code == 404
    # A target per key person stays private: regional figures never show key persons.
    persoonlijk = _doel(client, regio["headers"], waarde=10, filters={"sleutelpersoon": [str(uuid.uuid4())]})
    assert_400(client.patch(f"/v1/doelen/{persoonlijk['id']}", json={"gedeeld": True}, headers=regio["headers"]), ["gedeeld"])
    # A regional key reads; it never writes.
    assert client.patch(f"/v1/doelen/{gedeeld['id']}", json={"waarde": 1}, headers=regio["regionaal"]).status_code == 403
    assert client.post("/v1/doelen", json={"indicator": "aantal-contactmomenten", "periode": str(YEAR), "waarde": 1},
                       headers=regio["regionaal"]).status_code == 403
    # Unsharing hides it again.
    client.patch(f"/v1/doelen/{gedeeld['id']}", json={"gedeeld": False}, headers=regio["headers"])
    assert client.get("/v1/doelen", headers=regio["regionaal"]).json() == []
    assert client.get(f"/v1/doelen/{gedeeld['id']}", headers=regio["regionaal"]).status_code == 404


def test_the_regional_key_sees_the_shared_target_beside_the_perturbed_realisation(
    client: TestClient, session: Session, regio: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(koppeling, "vandaag", lambda: date(YEAR, 12, 31))
    _doel(client, regio["headers"], waarde=240, gedeeld=True)
    _doel(client, regio["headers"], waarde=60, periode=f"{YEAR}Q1")  # not shared: the quarter is spread from the year
    org_id = str(regio["org"].id)
    body = client.get(URL, params={"periode": str(YEAR), "organisatie": org_id}, headers=regio["regionaal"]).json()
    assert body["onderdrukking"]["toegepast"] is True
    (rij,) = body["rijen"]
    assert abs(rij["waarde"] - 120) <= 2  # perturbed
    assert rij["doel"] == 240 and rij["realisatie"] == round(100 * rij["waarde"] / 240, 1)
    assert rij["doelVerwacht"] == 240 and rij["tempo"] == "achter"  # the pace of the perturbed value
    assert body["tempo"][0]["gerealiseerd"] == rij["waarde"]
    kwartalen = client.get(URL, params={"periode": str(YEAR), "organisatie": org_id, "interval": "kwartaal"},
                           headers=regio["regionaal"]).json()["rijen"]
    assert round(sum(r["doel"] for r in kwartalen), 2) == 240  # the unshared quarter target stays private
    # Grouped by organisation: the target beside its organisation's row.
    per_organisatie = _rijen(client, regio["regionaal"], groeperenOp="organisatie")
    assert [r["doel"] for r in per_organisatie if r["organisatie"]["code"] == org_id] == [240]
    # Without naming the organisation, or outside the region: no target.
    assert "doel" not in _rijen(client, regio["regionaal"])[0]
    assert "doel" not in _rijen(client, regio["regionaal"], organisatie=str(uuid.uuid4()))[0]


def test_a_target_wider_than_the_region_is_listed_but_not_set_beside_the_regional_figures(
    client: TestClient, session: Session, regio: dict[str, Any]
) -> None:
    regio["org"].gemeentecodes = ["GM0344", "GM0599"]
    session.add(regio["org"])
    session.flush()
    breed = _doel(client, regio["headers"], waarde=240, gedeeld=True)
    smal = _doel(client, regio["headers"], waarde=200, gedeeld=True, filters={"gemeente": ["GM0344"]})
    assert {d["id"] for d in client.get("/v1/doelen", headers=regio["regionaal"]).json()} == {breed["id"], smal["id"]}
    assert [d["id"] for d in client.get("/v1/doelen", headers=regio["elders"]).json()] == [breed["id"]]
    org_id = str(regio["org"].id)
    # The regional realisation counts GM0344 and GM0363 only: the organisation-wide target is not beside it.
    assert "doel" not in _rijen(client, regio["regionaal"], organisatie=org_id)[0]
    assert _rijen(client, regio["regionaal"], organisatie=org_id, gemeente="GM0344")[0]["doel"] == 200


# --- exports ------------------------------------------------------------------------------------------


def test_the_csv_and_xlsx_carry_the_target_columns(client: TestClient, session: Session, org: dict[str, Any],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(koppeling, "vandaag", lambda: date(YEAR, 2, 14))
    _contacten(session, org["org"], 20, van=date(YEAR, 1, 1), tot=date(YEAR, 3, 1))
    _doel(client, org["headers"], waarde=1200, verdeling=[1] * 12)
    params = {"periode": str(YEAR), "interval": "maand", "formaat": "csv-rfc4180"}
    tekst = client.get(URL, params=params, headers=org["headers"]).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(tekst)))
    assert [r["doel"] for r in rows] == ["100.0"] * 12
    februari = rows[1]
    assert februari["tempo"] == "achter" and float(februari["doel verwacht tot vandaag"]) == pytest.approx(100 * 14 / 28, abs=0.01)
    assert rows[0]["tempo"] == "" and rows[0]["realisatie (% van doel)"] != ""
    inhoud = client.get(URL, params={**params, "formaat": "xlsx"}, headers=org["headers"]).content
    header, *data = list(load_workbook(io.BytesIO(inhoud))["Aantal contactmomenten"].iter_rows(values_only=True))
    assert header[-4:] == ("doel", "realisatie (% van doel)", "doel verwacht tot vandaag", "tempo")
    assert [r[header.index("doel")] for r in data] == [100] * 12
    # Without a target the export keeps its columns.
    zonder = client.get("/v1/indicatoren/aantal-hulpvragen/waarden", params=params, headers=org["headers"])
    assert "doel" not in next(csv.reader(io.StringIO(zonder.content.decode("utf-8-sig"))))


def test_control_characters_in_a_filter_are_a_400(client: TestClient, org: dict[str, Any]) -> None:
    for filters in ({"gemeente": ["GM\u00000344"]}, {"gem\u0000eente": ["GM0344"]}):
        response = client.post("/v1/doelen", json={"indicator": "aantal-contactmomenten", "periode": str(YEAR),
                                                   "waarde": 1, "filters": filters}, headers=org["headers"])
        assert response.status_code == 400, response.text
        assert all(p["name"].startswith("filters") for p in response.json()["invalidParams"]), response.json()


def test_targets_cost_one_query_per_table_whatever_its_rows(client: TestClient, session: Session, org: dict[str, Any]) -> None:
    from sqlalchemy import event

    _contacten(session, org["org"], 24, van=date(YEAR, 1, 1), tot=date(YEAR, 12, 1), gemeente="GM0344")
    _contacten(session, org["org"], 24, van=date(YEAR, 1, 1), tot=date(YEAR, 12, 1), gemeente="GM0345")
    for gemeente in ("GM0344", "GM0345"):
        _doel(client, org["headers"], waarde=120, filters={"gemeente": [gemeente]})
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        for interval in ("jaar", "kwartaal", "maand"):
            statements.clear()
            rijen = _rijen(client, org["headers"], groeperenOp="gemeente", interval=interval)
            assert all("doel" in r for r in rijen)
            assert sum(bool(re.search(r"\bFROM doel\b", s)) for s in statements) == 1, (interval, len(rijen))
    finally:
        event.remove(engine, "before_cursor_execute", count)
