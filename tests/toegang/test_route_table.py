"""Generic access tests over the whole route table, so that routes added later are covered too.

(a) Every route except the public ones answers 401 problem+json without a key.
(b) Tenancy: on every route with a path parameter, an organisation's key asking for a record of
    another organisation, or for an id that does not exist, gets 404 — never 403, never 200 — so
    ids leak nothing. Routes that need scope `beheren` are checked with an administrator's key
    instead: an unknown id gives 404 (or a 400 about the empty body, which such a route may check
    first: an administrator sees every organisation, so there is nothing to leak). Routes that need
    scope `signalen` (a regional key's inbox) are checked with a regional key: an unknown id, or a
    record addressed to a gemeente outside its region, gives 404.

A new path parameter must be registered in PAD_PARAMETERS below; the tests fail until it is.
"""

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.openapi import API_PREFIX, PUBLIC_PATHS
from app.main import create_app
from app.models import Organisatie
from app.toegang.caller import Scope
from tests.doelstellingen.factories import make_besluit, make_doelstelling, make_evaluatie
from tests.kosten.maak import make_kosten, make_project
from tests.ervaringsverhalen.factories import make_verhaal
from tests.factories import (
    make_contactmoment,
    make_deskundigheid,
    make_dienstverband,
    make_doel,
    make_doorverwijzing,
    make_gesprek,
    make_import_run,
    make_inzet,
    make_professioneel_contact,
    make_ketenpartner,
    make_key,
    make_ontwikkeldoel,
    make_organisatie,
    make_sleutelpersoon,
    make_uitkomst,
)
from tests.rapportage.factories import make_ritme
from tests.signalen.factories import make_bericht, make_signaal
from tests.toegang.helpers import admin_key, key_of
from tests.webhooks.factories import make_webhook

UNAUTHENTICATED = PUBLIC_PATHS | {"/v1/docs"}
BODY_METHODS = {"POST", "PUT", "PATCH"}


# --- records of "organisation B" per path parameter -----------------------------------------


def other_organisations_key(session: Session, organisatie: Organisatie) -> uuid.UUID:
    return key_of(session, make_key(session, organisatie=organisatie)).id


@dataclass(frozen=True)
class PadParameter:
    """How to fill one path parameter: a record of organisation B, or None when not tenant data."""

    record_van: Callable[[Session, Organisatie], Any] | None
    reden: str = ""


PAD_PARAMETERS: dict[str, PadParameter] = {
    "organisatieId": PadParameter(lambda session, org: org.id),
    "sleutelpersoonId": PadParameter(lambda session, org: make_sleutelpersoon(session, org).id),
    "ketenpartnerId": PadParameter(lambda session, org: make_ketenpartner(session, org).id),
    "contactmomentId": PadParameter(lambda session, org: make_contactmoment(session, org, make_sleutelpersoon(session, org)).id),
    "doorverwijzingId": PadParameter(lambda session, org: make_doorverwijzing(session, org).id),
    "uitkomstId": PadParameter(lambda session, org: make_uitkomst(session, org).id),
    "doelId": PadParameter(lambda session, org: make_doel(session, org).id),
    "importId": PadParameter(lambda session, org: make_import_run(session, org).id),
    "sleutelId": PadParameter(other_organisations_key),
    "signaalId": PadParameter(lambda session, org: make_signaal(session, org).id),
    "berichtId": PadParameter(lambda session, org: make_bericht(session, make_signaal(session, org)).id),
    "verhaalId": PadParameter(lambda session, org: make_verhaal(session, org).id),
    "inzetId": PadParameter(lambda session, org: make_inzet(session, org).id),
    "doelstellingId": PadParameter(lambda session, org: make_doelstelling(session, org).id),
    "evaluatieId": PadParameter(lambda session, org: make_evaluatie(session, org, doelstellingen=[make_doelstelling(session, org)]).id),
    "contactId": PadParameter(lambda session, org: make_professioneel_contact(session, org).id),
    "projectId": PadParameter(lambda session, org: make_project(session, org).id),
    "kostenId": PadParameter(lambda session, org: make_kosten(session, org).id),
    "besluitId": PadParameter(lambda session, org: make_besluit(session, org).id),
    "deskundigheidId": PadParameter(lambda session, org: make_deskundigheid(session, org).id),
    "ontwikkeldoelId": PadParameter(lambda session, org: make_ontwikkeldoel(session, org).id),
    "gesprekId": PadParameter(lambda session, org: make_gesprek(session, org).id),
    "dienstverbandId": PadParameter(lambda session, org: make_dienstverband(session, org).id),
    "ritmeId": PadParameter(lambda session, org: make_ritme(session, [org], gemeentecodes=["GM0599"]).id),
    "webhookId": PadParameter(lambda session, org: make_webhook(session, org).id),
    "periode": PadParameter(None, "een periodecode (2026Q1, 2026-03); een onbekende of ongeldige geeft 404"),
    # Shared, not per organisation: only an unknown value (-> 404) is checked.
    "lijst": PadParameter(None, "naam van een codelijst; codelijsten zijn gedeeld"),
    "koppelingId": PadParameter(None, "een SSO-koppeling: beheer, niet per organisatie"),
    "code": PadParameter(None, "een code of indicatorcode; gedeeld door alle organisaties"),
}


