"""`Idempotency-Key` on every POST (issue 28): a retry gets the first answer, never a second write."""

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.core.config import get_settings
from app.core.validation import vandaag
from app.models import Contactmoment, Doel, IdempotentieSleutel
from tests.factories import Omgeving, body, make_key

JAAR = vandaag().year


def _doel(waarde: int = 40) -> dict[str, object]:
    return {"indicator": "aantal-contactmomenten", "periode": f"{JAAR}-03", "waarde": waarde}


def _aantal(session: Session, model: type) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(model)).one()


def test_a_retry_gets_the_first_answer_and_writes_nothing_twice(client: TestClient, session: Session,
                                                              omgeving: Omgeving) -> None:
    """POST /v1/doelen has no externId: without the key a retry would be a second write (or a 409)."""
    headers = {**make_key(session, organisatie=omgeving.organisatie, scopes=("registreren",)),
               "Idempotency-Key": "3f1c2a9e-doel-1"}
    eerste = client.post("/v1/doelen", json=_doel(), headers=headers)
    assert eerste.status_code == 201, eerste.text
    assert "Idempotent-Replayed" not in eerste.headers
    tweede = client.post("/v1/doelen", json=_doel(), headers=headers)
    assert tweede.status_code == 201
    assert tweede.json() == eerste.json()
    assert tweede.headers["Location"] == eerste.headers["Location"]
    assert tweede.headers["Idempotent-Replayed"] == "true"
    assert tweede.headers["API-Version"]
    assert _aantal(session, Doel) == 1
    # Without the key the same body is a new request: here a 409 for the second target of the month.
    assert client.post("/v1/doelen", json=_doel(), headers={k: v for k, v in headers.items()
                                                          if k != "Idempotency-Key"}).status_code == 409


def test_the_same_key_with_another_body_is_a_409(client: TestClient, omgeving: Omgeving) -> None:
    headers = {**omgeving.headers, "Idempotency-Key": "sleutel-2"}
    assert client.post("/v1/contactmomenten", json=body(omgeving), headers=headers).status_code == 201
    response = client.post("/v1/contactmomenten", json=body(omgeving), headers=headers)  # another externId
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "idempotency-key-hergebruikt"
    assert "ander verzoek" in response.json()["detail"]
    # Another path with the same key is another request too.
    other = client.post("/v1/doelen", json=_doel(), headers=headers)
    assert other.status_code == 409 and other.json()["code"] == "idempotency-key-hergebruikt"


def test_keys_are_per_caller(client: TestClient, session: Session, omgeving: Omgeving, andere: Omgeving) -> None:
    """The same key value from another organisation is its own request, never the first one's answer."""
    eerste = client.post("/v1/contactmomenten", json=body(omgeving), headers={**omgeving.headers, "Idempotency-Key": "k"})
    tweede = client.post("/v1/contactmomenten", json=body(andere), headers={**andere.headers, "Idempotency-Key": "k"})
    assert (eerste.status_code, tweede.status_code) == (201, 201)
    assert eerste.json()["id"] != tweede.json()["id"]
    assert "Idempotent-Replayed" not in tweede.headers
    # Same body, same key value, other key: still not the first one's answer.
    derde_headers = {**make_key(session, organisatie=andere.organisatie, scopes=("registreren",)), "Idempotency-Key": "k"}
    derde = client.post("/v1/contactmomenten", json=body(andere), headers=derde_headers)
    assert "Idempotent-Replayed" not in derde.headers


