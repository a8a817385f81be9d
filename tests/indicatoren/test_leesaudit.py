"""Regional reads are audited (parameters, never results) and budgeted per key and day (issue 21, part 5).

The API and dashboard tests run in the test's transaction, where `registreer` writes in the request's
own session. The tests of concurrency and of the 429's own audit row use a database of their own and
real commits, the way the service runs.
"""

import json
import threading
import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, inspect, select, text
from sqlmodel import Session
from typer.testing import CliRunner

from app.cli import app as cli_app
from app.codelijsten import service as codelijsten
from app.core.config import Settings, get_settings
from app.core.errors import TeVeelVerzoeken
from app.core.periods import Interval, parse_periode
from app.core.validation import TIJDZONE, vandaag
from app.indicatoren import lezingen
from app.indicatoren.catalogue import INDICATOREN
from app.indicatoren.service import Verzoek
from app.models import LeesAudit
from app.toegang import cli as toegang_cli
from app.toegang.caller import Binding, Caller, Scope
from app.web.pages.overzicht import PERIODES
from tests.conftest import DatabaseFactory
from tests.factories import Omgeving, make_contactmoment, make_key
from tests.helpers import assert_problem
from tests.toegang.helpers import key_of
from tests.web.helpers import meld_aan

WAARDEN = "/v1/indicatoren/aantal-contactmomenten/waarden"
GEMEENTE = "GM0344"


@pytest.fixture
def regio(session: Session, omgeving: Omgeving) -> dict[str, str]:
    """A regional reporting key for the organisation's gemeente, with a few contacts to read."""
    for dag in (date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 9)):
        make_contactmoment(session, omgeving.organisatie, omgeving.sleutelpersoon, datum=dag, gemeentecode=GEMEENTE)
    headers = make_key(session, scopes=("rapporteren",), gemeentecodes=[GEMEENTE])
    session.commit()
    return headers


