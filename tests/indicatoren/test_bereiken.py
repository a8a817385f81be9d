"""Ranges and sliding windows of any length through the API (issue 28): exact for the organisation,
refused for regional keys (a range a month shorter than another is a second, independently perturbed
draw of that month: averaging such differences would undo the noise)."""

from datetime import date

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.validation import vandaag
from tests.factories import make_contactmoment, make_key, make_organisatie, make_sleutelpersoon
from tests.helpers import assert_problem

JAAR = vandaag().year - 2


def test_a_range_of_quarters_for_the_organisation(client: TestClient, session: Session) -> None:
    organisatie = make_organisatie(session, gemeentecodes=["GM0344"])
    persoon = make_sleutelpersoon(session, organisatie)
    for maand in range(1, 13):
        for _ in range(maand):
            make_contactmoment(session, organisatie, persoon, datum=date(JAAR, maand, 10), gemeentecode="GM0344")
            make_contactmoment(session, organisatie, persoon, datum=date(JAAR + 1, maand, 10), gemeentecode="GM0344")
    headers = make_key(session, organisatie=organisatie, scopes=("rapporteren",))
    response = client.get("/v1/indicatoren/aantal-contactmomenten/waarden",
                          params={"periode": f"{JAAR}Q4/{JAAR + 1}Q3", "interval": "kwartaal"}, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["periode"] == {"vanaf": f"{JAAR}-10-01", "tot": f"{JAAR + 1}-09-30", "label": f"{JAAR}Q4/{JAAR + 1}Q3"}
    # Q4 = 10+11+12, then Q1..Q3 of the next year.
    assert [r["waarde"] for r in body["rijen"]] == [33, 6, 15, 24]
    totaal = client.get("/v1/indicatoren/aantal-contactmomenten/waarden",
                        params={"periode": f"{JAAR}Q4/{JAAR + 1}Q3"}, headers=headers).json()["rijen"][0]["waarde"]
    assert totaal == 33 + 6 + 15 + 24


def test_regional_keys_get_no_ranges(client: TestClient, session: Session) -> None:
    regio = make_key(session, gemeentecodes=["GM0344"], scopes=("rapporteren",))
    for periode in (f"{JAAR}Q4/{JAAR + 1}Q3", "laatste-13-maanden", "laatste-4-kwartalen"):
        response = client.get("/v1/indicatoren/aantal-contactmomenten/waarden", params={"periode": periode},
                              headers=regio)
        assert_problem(response, 400)
        assert "periode" in {p["name"] for p in response.json()["invalidParams"]}
    ok = client.get("/v1/indicatoren/aantal-contactmomenten/waarden", params={"periode": "laatste-12-maanden"},
                    headers=regio)
    assert ok.status_code == 200
