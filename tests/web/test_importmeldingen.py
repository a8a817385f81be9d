"""Every kind of import message, as the API writes it, reads without API jargon on the dashboard."""

import pytest

from app.imports import professioneel
from app.imports.mapping import deel_kolommen_in, onbekende_waarde
from app.web import importmeldingen
from tests.web.test_importeren import JARGON

# The API's wording of each kind, produced by the code that writes it where it is a function.
API_REDENEN = [
    *deel_kolommen_in(["Datum", "Datum contact", "Gemeente"]).fouten,  # a doubled column, missing ones
    onbekende_waarde("xyz", veld="onderwerpen", lijst="onderwerp", dichtstbij=[]),
    onbekende_waarde("toeslag", veld="onderwerpen", lijst="onderwerp", dichtstbij=["Toeslagen (geld.toeslagen)"]),
    ("Onbekende sleutelpersoon `Samir B.`; registreer de sleutelpersoon eerst (POST /v1/sleutelpersonen), laat de import "
    "hem aanmaken (`--nieuwe-sleutelpersonen-aanmaken` op de opdrachtregel, `nieuweSleutelpersonenAanmaken=true` in de "
    "API), of sla de overige rijen toch op met `--per-rij` (`perRij=true`). Een andere schrijfwijze van een bestaande "
    "naam legt u vast in het mappingbestand (`waarden: sleutelpersoon:`)."),
    ("Onbekende ketenpartner `Taalhuis`; zet hem eerst op de sociale kaart (POST /v1/ketenpartners), laat de import hem "
    "aanmaken (`--nieuwe-ketenpartners-aanmaken` op de opdrachtregel, `nieuweKetenpartnersAanmaken=true` in de API), of "
    "sla de overige rijen toch op met `--per-rij` (`perRij=true`)."),
    "Er zijn 2 sleutelpersonen met de naam `Mays A.`; maak de namen uniek of gebruik het mappingbestand.",
    ("Het contactmoment bestaat al met andere doorverwijzingen; een import wijzigt geen doorverwijzingen (gebruik "
    "/v1/doorverwijzingen)."),
    "Het contactmoment met externId `crm-1` is verwijderd; een import zet het niet terug.",
    "aantalDeelnemers: Moet minimaal 1 zijn.",
    "Gestopt bij rij 1200: er zijn meer dan 1000 fouten gevonden, en een atomaire import slaat dan niets op.",
    ("Een atomaire import (alles of niets) van een bestand groter dan 50 MB houdt deze database (SQLite) zo lang bezet "
    "dat andere registraties mislukken. Importeer per rij (`perRij=true`): dat legt elke paar duizend rijen vast."),
    "Regel 3 is geen geldig NDJSON-object.",
    *deel_kolommen_in(["Datum"], velden=professioneel.VELDEN).fouten,
    ("Onbekende aanvrager `Bakker`; schrijf `Gemeente` of `GGD`, of de naam van een ketenpartner op de sociale kaart "
     "(POST /v1/ketenpartners)."),
    professioneel.ONBEKENDE_REGISTRATIE.format(waarde="brief"),
    professioneel.ONBEKENDE_SLEUTELPERSOON.format(naam="Samir B."),
    "Een professioneel contact maakt geen sleutelpersoon aan; registreer de sleutelpersoon eerst.",
]
API_MELDINGEN = [
    ("Er is niets opgeslagen: 20 van de 2000 rijen zijn afgekeurd en de import is atomair (alles of niets). Verbeter "
    "het bestand, of importeer per rij (`--per-rij`; in de API `perRij=true`)."),
    "Proefdraai: er is niets opgeslagen. Een atomaire import zou niets opslaan, want 20 van de 2000 rijen zijn afgekeurd.",
    "Proefdraai: er is niets opgeslagen; de aantallen zijn wat een echte import zou doen.",
]


@pytest.mark.parametrize("api", API_REDENEN)
@pytest.mark.parametrize("op_proefdraai", [True, False])
def test_reden_zonder_jargon(api: str, op_proefdraai: bool) -> None:
    tekst = importmeldingen.reden(api, op_proefdraai=op_proefdraai)
    assert [woord for woord in JARGON if woord in tekst] == [], tekst
    assert "`" not in tekst


@pytest.mark.parametrize("api", API_MELDINGEN)
def test_melding_zonder_jargon(api: str) -> None:
    tekst = importmeldingen.melding(api)
    assert tekst and [woord for woord in JARGON if woord in tekst] == [], tekst


def test_opties_bij_hun_label() -> None:
    sleutelpersoon = next(r for r in API_REDENEN if r.startswith("Onbekende sleutelpersoon"))
    assert "‘Onbekende sleutelpersonen aanmaken’" in importmeldingen.reden(sleutelpersoon)
    assert "‘Goede rijen opslaan, ook als andere rijen fout zijn’" in importmeldingen.melding(API_MELDINGEN[0])  # type: ignore[operator]
    assert "‘Importeer de goede rijen nu’ slaat u de 1980 goede rijen op" in importmeldingen.melding(API_MELDINGEN[1])  # type: ignore[operator]
