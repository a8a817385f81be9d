"""POST /v1/contactmomenten/{id}/doorverwijzingen: a referral added later, with the rules of a contact's own referrals."""

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.codelijsten import service as codelijsten
from app.toegang.caller import cli_caller
from tests.factories import Omgeving, body, make_contactmoment, make_ketenpartner
from tests.helpers import assert_400, assert_problem, audit_regels


def _contact(client: TestClient, omgeving: Omgeving, **overrides: Any) -> dict[str, Any]:
    created = client.post("/v1/contactmomenten", json=body(omgeving, doorverwijzingen=[], **overrides), headers=omgeving.headers)
    assert created.status_code == 201, created.text
    return created.json()


def _verwijzing(omgeving: Omgeving, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"ketenpartnerId": str(omgeving.ketenpartner.id), "onderwerp": "geld.toeslagen", "wijze": "warm"}
    data.update(overrides)
    return data


def test_before_a_referral_could_only_come_with_a_new_contact(client: TestClient, omgeving: Omgeving) -> None:
    """The gap of issue 23: a re-post with the referral is a 409 (and PATCH refuses the field); it now points here."""
    contact = _contact(client, omgeving)
    opnieuw = body(omgeving, externId=contact["externId"], doorverwijzingen=[_verwijzing(omgeving)])
    conflict = assert_problem(client.post("/v1/contactmomenten", json=opnieuw, headers=omgeving.headers), 409)
    assert f"/v1/contactmomenten/{contact['id']}/doorverwijzingen" in conflict["detail"]
    assert_400(client.patch(f"/v1/contactmomenten/{contact['id']}", json={"doorverwijzingen": [_verwijzing(omgeving)]},
                            headers=omgeving.headers), ["doorverwijzingen"])


