"""Importeren for coordinators (issue 24, point 7): the preview in the coordinator's words, a choice per
unknown name kept as the organisation's mapping, and "Importeer de goede rijen nu" from the kept upload.

HTTP tests through the dashboard's forms (both databases), and one browser test (Chromium, axe, 375 px).
"""

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.core.config import get_settings
from app.imports import opgeslagen, opslag, taken
from app.models import ImportRun, Sleutelpersoon
from tests.factories import Omgeving, make_key
from tests.imports.helpers import csv_bytes, rij
from tests.web.helpers import csrf_van, meld_aan

# What a coordinator has no use for on the page: endpoints, parameters, command-line flags, jargon.
JARGON = ("/v1/", "POST ", "GET ", "--", "perRij", "AanmakenTrue", "Aanmaken=true", "nieuweSleutelpersonen",
          "nieuweKetenpartners", "mappingbestand", "NDJSON", "atomair", "opdrachtregel", "externId",
          "sleutelpersoonId", "inwonerReferentie", "aantalDeelnemers")


@pytest.fixture
def sleutel(session: Session, omgeving: Omgeving) -> dict[str, str]:
    headers = make_key(session, organisatie=omgeving.organisatie, scopes=("registreren", "rapporteren"))
    session.commit()
    return headers


@pytest.fixture
def gestart(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[list[uuid.UUID]]:
    """The jobs the dashboard starts, noted instead of run (the browser test runs one for real)."""
    gestart: list[uuid.UUID] = []
    monkeypatch.setenv("SLEUTELMONITOR_IMPORT_MAP", str(tmp_path / "uploads"))
    get_settings.cache_clear()
    monkeypatch.setattr(taken, "draai", gestart.append)
    yield gestart
    get_settings.cache_clear()


def _bestand(omgeving: Omgeving) -> bytes:
    bekend = omgeving.sleutelpersoon.weergavenaam
    return csv_bytes([
        rij(Sleutelpersoon="Samir B.", Cliëntnummer="W001"),
        rij(Sleutelpersoon="Samir B.", Datum="15-3-2025", Cliëntnummer="W002"),
        rij(Sleutelpersoon=bekend, Doorverwezen_naar="Taalhuis Noord", Datum="16-3-2025", Cliëntnummer="W003"),
        rij(Sleutelpersoon=bekend, Onderwerp="Onbekend onderwerp xyz", Datum="17-3-2025", Cliëntnummer="W004"),
        rij(Sleutelpersoon=bekend, Onderwerp="toeslag", Datum="18-3-2025", Cliëntnummer="W005"),
        rij(Sleutelpersoon=bekend, Datum="19-3-2025", Cliëntnummer="W006"),
    ])


def _proefdraai(client: TestClient, bestand: bytes, **opties: str) -> Any:
    return client.post("/importeren", data={"csrf": csrf_van(client), **opties},
                       files={"bestand": ("logboek.csv", bestand, "text/csv")})


def _tekst(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)[^>]*>.*?</\1>", "", html, flags=re.DOTALL)))


def test_proefdraai_spreekt_de_taal_van_de_coordinator(client: TestClient, omgeving: Omgeving, sleutel: dict[str, str],
                                                        gestart: list[uuid.UUID]) -> None:
    meld_aan(client, sleutel)
    antwoord = _proefdraai(client, _bestand(omgeving))
    assert antwoord.status_code == 200, antwoord.text
    tekst = _tekst(antwoord.text)
    assert [woord for woord in JARGON if woord in tekst] == []
    # Each kind of problem points at what is on this page, by its label.
    assert "Sleutelpersoon Samir B. is onbekend" in tekst and "‘Onbekende sleutelpersonen aanmaken’" in tekst
    assert "Ketenpartner Taalhuis Noord is onbekend" in tekst and "‘Onbekende ketenpartners aanmaken’" in tekst
    assert "Bedoelt u Toeslagen (geld.toeslagen)?" in tekst and "Energie" not in tekst
    assert "alles of niets" in tekst and "Importeer de goede rijen nu" in tekst
    # A choice per unknown name, with the organisation's own names to link to.
    assert re.search(r'<select id="sp-1" name="sleutelpersoon_keuze">', antwoord.text)
    assert f">Koppelen aan {omgeving.sleutelpersoon.weergavenaam}</option>" in antwoord.text
    assert re.search(r'<select id="kp-1" name="ketenpartner_keuze">', antwoord.text)


def _formulier(html: str) -> dict[str, Any]:
    velden = dict(re.findall(r'<input type="hidden" name="(csrf|token|bestandsnaam|rijen)" value="([^"]*)"', html))
    velden["sleutelpersoon_naam"] = re.findall(r'name="sleutelpersoon_naam" value="([^"]*)"', html)
    velden["ketenpartner_naam"] = re.findall(r'name="ketenpartner_naam" value="([^"]*)"', html)
    return velden


def test_keuzes_opslaan_en_de_goede_rijen_importeren_zonder_nieuwe_upload(
    client: TestClient, session: Session, omgeving: Omgeving, sleutel: dict[str, str], gestart: list[uuid.UUID]
) -> None:
    meld_aan(client, sleutel)
    eerste = _proefdraai(client, _bestand(omgeving))
    velden = _formulier(eerste.text)
    assert velden["sleutelpersoon_naam"] == ["Samir B."] and velden["ketenpartner_naam"] == ["Taalhuis Noord"]
    assert "Afgekeurd" in eerste.text and ">5<" in eerste.text.replace(" ", "")  # 5 of 6 rows rejected before the choices

    # Check again with the choices: the kept upload, no file in this request.
    opnieuw = client.post("/importeren/uitvoeren", data={
        **velden, "actie": "controleren", "sleutelpersoon_keuze": ["aanmaken"],
        "ketenpartner_keuze": [str(omgeving.ketenpartner.id)],
    })
    assert opnieuw.status_code == 200, opnieuw.text
    assert "Samir B. is onbekend" not in _tekst(opnieuw.text) and "Taalhuis Noord is onbekend" not in _tekst(opnieuw.text)
    mapping = opgeslagen.laad(session, organisatie_id=omgeving.organisatie.id)
    assert mapping is not None
    assert mapping.aanmaken == {"sleutelpersoon": ["Samir B."]}
    assert mapping.waarden == {"doorverwijzingen": {"Taalhuis Noord": omgeving.ketenpartner.naam}}

    # "Importeer de goede rijen nu": a per-row job on the same upload, with the stored choices.
    klaar = client.post("/importeren/uitvoeren", data={**_formulier(opnieuw.text), "actie": "goede-rijen"},
                        follow_redirects=False)
    assert klaar.status_code == 303 and re.match(r"^/importeren/[0-9a-f-]{36}\?rijen=6$", klaar.headers["location"])
    run = session.get(ImportRun, gestart[0])
    assert run is not None and (run.modus, run.proefdraai, run.status) == ("per-rij", False, "wachtend")
    assert run.opties["mapping"]["aanmaken"] == {"sleutelpersoon": ["Samir B."]}
    assert run.upload_id is not None and str(run.upload_id) == velden["token"]
    assert opslag.bestaat(session, run.upload_id)  # the dry run's stored upload is now the job's
    # The upload was used: it cannot start a second run.
    tweede = client.post("/importeren/uitvoeren", data={**_formulier(opnieuw.text), "actie": "goede-rijen"})
    assert tweede.status_code == 400


def test_koppelen_aan_een_naam_van_een_andere_organisatie_kan_niet(
    client: TestClient, session: Session, omgeving: Omgeving, andere: Omgeving, sleutel: dict[str, str],
    gestart: list[uuid.UUID],
) -> None:
    meld_aan(client, sleutel)
    velden = _formulier(_proefdraai(client, _bestand(omgeving)).text)
    antwoord = client.post("/importeren/uitvoeren", data={
        **velden, "actie": "controleren", "sleutelpersoon_keuze": [str(andere.sleutelpersoon.id)]})
    assert antwoord.status_code == 400
    assert opgeslagen.laad(session, organisatie_id=omgeving.organisatie.id) is None
    assert not session.exec(select(Sleutelpersoon).where(Sleutelpersoon.weergavenaam == "Samir B.")).all()


# --- In the browser ---------------------------------------------------------------------------------


def _breedte(page: Any) -> int:
    return int(page.evaluate("() => document.documentElement.scrollWidth"))


def test_browser_proefdraai_aanmaken_en_goede_rijen_importeren_zonder_tweede_upload(browser: Any, dashboard: Any) -> None:
    from datetime import timedelta

    from app.core.validation import vandaag
    from tests.web.conftest import aanmelden, axe, personen_van, schermafdruk

    persoon = next(p for p in personen_van(dashboard, dashboard.org.id) if p.actief)
    gemeente = persoon.gemeentecode or dashboard.org.gemeentecodes[0]
    nieuw = f"Samir Historisch {uuid.uuid4().hex[:4]}"
    # Two years and a half back, away from the months other browser tests count.
    dag = (vandaag() - timedelta(days=913)).replace(day=12).strftime("%d-%m-%Y")
    bestand = csv_bytes(
        [rij(Datum=dag, Sleutelpersoon=nieuw, Gemeente=gemeente, Cliëntnummer=f"H{i:03d}") for i in range(3)]
        + [rij(Datum=dag, Sleutelpersoon=persoon.weergavenaam, Gemeente=gemeente, Cliëntnummer=f"K{i:03d}") for i in range(2)]
        + [rij(Datum=dag, Sleutelpersoon=persoon.weergavenaam, Gemeente=gemeente, Onderwerp="Onbekend onderwerp xyz")]
    )
    # A phone: the page must fit 375 px, before and after the dry run.
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True, locale="nl-NL")
    page = context.new_page()
    try:
        aanmelden(page, dashboard, "org")
        page.goto(dashboard.url + "/importeren")
        assert _breedte(page) <= 375, f"Importeren is {_breedte(page)} px breed op een telefoon van 375 px"
        assert axe(page) == []

        page.set_input_files("#bestand", files=[{"name": "oud-logboek.csv", "mimeType": "text/csv", "buffer": bestand}])
        page.get_by_role("button", name="Proefdraai").click()  # default options: nothing ticked
        main = page.locator("main")
        assert "Dit is een proefdraai" in main.inner_text()
        assert f"Sleutelpersoon {nieuw} is onbekend" in main.inner_text()
        assert not [woord for woord in JARGON if woord in main.inner_text()]
        assert _breedte(page) <= 375, f"de proefdraai is {_breedte(page)} px breed op een telefoon van 375 px"
        assert axe(page) == []
        schermafdruk(page, "importeren-keuzes-telefoon")

        page.get_by_label(f"Sleutelpersoon {nieuw}").select_option("aanmaken")
        page.get_by_role("button", name="Importeer de goede rijen nu").click()
        page.wait_for_url(re.compile(r"/importeren/[0-9a-f-]{36}"))
        page.wait_for_selector("text=De goede rijen zijn opgeslagen", timeout=30_000)
        assert page.locator(".tegel", has_text="Nieuw").locator(".tegel-waarde").inner_text() == "5"
        assert "Onbekend onderwerp xyz" in page.locator("main").inner_text()
        assert _breedte(page) <= 375, f"de import is {_breedte(page)} px breed op een telefoon van 375 px"
        assert axe(page) == []
    finally:
        context.close()

    [samir] = [p for p in personen_van(dashboard, dashboard.org.id) if p.weergavenaam == nieuw]
    assert (samir.actief, samir.gemeentecode) == (False, gemeente)


