"""Authentication (401), authorisation (403), body limit (413) and rate limit (429)."""

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.config import get_settings
from app.core.validation import vandaag
from tests.factories import make_key, make_organisatie
from tests.helpers import assert_problem
from tests.toegang.helpers import admin_key, key_of, token_of

ORGANISATIES = "/v1/organisaties"


def assert_401(response, detail: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert (body["status"], body["title"], body["detail"]) == (401, "Niet geauthenticeerd", detail)


def test_missing_header(client: TestClient) -> None:
    assert_401(
        client.get(ORGANISATIES),
        "Geen API-sleutel meegestuurd; stuur de header `Authorization: Bearer <sleutel>`.",
    )


@pytest.mark.parametrize("header", ["Bearer", "Bearer   ", "Basic dXNlcjpwYXNz", "smk_12345678_geheim"])
def test_other_schemes_and_empty_tokens(client: TestClient, header: str) -> None:
    assert_401(
        client.get(ORGANISATIES, headers={"Authorization": header}),
        "Geen API-sleutel meegestuurd; stuur de header `Authorization: Bearer <sleutel>`.",
    )


@pytest.mark.parametrize("token", ["niet-een-sleutel", "smk_kort_x", "smk_12345678_", "xyz_12345678_geheim"])
def test_malformed_token(client: TestClient, token: str) -> None:
    assert_401(client.get(ORGANISATIES, headers={"Authorization": f"Bearer {token}"}), "De API-sleutel is onbekend.")


def test_unknown_key(client: TestClient) -> None:
    token = "smk_0badc0de_" + "A" * 43
    assert_401(client.get(ORGANISATIES, headers={"Authorization": f"Bearer {token}"}), "De API-sleutel is onbekend.")


def test_known_prefix_with_wrong_secret(client: TestClient, session: Session) -> None:
    prefix = "_".join(token_of(admin_key(session)).split("_")[:2])
    headers = {"Authorization": f"Bearer {prefix}_{'B' * 43}"}
    assert_401(client.get(ORGANISATIES, headers=headers), "De API-sleutel is onbekend.")


def test_revoked_key(client: TestClient, session: Session) -> None:
    headers = make_key(session, organisatie=make_organisatie(session), scopes=("inzien",))
    key = key_of(session, headers)
    assert client.get(ORGANISATIES, headers=headers).status_code == 200

    revoked = client.delete(f"/v1/api-sleutels/{key.id}", headers=admin_key(session))
    assert revoked.status_code == 200

    assert_401(client.get(ORGANISATIES, headers=headers), f"De API-sleutel {key.prefix} is ingetrokken.")


def test_expired_key(client: TestClient, session: Session) -> None:
    headers = make_key(session, organisatie=make_organisatie(session), scopes=("inzien",))
    key = key_of(session, headers)
    yesterday = vandaag() - timedelta(days=1)
    key.verloopt_op = yesterday
    session.add(key)
    session.flush()
    assert_401(
        client.get(ORGANISATIES, headers=headers),
        f"De API-sleutel {key.prefix} is verlopen op {yesterday.isoformat()}.",
    )


def test_key_works_through_its_last_day(client: TestClient, session: Session) -> None:
    today: date = vandaag()
    headers = make_key(session, organisatie=make_organisatie(session), scopes=("inzien",), verloopt_op=today)
    assert client.get(ORGANISATIES, headers=headers).status_code == 200


def test_key_of_deactivated_organisation(client: TestClient, session: Session) -> None:
    organisatie = make_organisatie(session)
    headers = make_key(session, organisatie=organisatie, scopes=("inzien",))
    organisatie.actief = False
    session.add(organisatie)
    session.flush()
    assert_401(
        client.get(ORGANISATIES, headers=headers),
        f"De organisatie van API-sleutel {key_of(session, headers).prefix} is gedeactiveerd.",
    )


# --- 403 ------------------------------------------------------------------------------------


def test_403_names_the_missing_scope(client: TestClient, session: Session) -> None:
    inzien = make_key(session, organisatie=make_organisatie(session), scopes=("inzien",))
    response = client.post(
        ORGANISATIES, json={"naam": "X", "soort": "ggd", "gemeentecodes": ["GM0344"]}, headers=inzien
    )
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert (body["title"], body["detail"]) == ("Geen toegang", "Deze API-sleutel mist de scope `beheren`.")

    rapporteren = make_key(session, organisatie=make_organisatie(session), scopes=("rapporteren",))
    audit = client.get("/v1/audit", headers=rapporteren)
    assert audit.status_code == 403
    assert audit.json()["detail"] == "Deze API-sleutel mist de scope `inzien`."


def test_admin_key_without_beheren_cannot_manage(client: TestClient, session: Session) -> None:
    headers = make_key(session, beheer=True, scopes=("rapporteren",))
    response = client.get("/v1/api-sleutels", headers=headers)
    assert response.status_code == 403
    assert response.json()["detail"] == "Deze API-sleutel mist de scope `beheren`."


def test_regional_key_is_refused_on_organisation_and_audit(client: TestClient, session: Session) -> None:
    organisatie = make_organisatie(session, gemeentecodes=["GM0344"])
    regional = make_key(session, gemeentecodes=["GM0344"], scopes=("rapporteren",))

    one = client.get(f"{ORGANISATIES}/{organisatie.id}", headers=regional)
    assert one.status_code == 403
    assert one.json()["detail"].startswith("Een rapportagesleutel geeft geen toegang tot organisaties")

    audit = client.get("/v1/audit", headers=regional)
    assert audit.status_code == 403
    assert audit.json()["detail"] == "Een rapportagesleutel geeft geen toegang tot de audittrail."


def test_organisation_key_gets_404_for_another_organisation(client: TestClient, session: Session) -> None:
    a, b = make_organisatie(session), make_organisatie(session)
    response = client.get(f"{ORGANISATIES}/{b.id}", headers=make_key(session, organisatie=a))
    assert response.status_code == 404
    assert response.json()["detail"] == f"Organisatie {b.id} bestaat niet."


# --- 413, 415 and 429 --------------------------------------------------------------------------


def test_body_over_the_limit_is_413_problem(client: TestClient, session: Session) -> None:
    limit = get_settings().max_body_bytes
    body = b'{"naam": "' + b"x" * (limit + 1) + b'", "soort": "ggd", "gemeentecodes": ["GM0344"]}'
    response = client.post(
        ORGANISATIES, content=body, headers={**admin_key(session), "Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert (problem["status"], problem["title"]) == (413, "Verzoek te groot")
    assert problem["detail"] == f"De body is groter dan de toegestane {limit} bytes."


def test_chunked_body_over_the_limit_is_413_too(client: TestClient, session: Session) -> None:
    limit = get_settings().max_body_bytes
    body = b'{"naam": "' + b"x" * (limit + 1) + b'", "soort": "ggd", "gemeentecodes": ["GM0344"]}'

    def in_stukken() -> Iterator[bytes]:
        # An iterator body goes out chunked: no Content-Length for the middleware to read in advance.
        for begin in range(0, len(body), 4096):
            yield body[begin:begin + 4096]

    headers = {**admin_key(session), "Content-Type": "application/json"}
    response = client.post(ORGANISATIES, content=in_stukken(), headers=headers)
    assert response.request.headers.get("transfer-encoding") == "chunked"
    assert "content-length" not in response.request.headers
    problem = assert_problem(response, 413, "Verzoek te groot")
    assert problem["detail"] == f"De body is groter dan de toegestane {limit} bytes."


def test_a_json_route_refuses_another_media_type_with_415(client: TestClient, session: Session) -> None:
    body = b"naam=x&soort=ggd"
    headers = {**admin_key(session), "Content-Type": "application/x-www-form-urlencoded"}
    response = client.post(ORGANISATIES, content=body, headers=headers)
    assert response.status_code == 415
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert (problem["status"], problem["title"]) == (415, "Mediatype niet ondersteund")
    assert "application/json" in problem["detail"]


def test_too_many_requests_is_429_with_retry_after(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    limit = 3
    monkeypatch.setattr(get_settings(), "rate_limit_per_minute", limit)
    headers = make_key(session, organisatie=make_organisatie(session), scopes=("inzien",))

    # The window is a calendar minute: if it turns during the loop the count restarts once,
    # so 2 * limit + 1 requests always exceed the limit in one of the (at most two) windows.
    statuses = []
    response = None
    for _ in range(2 * limit + 1):
        response = client.get(ORGANISATIES, headers=headers)
        statuses.append(response.status_code)
        if response.status_code == 429:
            break

    assert response is not None and response.status_code == 429, statuses
    assert set(statuses[:-1]) == {200}
    assert response.headers["content-type"] == "application/problem+json"
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert response.json()["title"] == "Te veel verzoeken"
    assert f"meer dan {limit} verzoeken in een minuut" in response.json()["detail"]

    # The limit is per key: another key is not slowed down by this one.
    other = make_key(session, organisatie=make_organisatie(session), scopes=("inzien",))
    assert client.get(ORGANISATIES, headers=other).status_code == 200
