"""`sleutelmonitor import FILE --org ID` against the test database (mounted here as the lead mounts it)."""

from pathlib import Path

import pytest
import typer
from sqlmodel import Session, func, select
from typer.testing import CliRunner

from app.imports import cli
from app.models import AuditRegel, Contactmoment, ImportRun, Sleutelpersoon
from tests.imports.helpers import KOP, Omgeving, csv_bytes, rij, xlsx_bytes

runner = CliRunner()
app = typer.Typer()
app.command("import")(cli.importeer)


@app.callback()
def _groep() -> None:
    """Keeps `import` a subcommand, as under `sleutelmonitor`."""


@pytest.fixture(autouse=True)
def cli_session(session: Session, monkeypatch: pytest.MonkeyPatch) -> Session:
    """Run the command in the test's transaction instead of committing to the shared test database."""

    def test_session() -> Session:
        session.commit()
        return session

    monkeypatch.setattr(cli, "session_factory", test_session)
    return session


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["import", *args], env={"COLUMNS": "200"})


def _aantal(session: Session, omgeving: Omgeving) -> int:
    # By the id taken before the command ran: a command that rolls back expires the test's objects.
    return session.exec(select(func.count()).select_from(Contactmoment).where(Contactmoment.organisatie_id == omgeving.caller.organisatie_id)).one()


@pytest.fixture
def bestand(tmp_path: Path) -> Path:
    pad = tmp_path / "logboek.csv"
    pad.write_bytes(csv_bytes([rij(), rij(Sleutelpersoon="Nieuw N.", Datum="2-3-2025"), rij(Datum="31-02-2025")]))
    return pad


def test_dry_run_prints_the_report_and_writes_nothing(session: Session, omgeving: Omgeving, bestand: Path) -> None:
    result = invoke(str(bestand), "--org", str(omgeving.caller.organisatie_id), "--proefdraai", "--per-rij",
                    "--nieuwe-sleutelpersonen-aanmaken")
    assert result.exit_code == 0, result.output
    assert "Proefdraai (er is niets opgeslagen)" in result.stdout
    assert "gedeeltelijk" in result.stdout
    assert "Nieuwe sleutelpersonen: Nieuw N." in result.stdout
    assert "`31-02-2025` is geen bestaande datum." in result.stdout
    assert "Importeren logboek.csv" in result.stderr
    assert _aantal(session, omgeving) == 0
    assert session.exec(select(func.count()).select_from(ImportRun)).one() == 0
    assert session.exec(select(Sleutelpersoon).where(Sleutelpersoon.weergavenaam == "Nieuw N.")).first() is None


def test_atomic_import_with_a_bad_row_exits_1_and_writes_the_report(session: Session, omgeving: Omgeving, bestand: Path, tmp_path: Path) -> None:
    rapport = tmp_path / "fouten.csv"
    result = invoke(str(bestand), "--org", str(omgeving.caller.organisatie_id), "--nieuwe-sleutelpersonen-aanmaken",
                    "--rapport", str(rapport))
    assert result.exit_code == 1
    assert "Er is niets opgeslagen: 1 van de 3 rijen zijn afgekeurd" in result.stdout
    assert rapport.read_text(encoding="utf-8-sig").splitlines() == [
        "rij;datum;sleutelpersoon;kolom;waarde;reden",
        "4;31-02-2025;Mays A.;Datum;31-02-2025;`31-02-2025` is geen bestaande datum."
    ]
    assert _aantal(session, omgeving) == 0
    run = session.exec(select(ImportRun)).one()
    assert (run.status, run.api_sleutel_id, run.bestandsnaam) == ("mislukt", None, "logboek.csv")


def test_per_row_import_then_again_is_unchanged(session: Session, omgeving: Omgeving, bestand: Path) -> None:
    args = (str(bestand), "--org", str(omgeving.caller.organisatie_id), "--per-rij", "--nieuwe-sleutelpersonen-aanmaken")
    eerste = invoke(*args)
    assert eerste.exit_code == 0, eerste.output
    assert "Import (per-rij)" in eerste.stdout
    assert _aantal(session, omgeving) == 2
    tweede = invoke(*args)
    assert tweede.exit_code == 0
    assert [r.ongewijzigd for r in session.exec(select(ImportRun).order_by(ImportRun.aangemaakt_op)).all()] == [0, 2]
    assert _aantal(session, omgeving) == 2
    regels = session.exec(select(AuditRegel).where(AuditRegel.resource_type == "import")).all()
    assert sorted(r.aantal or 0 for r in regels) == [0, 2]


def test_show_mapping_writes_nothing(session: Session, omgeving: Omgeving, tmp_path: Path) -> None:
    pad = tmp_path / "logboek.xlsx"
    pad.write_bytes(xlsx_bytes({"Blad1": [KOP + ["Opmerkingen"], rij(Kanaal="Voorlichting (groep)", Soort="Groep",
                                                                        Aantal_deelnemers=12, Cliëntnummer="") + ["vrije tekst"]]}))
    result = invoke(str(pad), "--org", str(omgeving.caller.organisatie_id), "--toon-mapping")
    assert result.exit_code == 0, result.output
    assert "│ Opmerkingen       │ (genegeerd)        │" in result.stdout
    assert "│ Cliëntnummer      │ inwonerReferentie  │" in result.stdout
    assert "Voorlichting (groep) │ groepsbijeenkomst (benaderd)" in result.stdout
    assert "Toeslagen │ geld.toeslagen (laatste deel van de code)" in result.stdout
    assert "vrije tekst" not in result.stdout
    assert _aantal(session, omgeving) == 0
    assert session.exec(select(func.count()).select_from(ImportRun)).one() == 0


