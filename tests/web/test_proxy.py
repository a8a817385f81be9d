"""The dashboard behind a TLS reverse proxy (issue 22, finding 8).

The proxy speaks HTTPS to the browser and HTTP to the service, under its own host name. The
browser's Origin is `https://monitor.ggd.example`; without the proxy's forwarded headers the service
sees `http://testserver` and its Origin check refused every form, sign-in included. The headers are
believed from the addresses in SLEUTELMONITOR_TRUSTED_PROXIES only.
"""


import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.config import get_settings
from app.main import create_app
from tests.factories import Omgeving, make_key
from tests.web.helpers import csrf_van

PROXY = ("10.1.2.3", 40000)  # the address the proxy connects from
PUBLIEK = "https://monitor.ggd.example"
DOORGESTUURD = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "monitor.ggd.example", "X-Forwarded-For": "203.0.113.7"}


@pytest.fixture
def achter_proxy(app, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """A test client that connects from the proxy's address, for an app built with the given trust list."""
    clients: list[TestClient] = []

    def maak(vertrouwd: str) -> TestClient:
        monkeypatch.setenv("SLEUTELMONITOR_TRUSTED_PROXIES", vertrouwd)
        get_settings.cache_clear()
        application = create_app()
        application.dependency_overrides = app.dependency_overrides  # the test's own session
        client = TestClient(application, client=PROXY, headers=DOORGESTUURD, raise_server_exceptions=False)
        clients.append(client.__enter__())
        return client

    yield maak
    for client in clients:
        client.__exit__(None, None, None)
    get_settings.cache_clear()


def _meld_aan(client: TestClient, sleutel: dict[str, str]):  # type: ignore[no-untyped-def]
    token = sleutel["Authorization"].split(" ", 1)[1]
    return client.post("/aanmelden", data={"sleutel": token, "csrf": csrf_van(client)}, headers={"Origin": PUBLIEK},
                       follow_redirects=False)


@pytest.mark.parametrize("vertrouwd", ["10.1.2.3", "10.0.0.0/8", "*"])
def test_sign_in_behind_a_trusted_https_proxy(achter_proxy, session: Session, omgeving: Omgeving, vertrouwd: str) -> None:  # type: ignore[no-untyped-def]
    sleutel = make_key(session, organisatie=omgeving.organisatie, scopes=("registreren", "rapporteren"))
    session.commit()
    client = achter_proxy(vertrouwd)
    antwoord = _meld_aan(client, sleutel)
    assert antwoord.status_code == 303, antwoord.text
    assert antwoord.headers["location"] == "/overzicht"
    # The next form (sign out) passes the same check.
    uit = client.post("/afmelden", data={"csrf": csrf_van(client)}, headers={"Origin": PUBLIEK}, follow_redirects=False)
    assert uit.status_code == 303, uit.text


@pytest.mark.parametrize("vertrouwd", ["127.0.0.1", "10.9.9.9", "192.168.0.0/16"])
def test_forwarded_headers_from_an_untrusted_peer_are_ignored(achter_proxy, session: Session, omgeving: Omgeving, vertrouwd: str) -> None:  # type: ignore[no-untyped-def]
    sleutel = make_key(session, organisatie=omgeving.organisatie, scopes=("registreren", "rapporteren"))
    session.commit()
    client = achter_proxy(vertrouwd)
    antwoord = _meld_aan(client, sleutel)
    assert antwoord.status_code == 403
    assert "monitor.ggd.example" in antwoord.text and "niet van deze site" in antwoord.text


def test_another_site_is_refused_behind_a_trusted_proxy(achter_proxy, session: Session, omgeving: Omgeving) -> None:  # type: ignore[no-untyped-def]
    sleutel = make_key(session, organisatie=omgeving.organisatie, scopes=("registreren", "rapporteren"))
    session.commit()
    client = achter_proxy("10.0.0.0/8")
    token = sleutel["Authorization"].split(" ", 1)[1]
    for origin in ("https://elders.example", "http://monitor.ggd.example", "https://monitor.ggd.example:8443"):
        antwoord = client.post("/aanmelden", data={"sleutel": token, "csrf": csrf_van(client)}, headers={"Origin": origin},
                               follow_redirects=False)
        assert antwoord.status_code == 403, origin


def test_the_public_url_is_this_sites_origin(app, monkeypatch: pytest.MonkeyPatch, session: Session, omgeving: Omgeving) -> None:  # type: ignore[no-untyped-def]
    # Without forwarded headers (a proxy that sends none), the configured public address is still this
    # site's own. The client speaks HTTPS itself, as the session cookie is `Secure` with an https address.
    monkeypatch.setenv("SLEUTELMONITOR_PUBLIC_URL", PUBLIEK + "/")
    get_settings.cache_clear()
    try:
        sleutel = make_key(session, organisatie=omgeving.organisatie, scopes=("registreren", "rapporteren"))
        session.commit()
        with TestClient(app, base_url="https://intern.example", raise_server_exceptions=False) as client:
            assert _meld_aan(client, sleutel).status_code == 303
    finally:
        get_settings.cache_clear()


def test_serve_hands_the_trust_list_to_uvicorn(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn
    from typer.testing import CliRunner

    from app.cli import app as cli

    gezien: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: gezien.update(kwargs))
    monkeypatch.setenv("SLEUTELMONITOR_TRUSTED_PROXIES", "10.0.0.0/8,172.16.0.1")
    get_settings.cache_clear()
    try:
        assert CliRunner().invoke(cli, ["serve"]).exit_code == 0
    finally:
        get_settings.cache_clear()
    assert gezien["forwarded_allow_ips"] == "10.0.0.0/8,172.16.0.1"
