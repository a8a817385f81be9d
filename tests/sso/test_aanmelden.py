"""Signing in to the dashboard with OpenID Connect against a real provider (oidc-provider), on both databases.

Each test follows the real redirects: dashboard -> IdP authorize -> IdP sign-in form -> IdP -> dashboard
callback, where the code is exchanged (PKCE) and the ID token verified against the IdP's JWKS.
"""

import re
import uuid
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from itsdangerous import URLSafeTimedSerializer
from sqlmodel import Session, col, select

from app.core.config import get_settings
from app.models import ApiSleutel, AuditRegel, DashboardSessie, SsoAanmelding, SsoGebruiker, utcnow
from app.sso import service as sso
from app.toegang.caller import Scope, cli_caller
from app.web import sessie as sessiemodule
from app.web.pages import sso as sso_pagina
from app.web.sessie import COOKIE
from tests.factories import Omgeving, make_key
from tests.sso.conftest import RP, Idp, bij_idp_aanmelden, formulier, meld_aan, start, volg
from tests.web.helpers import cookie_inhoud, csrf_van


@pytest.fixture
def koppelingen(session: Session, omgeving: Omgeving) -> dict[str, Any]:
    """sm-brug -> the organisation (inzien, rapporteren); sm-regio-utrecht -> region GM0344 (rapporteren, signalen)."""
    org = sso.create(session, caller=cli_caller(), claim_waarde="sm-brug", scopes=[Scope.inzien, Scope.rapporteren],
                     organisatie_id=omgeving.organisatie.id)
    regio = sso.create(session, caller=cli_caller(), claim_waarde="sm-regio-utrecht",
                       scopes=[Scope.rapporteren, Scope.signalen], gemeentecodes=["GM0344"])
    session.commit()
    return {"org": org, "regio": regio}


def _sessies(session: Session) -> list[DashboardSessie]:
    session.expire_all()
    return list(session.exec(select(DashboardSessie)))


def _aangemeld(client: TestClient, antwoord: Any, doel: str = "/overzicht") -> None:
    """The callback's page moves on to `doel` by itself (a same-site step that carries the Strict cookie)."""
    assert antwoord.status_code == 200, antwoord.text
    assert antwoord.headers["refresh"] == f"0; url={doel}"
    assert f'href="{doel}"' in antwoord.text
    assert client.cookies.get(COOKIE)


def _key_van_sessie(session: Session, client: TestClient) -> ApiSleutel:
    rij = session.exec(select(DashboardSessie).where(
        DashboardSessie.token_hash == sessiemodule.sessieopslag.token_hash(cookie_inhoud(client.cookies[COOKIE])["s"]))).one()
    key = session.get(ApiSleutel, rij.api_sleutel_id)
    assert key is not None
    return key


def test_aanmelden_met_organisatiegroep_geeft_sessie_van_de_organisatie(
    client: TestClient, session: Session, sso_aan: Idp, browser_idp: httpx.Client, omgeving: Omgeving,
    koppelingen: dict[str, Any],
) -> None:
    antwoord = client.get("/")
    assert 'href="/sso/aanmelden"' in antwoord.text and "Aanmelden met GGD-account" in antwoord.text

    _aangemeld(client, meld_aan(client, browser_idp, "coordinator"))

    key = _key_van_sessie(session, client)
    assert key.organisatie_id == omgeving.organisatie.id and key.gemeentecodes == []
    assert sorted(key.scopes) == ["inzien", "rapporteren"]
    overzicht = client.get("/overzicht")
    assert overzicht.status_code == 200 and omgeving.organisatie.naam in overzicht.text
    # The record names the person by a keyed hash only; the IdP's subject ("coordinator") is nowhere.
    record = session.exec(select(SsoAanmelding)).one()
    assert record.uitkomst == "aangemeld" and record.claim_waarde == "sm-brug"
    assert record.onderwerp == sso.onderwerp_hash(sso_aan.issuer, "coordinator") and "coordinator" not in record.onderwerp
    assert session.exec(select(AuditRegel).where(AuditRegel.resource_type == "sso-aanmelding",
                                                 AuditRegel.api_sleutel_id == key.id)).one().actie == "aangemeld"
    # The PKCE verifier, nonce and state lived in their own cookie, which the callback cleared.
    assert sso_pagina.COOKIE not in client.cookies


