"""The dashboard in headless Chromium: sign in and out, every page with demo data, charts, tables,
the signal conversation, an import, disclosure control for a regional key, tenancy, and axe-core."""

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from itsdangerous import URLSafeTimedSerializer
from sqlmodel import col, select

from app.core.validation import vandaag
from app.models import Ervaringsverhaal, Signaal
from app.web.sessie import COOKIE, SALT
from tests.imports.helpers import csv_bytes, rij
from tests.web.conftest import (
    Dashboard,
    aanmelden,
    axe,
    downloaden,
    laadtijd,
    personen_van,
    schermafdruk,
    signaal_van,
)


def _bezoek(page: Any, dashboard: Dashboard, pad: str, naam: str) -> None:
    """Open a page, check it rendered and has no serious or critical axe violation, and time it."""
    antwoord = page.goto(dashboard.url + pad)
    assert antwoord.status == 200, f"{pad}: {antwoord.status}"
    assert page.locator("h1").count() == 1
    page.wait_for_load_state("load")
    dashboard.timings[f"{naam} {pad}"[:48]] = laadtijd(page)
    schermafdruk(page, naam)
    overtredingen = axe(page)
    assert overtredingen == [], f"axe op {pad}: {overtredingen}"


def test_aanmelden_afmelden_en_een_verkeerde_sleutel(page: Any, dashboard: Dashboard) -> None:
    page.goto(dashboard.url + "/overzicht")
    page.wait_for_url(re.compile(r"/\?volgende=%2Foverzicht$"))  # not signed in: to the sign-in page
    assert page.get_by_role("link", name="API-documentatie (Swagger UI)").get_attribute("href") == "/v1/docs"
    assert page.get_by_role("link", name="OpenAPI-document").get_attribute("href") == "/v1/openapi.json"
    page.get_by_label("API-sleutel").fill("smk_00000000_verkeerd")
    page.get_by_role("button", name="Aanmelden").click()
    assert "Aanmelden lukte niet" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("API-sleutel").get_attribute("aria-invalid") == "true"

    aanmelden(page, dashboard, "org")
    cookie = next(c for c in page.context.cookies() if c["name"] == COOKIE)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["expires"] > 0
    assert dashboard.sleutels["org"].split("_", 2)[2] not in cookie["value"]  # the secret is never in the cookie
    assert page.get_by_role("heading", level=1).inner_text().startswith("Overzicht")

    page.get_by_role("button", name="Afmelden").click()
    page.wait_for_url("**/?melding=afgemeld")
    assert "U bent afgemeld" in page.inner_text("main")
    # What is left is at most the anonymous session of the sign-in form: no key prefix in it.
    over = [URLSafeTimedSerializer("-", salt=SALT).loads_unsafe(c["value"])[1]
            for c in page.context.cookies() if c["name"] == COOKIE]
    assert all("p" not in inhoud for inhoud in over)
    page.goto(dashboard.url + "/signalen")
    assert page.url.startswith(dashboard.url + "/?")


def test_afmelden_dan_werkt_een_gekopieerde_cookie_niet_meer(browser: Any, dashboard: Dashboard) -> None:
    """Issue 24, point 5: "Afmelden" ends the session on the server, so a copy of the cookie taken before it
    (here set in a fresh browser context) gets the sign-in page. On the way: the session list and ending
    another browser's session from it, through its confirmation step, both axe clean."""
    contexten = [browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL"),
                 browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True, locale="nl-NL"),
                 browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")]
    try:
        laptop, telefoon, dief = (c.new_page() for c in contexten)
        aanmelden(telefoon, dashboard, "org")
        telefoon.goto(dashboard.url + "/sessies")
        breedte = telefoon.evaluate("() => document.documentElement.scrollWidth")
        assert breedte <= 375, f"de sessiepagina is {breedte} px breed op een telefoon van 375 px"
        aanmelden(laptop, dashboard, "org")
        _bezoek(laptop, dashboard, "/sessies", "sessies")
        rijen = laptop.locator("main tbody tr")
        assert rijen.count() >= 2
        eigen = laptop.locator("main tbody tr", has_text="(dit apparaat)")
        assert eigen.count() == 1
        # End the phone's session: the newest one that is not this device.
        laptop.locator("main tbody tr", has_not_text="(dit apparaat)").first.get_by_role("link", name="Beëindigen").click()
        laptop.wait_for_url(re.compile(r"/sessies/[0-9a-f-]+/beeindigen$"))
        assert laptop.get_by_role("heading", level=1).inner_text() == "Sessie beëindigen?"
        assert axe(laptop) == []
        laptop.get_by_role("button", name="Ja, sessie beëindigen").click()
        laptop.wait_for_url("**/sessies?beeindigd=1")
        assert "De sessie is beëindigd" in laptop.get_by_role("status").inner_text()
        telefoon.reload()
        assert telefoon.url.startswith(dashboard.url + "/?melding=verlopen")
        assert telefoon.get_by_label("API-sleutel").is_visible()

        kopie = next(c for c in contexten[0].cookies() if c["name"] == COOKIE)
        laptop.goto(dashboard.url + "/overzicht")
        laptop.get_by_role("button", name="Afmelden").click()
        laptop.wait_for_url("**/?melding=afgemeld")
        contexten[2].add_cookies([kopie])
        dief.goto(dashboard.url + "/overzicht")
        dief.wait_for_url(re.compile(r"/\?melding=verlopen$"))
        assert dief.get_by_label("API-sleutel").is_visible()
        assert "Uw sessie is verlopen" in dief.inner_text("main")
        assert not [c for c in contexten[2].cookies() if c["name"] == COOKIE and c["value"] == kopie["value"]]
    finally:
        for context in contexten:
            context.close()


