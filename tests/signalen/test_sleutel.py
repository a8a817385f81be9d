"""The scope `signalen`: only on a regional key, also through `sleutelmonitor key create`."""

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select
from typer.testing import CliRunner

from app.cli import app as cli_app
from app.models import ApiSleutel
from app.toegang import cli
from tests.factories import make_organisatie
from tests.signalen.factories import make_signaal

runner = CliRunner()


@pytest.fixture(autouse=True)
def cli_session(session: Session, monkeypatch: pytest.MonkeyPatch) -> Session:
    def test_session() -> Session:
        session.commit()
        return session

    monkeypatch.setattr(cli, "session_factory", test_session)
    return session


def test_cli_creates_a_regional_signalen_key(client: TestClient, session: Session) -> None:
    organisatie = make_organisatie(session, naam="Buurtwerk Zuid")
    make_signaal(session, organisatie, titel="Signaal voor Utrecht")
    result = runner.invoke(cli_app, ["key", "create", "--regio", "GM0344", "--scope", "signalen", "--naam", "Beleid Utrecht"])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    key = session.exec(select(ApiSleutel).where(ApiSleutel.prefix == "_".join(token.split("_")[:2]))).one()
    assert key.scopes == ["signalen"] and key.gemeentecodes == ["GM0344"]
    response = client.get("/v1/ontvangen-signalen", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert [(s["titel"], s["organisatieNaam"]) for s in response.json()] == [("Signaal voor Utrecht", "Buurtwerk Zuid")]


def test_signalen_scope_is_refused_on_organisation_and_admin_keys(session: Session) -> None:
    organisatie = make_organisatie(session)
    for args in (("--org", str(organisatie.id)), ("--beheer",)):
        result = runner.invoke(cli_app, ["key", "create", *args, "--scope", "signalen"])
        assert result.exit_code == 1
        assert "Scope signalen past niet bij binding" in result.stderr
