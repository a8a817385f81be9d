"""A real uvicorn server in a thread, for tests that need real sockets (slow clients, timeouts)."""

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import uvicorn


def vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def draaiende_server(app: Any, **config: Any) -> Iterator[int]:
    """Serve `app` on a free port of 127.0.0.1 while the block runs; yields the port."""
    poort = vrije_poort()
    config.setdefault("log_level", "warning")
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=poort, **config))
    draad = threading.Thread(target=server.run, daemon=True)
    draad.start()
    try:
        for _ in range(400):
            if server.started or not draad.is_alive():
                break
            time.sleep(0.05)
        assert server.started, "uvicorn did not start"
        yield poort
    finally:
        server.should_exit = True
        draad.join(timeout=30)


def open_verbinding(poort: int, kop: bytes) -> socket.socket:
    """A connection that has sent `kop` (request line, headers, maybe part of a body) and then waits."""
    verbinding = socket.create_connection(("127.0.0.1", poort), timeout=30)
    verbinding.sendall(kop)
    return verbinding


def is_gesloten(verbinding: socket.socket, wachttijd: float) -> bool:
    """True when the server closed the connection (or answered and closed) within `wachttijd` seconds."""
    verbinding.settimeout(wachttijd)
    try:
        while True:
            data = verbinding.recv(65536)
            if not data:
                return True
    except TimeoutError:
        return False
    except OSError:
        return True
