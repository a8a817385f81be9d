"""Browser tests of the dashboard: a real uvicorn in a thread, a real database, headless Chromium.

Unlike the rest of the suite, these tests need committed data: the server handles each request in
its own transaction, and the import job opens a session of its own. So the package gets a fresh
database of the chosen backend (SQLite or PostgreSQL), migrated and filled with the demo data set,
and the app under test uses it through the ordinary `get_session`.

Chromium comes from the Debian package `chromium` (`.ci/run` and, as root, `make test` install it);
Playwright for Python drives it through `executable_path`, so no browser download is needed. Without
it the browser tests are skipped with a message that says how to get it, except with `CI=true`:
there a missing browser fails the run, so CI cannot pass without the browser tests.
"""

import os
import shutil
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.core import db
from app.demo import laad_demo_data
from app.imports import taken as imports_taken
from app.models import Organisatie, Signaal, Sleutelpersoon
from app.toegang import service as toegang
from app.toegang.caller import Scope, cli_caller
from tests.conftest import DatabaseFactory
from tests.programmas import in_ci

CHROMIUM = os.environ.get("SLEUTELMONITOR_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
SCREENSHOTS = os.environ.get("SLEUTELMONITOR_SCREENSHOTS")  # a folder: the page tests save screenshots there
# The pages whose screenshots are committed under docs/screenshots and shown in the README.
HOOFDPAGINAS = frozenset({"aanmelden", "overzicht", "overzicht-regio", "overzicht-telefoon", "maandoverzicht",
                          "sleutelpersonen", "signalen-inbox", "signalen-organisatie", "ervaringsverhalen",
                          "importeren-proefdraai", "opvolging", "opvolging-telefoon", "app-toegang",
                          "app-uitnodiging-telefoon", "vergelijken",
                          "vergelijken-regio-telefoon", "sleutelpersoon", "sleutelpersoon-telefoon",
                          "doelstellingen", "doelstelling", "doelstelling-telefoon", "evaluatie-vastleggen",
                          "rapportage-regio", "projecten", "projecten-telefoon"})


def _ontbreekt(chromium: str = CHROMIUM) -> str | None:
    """What is missing to run a real browser, in words that say how to get it."""
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Playwright for Python ontbreekt: `make .venv/.installed` (of pip install -e '.[dev]')."
    if not Path(chromium).is_file():
        return (f"Chromium ontbreekt ({chromium}): installeer het Debian-pakket met "
                "`apt-get install -y --no-install-recommends chromium`, of wijs SLEUTELMONITOR_CHROMIUM naar een Chromium.")
    return None


def zonder_browser(reden: str) -> None:
    """Skip the browser tests on a developer's machine; fail them in CI, where skipping would pass unnoticed."""
    if in_ci():
        pytest.fail(f"CI=true, maar de browsertests kunnen niet draaien: {reden}", pytrace=False)
    pytest.skip(reden)


@dataclass
class Dashboard:
    url: str
    engine: Engine
    org: Organisatie
    andere: Organisatie
    sleutels: dict[str, str]
    timings: dict[str, dict[str, float]] = field(default_factory=dict)

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def app_link(self, sleutelpersoon_id: uuid.UUID) -> str:
        """A fresh invitation of this key person to the app, as the coordinator's page makes one."""
        from app.apparaten import service as apparaten
        from tests.apparaten.helpers import coordinator

        with self.session() as session:
            persoon = session.get(Sleutelpersoon, sleutelpersoon_id)
            assert persoon is not None
            _, token = apparaten.nodig_uit(session, coordinator(persoon.organisatie_id), persoon.id)
            session.commit()
        return f"{self.url}/app/uitnodiging/{token}"


def _vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="package")
def dashboard(databases: DatabaseFactory) -> Iterator[Dashboard]:
    reden = _ontbreekt()
    if reden:
        zonder_browser(reden)
    import uvicorn

    engine = databases.new_engine()
    with Session(engine, expire_on_commit=False) as session:
        samenvatting = laad_demo_data(session, aantal=1500, seed=42)
        orgs = {o["soort"]: o["id"] for o in samenvatting["organisaties"]}
        org, andere = session.get(Organisatie, orgs["migrantenorganisatie"]), session.get(Organisatie, orgs["welzijnsorganisatie"])
        assert org is not None and andere is not None
        sleutels = {}
        for naam, kwargs in {
            "org": {"scopes": [Scope.registreren, Scope.rapporteren], "organisatie_id": org.id},
            "andere": {"scopes": [Scope.registreren, Scope.rapporteren], "organisatie_id": andere.id},
            "regio": {"scopes": [Scope.rapporteren, Scope.signalen], "gemeentecodes": ["GM0344", "GM0307"]},
        }.items():
            _, sleutels[naam] = toegang.create_key(session, caller=cli_caller(), naam=f"Browsertest {naam}", **kwargs)
        session.commit()

    from app.main import create_app
    from app.toegang.dependencies import rate_limiter

    rate_limiter.reset()
    with pytest.MonkeyPatch.context() as patch:
        # The app's request sessions and the import job's session both open on this database.
        patch.setattr(db, "get_engine", lambda: engine)
        patch.setattr(imports_taken, "_engine", lambda: engine)
        poort = _vrije_poort()
        server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=poort, log_level="warning",
                                               lifespan="off", access_log=False))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        einde = time.monotonic() + 20
        while not server.started:
            if time.monotonic() > einde or not thread.is_alive():
                raise RuntimeError("uvicorn started niet")
            time.sleep(0.05)
        dashboard = Dashboard(url=f"http://127.0.0.1:{poort}", engine=engine, org=org, andere=andere, sleutels=sleutels)
        try:
            yield dashboard
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            engine.dispose()
            if dashboard.timings:
                _rapporteer(dashboard.timings)


