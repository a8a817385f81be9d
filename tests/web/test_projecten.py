"""The projects page (organisation keys): spending against budget, figures per project, a project and a cost
added through the forms (errors in the person's words), the SROI download, and no access for others."""

import io
import re
from datetime import date

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import Session, select

from app.core.validation import vandaag
from app.models import Kosten, Project
from tests.factories import make_contactmoment, make_key, make_organisatie, make_sleutelpersoon
from tests.kosten.maak import make_kosten, make_project
from tests.web.helpers import meld_aan


def _csrf(tekst: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', tekst).group(1)  # type: ignore[union-attr]


def test_spending_against_budget_and_figures(client: TestClient, session: Session) -> None:
    organisatie = make_organisatie(session)
    persoon = make_sleutelpersoon(session, organisatie)
    jaar = vandaag().year
    project = make_project(session, organisatie, naam="Kansrijke Start", begroting_centen=100_000,
                           vanaf=date(jaar, 1, 1), tot=date(jaar, 12, 31))
    for _ in range(4):
        make_contactmoment(session, organisatie, persoon, datum=date(jaar, 1, 10), project_id=project.id)
    make_kosten(session, organisatie, project_id=project.id, bedrag_centen=25_010, datum=date(jaar, 1, 5))
    sleutel = make_key(session, organisatie=organisatie, scopes=("inzien", "rapporteren"))
    session.commit()
    meld_aan(client, sleutel)
    pagina = client.get("/projecten?periode=dit-jaar")
    assert pagina.status_code == 200, pagina.text
    assert "Kansrijke Start" in pagina.text and "€ 250,10" in pagina.text and "€ 1.000,00" in pagina.text
    assert "25%" in pagina.text  # 250.10 of 1000.00
    assert "€ 62,53" in pagina.text  # costs per contact: 250.10 / 4 = 62.525, rounded half up
    assert 'action="/projecten/kosten"' not in pagina.text  # no scope registreren: no forms
    download = client.get(f"/projecten/{project.id}/sroi-invoer?periode=dit-jaar")
    assert download.status_code == 200
    werkmap = load_workbook(io.BytesIO(download.content))
    assert {r[0]: r[2] for r in werkmap["Kosten per soort"].iter_rows(min_row=2, values_only=True)}["totaal"] == 250.1


def test_add_a_project_and_register_a_cost(client: TestClient, session: Session) -> None:
    organisatie = make_organisatie(session)
    persoon = make_sleutelpersoon(session, organisatie, weergavenaam="Amina")
    sleutel = make_key(session, organisatie=organisatie, scopes=("registreren", "inzien", "rapporteren"))
    session.commit()
    meld_aan(client, sleutel)
    csrf = _csrf(client.get("/projecten").text)
    fout = client.post("/projecten", data={"csrf": csrf, "naam": "Rookvrij", "financier_soort": "anders", "financier_naam": "",
                                           "regeling": "rookvrij", "vanaf": "2026-05-01", "tot": "2026-01-01"})
    assert fout.status_code == 400
    assert "Het project is niet toegevoegd" in fout.text and "Andere financier:" in fout.text
    assert "financier.naam" not in fout.text  # the person's words, not a field name
    goed = client.post("/projecten", data={"csrf": csrf, "naam": "Rookvrij", "financier_soort": "anders",
                                           "financier_naam": "KWF", "regeling": "rookvrij", "vanaf": "2026-01-01",
                                           "begroting": "12.500,00".replace(".", "")}, follow_redirects=False)
    assert goed.status_code == 303, goed.text
    project = session.exec(select(Project).where(Project.organisatie_id == organisatie.id)).one()
    assert (project.financier_naam, project.begroting_centen) == ("KWF", 1_250_000)
    kosten = client.post("/projecten/kosten", data={"csrf": csrf, "soort": "reiskosten", "bedrag": "12,34",
                                                    "datum": vandaag().isoformat(), "project": str(project.id),
                                                    "sleutelpersoon": str(persoon.id)}, follow_redirects=False)
    assert kosten.status_code == 303, kosten.text
    opgeslagen = session.exec(select(Kosten).where(Kosten.organisatie_id == organisatie.id)).one()
    assert (opgeslagen.bedrag_centen, opgeslagen.project_id) == (1234, project.id)
    te_veel = client.post("/projecten/kosten", data={"csrf": csrf, "soort": "reiskosten", "bedrag": "1,234",
                                                     "datum": vandaag().isoformat()})
    assert te_veel.status_code == 400 and "Bedrag:" in te_veel.text
    assert "€ 12,34" in client.get("/projecten").text


def test_other_organisations_and_regional_keys(client: TestClient, session: Session) -> None:
    ander = make_organisatie(session)
    project = make_project(session, ander)
    eigen = make_key(session, organisatie=make_organisatie(session), scopes=("inzien", "rapporteren"))
    regio = make_key(session, gemeentecodes=["GM0344"], scopes=("rapporteren",))
    session.commit()
    meld_aan(client, eigen)
    assert client.get(f"/projecten/{project.id}/sroi-invoer").status_code == 404
    assert project.naam not in client.get("/projecten").text
    client.cookies.clear()
    meld_aan(client, regio)
    assert client.get("/projecten").status_code == 403
