"""Own indicators in the dashboard (issue 25, part 6): the list and its form at /doelstellingen/indicatoren, the
API's schema and service behind it (all problems at once, in the form's words; audit; tenancy), withdrawing
through a confirmation page, and a read-only session that sees no form."""

import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import AuditRegel, EigenIndicator
from tests.factories import Omgeving, make_key
from tests.indicatoren.factories import make_eigen_indicator
from tests.web.helpers import meld_aan

PAD = "/doelstellingen/indicatoren"
CODE = "eigen.hulpvragen-jgz-statushouders"


def _csrf(tekst: str) -> str:
    gevonden = re.search(r'name="csrf" value="([^"]+)"', tekst)
    assert gevonden, tekst
    return gevonden.group(1)


def _foutoverzicht(tekst: str) -> str:
    overzicht = re.search(r'<div class="foutmelding" role="alert" id="foutoverzicht">(.*?)</div>', tekst, re.DOTALL)
    assert overzicht, tekst
    return overzicht.group(1)


@pytest.fixture
def lezer(session: Session, omgeving: Omgeving) -> dict[str, str]:
    """API headers of organisation A that may read indicator definitions."""
    headers = make_key(session, organisatie=omgeving.organisatie, scopes=("rapporteren",))
    session.commit()
    return headers


@pytest.fixture
def coordinator(client: TestClient, session: Session, omgeving: Omgeving) -> str:
    sleutel = make_key(session, organisatie=omgeving.organisatie, scopes=("registreren", "rapporteren"))
    session.commit()
    assert meld_aan(client, sleutel).status_code == 303
    return _csrf(client.get(PAD).text)


def _jgz(csrf: str, **extra: object) -> dict[str, object]:
    return {"csrf": csrf, "code": CODE, "naam": "Hulpvragen JGZ van statushouders",
            "definitie": "Hulpvragen over jeugdgezondheidszorg van inwoners die statushouder zijn.",
            "basis": "aantal-hulpvragen", "filter_onderwerp": ["zorg.jgz"], "filter_doelgroep": ["statushouder"],
            "gedeeld": "ja", **extra}


def _records(session: Session, omgeving: Omgeving) -> list[EigenIndicator]:
    session.expire_all()
    return list(session.exec(select(EigenIndicator).where(EigenIndicator.organisatie_id == omgeving.organisatie.id)).all())


