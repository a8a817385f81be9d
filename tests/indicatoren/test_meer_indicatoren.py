"""GET /v1/indicatoren/waarden?codes=a,b: several indicators in one call (issue 28).

Each code answers as its own call would, and goes through the same disclosure path: a regional key
gets no more tables through this endpoint than through single calls (audit and budget per code).
"""

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.core.config import get_settings
from app.indicatoren.catalogue import INDICATOREN
from app.indicatoren.dependencies import MAX_CODES
from app.models import LeesAudit
from tests.factories import Omgeving, make_contactmoment, make_key, make_sleutelpersoon
from tests.helpers import assert_400, assert_problem
from tests.indicatoren.factories import make_eigen_indicator
from tests.toegang.helpers import key_of

MEER = "/v1/indicatoren/waarden"
GEMEENTE = "GM0344"
CODES = ["aantal-contactmomenten", "actieve-sleutelpersonen", "bereik-inwoners"]
PARAMS = {"periode": "2026-03", "groeperenOp": "kanaal"}


@pytest.fixture
def data(session: Session, omgeving: Omgeving) -> dict[str, Any]:
    """Contacts of three key persons in March 2026, and an organisation and a regional reporting key."""
    personen = [omgeving.sleutelpersoon, make_sleutelpersoon(session, omgeving.organisatie),
                make_sleutelpersoon(session, omgeving.organisatie)]
    for i in range(12):
        make_contactmoment(session, omgeving.organisatie, personen[i % 3], datum=date(2026, 3, 2 + i),
                           gemeentecode=GEMEENTE, kanaal=("persoonlijk", "telefonisch")[i % 2])
    eigen = make_key(session, organisatie=omgeving.organisatie, scopes=("rapporteren",))
    regio = make_key(session, scopes=("rapporteren",), gemeentecodes=[GEMEENTE])
    session.commit()
    return {"eigen": eigen, "regio": regio, "organisatie": omgeving.organisatie}


def _enkel(client: TestClient, headers: dict[str, str], code: str, **params: str) -> dict[str, Any]:
    antwoord = client.get(f"/v1/indicatoren/{code}/waarden", params={**PARAMS, **params}, headers=headers)
    assert antwoord.status_code == 200, antwoord.text
    return antwoord.json()


@pytest.mark.parametrize("sleutel", ["eigen", "regio"])
def test_elke_code_zoals_zijn_eigen_verzoek(client: TestClient, data: dict[str, Any], sleutel: str) -> None:
    headers = data[sleutel]
    antwoord = client.get(MEER, params={**PARAMS, "codes": ",".join(CODES)}, headers=headers)
    assert antwoord.status_code == 200, antwoord.text
    delen = antwoord.json()["indicatoren"]
    assert [d["indicator"]["code"] for d in delen] == CODES  # in the order asked
    for code, deel in zip(CODES, delen, strict=True):
        assert deel == _enkel(client, headers, code), code  # same shape and, with noise, the same figures
    assert any(r["waarde"] for r in delen[0]["rijen"])  # not trivially empty


def test_zelfde_filters_voor_elke_code(client: TestClient, data: dict[str, Any]) -> None:
    params = {"periode": "2026-03", "kanaal": "telefonisch", "codes": "aantal-contactmomenten,actieve-sleutelpersonen"}
    delen = client.get(MEER, params=params, headers=data["eigen"]).json()["indicatoren"]
    assert [d["rijen"][0]["waarde"] for d in delen] == [6, 3]
    assert all(d["filters"] == {"kanaal": ["telefonisch"]} for d in delen)


def test_onbekende_codes_samen_in_een_400(client: TestClient, data: dict[str, Any]) -> None:
    params = {**PARAMS, "codes": "aantal-contactmomenten,bestaat-niet,eigen.ook-niet,waarden"}
    body = assert_problem(client.get(MEER, params=params, headers=data["eigen"]), 400, "Ongeldige invoer")
    redenen = [p["reason"] for p in body["invalidParams"]]
    assert [p["name"] for p in body["invalidParams"]] == ["codes"] * 3
    for code in ("bestaat-niet", "eigen.ook-niet", "waarden"):
        assert sum(f"`{code}`" in r for r in redenen) == 1, (code, redenen)
    assert {p["code"] for p in body["invalidParams"]} == {"niet-toegestaan"}


def test_fouten_van_codes_en_query_tegelijk(client: TestClient, data: dict[str, Any]) -> None:
    # A bad period once (not once per code), a filter one indicator lacks, an unknown code: one 400.
    params = {"periode": "2026-13", "codes": "aantal-contactmomenten,aantal-signalen,nee",
              "kanaal": "video"}
    redenen = assert_400(client.get(MEER, params=params, headers=data["eigen"]), ["periode", "kanaal", "codes"])
    assert "aantal-signalen" in redenen["kanaal"]


