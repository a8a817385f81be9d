"""Own indicators in Chromium (issue 25, part 6): a coordinator defines an own indicator on the dashboard's form,
puts it on a goal and sets a target on it, and sees the target on the goal's page; withdrawing asks first. axe on
every new page, and every new page at 375 px."""

import re
from typing import Any

from app.core.validation import vandaag
from app.demo import EIGEN_INDICATOR
from tests.web.conftest import Dashboard, aanmelden, axe
from tests.web.test_browser_coordinator import TELEFOON

NAAM = "Hulpvragen JGZ van gezinsmigranten"
CODE = "eigen.hulpvragen-jgz-gezinsmigranten"
TITEL = "Gezinsmigranten vinden het consultatiebureau"


def test_eigen_indicator_definieren_en_er_een_doel_op_zetten(browser: Any, page: Any, dashboard: Dashboard) -> None:
    jaar = vandaag().year
    aanmelden(page, dashboard, "org")
    page.get_by_role("link", name="Doelstellingen").click()
    page.wait_for_url("**/doelstellingen")
    page.get_by_role("link", name="Eigen indicatoren").click()
    page.wait_for_url("**/doelstellingen/indicatoren")
    # The demo organisation already has the JGZ-of-statushouders indicator: listed, with its fixed filters.
    tabel = page.get_by_role("table", name="Eigen indicatoren van uw organisatie")
    assert EIGEN_INDICATOR["naam"] in tabel.inner_text() and "Statushouder" in tabel.inner_text()
    assert axe(page) == []

    # Its code once more: the service's rule, on the form, with what was filled in kept.
    formulier = page.locator("form[action='/doelstellingen/indicatoren']")
    assert formulier.get_by_label("Code").input_value() == "eigen."
    formulier.get_by_label("Code").fill(str(EIGEN_INDICATOR["code"]))
    formulier.get_by_label("Naam").fill(NAAM)
    formulier.get_by_role("button", name="Indicator vastleggen").click()
    fouten = page.get_by_role("alert")
    assert "Code: De code eigen.hulpvragen-jgz-statushouders is al in gebruik" in fouten.inner_text()
    assert "Definitie: Vul dit in." in fouten.inner_text() and "Basis: Vul dit in." in fouten.inner_text()
    assert axe(page) == []

    formulier = page.locator("form[action='/doelstellingen/indicatoren']")
    assert formulier.get_by_label("Naam").input_value() == NAAM
    formulier.get_by_label("Code").fill(CODE)
    formulier.get_by_label("Definitie").fill("Hulpvragen over de jeugdgezondheidszorg van inwoners die als gezinsmigrant "
                                             "in Nederland zijn.")
    formulier.locator("#basis").select_option("aantal-hulpvragen")
    formulier.locator("#filter_onderwerp").select_option("zorg.jgz")
    formulier.locator("#filter_doelgroep").select_option("gezinsmigrant")
    formulier.get_by_label(re.compile("^Delen met de regio")).check()
    formulier.get_by_role("button", name="Indicator vastleggen").click()
    page.wait_for_url(re.compile(r"melding=aangemaakt"))
    assert "De indicator is vastgelegd" in page.get_by_role("status").inner_text()
    rij = page.get_by_role("table", name="Eigen indicatoren van uw organisatie").locator("tr", has_text=CODE)
    assert NAAM in rij.inner_text() and "Gezinsmigrant" in rij.inner_text() and "Aantal hulpvragen" in rij.inner_text()
    assert axe(page) == []

    # A goal measured by it, and a target on it.
    page.get_by_role("link", name="← Doelstellingen").click()
    page.wait_for_url("**/doelstellingen")
    doelstelling = page.locator("form[action='/doelstellingen']")
    doelstelling.get_by_label("Titel").fill(TITEL)
    doelstelling.get_by_label("Vanaf").fill(f"{jaar}-01-01")
    doelstelling.get_by_label("Tot en met").fill(f"{jaar}-12-31")
    doelstelling.get_by_label(NAAM).check()
    doelstelling.get_by_role("button", name="Doelstelling vastleggen").click()
    page.wait_for_url(re.compile(r"/doelstellingen/[0-9a-f-]{36}\?melding=aangemaakt"))
    doel = page.locator("form[action$='/doelen#indicatoren']")
    doel.get_by_label("Indicator").select_option(CODE)
    doel.get_by_label("Periode").fill(str(jaar))
    doel.get_by_label("Streefwaarde").fill("40")
    doel.get_by_role("button", name="Doel vastleggen").click()
    page.wait_for_url(re.compile(r"melding=doel"))
    tabel = page.get_by_role("table", name="Indicatoren met hun doelen, realisatie en tempo")
    regel = tabel.locator("tbody tr:not(.deelrij)", has_text=NAAM)
    assert "40" in regel.inner_text() and str(jaar) in regel.inner_text()
    assert axe(page) == []

    # Withdrawing asks first; the confirmation page is axe clean; "no" changes nothing.
    page.goto(dashboard.url + "/doelstellingen/indicatoren")
    page.get_by_role("table", name="Eigen indicatoren van uw organisatie").locator("tr", has_text=CODE) \
        .get_by_role("button", name=re.compile("^Intrekken")).click()
    assert page.get_by_role("button", name="Ja, indicator intrekken").is_visible()
    assert axe(page) == []
    page.get_by_role("link", name="Nee, terug naar de eigen indicatoren").click()
    page.wait_for_url("**/doelstellingen/indicatoren")
    assert CODE in page.get_by_role("table", name="Eigen indicatoren van uw organisatie").inner_text()

    # On a phone: nothing wider than 375 px, axe clean (the form with its errors too).
    telefoon = browser.new_context(**TELEFOON)
    scherm = telefoon.new_page()
    aanmelden(scherm, dashboard, "org")
    assert scherm.goto(dashboard.url + "/doelstellingen/indicatoren").status == 200
    for stap in ("lijst", "fouten", "bevestigen"):
        if stap == "fouten":
            scherm.get_by_role("button", name="Indicator vastleggen").click()
            assert scherm.get_by_role("alert").is_visible()
        if stap == "bevestigen":
            scherm.goto(dashboard.url + "/doelstellingen/indicatoren")
            scherm.locator("tr", has_text=CODE).get_by_role("button", name=re.compile("^Intrekken")).click()
            assert scherm.get_by_role("button", name="Ja, indicator intrekken").is_visible()
        breedte = scherm.evaluate("() => document.documentElement.scrollWidth")
        assert breedte <= 375, f"{stap} is {breedte} px breed op een telefoon van 375 px"
        assert axe(scherm) == [], stap
    telefoon.close()
