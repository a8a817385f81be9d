"""A real, certified OpenID provider for the SSO tests: panva's oidc-provider, run by node on a free port.

The provider script and its pinned npm packages are in tests/sso/provider/ (package.json and
package-lock.json); they are installed once with `npm ci` into the ignored `.cache/sso-idp`. Without
node or npm the tests skip with a message, except with CI=true, where they fail.

The provider knows one client (this service at http://testserver, the TestClient's address) and a few
test accounts, each with a `groups` claim. A test signs in by following the real redirects between the
dashboard (TestClient) and the provider (httpx over loopback), each with its own cookie jar, and by
submitting the provider's sign-in form with an account name, as a person would.
"""

import contextlib
import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx
import pytest
from fastapi.testclient import TestClient

from app.core.config import get_settings
from app.sso import oidc
from tests.programmas import vereist
from tests.server import vrije_poort

ROOT = Path(__file__).resolve().parents[2]
PROVIDER = Path(__file__).resolve().parent / "provider"
NPM_CACHE = ROOT / ".cache" / "sso-idp"
RP = "http://testserver"
CLIENT_ID = "sleutelmonitor-test"
CLIENT_SECRET = "test-client-secret-that-is-long-enough-0123456789"
ACCOUNTS = {
    "coordinator": {"groups": ["medewerkers", "sm-brug"]},
    "collega": {"groups": ["sm-brug"]},
    "beleid": {"groups": ["sm-regio-utrecht"]},
    "zonder": {"groups": ["medewerkers", "andere-toepassing"]},
    "dubbel": {"groups": ["sm-brug", "sm-regio-utrecht"]},
    # Values an IdP (or someone who can name groups in it) might send to break something.
    "injectie": {"groups": ["' OR '1'='1", "sm-brug' --", "<script>alert(1)</script>", "sm-%", "SM-BRUG", "sm-brug ",
                            "sm-brug\u0000", "%", "*"]},
}


@dataclass
class Idp:
    issuer: str
    proces: subprocess.Popen[str]


def _installeer() -> str:
    """node, with the provider's npm packages installed into the cache (npm ci from the committed lock)."""
    hoe = "install Node.js with npm (apt-get install -y nodejs npm) for the SSO tests."
    node, npm = vereist("node", hoe), vereist("npm", hoe)
    NPM_CACHE.mkdir(parents=True, exist_ok=True)
    lock = (PROVIDER / "package-lock.json").read_text()
    if not (NPM_CACHE / "node_modules" / "oidc-provider").is_dir() or not (NPM_CACHE / "package-lock.json").exists() \
            or (NPM_CACHE / "package-lock.json").read_text() != lock:
        for naam in ("package.json", "package-lock.json"):
            shutil.copy(PROVIDER / naam, NPM_CACHE / naam)
        result = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=NPM_CACHE, capture_output=True, text=True,
                                check=False)
        assert result.returncode == 0, result.stdout + result.stderr
    shutil.copy(PROVIDER / "idp.mjs", NPM_CACHE / "idp.mjs")
    return node