def test_elke_pagina_met_demodata_en_axe(page: Any, dashboard: Dashboard) -> None:
    _bezoek(page, dashboard, "/", "aanmelden")
    aanmelden(page, dashboard, "org")
    persoon = personen_van(dashboard, dashboard.org.id)[0]
    with dashboard.session() as session:
        verhaal = session.exec(select(Ervaringsverhaal).where(Ervaringsverhaal.organisatie_id == dashboard.org.id)).first()
    assert verhaal is not None
    for pad, naam in [
        ("/overzicht", "overzicht"),
        ("/overzicht?hoofdonderwerp=zorg", "overzicht-zorg"),
        ("/sleutelpersonen", "sleutelpersonen"),
        (f"/sleutelpersonen/{persoon.id}/maandoverzicht", "maandoverzicht"),
        ("/signalen", "signalen-organisatie"),
        ("/ervaringsverhalen", "ervaringsverhalen"),
        (f"/ervaringsverhalen/{verhaal.id}", "ervaringsverhaal"),
        ("/importeren", "importeren"),
    ]:
        _bezoek(page, dashboard, pad, naam)
    page.goto(dashboard.url + "/overzicht")
    # The demo's targets for this year, each as a progress bar with its figures in words.
    assert page.locator(".doelen progress").count() == 3
    assert re.search(r"[\d.]+ van [\d.]+: [\d,]+%", page.locator(".doelen").inner_text())
    assert "Maandoverzicht " + persoon.weergavenaam in page.goto(
        dashboard.url + f"/sleutelpersonen/{persoon.id}/maandoverzicht").text()


def test_grafiek_getekend_tabel_en_download(page: Any, dashboard: Dashboard) -> None:
    aanmelden(page, dashboard, "org")
    canvas = page.locator("#onderwerpen-canvas")
    canvas.wait_for()
    page.wait_for_selector("#onderwerpen-canvas[data-getekend='ja']")
    # Drawn: the canvas has pixels that are not transparent.
    gekleurd = canvas.evaluate(
        "c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        " let n = 0; for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; } return n; }"
    )
    assert gekleurd > 1000
    assert "de hoogste is" in (canvas.get_attribute("aria-label") or "")

    tabel = page.locator("#onderwerpen table")
    assert not tabel.is_visible()
    page.locator("#onderwerpen summary", has_text="Toon als tabel").click()
    assert tabel.is_visible()
    rijen = tabel.locator("tbody tr")
    assert rijen.count() >= 10
    eerste = rijen.first.locator("td").inner_text()
    assert re.fullmatch(r"[\d.]+", eerste), eerste

    # Drill-down by keyboard-usable link in the table.
    rijen.first.locator("a").click()
    page.wait_for_url(re.compile(r"hoofdonderwerp="))
    assert "per subonderwerp" in page.locator("#onderwerpen h2").inner_text()

    download = downloaden(page, page.locator("#onderwerpen .downloads a", has_text="als CSV"))
    regels = Path(download.path()).read_text(encoding="utf-8").splitlines()
    assert "onderwerp" in regels[0] and "onderdrukt" in regels[0]
    assert len(regels) == 1 + page.locator("#onderwerpen tbody tr").count()