def _rapporteer(timings: dict[str, dict[str, float]]) -> None:
    """Page load times as measured by the browser (Navigation Timing Level 2), for the report."""
    regels = ["", "Laadtijden in Chromium (ms; responseEnd = HTML binnen, domContentLoaded, load):"]
    for pad, t in timings.items():
        regels.append(f"  {pad:<48} {t['responseEnd']:7.0f} {t['domContentLoaded']:7.0f} {t['load']:7.0f}")
    print("\n".join(regels))


# Playwright waits 30 s by default. CI runs the SQLite suite, the PostgreSQL suite and the image test side by
# side on two cores, where a click that takes 1 s alone has been seen to take longer than that. The tests check
# what happens, not how fast: speed is measured by scripts/bench.py and the page timings above.
WACHTTIJD_MS = 90_000


class _Geduldig:
    """The browser, whose every context and page waits WACHTTIJD_MS before a step times out."""

    def __init__(self, browser: Any) -> None:
        self._browser = browser

    def __getattr__(self, naam: str) -> Any:
        return getattr(self._browser, naam)

    def new_context(self, **kwargs: Any) -> Any:
        context = self._browser.new_context(**kwargs)
        context.set_default_timeout(WACHTTIJD_MS)
        return context

    def new_page(self, **kwargs: Any) -> Any:
        pagina = self._browser.new_page(**kwargs)
        pagina.set_default_timeout(WACHTTIJD_MS)
        return pagina


@pytest.fixture(scope="package")
def browser(dashboard: Dashboard) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield _Geduldig(chromium)
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL", accept_downloads=True)
    pagina = context.new_page()
    try:
        yield pagina
    finally:
        context.close()


def downloaden(page: Any, link: Any, *, timeout_ms: int = 120_000) -> Any:
    """Click a download link; the Download. The wait is long because a CI runner may run three suites on
    two cores (a PDF takes 1-2 s alone). When no download comes, the failure names what the server answered
    instead (an error page is not a download), so a slow machine and a broken route are told apart."""
    antwoorden: list[str] = []

    def noteer(antwoord: Any) -> None:
        if "download" in antwoord.url:
            antwoorden.append(f"{antwoord.status} {antwoord.headers.get('content-type', '')} {antwoord.url}")

    page.on("response", noteer)
    try:
        with page.expect_download(timeout=timeout_ms) as gedownload:
            link.click()
        return gedownload.value
    except Exception as exc:
        raise AssertionError(f"geen download na {timeout_ms} ms; antwoorden van de server: {antwoorden}") from exc
    finally:
        page.remove_listener("response", noteer)


def aanmelden(page: Any, dashboard: Dashboard, sleutel: str) -> None:
    page.goto(dashboard.url + "/")
    page.get_by_label("API-sleutel").fill(dashboard.sleutels[sleutel])
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/overzicht")


def axe(page: Any) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) in the page; the serious and critical violations.

    Injected through the DevTools protocol (evaluate), not a <script> element, so the page's
    Content-Security-Policy stays in force while it is checked.
    """
    page.evaluate(AXE.read_text(encoding="utf-8"))
    resultaat = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},"
        " resultTypes: ['violations']})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"][:5]]}
        for v in resultaat["violations"] if v["impact"] in ("serious", "critical")
    ]


def laadtijd(page: Any) -> dict[str, float]:
    return page.evaluate(
        "() => { const n = performance.getEntriesByType('navigation')[0];"
        " return {responseEnd: n.responseEnd, domContentLoaded: n.domContentLoadedEventEnd, load: n.loadEventEnd}; }"
    )


def schermafdruk(page: Any, naam: str) -> None:
    if SCREENSHOTS and naam in HOOFDPAGINAS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{naam}.png"), full_page=True)


def signaal_van(dashboard: Dashboard, *, status: str) -> Signaal:
    with dashboard.session() as session:
        signaal = session.exec(select(Signaal).where(
            Signaal.organisatie_id == dashboard.org.id, Signaal.status == status,
            Signaal.gericht_aan_gemeentecode == "GM0344",
        )).first()
        assert signaal is not None, f"de demo-data heeft geen signaal met status {status} aan GM0344"
        return signaal


def personen_van(dashboard: Dashboard, organisatie_id: uuid.UUID) -> list[Sleutelpersoon]:
    with dashboard.session() as session:
        return list(session.exec(select(Sleutelpersoon).where(Sleutelpersoon.organisatie_id == organisatie_id)))
