"""The lock of approved periods: every write dated in one gets 409 (`code: periode-goedgekeurd`), naming the
period and how to reopen it; a write outside it goes through; erasure (AVG) still works and is recorded."""

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlmodel import Session, func, select

from app.imports import service as imports
from app.models import Contactmoment, RapportageHistorie
from app.rapportage import slot
from tests.factories import (
    DATUM,
    Omgeving,
    body,
    make_contactmoment,
    make_inzet,
    make_key,
    make_professioneel_contact,
)
from tests.helpers import assert_problem, audit_regels
from tests.imports.helpers import csv_bytes, fouten, maak_omgeving, rij
from tests.rapportage.factories import make_ritme, make_status

# DATUM (2025-03-14) lies in 2025Q1; 2025-04-14 in 2025Q2, which stays open.
BUITEN = "2025-04-14"


@pytest.fixture
def goedgekeurd(session: Session, omgeving: Omgeving) -> Any:
    ritme = make_ritme(session, [omgeving.organisatie])
    make_status(session, ritme, omgeving.organisatie, periode="2025Q1", status="goedgekeurd")
    return ritme


def _is_slot(response: Any) -> dict[str, Any]:
    probleem = assert_problem(response, 409, "Periode goedgekeurd")
    assert (probleem["code"], probleem["periodes"]) == (slot.CODE, ["2025Q1"])
    assert probleem["type"].endswith("/v1/problemen/periode-goedgekeurd")
    assert "/heropenen" in probleem["detail"]
    return probleem


def test_contactmoment_post_patch_delete(client: TestClient, session: Session, omgeving: Omgeving, goedgekeurd: Any) -> None:
    h = omgeving.headers
    _is_slot(client.post("/v1/contactmomenten", json=body(omgeving), headers=h))
    assert client.post("/v1/contactmomenten", json=body(omgeving, datum=BUITEN), headers=h).status_code == 201

    binnen = make_contactmoment(session, omgeving.organisatie, omgeving.sleutelpersoon)
    _is_slot(client.patch(f"/v1/contactmomenten/{binnen.id}", json={"duurMinuten": 50}, headers=h))
    _is_slot(client.delete(f"/v1/contactmomenten/{binnen.id}", headers=h))
    # Moving a record out of the approved period changes it too.
    _is_slot(client.patch(f"/v1/contactmomenten/{binnen.id}", json={"datum": BUITEN}, headers=h))
    # ... and into it.
    buiten = make_contactmoment(session, omgeving.organisatie, omgeving.sleutelpersoon, datum=date(2025, 4, 14))
    _is_slot(client.patch(f"/v1/contactmomenten/{buiten.id}", json={"datum": DATUM.isoformat()}, headers=h))
    assert client.patch(f"/v1/contactmomenten/{buiten.id}", json={"duurMinuten": 50}, headers=h).status_code == 200


