"""HTTP side of the benchmark: start and stop servers on loopback, and a small load client.

The load client is a bare asyncio HTTP/1.1 client over keep-alive connections, so that on a
2-core machine it takes as little CPU from the server under test as possible (a full-featured
client would cap the bare baseline and flatter the ratio). It only speaks what uvicorn answers:
responses with a Content-Length.
"""

from __future__ import annotations

import asyncio
import math
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

HOST = "127.0.0.1"  # loopback only
ROOT = Path(__file__).resolve().parent.parent


def vrije_poort() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """A server process started by the benchmark; only this process (and its own group) is ever stopped."""

    proces: subprocess.Popen[bytes]
    poort: int
    log: Path

    @property
    def basis(self) -> str:
        return f"http://{HOST}:{self.poort}"

    def stop(self) -> None:
        if self.proces.poll() is not None:
            return
        self.proces.send_signal(signal.SIGTERM)  # uvicorn's supervisor stops its workers itself
        try:
            self.proces.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proces.pid, signal.SIGKILL)  # the group this benchmark created for it
            self.proces.wait(timeout=5)


def start(commando: Sequence[str], *, env: dict[str, str], poort: int, log: Path, gezond: str = "/v1/status",
          timeout: float = 60) -> Server:
    """Start a server in its own process group and wait until `gezond` answers 200."""
    with log.open("wb") as uit:
        proces = subprocess.Popen(
            list(commando), env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=uit, start_new_session=True,
        )
    server = Server(proces=proces, poort=poort, log=log)
    einde = time.monotonic() + timeout
    while time.monotonic() < einde:
        if proces.poll() is not None:
            raise RuntimeError(f"server stopped at start-up; see {log}:\n{log.read_text()[-2000:]}")
        try:
            if httpx.get(server.basis + gezond, timeout=2).status_code == 200:
                wacht_tot_rustig(proces.pid, tot=einde)
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"server did not answer {gezond} within {timeout:.0f} s; see {log}")


def cpu_seconden(groep: int) -> float:
    """CPU seconds (user + system) used so far by the processes of a process group (Linux /proc)."""
    tikken = 0
    for naam in os.listdir("/proc"):
        if not naam.isdigit():
            continue
        try:
            with open(f"/proc/{naam}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        velden = stat[stat.rindex(")") + 2:].split()
        if int(velden[2]) == groep:
            tikken += int(velden[11]) + int(velden[12])
    return tikken / os.sysconf("SC_CLK_TCK")


def wacht_tot_rustig(groep: int, *, tot: float, drempel: float = 0.1, interval: float = 0.5) -> None:
    """Wait until a server's process group is idle: the first worker that answers does not mean the others started.

    With `--workers 2` the health check passes as soon as one worker serves, while the other may still be
    importing the app (seconds of CPU on a loaded machine): a load started then measured one worker, with the
    other's start-up on the same cores. Idle: under `drempel` of a core for two intervals in a row.
    """
    if not os.path.isdir("/proc"):
        return
    vorige, rustig = cpu_seconden(groep), 0
    while rustig < 2 and time.monotonic() < tot:
        time.sleep(interval)
        nu = cpu_seconden(groep)
        rustig = rustig + 1 if nu - vorige < drempel * interval else 0
        vorige = nu


def verzoek(methode: str, pad: str, *, poort: int, token: str | None = None, body: bytes | None = None) -> bytes:
    """One HTTP/1.1 request with keep-alive, as bytes."""
    kop = [f"{methode} {pad} HTTP/1.1", f"Host: {HOST}:{poort}", "Accept: application/json"]
    if token:
        kop.append(f"Authorization: Bearer {token}")
    if body is not None:
        kop += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(kop) + "\r\n\r\n").encode() + (body or b"")


@dataclass
class Belasting:
    """The outcome of a load run: latencies of completed requests and the status codes seen."""

    seconden: float
    latenties: list[float] = field(default_factory=list)
    statussen: dict[int, int] = field(default_factory=dict)
    fouten: int = 0

    @property
    def aantal(self) -> int:
        return len(self.latenties)

    @property
    def per_seconde(self) -> float:
        return self.aantal / self.seconden if self.seconden > 0 else 0.0

    def percentiel(self, p: float) -> float:
        return percentiel(self.latenties, p)


def percentiel(waarden: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100); NaN for no values."""
    if not waarden:
        return float("nan")
    geordend = sorted(waarden)
    rang = math.ceil(p * len(geordend) / 100)  # the smallest value with at least p% of values at or below it
    return geordend[max(0, min(len(geordend), rang) - 1)]


async def _lees_antwoord(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    kop = await reader.readuntil(b"\r\n\r\n")
    status = int(kop[9:12])
    lengte = 0
    for regel in kop.split(b"\r\n")[1:]:
        naam, _, waarde = regel.partition(b":")
        if naam.strip().lower() == b"content-length":
            lengte = int(waarde)
    return status, await reader.readexactly(lengte) if lengte else b""


async def _belast(poort: int, maak: Callable[[int], bytes], *, gelijktijdig: int, seconden: float,
                  maximum: int | None) -> Belasting:
    uitkomst = Belasting(seconden=seconden)
    teller = 0
    begin = time.perf_counter()
    einde = begin + seconden

    async def werker() -> None:
        nonlocal teller
        reader, writer = await asyncio.open_connection(HOST, poort)
        try:
            while time.perf_counter() < einde and (maximum is None or teller < maximum):
                teller += 1
                data = maak(teller)
                t0 = time.perf_counter()
                writer.write(data)
                try:
                    status, _ = await _lees_antwoord(reader)
                except (asyncio.IncompleteReadError, ConnectionError):
                    uitkomst.fouten += 1
                    writer.close()
                    reader, writer = await asyncio.open_connection(HOST, poort)
                    continue
                uitkomst.latenties.append(time.perf_counter() - t0)
                uitkomst.statussen[status] = uitkomst.statussen.get(status, 0) + 1
        finally:
            writer.close()

    await asyncio.gather(*(werker() for _ in range(gelijktijdig)))
    uitkomst.seconden = time.perf_counter() - begin
    return uitkomst


def belast(poort: int, maak: Callable[[int], bytes], *, gelijktijdig: int, seconden: float,
           maximum: int | None = None) -> Belasting:
    """`gelijktijdig` clients send requests made by `maak(n)` back to back for `seconden` (or `maximum` requests)."""
    try:
        import uvloop

        return uvloop.run(_belast(poort, maak, gelijktijdig=gelijktijdig, seconden=seconden, maximum=maximum))
    except ImportError:
        return asyncio.run(_belast(poort, maak, gelijktijdig=gelijktijdig, seconden=seconden, maximum=maximum))


def sleutelmonitor() -> str:
    """The `sleutelmonitor` console script of this interpreter's environment."""
    kandidaat = Path(sys.executable).parent / "sleutelmonitor"
    return str(kandidaat) if kandidaat.exists() else "sleutelmonitor"
