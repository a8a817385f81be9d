"""The signal conversation on the dashboard without a browser: message and status are separate forms,
a final status needs the confirmation page (feedback and a ticked box), and the page speaks plain Dutch.

Before: from `in-behandeling` the form offered opgepakt / niet-opgepakt with opgepakt preselected, and
one submit closed the signal; a new feedback text overwrote the earlier one.
"""

import re
import uuid
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Signaal, SignaalBericht
from app.web.sessie import COOKIE
from tests.factories import Omgeving, make_key
from tests.signalen.factories import make_signaal
from tests.web.helpers import cookie_inhoud, meld_aan


def _csrf(client: TestClient) -> str:
    return cookie_inhoud(client.cookies[COOKIE])["c"]


def _status(session: Session, signaal_id: uuid.UUID) -> str:
    session.expire_all()
    signaal = session.get(Signaal, signaal_id)
    assert signaal is not None
    return signaal.status


def _berichten(session: Session, signaal_id: uuid.UUID) -> list[tuple[str, str]]:
    session.expire_all()
    rijen = session.exec(select(SignaalBericht).where(SignaalBericht.signaal_id == signaal_id)
                         .order_by(SignaalBericht.datum, SignaalBericht.aangemaakt_op)).all()
    return [(b.van, b.tekst) for b in rijen]


def _kaart(html: str, signaal_id: Any) -> str:
    begin = html.index(f'id="signaal-{signaal_id}"')
    einde = html.find('<li class="kaart"', begin)
    return html[begin:einde if einde > 0 else None]


