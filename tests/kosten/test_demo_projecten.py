"""Demo data of issue 26: two projects with different financiers, costs over the year, contacts and hours charged,
so "what did Kansrijke Start pay per contact this year" has an answer."""

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import Session, select

from app import demo
from app.inzet.service import uren, vingerafdruk_van
from app.models import Contactmoment, Inzet, Kosten, Organisatie, Project
from tests.factories import make_key

TODAY = date(2026, 12, 7)


def test_two_projects_costs_and_an_answer_per_contact(client: TestClient, session: Session) -> None:
    samenvatting = demo.laad_demo_data(session, aantal=400, seed=42, today=TODAY)
    organisatie_id = samenvatting["organisaties"][0]["id"]
    projecten = list(session.exec(select(Project).where(Project.organisatie_id == organisatie_id).order_by(Project.regeling)))
    assert [p.regeling for p in projecten] == ["kansrijke-start", "sociaal-domein"]
    assert projecten[0].financier_naam and projecten[1].financier_gemeentecode  # two different financiers
    assert samenvatting["projecten"]["projecten"] == 2 * len(samenvatting["organisaties"])
    kosten_2026 = session.exec(select(func.count()).select_from(Kosten).where(
        Kosten.organisatie_id == organisatie_id, Kosten.datum >= date(2026, 1, 1))).one()
    assert kosten_2026 > 50
    geboekt = session.exec(select(func.count()).select_from(Contactmoment).where(
        Contactmoment.project_id == projecten[0].id)).one()
    assert geboekt > 0
    inzet = session.exec(select(Inzet).where(Inzet.project_id.is_not(None))).first()  # type: ignore[union-attr]
    assert inzet is not None and inzet.inhoud_hash == vingerafdruk_van({
        "sleutelpersoon_id": inzet.sleutelpersoon_id, "datum": inzet.datum, "uren": uren(inzet.minuten), "soort": inzet.soort,
        "gemeentecode": inzet.gemeentecode, "toelichting": inzet.toelichting, "project_id": inzet.project_id})

    headers = make_key(session, organisatie=session.get(Organisatie, organisatie_id), scopes=("rapporteren",))
    session.commit()
    antwoord = client.get("/v1/indicatoren/kosten-per-contactmoment/waarden",
                          params={"periode": "2026", "regeling": "kansrijke-start"}, headers=headers)
    assert antwoord.status_code == 200, antwoord.text
    rij = antwoord.json()["rijen"][0]
    assert rij["waarde"] is not None and rij["waarde"] > 0 and rij["noemer"] == geboekt