def test_lijst_en_nieuwe_indicator(client: TestClient, session: Session, omgeving: Omgeving, coordinator: str,
                                   lezer: dict[str, str]) -> None:
    assert f'href="{PAD}"' in client.get("/doelstellingen").text  # linked from the goals page
    leeg = client.get(PAD)
    assert leeg.status_code == 200 and "nog geen eigen indicatoren" in leeg.text
    assert 'id="code" name="code" value="eigen."' in leeg.text  # prefilled
    basis = re.search(r'<select id="basis".*?</select>', leeg.text, re.DOTALL)
    assert basis and 'value="aantal-hulpvragen"' in basis.group(0)
    assert 'value="percentage-opgelost"' not in basis.group(0)  # a rate is no base
    onderwerp = re.search(r'<select id="filter_onderwerp".*?</select>', leeg.text, re.DOTALL)
    assert onderwerp and 'value="zorg.jgz"' in onderwerp.group(0) and "<optgroup" in onderwerp.group(0)
    assert 'value="zorg"' in re.search(r'<select id="filter_hoofdonderwerp".*?</select>', leeg.text, re.DOTALL).group(0)  # type: ignore[union-attr]

    # Every problem at once: the schema's, the privacy guard's and the service's rules, in the form's words.
    fout = client.post(PAD, data={"csrf": coordinator, "code": "eigen.", "naam": "", "definitie": "Bel 0612345678",
                                  "basis": "", "filter_doelgroep": ["statushouder"],
                                  "noemer_onderwerp": ["zorg.jgz"]})
    assert fout.status_code == 400
    tekst = _foutoverzicht(fout.text)
    for label in ("Code: Begin met eigen. en gebruik daarna kleine letters", "Naam: Vul dit in.", "Definitie: Bevat persoonsgegevens (telefoonnummer)", "Basis: Vul dit in.",
                  "Noemer: basis: Kies een basis voor de noemer"):
        assert label in tekst, tekst
    assert "0612345678" not in tekst  # the guard never echoes the value
    assert 'href="#code"' in tekst and 'href="#naam"' in tekst and 'href="#noemer_basis"' in tekst
    assert 'value="statushouder" selected' in fout.text  # what was chosen stays
    assert _records(session, omgeving) == []

    # A filter the base cannot take, and an unknown code: the service's rules, next to their select.
    fout = client.post(PAD, data=_jgz(coordinator, basis="bestede-uren", filter_onderwerp=["zorg.jgz"],
                                      filter_kanaal=["postduif"]))
    assert fout.status_code == 400, fout.text
    tekst = _foutoverzicht(fout.text)
    assert "Vaste filters: kanaal: Onbekende code postduif voor kanaal." in tekst, tekst
    assert 'id="filter_kanaal"' in fout.text and 'href="#filter_kanaal"' in tekst
    assert _records(session, omgeving) == []

    goed = client.post(PAD, data=_jgz(coordinator), follow_redirects=False)
    assert goed.status_code == 303, goed.text
    assert goed.headers["location"] == f"{PAD}?melding=aangemaakt"
    api = client.get(f"/v1/indicatoren/{CODE}", headers=lezer).json()
    assert api["naam"] == "Hulpvragen JGZ van statushouders" and api["eenheid"] == "aantal"
    assert api["eigen"]["basis"] == "aantal-hulpvragen" and api["eigen"]["gedeeldMetRegio"] is True
    assert api["eigen"]["filters"] == {"doelgroep": ["statushouder"], "onderwerp": ["zorg.jgz"]}
    assert api["eigen"]["noemer"] is None and api["eigen"]["versie"] == 1
    [record] = _records(session, omgeving)
    regel = session.exec(select(AuditRegel).where(AuditRegel.resource_id == str(record.id))).first()
    assert regel is not None and regel.actie == "aangemaakt"

    lijst = client.get(f"{PAD}?melding=aangemaakt")
    assert "De indicator is vastgelegd" in lijst.text
    rij = re.search(rf"<code>{re.escape(CODE)}</code>.*?</tr>", lijst.text, re.DOTALL)
    assert rij, lijst.text
    assert "Hulpvragen JGZ van statushouders" in rij.group(0) and "Aantal hulpvragen" in rij.group(0)
    assert "Statushouder" in rij.group(0) and ">1<" in rij.group(0) and ">ja<" in rij.group(0)
    # The goals form now offers it.
    assert f'value="{CODE}"' in client.get("/doelstellingen").text

    # The same code twice is the service's 400, on the form.
    nogmaals = client.post(PAD, data=_jgz(coordinator))
    assert nogmaals.status_code == 400 and "al in gebruik" in _foutoverzicht(nogmaals.text)


def test_een_percentage_met_noemer(client: TestClient, session: Session, omgeving: Omgeving, coordinator: str,
                                   lezer: dict[str, str]) -> None:
    code = "eigen.aandeel-jgz-statushouders"
    goed = client.post(PAD, data=_jgz(coordinator, code=code, naam="Aandeel JGZ bij statushouders", gedeeld="",
                                      noemer_basis="aantal-hulpvragen", noemer_doelgroep=["statushouder"]),
                       follow_redirects=False)
    assert goed.status_code == 303, goed.text
    api = client.get(f"/v1/indicatoren/{code}", headers=lezer).json()
    assert api["eenheid"] == "percentage" and api["eigen"]["gedeeldMetRegio"] is False
    assert api["eigen"]["noemer"] == {"basis": "aantal-hulpvragen", "filters": {"doelgroep": ["statushouder"]}}
    # A denominator must count (no sum): the service says so, next to the denominator's select.
    fout = client.post(PAD, data=_jgz(coordinator, code="eigen.x", noemer_basis="bereik-groepsdeelnemers"))
    assert fout.status_code == 400 and 'href="#noemer_basis"' in _foutoverzicht(fout.text)


