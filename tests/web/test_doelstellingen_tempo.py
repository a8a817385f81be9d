"""Pace on the dashboard (issue 25 part 3, app/doelen/koppeling.py): a year target on a goal's page and on the
overview shows expected-so-far and voor/op-schema/achter for a date mid-year, and its quarters their parts; an
organisation's own indicator (part 2) is offered in the goal's form and computed like a catalogue one."""

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.validation import vandaag
from app.doelen import koppeling
from tests.doelstellingen.factories import make_doelstelling
from tests.factories import Omgeving, body, make_key
from tests.web.helpers import meld_aan

JAAR = vandaag().year - 1  # a whole past year: every contact date is allowed


def _rij(tekst: str, begin: str) -> str:
    gevonden = re.search(re.escape(begin) + r".*?</tr>", tekst, re.DOTALL)
    assert gevonden, tekst
    return re.sub(r"\s+", " ", gevonden.group(0))


def test_tempo_op_de_doelstelling_en_het_overzicht(client: TestClient, session: Session, omgeving: Omgeving,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(koppeling, "vandaag", lambda: date(JAAR, 7, 2))  # 183 of 365 days gone: half the year
    for dag in ("01-15", "02-10", "03-05", "04-20", "05-11", "06-30"):
        assert client.post("/v1/contactmomenten", headers=omgeving.headers,
                           json=body(omgeving, datum=f"{JAAR}-{dag}")).status_code == 201
    doelstelling = make_doelstelling(session, omgeving.organisatie, titel="Meer contact", indicatoren=["aantal-contactmomenten"],
                                     vanaf=date(JAAR, 1, 1), tot=date(JAAR, 12, 31))
    sleutel = make_key(session, organisatie=omgeving.organisatie, scopes=("registreren", "rapporteren"))
    session.commit()
    meld_aan(client, sleutel)
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/doelstellingen").text).group(1)  # type: ignore[union-attr]
    formulier = client.get(f"/doelstellingen/{doelstelling.id}").text
    assert 'name="gedeeld"' in formulier  # the API can share a target: the form offers it
    assert client.post(f"/doelstellingen/{doelstelling.id}/doelen", data={
        "csrf": csrf, "indicator": "aantal-contactmomenten", "periode": str(JAAR), "waarde": "24", "gedeeld": "ja"},
        follow_redirects=False).status_code == 303
    assert client.get("/v1/doelen", headers=omgeving.headers).json()[0]["gedeeld"] is True

    # Expected by 2 July: 24 × 183/365 ≈ 12; realised 6: behind.
    pagina = client.get(f"/doelstellingen/{doelstelling.id}").text
    jaar = _rij(pagina, '<td data-kop="Indicator">Aantal contactmomenten')
    assert re.search(r'Verwacht tot nu" class="getal">12(,0)?<', jaar), jaar
    assert "Achter op schema" in jaar and ">6 (25%)<" in jaar
    # The quarters: Q1 and Q2 are past (their parts are whole), Q3 runs (its pace), Q4 is ahead.
    q3 = _rij(pagina, f"waarvan {JAAR}Q3")
    assert "Achter op schema" in q3 or "Op schema" in q3 or "Voor op schema" in q3, q3
    delen = [float(m.replace(".", "").replace(",", ".")) for m in re.findall(
        r'<tr class="deelrij">.*?Doel" class="getal">([\d.,]+)<', pagina, re.DOTALL)]
    assert len(delen) == 4 and sum(delen) == pytest.approx(24, abs=0.2)  # parts in hundredths, shown to one decimal

    overzicht = client.get(f"/overzicht?eigen={JAAR}").text
    regel = _rij(overzicht, '<td data-kop="Indicator">Aantal contactmomenten')
    assert "Achter op schema" in regel and f'href="/doelstellingen/{doelstelling.id}"' in regel
    assert re.search(r'Verwacht tot nu" class="getal">12(,0)?<', regel), regel


JGZ = {"code": "eigen.hulpvragen-jgz-statushouders", "naam": "Hulpvragen JGZ van statushouders",
       "definitie": "Hulpvragen over de JGZ van inwoners die statushouder zijn.", "basis": "aantal-hulpvragen",
       "filters": {"onderwerp": ["zorg.jgz"], "doelgroep": ["statushouder"]}}


def test_eigen_indicator_in_formulier_doelstelling_en_overzicht(client: TestClient, session: Session, omgeving: Omgeving,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(koppeling, "vandaag", lambda: date(JAAR, 7, 2))
    assert client.post("/v1/indicatoren", json=JGZ, headers=omgeving.headers).status_code == 201
    for dag, onderwerp in (("02-10", "zorg.jgz"), ("03-05", "zorg.jgz"), ("04-20", "geld.toeslagen")):
        contact = body(omgeving, datum=f"{JAAR}-{dag}", onderwerpen=[onderwerp], doorverwijzingen=[])  # statushouders
        assert client.post("/v1/contactmomenten", headers=omgeving.headers, json=contact).status_code == 201, contact
    sleutel = make_key(session, organisatie=omgeving.organisatie, scopes=("registreren", "rapporteren"))
    session.commit()
    meld_aan(client, sleutel)
    lijst = client.get("/doelstellingen").text
    assert 'value="eigen.hulpvragen-jgz-statushouders"' in lijst and "Hulpvragen JGZ van statushouders" in lijst
    csrf = re.search(r'name="csrf" value="([^"]+)"', lijst).group(1)  # type: ignore[union-attr]
    nieuw = client.post("/doelstellingen", data={
        "csrf": csrf, "titel": "JGZ voor statushouders", "vanaf": f"{JAAR}-01-01", "tot": f"{JAAR}-12-31",
        "status": "actief", "indicatoren": [JGZ["code"]]}, follow_redirects=False)
    assert nieuw.status_code == 303, nieuw.text
    pad = nieuw.headers["location"].split("?")[0]
    assert client.post(pad + "/doelen", data={"csrf": csrf, "indicator": JGZ["code"], "periode": str(JAAR), "waarde": "8"},
                       follow_redirects=False).status_code == 303
    pagina = client.get(pad).text
    rij = _rij(pagina, '<td data-kop="Indicator">Hulpvragen JGZ van statushouders')
    assert ">2 (25%)<" in rij and "Achter op schema" in rij, rij  # two JGZ questions of statushouders, of 8
    overzicht = client.get(f"/overzicht?eigen={JAAR}")
    assert overzicht.status_code == 200
    regel = _rij(overzicht.text, '<td data-kop="Indicator">Hulpvragen JGZ van statushouders')
    assert "2 van 8: 25%" in regel and f'href="{pad}"' in regel
