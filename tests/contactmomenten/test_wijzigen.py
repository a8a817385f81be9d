"""PATCH and DELETE /v1/contactmomenten/{id}: corrections on the merged record, soft delete."""

import uuid
from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Contactmoment, ContactmomentOnderwerp, DoorverwijzingStatus, Uitkomst
from tests.factories import Omgeving, body, make_contactmoment
from tests.helpers import audit_regels, namen, tel_rijen

URL = "/v1/contactmomenten"


def registreer(client: TestClient, omgeving: Omgeving, **overrides: Any) -> dict[str, Any]:
    response = client.post(URL, json=body(omgeving, **overrides), headers=omgeving.headers)
    assert response.status_code == 201, response.text
    return response.json()


def patch(client: TestClient, omgeving: Omgeving, record_id: str, data: dict[str, Any]) -> Any:
    return client.patch(f"{URL}/{record_id}", json=data, headers=omgeving.headers)


def test_correct_fields(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    record = registreer(client, omgeving)
    stored = session.get(Contactmoment, uuid.UUID(record["id"]))
    assert stored is not None
    oude_vingerafdruk = stored.inhoud_hash

    response = patch(
        client,
        omgeving,
        record["id"],
        {"duurMinuten": 60, "inwoner": {"geslacht": "man"}, "kanaal": "telefonisch"},
    )
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["duurMinuten"] == 60
    assert data["kanaal"] == "telefonisch"
    assert data["inwoner"] == {
        "leeftijdscategorie": "27-44",
        "geslacht": "man",
        "taal": "ar",
        "doelgroep": "statushouder",
    }
    assert data["gewijzigdOp"] > record["gewijzigdOp"]
    assert data["aangemaaktOp"] == record["aangemaaktOp"]
    assert data["heeftInwonerReferentie"] is True
    session.refresh(stored)
    assert stored.inhoud_hash != oude_vingerafdruk

    regel = audit_regels(session, resource_type="contactmoment", actie="gewijzigd")[-1]
    assert regel.resource_id == record["id"]
    assert regel.velden == ["duurMinuten", "inwoner.geslacht", "kanaal"]


def test_lists_are_replaced_whole(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    record = registreer(client, omgeving, doorverwijzingen=[])
    response = patch(
        client,
        omgeving,
        record["id"],
        {"onderwerpen": ["wonen.energie", "geld.toeslagen"], "acties": []},
    )
    assert response.status_code == 200, response.text
    assert response.json()["onderwerpen"] == ["geld.toeslagen", "wonen.energie"]
    assert response.json()["acties"] == []
    rows = session.exec(
        select(ContactmomentOnderwerp.onderwerp).where(
            ContactmomentOnderwerp.contactmoment_id == uuid.UUID(record["id"])
        )
    ).all()
    assert sorted(rows) == ["geld.toeslagen", "wonen.energie"]
    assert audit_regels(session, actie="gewijzigd")[-1].velden == ["acties", "onderwerpen"]


def test_change_to_group_needs_the_reference_cleared(
    client: TestClient, omgeving: Omgeving
) -> None:
    record = registreer(client, omgeving)
    refused = patch(client, omgeving, record["id"], {"soort": "groep", "aantalDeelnemers": 8})
    assert refused.status_code == 400
    assert namen(refused) == {"inwonerReferentie"}

    ok = patch(
        client,
        omgeving,
        record["id"],
        {"soort": "groep", "aantalDeelnemers": 8, "inwonerReferentie": None},
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["soort"] == "groep"
    assert ok.json()["heeftInwonerReferentie"] is False


def test_merged_record_is_validated_with_all_errors(
    client: TestClient, omgeving: Omgeving, andere: Omgeving
) -> None:
    record = registreer(client, omgeving)
    response = patch(
        client,
        omgeving,
        record["id"],
        {
            "wijkcode": "WK036301",
            "aantalDeelnemers": 2,
            "kanaal": "fax",
            "sleutelpersoonId": str(andere.sleutelpersoon.id),
        },
    )
    assert response.status_code == 400
    assert response.json()["title"] == "Ongeldige invoer"
    assert namen(response) == {"wijkcode", "aantalDeelnemers", "kanaal", "sleutelpersoonId"}


def test_field_errors_of_the_patch_body(client: TestClient, omgeving: Omgeving) -> None:
    record = registreer(client, omgeving)
    response = patch(
        client,
        omgeving,
        record["id"],
        {
            "datum": None,
            "onderwerpen": [],
            "duurMinuten": 2000,
            "doorverwijzingen": [],
            "inwonerReferentie": "123456782",
        },
    )
    assert response.status_code == 400
    assert namen(response) == {
        "datum",
        "onderwerpen",
        "duurMinuten",
        "doorverwijzingen",
        "inwonerReferentie",
    }


def test_topic_of_a_referral_cannot_be_dropped(client: TestClient, omgeving: Omgeving) -> None:
    record = registreer(client, omgeving)  # its referral is about geld.toeslagen
    response = patch(client, omgeving, record["id"], {"onderwerpen": ["zorg.zorgverzekering"]})
    assert response.status_code == 400
    assert namen(response) == {"onderwerpen"}


def test_later_date_moves_child_dates_on_the_old_date(
    client: TestClient, session: Session, omgeving: Omgeving
) -> None:
    record = registreer(client, omgeving)  # 2025-03-14, referral and outcome on that date
    response = patch(client, omgeving, record["id"], {"datum": "2025-03-20"})
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["datum"] == "2025-03-20"
    assert data["doorverwijzingen"][0]["statusDatum"] == "2025-03-20"
    assert data["uitkomst"]["datum"] == "2025-03-20"
    historie = session.exec(
        select(DoorverwijzingStatus).where(
            DoorverwijzingStatus.doorverwijzing_id == uuid.UUID(data["doorverwijzingen"][0]["id"])
        )
    ).all()
    assert [h.status_datum for h in historie] == [date(2025, 3, 20)]


def test_later_date_refused_when_a_child_lies_between(
    client: TestClient, session: Session, omgeving: Omgeving
) -> None:
    record = registreer(client, omgeving)
    verwijzing_id = record["doorverwijzingen"][0]["id"]
    assert (
        client.patch(
            f"/v1/doorverwijzingen/{verwijzing_id}",
            json={"status": "aangekomen", "statusDatum": "2025-03-16"},
            headers=omgeving.headers,
        ).status_code
        == 200
    )
    voor = tel_rijen(session)
    response = patch(client, omgeving, record["id"], {"datum": "2025-03-20"})
    assert response.status_code == 400
    assert namen(response) == {"datum"}
    assert tel_rijen(session) == voor
    # An earlier date leaves every child after it: fine.
    assert patch(client, omgeving, record["id"], {"datum": "2025-03-10"}).status_code == 200
    assert session.exec(
        select(Uitkomst).where(Uitkomst.contactmoment_id == uuid.UUID(record["id"]))
    ).one().datum == date(2025, 3, 14)


def test_extern_id_in_use_is_409(client: TestClient, omgeving: Omgeving) -> None:
    eerste = registreer(client, omgeving, externId="crm-1")
    tweede = registreer(client, omgeving, externId="crm-2")
    response = patch(client, omgeving, tweede["id"], {"externId": "crm-1"})
    assert response.status_code == 409
    assert response.json()["bestaandId"] == eerste["id"]


def test_no_real_change_writes_nothing(
    client: TestClient, session: Session, omgeving: Omgeving
) -> None:
    record = registreer(client, omgeving)
    voor = tel_rijen(session)
    response = patch(
        client,
        omgeving,
        record["id"],
        {"duurMinuten": 45, "onderwerpen": list(reversed(record["onderwerpen"]))},
    )
    assert response.status_code == 200
    assert response.json()["gewijzigdOp"] == record["gewijzigdOp"]
    assert tel_rijen(session) == voor


def test_retry_of_the_original_post_after_a_correction_is_409(
    client: TestClient, omgeving: Omgeving
) -> None:
    data = body(omgeving)
    record = client.post(URL, json=data, headers=omgeving.headers).json()
    assert patch(client, omgeving, record["id"], {"duurMinuten": 50}).status_code == 200
    retry = client.post(URL, json=data, headers=omgeving.headers)
    assert retry.status_code == 409
    assert retry.json()["bestaandId"] == record["id"]


def test_correcting_back_restores_a_safe_retry(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    """The fingerprint of the stored record equals the one of the equivalent post."""
    data = body(omgeving)
    record = client.post(URL, json=data, headers=omgeving.headers).json()
    assert patch(client, omgeving, record["id"], {"duurMinuten": 50}).status_code == 200
    assert patch(client, omgeving, record["id"], {"duurMinuten": 45}).status_code == 200
    voor = tel_rijen(session)
    retry = client.post(URL, json=data, headers=omgeving.headers)
    assert retry.status_code == 200, retry.text
    # Answered with the stored record as corrected back, and nothing new stored.
    assert retry.json()["id"] == record["id"] and retry.json()["duurMinuten"] == 45
    assert retry.json() == client.get(f"{URL}/{record['id']}", headers=omgeving.headers).json()
    assert tel_rijen(session) == voor


def test_other_organisation_cannot_patch_or_delete(
    client: TestClient, session: Session, omgeving: Omgeving, andere: Omgeving
) -> None:
    theirs = make_contactmoment(session, andere.organisatie, andere.sleutelpersoon)
    session.commit()
    assert patch(client, omgeving, str(theirs.id), {"duurMinuten": 5}).status_code == 404
    assert client.delete(f"{URL}/{theirs.id}", headers=omgeving.headers).status_code == 404
    session.refresh(theirs)
    assert theirs.verwijderd_op is None and theirs.duur_minuten is None


def test_soft_delete(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    record = registreer(client, omgeving)
    blijft = registreer(client, omgeving)
    response = client.delete(f"{URL}/{record['id']}", headers=omgeving.headers)
    assert response.status_code == 204
    assert response.content == b""

    assert client.get(f"{URL}/{record['id']}", headers=omgeving.headers).status_code == 404
    assert patch(client, omgeving, record["id"], {"duurMinuten": 5}).status_code == 404
    assert client.delete(f"{URL}/{record['id']}", headers=omgeving.headers).status_code == 404
    assert [r["id"] for r in client.get(URL, headers=omgeving.headers).json()] == [blijft["id"]]
    verwijzing = record["doorverwijzingen"][0]["id"]
    assert (
        client.get(f"/v1/doorverwijzingen/{verwijzing}", headers=omgeving.headers).status_code
        == 404
    )
    assert verwijzing not in [
        d["id"] for d in client.get("/v1/doorverwijzingen", headers=omgeving.headers).json()
    ]
    assert (
        client.get(
            f"/v1/uitkomsten/{record['uitkomst']['id']}", headers=omgeving.headers
        ).status_code
        == 404
    )
    assert record["uitkomst"]["id"] not in [
        u["id"] for u in client.get("/v1/uitkomsten", headers=omgeving.headers).json()
    ]

    stored = session.get(Contactmoment, uuid.UUID(record["id"]))
    assert stored is not None and stored.verwijderd_op is not None
    assert stored.gewijzigd_op == stored.verwijderd_op
    [regel] = audit_regels(session, actie="verwijderd")
    assert (regel.resource_type, regel.resource_id) == ("contactmoment", record["id"])


def test_inzien_key_cannot_write(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    from tests.factories import make_key

    record = registreer(client, omgeving)
    inzien = make_key(session, organisatie=omgeving.organisatie, scopes=("inzien",))
    session.commit()
    assert (
        client.patch(f"{URL}/{record['id']}", json={"duurMinuten": 5}, headers=inzien).status_code
        == 403
    )
    assert client.delete(f"{URL}/{record['id']}", headers=inzien).status_code == 403
