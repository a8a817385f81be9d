"""Names in the OpenAPI document that generators turn into code: operationIds, types, tags, problem members."""

import json
import re
from pathlib import Path
from typing import Any

import pytest

from app.core.config import get_settings
from app.core.openapi import build_openapi, operation_id
from app.main import create_app

ROOT = Path(__file__).resolve().parent.parent
DOC: dict[str, Any] = json.loads((ROOT / "openapi" / "openapi.json").read_text(encoding="utf-8"))
METHODS = ("get", "post", "put", "patch", "delete")
OPERATIONS = [(path, method, op) for path, item in DOC["paths"].items() for method, op in item.items() if method in METHODS]

# FastAPI's default is `<name>_<path>_<method>`; its traces are underscores, a version segment or a trailing
# HTTP method. Any of them in an operationId means a route escaped the house naming.
DEFAULT_LOOKING = re.compile(r"_|[vV]1|(Get|Post|Put|Patch|Delete)$")


def test_operation_ids_are_camel_case_unique_and_not_default_looking() -> None:
    ids = [op["operationId"] for _, _, op in OPERATIONS]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    for path, method, op in OPERATIONS:
        assert re.fullmatch(r"[a-z]+(?:[A-Z][a-z0-9]*)+", op["operationId"]), (path, method, op["operationId"])
        assert not DEFAULT_LOOKING.search(op["operationId"]), (path, method, op["operationId"])


def test_operation_ids_come_from_the_route_names() -> None:
    assert {(p, m): op["operationId"] for p, m, op in OPERATIONS if p in ("/contactmomenten", "/indicatoren/{code}/waarden")} == {
        ("/contactmomenten", "get"): "listContactmomenten",
        ("/contactmomenten", "post"): "createContactmoment",
        ("/indicatoren/{code}/waarden", "get"): "getIndicatorWaarden",
    }


def test_default_looking_id_is_caught() -> None:
    # The guard itself: FastAPI's default id for the same route must fail the check above.
    assert DEFAULT_LOOKING.search("create_contactmoment_v1_contactmomenten_post")
    assert DEFAULT_LOOKING.search("listContactmomentenV1ContactmomentenGet")

    class Route:
        name = "get_indicator_waarden"

    assert operation_id(Route()) == "getIndicatorWaarden"  # type: ignore[arg-type]


def _titles(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["title"]] if isinstance(node.get("title"), str) else []
        return own + [t for v in node.values() for t in _titles(v)]
    if isinstance(node, list):
        return [t for v in node for t in _titles(v)]
    return []


def test_type_names_are_readable() -> None:
    for name in DOC["components"]["schemas"]:
        assert re.fullmatch(r"[A-Z][A-Za-z0-9]+", name), name
    for title in _titles(DOC):
        assert not title.startswith(("Response ", "Body_")), title


def test_every_tag_is_described_in_dutch() -> None:
    described = {tag["name"]: tag["description"] for tag in DOC["tags"]}
    used = {tag for _, _, op in OPERATIONS for tag in op["tags"]}
    assert used <= set(described), used - set(described)
    for _, _, op in OPERATIONS:
        assert len(op["tags"]) == 1


def test_fields_with_a_default_are_not_required() -> None:
    for name, schema in DOC["components"]["schemas"].items():
        required = set(schema.get("required", ()))
        with_default = {p for p, s in schema.get("properties", {}).items() if "default" in s}
        assert not required & with_default, (name, required & with_default)
    create = DOC["components"]["schemas"]["ContactmomentCreate"]
    assert {"soort", "aantalDeelnemers"} <= set(create["properties"]) - set(create["required"])


def _extension_members_raised() -> set[str]:
    """Every member a domain error adds to its problem (`extra={"bestaandId": ...}`), read from the code."""
    members: set[str] = set()
    for source in (ROOT / "app").rglob("*.py"):
        for extra in re.findall(r"(?<![_a-z])extra=\{([^}]*)\}", source.read_text(encoding="utf-8")):
            members |= set(re.findall(r'"([A-Za-z]+)":', extra))
    return members


def test_every_problem_member_is_documented() -> None:
    schemas = DOC["components"]["schemas"]
    problemen = [naam for naam in schemas if naam.endswith("Problem")]
    documented = set().union(*(schemas[naam]["properties"] for naam in problemen))
    raised = _extension_members_raised()
    assert {"bestaandId", "huidigeStatus", "toegestaneStatussen"} <= raised
    assert raised <= documented, raised - documented
    assert "invalidParams" in schemas["Problem"]["properties"]
    for path, method, op in OPERATIONS:
        if "409" in op["responses"]:
            # One kind: its schema; more: a oneOf of the kinds, told apart by `code` (tests/test_conflicten.py).
            schema = op["responses"]["409"]["content"]["application/problem+json"]["schema"]
            refs = [schema] if "$ref" in schema else schema["oneOf"]
            assert all(r["$ref"].removeprefix("#/components/schemas/") in problemen for r in refs), (path, method)
            assert "$ref" in schema or schema["discriminator"]["propertyName"] == "code", (path, method)


@pytest.mark.parametrize(("public_url", "expected"), [(None, "/v1"), ("https://monitor.ggd.example/", "https://monitor.ggd.example/v1")])
def test_servers_follow_the_public_url(monkeypatch: pytest.MonkeyPatch, public_url: str | None, expected: str) -> None:
    if public_url is None:
        monkeypatch.delenv("SLEUTELMONITOR_PUBLIC_URL", raising=False)
    else:
        monkeypatch.setenv("SLEUTELMONITOR_PUBLIC_URL", public_url)
    get_settings.cache_clear()
    try:
        assert build_openapi(create_app())["servers"][0]["url"] == expected
    finally:
        get_settings.cache_clear()


def test_request_schemas_carry_defaults_in_words_so_typescript_keeps_them_optional() -> None:
    # openapi-typescript 7 types a property with `default` as always present; in a request that is wrong.
    soort = DOC["components"]["schemas"]["ContactmomentCreate"]["properties"]["soort"]
    assert "default" not in soort
    assert "Standaard `individueel`" in soort["description"]
    aantal = DOC["components"]["schemas"]["ContactmomentCreate"]["properties"]["aantalDeelnemers"]
    assert "default" not in aantal and "Standaard 1" in aantal["description"]
    # A response still says what it always carries.
    assert DOC["components"]["schemas"]["ContactmomentPublic"]["properties"]["soort"]["default"] == "individueel"
