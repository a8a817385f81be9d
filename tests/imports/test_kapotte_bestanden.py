"""Malformed files never give a 500 (issue 22, finding 4): a 400, or a run with a Dutch reason.

The corpus (tests/imports/kapotte_bestanden.py) goes through `POST /v1/imports` in both modes. Each
answer is a problem (400/413/415) or a run whose report can be read back as JSON, as the error CSV
and on the dashboard, and whose stored report holds only text that can be encoded.
"""

import json
import re
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import AuditRegel, ImportRun
from tests.factories import make_import_run, make_key
from tests.imports.helpers import Omgeving
from tests.imports.kapotte_bestanden import corpus
from tests.web.helpers import meld_aan

MEDIATYPEN = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              "ndjson": "application/x-ndjson"}
CORPUS = corpus()


def test_the_corpus_is_the_size_of_the_issue() -> None:
    assert len(CORPUS) >= 90 and len({naam for naam, _, _ in CORPUS}) == len(CORPUS)


def kan_opslaan(waarde: object) -> None:
    """Raise when the value cannot be stored as JSON text in UTF-8 (a lone surrogate) or on PostgreSQL (NUL)."""
    tekst = json.dumps(waarde, ensure_ascii=False)
    tekst.encode("utf-8")
    assert "\x00" not in tekst and "\\u0000" not in tekst


@pytest.fixture
def headers(session: Session, omgeving: Omgeving) -> dict[str, str]:
    sleutel = make_key(session, organisatie=omgeving.organisatie, scopes=("registreren", "inzien"))
    session.commit()
    return sleutel


@pytest.mark.parametrize("per_rij", [False, True], ids=["atomair", "per-rij"])
@pytest.mark.parametrize(("naam", "formaat", "inhoud"), CORPUS, ids=[naam for naam, _, _ in CORPUS])
def test_a_malformed_file_is_a_400_or_a_failed_run_never_a_500(
    client: TestClient, session: Session, headers: dict[str, str], naam: str, formaat: str, inhoud: bytes, per_rij: bool
) -> None:
    antwoord = client.post(f"/v1/imports?perRij={str(per_rij).lower()}&bestandsnaam={naam}", content=inhoud,
                           headers={**headers, "Content-Type": MEDIATYPEN[formaat]})
    assert antwoord.status_code in (201, 400, 413, 415), antwoord.text[:1000]
    if antwoord.status_code != 201:
        probleem = antwoord.json()
        assert probleem["status"] == antwoord.status_code and probleem["detail"]
        return
    run = antwoord.json()
    assert run["status"] in ("geslaagd", "gedeeltelijk", "mislukt")
    if run["status"] == "mislukt":
        assert run["melding"] or run["fouten"], run
    opgeslagen = session.get(ImportRun, uuid.UUID(run["id"]))
    assert opgeslagen is not None
    session.refresh(opgeslagen)
    kan_opslaan(opgeslagen.rapport)
    assert client.get(f"/v1/imports/{run['id']}", headers=headers).status_code == 200
    assert client.get(f"/v1/imports/{run['id']}/fouten", headers=headers).status_code == 200
    assert client.delete(f"/v1/imports/{run['id']}", headers=headers).status_code == 204
    assert client.get(f"/v1/imports/{run['id']}", headers=headers).status_code == 404


def test_a_run_is_deleted_with_its_report_and_audited(client: TestClient, session: Session, headers: dict[str, str]) -> None:
    antwoord = client.post("/v1/imports", content=b"Datum;Sleutelpersoon\r\n14-3-2025;Onbekend\r\n",
                           headers={**headers, "Content-Type": "text/csv"})
    assert antwoord.status_code == 201 and antwoord.json()["status"] == "mislukt"
    run_id = antwoord.json()["id"]
    assert client.delete(f"/v1/imports/{run_id}", headers=headers).status_code == 204
    assert session.get(ImportRun, uuid.UUID(run_id)) is None
    regel = session.exec(select(AuditRegel).where(AuditRegel.resource_id == run_id, AuditRegel.actie == "verwijderd")).one()
    assert regel.resource_type == "import"
    assert client.delete(f"/v1/imports/{run_id}", headers=headers).status_code == 404


