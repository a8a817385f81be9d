"""Indicators of reach among professionals (issue 25, part 5): bereik-professionals,
aantal-professionele-contacten and percentage-adviezen-teruggekoppeld.

Exact for the organisation, against an oracle written by hand over the same rows (both databases);
through the same protection as every other figure for a regional reader.
"""

import random
import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, insert
from sqlmodel import Session, select

from app.models import LeesAudit, ProfessioneelContact, ProfessioneelContactOnderwerp
from app.models.base import utcnow
from tests.factories import make_ketenpartner, make_key, make_organisatie, make_sleutelpersoon
from tests.helpers import assert_problem

JAAR = 2025
BEREIK = "/v1/indicatoren/bereik-professionals/waarden"
AANTAL = "/v1/indicatoren/aantal-professionele-contacten/waarden"
PERCENTAGE = "/v1/indicatoren/percentage-adviezen-teruggekoppeld/waarden"
SOORTEN = ("adviesvraag", "casusoverleg", "voorlichting-aan-professionals", "klankbordgroep", "materiaal-testen", "overleg")
ONDERWERPEN = ("zorg.jgz", "zorg.huisarts", "geld.toeslagen")


@pytest.fixture
def data(session: Session) -> dict[str, Any]:
    """Contacts of seven key persons with professionals in 2025 (and some that must not count), seeded."""
    rng = random.Random(25)
    organisatie = make_organisatie(session, gemeentecodes=["GM0344", "GM0307"])
    personen = [make_sleutelpersoon(session, organisatie, gemeentecode="GM0344" if i < 5 else "GM0307") for i in range(7)]
    jgz = make_ketenpartner(session, organisatie, categorie="jgz")
    wijkteam = make_ketenpartner(session, organisatie, categorie="sociaal-wijkteam")
    rijen: list[dict[str, Any]] = []
    onderwerpen: list[dict[str, Any]] = []

    def rij(persoon: Any, soort: str, **extra: Any) -> None:
        aanvrager = rng.choice((jgz, wijkteam, None))
        status = rng.choice(("gevraagd", "gegeven", "teruggekoppeld")) if soort == "adviesvraag" else None
        waarden = {
            "id": uuid.uuid4(), "organisatie_id": organisatie.id, "sleutelpersoon_id": persoon.id,
            "datum": date(JAAR, rng.randint(1, 12), rng.randint(1, 28)), "soort": soort,
            "aangevraagd_door_soort": "ketenpartner" if aanvrager else "gemeente",
            "aangevraagd_door_ketenpartner_id": aanvrager.id if aanvrager else None,
            "aangevraagd_door_gemeentecode": None if aanvrager else persoon.gemeentecode,
            "aantal_professionals": rng.randint(1, 20), "gemeentecode": persoon.gemeentecode, "status": status,
            "terugkoppeling_tekst": "Advies opgevolgd" if status == "teruggekoppeld" else None,
            "terugkoppeling_datum": date(JAAR, 12, 31) if status == "teruggekoppeld" else None,
            "inhoud_hash": uuid.uuid4().hex, "verwijderd_op": None, **extra,
        }
        waarden["categorie"] = aanvrager.categorie if aanvrager else None
        waarden["onderwerpen"] = rng.sample(ONDERWERPEN, rng.randint(0, 2))
        rijen.append(waarden)
        onderwerpen.extend({"professioneel_contact_id": waarden["id"], "onderwerp": o} for o in waarden["onderwerpen"])

    for persoon in personen:  # everyone, many records
        for _ in range(30):
            rij(persoon, rng.choice(("adviesvraag", "casusoverleg", "voorlichting-aan-professionals")))
    for _ in range(8):  # klankbordgroep: one key person only, however many records
        rij(personen[0], "klankbordgroep")
    for persoon in personen[:3]:  # materiaal-testen: three key persons, but only three records
        rij(persoon, "materiaal-testen")
    rij(personen[1], "overleg", gemeentecode=None)  # counts for the organisation, not for a region
    rij(personen[2], "adviesvraag", verwijderd_op=utcnow())  # deleted: counts nowhere
    rij(personen[3], "adviesvraag", datum=date(JAAR - 1, 6, 1))  # another year
    tabel = {c.name for c in ProfessioneelContact.__table__.columns}
    session.execute(insert(ProfessioneelContact.__table__), [{k: v for k, v in r.items() if k in tabel} for r in rijen])
    session.execute(insert(ProfessioneelContactOnderwerp.__table__), onderwerpen)
    session.commit()
    levend = [r for r in rijen if r["verwijderd_op"] is None and r["datum"].year == JAAR]
    return {"organisatie": organisatie, "personen": personen, "rijen": levend}


