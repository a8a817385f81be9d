"""The goals cycle in Chromium (issue 25): a coordinator creates a goal with an indicator, adds a target, sees it
on the overview, records an evaluation with a decision and closes the decision; axe on every new page, and every
new page at 375 px."""

import re
from typing import Any

from app.core.validation import vandaag
from tests.web.conftest import Dashboard, aanmelden, axe, schermafdruk
from tests.web.test_browser_coordinator import TELEFOON

TITEL = "Meer hulpvragen over de JGZ via sleutelpersonen"


def test_doelstelling_doel_overzicht_en_evaluatie(browser: Any, page: Any, dashboard: Dashboard) -> None:
    jaar = vandaag().year
    aanmelden(page, dashboard, "org")
    page.get_by_role("link", name="Doelstellingen").click()
    page.wait_for_url("**/doelstellingen")
    assert axe(page) == []

    # A goal: the form says what is wrong, all at once, and keeps what was filled in.
    formulier = page.locator("form[action='/doelstellingen']")
    formulier.get_by_label("Omschrijving").fill("Sleutelpersonen wijzen jonge moeders de weg naar het consultatiebureau.")
    formulier.get_by_role("button", name="Doelstelling vastleggen").click()
    fouten = page.get_by_role("alert")
    assert "Titel: Vul dit in." in fouten.inner_text()
    assert axe(page) == []
    formulier = page.locator("form[action='/doelstellingen']")
    assert "jonge moeders" in formulier.get_by_label("Omschrijving").input_value()
    formulier.get_by_label("Titel").fill(TITEL)
    formulier.get_by_label("Datum").fill(min(f"{jaar}-01-05", vandaag().isoformat()))
    formulier.get_by_label("Uitkomst").fill("De JGZ ziet weinig moeders onder statushouders.")
    formulier.locator("#ketenpartners input[type=checkbox]").first.check()
    formulier.get_by_label("Vanaf").fill(f"{jaar}-01-01")
    formulier.get_by_label("Tot en met").fill(f"{jaar}-12-31")
    formulier.get_by_label("Aantal hulpvragen").check()
    formulier.get_by_role("button", name="Doelstelling vastleggen").click()
    page.wait_for_url(re.compile(r"/doelstellingen/[0-9a-f-]{36}\?melding=aangemaakt"))
    pad = page.url.split("?")[0]
    assert "De doelstelling is vastgelegd" in page.get_by_role("status").inner_text()
    assert axe(page) == []

    # A target for its indicator, this year.
    doel = page.locator("form[action$='/doelen#indicatoren']")
    doel.get_by_label("Indicator").select_option("aantal-hulpvragen")
    doel.get_by_label("Periode").fill(str(jaar))
    doel.get_by_label("Streefwaarde").fill("2500")
    doel.get_by_role("button", name="Doel vastleggen").click()
    page.wait_for_url(re.compile(r"melding=doel"))
    tabel = page.get_by_role("table", name="Indicatoren met hun doelen, realisatie en tempo")
    rij = tabel.locator("tbody tr:not(.deelrij)", has_text="Aantal hulpvragen")
    assert "2.500" in rij.inner_text() and str(jaar) in rij.inner_text()
    assert tabel.locator("tr.deelrij").count() == 4  # the year's quarters below it
    assert axe(page) == []

    # On the overview, with a link back to the goal.
    page.get_by_role("link", name="Overzicht").click()
    page.wait_for_url("**/overzicht")
    doelen = page.get_by_role("table", name=re.compile("^Doelen in deze periode"))
    regel = doelen.locator("tbody tr", has_text="Aantal hulpvragen")
    assert "2.500" in regel.inner_text()
    assert re.search(r"(Voor op|Op|Achter op) schema", regel.inner_text()), regel.inner_text()  # its pace
    assert re.fullmatch(r"[\d.,]+", regel.locator("td").nth(2).inner_text().strip())  # expected so far
    regel.get_by_role("link", name=re.compile(TITEL)).click()
    page.wait_for_url(pad)

    # An evaluation with a decision; the decision is then closed from the goal's page.
    page.get_by_role("link", name="Evaluatie vastleggen").first.click()
    page.wait_for_url("**/evaluatie")
    assert axe(page) == []
    page.get_by_label("Sleutelpersonen", exact=True).fill("4")
    page.get_by_label("Coördinator", exact=True).fill("1")
    page.get_by_label("Bevindingen").fill("Meer hulpvragen over de JGZ dan vorig jaar; de GGD ziet de moeders terug.")
    page.locator("#besluit-0-tekst").fill("Voorlichting over de JGZ ook in het Tigrinya")
    page.locator("#besluit-0-rol").select_option("coordinator")
    page.locator("#besluit-0-deadline").fill(f"{jaar + 1}-03-31")
    page.get_by_label("Aantal hulpvragen").check()
    schermafdruk(page, "evaluatie-vastleggen")
    page.get_by_role("button", name="Evaluatie vastleggen").click()
    page.wait_for_url(re.compile(r"melding=evaluatie"))
    besluiten = page.get_by_role("table", name=re.compile("^Besluiten van de evaluatie"))
    assert "Voorlichting over de JGZ ook in het Tigrinya" in besluiten.inner_text()
    assert "Coördinator" in besluiten.inner_text()
    assert "Sleutelpersonen (4), Coördinator (1)" in page.locator("main").inner_text()
    schermafdruk(page, "doelstelling")
    assert axe(page) == []
    besluiten.get_by_label("Status van besluit 1").select_option("afgerond")
    besluiten.get_by_role("button", name=re.compile("^Opslaan")).click()
    page.wait_for_url(re.compile(r"melding=besluit"))
    assert page.get_by_role("table", name=re.compile("^Besluiten van de evaluatie")).get_by_label(
        "Status van besluit 1").input_value() == "afgerond"

    page.goto(dashboard.url + "/doelstellingen")
    assert TITEL in page.get_by_role("table").inner_text()
    schermafdruk(page, "doelstellingen")

    # Closing asks first; the confirmation page is axe clean.
    page.goto(pad)
    page.get_by_role("button", name="Doelstelling afronden").click()
    bevestig = page.get_by_role("button", name="Ja, doelstelling afronden")
    assert bevestig.is_visible() and axe(page) == []
    page.get_by_role("link", name="Nee, terug naar de doelstelling").click()
    page.wait_for_url(pad)

    # Every new page on a phone: nothing wider than 375 px, axe clean.
    telefoon = browser.new_context(**TELEFOON)
    scherm = telefoon.new_page()
    aanmelden(scherm, dashboard, "org")
    for sub in ("/doelstellingen", pad.removeprefix(dashboard.url), pad.removeprefix(dashboard.url) + "/wijzigen",
                pad.removeprefix(dashboard.url) + "/evaluatie"):
        assert scherm.goto(dashboard.url + sub).status == 200, sub
        breedte = scherm.evaluate("() => document.documentElement.scrollWidth")
        assert breedte <= 375, f"{sub} is {breedte} px breed op een telefoon van 375 px"
        assert axe(scherm) == [], sub
        if sub == pad.removeprefix(dashboard.url):
            schermafdruk(scherm, "doelstelling-telefoon")
    telefoon.close()
