"""Import for coordinators (issue 24, point 7): choices for unknown names kept as the organisation's mapping,
historic key persons, topic suggestions by words and synonyms, and the mapping in the API and the CLI."""

import uuid

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.codelijsten import service as codelijsten
from app.imports import opgeslagen, taken
from app.imports.mapping import Mappingbestand, samenvoegen
from app.imports.verslag import Opties
from app.imports.waarden import CodeIndex
from app.models import ImportRun, Ketenpartner, Sleutelpersoon
from tests.factories import make_key
from tests.imports.helpers import Omgeving, csv_bytes, fouten, importeer, rij


@pytest.fixture
def sleutel(session: Session, omgeving: Omgeving) -> dict[str, str]:
    return make_key(session, organisatie=omgeving.organisatie, scopes=("registreren",))


def _personen(session: Session, omgeving: Omgeving, naam: str) -> list[Sleutelpersoon]:
    return list(session.exec(select(Sleutelpersoon).where(
        Sleutelpersoon.organisatie_id == omgeving.organisatie.id, Sleutelpersoon.weergavenaam == naam)).all())


# --- Historic key persons ---------------------------------------------------------------------


def test_sleutelpersoon_uit_een_import_is_historisch_met_de_gemeente_uit_het_logboek(session: Session, omgeving: Omgeving) -> None:
    bestand = csv_bytes([rij(Sleutelpersoon="Samir B.", Gemeente="GM0344"), rij(Sleutelpersoon="Samir B.", Datum="15-3-2025")])
    verslag = importeer(session, omgeving, bestand, nieuwe_sleutelpersonen=True)
    assert (verslag.aangemaakt, verslag.afgewezen, verslag.nieuwe_sleutelpersonen) == (2, 0, ["Samir B."])
    [samir] = _personen(session, omgeving, "Samir B.")
    assert (samir.actief, samir.gemeentecode) == (False, "GM0344")


# --- Unknown names: reported, then created or linked through the stored mapping ------------------


def test_onbekende_namen_staan_in_het_rapport_met_hun_aantal_rijen(session: Session, omgeving: Omgeving) -> None:
    bestand = csv_bytes([rij(Sleutelpersoon="Samir B."), rij(Sleutelpersoon="samir b", Datum="15-3-2025"),
                         rij(Sleutelpersoon="Lina K.", Datum="16-3-2025"), rij(Doorverwezen_naar="Taalhuis", Datum="17-3-2025")])
    verslag = importeer(session, omgeving, bestand, proefdraai=True)
    rapport = verslag.als_rapport()
    assert rapport["onbekendeSleutelpersonen"] == [{"naam": "Samir B.", "rijen": 2}, {"naam": "Lina K.", "rijen": 1}]
    assert rapport["onbekendeKetenpartners"] == [{"naam": "Taalhuis", "rijen": 1}]


def test_keuzes_worden_bewaard_en_bij_de_volgende_import_gebruikt(session: Session, omgeving: Omgeving) -> None:
    opgeslagen.leg_keuzes_vast(session, caller=omgeving.caller, keuzes={
        "sleutelpersoon": {"Samir B.": "aanmaken", "M. Abdi": "Mays A.", "Leeg": ""},
        "doorverwijzingen": {"Taalhuis": "aanmaken"},
    })
    mapping = opgeslagen.laad(session, organisatie_id=omgeving.organisatie.id)
    assert mapping is not None
    assert mapping.aanmaken == {"sleutelpersoon": ["Samir B."], "doorverwijzingen": ["Taalhuis"]}
    assert mapping.waarden == {"sleutelpersoon": {"M. Abdi": "Mays A."}}

    bestand = csv_bytes([rij(Sleutelpersoon="Samir B.", Doorverwezen_naar="Taalhuis"),
                         rij(Sleutelpersoon="M. Abdi", Datum="15-3-2025"), rij(Sleutelpersoon="Onbekend O.", Datum="16-3-2025")])
    verslag = importeer(session, omgeving, bestand, per_rij=True, mapping=mapping)
    assert (verslag.aangemaakt, verslag.afgewezen) == (2, 1)
    assert verslag.nieuwe_sleutelpersonen == ["Samir B."] and [n for n, _ in verslag.nieuwe_ketenpartners] == ["Taalhuis"]
    assert _personen(session, omgeving, "Samir B.")[0].actief is False
    assert session.exec(select(Ketenpartner).where(Ketenpartner.naam == "Taalhuis")).one()
    assert [f[2] for f in fouten(verslag)] == ["Onbekend O."]

    # A later choice for the same name replaces the earlier one.
    opgeslagen.leg_keuzes_vast(session, caller=omgeving.caller, keuzes={"sleutelpersoon": {"Samir B.": "Fátima E."}})
    mapping = opgeslagen.laad(session, organisatie_id=omgeving.organisatie.id)
    assert mapping is not None and mapping.aanmaken["sleutelpersoon"] == []
    assert mapping.waarden["sleutelpersoon"] == {"M. Abdi": "Mays A.", "Samir B.": "Fátima E."}


