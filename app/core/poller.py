"""A background round per worker process: a daemon thread that runs a step every few seconds and a cleanup
now and then, and keeps going when a round fails (the database may be down; the next round tries again).

Used by the import jobs (app/imports/taken.py: recovery of abandoned jobs, expired uploads) and the webhook
deliveries (app/webhooks/bezorging.py: due deliveries, event retention).
"""

import logging
import threading
import time
from collections.abc import Callable

logger = logging.getLogger(__name__)


class Poller:
    """Runs `stap` every `interval` seconds and `opruimen` at most every `opruim_interval` seconds (first at once)."""

    def __init__(self, naam: str, interval: float, *, stap: Callable[[], object], opruimen: Callable[[], object],
                 opruim_interval: float) -> None:
        self.naam = naam
        self.interval = interval
        self.stap = stap
        self.opruimen = opruimen
        self.opruim_interval = opruim_interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=naam, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _loop(self) -> None:
        opgeruimd = 0.0
        while True:
            try:
                if time.monotonic() - opgeruimd > self.opruim_interval:
                    self.opruimen()
                    opgeruimd = time.monotonic()
                self.stap()
            except Exception:  # the database may be down; try again next round
                logger.warning("Round of %s failed", self.naam, exc_info=True)
            if self._stop.wait(self.interval):
                return