def test_a_refused_request_is_not_kept(client: TestClient, session: Session, omgeving: Omgeving,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A 429 (or 401, 403, 5xx) depends on the moment: the retry runs again."""
    headers = {**omgeving.headers, "Idempotency-Key": "na-429"}
    monkeypatch.setattr(get_settings(), "rate_limit_per_minute", 0)
    assert client.post("/v1/contactmomenten", json=body(omgeving), headers=headers).status_code == 429
    monkeypatch.setattr(get_settings(), "rate_limit_per_minute", 1000)
    gegevens = body(omgeving)
    assert client.post("/v1/contactmomenten", json=gegevens, headers=headers).status_code == 201


def test_a_validation_error_is_replayed_as_it_was(client: TestClient, omgeving: Omgeving) -> None:
    headers = {**omgeving.headers, "Idempotency-Key": "fout-1"}
    fout = body(omgeving, datum="morgen")
    eerste = client.post("/v1/contactmomenten", json=fout, headers=headers)
    assert eerste.status_code == 400
    tweede = client.post("/v1/contactmomenten", json=fout, headers=headers)
    assert (tweede.status_code, tweede.json()) == (400, eerste.json())
    assert tweede.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("sleutel", ["", "met spatie", "ü", "x" * 256])
def test_an_invalid_key_is_a_400(client: TestClient, omgeving: Omgeving, sleutel: str) -> None:
    response = client.post("/v1/contactmomenten", json=body(omgeving),
                           headers={**omgeving.headers, "Idempotency-Key": sleutel.encode("utf-8")})
    assert response.status_code == 400
    (param,) = response.json()["invalidParams"]
    assert param["name"] == "Idempotency-Key"


def test_the_running_answer_names_retry_after(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    headers = {**omgeving.headers, "Idempotency-Key": "lopend-2"}
    gegevens = body(omgeving)
    assert client.post("/v1/contactmomenten", json=gegevens, headers=headers).status_code == 201
    rij = session.exec(select(IdempotentieSleutel)).one()
    rij.status = "bezig"
    session.add(rij)
    session.commit()
    response = client.post("/v1/contactmomenten", json=gegevens, headers=headers)
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency-key-in-behandeling"
    assert response.headers["Retry-After"] == "1"
    assert _aantal(session, Contactmoment) == 1


def test_keys_expire_after_a_day(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    headers = {**omgeving.headers, "Idempotency-Key": "oud"}
    assert client.post("/v1/doelen", json=_doel(), headers={**make_key(session, organisatie=omgeving.organisatie,
                       scopes=("registreren",)), "Idempotency-Key": "oud"}).status_code == 201
    rij = session.exec(select(IdempotentieSleutel)).one()
    rij.aangemaakt_op = datetime.now(UTC) - timedelta(hours=25)
    session.add(rij)
    session.commit()
    # Any keyed POST clears expired keys: the old one is gone.
    assert client.post("/v1/contactmomenten", json=body(omgeving), headers=headers).status_code == 201
    assert _aantal(session, IdempotentieSleutel) == 1


def test_only_keyed_hashes_are_stored(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    """The body can hold a resident reference: neither it nor an unkeyed hash of the body is stored."""
    gegevens = body(omgeving, inwonerReferentie="CLIENT-REF-7731")
    headers = {**omgeving.headers, "Idempotency-Key": "privacy"}
    response = client.post("/v1/contactmomenten", json=gegevens, headers=headers)
    assert response.status_code == 201, response.text
    rij = session.exec(select(IdempotentieSleutel)).one()
    token = omgeving.headers["Authorization"]
    assert token.encode() not in (rij.wie.encode() + (rij.antwoord_body or b""))
    assert b"CLIENT-REF-7731" not in (rij.antwoord_body or b"")
    import json as _json
    for tekst in (_json.dumps(gegevens), _json.dumps(gegevens, separators=(",", ":"))):
        assert rij.vingerafdruk != hashlib.sha256(tekst.encode()).hexdigest()
    assert rij.wie != hashlib.sha256(token.encode()).hexdigest()


def test_get_and_the_dashboard_ignore_the_header(client: TestClient, omgeving: Omgeving) -> None:
    headers = {**omgeving.headers, "Idempotency-Key": "get"}
    assert client.get("/v1/contactmomenten", headers=headers).status_code == 200
    assert client.get("/v1/contactmomenten", headers=headers).status_code == 200


def test_erasure_forgets_every_stored_key(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    """A kept fingerprint of a body with a resident reference would be a link left after erasure."""
    headers = {**omgeving.headers, "Idempotency-Key": "voor-wissen"}
    gegevens = body(omgeving, inwonerReferentie="CLIENT-REF-9001")
    assert client.post("/v1/contactmomenten", json=gegevens, headers=headers).status_code == 201
    assert _aantal(session, IdempotentieSleutel) == 1
    wis_headers = {**make_key(session, organisatie=omgeving.organisatie, scopes=("registreren",)),
                   "Idempotency-Key": "wissen"}
    response = client.post("/v1/inwoners/_vergeet", json={"inwonerReferentie": "CLIENT-REF-9001"}, headers=wis_headers)
    assert response.status_code == 200, response.text
    assert _aantal(session, IdempotentieSleutel) == 0  # neither the contact's key nor the erasure's own


GEHEIME_VELDEN = {"sleutel", "geheim", "token"}


def test_no_answer_that_carries_a_secret_is_kept(app: object) -> None:
    """An answer with a secret shown once (an API key's token, a webhook's signing secret) must not be stored
    for replay: the database keeps only hashes of secrets. Every POST whose success schema has such a member
    is outside the Idempotency-Key (ZONDER), and the document does not offer the header there."""
    from app.core.idempotentiesleutel import ZONDER

    document = app.openapi()  # type: ignore[attr-defined]
    schemas = document["components"]["schemas"]
    met_geheim = set()
    for pad, operaties in document["paths"].items():
        post = operaties.get("post")
        if not post:
            continue
        for status, antwoord in post["responses"].items():
            if not status.startswith("2"):
                continue
            ref = antwoord.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref", "")
            leden = set(schemas.get(ref.rsplit("/", 1)[-1], {}).get("properties", {}))
            if leden & GEHEIME_VELDEN:
                met_geheim.add(f"/v1{pad}" if not pad.startswith("/v1") else pad)
                namen = {p.get("name") for p in post.get("parameters", [])}
                assert "Idempotency-Key" not in namen, pad
    assert met_geheim == {"/v1/api-sleutels", "/v1/webhooks"}
    assert met_geheim <= ZONDER


def test_an_api_key_token_never_lands_in_the_idempotency_store(client: TestClient, session: Session) -> None:
    from tests.factories import make_organisatie

    admin = make_key(session, beheer=True, scopes=("beheren",))
    organisatie = make_organisatie(session)
    verzoek = {"naam": "Registratie-app", "scopes": ["registreren"], "organisatieId": str(organisatie.id)}
    eerste = client.post("/v1/api-sleutels", json=verzoek, headers={**admin, "Idempotency-Key": "sleutel-1"})
    tweede = client.post("/v1/api-sleutels", json=verzoek, headers={**admin, "Idempotency-Key": "sleutel-1"})
    assert eerste.status_code == tweede.status_code == 201, eerste.text
    assert "Idempotent-Replayed" not in tweede.headers
    assert eerste.json()["sleutel"] != tweede.json()["sleutel"]  # two keys: the spare is revoked by hand
    assert _aantal(session, IdempotentieSleutel) == 0
