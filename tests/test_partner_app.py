"""examples/partner_app.py works against the app: idempotent sends, a correction after 409, If-Match, a CSV report."""

import csv
import importlib.util
import io
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.factories import make_key, make_omgeving

VOORBEELD = Path(__file__).resolve().parent.parent / "examples" / "partner_app.py"


@pytest.fixture(scope="module")
def partner_app() -> ModuleType:
    spec = importlib.util.spec_from_file_location("partner_app", VOORBEELD)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def api(app: Any, session: Session) -> dict[str, Any]:
    omgeving = make_omgeving(session, gemeentecodes=["GM0344"])
    headers = make_key(session, organisatie=omgeving.organisatie, scopes=("registreren", "inzien", "rapporteren"))
    return {"client": TestClient(app, base_url="http://testserver/v1", headers=headers), "omgeving": omgeving}


def test_partner_app_sync(partner_app: ModuleType, api: dict[str, Any]) -> None:
    client, omgeving = api["client"], api["omgeving"]
    contact = {
        "externId": "app-42", "sleutelpersoonId": str(omgeving.sleutelpersoon.id), "gemeentecode": "GM0344",
        "kanaal": "persoonlijk", "datum": date(2025, 3, 14).isoformat(), "onderwerpen": ["geld.toeslagen"],
        "doorverwijzingen": [{"ketenpartnerId": str(omgeving.ketenpartner.id), "wijze": "warm"}],
    }
    eerste = partner_app.verstuur(client, contact)
    assert partner_app.verstuur(client, contact)["id"] == eerste["id"]  # sending again changes nothing
    gecorrigeerd = partner_app.verstuur(client, {**contact, "kanaal": "telefonisch"})  # 409, then PATCH
    assert (gecorrigeerd["id"], gecorrigeerd["kanaal"]) == (eerste["id"], "telefonisch")

    verwijzing = partner_app.werk_doorverwijzing_bij(client, eerste["doorverwijzingen"][0]["id"], "aangekomen")
    assert verwijzing["status"] == "aangekomen"

    regels = list(csv.DictReader(io.StringIO(
        partner_app.rapport(client, "aantal-contactmomenten", "2025").decode("utf-8-sig")), delimiter=";"))
    assert [(r["gemeente (omschrijving)"], r["waarde"]) for r in regels] == [("Utrecht", "1")]


def test_a_change_by_someone_else_in_between_is_retried_not_overwritten(partner_app: ModuleType, api: dict[str, Any]) -> None:
    client, omgeving = api["client"], api["omgeving"]
    contact = {"sleutelpersoonId": str(omgeving.sleutelpersoon.id), "gemeentecode": "GM0344", "kanaal": "persoonlijk",
               "datum": "2025-03-14", "onderwerpen": ["geld.toeslagen"]}
    pad = f"/contactmomenten/{client.post('/contactmomenten', json=contact).json()['id']}"
    echte_get = client.get
    tussendoor = {"gedaan": False}

    def get_met_wijziging_tussendoor(url: str, **kwargs: Any) -> Any:
        antwoord = echte_get(url, **kwargs)
        if not tussendoor["gedaan"]:  # another app writes right after our first read
            tussendoor["gedaan"] = True
            assert client.patch(pad, json={"duurMinuten": 45}).status_code == 200
        return antwoord

    client.get = get_met_wijziging_tussendoor  # type: ignore[method-assign]
    resultaat = partner_app.wijzig(client, pad, {"kanaal": "telefonisch"})
    assert (resultaat["kanaal"], resultaat["duurMinuten"]) == ("telefonisch", 45)  # both changes kept
