"""The app's message catalogue: complete in every language, current with the sources, and used by the shell."""

import json
import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from app.sleutelapp import i18n

ROOT = Path(__file__).resolve().parents[2]


def _bron_berichten() -> set[str]:
    """What Babel extracts from the app's sources now (the same configuration as `make app-teksten`)."""
    gevonden = set()
    methoden = [("app/sleutelapp/**.py", "python"), ("app/sleutelapp/templates/**.html", "jinja2"),
                ("app/web/static/app/sleutel.js", "javascript")]
    opties = {"app/sleutelapp/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    for _, _, bericht, _, _ in extract_from_dir(str(ROOT), methoden, options_map=opties,
                                                  keywords={"_": None, "gettext": None, "N_": None}):
        gevonden.add(bericht)
    return gevonden


def test_elke_tekst_van_de_bronnen_staat_vertaald_in_elke_taal() -> None:
    bron = _bron_berichten()
    assert len(bron) > 100
    for taal in i18n.TALEN:
        with (i18n.LOCALE / taal / "LC_MESSAGES" / "messages.po").open("rb") as bestand:
            po = read_po(bestand, locale=taal)
        ids = {m.id for m in po if m.id}
        assert bron - ids == set(), f"{taal}: niet in de catalogus (make app-teksten): {sorted(bron - ids)[:5]}"
        leeg = [m.id for m in po if m.id and (not m.string or m.fuzzy)]
        assert leeg == [], f"{taal}: zonder vertaling: {leeg[:5]}"
        if taal == i18n.STANDAARD:  # the msgids are the Dutch texts (no fuzzy match may change them)
            anders = [m.id for m in po if m.id and m.string != m.id]
            assert anders == [], anders[:5]
        # Placeholders survive translation: {n} in the Dutch text is {n} in every language.
        for m in po:
            if m.id:
                assert set(re.findall(r"\{\w+\}", m.id)) == set(re.findall(r"\{\w+\}", m.string)), (taal, m.id)


def test_taal_van_het_apparaat_anders_van_de_browser_anders_nederlands() -> None:
    assert i18n.kies_taal("ar", "en-GB,en;q=0.9") == "ar"
    assert i18n.kies_taal("xx", "en-GB,en;q=0.9") == "en"
    assert i18n.kies_taal(None, "fr-FR, ar;q=0.4, en;q=0.3") == "ar"
    assert i18n.kies_taal(None, "fr-FR, de") == "nl"
    assert i18n.kies_taal(None, "en;q=0, ar;q=garbage") == "nl"
    assert i18n.kies_taal(None, None) == "nl"


def _js_teksten(html: str) -> dict[str, str]:
    blok = re.search(r'<script type="application/json" id="teksten">(.*?)</script>', html, re.DOTALL)
    assert blok
    return json.loads(blok.group(1))


def test_de_schil_in_het_arabisch_is_rechts_naar_links_met_arabische_teksten(client) -> None:  # type: ignore[no-untyped-def]
    antwoord = client.get("/app", headers={"Accept-Language": "ar"})
    assert antwoord.status_code == 200
    assert '<html lang="ar" dir="rtl">' in antwoord.text
    assert "تسجيل اتصال" in antwoord.text  # "Contact registreren"
    js = _js_teksten(antwoord.text)
    assert js["Geen internet. Probeer het straks opnieuw."] == "لا يوجد إنترنت. حاول مرة أخرى لاحقاً."
    # Only the JavaScript's own texts travel in the JSON block, not the whole catalogue.
    assert "Contact registreren" not in js


def test_de_keuze_op_het_apparaat_wint_van_de_browser(client) -> None:  # type: ignore[no-untyped-def]
    client.cookies.set(i18n.COOKIE, "en")
    antwoord = client.get("/app", headers={"Accept-Language": "ar"})
    assert '<html lang="en" dir="ltr">' in antwoord.text and "Register a contact" in antwoord.text
    assert "Cookie" in antwoord.headers["vary"]
    client.cookies.clear()
    nl = client.get("/app")
    assert '<html lang="nl" dir="ltr">' in nl.text and "Contact registreren" in nl.text
    assert _js_teksten(nl.text)["1 contact wacht."] == "1 contact wacht."


def test_service_worker_voor_heel_de_app_en_nooit_uit_de_http_cache(client) -> None:  # type: ignore[no-untyped-def]
    antwoord = client.get("/app/sw.js")
    assert antwoord.status_code == 200
    assert antwoord.headers["service-worker-allowed"] == "/app"
    assert antwoord.headers["cache-control"] == "no-cache"
    assert "__VERSIE__" not in antwoord.text
    versie = re.search(r"var VERSIE = '(\w+)'", antwoord.text)
    assert versie and f"/static/app/sleutel.js?v={versie.group(1)}" in client.get("/app").text
    assert client.get(f"/static/app/sleutel.js?v={versie.group(1)}").status_code == 200