def test_samenvoegen_laat_de_meegestuurde_mapping_voorgaan() -> None:
    basis = Mappingbestand(waarden={"sleutelpersoon": {"A": "Mays A.", "B": "Mays A."}}, aanmaken={"sleutelpersoon": ["C"]})
    extra = Mappingbestand(waarden={"sleutelpersoon": {"A": "Fátima E."}}, aanmaken={"sleutelpersoon": ["D"]})
    samen = samenvoegen(basis, extra)
    assert samen is not None
    assert samen.waarden == {"sleutelpersoon": {"A": "Fátima E.", "B": "Mays A."}}
    assert samen.aanmaken == {"sleutelpersoon": ["C", "D"]}
    assert samenvoegen(None, extra) is extra and samenvoegen(basis, None) is basis


def test_een_taak_gebruikt_de_mapping_waarmee_hij_is_gestart(session: Session, omgeving: Omgeving) -> None:
    mapping = Mappingbestand(aanmaken={"sleutelpersoon": ["Samir B."]})
    run = ImportRun(organisatie_id=omgeving.organisatie.id, status="wachtend", modus="per-rij", formaat="csv",
                    opties=Opties(formaat="csv", per_rij=True, mapping=mapping).als_json())
    assert taken._opties(run).mapping == mapping


# --- Topic suggestions by words and synonyms -------------------------------------------------------


@pytest.mark.parametrize(("waarde", "verwacht"), [
    ("toeslag", "Toeslagen (geld.toeslagen)"),
    ("scholden", "Schulden (geld.schulden)"),
    ("huurachterstand", "Huisvesting (wonen.huisvesting)"),
    ("Griepprik halen", "Vaccinatie (gezondheid.vaccinatie)"),
    ("problemen met de deurwaarder", "Schulden (geld.schulden)"),
])
def test_suggesties_op_woorden_en_synoniemen(session: Session, waarde: str, verwacht: str) -> None:
    index = CodeIndex(codelijsten.lookup(session, lijst=codelijsten.ONDERWERP).values(), lijst=codelijsten.ONDERWERP)
    assert index.dichtstbij(waarde)[0] == verwacht


def test_geen_suggestie_als_geen_woord_lijkt(session: Session, omgeving: Omgeving) -> None:
    index = CodeIndex(codelijsten.lookup(session, lijst=codelijsten.ONDERWERP).values(), lijst=codelijsten.ONDERWERP)
    assert index.dichtstbij("Onbekend onderwerp xyz") == []
    assert index.dichtstbij("xyz") == []
    verslag = importeer(session, omgeving, csv_bytes([rij(Onderwerp="Onbekend onderwerp xyz"), rij(Onderwerp="toeslag")]))
    redenen = [f[3] for f in fouten(verslag)]
    assert "Energie" not in redenen[0] and "Bedoelt u" not in redenen[0]
    assert "Bedoelt u Toeslagen (geld.toeslagen)?" in redenen[1]


# --- The API: a mapping with the import, the stored mapping, GET/PUT /v1/import-mapping ----------