def test_gesprek_tussenbericht_antwoord_en_bevestigde_eindstatus(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    signaal = make_signaal(session, omgeving.organisatie, titel="Moeders kennen het consultatiebureau niet", status="in-behandeling")
    regio = make_key(session, scopes=("signalen",), gemeentecodes=["GM0344"])
    session.commit()

    assert meld_aan(client, regio).status_code == 303
    lijst = client.get("/signalen").text
    kaart = _kaart(lijst, signaal.id)
    # Plain Dutch choices, none preselected, no raw codes.
    assert "Opgepakt: de gemeente gaat ermee aan de slag" in kaart
    assert "Niet opgepakt: de gemeente doet er nu niets mee" in kaart
    assert 'type="radio"' in kaart and "checked" not in kaart and "selected" not in kaart and "`" not in lijst
    # The message form is its own form and changes no status.
    tussen = client.post(f"/signalen/{signaal.id}/berichten", data={"csrf": _csrf(client), "tekst": "Ontvangen, we bespreken het dinsdag."},
                         follow_redirects=False)
    assert tussen.status_code == 303 and "gedaan=bericht" in tussen.headers["location"]
    assert _status(session, signaal.id) == "in-behandeling"

    # Choosing a final status from the list sets nothing: it leads to the confirmation page.
    keuze = client.post(f"/signalen/{signaal.id}/status", data={"csrf": _csrf(client), "status": "niet-opgepakt"}, follow_redirects=False)
    assert keuze.status_code == 303 and keuze.headers["location"] == f"/signalen/{signaal.id}/afronden?status=niet-opgepakt"
    assert _status(session, signaal.id) == "in-behandeling"
    bevestig = client.get(keuze.headers["location"])
    assert bevestig.status_code == 200
    assert "Niet opgepakt: de gemeente doet er nu niets mee" in bevestig.text
    assert 'name="bevestigd"' in bevestig.text and "checked" not in bevestig.text

    # Without the ticked box, or without feedback, nothing changes.
    for data, melding in (({"tekst": "Geen budget dit jaar."}, "Vink aan"), ({"bevestigd": "ja"}, "Schrijf eerst een terugkoppeling")):
        antwoord = client.post(f"/signalen/{signaal.id}/status",
                               data={"csrf": _csrf(client), "status": "niet-opgepakt", "stap": "bevestigen", **data})
        assert antwoord.status_code == 400 and melding in antwoord.text
        assert "Signaal afronden" in antwoord.text  # still the confirmation page, with the menu
        assert _status(session, signaal.id) == "in-behandeling"

    klaar = client.post(f"/signalen/{signaal.id}/status", follow_redirects=False, data={
        "csrf": _csrf(client), "status": "niet-opgepakt", "stap": "bevestigen", "bevestigd": "ja",
        "tekst": "Er is dit jaar geen budget; we nemen het mee in de begroting van volgend jaar."})
    assert klaar.status_code == 303 and "gedaan=afgerond" in klaar.headers["location"]
    assert _status(session, signaal.id) == "niet-opgepakt"
    # The interim message is kept beside the final feedback.
    assert [t for _, t in _berichten(session, signaal.id)] == [
        "Ontvangen, we bespreken het dinsdag.",
        "Er is dit jaar geen budget; we nemen het mee in de begroting van volgend jaar.",
    ]
    afgerond = _kaart(client.get("/signalen").text, signaal.id)
    assert "Dit signaal is afgerond" in afgerond and "Status wijzigen" not in afgerond and "Niet opgepakt" in afgerond

    # The organisation sees the whole conversation and replies.
    client.cookies.clear()
    assert meld_aan(client, omgeving.headers).status_code == 303
    eigen = _kaart(client.get("/signalen").text, signaal.id)
    assert "Ontvangen, we bespreken het dinsdag." in eigen and "geen budget" in eigen and "Status wijzigen" not in eigen
    antwoord = client.post(f"/signalen/{signaal.id}/berichten", data={"csrf": _csrf(client), "tekst": "Jammer, dank voor de uitleg."},
                           follow_redirects=False)
    assert antwoord.status_code == 303
    assert _berichten(session, signaal.id)[-1] == ("organisatie", "Jammer, dank voor de uitleg.")
    # The organisation cannot change the receiver's status.
    assert client.post(f"/signalen/{signaal.id}/status", data={"csrf": _csrf(client), "status": "opgepakt"}).status_code == 403


def test_foute_berichten_op_de_pagina_in_gewone_woorden(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    signaal = make_signaal(session, omgeving.organisatie, status="ontvangen")
    regio = make_key(session, scopes=("signalen",), gemeentecodes=["GM0344"])
    session.commit()
    assert meld_aan(client, regio).status_code == 303
    for tekst, melding in (
        ("x" * 25_000, "25.000 tekens"),
        ("", "Schrijf eerst een bericht"),
        ("Bel 06-12345678 voor meer uitleg", "persoonsgegevens"),
    ):
        antwoord = client.post(f"/signalen/{signaal.id}/berichten", data={"csrf": _csrf(client), "tekst": tekst})
        assert antwoord.status_code == 400, tekst[:20]
        kaart = _kaart(antwoord.text, signaal.id)
        assert melding in kaart and 'aria-invalid="true"' in kaart
        assert 'aria-label="Hoofdmenu"' in antwoord.text  # the page with its menu, not a bare error page
        assert "06-12345678" not in re.sub(r"<textarea[^>]*>.*?</textarea>", "", antwoord.text, flags=re.DOTALL)
    assert _berichten(session, signaal.id) == []
    # A status that cannot follow: said in names, not codes.
    terug = client.post(f"/signalen/{signaal.id}/status", data={"csrf": _csrf(client), "status": "ingediend"})
    assert terug.status_code == 400 and "Een signaal met status Ontvangen kan niet naar Ingediend" in terug.text
    assert "`" not in terug.text
    assert client.post(f"/signalen/{signaal.id}/status", data={"csrf": _csrf(client)}).status_code == 400
    # On the confirmation page one date field carries both API dates: one message, the date in words.
    toekomst = client.post(f"/signalen/{signaal.id}/status", data={
        "csrf": _csrf(client), "status": "opgepakt", "stap": "bevestigen", "bevestigd": "ja", "tekst": "Komt goed.",
        "datum": "2999-01-01"})
    assert toekomst.status_code == 400 and "Signaal afronden" in toekomst.text
    melding = re.search(r'role="alert"[^>]*>(.*?)</div>', toekomst.text, re.DOTALL)
    assert melding and melding.group(1).count("Datum:") == 1 and "1 januari 2999" in melding.group(1)
    assert "2999-01-01" not in melding.group(1)
    assert _status(session, signaal.id) == "ontvangen"


def test_organisatie_zonder_schrijfrecht_en_andermans_signaal(client: TestClient, session: Session, omgeving: Omgeving, andere: Omgeving) -> None:
    eigen = make_signaal(session, omgeving.organisatie)
    aan_partner = make_signaal(session, omgeving.organisatie, gericht_aan_soort="ketenpartner", gericht_aan_gemeentecode=None,
                               gericht_aan_ketenpartner_id=omgeving.ketenpartner.id)
    vreemd = make_signaal(session, andere.organisatie)
    lezer = make_key(session, organisatie=omgeving.organisatie, scopes=("inzien",))
    session.commit()
    assert meld_aan(client, omgeving.headers).status_code == 303
    lijst = client.get("/signalen").text
    assert "Bericht versturen" in _kaart(lijst, eigen.id)
    # A ketenpartner does not read the dashboard: no form that seems to write to it.
    assert "Bericht versturen" not in _kaart(lijst, aan_partner.id) and "Die leest Sleutelmonitor niet" in _kaart(lijst, aan_partner.id)
    assert client.post(f"/signalen/{vreemd.id}/berichten", data={"csrf": _csrf(client), "tekst": "Hallo"}).status_code == 404
    client.cookies.clear()
    assert meld_aan(client, lezer).status_code == 303
    pagina = client.get("/signalen").text
    assert "Bericht versturen" not in pagina
    assert client.post(f"/signalen/{eigen.id}/berichten", data={"csrf": _csrf(client), "tekst": "Hallo"}).status_code == 403
    assert _berichten(session, eigen.id) == []
