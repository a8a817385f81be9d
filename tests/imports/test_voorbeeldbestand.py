"""The coordinators' sample log (../shared/data): the CSV and the XLSX give exactly the expected counts.

The sample lives outside this repository; without it these tests are skipped (every other import
test uses files made in the tests themselves).
"""

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, col, func, select

from app.imports import service
from app.models import Contactmoment, ContactmomentOnderwerp, Doorverwijzing, Ketenpartner
from app.toegang.caller import Binding, Caller, Scope
from tests.factories import make_organisatie
from tests.imports.helpers import Omgeving, importeer

DATA = Path(os.environ.get("SLEUTELMONITOR_VOORBEELDDATA", Path(__file__).resolve().parents[3] / "shared" / "data"))
NAAM = "logboek-sleutelpersonen-2023-2024"
VERWACHT_PAD = DATA / f"{NAAM}.verwacht.json"

pytestmark = pytest.mark.skipif(
    not VERWACHT_PAD.exists(),
    reason=f"Voorbeeldbestand {VERWACHT_PAD} ontbreekt (map ../shared/data van de coördinatoren is er niet).",
)

# How each kind of bad row in the sample must be reported: (column, reason starts with).
SOORTEN = {
    "invalid-date": ("Datum", "`"),
    "missing-date": ("Datum", "Verplicht veld ontbreekt."),
    "unknown-topic": ("Onderwerp", "Onbekende waarde `"),
    "negative-participants": ("Aantal deelnemers", "Moet minimaal 1 zijn."),
}


@pytest.fixture(scope="module")
def verwacht() -> dict[str, Any]:
    return json.loads(VERWACHT_PAD.read_text(encoding="utf-8"))


def _lege_organisatie(session: Session) -> Omgeving:
    """An organisation without key persons or partners: the import creates them all."""
    org = make_organisatie(session, gemeentecodes=["GM0344", "GM0340", "GM0345", "GM0307"])
    caller = Caller(sleutel_id=None, scopes=frozenset({Scope.registreren}), binding=Binding.organisatie, organisatie_id=org.id)
    return Omgeving(organisatie=org, caller=caller, mays=None, fatima=None, uwv=None)  # type: ignore[arg-type]


def _tellingen(session: Session, omgeving: Omgeving) -> dict[str, Any]:
    """The figures of .verwacht.json, counted from the database for one organisation."""
    org = omgeving.organisatie.id
    levend = (Contactmoment.organisatie_id == org, col(Contactmoment.verwijderd_op).is_(None))
    datums = session.exec(select(Contactmoment.datum).where(*levend)).all()
    onderwerpen = session.exec(
        select(ContactmomentOnderwerp.onderwerp).join(Contactmoment, Contactmoment.id == ContactmomentOnderwerp.contactmoment_id).where(*levend)
    ).all()
    categorieen = session.exec(
        select(Ketenpartner.categorie)
        .join(Doorverwijzing, Doorverwijzing.ketenpartner_id == Ketenpartner.id)
        .join(Contactmoment, Contactmoment.id == Doorverwijzing.contactmoment_id)
        .where(*levend)
    ).all()
    deelnemers = session.exec(
        select(func.coalesce(func.sum(Contactmoment.aantal_deelnemers), 0)).where(*levend, Contactmoment.soort == "groep")
    ).one()
    return {
        "contactmomenten": len(datums),
        "hulpvragen": len(onderwerpen),
        "doorverwijzingen": len(categorieen),
        "groepsdeelnemers": int(deelnemers),
        "per_topic": dict(Counter(onderwerpen)),
        "per_partner_category": dict(Counter(categorieen)),
        "per_month": dict(Counter(d.strftime("%Y-%m") for d in datums)),
    }


def _controleer(session: Session, omgeving: Omgeving, verslag: service.Verslag, verwacht: dict[str, Any]) -> None:
    assert _tellingen(session, omgeving) == {k: verwacht[k] for k in (
        "contactmomenten", "hulpvragen", "doorverwijzingen", "groepsdeelnemers", "per_topic", "per_partner_category", "per_month"
    )}
    slecht = {b["row"]: b["kind"] for b in verwacht["bad_rows"]}
    assert verslag.afgewezen == len(slecht)
    gemeld = {rij: (kolom, reden) for (kolom, _, reden), rijen in verslag.fouten.items() for rij in rijen}
    assert set(gemeld) == set(slecht)
    for rij, soort in slecht.items():
        kolom, begin = SOORTEN[soort]
        assert gemeld[rij][0] == kolom and gemeld[rij][1].startswith(begin), (rij, soort, gemeld[rij])