def test_zelfde_persoon_houdt_zijn_sleutel_een_collega_krijgt_een_eigen(
    client: TestClient, session: Session, sso_aan: Idp, koppelingen: dict[str, Any],
) -> None:
    sleutels = []
    for account in ("coordinator", "coordinator", "collega"):
        with httpx.Client() as idp_browser:  # a fresh browser each time
            client.cookies.clear()
            _aangemeld(client, meld_aan(client, idp_browser, account))
            sleutels.append(_key_van_sessie(session, client).id)
    assert sleutels[0] == sleutels[1] != sleutels[2]
    assert len(session.exec(select(SsoGebruiker)).all()) == 2
    # Each person's session list shows their own sessions only, not a colleague's of the same group.
    pagina = client.get("/sessies")
    assert pagina.status_code == 200 and len(re.findall(r"Actief tot", pagina.text)) == 1


def test_regiogroep_ziet_alleen_regionale_cijfers(
    client: TestClient, session: Session, sso_aan: Idp, browser_idp: httpx.Client, koppelingen: dict[str, Any],
) -> None:
    _aangemeld(client, meld_aan(client, browser_idp, "beleid"))

    key = _key_van_sessie(session, client)
    assert key.organisatie_id is None and key.gemeentecodes == ["GM0344"]
    overzicht = client.get("/overzicht")
    assert overzicht.status_code == 200 and "Regio Utrecht (GM0344)" in overzicht.text
    # An organisation's own records stay closed to a regional session, as to a regional key.
    assert client.get("/sleutelpersonen").status_code == 403
    assert client.get("/signalen").status_code == 200  # the regional inbox (scope signalen)


@pytest.mark.parametrize(("account", "uitkomst", "tekst"), [
    ("zonder", "geen-koppeling", "hoort bij geen groep"),
    ("dubbel", "meerdere-koppelingen", "meer dan één groep"),
])
def test_zonder_of_met_meerdere_koppelingen_geweigerd(
    client: TestClient, session: Session, sso_aan: Idp, browser_idp: httpx.Client, koppelingen: dict[str, Any],
    account: str, uitkomst: str, tekst: str,
) -> None:
    antwoord = meld_aan(client, browser_idp, account)

    assert antwoord.status_code == 403 and tekst in antwoord.text and "Geen toegang tot Sleutelmonitor" in antwoord.text
    assert COOKIE not in client.cookies or not cookie_inhoud(client.cookies[COOKIE]).get("p")
    assert _sessies(session) == []
    record = session.exec(select(SsoAanmelding)).one()
    assert (record.uitkomst, record.dashboard_sessie_id, record.api_sleutel_id) == (uitkomst, None, None)
    assert session.exec(select(AuditRegel).where(AuditRegel.resource_type == "sso-aanmelding")).one().actie == uitkomst
    assert client.get("/overzicht", follow_redirects=False).status_code == 303


def test_groepswaarden_worden_exact_vergeleken_en_nergens_ingevoegd(
    client: TestClient, session: Session, sso_aan: Idp, browser_idp: httpx.Client, koppelingen: dict[str, Any],
) -> None:
    """SQL quotes, LIKE wildcards, other case, trailing space, NUL, markup: no match, nothing echoed or broken."""
    antwoord = meld_aan(client, browser_idp, "injectie")

    assert antwoord.status_code == 403 and "hoort bij geen groep" in antwoord.text
    assert "<script>alert" not in antwoord.text and "OR" not in antwoord.text
    assert _sessies(session) == []
    assert session.exec(select(SsoAanmelding)).one().uitkomst == "geen-koppeling"
    # A mapping whose value looks like markup or SQL is stored and listed as plain text.
    client.cookies.clear()
    beheer = make_key(session, beheer=True, scopes=("beheren",))
    session.commit()
    gemaakt = client.post("/v1/sso-koppelingen", headers=beheer, json={
        "claimWaarde": "<b>x</b>' OR 1=1 --", "scopes": ["rapporteren"], "gemeentecodes": ["GM0344"]})
    assert gemaakt.status_code == 201, gemaakt.text
    assert "<b>x</b>' OR 1=1 --" in [k["claimWaarde"] for k in client.get("/v1/sso-koppelingen", headers=beheer).json()]


