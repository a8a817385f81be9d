"""The Sleutelpersonen page shows this month's hours against the contract hours for the month."""

import calendar
import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.validation import vandaag
from app.web.templating import getal
from tests.factories import Omgeving, make_key, make_sleutelpersoon
from tests.web.helpers import meld_aan


def test_hours_against_contract_hours_on_the_sleutelpersonen_page(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    persoon = omgeving.sleutelpersoon
    persoon.weergavenaam, persoon.uren_per_week = "Amina", 8
    session.add(persoon)
    make_sleutelpersoon(session, omgeving.organisatie, weergavenaam="Zonder contracturen", uren_per_week=None)
    sleutel = make_key(session, organisatie=omgeving.organisatie, scopes=("registreren", "rapporteren"))
    session.commit()
    dag = vandaag().replace(day=1).isoformat()
    for uren, soort in ((3, "contacten"), (1.5, "overleg")):
        inzet = {"sleutelpersoonId": str(persoon.id), "datum": dag, "uren": uren, "soort": soort}
        assert client.post("/v1/inzet", json=inzet, headers=sleutel).status_code == 201

    assert meld_aan(client, sleutel).status_code == 303
    pagina = client.get("/sleutelpersonen")
    assert pagina.status_code == 200
    dagen = calendar.monthrange(vandaag().year, vandaag().month)[1]
    contract = round(8 * dagen / 7 * 4) / 4
    rij = re.search(r'<th scope="row">Amina</th>(.*?)</tr>', pagina.text.split('id="uren"')[1], re.DOTALL)
    assert rij is not None, pagina.text
    cellen = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", rij.group(1), re.DOTALL)]
    assert cellen[:4] == ["8", getal(contract), "4,5", f"{getal(round(100 * 4.5 / contract, 1))}%"], cellen
    assert cellen[4] == "contacten met inwoners 3, overleg 1,5"
    # The formula is on the page, with this month's weeks.
    assert f"{dagen} dagen gedeeld" in pagina.text and "door 7" in pagina.text
    zonder = re.search(r'<th scope="row">Zonder contracturen</th>(.*?)</tr>', pagina.text.split('id="uren"')[1], re.DOTALL)
    assert zonder is not None and zonder.group(1).count("–") >= 3
