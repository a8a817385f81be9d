"""ETag and If-Match: two partner apps that read the same version cannot overwrite each other silently."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.factories import make_contactmoment, make_key, make_omgeving
from tests.helpers import assert_problem


@pytest.fixture
def contact(session: Session) -> dict[str, Any]:
    omgeving = make_omgeving(session, gemeentecodes=["GM0344"])
    record = make_contactmoment(session, omgeving.organisatie, omgeving.sleutelpersoon,
                                doorverwijzingen=[{"ketenpartner": omgeving.ketenpartner, "status": "verwezen"}])
    headers = make_key(session, organisatie=omgeving.organisatie, scopes=("registreren", "inzien"))
    return {"url": f"/v1/contactmomenten/{record.id}", "headers": headers, "id": record.id}


def test_get_and_patch_carry_an_etag_that_changes_with_the_record(client: TestClient, contact: dict[str, Any]) -> None:
    eerste = client.get(contact["url"], headers=contact["headers"])
    assert eerste.headers["ETag"].startswith('"') and eerste.headers["ETag"].endswith('"')
    assert client.get(contact["url"], headers=contact["headers"]).headers["ETag"] == eerste.headers["ETag"]
    gewijzigd = client.patch(contact["url"], json={"kanaal": "telefonisch"},
                             headers={**contact["headers"], "If-Match": eerste.headers["ETag"]})
    assert gewijzigd.status_code == 200, gewijzigd.text
    assert gewijzigd.headers["ETag"] != eerste.headers["ETag"]
    assert client.get(contact["url"], headers=contact["headers"]).headers["ETag"] == gewijzigd.headers["ETag"]


def test_stale_if_match_is_412_and_changes_nothing(client: TestClient, contact: dict[str, Any]) -> None:
    versie = client.get(contact["url"], headers=contact["headers"]).headers["ETag"]
    # Partner app A writes first ...
    a = client.patch(contact["url"], json={"kanaal": "telefonisch"}, headers={**contact["headers"], "If-Match": versie})
    assert a.status_code == 200
    # ... so partner app B, which read the same version, is refused instead of overwriting A.
    b = client.patch(contact["url"], json={"kanaal": "huisbezoek"}, headers={**contact["headers"], "If-Match": versie})
    body = assert_problem(b, 412, "Versie verouderd")
    assert body["huidigeEtag"] == a.headers["ETag"]
    assert "niets opgeslagen" in body["detail"]
    assert client.get(contact["url"], headers=contact["headers"]).json()["kanaal"] == "telefonisch"


def test_without_if_match_or_with_a_star_the_patch_goes_through(client: TestClient, contact: dict[str, Any]) -> None:
    versie = client.get(contact["url"], headers=contact["headers"]).headers["ETag"]
    zonder = client.patch(contact["url"], json={"kanaal": "telefonisch"}, headers=contact["headers"])
    assert zonder.status_code == 200, zonder.text
    assert zonder.json()["kanaal"] == "telefonisch" and zonder.headers["ETag"] != versie
    ster = client.patch(contact["url"], json={"kanaal": "huisbezoek"}, headers={**contact["headers"], "If-Match": "*"})
    assert ster.status_code == 200, ster.text
    assert ster.json()["kanaal"] == "huisbezoek" and ster.headers["ETag"] not in (versie, zonder.headers["ETag"])
    # Stored, not only answered: a fresh read shows the second change under the new tag.
    gelezen = client.get(contact["url"], headers=contact["headers"])
    assert gelezen.json()["kanaal"] == "huisbezoek" and gelezen.headers["ETag"] == ster.headers["ETag"]


def test_a_referral_status_change_is_versioned_too(client: TestClient, contact: dict[str, Any]) -> None:
    verwijzing_id = client.get(contact["url"], headers=contact["headers"]).json()["doorverwijzingen"][0]["id"]
    url = f"/v1/doorverwijzingen/{verwijzing_id}"
    versie = client.get(url, headers=contact["headers"]).headers["ETag"]
    eerst = client.patch(url, json={"status": "aangekomen"}, headers={**contact["headers"], "If-Match": versie})
    assert eerst.status_code == 200, eerst.text
    te_laat = client.patch(url, json={"status": "afgewezen"}, headers={**contact["headers"], "If-Match": versie})
    assert assert_problem(te_laat, 412)["huidigeEtag"] == eerst.headers["ETag"]
    # The referral is part of the contactmoment's representation, so its tag moved as well.
    assert client.get(contact["url"], headers=contact["headers"]).json()["doorverwijzingen"][0]["status"] == "aangekomen"


def test_documented_in_the_openapi_document() -> None:
    from app.main import create_app

    paths = create_app().openapi()["paths"]
    for path in ("/contactmomenten/{contactmomentId}", "/doorverwijzingen/{doorverwijzingId}"):
        patch = paths[path]["patch"]
        assert any(p["name"] == "If-Match" and p["in"] == "header" for p in patch["parameters"])
        assert patch["responses"]["412"]["content"]["application/problem+json"]["schema"] == {
            "$ref": "#/components/schemas/VersieProblem"
        }
        assert "ETag" in patch["responses"]["200"]["headers"]
        assert "ETag" in paths[path]["get"]["responses"]["200"]["headers"]


def test_every_patch_takes_if_match_and_every_get_of_it_an_etag() -> None:
    import json
    from pathlib import Path

    doc = json.loads((Path(__file__).resolve().parent.parent / "openapi" / "openapi.json").read_text(encoding="utf-8"))
    patches = [(path, item) for path, item in doc["paths"].items() if "patch" in item]
    assert len(patches) == 24  # /inzet/{inzetId} the eleventh (issue 23); doelstellingen, evaluaties, professionele-contacten, own indicators, besluiten (issue 25); deskundigheid, ontwikkelplan, gesprekken, dienstverbanden, projecten, kosten (issue 26); rapportageritmes (issue 27); webhooks (issue 28)
    for path, item in patches:
        assert any(p["name"] == "If-Match" for p in item["patch"]["parameters"]), path
        assert "412" in item["patch"]["responses"], path
        assert "ETag" in item["get"]["responses"]["200"]["headers"], path


def test_a_key_person_is_versioned(client: TestClient, session: Session) -> None:
    omgeving = make_omgeving(session, gemeentecodes=["GM0344"])
    headers = make_key(session, organisatie=omgeving.organisatie, scopes=("registreren", "inzien"))
    url = f"/v1/sleutelpersonen/{omgeving.sleutelpersoon.id}"
    versie = client.get(url, headers=headers).headers["ETag"]
    assert client.patch(url, json={"urenPerWeek": 8}, headers={**headers, "If-Match": versie}).status_code == 200
    assert_problem(client.patch(url, json={"urenPerWeek": 12}, headers={**headers, "If-Match": versie}), 412)
    assert client.get(url, headers=headers).json()["urenPerWeek"] == 8


def test_the_support_records_are_versioned(client: TestClient, session: Session) -> None:
    """Conversations, plan goals, employment periods and trainings (issue 26): a stale If-Match is a 412."""
    from tests.factories import make_deskundigheid, make_dienstverband, make_gesprek

    omgeving = make_omgeving(session, gemeentecodes=["GM0344"])
    headers = make_key(session, organisatie=omgeving.organisatie, scopes=("registreren", "inzien"))
    persoon = omgeving.sleutelpersoon
    gesprek = make_gesprek(session, omgeving.organisatie, persoon)
    periode = make_dienstverband(session, omgeving.organisatie, persoon)
    training = make_deskundigheid(session, omgeving.organisatie, deelnemers=[persoon])
    session.commit()
    basis = f"/v1/sleutelpersonen/{persoon.id}"
    for url, eerste, tweede in (
        (f"{basis}/gesprekken/{gesprek.id}", {"soort": "functionering"}, {"soort": "afsluiting"}),
        (f"{basis}/dienstverbanden/{periode.id}", {"vanaf": "2024-02-01"}, {"vanaf": "2024-03-01"}),
        (f"/v1/deskundigheidsbevordering/{training.id}", {"titel": "Intervisie maart"}, {"titel": "Intervisie april"}),
    ):
        versie = client.get(url, headers=headers).headers["ETag"]
        eerst = client.patch(url, json=eerste, headers={**headers, "If-Match": versie})
        assert eerst.status_code == 200, (url, eerst.text)
        assert eerst.headers["ETag"] != versie
        assert_problem(client.patch(url, json=tweede, headers={**headers, "If-Match": versie}), 412)
        assert client.patch(url, json=tweede, headers={**headers, "If-Match": eerst.headers["ETag"]}).status_code == 200
