"""Opvolging: the open referrals of an organisation, oldest first, a status change in place, downloads;
and the API's `open` and `sleutelpersoon` filters it stands on."""

import csv
import io
import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import Session

from app.core.validation import vandaag
from tests.factories import Omgeving, body, make_key, make_sleutelpersoon
from tests.web.helpers import meld_aan


@pytest.fixture
def verwijzingen(client: TestClient, session: Session, omgeving: Omgeving) -> dict[str, str]:
    """Three referrals: one 40 days old (open), one 5 days old (open), one closed."""
    collega = make_sleutelpersoon(session, omgeving.organisatie, weergavenaam="Samir")
    ids = {}
    for naam, dagen, persoon in (("oud", 40, omgeving.sleutelpersoon.id), ("nieuw", 5, collega.id), ("dicht", 20, collega.id)):
        antwoord = client.post("/v1/contactmomenten", headers=omgeving.headers, json=body(
            omgeving, datum=(vandaag() - timedelta(days=dagen)).isoformat(), sleutelpersoonId=str(persoon)))
        assert antwoord.status_code == 201, antwoord.text
        ids[naam] = antwoord.json()["doorverwijzingen"][0]["id"]
    assert client.patch(f"/v1/doorverwijzingen/{ids['dicht']}", headers=omgeving.headers, json={"status": "afgerond"}).status_code == 200
    ids["collega"] = str(collega.id)
    return ids


def test_api_filtert_op_open_en_sleutelpersoon(client: TestClient, omgeving: Omgeving, verwijzingen: dict[str, str]) -> None:
    open_ = client.get("/v1/doorverwijzingen?open=true&sort=datum", headers=omgeving.headers).json()
    assert [v["id"] for v in open_] == [verwijzingen["oud"], verwijzingen["nieuw"]]
    dicht = client.get("/v1/doorverwijzingen?open=false", headers=omgeving.headers).json()
    assert [v["id"] for v in dicht] == [verwijzingen["dicht"]]
    van_samir = client.get(f"/v1/doorverwijzingen?sleutelpersoon={verwijzingen['collega']}", headers=omgeving.headers).json()
    assert {v["id"] for v in van_samir} == {verwijzingen["nieuw"], verwijzingen["dicht"]}


def test_lijst_oudste_eerst_gemarkeerd_en_status_wijzigen(client: TestClient, session: Session, omgeving: Omgeving,
                                                          verwijzingen: dict[str, str]) -> None:
    sleutel = make_key(session, organisatie=omgeving.organisatie, scopes=("registreren", "rapporteren"))
    session.commit()
    meld_aan(client, sleutel)
    pagina = client.get("/opvolging")
    assert pagina.status_code == 200
    assert "2 open" in pagina.text and "1 langer dan 30 dagen" in pagina.text
    assert pagina.text.index(f"verwijzing-{verwijzingen['oud']}") < pagina.text.index(f"verwijzing-{verwijzingen['nieuw']}")
    assert verwijzingen["dicht"] not in pagina.text
    assert pagina.text.count('class="markering">langer dan 30 dagen</strong>') == 1
    # No status is preselected: the first option asks for a choice.
    assert re.search(rf'id="status-{verwijzingen["oud"]}" name="status" required>\s*<option value="">Kies', pagina.text)

    csrf = re.search(r'name="csrf" value="([^"]+)"', pagina.text).group(1)  # type: ignore[union-attr]
    leeg = client.post(f"/opvolging/{verwijzingen['oud']}/status", data={"csrf": csrf, "status": ""})
    assert leeg.status_code == 400 and "Kies de nieuwe status" in leeg.text
    fout = client.post(f"/opvolging/{verwijzingen['oud']}/status", data={"csrf": csrf, "status": "voorgesteld"})
    assert fout.status_code == 400 and "voorgesteld" in fout.text
    goed = client.post(f"/opvolging/{verwijzingen['oud']}/status", data={"csrf": csrf, "status": "aangekomen"}, follow_redirects=False)
    assert goed.status_code == 303
    detail = client.get(f"/v1/doorverwijzingen/{verwijzingen['oud']}", headers=omgeving.headers).json()
    assert [h["status"] for h in detail["historie"]][-1] == "aangekomen"

    alleen_oud = client.get("/opvolging?ouder=1")
    assert verwijzingen["oud"] in alleen_oud.text and verwijzingen["nieuw"] not in alleen_oud.text
    van_samir = client.get(f"/opvolging?sleutelpersoon={verwijzingen['collega']}")
    assert verwijzingen["nieuw"] in van_samir.text and verwijzingen["oud"] not in van_samir.text


def test_downloads(client: TestClient, session: Session, omgeving: Omgeving, verwijzingen: dict[str, str]) -> None:
    sleutel = make_key(session, organisatie=omgeving.organisatie, scopes=("registreren", "rapporteren"))
    session.commit()
    meld_aan(client, sleutel)
    tekst = client.get("/opvolging/download?formaat=csv")
    assert tekst.status_code == 200 and "open-doorverwijzingen-" in tekst.headers["content-disposition"]
    rijen = list(csv.reader(io.StringIO(tekst.content.decode("utf-8-sig")), delimiter=";"))
    assert rijen[0][:3] == ["datum contact", "dagen open", "sleutelpersoon"] and len(rijen) == 3
    assert rijen[1][1] == "40" and rijen[2][2] == "Samir"
    excel = client.get("/opvolging/download?formaat=xlsx")
    blad = load_workbook(io.BytesIO(excel.content)).active
    assert blad.max_row == 3 and blad["B2"].value == 40


def test_regionale_sleutel_heeft_geen_opvolging(client: TestClient, session: Session) -> None:
    sleutel = make_key(session, gemeentecodes=["GM0344"], scopes=("rapporteren", "signalen"))
    session.commit()
    meld_aan(client, sleutel)
    assert client.get("/opvolging").status_code == 403


def test_een_eindstatus_pas_na_bevestiging(client: TestClient, session: Session, omgeving: Omgeving,
                                           verwijzingen: dict[str, str]) -> None:
    """Afgerond closes a referral for good: one choice and Opslaan only open a confirmation page."""
    sleutel = make_key(session, organisatie=omgeving.organisatie, scopes=("registreren", "rapporteren"))
    session.commit()
    meld_aan(client, sleutel)
    pagina = client.get("/opvolging")
    csrf = re.search(r'name="csrf" value="([^"]+)"', pagina.text).group(1)  # type: ignore[union-attr]
    pad = f"/opvolging/{verwijzingen['oud']}/status"
    vraag = client.post(pad, data={"csrf": csrf, "status": "afgerond"}, follow_redirects=False)
    assert vraag.status_code == 200 and "Ja, afronden als afgerond" in vraag.text and 'name="bevestigd" value="ja"' in vraag.text
    status = lambda: client.get(f"/v1/doorverwijzingen/{verwijzingen['oud']}", headers=omgeving.headers).json()["status"]
    assert status() == "verwezen"
    bevestigd = client.post(pad, data={"csrf": csrf, "status": "afgerond", "bevestigd": "ja"}, follow_redirects=False)
    assert bevestigd.status_code == 303 and status() == "afgerond"
