"""AVG: erasure of one resident reference (/v1/inwoners/_vergeet) and the retention period."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
import typer
from fastapi.testclient import TestClient
from sqlmodel import Session, select
from typer.testing import CliRunner

from app.core.config import get_settings
from app.inwoners import cli
from app.inwoners.service import maanden_terug, pas_bewaartermijn_toe
from app.models import AuditRegel, Contactmoment, utcnow
from tests.factories import Omgeving, body, make_contactmoment, make_key, make_omgeving
from tests.helpers import audit_regels, namen

URL = "/v1/inwoners/_vergeet"


def maak(
    session: Session, omgeving: Omgeving, referentie: str | None, **overrides: Any
) -> Contactmoment:
    return make_contactmoment(
        session,
        omgeving.organisatie,
        omgeving.sleutelpersoon,
        inwoner_referentie=referentie,
        **overrides,
    )


def test_vergeet_unlinks_every_record_of_the_reference(
    client: TestClient, session: Session, omgeving: Omgeving, andere: Omgeving
) -> None:
    mine = [maak(session, omgeving, "client-1") for _ in range(2)]
    deleted = maak(session, omgeving, "client-1")
    other_resident = maak(session, omgeving, "client-2")
    other_org = maak(session, andere, "client-1")
    session.commit()
    assert (
        client.delete(f"/v1/contactmomenten/{deleted.id}", headers=omgeving.headers).status_code
        == 204
    )
    fingerprints = {r.id: r.inhoud_hash for r in [*mine, deleted]}

    response = client.post(URL, json={"inwonerReferentie": "client-1"}, headers=omgeving.headers)
    assert response.status_code == 200, response.text
    assert response.json() == {"aantalContactmomenten": 3}

    for record in [*mine, deleted, other_resident, other_org]:
        session.refresh(record)
    assert all(r.inwoner_hash is None for r in [*mine, deleted])
    assert all(
        r.inhoud_hash != fingerprints[r.id] for r in [*mine, deleted]
    )  # no way back via the fingerprint
    assert other_resident.inwoner_hash is not None
    assert other_org.inwoner_hash is not None
    shown = client.get(f"/v1/contactmomenten/{mine[0].id}", headers=omgeving.headers).json()
    assert shown["heeftInwonerReferentie"] is False

    [regel] = audit_regels(session, actie="vergeten")
    assert (regel.resource_type, regel.resource_id, regel.aantal, regel.velden) == (
        "inwoner",
        None,
        3,
        [],
    )
    assert regel.organisatie_id == omgeving.organisatie.id
    assert regel.api_sleutel_id is not None

    # Again: nothing left to erase, and the request is still recorded.
    again = client.post(URL, json={"inwonerReferentie": "client-1"}, headers=omgeving.headers)
    assert again.json() == {"aantalContactmomenten": 0}
    assert [r.aantal for r in audit_regels(session, actie="vergeten")] == [3, 0]


def test_reference_never_reaches_the_audit_trail(
    client: TestClient, session: Session, omgeving: Omgeving
) -> None:
    record = maak(session, omgeving, "client-geheim")
    session.commit()
    secret_hash = record.inwoner_hash
    assert secret_hash is not None
    client.post(URL, json={"inwonerReferentie": "client-geheim"}, headers=omgeving.headers)
    for regel in session.exec(select(AuditRegel)).all():
        dumped = regel.model_dump_json()
        assert "client-geheim" not in dumped and secret_hash not in dumped


def test_erased_record_is_no_longer_a_safe_retry(client: TestClient, omgeving: Omgeving) -> None:
    data = body(omgeving, inwonerReferentie="client-77")
    first = client.post("/v1/contactmomenten", json=data, headers=omgeving.headers).json()
    assert client.post(
        URL, json={"inwonerReferentie": "client-77"}, headers=omgeving.headers
    ).json() == {"aantalContactmomenten": 1}
    retry = client.post("/v1/contactmomenten", json=data, headers=omgeving.headers)
    assert retry.status_code == 409
    assert retry.json()["bestaandId"] == first["id"]
    # Posting it again without the reference is the same content as what is stored now.
    without = client.post(
        "/v1/contactmomenten",
        json=body(omgeving, **{**data, "inwonerReferentie": None}),
        headers=omgeving.headers,
    )
    assert without.status_code == 200


@pytest.mark.parametrize(
    ("data", "name"),
    [
        ({"inwonerReferentie": "123456782"}, "inwonerReferentie"),
        ({}, "inwonerReferentie"),
        ({"inwonerReferentie": "a", "naam": "x"}, "naam"),
    ],
)
def test_vergeet_validation(
    client: TestClient, omgeving: Omgeving, data: dict[str, str], name: str
) -> None:
    response = client.post(URL, json=data, headers=omgeving.headers)
    assert response.status_code == 400
    assert namen(response) == {name}


def test_vergeet_needs_registreren(
    client: TestClient, session: Session, omgeving: Omgeving
) -> None:
    inzien = make_key(session, organisatie=omgeving.organisatie, scopes=("inzien",))
    session.commit()
    assert (
        client.post(URL, json={"inwonerReferentie": "client-1"}, headers=inzien).status_code == 403
    )


# --- Retention -------------------------------------------------------------------------------


def test_maanden_terug_clamps_to_month_end() -> None:
    assert maanden_terug(date(2025, 6, 15), 24) == date(2023, 6, 15)
    assert maanden_terug(date(2024, 3, 31), 1) == date(2024, 2, 29)
    assert maanden_terug(date(2025, 1, 31), 13) == date(2023, 12, 31)


def _retention_data(session: Session) -> tuple[Omgeving, Omgeving, dict[str, Contactmoment]]:
    a = make_omgeving(session)
    b = make_omgeving(session)
    records = {
        "a_oud": maak(session, a, "r1", datum=date(2023, 1, 1)),
        "a_oud_verwijderd": maak(session, a, "r2", datum=date(2022, 5, 1), verwijderd_op=utcnow()),
        "a_grens": maak(session, a, "r3", datum=date(2024, 6, 15)),  # exactly the limit: stays
        "a_nieuw": maak(session, a, "r4", datum=date(2025, 1, 1)),
        "a_groep": maak(
            session, a, None, datum=date(2020, 1, 1), soort="groep", aantal_deelnemers=5
        ),
        "b_oud": maak(session, b, "r1", datum=date(2024, 6, 14)),
    }
    session.commit()
    return a, b, records


def test_retention_drops_old_hashes_per_organisation(session: Session) -> None:
    a, b, records = _retention_data(session)
    before = {k: r.inhoud_hash for k, r in records.items()}
    dry = pas_bewaartermijn_toe(session, maanden=12, peildatum=date(2025, 6, 15), proefdraai=True)
    assert dry == {a.organisatie.id: 2, b.organisatie.id: 1}
    assert all(r.inwoner_hash is not None for k, r in records.items() if k != "a_groep")
    assert audit_regels(session, actie="bewaartermijn-verlopen") == []

    result = pas_bewaartermijn_toe(session, maanden=12, peildatum=date(2025, 6, 15))
    assert result == {a.organisatie.id: 2, b.organisatie.id: 1}
    for record in records.values():
        session.refresh(record)
    assert (
        records["a_oud"].inwoner_hash is None and records["a_oud_verwijderd"].inwoner_hash is None
    )
    assert records["b_oud"].inwoner_hash is None
    assert (
        records["a_grens"].inwoner_hash is not None and records["a_nieuw"].inwoner_hash is not None
    )
    assert records["a_oud"].inhoud_hash != before["a_oud"]
    assert records["a_nieuw"].inhoud_hash == before["a_nieuw"]

    regels = audit_regels(session, actie="bewaartermijn-verlopen")
    assert {
        (r.organisatie_id, r.aantal, r.resource_type, r.resource_id, r.api_sleutel_id)
        for r in regels
    } == {
        (a.organisatie.id, 2, "inwoner", None, None),
        (b.organisatie.id, 1, "inwoner", None, None),
    }
    # Running it again finds nothing and writes no audit rows.
    assert pas_bewaartermijn_toe(session, maanden=12, peildatum=date(2025, 6, 15)) == {}
    assert len(audit_regels(session, actie="bewaartermijn-verlopen")) == 2


def test_retention_works_in_batches(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.inwoners import service

    monkeypatch.setattr(service, "BATCH", 2)
    omgeving = make_omgeving(session)
    records = [maak(session, omgeving, f"r{i}", datum=date(2020, 1, 1 + i)) for i in range(5)]
    session.commit()
    assert pas_bewaartermijn_toe(session, maanden=1, peildatum=date(2025, 1, 1)) == {
        omgeving.organisatie.id: 5
    }
    for record in records:
        session.refresh(record)
    assert all(r.inwoner_hash is None for r in records)
    [regel] = audit_regels(session, actie="bewaartermijn-verlopen")
    assert regel.aantal == 5


@pytest.fixture
def cli_app(session: Session, monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    """The retention command as the lead mounts it, on the test's transaction."""

    @contextmanager
    def test_session() -> Iterator[Session]:
        yield session

    monkeypatch.setattr(cli, "_open_session", test_session)
    monkeypatch.setattr(cli, "vandaag", lambda: date(2025, 6, 15))
    app = typer.Typer()
    app.command()(cli.retention)
    app.command("noop")(lambda: None)  # keep `retention` a named subcommand
    return app