def test_gemanipuleerde_state_geweigerd(
    client: TestClient, session: Session, sso_aan: Idp, browser_idp: httpx.Client, koppelingen: dict[str, Any],
) -> None:
    terug = bij_idp_aanmelden(client, browser_idp, "coordinator")
    vervalst = re.sub(r"state=[^&]+", "state=aanvaller", terug)

    antwoord = client.get(vervalst, follow_redirects=False)

    assert antwoord.status_code == 400 and "niet in deze browser begonnen" in antwoord.text
    assert _sessies(session) == []


def test_state_uit_een_andere_browser_geweigerd(
    client: TestClient, session: Session, sso_aan: Idp, koppelingen: dict[str, Any], app: Any,
) -> None:
    """Login CSRF / state fixation: an attacker's finished callback, opened in the victim's browser, signs no one in."""
    with TestClient(app) as aanvaller, httpx.Client() as aanvaller_idp, httpx.Client() as slachtoffer_idp:
        terug = bij_idp_aanmelden(aanvaller, aanvaller_idp, "coordinator")
        start(client, slachtoffer_idp)  # the victim has a sign-in of their own under way (another state)
        antwoord = client.get(terug, follow_redirects=False)
    assert antwoord.status_code == 400
    assert _sessies(session) == []
    # A state offered to the start page is ignored: every request gets a fresh one.
    weg = client.get("/sso/aanmelden?state=vast&nonce=vast", follow_redirects=False)
    query = parse_qs(urlsplit(weg.headers["location"]).query)
    assert query["state"] != ["vast"] and query["nonce"] != ["vast"]
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) == 43


def test_gemanipuleerde_nonce_geweigerd(
    client: TestClient, session: Session, sso_aan: Idp, browser_idp: httpx.Client, koppelingen: dict[str, Any],
) -> None:
    """Even with a validly signed pending cookie and the right state, an ID token for another nonce is refused."""
    terug = bij_idp_aanmelden(client, browser_idp, "coordinator")
    serializer = URLSafeTimedSerializer(get_settings().secret_key, salt=sso_pagina.SALT)
    aanvraag = serializer.loads(client.cookies[sso_pagina.COOKIE])
    client.cookies.set(sso_pagina.COOKIE, serializer.dumps({**aanvraag, "n": "een-andere-nonce"}), path="/sso")

    antwoord = client.get(terug, follow_redirects=False)

    assert antwoord.status_code == 400 and "klopt niet" in antwoord.text
    assert _sessies(session) == []


def test_code_tweemaal_gebruiken_geweigerd(
    client: TestClient, session: Session, sso_aan: Idp, browser_idp: httpx.Client, koppelingen: dict[str, Any],
) -> None:
    terug = bij_idp_aanmelden(client, browser_idp, "coordinator")
    aanvraag = client.cookies[sso_pagina.COOKIE]
    _aangemeld(client, client.get(terug, follow_redirects=False))
    assert len(_sessies(session)) == 1

    # The same callback again: its pending cookie is gone, so the dashboard refuses before asking the IdP...
    assert client.get(terug, follow_redirects=False).status_code == 400
    # ...and with the pending cookie put back, the IdP refuses the used code (a replay with a stolen cookie).
    client.cookies.set(sso_pagina.COOKIE, aanvraag, path="/sso")
    antwoord = client.get(terug, follow_redirects=False)
    assert antwoord.status_code == 400 and "al gebruikt" in antwoord.text
    assert len(_sessies(session)) == 1


