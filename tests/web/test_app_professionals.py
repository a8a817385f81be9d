"""Contacts with professionals in the key persons' app (issue 25 part 5), in headless Chromium at phone size:
registered online and counted in "Mijn maand", offline then synchronised exactly once, an interrupted send
repeated with the same externId, a refused one shown with its reason, and the screen accessible (axe, nl and ar,
375 px). The server side (device scope, own key person only) is tested in tests/professionele_contacten."""

import re
import uuid
from typing import Any

from sqlmodel import select

from app.core.validation import vandaag
from app.models import Ketenpartner, ProfessioneelContact, Sleutelpersoon
from tests.web.conftest import Dashboard, axe
from tests.web.test_app import (
    TELEFOON,
    Tikken,
    _api,
    _persoon,
    _schermafdruk,
    koppel,
    telefoon,
    wacht_op_service_worker,
)

__all__ = ["telefoon"]  # the fixture, used by name


def _professioneel(dashboard: Dashboard, persoon: Sleutelpersoon) -> list[ProfessioneelContact]:
    with dashboard.session() as session:
        return list(session.exec(select(ProfessioneelContact).where(ProfessioneelContact.sleutelpersoon_id == persoon.id)
                                 .order_by(ProfessioneelContact.aangemaakt_op)))


def _eerste_partner(dashboard: Dashboard) -> Ketenpartner:
    with dashboard.session() as session:
        partner = session.exec(select(Ketenpartner).where(Ketenpartner.organisatie_id == dashboard.org.id, Ketenpartner.actief)
                               .order_by(Ketenpartner.naam)).first()
        assert partner is not None
        return partner


def registreer_professioneel(page: Any, tikken: Tikken, *, soort: str = "casusoverleg", aantal: str = "5") -> None:
    """From the Registreren screen: to the professionals form, a kind, the number, save (the partner as preset)."""
    if not page.is_visible("#scherm-professionals"):
        tikken.tik(page.get_by_role("link", name="Contact met professionals"))
        page.wait_for_selector("#scherm-professionals:not([hidden])")
    tikken.tik(page.locator(f"#prof-soorten label.chip:has(input[value='{soort}'])"))
    tikken.tik(page.locator("#prof-aantal"))
    tikken.typ(page.locator("#prof-aantal"), aantal)
    tikken.tik(page.locator("#prof-opslaan"))


def test_online_registreren_en_zichtbaar_in_mijn_maand(telefoon: Any, dashboard: Dashboard) -> None:
    persoon = _persoon(dashboard, met_geschiedenis=False)
    partner = _eerste_partner(dashboard)
    page = koppel(telefoon, dashboard, persoon)
    tikken = Tikken()
    registreer_professioneel(page, tikken)
    page.wait_for_function("() => document.getElementById('prof-opgeslagen').textContent.includes('en verstuurd')")
    print(f"\nTikken voor een contact met professionals (soort, aantal, opslaan): {tikken.aantal}")
    assert tikken.aantal <= 6
    [contact] = _professioneel(dashboard, persoon)
    assert uuid.UUID(str(contact.extern_id))  # made on the phone
    assert (contact.soort, contact.aantal_professionals, contact.datum) == ("casusoverleg", 5, vandaag())
    assert (contact.aangevraagd_door_soort, contact.aangevraagd_door_ketenpartner_id) == ("ketenpartner", partner.id)
    uit_api = _api(dashboard, f"/v1/professionele-contacten/{contact.id}")
    assert uit_api["sleutelpersoonId"] == str(persoon.id)
    # The next form starts as this one ended: the same kind and the same organisation, after a reload too.
    page.reload()
    page.wait_for_selector("body[data-klaar]")
    page.goto(page.url.split("#")[0] + "#professionals")
    page.wait_for_selector("#scherm-professionals:not([hidden])")
    assert page.is_checked("input[name=profSoort][value=casusoverleg]")
    assert page.input_value("#prof-partner") == str(partner.id)

    page.locator("[data-naar='maand']").click()
    tabel = page.locator("#maand-inhoud table").first
    tabel.wait_for()
    contacten = tabel.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Contacten met professionals"))
    bereikt = tabel.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Professionals bereikt"))
    assert contacten.locator("td").first.inner_text() == "1"
    assert bereikt.locator("td").first.inner_text() == "5"


