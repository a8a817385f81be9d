"""Issue 29: per-request spans (app/core/spans.py), the instrument behind the write-time table in docs/performance.md."""

import json
import sys
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from app.core import spans

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import bench_spans


async def _app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    with spans.span("schrijven"), spans.span("audit"):
        pass
    spans.tel("commit", 5_000)
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


def test_each_request_adds_its_spans_to_the_workers_totals(tmp_path: Path) -> None:
    middleware = spans.SpanMiddleware(_app, pad=str(tmp_path / "spans"))
    client = TestClient(middleware)  # not as a context manager: this bare app has no lifespan
    for _ in range(3):
        assert client.get("/").status_code == 200
    middleware.totalen.schrijf()
    [bestand] = tmp_path.glob("spans.*.json")
    gegevens = json.loads(bestand.read_text())
    assert gegevens["verzoeken"] == 3
    assert set(gegevens["ns"]) == {"totaal", "schrijven", "audit", "commit"}
    assert gegevens["ns"]["commit"] == 15_000
    assert gegevens["ns"]["totaal"] >= gegevens["ns"]["schrijven"] >= gegevens["ns"]["audit"]
    verzoeken, ns = bench_spans.samenvoegen(tmp_path / "spans")
    tabel = bench_spans.markdown(verzoeken, ns)
    assert "INSERTs" in tabel and "total in the server" in tabel


def test_outside_a_measured_request_a_span_measures_nothing() -> None:
    assert not spans.aan()
    with spans.span("schrijven"):
        spans.tel("commit", 1)
    assert not spans.aan()
