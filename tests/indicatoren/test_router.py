"""The indicator endpoints over HTTP: catalogue, parameters, formats, and who sees what."""

import csv
import io
import uuid
from datetime import date, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import Session

from app.core.config import get_settings
from app.core.validation import vandaag
from app.indicatoren.catalogue import INDICATOREN
from app.models import Contactmoment, ContactmomentOnderwerp, Organisatie
from tests.factories import make_ketenpartner, make_key, make_organisatie, make_sleutelpersoon

YEAR = vandaag().year - 1  # a whole past year, so no date is in the future


def _contact(session: Session, organisatie: Organisatie, persoon_id: uuid.UUID, *, datum: date, gemeente: str,
             onderwerpen: tuple[str, ...] = ("geld.toeslagen",), kanaal: str = "persoonlijk") -> None:
    record = Contactmoment(organisatie_id=organisatie.id, sleutelpersoon_id=persoon_id, datum=datum,
                           gemeentecode=gemeente, kanaal=kanaal, soort="individueel", inhoud_hash=uuid.uuid4().hex)
    session.add(record)
    session.flush()
    session.add_all([ContactmomentOnderwerp(contactmoment_id=record.id, onderwerp=o) for o in onderwerpen])
    session.flush()


@pytest.fixture
def regio(session: Session) -> dict[str, Any]:
    """Two organisations in GM0344 and one in GM0307, with known counts per kanaal."""
    a = make_organisatie(session, gemeentecodes=["GM0344"])
    b = make_organisatie(session, gemeentecodes=["GM0344"])
    c = make_organisatie(session, gemeentecodes=["GM0307"])
    # Three key persons per organisation, taking turns, so regional cells pass the contributor rule.
    personen = {o.id: [make_sleutelpersoon(session, o) for _ in range(3)] for o in (a, b, c)}
    pa = personen[a.id][0]

    def beurt(o: Any, i: int) -> Any:
        return personen[o.id][i % 3].id

    # GM0344 kanaal counts: persoonlijk 12 (a 8, b 4), telefonisch 3 (a), huisbezoek 20 (b)
    for i in range(8):
        _contact(session, a, beurt(a, i), datum=date(YEAR, 3, 10), gemeente="GM0344")
    for i in range(4):
        _contact(session, b, beurt(b, i), datum=date(YEAR, 3, 11), gemeente="GM0344")
    for i in range(3):
        _contact(session, a, beurt(a, i), datum=date(YEAR, 4, 1), gemeente="GM0344", kanaal="telefonisch", onderwerpen=("zorg.huisarts",))
    for i in range(20):
        _contact(session, b, beurt(b, i), datum=date(YEAR, 5, 2), gemeente="GM0344", kanaal="huisbezoek")
    for i in range(2):
        _contact(session, c, beurt(c, i), datum=date(YEAR, 5, 2), gemeente="GM0307")
    return {"a": a, "b": b, "c": c, "pa": pa}


def test_catalogue_lists_every_indicator(client: TestClient, session: Session) -> None:
    headers = make_key(session, organisatie=make_organisatie(session), scopes=("rapporteren",))
    body = client.get("/v1/indicatoren", headers=headers).json()
    assert [i["code"] for i in body] == list(INDICATOREN)
    rate = client.get("/v1/indicatoren/percentage-opgelost", headers=headers).json()
    assert rate["eenheid"] == "percentage" and rate["teller"] and rate["noemer"]


