"""Indicators of issue 26: kosten (exact to the cent), project and regeling as dimensions, the two
cost quotients and inzet-t.o.v.-contract; oracles written by hand, on both databases, and the
regional protection of money (rounded, perturbed, suppressed under the threshold of key persons)."""

import random
import uuid
from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, insert, text
from sqlmodel import Session, select

from app.models import Contactmoment, Inzet, Kosten
from app.models.base import utcnow
from tests.factories import make_contactmoment, make_key, make_organisatie, make_sleutelpersoon
from tests.helpers import assert_problem
from tests.kosten.maak import make_project

JAAR = 2025
SOORTEN = ("vrijwilligersvergoeding", "reiskosten", "kinderopvang", "telefoon", "scholing", "begeleiding", "materiaal", "overig")


def url(code: str) -> str:
    return f"/v1/indicatoren/{code}/waarden"


@pytest.fixture
def data(session: Session) -> dict[str, Any]:
    """Costs of six key persons in 2025 on two projects (and some that must not count), seeded."""
    rng = random.Random(26)
    organisatie = make_organisatie(session, gemeentecodes=["GM0344", "GM0307"])
    personen = [make_sleutelpersoon(session, organisatie, gemeentecode="GM0344" if i < 4 else "GM0307") for i in range(6)]
    kansrijk = make_project(session, organisatie, naam="Kansrijke Start", regeling="kansrijke-start")
    sociaal = make_project(session, organisatie, naam="Sociaal domein", regeling="sociaal-domein")
    rijen: list[dict[str, Any]] = []

    def rij(persoon: Any, soort: str, centen: int, **extra: Any) -> None:
        rijen.append({
            "id": uuid.uuid4(), "organisatie_id": organisatie.id, "sleutelpersoon_id": persoon.id if persoon else None,
            "datum": date(JAAR, rng.randint(1, 12), rng.randint(1, 28)), "bedrag_centen": centen, "soort": soort,
            "per_maand": False, "project_id": rng.choice((kansrijk.id, sociaal.id, None)),
            "gemeentecode": persoon.gemeentecode if persoon else "GM0344", "verwijderd_op": None,
            "aangemaakt_op": utcnow(), "gewijzigd_op": utcnow(), **extra,
        })

    for persoon in personen:  # reiskosten and vergoeding: everyone, amounts float arithmetic gets wrong
        for _ in range(15):
            rij(persoon, rng.choice(("reiskosten", "vrijwilligersvergoeding")), rng.choice((10, 20, 30, 1, 7, 333)))
    for _ in range(10):  # kinderopvang: one key person only
        rij(personen[0], "kinderopvang", 2500)
    for _ in range(8):  # materiaal: nobody's (an organisation cost)
        rij(None, "materiaal", 999)
    rij(personen[1], "telefoon", 500, verwijderd_op=utcnow())  # deleted: counts nowhere
    rij(personen[2], "telefoon", 500, datum=date(JAAR - 1, 6, 1))  # another year
    session.execute(insert(Kosten.__table__), rijen)
    session.commit()
    levend = [r for r in rijen if r["verwijderd_op"] is None and r["datum"].year == JAAR]
    regeling = {kansrijk.id: "kansrijke-start", sociaal.id: "sociaal-domein", None: None}
    for r in levend:
        r["regeling"] = regeling[r["project_id"]]
    return {"organisatie": organisatie, "personen": personen, "rijen": levend, "projecten": (kansrijk, sociaal)}


def _oracle(rijen: list[dict[str, Any]], *sleutels: str) -> dict[tuple[Any, ...], float]:
    """Sums in cents per group (Python integers), as euros."""
    uit: dict[tuple[Any, ...], int] = defaultdict(int)
    for r in rijen:
        uit[tuple(None if r[s] is None else str(r[s]) if s.endswith("_id") else r[s] for s in sleutels)] += r["bedrag_centen"]
    return {k: float(Decimal(v) / 100) for k, v in uit.items()}


