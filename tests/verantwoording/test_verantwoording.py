"""GET /v1/verantwoordingen: the accountability report holds the API's own figures, and nobody else's.

The workbook is opened with openpyxl and the PDF's text extracted with pypdf; every figure is compared
with what `GET /v1/indicatoren/{code}/waarden` answers the organisation's key for the same period.
Runs on SQLite and on PostgreSQL (SLEUTELMONITOR_TEST_DB=postgresql).
"""

import io
import re
import sys
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlmodel import Session

from app.core.validation import vandaag
from app.doelen import service as doelen
from app.indicatoren.catalogue import INDICATOREN, Eenheid
from app.models import Doel
from app.web.templating import getal
from tests import privacyscan
from tests.ervaringsverhalen.factories import make_verhaal
from tests.factories import (
    make_contactmoment,
    make_inzet,
    make_ketenpartner,
    make_key,
    make_organisatie,
    make_professioneel_contact,
    make_sleutelpersoon,
)
from tests.helpers import assert_problem
from tests.signalen.factories import make_signaal

JAAR = 2025
URL = "/v1/verantwoordingen"
SECTIES = ["Toelichting", "Status", "Indicatoren", "Uren", "Kosten", "Bereik", "Doorverwijzingen", "Signalen", "Ervaringsverhalen"]


def _organisatie_met_werk(session: Session, naam: str, *, aantal: int, prefix: str) -> dict[str, Any]:
    """An organisation with a year of work in JAAR (and some outside it), its stories and signals."""
    org = make_organisatie(session, naam=naam, gemeentecodes=["GM0344"])
    personen = [make_sleutelpersoon(session, org, weergavenaam=f"{prefix} Sleutelpersoon {i}") for i in range(3)]
    huisarts = make_ketenpartner(session, org, categorie="huisarts", naam=f"{prefix} Huisartsenpraktijk")
    schulden = make_ketenpartner(session, org, categorie="schuldhulpverlening", naam=f"{prefix} Schuldhulp")
    for i in range(aantal):
        make_contactmoment(
            session, org, personen[i % 3], datum=date(JAAR, 1 + i % 12, 3 + i % 20), duur_minuten=25 + 7 * i,
            inwoner_referentie=f"{prefix.lower()}-client-{1000 + i % 7}", uitkomst=("opgelost", "lopend", "niet-opgelost")[i % 3],
            onderwerpen=[("geld.toeslagen", "zorg.huisarts", "gezondheid.mentaal")[i % 3]],
            doorverwijzingen=[{"ketenpartner": huisarts if i % 2 else schulden,
                               "status": ("afgerond", "verwezen", "afgewezen", "afgerond")[i % 4]}],
        )
    make_contactmoment(session, org, personen[0], datum=date(JAAR, 4, 2), soort="groep", aantal_deelnemers=14,
                       kanaal="groepsbijeenkomst", duur_minuten=90)
    make_contactmoment(session, org, personen[1], datum=date(JAAR - 1, 6, 1), duur_minuten=600,
                       inwoner_referentie=f"{prefix.lower()}-client-9999")  # another year: counts nowhere here
    for i, soort in enumerate(("contacten", "overleg", "training", "contacten", "reizen")):
        make_inzet(session, org, personen[i % 3], datum=date(JAAR, 2 + i, 5), minuten=60 + 45 * i, soort=soort)
    make_professioneel_contact(session, org, personen[0], datum=date(JAAR, 3, 3), soort="casusoverleg",
                               aantal_professionals=6)
    make_professioneel_contact(session, org, personen[1], datum=date(JAAR, 9, 9), soort="adviesvraag",
                               aantal_professionals=2, status="teruggekoppeld")
    make_signaal(session, org, datum=date(JAAR, 5, 1), titel=f"{prefix}: moeders kennen het consultatiebureau niet",
                 status="opgepakt", status_datum=date(JAAR, 6, 1),
                 terugkoppeling_tekst="De GGD nodigt voortaan uit in het Tigrinya.", terugkoppeling_datum=date(JAAR, 6, 1),
                 hoe_vaak_gehoord=12, sleutelpersoon_id=personen[0].id)
    make_signaal(session, org, datum=date(JAAR, 10, 1), titel=f"{prefix}: energietoeslag onbekend", status="ontvangen")
    make_signaal(session, org, datum=date(JAAR - 1, 10, 1), titel=f"{prefix}: signaal van vorig jaar")
    make_verhaal(session, org, datum=date(JAAR, 6, 1), titel=f"{prefix}: eerder bij de POH-GGZ", bron="ketenpartner",
                 citaat="Zonder haar waren deze gezinnen pas in crisis bij ons gekomen.",
                 verhaal="Drie gezinnen kwamen via de sleutelpersoon bij de POH-GGZ.", sleutelpersoon_id=personen[2].id)
    make_verhaal(session, org, datum=date(JAAR, 7, 1), titel=f"{prefix}: inwoner vertelt met toestemming", bron="inwoner",
                 toestemming_gegeven=True, toestemming_datum=date(JAAR, 7, 1), toestemming_vorm="mondeling")
    make_verhaal(session, org, datum=date(JAAR, 7, 2), titel=f"{prefix}: niet gedeeld", gedeeld=False)
    make_verhaal(session, org, datum=date(JAAR, 7, 3), titel=f"{prefix}: inwoner zonder toestemming", bron="inwoner")
    make_verhaal(session, org, datum=date(JAAR, 7, 4), titel=f"{prefix}: toestemming ingetrokken", bron="collega",
                 toestemming_gegeven=False, toestemming_datum=date(JAAR, 7, 4), toestemming_vorm="schriftelijk")
    session.add(Doel(organisatie_id=org.id, indicator="aantal-contactmomenten", periode=str(JAAR), vanaf=date(JAAR, 1, 1),
                     tot=date(JAAR + 1, 1, 1), waarde=40, filters={}, filter_sleutel=doelen.filter_sleutel({})))
    session.flush()
    return {"organisatie": org, "personen": personen, "partners": [huisarts, schulden], "prefix": prefix}


