"""/v1/webhooks (issue 28): the secret shown once, tenancy, a regional subscriber's kinds, SSRF refusals."""

import socket

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.webhooks import adressen
from tests.factories import Omgeving, make_key

INTERN = [
    "http://127.0.0.1:8080/hook",
    "https://127.0.0.1/hook",
    "https://169.254.169.254/latest/meta-data/",
    "https://[::1]/hook",
    "https://[::ffff:127.0.0.1]/hook",
    "https://10.0.0.5/hook",
    "https://localhost/hook",  # a DNS name that points to loopback
]


@pytest.mark.parametrize("url", INTERN)
def test_internal_targets_are_refused(client: TestClient, omgeving: Omgeving, url: str) -> None:
    response = client.post("/v1/webhooks", json={"url": url}, headers=omgeving.headers)
    assert response.status_code == 400, response.text
    [probleem] = response.json()["invalidParams"]
    assert probleem["name"] == "url"
    with pytest.raises(adressen.OnveiligAdres):
        adressen.doel(url)


def test_plain_http_and_credentials_are_refused(client: TestClient, omgeving: Omgeving, monkeypatch: pytest.MonkeyPatch) -> None:
    # A public address (resolution stubbed: the test machine has no DNS for it).
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 443))])
    assert adressen.doel("https://ontvanger.example.nl/hook").url == "https://93.184.215.14:443/hook"
    assert adressen.doel("https://ontvanger.example.nl/hook").sni == "ontvanger.example.nl"
    for url in ("http://ontvanger.example.nl/hook", "https://gebruiker:wachtwoord@ontvanger.example.nl/hook", "ftp://x.nl/"):
        response = client.post("/v1/webhooks", json={"url": url}, headers=omgeving.headers)
        assert response.status_code == 400, url
        assert "wachtwoord" not in response.text.replace("gebruikersnaam of wachtwoord", "")


def test_lifecycle_secret_shown_once(client: TestClient, omgeving: Omgeving, andere: Omgeving, interne_adressen: None) -> None:
    h = omgeving.headers
    gemaakt = client.post("/v1/webhooks", json={"url": "http://127.0.0.1:9/hook", "soorten": ["contactmoment.verwijderd"]}, headers=h)
    assert gemaakt.status_code == 201, gemaakt.text
    webhook = gemaakt.json()
    assert webhook["geheim"].startswith("whsec_") and webhook["actief"] is True
    assert gemaakt.headers["Location"] == f"/v1/webhooks/{webhook['id']}"
    url = f"/v1/webhooks/{webhook['id']}"
    gelezen = client.get(url, headers=h).json()
    assert "geheim" not in gelezen and webhook["geheim"] not in client.get("/v1/webhooks", headers=h).text
    assert client.get("/v1/webhooks", headers=h).headers["X-Total-Count"] == "1"
    # Another organisation: 404 on every route, and an empty list.
    for methode, pad in [("GET", url), ("PATCH", url), ("DELETE", url), ("GET", f"{url}/afleveringen"), ("POST", f"{url}/test")]:
        assert client.request(methode, pad, headers=andere.headers, json={} if methode == "PATCH" else None).status_code == 404
    assert client.get("/v1/webhooks", headers=andere.headers).json() == []

    gewijzigd = client.patch(url, json={"soorten": ["import.voltooid"], "actief": False}, headers=h)
    assert gewijzigd.status_code == 200 and gewijzigd.json()["soorten"] == ["import.voltooid"]
    assert gewijzigd.json()["actief"] is False
    assert client.patch(url, json={"soorten": ["bestaat.niet"]}, headers=h).status_code == 400
    test = client.post(f"{url}/test", headers=h)
    assert test.status_code == 202 and test.json()["soort"] == "webhook.test" and test.json()["status"] == "wachtend"
    log = client.get(f"{url}/afleveringen", headers=h)
    assert [a["id"] for a in log.json()] == [test.json()["id"]]
    assert client.delete(url, headers=h).status_code == 204
    assert client.get(url, headers=h).status_code == 404


def test_a_regional_subscription_gets_only_regional_kinds(client: TestClient, session: Session, interne_adressen: None) -> None:
    regio = make_key(session, gemeentecodes=["GM0344"], scopes=("signalen",))
    geweigerd = client.post("/v1/webhooks", json={"url": "http://127.0.0.1:9/", "soorten": ["contactmoment.aangemaakt"]},
                            headers=regio)
    assert geweigerd.status_code == 400
    assert geweigerd.json()["invalidParams"][0]["name"] == "soorten"
    gemaakt = client.post("/v1/webhooks", json={"url": "http://127.0.0.1:9/", "soorten": ["signaal.aangemaakt"]}, headers=regio)
    assert gemaakt.status_code == 201, gemaakt.text
    assert gemaakt.json()["gemeentecodes"] == ["GM0344"] and gemaakt.json()["organisatieId"] is None
    andere_regio = make_key(session, gemeentecodes=["GM0599"], scopes=("signalen",))
    assert client.get(f"/v1/webhooks/{gemaakt.json()['id']}", headers=andere_regio).status_code == 404


def test_the_secret_is_not_kept_for_an_idempotency_key_replay(client: TestClient, session: Session, omgeving: Omgeving,
                                                             interne_adressen: None) -> None:
    """The answer holds `geheim`; kept for a replay, the secret would sit in the database for a day."""
    from sqlmodel import func, select

    from app.models import IdempotentieSleutel

    h = {**omgeving.headers, "Idempotency-Key": "webhook-1"}
    eerste = client.post("/v1/webhooks", json={"url": "http://127.0.0.1:9/hook"}, headers=h)
    assert eerste.status_code == 201, eerste.text
    assert eerste.json()["geheim"].startswith("whsec_")
    session.expire_all()
    assert session.exec(select(func.count()).select_from(IdempotentieSleutel)).one() == 0


def test_a_stale_if_match_is_a_412(client: TestClient, omgeving: Omgeving, interne_adressen: None) -> None:
    gemaakt = client.post("/v1/webhooks", json={"url": "http://127.0.0.1:9/hook"}, headers=omgeving.headers)
    url = gemaakt.headers["Location"]
    versie = client.get(url, headers=omgeving.headers).headers["ETag"]
    assert client.patch(url, json={"actief": False}, headers={**omgeving.headers, "If-Match": versie}).status_code == 200
    oud = client.patch(url, json={"actief": True}, headers={**omgeving.headers, "If-Match": versie})
    assert oud.status_code == 412 and oud.json()["code"] == "versie-verouderd"
    assert client.get(url, headers=omgeving.headers).json()["actief"] is False
