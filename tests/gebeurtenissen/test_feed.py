"""The event feed (issue 28): written in the transaction of the change, thin, ordered, tenancy-scoped,
deletions as tombstones, resumable from a cursor, 410 past retention, and never skipping a late commit."""

import json
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, text
from sqlmodel import Session

from app.gebeurtenissen import service as gebeurtenissen
from app.models import Gebeurtenis, utcnow
from app.toegang.caller import Binding, Caller, Scope
from tests.conftest import BACKEND, DatabaseFactory
from tests.factories import Omgeving, body, make_key, make_organisatie, make_sleutelpersoon
from tests.signalen.factories import signaal_body


def feed(client: TestClient, headers: dict[str, str], **params: Any) -> dict[str, Any]:
    response = client.get("/v1/gebeurtenissen", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def soorten(pagina: dict[str, Any]) -> list[str]:
    return [g["soort"] for g in pagina["gebeurtenissen"]]


def test_create_update_delete_appear_in_order_with_a_tombstone(client: TestClient, omgeving: Omgeving) -> None:
    h = omgeving.headers
    gemaakt = client.post("/v1/contactmomenten", json=body(omgeving), headers=h)
    assert gemaakt.status_code == 201, gemaakt.text
    cm = gemaakt.json()
    assert client.patch(f"/v1/contactmomenten/{cm['id']}", json={"duurMinuten": 50}, headers=h).status_code == 200
    assert client.delete(f"/v1/contactmomenten/{cm['id']}", headers=h).status_code == 204

    pagina = feed(client, h)
    assert soorten(pagina) == ["contactmoment.aangemaakt", "contactmoment.gewijzigd", "contactmoment.verwijderd"]
    nummers = [g["volgnummer"] for g in pagina["gebeurtenissen"]]
    assert nummers == sorted(nummers) and len(set(nummers)) == 3
    tombstone = pagina["gebeurtenissen"][-1]
    assert tombstone["resourceId"] == cm["id"] and tombstone["externId"] == cm["externId"]
    assert tombstone["href"] == f"/v1/contactmomenten/{cm['id']}"
    assert client.get(tombstone["href"], headers=h).status_code == 404
    # Thin: nothing of the record's content travels with the event.
    for gebeurtenis in pagina["gebeurtenissen"]:
        assert set(gebeurtenis) == {"volgnummer", "soort", "resourceType", "resourceId", "externId", "organisatieId",
                                    "tijdstip", "href", "gegevens"}
        assert gebeurtenis["gegevens"] is None
    assert "onderwerpen" not in json.dumps(pagina) and "geld.toeslagen" not in json.dumps(pagina)


def test_resumes_from_the_cursor_and_pages_by_limit(client: TestClient, omgeving: Omgeving) -> None:
    h = omgeving.headers
    for i in range(5):
        assert client.post("/v1/contactmomenten", json=body(omgeving, externId=f"feed-{i}"), headers=h).status_code == 201
    eerste = feed(client, h, limit=2)
    assert len(eerste["gebeurtenissen"]) == 2 and eerste["meer"] is True
    tweede = client.get(eerste["volgende"], headers=h).json()
    derde = feed(client, h, na=tweede["cursor"], limit=2)
    gelezen = [g["externId"] for p in (eerste, tweede, derde) for g in p["gebeurtenissen"]]
    assert gelezen == [f"feed-{i}" for i in range(5)]
    # Nothing new: an empty page keeps the cursor, and a later change appears after it.
    leeg = feed(client, h, na=derde["cursor"])
    assert leeg["gebeurtenissen"] == [] and leeg["meer"] is False
    assert client.post("/v1/contactmomenten", json=body(omgeving, externId="feed-later"), headers=h).status_code == 201
    assert [g["externId"] for g in feed(client, h, na=leeg["cursor"])["gebeurtenissen"]] == ["feed-later"]


def test_filter_on_kind_and_doorverwijzing_status(client: TestClient, omgeving: Omgeving) -> None:
    h = omgeving.headers
    verwijzing = {"ketenpartnerId": str(omgeving.ketenpartner.id), "onderwerp": "geld.toeslagen", "wijze": "warm",
                  "status": "verwezen"}
    cm = client.post("/v1/contactmomenten", json=body(omgeving, doorverwijzingen=[verwijzing]), headers=h).json()
    verwijzing_id = cm["doorverwijzingen"][0]["id"]
    antwoord = client.patch(f"/v1/doorverwijzingen/{verwijzing_id}", json={"status": "aangekomen"}, headers=h)
    assert antwoord.status_code == 200, antwoord.text
    pagina = feed(client, h, soort="doorverwijzing.status-gewijzigd")
    assert soorten(pagina) == ["doorverwijzing.status-gewijzigd"]
    assert pagina["gebeurtenissen"][0]["gegevens"] == {"status": "aangekomen"}
    assert pagina["gebeurtenissen"][0]["href"] == f"/v1/doorverwijzingen/{verwijzing_id}"
    assert "soort=doorverwijzing.status-gewijzigd" in pagina["volgende"]
    fout = client.get("/v1/gebeurtenissen", params={"soort": "contactmoment.bestaat-niet"}, headers=h)
    assert fout.status_code == 400


def test_another_organisation_sees_nothing_and_a_region_no_registrations(
    client: TestClient, session: Session, omgeving: Omgeving, andere: Omgeving
) -> None:
    assert client.post("/v1/contactmomenten", json=body(omgeving), headers=omgeving.headers).status_code == 201
    signaal = client.post("/v1/signalen", json=signaal_body(sleutelpersoonId=str(omgeving.sleutelpersoon.id)),
                          headers=omgeving.headers).json()
    regio = make_key(session, gemeentecodes=["GM0344"], scopes=("signalen",))
    andere_regio = make_key(session, gemeentecodes=["GM0599"], scopes=("signalen",))
    assert client.patch(f"/v1/ontvangen-signalen/{signaal['id']}", json={"status": "ontvangen"},
                        headers=regio).status_code == 200

    assert feed(client, andere.headers)["gebeurtenissen"] == []
    assert soorten(feed(client, omgeving.headers)) == [
        "contactmoment.aangemaakt", "signaal.aangemaakt", "signaal.status-gewijzigd"]
    regionaal = feed(client, regio)
    assert soorten(regionaal) == ["signaal.aangemaakt", "signaal.status-gewijzigd"]
    assert all(g["href"] == f"/v1/ontvangen-signalen/{signaal['id']}" for g in regionaal["gebeurtenissen"])
    assert all(g["externId"] is None for g in regionaal["gebeurtenissen"])
    assert feed(client, andere_regio)["gebeurtenissen"] == []
    # A key without the scope (administration) may not read the feed at all.
    beheer = make_key(session, beheer=True, scopes=("beheren",))
    assert client.get("/v1/gebeurtenissen", headers=beheer).status_code == 403


def test_the_event_is_rolled_back_with_a_failed_write(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    voor = session.exec(select(func.count()).select_from(Gebeurtenis)).one()  # type: ignore[call-overload]
    # Invalid input: the write fails, and so does its event.
    assert client.post("/v1/contactmomenten", json=body(omgeving, kanaal="postduif"), headers=omgeving.headers).status_code == 400
    # A write that fails after the event was written (the same transaction): nothing stays.
    session.commit()
    with pytest.raises(RuntimeError), session.begin_nested():
        gebeurtenissen.leg_vast(session, "sleutelpersoon.aangemaakt", omgeving.sleutelpersoon)
        raise RuntimeError("de schrijfactie mislukt na het vastleggen")
    assert session.exec(select(func.count()).select_from(Gebeurtenis)).one() == voor  # type: ignore[call-overload]


def test_an_import_gives_one_event_with_its_counts(client: TestClient, omgeving: Omgeving) -> None:
    regels = ["datum;sleutelpersoon;kanaal;soort;onderwerpen;gemeentecode"]
    naam = omgeving.sleutelpersoon.weergavenaam
    regels += [f"2025-03-{d:02d};{naam};telefonisch;individueel;geld.toeslagen;GM0344" for d in range(1, 6)]
    antwoord = client.post("/v1/imports", files={"bestand": ("log.csv", "\n".join(regels).encode(), "text/csv")},
                           headers=omgeving.headers)
    assert antwoord.status_code in (200, 201), antwoord.text
    pagina = feed(client, omgeving.headers)
    assert soorten(pagina) == ["import.voltooid"]
    gegevens = pagina["gebeurtenissen"][0]["gegevens"]
    assert gegevens["aangemaakt"] == 5 and gegevens["status"] == "geslaagd", gegevens


def test_a_cursor_older_than_retention_is_410(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    h = omgeving.headers
    for i in range(3):
        assert client.post("/v1/contactmomenten", json=body(omgeving, externId=f"oud-{i}"), headers=h).status_code == 201
    eerste = feed(client, h, limit=1)
    # Make the events old, and let retention remove them.
    session.execute(text("UPDATE gebeurtenis SET tijdstip = :t"), {"t": (utcnow() - timedelta(days=40)).replace(tzinfo=None)
                                                                   if BACKEND == "sqlite" else utcnow() - timedelta(days=40)})
    assert gebeurtenissen.ruim_op_in(session, utcnow() - timedelta(days=30)) == 3
    session.commit()
    verlopen = client.get("/v1/gebeurtenissen", params={"na": eerste["cursor"]}, headers=h)
    assert verlopen.status_code == 410, verlopen.text
    assert verlopen.json()["code"] == "cursor-verlopen"
    assert verlopen.headers["content-type"] == "application/problem+json"
    # Without a cursor the feed starts at the oldest event kept, and a garbage cursor is a 400.
    assert feed(client, h)["gebeurtenissen"] == []
    assert client.get("/v1/gebeurtenissen", params={"na": "bestaat-niet"}, headers=h).status_code == 400


@pytest.mark.skipif(BACKEND != "postgresql", reason="SQLite serialises writers: commit order is insert order")
def test_a_late_commit_is_not_skipped(databases: DatabaseFactory) -> None:
    """Two transactions: the first takes the lower id but commits last. Paging by id would skip it."""
    engine: Engine = databases.new_engine()
    try:
        with Session(engine, expire_on_commit=False) as opzet:
            organisatie = make_organisatie(opzet)
            persoon = make_sleutelpersoon(opzet, organisatie)
            opzet.commit()
        traag, snel = Session(engine), Session(engine)
        gebeurtenissen.leg_vast(traag, "sleutelpersoon.gewijzigd", resource_id=persoon.id, organisatie_id=organisatie.id)
        gebeurtenissen.leg_vast(snel, "sleutelpersoon.aangemaakt", resource_id=persoon.id, organisatie_id=organisatie.id)
        snel.commit()
        lezer = Caller(sleutel_id=None, scopes=frozenset({Scope.gebeurtenissen}), binding=Binding.organisatie,
                       organisatie_id=organisatie.id)
        gebeurtenissen.nummer(engine)
        with Session(engine) as lees:
            eerste = gebeurtenissen.lees(lees, caller=lezer, na=None, soorten=[], limit=100)
        assert [g["soort"] for g in eerste.gebeurtenissen] == ["sleutelpersoon.aangemaakt"]
        traag.commit()  # the lower id commits after the reader passed the higher one
        gebeurtenissen.nummer(engine)
        with Session(engine) as lees:
            verder = gebeurtenissen.lees(lees, caller=lezer, na=gebeurtenissen.cursor(eerste.positie), soorten=[], limit=100)
        assert [g["soort"] for g in verder.gebeurtenissen] == ["sleutelpersoon.gewijzigd"]
        with Session(engine) as s:
            volgorde = s.execute(select(Gebeurtenis.id, Gebeurtenis.volgnummer).order_by(Gebeurtenis.volgnummer)).all()
        # The late row has the lower id but the higher number: paging by id would have skipped it.
        assert volgorde[0][0] > volgorde[1][0]
        traag.close()
        snel.close()
    finally:
        engine.dispose()


def test_a_ketenpartner_change_is_an_event(client: TestClient, omgeving: Omgeving) -> None:
    h = omgeving.headers
    gemaakt = client.post("/v1/ketenpartners", json={"naam": "Schuldhulp Zuid", "categorie": "schuldhulpverlening",
                                                      "gemeentecode": "GM0344"}, headers=h)
    assert gemaakt.status_code == 201, gemaakt.text
    assert client.delete(f"/v1/ketenpartners/{gemaakt.json()['id']}", headers=h).status_code == 204
    pagina = feed(client, h, soort=["ketenpartner.aangemaakt", "ketenpartner.gewijzigd"])
    assert soorten(pagina) == ["ketenpartner.aangemaakt", "ketenpartner.gewijzigd"]
    assert pagina["gebeurtenissen"][0]["href"] == f"/v1/ketenpartners/{gemaakt.json()['id']}"
