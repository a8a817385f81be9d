"""Completeness: rapportagegraad and tijdigheid against a hand-written query; `volledig` and `aantalOrganisaties`
on regional values; `alleenGoedgekeurd` leaves out what the region did not approve."""

from datetime import UTC, date, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Uuid, bindparam, text
from sqlmodel import Session

from app.models import Organisatie, Rapportageritme, UtcDateTime, utcnow
from tests.factories import make_contactmoment, make_key, make_organisatie, make_sleutelpersoon
from tests.rapportage.factories import make_ritme, make_status


def _op(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, 10, tzinfo=UTC)


@pytest.fixture
def regio(session: Session) -> dict[str, Any]:
    """A quarterly rhythm (deadline 30 days) for A, B and C in GM0344; D works elsewhere, under no rhythm of ours."""
    a, b, c = (make_organisatie(session, naam=n, gemeentecodes=["GM0344"]) for n in ("A", "B", "C"))
    d = make_organisatie(session, naam="D", gemeentecodes=["GM0599"])
    ritme = make_ritme(session, [a, b, c])
    make_ritme(session, [d], gemeentecodes=["GM0599"])
    make_status(session, ritme, a, periode="2025Q1", status="goedgekeurd", ingediend_op=_op(date(2025, 4, 10)))
    make_status(session, ritme, b, periode="2025Q1", status="ingediend", ingediend_op=_op(date(2025, 5, 15)))  # late
    make_status(session, ritme, a, periode="2025Q2", status="ingediend", ingediend_op=_op(date(2025, 7, 5)))
    make_status(session, ritme, c, periode="2025Q2", status="goedgekeurd", ingediend_op=_op(date(2025, 7, 20)))
    make_status(session, ritme, b, periode="2025Q3", status="teruggestuurd", ingediend_op=_op(date(2025, 10, 2)))
    return {"ritme": ritme, "a": a, "b": b, "c": c, "d": d,
            "sleutel": make_key(session, gemeentecodes=["GM0344"], scopes=("rapporteren",))}


def _oracle(session: Session, ritme: Rapportageritme, periode: str, organisatie: Organisatie | None, tijdig: bool) -> float:
    """Written by hand: submitted (or on time) over expected, from the two tables."""
    where = "AND o.organisatie_id = :org" if organisatie else ""
    conditie = ("s.eerst_ingediend_op IS NOT NULL AND s.eerst_ingediend_op < :grens" if tijdig
                else "s.status IN ('ingediend', 'goedgekeurd')")
    deadline_grens = {"2025Q1": date(2025, 5, 1), "2025Q2": date(2025, 7, 31), "2025Q3": date(2025, 10, 31),
                      "2025Q4": date(2026, 1, 31)}[periode]
    params: dict[str, Any] = {"ritme": ritme.id, "periode": periode, "grens": _op(deadline_grens).replace(hour=0)}
    if organisatie:
        params["org"] = organisatie.id
    typen = [bindparam("ritme", type_=Uuid()), *([bindparam("org", type_=Uuid())] if organisatie else [])]

    def tel(sql: str) -> int:
        statement = text(sql).bindparams(*typen, *([bindparam("grens", type_=UtcDateTime())] if ":grens" in sql else []))
        return session.execute(statement, {k: v for k, v in params.items() if f":{k}" in sql}).scalar_one()

    verwacht = tel(f"SELECT count(*) FROM rapportageritme_organisatie o WHERE o.ritme_id = :ritme {where}")
    gedaan = tel(
        f"SELECT count(*) FROM rapportageritme_organisatie o JOIN rapportagestatus s ON s.ritme_id = o.ritme_id "
        f"AND s.organisatie_id = o.organisatie_id AND s.periode = :periode WHERE o.ritme_id = :ritme {where} AND {conditie}")
    return round(100 * gedaan / verwacht, 1)


@pytest.mark.parametrize("code", ["rapportagegraad", "tijdigheid"])
def test_against_the_oracle(client: TestClient, session: Session, regio: dict[str, Any], code: str) -> None:
    antwoord = client.get(f"/v1/indicatoren/{code}/waarden", headers=regio["sleutel"],
                          params={"periode": "2025", "interval": "kwartaal", "groeperenOp": "organisatie"})
    assert antwoord.status_code == 200, antwoord.text
    rijen = antwoord.json()["rijen"]
    namen = {r["organisatie"]["label"] for r in rijen}
    assert namen == {"A", "B", "C"}  # D lies outside the region
    for rij in rijen:
        organisatie = regio[rij["organisatie"]["label"].lower()]
        assert rij["waarde"] == _oracle(session, regio["ritme"], rij["periode"]["label"], organisatie, code == "tijdigheid"), rij
        assert rij["onderdrukt"] is False
    totaal = client.get(f"/v1/indicatoren/{code}/waarden", headers=regio["sleutel"], params={"periode": "2025Q1"}).json()
    assert totaal["rijen"][0]["waarde"] == _oracle(session, regio["ritme"], "2025Q1", None, code == "tijdigheid")
    assert (totaal["rijen"][0]["teller"], totaal["rijen"][0]["noemer"]) == ((2, 3) if code == "rapportagegraad" else (1, 3))