def test_opgeslagen_keuzes_staan_op_de_pagina_en_kunnen_gewist(client: TestClient, session: Session, omgeving: Omgeving,
                                                              sleutel: dict[str, str]) -> None:
    from app.imports.mapping import Mappingbestand
    from app.toegang.caller import Binding, Caller, Scope

    caller = Caller(sleutel_id=None, scopes=frozenset({Scope.registreren}), binding=Binding.organisatie,
                    organisatie_id=omgeving.organisatie.id)
    opgeslagen.sla_op(session, caller=caller, mapping=Mappingbestand(
        aanmaken={"sleutelpersoon": ["Samir B."]}, waarden={"sleutelpersoon": {"M. Abdi": "Mays A."}, "kanaal": {"app": "berichtenapp"}}))
    session.commit()
    meld_aan(client, sleutel)
    tekst = _tekst(client.get("/importeren").text)
    assert "Sleutelpersoon Samir B. : aanmaken" in tekst and "Sleutelpersoon M. Abdi : koppelen aan Mays A." in tekst
    assert client.post("/importeren/keuzes-wissen", data={"csrf": "verkeerd"}).status_code == 403
    antwoord = client.post("/importeren/keuzes-wissen", data={"csrf": csrf_van(client)}, follow_redirects=False)
    assert antwoord.status_code == 303
    mapping = opgeslagen.laad(session, organisatie_id=omgeving.organisatie.id)
    assert mapping is not None and (mapping.aanmaken, mapping.waarden) == ({}, {"kanaal": {"app": "berichtenapp"}})
    assert "Uw keuzes voor namen" not in client.get("/importeren").text


