"""An import on both cores: a worker process reads, maps, checks and fingerprints rows while this one writes.

The worker runs `Voorbereider.voorbereid` (the half of a row's processing that needs no database: the
reader, the column and value mapping, `ContactmomentCreate`, the resident pseudonym, the derived key and
the content fingerprint) on every row of the file, in file order, and sends the outcomes in chunks over a
bounded queue. The main process runs `Run.verder` on each (the rules that need the database, the
externId look-up, the batch writer, the report), exactly as it does without a worker, so the stored rows,
the counts, the errors and their row numbers are the same; only the work is on two cores.

What the worker needs from the database (the organisation's key persons, partners and projects by name,
the code lists) the main process reads before it starts, inside its own transaction, and hands over
with the mapper (`Vertaler`); the worker never opens a connection. A run that may create key persons or
partners stays in one process, since a created name changes how later rows map.

The worker is a fresh interpreter (`spawn`): safe beside the server's threads and database
connections, at the price of a second or two to start, so only files of some size use it
(`import_werkproces_vanaf_mb`). It stops with the run: at the end, at an error, or when the run is
stopped (`taken.stop()` raises in the progress callback, and the `finally` below ends the worker).
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import resource
import traceback
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from app.imports.mapping import Mappingbestand, Vertaler, is_koprij
from app.imports.readers import Bron, lezer_voor
from app.imports.verwerking import Voorbereid, Voorbereider

logger = logging.getLogger(__name__)

# Rows per message: large enough that pickling and the queue cost little per row, small enough that the
# queue holds a few megabytes at most.
STUK = 500
# Chunks in flight: the worker waits when the main process is this far behind, so memory stays flat.
WACHTRIJ = 8
# How often the main process looks whether a silent worker is still alive (seconds).
POLS = 1.0


@dataclass
class Opdracht:
    """What the worker needs: the file and how to read it, and the mapper with its look-ups read in advance."""

    bron: Bron
    formaat: str
    codering: str | None
    mapping: Mappingbestand | None
    organisatie_id: uuid.UUID
    vertaler: Vertaler | None
    registratiekolom: str | None
    kolomfouten: list[str]


@dataclass
class Einde:
    """The worker's last message: what its mapper noted for the report, and its own peak memory."""

    benaderd: dict[tuple[str, str], str]
    onbekend: dict[str, dict[str, int]]
    overzicht: dict[str, dict[str, str]]
    piek_rss_kb: int
    cpu_seconden: float


class Werkfout(RuntimeError):
    """The worker failed in a way that is not a reading error; carries its traceback."""


def _werk(opdracht: Opdracht, uit: Any) -> None:
    """The worker process: every row of the file through `voorbereid`, in chunks, then `Einde` (or the error)."""
    stuk: list[Voorbereid] = []
    try:
        voorbereider = Voorbereider(organisatie_id=opdracht.organisatie_id)
        voorbereider.vertaler = opdracht.vertaler
        voorbereider.registratiekolom = opdracht.registratiekolom
        voorbereider.kolomfouten = opdracht.kolomfouten
        lezer = lezer_voor(opdracht.formaat, opdracht.bron, codering=opdracht.codering,
                           herken_kop=is_koprij(opdracht.mapping))
        for rij in lezer.rijen():
            stuk.append(voorbereider.voorbereid(rij))
            if len(stuk) >= STUK:
                uit.put(stuk)
                stuk = []
        if stuk:
            uit.put(stuk)
        vertaler = opdracht.vertaler
        gebruik = resource.getrusage(resource.RUSAGE_SELF)
        uit.put(Einde(
            benaderd=dict(vertaler.benaderd) if vertaler else {},
            onbekend=vertaler.onbekend if vertaler else {},
            overzicht=vertaler.overzicht if vertaler else {},
            piek_rss_kb=gebruik.ru_maxrss, cpu_seconden=gebruik.ru_utime + gebruik.ru_stime,
        ))
    except BaseException as exc:  # noqa: BLE001  every failure goes to the main process, which raises it
        # The rows read before it first, as a run in one process would have handled them.
        if stuk:
            uit.put(stuk)
        try:
            uit.put(exc)
        except Exception:  # noqa: BLE001  an exception that does not pickle travels as its traceback
            uit.put(Werkfout("".join(traceback.format_exception(exc))))


class Werkproces:
    """One worker process for one run: iterate over `rijen()`, then read `einde`; `sluit()` always."""

    def __init__(self, opdracht: Opdracht) -> None:
        context = multiprocessing.get_context("spawn")
        self.wachtrij = context.Queue(maxsize=WACHTRIJ)
        self.proces = context.Process(target=_werk, args=(opdracht, self.wachtrij), daemon=True,
                                      name="sleutelmonitor-import")
        self.einde: Einde | None = None
        self.proces.start()

    def rijen(self) -> Iterator[Voorbereid]:
        """Every row's outcome in file order; raises what the worker raised (a LeesFout, say) where it did."""
        while True:
            try:
                bericht = self.wachtrij.get(timeout=POLS)
            except queue.Empty:
                if not self.proces.is_alive():
                    raise Werkfout(f"Het werkproces van de import stopte onverwacht (exitcode {self.proces.exitcode}).") from None
                continue
            if isinstance(bericht, Einde):
                self.einde = bericht
                return
            if isinstance(bericht, BaseException):
                raise bericht
            yield from bericht

    def sluit(self) -> None:
        """End the worker (at once when the run stopped early) and wait for it."""
        if self.proces.is_alive() and self.einde is None:
            self.proces.terminate()
        self.proces.join(timeout=30)
        if self.proces.is_alive():
            self.proces.kill()
            self.proces.join()
        self.wachtrij.close()
        self.wachtrij.cancel_join_thread()
