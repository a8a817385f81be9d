"""A key person's device: invitation, sign-in, what it may do (own records only) and how it ends.

The attacks tried here are those of a key person (or whoever holds their phone) who knows the code:
reading or writing a colleague's records through every route, ids of another organisation, a
colleague's id in a body, an externId a colleague used, the validation cache an organisation key
filled, the cookie without the app's header, a replayed or forged invitation, and a device that was
revoked, expired or whose key person was deactivated.
"""

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.apparaten import service
from app.models import Apparaat, AuditRegel, Contactmoment, Sleutelpersoon, Uitnodiging, utcnow
from app.toegang.dependencies import APPARAAT_COOKIE
from tests.apparaten.helpers import APP_HEADERS, als_apparaat, apparaat_cookie, uitnodiging_token
from tests.factories import (
    Omgeving,
    body,
    make_contactmoment,
    make_key,
    make_omgeving,
    make_sleutelpersoon,
)
from tests.signalen.factories import make_signaal, signaal_body
from tests.web.helpers import meld_aan


@pytest.fixture
def collega(session: Session, omgeving: Omgeving) -> Sleutelpersoon:
    return make_sleutelpersoon(session, omgeving.organisatie)


@pytest.fixture
def telefoon(session: Session, omgeving: Omgeving) -> dict[str, str]:
    return als_apparaat(apparaat_cookie(session, omgeving.sleutelpersoon.id))


# --- invitation and sign-in -------------------------------------------------------------------


def _csrf(html: str) -> str:
    gevonden = re.search(r'name="csrf" value="([^"]+)"', html)
    assert gevonden, html
    return gevonden.group(1)


