"""Where a POST's time goes: merge the workers' span files (app/core/spans.py) into one table.

    python scripts/bench_spans.py /tmp/spans      # reads /tmp/spans.<pid>.json of every worker

Each span is the mean per request in microseconds of server time (a span measured in only some requests
is still divided by all of them), and its share of `totaal`, the time from the request's first ASGI call
to its last byte. Nested spans are shown indented under their parent and are part of it; `overig` is
`totaal` minus the top-level spans: routing, the other middleware, dependency resolution, thread-pool
hand-offs, waiting for the event loop and for a free thread.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

# (span, parent): the order of a request, parents before their children.
VOLGORDE: tuple[tuple[str, str | None], ...] = (
    ("auth", None), ("ratelimit", "auth"),
    ("validatie", None), ("privacybewaker", "validatie"),
    ("vingerafdruk", None), ("regels", None), ("schrijfgroep", None), ("periodeslot", None),
    ("schrijven", None), ("audit", "schrijven"),
    ("commit", None), ("antwoord", None),
)
# With group commit these run in the batch's leader, inside its `schrijfgroep` span.
IN_GROEP = {"periodeslot", "schrijven", "commit"}
NAMEN = {
    "auth": "authentication (key cache, hash compare)", "ratelimit": "rate limit",
    "validatie": "body validation (ContactmomentCreate)", "privacybewaker": "privacy guard on strings",
    "vingerafdruk": "content fingerprint + resident HMAC", "regels": "rules (codes, key person, wijk, group)",
    "periodeslot": "approved-period check (1 query)", "schrijven": "INSERTs (contactmoment + children + audit)",
    "schrijfgroep": "group commit: waiting for the batch, then period check, INSERTs, COMMIT (below: the leaders' share)",
    "audit": "audit row INSERT", "commit": "COMMIT (incl. write slot on SQLite)", "antwoord": "response body",
}


def samenvoegen(prefix: Path) -> tuple[int, dict[str, int]]:
    """(requests, nanoseconds per span) over every worker's file."""
    verzoeken, ns = 0, {}  # type: int, dict[str, int]
    for pad in prefix.parent.glob(prefix.name + ".*.json"):
        gegevens = json.loads(pad.read_text())
        verzoeken += gegevens["verzoeken"]
        for naam, waarde in gegevens["ns"].items():
            ns[naam] = ns.get(naam, 0) + waarde
    return verzoeken, ns


def rijen(verzoeken: int, ns: dict[str, int]) -> list[tuple[str, float, float]]:
    """(label, µs per request, share of totaal) per span, then `overig` and `totaal`."""
    if not verzoeken or not ns.get("totaal"):
        return []
    totaal = ns["totaal"] / verzoeken / 1000
    uit: list[tuple[str, float, float]] = []
    boven = 0.0
    groep = "schrijfgroep" in ns
    for naam, ouder in VOLGORDE:
        if naam == "schrijfgroep" and not groep:
            continue  # group commit off: each request's own write, in the spans below
        if groep and naam in IN_GROEP:
            ouder = "schrijfgroep"  # the leaders' share of the batches, inside their group-commit span
        us = ns.get(naam, 0) / verzoeken / 1000
        if ouder is None:
            boven += us
        uit.append((("  of which " if ouder else "") + NAMEN[naam], us, us / totaal))
    uit.append(("other: routing, middleware, dependencies, thread hand-offs, queueing", totaal - boven,
                (totaal - boven) / totaal))
    uit.append(("total in the server", totaal, 1.0))
    return uit


def markdown(verzoeken: int, ns: dict[str, int]) -> str:
    regels = [f"Mean over {verzoeken:,} requests.", "", "| span | µs per request | share |", "|---|--:|--:|"]
    regels += [f"| {label} | {us:,.0f} | {deel:.0%} |" for label, us, deel in rijen(verzoeken, ns)]
    return "\n".join(regels)


if __name__ == "__main__":
    print(markdown(*samenvoegen(Path(sys.argv[1]))))
