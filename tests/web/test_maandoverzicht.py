"""The maandoverzicht for the feedback talk: the month beside the previous one and the year so far,
hours against contract hours, referrals still open from earlier months, outcomes, only the month's
signals, previous/next month, and agreements kept per key person and month (guarded free text)."""

import re
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.core.validation import vandaag
from app.models import Maandafspraak
from tests.factories import Omgeving, body, make_inzet, make_key
from tests.signalen.factories import make_signaal
from tests.web.helpers import meld_aan


def _maand(d: date) -> str:
    return f"{d.year}-{d.month:02d}"


@pytest.fixture
def opzet(client: TestClient, session: Session, omgeving: Omgeving) -> dict[str, date]:
    deze = vandaag().replace(day=1) - timedelta(days=1)  # last month: the talk looks back on it
    deze = deze.replace(day=12)
    vorige = (deze.replace(day=1) - timedelta(days=1)).replace(day=12)
    ouder = (vorige.replace(day=1) - timedelta(days=1)).replace(day=12)
    omgeving.sleutelpersoon.uren_per_week = 8
    session.add(omgeving.sleutelpersoon)
    for datum, aantal in ((deze, 3), (vorige, 1), (ouder, 1)):
        for _ in range(aantal):
            antwoord = client.post("/v1/contactmomenten", headers=omgeving.headers, json=body(omgeving, datum=datum.isoformat()))
            assert antwoord.status_code == 201, antwoord.text
    make_inzet(session, omgeving.organisatie, omgeving.sleutelpersoon, datum=deze, minuten=600)
    make_signaal(session, omgeving.organisatie, sleutelpersoon_id=omgeving.sleutelpersoon.id, datum=deze, titel="Signaal van deze maand")
    make_signaal(session, omgeving.organisatie, sleutelpersoon_id=omgeving.sleutelpersoon.id, datum=ouder, titel="Signaal van lang geleden")
    sleutel = make_key(session, organisatie=omgeving.organisatie, scopes=("registreren", "rapporteren"))
    session.commit()
    meld_aan(client, sleutel)
    return {"deze": deze, "vorige": vorige, "ouder": ouder}


def _tekst(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_maand_naast_vorige_en_dit_jaar(client: TestClient, omgeving: Omgeving, opzet: dict[str, date]) -> None:
    pagina = client.get(f"/sleutelpersonen/{omgeving.sleutelpersoon.id}/maandoverzicht?maand={_maand(opzet['deze'])}")
    assert pagina.status_code == 200
    tekst = _tekst(pagina.text)
    assert omgeving.organisatie.naam in tekst and "Gemaakt op" in tekst
    contacten = re.search(r"Contactmomenten (\S+) (\S+) (\S+)", tekst)
    jaar_verwacht = 3 + sum(1 for d in (opzet["vorige"], opzet["ouder"]) if d.year == opzet["deze"].year)
    assert contacten and contacten.groups() == ("3", "1", str(jaar_verwacht)), contacten
    assert re.search(r"Gewerkte uren \(geregistreerd\) 10 van [\d,]+ \S+ (van [\d,]+ )?[\d,]+ van", tekst)
    assert "uren per week × dagen in de maand ÷ 7" in tekst
    # Only the month's signals; the old one is not on this sheet.
    assert "Signaal van deze maand" in tekst and "Signaal van lang geleden" not in tekst
    # Referrals of earlier months still open (the body makes each contact with one, status verwezen).
    open_deel = tekst.split("Nog open uit eerdere maanden", 1)[1].split("Signalen van", 1)[0]
    assert open_deel.count(" dagen)") == 2
    assert "Doorverwezen" in tekst.split("Uitkomsten", 1)[1]
    # Previous always, next only up to this month.
    assert f'?maand={_maand(opzet["vorige"])}' in pagina.text
    huidig = client.get(f"/sleutelpersonen/{omgeving.sleutelpersoon.id}/maandoverzicht?maand={_maand(vandaag())}")
    assert 'rel="next"' not in huidig.text


def test_afspraken_bewaard_en_bewaakt(client: TestClient, session: Session, omgeving: Omgeving, opzet: dict[str, date]) -> None:
    pad = f"/sleutelpersonen/{omgeving.sleutelpersoon.id}/maandoverzicht"
    pagina = client.get(f"{pad}?maand={_maand(opzet['deze'])}")
    csrf = re.search(r'name="csrf" value="([^"]+)"', pagina.text).group(1)  # type: ignore[union-attr]
    met_bsn = client.post(f"{pad}/afspraken", data={"csrf": csrf, "maand": _maand(opzet["deze"]),
                                                     "tekst": "Bel mevrouw terug, bsn 111222333"})
    assert met_bsn.status_code == 400 and "persoonsgegevens" in met_bsn.text
    assert 'aria-invalid="true"' in met_bsn.text and "Bel mevrouw terug" in met_bsn.text  # the input is kept
    assert session.exec(select(Maandafspraak)).first() is None
    goed = client.post(f"{pad}/afspraken", data={"csrf": csrf, "maand": _maand(opzet["deze"]),
                                                  "tekst": "Samen naar de intervisie.\nVolgende maand de voorlichting bij de moskee."},
                       follow_redirects=False)
    assert goed.status_code == 303
    terug = client.get(goed.headers["location"])
    assert "De afspraken zijn bewaard" in terug.text and "Volgende maand de voorlichting" in terug.text
    # Per month: the previous month's sheet has none.
    assert "Samen naar de intervisie" not in client.get(f"{pad}?maand={_maand(opzet['vorige'])}").text
    leeg = client.post(f"{pad}/afspraken", data={"csrf": csrf, "maand": _maand(opzet["deze"]), "tekst": "  "}, follow_redirects=False)
    assert leeg.status_code == 303 and session.exec(select(Maandafspraak)).first() is None
    zonder_csrf = client.post(f"{pad}/afspraken", data={"csrf": "x", "maand": _maand(opzet["deze"]), "tekst": "iets"})
    assert zonder_csrf.status_code == 403


def test_sleutelpersonen_met_een_eigen_periode(client: TestClient, omgeving: Omgeving, opzet: dict[str, date]) -> None:
    maand = _maand(opzet["deze"])
    pagina = client.get(f"/sleutelpersonen?eigen={maand}")
    assert pagina.status_code == 200 and f'<option value="{maand}" selected>' in pagina.text
    fout = client.get("/sleutelpersonen?eigen=gisteren")
    assert 'aria-invalid="true"' in fout.text