def test_afgebroken_bij_de_idp(
    client: TestClient, session: Session, sso_aan: Idp, browser_idp: httpx.Client, koppelingen: dict[str, Any],
) -> None:
    """The IdP answers with an error (here: an account it does not know): a Dutch page, no session."""
    antwoord = start(client, browser_idp)
    actie, _ = formulier(antwoord)
    terug = volg(client, browser_idp, browser_idp.post(actie, data={"account": "onbekend"}, follow_redirects=False))
    assert terug.status_code == 400 and "afgebroken of geweigerd" in terug.text
    assert _sessies(session) == []


@pytest.mark.parametrize(("volgende", "doel"), [
    ("/signalen", "/signalen"),
    ("//aanvaller.example/pad", "/overzicht"),
    ("https://aanvaller.example/", "/overzicht"),
    ("/\\aanvaller.example", "/overzicht"),
    ("/overzicht\r\nSet-Cookie: x=y", "/overzicht%0D%0ASet-Cookie:%20x=y"),
])
def test_geen_open_redirect_via_volgende(
    client: TestClient, sso_aan: Idp, browser_idp: httpx.Client, koppelingen: dict[str, Any], volgende: str, doel: str,
) -> None:
    from urllib.parse import quote

    _aangemeld(client, meld_aan(client, browser_idp, "coordinator", volgende=quote(volgende, safe="")), doel=doel)


def _afmelden(client: TestClient, **extra: Any) -> Any:
    pagina = client.get("/overzicht")
    csrf = re.search(r'name="csrf" value="([^"]+)"', pagina.text)
    assert csrf, pagina.text
    return client.post("/afmelden", data={"csrf": csrf.group(1)}, follow_redirects=False, **extra)


def test_afmelden_beeindigt_sessie_en_meldt_af_bij_de_idp(
    client: TestClient, session: Session, sso_aan: Idp, browser_idp: httpx.Client, koppelingen: dict[str, Any],
) -> None:
    _aangemeld(client, meld_aan(client, browser_idp, "coordinator"))
    kopie = client.cookies[COOKIE]
    # While the IdP session runs, signing in again needs no form (the IdP answers at once).
    assert start(client, browser_idp).headers["location"].startswith(f"{RP}/sso/terug?")
    client.cookies.set(COOKIE, kopie)
    id_token = cookie_inhoud(kopie)["i"]

    antwoord = _afmelden(client)

    # A page that moves on to the IdP by itself (a form's redirect to another site would break the CSP's form-action).
    assert antwoord.status_code == 200 and "U bent afgemeld bij Sleutelmonitor" in antwoord.text
    idp_url = antwoord.headers["refresh"].removeprefix("0; url=")
    assert f'href="{idp_url.replace("&", "&amp;")}"' in antwoord.text
    naar = urlsplit(idp_url)
    assert f"{naar.scheme}://{naar.netloc}{naar.path}" == f"{sso_aan.issuer}/session/end"
    query = parse_qs(naar.query)
    assert query["id_token_hint"] == [id_token] and query["post_logout_redirect_uri"] == [f"{RP}/sso/afgemeld"]
    rij = _sessies(session)[0]
    assert rij.einde == "afgemeld" and rij.beeindigd_op is not None
    assert session.exec(select(SsoAanmelding)).one().afgemeld_op is not None
    # The IdP asks to confirm (its own form); confirming sends the browser back to the dashboard.
    bevestig = browser_idp.get(idp_url, follow_redirects=False)
    actie, velden = formulier(bevestig)
    terug = volg(client, browser_idp, browser_idp.post(actie, data={**velden, "logout": "yes"}, follow_redirects=False))
    assert terug.status_code == 200 and "U bent afgemeld." in terug.text
    # The IdP's session ended too: signing in again shows its form.
    assert 'name="account"' in start(client, browser_idp).text
    # A copy of the old cookie opens nothing.
    client.cookies.clear()
    client.cookies.set(COOKIE, kopie)
    assert client.get("/overzicht", follow_redirects=False).status_code == 303