# For routes of a regional key (scope `signalen` or `goedkeuren`): a record outside the key's region (GM0344).
REGIONALE_PAD_PARAMETERS: dict[str, PadParameter] = {
    "ritmeId": PadParameter(lambda session, org: make_ritme(session, [org], gemeentecodes=["GM0599"]).id),
    "periode": PadParameter(lambda session, org: "2025Q1"),
    "organisatieId": PadParameter(lambda session, org: org.id),
    "signaalId": PadParameter(lambda session, org: make_signaal(session, org, gericht_aan_gemeentecode="GM0599").id),
    "berichtId": PadParameter(
        lambda session, org: make_bericht(session, make_signaal(session, org, gericht_aan_gemeentecode="GM0599")).id
    ),
}


# --- the route table ------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    beheer: bool  # needs scope beheren
    regionaal: bool = False  # needs scope signalen or goedkeuren (a regional key)

    @property
    def parameters(self) -> list[str]:
        return re.findall(r"{(\w+)(?::\w+)?}", self.path)

    def url(self, values: dict[str, Any]) -> str:
        return re.sub(r"{(\w+)(?::\w+)?}", lambda m: str(values[m.group(1)]), self.path)

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def _needs(dependant: Any, scope: Scope) -> bool:
    if getattr(dependant.call, "__sleutelmonitor_scope__", None) is scope:
        return True
    return any(_needs(sub, scope) for sub in dependant.dependencies)


def _needs_beheren(dependant: Any) -> bool:
    return _needs(dependant, Scope.beheren)


def _routes() -> Iterator[Route]:
    # iter_route_contexts flattens included routers and gives the effective (prefixed) paths.
    for context in iter_route_contexts(create_app().routes):
        if not isinstance(context.original_route, APIRoute) or context.path in UNAUTHENTICATED:
            continue
        if not context.path.startswith(API_PREFIX):
            continue  # the dashboard: signed in by session, not by key (tests/web/test_routetabel.py)
        for method in sorted(context.methods - {"HEAD", "OPTIONS"}):
            regionaal = _needs(context.dependant, Scope.signalen) or _needs(context.dependant, Scope.goedkeuren)
            yield Route(method, context.path, _needs_beheren(context.dependant), regionaal)


ROUTES = sorted(_routes(), key=str)
ROUTES_WITH_PARAMETERS = [r for r in ROUTES if r.parameters]


def _send(client: TestClient, route: Route, url: str, headers: dict[str, str]) -> Any:
    body = {"json": {}} if route.method in BODY_METHODS else {}
    return client.request(route.method, url, headers=headers, **body)


