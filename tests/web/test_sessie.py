"""The dashboard's session and forms without a browser: cookie, CSRF, revocation, redirects, downloads."""

import json
import re
import uuid
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from itsdangerous import URLSafeTimedSerializer
from sqlmodel import Session

from app.toegang import service as toegang
from app.toegang.caller import cli_caller
from app.web.sessie import COOKIE, SALT
from tests.factories import Omgeving, body, make_key
from tests.signalen.factories import make_signaal
from tests.web.helpers import cookie_inhoud, csrf_van, meld_aan


@pytest.fixture
def sleutel(session: Session, omgeving: Omgeving) -> dict[str, str]:
    """A key of the organisation that may also read its figures (the Overzicht needs `rapporteren`)."""
    headers = make_key(session, organisatie=omgeving.organisatie, scopes=("registreren", "rapporteren"))
    session.commit()
    return headers


def test_aanmelden_zet_een_strikte_cookie_zonder_de_sleutel(client: TestClient, omgeving: Omgeving, sleutel: dict[str, str]) -> None:
    antwoord = meld_aan(client, sleutel)
    assert antwoord.status_code == 303 and antwoord.headers["location"] == "/overzicht"
    cookie = antwoord.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Max-Age=28800" in cookie and "Path=/" in cookie
    inhoud = cookie_inhoud(client.cookies[COOKIE])
    geheim = sleutel["Authorization"].split(" ", 1)[1].split("_", 2)[2]  # smk_<prefix>_<geheim>
    assert set(inhoud) == {"p", "s", "c", "t"}
    assert geheim not in client.cookies[COOKIE] and geheim not in json.dumps(inhoud)
    pagina = client.get("/overzicht")
    assert pagina.status_code == 200 and "Content-Security-Policy" in pagina.headers
    assert "script-src 'self'" in pagina.headers["Content-Security-Policy"]


def test_formulieren_zonder_csrf_of_van_een_andere_site_geweigerd(client: TestClient, omgeving: Omgeving, sleutel: dict[str, str]) -> None:
    token = sleutel["Authorization"].split(" ", 1)[1]
    assert client.post("/aanmelden", data={"sleutel": token}).status_code == 403
    csrf = csrf_van(client)
    vreemd = client.post("/aanmelden", data={"sleutel": token, "csrf": csrf}, headers={"Origin": "https://elders.example"})
    assert vreemd.status_code == 403 and "text/html" in vreemd.headers["content-type"]
    assert meld_aan(client, sleutel).status_code == 303
    assert client.post("/afmelden", data={"csrf": "verkeerd"}).status_code == 403
    assert client.get("/overzicht", follow_redirects=False).status_code == 200  # still signed in


def test_ingetrokken_sleutel_beeindigt_de_sessie(client: TestClient, session: Session, omgeving: Omgeving, sleutel: dict[str, str]) -> None:
    assert meld_aan(client, sleutel).status_code == 303
    prefix = cookie_inhoud(client.cookies[COOKIE])["p"]
    toegang.revoke_key(session, caller=cli_caller(), key=toegang.get_key(session, key_id_or_prefix=prefix))
    session.commit()
    antwoord = client.get("/overzicht", follow_redirects=False)
    assert antwoord.status_code == 303 and antwoord.headers["location"].startswith("/?melding=verlopen")


def test_vervalste_cookie_leidt_naar_aanmelden(client: TestClient, omgeving: Omgeving, sleutel: dict[str, str]) -> None:
    assert meld_aan(client, sleutel).status_code == 303
    # Another key's prefix, signed with a secret that is not the server's.
    inhoud = cookie_inhoud(client.cookies[COOKIE]) | {"p": "smk_00000000"}
    client.cookies.set(COOKIE, URLSafeTimedSerializer("een-ander-geheim-" * 3, salt=SALT).dumps(inhoud))
    antwoord = client.get("/overzicht", follow_redirects=False)
    assert antwoord.status_code == 303 and antwoord.headers["location"] == "/?volgende=%2Foverzicht"


def test_na_aanmelden_alleen_naar_een_pad_van_deze_site(client: TestClient, omgeving: Omgeving, sleutel: dict[str, str]) -> None:
    assert meld_aan(client, sleutel, volgende="//elders.example/x").headers["location"] == "/overzicht"
    client.cookies.clear()
    assert meld_aan(client, sleutel, volgende="/signalen").headers["location"] == "/signalen"