@pytest.fixture
def data(session: Session) -> dict[str, Any]:
    a = _organisatie_met_werk(session, "Stichting Brug & Zorg", aantal=23, prefix="Alfa")
    b = _organisatie_met_werk(session, "Welzijn Bèta", aantal=9, prefix="Beta")
    a["headers"] = make_key(session, organisatie=a["organisatie"], scopes=("rapporteren",))
    b["headers"] = make_key(session, organisatie=b["organisatie"], scopes=("rapporteren",))
    session.commit()
    return {"a": a, "b": b}


def _api(client: TestClient, headers: dict[str, str], code: str, **params: Any) -> list[dict[str, Any]]:
    antwoord = client.get(f"/v1/indicatoren/{code}/waarden", params={"periode": JAAR, **params}, headers=headers)
    assert antwoord.status_code == 200, antwoord.text
    return antwoord.json()["rijen"]


def _werkmap(client: TestClient, headers: dict[str, str]) -> Any:
    antwoord = client.get(URL, params={"periode": JAAR, "formaat": "xlsx"}, headers=headers)
    assert antwoord.status_code == 200, antwoord.text
    assert antwoord.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert re.fullmatch(r'attachment; filename="verantwoording-[a-z0-9-]+-2025\.xlsx"', antwoord.headers["content-disposition"])
    return load_workbook(io.BytesIO(antwoord.content))


def _blad(werkmap: Any, naam: str) -> list[dict[str, Any]]:
    rijen = list(werkmap[naam].iter_rows(values_only=True))
    kop = rijen[0]
    return [dict(zip(kop, r, strict=True)) for r in rijen[1:] if any(v is not None for v in r)]