def _per(response: Any, *dims: str) -> dict[tuple[Any, ...], Any]:
    assert response.status_code == 200, response.text
    return {tuple(r[d]["code"] for d in dims): r["waarde"] for r in response.json()["rijen"]}


@pytest.fixture
def eigen(session: Session, data: dict[str, Any]) -> dict[str, str]:
    headers = make_key(session, organisatie=data["organisatie"], scopes=("rapporteren",))
    session.commit()
    return headers


def test_the_organisation_sees_its_costs_exactly_to_the_cent(client: TestClient, session: Session, data: dict[str, Any],
                                                             eigen: dict[str, str]) -> None:
    totaal = _per(client.get(url("kosten"), params={"periode": JAAR}, headers=eigen))
    # The hand-written query: an integer sum in SQL over the same rows.
    som = session.execute(text("SELECT SUM(bedrag_centen) FROM kosten WHERE organisatie_id = :o AND verwijderd_op IS NULL "
                               "AND datum >= :v AND datum < :t"),
                          {"o": data["organisatie"].id.hex if session.get_bind().dialect.name == "sqlite" else data["organisatie"].id,
                           "v": date(JAAR, 1, 1), "t": date(JAAR + 1, 1, 1)}).scalar_one()
    assert totaal == {(): float(Decimal(som) / 100)} == {(): _oracle(data["rijen"])[()]}
    for dims, kolommen in ((("soort",), ("soort",)), (("project",), ("project_id",)), (("regeling",), ("regeling",)),
                           (("sleutelpersoon", "gemeente"), ("sleutelpersoon_id", "gemeentecode"))):
        response = client.get(url("kosten"), params={"periode": JAAR, "groeperenOp": ",".join(dims)}, headers=eigen)
        assert _per(response, *dims) == _oracle(data["rijen"], *kolommen), dims
    labels = {r["regeling"]["code"]: r["regeling"]["label"]
              for r in client.get(url("kosten"), params={"periode": JAAR, "groeperenOp": "regeling"}, headers=eigen).json()["rijen"]}
    assert labels["kansrijke-start"] == "Kansrijke Start" and labels[None] == "(niet ingevuld)"
    kansrijk = data["projecten"][0]
    gefilterd = client.get(url("kosten"), params={"periode": JAAR, "regeling": "kansrijke-start", "soort": "reiskosten"}, headers=eigen)
    assert _per(gefilterd) == _oracle([r for r in data["rijen"] if r["project_id"] == kansrijk.id and r["soort"] == "reiskosten"])


def test_a_sum_that_float_arithmetic_gets_wrong(client: TestClient, session: Session) -> None:
    organisatie = make_organisatie(session)
    headers = make_key(session, organisatie=organisatie, scopes=("rapporteren", "registreren", "inzien"))
    session.commit()
    for _ in range(10):
        for bedrag in ("0.10", "0.20"):
            assert client.post("/v1/kosten", headers=headers, json={"soort": "telefoon", "bedrag": bedrag, "datum": "2025-05-01"}).status_code == 201
    assert sum([0.10, 0.20] * 10) == pytest.approx(3.0) and sum([0.10, 0.20] * 10) != 3.0
    response = client.get(url("kosten"), params={"periode": "2025-05"}, headers=headers)
    assert response.json()["rijen"][0]["waarde"] == 3.0
    assert '"waarde":3.0' in response.text.replace(" ", "")


