"""Server-side dashboard sessions and sign-in throttling (issue 24, point 5), over HTTP on both databases.

A session is a row (`dashboard_sessie`) named by the signed cookie: signing out, ending it from the list
or revoking the key ends it at once, so a copy of the cookie stops working. Failed sign-ins are counted
per client address and per key prefix in the database (`aanmeldpoging`), shared by every process.
"""

import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.core.validation import vandaag
from app.models import Aanmeldpoging, ApiSleutel, DashboardSessie
from app.toegang import service as toegang
from app.toegang.caller import cli_caller
from app.web import aanmeldpogingen
from app.web.sessie import COOKIE
from tests.factories import Omgeving, make_key
from tests.web.helpers import cookie_inhoud, csrf_van

WINDOWS_CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/131.0.0.0 Safari/537.36")
IPHONE_SAFARI = ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                 "Version/18.1 Mobile/15E148 Safari/604.1")


@pytest.fixture
def sleutel(session: Session, omgeving: Omgeving) -> dict[str, str]:
    headers = make_key(session, organisatie=omgeving.organisatie, scopes=("registreren", "rapporteren"))
    session.commit()
    return headers


def _token(headers: dict[str, str]) -> str:
    return headers["Authorization"].split(" ", 1)[1]


def _prefix(headers: dict[str, str]) -> str:
    return "_".join(_token(headers).split("_", 2)[:2])  # smk_<8 hex>_<secret>


def _meld_aan(client: TestClient, sleutel: str, user_agent: str = WINDOWS_CHROME) -> Any:
    return client.post("/aanmelden", data={"sleutel": sleutel, "csrf": csrf_van(client)},
                       headers={"User-Agent": user_agent}, follow_redirects=False)


def _als(client: TestClient, cookie: str) -> TestClient:
    """The client with only this session cookie: another browser holding a copy of it."""
    client.cookies.clear()
    client.cookies.set(COOKIE, cookie)
    return client


def _naar_aanmelden(client: TestClient) -> None:
    """The browser is sent to the sign-in page, which shows the form (no redirect loop), and its stale cookie
    is deleted."""
    antwoord = client.get("/overzicht", follow_redirects=False)
    assert antwoord.status_code == 303 and antwoord.headers["location"].startswith("/?melding=verlopen"), antwoord.headers
    assert re.match(rf'{COOKIE}="?"?; .*Max-Age=0', antwoord.headers.get("set-cookie", "")), antwoord.headers
    gevolgd = client.get(antwoord.headers["location"], follow_redirects=False)
    assert gevolgd.status_code == 200 and 'name="sleutel"' in gevolgd.text and "Uw sessie is verlopen" in gevolgd.text


def _sessies(session: Session, headers: dict[str, str]) -> list[DashboardSessie]:
    key = session.exec(select(ApiSleutel).where(ApiSleutel.prefix == _prefix(headers))).one()
    session.expire_all()
    return list(session.exec(select(DashboardSessie).where(DashboardSessie.api_sleutel_id == key.id)
                             .order_by(DashboardSessie.aangemaakt_op)))


# --- the session is a row --------------------------------------------------------------------------


def test_afmelden_beeindigt_ook_een_gekopieerde_cookie(client: TestClient, session: Session, sleutel: dict[str, str]) -> None:
    assert _meld_aan(client, _token(sleutel)).status_code == 303
    kopie = client.cookies[COOKIE]
    assert client.get("/overzicht", follow_redirects=False).status_code == 200
    # The cookie names a session by a random token; the table keeps only its SHA-256.
    inhoud = cookie_inhoud(kopie)
    [rij] = _sessies(session, sleutel)
    assert rij.beeindigd_op is None and rij.token_hash != inhoud["s"] and len(rij.token_hash) == 64
    afgemeld = client.post("/afmelden", data={"csrf": inhoud["c"]}, follow_redirects=False)
    assert afgemeld.status_code == 303 and afgemeld.headers["location"] == "/?melding=afgemeld"
    [rij] = _sessies(session, sleutel)
    assert rij.beeindigd_op is not None and rij.einde == "afgemeld"
    _naar_aanmelden(_als(client, kopie))