def test_de_werkmap_heeft_de_cijfers_van_de_api(client: TestClient, data: dict[str, Any]) -> None:
    a = data["a"]
    werkmap = _werkmap(client, a["headers"])
    assert werkmap.sheetnames == SECTIES

    indicatoren = {r["Code"]: r for r in _blad(werkmap, "Indicatoren")}
    assert set(indicatoren) == set(INDICATOREN)
    for code, indicator in INDICATOREN.items():
        (api,) = _api(client, a["headers"], code)
        rij = indicatoren[code]
        verwacht = api["waarde"]  # one scale (issue 28): a percentage is the API's 0-100 number in the workbook too
        assert rij["Waarde"] == verwacht, code
        assert (rij["Teller"], rij["Noemer"]) == (api["teller"], api["noemer"]), code
        assert rij["Doel"] == api.get("doel") and rij["Realisatie van het doel"] == api.get("realisatie"), code
        assert verwacht is None or werkmap["Indicatoren"].cell(row=2 + list(INDICATOREN).index(code), column=4).number_format == (
            '0.0"%"' if indicator.eenheid is Eenheid.percentage else
            '"€" #,##0.00' if indicator.eenheid.value == "euro" else
            "0.0" if isinstance(verwacht, float) and (indicator.eenheid is Eenheid.uren or not verwacht.is_integer())
            else "General" if not isinstance(verwacht, float) else "0"), code
    # The target is there, and the figures are not trivially empty.
    assert indicatoren["aantal-contactmomenten"]["Waarde"] == 24 and indicatoren["aantal-contactmomenten"]["Doel"] == 40
    assert indicatoren["aantal-contactmomenten"]["Realisatie van het doel"] == 60.0

    uren = {(r["Wat"], r["Soort"]): r["Uren"] for r in _blad(werkmap, "Uren")}
    for api in _api(client, a["headers"], "inzet-uren", groeperenOp="soort"):
        assert uren[("Inzet (geregistreerde uren)", api["soort"]["label"])] == api["waarde"]
    assert uren[("Inzet (geregistreerde uren)", "Totaal")] == _api(client, a["headers"], "inzet-uren")[0]["waarde"]
    assert uren[("Duur van contactmomenten", "Totaal")] == _api(client, a["headers"], "bestede-uren")[0]["waarde"]

    bereik = {(r["Maat"], r["Uitsplitsing"]): r["Aantal"] for r in _blad(werkmap, "Bereik")}
    assert bereik[("Unieke inwoners in individuele contacten", "Totaal")] == _api(client, a["headers"], "bereik-inwoners")[0]["waarde"] == 7
    assert bereik[("Deelnemers aan groepsbijeenkomsten", "Totaal")] == 14
    for api in _api(client, a["headers"], "bereik-professionals", groeperenOp="soort"):
        assert bereik[("Bereikte professionals", api["soort"]["label"])] == api["waarde"]

    verwijzingen = {r["Soort ketenpartner"]: r for r in _blad(werkmap, "Doorverwijzingen")}
    percentages = {r["ketenpartnerCategorie"]["label"]: r for r in _api(
        client, a["headers"], "percentage-doorverwijzingen-afgerond", groeperenOp="ketenpartnerCategorie")}
    for api in _api(client, a["headers"], "aantal-doorverwijzingen", groeperenOp="ketenpartnerCategorie"):
        rij, pct = verwijzingen[api["ketenpartnerCategorie"]["label"]], percentages[api["ketenpartnerCategorie"]["label"]]
        assert (rij["Doorverwijzingen"], rij["Met eindstatus"], rij["Afgerond"]) == (api["waarde"], pct["noemer"], pct["teller"])
        assert rij["Percentage afgerond"] == pct["waarde"]
    assert verwijzingen["Totaal"]["Doorverwijzingen"] == 23

    signalen = {r["Signaal"]: r for r in _blad(werkmap, "Signalen")}
    assert set(signalen) == {"Alfa: moeders kennen het consultatiebureau niet", "Alfa: energietoeslag onbekend"}
    opgepakt = signalen["Alfa: moeders kennen het consultatiebureau niet"]
    assert (opgepakt["Status"], opgepakt["Terugkoppeling"]) == ("Opgepakt", "De GGD nodigt voortaan uit in het Tigrinya.")
    assert opgepakt["Hoe vaak gehoord"] == 12 and opgepakt["Datum"].date() == date(JAAR, 5, 1)
    assert signalen["Alfa: energietoeslag onbekend"]["Terugkoppeling"] == "nog geen"

    # Shared stories only: marked shared, and consent where recorded (always for an inwoner).
    verhalen = {r["Titel"] for r in _blad(werkmap, "Ervaringsverhalen")}
    assert verhalen == {"Alfa: eerder bij de POH-GGZ", "Alfa: inwoner vertelt met toestemming"}


