"""A GGD analyst as adversary: differencing attacks on regional figures (issue 11, docs/onderdrukking.md).

A seeded data set plants many small cells (1..4 records) beside large ones, in four gemeenten over
120 days. Each attack combines ordinary queries of a regional key to estimate the small cells, as
the attacks found before cell key perturbation did (then every attack was right every time).
Noise of at most ±2 makes about a quarter of differences come out right by luck, so each attack
asserts that fewer than half of its estimates are exactly right, also among the estimates that
look plausible (an attacker cannot tell the right ones apart), and that a repeated query gives the
same answer.

The data lives in a database of its own, loaded once for the module; record keys come from a
seeded generator so the rates are the same on every run and on both databases.
"""

import csv
import io
import random
import uuid
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert
from sqlmodel import Session

from app.core import db
from app.models import Contactmoment, ContactmomentOnderwerp, Organisatie, Sleutelpersoon, Uitkomst
from tests.conftest import DatabaseFactory
from tests.factories import make_key

DREMPEL = 5
GEMEENTEN = ("GM0344", "GM0307", "GM0321", "GM0353")
KLEIN = "GM0355"  # a gemeente with 1..4 contacts a day: the target of "region minus one gemeente"
BEGIN, EINDE = date(2025, 1, 1), date(2025, 4, 30)
ANDERE_KANALEN = ("persoonlijk", "video", "spreekuur")  # every individual channel but the planted telefonisch
DAGEN = [BEGIN + timedelta(days=i) for i in range((EINDE - BEGIN).days + 1)]

Cel = tuple[Any, ...]


class Waarheid:
    """The true small cells the attacks aim at, keyed like the estimates."""

    def __init__(self) -> None:
        self.klein: dict[tuple[str, date], int] = {}  # telefonisch/asielzoeker/ti/belastingen per (gemeente, dag)
        self.klein_minuten: dict[tuple[str, date], int] = {}
        self.zondag: dict[tuple[str, date], int] = {}  # video on Sundays
        self.maart: dict[str, int] = {}  # spreekuur in March
        self.kleine_gemeente: dict[date, int] = {}


