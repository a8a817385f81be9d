"""Uploads of import jobs and of the dashboard's dry runs, stored in the database so every instance reads them.

A job (`POST /v1/imports` over 1 MB, the dashboard's real run) may be claimed by any worker of any
instance, and the dashboard's "Importeer de goede rijen nu" may reach another instance than its dry run
did: so the upload lives in `import_upload`, its bytes in blocks of `BLOK_BYTES` in `import_upload_blok`
(bytea on PostgreSQL, BLOB on SQLite). Blocks keep memory flat: neither storing nor reading a 200 MB
file holds more than a block. CSV and NDJSON are compressed with zlib at its fastest level (a log of
text shrinks ~5 times at ~200 MB/s); an xlsx is a zip already and is stored as it is.

A job reads its upload into a local temporary file (`naar_bestand`) and imports that, as before: the
readers open a file several times (sniffing, counting), which a file does cheaply.

Lifetime: a job's upload is removed with the job's end (in the same transaction as its result); one
nobody refers to any more (a crash between the two) is removed by the import poller after
`OPRUIMEN_NA`; a dry run's upload waits a day for the real run (`PROEFDRAAI_BEWAREN`).
"""

import tempfile
import uuid
import zlib
from datetime import timedelta
from pathlib import Path
from typing import IO

from sqlalchemy import Engine, delete, exists, insert, select
from sqlmodel import Session, col

from app.core.config import get_settings
from app.core.errors import TeGroot
from app.models import ImportRun, ImportUpload, ImportUploadBlok, utcnow

BLOK_BYTES = 4 * 1024 * 1024
TAAK = "taak"
PROEFDRAAI = "proefdraai"
ZLIB, GEEN = "zlib", "geen"
# A job's upload that no waiting or running job refers to (its job ended, but removing it did not), and a
# dry run's upload never followed by a run, are removed after these.
OPRUIMEN_NA = timedelta(minutes=10)
PROEFDRAAI_BEWAREN = timedelta(days=1)
_ACTIEF = ("wachtend", "bezig")


def te_groot(grens: int) -> TeGroot:
    mb = grens / 1_048_576
    return TeGroot(
        f"Het bestand is groter dan {mb:g} MB, de grens voor een import (SLEUTELMONITOR_MAX_IMPORT_BYTES); "
        "splits het bestand op."
    )


def bewaar(session: Session, *, organisatie_id: uuid.UUID, bron: IO[bytes] | bytes, formaat: str,
           soort: str = TAAK) -> ImportUpload:
    """Store an upload in the caller's transaction, block by block; 413 past `max_import_bytes`. Flushes, never commits."""
    grens = get_settings().max_import_bytes
    comprimeer = formaat != "xlsx"
    upload = ImportUpload(organisatie_id=organisatie_id, soort=soort, formaat=formaat,
                          compressie=ZLIB if comprimeer else GEEN)
    session.add(upload)
    session.flush()
    lezen = _blokken(bron)
    for volgnummer, deel in enumerate(lezen):
        upload.grootte += len(deel)
        if upload.grootte > grens:
            raise te_groot(grens)  # the request's rollback removes what was written
        inhoud = zlib.compress(deel, 1) if comprimeer else deel
        upload.opgeslagen += len(inhoud)
        # A statement, not an object in the session: it keeps no block in memory after it ran.
        session.execute(insert(ImportUploadBlok).values(upload_id=upload.id, volgnummer=volgnummer, inhoud=inhoud))
    session.add(upload)
    session.flush()
    return upload


def _blokken(bron: IO[bytes] | bytes):  # type: ignore[no-untyped-def]
    if isinstance(bron, bytes | bytearray | memoryview):
        for begin in range(0, len(bron), BLOK_BYTES):
            yield bytes(bron[begin:begin + BLOK_BYTES])
        return
    while deel := bron.read(BLOK_BYTES):
        yield deel


def lees(session: Session, upload_id: uuid.UUID, uit: IO[bytes]) -> bool:
    """Write an upload's bytes to `uit`, a block at a time; False when it is gone."""
    upload = session.get(ImportUpload, upload_id)
    if upload is None:
        return False
    volgnummers = session.execute(
        select(ImportUploadBlok.volgnummer).where(ImportUploadBlok.upload_id == upload_id)
        .order_by(col(ImportUploadBlok.volgnummer))
    ).scalars().all()
    for volgnummer in volgnummers:
        inhoud = session.execute(
            select(ImportUploadBlok.inhoud).where(ImportUploadBlok.upload_id == upload_id,
                                                   ImportUploadBlok.volgnummer == volgnummer)
        ).scalar_one()
        uit.write(zlib.decompress(inhoud) if upload.compressie == ZLIB else inhoud)
    return True


def naar_bestand(engine: Engine, upload_id: uuid.UUID, map_: Path, *, prefix: str = "sleutelmonitor-import-",
                 suffix: str = ".upload") -> Path | None:
    """A local copy of an upload in `map_` (for the readers, which open a file several times); None when gone."""
    with Session(engine) as session:
        return kopie(session, upload_id, map_, prefix=prefix, suffix=suffix)


def kopie(session: Session, upload_id: uuid.UUID, map_: Path, *, prefix: str = "sleutelmonitor-import-",
          suffix: str = ".upload") -> Path | None:
    """As `naar_bestand`, read in the caller's session (a request: what it sees is what the request sees)."""
    with tempfile.NamedTemporaryFile(prefix=prefix, suffix=suffix, dir=map_, delete=False) as uit:
        pad = Path(uit.name)
        try:
            gevonden = lees(session, upload_id, uit)
        except BaseException:
            pad.unlink(missing_ok=True)
            raise
    if not gevonden:
        pad.unlink(missing_ok=True)
        return None
    return pad


def bestaat(session: Session, upload_id: uuid.UUID | None) -> bool:
    if upload_id is None:
        return False
    return bool(session.execute(select(exists().where(col(ImportUpload.id) == upload_id))).scalar_one())


def get(session: Session, *, organisatie_id: uuid.UUID, upload_id: uuid.UUID, soort: str | None = None) -> ImportUpload | None:
    """The organisation's upload (of this kind), or None: another organisation's is not found."""
    upload = session.get(ImportUpload, upload_id)
    if upload is None or upload.organisatie_id != organisatie_id or soort is not None and upload.soort != soort:
        return None
    return upload


def verwijder(session: Session, upload_id: uuid.UUID | None) -> None:
    """Remove an upload and its blocks (in the caller's transaction); a run that referred to it loses the reference."""
    if upload_id is None:
        return
    session.execute(delete(ImportUploadBlok).where(col(ImportUploadBlok.upload_id) == upload_id))
    session.execute(delete(ImportUpload).where(col(ImportUpload.id) == upload_id))


def ruim_op(session: Session) -> list[uuid.UUID]:
    """Remove uploads no waiting or running job refers to, older than their kind's lifetime; returns their ids."""
    nu = utcnow()
    in_gebruik = select(ImportRun.upload_id).where(
        col(ImportRun.status).in_(_ACTIEF), col(ImportRun.upload_id).is_not(None)
    )
    weg = session.execute(
        select(ImportUpload.id).where(
            col(ImportUpload.id).not_in(in_gebruik),
            ((col(ImportUpload.soort) == TAAK) & (col(ImportUpload.aangemaakt_op) < nu - OPRUIMEN_NA))
            | ((col(ImportUpload.soort) == PROEFDRAAI) & (col(ImportUpload.aangemaakt_op) < nu - PROEFDRAAI_BEWAREN)),
        )
    ).scalars().all()
    for upload_id in weg:
        verwijder(session, upload_id)
    return list(weg)
