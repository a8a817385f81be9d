"""The key person's page (issue 26, part 8): training, plan, conversations, employment; forms that write
through the same services as the API; closing employment only after a confirmation page."""

import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.validation import vandaag
from tests.factories import Omgeving, make_deskundigheid, make_dienstverband, make_key
from tests.web.helpers import meld_aan


def _csrf(tekst: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', tekst).group(1)  # type: ignore[union-attr]


def test_pagina_toont_en_schrijft(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    persoon = omgeving.sleutelpersoon
    make_deskundigheid(session, omgeving.organisatie, deelnemers=[persoon], soort="bijscholing", titel="Zorgverzekering",
                       datum=vandaag() - timedelta(days=200))
    periode = make_dienstverband(session, omgeving.organisatie, persoon, soort="vrijwilliger", vanaf=vandaag() - timedelta(days=400))
    sleutel = make_key(session, organisatie=omgeving.organisatie, scopes=("registreren", "rapporteren"))
    session.commit()
    meld_aan(client, sleutel)
    url = f"/sleutelpersonen/{persoon.id}"
    pagina = client.get(url)
    assert pagina.status_code == 200, pagina.text
    assert "Zorgverzekering" in pagina.text and "Nog geen intervisie dit kwartaal" in pagina.text
    assert "Vrijwilliger" in pagina.text and "loopt nog" in pagina.text
    csrf = _csrf(pagina.text)
    gister = (vandaag() - timedelta(days=1)).isoformat()

    antwoord = client.post(f"{url}/deskundigheid", data={"csrf": csrf, "soort": "intervisie", "titel": "Intervisie december",
                                                          "datum": gister, "uren": "1,5"}, follow_redirects=False)
    assert antwoord.status_code == 303, antwoord.text
    antwoord = client.post(f"{url}/gesprekken", data={"csrf": csrf, "datum": gister, "soort": "voortgang",
                                                       "afspraken": "Meelopen met de voorlichting"}, follow_redirects=False)
    assert antwoord.status_code == 303, antwoord.text
    antwoord = client.post(f"{url}/ontwikkelplan", data={"csrf": csrf, "omschrijving": "Zelf een voorlichting geven",
                                                          "datum": gister}, follow_redirects=False)
    assert antwoord.status_code == 303, antwoord.text
    pagina = client.get(url)
    assert "Intervisie dit kwartaal: 1 keer" in pagina.text
    assert "Meelopen met de voorlichting" in pagina.text and "Zelf een voorlichting geven" in pagina.text
    # Free text goes through the privacy guard here too, and is not echoed.
    fout = client.post(f"{url}/gesprekken", data={"csrf": csrf, "datum": gister, "soort": "voortgang",
                                                   "afspraken": "Mail amina@example.org"})
    assert fout.status_code == 400 and "amina@example.org" not in fout.text

    # Closing employment asks first; without the confirmation nothing changes.
    afsluiten = f"{url}/dienstverbanden/{periode.id}/afsluiten"
    zonder = client.post(afsluiten, data={"csrf": csrf, "tot": gister, "reden": "betaald-werk"}, follow_redirects=False)
    assert zonder.status_code == 303 and zonder.headers["location"].endswith("/afsluiten")
    assert "loopt nog" in client.get(url).text
    bevestig = client.get(afsluiten)
    assert bevestig.status_code == 200 and "Ja, dienstverband afsluiten" in bevestig.text
    klaar = client.post(afsluiten, data={"csrf": csrf, "tot": gister, "reden": "betaald-werk", "bevestigd": "ja"},
                        follow_redirects=False)
    assert klaar.status_code == 303, klaar.text
    pagina = client.get(url)
    assert "Betaald werk" in pagina.text and "geen lopend dienstverband" in pagina.text
    detail = client.get(f"/v1/sleutelpersonen/{persoon.id}/dienstverbanden", headers=omgeving.headers).json()
    assert [(p["tot"], p["uitstroomReden"]) for p in detail] == [(gister, "betaald-werk")]


def test_alleen_lezen_zonder_registreren(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    sleutel = make_key(session, organisatie=omgeving.organisatie, scopes=("rapporteren",))
    session.commit()
    meld_aan(client, sleutel)
    url = f"/sleutelpersonen/{omgeving.sleutelpersoon.id}"
    pagina = client.get(url)
    assert pagina.status_code == 200 and "Gesprek opslaan" not in pagina.text
    geweigerd = client.post(f"{url}/gesprekken", data={"csrf": _csrf(pagina.text), "datum": vandaag().isoformat(),
                                                        "soort": "voortgang"})
    assert geweigerd.status_code == 403