def test_api_slaat_de_mapping_op_en_een_import_gebruikt_haar(client: TestClient, session: Session, omgeving: Omgeving,
                                                              sleutel: dict[str, str]) -> None:
    assert client.get("/v1/import-mapping", headers=sleutel).json() == {
        "kolommen": {}, "waarden": {}, "standaard": {}, "ketenpartners": {}, "aanmaken": {}}
    mapping = {"aanmaken": {"sleutelpersoon": ["Samir B."]}, "waarden": {"sleutelpersoon": {"M. Abdi": "Mays A."}}}
    antwoord = client.put("/v1/import-mapping", headers=sleutel, json=mapping)
    assert antwoord.status_code == 200, antwoord.text
    assert client.get("/v1/import-mapping", headers=sleutel).json()["aanmaken"] == {"sleutelpersoon": ["Samir B."]}

    bestand = csv_bytes([rij(Sleutelpersoon="Samir B."), rij(Sleutelpersoon="M. Abdi", Datum="15-3-2025")])
    zonder = client.post("/v1/imports", content=bestand, headers={**sleutel, "Content-Type": "text/csv"},
                         params={"proefdraai": "true", "opgeslagenMapping": "false"})
    assert zonder.status_code == 201 and zonder.json()["afgewezen"] == 2
    assert zonder.json()["onbekendeSleutelpersonen"] == [{"naam": "M. Abdi", "rijen": 1}, {"naam": "Samir B.", "rijen": 1}]
    # The API's own detail keeps naming its parameters, for integrators.
    assert "nieuweSleutelpersonenAanmaken=true" in zonder.json()["fouten"][0]["reden"]

    met = client.post("/v1/imports", content=bestand, headers={**sleutel, "Content-Type": "text/csv"})
    assert met.status_code == 201, met.text
    assert (met.json()["aangemaakt"], met.json()["afgewezen"], met.json()["nieuweSleutelpersonen"]) == (2, 0, ["Samir B."])
    [samir] = _personen(session, omgeving, "Samir B.")
    assert (samir.actief, samir.gemeentecode) == (False, "GM0344")


def test_api_mapping_als_formulierveld(client: TestClient, omgeving: Omgeving, sleutel: dict[str, str]) -> None:
    bestand = csv_bytes([rij(Sleutelpersoon="M. Abdi")])
    antwoord = client.post("/v1/imports", headers=sleutel, files={"bestand": ("logboek.csv", bestand, "text/csv")},
                           data={"mapping": "waarden:\n  sleutelpersoon:\n    M. Abdi: Mays A.\n", "proefdraai": "true"})
    assert antwoord.status_code == 201, antwoord.text
    assert (antwoord.json()["aangemaakt"], antwoord.json()["afgewezen"]) == (1, 0)

    fout = client.post("/v1/imports", headers=sleutel, files={"bestand": ("logboek.csv", bestand, "text/csv")},
                       data={"mapping": "waarden:\n  planeet: {}\n", "proefdraai": "true"})
    assert fout.status_code == 400
    assert [p["name"] for p in fout.json()["invalidParams"]] == ["mapping"]
    assert "onbekend veld `planeet`" in fout.json()["invalidParams"][0]["reason"]


def test_api_weigert_een_ongeldige_mapping(client: TestClient, sleutel: dict[str, str]) -> None:
    onbekend = client.put("/v1/import-mapping", headers=sleutel, json={"aanmaken": {"kanaal": ["x"]}})
    assert onbekend.status_code == 400 and "aanmaken" in onbekend.text
    extra = client.put("/v1/import-mapping", headers=sleutel, json={"planeten": {}})
    assert extra.status_code == 400
    bsn = client.put("/v1/import-mapping", headers=sleutel, json={"waarden": {"sleutelpersoon": {"111222333": "Mays A."}}})
    assert bsn.status_code == 400 and "111222333" not in bsn.text
    assert client.get("/v1/import-mapping", headers=sleutel).json()["waarden"] == {}


def test_api_mapping_van_een_andere_organisatie_blijft_onzichtbaar(client: TestClient, session: Session, omgeving: Omgeving,
                                                                 sleutel: dict[str, str]) -> None:
    from tests.factories import make_organisatie

    ander = make_organisatie(session)
    andere_sleutel = make_key(session, organisatie=ander, scopes=("registreren",))
    session.commit()
    assert client.put("/v1/import-mapping", headers=sleutel, json={"aanmaken": {"sleutelpersoon": ["Samir B."]}}).status_code == 200
    assert client.get("/v1/import-mapping", headers=andere_sleutel).json()["aanmaken"] == {}
    assert uuid.UUID(str(ander.id))
