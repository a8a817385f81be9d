"""Doelstellingen in the dashboard: the list and its form, one goal's cycle (targets, stories, evaluations and
decisions), editing and closing it; every write is the API's service with the API's validation, shown on the form."""

import re
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.core.validation import vandaag
from app.models import AuditRegel, Doelstelling
from tests.doelstellingen.factories import make_doelstelling, make_evaluatie
from tests.ervaringsverhalen.factories import make_verhaal
from tests.factories import Omgeving, make_key
from tests.web.helpers import meld_aan

JAAR = vandaag().year


def _csrf(tekst: str) -> str:
    gevonden = re.search(r'name="csrf" value="([^"]+)"', tekst)
    assert gevonden, tekst
    return gevonden.group(1)


@pytest.fixture
def coordinator(client: TestClient, session: Session, omgeving: Omgeving) -> str:
    """Signed in with a key of organisation A that may write and report; returns the CSRF token."""
    sleutel = make_key(session, organisatie=omgeving.organisatie, scopes=("registreren", "rapporteren"))
    session.commit()
    assert meld_aan(client, sleutel).status_code == 303
    return _csrf(client.get("/doelstellingen").text)


def _goed(omgeving: Omgeving, **extra: Any) -> dict[str, Any]:
    return {"titel": "Meer jonge moeders bij de JGZ", "omschrijving": "Sleutelpersonen wijzen de weg.",
            "behoefteanalyse_datum": f"{JAAR}-01-02" if date(JAAR, 1, 2) <= vandaag() else vandaag().isoformat(),
            "behoefteanalyse_tekst": "Gesprekken met de JGZ.", "ketenpartners": [str(omgeving.ketenpartner.id)],
            "vanaf": f"{JAAR}-01-01", "tot": f"{JAAR}-12-31", "status": "actief",
            "indicatoren": ["aantal-contactmomenten", "bereik-inwoners"], **extra}


def _aantal(session: Session, omgeving: Omgeving) -> int:
    session.expire_all()
    return len(session.exec(select(Doelstelling).where(Doelstelling.organisatie_id == omgeving.organisatie.id)).all())


def test_lijst_en_nieuwe_doelstelling(client: TestClient, session: Session, omgeving: Omgeving, coordinator: str) -> None:
    leeg = client.get("/doelstellingen")
    assert leeg.status_code == 200 and "nog geen doelstellingen" in leeg.text
    assert 'action="/doelstellingen"' in leeg.text and omgeving.ketenpartner.naam in leeg.text
    assert 'aria-current="page">Doelstellingen' in leeg.text

    # Every problem at once, the schema's and the service's rules together, next to the form; nothing stored.
    fout = client.post("/doelstellingen", data=_goed(
        omgeving, csrf=coordinator, titel="", omschrijving="Bel 0612345678", tot=f"{JAAR - 1}-12-31",
        behoefteanalyse_tekst=""))
    assert fout.status_code == 400
    overzicht = re.search(r'<div class="foutmelding" role="alert" id="foutoverzicht">(.*?)</div>', fout.text, re.DOTALL)
    assert overzicht, fout.text
    tekst = overzicht.group(1)
    for label in ("Titel: Vul dit in.", "Omschrijving: Bevat persoonsgegevens (telefoonnummer)",
                  "Uitkomst van de behoefteanalyse: Vul dit in.", f"Tot en met: tot (31 december {JAAR - 1}) ligt vóór vanaf (1 januari {JAAR})"):
        assert label in tekst, tekst
    assert "0612345678" not in tekst  # the guard never echoes the value
    assert 'id="titel" name="titel" value=""' in fout.text and 'aria-invalid="true"' in fout.text
    assert f'value="{omgeving.ketenpartner.id}" checked' in fout.text  # what was filled in stays
    assert _aantal(session, omgeving) == 0

    goed = client.post("/doelstellingen", data=_goed(omgeving, csrf=coordinator), follow_redirects=False)
    assert goed.status_code == 303, goed.text
    pad = goed.headers["location"].split("?")[0]
    api = client.get("/v1" + pad, headers=omgeving.headers).json()
    assert api["titel"] == "Meer jonge moeders bij de JGZ" and api["beoogdeKetenpartners"] == [str(omgeving.ketenpartner.id)]
    assert api["indicatoren"] == ["aantal-contactmomenten", "bereik-inwoners"] and api["behoefteanalyse"]["tekst"]
    session.expire_all()
    assert session.exec(select(AuditRegel).where(AuditRegel.resource_id == api["id"])).first() is not None

    lijst = client.get("/doelstellingen")
    rij = re.search(rf'<a href="{pad}">Meer jonge moeders bij de JGZ</a>.*?</tr>', lijst.text, re.DOTALL)
    assert rij and "Actief" in rij.group(0) and ">2<" in rij.group(0) and "nog geen" in rij.group(0)