def test_project_and_regeling_on_contacts_and_hours(client: TestClient, session: Session, data: dict[str, Any],
                                                     eigen: dict[str, str]) -> None:
    organisatie, personen = data["organisatie"], data["personen"]
    kansrijk, sociaal = data["projecten"]
    verwacht_contacten: dict[Any, int] = defaultdict(int)
    verwacht_uren: dict[Any, int] = defaultdict(int)
    for i in range(12):
        project = (kansrijk, sociaal, None)[i % 3]
        make_contactmoment(session, organisatie, personen[i % 6], datum=date(JAAR, 1 + i % 12, 3),
                           project_id=project.id if project else None)
        verwacht_contacten[project.regeling if project else None] += 1
        session.add(Inzet(organisatie_id=organisatie.id, sleutelpersoon_id=personen[i % 6].id, datum=date(JAAR, 2, 1 + i),
                          minuten=60 * (i + 1), soort="contacten", inhoud_hash="", project_id=project.id if project else None))
        verwacht_uren[project.regeling if project else None] += 60 * (i + 1)
    session.commit()
    contacten = _per(client.get(url("aantal-contactmomenten"), params={"periode": JAAR, "groeperenOp": "regeling"},
                                headers=eigen), "regeling")
    assert contacten == {(k,): v for k, v in verwacht_contacten.items()}
    per_project = _per(client.get(url("aantal-contactmomenten"), params={"periode": JAAR, "groeperenOp": "project"},
                                  headers=eigen), "project")
    assert per_project[(str(kansrijk.id),)] == verwacht_contacten["kansrijke-start"]
    uren = _per(client.get(url("inzet-uren"), params={"periode": JAAR, "regeling": "sociaal-domein"}, headers=eigen))
    assert uren == {(): round(verwacht_uren["sociaal-domein"] / 60, 1)}


def test_costs_per_contact_and_per_resident(client: TestClient, session: Session, data: dict[str, Any],
                                             eigen: dict[str, str]) -> None:
    organisatie, personen = data["organisatie"], data["personen"]
    kansrijk = data["projecten"][0]
    for i in range(7):
        make_contactmoment(session, organisatie, personen[i % 6], datum=date(JAAR, 3, 1 + i), project_id=kansrijk.id,
                           inwoner_hash=f"{i % 4:064x}")
    session.commit()
    centen = sum(r["bedrag_centen"] for r in data["rijen"] if r["project_id"] == kansrijk.id)
    per_contact = _per(client.get(url("kosten-per-contactmoment"), params={"periode": JAAR, "project": str(kansrijk.id)},
                                  headers=eigen))
    assert per_contact == {(): float((Decimal(centen) / 100 / 7).quantize(Decimal("0.01")))}
    per_inwoner = client.get(url("kosten-per-bereikte-inwoner"), params={"periode": JAAR, "groeperenOp": "regeling"},
                             headers=eigen)
    rij = {r["regeling"]["code"]: r for r in per_inwoner.json()["rijen"]}["kansrijke-start"]
    assert (rij["waarde"], rij["noemer"]) == (float((Decimal(centen) / 100 / 4).quantize(Decimal("0.01"))), 4)
    # Costs on the other project, but no contacts there: no value rather than a division by zero.
    sociaal = {r["regeling"]["code"]: r for r in per_inwoner.json()["rijen"]}["sociaal-domein"]
    assert (sociaal["waarde"], sociaal["noemer"]) == (None, 0)