def _status_van(dashboard: Dashboard, signaal_id: Any) -> str:
    with dashboard.session() as session:
        signaal = session.get(Signaal, signaal_id)
        assert signaal is not None
        return signaal.status


def test_signaal_als_gesprek_met_tussenbericht_antwoord_en_bevestigde_eindstatus(browser: Any, dashboard: Dashboard) -> None:
    """Issue 24, point 3: an interim message is kept, the organisation replies, and a final status needs
    the confirmation page; ArrowDown + Enter (which used to close a signal) reaches only that page."""
    signaal = signaal_van(dashboard, status="ingediend")
    tussen = "We hebben uw signaal ontvangen en bespreken het volgende week met de tandartsen."
    antwoord = "Dank u. Twee sleutelpersonen willen graag meedenken."
    eind = "De GGD neemt dit mee in de voorlichting over tandartskosten, met een folder in drie talen."
    regio = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = regio.new_page()
    aanmelden(page, dashboard, "regio")
    page.goto(dashboard.url + "/signalen")
    kaart = page.locator(f"#signaal-{signaal.id}")
    assert signaal.titel in kaart.inner_text()
    # A message: its own form, the status stays.
    kaart.get_by_label("Uw bericht").fill(tussen)
    kaart.get_by_role("button", name="Bericht versturen").click()
    page.wait_for_url(re.compile(r"gedaan=bericht"))
    assert tussen in page.locator(f"#signaal-{signaal.id} .gesprek").inner_text()
    assert _status_van(dashboard, signaal.id) == "ingediend"
    # A status that is not final: chosen in words, set at once.
    kaart = page.locator(f"#signaal-{signaal.id}")
    kaart.get_by_label("In behandeling: de gemeente zoekt uit wat ermee kan").check()
    kaart.get_by_role("button", name="Status wijzigen").click()
    page.wait_for_url(re.compile(r"gedaan=status"))
    assert _status_van(dashboard, signaal.id) == "in-behandeling"

    org = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    org_page = org.new_page()
    aanmelden(org_page, dashboard, "org")
    org_page.goto(dashboard.url + "/signalen")
    eigen = org_page.locator(f"#signaal-{signaal.id}")
    assert tussen in eigen.inner_text() and "In behandeling" in eigen.inner_text()
    eigen.get_by_label("Uw bericht aan de gemeente").fill(antwoord)
    eigen.get_by_role("button", name="Bericht versturen").click()
    org_page.wait_for_url(re.compile(r"gedaan=bericht"))
    assert axe(org_page) == []

    # The trap of the issue: focus the first choice, ArrowDown, Enter. Now it opens the confirmation page.
    page.goto(dashboard.url + "/signalen")
    kaart = page.locator(f"#signaal-{signaal.id}")
    assert antwoord in kaart.locator(".gesprek").inner_text()
    keuzes = kaart.get_by_role("radio")
    assert keuzes.count() == 2 and not any(keuzes.nth(i).is_checked() for i in range(2))
    keuzes.first.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/afronden\?status=niet-opgepakt"))
    assert _status_van(dashboard, signaal.id) == "in-behandeling"
    assert "Niet opgepakt: de gemeente doet er nu niets mee" in page.inner_text("main")
    assert not page.get_by_label(re.compile("Ja, ik rond dit signaal af")).is_checked()
    assert axe(page) == []
    # Enter on the confirmation page's button does not finish it either.
    page.get_by_role("button", name="Signaal afronden").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    assert _status_van(dashboard, signaal.id) == "in-behandeling"
    # Back, and close it as opgepakt on purpose: feedback and the ticked box.
    page.get_by_role("link", name="Terug zonder af te ronden").click()
    kaart = page.locator(f"#signaal-{signaal.id}")
    kaart.get_by_label("Opgepakt: de gemeente gaat ermee aan de slag").check()
    kaart.get_by_role("button", name="Status wijzigen").click()
    page.wait_for_url(re.compile(r"/afronden\?status=opgepakt"))
    page.get_by_label(re.compile("Terugkoppeling aan")).fill(eind)
    page.get_by_role("button", name="Signaal afronden").click()
    assert "Vink aan" in page.get_by_role("alert").inner_text()  # the box is never ticked for you
    assert _status_van(dashboard, signaal.id) == "in-behandeling"
    page.get_by_label(re.compile("Ja, ik rond dit signaal af")).check()
    page.get_by_role("button", name="Signaal afronden").click()
    page.wait_for_url(re.compile(r"gedaan=afgerond"))
    assert _status_van(dashboard, signaal.id) == "opgepakt"
    gesprek = page.locator(f"#signaal-{signaal.id} .gesprek").inner_text()
    assert gesprek.index(tussen) < gesprek.index(antwoord) < gesprek.index(eind)
    assert axe(page) == []
    schermafdruk(page, "signalen-inbox")
    regio.close()

    org_page.goto(dashboard.url + "/signalen")
    eigen = org_page.locator(f"#signaal-{signaal.id}").inner_text()
    assert "Opgepakt" in eigen and tussen in eigen and eind in eigen
    org.close()


