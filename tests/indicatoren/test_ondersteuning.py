"""Indicators of issue 26 (trainingsuren, deelname-intervisie, percentage-met-ontwikkelplan, doorstroom):
each equals a query written by hand, on both databases; regional and national keys are refused (403)."""

import random
import uuid
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session, select

from app.core.errors import GeenToegang
from app.core.periods import jaar
from app.indicatoren.catalogue import INDICATOREN
from app.indicatoren.service import Verzoek, bereken
from app.models import LeesAudit
from app.models.base import utcnow
from app.toegang.caller import Binding, Caller, Scope
from tests.factories import (
    make_contactmoment,
    make_deskundigheid,
    make_dienstverband,
    make_key,
    make_ontwikkeldoel,
    make_organisatie,
    make_sleutelpersoon,
)
from tests.helpers import assert_problem
from tests.toegang.helpers import key_of

JAAR = 2025
MAANDEN = [(date(JAAR, m, 1), date(JAAR, m + 1, 1) if m < 12 else date(JAAR + 1, 1, 1)) for m in range(1, 13)]


def _dag(rng: random.Random) -> date:
    return date(JAAR, rng.randint(1, 12), rng.randint(1, 28))


@pytest.fixture
def data(session: Session) -> dict[str, Any]:
    """Twelve key persons with contacts, employment periods, trainings and plans in 2025, seeded;
    and a second organisation whose records must never count."""
    rng = random.Random(26)
    org, ander = make_organisatie(session), make_organisatie(session)
    personen = [make_sleutelpersoon(session, org) for _ in range(12)]
    for persoon in personen[:8]:  # contacts make eight of them active in some months
        for _ in range(rng.randint(1, 6)):
            make_contactmoment(session, org, persoon, datum=_dag(rng))
    make_contactmoment(session, org, personen[0], datum=date(JAAR, 3, 3), verwijderd_op=utcnow())
    # Employment: volunteers, some moving to paid work, some leaving (for study, or moving house).
    for i, persoon in enumerate(personen[4:], start=4):
        start = date(JAAR - 1, rng.randint(1, 12), 1)
        if i % 3 == 0:
            overstap = _dag(rng)
            make_dienstverband(session, org, persoon, soort="vrijwilliger", vanaf=start, tot=overstap - timedelta(days=1))
            make_dienstverband(session, org, persoon, soort=rng.choice(("parttime", "oproepkracht")), vanaf=overstap)
        elif i % 3 == 1:
            einde = _dag(rng)
            make_dienstverband(session, org, persoon, soort="vrijwilliger", vanaf=start, tot=einde,
                               uitstroom_reden=rng.choice(("opleiding", "verhuisd", "betaald-werk")))
        else:
            make_dienstverband(session, org, persoon, soort="stagiair", vanaf=start, tot=date(JAAR, 2, 1))
            make_dienstverband(session, org, persoon, soort="fulltime", vanaf=date(JAAR, 2, 2))  # not from volunteering
    # Trainings: monthly intervision with a random group, some other kinds, one deleted.
    for maand in range(1, 13):
        groep = rng.sample(personen, rng.randint(2, 6))
        make_deskundigheid(session, org, deelnemers=groep, soort="intervisie", datum=date(JAAR, maand, 10),
                           minuten=rng.choice((90, 120)))
    for _ in range(6):
        make_deskundigheid(session, org, deelnemers=rng.sample(personen, 3), soort=rng.choice(("bijscholing", "coaching")),
                           datum=_dag(rng), minuten=15 * rng.randint(2, 20))
    make_deskundigheid(session, org, deelnemers=personen[:5], soort="intervisie", datum=date(JAAR, 6, 20), minuten=600,
                       verwijderd_op=utcnow())
    for persoon in rng.sample(personen, 6):
        make_ontwikkeldoel(session, org, persoon, datum=_dag(rng))
    # Another organisation: the same kinds of records, never counted for the first.
    vreemd = make_sleutelpersoon(session, ander)
    make_contactmoment(session, ander, vreemd, datum=date(JAAR, 5, 5))
    make_deskundigheid(session, ander, deelnemers=[vreemd], soort="intervisie", datum=date(JAAR, 5, 10))
    make_dienstverband(session, ander, vreemd, soort="vrijwilliger", vanaf=date(JAAR, 1, 1), tot=date(JAAR, 5, 1),
                       uitstroom_reden="betaald-werk")
    make_ontwikkeldoel(session, ander, vreemd, datum=date(JAAR, 1, 1))
    headers = make_key(session, organisatie=org, scopes=("rapporteren",))
    session.commit()
    return {"org": org, "headers": headers}


