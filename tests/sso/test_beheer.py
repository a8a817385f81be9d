"""Managing SSO claim mappings: the beheer API under /v1 and `sleutelmonitor sso`, on both databases."""

import uuid

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select
from typer.testing import CliRunner

from app.cli import app as cli_app
from app.models import AuditRegel, SsoKoppeling
from app.toegang import cli
from tests.factories import Omgeving, make_key

runner = CliRunner()


@pytest.fixture
def beheer(session: Session) -> dict[str, str]:
    headers = make_key(session, beheer=True, scopes=("beheren",))
    session.commit()
    return headers


def test_koppeling_aanmaken_lezen_verwijderen(client: TestClient, session: Session, beheer: dict[str, str],
                                               omgeving: Omgeving) -> None:
    antwoord = client.post("/v1/sso-koppelingen", headers=beheer, json={
        "claimWaarde": "sm-brug", "scopes": ["inzien", "rapporteren"], "organisatieId": str(omgeving.organisatie.id)})

    assert antwoord.status_code == 201, antwoord.text
    gemaakt = antwoord.json()
    assert antwoord.headers["location"].endswith(f"/v1/sso-koppelingen/{gemaakt['id']}")
    assert (gemaakt["claimWaarde"], gemaakt["scopes"], gemaakt["gemeentecodes"]) == ("sm-brug", ["inzien", "rapporteren"], [])
    assert client.get(f"/v1/sso-koppelingen/{gemaakt['id']}", headers=beheer).json() == gemaakt
    lijst = client.get("/v1/sso-koppelingen", headers=beheer, params={"pageSize": 1})
    assert lijst.headers["x-total-count"] == "1" and 'rel="last"' in lijst.headers["link"]
    assert client.post("/v1/sso-koppelingen", headers=beheer, json={
        "claimWaarde": "sm-brug", "scopes": ["rapporteren"], "gemeentecodes": ["GM0344"]}).status_code == 409

    assert client.delete(f"/v1/sso-koppelingen/{gemaakt['id']}", headers=beheer).status_code == 204
    assert client.get(f"/v1/sso-koppelingen/{gemaakt['id']}", headers=beheer).status_code == 404
    acties = [r.actie for r in session.exec(select(AuditRegel).where(AuditRegel.resource_type == "sso-koppeling")
                                            .order_by(AuditRegel.id))]
    assert acties == ["aangemaakt", "verwijderd"]


def test_alle_fouten_tegelijk(client: TestClient, beheer: dict[str, str], omgeving: Omgeving) -> None:
    antwoord = client.post("/v1/sso-koppelingen", headers=beheer, json={
        "claimWaarde": "sm\tbrug", "scopes": ["beheren"], "organisatieId": str(omgeving.organisatie.id),
        "gemeentecodes": ["GM0344"]})

    assert antwoord.status_code == 400 and antwoord.headers["content-type"].startswith("application/problem+json")
    namen = sorted(p["name"] for p in antwoord.json()["invalidParams"])
    assert namen == ["binding", "claimWaarde"]
    # Beheer is not a binding a group can get in the dashboard.
    antwoord = client.post("/v1/sso-koppelingen", headers=beheer, json={
        "claimWaarde": "sm-beheer", "scopes": ["beheren"], "gemeentecodes": ["GM0344"]})
    assert antwoord.status_code == 400 and antwoord.json()["invalidParams"][0]["name"] == "scopes"
    onbekend = client.post("/v1/sso-koppelingen", headers=beheer, json={
        "claimWaarde": "x", "scopes": ["rapporteren"], "gemeentecodes": ["GM0344"], "naam": "Jan"})
    assert onbekend.status_code == 400


def test_alleen_voor_beheer(client: TestClient, omgeving: Omgeving, session: Session) -> None:
    for pad in ("/v1/sso-koppelingen", "/v1/sso-aanmeldingen", f"/v1/sso-koppelingen/{uuid.uuid4()}"):
        assert client.get(pad, headers=omgeving.headers).status_code == 403, pad
        assert client.get(pad).status_code == 401, pad


@pytest.fixture
def cli_session(session: Session, monkeypatch: pytest.MonkeyPatch) -> Session:
    def test_session() -> Session:
        session.commit()
        return session

    monkeypatch.setattr(cli, "session_factory", test_session)
    return session


def test_cli_toevoegen_lijst_verwijderen(cli_session: Session, omgeving: Omgeving) -> None:
    result = runner.invoke(cli_app, ["sso", "toevoegen", "sm-brug", "--scope", "inzien", "--scope", "rapporteren",
                                     "--org", str(omgeving.organisatie.id)])
    assert result.exit_code == 0, result.output
    assert "groep sm-brug ->" in result.stdout and omgeving.organisatie.naam in result.stdout
    result = runner.invoke(cli_app, ["sso", "toevoegen", "sm-regio", "--scope", "rapporteren", "--regio", "GM0344,GM0307"])
    assert result.exit_code == 0, result.output

    lijst = runner.invoke(cli_app, ["sso", "lijst"], env={"COLUMNS": "200"})
    assert lijst.exit_code == 0, lijst.output
    assert "sm-brug" in lijst.stdout and "regio GM0307,GM0344" in lijst.stdout, lijst.stdout

    fout = runner.invoke(cli_app, ["sso", "toevoegen", "sm-x", "--scope", "rapporteren"])
    assert fout.exit_code == 1 and "binding" in fout.output

    koppeling = cli_session.exec(select(SsoKoppeling).where(SsoKoppeling.claim_waarde == "sm-brug")).one()
    weg = runner.invoke(cli_app, ["sso", "verwijderen", str(koppeling.id)])
    assert weg.exit_code == 0 and "sm-brug verwijderd" in weg.stdout
    assert runner.invoke(cli_app, ["sso", "verwijderen", str(koppeling.id)]).exit_code == 1
    assert runner.invoke(cli_app, ["sso", "aanmeldingen"]).exit_code == 0


def test_claimwaarde_met_stuurteken_is_een_400(client: TestClient, beheer: dict[str, str], omgeving: Omgeving) -> None:
    """A NUL (which PostgreSQL refuses in text) or another control character in a group value is the
    client's error, a 400 problem+json, never a 500."""
    for waarde in ("sm-brug\u0000", "sm\u0007brug"):
        antwoord = client.post("/v1/sso-koppelingen", headers=beheer, json={
            "claimWaarde": waarde, "scopes": ["inzien"], "organisatieId": str(omgeving.organisatie.id)})
        assert antwoord.status_code == 400, antwoord.text
        assert antwoord.headers["content-type"].startswith("application/problem+json")