def test_signalen_en_afronden_op_een_telefoon(browser: Any, dashboard: Dashboard) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    aanmelden(page, dashboard, "regio")
    with dashboard.session() as session:  # a signal in the region that can still be closed, of any organisation
        signaal = session.exec(select(Signaal).where(
            col(Signaal.status).in_(["ontvangen", "in-behandeling"]), col(Signaal.gericht_aan_gemeentecode).in_(["GM0344", "GM0307"]),
            col(Signaal.gericht_aan_soort).in_(["gemeente", "ggd"]),
        )).first()
    assert signaal is not None
    for pad in ("/signalen", f"/signalen/{signaal.id}/afronden?status=opgepakt"):
        page.goto(dashboard.url + pad)
        assert page.locator("h1").count() == 1, pad
        breedte = page.evaluate("() => document.documentElement.scrollWidth")
        assert breedte <= 375, f"{pad} is {breedte} px breed op een telefoon van 375 px"
        assert axe(page) == [], pad
    context.close()
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    aanmelden(page, dashboard, "org")
    page.goto(dashboard.url + "/signalen")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    assert axe(page) == []
    context.close()


def test_import_proefdraai_uitvoeren_en_zichtbaar_in_overzicht(page: Any, dashboard: Dashboard) -> None:
    persoon = next(p for p in personen_van(dashboard, dashboard.org.id) if p.actief)
    # A month before the demo data, so the overview counts exactly what this file adds.
    dag = (vandaag().replace(day=1) - timedelta(days=3 * 365)).replace(day=10)
    maand = dag.strftime("%Y-%m")
    bestand = csv_bytes([
        rij(Datum=dag.strftime("%d-%m-%Y"), Sleutelpersoon=persoon.weergavenaam, Cliëntnummer=f"W{i:03d}")
        for i in range(7)
    ] + [rij(Datum=dag.strftime("%d-%m-%Y"), Sleutelpersoon=persoon.weergavenaam, Onderwerp="Griepprik halen")])

    aanmelden(page, dashboard, "org")
    page.goto(dashboard.url + f"/overzicht?eigen={maand}")
    assert page.locator(".tegel", has_text="Contactmomenten").locator(".tegel-waarde").inner_text() == "0"

    page.goto(dashboard.url + "/importeren")
    page.set_input_files("#bestand", files=[{"name": "logboek.csv", "mimeType": "text/csv", "buffer": bestand}])
    page.get_by_label("Goede rijen opslaan, ook als andere rijen fout zijn").check()
    page.get_by_role("button", name="Proefdraai").click()
    verslag = page.locator("main")
    assert "Dit is een proefdraai" in verslag.inner_text()
    assert "Griepprik halen" in verslag.inner_text()  # the wrong topic, in the coordinator's words with its row
    assert re.search(r"rij \d+", verslag.inner_text())
    assert axe(page) == []
    schermafdruk(page, "importeren-proefdraai")

    page.get_by_role("button", name="Importeer de goede rijen nu").click()  # the upload of the dry run, kept
    page.wait_for_url(re.compile(r"/importeren/[0-9a-f-]{36}"))
    page.wait_for_selector("text=De goede rijen zijn opgeslagen", timeout=20_000)
    assert "7" in page.locator(".tegel", has_text="Nieuw").inner_text()

    page.goto(dashboard.url + f"/overzicht?eigen={maand}")
    assert page.locator(".tegel", has_text="Contactmomenten").locator(".tegel-waarde").inner_text() == "7"