def test_de_toelichting_definieert_elke_indicator(client: TestClient, data: dict[str, Any]) -> None:
    werkmap = _werkmap(client, data["a"]["headers"])
    tekst = "\n".join(str(v) for rij in werkmap["Toelichting"].iter_rows(values_only=True) for v in rij if v is not None)
    assert "Stichting Brug & Zorg" in tekst and "2025 (01-01-2025 tot en met 31-12-2025)" in tekst
    assert re.search(r"Gemaakt op\n\d{2}-\d{2}-\d{4} \d{2}:\d{2} UTC", tekst)
    assert "45,5% is 45,5 van de 100" in tekst  # the one scale of percentages, said once
    for indicator in INDICATOREN.values():
        assert indicator.definitie in tekst, indicator.code


def _pdf(client: TestClient, headers: dict[str, str], **params: Any) -> PdfReader:
    """The report as a PDF (tests that call this ask for the `pdf_mogelijk` fixture)."""
    antwoord = client.get(URL, params={"periode": JAAR, **params}, headers=headers)
    assert antwoord.status_code == 200, antwoord.text
    assert antwoord.headers["content-type"] == "application/pdf"
    assert antwoord.content.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(antwoord.content))


def _tekst(pdf: PdfReader) -> str:
    return "\n".join(pagina.extract_text() for pagina in pdf.pages)


def _nl(waarde: float | None) -> str:
    return "–" if waarde is None else getal(waarde, 1 if not float(waarde).is_integer() else None)


def test_de_pdf_heeft_de_cijfers_van_de_api(client: TestClient, data: dict[str, Any], pdf_mogelijk: None) -> None:
    a = data["a"]
    pdf = _pdf(client, a["headers"], formaat="pdf")
    tekst = _tekst(pdf)
    doorlopend = " ".join(tekst.split())
    assert "Verantwoording Stichting Brug & Zorg" in doorlopend
    assert "periode 2025 (1 januari 2025 tot en met 31 december 2025)" in doorlopend
    assert re.search(r"Gemaakt op \d{2}-\d{2}-\d{4} om \d{2}:\d{2} UTC", doorlopend)
    for code, indicator in INDICATOREN.items():
        (api,) = _api(client, a["headers"], code)
        # The indicator's row: its code, then the API's value, teller and noemer as a Dutch reader writes them.
        verwacht = [_nl(api["waarde"]) + {Eenheid.percentage: "%", Eenheid.uren: " uur", Eenheid.dagen: " dagen"}.get(
            indicator.eenheid, "")
                    if api["waarde"] is not None else "–", _nl(api["teller"]), _nl(api["noemer"])]
        if indicator.eenheid.value == "euro" and api["waarde"] is not None:
            verwacht[0] = "€ " + getal(api["waarde"], 2)
        assert f" {code} {' '.join(verwacht)} " in doorlopend, (code, verwacht)
    assert "Alfa: moeders kennen het consultatiebureau niet" in doorlopend
    assert "De GGD nodigt voortaan uit in het Tigrinya." in doorlopend
    assert "Alfa: eerder bij de POH-GGZ" in doorlopend and "Alfa: niet gedeeld" not in doorlopend


