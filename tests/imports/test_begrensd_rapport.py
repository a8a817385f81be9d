"""An import's report is bounded whatever the file (issue 22, finding 2).

A 13 MB file with a wrong value in each of 100,000 rows gave a 116 MB report, sent whole by
`GET /v1/imports/{id}`, by `/fouten`, by the dashboard page and by every poll of the progress bar.
Now a run keeps the first `max_import_fouten` errors with their rows and counts all of them per
column and reason; `/fouten` pages; the progress endpoint sends counts only; an atomic run stops at
the first error past the bound. Sizes are compared within each test: a file with ten times as many
bad rows gives a report of about the same size.
"""

import json
import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.config import get_settings
from app.imports import service
from app.imports.verslag import OVERIGE_FOUTEN
from tests.factories import make_key
from tests.imports.helpers import Omgeving, csv_bytes, importeer, rij
from tests.web.helpers import meld_aan

GRENS = 25


@pytest.fixture(autouse=True)
def _grens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "max_import_fouten", GRENS)


def _slecht(aantal: int, begin: int = 0) -> bytes:
    """`aantal` rows, each with its own unknown date: every error is different, as in the issue."""
    return csv_bytes([rij(Datum=f"{i}-99-2025", Cliëntnummer=f"C{i}") for i in range(begin, begin + aantal)])


def _omvang(rapport: dict) -> int:  # type: ignore[type-arg]
    return len(json.dumps(rapport, ensure_ascii=False).encode())


def test_the_report_keeps_the_first_errors_and_counts_them_all(session: Session, omgeving: Omgeving) -> None:
    klein = service.voer_uit(session, caller=omgeving.caller, bron=_slecht(GRENS * 2),
                             opties=service.Opties(formaat="csv", per_rij=True, proefdraai=True))[0]
    groot = service.voer_uit(session, caller=omgeving.caller, bron=_slecht(GRENS * 20),
                             opties=service.Opties(formaat="csv", per_rij=True, proefdraai=True))[0]
    rapport = groot.rapport
    assert groot.afgewezen == GRENS * 20 and rapport["foutenAantal"] == GRENS * 20
    assert sum(g["aantal"] for g in rapport["fouten"]) == GRENS
    assert rapport["foutenWeggelaten"] == GRENS * 19
    assert [g["rijen"][0] for g in rapport["fouten"]] == list(range(2, GRENS + 2))  # the first ones, in order
    assert len(rapport["rijkenmerken"]) <= GRENS
    # Every error counted per column and reason, the value left out.
    assert sum(s["aantal"] for s in rapport["foutsoorten"]) == GRENS * 20
    assert {s["kolom"] for s in rapport["foutsoorten"]} == {"Datum"}
    assert all("99-2025" not in s["reden"] for s in rapport["foutsoorten"])
    # Ten times the bad rows, about the same report (the counts have more digits).
    assert _omvang(rapport) < 1.1 * _omvang(klein.rapport)


def test_error_kinds_are_bounded_too() -> None:
    # 300 errors, each of its own column and reason: 100 kinds counted one by one, the rest together.
    verslag = service.Verslag()
    for i in range(300):
        verslag.fout(i, f"kolom {i}", f"waarde {i}", f"reden {i}")
    soorten = verslag.foutsoortenlijst()
    assert len(soorten) == 101 and {"kolom": None, "reden": OVERIGE_FOUTEN, "aantal": 200} in soorten


def test_an_atomic_run_stops_at_the_first_error_past_the_bound(session: Session, omgeving: Omgeving) -> None:
    verslag = importeer(session, omgeving, _slecht(GRENS * 40))
    assert verslag.status == service.MISLUKT and not verslag.opgeslagen
    assert verslag.gelezen == GRENS + 1 and verslag.afgewezen == GRENS + 1
    assert verslag.melding is not None and verslag.melding.startswith(f"Gestopt bij rij {GRENS + 2}: er zijn meer dan {GRENS} fouten")
    # A per-row run and a dry run go on: the first saves the good rows, the second gives all counts.
    assert importeer(session, omgeving, _slecht(GRENS * 4), per_rij=True).gelezen == GRENS * 4
    assert importeer(session, omgeving, _slecht(GRENS * 4), proefdraai=True).gelezen == GRENS * 4


