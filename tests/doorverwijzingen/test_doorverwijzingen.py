"""/v1/doorverwijzingen: list and filters, history, status transitions."""

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.core.validation import vandaag
from app.doorverwijzingen.statussen import EINDSTATUSSEN, OVERGANGEN
from app.indicatoren.catalogue import INDICATOREN
from app.models import Contactmoment, Doorverwijzing, DoorverwijzingStatus
from tests.factories import Omgeving, make_contactmoment, make_ketenpartner, make_key
from tests.helpers import audit_regels, namen, tel_rijen

URL = "/v1/doorverwijzingen"
STATUSSEN = (
    "voorgesteld",
    "verwezen",
    "aangekomen",
    "afgerond",
    "afgewezen",
    "niet-verschenen",
    "onbekend",
)


def verwijzing(
    session: Session, omgeving: Omgeving, status: str = "verwezen", **overrides: Any
) -> Doorverwijzing:
    """A committed referral with the given status, on a contactmoment of 2025-03-14."""
    spec = {"ketenpartner": omgeving.ketenpartner, "onderwerp": "geld.toeslagen", "status": status}
    spec.update(overrides.pop("spec", {}))
    record = make_contactmoment(
        session,
        omgeving.organisatie,
        omgeving.sleutelpersoon,
        onderwerpen=["geld.toeslagen", "zorg.huisarts"],
        doorverwijzingen=[spec],
        **overrides,
    )
    session.commit()
    return session.exec(
        select(Doorverwijzing).where(Doorverwijzing.contactmoment_id == record.id)
    ).one()


def patch(
    client: TestClient, omgeving: Omgeving, verwijzing_id: uuid.UUID, data: dict[str, Any]
) -> Any:
    return client.patch(f"{URL}/{verwijzing_id}", json=data, headers=omgeving.headers)


def test_get_includes_initial_history(
    client: TestClient, session: Session, omgeving: Omgeving
) -> None:
    record = verwijzing(session, omgeving)
    response = client.get(f"{URL}/{record.id}", headers=omgeving.headers)
    assert response.status_code == 200
    data = response.json()
    assert data["id"] == str(record.id)
    assert data["contactmomentId"] == str(record.contactmoment_id)
    assert data["ketenpartnerId"] == str(omgeving.ketenpartner.id)
    assert (data["status"], data["statusDatum"], data["wijze"], data["onderwerp"]) == (
        "verwezen",
        "2025-03-14",
        "warm",
        "geld.toeslagen",
    )
    assert [(h["status"], h["statusDatum"]) for h in data["historie"]] == [
        ("verwezen", "2025-03-14")
    ]
    assert "vastgelegdOp" in data["historie"][0]


def test_history_of_a_posted_contactmoment(client: TestClient, omgeving: Omgeving) -> None:
    from tests.factories import body

    posted = client.post(
        "/v1/contactmomenten", json=body(omgeving), headers=omgeving.headers
    ).json()
    verwijzing_id = posted["doorverwijzingen"][0]["id"]
    data = client.get(f"{URL}/{verwijzing_id}", headers=omgeving.headers).json()
    assert [(h["status"], h["statusDatum"]) for h in data["historie"]] == [
        ("verwezen", "2025-03-14")
    ]


def test_status_path_with_history_and_audit(
    client: TestClient, session: Session, omgeving: Omgeving
) -> None:
    record = verwijzing(session, omgeving)
    steps = [
        ("onbekend", "2025-03-20"),
        ("verwezen", "2025-03-21"),
        ("aangekomen", "2025-03-28"),
        ("afgerond", "2025-04-30"),
    ]
    for status, datum in steps:
        response = patch(client, omgeving, record.id, {"status": status, "statusDatum": datum})
        assert response.status_code == 200, response.text
        assert (response.json()["status"], response.json()["statusDatum"]) == (status, datum)
    historie = client.get(f"{URL}/{record.id}", headers=omgeving.headers).json()["historie"]
    assert [(h["status"], h["statusDatum"]) for h in historie] == [
        ("verwezen", "2025-03-14"),
        *steps,
    ]

    regels = audit_regels(session, actie="status-gewijzigd")
    assert len(regels) == 4
    assert {(r.resource_type, r.resource_id) for r in regels} == {
        ("doorverwijzing", str(record.id))
    }
    assert regels[0].velden == ["status", "statusDatum"]
    assert regels[0].organisatie_id == omgeving.organisatie.id
    rows = session.exec(
        select(DoorverwijzingStatus).where(DoorverwijzingStatus.doorverwijzing_id == record.id)
    ).all()
    assert len(rows) == 5 and all(r.api_sleutel_id is not None for r in rows[1:])


