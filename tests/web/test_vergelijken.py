"""Vergelijken: a figure per gemeente, wijk, organisation, key person or topic, against the previous
period and a year earlier; exact for an organisation, perturbed for a regional key."""

import re
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.core.periods import Periode
from app.core.validation import vandaag
from app.models import LeesAudit
from app.web.pages.vergelijken import vergelijkingsperiodes
from tests.factories import Omgeving, body, make_key, make_sleutelpersoon
from tests.web.helpers import meld_aan


def test_vergelijkingsperiodes() -> None:
    kwartaal = Periode(date(2026, 4, 1), date(2026, 7, 1), "2026Q2")
    assert [(v, t) for _, v, t in vergelijkingsperiodes(kwartaal)] == [
        (date(2026, 4, 1), date(2026, 6, 30)), (date(2026, 1, 1), date(2026, 3, 31)), (date(2025, 4, 1), date(2025, 6, 30))]
    jaar = Periode(date(2025, 1, 1), date(2026, 1, 1), "2025")
    assert [(v, t) for _, v, t in vergelijkingsperiodes(jaar)][1] == (date(2024, 1, 1), date(2024, 12, 31))
    week = Periode(date(2026, 3, 2), date(2026, 3, 9), "2026W10")
    _, (_, vorige_van, _), (_, jaar_van, _) = vergelijkingsperiodes(week)
    assert vorige_van == date(2026, 2, 23) and jaar_van.weekday() == 0


@pytest.fixture
def org_sessie(client: TestClient, session: Session, omgeving: Omgeving) -> dict[str, str]:
    samir = make_sleutelpersoon(session, omgeving.organisatie, weergavenaam="Samir")
    vorige_maand = (vandaag().replace(day=1) - timedelta(days=1)).replace(day=10)
    twee_terug = (vorige_maand.replace(day=1) - timedelta(days=1)).replace(day=10)
    for datum, persoon, gemeente, wijk in ((vorige_maand, samir, "GM0344", "WK034401"), (vorige_maand, samir, "GM0344", "WK034402"),
                                           (vorige_maand, omgeving.sleutelpersoon, "GM0307", "WK030701"),
                                           (twee_terug, samir, "GM0344", "WK034401")):
        antwoord = client.post("/v1/contactmomenten", headers=omgeving.headers, json=body(
            omgeving, datum=datum.isoformat(), sleutelpersoonId=str(persoon.id), gemeentecode=gemeente, wijkcode=wijk))
        assert antwoord.status_code == 201, antwoord.text
    sleutel = make_key(session, organisatie=omgeving.organisatie, scopes=("registreren", "rapporteren"))
    session.commit()
    meld_aan(client, sleutel)
    return {"samir": str(samir.id)}


def _tabel(html: str) -> list[list[str]]:
    tbody = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", rij, re.DOTALL)]
            for rij in re.findall(r"<tr>(.*?)</tr>", tbody, re.DOTALL)]


def test_per_gemeente_met_namen_en_doorklikken_naar_wijk(client: TestClient, org_sessie: dict[str, str]) -> None:
    pagina = client.get("/vergelijken?maat=aantal-contactmomenten&per=gemeente&periode=vorige-maand")
    assert pagina.status_code == 200
    rijen = _tabel(pagina.text)
    assert rijen[0][:3] == ["Utrecht (GM0344)", "2", "1"] and rijen[0][3] == "+1 (+100%)"
    assert rijen[1][0].endswith("(GM0307)") and rijen[1][1] == "1"
    wijk = client.get("/vergelijken?maat=aantal-contactmomenten&per=wijk&gemeente=GM0344&periode=vorige-maand")
    assert sorted(r[0] for r in _tabel(wijk.text)) == ["WK034401", "WK034402"]
    assert 'href="/vergelijken?maat=aantal-contactmomenten&amp;periode=vorige-maand&amp;per=wijk&amp;gemeente=GM0344"' in pagina.text


def test_per_sleutelpersoon_alleen_voor_de_organisatie(client: TestClient, org_sessie: dict[str, str]) -> None:
    pagina = client.get("/vergelijken?maat=aantal-contactmomenten&per=sleutelpersoon&periode=vorige-maand")
    rijen = {r[0]: r for r in _tabel(pagina.text)}
    assert rijen["Samir"][1:3] == ["2", "1"]


def test_regionale_sleutel_ziet_verstoorde_cijfers_en_geen_sleutelpersonen(client: TestClient, session: Session,
                                                                            omgeving: Omgeving) -> None:
    for _ in range(3):
        assert client.post("/v1/contactmomenten", headers=omgeving.headers, json=body(omgeving)).status_code == 201
    sleutel = make_key(session, gemeentecodes=["GM0344"], scopes=("rapporteren",))
    session.commit()
    meld_aan(client, sleutel)
    pagina = client.get("/vergelijken?maat=aantal-contactmomenten&per=sleutelpersoon&periode=2025")
    assert pagina.status_code == 200
    # Three tables (this period, the one before, a year earlier), each audited; nothing read besides.
    assert len(session.exec(select(LeesAudit)).all()) == 3
    assert 'value="sleutelpersoon"' not in pagina.text  # not offered, and the default split is used
    assert "onderdrukt" in pagina.text  # three contacts of one key person: never shown to a region
    assert "regionale sleutel" in pagina.text
