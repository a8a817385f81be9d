"""An xlsx zip bomb is refused from the zip directory, before anything is unpacked (issue 14)."""

import io
import zipfile

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.imports import router as imports_router
from app.imports.readers import TeVeelUitgepakt, XlsxLezer, controleer_zip
from app.models import ImportRun
from tests.factories import make_key
from tests.imports.helpers import Omgeving, xlsx_bytes

MIB = 1024 * 1024


def zipbom(megabytes: int = 64) -> bytes:
    """A workbook-shaped zip whose shared strings unpack from about 64 KB to `megabytes` MiB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archief:
        archief.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        with archief.open("xl/sharedStrings.xml", "w") as lid:
            lid.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>')
            for _ in range(megabytes):
                lid.write(b"a" * MIB)
            lid.write(b"</t></si></sst>")
    return buffer.getvalue()


def test_the_bomb_is_small_and_refused_by_the_reader() -> None:
    bom = zipbom()
    assert len(bom) < MIB
    with pytest.raises(TeVeelUitgepakt, match="keer groter uitpakt"):
        controleer_zip(bom)
    with pytest.raises(TeVeelUitgepakt):
        list(XlsxLezer(bom).rijen())


def test_a_real_workbook_passes() -> None:
    controleer_zip(xlsx_bytes({"Blad1": [["Datum", "Gemeente"], ["14-3-2025", "GM0344"]] * 2000}))


def test_upload_of_a_bomb_is_a_413_and_leaves_no_run(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    sleutel = make_key(session, organisatie=omgeving.organisatie, scopes=("registreren",))
    voor = session.exec(select(func.count()).select_from(ImportRun)).one()
    response = client.post("/v1/imports", content=zipbom(), params={"proefdraai": "true"},
                           headers={**sleutel, "Content-Type": imports_router.XLSX_MEDIA_TYPE})
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert "keer groter uitpakt" in response.json()["detail"]
    assert session.exec(select(func.count()).select_from(ImportRun)).one() == voor
