"""The coordinator's follow-up list and app access in Chromium: a status change in place, an invitation
opened on a phone, the device listed and revoked (signed out at its next request), and what a device
cannot reach (a colleague's contact, the dashboard's pages)."""

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from app.models import Apparaat, Contactmoment, utcnow
from app.toegang.dependencies import gebruik
from tests.web.conftest import SCREENSHOTS, Dashboard, aanmelden, axe, personen_van, schermafdruk

TELEFOON = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True, "locale": "nl-NL",
            "user_agent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36"}


def _app_fetch(page: Any, pad: str) -> int:
    """Status of a GET the app would make: same origin, its cookie, and the app's own header."""
    return int(page.evaluate(
        "async pad => (await fetch(pad, {credentials: 'same-origin', headers: {'X-Sleutelmonitor-App': '1'}})).status", pad))


def test_opvolging_status_wijzigen_en_op_een_telefoon(browser: Any, page: Any, dashboard: Dashboard) -> None:
    aanmelden(page, dashboard, "org")
    page.get_by_role("link", name="Opvolging").click()
    page.wait_for_url("**/opvolging")
    schermafdruk(page, "opvolging")
    assert axe(page) == []
    samenvatting = page.locator("main p").first.inner_text()
    open_voor = int(re.search(r"([\d.]+) open", samenvatting).group(1).replace(".", ""))  # type: ignore[union-attr]
    rij = page.locator("tbody tr").first
    rij_id = rij.get_attribute("id")
    keuze = rij.get_by_label("Nieuwe status")
    assert keuze.input_value() == ""  # nothing preselected
    keuze.select_option("afgerond")
    rij.get_by_role("button", name="Opslaan").click()
    # A final status asks first; the confirmation page is axe clean too.
    bevestig = page.get_by_role("button", name="Ja, afronden als afgerond")
    assert bevestig.is_visible() and axe(page) == []
    bevestig.click()
    page.wait_for_url(re.compile(r"gewijzigd="))
    assert "De status is gewijzigd" in page.get_by_role("status").inner_text()
    assert page.locator(f"#{rij_id}").count() == 0  # closed: off the list
    open_na = int(re.search(r"([\d.]+) open", page.locator("main p").first.inner_text()).group(1).replace(".", ""))  # type: ignore[union-attr]
    assert open_na == open_voor - 1

    telefoon = browser.new_context(**TELEFOON)
    scherm = telefoon.new_page()
    aanmelden(scherm, dashboard, "org")
    scherm.goto(dashboard.url + "/opvolging")
    breedte = scherm.evaluate("() => document.documentElement.scrollWidth")
    assert breedte <= 375, f"/opvolging is {breedte} px breed op een telefoon van 375 px"
    schermafdruk(scherm, "opvolging-telefoon")
    assert axe(scherm) == []
    telefoon.close()