# --- the oracles: plain SQL, one period at a time --------------------------------------------------

ACTIEF = """
    SELECT sleutelpersoon_id FROM contactmoment
     WHERE organisatie_id = :org AND verwijderd_op IS NULL AND datum >= :vanaf AND datum < :tot
    UNION
    SELECT sleutelpersoon_id FROM dienstverband
     WHERE organisatie_id = :org AND vanaf < :tot AND (tot IS NULL OR tot >= :vanaf)
"""
INTERVISIE = """
    SELECT d.sleutelpersoon_id FROM deskundigheid_deelnemer d
      JOIN deskundigheidsbevordering t ON t.id = d.deskundigheidsbevordering_id
     WHERE t.organisatie_id = :org AND t.soort = 'intervisie' AND t.verwijderd_op IS NULL
       AND t.datum >= :vanaf AND t.datum < :tot
"""
PLAN = "SELECT sleutelpersoon_id FROM ontwikkeldoel WHERE organisatie_id = :org AND verwijderd_op IS NULL AND datum < :tot"
DOORSTROOM = """
    SELECT n.sleutelpersoon_id FROM dienstverband n
     WHERE n.organisatie_id = :org AND n.vanaf >= :vanaf AND n.vanaf < :tot
       AND n.soort IN ('betaald', 'zzp', 'oproepkracht', 'parttime', 'fulltime')
       AND (SELECT v.soort FROM dienstverband v WHERE v.sleutelpersoon_id = n.sleutelpersoon_id AND v.vanaf < n.vanaf
             ORDER BY v.vanaf DESC LIMIT 1) = 'vrijwilliger'
    UNION
    SELECT sleutelpersoon_id FROM dienstverband
     WHERE organisatie_id = :org AND tot >= :vanaf AND tot < :tot AND uitstroom_reden IN ('betaald-werk', 'opleiding')
"""
UREN = """
    SELECT d.sleutelpersoon_id, t.soort, SUM(t.minuten) FROM deskundigheid_deelnemer d
      JOIN deskundigheidsbevordering t ON t.id = d.deskundigheidsbevordering_id
     WHERE t.organisatie_id = :org AND t.verwijderd_op IS NULL AND t.datum >= :vanaf AND t.datum < :tot
     GROUP BY d.sleutelpersoon_id, t.soort
"""


def _ids(session: Session, sql: str, **params: Any) -> set[str]:
    return {str(uuid.UUID(str(r[0]))) for r in session.execute(text(sql), params)}


def _p(session: Session, org: Any, vanaf: date, tot: date) -> dict[str, Any]:
    # Uuid columns: SQLite stores 32 hex digits, PostgreSQL a uuid.
    return {"org": org.id if session.get_bind().dialect.name == "postgresql" else org.id.hex, "vanaf": vanaf, "tot": tot}


def _waarden(client: TestClient, headers: dict[str, str], code: str, **params: Any) -> list[dict[str, Any]]:
    antwoord = client.get(f"/v1/indicatoren/{code}/waarden", params=params, headers=headers)
    assert antwoord.status_code == 200, antwoord.text
    return antwoord.json()["rijen"]


@pytest.mark.parametrize(("code", "teller_sql"), [("deelname-intervisie", INTERVISIE), ("percentage-met-ontwikkelplan", PLAN)])
def test_aandeel_van_actieve_sleutelpersonen(client: TestClient, session: Session, data: dict[str, Any], code: str,
                                              teller_sql: str) -> None:
    rijen = _waarden(client, data["headers"], code, periode=str(JAAR), interval="maand")
    assert len(rijen) == 12
    for rij, (vanaf, tot) in zip(rijen, MAANDEN, strict=True):
        actief = _ids(session, ACTIEF, **_p(session, data["org"], vanaf, tot))
        teller = actief & _ids(session, teller_sql, **_p(session, data["org"], vanaf, tot))
        assert (rij["teller"], rij["noemer"]) == (len(teller), len(actief)), rij["periode"]
        assert rij["waarde"] == (round(100 * len(teller) / len(actief), 1) if actief else None)
    assert any(0 < r["teller"] < r["noemer"] for r in rijen)  # the data make the test able to fail
    # Per key person: who was active in the quarter, and which of them attended (teller 0 or 1).
    per_persoon = _waarden(client, data["headers"], code, periode=f"{JAAR}Q2", groeperenOp="sleutelpersoon")
    vanaf, tot = date(JAAR, 4, 1), date(JAAR, 7, 1)
    actief = _ids(session, ACTIEF, **_p(session, data["org"], vanaf, tot))
    teller = actief & _ids(session, teller_sql, **_p(session, data["org"], vanaf, tot))
    assert {r["sleutelpersoon"]["code"] for r in per_persoon} == actief
    assert {r["sleutelpersoon"]["code"] for r in per_persoon if r["teller"] == 1} == teller
    assert all(r["sleutelpersoon"]["label"].startswith("Sleutelpersoon ") for r in per_persoon)


