"""POST /v1/contactmomenten: validation, one transaction, idempotency by externId, pseudonymisation."""

import json
import uuid
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select, update

from app.contactmomenten import service
from app.core.config import get_settings
from app.core.security import pseudonymise
from app.core.validation import vandaag
from app.models import Code, Contactmoment, Doorverwijzing, DoorverwijzingStatus, Uitkomst
from tests.factories import Omgeving, body, make_key
from tests.helpers import assert_problem, audit_regels, namen, tel_rijen

URL = "/v1/contactmomenten"


def post(client: TestClient, omgeving: Omgeving, data: dict[str, Any]) -> Any:
    return client.post(URL, json=data, headers=omgeving.headers)


def assert_400(response: Any, *names: str) -> None:
    problem = assert_problem(response, 400, "Ongeldige invoer")
    assert namen(response) == set(names), problem["invalidParams"]


def verwijzing_aangemaakt(record: dict[str, Any]) -> str:
    return record["doorverwijzingen"][0]["aangemaaktOp"]


# --- The happy path --------------------------------------------------------------------------


def test_registers_full_contactmoment_with_children(
    client: TestClient, session: Session, omgeving: Omgeving
) -> None:
    data = body(omgeving)
    response = post(client, omgeving, data)

    assert response.status_code == 201, response.text
    record = response.json()
    assert response.headers["Location"] == f"/v1/contactmomenten/{record['id']}"
    assert record["externId"] == data["externId"]
    assert record["sleutelpersoonId"] == str(omgeving.sleutelpersoon.id)
    assert record["datum"] == "2025-03-14"
    assert record["gemeentecode"] == "GM0344"
    assert record["wijkcode"] == "WK034401"
    assert record["soort"] == "individueel"
    assert record["aantalDeelnemers"] == 1
    assert record["heeftInwonerReferentie"] is True
    assert record["inwoner"] == {
        "leeftijdscategorie": "27-44",
        "geslacht": "vrouw",
        "taal": "ar",
        "doelgroep": "statushouder",
    }
    assert record["rol"] == "bemiddelaar"
    assert record["duurMinuten"] == 45
    assert sorted(record["onderwerpen"]) == ["geld.toeslagen", "zorg.zorgverzekering"]
    assert sorted(record["acties"]) == ["afspraak-gemaakt", "uitleg-brief"]
    [verwijzing] = record["doorverwijzingen"]
    assert verwijzing["ketenpartnerId"] == str(omgeving.ketenpartner.id)
    assert verwijzing["status"] == "verwezen"
    assert verwijzing["statusDatum"] == "2025-03-14"  # defaults to the contact's date
    assert verwijzing["contactmomentId"] == record["id"]
    assert record["uitkomst"]["resultaat"] == "doorverwezen"
    assert record["uitkomst"]["datum"] == "2025-03-14"
    assert record["aangemaaktOp"].endswith("Z") or "+00:00" in record["aangemaaktOp"]
    assert record["gewijzigdOp"] == record["aangemaaktOp"] == verwijzing_aangemaakt(record)

    # The initial status is the first history row; the uitkomst is its own row.
    historie = session.exec(
        select(DoorverwijzingStatus).where(
            DoorverwijzingStatus.doorverwijzing_id == uuid.UUID(verwijzing["id"])
        )
    ).all()
    assert [(h.status, h.status_datum.isoformat()) for h in historie] == [
        ("verwezen", "2025-03-14")
    ]
    assert (
        session.exec(select(Uitkomst).where(Uitkomst.contactmoment_id == uuid.UUID(record["id"])))
        .one()
        .resultaat
        == "doorverwezen"
    )

    [regel] = audit_regels(session, resource_type="contactmoment")
    assert regel.actie == "aangemaakt"
    assert regel.resource_id == record["id"]
    assert regel.organisatie_id == omgeving.organisatie.id
    assert {"onderwerpen", "doorverwijzingen", "inwonerReferentie", "uitkomst"} <= set(regel.velden)


