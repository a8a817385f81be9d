"""The batched write path: the same rows as `registreer`, batches larger than one, and races."""

import uuid
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from app.contactmomenten import service as contactmomenten
from app.contactmomenten.schemas import ContactmomentCreate
from app.imports import bulk
from app.models import (
    AuditRegel,
    Contactmoment,
    ContactmomentActie,
    ContactmomentOnderwerp,
    Doorverwijzing,
    DoorverwijzingStatus,
    Uitkomst,
)
from tests.imports.helpers import Omgeving, importeer, ndjson_bytes


def _body(omgeving: Omgeving, extern_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "externId": extern_id, "sleutelpersoonId": str(omgeving.mays.id), "datum": "2025-03-14",
        "gemeentecode": "GM0344", "wijkcode": "WK034401", "kanaal": "huisbezoek", "inwonerReferentie": "client-7",
        "inwoner": {"leeftijdscategorie": "27-44", "geslacht": "vrouw", "taal": "ar", "doelgroep": "statushouder"},
        "rol": "bemiddelaar", "duurMinuten": 45, "onderwerpen": ["geld.toeslagen", "zorg.huisarts"],
        "acties": ["informatie-gegeven"],
        "doorverwijzingen": [{"ketenpartnerId": str(omgeving.uwv.id), "onderwerp": "geld.toeslagen", "wijze": "warm"}],
        "uitkomst": {"resultaat": "opgelost"}, **extra,
    }


def _opgeslagen(session: Session, extern_id: str, omgeving: Omgeving) -> dict[str, Any]:
    """Everything stored for one contactmoment, without ids and timestamps."""
    record = session.exec(
        select(Contactmoment).where(
            Contactmoment.organisatie_id == omgeving.organisatie.id, Contactmoment.extern_id == extern_id
        )
    ).one()
    kolommen = {k: v for k, v in record.model_dump().items() if k not in ("id", "extern_id", "aangemaakt_op", "gewijzigd_op", "record_key")}
    verwijzingen = session.exec(select(Doorverwijzing).where(Doorverwijzing.contactmoment_id == record.id)).all()
    statussen = session.exec(
        select(DoorverwijzingStatus.status, DoorverwijzingStatus.status_datum).where(
            DoorverwijzingStatus.doorverwijzing_id.in_([v.id for v in verwijzingen])  # type: ignore[attr-defined]
        )
    ).all()
    audit = session.exec(select(AuditRegel).where(AuditRegel.resource_id == str(record.id))).all()
    return {
        "contactmoment": kolommen,
        "onderwerpen": sorted(session.exec(
            select(ContactmomentOnderwerp.onderwerp).where(ContactmomentOnderwerp.contactmoment_id == record.id)
        ).all()),
        "acties": sorted(session.exec(
            select(ContactmomentActie.actie).where(ContactmomentActie.contactmoment_id == record.id)
        ).all()),
        "doorverwijzingen": [
            (v.ketenpartner_id, v.onderwerp, v.wijze, v.status, v.status_datum, v.organisatie_id) for v in verwijzingen
        ],
        "statussen": sorted(statussen),
        "uitkomsten": [
            (u.resultaat, u.datum, u.doorverwijzing_id, u.organisatie_id)
            for u in session.exec(select(Uitkomst).where(Uitkomst.contactmoment_id == record.id)).all()
        ],
        "audit": [(a.actie, a.resource_type, a.organisatie_id, a.velden) for a in audit],
    }


def test_an_imported_row_is_stored_exactly_as_the_api_stores_it(session: Session, omgeving: Omgeving) -> None:
    body = _body(omgeving, "via-import")
    verslag = importeer(session, omgeving, ndjson_bytes([body]), formaat="ndjson")
    assert (verslag.status, verslag.aangemaakt) == ("geslaagd", 1)
    contactmomenten.create(
        session, caller=omgeving.caller, data=ContactmomentCreate.model_validate({**body, "externId": "via-api"})
    )
    session.flush()
    via_import, via_api = _opgeslagen(session, "via-import", omgeving), _opgeslagen(session, "via-api", omgeving)
    # The fingerprint covers the externId, so it differs; everything else is identical.
    assert via_import["contactmoment"].pop("inhoud_hash") != via_api["contactmoment"].pop("inhoud_hash")
    assert via_import == via_api
    assert via_import["audit"] == [("aangemaakt", "contactmoment", omgeving.organisatie.id, sorted(body))]


