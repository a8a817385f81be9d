"""Topic rows and referrals carry their contact's date, gemeente, organisation, key person and
deletion mark (migration 0032, issue 29): the copies are equal to the contact after every write
path, in the same transaction, and the help-question and referral figures follow them at once."""

import uuid
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from app.contactmomenten.afgeleid import DOORVERWIJZING, ONDERWERP
from app.core.periods import jaar
from app.indicatoren.catalogue import INDICATOREN
from app.indicatoren.service import Verzoek, bereken
from app.models import Contactmoment, ContactmomentOnderwerp, Doorverwijzing
from app.toegang.caller import Binding, Caller, Scope
from tests.factories import (
    Omgeving,
    body,
    make_contactmoment,
    make_ketenpartner,
    make_omgeving,
    make_sleutelpersoon,
)

URL = "/v1/contactmomenten"


@pytest.fixture
def omgeving(session: Session) -> Omgeving:
    """An organisation working in two gemeenten, so a correction can move a contact between them."""
    result = make_omgeving(session, gemeentecodes=["GM0344", "GM0307"])
    session.commit()
    return result


def _kopieen_kloppen(session: Session, contactmoment_id: uuid.UUID) -> tuple[int, int]:
    """Assert every child row's copies equal its contact's columns; return the numbers of rows checked."""
    session.expire_all()
    contact = session.get(Contactmoment, contactmoment_id)
    assert contact is not None
    aantallen = []
    for model, kopie in ((ContactmomentOnderwerp, ONDERWERP), (Doorverwijzing, DOORVERWIJZING)):
        tabel = model.__table__  # type: ignore[attr-defined]
        rijen = session.execute(tabel.select().where(tabel.c.contactmoment_id == contactmoment_id)).mappings().all()
        for rij in rijen:
            for kolom, bron in kopie.items():
                assert rij[kolom] == getattr(contact, bron), (tabel.name, kolom)
            if model is Doorverwijzing:
                assert rij["organisatie_id"] == contact.organisatie_id
        aantallen.append(len(rijen))
    return aantallen[0], aantallen[1]


def _post(client: TestClient, omgeving: Omgeving, **overrides: Any) -> uuid.UUID:
    response = client.post(URL, json=body(omgeving, **overrides), headers=omgeving.headers)
    assert response.status_code == 201, response.text
    return uuid.UUID(response.json()["id"])