def test_minimal_body_gets_defaults(client: TestClient, omgeving: Omgeving) -> None:
    data = {
        "sleutelpersoonId": str(omgeving.sleutelpersoon.id),
        "datum": "2025-03-14",
        "gemeentecode": "GM0344",
        "kanaal": "telefonisch",
        "onderwerpen": ["overig"],
    }
    response = post(client, omgeving, data)
    assert response.status_code == 201, response.text
    record = response.json()
    assert record["externId"] is None
    assert record["soort"] == "individueel"
    assert record["aantalDeelnemers"] == 1
    assert record["heeftInwonerReferentie"] is False
    assert record["inwoner"] == {
        "leeftijdscategorie": None,
        "geslacht": None,
        "taal": None,
        "doelgroep": None,
    }
    assert (
        record["acties"] == [] and record["doorverwijzingen"] == [] and record["uitkomst"] is None
    )


def test_group_session(client: TestClient, omgeving: Omgeving) -> None:
    data = body(
        omgeving,
        soort="groep",
        aantalDeelnemers=14,
        kanaal="groepsbijeenkomst",
        inwonerReferentie=None,
        inwoner=None,
        doorverwijzingen=[],
        uitkomst=None,
    )
    response = post(client, omgeving, data)
    assert response.status_code == 201, response.text
    assert response.json()["aantalDeelnemers"] == 14
    assert response.json()["heeftInwonerReferentie"] is False


def test_language_code_is_normalised(client: TestClient, omgeving: Omgeving) -> None:
    data = body(omgeving, inwoner={"taal": "TIR"})
    response = post(client, omgeving, data)
    assert response.status_code == 201, response.text
    assert response.json()["inwoner"]["taal"] == "tir"


# --- Pseudonymisation ------------------------------------------------------------------------


def test_reference_is_stored_only_as_keyed_hash_and_never_returned(
    client: TestClient, session: Session, omgeving: Omgeving, andere: Omgeving
) -> None:
    response = post(client, omgeving, body(omgeving, inwonerReferentie="client-8841"))
    assert response.status_code == 201
    stored = session.get(Contactmoment, uuid.UUID(response.json()["id"]))
    assert stored is not None and stored.inwoner_hash is not None
    assert stored.inwoner_hash != "client-8841"
    assert stored.inwoner_hash == pseudonymise(
        get_settings().secret_key, omgeving.organisatie.id, "client-8841"
    )
    assert len(stored.inwoner_hash) == 64

    for text in (
        response.text,
        client.get(f"{URL}/{stored.id}", headers=omgeving.headers).text,
        client.get(URL, headers=omgeving.headers).text,
    ):
        assert "client-8841" not in text
        assert stored.inwoner_hash not in text
        assert "inwonerReferentie" not in text
        assert "inwonerHash" not in text and "inwoner_hash" not in text
        assert stored.inhoud_hash not in text

    # The same client number in another organisation is another pseudonym: reach is counted per organisation.
    other = post(client, andere, body(andere, inwonerReferentie="client-8841"))
    other_hash = session.get(Contactmoment, uuid.UUID(other.json()["id"]))
    assert other_hash is not None and other_hash.inwoner_hash != stored.inwoner_hash


@pytest.mark.parametrize("bsn", ["123456782", "1234.56.782", "123 456 782", "bsn-123456782"])
def test_bsn_is_refused(client: TestClient, session: Session, omgeving: Omgeving, bsn: str) -> None:
    voor = tel_rijen(session)
    response = post(client, omgeving, body(omgeving, inwonerReferentie=bsn))
    assert_400(response, "inwonerReferentie")
    reason = response.json()["invalidParams"][0]["reason"]
    assert "BSN" in reason and "cliëntnummer" in reason
    assert tel_rijen(session) == voor


def test_nine_digits_failing_the_elfproef_are_accepted(
    client: TestClient, omgeving: Omgeving
) -> None:
    response = post(client, omgeving, body(omgeving, inwonerReferentie="123456789"))
    assert response.status_code == 201, response.text


# --- Validation: one rule at a time ----------------------------------------------------------

MORGEN = (vandaag() + timedelta(days=1)).isoformat()


def _doorverwijzing(omgeving: Omgeving, **changes: Any) -> list[dict[str, Any]]:
    verwijzing = {
        "ketenpartnerId": str(omgeving.ketenpartner.id),
        "onderwerp": "geld.toeslagen",
        "wijze": "warm",
    }
    verwijzing.update(changes)
    return [verwijzing]