# --- the oracle: the same figures, by hand ---------------------------------------------------------

_WAARDE: dict[str, Callable[[dict[str, Any]], Any]] = {
    "soort": lambda r: [r["soort"]],
    "gemeente": lambda r: [r["gemeentecode"]],
    "sleutelpersoon": lambda r: [str(r["sleutelpersoon_id"])],
    "organisatie": lambda r: [str(r["organisatie_id"])],
    "ketenpartnerCategorie": lambda r: [r["categorie"]],
    "onderwerp": lambda r: sorted(r["onderwerpen"]),
    "hoofdonderwerp": lambda r: sorted({o.split(".")[0] for o in r["onderwerpen"]}),
}


def _cellen(rijen: list[dict[str, Any]], dims: tuple[str, ...]) -> dict[tuple[Any, ...], list[dict[str, Any]]]:
    """The distinct contacts per cell: a contact falls in every cell of its values (one per topic)."""
    cellen: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for r in rijen:
        sleutels: list[tuple[Any, ...]] = [()]
        for d in dims:
            sleutels = [(*s, w) for s in sleutels for w in _WAARDE[d](r)]
        for s in set(sleutels):
            cellen[s].append(r)
    return cellen


def oracle(code: str, rijen: list[dict[str, Any]], *dims: str) -> dict[tuple[Any, ...], Any]:
    if code == "bereik-professionals":
        return {k: sum(r["aantal_professionals"] for r in v) for k, v in _cellen(rijen, dims).items()}
    if code == "aantal-professionele-contacten":
        return {k: len(v) for k, v in _cellen(rijen, dims).items()}
    adviezen = [r for r in rijen if r["soort"] == "adviesvraag"]
    return {k: round(100 * sum(r["status"] == "teruggekoppeld" for r in v) / len(v), 1)
            for k, v in _cellen(adviezen, dims).items()}


def _per(response: Any, *dims: str) -> dict[tuple[Any, ...], Any]:
    assert response.status_code == 200, response.text
    return {tuple(r[d]["code"] for d in dims): r["waarde"] for r in response.json()["rijen"]}


GROEPERINGEN = [(), ("soort",), ("ketenpartnerCategorie",), ("onderwerp",), ("hoofdonderwerp",), ("gemeente",),
                ("sleutelpersoon",), ("organisatie",), ("soort", "ketenpartnerCategorie"), ("hoofdonderwerp", "gemeente")]


@pytest.mark.parametrize("code", ["bereik-professionals", "aantal-professionele-contacten", "percentage-adviezen-teruggekoppeld"])
def test_the_organisation_sees_the_oracles_figures(client: TestClient, session: Session, data: dict[str, Any], code: str) -> None:
    headers = make_key(session, organisatie=data["organisatie"], scopes=("rapporteren",))
    session.commit()
    url = f"/v1/indicatoren/{code}/waarden"
    rijen = data["rijen"]
    for dims in GROEPERINGEN:
        params: dict[str, Any] = {"periode": JAAR}
        if dims:
            params["groeperenOp"] = ",".join(dims)
        verwacht = oracle(code, rijen, *dims)
        assert _per(client.get(url, params=params, headers=headers), *dims) == verwacht, (code, dims)
    # Filters: the soort and the asking partner's category together; a parent topic takes in its children.
    gefilterd = client.get(url, params={"periode": JAAR, "soort": "adviesvraag", "ketenpartnerCategorie": "jgz"}, headers=headers)
    assert _per(gefilterd) == oracle(code, [r for r in rijen if r["soort"] == "adviesvraag" and r["categorie"] == "jgz"])
    zorg = client.get(url, params={"periode": JAAR, "onderwerp": "zorg", "groeperenOp": "gemeente"}, headers=headers)
    verwacht = oracle(code, [r for r in rijen if any(o.startswith("zorg.") for o in r["onderwerpen"])], "gemeente")
    assert _per(zorg, "gemeente") == verwacht
    per_kwartaal = client.get(url, params={"periode": JAAR, "interval": "kwartaal"}, headers=headers)
    assert per_kwartaal.status_code == 200
    for rij in per_kwartaal.json()["rijen"]:
        vanaf, tot = date.fromisoformat(rij["periode"]["vanaf"]), date.fromisoformat(rij["periode"]["tot"])
        in_kwartaal = [r for r in rijen if vanaf <= r["datum"] <= tot]
        assert rij["waarde"] == oracle(code, in_kwartaal).get((), None if code.startswith("percentage") else 0), (code, rij)


