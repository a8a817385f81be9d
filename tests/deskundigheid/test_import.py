"""Import of trainings (issue 26, part 4): Dutch Excel CSV, a row per participant, a dry run, atomic,
and loading the same file twice changes nothing."""

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.factories import Omgeving, make_sleutelpersoon
from tests.helpers import assert_400

URL = "/v1/deskundigheidsbevordering/import"


def _csv(*regels: str) -> bytes:
    return ("\ufeffSoort;Titel;Datum;Uren;Aanbieder;Deelnemer\r\n" + "\r\n".join(regels) + "\r\n").encode("utf-8")


def test_proefdraai_dan_echt_dan_nogmaals(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    make_sleutelpersoon(session, omgeving.organisatie, weergavenaam="Amina B.")
    make_sleutelpersoon(session, omgeving.organisatie, weergavenaam="Yonas T.")
    session.commit()
    bestand = _csv("Intervisie;Intervisie maart;12-3-2026;2;Eigen organisatie;Amina B.",
                   "intervisie;Intervisie maart;12-03-2026;2;Eigen organisatie;yonas t",
                   "Cursus;Werken met een tolk;4-2-2026;1,5;Pharos;Amina B. / Yonas T.")
    headers = omgeving.headers | {"Content-Type": "text/csv"}
    proef = client.post(URL, params={"proefdraai": "true"}, content=bestand, headers=headers)
    assert proef.status_code == 200, proef.text
    assert (proef.json()["aangemaakt"], proef.json()["opgeslagen"]) == (2, False)
    assert client.get("/v1/deskundigheidsbevordering", headers=omgeving.headers).json() == []

    echt = client.post(URL, content=bestand, headers=headers).json()
    assert (echt["gelezen"], echt["aangemaakt"], echt["opgeslagen"], echt["fouten"]) == (3, 2, True, [])
    lijst = client.get("/v1/deskundigheidsbevordering", headers=omgeving.headers).json()
    intervisie = next(r for r in lijst if r["soort"] == "intervisie")
    assert len(intervisie["deelnemers"]) == 2 and intervisie["uren"] == 2
    assert next(r for r in lijst if r["soort"] == "bijscholing")["uren"] == 1.5  # "Cursus" is a synonym

    nogmaals = client.post(URL, content=bestand, headers=headers).json()
    assert (nogmaals["aangemaakt"], nogmaals["bijgewerkt"], nogmaals["ongewijzigd"]) == (0, 0, 2)


def test_een_foute_rij_en_er_wordt_niets_opgeslagen(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    make_sleutelpersoon(session, omgeving.organisatie, weergavenaam="Amina B.")
    session.commit()
    bestand = _csv("Intervisie;Intervisie april;9-4-2026;2;;Amina B.",
                   "Kookles;Koken;9-4-2026;2;;Amina B.",
                   "Coaching;Coaching;31-2-2026;1;;Onbekende Naam",
                   "Coaching;Coaching;2-2-2026;0,3;;Amina B.")
    verslag = client.post(URL, content=bestand, headers=omgeving.headers | {"Content-Type": "text/csv"}).json()
    assert (verslag["opgeslagen"], verslag["afgewezen"]) == (False, 3)
    assert {(f["rij"], f["kolom"]) for f in verslag["fouten"]} == {(3, "Soort"), (4, "Datum"), (4, "Deelnemers"), (5, "Uren")}
    assert client.get("/v1/deskundigheidsbevordering", headers=omgeving.headers).json() == []
    assert_400(client.post(URL, content=b"x", headers=omgeving.headers | {"Content-Type": "application/json"}), ["Content-Type"])