def test_de_upload_van_een_proefdraai_blijft_tot_hij_verloopt(client: TestClient, session: Session, omgeving: Omgeving,
                                                              sleutel: dict[str, str], gestart: list[uuid.UUID]) -> None:
    """Kept in the database (any instance finds it), out of reach of the jobs' ten-minute sweep; gone after a day."""
    from datetime import timedelta

    from app.models import ImportUpload, utcnow

    meld_aan(client, sleutel)
    velden = _formulier(_proefdraai(client, _bestand(omgeving)).text)
    upload = session.get(ImportUpload, uuid.UUID(velden["token"]))
    assert upload is not None and (upload.organisatie_id, upload.soort) == (omgeving.organisatie.id, "proefdraai")
    assert list(taken.uploadmap().iterdir()) == []  # the dry run's local copy is gone with its request
    upload.aangemaakt_op = utcnow() - timedelta(hours=1)
    session.add(upload)
    assert opslag.ruim_op(session) == []  # an hour old: still there for "Importeer de goede rijen nu"
    upload.aangemaakt_op = utcnow() - opslag.PROEFDRAAI_BEWAREN - timedelta(minutes=1)
    session.add(upload)
    assert opslag.ruim_op(session) == [upload.id]
    session.commit()
    antwoord = client.post("/importeren/uitvoeren", data={**velden, "actie": "goede-rijen"})
    assert antwoord.status_code == 400 and "niet meer beschikbaar" in antwoord.text