def test_doorstroom(client: TestClient, session: Session, data: dict[str, Any]) -> None:
    rijen = _waarden(client, data["headers"], "doorstroom", periode=str(JAAR), interval="kwartaal")
    verwacht = []
    for q in range(4):
        vanaf, tot = date(JAAR, 3 * q + 1, 1), date(JAAR + 1, 1, 1) if q == 3 else date(JAAR, 3 * q + 4, 1)
        verwacht.append(len(_ids(session, DOORSTROOM, **_p(session, data["org"], vanaf, tot))))
    assert [r["waarde"] for r in rijen] == verwacht
    assert sum(verwacht) > 0
    jaar = _waarden(client, data["headers"], "doorstroom", periode=str(JAAR), groeperenOp="sleutelpersoon")
    assert {r["sleutelpersoon"]["code"] for r in jaar if r["waarde"]} == _ids(
        session, DOORSTROOM, **_p(session, data["org"], date(JAAR, 1, 1), date(JAAR + 1, 1, 1)))


def test_trainingsuren(client: TestClient, session: Session, data: dict[str, Any]) -> None:
    vanaf, tot = date(JAAR, 1, 1), date(JAAR + 1, 1, 1)
    oracle: dict[tuple[str, str], int] = {}
    for persoon, soort, som in session.execute(text(UREN), _p(session, data["org"], vanaf, tot)):
        oracle[(str(uuid.UUID(str(persoon))), soort)] = int(som)
    rijen = _waarden(client, data["headers"], "trainingsuren", periode=str(JAAR), groeperenOp="sleutelpersoon,soort")
    assert {(r["sleutelpersoon"]["code"], r["soort"]["code"]): r["waarde"] for r in rijen} == {
        k: round(v / 60, 2) for k, v in oracle.items()}
    assert {r["soort"]["label"] for r in rijen} >= {"Intervisie"}
    totaal = _waarden(client, data["headers"], "trainingsuren", periode=str(JAAR))
    assert totaal[0]["waarde"] == round(sum(oracle.values()) / 60, 2)
    per_soort: dict[str, int] = defaultdict(int)
    for (_, soort), minuten in oracle.items():
        per_soort[soort] += minuten
    alleen = _waarden(client, data["headers"], "trainingsuren", periode=str(JAAR), soort="intervisie")
    assert alleen[0]["waarde"] == round(per_soort["intervisie"] / 60, 2)


@pytest.mark.parametrize("code", ["trainingsuren", "deelname-intervisie", "percentage-met-ontwikkelplan", "doorstroom"])
def test_regionaal_en_landelijk_geweigerd(client: TestClient, session: Session, data: dict[str, Any], code: str) -> None:
    regio = make_key(session, gemeentecodes=["GM0344"], scopes=("rapporteren",))
    beheer = make_key(session, beheer=True, scopes=("rapporteren",))
    session.commit()
    for headers in (regio, beheer):
        antwoord = client.get(f"/v1/indicatoren/{code}/waarden", params={"periode": str(JAAR)}, headers=headers)
        probleem = assert_problem(antwoord, 403)
        assert "alleen beschikbaar voor de organisatie zelf" in probleem["detail"]
    # The refusal is audited like any refused regional table, with its parameters only. (Through the
    # test client the request's rollback takes the row along; in production it has a transaction of its own.)
    caller = Caller(sleutel_id=key_of(session, regio).id, scopes=frozenset({Scope.rapporteren}), binding=Binding.regio,
                    gemeentecodes=("GM0344",))
    verzoek = Verzoek(indicator=INDICATOREN[code], periode=jaar(JAAR), interval=None, groeperen_op=(), filters={})
    with pytest.raises(GeenToegang):
        bereken(session, caller=caller, verzoek=verzoek, drempel=5, max_rijen=1000)
    geweigerd = session.exec(select(LeesAudit).where(LeesAudit.indicator == code)).all()
    assert len(geweigerd) == 1 and geweigerd[0].geweigerd.startswith("403")