def _importeer(session: Session, omgeving: Omgeving, bestand: Path, **opties: Any) -> service.Verslag:
    formaat = bestand.suffix.lstrip(".")
    return importeer(session, omgeving, bestand, formaat, nieuwe_sleutelpersonen=True, nieuwe_ketenpartners=True, **opties)


def test_csv_per_row_then_again_then_atomic(session: Session, verwacht: dict[str, Any]) -> None:
    omgeving = _lege_organisatie(session)
    bestand = DATA / f"{NAAM}.csv"
    verslag = _importeer(session, omgeving, bestand, per_rij=True)
    assert (verslag.status, verslag.gelezen, verslag.aangemaakt) == ("gedeeltelijk", 2000, verwacht["valid_rows"])
    _controleer(session, omgeving, verslag, verwacht)
    # The partners the sample names get their category from their name (or `overig`).
    assert dict(verslag.nieuwe_ketenpartners) == verwacht["partner_categories"]
    assert len(verslag.nieuwe_sleutelpersonen) == 8
    assert {(k, w) for k, w in verslag.benaderd} == {("Actie", "Meegegaan naar afspraak"), ("Kanaal", "Voorlichting (groep)")}

    tweede = _importeer(session, omgeving, bestand, per_rij=True)
    assert (tweede.aangemaakt, tweede.bijgewerkt, tweede.ongewijzigd, tweede.afgewezen) == (0, 0, verwacht["valid_rows"], 20)
    assert tweede.nieuwe_sleutelpersonen == [] and tweede.nieuwe_ketenpartners == []
    _controleer(session, omgeving, tweede, verwacht)

    # Atomic: the bad rows reject the file as a whole, and nothing changes.
    atomair = _importeer(session, omgeving, bestand)
    assert (atomair.status, atomair.aangemaakt, atomair.ongewijzigd, atomair.afgewezen) == ("mislukt", 0, 0, 20)
    _controleer(session, omgeving, atomair, verwacht)


def test_xlsx_per_row(session: Session, verwacht: dict[str, Any]) -> None:
    omgeving = _lege_organisatie(session)
    verslag = _importeer(session, omgeving, DATA / f"{NAAM}.xlsx", per_rij=True)
    assert (verslag.status, verslag.gelezen, verslag.aangemaakt) == ("gedeeltelijk", 2000, verwacht["valid_rows"])
    _controleer(session, omgeving, verslag, verwacht)
    assert dict(verslag.nieuwe_ketenpartners) == verwacht["partner_categories"]


def test_csv_met_standaardopties_dan_keuzes_aanmaken_en_de_goede_rijen(session: Session, verwacht: dict[str, Any]) -> None:
    """The coordinator's path (issue 24): default options reject every row of a new organisation; the report names
    the unknown key persons and partners; "aanmaken" for each, stored, then the good rows go in per row."""
    from app.imports import opgeslagen
    from app.models import Sleutelpersoon

    omgeving = _lege_organisatie(session)
    bestand = DATA / f"{NAAM}.csv"
    eerst = importeer(session, omgeving, bestand, "csv", proefdraai=True)
    assert (eerst.gelezen, eerst.afgewezen) == (2000, 2000)
    rapport = eerst.als_rapport()
    personen = [o["naam"] for o in rapport["onbekendeSleutelpersonen"]]
    partners = [o["naam"] for o in rapport["onbekendeKetenpartners"]]
    assert len(personen) == 8 and set(partners) == set(verwacht["partner_categories"])
    assert sum(o["rijen"] for o in rapport["onbekendeSleutelpersonen"]) == 2000

    mapping = opgeslagen.leg_keuzes_vast(session, caller=omgeving.caller, keuzes={
        "sleutelpersoon": dict.fromkeys(personen, "aanmaken"), "doorverwijzingen": dict.fromkeys(partners, "aanmaken")})
    verslag = importeer(session, omgeving, bestand, "csv", per_rij=True, mapping=mapping)
    assert (verslag.status, verslag.aangemaakt, verslag.afgewezen) == ("gedeeltelijk", verwacht["valid_rows"], 20)
    _controleer(session, omgeving, verslag, verwacht)
    nieuw = session.exec(select(Sleutelpersoon).where(Sleutelpersoon.organisatie_id == omgeving.organisatie.id)).all()
    assert len(nieuw) == 8 and all(not p.actief and p.gemeentecode for p in nieuw)