def test_an_organisation_sees_only_its_own(client: TestClient, session: Session, regio: dict[str, Any]) -> None:
    eigen = make_key(session, organisatie=regio["b"], scopes=("rapporteren",))
    rijen = client.get("/v1/indicatoren/rapportagegraad/waarden", headers=eigen,
                       params={"periode": "2025", "interval": "kwartaal"}).json()["rijen"]
    assert [(r["teller"], r["noemer"]) for r in rijen] == [(1, 1), (0, 1), (0, 1), (0, 1)]


def _contacten(session: Session, organisatie: Organisatie, datum: date, n: int) -> None:
    personen = [make_sleutelpersoon(session, organisatie) for _ in range(4)]
    for i in range(n):
        make_contactmoment(session, organisatie, personen[i % 4], datum=datum)


def test_volledig_and_aantal_organisaties_on_regional_values(client: TestClient, session: Session, regio: dict[str, Any]) -> None:
    for org in ("a", "b", "c"):
        _contacten(session, regio[org], date(2025, 2, 3), 12)
    q1 = client.get("/v1/indicatoren/aantal-contactmomenten/waarden", headers=regio["sleutel"],
                    params={"periode": "2025Q1"}).json()["rijen"][0]
    assert (q1["volledig"], q1["aantalOrganisaties"]) == (False, 2)  # C did not submit 2025Q1
    per_org = client.get("/v1/indicatoren/aantal-contactmomenten/waarden", headers=regio["sleutel"],
                         params={"periode": "2025Q1", "groeperenOp": "organisatie"}).json()["rijen"]
    assert {r["organisatie"]["label"]: (r["volledig"], r["aantalOrganisaties"]) for r in per_org} == {
        "A": (True, 1), "B": (True, 1), "C": (False, 0)}
    goedgekeurd = client.get("/v1/indicatoren/aantal-contactmomenten/waarden", headers=regio["sleutel"],
                             params={"periode": "2025Q1", "alleenGoedgekeurd": "true"}).json()["rijen"][0]
    assert (goedgekeurd["volledig"], goedgekeurd["aantalOrganisaties"]) == (False, 1)  # only A approved
    # The organisation's own key sees its figures exactly, without these members.
    eigen = make_key(session, organisatie=regio["a"], scopes=("rapporteren",))
    rij = client.get("/v1/indicatoren/aantal-contactmomenten/waarden", headers=eigen, params={"periode": "2025Q1"}).json()["rijen"][0]
    assert "volledig" not in rij and rij["waarde"] == 12


def test_alleen_goedgekeurd_leaves_out_unapproved_organisations(client: TestClient, session: Session, regio: dict[str, Any]) -> None:
    for org in ("a", "b"):
        _contacten(session, regio[org], date(2025, 2, 3), 20)
    _contacten(session, regio["a"], date(2025, 5, 3), 20)  # 2025Q2 of A: submitted, not approved

    def per_org(**params: Any) -> dict[str, Any]:
        rijen = client.get("/v1/indicatoren/aantal-contactmomenten/waarden", headers=regio["sleutel"], params={
            "periode": "2025", "groeperenOp": "organisatie", **params}).json()["rijen"]
        return {r["organisatie"]["label"]: r["waarde"] for r in rijen}

    alles, goed = per_org(), per_org(alleenGoedgekeurd="true")
    assert abs(alles["A"] - 40) <= 2 and abs(alles["B"] - 20) <= 2
    assert abs(goed["A"] - 20) <= 2  # only its approved 2025Q1
    assert goed["B"] in (None, 0)  # B's 2025Q1 was submitted, never approved
    # Exact for the organisation itself.
    eigen = make_key(session, organisatie=regio["a"], scopes=("rapporteren",))
    rij = client.get("/v1/indicatoren/aantal-contactmomenten/waarden", headers=eigen,
                     params={"periode": "2025", "alleenGoedgekeurd": "true"}).json()["rijen"][0]
    assert rij["waarde"] == 20


def test_the_completeness_members_do_not_follow_the_records(client: TestClient, session: Session, regio: dict[str, Any]) -> None:
    """An analyst who adds or removes one record learns nothing from `volledig` or `aantalOrganisaties`: they are
    functions of the organisations' reports alone (the attack a differencing reader would try)."""
    for org in ("a", "b", "c"):
        _contacten(session, regio[org], date(2025, 2, 3), 8)

    def leden() -> list[tuple[Any, ...]]:
        rijen = client.get("/v1/indicatoren/bereik-inwoners/waarden", headers=regio["sleutel"],
                           params={"periode": "2025Q1", "groeperenOp": "organisatie"}).json()["rijen"]
        return [(r["organisatie"]["code"], r["volledig"], r["aantalOrganisaties"]) for r in rijen]

    voor = leden()
    extra = make_contactmoment(session, regio["c"], make_sleutelpersoon(session, regio["c"]), datum=date(2025, 2, 4),
                               inwoner_referentie="client-een")
    assert leden() == voor
    extra.verwijderd_op = utcnow()  # deleted: it counts nowhere any more
    session.add(extra)
    session.flush()
    assert leden() == voor