def test_doel_evaluatie_en_besluit(client: TestClient, session: Session, omgeving: Omgeving, coordinator: str) -> None:
    doelstelling = make_doelstelling(session, omgeving.organisatie, indicatoren=["aantal-contactmomenten"],
                                     vanaf=date(JAAR, 1, 1), tot=date(JAAR, 12, 31))
    verhaal = make_verhaal(session, omgeving.organisatie, titel="Via de sleutelpersoon naar de JGZ")
    session.commit()
    pad = f"/doelstellingen/{doelstelling.id}"
    pagina = client.get(pad)
    assert pagina.status_code == 200
    assert "geen doel vastgelegd" in pagina.text and "nog niet geëvalueerd" in pagina.text

    # A target: the API's rules on the form (a week is no target period; a value must be a number).
    fout = client.post(pad + "/doelen", data={"csrf": coordinator, "indicator": "aantal-contactmomenten",
                                              "periode": f"{JAAR}W10", "waarde": "veel"})
    assert fout.status_code == 400 and "Streefwaarde:" in fout.text
    assert client.get("/v1/doelen", headers=omgeving.headers).json() == []
    vreemd = client.post(pad + "/doelen", data={"csrf": coordinator, "indicator": "bereik-inwoners",
                                                "periode": str(JAAR), "waarde": "10"})
    assert vreemd.status_code == 400 and "Kies een van de indicatoren van deze doelstelling" in vreemd.text
    goed = client.post(pad + "/doelen", data={"csrf": coordinator, "indicator": "aantal-contactmomenten",
                                              "periode": str(JAAR), "waarde": "120"}, follow_redirects=False)
    assert goed.status_code == 303
    doelen = client.get("/v1/doelen", headers=omgeving.headers).json()
    assert [(d["indicator"], d["periode"], d["waarde"]) for d in doelen] == [("aantal-contactmomenten", str(JAAR), 120)]
    tweemaal = client.post(pad + "/doelen", data={"csrf": coordinator, "indicator": "aantal-contactmomenten",
                                                  "periode": str(JAAR), "waarde": "130"})
    assert tweemaal.status_code == 400 and "Er bestaat al een doel" in tweemaal.text
    pagina = client.get(pad)
    rij = re.search(r'<td data-kop="Indicator">Aantal contactmomenten.*?</tr>', pagina.text, re.DOTALL)
    assert rij and f">{JAAR}<" in rij.group(0) and ">120<" in rij.group(0)
    assert [f"waarvan {JAAR}Q{k}" in pagina.text for k in range(1, 5)] == [True] * 4  # the year's quarters below it

    # An evaluation: all problems at once, then recorded with a decision that is overdue.
    formulier = client.get(pad + "/evaluatie")
    assert formulier.status_code == 200 and f'value="{doelstelling.id}" checked' in formulier.text
    velden = {"csrf": coordinator, "datum": vandaag().isoformat(), "doelstellingen": [str(doelstelling.id)],
              "bevindingen": "Het bereik groeit.", "indicatoren": ["aantal-contactmomenten"], "verhalen": [str(verhaal.id)],
              "besluit_tekst": ["Voorlichting ook in het Tigrinya", "", ""], "besluit_rol": ["", "", ""],
              "besluit_deadline": [(vandaag() - timedelta(days=3)).isoformat(), "", ""],
              "besluit_status": ["open", "open", "open"]}
    fout = client.post(pad + "/evaluatie", data=velden)
    assert fout.status_code == 400
    assert "Deelnemers: Vul dit in." in fout.text and "Besluit 1: Ongeldige waarde" in fout.text
    assert 'value="Voorlichting ook in het Tigrinya"' in fout.text
    velden |= {"aantal_sleutelpersonen": "5", "aantal_coordinator": "1", "besluit_rol": ["coordinator", "", ""]}
    goed = client.post(pad + "/evaluatie", data=velden, follow_redirects=False)
    assert goed.status_code == 303, goed.text
    evaluatie = client.get(f"/v1/evaluaties?doelstelling={doelstelling.id}", headers=omgeving.headers).json()[0]
    assert evaluatie["deelnemers"] == [{"rol": "sleutelpersonen", "aantal": 5}, {"rol": "coordinator", "aantal": 1}]
    assert evaluatie["besluiten"][0]["eigenaarRol"] == "coordinator" and evaluatie["ervaringsverhalen"] == [str(verhaal.id)]

    pagina = client.get(pad)
    assert "Evaluatie van" in pagina.text and "Sleutelpersonen (5), Coördinator (1)" in pagina.text
    assert "Via de sleutelpersoon naar de JGZ" in pagina.text  # the story the evaluation considered
    assert pagina.text.count('class="markering">te laat</strong>') == 1

    besluit_id = evaluatie["besluiten"][0]["id"]
    besluit = client.post(pad + "/besluiten", data={"csrf": coordinator, "besluit": besluit_id, "status": "afgerond"},
                          follow_redirects=False)
    assert besluit.status_code == 303
    na = client.get(f"/v1/evaluaties/{evaluatie['id']}", headers=omgeving.headers).json()
    assert na["besluiten"][0]["status"] == "afgerond"
    assert 'class="markering">te laat' not in client.get(pad).text  # done is never overdue
    assert client.get(f"/v1/besluiten/{besluit_id}", headers=omgeving.headers).json()["status"] == "afgerond"
    # A decision that does not exist, or one of an evaluation of another goal: 404; a status that does not exist: 400.
    assert client.post(pad + "/besluiten", data={"csrf": coordinator, "besluit": "nee", "status": "open"}).status_code == 404
    ander_doel = make_doelstelling(session, omgeving.organisatie)
    make_evaluatie(session, omgeving.organisatie, doelstellingen=[ander_doel])
    session.commit()
    ander_besluit = client.get(f"/v1/besluiten?doelstelling={ander_doel.id}", headers=omgeving.headers).json()[0]["id"]
    assert client.post(pad + "/besluiten", data={"csrf": coordinator, "besluit": ander_besluit,
                                                 "status": "open"}).status_code == 404
    assert client.post(pad + "/besluiten", data={"csrf": coordinator, "besluit": besluit_id,
                                                 "status": "klaar"}).status_code == 400