def test_offline_twee_contacten_herladen_en_weer_online_precies_twee(telefoon: Any, dashboard: Dashboard) -> None:
    persoon = _persoon(dashboard, met_geschiedenis=False)
    page = koppel(telefoon, dashboard, persoon)
    wacht_op_service_worker(page)
    telefoon.set_offline(True)
    for n, (soort, aantal) in enumerate((("adviesvraag", "1"), ("voorlichting-aan-professionals", "14")), 1):
        registreer_professioneel(page, Tikken(), soort=soort, aantal=aantal)
        assert "internet" in page.inner_text("#prof-opgeslagen")
        page.wait_for_function(f"() => document.getElementById('wachtrij-tekst').textContent.startsWith('{n} contact')")
    assert "2 contacten wachten" in page.inner_text("#verbinding")
    _schermafdruk(page, "app-professionals-offline")

    page.reload()  # offline, from the service worker, with the queue intact
    page.wait_for_selector("body[data-klaar]")
    page.goto(page.url.split("#")[0] + "#registreren")  # where the queue is shown
    page.wait_for_selector("#scherm-registreren:not([hidden])")
    assert "2 contacten wachten" in page.inner_text("#wachtrij")
    assert _professioneel(dashboard, persoon) == []

    telefoon.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("#wachtrij", state="hidden", timeout=20000)
    opgeslagen = _professioneel(dashboard, persoon)
    assert sorted((c.soort, c.aantal_professionals) for c in opgeslagen) == [("adviesvraag", 1), ("voorlichting-aan-professionals", 14)]
    assert len({c.extern_id for c in opgeslagen}) == 2
    assert next(c for c in opgeslagen if c.soort == "adviesvraag").status == "gevraagd"


def test_onderbroken_verzending_wordt_herhaald_zonder_dubbel(telefoon: Any, dashboard: Dashboard) -> None:
    persoon = _persoon(dashboard, met_geschiedenis=False)
    page = koppel(telefoon, dashboard, persoon)
    pogingen: list[str] = []
    onderbroken: list[int] = []

    def onderbreek_eerste(route: Any) -> None:
        pogingen.append(route.request.post_data_json["externId"])
        if len(pogingen) == 1:
            antwoord = route.fetch()  # the server stores the contact ...
            route.abort("connectionreset")  # ... and the answer never reaches the phone
            onderbroken.append(antwoord.status)
        else:
            route.continue_()

    telefoon.route("**/v1/professionele-contacten", onderbreek_eerste)
    registreer_professioneel(page, Tikken())
    while not onderbroken:
        page.wait_for_timeout(50)
    assert onderbroken == [201]
    page.wait_for_function("() => document.getElementById('wachtrij-tekst').textContent.includes('1 contact')")
    page.goto(page.url.split("#")[0] + "#registreren")
    page.get_by_role("button", name="Nu versturen").click()
    page.wait_for_selector("#wachtrij", state="hidden")
    assert len(pogingen) == 2 and pogingen[0] == pogingen[1]  # the same externId again: 200, the stored one
    [contact] = _professioneel(dashboard, persoon)
    assert contact.extern_id == pogingen[0]


def test_geweigerd_contact_toont_de_reden_bij_het_veld(telefoon: Any, dashboard: Dashboard) -> None:
    persoon = _persoon(dashboard, met_geschiedenis=False)
    page = koppel(telefoon, dashboard, persoon)
    # The phone's quick check passes, the server refuses: a duration of more than a day.
    page.goto(page.url.split("#")[0] + "#professionals")
    page.wait_for_selector("#scherm-professionals:not([hidden])")
    page.fill("#prof-aantal", "3")
    page.evaluate("() => { document.getElementById('prof-duur').removeAttribute('max'); }")
    page.fill("#prof-duur", "5000")
    page.locator("#prof-opslaan").click()
    fout = page.locator("#fout-prof-duurMinuten")
    fout.wait_for(state="visible")
    assert page.get_attribute("#prof-duur", "aria-invalid") == "true"
    assert "duurMinuten" not in fout.inner_text()
    assert _professioneel(dashboard, persoon) == []
    page.fill("#prof-duur", "60")
    page.locator("#prof-opslaan").click()
    page.wait_for_function("() => document.getElementById('prof-opgeslagen').textContent.includes('en verstuurd')")
    [contact] = _professioneel(dashboard, persoon)
    assert contact.duur_minuten == 60


def test_scherm_axe_375_px_nl_en_ar(telefoon: Any, dashboard: Dashboard) -> None:
    persoon = _persoon(dashboard, met_geschiedenis=False)
    page = koppel(telefoon, dashboard, persoon)
    for taal in ("nl", "ar"):
        if taal == "ar":
            page.get_by_role("button", name="العربية").click()
            page.wait_for_selector("html[lang='ar']")
            page.wait_for_selector("body[data-klaar]")
        page.goto(re.sub(r"#.*$", "", page.url) + "#professionals")
        page.wait_for_selector("#scherm-professionals:not([hidden])")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= TELEFOON["width"]
        assert axe(page) == [], taal
        _schermafdruk(page, "app-professionals" + ("" if taal == "nl" else "-ar"))
