"""The projects page in Chromium: the demo's two projects with spending against budget, a cost registered
through the form, axe clean, and no wider than a 375 px phone."""

from typing import Any

from tests.web.conftest import Dashboard, aanmelden, axe, schermafdruk

TELEFOON = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True, "locale": "nl-NL",
            "user_agent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36"}


def test_projecten_kosten_registreren_en_op_een_telefoon(browser: Any, page: Any, dashboard: Dashboard) -> None:
    aanmelden(page, dashboard, "org")
    page.get_by_role("link", name="Projecten").click()
    page.wait_for_url("**/projecten")
    tabel = page.get_by_role("table", name="Besteding tegenover de begroting (alle kosten op het project)")
    assert tabel.get_by_text("Kansrijke Start: eerste 1000 dagen", exact=True).is_visible()
    assert page.get_by_role("table", name="Cijfers per project in de gekozen periode").is_visible()
    schermafdruk(page, "projecten")
    assert axe(page) == []
    voor = tabel.locator("tbody tr").filter(has_text="Kansrijke Start").locator("td").nth(3).inner_text()

    page.get_by_label("Soort kosten").select_option("reiskosten")
    page.get_by_label("Bedrag in euro").fill("0,10")
    page.get_by_label("Project", exact=True).select_option(label="Kansrijke Start: eerste 1000 dagen")
    page.get_by_role("button", name="Kosten registreren").click()
    page.wait_for_url("**/projecten?gelukt=kosten")
    assert "De kosten zijn geregistreerd" in page.get_by_role("status").inner_text()
    na = page.get_by_role("table", name="Besteding tegenover de begroting (alle kosten op het project)").locator(
        "tbody tr").filter(has_text="Kansrijke Start").locator("td").nth(3).inner_text()
    centen = [int("".join(c for c in tekst if c.isdigit())) for tekst in (voor, na)]
    assert centen[1] - centen[0] == 10  # exactly ten cents more
    # A mistake is told in the person's words, and the page stays accessible.
    page.get_by_label("Soort kosten").select_option("reiskosten")
    page.get_by_label("Bedrag in euro").fill("1,005")
    page.get_by_role("button", name="Kosten registreren").click()
    assert "De kosten zijn niet geregistreerd" in page.get_by_role("alert").inner_text()
    assert axe(page) == []

    telefoon = browser.new_context(**TELEFOON)
    scherm = telefoon.new_page()
    aanmelden(scherm, dashboard, "org")
    scherm.goto(dashboard.url + "/projecten")
    breedte = scherm.evaluate("() => document.documentElement.scrollWidth")
    assert breedte <= 375, f"/projecten is {breedte} px breed op een telefoon van 375 px"
    schermafdruk(scherm, "projecten-telefoon")
    assert axe(scherm) == []
    telefoon.close()
