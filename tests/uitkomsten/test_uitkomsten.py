"""/v1/uitkomsten: record an outcome later, list and read."""

import uuid
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.core.validation import vandaag
from app.models import Contactmoment, Doorverwijzing
from tests.factories import Omgeving, make_contactmoment, make_key
from tests.helpers import audit_regels, namen, tel_rijen

URL = "/v1/uitkomsten"


def contactmoment(session: Session, omgeving: Omgeving, **overrides: Any) -> Contactmoment:
    record = make_contactmoment(
        session,
        omgeving.organisatie,
        omgeving.sleutelpersoon,
        doorverwijzingen=[{"ketenpartner": omgeving.ketenpartner, "onderwerp": "geld.toeslagen"}],
        **overrides,
    )
    session.commit()
    return record


def verwijzing_van(session: Session, record: Contactmoment) -> Doorverwijzing:
    return session.exec(
        select(Doorverwijzing).where(Doorverwijzing.contactmoment_id == record.id)
    ).one()


def post(client: TestClient, omgeving: Omgeving, data: dict[str, Any]) -> Any:
    return client.post(URL, json=data, headers=omgeving.headers)


def test_create_defaults_to_today_and_is_audited(
    client: TestClient, session: Session, omgeving: Omgeving
) -> None:
    record = contactmoment(session, omgeving)
    response = post(client, omgeving, {"contactmomentId": str(record.id), "resultaat": "opgelost"})
    assert response.status_code == 201, response.text
    data = response.json()
    assert response.headers["Location"] == f"/v1/uitkomsten/{data['id']}"
    assert data["contactmomentId"] == str(record.id)
    assert data["doorverwijzingId"] is None
    assert data["resultaat"] == "opgelost"
    assert data["datum"] == vandaag().isoformat()
    [regel] = audit_regels(session, resource_type="uitkomst")
    assert (regel.actie, regel.resource_id) == ("aangemaakt", data["id"])
    assert client.get(f"{URL}/{data['id']}", headers=omgeving.headers).json() == data
    shown = client.get(f"/v1/contactmomenten/{record.id}", headers=omgeving.headers).json()
    assert shown["uitkomst"]["id"] == data["id"]


