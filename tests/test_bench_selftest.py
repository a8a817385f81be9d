"""The benchmark harness (scripts/bench*.py) measures the right thing: its synthetic data is valid,
its baselines compute what the service computes, and its request bodies and import files are
accepted by the real code. No timing is asserted; `make test` also runs `bench.py --quick --selftest`.
"""

import math
import sys
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import bench  # noqa: E402
import bench_data as bd  # noqa: E402
import bench_db  # noqa: E402
import bench_http  # noqa: E402
import bench_import  # noqa: E402
from app.core.validation import vandaag  # noqa: E402
from app.imports import service as imports  # noqa: E402
from app.indicatoren.service import bereken  # noqa: E402
from app.models import Organisatie  # noqa: E402
from app.toegang.caller import Binding, Caller, Scope  # noqa: E402
from tests.factories import make_key  # noqa: E402

AANTAL = 2_000


def _laad(session: Session, gen: bd.Generator, wereld: bd.Wereld, contacten: list[bd.Contact]) -> None:
    """Write the world and the contacts as the harness does: raw rows on the session's own connection."""
    dialect = session.get_bind().dialect.name
    conn = session.connection().connection.dbapi_connection
    for tabel, (kolommen, rijen) in bd.wereld_rijen(wereld, dialect).items():
        bench_db.schrijf(dialect, conn, tabel, kolommen, rijen)
    rijen = bd.lege_rijen()
    for contact in contacten:
        bd.contact_rijen(contact, dialect, rijen)
    for tabel, kolommen in bd.LAAD_TABELLEN.items():
        bench_db.schrijf(dialect, conn, tabel, kolommen, rijen[tabel])


@pytest.fixture
def data(session: Session) -> tuple[bd.Generator, bd.Wereld, list[bd.Contact]]:
    gen = bd.Generator(seed=20261122, vandaag=vandaag())
    wereld = gen.wereld(AANTAL)
    contacten = [gen.contact(wereld) for _ in range(AANTAL)]
    _laad(session, gen, wereld, contacten)
    return gen, wereld, contacten


def _onbekend(session: Session, sql: str) -> list[Any]:
    return list(session.execute(text(sql)).all())


def test_generated_rows_use_known_codes_and_the_organisations_own_records(
    session: Session, data: tuple[bd.Generator, bd.Wereld, list[bd.Contact]]
) -> None:
    assert session.execute(text("SELECT count(*) FROM contactmoment")).scalar_one() == AANTAL
    for tabel, kolom, lijst in (
        ("contactmoment_onderwerp", "onderwerp", "onderwerp"),
        ("contactmoment_actie", "actie", "actie"),
        ("contactmoment", "kanaal", "kanaal"),
        ("contactmoment", "soort", "soort-contact"),
        ("contactmoment", "rol", "rol"),
        ("contactmoment", "leeftijdscategorie", "leeftijdscategorie"),
        ("contactmoment", "geslacht", "geslacht"),
        ("contactmoment", "doelgroep", "doelgroep"),
        ("doorverwijzing", "status", "doorverwijzing-status"),
        ("doorverwijzing", "wijze", "doorverwijzing-wijze"),
        ("doorverwijzing_status", "status", "doorverwijzing-status"),
        ("uitkomst", "resultaat", "resultaat"),
        ("ketenpartner", "categorie", "ketenpartner-categorie"),
    ):
        onbekend = _onbekend(
            session,
            f"SELECT DISTINCT t.{kolom} FROM {tabel} t LEFT JOIN code ON code.lijst = '{lijst}' "
            f"AND code.code = t.{kolom} WHERE t.{kolom} IS NOT NULL AND code.code IS NULL",
        )
        assert onbekend == [], (tabel, kolom)
    # Tenancy holds in the data too: key persons and partners belong to the contact's organisation.
    assert _onbekend(
        session,
        "SELECT c.id FROM contactmoment c JOIN sleutelpersoon s ON s.id = c.sleutelpersoon_id "
        "WHERE s.organisatie_id <> c.organisatie_id",
    ) == []
    assert _onbekend(
        session,
        "SELECT d.id FROM doorverwijzing d JOIN contactmoment c ON c.id = d.contactmoment_id "
        "JOIN ketenpartner k ON k.id = d.ketenpartner_id "
        "WHERE k.organisatie_id <> c.organisatie_id OR d.organisatie_id <> c.organisatie_id",
    ) == []


