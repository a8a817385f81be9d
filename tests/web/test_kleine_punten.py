"""The dashboard's smaller findings of round two: unique download names, readable column headings, a
percentage target in percent, and the adviser's exact count of fed-back signals."""

import re
from datetime import date

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.validation import vandaag
from app.models import Doel
from tests.factories import Omgeving, body, make_key, make_organisatie
from tests.signalen.factories import make_signaal
from tests.web.helpers import meld_aan


def test_downloads_hebben_elk_een_eigen_naam_en_leesbare_koppen(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    assert client.post("/v1/contactmomenten", headers=omgeving.headers, json=body(omgeving)).status_code == 201
    sleutel = make_key(session, organisatie=omgeving.organisatie, scopes=("registreren", "rapporteren"))
    session.commit()
    meld_aan(client, sleutel)
    pagina = client.get("/overzicht?periode=2025").text
    links = [l.replace("&amp;", "&") for l in re.findall(r'href="(/overzicht/download\?[^"]+formaat=csv[^"]*)"', pagina)]
    assert len(links) >= 5
    namen = [re.search(r'filename="([^"]+)"', client.get(l).headers["content-disposition"]).group(1) for l in links]  # type: ignore[union-attr]
    assert len(set(namen)) == len(namen), namen
    soort = next(l for l in links if "ketenpartnerCategorie" in l)
    kop = client.get(soort).content.decode("utf-8-sig").splitlines()[0]
    assert "soort ketenpartner" in kop and "ketenpartnerCategorie" not in kop


def test_percentagedoel_in_procenten(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    session.add(Doel(organisatie_id=omgeving.organisatie.id, indicator="percentage-doorverwijzingen-afgerond",
                     periode=str(vandaag().year), vanaf=date(vandaag().year, 1, 1), tot=date(vandaag().year + 1, 1, 1),
                     waarde=75))
    sleutel = make_key(session, organisatie=omgeving.organisatie, scopes=("registreren", "rapporteren"))
    session.commit()
    meld_aan(client, sleutel)
    tekst = re.sub(r"\s+", " ", client.get("/overzicht?periode=dit-jaar").text)
    assert "bij een doel van 75%" in tekst or "nog geen waarde" in tekst
    assert "van 75:" not in tekst


def test_adviseur_ziet_teruggekoppelde_signalen_exact(client: TestClient, session: Session) -> None:
    org = make_organisatie(session)
    datum = vandaag().replace(day=1)
    make_signaal(session, org, datum=datum, gericht_aan_gemeentecode="GM0344")
    make_signaal(session, org, datum=datum, gericht_aan_gemeentecode="GM0344", status="opgepakt",
                 terugkoppeling_tekst="We nemen het mee.", terugkoppeling_datum=datum)
    sleutel = make_key(session, gemeentecodes=["GM0344"], scopes=("rapporteren", "signalen"))
    session.commit()
    meld_aan(client, sleutel)
    tekst = re.sub(r"\s+", " ", client.get("/overzicht?periode=deze-maand").text)
    assert "50%" in tekst and "1 van 2 signalen aan uw gemeenten" in tekst


def test_namen_naast_codes(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    regio = make_key(session, gemeentecodes=["GM0344", "GM0307"], scopes=("rapporteren",))
    sleutel = make_key(session, organisatie=omgeving.organisatie, scopes=("registreren", "rapporteren"))
    session.commit()
    meld_aan(client, sleutel)
    pagina = re.sub(r"\s+", " ", client.get("/sleutelpersonen").text)
    assert omgeving.organisatie.naam in pagina and "Utrecht (GM0344)" in pagina
    client.post("/afmelden", data={"csrf": re.search(r'name="csrf" value="([^"]+)"', pagina).group(1)})  # type: ignore[union-attr]
    client.cookies.clear()
    meld_aan(client, regio)
    assert "Regio Amersfoort (GM0307), Utrecht (GM0344)" in client.get("/overzicht").text
