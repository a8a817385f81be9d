"""Import of costs (issue 26): Dutch amounts exact to the cent, CSV and xlsx, every row error at once, a dry
run, atomic, loading the same file twice changes nothing, the privacy guard, the period lock, tenancy."""

import io
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.imports.waarden import lees_bedrag
from app.models import Kosten
from tests.factories import Omgeving, make_key, make_omgeving, make_sleutelpersoon
from tests.helpers import assert_400, audit_regels
from tests.kosten.maak import make_kosten, make_project
from tests.rapportage.factories import make_ritme, make_status

URL = "/v1/kosten/import"
KOP = "Soort;Bedrag;Datum;Periode;Sleutelpersoon;Project;Gemeente;Omschrijving"
# Ten dimes and a few amounts whose binary floats do not add up to their decimal sum.
DUBBELTJES = [f"Reiskosten;0,10;{d}-3-2026;;Amina B.;;;OV dag {d}" for d in range(1, 11)]
BEDRAGEN = ["12,50", "€ 12,50", "12.50", "€ 1.234,56", "0,20", "0,70", "1.234,57"]


def _csv(*regels: str, kop: str = KOP) -> bytes:
    """A file as Dutch Excel saves it: BOM, semicolons, CRLF."""
    return ("\ufeff" + kop + "\r\n" + "\r\n".join(regels) + "\r\n").encode("utf-8")


def _post(client: TestClient, omgeving: Omgeving, inhoud: bytes, *, soort: str = "text/csv", **params: Any) -> dict[str, Any]:
    response = client.post(URL, content=inhoud, params=params, headers=omgeving.headers | {"Content-Type": soort})
    assert response.status_code == 200, response.text
    return response.json()


def _centen(session: Session, omgeving: Omgeving) -> tuple[int, int]:
    """(number, sum in cents) of the organisation's live costs, straight from the table."""
    aantal, som = session.exec(select(func.count(), func.coalesce(func.sum(Kosten.bedrag_centen), 0)).where(
        Kosten.organisatie_id == omgeving.organisatie.id, Kosten.verwijderd_op.is_(None))).one()  # type: ignore[union-attr]
    return aantal, som


@pytest.fixture
def amina(session: Session, omgeving: Omgeving) -> uuid.UUID:
    persoon = make_sleutelpersoon(session, omgeving.organisatie, weergavenaam="Amina B.", gemeentecode="GM0363")
    session.commit()
    return persoon.id


def test_amounts_are_exact_to_the_cent_where_floats_are_not(client: TestClient, session: Session, omgeving: Omgeving,
                                                              amina: uuid.UUID) -> None:
    regels = [*DUBBELTJES, *(f"Vergoeding;{b};;2026-02;Amina B.;;;" for b in BEDRAGEN)]
    verwacht = Decimal("1.00") + sum(lees_bedrag(b) for b in BEDRAGEN)
    # The trap the import avoids: ten dimes as binary floats are not one euro.
    assert sum([0.1] * 10) != 1.0

    verslag = _post(client, omgeving, _csv(*regels))
    assert (verslag["aangemaakt"], verslag["afgewezen"], verslag["opgeslagen"], verslag["fouten"]) == (17, 0, True, [])
    assert verslag["totaal"] == f"{verwacht:.2f}" == "2508.53"
    assert _centen(session, omgeving) == (17, 250853)
    maand = session.exec(select(Kosten).where(Kosten.organisatie_id == omgeving.organisatie.id, Kosten.per_maand)).all()
    assert {(k.datum, k.soort, k.sleutelpersoon_id, k.gemeentecode) for k in maand} == {
        (date(2026, 2, 1), "vrijwilligersvergoeding", amina, "GM0363")}  # a synonym; the key person's gemeente
    assert sorted(k.bedrag_centen for k in maand) == [20, 70, 1250, 1250, 1250, 123456, 123457]
    # Every row went through the service: audited one by one.
    assert len(audit_regels(session, resource_type="kosten")) == 17


