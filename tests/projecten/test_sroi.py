"""GET /v1/projecten/{id}/sroi-invoer: the workbook opened with openpyxl equals the API's indicators with project=<id>."""

import io
from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import Session

from app.models import Inzet, Uitkomst
from tests.ervaringsverhalen.factories import make_verhaal
from tests.factories import (
    make_contactmoment,
    make_ketenpartner,
    make_key,
    make_organisatie,
    make_sleutelpersoon,
)
from tests.helpers import assert_problem
from tests.kosten.maak import make_kosten, make_project

JAAR = 2025


def _blad(workbook: Any, naam: str) -> dict[str, Any]:
    return {rij[0]: rij[2] for rij in workbook[naam].iter_rows(min_row=2, values_only=True)}


def _waarde(client: TestClient, headers: dict[str, str], code: str, project: Any, **params: Any) -> Any:
    response = client.get(f"/v1/indicatoren/{code}/waarden", headers=headers,
                          params={"periode": JAAR, "project": str(project.id), **params})
    assert response.status_code == 200, response.text
    return response.json()["rijen"]


def test_the_workbook_equals_the_indicators(client: TestClient, session: Session) -> None:
    organisatie = make_organisatie(session)
    persoon = make_sleutelpersoon(session, organisatie)
    partner = make_ketenpartner(session, organisatie)
    project = make_project(session, organisatie, naam="Kansrijke Start", vanaf=date(JAAR, 1, 1), tot=date(JAAR, 12, 31))
    ander = make_project(session, organisatie, naam="Ander")
    for i in range(6):
        contact = make_contactmoment(
            session, organisatie, persoon, datum=date(JAAR, 2 + i, 10), project_id=project.id if i < 5 else ander.id,
            inwoner_referentie=f"client-{i % 3}", duur_minuten=30 + i, uitkomst="opgelost" if i % 2 else "lopend",
            doorverwijzingen=[{"ketenpartner": partner, "status": "afgerond" if i < 3 else "verwezen"}],
        )
        if i == 0:  # a later outcome replaces the first
            session.add(Uitkomst(organisatie_id=organisatie.id, contactmoment_id=contact.id, resultaat="opgelost",
                                 datum=date(JAAR, 4, 1)))
        session.add(Inzet(organisatie_id=organisatie.id, sleutelpersoon_id=persoon.id, datum=date(JAAR, 3, 1 + i),
                          minuten=45 * (i + 1), soort=("contacten", "reizen")[i % 2], inhoud_hash="",
                          project_id=project.id if i < 5 else None))
    for centen, soort in ((10, "telefoon"), (20, "telefoon"), (123456, "vrijwilligersvergoeding"), (999, "reiskosten")):
        make_kosten(session, organisatie, project_id=project.id, bedrag_centen=centen, soort=soort, datum=date(JAAR, 5, 1))
    make_kosten(session, organisatie, project_id=ander.id, bedrag_centen=50000, datum=date(JAAR, 5, 1))
    make_verhaal(session, organisatie, datum=date(JAAR, 6, 1))
    headers = make_key(session, organisatie=organisatie, scopes=("rapporteren",))
    session.commit()

    response = client.get(f"/v1/projecten/{project.id}/sroi-invoer", headers=headers, params={"periode": JAAR})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Toelichting", "Uren per soort", "Kosten per soort", "Bereik", "Doorverwijzingen",
                                   "Uitkomsten", "Verhalen per effect"]
    toelichting = " ".join(str(c) for rij in workbook["Toelichting"].iter_rows(values_only=True) for c in rij if c)
    assert "analist" in toelichting and "niet berekend" in toelichting

    uren = _blad(workbook, "Uren per soort")
    per_soort = {r["soort"]["code"]: r["waarde"] for r in _waarde(client, headers, "inzet-uren", project, groeperenOp="soort")}
    assert {k: v for k, v in uren.items() if k != "contactmomenten"} == per_soort
    assert per_soort["contacten"] == round((45 + 135 + 225) / 60, 1)
    assert uren["contactmomenten"] == _waarde(client, headers, "bestede-uren", project)[0]["waarde"]

    kosten = _blad(workbook, "Kosten per soort")
    assert kosten["telefoon"] == 0.3 and kosten["totaal"] == 1244.85
    assert workbook["Kosten per soort"]["C2"].number_format == "#,##0.00"
    assert kosten["totaal"] == _waarde(client, headers, "kosten", project)[0]["waarde"]

    bereik = _blad(workbook, "Bereik")
    for code in ("aantal-contactmomenten", "bereik-inwoners", "bereik-groepsdeelnemers", "bereik-professionals"):
        assert bereik[code] == _waarde(client, headers, code, project)[0]["waarde"], code
    assert (bereik["aantal-contactmomenten"], bereik["bereik-inwoners"]) == (5, 3)

    assert _blad(workbook, "Doorverwijzingen")["afgerond"] == 3
    assert _blad(workbook, "Uitkomsten") == {"opgelost": 3, "lopend": 2}
    assert _blad(workbook, "Verhalen per effect")["samenwerking"] == 1


def test_only_the_own_organisation_gets_the_inputs(client: TestClient, session: Session) -> None:
    organisatie = make_organisatie(session)
    project = make_project(session, organisatie)
    andere = make_key(session, organisatie=make_organisatie(session), scopes=("rapporteren",))
    regio = make_key(session, gemeentecodes=["GM0344"], scopes=("rapporteren",))
    eigen = make_key(session, organisatie=organisatie, scopes=("rapporteren",))
    session.commit()
    assert_problem(client.get(f"/v1/projecten/{project.id}/sroi-invoer", headers=andere), 404)
    assert_problem(client.get(f"/v1/projecten/{project.id}/sroi-invoer", headers=regio), 404)
    assert_problem(client.get(f"/v1/projecten/{project.id}/sroi-invoer", headers=eigen, params={"periode": "gisteren-ooit"}), 400)