def _plant(session: Session) -> tuple[Waarheid, dict[str, str], dict[str, str]]:
    rng = random.Random(20251)
    waarheid = Waarheid()
    organisatie = Organisatie(naam="Regio-organisatie", soort="ggd", gemeentecodes=[*GEMEENTEN, KLEIN])
    session.add(organisatie)
    session.flush()
    persoon = Sleutelpersoon(organisatie_id=organisatie.id, weergavenaam="Sleutelpersoon A")
    session.add(persoon)
    session.flush()
    contacten: list[dict[str, Any]] = []
    onderwerpen: list[dict[str, Any]] = []
    uitkomsten: list[dict[str, Any]] = []

    def contact(gemeente: str, dag: date, *, kanaal: str, doelgroep: str, taal: str, topics: tuple[str, ...],
                duur: int, resultaat: str, soort: str = "individueel", deelnemers: int = 1) -> None:
        cid = uuid.uuid4()
        contacten.append({
            "id": cid, "organisatie_id": organisatie.id, "sleutelpersoon_id": persoon.id, "datum": dag,
            "gemeentecode": gemeente, "kanaal": kanaal, "soort": soort, "aantal_deelnemers": deelnemers,
            "inwoner_hash": uuid.UUID(int=rng.getrandbits(128)).hex * 2 if soort == "individueel" else None,
            "doelgroep": doelgroep, "taal": taal, "duur_minuten": duur, "inhoud_hash": cid.hex,
            "record_key": rng.randrange(256),
        })
        onderwerpen.extend({"contactmoment_id": cid, "onderwerp": t, "record_key": rng.randrange(256)} for t in topics)
        uitkomsten.append({"id": uuid.uuid4(), "organisatie_id": organisatie.id, "contactmoment_id": cid,
                           "resultaat": resultaat, "datum": dag, "record_key": rng.randrange(256)})

    for gemeente in GEMEENTEN:
        for dag in DAGEN:
            for _ in range(rng.randint(8, 12)):
                contact(gemeente, dag, kanaal="persoonlijk", doelgroep="statushouder", taal="ar",
                        topics=("geld.schulden", "geld.toeslagen"), duur=rng.randint(30, 90),
                        resultaat=rng.choice(("opgelost", "lopend")))
            k = rng.randint(1, 4)
            waarheid.klein[gemeente, dag] = k
            minuten = [rng.randint(20, 60) for _ in range(k)]
            waarheid.klein_minuten[gemeente, dag] = sum(minuten)
            for duur in minuten:
                contact(gemeente, dag, kanaal="telefonisch", doelgroep="asielzoeker", taal="ti",
                        topics=("geld.belastingen",), duur=duur, resultaat="opgelost")
            video = rng.randint(1, 4) if dag.isoweekday() == 7 else rng.randint(7, 10)
            if dag.isoweekday() == 7:
                waarheid.zondag[gemeente, dag] = video
            for _ in range(video):
                contact(gemeente, dag, kanaal="video", doelgroep="overig", taal="nl", topics=("zorg.huisarts",),
                        duur=rng.randint(15, 45), resultaat="lopend")
            contact(gemeente, dag, kanaal="groepsbijeenkomst", doelgroep="overig", taal="nl", topics=("zorg.jgz",),
                    duur=90, resultaat="onbekend", soort="groep", deelnemers=rng.randint(5, 30))
        for maand in (1, 2, 3):
            spreekuur = rng.randint(1, 4) if maand == 3 else rng.randint(10, 15)
            if maand == 3:
                waarheid.maart[gemeente] = spreekuur
            for _ in range(spreekuur):
                contact(gemeente, date(2025, maand, 14), kanaal="spreekuur", doelgroep="overig", taal="nl",
                        topics=("zorg.ggz",), duur=30, resultaat="lopend")
    for dag in DAGEN:
        waarheid.kleine_gemeente[dag] = n = rng.randint(1, 4)
        for _ in range(n):
            contact(KLEIN, dag, kanaal="persoonlijk", doelgroep="statushouder", taal="ar", topics=("geld.schulden",),
                    duur=30, resultaat="opgelost")
    session.execute(insert(Contactmoment.__table__), contacten)
    session.execute(insert(ContactmomentOnderwerp.__table__), onderwerpen)
    session.execute(insert(Uitkomst.__table__), uitkomsten)
    regio = make_key(session, gemeentecodes=list(GEMEENTEN), scopes=("rapporteren",))
    regio_klein = make_key(session, gemeentecodes=["GM0344", KLEIN], scopes=("rapporteren",))
    return waarheid, regio, regio_klein


@pytest.fixture(scope="module")
def aanval(databases: DatabaseFactory) -> Iterator[dict[str, Any]]:
    engine = databases.new_engine()
    with Session(engine) as session:
        waarheid, regio, regio_klein = _plant(session)
        session.commit()
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")

    from app.main import create_app

    # The production request session (get_session) on this database, as in the browser tests.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(db, "get_engine", lambda: engine)
        with TestClient(create_app(), raise_server_exceptions=False) as client:
            yield {"client": client, "waarheid": waarheid, "regio": regio, "regio_klein": regio_klein}
    engine.dispose()


