"""Indicator inzet-uren: exact for the organisation, and through the same protection as every regional figure."""

import random
import uuid
from collections import defaultdict
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, insert
from sqlmodel import Session, select

from app.models import Inzet, LeesAudit
from app.models.base import utcnow
from tests.factories import make_key, make_organisatie, make_sleutelpersoon
from tests.helpers import assert_problem

JAAR = 2025
URL = "/v1/indicatoren/inzet-uren/waarden"


@pytest.fixture
def data(session: Session) -> dict[str, Any]:
    """Hours of seven key persons in 2025 (and some that must not count), seeded."""
    rng = random.Random(23)
    organisatie = make_organisatie(session, gemeentecodes=["GM0344", "GM0307"])
    personen = [make_sleutelpersoon(session, organisatie, gemeentecode="GM0344" if i < 5 else "GM0307") for i in range(7)]
    rijen: list[dict[str, Any]] = []

    def rij(persoon: Any, soort: str, minuten: int, **extra: Any) -> None:
        rijen.append({
            "id": uuid.uuid4(), "organisatie_id": organisatie.id, "sleutelpersoon_id": persoon.id,
            "datum": date(JAAR, rng.randint(1, 12), rng.randint(1, 28)), "minuten": minuten, "soort": soort,
            "gemeentecode": persoon.gemeentecode, "inhoud_hash": uuid.uuid4().hex, "verwijderd_op": None, **extra,
        })

    for persoon in personen:  # contacten and overleg: everyone, many records
        for _ in range(12):
            rij(persoon, rng.choice(("contacten", "overleg")), 15 * rng.randint(1, 24))
    for _ in range(10):  # reizen: one key person only, however many records
        rij(personen[0], "reizen", 15 * rng.randint(1, 8))
    for persoon in personen[:3]:  # training: three key persons, but only three records
        rij(persoon, "training", 240)
    rij(personen[1], "overig", 600, gemeentecode=None)  # counts for the organisation, not for a region
    rij(personen[2], "contacten", 480, verwijderd_op=utcnow())  # deleted: counts nowhere
    rij(personen[3], "contacten", 480, datum=date(JAAR - 1, 6, 1))  # another year
    session.execute(insert(Inzet.__table__), rijen)
    session.commit()
    levend = [r for r in rijen if r["verwijderd_op"] is None and r["datum"].year == JAAR]
    return {"organisatie": organisatie, "personen": personen, "rijen": levend}


def _oracle(rijen: list[dict[str, Any]], *sleutels: str) -> dict[tuple[Any, ...], float]:
    uit: dict[tuple[Any, ...], int] = defaultdict(int)
    for r in rijen:
        uit[tuple(str(r[s]) if s == "sleutelpersoon_id" else r[s] for s in sleutels)] += r["minuten"]
    return {k: round(v / 60, 1) for k, v in uit.items()}


def _per(response: Any, *dims: str) -> dict[tuple[Any, ...], Any]:
    assert response.status_code == 200, response.text
    return {tuple(r[d]["code"] for d in dims): r["waarde"] for r in response.json()["rijen"]}


def test_the_organisation_sees_its_hours_exactly(client: TestClient, session: Session, data: dict[str, Any]) -> None:
    headers = make_key(session, organisatie=data["organisatie"], scopes=("rapporteren",))
    session.commit()
    totaal = _per(client.get(URL, params={"periode": JAAR}, headers=headers))
    assert totaal == {(): _oracle(data["rijen"])[()]}
    per_soort = client.get(URL, params={"periode": JAAR, "groeperenOp": "soort"}, headers=headers)
    assert _per(per_soort, "soort") == _oracle(data["rijen"], "soort")
    # Labels from the code list inzet-soort, not from the contact's soort.
    labels = {r["soort"]["code"]: r["soort"]["label"] for r in per_soort.json()["rijen"]}
    assert labels["reizen"] == "Reizen" and labels["training"] == "Training en intervisie"
    per_persoon = client.get(URL, params={"periode": JAAR, "groeperenOp": "sleutelpersoon,gemeente"}, headers=headers)
    assert _per(per_persoon, "sleutelpersoon", "gemeente") == _oracle(data["rijen"], "sleutelpersoon_id", "gemeentecode")
    gefilterd = client.get(URL, params={"periode": JAAR, "soort": "overleg", "gemeente": "GM0307"}, headers=headers)
    verwacht = _oracle([r for r in data["rijen"] if r["soort"] == "overleg" and r["gemeentecode"] == "GM0307"])
    assert _per(gefilterd) == verwacht
    assert_problem(client.get(URL, params={"periode": JAAR, "groeperenOp": "onderwerp"}, headers=headers), 400)


def test_a_regional_read_of_hours_goes_through_the_protection(client: TestClient, session: Session, data: dict[str, Any]) -> None:
    regio = make_key(session, gemeentecodes=["GM0344", "GM0307"], scopes=("rapporteren",))
    session.commit()
    voor = session.exec(select(func.count()).select_from(LeesAudit)).one()
    response = client.get(URL, params={"periode": JAAR, "groeperenOp": "soort"}, headers=regio)
    per_soort = _per(response, "soort")
    # The table is the whole code list, whatever the data holds.
    assert set(per_soort) == {(s,) for s in ("contacten", "groepsactiviteit", "overleg", "training", "reizen", "overig")}
    regionaal = [r for r in data["rijen"] if r["gemeentecode"] is not None]
    echt = _oracle(regionaal, "soort")
    for soort in ("contacten", "overleg"):
        waarde = per_soort[(soort,)]
        # Published in whole hours, within three hours of the truth (rounding plus the ptable's noise).
        assert waarde is not None and waarde == int(waarde) and abs(waarde - echt[(soort,)]) <= 3, (soort, waarde, echt)
    assert per_soort[("reizen",)] is None  # the work of one key person: the contributor rule
    assert per_soort[("training",)] is None  # three records, fewer than the minimum for a sum
    assert per_soort[("overig",)] is None  # only hours without a gemeente: outside every region
    assert all(r["onderdrukt"] == (r["waarde"] is None) for r in response.json()["rijen"])
    assert session.exec(select(func.count()).select_from(LeesAudit)).one() == voor + 1

    # The same question gives the same answer; hours per key person are never regional.
    assert _per(client.get(URL, params={"periode": JAAR, "groeperenOp": "soort"}, headers=regio), "soort") == per_soort
    assert_problem(client.get(URL, params={"periode": JAAR, "groeperenOp": "sleutelpersoon"}, headers=regio), 403)
    assert_problem(client.get(URL, params={"periode": JAAR, "interval": "dag"}, headers=regio), 400)
    # Another region sees nothing of these hours, and no exact zero either.
    elders = make_key(session, gemeentecodes=["GM0363"], scopes=("rapporteren",))
    session.commit()
    assert _per(client.get(URL, params={"periode": JAAR}, headers=elders)) == {(): None}


def test_the_catalogue_lists_the_indicator(client: TestClient, session: Session, data: dict[str, Any]) -> None:
    headers = make_key(session, organisatie=data["organisatie"], scopes=("rapporteren",))
    session.commit()
    indicator = client.get("/v1/indicatoren/inzet-uren", headers=headers).json()
    assert (indicator["eenheid"], indicator["dimensies"]) == (
        "uren", ["organisatie", "gemeente", "sleutelpersoon", "soort", "project", "regeling"])