def test_unknown_indicator_is_404(client: TestClient, session: Session) -> None:
    headers = make_key(session, organisatie=make_organisatie(session), scopes=("rapporteren",))
    response = client.get("/v1/indicatoren/bestaat-niet/waarden", headers=headers)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("groeperenOp=schoenmaat", "groeperenOp"),
        ("periode=2025W54", "periode"),
        ("periode=vorige-eeuw", "periode"),
        ("vanaf=2025-03-01&tot=2025-01-01", "vanaf"),
        ("vanaf=2025-03-01", "tot"),
        ("periode=2025&vanaf=2025-01-01&tot=2025-02-01", "periode"),
        ("interval=uur", "interval"),
        ("sleutelpersoon=geen-uuid", "sleutelpersoon"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(client: TestClient, session: Session, query: str, name: str) -> None:
    headers = make_key(session, organisatie=make_organisatie(session), scopes=("rapporteren",))
    response = client.get(f"/v1/indicatoren/aantal-contactmomenten/waarden?{query}", headers=headers)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["title"] == "Ongeldige invoer"
    assert name in [p["name"] for p in body["invalidParams"]]


def test_row_limit_is_400(client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "max_indicator_rows", 10)
    headers = make_key(session, organisatie=make_organisatie(session), scopes=("rapporteren",))
    response = client.get(f"/v1/indicatoren/aantal-contactmomenten/waarden?periode={YEAR}&interval=dag", headers=headers)
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "groeperenOp"


def test_organisation_key_sees_own_figures_exactly(client: TestClient, session: Session, regio: dict[str, Any]) -> None:
    headers = make_key(session, organisatie=regio["a"], scopes=("rapporteren",))
    body = client.get(f"/v1/indicatoren/aantal-contactmomenten/waarden?periode={YEAR}&groeperenOp=kanaal", headers=headers).json()
    assert body["onderdrukking"]["toegepast"] is False
    values = {r["kanaal"]["code"]: r["waarde"] for r in body["rijen"]}
    assert values == {"persoonlijk": 8, "telefonisch": 3}
    assert body["rijen"][0]["kanaal"]["label"] == "Persoonlijk gesprek"


def test_regional_key_sees_perturbed_aggregates(client: TestClient, session: Session, regio: dict[str, Any]) -> None:
    headers = make_key(session, gemeentecodes=["GM0344"], scopes=("rapporteren",))
    url = f"/v1/indicatoren/aantal-contactmomenten/waarden?periode={YEAR}&groeperenOp=kanaal"
    body = client.get(url, headers=headers).json()
    assert body["onderdrukking"] == {
        "toegepast": True, "drempel": 5, "methode": "celsleutelperturbatie", "maxRuis": 2, "variantie": 1.22
    }
    rows = {r["kanaal"]["code"]: r for r in body["rijen"]}
    # telefonisch 3 is below the threshold: suppressed, unless its cell key adds the full +2 (10% of keys).
    # The others carry noise of at most 2.
    assert (rows["telefonisch"]["waarde"], rows["telefonisch"]["onderdrukt"]) in ((None, True), (5, False))
    assert abs(rows["persoonlijk"]["waarde"] - 12) <= 2 and rows["persoonlijk"]["onderdrukt"] is False
    assert abs(rows["huisbezoek"]["waarde"] - 20) <= 2
    assert client.get(url, headers=headers).json() == body  # the same cell, the same answer
    # GM0307 (organisation c, 2 contacts) is outside this key's region.
    total = client.get(f"/v1/indicatoren/aantal-contactmomenten/waarden?periode={YEAR}", headers=headers).json()
    assert abs(total["rijen"][0]["waarde"] - 35) <= 2


def test_regional_key_cannot_reach_outside_region_or_per_key_person(client: TestClient, session: Session, regio: dict[str, Any]) -> None:
    headers = make_key(session, gemeentecodes=["GM0344"], scopes=("rapporteren",))
    outside = client.get(f"/v1/indicatoren/aantal-contactmomenten/waarden?periode={YEAR}&gemeente=GM0307", headers=headers)
    assert outside.status_code == 403
    per_person = client.get(f"/v1/indicatoren/aantal-contactmomenten/waarden?periode={YEAR}&groeperenOp=sleutelpersoon", headers=headers)
    assert per_person.status_code == 403


def test_csv_and_xlsx_are_suppressed_identically(client: TestClient, session: Session, regio: dict[str, Any]) -> None:
    headers = make_key(session, gemeentecodes=["GM0344"], scopes=("rapporteren",))
    url = f"/v1/indicatoren/aantal-contactmomenten/waarden?periode={YEAR}&groeperenOp=kanaal"
    as_json = client.get(url, headers=headers).json()["rijen"]

    response = client.get(url, headers={**headers, "Accept": "text/csv"})
    assert response.headers["content-type"].startswith("text/csv")
    assert "\r\n" in response.text
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [r["kanaal"] for r in rows] == [r["kanaal"]["code"] for r in as_json]
    assert [r["waarde"] or None for r in rows] == [None if r["waarde"] is None else str(r["waarde"]) for r in as_json]
    assert [r["onderdrukt"] for r in rows] == ["ja" if r["onderdrukt"] else "nee" for r in as_json]

    xlsx_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = client.get(url, headers={**headers, "Accept": xlsx_type})
    assert response.headers["content-type"] == xlsx_type
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *data = list(sheet.iter_rows(values_only=True))
    assert header[:3] == ("periode", "vanaf", "tot")
    assert isinstance(data[0][1], datetime)  # a real date cell, not text
    waarde = header.index("waarde")
    assert [row[waarde] for row in data] == [r["waarde"] for r in as_json]


def test_time_series_rows_in_deterministic_order(client: TestClient, session: Session, regio: dict[str, Any]) -> None:
    headers = make_key(session, organisatie=regio["b"], scopes=("rapporteren",))
    url = f"/v1/indicatoren/aantal-hulpvragen/waarden?periode={YEAR}&interval=maand&groeperenOp=hoofdonderwerp"
    first = client.get(url, headers=headers).json()["rijen"]
    assert first == client.get(url, headers=headers).json()["rijen"]
    assert len(first) == 12  # one topic group, twelve months, zeros included
    assert [r["periode"]["label"] for r in first] == [f"{YEAR}-{m:02d}" for m in range(1, 13)]
    assert sum(r["waarde"] for r in first) == 24


def test_fresh_after_write(client: TestClient, session: Session, regio: dict[str, Any]) -> None:
    headers = make_key(session, organisatie=regio["a"], scopes=("rapporteren",))
    url = f"/v1/indicatoren/aantal-contactmomenten/waarden?periode={YEAR}"
    before = client.get(url, headers=headers).json()["rijen"][0]["waarde"]
    _contact(session, regio["a"], regio["pa"].id, datum=date(YEAR, 6, 1), gemeente="GM0344")
    assert client.get(url, headers=headers).json()["rijen"][0]["waarde"] == before + 1


def test_record_keys_without_rapporteren_are_refused(client: TestClient, session: Session) -> None:
    headers = make_key(session, organisatie=make_organisatie(session), scopes=("inzien",))
    response = client.get("/v1/indicatoren/aantal-contactmomenten/waarden", headers=headers)
    assert response.status_code == 403
    assert "rapporteren" in response.json()["detail"]


def test_regional_rates_hide_small_numerators_and_denominators(client: TestClient, session: Session) -> None:
    from app.models import Doorverwijzing

    organisatie = make_organisatie(session, gemeentecodes=["GM0344"])
    personen = [make_sleutelpersoon(session, organisatie) for _ in range(3)]
    partners = {c: make_ketenpartner(session, organisatie, categorie=c) for c in ("huisarts", "ggz", "jgz")}
    # huisarts: 9 of 12 afgerond; ggz: 1 of 2 (small noemer); jgz: 2 of 10 (small teller).
    plan = {"huisarts": (9, 12), "ggz": (1, 2), "jgz": (2, 10)}
    for categorie, (afgerond, totaal) in plan.items():
        for i in range(totaal):
            record = Contactmoment(organisatie_id=organisatie.id, sleutelpersoon_id=personen[i % 3].id, datum=date(YEAR, 2, 1),
                                   gemeentecode="GM0344", kanaal="persoonlijk", soort="individueel", inhoud_hash=uuid.uuid4().hex)
            session.add(record)
            session.flush()
            session.add(Doorverwijzing(organisatie_id=organisatie.id, contactmoment_id=record.id,
                                       ketenpartner_id=partners[categorie].id, wijze="warm",
                                       status="afgerond" if i < afgerond else "afgewezen", status_datum=date(YEAR, 2, 1)))
    session.flush()
    url = f"/v1/indicatoren/percentage-doorverwijzingen-afgerond/waarden?periode={YEAR}&groeperenOp=ketenpartnerCategorie"
    own = client.get(url, headers=make_key(session, organisatie=organisatie, scopes=("rapporteren",))).json()["rijen"]
    assert {r["ketenpartnerCategorie"]["code"]: (r["teller"], r["noemer"], r["waarde"]) for r in own} == {
        "ggz": (1, 2, 50.0), "huisarts": (9, 12, 75.0), "jgz": (2, 10, 20.0)
    }
    regional = client.get(url, headers=make_key(session, gemeentecodes=["GM0344"], scopes=("rapporteren",))).json()["rijen"]
    rows = {r["ketenpartnerCategorie"]["code"]: r for r in regional}
    # ggz: noemer 2 is below the threshold minus the noise (never shown), so the rate is not shown.
    assert rows["ggz"]["noemer"] is None and rows["ggz"]["waarde"] is None and rows["ggz"]["onderdrukt"] is True
    # jgz: teller 2 is never shown; the noemer (10) is shown with noise, the rate is not.
    assert rows["jgz"]["teller"] is None and rows["jgz"]["waarde"] is None and rows["jgz"]["onderdrukt"] is True
    assert abs(rows["jgz"]["noemer"] - 10) <= 2
    # huisarts: both perturbed as counts, the rate computed from the perturbed values.
    teller, noemer = rows["huisarts"]["teller"], rows["huisarts"]["noemer"]
    assert abs(teller - 9) <= 2 and abs(noemer - 12) <= 2 and teller <= noemer
    assert rows["huisarts"]["waarde"] == round(100 * teller / noemer, 1)


def test_every_problem_of_an_indicator_query_in_one_400(client: TestClient, session: Session) -> None:
    headers = make_key(session, organisatie=make_organisatie(session), scopes=("rapporteren",))
    response = client.get(
        "/v1/indicatoren/aantal-contactmomenten/waarden?vanaf=2025-13-01&tot=2025-02-01&interval=uur"
        "&groeperenOp=schoenmaat&sleutelpersoon=geen-uuid&urgentie=hoog",
        headers=headers,
    )
    assert response.status_code == 400
    names = sorted(p["name"] for p in response.json()["invalidParams"])
    assert names == ["groeperenOp", "interval", "sleutelpersoon", "urgentie", "vanaf"]