def test_een_andere_organisatie_kan_de_upload_van_een_proefdraai_niet_gebruiken(
    client: TestClient, session: Session, omgeving: Omgeving, andere: Omgeving, sleutel: dict[str, str],
    gestart: list[uuid.UUID],
) -> None:
    meld_aan(client, sleutel)
    velden = _formulier(_proefdraai(client, _bestand(omgeving)).text)
    anders = make_key(session, organisatie=andere.organisatie, scopes=("registreren", "rapporteren"))
    session.commit()
    client.cookies.clear()
    meld_aan(client, anders)
    antwoord = client.post("/importeren/uitvoeren", data={**velden, "csrf": csrf_van(client), "actie": "goede-rijen"})
    assert antwoord.status_code == 400 and "niet meer beschikbaar" in antwoord.text
    assert gestart == []


def test_proefdraai_toont_de_professionele_contacten(client: TestClient, omgeving: Omgeving, sleutel: dict[str, str],
                                                      gestart: list[uuid.UUID]) -> None:
    """A file with the kind column: the dry run's summary counts the professional contacts apart (issue 25)."""
    meld_aan(client, sleutel)
    bekend = omgeving.sleutelpersoon.weergavenaam
    kop = ["Registratie", "Datum", "Sleutelpersoon", "Soort", "Aangevraagd door", "Gemeente", "Aantal professionals"]
    bestand = csv_bytes([["professioneel-contact", "3-11-2025", bekend, "Casusoverleg", "GGD", "GM0344", "6"],
                         ["professioneel-contact", "4-11-2025", bekend, "Adviesvraag", "Gemeente", "GM0344", "0"]], kop=kop)
    antwoord = _proefdraai(client, bestand)
    assert antwoord.status_code == 200, antwoord.text
    tekst = _tekst(antwoord.text)
    assert "Waarvan professionele contacten: 2 gelezen, 1 zouden nieuw zijn, 0 zouden bijgewerkt worden, 0 stonden er al, 1 afgekeurd." in tekst
    assert "Aantal professionals" in tekst  # the refused row's column, by its header
    assert [woord for woord in JARGON if woord in tekst] == []
