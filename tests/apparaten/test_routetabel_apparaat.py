"""Every /v1 route, tried with a key person's device (generic, so routes added later are covered too).

(a) A route not opened to devices answers 403, whatever it is: a device is refused by default.
(b) On a route opened to devices, a record of a colleague (same organisation, another key person)
    and a record of another organisation both answer 404, as an unknown id does: ids leak nothing.
    The social map (ketenpartners) is shared within the organisation, so a colleague's partner is
    the device's own; code lists are shared by everyone.

A route opened to devices (`EigenRegistrerenDep`/`EigenInzienDep`) must be listed in OPEN below.
"""

import uuid

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.apparaten.helpers import als_apparaat, apparaat_cookie
from tests.factories import make_omgeving
from tests.toegang.test_route_table import PAD_PARAMETERS, ROUTES, Route, _send

OPEN = {
    "GET /v1/codelijsten", "GET /v1/codelijsten/{lijst}", "GET /v1/codelijsten/{lijst}/{code}", "GET /v1/onderwerpen",
    "GET /v1/sleutelpersonen", "GET /v1/sleutelpersonen/{sleutelpersoonId}",
    "GET /v1/ketenpartners", "GET /v1/ketenpartners/{ketenpartnerId}",
    "POST /v1/contactmomenten", "GET /v1/contactmomenten", "GET /v1/contactmomenten/{contactmomentId}",
    "PATCH /v1/contactmomenten/{contactmomentId}", "DELETE /v1/contactmomenten/{contactmomentId}",
    "GET /v1/doorverwijzingen", "GET /v1/doorverwijzingen/{doorverwijzingId}", "PATCH /v1/doorverwijzingen/{doorverwijzingId}",
    "POST /v1/uitkomsten", "GET /v1/uitkomsten", "GET /v1/uitkomsten/{uitkomstId}",
    "POST /v1/signalen", "GET /v1/signalen", "GET /v1/signalen/{signaalId}", "PATCH /v1/signalen/{signaalId}",
    "DELETE /v1/signalen/{signaalId}", "GET /v1/signalen/{signaalId}/berichten", "POST /v1/signalen/{signaalId}/berichten",
    "GET /v1/signalen/{signaalId}/berichten/{berichtId}",
    "POST /v1/ervaringsverhalen", "GET /v1/ervaringsverhalen", "GET /v1/ervaringsverhalen/{verhaalId}",
    "PATCH /v1/ervaringsverhalen/{verhaalId}", "DELETE /v1/ervaringsverhalen/{verhaalId}",
    "POST /v1/contactmomenten/{contactmomentId}/doorverwijzingen",
    "POST /v1/inzet", "GET /v1/inzet", "GET /v1/inzet/per-maand", "GET /v1/inzet/{inzetId}", "PATCH /v1/inzet/{inzetId}",
    "DELETE /v1/inzet/{inzetId}",
    "POST /v1/professionele-contacten", "GET /v1/professionele-contacten", "GET /v1/professionele-contacten/{contactId}",
    "PATCH /v1/professionele-contacten/{contactId}", "DELETE /v1/professionele-contacten/{contactId}",
    # The key person reads its own development plan (read-only; issue 26, part 3).
    "GET /v1/sleutelpersonen/{sleutelpersoonId}/ontwikkelplan",
    "GET /v1/sleutelpersonen/{sleutelpersoonId}/ontwikkelplan/{ontwikkeldoelId}",
}
# Shared within the organisation (or by all): a colleague's record is also the device's.
GEDEELD = {"ketenpartnerId", "lijst", "code"}

DICHT = [r for r in ROUTES if str(r) not in OPEN]
OPEN_MET_ID = [r for r in ROUTES if str(r) in OPEN and set(r.parameters) - GEDEELD]


def test_de_lijst_klopt_met_de_routes() -> None:
    assert OPEN <= {str(r) for r in ROUTES}, OPEN - {str(r) for r in ROUTES}


@pytest.mark.parametrize("route", DICHT, ids=str)
def test_gesloten_route_weigert_een_apparaat(client: TestClient, session: Session, route: Route) -> None:
    omgeving = make_omgeving(session)
    telefoon = als_apparaat(apparaat_cookie(session, omgeving.sleutelpersoon.id))
    waarden = {naam: (PAD_PARAMETERS[naam].record_van(session, omgeving.organisatie)  # type: ignore[misc]
                      if PAD_PARAMETERS[naam].record_van else uuid.uuid4()) for naam in route.parameters}
    antwoord = _send(client, route, route.url(waarden), telefoon)
    assert antwoord.status_code == 403, f"{route} answered {antwoord.status_code} to a device: {antwoord.text}"


@pytest.mark.parametrize("route", OPEN_MET_ID, ids=str)
def test_record_van_een_collega_of_andere_organisatie_is_404(client: TestClient, session: Session, route: Route) -> None:
    omgeving, andere = make_omgeving(session), make_omgeving(session)
    telefoon = als_apparaat(apparaat_cookie(session, omgeving.sleutelpersoon.id))
    for wat, organisatie in (("a colleague's record", omgeving.organisatie), ("another organisation's record", andere.organisatie)):
        waarden = {naam: PAD_PARAMETERS[naam].record_van(session, organisatie)  # type: ignore[misc]
                   for naam in route.parameters if naam not in GEDEELD}
        antwoord = _send(client, route, route.url(waarden), telefoon)
        assert antwoord.status_code == 404, f"{route} with {wat} answered {antwoord.status_code}: {antwoord.text}"