@pytest.fixture
def budget(monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    monkeypatch.setattr(get_settings(), "leesbudget_per_dag", 3)
    yield 3


def rijen(session: Session, headers: dict[str, str] | None = None) -> list[LeesAudit]:
    statement = select(LeesAudit).order_by(LeesAudit.id)  # type: ignore[arg-type]
    if headers is not None:
        statement = statement.where(LeesAudit.api_sleutel_id == key_of(session, headers).id)
    return list(session.scalars(statement))


def verzoek(code: str = "aantal-contactmomenten", periode: str = "2026-03", **extra: Any) -> Verzoek:
    return Verzoek(indicator=INDICATOREN[code], periode=parse_periode(periode, today=date(2026, 12, 7)),
                   interval=Interval(extra["interval"]) if "interval" in extra else None, groeperen_op=tuple(extra.get("groeperen_op", ())),
                   filters=extra.get("filters", {}))


# --- audit ----------------------------------------------------------------------------------------


def test_elke_regionale_lezing_in_elk_formaat_geaudit_met_parameters(
    client: TestClient, session: Session, regio: dict[str, str]
) -> None:
    params = {"vanaf": "2026-03-01", "tot": "2026-03-31", "groeperenOp": "kanaal,gemeente", "kanaal": "video,persoonlijk"}
    for formaat in ("json", "csv", "csv-rfc4180", "xlsx"):
        assert client.get(WAARDEN, params={**params, "formaat": formaat}, headers=regio).status_code == 200
    # The same table asked as a named period, with dimensions and filter values in another order.
    zelfde = {"periode": "2026-03", "groeperenOp": "gemeente,kanaal", "kanaal": "persoonlijk,video"}
    assert client.get(WAARDEN, params=zelfde, headers=regio).status_code == 200

    gelezen = rijen(session, regio)
    assert len(gelezen) == 5
    assert {r.tabel_hash for r in gelezen} == {gelezen[0].tabel_hash}  # one table
    assert [r.nieuw for r in gelezen] == [True, False, False, False, False]  # only the first read counts
    assert all(r.dag == vandaag() and r.geweigerd is None for r in gelezen)
    assert gelezen[0].parameters == {
        "indicator": "aantal-contactmomenten", "vanaf": "2026-03-01", "tot": "2026-03-31", "interval": None,
        "groeperenOp": ["gemeente", "kanaal"], "filters": {"kanaal": ["persoonlijk", "video"]},
    }
    assert gelezen[0].indicator == "aantal-contactmomenten"


def test_de_audit_bevat_nooit_een_uitkomst(client: TestClient, session: Session, regio: dict[str, str]) -> None:
    antwoord = client.get(WAARDEN, params={"periode": "2026-03", "interval": "week"}, headers=regio)
    assert antwoord.status_code == 200
    (rij,) = rijen(session, regio)
    # The columns are fixed: a column for a value, numerator or denominator would fail here.
    kolommen = {k["name"] for k in inspect(session.connection()).get_columns("lees_audit")}
    assert kolommen == {"id", "tijdstip", "api_sleutel_id", "dag", "indicator", "parameters", "tabel_hash",
                        "nieuw", "geweigerd"}
    assert set(rij.parameters) == {"indicator", "vanaf", "tot", "interval", "groeperenOp", "filters"}
    opgeslagen = json.dumps(rij.parameters)
    for woord in ("waarde", "teller", "noemer", "onderdrukt", "rijen"):
        assert woord not in opgeslagen
    assert rij.parameters == {"indicator": "aantal-contactmomenten", "vanaf": "2026-03-01", "tot": "2026-03-31",
                              "interval": "week", "groeperenOp": [], "filters": {}}


def test_dashboard_en_zijn_downloads_geaudit(client: TestClient, session: Session, regio: dict[str, str]) -> None:
    assert meld_aan(client, regio).status_code == 303
    assert client.get("/overzicht", params={"periode": "2026-03"}).status_code == 200
    pagina = rijen(session, regio)
    # Eight tiles, two trend series, topics, referrals and their completion: 13 tables, each once.
    assert len(pagina) == 13 and all(r.nieuw for r in pagina)
    assert {r.indicator for r in pagina} >= {"aantal-contactmomenten", "bereik-inwoners", "bestede-uren"}
    download = client.get("/overzicht/download", params={
        "indicator": "aantal-hulpvragen", "periode": "2026-03", "groeperenOp": "hoofdonderwerp", "formaat": "xlsx"})
    assert download.status_code == 200
    nieuw = rijen(session, regio)[len(pagina):]
    assert [(r.indicator, r.nieuw) for r in nieuw] == [("aantal-hulpvragen", False)]  # the chart's own table
    assert nieuw[0].parameters["groeperenOp"] == ["hoofdonderwerp"]


def test_organisatiesleutel_leest_eigen_cijfers_zonder_audit_of_budget(
    client: TestClient, session: Session, omgeving: Omgeving, budget: int
) -> None:
    eigen = make_key(session, organisatie=omgeving.organisatie, scopes=("rapporteren",))
    session.commit()
    for maand in range(1, 2 * budget + 2):
        assert client.get(WAARDEN, params={"periode": f"2026-{maand:02d}"}, headers=eigen).status_code == 200
    assert rijen(session) == []


# --- budget ---------------------------------------------------------------------------------------


def test_budget_429_na_n_tabellen_herlezen_gratis_morgen_weer(
    client: TestClient, session: Session, regio: dict[str, str], budget: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    for maand in (1, 2, 3):
        assert client.get(WAARDEN, params={"periode": f"2026-{maand:02d}"}, headers=regio).status_code == 200
    op = client.get(WAARDEN, params={"periode": "2026-04"}, headers=regio)
    body = assert_problem(op, 429, "Dagbudget voor regionale tabellen op")
    assert "3 verschillende tabellen" in body["detail"] and "middernacht" in body["detail"]
    assert "opnieuw opvragen zonder dat die meetelt" in body["detail"]
    assert 0 < int(op.headers["Retry-After"]) <= 25 * 3600
    # CSV and XLSX of a new table are refused alike; re-reading a table of today stays free.
    assert client.get(WAARDEN, params={"periode": "2026-04", "formaat": "csv"}, headers=regio).status_code == 429
    for _ in range(3):
        assert client.get(WAARDEN, params={"periode": "2026-02", "formaat": "xlsx"}, headers=regio).status_code == 200
    # Another regional key has a budget of its own.
    ander = make_key(session, scopes=("rapporteren",), gemeentecodes=[GEMEENTE])
    session.commit()
    assert client.get(WAARDEN, params={"periode": "2026-04"}, headers=ander).status_code == 200

    morgen = datetime.now(TIJDZONE) + timedelta(days=1)
    monkeypatch.setattr(lezingen, "nu", lambda: morgen)
    assert client.get(WAARDEN, params={"periode": "2026-04"}, headers=regio).status_code == 200
    assert rijen(session, regio)[-1].dag == morgen.date()


def test_beheersleutel_heeft_ook_een_budget(client: TestClient, session: Session, regio: dict[str, str], budget: int) -> None:
    beheer = make_key(session, beheer=True, scopes=("rapporteren",))
    session.commit()
    for maand in (1, 2, 3):
        assert client.get(WAARDEN, params={"periode": f"2026-{maand:02d}"}, headers=beheer).status_code == 200
    assert_problem(client.get(WAARDEN, params={"periode": "2026-04"}, headers=beheer), 429)


def test_dashboard_toont_het_budget_als_pagina(client: TestClient, session: Session, regio: dict[str, str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "leesbudget_per_dag", 5)
    assert meld_aan(client, regio).status_code == 303
    pagina = client.get("/overzicht", params={"periode": "2026-03"})
    assert pagina.status_code == 429 and "text/html" in pagina.headers["content-type"]
    assert "Dagbudget voor regionale tabellen op" in pagina.text


def test_geweigerde_tabel_geaudit_zonder_budget(session: Session, regio: dict[str, str], budget: int) -> None:
    sleutel = key_of(session, regio)
    caller = Caller(sleutel_id=sleutel.id, scopes=frozenset({Scope.rapporteren}), binding=Binding.regio,
                    gemeentecodes=(GEMEENTE,))
    for maand in range(1, 8):
        lezingen.registreer(session, caller=caller, verzoek=verzoek(periode=f"2026-{maand:02d}", interval="dag"),
                            geweigerd="te veel detail")
    for maand in range(1, 4):
        lezingen.registreer(session, caller=caller, verzoek=verzoek(periode=f"2026-{maand:02d}"))
    with pytest.raises(TeVeelVerzoeken):
        lezingen.registreer(session, caller=caller, verzoek=verzoek(periode="2026-09"))
    gelezen = rijen(session, regio)
    assert [r.geweigerd for r in gelezen[:7]] == ["te veel detail"] * 7 and not any(r.nieuw for r in gelezen[:7])
    assert [r.nieuw for r in gelezen[7:]] == [True, True, True, False]
    assert gelezen[-1].geweigerd == lezingen.BUDGET_OP


@pytest.mark.parametrize(("moment", "seconden"), [
    (datetime(2026, 12, 7, 23, 59, 30, tzinfo=TIJDZONE), 30),
    (datetime(2026, 12, 7, 0, 0, 0, tzinfo=TIJDZONE), 24 * 3600),
    (datetime(2026, 10, 25, 0, 30, tzinfo=TIJDZONE), 24 * 3600 + 1800),  # clocks go back: a day of 25 hours
    (datetime(2026, 3, 29, 0, 30, tzinfo=TIJDZONE), 22 * 3600 + 1800),  # clocks go forward: 23 hours
])
def test_retry_after_tot_middernacht_in_nederland(moment: datetime, seconden: int) -> None:
    assert lezingen.seconden_tot_middernacht(moment) == seconden


def test_tabelidentiteit_kent_geen_volgorde_maar_wel_elke_parameter() -> None:
    a = lezingen.tabel_hash(lezingen.tabel_parameters(
        verzoek(groeperen_op=("taal", "kanaal"), filters={"taal": ("ti", "ar"), "kanaal": ("video",)})))
    b = lezingen.tabel_hash(lezingen.tabel_parameters(
        verzoek(groeperen_op=("kanaal", "taal"), filters={"kanaal": ("video",), "taal": ("ar", "ti")})))
    assert a == b
    anders = [
        verzoek(groeperen_op=("kanaal", "taal"), filters={"kanaal": ("video",), "taal": ("ar",)}),
        verzoek(groeperen_op=("kanaal",), filters={"kanaal": ("video",), "taal": ("ar", "ti")}),
        verzoek(periode="2026-04", groeperen_op=("kanaal", "taal"), filters={"kanaal": ("video",), "taal": ("ar", "ti")}),
        verzoek("aantal-hulpvragen", groeperen_op=("kanaal", "taal"), filters={"kanaal": ("video",), "taal": ("ar", "ti")}),
    ]
    assert len({a, *(lezingen.tabel_hash(lezingen.tabel_parameters(v)) for v in anders)}) == 5


# --- with real commits: the 429's own row, and concurrency ----------------------------------------


@pytest.fixture(scope="module")
def eigen_engine(databases: DatabaseFactory) -> Iterator[Engine]:
    engine = databases.new_engine()
    yield engine
    engine.dispose()


def _caller(binding: Binding = Binding.regio) -> Caller:
    return Caller(sleutel_id=uuid.uuid4(), scopes=frozenset({Scope.rapporteren}), binding=binding,
                  gemeentecodes=(GEMEENTE,) if binding is Binding.regio else ())


def _tel(engine: Engine, caller: Caller, **where: Any) -> int:
    with Session(engine) as s:
        statement = select(func.count()).select_from(LeesAudit).where(LeesAudit.api_sleutel_id == caller.sleutel_id)
        for naam, waarde in where.items():
            statement = statement.where(getattr(LeesAudit, naam) == waarde)
        return s.execute(statement).scalar_one()


def test_de_weigering_zelf_staat_vast_in_de_audit(eigen_engine: Engine, budget: int) -> None:
    caller = _caller()
    with Session(eigen_engine) as s:
        for maand in (1, 2, 3):
            lezingen.registreer(s, caller=caller, verzoek=verzoek(periode=f"2026-{maand:02d}"))
        with pytest.raises(TeVeelVerzoeken) as fout:
            lezingen.registreer(s, caller=caller, verzoek=verzoek(periode="2026-04"))
        s.rollback()  # the request fails: its own transaction goes, the audit rows were committed apart
    assert fout.value.title == lezingen.TITEL and int(fout.value.headers["Retry-After"]) > 0
    assert _tel(eigen_engine, caller, nieuw=True) == 3
    assert _tel(eigen_engine, caller, geweigerd=lezingen.BUDGET_OP) == 1


def test_gelijktijdige_verzoeken_komen_samen_niet_over_het_budget(eigen_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "leesbudget_per_dag", 10)
    caller = _caller()
    start = threading.Barrier(8)
    uitkomsten: list[str] = []
    slot = threading.Lock()

    def lezer(n: int) -> None:
        start.wait()
        for i in range(5):  # 8 threads x 5 distinct tables = 40 new tables for a budget of 10
            with Session(eigen_engine) as s:
                try:
                    lezingen.registreer(s, caller=caller, verzoek=verzoek(periode=f"{2000 + n}-{i + 1:02d}"))
                    uitkomst = "ok"
                except TeVeelVerzoeken:
                    uitkomst = "429"
            with slot:
                uitkomsten.append(uitkomst)

    threads = [threading.Thread(target=lezer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(uitkomsten).count("ok") == 10 and uitkomsten.count("429") == 30
    assert _tel(eigen_engine, caller, nieuw=True) == 10
    assert _tel(eigen_engine, caller) == 40


# --- suspicious patterns --------------------------------------------------------------------------


def _lees(engine: Engine, caller: Caller, code: str = "aantal-contactmomenten", **params: str) -> bool:
    """One read through the service with real commits (the way the service runs): True when answered.
    A refused table is audited in its own transaction, so it stays in the audit."""
    from app.core.errors import GeenToegang, OngeldigeInvoer
    from app.indicatoren.dependencies import waarden_verzoek
    from app.indicatoren.service import bereken

    with Session(engine) as s:
        try:
            bereken(s, caller=caller, verzoek=waarden_verzoek(code, **params), drempel=5, max_rijen=10_000)
        except (GeenToegang, OngeldigeInvoer):
            return False
    return True


def _middeling(engine: Engine, caller: Caller, *, doeldagen: int, paren: int) -> None:
    """Key-aware averaging as in issue 21 (7b): for each target day d, windows [d, e] and [d+1, e] for many e.
    The table checks refuse day windows (one that is exactly an ISO week passes); the audit keeps them."""
    begin = date(2026, 3, 1)
    for i in range(doeldagen):
        d = begin + timedelta(days=i)
        for j in range(paren):
            e = d + timedelta(days=7 + j)
            for vanaf in (d, d + timedelta(days=1)):
                _lees(engine, caller, vanaf=vanaf.isoformat(), tot=e.isoformat(), gemeente=GEMEENTE)


def _drempelorakel(engine: Engine, caller: Caller) -> None:
    """Attack 4: a filter with one value more or less, over the same table (unions: refused, audited)."""
    talen = ["ar", "ti", "so", "fa", "tr", "pl"]
    for n in range(1, len(talen) + 1):
        _lees(engine, caller, periode="2026-03", groeperenOp="kanaal", taal=",".join(talen[:n]))
        _lees(engine, caller, periode="2026-03", groeperenOp="kanaal", taal=",".join(talen[n - 1:]))


def _dashboardgebruiker(engine: Engine, caller: Caller) -> None:
    """A policy adviser: the overview's figures for every preset period, the topic drill-downs of one, twice."""
    for _ in range(2):
        for periode, _naam in PERIODES:
            for code in ("aantal-contactmomenten", "aantal-hulpvragen", "bereik-inwoners", "aantal-doorverwijzingen"):
                assert _lees(engine, caller, code, periode=periode)
            assert _lees(engine, caller, periode=periode, interval="maand")
            assert _lees(engine, caller, "aantal-hulpvragen", periode=periode, groeperenOp="hoofdonderwerp")
        for hoofd in ("gezondheid", "zorg", "geld", "gezin", "wonen", "werk"):
            assert _lees(engine, caller, "aantal-hulpvragen", periode="dit-jaar", groeperenOp="onderwerp",
                         hoofdonderwerp=hoofd)


@pytest.fixture
def lezers(eigen_engine: Engine) -> dict[str, Caller]:
    """Three regional readers that read today: an averaging attacker, a threshold-oracle attacker, a dashboard user."""
    lezers = {"aanvaller": _caller(), "orakel": _caller(), "gebruiker": _caller()}
    _middeling(eigen_engine, lezers["aanvaller"], doeldagen=3, paren=20)
    _drempelorakel(eigen_engine, lezers["orakel"])
    _dashboardgebruiker(eigen_engine, lezers["gebruiker"])
    return lezers


def test_patronen_wijzen_de_aanvallers_aan_en_niet_de_gebruiker(eigen_engine: Engine, lezers: dict[str, Caller]) -> None:
    dag = vandaag()
    with Session(eigen_engine) as s:
        patronen = {p.api_sleutel_id: p for p in lezingen.leespatronen(s, vanaf=dag, tot=dag)}
    aanvaller, orakel, gebruiker = (patronen[lezers[n].sleutel_id] for n in ("aanvaller", "orakel", "gebruiker"))
    # 3 target days x 20 windows, each [d, e] beside [d+1, e]: refused by the table checks (hardly any
    # answered), yet the audit of the refusals shows the shape of the attack.
    assert aanvaller.tabellen <= 3 and sum(aanvaller.geweigerd.values()) >= 3 * 20
    assert aanvaller.dag_buren >= 3 * 20 and aanvaller.waarde_buren == 0
    assert orakel.waarde_buren >= 10 and orakel.dag_buren == 0 and sum(orakel.geweigerd.values()) >= 10
    # The dashboard user read many tables (and several periods that touch), but no near-duplicates.
    assert gebruiker.tabellen >= 40 and not gebruiker.geweigerd
    assert gebruiker.buren == 0, gebruiker.voorbeeld
    assert min(aanvaller.buren, orakel.buren) >= 10 > gebruiker.buren
    assert list(patronen)[:2] == [aanvaller.api_sleutel_id, orakel.api_sleutel_id]  # most suspicious first


def test_cli_leespatronen_toont_de_aanvallers(eigen_engine: Engine, lezers: dict[str, Caller],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(toegang_cli, "session_factory", lambda: Session(eigen_engine))
    resultaat = CliRunner().invoke(cli_app, ["toegang", "leespatronen", "--minimum", "10"])
    assert resultaat.exit_code == 0, resultaat.output
    namen = {n: str(c.sleutel_id) for n, c in lezers.items()}  # keys without a stored row are shown by id
    assert namen["aanvaller"] in resultaat.stdout and namen["orakel"] in resultaat.stdout
    assert namen["gebruiker"] not in resultaat.stdout
    alles = CliRunner().invoke(cli_app, ["toegang", "leespatronen", "--minimum", "0"])
    assert namen["gebruiker"] in alles.stdout


def test_openapi_noemt_het_dagbudget(client: TestClient) -> None:
    antwoord = client.get("/v1/openapi.json").json()["paths"]["/indicatoren/{code}/waarden"]["get"]
    te_veel = antwoord["responses"]["429"]
    assert "Dagbudget voor regionale tabellen op" in te_veel["description"]
    assert "Retry-After" in te_veel["headers"]
    assert "nooit met de uitkomst" in antwoord["description"]


def test_cli_lezingen_van_een_sleutel(session: Session, client: TestClient, regio: dict[str, str], budget: int,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    for params in ({"periode": "2026-01"}, {"periode": "2026-01", "formaat": "csv"},
                   {"periode": "2026-02", "groeperenOp": "taal", "taal": "ar,ti"}):
        assert client.get(WAARDEN, params=params, headers=regio).status_code == 200

    def test_session() -> Session:
        session.commit()
        return session

    monkeypatch.setattr(toegang_cli, "session_factory", test_session)
    prefix = key_of(session, regio).prefix
    resultaat = CliRunner().invoke(cli_app, ["toegang", "lezingen", prefix])
    assert resultaat.exit_code == 0, resultaat.output
    uitvoer = resultaat.stdout
    assert uitvoer.count("aantal-contactmomenten") == 3 and "taal=ar,ti" in uitvoer
    assert uitvoer.count("nieuw") == 2 and uitvoer.count("herhaald") == 1
    leeg = CliRunner().invoke(cli_app, ["toegang", "lezingen", prefix, "--dag", "2020-01-01"])
    assert leeg.exit_code == 0 and "Geen lezingen" in leeg.stderr


def test_schrijvend_verzoek_op_sqlite_wacht_niet_op_zichzelf(eigen_engine: Engine) -> None:
    from app.core.db import _schrijvend

    caller = _caller()
    with Session(_schrijvend(eigen_engine)) as s:
        s.connection()  # a writing request: on SQLite it holds the write slot from here
        lezingen.registreer(s, caller=caller, verzoek=verzoek())
        s.rollback()
    # SQLite: written in the request's transaction (rolled back with it); PostgreSQL: in its own.
    assert _tel(eigen_engine, caller) == (1 if eigen_engine.dialect.name == "postgresql" else 0)


# --- the default budget against the dashboard and the key-aware averaging attack ------------------

STANDAARD = Settings.model_fields["leesbudget_per_dag"].default


def test_dashboardgebruiker_blijft_ruim_onder_het_standaardbudget(
    client: TestClient, session: Session, regio: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every preset period of the overview with every topic drill-down (91 pages), then every overview again."""
    monkeypatch.setattr(get_settings(), "leesbudget_per_dag", STANDAARD)
    assert meld_aan(client, regio).status_code == 303
    hoofdonderwerpen = [c for c in codelijsten.labels(session, lijst="onderwerp") if "." not in c]
    for periode, _ in PERIODES:
        assert client.get("/overzicht", params={"periode": periode}).status_code == 200
        for hoofd in hoofdonderwerpen:
            assert client.get("/overzicht", params={"periode": periode, "hoofdonderwerp": hoofd}).status_code == 200
    for periode, _ in PERIODES:
        assert client.get("/overzicht", params={"periode": periode}).status_code == 200
    gelezen = rijen(session, regio)
    tabellen = sum(r.nieuw for r in gelezen)
    assert len(gelezen) > 1000 and tabellen == len({r.tabel_hash for r in gelezen})
    assert tabellen <= 2 * STANDAARD // 3, tabellen  # 175 today: well under the budget


def test_standaardbudget_stopt_na_zoveel_verschillende_tabellen_en_weigeringen_kosten_niets(
    client: TestClient, session: Session, regio: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An analyst cycling through distinct allowed tables (months x groupings) gets 429 at the first new
    table past the budget; day windows in between are refused by the table checks and spend nothing."""
    monkeypatch.setattr(get_settings(), "leesbudget_per_dag", STANDAARD)
    maanden = [f"{jaar}-{maand:02d}" for jaar in range(2019, 2027) for maand in range(1, 13)]
    geweigerd, gelezen = None, 0
    for groepering in (None, "kanaal", "geslacht", "leeftijdscategorie"):
        for maand in maanden:
            dagvenster = client.get(WAARDEN, params={"vanaf": f"{maand}-02", "tot": f"{maand}-20", "gemeente": GEMEENTE},
                                    headers=regio)
            assert dagvenster.status_code == 400
            params = {"periode": maand, "gemeente": GEMEENTE, **({"groeperenOp": groepering} if groepering else {})}
            antwoord = client.get(WAARDEN, params=params, headers=regio)
            if antwoord.status_code == 429:
                geweigerd = gelezen + 1
                break
            assert antwoord.status_code == 200, antwoord.text
            gelezen += 1
        if geweigerd:
            break
    assert geweigerd == STANDAARD + 1
    dag = vandaag()
    (patroon,) = [p for p in lezingen.leespatronen(session, vanaf=dag, tot=dag)
                  if p.api_sleutel_id == key_of(session, regio).id]
    # The refusals spent nothing (in this test's transaction their own audit rows roll back with the
    # failed request; test_patronen_wijzen_de_aanvallers_aan_en_niet_de_gebruiker shows them kept).
    assert patroon.tabellen == STANDAARD


def test_bezette_database_geeft_een_eerlijke_503(eigen_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """An audit row that cannot be written in time (an import holds SQLite's write slot, or another request
    the key's lock on PostgreSQL) fails the read closed, as a 503 with Retry-After: never unaudited."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from app.core.db import _schrijvend
    from app.core.storingen import als_storing

    monkeypatch.setattr(lezingen, "BUSY_TIMEOUT_SECONDEN", 0.2)
    caller = _caller()
    with Session(_schrijvend(eigen_engine)) as bezet:
        connection = bezet.connection()  # SQLite: holds the write slot from here
        if eigen_engine.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(CAST(:k AS integer), CAST(:o AS integer))"),
                               {"k": lezingen._SLOT_KLASSE, "o": lezingen._slot(caller.sleutel_id)})
        with Session(eigen_engine) as s, pytest.raises((OperationalError, sqlite3.OperationalError)) as fout:
            lezingen.registreer(s, caller=caller, verzoek=verzoek())
        bezet.rollback()
    storing = als_storing(fout.value, schrijvend=False)
    assert storing is not None and storing.status == 503 and int(storing.headers["Retry-After"]) > 0
    assert _tel(eigen_engine, caller) == 0
    with Session(eigen_engine) as s:  # free again: the read goes through
        lezingen.registreer(s, caller=caller, verzoek=verzoek())
    assert _tel(eigen_engine, caller, nieuw=True) == 1


@pytest.mark.parametrize("getal", [0, 2**127, 2**128 - 1, (2**31 - 1) << 96])
def test_elke_sleutel_past_in_het_slot(eigen_engine: Engine, getal: int) -> None:
    """The key's advisory lock takes two 32-bit integers; the extremes of a UUID fit."""
    caller = Caller(sleutel_id=uuid.UUID(int=getal), scopes=frozenset({Scope.rapporteren}), binding=Binding.beheer)
    with Session(eigen_engine) as s:
        lezingen.registreer(s, caller=caller, verzoek=verzoek(periode="1999"))
    assert _tel(eigen_engine, caller, nieuw=True) == 1
