"""Charging records to a project: projectId on contactmomenten, inzet and professional contacts.

The project must be one of the caller's own organisation (else 400 naming projectId, with the
record's other errors); a date outside the project's period is allowed (documented in
projecten.service.controleer_project). A record without a project keeps its old fingerprint.
"""

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.validation import vandaag
from tests.factories import Omgeving, body
from tests.helpers import assert_400
from tests.kosten.maak import make_project
from tests.professionele_contacten.test_professionele_contacten import body as pc_body

DAG = (vandaag() - timedelta(days=2)).isoformat()


def _inzet(omgeving: Omgeving, **extra: Any) -> dict[str, Any]:
    return {"sleutelpersoonId": str(omgeving.sleutelpersoon.id), "datum": DAG, "uren": 2, "soort": "contacten", **extra}


BODIES = {
    "/v1/contactmomenten": lambda o, **e: body(o, **e),
    "/v1/inzet": _inzet,
    "/v1/professionele-contacten": lambda o, **e: pc_body(o, **e),
}


@pytest.mark.parametrize("url", list(BODIES))
def test_a_record_is_charged_to_an_own_project_and_moved_off_it(client: TestClient, session: Session, omgeving: Omgeving,
                                                                url: str) -> None:
    # The project ended long ago: a record after its period is still allowed.
    project = make_project(session, omgeving.organisatie, vanaf=vandaag().replace(year=2020, month=1, day=1),
                           tot=vandaag().replace(year=2020, month=12, day=31))
    session.commit()
    response = client.post(url, headers=omgeving.headers, json=BODIES[url](omgeving, projectId=str(project.id)))
    assert response.status_code == 201, response.text
    assert response.json()["projectId"] == str(project.id)
    record_url = f"{url}/{response.json()['id']}"
    gewijzigd = client.patch(record_url, headers=omgeving.headers, json={"projectId": None})
    assert gewijzigd.status_code == 200, gewijzigd.text
    assert gewijzigd.json()["projectId"] is None


@pytest.mark.parametrize("url", list(BODIES))
def test_another_organisations_project_is_a_400_with_the_other_errors(client: TestClient, session: Session,
                                                                       omgeving: Omgeving, andere: Omgeving, url: str) -> None:
    vreemd = make_project(session, andere.organisatie)
    session.commit()
    response = client.post(url, headers=omgeving.headers, json=BODIES[url](omgeving, projectId=str(vreemd.id), soort="onbekend"))
    reasons = assert_400(response, ["projectId", "soort"])
    assert "eigen organisatie" in reasons["projectId"]


def test_a_contact_without_project_keeps_its_fingerprint(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    """A retry of a contact posted before projects existed is recognised: no projectId in the fingerprint."""
    data = body(omgeving)
    eerste = client.post("/v1/contactmomenten", headers=omgeving.headers, json=data)
    opnieuw = client.post("/v1/contactmomenten", headers=omgeving.headers, json=data)
    assert (eerste.status_code, opnieuw.status_code) == (201, 200)
    assert opnieuw.json()["id"] == eerste.json()["id"]