RULES: list[tuple[str, Any, str]] = [
    ("geen onderwerpen", lambda o: {"onderwerpen": []}, "onderwerpen"),
    ("onderwerpen ontbreekt", lambda o: {"onderwerpen": None}, "onderwerpen"),
    ("dubbel onderwerp", lambda o: {"onderwerpen": ["overig", "overig"]}, "onderwerpen"),
    (
        "onbekend onderwerp",
        lambda o: {"onderwerpen": ["geld.toeslagen", "geld.loterij"]},
        "onderwerpen[1]",
    ),
    ("dubbele actie", lambda o: {"acties": ["nazorg", "nazorg"]}, "acties"),
    ("onbekende actie", lambda o: {"acties": ["getoverd"]}, "acties[0]"),
    ("onbekend kanaal", lambda o: {"kanaal": "fax"}, "kanaal"),
    ("onbekende soort", lambda o: {"soort": "familie"}, "soort"),
    ("onbekende rol", lambda o: {"rol": "baas"}, "rol"),
    (
        "onbekende leeftijdscategorie",
        lambda o: {"inwoner": {"leeftijdscategorie": "30-40"}},
        "inwoner.leeftijdscategorie",
    ),
    ("onbekend geslacht", lambda o: {"inwoner": {"geslacht": "x"}}, "inwoner.geslacht"),
    ("onbekende doelgroep", lambda o: {"inwoner": {"doelgroep": "toerist"}}, "inwoner.doelgroep"),
    ("onbekende taal", lambda o: {"inwoner": {"taal": "xx"}}, "inwoner.taal"),
    ("naam van inwoner", lambda o: {"inwoner": {"naam": "Fatima"}}, "inwoner.naam"),
    ("datum in de toekomst", lambda o: {"datum": MORGEN}, "datum"),
    ("datum voor 2000", lambda o: {"datum": "1999-12-31"}, "datum"),
    ("geen datum", lambda o: {"datum": "14-03-2025"}, "datum"),
    ("duur 0", lambda o: {"duurMinuten": 0}, "duurMinuten"),
    ("duur boven een etmaal", lambda o: {"duurMinuten": 1441}, "duurMinuten"),
    ("ongeldige gemeentecode", lambda o: {"gemeentecode": "GM344"}, "gemeentecode"),
    ("ongeldige wijkcode", lambda o: {"wijkcode": "WK34401"}, "wijkcode"),
    ("wijk buiten gemeente", lambda o: {"wijkcode": "WK036301"}, "wijkcode"),
    (
        "groep met 1 deelnemer",
        lambda o: {"soort": "groep", "aantalDeelnemers": 1, "inwonerReferentie": None},
        "aantalDeelnemers",
    ),
    (
        "groep met inwonerreferentie",
        lambda o: {"soort": "groep", "aantalDeelnemers": 8},
        "inwonerReferentie",
    ),
    ("individueel met 3 deelnemers", lambda o: {"aantalDeelnemers": 3}, "aantalDeelnemers"),
    ("externId leeg", lambda o: {"externId": "  "}, "externId"),
    ("externId te lang", lambda o: {"externId": "x" * 101}, "externId"),
    ("onbekend veld", lambda o: {"notitie": "mevrouw had het moeilijk"}, "notitie"),
    (
        "onbekende sleutelpersoon",
        lambda o: {"sleutelpersoonId": str(uuid.uuid4())},
        "sleutelpersoonId",
    ),
    (
        "onbekende ketenpartner",
        lambda o: {"doorverwijzingen": _doorverwijzing(o, ketenpartnerId=str(uuid.uuid4()))},
        "doorverwijzingen[0].ketenpartnerId",
    ),
    (
        "doorverwijzing over ander onderwerp",
        lambda o: {"doorverwijzingen": _doorverwijzing(o, onderwerp="wonen.energie")},
        "doorverwijzingen[0].onderwerp",
    ),
    (
        "onbekende wijze",
        lambda o: {"doorverwijzingen": _doorverwijzing(o, wijze="koud")},
        "doorverwijzingen[0].wijze",
    ),
    (
        "onbekende status",
        lambda o: {"doorverwijzingen": _doorverwijzing(o, status="zoek")},
        "doorverwijzingen[0].status",
    ),
    (
        "statusdatum voor contactdatum",
        lambda o: {"doorverwijzingen": _doorverwijzing(o, statusDatum="2025-03-13")},
        "doorverwijzingen[0].statusDatum",
    ),
    (
        "statusdatum in de toekomst",
        lambda o: {"doorverwijzingen": _doorverwijzing(o, statusDatum=MORGEN)},
        "doorverwijzingen[0].statusDatum",
    ),
    ("onbekend resultaat", lambda o: {"uitkomst": {"resultaat": "super"}}, "uitkomst.resultaat"),
]