def test_uitnodiging_op_de_telefoon_en_intrekken(browser: Any, page: Any, dashboard: Dashboard) -> None:
    persoon, collega = personen_van(dashboard, dashboard.org.id)[:2]
    aanmelden(page, dashboard, "org")
    page.goto(dashboard.url + "/sleutelpersonen")
    page.get_by_role("link", name=f"Uitnodigen en apparaten van {persoon.weergavenaam}").click()
    assert axe(page) == []
    page.get_by_role("button", name="Uitnodiging maken").click()
    link = page.get_by_label("Link").input_value()
    assert re.fullmatch(re.escape(dashboard.url) + r"/app/uitnodiging/[A-Za-z0-9_-]{43}", link)
    assert page.get_by_role("img", name=re.compile("QR-code")).is_visible()
    schermafdruk(page, "app-toegang")
    assert axe(page) == []

    telefoon = browser.new_context(**TELEFOON)
    scherm = telefoon.new_page()
    assert scherm.goto(link).status == 200
    assert persoon.weergavenaam in scherm.locator("main").inner_text()
    assert scherm.evaluate("() => document.documentElement.scrollWidth") <= 375
    schermafdruk(scherm, "app-uitnodiging-telefoon")
    assert axe(scherm) == []
    # In the key person's language too (the app's catalogue), right to left in Arabic.
    scherm.goto(link + "?taal=ar")
    assert scherm.locator("html").get_attribute("dir") == "rtl"
    assert scherm.evaluate("() => document.documentElement.scrollWidth") <= 375
    assert axe(scherm) == []
    scherm.goto(link + "?taal=nl")
    scherm.get_by_role("button", name="Dit apparaat koppelen").click()
    scherm.wait_for_url("**/app")
    cookie = next(c for c in telefoon.cookies() if c["name"] == "sleutelmonitor_apparaat")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert _app_fetch(scherm, "/v1/contactmomenten") == 200

    # The lifetime slides: a request after a while moves last use and expiry on (beside the request).
    with dashboard.session() as session:
        apparaat = session.exec(select(Apparaat).where(Apparaat.sleutelpersoon_id == persoon.id,
                                                       col(Apparaat.ingetrokken_op).is_(None))).one()
        apparaat.laatst_gebruikt_op = utcnow() - timedelta(hours=1)
        apparaat.verloopt_op = utcnow() + timedelta(days=1)
        session.add(apparaat)
        session.commit()
        apparaat_id = apparaat.id
    assert _app_fetch(scherm, "/v1/contactmomenten") == 200
    gebruik.wacht()
    with dashboard.session() as session:
        verlengd = session.get(Apparaat, apparaat_id)
        assert verlengd is not None and verlengd.verloopt_op > utcnow() + timedelta(days=89)
        assert verlengd.laatst_gebruikt_op > utcnow() - timedelta(minutes=5)

    # A device reads its own work only, and is no coordinator.
    with dashboard.session() as session:
        van_collega = session.exec(select(Contactmoment).where(Contactmoment.sleutelpersoon_id == collega.id)).first()
    assert van_collega is not None
    assert _app_fetch(scherm, f"/v1/contactmomenten/{van_collega.id}") == 404
    assert _app_fetch(scherm, "/v1/indicatoren/aantal-contactmomenten") == 403
    scherm.goto(dashboard.url + "/overzicht")
    assert scherm.url.startswith(dashboard.url + "/?")  # the dashboard's sign-in page

    # The coordinator sees the phone and signs it out; its next request is refused.
    page.reload()
    apparaten = page.get_by_role("table", name="Apparaten")
    assert "Android, Chrome" in apparaten.inner_text()
    apparaten.get_by_role("button", name=re.compile("^Afmelden")).first.click()
    assert "Het apparaat is afgemeld" in page.get_by_role("status").inner_text()
    assert _app_fetch(scherm, "/v1/contactmomenten") == 401
    # The app itself, opened again (from its service worker's cache), says so in words.
    scherm.goto(dashboard.url + "/app")
    scherm.wait_for_selector("body[data-afgemeld]")
    assert scherm.get_by_role("heading", name="Je bent niet aangemeld").is_visible()
    # The invitation was used once: opening it again says so.
    opnieuw = scherm.goto(link)
    assert opnieuw.status == 410 and "al gebruikt" in scherm.locator("main").inner_text()
    telefoon.close()


def test_vergelijken_voor_organisatie_en_regio(browser: Any, page: Any, dashboard: Dashboard) -> None:
    aanmelden(page, dashboard, "org")
    page.locator(".tegel-link").first.click()
    page.wait_for_url("**/vergelijken?maat=aantal-contactmomenten*")
    page.get_by_label("Uitsplitsen naar").select_option("gemeente")
    page.get_by_label("Periode", exact=True).select_option("vorig-jaar")
    page.get_by_role("button", name="Vergelijk").click()
    tabel = page.get_by_role("table")
    kop = tabel.locator("thead").inner_text()
    assert "Periode ervoor" in kop and "Jaar eerder" in kop
    eerste = tabel.locator("tbody tr").first
    assert re.search(r"\(GM\d{4}\)", eerste.locator("th").inner_text())  # names next to codes
    page.wait_for_selector("#vergelijking-canvas[data-getekend='ja']")
    schermafdruk(page, "vergelijken")
    assert axe(page) == []
    # Drill down: gemeente -> wijk.
    eerste.locator("a").click()
    page.wait_for_url(re.compile(r"per=wijk"))
    assert re.search(r"WK\d{6}", page.get_by_role("table").locator("tbody").inner_text())

    regio = browser.new_context(**TELEFOON)
    scherm = regio.new_page()
    aanmelden(scherm, dashboard, "regio")
    scherm.goto(dashboard.url + "/vergelijken?maat=aantal-hulpvragen&per=organisatie&periode=vorig-jaar")
    tekst = scherm.get_by_role("table").locator("tbody").inner_text()
    assert dashboard.org.naam in tekst  # each organisation's figures, by name
    assert "Sleutelpersoon" not in scherm.get_by_label("Uitsplitsen naar").inner_text()
    assert "regionale sleutel" in scherm.locator("main").inner_text()
    breedte = scherm.evaluate("() => document.documentElement.scrollWidth")
    assert breedte <= 375, f"/vergelijken is {breedte} px breed op een telefoon van 375 px"
    schermafdruk(scherm, "vergelijken-regio-telefoon")
    assert axe(scherm) == []
    regio.close()