def test_outcome_of_a_referral(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    record = contactmoment(session, omgeving)
    verwijzing = verwijzing_van(session, record)
    response = post(
        client,
        omgeving,
        {
            "contactmomentId": str(record.id),
            "doorverwijzingId": str(verwijzing.id),
            "resultaat": "deels-opgelost",
            "datum": "2025-03-14",
        },
    )
    assert response.status_code == 201, response.text
    assert response.json()["doorverwijzingId"] == str(verwijzing.id)
    assert response.json()["datum"] == "2025-03-14"


def test_all_errors_at_once_and_nothing_written(
    client: TestClient, session: Session, omgeving: Omgeving
) -> None:
    record = contactmoment(session, omgeving)
    ander = contactmoment(session, omgeving)
    voor = tel_rijen(session)
    response = post(
        client,
        omgeving,
        {
            "contactmomentId": str(record.id),
            "doorverwijzingId": str(verwijzing_van(session, ander).id),
            "resultaat": "super",
            "datum": "2025-03-13",
        },
    )
    assert response.status_code == 400
    assert response.json()["title"] == "Ongeldige invoer"
    assert namen(response) == {"doorverwijzingId", "resultaat", "datum"}
    assert tel_rijen(session) == voor


def test_other_organisations_contactmoment_does_not_exist(
    client: TestClient, session: Session, omgeving: Omgeving, andere: Omgeving
) -> None:
    theirs = contactmoment(session, andere)
    voor = tel_rijen(session)
    response = post(
        client,
        omgeving,
        {
            "contactmomentId": str(theirs.id),
            "doorverwijzingId": str(verwijzing_van(session, theirs).id),
            "resultaat": "opgelost",
        },
    )
    assert response.status_code == 400
    params = {p["name"]: p["reason"] for p in response.json()["invalidParams"]}
    assert params == {
        "contactmomentId": f"Contactmoment {theirs.id} bestaat niet.",
        "doorverwijzingId": f"Doorverwijzing {verwijzing_van(session, theirs).id} bestaat niet.",
    }
    assert tel_rijen(session) == voor


def test_schema_errors(client: TestClient, omgeving: Omgeving) -> None:
    response = post(
        client,
        omgeving,
        {
            "contactmomentId": "abc",
            "resultaat": "opgelost",
            "datum": (vandaag() + timedelta(days=1)).isoformat(),
            "toelichting": "x",
        },
    )
    assert response.status_code == 400
    assert namen(response) == {"contactmomentId", "datum", "toelichting"}


def test_deleted_contactmoment_takes_no_outcomes(
    client: TestClient, session: Session, omgeving: Omgeving
) -> None:
    record = contactmoment(session, omgeving)
    assert (
        client.delete(f"/v1/contactmomenten/{record.id}", headers=omgeving.headers).status_code
        == 204
    )
    response = post(client, omgeving, {"contactmomentId": str(record.id), "resultaat": "opgelost"})
    assert response.status_code == 400
    assert namen(response) == {"contactmomentId"}


def test_list_filters_and_tenancy(
    client: TestClient, session: Session, omgeving: Omgeving, andere: Omgeving
) -> None:
    a = contactmoment(session, omgeving, datum=date(2025, 1, 1))
    b = contactmoment(session, omgeving, datum=date(2025, 1, 2))
    theirs = contactmoment(session, andere, uitkomst="opgelost")
    made = [
        post(
            client,
            omgeving,
            {"contactmomentId": str(a.id), "resultaat": "lopend", "datum": "2025-01-05"},
        ).json(),
        post(
            client,
            omgeving,
            {"contactmomentId": str(a.id), "resultaat": "opgelost", "datum": "2025-02-05"},
        ).json(),
        post(
            client,
            omgeving,
            {
                "contactmomentId": str(b.id),
                "doorverwijzingId": str(verwijzing_van(session, b).id),
                "resultaat": "opgelost",
                "datum": "2025-01-20",
            },
        ).json(),
    ]

    def query(**params: Any) -> list[str]:
        response = client.get(URL, params=params, headers=omgeving.headers)
        assert response.status_code == 200, response.text
        return [u["id"] for u in response.json()]

    assert query() == [made[1]["id"], made[2]["id"], made[0]["id"]]  # newest first
    assert query(contactmoment=str(a.id)) == [made[1]["id"], made[0]["id"]]
    assert query(doorverwijzing=str(verwijzing_van(session, b).id)) == [made[2]["id"]]
    assert query(resultaat="opgelost") == [made[1]["id"], made[2]["id"]]
    assert query(contactmoment=str(theirs.id)) == []
    refused = client.get(URL, params={"resultaat": "super"}, headers=omgeving.headers)
    assert refused.status_code == 400
    assert namen(refused) == {"resultaat"}
    page = client.get(URL, params={"pageSize": 1, "page": 2}, headers=omgeving.headers)
    assert page.headers["X-Total-Count"] == "3"
    assert {'rel="first"', 'rel="prev"', 'rel="next"', 'rel="last"'} <= {
        p.split("; ")[1] for p in page.headers["Link"].split(", ")
    }

    their_outcome = client.get(URL, headers=andere.headers).json()[0]["id"]
    assert client.get(f"{URL}/{their_outcome}", headers=omgeving.headers).status_code == 404
    assert client.get(f"{URL}/{uuid.uuid4()}", headers=omgeving.headers).status_code == 404


def test_scopes(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    record = contactmoment(session, omgeving)
    inzien = make_key(session, organisatie=omgeving.organisatie, scopes=("inzien",))
    session.commit()
    assert (
        client.post(
            URL, json={"contactmomentId": str(record.id), "resultaat": "opgelost"}, headers=inzien
        ).status_code
        == 403
    )
    assert client.get(URL, headers=inzien).status_code == 200


def test_an_unknown_query_parameter_is_refused_not_ignored(
    client: TestClient, session: Session, omgeving: Omgeving
) -> None:
    """`contactmoment_id` is not a filter (`contactmomentId` is): ignoring it would return other contacts' outcomes."""
    record = contactmoment(session, omgeving)
    response = client.get(URL, params={"contactmoment_id": str(record.id), "x": "1"}, headers=omgeving.headers)
    assert response.status_code == 400, response.text
    assert [p["name"] for p in response.json()["invalidParams"]] == ["contactmoment_id", "x"]
    assert client.get(URL, params={"contactmomentId": str(record.id)}, headers=omgeving.headers).status_code == 200
    # The old name still works, deprecated (issue 28).
    assert client.get(URL, params={"contactmoment": str(record.id)}, headers=omgeving.headers).status_code == 200