@pytest.mark.parametrize(
    ("overrides", "name"), [(r[1], r[2]) for r in RULES], ids=[r[0] for r in RULES]
)
def test_each_rule_is_a_400_naming_the_field(
    client: TestClient, session: Session, omgeving: Omgeving, overrides: Any, name: str
) -> None:
    voor = tel_rijen(session)
    response = post(client, omgeving, body(omgeving, **overrides(omgeving)))
    assert_400(response, name)
    assert tel_rijen(session) == voor


def test_deactivated_code_is_refused(
    client: TestClient, session: Session, omgeving: Omgeving
) -> None:
    session.exec(
        update(Code).where(Code.lijst == "kanaal", Code.code == "video").values(actief=False)
    )  # type: ignore[call-overload]
    session.commit()
    session.info.pop("codelijsten.lookup", None)
    response = post(client, omgeving, body(omgeving, kanaal="video"))
    assert_400(response, "kanaal")
    assert "gedeactiveerd" in response.json()["invalidParams"][0]["reason"]


def test_all_database_and_cross_field_errors_at_once(
    client: TestClient, session: Session, omgeving: Omgeving, andere: Omgeving
) -> None:
    data = body(
        omgeving,
        sleutelpersoonId=str(andere.sleutelpersoon.id),
        kanaal="fax",
        wijkcode="WK036301",
        soort="groep",
        aantalDeelnemers=1,
        acties=["getoverd"],
        doorverwijzingen=[
            {
                "ketenpartnerId": str(omgeving.ketenpartner.id),
                "onderwerp": "geld.toeslagen",
                "wijze": "warm",
            },
            {
                "ketenpartnerId": str(andere.ketenpartner.id),
                "onderwerp": "wonen.energie",
                "wijze": "warm",
            },
        ],
        uitkomst={"resultaat": "super"},
    )
    voor = tel_rijen(session)
    response = post(client, omgeving, data)
    assert_400(
        response,
        "sleutelpersoonId",
        "kanaal",
        "wijkcode",
        "aantalDeelnemers",
        "inwonerReferentie",
        "acties[0]",
        "doorverwijzingen[1].ketenpartnerId",
        "doorverwijzingen[1].onderwerp",
        "uitkomst.resultaat",
    )
    assert response.json()["detail"].startswith("Het contactmoment bevat 9 fouten")
    assert tel_rijen(session) == voor


def test_all_field_errors_at_once(client: TestClient, omgeving: Omgeving) -> None:
    data = body(
        omgeving,
        datum=MORGEN,
        duurMinuten=0,
        onderwerpen=[],
        gemeentecode="0344",
        naam="Fatima",
        inwonerReferentie="123456782",
    )
    response = post(client, omgeving, data)
    assert_400(
        response, "datum", "duurMinuten", "onderwerpen", "gemeentecode", "naam", "inwonerReferentie"
    )


# --- Tenancy and the transaction -------------------------------------------------------------


def test_other_organisations_key_person_is_unknown_and_nothing_is_written(
    client: TestClient, session: Session, omgeving: Omgeving, andere: Omgeving
) -> None:
    voor = tel_rijen(session)
    response = post(
        client, omgeving, body(omgeving, sleutelpersoonId=str(andere.sleutelpersoon.id))
    )
    assert_400(response, "sleutelpersoonId")
    assert (
        response.json()["invalidParams"][0]["reason"]
        == f"Sleutelpersoon {andere.sleutelpersoon.id} bestaat niet."
    )
    assert tel_rijen(session) == voor