def test_een_cookie_van_voor_de_sessietabel_leidt_naar_aanmelden(client: TestClient, session: Session, sleutel: dict[str, str]) -> None:
    """A cookie in the old format (prefix and fingerprint, no session token) no longer signs anyone in."""
    assert _meld_aan(client, _token(sleutel)).status_code == 303
    from app.web import sessie as sessies

    oud = {k: v for k, v in cookie_inhoud(client.cookies[COOKIE]).items() if k != "s"} | {"f": "0" * 32}
    _naar_aanmelden(_als(client, sessies._serializer().dumps(oud)))


def test_sessie_beeindigen_vanuit_de_lijst(client: TestClient, session: Session, sleutel: dict[str, str]) -> None:
    assert _meld_aan(client, _token(sleutel), WINDOWS_CHROME).status_code == 303
    laptop = client.cookies[COOKIE]
    client.cookies.clear()
    assert _meld_aan(client, _token(sleutel), IPHONE_SAFARI).status_code == 303
    telefoon = client.cookies[COOKIE]

    lijst = client.get("/sessies")
    assert lijst.status_code == 200, lijst.text
    assert "Windows, Chrome" in lijst.text and "iPhone, Safari" in lijst.text
    assert WINDOWS_CHROME not in lijst.text  # a coarse device name is kept, not the user agent
    rijen = re.findall(r"<tr[^>]*>.*?</tr>", lijst.text, re.DOTALL)
    assert any("iPhone, Safari" in r and "dit apparaat" in r for r in rijen)
    assert not any("Windows, Chrome" in r and "dit apparaat" in r for r in rijen)

    laptop_rij, _ = _sessies(session, sleutel)
    assert laptop_rij.apparaat == "Windows, Chrome"
    # A second, explicit step: the button opens a confirmation; only its form ends the session.
    bevestig = client.get(f"/sessies/{laptop_rij.id}/beeindigen")
    assert bevestig.status_code == 200 and "Windows, Chrome" in bevestig.text
    assert _sessies(session, sleutel)[0].beeindigd_op is None
    csrf = cookie_inhoud(telefoon)["c"]
    assert client.post(f"/sessies/{laptop_rij.id}/beeindigen", data={"csrf": "verkeerd"}).status_code == 403
    beeindigd = client.post(f"/sessies/{laptop_rij.id}/beeindigen", data={"csrf": csrf}, follow_redirects=False)
    assert beeindigd.status_code == 303 and beeindigd.headers["location"] == "/sessies?beeindigd=1"
    assert "De sessie is beëindigd" in client.get(beeindigd.headers["location"]).text
    assert [r.einde for r in _sessies(session, sleutel)] == ["beeindigd", None]

    _naar_aanmelden(_als(client, laptop))
    assert _als(client, telefoon).get("/overzicht", follow_redirects=False).status_code == 200

    # Ending one's own session from the list is signing out.
    _, eigen = _sessies(session, sleutel)
    eigen_einde = client.post(f"/sessies/{eigen.id}/beeindigen", data={"csrf": csrf}, follow_redirects=False)
    assert eigen_einde.headers["location"] == "/?melding=afgemeld"
    _naar_aanmelden(_als(client, telefoon))


def test_sessies_van_een_andere_sleutel_zijn_onzichtbaar(client: TestClient, session: Session, omgeving: Omgeving,
                                                         sleutel: dict[str, str]) -> None:
    collega = make_key(session, organisatie=omgeving.organisatie, scopes=("rapporteren",))
    session.commit()
    assert _meld_aan(client, _token(collega), IPHONE_SAFARI).status_code == 303
    andere = client.cookies[COOKIE]
    client.cookies.clear()
    assert _meld_aan(client, _token(sleutel)).status_code == 303
    [vreemd] = _sessies(session, collega)
    assert "iPhone" not in client.get("/sessies").text
    csrf = cookie_inhoud(client.cookies[COOKIE])["c"]
    assert client.get(f"/sessies/{vreemd.id}/beeindigen").status_code == 404
    assert client.post(f"/sessies/{vreemd.id}/beeindigen", data={"csrf": csrf}).status_code == 404
    assert _als(client, andere).get("/overzicht", follow_redirects=False).status_code == 200