def test_add_a_referral_to_an_existing_contact(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    h = omgeving.headers
    contact = _contact(client, omgeving)
    url = f"/v1/contactmomenten/{contact['id']}/doorverwijzingen"
    voor = client.get(f"/v1/contactmomenten/{contact['id']}", headers=h)

    created = client.post(url, json=_verwijzing(omgeving, statusDatum="2025-03-20"), headers=h)
    assert created.status_code == 201, created.text
    verwijzing = created.json()
    assert created.headers["Location"] == f"/v1/doorverwijzingen/{verwijzing['id']}"
    assert (verwijzing["contactmomentId"], verwijzing["status"], verwijzing["statusDatum"]) == (contact["id"], "verwezen", "2025-03-20")
    assert [h_["status"] for h_ in verwijzing["historie"]] == ["verwezen"]
    # The contact posted again with its referral is now a safe retry, not a conflict.
    geheel = body(omgeving, externId=contact["externId"], doorverwijzingen=[_verwijzing(omgeving, statusDatum="2025-03-20")])
    herhaald = client.post("/v1/contactmomenten", json=geheel, headers=h)
    assert herhaald.status_code == 200, herhaald.text
    # Its ETag is the referral's own, ready for a PATCH of its status.
    los = client.get(f"/v1/doorverwijzingen/{verwijzing['id']}", headers=h)
    assert los.headers["ETag"] == created.headers["ETag"]
    assert client.patch(f"/v1/doorverwijzingen/{verwijzing['id']}", json={"status": "aangekomen"},
                        headers={**h, "If-Match": los.headers["ETag"]}).status_code == 200

    na = client.get(f"/v1/contactmomenten/{contact['id']}", headers=h)
    assert [d["id"] for d in na.json()["doorverwijzingen"]] == [verwijzing["id"]]
    assert na.headers["ETag"] != voor.headers["ETag"]
    assert na.json()["gewijzigdOp"] > voor.json()["gewijzigdOp"]
    assert [r.actie for r in audit_regels(session, resource_type="doorverwijzing", resource_id=verwijzing["id"])][:1] == ["aangemaakt"]


def test_the_rules_of_a_contacts_referrals_all_at_once(client: TestClient, session: Session, omgeving: Omgeving, andere: Omgeving) -> None:
    contact = _contact(client, omgeving)
    url = f"/v1/contactmomenten/{contact['id']}/doorverwijzingen"
    fout = _verwijzing(andere, onderwerp="wonen.energie", wijze="per-post", status="zoek", statusDatum="2025-03-01")
    redenen = assert_400(client.post(url, json=fout, headers=omgeving.headers),
                         ["ketenpartnerId", "onderwerp", "wijze", "status", "statusDatum"])
    assert "geld.toeslagen" in redenen["onderwerp"]  # names the contact's topics to choose from
    assert_400(client.post(url, json=_verwijzing(omgeving, statusDatum="2999-01-01"), headers=omgeving.headers), ["statusDatum"])
    assert_400(client.post(url, json=_verwijzing(omgeving, onbekend=1), headers=omgeving.headers), ["onbekend"])
    # The free-text guard covers every string.
    bsn = client.post(url, json=_verwijzing(omgeving, externId="111222333"), headers=omgeving.headers)
    assert_400(bsn, ["externId"])
    assert "111222333" not in bsn.text
    assert client.get(f"/v1/contactmomenten/{contact['id']}", headers=omgeving.headers).json()["doorverwijzingen"] == []


def test_a_code_the_contact_had_before_it_was_deactivated_does_not_block_the_referral(
    client: TestClient, session: Session, omgeving: Omgeving
) -> None:
    contact = _contact(client, omgeving, kanaal="spreekuur")
    codelijsten.update_code(session, caller=cli_caller(), lijst=codelijsten.KANAAL, code="spreekuur", changes={"actief": False})
    session.commit()
    created = client.post(f"/v1/contactmomenten/{contact['id']}/doorverwijzingen", json=_verwijzing(omgeving), headers=omgeving.headers)
    assert created.status_code == 201, created.text


def test_extern_id_makes_a_retry_safe_also_with_an_older_if_match(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    h = omgeving.headers
    contact = _contact(client, omgeving)
    url = f"/v1/contactmomenten/{contact['id']}/doorverwijzingen"
    etag = client.get(f"/v1/contactmomenten/{contact['id']}", headers=h).headers["ETag"]
    data = _verwijzing(omgeving, externId="app-verwijzing-1")
    eerste = client.post(url, json=data, headers={**h, "If-Match": etag})
    assert eerste.status_code == 201, eerste.text
    # The response was lost; the device sends the same again, with the version it had.
    opnieuw = client.post(url, json=data, headers={**h, "If-Match": etag})
    assert opnieuw.status_code == 200 and opnieuw.json()["id"] == eerste.json()["id"]
    assert opnieuw.json()["externId"] == "app-verwijzing-1"
    anders = client.post(url, json=data | {"wijze": "informatief"}, headers=h)
    assert assert_problem(anders, 409)["bestaandId"] == eerste.json()["id"]
    # A new referral with the stale version is refused: the contact changed since.
    assert_problem(client.post(url, json=_verwijzing(omgeving), headers={**h, "If-Match": etag}), 412)
    assert len(client.get(f"/v1/contactmomenten/{contact['id']}", headers=h).json()["doorverwijzingen"]) == 1
    assert len(audit_regels(session, resource_type="doorverwijzing", actie="aangemaakt")) == 1


def test_another_organisations_or_a_deleted_contact_is_404(client: TestClient, session: Session, omgeving: Omgeving, andere: Omgeving) -> None:
    van_b = _contact(client, andere)
    assert_problem(client.post(f"/v1/contactmomenten/{van_b['id']}/doorverwijzingen", json=_verwijzing(omgeving), headers=omgeving.headers), 404)
    contact = _contact(client, omgeving)
    assert client.delete(f"/v1/contactmomenten/{contact['id']}", headers=omgeving.headers).status_code == 204
    assert_problem(client.post(f"/v1/contactmomenten/{contact['id']}/doorverwijzingen", json=_verwijzing(omgeving), headers=omgeving.headers), 404)
    # And another organisation's partner is unknown, as elsewhere.
    partner_b = make_ketenpartner(session, andere.organisatie)
    session.commit()
    eigen = _contact(client, omgeving)
    assert_400(client.post(f"/v1/contactmomenten/{eigen['id']}/doorverwijzingen", json=_verwijzing(omgeving, ketenpartnerId=str(partner_b.id)),
                           headers=omgeving.headers), ["ketenpartnerId"])


def test_a_stored_contact_that_no_longer_meets_the_schema_asks_for_a_correction_first(
    client: TestClient, session: Session, omgeving: Omgeving
) -> None:
    oud = make_contactmoment(session, omgeving.organisatie, omgeving.sleutelpersoon, duur_minuten=5000)
    session.commit()
    conflict = assert_problem(client.post(f"/v1/contactmomenten/{oud.id}/doorverwijzingen", json=_verwijzing(omgeving),
                                          headers=omgeving.headers), 409)
    assert "duurMinuten" in conflict["detail"] and "PATCH" in conflict["detail"]