def test_status_date_defaults_to_today(
    client: TestClient, session: Session, omgeving: Omgeving
) -> None:
    record = verwijzing(session, omgeving)
    response = patch(client, omgeving, record.id, {"status": "aangekomen"})
    assert response.status_code == 200
    assert response.json()["statusDatum"] == vandaag().isoformat()


ALLOWED = [(van, naar) for van, naar_lijst in OVERGANGEN.items() for naar in naar_lijst]
REFUSED = [(van, naar) for van in STATUSSEN for naar in STATUSSEN if naar not in OVERGANGEN[van]]


def test_final_statuses_are_the_catalogues_and_allow_no_transition() -> None:
    """One meaning of "final": what the completion rate divides by is what can no longer change."""
    assert set(OVERGANGEN) == set(STATUSSEN)
    assert INDICATOREN["percentage-doorverwijzingen-afgerond"].noemer["status"] == EINDSTATUSSEN
    assert {van for van, naar in OVERGANGEN.items() if not naar} == set(EINDSTATUSSEN)


@pytest.mark.parametrize(("van", "naar"), ALLOWED)
def test_allowed_transition(
    client: TestClient, session: Session, omgeving: Omgeving, van: str, naar: str
) -> None:
    record = verwijzing(session, omgeving, status=van)
    response = patch(client, omgeving, record.id, {"status": naar, "statusDatum": "2025-03-15"})
    assert response.status_code == 200, response.text
    assert [h["status"] for h in response.json()["historie"]] == [van, naar]


@pytest.mark.parametrize(("van", "naar"), REFUSED)
def test_refused_transition_is_409(
    client: TestClient, session: Session, omgeving: Omgeving, van: str, naar: str
) -> None:
    record = verwijzing(session, omgeving, status=van)
    voor = tel_rijen(session)
    response = patch(client, omgeving, record.id, {"status": naar, "statusDatum": "2025-03-15"})
    assert response.status_code == 409, response.text
    problem = response.json()
    assert problem["title"] == "Conflict"
    assert f"`{van}`" in problem["detail"] and f"`{naar}`" in problem["detail"]
    assert problem["huidigeStatus"] == van
    assert problem["toegestaneStatussen"] == list(OVERGANGEN[van])
    for volgende in OVERGANGEN[van]:
        assert f"`{volgende}`" in problem["detail"]
    if not OVERGANGEN[van]:
        assert "eindstatus" in problem["detail"]
    assert tel_rijen(session) == voor


@pytest.mark.parametrize(
    ("data", "name"),
    [
        ({"status": "zoek"}, "status"),
        (
            {"status": "aangekomen", "statusDatum": "2025-03-13"},
            "statusDatum",
        ),  # before the contactmoment
        (
            {"status": "aangekomen", "statusDatum": (vandaag() + timedelta(days=1)).isoformat()},
            "statusDatum",
        ),
        ({"status": "aangekomen", "statusDatum": "14-03-2025"}, "statusDatum"),
        ({"statusDatum": "2025-03-20"}, "status"),
        ({"status": "aangekomen", "notitie": "x"}, "notitie"),
    ],
)
def test_invalid_status_change_is_400(
    client: TestClient, session: Session, omgeving: Omgeving, data: dict[str, Any], name: str
) -> None:
    record = verwijzing(session, omgeving)
    response = patch(client, omgeving, record.id, data)
    assert response.status_code == 400
    assert response.json()["title"] == "Ongeldige invoer"
    assert namen(response) == {name}


def test_status_date_before_current_status_date_is_400(
    client: TestClient, session: Session, omgeving: Omgeving
) -> None:
    record = verwijzing(session, omgeving, spec={"status_datum": date(2025, 3, 20)})
    response = patch(
        client, omgeving, record.id, {"status": "aangekomen", "statusDatum": "2025-03-18"}
    )
    assert response.status_code == 400
    assert namen(response) == {"statusDatum"}
    assert "huidige status" in response.json()["invalidParams"][0]["reason"]