def test_afmelden_zonder_csrf_of_van_andere_site_geweigerd(
    client: TestClient, session: Session, sso_aan: Idp, browser_idp: httpx.Client, koppelingen: dict[str, Any],
) -> None:
    _aangemeld(client, meld_aan(client, browser_idp, "coordinator"))

    assert client.post("/afmelden", data={}, follow_redirects=False).status_code == 403
    assert _afmelden(client, headers={"Origin": "https://aanvaller.example"}).status_code == 403
    assert client.get("/afmelden", follow_redirects=False).status_code == 405
    assert _sessies(session)[0].beeindigd_op is None
    assert client.get("/overzicht").status_code == 200


def test_verlopen_sessie_wordt_afgemeld(
    client: TestClient, session: Session, sso_aan: Idp, browser_idp: httpx.Client, koppelingen: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _aangemeld(client, meld_aan(client, browser_idp, "coordinator"))
    rij = _sessies(session)[0]
    levensduur = timedelta(minutes=get_settings().dashboard_sessie_minuten)
    assert rij.verloopt_op - rij.aangemaakt_op == levensduur
    assert client.get("/overzicht", follow_redirects=False).status_code == 200

    # The clock seam of the session check: a minute past the configured lifetime.
    monkeypatch.setattr(sessiemodule, "utcnow", lambda: utcnow() + levensduur + timedelta(minutes=1))
    antwoord = client.get("/overzicht", follow_redirects=False)

    assert antwoord.status_code == 303 and antwoord.headers["location"].startswith("/?melding=verlopen")


def test_sleutel_en_sso_sessie_lopen_niet_door_elkaar(
    client: TestClient, session: Session, sso_aan: Idp, browser_idp: httpx.Client, omgeving: Omgeving,
    koppelingen: dict[str, Any],
) -> None:
    _aangemeld(client, meld_aan(client, browser_idp, "coordinator"))
    sso_rij = _sessies(session)[0]

    # A key sign-in in the same browser ends the SSO session, and the new cookie carries no ID token.
    token = omgeving.headers["Authorization"].split(" ", 1)[1]
    antwoord = client.post("/aanmelden", data={"sleutel": token, "csrf": csrf_van(client)}, follow_redirects=False)
    assert antwoord.status_code == 303
    session.refresh(sso_rij)
    assert sso_rij.einde == "afgemeld"
    assert "i" not in cookie_inhoud(client.cookies[COOKIE])

    # Signing out of a key session stays here: no redirect to the IdP.
    assert _afmelden(client).headers["location"] == "/?melding=afgemeld"


def test_sleutelsessie_met_id_token_in_cookie_gaat_niet_naar_idp(
    client: TestClient, session: Session, sso_aan: Idp, omgeving: Omgeving, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Whether a session is SSO is the server's record, not the cookie: an `i` in a key session's cookie does nothing."""
    token = omgeving.headers["Authorization"].split(" ", 1)[1]
    client.post("/aanmelden", data={"sleutel": token, "csrf": csrf_van(client)}, follow_redirects=False)
    serializer = URLSafeTimedSerializer(get_settings().secret_key, salt=sessiemodule.SALT)
    client.cookies.set(COOKIE, serializer.dumps({**cookie_inhoud(client.cookies[COOKIE]), "i": "x.y.z"}))

    assert _afmelden(client).headers["location"] == "/?melding=afgemeld"


def test_koppeling_verwijderen_beeindigt_de_sessies(
    client: TestClient, session: Session, sso_aan: Idp, browser_idp: httpx.Client, koppelingen: dict[str, Any],
) -> None:
    _aangemeld(client, meld_aan(client, browser_idp, "coordinator"))
    beheer = make_key(session, beheer=True, scopes=("beheren",))
    session.commit()
    sessie_cookie = client.cookies[COOKIE]

    antwoord = client.delete(f"/v1/sso-koppelingen/{koppelingen['org'].id}", headers=beheer)

    assert antwoord.status_code == 204
    client.cookies.set(COOKIE, sessie_cookie)
    assert client.get("/overzicht", follow_redirects=False).status_code == 303
    assert _sessies(session)[0].einde == "ingetrokken"
    # The same person is now refused: their group maps to nothing any more.
    client.cookies.clear()
    assert meld_aan(client, browser_idp, "coordinator").status_code == 403


def test_knop_alleen_met_sso_aan(client: TestClient) -> None:
    get_settings.cache_clear()
    assert not get_settings().sso_aan
    assert "/sso/aanmelden" not in client.get("/").text
    assert client.get("/sso/aanmelden", follow_redirects=False).status_code == 404
    assert client.get("/sso/terug?code=x&state=y", follow_redirects=False).status_code == 404


def test_idp_onbereikbaar_is_een_eerlijke_503(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.sso import oidc
    from tests.server import vrije_poort

    for naam, waarde in {"SSO_ISSUER": f"http://127.0.0.1:{vrije_poort()}", "SSO_CLIENT_ID": "x",
                         "SSO_CLIENT_SECRET": "y", "SSO_REDIRECT_BASIS": RP}.items():
        monkeypatch.setenv(f"SLEUTELMONITOR_{naam}", waarde)
    get_settings.cache_clear()
    oidc.cache.clear()
    try:
        antwoord = client.get("/sso/aanmelden", follow_redirects=False)
        assert antwoord.status_code == 503 and antwoord.headers["retry-after"] == "60"
        assert "Aanmelden tijdelijk niet mogelijk" in antwoord.text
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def test_sso_aanmeldingen_in_de_beheer_api(
    client: TestClient, session: Session, sso_aan: Idp, koppelingen: dict[str, Any],
) -> None:
    for account in ("coordinator", "zonder"):
        with httpx.Client() as idp_browser:
            client.cookies.clear()
            meld_aan(client, idp_browser, account)
    client.cookies.clear()
    beheer = make_key(session, beheer=True, scopes=("beheren",))
    regio = make_key(session, scopes=("rapporteren",), gemeentecodes=["GM0344"])
    session.commit()

    alles = client.get("/v1/sso-aanmeldingen", headers=beheer)
    assert alles.status_code == 200 and alles.headers["x-total-count"] == "2"
    assert {r["uitkomst"] for r in alles.json()} == {"aangemeld", "geen-koppeling"}
    een = client.get("/v1/sso-aanmeldingen", headers=beheer, params={"sub": "coordinator"}).json()
    assert len(een) == 1 and een[0]["claimWaarde"] == "sm-brug" and een[0]["sessieId"] and een[0]["verlooptOp"]
    assert "coordinator" not in alles.text
    assert client.get("/v1/sso-aanmeldingen", headers=regio).status_code == 403
    assert uuid.UUID(een[0]["apiSleutelId"])
    assert session.exec(select(AuditRegel).where(col(AuditRegel.resource_type) == "sso-aanmelding")).all()


def test_groot_id_token_blijft_buiten_de_cookie(session: Session, sso_aan: Idp, koppelingen: dict[str, Any]) -> None:
    """A cookie past 4 KB is dropped by browsers: a large ID token is left out (logout then names the client)."""
    claims = {"iss": sso_aan.issuer, "sub": "coordinator", "groups": ["sm-brug"]}
    klein = sso.meld_aan(session, claims=claims, id_token="a.b.c", user_agent=None)
    groot = sso.meld_aan(session, claims=claims, id_token="x" * (sso.MAX_ID_TOKEN_IN_COOKIE + 1), user_agent=None)
    assert klein.cookie["i"] == "a.b.c" and "i" not in groot.cookie