def test_rows_beyond_one_batch_and_a_repeated_extern_id(
    session: Session, omgeving: Omgeving, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "BATCH", 7)
    bodies = [_body(omgeving, f"r-{i}", datum=f"2025-03-{1 + i % 28:02d}") for i in range(30)]
    # The same externId again within one batch: the second row sees the first one, and corrects it.
    bodies.insert(3, _body(omgeving, "r-1", duurMinuten=50, datum="2025-03-02"))
    verslag = importeer(session, omgeving, ndjson_bytes(bodies), formaat="ndjson")
    assert (verslag.gelezen, verslag.aangemaakt, verslag.bijgewerkt, verslag.afgewezen) == (31, 30, 1, 0)
    aantal = session.exec(
        select(func.count()).select_from(Contactmoment).where(Contactmoment.organisatie_id == omgeving.organisatie.id)
    ).one()
    assert aantal == 30
    assert _opgeslagen(session, "r-1", omgeving)["contactmoment"]["duur_minuten"] == 50
    # A second load finds every row; r-1 goes back to its first content.
    opnieuw = importeer(session, omgeving, ndjson_bytes(bodies[:3] + bodies[4:]), formaat="ndjson")
    assert (opnieuw.aangemaakt, opnieuw.ongewijzigd, opnieuw.bijgewerkt) == (0, 29, 1)


def test_a_row_written_by_someone_else_after_the_look_up_is_settled_row_by_row(
    session: Session, omgeving: Omgeving, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A concurrent POST can take an externId between the batch's look-up and its INSERT."""
    bestaand = _body(omgeving, "race-1")
    contactmomenten.create(session, caller=omgeving.caller, data=ContactmomentCreate.model_validate(bestaand))
    session.flush()
    # The look-up runs before the other writer commits, so it finds nothing.
    monkeypatch.setattr(bulk.Bulkschrijver, "_bestaande", lambda self, extern_ids: {})
    verslag = importeer(
        session, omgeving,
        ndjson_bytes([bestaand, _body(omgeving, "race-2"), _body(omgeving, "race-1", duurMinuten=5)]),
        formaat="ndjson", per_rij=True,
    )
    # The unique index refused the batch; row by row, race-1 is a retry and race-2 is new. The
    # third row gives race-1 other content: an import corrects the record, as it does without a race.
    assert (verslag.aangemaakt, verslag.ongewijzigd, verslag.bijgewerkt, verslag.afgewezen) == (1, 1, 1, 0)
    assert _opgeslagen(session, "race-1", omgeving)["contactmoment"]["duur_minuten"] == 5
    ids = session.exec(
        select(Contactmoment.extern_id).where(Contactmoment.organisatie_id == omgeving.organisatie.id)
    ).all()
    assert sorted(ids) == ["race-1", "race-2"]


def test_an_unknown_key_person_in_a_batch_rejects_only_that_row_in_per_row_mode(
    session: Session, omgeving: Omgeving
) -> None:
    bodies = [_body(omgeving, "a"), _body(omgeving, "b", sleutelpersoonId=str(uuid.uuid4())), _body(omgeving, "c")]
    verslag = importeer(session, omgeving, ndjson_bytes(bodies), formaat="ndjson", per_rij=True)
    assert (verslag.status, verslag.aangemaakt, verslag.afgewezen) == ("gedeeltelijk", 2, 1)
    [(kolom, _, reden)] = list(verslag.fouten)
    assert kolom == "sleutelpersoonId" and reden.startswith("Sleutelpersoon ") and reden.endswith(" bestaat niet.")
