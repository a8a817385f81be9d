"""The API shell: ADR conformance of errors, headers, paths and the health resource."""

from fastapi.testclient import TestClient
from sqlmodel import Session

from app import __version__
from tests.factories import make_key


def test_status_reports_version_and_database(client: TestClient) -> None:
    response = client.get("/v1/status")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "versie": __version__, "database": "bereikbaar", "schijf": "beschikbaar"}
    assert response.headers["API-Version"] == __version__


def test_unknown_path_is_404_problem(client: TestClient) -> None:
    response = client.get("/v1/bestaat-niet")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["title"] == "Niet gevonden"
    assert body["status"] == 404
    assert body["instance"] == "/v1/bestaat-niet"
    assert response.headers["API-Version"] == __version__


def test_trailing_slash_is_404_not_redirect(client: TestClient) -> None:
    response = client.get("/v1/status/", follow_redirects=False)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_wrong_method_is_405_problem(client: TestClient) -> None:
    response = client.delete("/v1/status")
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["title"] == "Methode niet toegestaan"


def test_security_headers_on_every_response(client: TestClient) -> None:
    for path in ("/v1/status", "/v1/bestaat-niet", "/v1/openapi.json"):
        headers = client.get(path).headers
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["cache-control"] == "no-store"
        assert "max-age" in headers["strict-transport-security"]
        assert headers["content-security-policy"] == "frame-ancestors 'none'"


def test_openapi_served_without_auth_with_cors(client: TestClient) -> None:
    response = client.get("/v1/openapi.json")
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    doc = response.json()
    assert doc["info"]["version"] == __version__
    assert set(doc["info"]["contact"]) >= {"name", "email", "url"}
    assert doc["servers"][0]["url"].endswith("/v1")


def test_openapi_has_no_422_and_declares_version_header(client: TestClient) -> None:
    doc = client.get("/v1/openapi.json").json()
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            assert "422" not in operation["responses"], f"{method} {path}"
            for status, response in operation["responses"].items():
                if status.startswith("2"):
                    assert "API-Version" in response["headers"], f"{method} {path} {status}"
                if status.startswith(("4", "5")):
                    assert "application/problem+json" in response["content"], f"{method} {path} {status}"


def test_every_secured_operation_declares_bearer_and_scope(client: TestClient) -> None:
    doc = client.get("/v1/openapi.json").json()
    assert doc["components"]["securitySchemes"]["apiSleutel"]["scheme"] == "bearer"
    secured = 0
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            if path == "/status":
                assert "security" not in operation
                continue
            secured += 1
            assert operation["security"] == [{"apiSleutel": []}], f"{method} {path}"
            assert "**Scope:**" in operation["description"], f"{method} {path}"
            assert {"401", "403"} <= set(operation["responses"]), f"{method} {path}"
    assert secured > 20


def test_malformed_json_is_400_problem(client: TestClient, session: Session) -> None:
    headers = make_key(session, beheer=True, scopes=("beheren",))
    response = client.post(
        "/v1/organisaties", content=b"{niet: json", headers={**headers, "Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["title"] == "Ongeldige invoer"
    assert body["invalidParams"][0]["reason"] == "De body is geen geldige JSON."
