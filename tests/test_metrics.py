"""Prometheus metrics at /metrics (issue 30): protected by a setting, route templates as labels, error
counters, import jobs from the database, and one sum over the worker processes of `serve --workers 2`."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine
from sqlmodel import Session

from app.core import db
from app.core.config import get_settings
from app.core.db import get_session
from app.models import ImportRun, utcnow
from tests.conftest import BACKEND, DatabaseFactory, productiesessie
from tests.factories import make_organisatie

TOKEN = "metrics-" + "x" * 32
INSTELLINGEN = ("SLEUTELMONITOR_METRICS_TOKEN", "SLEUTELMONITOR_METRICS_NETWERKEN")


@pytest.fixture
def instellen(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    def zet(**waarden: str) -> None:
        for naam, waarde in waarden.items():
            monkeypatch.setenv(f"SLEUTELMONITOR_{naam.upper()}", waarde)
        get_settings.cache_clear()

    yield zet
    for naam in INSTELLINGEN:
        monkeypatch.delenv(naam, raising=False)
    get_settings.cache_clear()


def _app(session: Session):  # type: ignore[no-untyped-def]
    from app.main import create_app

    application = create_app()
    application.dependency_overrides[get_session] = productiesessie(session)
    return application


def _waarden(tekst: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of an exposition: (name, sorted labels) -> value."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for familie in text_string_to_metric_families(tekst)
        for sample in familie.samples
    }


def _scrape(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    antwoord = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert antwoord.status_code == 200, antwoord.text
    assert antwoord.headers["content-type"].startswith("text/plain; version=")
    return _waarden(antwoord.text)


def _verzoeken(waarden, method: str, route: str, status: int) -> float:  # type: ignore[no-untyped-def]
    labels = (("method", method), ("route", route), ("status", str(status)))
    return waarden.get(("sleutelmonitor_http_requests_total", labels), 0.0)


def test_off_by_default_404_and_nothing_measured(client: TestClient) -> None:
    antwoord = client.get("/metrics")
    assert antwoord.status_code == 404
    assert antwoord.headers["content-type"] == "application/problem+json"
    from app.core.metrics import MetricsMiddleware

    assert MetricsMiddleware not in {m.cls for m in client.app.user_middleware}  # type: ignore[attr-defined]


def test_a_bearer_token_protects_the_metrics(session: Session, instellen) -> None:  # type: ignore[no-untyped-def]
    instellen(metrics_token=TOKEN)
    with TestClient(_app(session), raise_server_exceptions=False) as client:
        zonder = client.get("/metrics")
        assert zonder.status_code == 401 and zonder.headers["www-authenticate"].startswith("Bearer")
        assert zonder.headers["content-type"] == "application/problem+json"
        assert client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}x"}).status_code == 401
        assert client.get("/metrics", headers={"Authorization": f"Basic {TOKEN}"}).status_code == 401
        assert client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_allowed_networks_protect_the_metrics(session: Session, instellen) -> None:  # type: ignore[no-untyped-def]
    instellen(metrics_netwerken="10.0.0.0/8, fd00::/8")
    for client_adres, verwacht in (("10.1.2.3", 200), ("fd00::5", 200), ("192.0.2.1", 403), ("testclient", 403)):
        with TestClient(_app(session), raise_server_exceptions=False, client=(client_adres, 50000)) as client:
            assert client.get("/metrics").status_code == verwacht, client_adres
    # Both set: both are needed.
    instellen(metrics_token=TOKEN)
    with TestClient(_app(session), raise_server_exceptions=False, client=("10.1.2.3", 50000)) as client:
        assert client.get("/metrics").status_code == 401
        assert client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    with TestClient(_app(session), raise_server_exceptions=False, client=("192.0.2.1", 50000)) as client:
        assert client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 403


def test_a_short_token_or_a_bad_network_is_refused_at_start(instellen) -> None:  # type: ignore[no-untyped-def]
    from pydantic import ValidationError

    from app.core.config import Settings

    instellen(metrics_token="kort")
    with pytest.raises(ValidationError, match="at least 32"):
        Settings()
    instellen(metrics_token=TOKEN, metrics_netwerken="10.0.0.0/33")
    with pytest.raises(ValidationError, match="METRICS_NETWERKEN"):
        Settings()


def test_requests_are_counted_by_route_template_never_by_raw_path(session: Session, instellen) -> None:  # type: ignore[no-untyped-def]
    instellen(metrics_token=TOKEN)
    with TestClient(_app(session), raise_server_exceptions=False) as client:
        voor = _scrape(client)
        ids = ["00000000-0000-4000-8000-00000000a001", "00000000-0000-4000-8000-00000000a002"]
        for id_ in ids:
            assert client.get(f"/v1/sleutelpersonen/{id_}").status_code == 401
        assert client.get("/v1/bestaat/niet-99").status_code == 404
        assert client.head("/v1/status/live").status_code == 200
        etag = client.get("/v1/status/live").headers["etag"]
        assert client.get("/v1/status/live", headers={"If-None-Match": etag}).status_code == 304
        assert client.get("/v1/docs/static/swagger-ui.css").status_code == 200
        na_tekst = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).text
    na = _waarden(na_tekst)
    for id_ in (*ids, "niet-99"):
        assert id_ not in na_tekst
    verschil = lambda *sleutel: _verzoeken(na, *sleutel) - _verzoeken(voor, *sleutel)
    assert verschil("GET", "/v1/sleutelpersonen/{sleutelpersoonId}", 401) == 2
    assert verschil("GET", "(onbekend)", 404) == 1
    assert verschil("HEAD", "/v1/status/live", 200) == 1
    assert verschil("GET", "/v1/status/live", 200) == 1
    assert verschil("GET", "/v1/status/live", 304) == 1  # the status the client got, not the route's 200
    assert verschil("GET", "/v1/docs/static/{path}", 200) == 1
    duur = ("sleutelmonitor_http_request_duration_seconds_count",
            (("method", "GET"), ("route", "/v1/sleutelpersonen/{sleutelpersoonId}")))
    assert na[duur] - voor.get(duur, 0) == 2
    assert ("sleutelmonitor_db_pool_connections_max", ()) in na
    assert ("sleutelmonitor_db_pool_connections_in_use", ()) in na


def test_5xx_and_503_are_counted(instellen, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from app.main import create_app

    instellen(metrics_token=TOKEN)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        poort = s.getsockname()[1]
    dood = db.make_engine(f"postgresql+psycopg://sm:sm@127.0.0.1:{poort}/sm", connect_args={"connect_timeout": 2})
    monkeypatch.setattr(db, "get_engine", lambda: dood)
    with TestClient(create_app(), raise_server_exceptions=False) as client:
        voor = _scrape(client)
        assert client.get("/v1/status/ready").status_code == 503
        na = _scrape(client)
    route = (("route", "/v1/status/ready"),)
    assert na[("sleutelmonitor_http_503_total", route)] - voor.get(("sleutelmonitor_http_503_total", route), 0) == 1
    assert na[("sleutelmonitor_http_5xx_total", route)] - voor.get(("sleutelmonitor_http_5xx_total", route), 0) == 1
    assert na[("sleutelmonitor_metrics_database_up", ())] == 0  # the scrape still answers during the outage


def test_waiting_import_jobs_and_the_age_of_the_oldest(databases: DatabaseFactory, instellen, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from app.main import create_app

    instellen(metrics_token=TOKEN)
    engine: Engine = databases.new_engine()
    monkeypatch.setattr(db, "get_engine", lambda: engine)
    try:
        with Session(engine) as session:
            org = make_organisatie(session)
            for minuten, status in ((5, "wachtend"), (30, "wachtend"), (1, "bezig"), (90, "geslaagd")):
                session.add(ImportRun(organisatie_id=org.id, status=status, modus="atomair", formaat="csv",
                                      aangemaakt_op=utcnow() - timedelta(minutes=minuten)))
            session.commit()
        with TestClient(create_app(), raise_server_exceptions=False) as client:
            waarden = _scrape(client)
    finally:
        engine.dispose()
    assert waarden[("sleutelmonitor_import_jobs", (("status", "wachtend"),))] == 2
    assert waarden[("sleutelmonitor_import_jobs", (("status", "bezig"),))] == 1
    assert 30 * 60 <= waarden[("sleutelmonitor_import_oldest_waiting_seconds", ())] < 90 * 60
    assert waarden[("sleutelmonitor_metrics_database_up", ())] == 1


def _vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(not sys.platform.startswith("linux") or BACKEND != "sqlite", reason="Linux; one database is enough")
def test_two_workers_report_one_sum(tmp_path: Path) -> None:
    """`serve --workers 2`: whichever worker answers a scrape, it reports the requests of both."""
    map_ = tmp_path / "metrics"
    omgeving = {
        **os.environ,
        "SLEUTELMONITOR_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
        "SLEUTELMONITOR_METRICS_TOKEN": TOKEN,
        "PROMETHEUS_MULTIPROC_DIR": str(map_),
        "SLEUTELMONITOR_LOG_FORMAAT": "tekst",
    }
    wortel = Path(__file__).parent.parent
    subprocess.run([sys.executable, "-m", "app.cli", "migrate"], env=omgeving, check=True, capture_output=True, cwd=wortel)
    poort = _vrije_poort()
    server = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(poort), "--workers", "2"],
        env=omgeving, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=wortel,
    )
    basis = f"http://127.0.0.1:{poort}"
    try:
        einde = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{basis}/v1/status/live", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < einde and server.poll() is None, "the server did not start"
            time.sleep(0.3)
        while len({p.name.rsplit("_", 1)[1] for p in map_.glob("gauge_livesum_*.db")}) < 2:
            assert time.monotonic() < einde and server.poll() is None, "the second worker did not start"
            time.sleep(0.3)
        verstuurd = 1
        # New connections until both workers have counted requests (the kernel spreads them).
        while len({p.name.rsplit("_", 1)[1] for p in map_.glob("counter_*.db")}) < 2 or verstuurd < 20:
            assert verstuurd < 2000, "one worker took every connection"
            with httpx.Client() as client:
                if client.get(f"{basis}/v1/status/live", timeout=10).status_code == 200:
                    verstuurd += 1
        tellingen = set()
        for _ in range(6):  # each scrape on a new connection: answered by either worker
            with httpx.Client() as client:
                antwoord = client.get(f"{basis}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
            assert antwoord.status_code == 200, antwoord.text
            tellingen.add(_verzoeken(_waarden(antwoord.text), "GET", "/v1/status/live", 200))
    finally:
        server.terminate()
        server.wait(timeout=60)
    assert tellingen == {verstuurd}