def test_de_pdf_is_getagd_met_taal_en_titel(client: TestClient, data: dict[str, Any], pdf_mogelijk: None) -> None:
    """Accessible where the tool allows: a structure tree (tagged PDF, PDF/UA-1), language and title."""
    pdf = _pdf(client, data["a"]["headers"], formaat="pdf")
    catalogus = pdf.trailer["/Root"]
    assert "/StructTreeRoot" in catalogus and bool(catalogus["/MarkInfo"]["/Marked"])
    assert catalogus["/Lang"] == "nl"
    assert bool(catalogus["/ViewerPreferences"]["/DisplayDocTitle"])
    assert pdf.metadata.title == "Verantwoording Stichting Brug & Zorg 2025"


def test_accept_kiest_de_pdf(client: TestClient, data: dict[str, Any], pdf_mogelijk: None) -> None:
    antwoord = client.get(URL, params={"periode": JAAR}, headers=data["a"]["headers"] | {"Accept": "application/pdf"})
    assert antwoord.headers["content-type"] == "application/pdf"
    antwoord = client.get(URL, params={"periode": JAAR}, headers=data["a"]["headers"])
    assert antwoord.headers["content-type"].startswith("application/vnd.openxmlformats")


def test_een_andere_organisatie_krijgt_alleen_haar_eigen_verantwoording(client: TestClient, data: dict[str, Any], pdf_mogelijk: None) -> None:
    a, b = data["a"], data["b"]
    werkmap = _werkmap(client, b["headers"])
    teksten = [str(v) for blad in werkmap for rij in blad.iter_rows(values_only=True) for v in rij if v is not None]
    assert not [t for t in teksten if "Alfa" in t or "Brug & Zorg" in t]
    indicatoren = {r["Code"]: r["Waarde"] for r in _blad(werkmap, "Indicatoren")}
    assert indicatoren["aantal-contactmomenten"] == _api(client, b["headers"], "aantal-contactmomenten")[0]["waarde"] == 10
    assert "Alfa" not in _tekst(_pdf(client, b["headers"], formaat="pdf"))
    del a


@pytest.mark.parametrize("wie", ["regio", "beheer", "zonder-rapporteren"])
def test_alleen_de_organisatie_zelf(client: TestClient, session: Session, data: dict[str, Any], wie: str) -> None:
    """A regional reader (even of the organisation's own gemeente), a national key, and an organisation key
    without `rapporteren` cannot download a report: 403, in either format."""
    headers = {
        "regio": lambda: make_key(session, gemeentecodes=["GM0344"], scopes=("rapporteren", "signalen")),
        "beheer": lambda: make_key(session, beheer=True, scopes=("beheren", "rapporteren")),
        "zonder-rapporteren": lambda: make_key(session, organisatie=data["a"]["organisatie"], scopes=("registreren",)),
    }[wie]()
    session.commit()
    for formaat in ("xlsx", "pdf"):
        assert_problem(client.get(URL, params={"periode": JAAR, "formaat": formaat}, headers=headers), 403)
    assert_problem(client.get(URL, params={"periode": JAAR}), 401)


@pytest.mark.parametrize(("periode", "formaat", "namen"), [
    ("2025W10", "xlsx", ["periode"]),
    ("onzin", "pdf", ["periode"]),
    ("2025-03-01/2025-04-01", "pdf", ["periode"]),
    ("2025", "docx", ["formaat"]),
    ("onzin", "docx", ["formaat", "periode"]),
])
def test_ongeldige_invoer_is_400(client: TestClient, data: dict[str, Any], periode: str, formaat: str,
                                 namen: list[str]) -> None:
    antwoord = client.get(URL, params={"periode": periode, "formaat": formaat}, headers=data["a"]["headers"])
    body = assert_problem(antwoord, 400)
    assert sorted(p["name"] for p in body["invalidParams"]) == namen