def test_mapping_file_and_explicit_format(session: Session, omgeving: Omgeving, tmp_path: Path) -> None:
    pad = tmp_path / "export.txt"
    pad.write_bytes(csv_bytes([["14-3-2025", "Mays A.", "Straatgesprek", "Toeslagen"]], kop=["Wanneer", "Wie", "Hoe", "Vraag"],
                              scheidingsteken="\t"))
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        "kolommen:\n  Wanneer: datum\n  Wie: sleutelpersoon\n  Hoe: kanaal\n  Vraag: onderwerpen\n"
        "waarden:\n  kanaal:\n    Straatgesprek: persoonlijk\nstandaard:\n  gemeentecode: GM0344\n",
        encoding="utf-8",
    )
    result = invoke(str(pad), "--org", str(omgeving.caller.organisatie_id), "--formaat", "csv", "--mapping", str(mapping))
    assert result.exit_code == 0, result.output
    record = session.exec(select(Contactmoment).where(Contactmoment.organisatie_id == omgeving.caller.organisatie_id)).one()
    assert (record.kanaal, record.gemeentecode) == ("persoonlijk", "GM0344")


def test_errors_before_reading(omgeving: Omgeving, bestand: Path, tmp_path: Path) -> None:
    geen_uuid = invoke(str(bestand), "--org", "abc")
    assert (geen_uuid.exit_code, geen_uuid.stderr.strip()) == (1, "Fout: `abc` is geen geldig id van een organisatie (UUID).")
    onbekend = invoke(str(bestand), "--org", "00000000-0000-4000-8000-000000000000")
    assert onbekend.exit_code == 1
    assert "bestaat niet of is gedeactiveerd" in onbekend.stderr
    oud = tmp_path / "oud.xls"
    oud.write_bytes(b"x")
    xls = invoke(str(oud), "--org", str(omgeving.caller.organisatie_id))
    assert xls.exit_code == 1 and "Oude Excel-bestanden (.xls) worden niet ondersteund" in xls.stderr
    kapot = tmp_path / "kapot.yaml"
    kapot.write_text("kolommen:\n  Datum: wanneer\n", encoding="utf-8")
    yaml = invoke(str(bestand), "--org", str(omgeving.caller.organisatie_id), "--mapping", str(kapot))
    assert yaml.exit_code == 1 and "verwijst naar onbekend veld `wanneer`" in yaml.stderr


def test_opgeslagen_mapping_opslaan_en_gebruiken(session: Session, omgeving: Omgeving, tmp_path: Path) -> None:
    """`--mapping-opslaan` stores a mapping file as the organisation's; `--opgeslagen-mapping` imports with it."""
    org = str(omgeving.caller.organisatie_id)
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("aanmaken:\n  sleutelpersoon: [Nieuw N.]\n", encoding="utf-8")
    pad = tmp_path / "nieuw.csv"
    pad.write_bytes(csv_bytes([rij(Sleutelpersoon="Nieuw N.", Datum="2-3-2025")]))

    zonder = invoke(str(pad), "--org", org)
    assert zonder.exit_code == 1 and _aantal(session, omgeving) == 0
    opslaan = invoke(str(pad), "--org", org, "--mapping", str(mapping), "--mapping-opslaan")
    assert opslaan.exit_code == 0, opslaan.output
    assert _aantal(session, omgeving) == 0  # storing the mapping imports nothing
    met = invoke(str(pad), "--org", org, "--opgeslagen-mapping")
    assert met.exit_code == 0, met.output
    assert _aantal(session, omgeving) == 1
    persoon = session.exec(select(Sleutelpersoon).where(Sleutelpersoon.weergavenaam == "Nieuw N.")).one()
    assert (persoon.actief, persoon.gemeentecode) == (False, "GM0344")


def test_a_workbook_with_professional_contacts_prints_their_counts(omgeving: Omgeving, tmp_path: Path) -> None:
    pad = tmp_path / "logboek.xlsx"
    pad.write_bytes(xlsx_bytes({
        "Contacten": [KOP, rij()],
        "Professionele contacten": [["Datum", "Sleutelpersoon", "Soort", "Aangevraagd door", "Gemeente", "Aantal professionals"],
                                    ["3-11-2025", "Mays A.", "Casusoverleg", "GGD", "GM0344", "6"]],
    }))
    result = invoke(str(pad), "--org", str(omgeving.caller.organisatie_id), "--proefdraai")
    assert result.exit_code == 0, result.output
    regel = next(r for r in result.stdout.splitlines() if "waarvan professionele contacten" in r)
    assert regel.split()[:5] == ["│", "1", "│", "1", "│"], regel
