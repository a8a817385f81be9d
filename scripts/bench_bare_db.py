"""The second baseline for single writes: bare FastAPI that inserts the same rows with raw SQL and commits.

Started by scripts/bench.py like `bench_bare.py` (same uvicorn settings, same request model), against the
service's own database (`SLEUTELMONITOR_DATABASE_URL`) and its real tables, keys and indexes included. Per
request: validate the body with `ContactmomentCreate`, one transaction with the contactmoment row and its
children (topics, actions, referrals with their first status, outcome), commit, echo the record. No
authentication, rate limit, code-list or key-person check, privacy guard, fingerprint, idempotency or audit
row: that is what the service adds, and what the ratio against this baseline measures.
"""

import os
import sqlite3
import sys
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_data as bd
from fastapi import FastAPI
from sqlalchemy.engine import make_url

from app.contactmomenten.schemas import ContactmomentCreate
from app.core.config import get_settings

_LOKAAL = threading.local()


def _verbinding() -> tuple[Any, str]:
    """One connection per server thread: sqlite3 in WAL mode as the service sets it, or psycopg."""
    conn = getattr(_LOKAAL, "conn", None)
    if conn is not None:
        return conn, _LOKAAL.soort
    url = make_url(get_settings().database_url)
    if url.get_backend_name() == "sqlite":
        conn = sqlite3.connect(url.database, isolation_level=None, check_same_thread=False, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        _LOKAAL.soort = "sqlite"
    else:
        import psycopg

        conn = psycopg.connect(url.set(drivername="postgresql").render_as_string(hide_password=False))
        _LOKAAL.soort = "postgresql"
    _LOKAAL.conn = conn
    return conn, _LOKAAL.soort


def _id(waarde: uuid.UUID | str, soort: str) -> str:
    """A UUID as the service stores it: 32 hex digits on SQLite, the usual text form on PostgreSQL."""
    return uuid.UUID(str(waarde)).hex if soort == "sqlite" else str(waarde)


def _rijen(body: ContactmomentCreate, org_id: str, soort: str) -> dict[str, list[tuple[Any, ...]]]:
    nu = datetime.now(UTC).replace(tzinfo=None)
    moment = nu.isoformat(sep=" ") if soort == "sqlite" else nu.isoformat() + "+00:00"
    cid = uuid.uuid4()
    i = body.inwoner
    rijen: dict[str, list[tuple[Any, ...]]] = {t: [] for t in bd.TABELLEN}
    rijen["contactmoment"].append(tuple({
        "id": _id(cid, soort), "organisatie_id": org_id, "extern_id": body.extern_id,
        "sleutelpersoon_id": _id(body.sleutelpersoon_id, soort), "datum": body.datum.isoformat(),
        "gemeentecode": body.gemeentecode, "wijkcode": body.wijkcode, "kanaal": body.kanaal, "soort": body.soort,
        "aantal_deelnemers": body.aantal_deelnemers or 1, "inwoner_hash": body.inwoner_referentie,
        "leeftijdscategorie": i.leeftijdscategorie if i else None, "geslacht": i.geslacht if i else None,
        "taal": i.taal if i else None, "doelgroep": i.doelgroep if i else None, "rol": body.rol,
        "duur_minuten": body.duur_minuten, "inhoud_hash": cid.hex + cid.hex, "aangemaakt_op": moment,
        "gewijzigd_op": moment, "verwijderd_op": None,
    }[k] for k in bd.TABELLEN["contactmoment"]))
    rijen["contactmoment_onderwerp"] += [(_id(cid, soort), o) for o in body.onderwerpen]
    rijen["contactmoment_actie"] += [(_id(cid, soort), a) for a in body.acties]
    for d in body.doorverwijzingen:
        did = _id(uuid.uuid4(), soort)
        datum = (d.status_datum or body.datum).isoformat()
        rijen["doorverwijzing"].append((did, org_id, _id(cid, soort), _id(d.ketenpartner_id, soort), d.onderwerp,
                                        d.wijze, d.status, datum, moment, moment))
        rijen["doorverwijzing_status"].append((did, d.status, datum, moment, None))
    if body.uitkomst is not None:
        rijen["uitkomst"].append((_id(uuid.uuid4(), soort), org_id, _id(cid, soort), None, body.uitkomst.resultaat,
                                  body.datum.isoformat(), moment))
    return rijen


def create_app() -> FastAPI:
    app = FastAPI()
    org = os.environ["BENCH_ORG"]

    @app.post("/v1/contactmomenten", status_code=201)
    def create_contactmoment(body: ContactmomentCreate) -> dict[str, Any]:
        conn, soort = _verbinding()
        org_id = _id(org, soort)
        teken = "?" if soort == "sqlite" else "%s"
        cursor = conn.cursor()
        if soort == "sqlite":
            cursor.execute("BEGIN IMMEDIATE")
        try:
            for tabel, rijen in _rijen(body, org_id, soort).items():
                if rijen:
                    kolommen = bd.TABELLEN[tabel]
                    cursor.executemany(
                        f"INSERT INTO {tabel} ({', '.join(kolommen)}) VALUES ({', '.join([teken] * len(kolommen))})",
                        rijen,
                    )
            if soort == "sqlite":
                cursor.execute("COMMIT")
            else:
                conn.commit()
        except BaseException:
            conn.rollback()
            raise
        return {"id": str(uuid.uuid4()), **body.model_dump(mode="json", by_alias=True, exclude={"inwoner_referentie"})}

    @app.get("/v1/status")
    def status() -> dict[str, str]:
        return {"status": "ok"}

    return app


if __name__ == "__main__":
    import uvicorn

    poort, workers = int(sys.argv[1]), int(sys.argv[2])
    # The organisation travels to the workers (separate processes) through the environment.
    os.environ["BENCH_ORG"] = sys.argv[3]
    uvicorn.run(
        "bench_bare_db:create_app",
        factory=True,
        host="127.0.0.1",
        port=poort,
        workers=workers,
        proxy_headers=True,
        server_header=False,
        app_dir=str(Path(__file__).resolve().parent),
    )
