"""The API shell: ADR conformance of errors, headers, paths and the health resource."""

from fastapi.testclient import TestClient
from sqlmodel import Session

from app import __version__
from app.toegang.caller import Scope
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
            if path in ("/status", "/status/live", "/status/ready", "/problemen", "/problemen/{code}"):
                assert "security" not in operation
                continue
            secured += 1
            (requirement,) = operation["security"]
            scopes = requirement["apiSleutel"]
            assert set(scopes) <= set(Scope), f"{method} {path}"
            assert len(scopes) == len(set(scopes)), f"{method} {path}: {scopes}"  # no `registreren, registreren`
            assert "**Scope:**" not in operation.get("description", ""), f"{method} {path}"  # no prose lists
            assert {"401", "403", "429", "503"} <= set(operation["responses"]), f"{method} {path}"
    assert secured > 20
    for scope in Scope:
        assert f"`{scope.value}`" in doc["components"]["securitySchemes"]["apiSleutel"]["description"]


def test_scopes_of_an_operation_are_what_the_route_requires(client: TestClient) -> None:
    doc = client.get("/v1/openapi.json").json()
    assert doc["paths"]["/contactmomenten"]["post"]["security"] == [{"apiSleutel": ["registreren"]}]
    assert doc["paths"]["/organisaties"]["post"]["security"] == [{"apiSleutel": ["beheren"]}]
    assert doc["paths"]["/contactmomenten"]["get"]["security"] == [{"apiSleutel": ["inzien"]}]


def test_retry_after_and_ratelimit_are_documented_where_they_are_sent(client: TestClient) -> None:
    doc = client.get("/v1/openapi.json").json()
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            assert "Retry-After" in responses["503"]["headers"], f"{method} {path}"
            if "requestBody" in operation:
                assert "415" in responses, f"{method} {path}"
            if method == "get":
                assert "304" in responses, f"{method} {path}"
            if path in ("/status", "/status/live", "/status/ready", "/problemen", "/problemen/{code}"):
                continue
            assert {"Retry-After", "RateLimit-Remaining"} <= set(responses["429"]["headers"]), f"{method} {path}"
            for status, response in responses.items():
                if status.startswith("2"):
                    assert "RateLimit-Limit" in response["headers"], f"{method} {path} {status}"


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
