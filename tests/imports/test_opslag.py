"""Uploads stored in the database (issue 30, part 3): any instance reads what another stored."""

import io
import os
import zlib
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from app.core.config import get_settings
from app.core.errors import TeGroot
from app.imports import opslag
from app.models import ImportUpload, ImportUploadBlok
from tests.imports.helpers import Omgeving, csv_bytes, rij


def _blokken(session: Session, upload: ImportUpload) -> list[bytes]:
    return list(session.exec(select(ImportUploadBlok.inhoud).where(ImportUploadBlok.upload_id == upload.id)
                             .order_by(col(ImportUploadBlok.volgnummer))).all())


def test_an_upload_is_stored_in_blocks_compressed_and_read_back_exactly(
    session: Session, omgeving: Omgeving, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(opslag, "BLOK_BYTES", 64 * 1024)
    inhoud = csv_bytes([rij(Datum=f"{d % 28 + 1}-3-2025", Duur_min=str(d % 300 + 1)) for d in range(3000)])
    assert len(inhoud) > 3 * opslag.BLOK_BYTES
    upload = opslag.bewaar(session, organisatie_id=omgeving.organisatie.id, bron=io.BytesIO(inhoud), formaat="csv")
    blokken = _blokken(session, upload)
    assert len(blokken) == -(-len(inhoud) // opslag.BLOK_BYTES)
    assert (upload.grootte, upload.opgeslagen, upload.compressie) == (len(inhoud), sum(map(len, blokken)), "zlib")
    assert upload.opgeslagen * 3 < upload.grootte  # a log of text shrinks well
    assert b"".join(zlib.decompress(b) for b in blokken) == inhoud
    kopie = opslag.kopie(session, upload.id, tmp_path)
    assert kopie is not None and kopie.read_bytes() == inhoud


def test_an_xlsx_is_stored_as_it_is(session: Session, omgeving: Omgeving) -> None:
    inhoud = os.urandom(1000)  # as incompressible as a zip
    upload = opslag.bewaar(session, organisatie_id=omgeving.organisatie.id, bron=inhoud, formaat="xlsx")
    assert (upload.compressie, upload.opgeslagen, _blokken(session, upload)) == ("geen", 1000, [inhoud])


def test_an_upload_past_the_limit_is_413_and_another_organisation_does_not_find_it(
    session: Session, omgeving: Omgeving, andere: Omgeving, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "max_import_bytes", 2048)
    with pytest.raises(TeGroot) as fout:
        opslag.bewaar(session, organisatie_id=omgeving.organisatie.id, bron=b"x" * 2049, formaat="csv")
    assert fout.value.status == 413 and "groter dan" in fout.value.detail
    upload = opslag.bewaar(session, organisatie_id=omgeving.organisatie.id, bron=b"x" * 2048, formaat="csv")
    assert opslag.get(session, organisatie_id=andere.organisatie.id, upload_id=upload.id) is None
    assert opslag.get(session, organisatie_id=omgeving.organisatie.id, upload_id=upload.id) is upload

