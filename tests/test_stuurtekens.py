"""Control, zero-width and bidi characters are refused in one place, with a 400 naming each field (issue 14).

PostgreSQL cannot store NUL in text and answered 500; SQLite stored it. Both now refuse it alike.
"""

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.factories import make_key, make_organisatie
from tests.helpers import assert_problem


def _namen(response) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(p["name"] for p in response.json()["invalidParams"])


def test_nul_in_a_query_value_is_a_400_on_both_databases(client: TestClient, session: Session) -> None:
    beheer = make_key(session, beheer=True, scopes=("beheren",))
    response = client.get("/v1/audit?resourceType=a%00b", headers=beheer)
    assert_problem(response, 400)
    assert _namen(response) == ["resourceType"]
    organisatie = make_key(session, organisatie=make_organisatie(session), scopes=("inzien",))
    response = client.get("/v1/contactmomenten?externId=a%00b", headers=organisatie)
    assert_problem(response, 400)
    assert _namen(response) == ["externId"]


def test_every_bad_field_of_a_json_body_in_one_400(client: TestClient, session: Session) -> None:
    headers = make_key(session, organisatie=make_organisatie(session), scopes=("registreren",))
    response = client.post("/v1/ketenpartners", headers=headers, content=(
        '{"naam": "a\\u0000b", "categorie": "huisarts\\u202e", "gemeentecode": "GM0344"}'
    ).encode(), )
    assert_problem(response, 400)
    assert _namen(response) == ["categorie", "naam"]
    assert "\\u0000" not in response.text and "a\x00b" not in response.text  # the value is never echoed


def test_zero_width_and_bidi_in_a_name_are_refused_but_newlines_in_text_are_not(client: TestClient, session: Session) -> None:
    headers = make_key(session, organisatie=make_organisatie(session), scopes=("registreren",))
    refused = client.post("/v1/sleutelpersonen", headers=headers, json={"weergavenaam": "Fat\u200bima"})
    assert_problem(refused, 400)
    assert _namen(refused) == ["weergavenaam"]
    fine = client.post("/v1/ketenpartners", headers=headers,
                       json={"naam": "Huisartsenpraktijk\tDe Linde", "categorie": "huisarts", "gemeentecode": "GM0344"})
    assert fine.status_code == 201, fine.text
