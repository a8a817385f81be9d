"""A real local HTTP receiver for webhook tests: records every request and answers with a chosen status."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Ontvangen:
    pad: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Ontvanger:
    url: str
    ontvangen: list[Ontvangen] = field(default_factory=list)
    status: int = 200
    locatie: str | None = None


@contextmanager
def ontvanger(status: int = 200) -> Iterator[Ontvanger]:
    staat = Ontvanger(url="", status=status)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            lengte = int(self.headers.get("Content-Length") or 0)
            staat.ontvangen.append(Ontvangen(self.path, {k.lower(): v for k, v in self.headers.items()}, self.rfile.read(lengte)))
            self.send_response(staat.status)
            if staat.locatie:
                self.send_header("Location", staat.locatie)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    staat.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield staat
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
