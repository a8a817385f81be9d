"""The scan that runs after every test (tests/privacyscan.py) does find what it looks for."""

import logging
import uuid

from sqlmodel import Session

from app.contactmomenten import inhoud
from app.core.security import new_token
from app.models import Organisatie
from tests import privacyscan


def test_the_database_scan_finds_a_reference_a_bsn_and_a_token(session: Session) -> None:
    inhoud.referentie_hash(organisatie_id=uuid.uuid4(), referentie="R-98765")
    assert "R-98765" in privacyscan.REFERENTIES
    token, _, _ = new_token()
    opgeslagen = {"bsn": "Fatima 111-222-333", "referentie": "voor R-98765 gebeld", "token": f"sleutel {token}"}
    savepoint = session.begin_nested()
    # Straight into the table: the API itself refuses all three.
    session.add_all([Organisatie(naam=naam, soort="ggd", gemeentecodes=[]) for naam in opgeslagen.values()])
    session.flush()
    meldingen = privacyscan.scan_database(session.connection())
    savepoint.rollback()
    assert sorted(m.split(" in ")[0] for m in meldingen) == [
        "organisatie.naam: BSN", "organisatie.naam: referentie", "organisatie.naam: token"
    ]


def test_random_ids_and_digests_are_not_taken_for_a_bsn() -> None:
    # 0000-0001-1122-2333 style runs in UUIDs, and digit runs in hex digests, are chance, not data.
    assert privacyscan.vondsten("6f0c1a2e-1112-4223-8333-000111222333 " + "0" * 20 + "111222333" + "a" * 35) == []
    assert privacyscan.vondsten("rij 111222333") == ["BSN"]


def test_the_log_scan_finds_a_bsn_in_a_record(_privacyscan_opnemen: privacyscan.Logscan) -> None:
    logging.getLogger("app.test").error("waarde %s", "111222333")
    assert [m.split(":")[0] for m in _privacyscan_opnemen.neem()] == ["log app.test"]