def test_labels_come_from_the_own_code_list(client: TestClient, session: Session, data: dict[str, Any]) -> None:
    headers = make_key(session, organisatie=data["organisatie"], scopes=("rapporteren",))
    session.commit()
    per_soort = client.get(AANTAL, params={"periode": JAAR, "groeperenOp": "soort,ketenpartnerCategorie"}, headers=headers)
    labels = {r["soort"]["code"]: r["soort"]["label"] for r in per_soort.json()["rijen"]}
    assert labels["klankbordgroep"] == "Klankbordgroep" and labels["adviesvraag"] == "Adviesvraag van een professional"
    categorieen = {r["ketenpartnerCategorie"]["code"]: r["ketenpartnerCategorie"]["label"] for r in per_soort.json()["rijen"]}
    assert categorieen["jgz"] == "Jeugdgezondheidszorg" and None in categorieen
    assert_problem(client.get(AANTAL, params={"periode": JAAR, "groeperenOp": "kanaal"}, headers=headers), 400)
    indicator = client.get("/v1/indicatoren/bereik-professionals", headers=headers).json()
    assert (indicator["eenheid"], indicator["dimensies"]) == (
        "aantal", ["organisatie", "gemeente", "sleutelpersoon", "soort", "onderwerp", "hoofdonderwerp", "ketenpartnerCategorie",
                   "project", "regeling"])