def test_distributions_are_as_documented(data: tuple[bd.Generator, bd.Wereld, list[bd.Contact]]) -> None:
    _, wereld, contacten = data
    groep = sum(c.soort == "groep" for c in contacten) / AANTAL
    verwezen = sum(bool(c.verwijzingen) for c in contacten) / AANTAL
    assert 0.07 <= groep <= 0.13
    assert 0.20 <= verwezen <= 0.30
    assert Counter(len(c.onderwerpen) for c in contacten).keys() <= {1, 2, 3}
    assert all(c.aantal_deelnemers >= 5 and c.inwoner is None for c in contacten if c.soort == "groep")
    # Two to five years of history, none in the future.
    oudste = min(c.datum for c in contacten)
    assert wereld.vandaag - timedelta(days=5 * 366) <= oudste <= wereld.vandaag - timedelta(days=2 * 365)
    assert max(c.datum for c in contacten) <= wereld.vandaag
    # Skewed activity: the busiest key person of the largest organisation does several times the median's work.
    per_persoon = Counter(c.persoon.id for c in contacten if c.org is wereld.organisaties[0])
    aantallen = sorted(per_persoon.values())
    assert aantallen[-1] >= 3 * aantallen[len(aantallen) // 2]


def test_baselines_compute_the_same_cells_as_the_service(
    session: Session, data: tuple[bd.Generator, bd.Wereld, list[bd.Contact]]
) -> None:
    _, wereld, _ = data
    for geval in bench.indicator_gevallen(wereld, session.get_bind().dialect.name):
        resultaat = bereken(session, caller=geval.caller, verzoek=geval.verzoek, drempel=5, max_rijen=10_000)
        rijen = list(session.execute(geval.sql, geval.params).all())
        assert rijen, geval.code
        assert any(not r.onderdrukt and r.waarde for r in resultaat.rijen), geval.code
        assert bench.vergelijk(geval, resultaat, rijen), geval.code


def test_a_wrong_baseline_is_noticed(session: Session, data: tuple[bd.Generator, bd.Wereld, list[bd.Contact]]) -> None:
    _, wereld, _ = data
    geval = bench.indicator_gevallen(wereld, session.get_bind().dialect.name)[1]
    resultaat = bereken(session, caller=geval.caller, verzoek=geval.verzoek, drempel=5, max_rijen=10_000)
    # Regional figures carry noise of at most 2 (cell key perturbation): a baseline off by 3 is wrong.
    rijen = [(r[0], r[1] + 3) for r in session.execute(geval.sql, geval.params).all()]
    assert not bench.vergelijk(geval, resultaat, rijen)


def test_load_bodies_are_accepted_by_the_api(
    client: TestClient, session: Session, data: tuple[bd.Generator, bd.Wereld, list[bd.Contact]]
) -> None:
    gen, wereld, _ = data
    org = wereld.organisaties[0]
    organisatie = session.get(Organisatie, uuid.UUID(org.id))
    assert organisatie is not None
    headers = make_key(session, organisatie=organisatie, scopes=("registreren",))
    for i in range(25):
        body = bd.als_body(gen.contact(wereld, org=org, extern_prefix="selftest"))
        response = client.post("/v1/contactmomenten", json=body, headers=headers)
        assert response.status_code == 201, (i, response.text)


@pytest.mark.parametrize("formaat", ["ndjson", "csv"])
def test_import_files_are_accepted_by_the_import(
    session: Session, tmp_path: Path, data: tuple[bd.Generator, bd.Wereld, list[bd.Contact]], formaat: str
) -> None:
    gen, wereld, _ = data
    org = wereld.organisaties[1]
    contacten = [gen.contact(wereld, org=org, extern_prefix="imp") for _ in range(40)]
    pad = tmp_path / f"bestand.{formaat}"
    (bench_import.schrijf_ndjson if formaat == "ndjson" else bench_import.schrijf_csv)(pad, contacten)
    caller = Caller(
        sleutel_id=None, scopes=frozenset({Scope.registreren}), binding=Binding.organisatie,
        organisatie_id=uuid.UUID(org.id),
    )
    verslag = imports.importeer(
        session, caller=caller, bron=pad, opties=imports.Opties(formaat=formaat, proefdraai=True)
    )
    assert (verslag.gelezen, verslag.afgewezen, verslag.foutgroepen()) == (40, 0, [])


def test_percentiles_are_nearest_rank() -> None:
    waarden = [float(i) for i in range(1, 101)]
    assert bench_http.percentiel(waarden, 50) == 50.0
    assert bench_http.percentiel(waarden, 95) == 95.0
    assert bench_http.percentiel(waarden, 99) == 99.0
    assert bench_http.percentiel([7.0], 99) == 7.0
    assert math.isnan(bench_http.percentiel([], 50))


def test_a_measurement_without_numbers_fails_the_selftest() -> None:
    goed = bench.Meting("indicator", "x", "sqlite", 10, "ms p95", 1.0, 0.5, details={"p50": 0.8})
    assert goed.heeft_getallen() and goed.verhouding == 2.0
    assert not bench.Meting("indicator", "x", "sqlite", 10, "ms p95", None, 0.5).heeft_getallen()
    assert not bench.Meting("indicator", "x", "sqlite", 10, "ms p95", float("nan"), 0.5).heeft_getallen()
    assert not bench.Meting("import", "x", "sqlite", 10, "", None, fout="kapot").heeft_getallen()