def test_intrekken_van_de_sleutel_beeindigt_al_zijn_sessies(client: TestClient, session: Session, sleutel: dict[str, str]) -> None:
    cookies = []
    for user_agent in (WINDOWS_CHROME, IPHONE_SAFARI):
        client.cookies.clear()
        assert _meld_aan(client, _token(sleutel), user_agent).status_code == 303
        cookies.append(client.cookies[COOKIE])
    prefix = cookie_inhoud(cookies[0])["p"]
    toegang.revoke_key(session, caller=cli_caller(), key=toegang.get_key(session, key_id_or_prefix=prefix))
    session.commit()
    for cookie in cookies:
        _naar_aanmelden(_als(client, cookie))
    assert {(r.einde, r.beeindigd_op is not None) for r in _sessies(session, sleutel)} == {("ingetrokken", True)}


def test_verlopen_sleutel_beeindigt_de_sessie(client: TestClient, session: Session, sleutel: dict[str, str]) -> None:
    assert _meld_aan(client, _token(sleutel)).status_code == 303
    key = session.exec(select(ApiSleutel).where(ApiSleutel.prefix == cookie_inhoud(client.cookies[COOKIE])["p"])).one()
    key.verloopt_op = vandaag() - timedelta(days=2)
    session.add(key)
    session.commit()
    _naar_aanmelden(client)


def test_verlopen_sessie_leidt_naar_aanmelden(client: TestClient, session: Session, sleutel: dict[str, str]) -> None:
    """The absolute lifetime (`dashboard_sessie_minuten`) is the row's, whatever the cookie says."""
    assert _meld_aan(client, _token(sleutel)).status_code == 303
    [rij] = _sessies(session, sleutel)
    assert timedelta(minutes=479) < rij.verloopt_op - rij.aangemaakt_op <= timedelta(minutes=481)
    rij.verloopt_op = datetime.now(UTC) - timedelta(seconds=1)
    session.add(rij)
    session.commit()
    _naar_aanmelden(client)
    assert "Verlopen" in _sessielijst_na_nieuwe_aanmelding(client, sleutel)


def _sessielijst_na_nieuwe_aanmelding(client: TestClient, sleutel: dict[str, str]) -> str:
    client.cookies.clear()
    assert _meld_aan(client, _token(sleutel)).status_code == 303
    return str(client.get("/sessies").text)


def test_oude_sessies_worden_opgeruimd(client: TestClient, session: Session, sleutel: dict[str, str]) -> None:
    """Rows live until `dashboard_sessie_bewaardagen` (30) after they expired; a sign-in clears older ones."""
    for dagen in (31, 29):
        client.cookies.clear()
        assert _meld_aan(client, _token(sleutel)).status_code == 303
        rij = _sessies(session, sleutel)[-1]
        rij.verloopt_op = datetime.now(UTC) - timedelta(days=dagen)
        session.add(rij)
        session.commit()
    bewaard = _sessies(session, sleutel)[-1].id
    client.cookies.clear()
    assert _meld_aan(client, _token(sleutel)).status_code == 303
    over = _sessies(session, sleutel)
    assert len(over) == 2 and over[0].id == bewaard


def test_opnieuw_aanmelden_in_dezelfde_browser_beeindigt_de_vorige_sessie(
    client: TestClient, session: Session, omgeving: Omgeving, sleutel: dict[str, str]
) -> None:
    """One browser, one session: signing in again (another key, an old tab) ends the session it had."""
    assert _meld_aan(client, _token(sleutel)).status_code == 303
    eerste = client.cookies[COOKIE]
    andere = make_key(session, organisatie=omgeving.organisatie, scopes=("rapporteren",))
    session.commit()
    antwoord = client.post("/aanmelden", data={"sleutel": _token(andere), "csrf": cookie_inhoud(eerste)["c"]},
                           follow_redirects=False)
    assert antwoord.status_code == 303
    assert [r.einde for r in _sessies(session, sleutel)] == ["afgemeld"]
    _naar_aanmelden(_als(client, eerste))


# --- throttling ------------------------------------------------------------------------------------


def _onbekend() -> str:
    return f"smk_{uuid.uuid4().hex[:8]}_{'x' * 43}"