def test_ten_hoogste_max_codes(client: TestClient, data: dict[str, Any]) -> None:
    codes = list(INDICATOREN)[: MAX_CODES + 1]
    assert len(codes) == MAX_CODES + 1
    body = assert_problem(client.get(MEER, params={"periode": "2026-03", "codes": ",".join(codes)},
                                     headers=data["eigen"]), 400)
    (te_veel,) = [p for p in body["invalidParams"] if p["code"] == "te-lang"]
    assert te_veel["name"] == "codes" and str(MAX_CODES) in te_veel["reason"]
    toegestaan = client.get(MEER, params={"periode": "2026-03", "codes": ",".join(codes[:MAX_CODES])},
                            headers=data["eigen"])
    assert toegestaan.status_code in (200, 400), toegestaan.text  # 400 only for filters a code lacks, never for count
    if toegestaan.status_code == 400:
        assert "codes" not in {p["name"] for p in toegestaan.json()["invalidParams"]}


def test_codes_verplicht_en_zonder_persoonsgegevens(client: TestClient, data: dict[str, Any]) -> None:
    assert_400(client.get(MEER, params=PARAMS, headers=data["eigen"]), ["codes"])
    body = assert_problem(client.get(MEER, params={**PARAMS, "codes": "aantal-contactmomenten,jan@example.nl"},
                                     headers=data["eigen"]), 400)
    assert "jan@example.nl" not in str(body)


def test_eigen_indicator_en_de_route_van_een_code(client: TestClient, session: Session, data: dict[str, Any]) -> None:
    make_eigen_indicator(session, data["organisatie"], code="eigen.telefonisch", basis="aantal-contactmomenten",
                         filters={"kanaal": ["telefonisch"]})
    session.commit()
    delen = client.get(MEER, params={"periode": "2026-03", "codes": "eigen.telefonisch,aantal-contactmomenten"},
                       headers=data["eigen"]).json()["indicatoren"]
    assert [d["rijen"][0]["waarde"] for d in delen] == [6, 12]
    assert delen[0]["versie"] == 1
    # The single indicator's own path still works next to /indicatoren/waarden.
    assert client.get("/v1/indicatoren/aantal-contactmomenten", headers=data["eigen"]).status_code == 200


def _tabellen(session: Session, headers: dict[str, str]) -> dict[str, int]:
    """Per indicator: the distinct tables the key's budget counted today."""
    sleutel = key_of(session, headers).id
    telling: dict[str, int] = {}
    for rij in session.exec(select(LeesAudit).where(LeesAudit.api_sleutel_id == sleutel, LeesAudit.nieuw == True)):
        telling[rij.indicator] = telling.get(rij.indicator, 0) + 1
    return telling


def test_regio_geen_goedkopere_weg_om_het_budget(client: TestClient, session: Session, data: dict[str, Any],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Every code is one table of the budget, as its own call would be; past the budget the call is a 429."""
    monkeypatch.setattr(get_settings(), "leesbudget_per_dag", 2)
    regio = data["regio"]
    eerste = client.get(MEER, params={**PARAMS, "codes": ",".join(CODES[:2])}, headers=regio)
    assert eerste.status_code == 200, eerste.text
    assert _tabellen(session, regio) == {CODES[0]: 1, CODES[1]: 1}  # one audited table per code, each budgeted
    # A third table, through this endpoint or a single call, is past the budget.
    body = assert_problem(client.get(MEER, params={**PARAMS, "codes": CODES[2]}, headers=regio), 429)
    assert body["title"] == "Dagbudget voor regionale tabellen op"
    assert_problem(client.get(f"/v1/indicatoren/{CODES[2]}/waarden", params=PARAMS, headers=regio), 429)
    # Two tables at once past the budget do not slip through either, nor does repeating a code.
    herhaald = {**PARAMS, "codes": f"{CODES[0]},{CODES[2]},{CODES[0]}"}
    assert_problem(client.get(MEER, params=herhaald, headers=regio), 429)
    assert _tabellen(session, regio) == {CODES[0]: 1, CODES[1]: 1}
    # Tables read today stay free, in either form.
    assert client.get(MEER, params={**PARAMS, "codes": ",".join(reversed(CODES[:2]))}, headers=regio).status_code == 200
    assert client.get(f"/v1/indicatoren/{CODES[0]}/waarden", params=PARAMS, headers=regio).status_code == 200
    sleutel = key_of(session, regio).id
    gelezen = session.exec(select(LeesAudit).where(LeesAudit.api_sleutel_id == sleutel).order_by(LeesAudit.id)).all()  # type: ignore[arg-type]
    # Every answered read of every code is audited (a repeated code is read once). The 429s' own rows roll back
    # with the request in the test's transaction; tests/indicatoren/test_leesaudit.py checks them with commits.
    assert [r.indicator for r in gelezen] == [*CODES[:2], *reversed(CODES[:2]), CODES[0]]


def test_regio_dezelfde_weigering_als_een_los_verzoek(client: TestClient, data: dict[str, Any]) -> None:
    # A per-key-person table is refused for a regional key, in one call as in many.
    params = {"periode": "2026-03", "groeperenOp": "sleutelpersoon"}
    los = client.get("/v1/indicatoren/aantal-contactmomenten/waarden", params=params, headers=data["regio"])
    samen = client.get(MEER, params={**params, "codes": "aantal-contactmomenten"}, headers=data["regio"])
    assert los.status_code == samen.status_code == 403
    assert los.json()["detail"] == samen.json()["detail"]