@contextlib.contextmanager
def draaiende_idp(rp: str = RP) -> Iterator[Idp]:
    """The provider on a free loopback port, with this service at `rp` as its one client, while the block runs."""
    node = _installeer()
    poort = vrije_poort()
    omgeving = {**os.environ, "IDP_PORT": str(poort), "IDP_ACCOUNTS": json.dumps(ACCOUNTS),
                "IDP_CLIENT": json.dumps({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                                          "redirect_uris": [f"{rp}/sso/terug"],
                                          "post_logout_redirect_uris": [f"{rp}/sso/afgemeld"]})}
    proces = subprocess.Popen([node, "idp.mjs"], cwd=NPM_CACHE, env=omgeving, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    issuer = f"http://127.0.0.1:{poort}"
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{issuer}/.well-known/openid-configuration", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proces.poll() is None, "the test IdP stopped"
            time.sleep(0.1)
        else:
            pytest.fail("the test IdP did not start within 20 s")
        yield Idp(issuer=issuer, proces=proces)
    finally:
        proces.terminate()
        try:
            proces.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proces.kill()
            proces.wait()


@contextlib.contextmanager
def sso_instellingen(issuer: str, rp: str = RP) -> Iterator[None]:
    """Single sign-on configured against `issuer` (settings read anew; discovery cache empty) in the block."""
    with pytest.MonkeyPatch.context() as patch:
        for naam, waarde in {"SSO_ISSUER": issuer, "SSO_CLIENT_ID": CLIENT_ID, "SSO_CLIENT_SECRET": CLIENT_SECRET,
                             "SSO_SCOPES": "openid groups", "SSO_REDIRECT_BASIS": rp, "SSO_NAAM": "GGD-account"}.items():
            patch.setenv(f"SLEUTELMONITOR_{naam}", waarde)
        get_settings.cache_clear()
        oidc.cache.clear()
        try:
            yield
        finally:
            oidc.cache.clear()
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def idp() -> Iterator[Idp]:
    with draaiende_idp() as gestart:
        yield gestart


@pytest.fixture
def sso_aan(idp: Idp) -> Iterator[Idp]:
    """Single sign-on configured against the test IdP for one test."""
    with sso_instellingen(idp.issuer):
        yield idp


@pytest.fixture
def browser_idp() -> Iterator[httpx.Client]:
    """The browser's side at the IdP: its own cookie jar, as a browser keeps per site."""
    with httpx.Client(timeout=10) as client:
        yield client


REDIRECT = (301, 302, 303, 307, 308)


def volg(rp: TestClient, idp: httpx.Client, antwoord: Any, *, tot: str | None = None) -> Any:
    """Follow redirects from `antwoord` across dashboard and IdP; stop before a URL that starts with `tot`."""
    for _ in range(20):
        if antwoord.status_code not in REDIRECT:
            return antwoord
        url = urljoin(str(antwoord.url), antwoord.headers["location"])
        if tot is not None and url.startswith(tot):
            return antwoord
        client = rp if url.startswith(RP) else idp
        antwoord = client.get(url, follow_redirects=False)
    raise AssertionError("too many redirects")


def start(rp: TestClient, idp: httpx.Client, volgende: str | None = None) -> Any:
    """Press "Aanmelden met ...": the IdP's sign-in form (or, with an IdP session, straight back)."""
    pad = "/sso/aanmelden" + (f"?volgende={volgende}" if volgende else "")
    return volg(rp, idp, rp.get(pad, follow_redirects=False), tot=f"{RP}/sso/terug")


def formulier(antwoord: Any) -> tuple[str, dict[str, str]]:
    """The action and hidden fields of the first form on a page."""
    actie = re.search(r'<form[^>]*action="([^"]+)"', antwoord.text)
    assert actie, antwoord.text
    velden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', antwoord.text))
    return urljoin(str(antwoord.url), actie.group(1).replace("&amp;", "&")), velden


def bij_idp_aanmelden(rp: TestClient, idp: httpx.Client, account: str, volgende: str | None = None) -> str:
    """Sign in at the IdP (unless this browser has a session there); the callback URL it sends the browser to."""
    antwoord = start(rp, idp, volgende)
    if antwoord.status_code not in REDIRECT:  # no IdP session yet in this browser: its sign-in form
        assert 'name="account"' in antwoord.text, antwoord.text
        actie, _ = formulier(antwoord)
        antwoord = volg(rp, idp, idp.post(actie, data={"account": account}, follow_redirects=False),
                        tot=f"{RP}/sso/terug")
    assert antwoord.status_code in REDIRECT, antwoord.text
    terug = urljoin(str(antwoord.url), antwoord.headers["location"])
    assert terug.startswith(f"{RP}/sso/terug?"), terug
    return terug


def meld_aan(rp: TestClient, idp: httpx.Client, account: str, volgende: str | None = None) -> Any:
    """The whole sign-in: the dashboard's answer at the callback."""
    return rp.get(bij_idp_aanmelden(rp, idp, account, volgende), follow_redirects=False)