def test_te_veel_mislukte_pogingen_vanaf_een_adres(app: FastAPI, session: Session, sleutel: dict[str, str]) -> None:
    with TestClient(app, client=("203.0.113.7", 50000)) as client:
        for _ in range(9):
            assert _meld_aan(client, _onbekend()).status_code == 401
        # A successful sign-in does not count (nor reset the count).
        for _ in range(3):
            client.cookies.clear()
            assert _meld_aan(client, _token(sleutel)).status_code == 303
        client.cookies.clear()
        assert _meld_aan(client, _onbekend()).status_code == 401  # the tenth failure
        geweigerd = _meld_aan(client, _token(sleutel))  # even the right key, until the window moves on
        assert geweigerd.status_code == 429, geweigerd.text
        wachten = int(geweigerd.headers["Retry-After"])
        assert 60 <= wachten <= 15 * 60
        assert "Te veel mislukte aanmeldpogingen vanaf dit adres" in geweigerd.text
        assert re.search(r"Probeer het opnieuw om \d{1,2}:\d{2} \(over \d+ minuten?\)", geweigerd.text), geweigerd.text
        assert 'name="sleutel"' in geweigerd.text and 'role="alert"' in geweigerd.text
        assert _meld_aan(client, _onbekend()).status_code == 429  # a refused attempt tests nothing
    assert len(session.exec(select(Aanmeldpoging)).all()) == 10
    with TestClient(app, client=("198.51.100.9", 50000)) as elders:
        assert _meld_aan(elders, _token(sleutel)).status_code == 303


def test_een_ipv6_adres_telt_per_64_netwerk(app: FastAPI, session: Session, sleutel: dict[str, str]) -> None:
    """One host on IPv6 has a whole /64: counting single addresses would not throttle it at all."""
    for n in range(10):
        with TestClient(app, client=(f"2001:db8:1:2::{n + 1:x}", 50000)) as client:
            assert _meld_aan(client, _onbekend()).status_code == 401
    with TestClient(app, client=("2001:db8:1:2:ffff::1", 50000)) as client:
        assert _meld_aan(client, _token(sleutel)).status_code == 429
    with TestClient(app, client=("2001:db8:1:3::1", 50000)) as client:
        assert _meld_aan(client, _token(sleutel)).status_code == 303


def test_te_veel_mislukte_pogingen_met_een_sleutel(app: FastAPI, session: Session, omgeving: Omgeving,
                                                    sleutel: dict[str, str]) -> None:
    prefix = _prefix(sleutel)
    for n in range(5):  # five addresses, one wrong secret each, for the same key
        with TestClient(app, client=(f"192.0.2.{n + 1}", 50000)) as client:
            assert _meld_aan(client, f"{prefix}_{'y' * 43}").status_code == 401
    with TestClient(app, client=("192.0.2.99", 50000)) as client:
        geweigerd = _meld_aan(client, _token(sleutel))
        assert geweigerd.status_code == 429 and "Retry-After" in geweigerd.headers
        assert f"Te veel mislukte aanmeldpogingen met sleutel {prefix}" in geweigerd.text
        assert re.search(r"Probeer het opnieuw om \d{1,2}:\d{2}", geweigerd.text)
        # Another key from the same address is not held up.
        andere = make_key(session, organisatie=omgeving.organisatie, scopes=("rapporteren",))
        session.commit()
        assert _meld_aan(client, _token(andere)).status_code == 303
    # Nothing of the address or the prefix is stored in the clear.
    for poging in session.exec(select(Aanmeldpoging)).all():
        assert "192.0.2" not in poging.adres_hash and prefix not in (poging.prefix_hash or "")


def test_pogingen_buiten_het_venster_tellen_niet(app: FastAPI, session: Session, sleutel: dict[str, str]) -> None:
    adres = "203.0.113.50"
    oud = datetime.now(UTC) - timedelta(minutes=16)
    for _ in range(20):
        session.add(Aanmeldpoging(adres_hash=aanmeldpogingen.adres_hash(adres), moment=oud))
    session.commit()
    with TestClient(app, client=(adres, 50000)) as client:
        assert _meld_aan(client, _onbekend()).status_code == 401
        assert _meld_aan(client, _token(sleutel)).status_code == 303
    # The failure above cleared the rows that fell out of the window.
    assert len(session.exec(select(Aanmeldpoging)).all()) == 1


def test_een_regionale_sleutel_ziet_zijn_sessies(client: TestClient, session: Session) -> None:
    regio = make_key(session, scopes=("signalen",), gemeentecodes=["GM0344"])
    session.commit()
    assert _meld_aan(client, _token(regio), IPHONE_SAFARI).status_code == 303
    lijst = client.get("/sessies")
    assert lijst.status_code == 200 and "iPhone, Safari" in lijst.text and "(dit apparaat)" in lijst.text
    assert 'href="/sessies" aria-current="page"' in lijst.text
