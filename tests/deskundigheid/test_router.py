"""/v1/deskundigheidsbevordering (issue 26, part 2): one 400 with every error, tenancy, audit, filters."""

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.validation import vandaag
from tests.factories import Omgeving, make_sleutelpersoon
from tests.helpers import assert_400, assert_problem, audit_regels

DAG = (vandaag() - timedelta(days=3)).isoformat()


def _body(*deelnemers: Any, **extra: Any) -> dict[str, Any]:
    return {"soort": "intervisie", "titel": "Intervisie", "datum": DAG, "uren": 2, "aanbieder": "Pharos",
            "deelnemers": [str(d) for d in deelnemers], **extra}


def test_vastleggen_lezen_wijzigen_verwijderen(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    ander = make_sleutelpersoon(session, omgeving.organisatie)
    session.commit()
    ik = omgeving.sleutelpersoon
    antwoord = client.post("/v1/deskundigheidsbevordering", json=_body(ik.id, ander.id, ik.id), headers=omgeving.headers)
    assert antwoord.status_code == 201, antwoord.text
    record = antwoord.json()
    assert antwoord.headers["Location"].endswith(record["id"])
    assert sorted(record["deelnemers"]) == sorted([str(ik.id), str(ander.id)]) and record["uren"] == 2
    url = f"/v1/deskundigheidsbevordering/{record['id']}"
    assert client.get(url, headers=omgeving.headers).json() == record

    gewijzigd = client.patch(url, json={"deelnemers": [str(ik.id)], "uren": 1.5}, headers=omgeving.headers)
    assert gewijzigd.status_code == 200, gewijzigd.text
    assert gewijzigd.json()["deelnemers"] == [str(ik.id)] and gewijzigd.json()["uren"] == 1.5
    assert [r.actie for r in audit_regels(session, resource_type="deskundigheidsbevordering")] == ["aangemaakt", "gewijzigd"]

    assert client.delete(url, headers=omgeving.headers).status_code == 204
    assert_problem(client.get(url, headers=omgeving.headers), 404)
    assert client.get("/v1/deskundigheidsbevordering", headers=omgeving.headers).json() == []


def test_alle_fouten_tegelijk(client: TestClient, session: Session, omgeving: Omgeving, andere: Omgeving) -> None:
    morgen = (vandaag() + timedelta(days=1)).isoformat()
    antwoord = client.post("/v1/deskundigheidsbevordering", headers=omgeving.headers, json=_body(
        omgeving.sleutelpersoon.id, andere.sleutelpersoon.id, soort="kookles", uren=0.3, datum=morgen,
        titel="Bel 0612345678"))
    assert_400(antwoord, ["soort", "uren", "datum", "titel", "deelnemers[1]"])
    # The other organisation's key person reads as unknown, and the phone number is not echoed.
    assert "0612345678" not in antwoord.text
    antwoord = client.post("/v1/deskundigheidsbevordering", headers=omgeving.headers,
                           json=_body(omgeving.sleutelpersoon.id, certificaatDatum=(vandaag() - timedelta(days=5)).isoformat()))
    assert_400(antwoord, ["certificaatDatum"])


def test_een_andere_organisatie_ziet_niets(client: TestClient, omgeving: Omgeving, andere: Omgeving) -> None:
    record = client.post("/v1/deskundigheidsbevordering", json=_body(omgeving.sleutelpersoon.id), headers=omgeving.headers).json()
    url = f"/v1/deskundigheidsbevordering/{record['id']}"
    for methode, extra in (("GET", {}), ("PATCH", {"json": {"uren": 1}}), ("DELETE", {})):
        assert_problem(client.request(methode, url, headers=andere.headers, **extra), 404)
    assert client.get("/v1/deskundigheidsbevordering", headers=andere.headers).json() == []


def test_filters(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    ander = make_sleutelpersoon(session, omgeving.organisatie)
    session.commit()
    ik = omgeving.sleutelpersoon
    vroeg = (vandaag() - timedelta(days=40)).isoformat()
    a = client.post("/v1/deskundigheidsbevordering", json=_body(ik.id), headers=omgeving.headers).json()
    b = client.post("/v1/deskundigheidsbevordering", json=_body(ander.id, soort="bijscholing", datum=vroeg),
                    headers=omgeving.headers).json()

    def ids(**params: Any) -> list[str]:
        antwoord = client.get("/v1/deskundigheidsbevordering", params=params, headers=omgeving.headers)
        assert antwoord.status_code == 200, antwoord.text
        return [r["id"] for r in antwoord.json()]

    assert ids() == [a["id"], b["id"]]
    assert ids(soort="bijscholing") == [b["id"]]
    assert ids(sleutelpersoon=str(ik.id)) == [a["id"]]
    assert ids(datumTot=vroeg) == [b["id"]] and ids(datumVanaf=DAG) == [a["id"]]
    assert_400(client.get("/v1/deskundigheidsbevordering", params={"soort": "kookles", "datumVanaf": DAG, "datumTot": vroeg},
                          headers=omgeving.headers), ["soort", "datumTot"])