def test_hours_against_contract_per_key_person_and_month(client: TestClient, session: Session) -> None:
    organisatie = make_organisatie(session)
    acht = make_sleutelpersoon(session, organisatie, weergavenaam="Acht", uren_per_week=8, actief_vanaf=date(2024, 1, 1))
    laat = make_sleutelpersoon(session, organisatie, weergavenaam="Laat", uren_per_week=4.5, actief_vanaf=date(JAAR, 2, 15))
    geen = make_sleutelpersoon(session, organisatie, weergavenaam="Geen contract", uren_per_week=None)
    for persoon, dag, minuten in ((acht, 3, 600), (acht, 20, 1200), (laat, 20, 300), (geen, 4, 480), (acht, 40, 60)):
        datum = date(JAAR, 2, dag) if dag <= 28 else date(JAAR, 3, dag - 28)
        session.add(Inzet(organisatie_id=organisatie.id, sleutelpersoon_id=persoon.id, datum=datum, minuten=minuten,
                          soort="contacten", inhoud_hash=""))
    headers = make_key(session, organisatie=organisatie, scopes=("rapporteren",))
    session.commit()
    response = client.get(url("inzet-t.o.v.-contract"), params={
        "periode": f"{JAAR}Q1", "interval": "maand", "groeperenOp": "sleutelpersoon"}, headers=headers)
    assert response.status_code == 200, response.text
    waarden = {(r["periode"]["label"], r["sleutelpersoon"]["label"]): r["waarde"] for r in response.json()["rijen"]}
    # Februari 2025 has 28 days: Acht's contract is 8 x 4 = 32 hours, 30 worked; Laat from the 15th: 14 days, 9 hours.
    assert waarden[(f"{JAAR}-02", "Acht")] == round(100 * 30 / 32, 1)
    assert waarden[(f"{JAAR}-02", "Laat")] == round(100 * 5 / 9, 1)
    assert waarden[(f"{JAAR}-03", "Acht")] == round(100 * 1 / (8 * 31 / 7), 1)
    assert waarden[(f"{JAAR}-01", "Laat")] is None  # not active yet: no contract hours
    assert all(label != "Geen contract" for _, label in waarden)
    totaal = client.get(url("inzet-t.o.v.-contract"), params={"periode": f"{JAAR}-02"}, headers=headers).json()["rijen"]
    assert [r["waarde"] for r in totaal] == [round(100 * 35 / 41, 1)]


def test_regional_money_is_rounded_perturbed_and_suppressed(client: TestClient, session: Session, data: dict[str, Any]) -> None:
    regio = make_key(session, gemeentecodes=["GM0344", "GM0307"], scopes=("rapporteren",))
    session.commit()
    response = client.get(url("kosten"), params={"periode": JAAR, "groeperenOp": "soort"}, headers=regio)
    per_soort = _per(response, "soort")
    assert set(per_soort) == {(s,) for s in SOORTEN}  # the whole code list, whatever the data holds
    echt = _oracle(data["rijen"], "soort")
    for soort in ("reiskosten", "vrijwilligersvergoeding"):
        waarde = per_soort[(soort,)]
        # A multiple of 10 euros, within rounding plus the ptable's noise (a few bases) of the truth.
        assert waarde is not None and waarde % 10 == 0 and abs(waarde - echt[(soort,)]) <= 40, (soort, waarde, echt[(soort,)])
    assert per_soort[("kinderopvang",)] is None  # one key person: never shown
    assert per_soort[("materiaal",)] is None  # nobody's costs: no key persons behind the sum, never shown
    assert all(r["onderdrukt"] == (r["waarde"] is None) for r in response.json()["rijen"])
    # Regeling is allowed regionally; a project is one organisation's and is refused like a key person.
    assert client.get(url("kosten"), params={"periode": JAAR, "groeperenOp": "regeling"}, headers=regio).status_code == 200
    assert_problem(client.get(url("kosten"), params={"periode": JAAR, "groeperenOp": "project"}, headers=regio), 403)
    assert_problem(client.get(url("kosten"), params={"periode": JAAR, "project": str(data["projecten"][0].id)}, headers=regio), 403)
    for code in ("kosten-per-contactmoment", "kosten-per-bereikte-inwoner", "inzet-t.o.v.-contract"):
        assert_problem(client.get(url(code), params={"periode": JAAR}, headers=regio), 403)


def test_the_catalogue_lists_the_new_indicators(client: TestClient, session: Session, eigen: dict[str, str]) -> None:
    catalogus = {i["code"]: i for i in client.get("/v1/indicatoren", headers=eigen).json()}
    assert catalogus["kosten"]["eenheid"] == "euro"
    assert catalogus["kosten"]["dimensies"] == ["organisatie", "gemeente", "sleutelpersoon", "soort", "project", "regeling"]
    assert "project" in catalogus["aantal-contactmomenten"]["dimensies"]
    assert catalogus["inzet-t.o.v.-contract"]["dimensies"] == ["organisatie", "sleutelpersoon"]
    assert session.exec(select(func.count()).select_from(Contactmoment)).one() >= 0
