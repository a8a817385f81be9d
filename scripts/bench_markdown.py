"""Render the JSON results of one or more `scripts/bench.py --json` runs as Markdown tables.

    python scripts/bench_markdown.py run1.json [run2.json ...]

Used for docs/performance.md. Each measurement keeps the baseline of its own run.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

KOPPEN = {
    "import": ("Bulk import", "rows/s"),
    "schrijven": ("Single-record writes", "req/s"),
    "indicator": ("Indicator queries", "ms"),
    "versheid": ("Freshness", "ms"),
}


def _getal(waarde: Any) -> str:
    if waarde is None:
        return "–"
    if isinstance(waarde, float) and not waarde.is_integer():
        return f"{waarde:,.1f}" if waarde >= 10 else f"{waarde:,.2f}"
    return f"{int(waarde):,}"


def tabellen(runs: list[dict[str, Any]]) -> str:
    metingen = [m for run in runs for m in run["metingen"]]
    uit: list[str] = []
    for onderdeel, (titel, _) in KOPPEN.items():
        rijen = [m for m in metingen if m["onderdeel"] == onderdeel]
        if not rijen:
            continue
        uit += [f"### {titel}", "", "| Measurement | DB | Records | Figure | Baseline | Ratio | Details | Target | Met |",
                "|---|---|---:|---:|---:|---:|---|---|:-:|"]
        for m in rijen:
            if m.get("fout"):
                uit.append(f"| {m['naam']} | {m['db']} | {m['omvang']:,} | error | | | {m['fout'][:200]} | | |")
                continue
            details = ", ".join(f"{k} {_getal(v) if isinstance(v, (int, float)) else v}" for k, v in m["details"].items())
            verhouding = m.get("verhouding")
            gehaald = {True: "yes", False: "**no**", None: ""}[m.get("gehaald")]
            uit.append(
                f"| {m['naam']} | {m['db']} | {m['omvang']:,} | {_getal(m['waarde'])} {m['eenheid']} | "
                f"{_getal(m['basislijn'])} | {'–' if verhouding is None else f'{verhouding:.2f}'} | {details} | "
                f"{m.get('doel') or ''} | {gehaald} |"
            )
        uit.append("")
    return "\n".join(uit)


if __name__ == "__main__":
    print(tabellen([json.loads(Path(pad).read_text()) for pad in sys.argv[1:]]))