@pytest.mark.parametrize("status", ["wachtend", "bezig"])
def test_a_run_that_waits_or_runs_is_not_deleted(client: TestClient, session: Session, omgeving: Omgeving,
                                                   headers: dict[str, str], status: str) -> None:
    run = make_import_run(session, omgeving.organisatie)
    run.status = status
    session.add(run)
    session.commit()
    antwoord = client.delete(f"/v1/imports/{run.id}", headers=headers)
    assert antwoord.status_code == 409 and "nog verwerkt" in antwoord.json()["detail"]
    assert session.get(ImportRun, run.id) is not None


def test_a_report_stored_with_unencodable_text_stays_readable_and_deletable(
    client: TestClient, session: Session, omgeving: Omgeving, headers: dict[str, str]
) -> None:
    """A run stored before the readers cleaned text (a job stored `"\\ud800"`) answered 500 for ever."""
    if session.get_bind().dialect.name == "postgresql":
        pytest.skip("PostgreSQL's json type refuses a lone surrogate, so such a report exists on SQLite only")
    run = make_import_run(session, omgeving.organisatie)
    run.status = "mislukt"
    run.rapport = {"melding": "x\ud800", "fouten": [{"kolom": "externId\x00", "waarde": "\ud800", "reden": "r\udc00",
                                                   "aantal": 1, "rijen": [2]}],
                   "rijkenmerken": {"2": {"datum": "\ud800", "sleutelpersoon": ""}}}
    session.add(run)
    session.commit()
    detail = client.get(f"/v1/imports/{run.id}", headers=headers)
    assert detail.status_code == 200, detail.text
    assert detail.json()["fouten"][0]["waarde"] == "\ufffd" and detail.json()["melding"] == "x\ufffd"
    assert client.get(f"/v1/imports/{run.id}/fouten", headers=headers).status_code == 200
    assert client.delete(f"/v1/imports/{run.id}", headers=headers).status_code == 204


DASHBOARD = [b for b in CORPUS if b[0] in {
    "eindrecord-verschoven.xlsx", "onbekende-compressie.xlsx", "gedeelde-tekst-buiten-bereik.xlsx", "surrogaat-escape.xlsx",
    "genest-lijst.ndjson", "getal-5001-cijfers.ndjson", "surrogaat.ndjson", "nul-teken.ndjson", "nul-bytes.csv", "binair.csv",
}]


def test_the_dashboard_dry_run_of_malformed_files_never_gives_a_500(client: TestClient, headers: dict[str, str]) -> None:
    assert len(DASHBOARD) == 10 and meld_aan(client, headers).status_code == 303
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/importeren").text).group(1)  # type: ignore[union-attr]
    for naam, formaat, inhoud in DASHBOARD:
        antwoord = client.post("/importeren", data={"csrf": csrf}, files={"bestand": (naam, inhoud, MEDIATYPEN[formaat])})
        assert antwoord.status_code in (200, 400), (naam, antwoord.status_code)
        assert "Proefdraai van" in antwoord.text or "foutmelding" in antwoord.text, naam


def test_the_dashboard_refuses_a_dry_run_too_large_for_sqlites_write_slot(
    client: TestClient, headers: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Like `POST /v1/imports?proefdraai=true`: on SQLite a large dry run would hold the only write slot."""
    from app.core.config import get_settings

    monkeypatch.setattr(get_settings(), "sqlite_atomair_max_mb", 0.001)
    assert meld_aan(client, headers).status_code == 303
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/importeren").text).group(1)  # type: ignore[union-attr]
    inhoud = "Datum;Gemeente\n" + "14-3-2025;GM0344\n" * 200
    antwoord = client.post("/importeren", data={"csrf": csrf}, files={"bestand": ("log.csv", inhoud.encode(), "text/csv")})
    from tests.conftest import BACKEND

    if BACKEND == "sqlite":
        assert antwoord.status_code == 400 and "houdt deze database (SQLite) zo lang bezet" in antwoord.text
    else:
        assert antwoord.status_code == 200 and "Proefdraai van" in antwoord.text
