"""Where a request's time goes: named spans per request, measured only when a setting asks for it.

With `SLEUTELMONITOR_MEET_SPANS=<path>` every worker adds up, per request, the nanoseconds spent in each
span (`with spans.span("schrijven"):`) and the request's whole time in the server (`totaal`, from the first
ASGI call to the last byte sent), and writes the totals to `<path>.<pid>.json` at most twice a second.
`scripts/bench_spans.py` merges the workers' files into one table. Off (the default) a span is one
ContextVar look-up; nothing is measured or written.
"""

from __future__ import annotations

import atexit
import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

# The spans of the request being served (None: not measured). A dict, so a span in the thread pool (which
# runs in a copy of the request's context) adds to the same request.
_HUIDIG: ContextVar[dict[str, int] | None] = ContextVar("spans", default=None)
# A worker writes its totals at most once per this many seconds (and at exit, when it exits normally).
SCHRIJF_ELKE_SECONDEN = 0.5


@contextmanager
def span(naam: str) -> Iterator[None]:
    """Add the time spent in this block to the request's span `naam` (nested spans count in both)."""
    huidig = _HUIDIG.get()
    if huidig is None:
        yield
        return
    begin = time.perf_counter_ns()
    try:
        yield
    finally:
        huidig[naam] = huidig.get(naam, 0) + time.perf_counter_ns() - begin


def tel(naam: str, nanoseconden: int) -> None:
    """Add a duration measured elsewhere (for hot code that cannot afford a context manager)."""
    huidig = _HUIDIG.get()
    if huidig is not None:
        huidig[naam] = huidig.get(naam, 0) + nanoseconden


def aan() -> bool:
    """Whether this request is being measured."""
    return _HUIDIG.get() is not None


class _Totalen:
    def __init__(self, pad: Path) -> None:
        self.pad = pad.with_name(f"{pad.name}.{os.getpid()}.json")
        self.lock = threading.Lock()
        self.ns: dict[str, int] = {}
        self.keren: dict[str, int] = {}
        self.verzoeken = 0
        self.geschreven = 0.0
        atexit.register(self.schrijf)

    def voeg_toe(self, gemeten: dict[str, int]) -> None:
        with self.lock:
            self.verzoeken += 1
            for naam, ns in gemeten.items():
                self.ns[naam] = self.ns.get(naam, 0) + ns
                self.keren[naam] = self.keren.get(naam, 0) + 1
            if time.monotonic() - self.geschreven >= SCHRIJF_ELKE_SECONDEN:
                self.schrijf()

    def schrijf(self) -> None:
        if not self.verzoeken:
            return
        self.geschreven = time.monotonic()
        tijdelijk = self.pad.with_suffix(".tmp")
        tijdelijk.write_text(json.dumps({"verzoeken": self.verzoeken, "ns": self.ns, "keren": self.keren}))
        tijdelijk.replace(self.pad)


class SpanMiddleware:
    """Outermost ASGI middleware: measures each HTTP request's spans and adds them to the worker's totals."""

    def __init__(self, app: Any, *, pad: str) -> None:
        self.app = app
        self.totalen = _Totalen(Path(pad))

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        gemeten: dict[str, int] = {}
        teken = _HUIDIG.set(gemeten)
        begin = time.perf_counter_ns()
        try:
            await self.app(scope, receive, send)
        finally:
            gemeten["totaal"] = time.perf_counter_ns() - begin
            _HUIDIG.reset(teken)
            self.totalen.voeg_toe(gemeten)
