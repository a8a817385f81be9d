"""The dashboard's Verantwoording page: the coordinator picks a period and downloads the API's own report."""

import io
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import Session

from app.core.periods import parse_periode
from app.core.validation import vandaag
from tests.factories import make_key
from tests.verantwoording.test_verantwoording import JAAR, SECTIES, data  # noqa: F401  (the fixture)
from tests.web.helpers import meld_aan


def _aangemeld(client: TestClient, headers: dict[str, str]) -> None:
    assert meld_aan(client, headers).status_code == 303


def test_de_pagina_en_de_downloads(client: TestClient, data: dict[str, Any], pdf_mogelijk: None) -> None:  # noqa: F811
    _aangemeld(client, data["a"]["headers"])
    pagina = client.get("/verantwoording")
    assert pagina.status_code == 200
    dit_jaar = parse_periode("dit-jaar", today=vandaag()).label
    assert '<a href="/verantwoording" aria-current="page">Verantwoording</a>' in pagina.text
    # The links name the period itself (a file downloaded in January is still the year chosen).
    assert f'href="/verantwoording/download?periode={dit_jaar}&amp;formaat=pdf"' in pagina.text
    assert 'id="periode" name="periode"' in pagina.text  # the house period picker

    gekozen = client.get("/verantwoording", params={"eigen": str(JAAR)})
    assert f"/verantwoording/download?periode={JAAR}&amp;formaat=xlsx" in gekozen.text
    werkmap = client.get("/verantwoording/download", params={"periode": JAAR, "formaat": "xlsx"})
    assert werkmap.status_code == 200
    assert load_workbook(io.BytesIO(werkmap.content)).sheetnames == SECTIES
    # The same figures as the API's report for the same key and period.
    api = client.get("/v1/verantwoordingen", params={"periode": JAAR}, headers=data["a"]["headers"])
    waarden = [[c.value for c in rij] for rij in load_workbook(io.BytesIO(api.content))["Indicatoren"].iter_rows()]
    assert [[c.value for c in rij] for rij in load_workbook(io.BytesIO(werkmap.content))["Indicatoren"].iter_rows()] == waarden
    pdf = client.get("/verantwoording/download", params={"periode": JAAR, "formaat": "pdf"})
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert re.fullmatch(r'attachment; filename="verantwoording-stichting-brug-zorg-2025\.pdf"',
                        pdf.headers["content-disposition"])


def test_een_ongeldige_periode_is_een_melding(client: TestClient, data: dict[str, Any]) -> None:  # noqa: F811
    _aangemeld(client, data["a"]["headers"])
    pagina = client.get("/verantwoording", params={"eigen": "2025W10"})
    assert pagina.status_code == 200 and 'role="alert"' in pagina.text and "jaar, kwartaal of maand" in pagina.text
    assert client.get("/verantwoording/download", params={"periode": "2025W10"}).status_code == 400


@pytest.mark.parametrize("wie", ["regio", "zonder-rapporteren"])
def test_geen_verantwoording_voor_een_ander(client: TestClient, session: Session, data: dict[str, Any],  # noqa: F811
                                            wie: str) -> None:
    headers = (make_key(session, gemeentecodes=["GM0344"], scopes=("rapporteren", "signalen")) if wie == "regio"
               else make_key(session, organisatie=data["a"]["organisatie"], scopes=("registreren",)))
    session.commit()
    _aangemeld(client, headers)
    assert "/verantwoording" not in client.get("/signalen" if wie == "regio" else "/opvolging").text
    for url in ("/verantwoording", f"/verantwoording/download?periode={JAAR}&formaat=xlsx"):
        antwoord = client.get(url)
        assert antwoord.status_code == 403 and "text/html" in antwoord.headers["content-type"], url
