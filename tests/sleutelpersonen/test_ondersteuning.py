"""Under a key person (issue 26, parts 3-4): the development plan, conversations and employment history."""

import uuid
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.core.validation import vandaag
from app.models import Dienstverband
from tests.apparaten.helpers import als_apparaat, apparaat_cookie
from tests.factories import Omgeving, make_sleutelpersoon
from tests.helpers import assert_400, assert_problem, audit_regels

GISTER = (vandaag() - timedelta(days=1)).isoformat()


def _pad(omgeving: Omgeving, deel: str, persoon: Any = None) -> str:
    return f"/v1/sleutelpersonen/{(persoon or omgeving.sleutelpersoon).id}/{deel}"


def test_ontwikkelplan(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    url = _pad(omgeving, "ontwikkelplan")
    antwoord = client.post(url, json={"omschrijving": "Zelf een voorlichting geven", "datum": GISTER}, headers=omgeving.headers)
    assert antwoord.status_code == 201, antwoord.text
    doel = antwoord.json()
    assert doel["status"] == "open"
    gewijzigd = client.patch(f"{url}/{doel['id']}", json={"status": "behaald"}, headers=omgeving.headers)
    assert gewijzigd.status_code == 200 and gewijzigd.json()["status"] == "behaald"
    assert [d["id"] for d in client.get(url, headers=omgeving.headers).json()] == [doel["id"]]
    assert [r.actie for r in audit_regels(session, resource_type="ontwikkeldoel")] == ["aangemaakt", "gewijzigd"]
    # Free text goes through the privacy guard; every error at once.
    fout = client.post(url, json={"omschrijving": "Mail naar amina@example.org", "datum": "2999-01-01", "status": "klaar",
                                  "streefdatum": "2020-01-01"}, headers=omgeving.headers)
    assert_400(fout, ["omschrijving", "datum", "status"])
    assert "amina@example.org" not in fout.text
    assert_400(client.post(url, json={"omschrijving": "Doel", "datum": GISTER, "streefdatum": "2020-01-01"},
                           headers=omgeving.headers), ["streefdatum"])
    assert client.delete(f"{url}/{doel['id']}", headers=omgeving.headers).status_code == 204
    assert_problem(client.get(f"{url}/{doel['id']}", headers=omgeving.headers), 404)


def test_gesprekken(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    url = _pad(omgeving, "gesprekken")
    antwoord = client.post(url, json={"datum": GISTER, "soort": "voortgang", "afspraken": "Meelopen met de voorlichting"},
                           headers=omgeving.headers)
    assert antwoord.status_code == 201, antwoord.text
    gesprek = antwoord.json()
    assert client.get(f"{url}/{gesprek['id']}", headers=omgeving.headers).json() == gesprek
    assert_400(client.post(url, json={"datum": GISTER, "soort": "koffie", "afspraken": "Bel 06-12345678"},
                           headers=omgeving.headers), ["soort", "afspraken"])
    assert client.patch(f"{url}/{gesprek['id']}", json={"soort": "functionering"}, headers=omgeving.headers).json()["soort"] == "functionering"


def test_een_ander_ziet_niets(client: TestClient, session: Session, omgeving: Omgeving, andere: Omgeving) -> None:
    collega = make_sleutelpersoon(session, omgeving.organisatie)
    session.commit()
    doel = client.post(_pad(omgeving, "ontwikkelplan"), json={"omschrijving": "Doel", "datum": GISTER}, headers=omgeving.headers).json()
    gesprek = client.post(_pad(omgeving, "gesprekken"), json={"datum": GISTER, "soort": "voortgang"}, headers=omgeving.headers).json()
    for deel in ("ontwikkelplan", "gesprekken", "dienstverbanden"):
        assert_problem(client.get(_pad(omgeving, deel), headers=andere.headers), 404)
    # Another organisation's key, and a record under the wrong key person, are 404.
    assert_problem(client.get(_pad(omgeving, f"ontwikkelplan/{doel['id']}"), headers=andere.headers), 404)
    assert_problem(client.get(_pad(omgeving, f"ontwikkelplan/{doel['id']}", collega), headers=omgeving.headers), 404)
    assert_problem(client.get(_pad(omgeving, f"gesprekken/{gesprek['id']}", collega), headers=omgeving.headers), 404)


def test_de_app_leest_het_eigen_plan_en_verder_niets(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    collega = make_sleutelpersoon(session, omgeving.organisatie)
    telefoon = als_apparaat(apparaat_cookie(session, omgeving.sleutelpersoon.id))
    session.commit()
    eigen = client.post(_pad(omgeving, "ontwikkelplan"), json={"omschrijving": "Doel", "datum": GISTER}, headers=omgeving.headers).json()
    client.post(_pad(omgeving, "ontwikkelplan", collega), json={"omschrijving": "Ander doel", "datum": GISTER}, headers=omgeving.headers)
    assert [d["id"] for d in client.get(_pad(omgeving, "ontwikkelplan"), headers=telefoon).json()] == [eigen["id"]]
    assert client.get(_pad(omgeving, f"ontwikkelplan/{eigen['id']}"), headers=telefoon).status_code == 200
    assert_problem(client.get(_pad(omgeving, "ontwikkelplan", collega), headers=telefoon), 404)
    # Read-only, and no conversations or employment.
    assert_problem(client.post(_pad(omgeving, "ontwikkelplan"), json={"omschrijving": "Doel", "datum": GISTER}, headers=telefoon), 403)
    assert_problem(client.patch(_pad(omgeving, f"ontwikkelplan/{eigen['id']}"), json={"status": "behaald"}, headers=telefoon), 403)
    assert_problem(client.get(_pad(omgeving, "gesprekken"), headers=telefoon), 403)
    assert_problem(client.get(_pad(omgeving, "dienstverbanden"), headers=telefoon), 403)


def _perioden(client: TestClient, omgeving: Omgeving) -> list[tuple[str, str, str | None, str | None]]:
    return [(p["soort"], p["vanaf"], p["tot"], p["uitstroomReden"])
            for p in client.get(_pad(omgeving, "dienstverbanden"), headers=omgeving.headers).json()]


def test_dienstverband_als_historie(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    url = _pad(omgeving, "dienstverbanden")
    start = vandaag() - timedelta(days=400)
    overstap = vandaag() - timedelta(days=30)
    # The factory's key person was written directly; its history starts here.
    eerste = client.post(url, json={"soort": "vrijwilliger", "vanaf": start.isoformat()}, headers=omgeving.headers)
    assert eerste.status_code == 201, eerste.text
    tweede = client.post(url, json={"soort": "parttime", "vanaf": overstap.isoformat()}, headers=omgeving.headers)
    assert tweede.status_code == 201, tweede.text
    # The open period closed the day before the change; the old field shows the current one.
    assert _perioden(client, omgeving) == [
        ("vrijwilliger", start.isoformat(), (overstap - timedelta(days=1)).isoformat(), None),
        ("parttime", overstap.isoformat(), None, None),
    ]
    persoon_url = f"/v1/sleutelpersonen/{omgeving.sleutelpersoon.id}"
    assert client.get(persoon_url, headers=omgeving.headers).json()["dienstverband"] == "parttime"
    # Overlap, a reason without an end, an end before the start, an unknown kind: one 400.
    assert_400(client.post(url, json={"soort": "kok", "vanaf": (start - timedelta(days=1)).isoformat(),
                                      "uitstroomReden": "verhuisd"}, headers=omgeving.headers), ["soort", "uitstroomReden"])
    assert_400(client.post(url, json={"soort": "zzp", "vanaf": (start + timedelta(days=5)).isoformat(),
                                      "tot": (start + timedelta(days=6)).isoformat()}, headers=omgeving.headers), ["vanaf"])
    # Leaving for paid work: close the open period with a reason; the key person has no current kind.
    periode_id = tweede.json()["id"]
    gesloten = client.patch(f"{url}/{periode_id}", json={"tot": GISTER, "uitstroomReden": "betaald-werk"}, headers=omgeving.headers)
    assert gesloten.status_code == 200, gesloten.text
    assert client.get(persoon_url, headers=omgeving.headers).json()["dienstverband"] is None
    assert_400(client.patch(f"{url}/{periode_id}", json={"tot": "2999-01-01"}, headers=omgeving.headers), ["tot"])
    # A reason belongs to the last period only.
    eerste_id = eerste.json()["id"]
    assert_400(client.patch(f"{url}/{eerste_id}", json={"uitstroomReden": "verhuisd"}, headers=omgeving.headers), ["uitstroomReden"])
    assert {r.actie for r in audit_regels(session, resource_type="dienstverband")} == {"aangemaakt", "gewijzigd"}


def test_het_oude_veld_schrijft_de_historie(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    nieuw = client.post("/v1/sleutelpersonen", json={"weergavenaam": "Samira", "dienstverband": "vrijwilliger",
                                                     "actiefVanaf": "2025-02-01"}, headers=omgeving.headers)
    assert nieuw.status_code == 201, nieuw.text
    persoon_id = nieuw.json()["id"]
    url = f"/v1/sleutelpersonen/{persoon_id}/dienstverbanden"
    assert [(p["soort"], p["vanaf"], p["tot"]) for p in client.get(url, headers=omgeving.headers).json()] == [
        ("vrijwilliger", "2025-02-01", None)]
    gewijzigd = client.patch(f"/v1/sleutelpersonen/{persoon_id}", json={"dienstverband": "oproepkracht"}, headers=omgeving.headers)
    assert gewijzigd.status_code == 200 and gewijzigd.json()["dienstverband"] == "oproepkracht"
    assert [(p["soort"], p["vanaf"], p["tot"]) for p in client.get(url, headers=omgeving.headers).json()] == [
        ("vrijwilliger", "2025-02-01", GISTER), ("oproepkracht", vandaag().isoformat(), None)]
    rijen = session.exec(select(Dienstverband).where(Dienstverband.sleutelpersoon_id == uuid.UUID(persoon_id))).all()
    assert len(rijen) == 2