def test_beheersleutel_en_onbekende_sleutel_geweigerd(client: TestClient, session: Session) -> None:
    beheer = make_key(session, scopes=("beheren",), beheer=True)
    session.commit()
    antwoord = meld_aan(client, beheer)
    assert antwoord.status_code == 401 and "beheersleutel" in antwoord.text
    onbekend = meld_aan(client, {"Authorization": "Bearer smk_00000000_nietbestaand"})
    assert onbekend.status_code == 401 and "onbekend" in onbekend.text
    assert client.get("/overzicht", follow_redirects=False).status_code == 303  # no session was started


def test_download_is_de_export_van_de_api(client: TestClient, session: Session, omgeving: Omgeving, sleutel: dict[str, str]) -> None:
    for dag in ("2025-03-03", "2025-03-14", "2025-04-02"):
        assert client.post("/v1/contactmomenten", json=body(omgeving, datum=dag), headers=sleutel).status_code == 201
    query = "periode=2025&interval=maand&groeperenOp=hoofdonderwerp"
    api = client.get(f"/v1/indicatoren/aantal-hulpvragen/waarden?{query}", headers=sleutel | {"Accept": "text/csv"})
    assert meld_aan(client, sleutel).status_code == 303
    dashboard = client.get(f"/overzicht/download?indicator=aantal-hulpvragen&{query}&formaat=csv")
    assert dashboard.status_code == 200 and dashboard.text == api.text
    assert "attachment" in dashboard.headers["content-disposition"]
    xlsx = client.get(f"/overzicht/download?indicator=aantal-hulpvragen&{query}&formaat=xlsx")
    assert xlsx.content[:2] == b"PK"
    fout = client.get("/overzicht/download?indicator=bestaat-niet&periode=2025")
    assert fout.status_code == 404 and "text/html" in fout.headers["content-type"]


def test_regionale_download_is_even_verstoord_als_de_api(client: TestClient, session: Session, omgeving: Omgeving, sleutel: dict[str, str]) -> None:
    for dag in ("2025-03-03", "2025-03-14"):
        client.post("/v1/contactmomenten", json=body(omgeving, datum=dag), headers=sleutel)
    regio = make_key(session, scopes=("rapporteren",), gemeentecodes=["GM0344"])
    session.commit()
    query = "periode=2025&groeperenOp=hoofdonderwerp"
    api = client.get(f"/v1/indicatoren/aantal-hulpvragen/waarden?{query}", headers=regio | {"Accept": "text/csv"})
    assert meld_aan(client, regio).status_code == 303
    dashboard = client.get(f"/overzicht/download?indicator=aantal-hulpvragen&{query}&formaat=csv")
    assert dashboard.text == api.text and ";ja" in dashboard.text  # two records: suppressed, and marked so
    per_persoon = client.get("/overzicht/download?indicator=aantal-hulpvragen&periode=2025&groeperenOp=sleutelpersoon")
    assert per_persoon.status_code == 403


def test_doelen_als_voortgangsbalken(client: TestClient, omgeving: Omgeving, sleutel: dict[str, str]) -> None:
    for dag in ("2025-03-03", "2025-03-14", "2025-04-02"):
        client.post("/v1/contactmomenten", json=body(omgeving, datum=dag), headers=sleutel)
    doel = {"indicator": "aantal-contactmomenten", "periode": "2025Q1", "waarde": 4}
    assert client.post("/v1/doelen", json=doel, headers=sleutel).status_code == 201
    assert meld_aan(client, sleutel).status_code == 303
    pagina = client.get("/overzicht?eigen=2025")
    voortgang = re.search(r"<progress [^>]*value=\"([\d.]+)\"[^>]*aria-label=\"([^\"]+)\"", pagina.text)
    assert voortgang is not None, pagina.text
    assert voortgang.group(1) == "50.0" and "50% van het doel" in voortgang.group(2)
    assert "2 van 4: 50%" in pagina.text
    # The page says per chart what it shows, and shows each chart's figures as a table too.
    assert pagina.text.count("Toon als tabel") == 3 and pagina.text.count('role="img"') == 3