def _registered(route: Route) -> None:
    missing = [name for name in route.parameters if name not in PAD_PARAMETERS]
    if missing:
        pytest.fail(
            f"{route}: path parameter(s) {', '.join(missing)} not in PAD_PARAMETERS of {__name__}. "
            "Register each: a factory that creates a record of another organisation (so the tenancy "
            "test can prove it answers 404), or PadParameter(None, reason) when it is not tenant data.",
            pytrace=False,
        )


def test_route_table_is_not_empty() -> None:
    assert any(r.path == "/v1/organisaties" for r in ROUTES)
    assert any(r.path == "/v1/api-sleutels/{sleutelId}" and r.beheer for r in ROUTES)
    assert any(r.path == "/v1/ontvangen-signalen/{signaalId}" and r.regionaal for r in ROUTES)
    assert any(r.path == "/v1/ontvangen-signalen/{signaalId}/berichten" and r.regionaal for r in ROUTES)
    assert any(r.path == "/v1/signalen/{signaalId}/berichten" and not r.regionaal for r in ROUTES)
    assert any(r.path == "/v1/ervaringsverhalen/{verhaalId}" and not r.regionaal for r in ROUTES)


def test_every_path_parameter_is_registered() -> None:
    for route in ROUTES_WITH_PARAMETERS:
        _registered(route)


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_route_requires_a_key(client: TestClient, route: Route) -> None:
    url = route.url({name: uuid.uuid4() for name in route.parameters})
    response = _send(client, route, url, headers={})
    assert response.status_code == 401, f"{route} answered {response.status_code} without a key"
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["title"] == "Niet geauthenticeerd"


def _only_body_errors(route: Route, response: Any) -> bool:
    if response.status_code != 400:
        return False
    names = {p["name"].split(".")[0].split("[")[0] for p in response.json().get("invalidParams") or []}
    return bool(names) and not names & set(route.parameters)


@pytest.mark.parametrize("route", ROUTES_WITH_PARAMETERS, ids=str)
def test_unknown_or_foreign_id_is_404(client: TestClient, session: Session, route: Route) -> None:
    _registered(route)
    if route.beheer:
        headers = admin_key(session)
        attempts = {"an unknown id": {name: uuid.uuid4() for name in route.parameters}}
    elif route.regionaal:
        headers = make_key(session, gemeentecodes=["GM0344"], scopes=("signalen", "rapporteren", "goedkeuren"))
        other = make_organisatie(session, gemeentecodes=["GM0599"])
        attempts = {
            "an unknown id": {name: uuid.uuid4() for name in route.parameters},
            "a record outside the key's region": {
                name: REGIONALE_PAD_PARAMETERS[name].record_van(session, other)  # type: ignore[misc]
                for name in route.parameters
            },
        }
    else:
        own, other = make_organisatie(session), make_organisatie(session)
        headers = make_key(session, organisatie=own, scopes=("registreren", "inzien", "rapporteren"))
        attempts = {"an unknown id": {name: uuid.uuid4() for name in route.parameters}}
        foreign = {
            name: PAD_PARAMETERS[name].record_van(session, other)  # type: ignore[misc]
            for name in route.parameters
            if PAD_PARAMETERS[name].record_van is not None
        }
        if foreign:
            attempts["a record of another organisation"] = {**attempts["an unknown id"], **foreign}

    for what, values in attempts.items():
        response = _send(client, route, route.url(values), headers)
        if route.beheer and route.method in BODY_METHODS and _only_body_errors(route, response):
            # Administrators see every organisation, so nothing can leak here; a route may check
            # its (here empty) body before it looks the path up.
            continue
        assert response.status_code == 404, (
            f"{route} with {what} answered {response.status_code}, not 404: {response.text}. "
            "Load the record with a dependency that uses app.toegang.scoping.haal_eigen, so the "
            "tenancy check runs before the body is validated and answers 404."
        )
        assert response.headers["content-type"] == "application/problem+json"
