"""`sleutelmonitor org ...` and `sleutelmonitor key ...` against the test database."""

import json
import uuid
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select
from typer.testing import CliRunner

from app.cli import app as cli_app
from app.models import ApiSleutel, AuditRegel, Organisatie
from app.toegang import cli
from tests.factories import make_key, make_organisatie
from tests.toegang.helpers import key_of

runner = CliRunner()


@pytest.fixture(autouse=True)
def cli_session(session: Session, monkeypatch: pytest.MonkeyPatch) -> Session:
    """Run the commands in the test's transaction instead of committing to the shared test database."""

    def test_session() -> Session:
        session.commit()  # keep the test's setup if the command rolls back
        return session

    monkeypatch.setattr(cli, "session_factory", test_session)
    return session


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(cli_app, list(args))


def test_org_create_prints_json_and_audits(session: Session) -> None:
    result = invoke("org", "create", "--naam", "GGD regio Utrecht", "--soort", "ggd",
                    "--gemeente", "GM0344", "--gemeente", "GM0340")

    assert result.exit_code == 0, result.output
    created = json.loads(result.stdout)
    assert (created["naam"], created["soort"], created["gemeentecodes"]) == ("GGD regio Utrecht", "ggd", ["GM0344", "GM0340"])
    assert created["actief"] is True
    organisatie = session.get(Organisatie, uuid.UUID(created["id"]))
    assert organisatie is not None and organisatie.naam == "GGD regio Utrecht"
    regel = session.exec(select(AuditRegel).where(AuditRegel.resource_id == created["id"])).one()
    assert (regel.actie, regel.api_sleutel_id) == ("aangemaakt", None)  # the operator has no key


def test_org_create_invalid_prints_dutch_detail_and_exits_1(session: Session) -> None:
    result = invoke("org", "create", "--naam", "X", "--soort", "bakkerij", "--gemeente", "GM0344")
    assert result.exit_code == 1
    assert "Onbekende code `bakkerij` in codelijst organisatie-soort." in result.stderr
    assert result.stdout == ""

    bad_code = invoke("org", "create", "--naam", "X", "--soort", "ggd", "--gemeente", "0344")
    assert bad_code.exit_code == 1
    assert "gemeentecodes[0]" in bad_code.stderr
    assert session.exec(select(Organisatie).where(Organisatie.naam == "X")).first() is None


def test_org_list(session: Session) -> None:
    organisatie = make_organisatie(session, naam="[oost]")  # would be a rich style tag if not escaped
    result = invoke("org", "list")
    assert result.exit_code == 0, result.output
    assert str(organisatie.id) in result.stdout
    assert "[oost]" in result.stdout


def test_key_create_for_organisation_prints_token_once(client: TestClient, session: Session) -> None:
    organisatie = make_organisatie(session)

    result = invoke("key", "create", "--org", str(organisatie.id), "--scope", "registreren",
                    "--scope", "rapporteren", "--naam", "Registratie-app", "--verloopt", "2099-12-31")

    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    assert token.startswith("smk_") and "\n" not in token  # stdout holds the token only, for scripts
    assert "maar een keer getoond" in result.stderr
    key = session.exec(select(ApiSleutel).where(ApiSleutel.prefix == "_".join(token.split("_")[:2]))).one()
    assert (key.naam, key.scopes, key.organisatie_id) == ("Registratie-app", ["rapporteren", "registreren"], organisatie.id)
    assert key.verloopt_op is not None and key.verloopt_op.isoformat() == "2099-12-31"
    response = client.get(f"/v1/organisaties/{organisatie.id}", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


def test_key_create_regional_and_admin(session: Session) -> None:
    regional = invoke("key", "create", "--regio", "GM0344, GM0340", "--scope", "rapporteren")
    assert regional.exit_code == 0, regional.output
    key = session.exec(
        select(ApiSleutel).where(ApiSleutel.prefix == "_".join(regional.stdout.strip().split("_")[:2]))
    ).one()
    assert key.gemeentecodes == ["GM0340", "GM0344"] and key.organisatie_id is None
    assert key.naam.startswith("sleutel ")  # a default name when none is given

    beheer = invoke("key", "create", "--beheer", "--scope", "beheren", "--naam", "beheer")
    assert beheer.exit_code == 0, beheer.output
    assert "beheer, scopes beheren" in beheer.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--scope", "rapporteren"), "binding: Kies precies een binding"),
        (("--beheer", "--regio", "GM0344", "--scope", "rapporteren"), "binding: Kies precies een binding"),
        (("--regio", "GM0344", "--scope", "registreren"), "Scope registreren past niet bij binding regio"),
        (("--org", "geen-uuid", "--scope", "inzien"), "`geen-uuid` is geen geldig id (UUID)."),
        (("--org", "00000000-0000-0000-0000-000000000000", "--scope", "inzien"), "bestaat niet of is gedeactiveerd"),
        (("--beheer", "--scope", "beheren", "--verloopt", "2000-01-01"), "De vervaldatum ligt in het verleden."),
    ],
)
def test_key_create_refuses_invalid_input(session: Session, args: tuple[str, ...], message: str) -> None:
    before = len(session.exec(select(ApiSleutel)).all())
    result = invoke("key", "create", *args)
    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert result.stdout == ""
    assert len(session.exec(select(ApiSleutel)).all()) == before


def test_key_create_unknown_scope_is_a_usage_error() -> None:
    result = invoke("key", "create", "--beheer", "--scope", "alles")
    assert result.exit_code == 2


def test_key_list_shows_metadata_never_secrets(session: Session) -> None:
    organisatie = make_organisatie(session, naam="Org")
    headers = make_key(session, organisatie=organisatie, naam="app")
    key = key_of(session, headers)

    result = invoke("key", "list")

    assert result.exit_code == 0, result.output
    assert key.prefix in result.stdout
    assert headers["Authorization"].split("_", 2)[2] not in result.stdout
    assert key.sleutel_hash not in result.stdout

    filtered = invoke("key", "list", "--org", str(uuid.uuid4()))
    assert filtered.exit_code == 0 and key.prefix not in filtered.stdout


@pytest.mark.parametrize("by", [lambda key: key.prefix, lambda key: str(key.id)], ids=["prefix", "id"])
def test_key_revoke(client: TestClient, session: Session, by: Callable[[ApiSleutel], str]) -> None:
    headers = make_key(session, organisatie=make_organisatie(session), scopes=("inzien",))
    key = key_of(session, headers)

    result = invoke("key", "revoke", by(key))

    assert result.exit_code == 0, result.output
    assert f"API-sleutel {key.prefix} (testsleutel) ingetrokken op" in result.stdout
    assert client.get("/v1/organisaties", headers=headers).status_code == 401
    again = invoke("key", "revoke", key.prefix)
    assert again.exit_code == 0 and "was al ingetrokken" in again.stderr


def test_key_revoke_unknown_exits_1() -> None:
    result = invoke("key", "revoke", "smk_00000000")
    assert result.exit_code == 1
    assert "API-sleutel smk_00000000 bestaat niet." in result.stderr
