"""`sleutelmonitor serve --workers 2`: killing the supervisor with -9 takes its workers along (Linux)."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import BACKEND


def _vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _kinderen(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _leeft(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux") or BACKEND != "sqlite", reason="Linux; one database is enough")
def test_workers_die_when_the_supervisor_is_killed(tmp_path: Path) -> None:
    poort = _vrije_poort()
    omgeving = {
        **os.environ,
        "SLEUTELMONITOR_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
        "SLEUTELMONITOR_ENVIRONMENT": "test",
    }
    subprocess.run([sys.executable, "-m", "app.cli", "migrate"], env=omgeving, check=True, capture_output=True,
                   cwd=Path(__file__).parent.parent)
    server = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(poort), "--workers", "2"],
        env=omgeving, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=Path(__file__).parent.parent,
    )
    try:
        einde = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{poort}/v1/status", timeout=2) as antwoord:
                    assert antwoord.status == 200
                    break
            except OSError:
                assert time.monotonic() < einde, "the server did not start"
                time.sleep(0.3)
        werkers = [p for kind in _kinderen(server.pid) for p in [kind, *_kinderen(kind)]]
        assert werkers
        server.send_signal(signal.SIGKILL)
        server.wait()
        einde = time.monotonic() + 15
        while any(_leeft(p) for p in werkers) and time.monotonic() < einde:
            time.sleep(0.2)
        assert not any(_leeft(p) for p in werkers), "a worker outlived its supervisor"
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", poort))  # the port is free for a restart
    finally:
        if server.poll() is None:
            server.kill()