def test_wijzigen_en_afronden_na_bevestiging(client: TestClient, session: Session, omgeving: Omgeving, coordinator: str) -> None:
    doelstelling = make_doelstelling(session, omgeving.organisatie, titel="Eerder in beeld bij geldzorgen",
                                     vanaf=date(JAAR, 1, 1), tot=date(JAAR, 12, 31))
    session.commit()
    pad = f"/doelstellingen/{doelstelling.id}"
    formulier = client.get(pad + "/wijzigen")
    assert formulier.status_code == 200 and 'value="Eerder in beeld bij geldzorgen"' in formulier.text
    assert '<option value="afgerond"' not in formulier.text  # closing has its own confirmed step

    # A schema problem and a rule over the valid fields, in one answer; nothing changed.
    fout = client.post(pad, data={"csrf": coordinator, "titel": "", "vanaf": f"{JAAR}-06-01", "tot": f"{JAAR}-01-31",
                                  "status": "actief", "indicatoren": ["aantal-hulpvragen"]})
    assert fout.status_code == 400
    assert "Titel: Vul dit in." in fout.text and "Tot en met: tot" in fout.text
    api = lambda: client.get("/v1" + pad, headers=omgeving.headers).json()
    assert api()["titel"] == "Eerder in beeld bij geldzorgen" and api()["vanaf"] == f"{JAAR}-01-01"
    goed = client.post(pad, data={"csrf": coordinator, "titel": "Eerder in beeld bij schulden", "vanaf": f"{JAAR}-01-01",
                                  "tot": "", "status": "actief", "indicatoren": ["aantal-hulpvragen", "bestede-uren"]},
                       follow_redirects=False)
    assert goed.status_code == 303
    assert api()["titel"] == "Eerder in beeld bij schulden" and api()["tot"] is None
    assert api()["indicatoren"] == ["aantal-hulpvragen", "bestede-uren"]

    vraag = client.post(pad + "/afronden", data={"csrf": coordinator})
    assert vraag.status_code == 200 and "Ja, doelstelling afronden" in vraag.text and 'name="bevestigd" value="ja"' in vraag.text
    assert api()["status"] == "actief"
    klaar = client.post(pad + "/afronden", data={"csrf": coordinator, "bevestigd": "ja"}, follow_redirects=False)
    assert klaar.status_code == 303 and api()["status"] == "afgerond"
    assert "Doelstelling afronden" not in client.get(pad).text


