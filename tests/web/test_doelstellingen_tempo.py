"""Pace on the dashboard (issue 25 part 3, app/doelen/koppeling.py): a year target on a goal's page and on the
overview shows expected-so-far and voor/op-schema/achter for a date mid-year, and its quarters their parts."""

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.validation import vandaag
from tests.doelstellingen.factories import make_doelstelling
from tests.factories import Omgeving, body, make_key
from tests.web.helpers import meld_aan

# Pace comes with the targets work (branch `doelen`, app/doelen/koppeling.py); until that is merged this module
# is skipped, after it it runs.
koppeling = pytest.importorskip("app.doelen.koppeling")

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
