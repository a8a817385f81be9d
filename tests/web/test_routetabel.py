"""Generic access tests over every dashboard route, so that pages added later are covered too.

The API's route table test (tests/toegang/test_route_table.py) covers `/v1`; the dashboard signs in
by session instead of by key, so here: (a) every page but the sign-in routes sends a visitor without
a session to the sign-in page, and (b) on every route with a path parameter, an unknown id or a
record of another organisation (for the inbox: addressed outside the key's region) is 404, never
403 or 200. A new path parameter must be registered in PARAMETERS below.
"""

import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.core.openapi import API_PREFIX
from app.main import create_app
from app.models import ApiSleutel, Apparaat, Organisatie, Uitnodiging
from app.toegang.caller import Binding, Caller
from app.web import sessieopslag
from app.web.sessie import COOKIE
from tests.apparaten.helpers import apparaat_cookie, uitnodiging_token
from tests.doelstellingen.factories import make_doelstelling
from tests.ervaringsverhalen.factories import make_verhaal
from tests.factories import (
    make_dienstverband,
    make_doorverwijzing,
    make_import_run,
    make_key,
    make_ontwikkeldoel,
    make_organisatie,
    make_sleutelpersoon,
)
from tests.indicatoren.factories import make_eigen_indicator
from tests.kosten.maak import make_project
from tests.signalen.factories import make_signaal
from tests.web.helpers import cookie_inhoud, meld_aan

# Single sign-on (app/web/pages/sso.py): the way in and out, before and after a session exists.
OPENBAAR = {"/", "/aanmelden", "/afmelden", "/sso/aanmelden", "/sso/terug", "/sso/afgemeld"}
# The key persons' app signs in by device, not by dashboard session: tests/apparaten and tests/web/test_app*.
APP = "/app"


def _apparaat_van(session: Session, org: Organisatie) -> uuid.UUID:
    persoon = make_sleutelpersoon(session, org)
    apparaat_cookie(session, persoon.id)
    return session.exec(select(Apparaat.id).where(Apparaat.sleutelpersoon_id == persoon.id)).one()


def _dashboard_sessie_van(session: Session, org: Organisatie) -> uuid.UUID:
    """A session of a key of that organisation (sessions belong to one key: even a colleague's is 404)."""
    make_key(session, organisatie=org)
    key = session.exec(select(ApiSleutel).where(ApiSleutel.organisatie_id == org.id)).first()
    assert key is not None
    rij, _ = sessieopslag.create(session, caller=caller_van_sleutel(key), user_agent="Mozilla/5.0 (X11; Linux x86_64)")
    return rij.id


def _uitnodiging_van(session: Session, org: Organisatie) -> uuid.UUID:
    persoon = make_sleutelpersoon(session, org)
    uitnodiging_token(session, persoon)
    return session.exec(select(Uitnodiging.id).where(Uitnodiging.sleutelpersoon_id == persoon.id)).one()


# A record of "organisation B" per path parameter; for signaal_id one addressed outside the region.
def caller_van_sleutel(key: ApiSleutel) -> Caller:
    return Caller(sleutel_id=key.id, scopes=frozenset(), binding=Binding.organisatie, organisatie_id=key.organisatie_id)


PARAMETERS: dict[str, Callable[[Session, Organisatie], Any]] = {
    "sleutelpersoon_id": lambda session, org: make_sleutelpersoon(session, org).id,
    "verhaal_id": lambda session, org: make_verhaal(session, org).id,
    "import_id": lambda session, org: make_import_run(session, org).id,
    "signaal_id": lambda session, org: make_signaal(session, org, gericht_aan_gemeentecode="GM0599").id,
    "apparaat_id": _apparaat_van,
    "doorverwijzing_id": lambda session, org: make_doorverwijzing(session, org).id,
    "uitnodiging_id": _uitnodiging_van,
    "sessie_id": _dashboard_sessie_van,
    "project_id": lambda session, org: make_project(session, org).id,
    "ontwikkeldoel_id": lambda session, org: make_ontwikkeldoel(session, org).id,
    "dienstverband_id": lambda session, org: make_dienstverband(session, org).id,
    "doelstelling_id": lambda session, org: make_doelstelling(session, org).id,
    "indicator_code": lambda session, org: make_eigen_indicator(session, org).code,
}
REGIONAAL = {"signaal_id"}  # the inbox: a regional key's route


def _routes() -> list[tuple[str, str]]:
    # iter_route_contexts flattens included routers, as in the API's route table test.
    return sorted(
        (method, context.path)
        for context in iter_route_contexts(create_app().routes)
        if isinstance(context.original_route, APIRoute) and not context.path.startswith(API_PREFIX)
        and context.path not in OPENBAAR and not (context.path == APP or context.path.startswith(APP + "/"))
        for method in context.methods - {"HEAD"}
    )


ROUTES = _routes()
MET_PARAMETER = [(m, p) for m, p in ROUTES if "{" in p]


def _url(path: str, waarden: dict[str, Any]) -> str:
    return re.sub(r"{(\w+)}", lambda m: str(waarden[m.group(1)]), path)


def test_de_routetabel_is_compleet() -> None:
    assert ("GET", "/overzicht") in ROUTES and ("POST", "/signalen/{signaal_id}/status") in ROUTES
    for _, path in MET_PARAMETER:
        for naam in re.findall(r"{(\w+)}", path):
            assert naam in PARAMETERS, f"{path}: registreer {naam} in PARAMETERS van {__name__}"


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=lambda v: v)
def test_zonder_sessie_naar_aanmelden(client: TestClient, method: str, path: str) -> None:
    url = _url(path, {naam: uuid.uuid4() for naam in re.findall(r"{(\w+)}", path)})
    antwoord = client.request(method, url, follow_redirects=False)
    assert antwoord.status_code == 303, f"{method} {path}: {antwoord.status_code}"
    assert antwoord.headers["location"].startswith("/")
    assert "?" not in antwoord.headers["location"] or "volgende=" in antwoord.headers["location"]


@pytest.mark.parametrize(("method", "path"), MET_PARAMETER, ids=lambda v: v)
def test_onbekend_of_van_een_ander_is_404(client: TestClient, session: Session, method: str, path: str) -> None:
    namen = re.findall(r"{(\w+)}", path)
    ander = make_organisatie(session)
    if set(namen) & REGIONAAL:
        sleutel = make_key(session, gemeentecodes=["GM0344"], scopes=("signalen", "rapporteren"))
    else:
        sleutel = make_key(session, organisatie=make_organisatie(session), scopes=("registreren", "rapporteren"))
    session.commit()
    assert meld_aan(client, sleutel).status_code == 303
    form = {"csrf": cookie_inhoud(client.cookies[COOKIE])["c"], "status": "ontvangen"} if method == "POST" else None
    for wat, waarden in {
        "een onbekend id": {naam: uuid.uuid4() for naam in namen},
        "een record van een ander": {naam: PARAMETERS[naam](session, ander) for naam in namen},
    }.items():
        session.commit()
        antwoord = client.request(method, _url(path, waarden), data=form, follow_redirects=False)
        assert antwoord.status_code == 404, f"{method} {path} met {wat}: {antwoord.status_code}"
        assert "text/html" in antwoord.headers["content-type"]