def test_een_kwartaal_en_een_maand(client: TestClient, data: dict[str, Any]) -> None:
    a = data["a"]
    for periode in ("2025Q2", "2025-05"):
        antwoord = client.get(URL, params={"periode": periode}, headers=a["headers"])
        werkmap = load_workbook(io.BytesIO(antwoord.content))
        indicatoren = {r["Code"]: r["Waarde"] for r in _blad(werkmap, "Indicatoren")}
        assert indicatoren["aantal-contactmomenten"] == _api(
            client, a["headers"], "aantal-contactmomenten", periode=periode)[0]["waarde"]
        signalen = {r["Signaal"] for r in _blad(werkmap, "Signalen")}
        assert signalen == {"Alfa: moeders kennen het consultatiebureau niet"}


def test_geen_gegevens_van_inwoners_of_namen_van_sleutelpersonen(client: TestClient, data: dict[str, Any], pdf_mogelijk: None) -> None:
    """The privacy scan's own checks (resident references, BSNs, tokens) over every cell and the PDF's text;
    and no key person's name, no partner app's id."""
    a = data["a"]
    werkmap = _werkmap(client, a["headers"])
    teksten = [str(v) for blad in werkmap for rij in blad.iter_rows(values_only=True) for v in rij if v is not None]
    teksten.append(_tekst(_pdf(client, a["headers"], formaat="pdf")))
    assert privacyscan.REFERENTIES, "the fixture's references were recorded, so the scan can find them"
    assert "alfa-client-1000" in privacyscan.REFERENTIES
    for tekst in teksten:
        assert privacyscan.vondsten(tekst) == [], tekst[:200]
        assert "Sleutelpersoon 0" not in tekst and "client-" not in tekst



def test_zonder_weasyprint_een_eerlijke_503(client: TestClient, data: dict[str, Any],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A server without WeasyPrint (or Pango) still serves the workbook; the PDF is an honest 503, not a 500."""
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # `import weasyprint` now raises ImportError
    antwoord = client.get(URL, params={"periode": JAAR, "formaat": "pdf"}, headers=data["a"]["headers"])
    body = assert_problem(antwoord, 503, "PDF niet beschikbaar")
    assert "formaat=xlsx" in body["detail"] and antwoord.headers["retry-after"] == "3600"
    assert client.get(URL, params={"periode": JAAR, "formaat": "xlsx"}, headers=data["a"]["headers"]).status_code == 200


@pytest.mark.parametrize("code", sorted(INDICATOREN))
def test_elke_indicator_antwoordt_de_organisatie(client: TestClient, data: dict[str, Any], code: str) -> None:
    """The report computes every catalogue indicator: each answers the organisation's key (once a 500: the
    supporting indicators handed the organisation's id where the target matching now wants the caller)."""
    assert len(_api(client, data["a"]["headers"], code)) == 1


def test_tempo_bij_een_lopende_periode(client: TestClient, session: Session, data: dict[str, Any]) -> None:
    """A target for the running year: the report shows what it expects by today and the pace, as the API does."""
    a = data["a"]
    org, jaar = a["organisatie"], vandaag().year
    for maand in range(1, vandaag().month + 1):
        make_contactmoment(session, org, a["personen"][0], datum=date(jaar, maand, 1), duur_minuten=30)
    session.add(Doel(organisatie_id=org.id, indicator="aantal-contactmomenten", periode=str(jaar), vanaf=date(jaar, 1, 1),
                     tot=date(jaar + 1, 1, 1), waarde=600, filters={}, filter_sleutel=doelen.filter_sleutel({})))
    session.commit()
    (api,) = _api(client, a["headers"], "aantal-contactmomenten", periode=jaar)
    assert api["tempo"] == "achter" and api["doelVerwacht"] > 0
    antwoord = client.get(URL, params={"periode": "dit-jaar", "formaat": "xlsx"}, headers=a["headers"])
    rij = {r["Code"]: r for r in _blad(load_workbook(io.BytesIO(antwoord.content)), "Indicatoren")}["aantal-contactmomenten"]
    assert (rij["Doel"], rij["Verwacht tot nu"], rij["Tempo"]) == (600, api["doelVerwacht"], "achter op schema")