def test_post_patch_and_delete_keep_the_copies_equal(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    contact_id = _post(client, omgeving)
    assert _kopieen_kloppen(session, contact_id) == (2, 1)

    # A correction of the date, the gemeente and the key person: the children follow in the same request.
    ander = make_sleutelpersoon(session, omgeving.organisatie)
    session.commit()
    response = client.patch(f"{URL}/{contact_id}", headers=omgeving.headers, json={
        "datum": "2025-02-03", "gemeentecode": "GM0307", "wijkcode": None, "sleutelpersoonId": str(ander.id),
        "onderwerpen": ["geld.toeslagen", "overig"],
    })
    assert response.status_code == 200, response.text
    assert _kopieen_kloppen(session, contact_id) == (2, 1)
    rij = session.execute(text("SELECT contact_datum, contact_gemeentecode FROM contactmoment_onderwerp "
                               "WHERE onderwerp = 'overig'")).one()  # the new topic row, filled by the database
    assert (str(rij[0]), rij[1]) == ("2025-02-03", "GM0307")

    assert client.delete(f"{URL}/{contact_id}", headers=omgeving.headers).status_code == 204
    assert _kopieen_kloppen(session, contact_id) == (2, 1)
    verwijderd = session.execute(text("SELECT count(*) FROM contactmoment_onderwerp WHERE contact_verwijderd_op "
                                      "IS NOT NULL")).scalar()
    assert verwijderd == 2


def test_a_writer_that_sends_no_copies_gets_them_from_the_database(session: Session, omgeving: Omgeving) -> None:
    """The ORM, the demo and any future writer may leave the copies out: the database fills them."""
    contact = make_contactmoment(session, omgeving.organisatie, omgeving.sleutelpersoon)
    voor = _kopieen_kloppen(session, contact.id)  # the factory's own rows, through the ORM
    session.add(ContactmomentOnderwerp(contactmoment_id=contact.id, onderwerp="zorg.huisarts"))
    partner = make_ketenpartner(session, omgeving.organisatie)
    session.add(Doorverwijzing(organisatie_id=omgeving.organisatie.id, contactmoment_id=contact.id,
                               ketenpartner_id=partner.id, wijze="warm", status="afgerond",
                               status_datum=date(2025, 3, 14)))
    session.flush()
    session.execute(ContactmomentOnderwerp.__table__.insert(),  # type: ignore[attr-defined]
                    [{"contactmoment_id": contact.id, "onderwerp": "overig"}])
    assert _kopieen_kloppen(session, contact.id) == (voor[0] + 2, voor[1] + 1)


def test_the_triggers_exist(session: Session) -> None:
    """Alembic's batch mode on SQLite copies a table and drops its triggers: a later migration must
    re-create them (migration 0032, `maak_triggers`). This fails if one is missing."""
    namen = {"contactmoment_onderwerp_contact_vullen", "doorverwijzing_contact_vullen", "contactmoment_kinderen_bijwerken"}
    if session.get_bind().dialect.name == "postgresql":
        gevonden = set(session.execute(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")).scalars())
    else:
        gevonden = set(session.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars())
    assert namen <= gevonden


def _regio(*codes: str) -> Caller:
    return Caller(sleutel_id=None, scopes=frozenset({Scope.rapporteren}), binding=Binding.regio, gemeentecodes=codes)


def test_figures_follow_a_correction_and_a_delete_in_the_next_query(
    client: TestClient, session: Session, omgeving: Omgeving,
) -> None:
    """Fresh: help questions and referrals read the copies, so a correction moves a contact between
    gemeenten and a delete takes it out, in the very next query (organisation key: exact figures)."""
    eigen = Caller(sleutel_id=None, scopes=frozenset({Scope.rapporteren}), binding=Binding.organisatie,
                   organisatie_id=omgeving.organisatie.id)

    def hulpvragen(gemeente: str) -> int:
        verzoek = Verzoek(indicator=INDICATOREN["aantal-hulpvragen"], periode=jaar(2025), interval=None,
                          groeperen_op=(), filters={"gemeente": (gemeente,)})
        resultaat = bereken(session, caller=eigen, verzoek=verzoek, drempel=5, max_rijen=100)
        return int(resultaat.rijen[0].waarde or 0)

    def verwijzingen(gemeente: str) -> int:
        verzoek = Verzoek(indicator=INDICATOREN["aantal-doorverwijzingen"], periode=jaar(2025), interval=None,
                          groeperen_op=(), filters={"gemeente": (gemeente,)})
        resultaat = bereken(session, caller=eigen, verzoek=verzoek, drempel=5, max_rijen=100)
        return int(resultaat.rijen[0].waarde or 0)

    contact_id = _post(client, omgeving, datum="2025-05-01")
    assert (hulpvragen("GM0344"), verwijzingen("GM0344"), hulpvragen("GM0307")) == (2, 1, 0)
    response = client.patch(f"{URL}/{contact_id}", headers=omgeving.headers,
                            json={"gemeentecode": "GM0307", "wijkcode": None})
    assert response.status_code == 200, response.text
    assert (hulpvragen("GM0344"), verwijzingen("GM0344"), hulpvragen("GM0307"), verwijzingen("GM0307")) == (0, 0, 2, 1)
    assert client.delete(f"{URL}/{contact_id}", headers=omgeving.headers).status_code == 204
    assert (hulpvragen("GM0307"), verwijzingen("GM0307")) == (0, 0)