def test_a_retry_of_a_stored_record_still_answers_200(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    data = body(omgeving)
    assert client.post("/v1/contactmomenten", json=data, headers=omgeving.headers).status_code == 201
    ritme = make_ritme(session, [omgeving.organisatie])
    make_status(session, ritme, omgeving.organisatie, periode="2025Q1", status="goedgekeurd")
    assert client.post("/v1/contactmomenten", json=data, headers=omgeving.headers).status_code == 200


def test_children_of_a_locked_contactmoment(client: TestClient, session: Session, omgeving: Omgeving, goedgekeurd: Any) -> None:
    h = omgeving.headers
    cm = make_contactmoment(session, omgeving.organisatie, omgeving.sleutelpersoon,
                            doorverwijzingen=[{"ketenpartner": omgeving.ketenpartner, "status": "verwezen"}])
    verwijzing_id = client.get(f"/v1/contactmomenten/{cm.id}", headers=h).json()["doorverwijzingen"][0]["id"]
    _is_slot(client.patch(f"/v1/doorverwijzingen/{verwijzing_id}", json={"status": "aangekomen"}, headers=h))
    _is_slot(client.post(f"/v1/contactmomenten/{cm.id}/doorverwijzingen", headers=h, json={
        "ketenpartnerId": str(omgeving.ketenpartner.id), "onderwerp": "geld.toeslagen", "wijze": "warm", "status": "verwezen"}))
    _is_slot(client.post("/v1/uitkomsten", json={"contactmomentId": str(cm.id), "resultaat": "opgelost"}, headers=h))


def test_inzet_and_professional_contacts(client: TestClient, session: Session, omgeving: Omgeving, goedgekeurd: Any) -> None:
    h = omgeving.headers
    persoon = str(omgeving.sleutelpersoon.id)
    _is_slot(client.post("/v1/inzet", json={"sleutelpersoonId": persoon, "datum": DATUM.isoformat(), "uren": 2, "soort": "contacten"}, headers=h))
    assert client.post("/v1/inzet", json={"sleutelpersoonId": persoon, "datum": BUITEN, "uren": 2, "soort": "contacten"}, headers=h).status_code == 201
    inzet = make_inzet(session, omgeving.organisatie, omgeving.sleutelpersoon)
    _is_slot(client.patch(f"/v1/inzet/{inzet.id}", json={"uren": 3}, headers=h))
    _is_slot(client.delete(f"/v1/inzet/{inzet.id}", headers=h))

    contact_body = {"sleutelpersoonId": persoon, "datum": DATUM.isoformat(), "soort": "casusoverleg",
                    "aangevraagdDoor": {"soort": "gemeente", "gemeentecode": "GM0344"}, "aantalProfessionals": 3}
    _is_slot(client.post("/v1/professionele-contacten", json=contact_body, headers=h))
    contact = make_professioneel_contact(session, omgeving.organisatie, omgeving.sleutelpersoon)
    _is_slot(client.patch(f"/v1/professionele-contacten/{contact.id}", json={"aantalProfessionals": 5}, headers=h))
    _is_slot(client.delete(f"/v1/professionele-contacten/{contact.id}", headers=h))


def test_reopened_period_is_writable_again(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    ritme = make_ritme(session, [omgeving.organisatie])
    make_status(session, ritme, omgeving.organisatie, periode="2025Q1", status="goedgekeurd")
    regio = make_key(session, gemeentecodes=["GM0344"], scopes=("goedkeuren",))
    _is_slot(client.post("/v1/contactmomenten", json=body(omgeving), headers=omgeving.headers))
    pad = f"/v1/rapportageritmes/{ritme.id}/periodes/2025Q1/organisaties/{omgeving.organisatie.id}/heropenen"
    assert client.post(pad, headers=regio, json={"reden": "Late import"}).status_code == 200
    assert client.post("/v1/contactmomenten", json=body(omgeving), headers=omgeving.headers).status_code == 201


def test_another_organisations_approval_does_not_lock(client: TestClient, session: Session, omgeving: Omgeving, andere: Omgeving) -> None:
    ritme = make_ritme(session, [andere.organisatie])
    make_status(session, ritme, andere.organisatie, periode="2025Q1", status="goedgekeurd")
    assert client.post("/v1/contactmomenten", json=body(omgeving), headers=omgeving.headers).status_code == 201


def _tel(session: Session, organisatie_id: Any) -> int:
    return session.exec(select(func.count()).select_from(Contactmoment).where(Contactmoment.organisatie_id == organisatie_id)).one()


def test_import_atomic_refuses_the_file_with_the_rows_listed(session: Session) -> None:
    omgeving = maak_omgeving(session)
    ritme = make_ritme(session, [omgeving.organisatie])
    make_status(session, ritme, omgeving.organisatie, periode="2025Q1", status="goedgekeurd")
    bestand = csv_bytes([rij(Datum="14-4-2025"), rij(Datum="14-3-2025"), rij(Datum="15-4-2025"), rij(Datum="31-3-2025")])
    _, verslag = imports.voer_uit(session, caller=omgeving.caller, bron=bestand,
                                  opties=imports.Opties(formaat="csv"))
    assert (verslag.status, verslag.aangemaakt, verslag.afgewezen) == ("mislukt", 0, 2)
    gevonden = fouten(verslag)
    assert [(r, kolom) for r, kolom, _, _ in gevonden] == [(3, "Datum"), (5, "Datum")]
    assert all("2025Q1 is goedgekeurd" in reden for *_, reden in gevonden)
    assert _tel(session, omgeving.organisatie.id) == 0


def test_import_per_row_refuses_those_rows_and_lets_the_others_through(session: Session) -> None:
    omgeving = maak_omgeving(session)
    ritme = make_ritme(session, [omgeving.organisatie])
    make_status(session, ritme, omgeving.organisatie, periode="2025Q1", status="goedgekeurd")
    bestand = csv_bytes([rij(Datum="14-4-2025"), rij(Datum="14-3-2025"), rij(Datum="15-4-2025")])
    _, verslag = imports.voer_uit(session, caller=omgeving.caller, bron=bestand,
                                  opties=imports.Opties(formaat="csv", per_rij=True))
    assert (verslag.aangemaakt, verslag.afgewezen) == (2, 1)
    assert [(r, kolom) for r, kolom, _, _ in fouten(verslag)] == [(3, "Datum")]
    assert _tel(session, omgeving.organisatie.id) == 2


def test_the_bulk_check_is_one_query_per_batch(session: Session) -> None:
    """Counted, not timed: the lock check adds one statement to an import, whatever its size."""
    def statements(n: int) -> int:
        omgeving = maak_omgeving(session)
        ritme = make_ritme(session, [omgeving.organisatie])
        make_status(session, ritme, omgeving.organisatie, periode="2024Q1", status="goedgekeurd")
        bestand = csv_bytes([rij(Datum=f"{1 + i % 28}-4-2025", Cliëntnummer=f"C{i}") for i in range(n)])
        gezien: list[str] = []

        def tel(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            if "rapportagestatus" in statement:
                gezien.append(statement)

        verbinding = session.connection()
        event.listen(verbinding, "before_cursor_execute", tel)
        try:
            imports.voer_uit(session, caller=omgeving.caller, bron=bestand, opties=imports.Opties(formaat="csv"))
        finally:
            event.remove(verbinding, "before_cursor_execute", tel)
        return len(gezien)

    assert statements(3) == statements(60) == 1


def test_erasure_is_allowed_and_recorded_as_a_change(client: TestClient, session: Session, omgeving: Omgeving, goedgekeurd: Any) -> None:
    make_contactmoment(session, omgeving.organisatie, omgeving.sleutelpersoon, inwoner_referentie="client-77")
    make_contactmoment(session, omgeving.organisatie, omgeving.sleutelpersoon, inwoner_referentie="client-77",
                       datum=date(2025, 4, 2))
    antwoord = client.post("/v1/inwoners/_vergeet", json={"inwonerReferentie": "client-77"}, headers=omgeving.headers)
    assert antwoord.status_code == 200, antwoord.text
    [stap] = session.exec(select(RapportageHistorie)).all()
    assert (stap.actie, stap.status, stap.aantal) == ("gewijzigd-na-goedkeuring", "goedgekeurd", 1)
    assert audit_regels(session, resource_type="rapportageperiode", actie="gewijzigd-na-goedkeuring")
    # The region sees it on the period.
    regio = make_key(session, gemeentecodes=["GM0344"], scopes=("goedkeuren",))
    vak = client.get(f"/v1/rapportageritmes/{goedgekeurd.id}/periodes/2025Q1/organisaties/{omgeving.organisatie.id}",
                     headers=regio).json()
    assert vak["status"] == "goedgekeurd" and vak["wijzigingenNaGoedkeuring"] == 1
    assert vak["historie"][-1]["actie"] == "gewijzigd-na-goedkeuring"


def test_costs_in_an_approved_period(client: TestClient, session: Session, omgeving: Omgeving, goedgekeurd: Any) -> None:
    """Costs (/v1/kosten) follow the same lock: by day, and a month's cost by its first day."""
    h = omgeving.headers
    kosten = {"soort": "reiskosten", "bedrag": "12.50", "sleutelpersoonId": str(omgeving.sleutelpersoon.id)}
    _is_slot(client.post("/v1/kosten", json={**kosten, "datum": DATUM.isoformat()}, headers=h))
    _is_slot(client.post("/v1/kosten", json={**kosten, "periode": "2025-02"}, headers=h))
    buiten = client.post("/v1/kosten", json={**kosten, "datum": BUITEN}, headers=h)
    assert buiten.status_code == 201, buiten.text
    _is_slot(client.patch(f"/v1/kosten/{buiten.json()['id']}", json={"datum": DATUM.isoformat()}, headers=h))
    assert client.patch(f"/v1/kosten/{buiten.json()['id']}", json={"bedrag": "13.00"}, headers=h).status_code == 200
    assert client.delete(f"/v1/kosten/{buiten.json()['id']}", headers=h).status_code == 204
