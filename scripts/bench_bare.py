"""The bare baseline for single writes: FastAPI with the same request model, no database, no auth.

Started by scripts/bench.py with the same uvicorn settings as `sleutelmonitor serve`
(app/cli.py): factory app, the given number of workers, proxy headers on, no server header.
"""

import sys
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fastapi import FastAPI  # noqa: E402

from app.contactmomenten.schemas import ContactmomentCreate  # noqa: E402


def create_app() -> FastAPI:
    app = FastAPI()

    @app.post("/v1/contactmomenten", status_code=201)
    def create_contactmoment(body: ContactmomentCreate) -> dict[str, Any]:
        # Echo the record as the real service does (id plus the validated fields), minus the database.
        return {"id": str(uuid.uuid4()), **body.model_dump(mode="json", by_alias=True, exclude={"inwoner_referentie"})}

    @app.get("/v1/status")
    def status() -> dict[str, str]:
        return {"status": "ok"}

    return app


if __name__ == "__main__":
    import uvicorn

    poort, workers = int(sys.argv[1]), int(sys.argv[2])
    uvicorn.run(
        "bench_bare:create_app",
        factory=True,
        host="127.0.0.1",
        port=poort,
        workers=workers,
        proxy_headers=True,
        server_header=False,
        app_dir=str(Path(__file__).resolve().parent),
    )
