"""The app's own JSON under /app/api: only for a device of a key person, with that person's data only."""

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.validation import vandaag
from app.sleutelapp import service
from tests.apparaten.helpers import APP_HEADERS, als_apparaat, apparaat_cookie
from tests.factories import Omgeving, make_contactmoment, make_key, make_sleutelpersoon
from tests.helpers import assert_problem

PADEN = ("/app/api/profiel", "/app/api/codelijsten", "/app/api/opvolgen", "/app/api/maand")


@pytest.fixture
def telefoon(session: Session, omgeving: Omgeving) -> dict[str, str]:
    return als_apparaat(apparaat_cookie(session, omgeving.sleutelpersoon.id))


@pytest.mark.parametrize("pad", PADEN)
def test_alleen_voor_een_apparaat_met_de_eigen_header(client: TestClient, session: Session, omgeving: Omgeving,
                                                     telefoon: dict[str, str], pad: str) -> None:
    assert client.get(pad, headers=telefoon).status_code == 200
    assert_problem(client.get(pad, headers=APP_HEADERS), 401)  # no device
    zonder_header = {"Cookie": telefoon["Cookie"]}
    assert_problem(client.get(pad, headers=zonder_header), 403)  # the cookie alone is not enough (CSRF defence)
    # An organisation's API key is not a key person's device: problem+json, not a page.
    antwoord = client.get(pad, headers=make_key(session, organisatie=omgeving.organisatie))
    assert_problem(antwoord, 401)


def test_eigen_gegevens_worden_niet_door_de_browser_bewaard(client: TestClient, telefoon: dict[str, str]) -> None:
    antwoord = client.get("/app/api/profiel", headers=telefoon)
    assert antwoord.headers["cache-control"] == "no-store"


def test_opvolgen_toont_geen_verwijzing_van_een_collega(client: TestClient, session: Session, omgeving: Omgeving,
                                                         telefoon: dict[str, str]) -> None:
    collega = make_sleutelpersoon(session, omgeving.organisatie)
    make_contactmoment(session, omgeving.organisatie, collega, datum=vandaag() - timedelta(days=3),
                       doorverwijzingen=[{"ketenpartner": omgeving.ketenpartner}])
    eigen = make_contactmoment(session, omgeving.organisatie, omgeving.sleutelpersoon, datum=vandaag() - timedelta(days=1),
                               doorverwijzingen=[{"ketenpartner": omgeving.ketenpartner}])
    session.commit()
    uit = client.get("/app/api/opvolgen", headers=telefoon).json()
    assert [c["id"] for c in uit["contacten"]] == [str(eigen.id)]
    assert len(uit["verwijzingen"]) == 1


def test_mijn_maand_over_http_is_wat_de_organisatie_ziet_voor_die_sleutelpersoon(
    client: TestClient, session: Session, omgeving: Omgeving, telefoon: dict[str, str],
) -> None:
    dag = vandaag()
    make_contactmoment(session, omgeving.organisatie, omgeving.sleutelpersoon, datum=dag.replace(day=1),
                       onderwerpen=["geld.toeslagen", "zorg.huisarts"], inwoner_referentie="r-1",
                       doorverwijzingen=[{"ketenpartner": omgeving.ketenpartner, "status": "afgerond"}])
    make_contactmoment(session, omgeving.organisatie, make_sleutelpersoon(session, omgeving.organisatie),
                       datum=dag.replace(day=1), onderwerpen=["geld.toeslagen"])
    sleutel = make_key(session, organisatie=omgeving.organisatie, scopes=("rapporteren",))
    session.commit()
    maand = client.get("/app/api/maand", headers={**telefoon, "Cookie": telefoon["Cookie"] + "; sleutelmonitor_taal=en"})
    assert maand.status_code == 200, maand.text
    data = maand.json()
    assert data["maand"] == dag.strftime("%Y-%m")
    assert data["maandNaam"].split()[0] == dag.strftime("%B")  # English month name, from Babel's CLDR data
    for cijfer in data["cijfers"]:
        if cijfer["code"] not in service.INDICATOREN:
            continue
        api = client.get(f"/v1/indicatoren/{cijfer['code']}/waarden", headers=sleutel,
                         params={"periode": data["maand"], "sleutelpersoon": str(omgeving.sleutelpersoon.id)})
        assert cijfer["waarde"] == api.json()["rijen"][0]["waarde"], cijfer
    namen = {c["code"]: c["naam"] for c in data["cijfers"]}
    assert namen["aantal-contactmomenten"] == "Contacts"  # the figure names come from the catalogue
    assert {c["code"]: c["waarde"] for c in data["cijfers"]}["aantal-contactmomenten"] == 1


def test_een_maand_die_geen_maand_is(client: TestClient, telefoon: dict[str, str]) -> None:
    antwoord = client.get("/app/api/maand", params={"maand": "2026-13"}, headers=telefoon)
    assert_problem(antwoord, 400, names=["maand"])


def test_mijn_maand_toont_de_afspraken_uit_het_maandgesprek(client: TestClient, session: Session, omgeving: Omgeving,
                                                           telefoon: dict[str, str]) -> None:
    """The key person sees the agreements the coordinator wrote on the maandoverzicht; never a colleague's."""
    from app.models import Maandafspraak

    deze = f"{vandaag().year}-{vandaag().month:02d}"
    collega = make_sleutelpersoon(session, omgeving.organisatie)
    session.add(Maandafspraak(organisatie_id=omgeving.organisatie.id, sleutelpersoon_id=omgeving.sleutelpersoon.id,
                              maand=deze, tekst="Samen naar de intervisie."))
    session.add(Maandafspraak(organisatie_id=omgeving.organisatie.id, sleutelpersoon_id=collega.id,
                              maand=deze, tekst="Afspraak van een collega."))
    session.commit()
    afspraken = client.get("/app/api/maand", headers=telefoon).json()["afspraken"]
    assert afspraken == [{"maand": deze, "tekst": "Samen naar de intervisie."}]