@pytest.fixture
def headers(session: Session, omgeving: Omgeving) -> dict[str, str]:
    sleutel = make_key(session, organisatie=omgeving.organisatie, scopes=("registreren", "inzien"))
    session.commit()
    return sleutel


def _run(client: TestClient, headers: dict[str, str], aantal: int) -> str:
    antwoord = client.post("/v1/imports?perRij=true", content=_slecht(aantal), headers={**headers, "Content-Type": "text/csv"})
    assert antwoord.status_code == 201, antwoord.text
    return antwoord.json()["id"]


def test_the_api_answers_are_bounded(client: TestClient, headers: dict[str, str]) -> None:
    klein, groot = _run(client, headers, GRENS * 2), _run(client, headers, GRENS * 20)
    for pad in ("", "/fouten"):
        a, b = client.get(f"/v1/imports/{klein}{pad}", headers=headers), client.get(f"/v1/imports/{groot}{pad}", headers=headers)
        assert a.status_code == b.status_code == 200
        assert len(b.content) < 1.1 * len(a.content), pad
    detail = client.get(f"/v1/imports/{groot}", headers=headers).json()
    assert (detail["foutenAantal"], detail["foutenWeggelaten"]) == (GRENS * 20, GRENS * 19)
    assert detail["foutsoorten"][0]["kolom"] == "Datum"


def test_the_error_report_pages(client: TestClient, headers: dict[str, str]) -> None:
    run = _run(client, headers, GRENS * 3)
    alles = client.get(f"/v1/imports/{run}/fouten", headers=headers)
    assert alles.headers["X-Total-Count"] == str(GRENS)
    regels = alles.content.decode("utf-8-sig").strip().splitlines()
    assert len(regels) == GRENS + 1  # the header and every kept error
    pagina = client.get(f"/v1/imports/{run}/fouten?page=2&pageSize=10", headers=headers)
    assert pagina.status_code == 200 and pagina.headers["X-Total-Count"] == str(GRENS)
    assert pagina.content.decode("utf-8-sig").strip().splitlines()[1:] == regels[11:21]
    assert 'rel="next"' in pagina.headers["Link"] and 'rel="prev"' in pagina.headers["Link"]
    te_groot = client.get(f"/v1/imports/{run}/fouten?pageSize={GRENS + 1}", headers=headers)
    assert te_groot.status_code == 400 and te_groot.json()["invalidParams"][0]["name"] == "pageSize"


def test_the_dashboard_summarises_and_its_progress_sends_counts_only(client: TestClient, session: Session,
                                                                      omgeving: Omgeving, headers: dict[str, str],
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "max_import_fouten", 200)
    run = _run(client, headers, 300)
    assert meld_aan(client, headers).status_code == 303
    voortgang = client.get(f"/importeren/{run}/voortgang").json()
    assert voortgang["afgewezen"] == 300 and voortgang["status"] == "mislukt"
    assert "fouten" not in voortgang and "rijkenmerken" not in voortgang
    pagina = client.get(f"/importeren/{run}")
    assert pagina.status_code == 200
    groepen = re.search(r'<ul class="foutgroepen">(.*?)</ul>', pagina.text, re.DOTALL)
    assert groepen is not None and groepen.group(1).count("<li>") == 50
    assert "Er zijn 300 fouten gevonden. De eerste 200 zijn bewaard" in pagina.text
    assert "Fouten per kolom en soort" in pagina.text
    assert client.get(f"/importeren/{run}/fouten").content.decode("utf-8-sig").count("\n") == 201
