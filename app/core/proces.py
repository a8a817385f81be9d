"""Serving: worker processes die with their parent, jobs are handed back at a stop, slow clients are dropped.

`uvicorn --workers N` starts N worker processes under a supervisor. When the supervisor is killed
with SIGKILL it cannot stop them: they kept serving the port, and a restart failed with "Address
already in use". On Linux a worker asks the kernel for SIGTERM when its parent dies
(PR_SET_PDEATHSIG), and shuts down as after a normal stop. Elsewhere, run under a process manager
(systemd, or gunicorn with uvicorn workers), which the README describes.
"""

import asyncio
import atexit
import ctypes
import logging
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from app.core.config import get_settings

logger = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1


def sterf_met_ouder() -> bool:
    """In a worker process of a supervisor: get SIGTERM when the supervisor dies. True if set."""
    ouder = multiprocessing.parent_process()
    if ouder is None or not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG)")
    except (OSError, AttributeError) as exc:
        logger.warning("Workers will not die with their parent: %s", exc)
        return False
    if os.getppid() != ouder.pid:  # the parent died before the request took effect
        os.kill(os.getpid(), signal.SIGTERM)
    return True


def stop_taken_bij_signaal() -> bool:
    """At SIGTERM or SIGINT, tell running import jobs to hand their run back, then stop as before.

    uvicorn waits at a stop for every task of a request, and a job started after an upload is one: a
    stop during a 20-minute import waited 20 minutes ("Waiting for background tasks to complete").
    The handler uvicorn installed for the signal still runs; this only comes first. Only the main
    thread can handle signals (a server in a test's thread has none): False there.
    """
    if threading.current_thread() is not threading.main_thread():
        return False
    from app.imports import taken

    for sig in (signal.SIGTERM, signal.SIGINT):
        vorige = signal.getsignal(sig)
        if not callable(vorige) or getattr(vorige, "_stopt_taken", False):
            continue

        def handler(signum: int, frame: Any, vorige: Callable[[int, Any], Any] = vorige) -> None:
            taken.stop()
            vorige(signum, frame)

        handler._stopt_taken = True  # type: ignore[attr-defined]
        signal.signal(sig, handler)
    return True


def bereid_metrics_map() -> Path:
    """Point prometheus-client's multiprocess mode at an empty folder, before the workers start.

    Every worker writes its metric values to files there; a scrape adds them up (app/core/metrics.py).
    An operator's `PROMETHEUS_MULTIPROC_DIR` is emptied (values of an earlier run would be added to
    this one's); without it a temporary folder is made and removed when the server stops. It must be
    set before prometheus_client is imported, which reads it once: `serve` calls this first.
    """
    gegeven = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if gegeven:
        map_ = Path(gegeven)
        map_.mkdir(parents=True, exist_ok=True)
        for bestand in map_.glob("*.db"):
            bestand.unlink()
    else:
        map_ = Path(tempfile.mkdtemp(prefix="sleutelmonitor-metrics-"))
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(map_)
        atexit.register(shutil.rmtree, map_, ignore_errors=True)
    if "prometheus_client" in sys.modules:
        logger.warning("prometheus_client was imported before its multiprocess folder was set; figures are per worker")
    return map_


class BegrensdHttp(HttpToolsProtocol):
    """uvicorn's HTTP protocol with time limits on a request's headers and on pauses in its body.

    uvicorn bounds only the idle time between requests (`timeout_keep_alive`): a client that sends
    its headers or its upload a byte now and then kept its connection, and 2,000 such clients kept
    2,000. Now the headers must be complete within `header_timeout_seconden` of the request's
    first byte (or of the connection, for one that sends nothing), and a body may pause at most
    `body_timeout_seconden`; then the connection is closed. The route reading the body sees a
    client disconnect (logged as such, see core.errors). While the application itself does not read
    (reading paused by flow control) the body's clock does not run.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        settings = get_settings()
        self._kop_seconden = settings.header_timeout_seconden
        self._body_seconden = settings.body_timeout_seconden
        self._termijn: asyncio.TimerHandle | None = None

    def _zet_termijn(self, seconden: float, verlopen: Callable[[], None]) -> None:
        self._stop_termijn()
        self._termijn = self.loop.call_later(seconden, verlopen)

    def _stop_termijn(self) -> None:
        if self._termijn is not None:
            self._termijn.cancel()
            self._termijn = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._zet_termijn(self._kop_seconden, self._kop_te_laat)

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_termijn()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._zet_termijn(self._kop_seconden, self._kop_te_laat)

    def on_headers_complete(self) -> None:
        self._stop_termijn()
        super().on_headers_complete()
        self._zet_termijn(self._body_seconden, self._body_te_laat)

    def on_body(self, body: bytes) -> None:
        super().on_body(body)
        self._zet_termijn(self._body_seconden, self._body_te_laat)

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._stop_termijn()

    def _sluit(self, reden: str) -> None:
        self._termijn = None
        if not self.transport.is_closing():
            client = f"{self.client[0]}:{self.client[1]}" if self.client else "?"
            logger.info("Connection from %s closed: %s", client, reden)
            self.transport.close()

    def _kop_te_laat(self) -> None:
        self._sluit(f"request headers not complete within {self._kop_seconden:g} s")

    def _body_te_laat(self) -> None:
        if self.flow.read_paused:  # the application is slow to read, not the client to send
            self._zet_termijn(self._body_seconden, self._body_te_laat)
            return
        self._sluit(f"request body paused longer than {self._body_seconden:g} s")