def test_xlsx_with_number_date_and_text_cells(client: TestClient, session: Session, omgeving: Omgeving, amina: uuid.UUID) -> None:
    project = make_project(session, omgeving.organisatie, naam="Kansrijke Start 2026")
    session.commit()
    werkboek = openpyxl.Workbook()
    blad = werkboek.active
    blad.append(["Kostenoverzicht 2026"])  # a title row above the header, as coordinators make them
    blad.append(["Soort", "Bedrag", "Datum", "Periode", "Sleutelpersoon", "Project", "Gemeente", "Omschrijving"])
    blad.append(["reiskosten", 0.1, datetime(2026, 3, 2), None, "amina b", "Kansrijke Start 2026", "Utrecht", "OV"])
    blad.append(["reiskosten", 0.2, datetime(2026, 3, 2), None, str(amina), str(project.id), "GM0344", "OV terug"])
    blad.append(["Telefoon", "€ 7,25", None, datetime(2026, 1, 1), None, None, 344, None])
    blad.append(["Materiaal", 1234.56, "14-3-2026", None, None, "kansrijke start 2026", None, "Folders"])
    buffer = io.BytesIO()
    werkboek.save(buffer)
    xlsx = buffer.getvalue()

    proef = _post(client, omgeving, xlsx, soort="application/octet-stream", proefdraai="true")  # told apart by its bytes
    assert (proef["fouten"], proef["aangemaakt"], proef["opgeslagen"]) == ([], 4, False)
    echt = _post(client, omgeving, xlsx, soort="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert (echt["gelezen"], echt["aangemaakt"], echt["totaal"], echt["fouten"]) == (4, 4, "1242.11", [])
    assert _centen(session, omgeving) == (4, 124211)
    rijen = {k.omschrijving: k for k in session.exec(select(Kosten).where(Kosten.organisatie_id == omgeving.organisatie.id))}
    assert (rijen["OV"].gemeentecode, rijen["OV"].project_id, rijen["OV"].bedrag_centen) == ("GM0344", project.id, 10)
    assert (rijen[None].per_maand, rijen[None].datum, rijen[None].gemeentecode) == (True, date(2026, 1, 1), "GM0344")
    assert rijen["Folders"].gemeentecode == "GM0344"  # the project's financing gemeente by default


def test_every_row_error_at_once_and_nothing_is_stored(client: TestClient, session: Session, omgeving: Omgeving,
                                                      amina: uuid.UUID) -> None:
    andere = make_omgeving(session)
    vreemde = make_sleutelpersoon(session, andere.organisatie, weergavenaam="Bram V.")
    make_sleutelpersoon(session, omgeving.organisatie, weergavenaam="Sam")
    make_sleutelpersoon(session, omgeving.organisatie, weergavenaam="sam")
    session.commit()
    bestand = _csv(
        "Reiskosten;12,50;3-3-2026;;Amina B.;;;Goed",                       # 2: fine
        "Loterij;12,345;31-2-2026;;Bram V.;;;",                             # 3: soort, bedrag, datum, sleutelpersoon
        "Reiskosten;1.234;3-3-2026;2026-03;Sam;Geen project;GM99999;",      # 4: bedrag, datum, sleutelpersoon, project, gemeente
        f"Reiskosten;0;;2026-13;{vreemde.id};;;",                           # 5: bedrag, periode, sleutelpersoon (service)
        "Reiskosten;5,00;3-3-2026;2026-03;;;;",                            # 6: datum and periode both (service)
        "Reiskosten;5,00;3-3-2026;;;;;Bel 0612345678 terug",               # 7: privacy guard
        "Reiskosten;;;;;;;",                                                # 8: no amount, no date
    )
    verslag = _post(client, omgeving, bestand)
    assert (verslag["opgeslagen"], verslag["afgewezen"], verslag["aangemaakt"]) == (False, 7 - 1, 1)
    per_rij: dict[int, set[str]] = {}
    for fout in verslag["fouten"]:
        per_rij.setdefault(fout["rij"], set()).add(fout["kolom"])
    assert per_rij == {
        3: {"Soort", "Bedrag", "Datum", "Sleutelpersoon"},
        4: {"Bedrag", "Datum", "Sleutelpersoon", "Project", "Gemeente"},  # Datum: and Periode too (the service)
        5: {"Bedrag", "Periode", "Sleutelpersoon"},
        6: {"Datum"},
        7: {"Omschrijving"},
        8: {"Bedrag", "Datum"},
    }
    reden = {(f["rij"], f["kolom"]): f["reden"] for f in verslag["fouten"]}
    assert "0612345678" not in reden[(7, "Omschrijving")]  # named, never echoed
    assert "2 " in reden[(4, "Sleutelpersoon")] and "id" in reden[(4, "Sleutelpersoon")]
    assert "Bram" in reden[(3, "Sleutelpersoon")]  # another organisation's key person is unknown by name ...
    assert str(vreemde.id) in reden[(5, "Sleutelpersoon")] and "eigen organisatie" in reden[(5, "Sleutelpersoon")]  # ... and by id
    assert _centen(session, omgeving) == (0, 0)
    assert audit_regels(session, resource_type="kosten") == []


def test_dry_run_stores_nothing_and_reimport_changes_nothing(client: TestClient, session: Session, omgeving: Omgeving,
                                                            amina: uuid.UUID) -> None:
    # Row 3 and 4 are the same cost twice (two identical trips): two costs, not one.
    bestand = _csv("Reiskosten;4,60;3-3-2026;;Amina B.;;;Bus", "Reiskosten;4,60;3-3-2026;;Amina B.;;;Bus",
                   "Vrijwilligersvergoeding;€ 150,00;;2026-03;Amina B.;;;")
    proef = _post(client, omgeving, bestand, proefdraai="true")
    assert (proef["proefdraai"], proef["opgeslagen"], proef["aangemaakt"], proef["totaal"]) == (True, False, 3, "159.20")
    assert _centen(session, omgeving) == (0, 0)

    echt = _post(client, omgeving, bestand)
    assert (echt["opgeslagen"], echt["aangemaakt"], echt["ongewijzigd"]) == (True, 3, 0)
    assert _centen(session, omgeving) == (3, 15920)

    nogmaals = _post(client, omgeving, bestand)
    assert (nogmaals["opgeslagen"], nogmaals["aangemaakt"], nogmaals["ongewijzigd"], nogmaals["totaal"]) == (True, 0, 3, "159.20")
    assert _centen(session, omgeving) == (3, 15920)

    # The file grew by one row (a third bus ride, and a new cost): only those are added.
    gegroeid = _csv("Reiskosten;4,60;3-3-2026;;Amina B.;;;Bus", "Reiskosten;4,60;3-3-2026;;Amina B.;;;Bus",
                    "Reiskosten;4,60;3-3-2026;;Amina B.;;;Bus", "Vrijwilligersvergoeding;€ 150,00;;2026-03;Amina B.;;;",
                    "Telefoon;10;4-3-2026;;Amina B.;;;")
    verslag = _post(client, omgeving, gegroeid)
    assert (verslag["aangemaakt"], verslag["ongewijzigd"]) == (2, 3)
    assert _centen(session, omgeving) == (5, 15920 + 460 + 1000)


def test_costs_of_another_organisation_do_not_count_as_already_there(
        client: TestClient, session: Session, omgeving: Omgeving, amina: uuid.UUID) -> None:
    andere = make_omgeving(session)
    make_kosten(session, andere.organisatie, soort="reiskosten", bedrag_centen=460, datum=date(2026, 3, 3), omschrijving="Bus")
    session.commit()
    verslag = _post(client, omgeving, _csv("Reiskosten;4,60;3-3-2026;;;;;Bus"))
    assert (verslag["aangemaakt"], verslag["ongewijzigd"]) == (1, 0)
    assert _centen(session, omgeving) == (1, 460)
    # And the other organisation sees only its own cost.
    lezen = make_key(session, organisatie=andere.organisatie, scopes=("inzien",))
    session.commit()
    assert [k["bedrag"] for k in client.get("/v1/kosten", headers=lezen).json()] == ["4.60"]
    # Another organisation's project is unknown by name and by id.
    vreemd = make_project(session, andere.organisatie, naam="Hun project")
    session.commit()
    verslag = _post(client, omgeving, _csv("Telefoon;10;4-3-2026;;;Hun project;;", f"Telefoon;10;4-3-2026;;;{vreemd.id};;"))
    assert [(f["rij"], f["kolom"]) for f in verslag["fouten"]] == [(2, "Project"), (3, "Project")]
    assert "eigen organisatie" in verslag["fouten"][1]["reden"] and verslag["opgeslagen"] is False


def test_a_row_in_an_approved_period_is_refused_and_nothing_is_stored(
        client: TestClient, session: Session, omgeving: Omgeving, amina: uuid.UUID) -> None:
    ritme = make_ritme(session, [omgeving.organisatie])
    make_status(session, ritme, omgeving.organisatie, periode="2025Q1", status="goedgekeurd")
    session.commit()
    verslag = _post(client, omgeving, _csv("Reiskosten;4,60;3-3-2025;;;;;", "Reiskosten;4,60;3-4-2025;;;;;",
                                           "Telefoon;10;;2025-02;;;;"))
    assert (verslag["opgeslagen"], verslag["afgewezen"], verslag["aangemaakt"]) == (False, 2, 1)
    assert {(f["rij"], f["kolom"]) for f in verslag["fouten"]} == {(2, "Datum"), (4, "Periode")}
    assert all("2025Q1" in f["reden"] for f in verslag["fouten"])
    assert _centen(session, omgeving) == (0, 0)


def test_the_file_itself_and_the_scope(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    h = omgeving.headers
    assert_400(client.post(URL, content=b"x", headers=h | {"Content-Type": "application/json"}), ["Content-Type"])
    assert_400(client.post(URL, content=_csv(), headers=h | {"Content-Type": "text/csv"}), ["body"])
    assert_400(client.post(URL, content=b"PK\x03\x04kapot", headers=h | {"Content-Type": "application/octet-stream"}), ["body"])
    alleen_lezen = make_key(session, organisatie=omgeving.organisatie, scopes=("inzien",))
    session.commit()
    response = client.post(URL, content=_csv("Reiskosten;4,60;3-3-2026;;;;;"), headers=alleen_lezen | {"Content-Type": "text/csv"})
    assert response.status_code == 403
    assert _centen(session, omgeving) == (0, 0)


@pytest.mark.parametrize(("cel", "verwacht"), [
    ("12,50", "12.50"), ("€ 12,50", "12.50"), ("12.50", "12.50"), ("€\u00a01.234,56", "1234.56"), ("1,234.56", "1234.56"),
    ("1.234.567", "1234567"), ("EUR 7,5", "7.5"), ("12,-", "12"), (0.1, "0.1"), (1234.56, "1234.56"), (3, "3"),
])
def test_lees_bedrag(cel: Any, verwacht: str) -> None:
    assert lees_bedrag(cel) == Decimal(verwacht) and str(lees_bedrag(cel)) == verwacht


@pytest.mark.parametrize("cel", ["abc", "1,2,3", "1.23.4", "1.234", "12,5.00,1", True, float("nan")])
def test_lees_bedrag_refuses(cel: Any) -> None:
    with pytest.raises(ValueError, match="bedrag|onduidelijk"):
        lees_bedrag(cel)
