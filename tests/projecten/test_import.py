"""Import: an optional Project column fills projectId, by the project's name (or id) in the organisation;
an unknown or another organisation's project is a row error naming the column."""

import pytest
from sqlmodel import Session, select

from app.models import Contactmoment
from tests.imports.helpers import KOP, Omgeving, csv_bytes, fouten, importeer, maak_omgeving, rij
from tests.kosten.maak import make_project

KOP_MET_PROJECT = [*KOP, "Project"]


@pytest.fixture
def omgeving(session: Session) -> Omgeving:
    return maak_omgeving(session)


def test_a_project_column_charges_the_contacts(session: Session, omgeving: Omgeving) -> None:
    kansrijk = make_project(session, omgeving.organisatie, naam="Kansrijke Start")
    make_project(session, omgeving.organisatie, naam="Sociaal domein")
    bestand = csv_bytes([
        [*rij(Cliëntnummer="C1"), "kansrijke start"],  # the name, written otherwise
        [*rij(Cliëntnummer="C2"), str(kansrijk.id)],  # the id
        [*rij(Cliëntnummer="C3"), ""],  # no project
    ], kop=KOP_MET_PROJECT)
    verslag = importeer(session, omgeving, bestand)
    assert fouten(verslag) == []
    projecten = sorted(str(p) for p in session.exec(
        select(Contactmoment.project_id).where(Contactmoment.organisatie_id == omgeving.organisatie.id)))
    assert projecten == sorted([str(kansrijk.id), str(kansrijk.id), "None"])


def test_an_unknown_or_foreign_project_is_a_row_error(session: Session, omgeving: Omgeving) -> None:
    ander = maak_omgeving(session)
    vreemd = make_project(session, ander.organisatie, naam="Van een ander")
    bestand = csv_bytes([[*rij(Cliëntnummer="C1"), "Bestaat niet"], [*rij(Cliëntnummer="C2"), str(vreemd.id)],
                         [*rij(Cliëntnummer="C3"), "Van een ander"]], kop=KOP_MET_PROJECT)
    verslag = importeer(session, omgeving, bestand, per_rij=True)
    gevonden = fouten(verslag)
    assert [(r, kolom) for r, kolom, _, _ in gevonden] == [(2, "Project"), (3, "Project"), (4, "Project")]
    assert all("Onbekend project" in reden for *_, reden in gevonden)