def test_coordinator_nodigt_uit_en_de_telefoon_koppelt(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    sleutel = make_key(session, organisatie=omgeving.organisatie, scopes=("registreren", "rapporteren"))
    session.commit()
    meld_aan(client, sleutel)
    pagina = client.get(f"/sleutelpersonen/{omgeving.sleutelpersoon.id}/app")
    assert pagina.status_code == 200 and "Nog geen apparaten" in pagina.text
    gemaakt = client.post(f"/sleutelpersonen/{omgeving.sleutelpersoon.id}/app/uitnodiging", data={"csrf": _csrf(pagina.text)})
    assert gemaakt.status_code == 200 and gemaakt.headers["cache-control"] == "no-store"
    link = re.search(r'value="(http[^"]+/app/uitnodiging/[A-Za-z0-9_-]+)"', gemaakt.text)
    assert link and 'src="data:image/svg+xml' in gemaakt.text  # the QR code, inline
    pad = link.group(1).split("testserver", 1)[1]
    # Only the hash is stored: the link is in no table.
    assert session.exec(select(Uitnodiging).where(Uitnodiging.token_hash == pad.rsplit("/", 1)[1])).first() is None

    telefoon = TestClient(client.app, raise_server_exceptions=False)
    welkom = telefoon.get(pad)
    assert welkom.status_code == 200 and omgeving.sleutelpersoon.weergavenaam in welkom.text
    assert welkom.headers["referrer-policy"] == "no-referrer"
    # Opening the link (a chat app's preview does this too) does not use it up; the button does.
    assert telefoon.get(pad).status_code == 200
    gekoppeld = telefoon.post(pad, data={"csrf": _csrf(welkom.text)}, follow_redirects=False,
                              headers={"User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0) Safari/604.1"})
    assert gekoppeld.status_code == 303 and gekoppeld.headers["location"] == "/app"
    cookie = next(c for c in gekoppeld.headers.get_list("set-cookie") if c.startswith(APPARAAT_COOKIE))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and f"Max-Age={90 * 24 * 3600}" in cookie

    eigen = telefoon.get(f"/v1/sleutelpersonen/{omgeving.sleutelpersoon.id}", headers=APP_HEADERS)
    assert eigen.status_code == 200, eigen.text

    # The coordinator sees the device, and a used invitation is a clear page, not a second device.
    apparaten = client.get(f"/sleutelpersonen/{omgeving.sleutelpersoon.id}/app")
    assert "iPhone, Safari" in apparaten.text and "Aangemeld" in apparaten.text
    nogmaals = TestClient(client.app, raise_server_exceptions=False)
    opnieuw = nogmaals.post(pad, data={"csrf": _csrf(nogmaals.get(pad).text) if False else "x"})
    assert opnieuw.status_code in (403, 410)
    gebruikt = nogmaals.get(pad)
    assert gebruikt.status_code == 410 and "al gebruikt" in gebruikt.text


def test_vervalste_verlopen_en_ingetrokken_uitnodiging(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    vervalst = client.get("/app/uitnodiging/" + "A" * 43)
    assert vervalst.status_code == 404 and "bestaat niet" in vervalst.text
    token = uitnodiging_token(session, omgeving.sleutelpersoon)
    uitnodiging = session.exec(select(Uitnodiging).where(Uitnodiging.sleutelpersoon_id == omgeving.sleutelpersoon.id)).one()
    uitnodiging.verloopt_op = utcnow() - timedelta(minutes=1)
    session.add(uitnodiging)
    session.flush()
    verlopen = client.get(f"/app/uitnodiging/{token}")
    assert verlopen.status_code == 410 and "verlopen" in verlopen.text
    token2 = uitnodiging_token(session, omgeving.sleutelpersoon)
    tweede = session.exec(select(Uitnodiging).where(Uitnodiging.id != uitnodiging.id)).one()
    from tests.apparaten.helpers import coordinator

    service.trek_uitnodiging_in(session, coordinator(omgeving.organisatie.id), omgeving.sleutelpersoon.id, tweede.id)
    session.flush()
    ingetrokken = client.get(f"/app/uitnodiging/{token2}")
    assert ingetrokken.status_code == 410 and "ingetrokken" in ingetrokken.text


def test_uitnodiging_van_een_andere_site_gebruiken_geweigerd(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    """Login CSRF: another site cannot sign a visitor's phone in as the attacker's key person."""
    token = uitnodiging_token(session, omgeving.sleutelpersoon)
    zonder = client.post(f"/app/uitnodiging/{token}", data={"csrf": "geraden"}, follow_redirects=False)
    assert zonder.status_code == 403
    csrf = _csrf(client.get(f"/app/uitnodiging/{token}").text)
    vreemd = client.post(f"/app/uitnodiging/{token}", data={"csrf": csrf}, headers={"Origin": "https://kwaadaardig.example"},
                         follow_redirects=False)
    assert vreemd.status_code == 403
    assert session.exec(select(Apparaat)).first() is None


def test_pogingen_per_adres_begrensd(client: TestClient, session: Session) -> None:
    from app.apparaten.router import pogingen

    pogingen.reset()
    try:
        antwoorden = [client.get(f"/app/uitnodiging/{'B' * 40}{i:03d}").status_code for i in range(12)]
    finally:
        pogingen.reset()
    assert antwoorden[:10] == [404] * 10 and antwoorden[10:] == [429, 429]


def test_uitnodigen_alleen_eigen_actieve_sleutelpersoon(session: Session, omgeving: Omgeving) -> None:
    from app.core.errors import GeenToegang, NietGevonden
    from tests.apparaten.helpers import coordinator

    andere = make_omgeving(session)
    with pytest.raises(NietGevonden):
        service.nodig_uit(session, coordinator(omgeving.organisatie.id), andere.sleutelpersoon.id)
    gestopt = make_sleutelpersoon(session, omgeving.organisatie, actief=False)
    with pytest.raises(GeenToegang):
        service.nodig_uit(session, coordinator(omgeving.organisatie.id), gestopt.id)


# --- what a device may do -----------------------------------------------------------------------


def test_registreert_en_ziet_alleen_het_eigen_werk(client: TestClient, session: Session, omgeving: Omgeving,
                                                   collega: Sleutelpersoon, telefoon: dict[str, str]) -> None:
    van_collega = make_contactmoment(session, omgeving.organisatie, collega)
    eigen = client.post("/v1/contactmomenten", json=body(omgeving), headers=telefoon)
    assert eigen.status_code == 201, eigen.text
    lijst = client.get("/v1/contactmomenten", headers=telefoon).json()
    assert [c["id"] for c in lijst] == [eigen.json()["id"]]
    assert client.get(f"/v1/contactmomenten/{van_collega.id}", headers=telefoon).status_code == 404
    assert client.patch(f"/v1/contactmomenten/{van_collega.id}", json={"duurMinuten": 5}, headers=telefoon).status_code == 404
    assert client.delete(f"/v1/contactmomenten/{van_collega.id}", headers=telefoon).status_code == 404
    # Referrals and outcomes hang off contactmomenten: a colleague's stay out of sight.
    verwijzingen = client.get("/v1/doorverwijzingen", headers=telefoon).json()
    assert {v["contactmomentId"] for v in verwijzingen} == {eigen.json()["id"]}
    assert client.get("/v1/uitkomsten", headers=telefoon).json()
    assert all(u["contactmomentId"] == eigen.json()["id"] for u in client.get("/v1/uitkomsten", headers=telefoon).json())
    # The key person list is the key person.
    personen = client.get("/v1/sleutelpersonen", headers=telefoon).json()
    assert [p["id"] for p in personen] == [str(omgeving.sleutelpersoon.id)]
    assert client.get(f"/v1/sleutelpersonen/{collega.id}", headers=telefoon).status_code == 404
    # The social map and the code lists are shared.
    assert client.get(f"/v1/ketenpartners/{omgeving.ketenpartner.id}", headers=telefoon).status_code == 200
    assert client.get("/v1/codelijsten/onderwerp", headers=telefoon).status_code == 200
    # Audited as the device.
    regel = session.exec(select(AuditRegel).where(AuditRegel.resource_id == eigen.json()["id"])).one()
    assert regel.apparaat_id is not None and regel.api_sleutel_id is None


def test_een_collega_in_de_body_is_onbekend(client: TestClient, session: Session, omgeving: Omgeving,
                                            collega: Sleutelpersoon, telefoon: dict[str, str]) -> None:
    # The organisation's key validates the colleague first, so "is the organisation's own" is cached.
    assert client.post("/v1/contactmomenten", json=body(omgeving, sleutelpersoonId=str(collega.id)),
                       headers=omgeving.headers).status_code == 201
    voor_collega = client.post("/v1/contactmomenten", json=body(omgeving, sleutelpersoonId=str(collega.id)), headers=telefoon)
    assert voor_collega.status_code == 400
    assert {p["name"] for p in voor_collega.json()["invalidParams"]} == {"sleutelpersoonId"}
    eigen = client.post("/v1/contactmomenten", json=body(omgeving), headers=telefoon).json()
    verplaatst = client.patch(f"/v1/contactmomenten/{eigen['id']}", json={"sleutelpersoonId": str(collega.id)}, headers=telefoon)
    assert verplaatst.status_code == 400
    signaal = client.post("/v1/signalen", headers=telefoon, json=signaal_body(sleutelpersoonId=str(collega.id)))
    assert signaal.status_code == 400, signaal.text
    van_collega = make_contactmoment(session, omgeving.organisatie, collega)
    uitkomst = client.post("/v1/uitkomsten", headers=telefoon, json={"contactmomentId": str(van_collega.id), "resultaat": "opgelost"})
    assert uitkomst.status_code == 400 and {p["name"] for p in uitkomst.json()["invalidParams"]} == {"contactmomentId"}


def test_externid_van_een_collega_is_een_conflict_zonder_id(client: TestClient, session: Session, omgeving: Omgeving,
                                                           collega: Sleutelpersoon, telefoon: dict[str, str]) -> None:
    van_collega = client.post("/v1/contactmomenten", json=body(omgeving, sleutelpersoonId=str(collega.id), externId="crm-gedeeld"),
                              headers=omgeving.headers)
    assert van_collega.status_code == 201
    zelfde = client.post("/v1/contactmomenten", json=body(omgeving, externId="crm-gedeeld"), headers=telefoon)
    assert zelfde.status_code == 409 and "bestaandId" not in zelfde.json(), zelfde.text
    eigen = client.post("/v1/contactmomenten", json=body(omgeving), headers=telefoon).json()
    hernoemd = client.patch(f"/v1/contactmomenten/{eigen['id']}", json={"externId": "crm-gedeeld"}, headers=telefoon)
    assert hernoemd.status_code == 409 and van_collega.json()["id"] not in hernoemd.text


def test_signaal_en_verhaal_van_de_telefoon_horen_bij_de_sleutelpersoon(client: TestClient, session: Session, omgeving: Omgeving,
                                                                       collega: Sleutelpersoon, telefoon: dict[str, str]) -> None:
    make_signaal(session, omgeving.organisatie, sleutelpersoon_id=collega.id)
    ingediend = client.post("/v1/signalen", headers=telefoon, json=signaal_body())
    assert ingediend.status_code == 201, ingediend.text
    assert ingediend.json()["sleutelpersoonId"] == str(omgeving.sleutelpersoon.id)
    assert [s["id"] for s in client.get("/v1/signalen", headers=telefoon).json()] == [ingediend.json()["id"]]


def test_alleen_met_de_eigen_header_van_de_app(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    """CSRF: the cookie alone (a form or image of another site) authorises nothing."""
    token = apparaat_cookie(session, omgeving.sleutelpersoon.id)
    zonder = client.post("/v1/contactmomenten", json=body(omgeving), headers={"Cookie": f"{APPARAAT_COOKIE}={token}"})
    assert zonder.status_code == 403 and "X-Sleutelmonitor-App" in zonder.json()["detail"]
    assert session.exec(select(Contactmoment)).first() is None
    assert client.get("/v1/contactmomenten", headers={"Cookie": f"{APPARAAT_COOKIE}={token}"}).status_code == 403


def test_een_apparaat_is_geen_coordinator(client: TestClient, session: Session, omgeving: Omgeving, telefoon: dict[str, str]) -> None:
    """The dashboard has its own session; a device's cookie opens none of its pages."""
    for pad in ("/overzicht", "/sleutelpersonen", f"/sleutelpersonen/{omgeving.sleutelpersoon.id}/app", "/signalen", "/importeren"):
        antwoord = client.get(pad, headers=telefoon, follow_redirects=False)
        assert antwoord.status_code == 303 and antwoord.headers["location"].startswith("/"), pad


# --- how it ends --------------------------------------------------------------------------------


def test_ingetrokken_apparaat_is_bij_het_volgende_verzoek_afgemeld(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    sleutel = make_key(session, organisatie=omgeving.organisatie, scopes=("registreren", "rapporteren"))
    token = apparaat_cookie(session, omgeving.sleutelpersoon.id)
    session.commit()
    assert client.get("/v1/contactmomenten", headers=als_apparaat(token)).status_code == 200
    meld_aan(client, sleutel)
    pagina = client.get(f"/sleutelpersonen/{omgeving.sleutelpersoon.id}/app").text
    actie = re.search(r'action="(/sleutelpersonen/[^"]+/apparaten/[^"]+/intrekken)"', pagina)
    assert actie
    assert client.post(actie.group(1), data={"csrf": _csrf(pagina)}, follow_redirects=False).status_code == 303
    na = client.get("/v1/contactmomenten", headers=als_apparaat(token))
    assert na.status_code == 401 and "afgemeld" in na.json()["detail"]


def test_verlopen_of_gestopte_sleutelpersoon(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    token = apparaat_cookie(session, omgeving.sleutelpersoon.id)
    apparaat = session.exec(select(Apparaat)).one()
    apparaat.verloopt_op = utcnow() - timedelta(seconds=1)
    session.add(apparaat)
    session.flush()
    assert client.get("/v1/contactmomenten", headers=als_apparaat(token)).status_code == 401
    apparaat.verloopt_op = utcnow() + timedelta(days=1)
    omgeving.sleutelpersoon.actief = False
    session.add_all([apparaat, omgeving.sleutelpersoon])
    session.flush()
    gestopt = client.get("/v1/contactmomenten", headers=als_apparaat(token))
    assert gestopt.status_code == 401 and "niet meer actief" in gestopt.json()["detail"]
    assert client.get("/v1/contactmomenten", headers=als_apparaat("C" * 43)).status_code == 401


def test_zelf_afmelden_en_een_tweede_uitnodiging_vervangt_de_sessie(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    token = apparaat_cookie(session, omgeving.sleutelpersoon.id)
    assert client.post("/app/afmelden", headers=als_apparaat(token)).status_code == 204
    assert client.get("/v1/contactmomenten", headers=als_apparaat(token)).status_code == 401
    eerste = apparaat_cookie(session, omgeving.sleutelpersoon.id)
    tweede_uitnodiging = uitnodiging_token(session, omgeving.sleutelpersoon)
    _, tweede = service.activeer(session, tweede_uitnodiging, "x", vorige=eerste)
    session.flush()
    assert client.get("/v1/contactmomenten", headers=als_apparaat(eerste)).status_code == 401
    assert client.get("/v1/contactmomenten", headers=als_apparaat(tweede)).status_code == 200


def test_de_database_bevat_geen_token(session: Session, omgeving: Omgeving) -> None:
    """Neither the invitation's token nor the device's cookie token is stored anywhere, only their hashes."""
    from sqlalchemy import inspect, text

    persoon = omgeving.sleutelpersoon
    uitnodiging = uitnodiging_token(session, persoon)
    _, token = service.activeer(session, uitnodiging, "x")
    session.flush()
    apparaat = session.exec(select(Apparaat)).one()
    assert apparaat.token_hash == service.token_hash(token)
    verbinding = session.connection()
    gevonden = []
    for tabel in inspect(verbinding).get_table_names():
        for rij in verbinding.execute(text(f'SELECT * FROM "{tabel}"')):
            tekst = " ".join(str(v) for v in rij)
            gevonden += [tabel for geheim in (uitnodiging, token) if geheim in tekst]
    assert gevonden == []


def test_uitnodiging_in_de_taal_van_de_sleutelpersoon(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    """The invitation is the app's first page: its texts come from the app's catalogue (nl, en, ar)."""
    token = uitnodiging_token(session, omgeving.sleutelpersoon)
    arabisch = client.get(f"/app/uitnodiging/{token}?taal=ar")
    assert arabisch.status_code == 200 and 'dir="rtl"' in arabisch.text and "ربط هذا الجهاز" in arabisch.text
    assert omgeving.sleutelpersoon.weergavenaam in arabisch.text
    # The choice is kept for the app, as the app's own language buttons do.
    assert "sleutelmonitor_taal=ar" in arabisch.headers["set-cookie"]
    client.cookies.clear()
    engels = client.get("/app/uitnodiging/" + "A" * 43, headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert engels.status_code == 404 and "This invitation does not exist" in engels.text


@pytest.mark.parametrize("cors", ["", '["https://dashboard.example.nl"]'])
def test_een_andere_site_krijgt_de_header_van_de_app_niet_door_cors(
    session: Session, monkeypatch: pytest.MonkeyPatch, cors: str
) -> None:
    """The CSRF defence of cookie-authenticated calls rests on the app's header needing a CORS preflight that
    this service never grants: not without CORS origins, not to an allowed origin either (no credentials)."""
    from app.core.config import get_settings
    from app.main import create_app

    monkeypatch.setenv("SLEUTELMONITOR_CORS_ORIGINS", cors or "[]")
    get_settings.cache_clear()
    try:
        with TestClient(create_app()) as client:
            for origin in ("https://kwaadaardig.example", "https://dashboard.example.nl"):
                voorvlucht = client.options("/v1/contactmomenten", headers={
                    "Origin": origin, "Access-Control-Request-Method": "POST",
                    "Access-Control-Request-Headers": "content-type,x-sleutelmonitor-app"})
                toegestaan = voorvlucht.headers.get("access-control-allow-headers", "").lower()
                assert voorvlucht.status_code != 200 or "x-sleutelmonitor-app" not in toegestaan, (origin, voorvlucht.headers)
                assert voorvlucht.headers.get("access-control-allow-credentials") != "true"
    finally:
        get_settings.cache_clear()
