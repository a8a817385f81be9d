"""The Rapportage page without a browser: who sees what, confirmation before every final step, tenancy."""

import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.core.validation import vandaag
from app.models import Rapportagestatus
from app.rapportage.periodes import periode_van
from tests.factories import Omgeving, make_key, make_organisatie
from tests.rapportage.factories import make_ritme, make_status
from tests.web.helpers import meld_aan


def _csrf(html: str) -> str:
    gevonden = re.search(r'name="csrf" value="([^"]+)"', html)
    assert gevonden
    return gevonden.group(1)


def _status(session: Session, organisatie_id: object, periode: str) -> str | None:
    rij = session.exec(select(Rapportagestatus).where(Rapportagestatus.organisatie_id == organisatie_id,
                                                      Rapportagestatus.periode == periode)).first()
    return rij.status if rij else None


def test_coordinator_submits_after_a_confirmation(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    make_ritme(session, [omgeving.organisatie])
    meld_aan(client, make_key(session, organisatie=omgeving.organisatie, scopes=("registreren", "inzien", "rapporteren")))
    pagina = client.get("/rapportage")
    assert pagina.status_code == 200, pagina.text
    assert "2025Q1" in pagina.text and "Indienen" in pagina.text
    csrf = _csrf(pagina.text)
    vraag = client.post("/rapportage/indienen", data={"csrf": csrf, "periode": "2025Q1"})
    assert vraag.status_code == 200 and "Ja, indienen" in vraag.text
    assert _status(session, omgeving.organisatie.id, "2025Q1") is None  # nothing happened yet
    klaar = client.post("/rapportage/indienen", data={"csrf": csrf, "periode": "2025Q1", "bevestigd": "ja"},
                        follow_redirects=False)
    assert klaar.status_code == 303
    assert _status(session, omgeving.organisatie.id, "2025Q1") == "ingediend"


def test_region_sends_back_with_a_message_after_a_confirmation(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    ritme = make_ritme(session, [omgeving.organisatie])
    vorig = periode_van("kwartaal", periode_van("kwartaal", vandaag()).vanaf - timedelta(days=1)).label  # on the page
    make_status(session, ritme, omgeving.organisatie, periode=vorig, status="ingediend")
    meld_aan(client, make_key(session, gemeentecodes=["GM0344"], scopes=("rapporteren", "goedkeuren")))
    pagina = client.get("/rapportage")
    assert pagina.status_code == 200, pagina.text
    assert omgeving.organisatie.naam in pagina.text and "Goedkeuren" in pagina.text
    csrf = _csrf(pagina.text)
    velden = {"csrf": csrf, "ritme": str(ritme.id), "periode": vorig, "organisatie": str(omgeving.organisatie.id),
              "stap": "terugsturen"}
    vraag = client.post("/rapportage/beoordelen", data=velden)
    assert vraag.status_code == 200 and "Ja, terugsturen" in vraag.text
    leeg = client.post("/rapportage/beoordelen", data={**velden, "bevestigd": "ja"})
    assert leeg.status_code == 400  # a message is required
    privacy = client.post("/rapportage/beoordelen", data={**velden, "bevestigd": "ja", "bericht": "Bel 0612345678"})
    assert privacy.status_code == 400 and "0612345678" not in privacy.text  # refused, never echoed
    assert _status(session, omgeving.organisatie.id, vorig) == "ingediend"
    klaar = client.post("/rapportage/beoordelen", data={**velden, "bevestigd": "ja", "bericht": "De uren ontbreken."},
                        follow_redirects=False)
    assert klaar.status_code == 303
    assert _status(session, omgeving.organisatie.id, vorig) == "teruggestuurd"


def test_an_organisation_cannot_approve_and_a_region_not_another_regions(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    ritme = make_ritme(session, [omgeving.organisatie])
    make_status(session, ritme, omgeving.organisatie, periode="2025Q1", status="ingediend")
    velden = {"ritme": str(ritme.id), "periode": "2025Q1", "organisatie": str(omgeving.organisatie.id),
              "stap": "goedkeuren", "bevestigd": "ja"}
    meld_aan(client, make_key(session, organisatie=omgeving.organisatie, scopes=("registreren", "inzien", "rapporteren")))
    csrf = _csrf(client.get("/rapportage").text)
    assert client.post("/rapportage/beoordelen", data={**velden, "csrf": csrf}).status_code == 403
    client.cookies.clear()
    make_organisatie(session, gemeentecodes=["GM0599"])
    meld_aan(client, make_key(session, gemeentecodes=["GM0599"], scopes=("rapporteren", "goedkeuren")))
    csrf = _csrf(client.get("/rapportage").text)
    assert client.post("/rapportage/beoordelen", data={**velden, "csrf": csrf}).status_code == 404
    assert _status(session, omgeving.organisatie.id, "2025Q1") == "ingediend"
