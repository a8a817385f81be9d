"""Problems a program can tell apart (issue 28): a stable `code` and a `type` page for every kind,
and a `code` on every invalid field."""

import re
from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.problemen import SOORTEN, VELDCODES
from tests.factories import Omgeving, body, make_key

APP = Path(__file__).resolve().parents[1] / "app"


def test_every_problem_has_a_code_and_a_type_page(client: TestClient, omgeving: Omgeving) -> None:
    antwoorden = [
        client.post("/v1/contactmomenten", json={}, headers=omgeving.headers),  # 400
        client.get("/v1/contactmomenten"),  # 401
        client.get("/v1/sleutelpersonen/00000000-0000-4000-8000-000000000000", headers=omgeving.headers),  # 404
        client.delete("/v1/status"),  # 405
        client.post("/v1/contactmomenten", content=b"a=b", headers={**omgeving.headers,
                    "Content-Type": "application/x-www-form-urlencoded"}),  # 415
    ]
    for response in antwoorden:
        problem = response.json()
        assert problem["code"] in SOORTEN, problem
        assert SOORTEN[problem["code"]].status == response.status_code
        assert problem["type"].endswith(f"/v1/problemen/{problem['code']}")
        pagina = client.get(problem["type"])
        assert pagina.status_code == 200, problem["type"]
        assert pagina.json()["code"] == problem["code"]
        assert pagina.json()["title"] == problem["title"]


def test_invalid_fields_each_carry_a_code(client: TestClient, omgeving: Omgeving) -> None:
    gegevens = body(omgeving, datum=None, kanaal="postduif", duurMinuten=-5, onbekend=1)
    response = client.post("/v1/contactmomenten", json=gegevens, headers=omgeving.headers)
    assert response.status_code == 400
    codes = {p["name"]: p["code"] for p in response.json()["invalidParams"]}
    assert codes["datum"] == "verplicht"
    assert codes["onbekend"] == "onbekend-veld"
    assert codes["duurMinuten"] == "buiten-bereik"
    assert set(codes.values()) <= set(VELDCODES)


def test_an_externid_clash_names_its_kind(client: TestClient, omgeving: Omgeving) -> None:
    gegevens = body(omgeving)
    assert client.post("/v1/contactmomenten", json=gegevens, headers=omgeving.headers).status_code == 201
    anders = {**gegevens, "duurMinuten": gegevens.get("duurMinuten", 0) + 5}
    response = client.post("/v1/contactmomenten", json=anders, headers=omgeving.headers)
    assert response.status_code == 409
    assert response.json()["code"] == "externid-andere-inhoud"
    assert response.json()["bestaandId"]


def test_a_code_clash_in_a_code_list(client: TestClient, session: Session) -> None:
    admin = make_key(session, beheer=True, scopes=("beheren",))
    nieuw = {"code": "video-bellen", "label": "Videobellen"}
    assert client.post("/v1/codelijsten/kanaal", json=nieuw, headers=admin).status_code == 201
    response = client.post("/v1/codelijsten/kanaal", json=nieuw, headers=admin)
    assert response.status_code == 409
    problem = response.json()
    assert (problem["code"], problem["bestaandeCode"], problem["lijst"]) == ("bestaat-al", "video-bellen", "kanaal")


def test_every_code_raised_in_the_source_is_registered() -> None:
    """`code="..."` of a DomeinFout and the codes middleware sends: each has its page."""
    gevonden: set[str] = set()
    for bestand in APP.rglob("*.py"):
        tekst = bestand.read_text()
        gevonden |= set(re.findall(r'[,(][ \t]*code="([a-z][a-z0-9-]+)"', tekst))
        if bestand.name == "idempotentiesleutel.py":
            gevonden |= set(re.findall(r'"(idempotency-key-[a-z-]+)"', tekst))
    veld = {c for c in gevonden if c in VELDCODES}
    assert gevonden - veld - set(SOORTEN) == set()
    assert {"idempotency-key-hergebruikt", "bestaat-al"} <= gevonden


def test_the_list_of_kinds_is_public(client: TestClient) -> None:
    response = client.get("/v1/problemen")
    assert response.status_code == 200
    codes = [s["code"] for s in response.json()["soorten"]]
    assert codes == list(SOORTEN)
    assert client.get("/v1/problemen/bestaat-niet").json()["code"] == "niet-gevonden"
