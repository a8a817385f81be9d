"""Two instances behind a load balancer, against one PostgreSQL (issue 30, part 3).

Two real servers (`sleutelmonitor serve`, separate processes, each with an upload folder of its own)
share the database and nothing else:

(a) a dashboard session made on A is valid on B, and a dry run uploaded on A is run (committed) from B;
(b) a job whose instance is killed (SIGKILL, mid-job) is taken over by the other once its lease ran out,
    and finishes exactly once;
(c) the rate limit holds across both: N requests split over A and B get the 429 at the limit, not at twice it;
(d) the regional read budget holds across both.

Instance A runs no import poller (so in (a) only B can have run the job); B polls every second.
The figures (takeover time) are printed with `-s`.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, func, select

from app.models import Contactmoment, ImportRun
from tests.conftest import BACKEND, DatabaseFactory
from tests.factories import make_key
from tests.imports.helpers import Omgeving, csv_bytes, maak_omgeving, rij
from tests.minuut import ruim_in_de_minuut

pytestmark = pytest.mark.skipif(
    BACKEND != "postgresql", reason="several instances share a PostgreSQL; SQLite is one host by design"
)

WORTEL = Path(__file__).resolve().parent.parent
LIMIET = 30
BUDGET = 3
LEASE = 4


@dataclass
class Instantie:
    naam: str
    proces: subprocess.Popen[bytes]
    basis: str
    log: Path

    def client(self, **kwargs: object) -> httpx.Client:
        return httpx.Client(base_url=self.basis, timeout=60, follow_redirects=True, **kwargs)  # type: ignore[arg-type]

    def stop(self) -> None:
        if self.proces.poll() is None:
            self.proces.send_signal(signal.SIGTERM)
            try:
                self.proces.wait(60)
            except subprocess.TimeoutExpired:
                self.proces.kill()
                self.proces.wait()


def _vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(naam: str, url: str, map_: Path, **extra: str) -> Instantie:
    omgeving = {
        **os.environ,
        "SLEUTELMONITOR_DATABASE_URL": url,
        "SLEUTELMONITOR_ENVIRONMENT": "test",
        "SLEUTELMONITOR_IMPORT_MAP": str(map_ / naam),  # a folder of its own: nothing shared but the database
        "SLEUTELMONITOR_IMPORT_LEASE_SECONDEN": str(LEASE),
        "SLEUTELMONITOR_RATE_LIMIT_PER_MINUTE": str(LIMIET),
        "SLEUTELMONITOR_LEESBUDGET_PER_DAG": str(BUDGET),
        "SLEUTELMONITOR_WEBHOOK_POLL_SECONDEN": "0",
        **extra,
    }
    poort = _vrije_poort()
    log = map_ / f"{naam}.log"
    with log.open("wb") as uit:
        proces = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--port", str(poort)],
                                  env=omgeving, stdout=uit, stderr=subprocess.STDOUT, cwd=WORTEL)
    instantie = Instantie(naam, proces, f"http://127.0.0.1:{poort}", log)
    einde = time.monotonic() + 120
    while True:
        try:
            if httpx.get(f"{instantie.basis}/v1/status", timeout=2).status_code == 200:
                return instantie
        except httpx.HTTPError:
            pass
        assert time.monotonic() < einde and proces.poll() is None, f"{naam} did not start:\n{log.read_text()}"
        time.sleep(0.3)


@pytest.fixture(scope="module")
def gedeeld(databases: DatabaseFactory) -> Iterator[Engine]:
    engine = databases.new_engine()
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def instanties(gedeeld: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Instantie, Instantie]]:
    map_ = tmp_path_factory.mktemp("instanties")
    url = gedeeld.url.render_as_string(hide_password=False)
    a = _start("a", url, map_, SLEUTELMONITOR_IMPORT_POLL_SECONDEN="0")
    try:
        b = _start("b", url, map_, SLEUTELMONITOR_IMPORT_POLL_SECONDEN="1")
    except BaseException:
        a.stop()
        raise
    yield a, b
    for instantie in (a, b):
        instantie.stop()


@pytest.fixture(scope="module")
def omgeving(gedeeld: Engine) -> Omgeving:
    with Session(gedeeld, expire_on_commit=False) as session:
        resultaat = maak_omgeving(session)
        session.commit()
    return resultaat


def _sleutel(engine: Engine, omgeving: Omgeving | None, scopes: tuple[str, ...], **extra: object) -> dict[str, str]:
    with Session(engine) as session:
        headers = make_key(session, organisatie=omgeving.organisatie if omgeving else None, scopes=scopes, **extra)  # type: ignore[arg-type]
        session.commit()
    return headers


def _run(engine: Engine, run_id: uuid.UUID) -> ImportRun:
    with Session(engine, expire_on_commit=False) as session:
        run = session.get(ImportRun, run_id)
        assert run is not None
        return run


def _wacht_op(engine: Engine, run_id: uuid.UUID, klaar: object, seconden: float, *logs: Path) -> ImportRun:
    einde = time.monotonic() + seconden
    while not klaar(run := _run(engine, run_id)):  # type: ignore[operator]
        assert time.monotonic() < einde, (run.status, run.werker, run.verwerkt, [log.read_text()[-3000:] for log in logs])
        time.sleep(0.1)
    return run


def _aantal(engine: Engine, omgeving: Omgeving) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(Contactmoment)
                            .where(Contactmoment.organisatie_id == omgeving.organisatie.id)).one()


def _csrf(client: httpx.Client) -> str:
    gevonden = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text)
    assert gevonden
    return gevonden.group(1)


def test_a_session_and_a_dry_run_made_on_a_are_used_on_b(instanties: tuple[Instantie, Instantie], gedeeld: Engine,
                                                          omgeving: Omgeving) -> None:
    a, b = instanties
    sleutel = _sleutel(gedeeld, omgeving, ("registreren", "inzien"))
    bestand = csv_bytes([rij(Datum=f"{d % 28 + 1}-3-2025", Duur_min=str(d + 1), Cliëntnummer=f"I{d:04d}") for d in range(25)])
    with a.client() as op_a:
        aangemeld = op_a.post("/aanmelden", data={"sleutel": sleutel["Authorization"].split(" ", 1)[1], "csrf": _csrf(op_a)})
        assert aangemeld.status_code in (200, 303), aangemeld.text
        proef = op_a.post("/importeren", data={"csrf": _csrf(op_a)}, files={"bestand": ("logboek.csv", bestand, "text/csv")})
        assert proef.status_code == 200, proef.text
        cookies = op_a.cookies
    token = re.search(r'name="token" value="([^"]+)"', proef.text)
    assert token, proef.text
    with b.client(cookies=cookies) as op_b:
        # The session of A, on B: the signed cookie and the session row in the shared database.
        pagina = op_b.get("/importeren")
        assert pagina.status_code == 200 and "Importeren" in pagina.text, pagina.text[:500]
        uitvoeren = op_b.post("/importeren/uitvoeren", follow_redirects=False, data={
            "csrf": _csrf(op_b), "token": token.group(1), "bestandsnaam": "logboek.csv", "rijen": "25",
            "actie": "importeren"})
        assert uitvoeren.status_code == 303, uitvoeren.text
    run_id = uuid.UUID(uitvoeren.headers["location"].split("/")[2].split("?")[0])
    klaar = _wacht_op(gedeeld, run_id, lambda r: r.status not in ("wachtend", "bezig"), 120, a.log, b.log)
    assert (klaar.status, klaar.aangemaakt, klaar.pogingen, klaar.upload_id) == ("geslaagd", 25, 1, None)
    assert _aantal(gedeeld, omgeving) == 25
    assert not list((Path(a.log).parent / "a").glob("sleutelmonitor-*"))  # nothing of it ever was in A's folder...
    assert not list((Path(b.log).parent / "b").glob("sleutelmonitor-*"))  # ...and B's copy is gone


def test_the_rate_limit_holds_across_both(instanties: tuple[Instantie, Instantie], gedeeld: Engine,
                                          omgeving: Omgeving) -> None:
    a, b = instanties
    sleutel = _sleutel(gedeeld, omgeving, ("inzien",))
    ruim_in_de_minuut(20)
    statussen, resterend = [], []
    with a.client(headers=sleutel) as op_a, b.client(headers=sleutel) as op_b:
        for i in range(LIMIET + 10):
            antwoord = (op_a if i % 2 == 0 else op_b).get("/v1/sleutelpersonen")
            statussen.append(antwoord.status_code)
            resterend.append(int(antwoord.headers.get("RateLimit-Remaining", -1)))
    assert statussen == [200] * LIMIET + [429] * 10  # per process it would be 2 x LIMIET
    assert resterend[:LIMIET] == list(range(LIMIET - 1, -1, -1))  # one count, whichever instance answered


def test_the_read_budget_holds_across_both(instanties: tuple[Instantie, Instantie], gedeeld: Engine) -> None:
    a, b = instanties
    regio = _sleutel(gedeeld, None, ("rapporteren",), gemeentecodes=["GM0344"])
    waarden = "/v1/indicatoren/aantal-contactmomenten/waarden"
    with a.client(headers=regio) as op_a, b.client(headers=regio) as op_b:
        kanten = [op_a, op_b, op_a, op_b]
        statussen = [kant.get(waarden, params={"periode": f"2025-{maand:02d}"}).status_code
                     for kant, maand in zip(kanten, (1, 2, 3, 4), strict=True)]
        assert statussen == [200] * BUDGET + [429]
        assert op_b.get(waarden, params={"periode": "2025-01"}).status_code == 200  # read on A today: free on B


def test_a_job_of_a_killed_instance_is_taken_over_and_finishes_once(
    instanties: tuple[Instantie, Instantie], gedeeld: Engine, omgeving: Omgeving
) -> None:
    a, b = instanties
    sleutel = _sleutel(gedeeld, omgeving, ("registreren", "inzien"))
    voor = _aantal(gedeeld, omgeving)
    n = 20_000
    bestand = csv_bytes([rij(Datum=f"{d % 28 + 1}-{d // 28 % 12 + 1}-2024", Duur_min=str(d % 300 + 1), Cliëntnummer=f"K{d}")
                         for d in range(n)])
    antwoord = httpx.post(f"{a.basis}/v1/imports", content=bestand, headers={**sleutel, "Content-Type": "text/csv"}, timeout=120)
    assert antwoord.status_code == 202, antwoord.text
    run_id = uuid.UUID(antwoord.json()["id"])
    van_a = f":{a.proces.pid}:"
    bezig = _wacht_op(gedeeld, run_id, lambda r: r.status == "bezig" and r.verwerkt > 0, 180, a.log)
    assert van_a in (bezig.werker or ""), bezig.werker
    a.proces.send_signal(signal.SIGKILL)
    a.proces.wait()
    gedood = time.monotonic()
    overgenomen = _wacht_op(gedeeld, run_id, lambda r: r.werker is not None and f":{b.proces.pid}:" in r.werker, 120, b.log)
    overname = time.monotonic() - gedood
    klaar = _wacht_op(gedeeld, run_id, lambda r: r.status not in ("wachtend", "bezig"), 600, b.log)
    afgerond = time.monotonic() - gedood
    assert overgenomen.pogingen == 2
    assert (klaar.status, klaar.aangemaakt, klaar.gelezen, klaar.upload_id) == ("geslaagd", n, n, None), klaar.rapport
    assert _aantal(gedeeld, omgeving) - voor == n  # exactly once: nothing of A's half-done attempt stayed
    print(f"\ntakeover after SIGKILL: {overname:.1f} s (lease {LEASE} s, poll 1 s); job done {afgerond:.1f} s after the kill")