def test_maandoverzicht_afdrukken_en_telefoon(browser: Any, page: Any, dashboard: Dashboard) -> None:
    persoon = personen_van(dashboard, dashboard.org.id)[0]
    aanmelden(page, dashboard, "org")
    page.goto(dashboard.url + f"/sleutelpersonen/{persoon.id}/maandoverzicht")
    page.get_by_label(re.compile("^Afspraken uit het gesprek")).fill(
        "Samen naar de intervisie.\nVolgende maand voorlichting over de zorgverzekering in het buurthuis.")
    page.get_by_role("button", name="Afspraken bewaren").click()
    assert "De afspraken zijn bewaard" in page.get_by_role("status").inner_text()
    assert axe(page) == []
    page.get_by_role("link", name=re.compile("^←")).last.click()  # the previous month
    assert "Samen naar de intervisie" not in page.locator("main").inner_text()
    page.go_back()
    pdf = page.pdf(format="A4", print_background=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    if SCREENSHOTS:
        (Path(SCREENSHOTS) / "maandoverzicht.pdf").write_bytes(pdf)
    # A4 minus the 12 mm margins is 186 mm, 703 CSS px: nothing of the print layout lies beyond it.
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 703, "height": 1000})
    rechts = page.evaluate("() => Math.max(...[...document.querySelectorAll('main *')]"
                           ".filter(e => e.getClientRects().length).map(e => e.getBoundingClientRect().right))")
    assert rechts <= 703, f"in print reikt de inhoud tot {rechts} px, breder dan een A4"
    page.emulate_media(media="screen")

    telefoon = browser.new_context(**TELEFOON)
    scherm = telefoon.new_page()
    aanmelden(scherm, dashboard, "org")
    for pad in ("/sleutelpersonen", f"/sleutelpersonen/{persoon.id}/maandoverzicht", f"/sleutelpersonen/{persoon.id}/app"):
        scherm.goto(dashboard.url + pad)
        breedte = scherm.evaluate("() => document.documentElement.scrollWidth")
        assert breedte <= 375, f"{pad} is {breedte} px breed op een telefoon van 375 px"
        assert axe(scherm) == [], pad
    telefoon.close()


def test_elke_pagina_past_op_een_telefoon(browser: Any, dashboard: Dashboard) -> None:
    """Every dashboard page at 375 px: nothing wider than the screen (wide tables scroll inside their own
    labelled region), and axe clean; for both kinds of key."""
    persoon = personen_van(dashboard, dashboard.org.id)[0]
    paginas = {
        "org": ["/overzicht", "/vergelijken?per=sleutelpersoon", "/sleutelpersonen", f"/sleutelpersonen/{persoon.id}/maandoverzicht",
                f"/sleutelpersonen/{persoon.id}/app", "/opvolging", "/signalen", "/ervaringsverhalen", "/importeren", "/sessies"],
        "regio": ["/overzicht", "/vergelijken?per=organisatie", "/signalen", "/ervaringsverhalen", "/sessies"],
    }
    for sleutel, paden in paginas.items():
        telefoon = browser.new_context(**TELEFOON)
        scherm = telefoon.new_page()
        aanmelden(scherm, dashboard, sleutel)
        for pad in paden:
            assert scherm.goto(dashboard.url + pad).status == 200, pad
            breedte = scherm.evaluate("() => document.documentElement.scrollWidth")
            assert breedte <= 375, f"{pad} ({sleutel}) is {breedte} px breed op een telefoon van 375 px"
            assert axe(scherm) == [], f"{pad} ({sleutel})"
        telefoon.close()