def test_import_weigert_oude_excel_en_een_vreemd_bestand(client: TestClient, sleutel: dict[str, str]) -> None:
    assert meld_aan(client, sleutel).status_code == 303
    csrf = cookie_inhoud(client.cookies[COOKIE])["c"]
    xls = client.post("/importeren", data={"csrf": csrf}, files={"bestand": ("logboek.xls", b"\xd0\xcf\x11\xe0", "application/vnd.ms-excel")})
    assert xls.status_code == 400 and "(.xls) worden niet ondersteund" in xls.text
    zonder = client.post("/importeren", files={"bestand": ("logboek.csv", b"Datum\r\n", "text/csv")})
    assert zonder.status_code == 403  # no CSRF token
    vreemd = client.post("/importeren/uitvoeren", data={"csrf": csrf, "token": "../../etc/passwd"})
    assert vreemd.status_code == 400 and "niet meer beschikbaar" in vreemd.text


def test_regio_kan_alleen_signalen_van_de_eigen_gemeenten_wijzigen(client: TestClient, session: Session) -> None:
    regio = make_key(session, scopes=("signalen",), gemeentecodes=["GM0307"])
    session.commit()
    assert meld_aan(client, regio).status_code == 303
    csrf = cookie_inhoud(client.cookies[COOKIE])["c"]
    antwoord = client.post(f"/signalen/{uuid.uuid4()}/status", data={"csrf": csrf, "status": "ontvangen"})
    assert antwoord.status_code == 404 and "text/html" in antwoord.headers["content-type"]
    # No `rapporteren`: no figures; the key starts at its inbox, and a figures download is refused in words.
    assert client.get("/overzicht", follow_redirects=False).headers["location"] == "/signalen"
    assert client.get("/overzicht/download?indicator=aantal-contactmomenten").status_code == 403


def test_regio_exporteert_gedeelde_verhalen_zoals_de_api(client: TestClient, session: Session) -> None:
    regio = make_key(session, scopes=("rapporteren",), gemeentecodes=["GM0344"])
    session.commit()
    api = client.get("/v1/gedeelde-ervaringsverhalen/export?formaat=markdown", headers=regio)
    assert meld_aan(client, regio).status_code == 303
    dashboard = client.get("/ervaringsverhalen/export?formaat=markdown")
    assert dashboard.status_code == 200 and dashboard.text == api.text
    assert client.get("/ervaringsverhalen/export?formaat=xlsx").content[:2] == b"PK"


def test_terugkoppeling_met_stuurtekens_geweigerd(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    signaal = {"datum": "2026-11-20", "gemeentecode": "GM0344", "onderwerpen": ["zorg.jgz"], "titel": "Uitnodiging onbegrepen",
               "omschrijving": "Moeders begrepen de uitnodiging niet.", "urgentie": "middel",
               "gerichtAan": {"soort": "gemeente", "gemeentecode": "GM0344"}}
    gemaakt = client.post("/v1/signalen", json=signaal, headers=omgeving.headers)
    assert gemaakt.status_code == 201, gemaakt.text
    regio = make_key(session, scopes=("signalen",), gemeentecodes=["GM0344"])
    session.commit()
    assert meld_aan(client, regio).status_code == 303
    csrf = cookie_inhoud(client.cookies[COOKIE])["c"]
    antwoord = client.post(f"/signalen/{gemaakt.json()['id']}/status",
                           data={"csrf": csrf, "status": "ontvangen", "tekst": "Dank\x00je"})
    assert antwoord.status_code == 400 and "stuurteken" in antwoord.text
    zonder = client.post(f"/signalen/{gemaakt.json()['id']}/status", data={"csrf": csrf, "status": "opgepakt"})
    assert zonder.status_code == 400 and "aria-invalid" in zonder.text  # the API's 409: not from ingediend


def test_signalen_per_pagina_van_vijftig(client: TestClient, session: Session, omgeving: Omgeving, sleutel: dict[str, str]) -> None:
    for nummer in range(53):
        make_signaal(session, omgeving.organisatie, titel=f"Signaal nummer {nummer:02d}",
                     datum=date(2026, 1, 1) + timedelta(days=nummer))
    session.commit()
    assert meld_aan(client, sleutel).status_code == 303
    eerste = client.get("/signalen")
    assert eerste.text.count("Signaal nummer") == 50 and 'rel="next"' in eerste.text and 'rel="prev"' not in eerste.text
    tweede = client.get("/signalen?pagina=2")
    assert sorted(re.findall(r"Signaal nummer (\d+)", tweede.text)) == ["00", "01", "02"]  # newest first
    assert 'rel="prev"' in tweede.text and 'rel="next"' not in tweede.text
