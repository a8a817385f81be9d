"""An app that is no longer used is freed.

The suite makes an app per HTTP test, and production makes one per worker, so this mostly guards the
suite: when an endpoint or dependency was a closure over its app, FastAPI's callable caches
(fastapi.dependencies.models, LRU of 4,096 entries) kept every app alive, and each pytest process grew
to 6-7 GB by the end of a stage.
"""

import gc
import weakref

from fastapi.testclient import TestClient

from app.main import create_app


def test_een_app_wordt_vrijgegeven_na_gebruik() -> None:
    refs = []
    for _ in range(3):
        app = create_app()
        client = TestClient(app, raise_server_exceptions=False)  # no lifespan: no pollers
        assert client.get("/v1/openapi.json").status_code == 200
        assert client.get("/v1/status/live").status_code == 200
        refs.append(weakref.ref(app))
        del app, client
    gc.collect()
    levend = [r for r in refs if r() is not None]
    if levend:
        verwijzers = {type(v).__qualname__ for v in gc.get_referrers(levend[0]())}
        raise AssertionError(f"{len(levend)} van 3 apps leven nog; verwezen door {sorted(verwijzers)}")