def test_other_organisations_partner_is_unknown_and_nothing_is_written(
    client: TestClient, session: Session, omgeving: Omgeving, andere: Omgeving
) -> None:
    voor = tel_rijen(session)
    verwijzingen = [
        {
            "ketenpartnerId": str(omgeving.ketenpartner.id),
            "onderwerp": "geld.toeslagen",
            "wijze": "warm",
        },
        {"ketenpartnerId": str(andere.ketenpartner.id), "wijze": "informatief"},
    ]
    response = post(client, omgeving, body(omgeving, doorverwijzingen=verwijzingen))
    assert_400(response, "doorverwijzingen[1].ketenpartnerId")
    assert "bestaat niet" in response.json()["invalidParams"][0]["reason"]
    assert tel_rijen(session) == voor


def test_failure_after_writing_rolls_everything_back(
    client: TestClient, session: Session, omgeving: Omgeving, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure after the rows were flushed (here: the audit trail) leaves no trace of the record."""
    voor = tel_rijen(session)

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("audit trail unavailable")

    monkeypatch.setattr(service.audit, "log_alle", broken)
    response = post(client, omgeving, body(omgeving))
    assert response.status_code == 500
    assert (
        response.json()["detail"] == "Er ging onverwacht iets mis; de wijziging is niet opgeslagen."
    )
    assert tel_rijen(session) == voor


def test_scopes(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    inzien = make_key(session, organisatie=omgeving.organisatie, scopes=("inzien",))
    regio = make_key(session, scopes=("rapporteren",), gemeentecodes=["GM0344"])
    session.commit()
    assert client.post(URL, json=body(omgeving), headers=inzien).status_code == 403
    assert client.post(URL, json=body(omgeving), headers=regio).status_code == 403
    assert client.post(URL, json=body(omgeving)).status_code == 401


# --- Idempotency by externId -----------------------------------------------------------------


def test_same_post_twice_is_a_safe_retry(
    client: TestClient, session: Session, omgeving: Omgeving
) -> None:
    data = body(omgeving)
    first = post(client, omgeving, data)
    assert first.status_code == 201
    na_eerste = tel_rijen(session)

    again = post(client, omgeving, data)
    assert again.status_code == 200, again.text
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["Location"] == first.headers["Location"]
    assert again.json() == first.json()
    assert tel_rijen(session) == na_eerste
    assert (
        session.exec(select(Contactmoment).where(Contactmoment.extern_id == data["externId"]))
        .all()
        .__len__()
        == 1
    )
    assert len(audit_regels(session, resource_type="contactmoment")) == 1


def test_retry_with_equivalent_content_is_the_same(client: TestClient, omgeving: Omgeving) -> None:
    """List order, defaults left out or written out, and whitespace do not change the content."""
    data = body(omgeving)
    first = post(client, omgeving, data)
    equivalent = json.loads(json.dumps(data))
    equivalent["onderwerpen"].reverse()
    equivalent["acties"].reverse()
    del equivalent["aantalDeelnemers"]
    equivalent["doorverwijzingen"][0]["statusDatum"] = data["datum"]
    equivalent["rol"] = " bemiddelaar "
    again = post(client, omgeving, equivalent)
    assert again.status_code == 200, again.text
    assert again.json()["id"] == first.json()["id"]


def test_same_extern_id_with_other_content_is_409_naming_the_record(
    client: TestClient, session: Session, omgeving: Omgeving
) -> None:
    data = body(omgeving)
    first = post(client, omgeving, data)
    na_eerste = tel_rijen(session)
    variants = [
        {**data, "duurMinuten": 50},
        {**data, "inwonerReferentie": "client-9999"},
        {k: v for k, v in data.items() if k != "uitkomst"},
    ]
    for variant in variants:
        response = post(client, omgeving, variant)
        assert response.status_code == 409, response.text
        problem = response.json()
        assert problem["title"] == "Conflict"
        assert problem["status"] == 409
        assert problem["bestaandId"] == first.json()["id"]
        assert data["externId"] in problem["detail"]
    assert tel_rijen(session) == na_eerste


def test_retry_still_succeeds_after_a_code_was_deactivated(
    client: TestClient, session: Session, omgeving: Omgeving
) -> None:
    data = body(omgeving, kanaal="video")
    first = post(client, omgeving, data)
    session.exec(
        update(Code).where(Code.lijst == "kanaal", Code.code == "video").values(actief=False)
    )  # type: ignore[call-overload]
    session.commit()
    session.info.pop("codelijsten.lookup", None)
    again = post(client, omgeving, data)
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]


def test_extern_id_is_unique_per_organisation_only(
    client: TestClient, session: Session, omgeving: Omgeving, andere: Omgeving
) -> None:
    a = post(client, omgeving, body(omgeving, externId="crm-1"))
    b = post(client, andere, body(andere, externId="crm-1"))
    assert a.status_code == 201 and b.status_code == 201
    assert a.json()["id"] != b.json()["id"]
    # Org B's retry finds its own record, never A's.
    retry = post(client, andere, body(andere, externId="crm-1"))
    assert retry.status_code == 200
    assert retry.json()["id"] == b.json()["id"]


def test_extern_id_of_a_deleted_record_stays_taken(client: TestClient, omgeving: Omgeving) -> None:
    data = body(omgeving)
    first = post(client, omgeving, data)
    assert client.delete(f"{URL}/{first.json()['id']}", headers=omgeving.headers).status_code == 204
    again = post(client, omgeving, data)
    assert again.status_code == 409
    assert again.json()["bestaandId"] == first.json()["id"]
    assert "verwijderd" in again.json()["detail"]


@pytest.mark.parametrize(("changes", "status"), [({}, 200), ({"duurMinuten": 99}, 409)])
def test_concurrent_insert_with_same_extern_id_is_answered_from_the_winner(
    client: TestClient,
    session: Session,
    omgeving: Omgeving,
    monkeypatch: pytest.MonkeyPatch,
    changes: dict[str, Any],
    status: int,
) -> None:
    """Two identical posts race: the loser's lookup saw nothing, its insert hits the unique index."""
    data = body(omgeving)
    winner = post(client, omgeving, data)
    na_winnaar = tel_rijen(session)
    real = service.zoek_extern_id
    calls: list[str] = []

    def too_early(session: Session, *, caller: Any, extern_id: str) -> Any:
        calls.append(extern_id)
        return None if len(calls) == 1 else real(session, caller=caller, extern_id=extern_id)

    monkeypatch.setattr(service, "zoek_extern_id", too_early)
    loser = post(client, omgeving, {**data, **changes})
    assert len(calls) == 2  # the first lookup missed, the re-read after the IntegrityError found it
    assert loser.status_code == status, loser.text
    if status == 200:
        assert loser.json()["id"] == winner.json()["id"]
    else:
        assert loser.json()["bestaandId"] == winner.json()["id"]
    assert tel_rijen(session) == na_winnaar


def test_embedded_rows_are_scoped_to_the_organisation(
    client: TestClient, session: Session, omgeving: Omgeving
) -> None:
    response = post(client, omgeving, body(omgeving))
    cm_id = uuid.UUID(response.json()["id"])
    verwijzing = session.exec(
        select(Doorverwijzing).where(Doorverwijzing.contactmoment_id == cm_id)
    ).one()
    uitkomst = session.exec(select(Uitkomst).where(Uitkomst.contactmoment_id == cm_id)).one()
    assert verwijzing.organisatie_id == omgeving.organisatie.id
    assert uitkomst.organisatie_id == omgeving.organisatie.id


def test_schema_and_rule_errors_come_in_one_400(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    """Format, code-list, ownership and cross-field errors together, not one kind per try."""
    voor = tel_rijen(session)
    data = body(
        omgeving, gemeentecode="0344", duurMinuten=-5, datum="2030-01-01", kanaal="whatsapp",
        onderwerpen=["geld.toeslag"], sleutelpersoonId=str(uuid.uuid4()), doorverwijzingen=None,
    )
    response = post(client, omgeving, data)
    assert_400(response, "gemeentecode", "duurMinuten", "datum", "kanaal", "onderwerpen[0]", "sleutelpersoonId")
    assert len(response.json()["invalidParams"]) == 6
    assert tel_rijen(session) == voor


def test_a_failed_field_skips_only_its_own_rules(client: TestClient, omgeving: Omgeving) -> None:
    """A group session with an invalid date still reports its participant count, and nothing about the date."""
    data = body(omgeving, datum="14-03-2025", soort="groep", aantalDeelnemers=1, inwonerReferentie=None)
    response = post(client, omgeving, data)
    assert_400(response, "datum", "aantalDeelnemers")
