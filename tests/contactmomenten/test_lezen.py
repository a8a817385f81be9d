"""GET /v1/contactmomenten and /v1/contactmomenten/{id}: tenancy, filters, sorting, paging, sync."""

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlmodel import Session

from app.models import Contactmoment
from tests.factories import Omgeving, make_contactmoment, make_ketenpartner, make_key, make_sleutelpersoon
from tests.helpers import namen

URL = "/v1/contactmomenten"


def ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [r["id"] for r in response.json()]


def maak(session: Session, omgeving: Omgeving, **overrides: Any) -> Contactmoment:
    return make_contactmoment(session, omgeving.organisatie, omgeving.sleutelpersoon, **overrides)


def test_get_one_with_children(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    record = maak(
        session,
        omgeving,
        onderwerpen=["geld.schulden", "geld.toeslagen"],
        acties=["nazorg"],
        doorverwijzingen=[{"ketenpartner": omgeving.ketenpartner, "onderwerp": "geld.schulden"}],
        uitkomst="lopend",
        inwoner_referentie="c-1",
    )
    session.commit()
    response = client.get(f"{URL}/{record.id}", headers=omgeving.headers)
    assert response.status_code == 200
    data = response.json()
    assert data["id"] == str(record.id)
    assert data["onderwerpen"] == ["geld.schulden", "geld.toeslagen"]
    assert data["acties"] == ["nazorg"]
    assert data["doorverwijzingen"][0]["onderwerp"] == "geld.schulden"
    assert data["uitkomst"]["resultaat"] == "lopend"
    assert data["heeftInwonerReferentie"] is True


def test_other_organisations_record_is_404_not_403(
    client: TestClient, session: Session, omgeving: Omgeving, andere: Omgeving
) -> None:
    theirs = maak(session, andere)
    session.commit()
    for path in (f"{URL}/{theirs.id}", f"{URL}/{uuid.uuid4()}"):
        response = client.get(path, headers=omgeving.headers)
        assert response.status_code == 404
        assert response.json()["title"] == "Niet gevonden"
    assert ids(client.get(URL, headers=omgeving.headers)) == []
    assert (
        ids(
            client.get(
                URL,
                params={"sleutelpersoon": str(andere.sleutelpersoon.id)},
                headers=omgeving.headers,
            )
        )
        == []
    )


def test_inzien_key_reads_regional_key_does_not(
    client: TestClient, session: Session, omgeving: Omgeving
) -> None:
    record = maak(session, omgeving)
    inzien = make_key(session, organisatie=omgeving.organisatie, scopes=("inzien",))
    regio = make_key(session, scopes=("rapporteren",), gemeentecodes=["GM0344"])
    session.commit()
    assert client.get(f"{URL}/{record.id}", headers=inzien).status_code == 200
    assert client.get(URL, headers=inzien).status_code == 200
    assert client.get(f"{URL}/{record.id}", headers=regio).status_code == 403
    assert client.get(URL, headers=regio).status_code == 403


def test_latest_uitkomst_is_shown(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    record = maak(session, omgeving, uitkomst="lopend", datum=date(2025, 1, 10))
    session.commit()
    response = client.post(
        "/v1/uitkomsten",
        headers=omgeving.headers,
        json={"contactmomentId": str(record.id), "resultaat": "opgelost", "datum": "2025-02-01"},
    )
    assert response.status_code == 201
    assert (
        client.get(f"{URL}/{record.id}", headers=omgeving.headers).json()["uitkomst"]["resultaat"]
        == "opgelost"
    )


def test_filters(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    org = omgeving.organisatie
    tweede = make_sleutelpersoon(session, org)
    a = maak(
        session,
        omgeving,
        datum=date(2025, 1, 5),
        onderwerpen=["geld.toeslagen"],
        kanaal="telefonisch",
        wijkcode="WK034401",
        extern_id="a",
    )
    b = maak(
        session,
        omgeving,
        datum=date(2025, 2, 5),
        onderwerpen=["geld"],
        kanaal="huisbezoek",
        extern_id="b",
    )
    c = make_contactmoment(
        session,
        org,
        tweede,
        datum=date(2025, 3, 5),
        onderwerpen=["gezondheid.mentaal"],
        soort="groep",
        aantal_deelnemers=9,
        gemeentecode="GM0363",
        extern_id="c",
    )
    session.commit()

    def query(**params: Any) -> set[str]:
        return set(ids(client.get(URL, params=params, headers=omgeving.headers)))

    assert query() == {str(a.id), str(b.id), str(c.id)}
    assert query(datumVanaf="2025-02-05") == {str(b.id), str(c.id)}
    assert query(datumTot="2025-02-05") == {str(a.id), str(b.id)}  # inclusive
    assert query(datumVanaf="2025-02-01", datumTot="2025-02-28") == {str(b.id)}
    assert query(sleutelpersoon=str(tweede.id)) == {str(c.id)}
    assert query(gemeente="GM0363") == {str(c.id)}
    assert query(wijk="WK034401") == {str(a.id)}
    assert query(onderwerp="geld") == {str(a.id), str(b.id)}  # the parent matches its children
    assert query(onderwerp="geld.toeslagen") == {str(a.id)}
    assert query(onderwerp="gezin") == set()  # `gezin` is no parent of `gezondheid.mentaal`
    assert query(onderwerp="gezondheid") == {str(c.id)}
    assert query(kanaal="huisbezoek") == {str(b.id)}
    assert query(soort="groep") == {str(c.id)}
    assert query(externId="b") == {str(b.id)}


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"gemeente": "0344"}, "gemeente"),
        ({"wijk": "WK1"}, "wijk"),
        ({"datumVanaf": "5-1-2025"}, "datumVanaf"),
        ({"sleutelpersoon": "jan"}, "sleutelpersoon"),
        ({"sort": "naam"}, "sort"),
        ({"gewijzigdSinds": "2025-03-14T10:00:00"}, "gewijzigdSinds"),
        ({"pageSize": "1000"}, "pageSize"),
        ({"onderwerp": "geld.loterij"}, "onderwerp"),
        ({"kanaal": "fax"}, "kanaal"),
        ({"soort": "familie"}, "soort"),
        ({"datumVanaf": "2025-03-01", "datumTot": "2025-02-01"}, "datumTot"),
    ],
)
def test_invalid_query_parameters_are_400(
    client: TestClient, omgeving: Omgeving, params: dict[str, str], name: str
) -> None:
    response = client.get(URL, params=params, headers=omgeving.headers)
    assert response.status_code == 400
    assert response.json()["title"] == "Ongeldige invoer"
    assert namen(response) == {name}