def _vraag(aanval: dict[str, Any], code: str, *, sleutel: str = "regio", **params: str | None) -> dict[Cel, dict[str, Any]]:
    """The rows of one query, by (period start, dimension codes...); asks twice to check it repeats."""
    url = f"/v1/indicatoren/{code}/waarden"
    params = {k: v for k, v in {"vanaf": BEGIN.isoformat(), "tot": EINDE.isoformat(), **params}.items() if v is not None}
    client, headers = aanval["client"], aanval[sleutel]
    response = client.get(url, params=params, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert client.get(url, params=params, headers=headers).json() == body, "a repeated query changed"
    assert body["onderdrukking"]["toegepast"] is True
    groepen = body["groeperenOp"]
    return {(date.fromisoformat(r["periode"]["vanaf"]), *[r[g]["code"] for g in groepen]): r for r in body["rijen"]}


def _waarde(rij: dict[str, Any] | None, veld: str = "waarde") -> float:
    """What an attacker takes a cell to be: a suppressed cell at its most likely, a missing one as 0."""
    if rij is None:
        return 0
    return rij[veld] if rij[veld] is not None else (DREMPEL - 1) / 2


def _beoordeel(naam: str, schattingen: dict[Any, float], waarheid: dict[Any, float], *, tolerantie: float = 0) -> None:
    """Fewer than half exactly right, also among the estimates that look plausible (1..drempel-1)."""
    assert schattingen and set(schattingen) <= set(waarheid)
    goed = {k for k, v in schattingen.items() if abs(v - waarheid[k]) <= tolerantie}
    plausibel = {k for k, v in schattingen.items() if 1 <= v < DREMPEL}
    goed_plausibel = goed & plausibel
    print(f"{naam}: {len(goed)}/{len(schattingen)} exact ({len(goed) / len(schattingen):.0%}); "
          f"plausible {len(goed_plausibel)}/{len(plausibel)}")
    assert len(goed) < len(schattingen) / 2, naam
    assert len(goed_plausibel) < max(1, len(plausibel)) / 2, naam


def test_the_small_cells_themselves_are_never_shown(aanval: dict[str, Any]) -> None:
    rijen = _vraag(aanval, "aantal-contactmomenten", interval="dag", groeperenOp="gemeente,kanaal")
    for gemeente, dag in aanval["waarheid"].klein:
        assert rijen[dag, gemeente, "telefonisch"]["waarde"] is None
        assert rijen[dag, gemeente, "telefonisch"]["onderdrukt"] is True


def test_parent_minus_children(aanval: dict[str, Any]) -> None:
    ouders = _vraag(aanval, "aantal-hulpvragen", interval="dag", groeperenOp="gemeente,hoofdonderwerp")
    kinderen = _vraag(aanval, "aantal-hulpvragen", interval="dag", groeperenOp="gemeente,onderwerp")
    schatting = {
        (g, d): _waarde(ouders.get((d, g, "geld"))) - _waarde(kinderen.get((d, g, "geld.schulden")))
        - _waarde(kinderen.get((d, g, "geld.toeslagen")))
        for (g, d) in aanval["waarheid"].klein
    }
    _beoordeel("parent minus children", schatting, aanval["waarheid"].klein)


def test_periods_one_day_apart(aanval: dict[str, Any]) -> None:
    waarheid = aanval["waarheid"].klein
    reeks = {}
    for dag in DAGEN[:41]:
        reeks[dag] = _vraag(aanval, "aantal-contactmomenten", vanaf=dag.isoformat(), tot=EINDE.isoformat(),
                            groeperenOp="gemeente", kanaal="telefonisch")
    schatting = {
        (g, dag): _waarde(reeks[dag].get((dag, g))) - _waarde(reeks[volgende].get((volgende, g)))
        for dag, volgende in zip(DAGEN[:40], DAGEN[1:41], strict=True) for g in GEMEENTEN
    }
    _beoordeel("periods one day apart", schatting, {k: waarheid[k] for k in schatting})


def test_period_minus_its_subperiods(aanval: dict[str, Any]) -> None:
    """The week minus its six visible days gives Sunday; the quarter minus two months gives March."""
    waarheid = aanval["waarheid"]
    dagen = _vraag(aanval, "aantal-contactmomenten", interval="dag", groeperenOp="gemeente", kanaal="video")
    weken = _vraag(aanval, "aantal-contactmomenten", interval="week", groeperenOp="gemeente", kanaal="video")
    schatting: dict[Any, float] = {}
    for (gemeente, zondag), _ in waarheid.zondag.items():
        maandag = zondag - timedelta(days=6)
        if (maandag, gemeente) not in weken or maandag < BEGIN:
            continue
        schatting[gemeente, zondag] = _waarde(weken[maandag, gemeente]) - sum(
            _waarde(dagen.get((maandag + timedelta(days=i), gemeente))) for i in range(6)
        )
    echt: dict[Any, float] = dict(waarheid.zondag)
    maanden = _vraag(aanval, "aantal-contactmomenten", periode="2025Q1", interval="maand", groeperenOp="gemeente",
                     kanaal="spreekuur", vanaf=None, tot=None)
    kwartaal = _vraag(aanval, "aantal-contactmomenten", periode="2025Q1", groeperenOp="gemeente", kanaal="spreekuur",
                      vanaf=None, tot=None)
    for gemeente, maart in waarheid.maart.items():
        schatting[gemeente, "maart"] = _waarde(kwartaal[date(2025, 1, 1), gemeente]) - _waarde(
            maanden[date(2025, 1, 1), gemeente]) - _waarde(maanden[date(2025, 2, 1), gemeente])
        echt[gemeente, "maart"] = maart
    _beoordeel("period minus its sub-periods", schatting, echt)


def test_linked_tables_over_two_dimensions(aanval: dict[str, Any]) -> None:
    """By gemeente, and by gemeente and taal: the row total minus its visible cells."""
    totaal = _vraag(aanval, "aantal-contactmomenten", interval="dag", groeperenOp="gemeente", soort="individueel")
    cellen = _vraag(aanval, "aantal-contactmomenten", interval="dag", groeperenOp="gemeente,taal", soort="individueel")
    schatting = {
        (g, d): _waarde(totaal.get((d, g))) - sum(_waarde(cellen.get((d, g, t))) for t in ("ar", "nl"))
        for (g, d) in aanval["waarheid"].klein
    }
    _beoordeel("linked tables", schatting, aanval["waarheid"].klein)


@pytest.mark.parametrize("code", ["aantal-contactmomenten", "bereik-inwoners"])
def test_filter_with_several_values_minus_grouping(aanval: dict[str, Any], code: str) -> None:
    gegroepeerd = _vraag(aanval, code, interval="dag", groeperenOp="gemeente,doelgroep")
    som = _vraag(aanval, code, interval="dag", groeperenOp="gemeente", doelgroep="asielzoeker,statushouder")
    schatting = {
        (g, d): _waarde(som.get((d, g))) - _waarde(gegroepeerd.get((d, g, "statushouder")))
        for (g, d) in aanval["waarheid"].klein
    }
    _beoordeel(f"filter with several values ({code})", schatting, aanval["waarheid"].klein)


@pytest.mark.parametrize("veld", ["teller", "noemer"])
def test_rates_filter_minus_grouping(aanval: dict[str, Any], veld: str) -> None:
    """percentage-opgelost: every planted contact is opgelost, so its teller and noemer are both k."""
    gegroepeerd = _vraag(aanval, "percentage-opgelost", interval="dag", groeperenOp="gemeente,doelgroep")
    som = _vraag(aanval, "percentage-opgelost", interval="dag", groeperenOp="gemeente",
                 doelgroep="asielzoeker,statushouder")
    schatting = {
        (g, d): _waarde(som.get((d, g)), veld) - _waarde(gegroepeerd.get((d, g, "statushouder")), veld)
        for (g, d) in aanval["waarheid"].klein
    }
    _beoordeel(f"rate {veld}, filter minus grouping", schatting, aanval["waarheid"].klein)


def test_complements(aanval: dict[str, Any]) -> None:
    """The region minus its one large gemeente gives the small one; a total minus visible cells gives the rest."""
    waarheid = aanval["waarheid"]
    regio = _vraag(aanval, "aantal-contactmomenten", sleutel="regio_klein", interval="dag", soort="individueel")
    groot = _vraag(aanval, "aantal-contactmomenten", sleutel="regio_klein", interval="dag", soort="individueel",
                   gemeente="GM0344")
    schatting = {dag: _waarde(regio.get((dag,))) - _waarde(groot.get((dag,))) for dag in DAGEN}
    _beoordeel("region minus one gemeente", schatting, waarheid.kleine_gemeente)

    totaal = _vraag(aanval, "aantal-contactmomenten", interval="dag", groeperenOp="gemeente", soort="individueel")
    kanalen = _vraag(aanval, "aantal-contactmomenten", interval="dag", groeperenOp="gemeente,kanaal",
                     soort="individueel", kanaal=",".join(ANDERE_KANALEN))
    schatting2 = {
        (g, d): _waarde(totaal.get((d, g))) - sum(_waarde(kanalen.get((d, g, k))) for k in ANDERE_KANALEN)
        for (g, d) in waarheid.klein
    }
    _beoordeel("total minus visible cells", schatting2, waarheid.klein)


def test_sums_down_to_single_contacts_are_not_shown(aanval: dict[str, Any]) -> None:
    """Grouped down to one contact per cell, a sum of fewer than `drempel` records is never shown."""
    waarheid = aanval["waarheid"]
    fijn = _vraag(aanval, "bestede-uren", interval="dag",
                  groeperenOp="wijk,leeftijdscategorie,geslacht,taal,doelgroep,kanaal,gemeente")
    klein = 0
    for (dag, *_, kanaal, gemeente), rij in fijn.items():
        if kanaal in ("telefonisch", "groepsbijeenkomst") or (kanaal == "video" and (gemeente, dag) in waarheid.zondag) \
                or (kanaal == "spreekuur" and dag.month == 3 and dag.day == 14):
            klein += 1
            assert rij["waarde"] is None and rij["onderdrukt"] is True, (dag, kanaal, gemeente)
    assert klein > 1000
    groepen = _vraag(aanval, "bereik-groepsdeelnemers", interval="dag", groeperenOp="gemeente")
    assert groepen and all(r["waarde"] is None and r["onderdrukt"] for r in groepen.values())


def test_sums_by_differencing(aanval: dict[str, Any]) -> None:
    """bestede-uren of the planted telefonisch contacts: the gemeente's day minus the other channels."""
    waarheid = aanval["waarheid"]
    totaal = _vraag(aanval, "bestede-uren", interval="dag", groeperenOp="gemeente", soort="individueel")
    kanalen = _vraag(aanval, "bestede-uren", interval="dag", groeperenOp="gemeente,kanaal", soort="individueel")
    schatting = {
        (g, d): _waarde(totaal.get((d, g))) - sum(_waarde(kanalen.get((d, g, k))) for k in ANDERE_KANALEN)
        for (g, d) in waarheid.klein
    }
    echt = {k: round(m / 60, 1) for k, m in waarheid.klein_minuten.items()}
    goed = sum(1 for k, v in schatting.items() if abs(v - echt[k]) < 0.05)
    print(f"sums by differencing: {goed}/{len(schatting)} exact to 0.1 hour")
    assert goed < len(schatting) / 2


def test_csv_carries_exactly_what_json_carries(aanval: dict[str, Any]) -> None:
    params = {"vanaf": BEGIN.isoformat(), "tot": EINDE.isoformat(), "interval": "dag", "groeperenOp": "gemeente,kanaal"}
    url = "/v1/indicatoren/aantal-contactmomenten/waarden"
    client, headers = aanval["client"], aanval["regio"]
    rijen = client.get(url, params=params, headers=headers).json()["rijen"]
    tekst = client.get(url, params={**params, "formaat": "csv-rfc4180"}, headers=headers).text
    uit_csv = list(csv.DictReader(io.StringIO(tekst)))
    assert [r["waarde"] or None for r in uit_csv] == [None if r["waarde"] is None else str(r["waarde"]) for r in rijen]


def test_no_targets_or_realisation_for_a_regional_key(aanval: dict[str, Any]) -> None:
    client, headers = aanval["client"], aanval["regio"]
    body = client.get("/v1/indicatoren/aantal-contactmomenten/waarden",
                      params={"periode": "2025Q1", "interval": "maand"}, headers=headers).json()
    assert all("doel" not in r and "realisatie" not in r for r in body["rijen"])
    assert client.get("/v1/doelen", headers=headers).status_code == 403


def test_noise_is_spread_over_cells(aanval: dict[str, Any]) -> None:
    """Cells with the same true value do not all get the same noise (the ptable depends on the cell key)."""
    rijen = _vraag(aanval, "aantal-contactmomenten", interval="dag", groeperenOp="gemeente", kanaal="persoonlijk")
    waarden: dict[str, set[float]] = defaultdict(set)
    for (_, gemeente), rij in rijen.items():
        waarden[gemeente].add(rij["waarde"])
    assert all(len(v) > 4 for v in waarden.values())
