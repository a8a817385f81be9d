"""Measure what an import with many bad rows costs to report: bytes per response, seconds, peak RSS.

Issue 22, finding 2: a CSV of N rows with a wrong topic in each, imported per row through the API
(a background job, as any file over 1 MB), then the run read back the ways its clients read it:
`GET /v1/imports/{id}`, `GET /v1/imports/{id}/fouten`, the dashboard's report page and the progress
endpoint its progress bar polls. Uses a fresh SQLite database in a temporary folder.

    .venv/bin/python scripts/meet_importrapport.py --rijen 100000
"""

import argparse
import csv
import io
import os
import resource
import sys
import tempfile
import time
from pathlib import Path


def _bestand(rijen: int) -> bytes:
    kop = ["Datum", "Sleutelpersoon", "Gemeente", "Kanaal", "Soort", "Aantal deelnemers", "Cliëntnummer",
           "Leeftijd", "Geslacht", "Taal", "Onderwerp", "Actie", "Doorverwezen naar", "Resultaat", "Duur (min)"]
    buffer = io.StringIO()
    schrijver = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    schrijver.writerow(kop)
    for i in range(rijen):
        schrijver.writerow([f"{1 + i % 28}-3-2025", "Mays A.", "GM0344", "Persoonlijk", "Individueel", "1", f"C{i:06d}",
                            "27-44", "vrouw", "ar", f"Astrologie en sterrenkunde {i}", "Informatie gegeven", "",
                            "Opgelost", "30"])
    return buffer.getvalue().encode("utf-8-sig")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rijen", type=int, default=100_000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="sleutelmonitor-meet-"))
    os.environ["SLEUTELMONITOR_DATABASE_URL"] = f"sqlite:///{tmp / 'meet.db'}"
    os.environ["SLEUTELMONITOR_IMPORT_MAP"] = str(tmp / "uploads")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

    from alembic import command
    from fastapi.testclient import TestClient
    from sqlmodel import Session

    from app.cli import _alembic_config
    from app.core.db import get_engine
    from app.main import create_app
    from tests.factories import make_key, make_organisatie, make_sleutelpersoon

    command.upgrade(_alembic_config(), "head")
    engine = get_engine()
    with Session(engine) as session:
        org = make_organisatie(session)
        make_sleutelpersoon(session, org, weergavenaam="Mays A.")
        headers = make_key(session, organisatie=org, scopes=("registreren", "rapporteren", "inzien"))
        session.commit()
    inhoud = _bestand(args.rijen)
    print(f"file: {args.rijen} rows, {len(inhoud) / 1e6:.1f} MB")
    db_voor = (tmp / "meet.db").stat().st_size
    rss_voor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with TestClient(create_app()) as client:
        begin = time.monotonic()
        antwoord = client.post("/v1/imports?perRij=true", content=inhoud, headers={**headers, "Content-Type": "text/csv"})
        print(f"POST /v1/imports: {antwoord.status_code} in {time.monotonic() - begin:.1f} s (job included)")
        run_id = antwoord.headers["Location"].rsplit("/", 1)[-1]
        token = headers["Authorization"].split(" ", 1)[1]
        pagina = client.get("/")
        import re

        csrf = re.search(r'name="csrf" value="([^"]+)"', pagina.text).group(1)  # type: ignore[union-attr]
        client.post("/aanmelden", data={"sleutel": token, "csrf": csrf}, follow_redirects=False)
        for naam, url, extra in [
            ("GET /v1/imports/{id}", f"/v1/imports/{run_id}", headers),
            ("GET /v1/imports/{id}/fouten", f"/v1/imports/{run_id}/fouten", headers),
            ("dashboard report page", f"/importeren/{run_id}", {}),
            ("dashboard progress", f"/importeren/{run_id}/voortgang", {}),
        ]:
            begin = time.monotonic()
            antwoord = client.get(url, headers=extra)
            print(f"{naam}: {antwoord.status_code}, {len(antwoord.content):,} bytes in {time.monotonic() - begin:.2f} s")
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    print(f"database grew {((tmp / 'meet.db').stat().st_size - db_voor) / 1e6:.1f} MB")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB (before the import {rss_voor:.0f} MB)")


if __name__ == "__main__":
    main()
