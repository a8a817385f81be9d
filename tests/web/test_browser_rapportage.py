"""The reporting cycle in Chromium: a coordinator submits (one confirmation), the region sends it back with a
message, the coordinator submits again, the region approves and then reopens with a reason; axe on every page,
and the completeness table and the coordinator's list fit a 375 px phone."""

import re
from datetime import timedelta
from typing import Any

from app.core.validation import vandaag
from app.models import Organisatie, RapportageHistorie, Rapportagestatus
from app.rapportage.periodes import periode_van
from app.toegang import service as toegang
from app.toegang.caller import Scope, cli_caller
from tests.rapportage.factories import make_ritme
from tests.web.conftest import Dashboard, aanmelden, axe, schermafdruk
from tests.web.test_browser_coordinator import TELEFOON


def _opzet(dashboard: Dashboard) -> tuple[Organisatie, str]:
    """A fresh organisation under a quarterly rhythm (so the lock touches no other test's data), and its keys."""
    vorig = periode_van("kwartaal", periode_van("kwartaal", vandaag()).vanaf - timedelta(days=1))
    with dashboard.session() as session:
        org = Organisatie(naam="Buurtteam Rapportage", soort="welzijnsorganisatie", gemeentecodes=["GM0344"])
        session.add(org)
        session.flush()
        make_ritme(session, [org], naam="Kwartaalrapportage GGD", vanaf=vorig.vanaf)
        _, dashboard.sleutels["rapportage-org"] = toegang.create_key(
            session, caller=cli_caller(), naam="Browsertest coordinator", organisatie_id=org.id,
            scopes=[Scope.registreren, Scope.inzien, Scope.rapporteren])
        _, dashboard.sleutels["rapportage-regio"] = toegang.create_key(
            session, caller=cli_caller(), naam="Browsertest GGD", gemeentecodes=["GM0307", "GM0344"],
            scopes=[Scope.rapporteren, Scope.goedkeuren])
        session.commit()
    return org, vorig.label


def _bevestig(page: Any, knop: str, tekst: str | None = None) -> None:
    """On a confirmation page: axe, optionally the message, then the explicit second step."""
    assert page.get_by_role("button", name=knop).is_visible()
    assert axe(page) == []
    if tekst is not None:
        page.get_by_role("textbox").fill(tekst)
    page.get_by_role("button", name=knop).click()
    page.wait_for_url(re.compile(r"/rapportage\?gedaan="))
    assert axe(page) == []


def test_indienen_terugsturen_goedkeuren_heropenen(browser: Any, page: Any, dashboard: Dashboard) -> None:
    org, periode = _opzet(dashboard)
    regio_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    regio = regio_context.new_page()
    aanmelden(page, dashboard, "rapportage-org")
    aanmelden(regio, dashboard, "rapportage-regio")

    page.get_by_role("link", name="Rapportage").click()
    page.wait_for_url("**/rapportage")
    assert axe(page) == []
    page.get_by_role("button", name=f"Periode {periode} indienen").click()
    _bevestig(page, "Ja, indienen")
    assert "De periode is ingediend" in page.get_by_role("status").inner_text()

    regio.goto(dashboard.url + "/rapportage")
    schermafdruk(regio, "rapportage-regio")
    assert axe(regio) == []
    regio.get_by_role("button", name=f"Terugsturen: {org.naam}, {periode}").click()
    _bevestig(regio, "Ja, terugsturen", "De uren van de laatste maand ontbreken.")
    assert "teruggestuurd" in regio.get_by_role("status").inner_text()

    page.goto(dashboard.url + "/rapportage")
    assert "Bericht van de regio: De uren van de laatste maand ontbreken." in page.locator("main").inner_text()
    page.get_by_role("button", name=f"Periode {periode} indienen").click()
    _bevestig(page, "Ja, indienen")

    regio.goto(dashboard.url + "/rapportage")
    regio.get_by_role("button", name=f"Goedkeuren: {org.naam}, {periode}").click()
    _bevestig(regio, "Ja, goedkeuren")
    regio.get_by_role("button", name=f"Heropenen: {org.naam}, {periode}").click()
    _bevestig(regio, "Ja, heropenen", "Een late import van de laatste maand.")
    cel = regio.get_by_role("row", name=re.compile(org.naam)).locator("td").nth(1)
    assert "Heropend" in cel.inner_text()

    with dashboard.session() as session:
        from sqlmodel import select

        status = session.exec(select(Rapportagestatus).where(Rapportagestatus.organisatie_id == org.id,
                                                             Rapportagestatus.periode == periode)).one()
        stappen = session.exec(select(RapportageHistorie.actie).where(RapportageHistorie.status_id == status.id)
                               .order_by(RapportageHistorie.tijdstip)).all()
    assert (status.status, status.reden) == ("heropend", "Een late import van de laatste maand.")
    assert list(stappen) == ["ingediend", "teruggestuurd", "ingediend", "goedgekeurd", "heropend"]

    telefoon = browser.new_context(**TELEFOON)
    for sleutel in ("rapportage-regio", "rapportage-org"):
        scherm = telefoon.new_page()
        aanmelden(scherm, dashboard, sleutel)
        scherm.goto(dashboard.url + "/rapportage")
        breedte = scherm.evaluate("() => document.documentElement.scrollWidth")
        assert breedte <= 375, f"/rapportage ({sleutel}) is {breedte} px breed op een telefoon van 375 px"
        assert axe(scherm) == []
        scherm.close()
        telefoon.clear_cookies()
    telefoon.close()
    regio_context.close()