def test_a_regional_read_goes_through_the_protection(client: TestClient, session: Session, data: dict[str, Any]) -> None:
    regio = make_key(session, gemeentecodes=["GM0344", "GM0307"], scopes=("rapporteren",))
    session.commit()
    voor = session.exec(select(func.count()).select_from(LeesAudit)).one()
    response = client.get(BEREIK, params={"periode": JAAR, "groeperenOp": "soort"}, headers=regio)
    per_soort = _per(response, "soort")
    # The table is the whole code list, whatever the data holds.
    assert set(per_soort) == {(s,) for s in SOORTEN}
    regionaal = [r for r in data["rijen"] if r["gemeentecode"] is not None]
    echt = oracle("bereik-professionals", regionaal, "soort")
    for soort in ("adviesvraag", "casusoverleg", "voorlichting-aan-professionals"):
        waarde = per_soort[(soort,)]
        # Rounded by the cell key and moved by the ptable's noise (at most 2): within 3 of the truth.
        assert waarde is not None and abs(waarde - echt[(soort,)]) <= 3, (soort, waarde, echt)
    assert per_soort[("klankbordgroep",)] is None  # the work of one key person: the contributor rule
    assert per_soort[("materiaal-testen",)] is None  # three records, fewer than the minimum for a sum
    assert per_soort[("overleg",)] is None  # only a contact without a gemeente: outside every region
    assert all(r["onderdrukt"] == (r["waarde"] is None) for r in response.json()["rijen"])
    assert session.exec(select(func.count()).select_from(LeesAudit)).one() == voor + 1
    assert _per(client.get(BEREIK, params={"periode": JAAR, "groeperenOp": "soort"}, headers=regio), "soort") == per_soort

    # Counts: perturbed by at most 2; the one key person's klankbordgroep still suppressed.
    aantallen = _per(client.get(AANTAL, params={"periode": JAAR, "groeperenOp": "soort"}, headers=regio), "soort")
    echte_aantallen = oracle("aantal-professionele-contacten", regionaal, "soort")
    for soort in ("adviesvraag", "casusoverleg", "voorlichting-aan-professionals"):
        assert aantallen[(soort,)] is not None and abs(aantallen[(soort,)] - echte_aantallen[(soort,)]) <= 2
    assert aantallen[("klankbordgroep",)] is None
    # The rate from perturbed teller and noemer.
    percentage = client.get(PERCENTAGE, params={"periode": JAAR, "groeperenOp": "gemeente"}, headers=regio)
    per_gemeente = {r["gemeente"]["code"]: r for r in percentage.json()["rijen"]}
    echte_percentages = oracle("percentage-adviezen-teruggekoppeld", regionaal, "gemeente")
    assert set(per_gemeente) == {"GM0344", "GM0307"}
    for rij in per_gemeente.values():
        if rij["waarde"] is not None:
            assert rij["teller"] <= rij["noemer"] and rij["waarde"] == round(100 * rij["teller"] / rij["noemer"], 1)
    assert per_gemeente["GM0344"]["waarde"] is not None
    assert abs(per_gemeente["GM0344"]["waarde"] - echte_percentages[("GM0344",)]) <= 15
    # By the asking partner's category: the table is the whole code list plus "asked by no partner";
    # with two partners in the data it is too sparse and refused, a table of the named categories is not.
    assert_problem(client.get(PERCENTAGE, params={"periode": JAAR, "groeperenOp": "ketenpartnerCategorie"}, headers=regio), 400)
    twee = client.get(AANTAL, params={"periode": JAAR, "groeperenOp": "ketenpartnerCategorie",
                                      "ketenpartnerCategorie": "jgz,sociaal-wijkteam"}, headers=regio)
    per_categorie = _per(twee, "ketenpartnerCategorie")
    echte_categorieen = oracle("aantal-professionele-contacten", regionaal, "ketenpartnerCategorie")
    assert set(per_categorie) == {("jgz",), ("sociaal-wijkteam",)}
    for sleutel, waarde in per_categorie.items():
        assert waarde is not None and abs(waarde - echte_categorieen[sleutel]) <= 2

    # Per key person is never regional, nor per day; another region sees nothing of these contacts.
    for url in (BEREIK, AANTAL, PERCENTAGE):
        assert_problem(client.get(url, params={"periode": JAAR, "groeperenOp": "sleutelpersoon"}, headers=regio), 403)
        assert_problem(client.get(url, params={"periode": JAAR, "interval": "dag"}, headers=regio), 400)
    elders = make_key(session, gemeentecodes=["GM0363"], scopes=("rapporteren",))
    session.commit()
    for url in (BEREIK, AANTAL, PERCENTAGE):
        assert _per(client.get(url, params={"periode": JAAR}, headers=elders)) == {(): None}


def test_the_rates_denominator_is_the_same_figure_as_the_count_of_adviesvragen(
    client: TestClient, session: Session, data: dict[str, Any]
) -> None:
    """The denominator of percentage-adviezen-teruggekoppeld counts the adviesvragen: a regional reader who
    asks the count with soort=adviesvraag gets the very same perturbed number, not a second draw of
    noise over the same records (two draws could be averaged)."""
    regio = make_key(session, gemeentecodes=["GM0344", "GM0307"], scopes=("rapporteren",))
    session.commit()
    percentage = client.get(PERCENTAGE, params={"periode": JAAR, "groeperenOp": "gemeente"}, headers=regio)
    aantal = client.get(AANTAL, params={"periode": JAAR, "groeperenOp": "gemeente", "soort": "adviesvraag"}, headers=regio)
    assert percentage.status_code == aantal.status_code == 200, (percentage.text, aantal.text)
    noemers = {r["gemeente"]["code"]: r["noemer"] for r in percentage.json()["rijen"]}
    aantallen = {r["gemeente"]["code"]: r["waarde"] for r in aantal.json()["rijen"]}
    assert noemers == aantallen and noemers["GM0344"] is not None
    totaal = client.get(PERCENTAGE, params={"periode": JAAR}, headers=regio).json()["rijen"][0]["noemer"]
    assert totaal == client.get(AANTAL, params={"periode": JAAR, "soort": "adviesvraag"}, headers=regio).json()["rijen"][0]["waarde"]
