"""HTTP details integrators rely on (issue 28): HEAD on every GET, conditional GET with 304, and the
RateLimit-* headers on every authenticated response."""

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.config import get_settings
from tests.factories import Omgeving, body


def _sleutelpersoon(omgeving: Omgeving) -> str:
    return f"/v1/sleutelpersonen/{omgeving.sleutelpersoon.id}"


def test_head_answers_every_get_with_the_same_headers_and_no_body(client: TestClient, omgeving: Omgeving) -> None:
    for path, headers in (("/v1/status", {}), (_sleutelpersoon(omgeving), omgeving.headers),
                          ("/v1/contactmomenten", omgeving.headers), ("/v1/openapi.json", {})):
        get = client.get(path, headers=headers)
        head = client.head(path, headers=headers)
        assert (get.status_code, head.status_code) == (200, 200), path
        assert head.content == b"", path
        assert head.headers["content-type"] == get.headers["content-type"], path
        assert head.headers["content-length"] == get.headers["content-length"], path
        assert head.headers["API-Version"] == get.headers["API-Version"], path


def test_head_of_an_error_is_the_error_without_body(client: TestClient, omgeving: Omgeving) -> None:
    response = client.head("/v1/sleutelpersonen/00000000-0000-4000-8000-000000000000", headers=omgeving.headers)
    assert response.status_code == 404
    assert response.content == b""
    assert response.headers["content-type"] == "application/problem+json"
    assert client.head("/v1/contactmomenten").status_code == 401


def test_head_is_not_a_way_around_other_methods(client: TestClient, omgeving: Omgeving) -> None:
    """HEAD stands in for GET only: a route without GET still answers 405."""
    response = client.head("/v1/imports", headers=omgeving.headers)  # GET exists: a list
    assert response.status_code in (200, 403)
    response = client.head("/v1/inwoners/_vergeet", headers=omgeving.headers)  # POST only
    assert response.status_code == 405
    assert response.content == b""


def test_if_none_match_gives_304_for_a_single_resource(client: TestClient, omgeving: Omgeving) -> None:
    path = _sleutelpersoon(omgeving)
    first = client.get(path, headers=omgeving.headers)
    etag = first.headers["ETag"]
    again = client.get(path, headers={**omgeving.headers, "If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == etag
    assert again.headers["API-Version"]
    # Another tag, a list of tags and `*`.
    assert client.get(path, headers={**omgeving.headers, "If-None-Match": '"anders"'}).status_code == 200
    assert client.get(path, headers={**omgeving.headers, "If-None-Match": f'"x", {etag}'}).status_code == 304
    assert client.get(path, headers={**omgeving.headers, "If-None-Match": "*"}).status_code == 304
    # A weak comparison (RFC 9110 13.1.2): W/"..." matches the same opaque tag.
    assert client.get(path, headers={**omgeving.headers, "If-None-Match": f"W/{etag}"}).status_code == 304


def test_a_change_changes_the_tag_of_a_list(client: TestClient, omgeving: Omgeving) -> None:
    lijst = client.get("/v1/contactmomenten", headers=omgeving.headers)
    etag = lijst.headers["ETag"]
    assert client.get("/v1/contactmomenten", headers={**omgeving.headers, "If-None-Match": etag}).status_code == 304
    assert client.post("/v1/contactmomenten", json=body(omgeving), headers=omgeving.headers).status_code == 201
    na = client.get("/v1/contactmomenten", headers={**omgeving.headers, "If-None-Match": etag})
    assert na.status_code == 200
    assert na.headers["ETag"] != etag


def test_errors_and_writes_never_answer_304(client: TestClient, omgeving: Omgeving) -> None:
    missing = "/v1/sleutelpersonen/00000000-0000-4000-8000-000000000000"
    assert client.get(missing, headers={**omgeving.headers, "If-None-Match": "*"}).status_code == 404
    response = client.post("/v1/contactmomenten", json=body(omgeving), headers={**omgeving.headers, "If-None-Match": "*"})
    assert response.status_code == 201


def test_ratelimit_headers_count_down(client: TestClient, omgeving: Omgeving, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "rate_limit_per_minute", 50)
    remaining = []
    for _ in range(3):
        response = client.get("/v1/contactmomenten", headers=omgeving.headers)
        assert response.headers["RateLimit-Limit"] == "50"
        assert 1 <= int(response.headers["RateLimit-Reset"]) <= 60
        remaining.append(int(response.headers["RateLimit-Remaining"]))
    # The window is a calendar minute: when it turns between requests the count restarts.
    assert remaining in ([49, 48, 47], [49, 49, 48], [49, 48, 49]) or remaining[0] > remaining[1] > remaining[2]


def test_429_says_nothing_remains(client: TestClient, session: Session, omgeving: Omgeving,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "rate_limit_per_minute", 2)
    statuses = []
    for _ in range(5):
        response = client.get("/v1/contactmomenten", headers=omgeving.headers)
        statuses.append(response.status_code)
        if response.status_code == 429:
            break
    assert response.status_code == 429, statuses
    assert response.headers["RateLimit-Remaining"] == "0"
    assert response.headers["RateLimit-Limit"] == "2"
    assert response.headers["RateLimit-Reset"] == response.headers["Retry-After"]


def test_unauthenticated_responses_carry_no_ratelimit(client: TestClient) -> None:
    assert "RateLimit-Limit" not in client.get("/v1/status").headers


def test_cors_exposes_the_new_headers(client: TestClient) -> None:
    from app.main import ALLOW_HEADERS, EXPOSE_HEADERS

    assert {"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "Retry-After", "ETag"} <= set(EXPOSE_HEADERS)
    assert "If-None-Match" in ALLOW_HEADERS