def test_tenancy_and_scopes(
    client: TestClient, session: Session, omgeving: Omgeving, andere: Omgeving
) -> None:
    theirs = verwijzing(session, andere)
    mine = verwijzing(session, omgeving)
    inzien = make_key(session, organisatie=omgeving.organisatie, scopes=("inzien",))
    session.commit()
    assert client.get(f"{URL}/{theirs.id}", headers=omgeving.headers).status_code == 404
    assert patch(client, omgeving, theirs.id, {"status": "aangekomen"}).status_code == 404
    assert patch(client, omgeving, uuid.uuid4(), {"status": "aangekomen"}).status_code == 404
    assert [d["id"] for d in client.get(URL, headers=omgeving.headers).json()] == [str(mine.id)]
    assert client.get(f"{URL}/{mine.id}", headers=inzien).status_code == 200
    assert (
        client.patch(f"{URL}/{mine.id}", json={"status": "aangekomen"}, headers=inzien).status_code
        == 403
    )


def test_list_filters(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    ander_partner = make_ketenpartner(session, omgeving.organisatie, categorie="huisarts")
    a = verwijzing(session, omgeving, status="verwezen", datum=date(2025, 1, 10))
    b = verwijzing(
        session,
        omgeving,
        status="afgerond",
        datum=date(2025, 2, 10),
        spec={
            "ketenpartner": ander_partner,
            "onderwerp": "zorg.huisarts",
            "status_datum": date(2025, 3, 1),
        },
    )
    c = verwijzing(
        session, omgeving, status="verwezen", datum=date(2025, 3, 10), spec={"onderwerp": None}
    )

    def query(**params: Any) -> set[str]:
        response = client.get(URL, params=params, headers=omgeving.headers)
        assert response.status_code == 200, response.text
        return {d["id"] for d in response.json()}

    assert query() == {str(a.id), str(b.id), str(c.id)}
    assert query(status="verwezen") == {str(a.id), str(c.id)}
    assert query(ketenpartner=str(ander_partner.id)) == {str(b.id)}
    assert query(onderwerp="zorg") == {str(b.id)}
    assert query(onderwerp="geld.toeslagen") == {str(a.id)}
    assert query(contactmoment=str(c.contactmoment_id)) == {str(c.id)}
    assert query(datumVanaf="2025-02-01") == {str(b.id), str(c.id)}  # the contactmoment's date
    assert query(datumTot="2025-02-10") == {str(a.id), str(b.id)}
    assert query(statusDatumVanaf="2025-03-01", statusDatumTot="2025-03-01") == {str(b.id)}
    # By the contactmoment's date (the day of referring), oldest first: a follow-up list.
    oplopend = client.get(URL, params={"sort": "datum"}, headers=omgeving.headers).json()
    assert [v["id"] for v in oplopend][0] == str(a.id)
    response = client.get(URL, params={"pageSize": 2}, headers=omgeving.headers)
    assert response.headers["X-Total-Count"] == "3"
    assert 'rel="next"' in response.headers["Link"]
    for params, name in [
        ({"sort": "naam"}, "sort"),
        ({"status": "zoek"}, "status"),
        ({"onderwerp": "geld.loterij"}, "onderwerp"),
        ({"statusDatumVanaf": "2025-03-02", "statusDatumTot": "2025-03-01"}, "statusDatumTot"),
    ]:
        response = client.get(URL, params=params, headers=omgeving.headers)
        assert response.status_code == 400
        assert namen(response) == {name}


def test_list_excludes_deleted_contactmomenten(
    client: TestClient, session: Session, omgeving: Omgeving
) -> None:
    record = verwijzing(session, omgeving)
    contactmoment = session.get(Contactmoment, record.contactmoment_id)
    assert contactmoment is not None
    assert (
        client.delete(
            f"/v1/contactmomenten/{contactmoment.id}", headers=omgeving.headers
        ).status_code
        == 204
    )
    assert client.get(URL, headers=omgeving.headers).json() == []
    assert patch(client, omgeving, record.id, {"status": "aangekomen"}).status_code == 404