def test_sorting(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    base = datetime(2025, 4, 1, tzinfo=UTC)
    oud = maak(
        session,
        omgeving,
        datum=date(2025, 1, 1),
        aangemaakt_op=base + timedelta(hours=2),
        gewijzigd_op=base + timedelta(hours=5),
    )
    midden = maak(
        session,
        omgeving,
        datum=date(2025, 2, 1),
        aangemaakt_op=base + timedelta(hours=3),
        gewijzigd_op=base + timedelta(hours=4),
    )
    nieuw = maak(
        session,
        omgeving,
        datum=date(2025, 3, 1),
        aangemaakt_op=base + timedelta(hours=1),
        gewijzigd_op=base + timedelta(hours=6),
    )
    session.commit()

    def order(sort: str | None) -> list[str]:
        params = {"sort": sort} if sort else {}
        return ids(client.get(URL, params=params, headers=omgeving.headers))

    assert order(None) == [str(nieuw.id), str(midden.id), str(oud.id)]  # default -datum
    assert order("datum") == [str(oud.id), str(midden.id), str(nieuw.id)]
    assert order("aangemaaktOp") == [str(nieuw.id), str(oud.id), str(midden.id)]
    assert order("-gewijzigdOp") == [str(nieuw.id), str(oud.id), str(midden.id)]


def test_equal_sort_keys_are_ordered_by_id(
    client: TestClient, session: Session, omgeving: Omgeving
) -> None:
    records = [maak(session, omgeving, datum=date(2025, 1, 1)) for _ in range(5)]
    session.commit()
    expected = sorted(str(r.id) for r in records)
    pages = [
        ids(client.get(URL, params={"pageSize": 2, "page": p}, headers=omgeving.headers))
        for p in (1, 2, 3)
    ]
    assert [i for page in pages for i in page] == sorted(expected, key=lambda i: uuid.UUID(i))


def test_pagination_link_header(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    for day in range(1, 6):
        maak(session, omgeving, datum=date(2025, 1, day))
    session.commit()
    response = client.get(
        URL, params={"pageSize": 2, "page": 2, "kanaal": "persoonlijk"}, headers=omgeving.headers
    )
    assert response.status_code == 200
    assert len(response.json()) == 2
    assert response.headers["X-Total-Count"] == "5"
    links = {
        part.split('rel="')[1].rstrip('"'): part.split(">")[0].lstrip("<")
        for part in response.headers["Link"].split(", ")
    }
    assert set(links) == {"first", "prev", "next", "last"}
    assert links["first"] == "/v1/contactmomenten?kanaal=persoonlijk&page=1&pageSize=2"
    assert links["prev"].endswith("page=1&pageSize=2")
    assert links["next"].endswith("page=3&pageSize=2")
    assert links["last"].endswith("page=3&pageSize=2")

    last = client.get(URL, params={"pageSize": 2, "page": 3}, headers=omgeving.headers)
    assert len(last.json()) == 1
    assert 'rel="next"' not in last.headers["Link"]


def test_gewijzigd_sinds_for_incremental_sync(
    client: TestClient, session: Session, omgeving: Omgeving
) -> None:
    t = datetime(2025, 5, 1, 12, 0, tzinfo=UTC)
    voor = maak(session, omgeving, gewijzigd_op=t - timedelta(seconds=1))
    precies = maak(session, omgeving, gewijzigd_op=t)
    na = maak(session, omgeving, gewijzigd_op=t + timedelta(days=1))
    session.commit()
    got = ids(
        client.get(
            URL,
            params={"gewijzigdSinds": "2025-05-01T12:00:00Z", "sort": "gewijzigdOp"},
            headers=omgeving.headers,
        )
    )
    assert got == [str(precies.id), str(na.id)]
    assert str(voor.id) not in got
    # Another offset means the same instant.
    got = ids(
        client.get(
            URL, params={"gewijzigdSinds": "2025-05-01T14:00:00+02:00"}, headers=omgeving.headers
        )
    )
    assert set(got) == {str(precies.id), str(na.id)}


def test_a_status_change_marks_the_contactmoment_changed(
    client: TestClient, session: Session, omgeving: Omgeving
) -> None:
    oud = datetime(2025, 5, 1, tzinfo=UTC)
    record = maak(
        session,
        omgeving,
        doorverwijzingen=[{"ketenpartner": omgeving.ketenpartner}],
        gewijzigd_op=oud,
    )
    session.commit()
    verwijzing_id = client.get(f"{URL}/{record.id}", headers=omgeving.headers).json()[
        "doorverwijzingen"
    ][0]["id"]
    assert (
        client.patch(
            f"/v1/doorverwijzingen/{verwijzing_id}",
            json={"status": "aangekomen"},
            headers=omgeving.headers,
        ).status_code
        == 200
    )
    assert ids(
        client.get(URL, params={"gewijzigdSinds": "2025-06-01T00:00:00Z"}, headers=omgeving.headers)
    ) == [str(record.id)]


def test_children_are_loaded_per_table_not_per_record(
    client: TestClient, session: Session, omgeving: Omgeving
) -> None:
    partner = make_ketenpartner(session, omgeving.organisatie)
    for day in range(1, 11):
        maak(
            session,
            omgeving,
            datum=date(2025, 1, day),
            acties=["nazorg"],
            uitkomst="opgelost",
            onderwerpen=["geld.toeslagen", "geld.schulden"],
            doorverwijzingen=[{"ketenpartner": partner, "onderwerp": "geld.schulden"}],
        )
    session.commit()
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    engine = session.get_bind()
    client.get(
        URL, headers=omgeving.headers
    )  # warm-up: the key's lastUsed write happens once a minute
    event.listen(engine, "before_cursor_execute", count)
    try:
        small = client.get(URL, params={"pageSize": 2}, headers=omgeving.headers)
        n_small = len(statements)
        statements.clear()
        large = client.get(URL, params={"pageSize": 10}, headers=omgeving.headers)
        n_large = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(small.json()) == 2 and len(large.json()) == 10
    assert all(len(r["doorverwijzingen"]) == 1 and r["uitkomst"] for r in large.json())
    assert n_large == n_small