def test_cli_retention(cli_app: typer.Typer, session: Session) -> None:
    a, b, records = _retention_data(session)
    runner = CliRunner()

    dry = runner.invoke(cli_app, ["retention", "--maanden", "12", "--proefdraai"])
    assert dry.exit_code == 0, dry.output
    assert (
        f"{a.organisatie.naam} ({a.organisatie.id}): 2 inwoner-koppeling(en) zou verwijderen"
        in dry.output
    )
    assert "proefdraai" in dry.output
    session.refresh(records["a_oud"])
    assert records["a_oud"].inwoner_hash is not None

    real = runner.invoke(cli_app, ["retention", "--maanden", "12"])
    assert real.exit_code == 0, real.output
    assert "contactmomenten vóór 2024-06-15" in real.output
    assert (
        f"{b.organisatie.naam} ({b.organisatie.id}): 1 inwoner-koppeling(en) verwijderd"
        in real.output
    )
    assert "Totaal: 3" in real.output
    session.refresh(records["a_oud"])
    assert records["a_oud"].inwoner_hash is None


def test_cli_retention_uses_the_setting(
    cli_app: typer.Typer, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    _retention_data(session)
    runner = CliRunner()
    settings = get_settings()

    monkeypatch.setattr(
        cli, "get_settings", lambda: settings.model_copy(update={"retention_months": None})
    )
    missing = runner.invoke(cli_app, ["retention"])
    assert missing.exit_code == 2
    assert "SLEUTELMONITOR_RETENTION_MONTHS" in missing.output

    monkeypatch.setattr(
        cli, "get_settings", lambda: settings.model_copy(update={"retention_months": 12})
    )
    configured = runner.invoke(cli_app, ["retention"])
    assert configured.exit_code == 0, configured.output
    assert "Bewaartermijn 12 maanden" in configured.output
    assert "Totaal: 3" in configured.output


def test_retention_rejects_nonsense() -> None:
    with pytest.raises(ValueError):
        pas_bewaartermijn_toe(None, maanden=0, peildatum=date(2025, 1, 1))  # type: ignore[arg-type]
