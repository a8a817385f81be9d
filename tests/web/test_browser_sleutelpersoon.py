"""The key person's page in Chromium (issue 26, part 8): axe clean, fits a phone of 375 px, a conversation
recorded through its form, and closing employment only after the confirmation page."""

import re
from typing import Any

from tests.web.conftest import Dashboard, aanmelden, axe, personen_van, schermafdruk

TELEFOON = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True, "locale": "nl-NL"}


def test_pagina_van_een_sleutelpersoon(browser: Any, page: Any, dashboard: Dashboard) -> None:
    persoon = next(p for p in personen_van(dashboard, dashboard.org.id) if p.actief)
    aanmelden(page, dashboard, "org")
    page.goto(dashboard.url + "/sleutelpersonen")
    page.get_by_role("link", name=persoon.weergavenaam, exact=True).click()
    page.wait_for_url(f"**/sleutelpersonen/{persoon.id}")
    assert page.get_by_role("heading", name="Training en intervisie").is_visible()
    assert page.get_by_role("table", name=re.compile("Dienstverbanden")).is_visible()
    schermafdruk(page, "sleutelpersoon")
    assert axe(page) == []

    # A conversation through the form (the details open like any disclosure).
    page.get_by_text("Gesprek vastleggen").click()
    page.get_by_label("Soort gesprek").select_option("functionering")
    page.get_by_label("Afspraken (niet verplicht)").fill("Over drie maanden samen de voortgang bekijken.")
    page.get_by_role("button", name="Gesprek opslaan").click()
    page.wait_for_url(re.compile(r"opgeslagen=gesprek"))
    assert "Het gesprek is opgeslagen" in page.get_by_role("status").inner_text()
    assert page.get_by_text("Over drie maanden samen de voortgang bekijken.").is_visible()
    assert axe(page) == []

    # Closing employment asks first, on a page of its own.
    page.get_by_role("link", name=re.compile("^Afsluiten")).first.click()
    page.wait_for_url(re.compile(r"/afsluiten$"))
    assert page.get_by_role("button", name="Ja, dienstverband afsluiten").is_visible()
    assert axe(page) == []
    page.get_by_role("link", name=re.compile("^Nee, terug")).click()
    page.wait_for_url(re.compile(rf"/sleutelpersonen/{persoon.id}"))
    assert page.get_by_text("loopt nog").first.is_visible()

    telefoon = browser.new_context(**TELEFOON)
    scherm = telefoon.new_page()
    aanmelden(scherm, dashboard, "org")
    scherm.goto(f"{dashboard.url}/sleutelpersonen/{persoon.id}")
    breedte = scherm.evaluate("() => document.documentElement.scrollWidth")
    assert breedte <= 375, f"/sleutelpersonen/{{id}} is {breedte} px breed op een telefoon van 375 px"
    schermafdruk(scherm, "sleutelpersoon-telefoon")
    assert axe(scherm) == []
    telefoon.close()
