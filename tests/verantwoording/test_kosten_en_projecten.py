"""The verantwoording's costs and its selection of one project or one financier (issue 26's projects).

Costs equal `GET /v1/indicatoren/kosten/waarden` (and the quotients); with `projectId` every indicator that
has the `project` dimension equals the API's value with `project=<id>`; another organisation's project is 404.
"""

import io
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import Session

from app.indicatoren.catalogue import INDICATOREN
from tests.factories import make_contactmoment, make_inzet, make_key
from tests.helpers import assert_problem
from tests.kosten.maak import make_kosten, make_project
from tests.verantwoording.test_verantwoording import JAAR, URL, _blad, data  # noqa: F401  (the fixture)


@pytest.fixture
def projecten(session: Session, data: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    """Two projects of organisation A (one financed by GM0344, one by ZonMw), work and costs charged to them."""
    a = data["a"]
    org, personen = a["organisatie"], a["personen"]
    gemeente = make_project(session, org, naam="Sociaal domein", financier_gemeentecode="GM0344",
                            regeling="sociaal-domein", begroting_centen=4_500_000)
    zonmw = make_project(session, org, naam="Kansrijke Start", financier_gemeentecode=None, financier_naam="ZonMw",
                         begroting_centen=3_000_000)
    for i in range(7):
        make_contactmoment(session, org, personen[i % 3], datum=date(JAAR, 2 + i, 11), duur_minuten=40,
                           inwoner_referentie=f"alfa-project-{2000 + i % 4}", project_id=zonmw.id)
    make_inzet(session, org, personen[0], datum=date(JAAR, 3, 9), minuten=150, soort="contacten", project_id=zonmw.id)
    for bedrag, soort, project in ((1010, "reiskosten", zonmw), (2020, "vrijwilligersvergoeding", zonmw),
                                   (50_005, "materiaal", gemeente), (333, "reiskosten", None)):
        make_kosten(session, org, soort=soort, bedrag_centen=bedrag, datum=date(JAAR, 4, 1),
                    project_id=project.id if project else None)
    make_kosten(session, org, soort="materiaal", bedrag_centen=99_999, datum=date(JAAR - 1, 4, 1), project_id=zonmw.id)
    b = data["b"]
    ander = make_project(session, b["organisatie"], naam="Project van Bèta")
    session.commit()
    return {"gemeente": gemeente, "zonmw": zonmw, "ander": ander}


def _api(client: TestClient, headers: dict[str, str], code: str, **params: Any) -> list[dict[str, Any]]:
    antwoord = client.get(f"/v1/indicatoren/{code}/waarden", params={"periode": JAAR, **params}, headers=headers)
    assert antwoord.status_code == 200, antwoord.text
    return antwoord.json()["rijen"]


def _werkmap(client: TestClient, headers: dict[str, str], **params: Any) -> Any:
    antwoord = client.get(URL, params={"periode": JAAR, "formaat": "xlsx", **params}, headers=headers)
    assert antwoord.status_code == 200, antwoord.text
    return load_workbook(io.BytesIO(antwoord.content))


def test_kosten_gelijk_aan_de_api(client: TestClient, session: Session, data: dict[str, Any],  # noqa: F811
                                  projecten: dict[str, Any]) -> None:
    headers = data["a"]["headers"]
    inzien = make_key(session, organisatie=data["a"]["organisatie"], scopes=("inzien",))
    session.commit()
    werkmap = _werkmap(client, headers)
    assert "Kosten" in werkmap.sheetnames
    kosten = {(r["Wat"], r["Uitsplitsing"]): r for r in _blad(werkmap, "Kosten")}
    assert kosten[("Kosten", "Totaal")]["Bedrag"] == _api(client, headers, "kosten")[0]["waarde"] == 533.68
    for api in _api(client, headers, "kosten", groeperenOp="soort"):
        assert kosten[("Kosten per soort", api["soort"]["label"])]["Bedrag"] == api["waarde"]
    per_contact = _api(client, headers, "kosten-per-contactmoment")[0]
    rij = next(r for (wat, _), r in kosten.items() if wat == "Kosten per contactmoment")
    assert (rij["Bedrag"], rij["Aantal"]) == (per_contact["waarde"], per_contact["noemer"])
    besteed = client.get(f"/v1/projecten/{projecten['zonmw'].id}/besteding", headers=inzien).json()
    assert kosten[("Project Kansrijke Start", "Besteed in totaal")]["Bedrag"] == float(besteed["besteed"]) == 1030.29
    assert kosten[("Project Kansrijke Start", "Besteed in de periode")]["Bedrag"] == 30.30
    assert kosten[("Project Kansrijke Start", "Begroting")]["Bedrag"] == 30_000
    assert werkmap["Kosten"]["C2"].number_format == '"€" #,##0.00'


def test_een_project(client: TestClient, data: dict[str, Any], projecten: dict[str, Any]) -> None:  # noqa: F811
    headers, zonmw = data["a"]["headers"], projecten["zonmw"]
    werkmap = _werkmap(client, headers, projectId=str(zonmw.id))
    toelichting = " ".join(str(v) for r in werkmap["Toelichting"].iter_rows(values_only=True) for v in r if v)
    assert "Project Kansrijke Start" in toelichting
    indicatoren = {r["Code"]: r for r in _blad(werkmap, "Indicatoren")}
    for code, indicator in INDICATOREN.items():
        rij = indicatoren[code]
        if "project" in indicator.dimensies:
            api = _api(client, headers, code, project=str(zonmw.id))[0]
            assert rij["Geldt voor"] == "dit deel", code
        else:
            api = _api(client, headers, code)[0]
            assert rij["Geldt voor"] == "hele organisatie", code
        assert rij["Waarde"] == api["waarde"], code  # one scale: a percentage is the API's 0-100 number
    assert indicatoren["aantal-contactmomenten"]["Waarde"] == 7
    kosten = {(r["Wat"], r["Uitsplitsing"]): r["Bedrag"] for r in _blad(werkmap, "Kosten")}
    assert kosten[("Kosten", "Totaal")] == 30.30
    assert not [k for k in kosten if k[0] == "Project Sociaal domein"]


def test_een_financier(client: TestClient, data: dict[str, Any], projecten: dict[str, Any]) -> None:  # noqa: F811
    headers = data["a"]["headers"]
    for financier, totaal in (("GM0344", 500.05), ("zonmw", 30.30)):
        kosten = {(r["Wat"], r["Uitsplitsing"]): r["Bedrag"] for r in _blad(
            _werkmap(client, headers, financier=financier), "Kosten")}
        assert kosten[("Kosten", "Totaal")] == totaal, financier
    body = assert_problem(client.get(URL, params={"periode": JAAR, "financier": "GM0599"}, headers=headers), 400)
    assert [p["name"] for p in body["invalidParams"]] == ["financier"]


def test_het_project_van_een_ander_is_404(client: TestClient, data: dict[str, Any],  # noqa: F811
                                          projecten: dict[str, Any]) -> None:
    headers = data["a"]["headers"]
    for formaat in ("xlsx", "pdf"):
        assert_problem(client.get(URL, params={"periode": JAAR, "formaat": formaat,
                                               "projectId": str(projecten["ander"].id)}, headers=headers), 404)
    body = assert_problem(client.get(URL, params={"periode": "onzin", "projectId": "geen-id"}, headers=headers), 400)
    assert sorted(p["name"] for p in body["invalidParams"]) == ["periode", "projectId"]
    body = assert_problem(client.get(URL, params={"periode": JAAR, "projectId": str(projecten["zonmw"].id),
                                                  "financier": "GM0344"}, headers=headers), 400)
    assert [p["name"] for p in body["invalidParams"]] == ["financier"]


def test_de_regio_ook_niet_per_project(client: TestClient, session: Session, data: dict[str, Any],  # noqa: F811
                                       projecten: dict[str, Any]) -> None:
    regio = make_key(session, gemeentecodes=["GM0344"], scopes=("rapporteren",))
    session.commit()
    assert_problem(client.get(URL, params={"periode": JAAR, "projectId": str(projecten["zonmw"].id)}, headers=regio), 403)
