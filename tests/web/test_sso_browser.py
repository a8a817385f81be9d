"""Single sign-on in headless Chromium: the button, the real provider's form, the dashboard, and signing out at both."""

from typing import Any

from app.sso import service as sso
from app.toegang.caller import Scope, cli_caller
from app.web.sessie import COOKIE
from tests.sso.conftest import draaiende_idp, sso_instellingen
from tests.web.conftest import Dashboard, axe


def test_aanmelden_en_afmelden_met_de_idp(browser: Any, dashboard: Dashboard) -> None:
    with draaiende_idp(dashboard.url) as idp, sso_instellingen(idp.issuer, dashboard.url):
        with dashboard.session() as session:
            koppeling = sso.create(session, caller=cli_caller(), claim_waarde="sm-brug",
                                   scopes=[Scope.inzien, Scope.rapporteren], organisatie_id=dashboard.org.id)
            session.commit()
        context = browser.new_context(viewport={"width": 375, "height": 800}, locale="nl-NL")
        try:
            page = context.new_page()
            page.goto(dashboard.url + "/")
            assert axe(page) == []
            page.get_by_role("link", name="Aanmelden met GGD-account").click()
            page.get_by_label("Account").fill("coordinator")
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url("**/overzicht")
            assert dashboard.org.naam in page.inner_text("header")
            cookie = next(c for c in context.cookies() if c["name"] == COOKIE)
            assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"

            page.get_by_role("button", name="Afmelden").click()
            page.get_by_role("button", name="Yes, sign me out").click()  # the provider's own confirmation
            page.wait_for_url("**/?melding=afgemeld")
            assert "U bent afgemeld" in page.inner_text("main")
            # Both sessions ended: the dashboard asks to sign in, the provider shows its form again.
            page.goto(dashboard.url + "/overzicht")
            page.wait_for_url("**/?volgende=%2Foverzicht")
            page.get_by_role("link", name="Aanmelden met GGD-account").click()
            assert page.get_by_label("Account").is_visible()
        finally:
            context.close()
            with dashboard.session() as session:
                sso.delete_koppeling(session, caller=cli_caller(), koppeling=sso.get(session, koppeling_id=koppeling.id))
                session.commit()