def test_regionale_sleutel_ziet_onderdrukte_cellen_en_geen_sleutelpersonen(page: Any, dashboard: Dashboard) -> None:
    aanmelden(page, dashboard, "regio")
    assert page.get_by_role("navigation").get_by_role("link", name="Sleutelpersonen").count() == 0
    _bezoek(page, dashboard, "/overzicht?periode=vorige-maand", "overzicht-regio")
    onderdrukt = page.locator("td.onderdrukt, .tegel-onderdrukt")
    assert onderdrukt.count() > 0
    for i in range(onderdrukt.count()):
        assert "onderdrukt" in (onderdrukt.nth(i).text_content() or "")  # also in closed tables
    assert "celsleutelperturbatie" in page.inner_text("main")
    antwoord = page.goto(dashboard.url + "/sleutelpersonen")
    assert antwoord.status == 403
    persoon = personen_van(dashboard, dashboard.org.id)[0]
    assert page.goto(dashboard.url + f"/sleutelpersonen/{persoon.id}/maandoverzicht").status == 403
    _bezoek(page, dashboard, "/signalen", "signalen-regio")
    _bezoek(page, dashboard, "/ervaringsverhalen", "ervaringsverhalen-regio")


def test_tweede_organisatie_ziet_niets_van_de_eerste(page: Any, dashboard: Dashboard) -> None:
    eerste = {p.weergavenaam for p in personen_van(dashboard, dashboard.org.id)}
    eigen = {p.weergavenaam for p in personen_van(dashboard, dashboard.andere.id)}
    vreemd = eerste - eigen
    assert vreemd
    aanmelden(page, dashboard, "andere")
    tekst = page.goto(dashboard.url + "/sleutelpersonen").text()
    assert not [naam for naam in vreemd if naam in tekst]
    assert any(naam in tekst for naam in eigen)
    signaal = signaal_van(dashboard, status="opgepakt")
    assert signaal.titel not in page.goto(dashboard.url + "/signalen").text()
    with dashboard.session() as session:
        verhalen = session.exec(select(Ervaringsverhaal).where(Ervaringsverhaal.organisatie_id == dashboard.org.id)).all()
    tekst = page.goto(dashboard.url + "/ervaringsverhalen").text()
    assert verhalen and not [v.titel for v in verhalen if v.titel in tekst]
    assert page.goto(dashboard.url + f"/ervaringsverhalen/{verhalen[0].id}").status == 404
    persoon = personen_van(dashboard, dashboard.org.id)[0]
    assert page.goto(dashboard.url + f"/sleutelpersonen/{persoon.id}/maandoverzicht").status == 404


def test_telefoonbreedte(browser: Any, dashboard: Dashboard) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    aanmelden(page, dashboard, "org")
    breedte = page.evaluate("() => document.documentElement.scrollWidth")
    assert breedte <= 375, f"de pagina is {breedte} px breed op een telefoon van 375 px"
    schermafdruk(page, "overzicht-telefoon")
    assert axe(page) == []
    context.close()


def test_maandoverzicht_past_op_een_a4(page: Any, dashboard: Dashboard) -> None:
    aanmelden(page, dashboard, "org")
    personen = personen_van(dashboard, dashboard.org.id)
    for persoon in personen:
        page.goto(dashboard.url + f"/sleutelpersonen/{persoon.id}/maandoverzicht")
        pdf = page.pdf(format="A4", print_background=True)  # the print style sheet, as the browser prints it
        paginas = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        assert paginas == 1, f"het maandoverzicht van {persoon.weergavenaam} beslaat {paginas} pagina's"


def test_slepen_en_toetsenbord(page: Any, dashboard: Dashboard) -> None:
    aanmelden(page, dashboard, "org")
    # Keyboard: the first Tab reaches the skip link, and it moves focus to the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Naar de inhoud"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "inhoud"
    # The summary that opens a chart's table is reachable and works by keyboard.
    summary = page.locator("#trend summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator("#trend table").is_visible()

    # Drag and drop: a file dropped on the zone lands in the ordinary file input.
    page.goto(dashboard.url + "/importeren")
    page.evaluate(
        "() => { const dt = new DataTransfer();"
        " dt.items.add(new File(['Datum;Sleutelpersoon\\r\\n'], 'gesleept.csv', {type: 'text/csv'}));"
        " document.querySelector('[data-dropzone]').dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true})); }"
    )
    assert page.evaluate("() => document.getElementById('bestand').files[0].name") == "gesleept.csv"
    assert "Gekozen: gesleept.csv" in page.locator("[data-bestandsnaam]").inner_text()