def test_alleen_lezen_ziet_geen_formulieren(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    doelstelling = make_doelstelling(session, omgeving.organisatie)
    make_evaluatie(session, omgeving.organisatie, doelstellingen=[doelstelling])
    sleutel = make_key(session, organisatie=omgeving.organisatie, scopes=("inzien",))
    session.commit()
    meld_aan(client, sleutel)
    lijst = client.get("/doelstellingen")
    assert lijst.status_code == 200 and "Doelstelling" in lijst.text
    assert "<form method=\"post\" action=\"/doelstellingen\"" not in lijst.text and "Nieuwe doelstelling" not in lijst.text
    pad = f"/doelstellingen/{doelstelling.id}"
    detail = client.get(pad)
    assert detail.status_code == 200 and "Evaluatie van" in detail.text
    assert 'method="post"' not in detail.text.split("<main", 1)[1].split("</main>")[0]
    assert "geen cijfers" in detail.text  # no `rapporteren`: targets without realisation
    csrf = _csrf(detail.text)
    assert client.get(pad + "/wijzigen").status_code == 403
    assert client.get(pad + "/evaluatie").status_code == 403
    for actie, velden in (("", {"titel": "x"}), ("/afronden", {"bevestigd": "ja"}), ("/doelen", {"periode": "2027"})):
        assert client.post(pad + actie, data={"csrf": csrf, **velden}).status_code == 403, actie
    assert client.post("/doelstellingen", data={"csrf": csrf, "titel": "x"}).status_code == 403


def test_andere_organisatie_en_regio(client: TestClient, session: Session, omgeving: Omgeving, andere: Omgeving,
                                     coordinator: str) -> None:
    van_ander = make_doelstelling(session, andere.organisatie, titel="Geheim doel van B")
    session.commit()
    for pad in ("", "/wijzigen", "/evaluatie"):
        antwoord = client.get(f"/doelstellingen/{van_ander.id}{pad}")
        assert antwoord.status_code == 404 and "text/html" in antwoord.headers["content-type"]
        assert "Geheim doel van B" not in antwoord.text
    assert "Geheim doel van B" not in client.get("/doelstellingen").text
    # An evaluation may not name another organisation's goal: the API's rule, on the form.
    eigen = make_doelstelling(session, omgeving.organisatie)
    session.commit()
    fout = client.post(f"/doelstellingen/{eigen.id}/evaluatie", data={
        "csrf": coordinator, "datum": vandaag().isoformat(), "aantal_coordinator": "1",
        "doelstellingen": [str(eigen.id), str(van_ander.id)]})
    assert fout.status_code == 400 and "bestaat niet in de eigen organisatie" in fout.text

    regio = make_key(session, gemeentecodes=["GM0344"], scopes=("rapporteren", "signalen"))
    session.commit()
    client.cookies.clear()
    meld_aan(client, regio)
    assert client.get("/doelstellingen").status_code == 403
    assert 'href="/doelstellingen"' not in client.get("/overzicht").text


def test_overzicht_toont_doelen_met_hun_doelstelling(client: TestClient, session: Session, omgeving: Omgeving,
                                                     coordinator: str) -> None:
    """The overview's target table: this year's target, its realisation, and a link to the goal that names it."""
    doelstelling = make_doelstelling(session, omgeving.organisatie, titel="Meer contact", indicatoren=["aantal-contactmomenten"],
                                     vanaf=date(JAAR, 1, 1), tot=date(JAAR, 12, 31))
    make_doelstelling(session, omgeving.organisatie, titel="Iets anders", indicatoren=["bestede-uren"])
    session.commit()
    assert client.post(f"/doelstellingen/{doelstelling.id}/doelen", data={
        "csrf": coordinator, "indicator": "aantal-contactmomenten", "periode": str(JAAR), "waarde": "40"},
        follow_redirects=False).status_code == 303
    pagina = client.get("/overzicht?periode=dit-jaar")
    tabel = re.search(r'<caption id="doelen-kop">.*?</table>', pagina.text, re.DOTALL)
    assert tabel, pagina.text
    rij = tabel.group(0)
    assert "Aantal contactmomenten" in rij and f'href="/doelstellingen/{doelstelling.id}"' in rij and "Meer contact" in rij
    assert "Iets anders" not in rij and f"in {JAAR}" in rij and "van 40:" in re.sub(r"\s+", " ", rij)
