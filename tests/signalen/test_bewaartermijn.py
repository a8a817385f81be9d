"""AVG retention: `sleutelmonitor retention` deletes signals and stories older than their own period."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
import typer
from sqlmodel import Session, select
from typer.testing import CliRunner

from app.core.config import get_settings
from app.inwoners import cli
from app.models import (
    AuditRegel,
    Ervaringsverhaal,
    ErvaringsverhaalEffect,
    Signaal,
    SignaalBericht,
    SignaalOnderwerp,
    SignaalStatus,
)
from tests.ervaringsverhalen.factories import make_verhaal
from tests.factories import make_organisatie
from tests.signalen.factories import make_signaal


@pytest.fixture
def cli_app(session: Session, monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    @contextmanager
    def test_session() -> Iterator[Session]:
        yield session

    monkeypatch.setattr(cli, "_open_session", test_session)
    monkeypatch.setattr(cli, "vandaag", lambda: date(2026, 6, 15))
    settings = get_settings().model_copy(
        update={"retention_months": None, "retention_months_signalen": 24, "retention_months_ervaringsverhalen": 60}
    )
    monkeypatch.setattr(cli, "get_settings", lambda: settings)
    app = typer.Typer()
    app.command()(cli.retention)
    app.command("noop")(lambda: None)
    return app


def test_retention_per_resource_type(cli_app: typer.Typer, session: Session) -> None:
    organisatie = make_organisatie(session, naam="Welzijn Oost")
    oud = make_signaal(session, organisatie, datum=date(2024, 6, 14))
    nieuw = make_signaal(session, organisatie, datum=date(2024, 6, 15))
    oud_verhaal = make_verhaal(session, organisatie, datum=date(2021, 6, 1))
    jong_verhaal = make_verhaal(session, organisatie, datum=date(2024, 1, 1))
    ids = (oud.id, nieuw.id, oud_verhaal.id, jong_verhaal.id)
    # The conversation goes with its signal (explicitly: SQLite enforces ON DELETE CASCADE only with foreign keys on).
    for signaal in (oud, nieuw):
        session.add(SignaalBericht(signaal_id=signaal.id, van="ontvanger", tekst="Ontvangen.", datum=signaal.datum, inhoud_hash="0" * 64))
    session.commit()  # as the command sees it: a proefdraai rolls back only its own work
    runner = CliRunner()

    dry = runner.invoke(cli_app, ["retention", "--proefdraai"])
    assert dry.exit_code == 0, dry.output
    assert f"Welzijn Oost ({organisatie.id}): 1 signalen zou verwijderen" in dry.output
    assert "Bewaartermijn signalen 24 maanden: signalen van vóór 2024-06-15." in dry.output
    assert session.get(Signaal, oud.id) is not None

    real = runner.invoke(cli_app, ["retention"])
    assert real.exit_code == 0, real.output
    assert "Totaal signalen: 1" in real.output and "Totaal ervaringsverhalen: 1" in real.output
    session.expire_all()
    assert session.exec(select(Signaal.id)).all() == [ids[1]]
    assert session.exec(select(SignaalOnderwerp.signaal_id)).all() == [ids[1]]
    assert set(session.exec(select(SignaalStatus.signaal_id)).all()) == {ids[1]}
    assert session.exec(select(SignaalBericht.signaal_id)).all() == [ids[1]]
    assert session.exec(select(Ervaringsverhaal.id)).all() == [ids[3]]
    assert session.exec(select(ErvaringsverhaalEffect.ervaringsverhaal_id)).all() == [ids[3]]
    regels = session.exec(select(AuditRegel).where(AuditRegel.actie == "bewaartermijn-verlopen")).all()
    assert sorted((r.resource_type, r.aantal) for r in regels) == [("ervaringsverhaal", 1), ("signaal", 1)]