def test_intrekken_na_bevestiging(client: TestClient, session: Session, omgeving: Omgeving, coordinator: str,
                                  lezer: dict[str, str]) -> None:
    record = make_eigen_indicator(session, omgeving.organisatie, code=CODE)
    session.commit()
    lijst = client.get(PAD)
    assert f'action="{PAD}/{CODE}/intrekken"' in lijst.text
    vraag = client.post(f"{PAD}/{CODE}/intrekken", data={"csrf": coordinator})
    assert vraag.status_code == 200 and "Ja, indicator intrekken" in vraag.text and 'name="bevestigd" value="ja"' in vraag.text
    assert client.get(f"/v1/indicatoren/{CODE}", headers=lezer).json()["eigen"]["status"] == "actief"
    klaar = client.post(f"{PAD}/{CODE}/intrekken", data={"csrf": coordinator, "bevestigd": "ja"}, follow_redirects=False)
    assert klaar.status_code == 303 and klaar.headers["location"] == f"{PAD}?melding=ingetrokken"
    assert client.get(f"/v1/indicatoren/{CODE}", headers=lezer).json()["eigen"]["status"] == "ingetrokken"
    session.expire_all()
    regel = session.exec(select(AuditRegel).where(AuditRegel.resource_id == str(record.id),
                                                  AuditRegel.actie == "ingetrokken")).first()
    assert regel is not None
    assert f"<code>{CODE}</code>" not in client.get(PAD).text
    assert client.post(f"{PAD}/{CODE}/intrekken", data={"csrf": coordinator, "bevestigd": "ja"}).status_code == 404
    # A catalogue code is nothing to withdraw here.
    assert client.post(f"{PAD}/aantal-hulpvragen/intrekken", data={"csrf": coordinator}).status_code == 404


def test_alleen_lezen_ziet_geen_formulier(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    make_eigen_indicator(session, omgeving.organisatie, code=CODE)
    sleutel = make_key(session, organisatie=omgeving.organisatie, scopes=("inzien",))
    session.commit()
    meld_aan(client, sleutel)
    lijst = client.get(PAD)
    assert lijst.status_code == 200 and f"<code>{CODE}</code>" in lijst.text
    main = lijst.text.split("<main", 1)[1].split("</main>")[0]
    assert 'method="post"' not in main and "Nieuwe eigen indicator" not in main and "Intrekken" not in main
    csrf = _csrf(lijst.text)
    assert client.post(PAD, data=_jgz(csrf)).status_code == 403
    assert client.post(f"{PAD}/{CODE}/intrekken", data={"csrf": csrf, "bevestigd": "ja"}).status_code == 403
    assert len(_records(session, omgeving)) == 1 and _records(session, omgeving)[0].ingetrokken_op is None


def test_andere_organisatie_en_regio(client: TestClient, session: Session, omgeving: Omgeving, andere: Omgeving,
                                     coordinator: str) -> None:
    van_ander = make_eigen_indicator(session, andere.organisatie, code=CODE, naam="Geheime indicator van B",
                                     gedeeld_met_regio=True)
    session.commit()
    assert "Geheime indicator van B" not in client.get(PAD).text
    antwoord = client.post(f"{PAD}/{CODE}/intrekken", data={"csrf": coordinator, "bevestigd": "ja"})
    assert antwoord.status_code == 404 and "text/html" in antwoord.headers["content-type"]
    session.expire_all()
    assert session.get(EigenIndicator, van_ander.id).ingetrokken_op is None  # type: ignore[union-attr]
    # The same code is free in organisation A: codes are unique per organisation.
    assert client.post(PAD, data=_jgz(coordinator), follow_redirects=False).status_code == 303
    assert "Geheime indicator van B" not in client.get(PAD).text

    regio = make_key(session, gemeentecodes=["GM0344"], scopes=("rapporteren", "signalen"))
    session.commit()
    client.cookies.clear()
    meld_aan(client, regio)
    assert client.get(PAD).status_code == 403
