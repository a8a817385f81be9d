"""Professional contacts in an import (issue 25 part 5): an XLSX sheet named for them beside the contactmomenten,
CSV and NDJSON rows with the kind column `registratie`; the dry run counts them, an invalid row gets its reason,
a re-import is unchanged, and the rows pass the same rules as POST /v1/professionele-contacten."""

from typing import Any

from sqlmodel import Session, col, select

from app.models import Contactmoment, ProfessioneelContact, ProfessioneelContactOnderwerp
from tests.helpers import audit_regels
from tests.imports.helpers import (
    KOP,
    Omgeving,
    csv_bytes,
    fouten,
    importeer,
    ndjson_bytes,
    rij,
    xlsx_bytes,
)

PROF_KOP = ["Datum", "Sleutelpersoon", "Soort", "Aangevraagd door", "Gemeente", "Aantal professionals", "Onderwerp", "Duur (min)"]


def prof(**waarden: Any) -> list[Any]:
    standaard: dict[str, Any] = {
        "Datum": "3-11-2025", "Sleutelpersoon": "Mays A.", "Soort": "Adviesvraag", "Aangevraagd door": "UWV",
        "Gemeente": "GM0344", "Aantal professionals": "4", "Onderwerp": "Toeslagen", "Duur (min)": "45",
    }
    standaard.update({k.replace("_", " "): v for k, v in waarden.items()})
    return [standaard[k] for k in PROF_KOP]


def contacten(session: Session, omgeving: Omgeving) -> list[ProfessioneelContact]:
    return list(session.exec(select(ProfessioneelContact).where(ProfessioneelContact.organisatie_id == omgeving.organisatie.id)
                             .order_by(ProfessioneelContact.datum)))


def contactmomenten(session: Session, omgeving: Omgeving) -> int:
    return len(session.exec(select(Contactmoment.id).where(Contactmoment.organisatie_id == omgeving.organisatie.id)).all())


def werkboek() -> bytes:
    return xlsx_bytes({
        "Contacten": [KOP, rij(), rij(Datum="15-3-2025", Cliëntnummer="C002")],
        "Professionele contacten": [PROF_KOP, prof(), prof(Datum="4-11-2025", Soort="Casusoverleg", **{"Aangevraagd door": "GGD"}),
                                    prof(Datum="5-11-2025", Soort="Voorlichting aan professionals", **{"Aangevraagd door": "Gemeente Utrecht"},
                                         Aantal_professionals="12", Onderwerp="Huisarts, Schulden")],
    })


def test_xlsx_with_two_sheets_dry_run_then_import_then_again(session: Session, omgeving: Omgeving) -> None:
    proef = importeer(session, omgeving, werkboek(), "xlsx", proefdraai=True)
    assert fouten(proef) == []
    assert (proef.gelezen, proef.aangemaakt, proef.afgewezen) == (5, 5, 0)
    assert proef.professioneel.als_json() == {"gelezen": 3, "aangemaakt": 3, "bijgewerkt": 0, "ongewijzigd": 0, "afgewezen": 0}
    assert proef.als_rapport()["professioneleContacten"]["aangemaakt"] == 3
    assert contacten(session, omgeving) == [] and contactmomenten(session, omgeving) == 0  # a dry run stores nothing

    echt = importeer(session, omgeving, werkboek(), "xlsx")
    assert (echt.status, echt.aangemaakt, echt.professioneel.aangemaakt) == ("geslaagd", 5, 3)
    rijen = contacten(session, omgeving)
    assert contactmomenten(session, omgeving) == 2
    assert [(c.soort, c.aangevraagd_door_soort, c.aantal_professionals) for c in rijen] == [
        ("adviesvraag", "ketenpartner", 4), ("casusoverleg", "ggd", 4), ("voorlichting-aan-professionals", "gemeente", 12)]
    assert rijen[0].aangevraagd_door_ketenpartner_id == omgeving.uwv.id and rijen[0].status == "gevraagd"
    assert rijen[1].aangevraagd_door_gemeentecode == "GM0344" and rijen[0].duur_minuten == 45
    assert sorted(session.exec(select(ProfessioneelContactOnderwerp.onderwerp)
                               .where(ProfessioneelContactOnderwerp.professioneel_contact_id == rijen[2].id)).all()) == [
        "geld.schulden", "zorg.huisarts"]
    # Written by the API's service: each one audited as such.
    assert len(audit_regels(session, resource_type="professioneel-contact", actie="aangemaakt")) == 3

    opnieuw = importeer(session, omgeving, werkboek(), "xlsx")
    assert (opnieuw.aangemaakt, opnieuw.ongewijzigd) == (0, 5)
    assert opnieuw.professioneel.als_json()["ongewijzigd"] == 3
    assert len(contacten(session, omgeving)) == 3


def test_a_sheet_of_professional_contacts_alone_and_its_invalid_row(session: Session, omgeving: Omgeving) -> None:
    bestand = xlsx_bytes({"Professionals": [PROF_KOP, prof(), prof(Soort="Koffie drinken", Aantal_professionals="0"),
                                            prof(**{"Aangevraagd door": "Bakker om de hoek"}), prof(Sleutelpersoon="Samir B.")]})
    verslag = importeer(session, omgeving, bestand, "xlsx", per_rij=True, nieuwe_sleutelpersonen=True)
    assert (verslag.gelezen, verslag.aangemaakt, verslag.afgewezen) == (4, 1, 3)
    assert verslag.professioneel.afgewezen == 3
    gevonden = fouten(verslag)
    assert [(r, k) for r, k, _, _ in gevonden] == [(3, "Aantal professionals"), (3, "Soort"), (4, "Aangevraagd door"),
                                                   (5, "Sleutelpersoon")]
    assert "Onbekende waarde `Koffie drinken`" in gevonden[1][3]
    assert "Onbekende aanvrager `Bakker om de hoek`" in gevonden[2][3]
    # A professional row never creates a key person, and its reason does not offer to.
    assert "hoort bij een sleutelpersoon die al bestaat" in gevonden[3][3] and "aanmaken" not in gevonden[3][3]
    assert len(contacten(session, omgeving)) == 1


def test_csv_with_the_kind_column(session: Session, omgeving: Omgeving) -> None:
    kop = ["Registratie", *KOP, "Aangevraagd door", "Aantal professionals"]

    def regel(registratie: str, cm: list[Any], aanvrager: str = "", aantal: str = "") -> list[Any]:
        return [registratie, *cm, aanvrager, aantal]

    rijen = [
        regel("", rij()),
        regel("contactmoment", rij(Datum="15-3-2025", Cliëntnummer="C002")),
        regel("Professioneel contact", rij(Soort="Casusoverleg", Aantal_deelnemers="", Cliëntnummer=""), "UWV", "3"),
        regel("professioneel-contact", rij(Soort="Casusoverleg", Datum="16-3-2025"), "", "3"),  # who asked is missing
        regel("brief", rij()),
    ]
    verslag = importeer(session, omgeving, csv_bytes(rijen, kop=kop), per_rij=True)
    assert (verslag.gelezen, verslag.aangemaakt, verslag.afgewezen) == (5, 3, 2)
    assert verslag.professioneel.als_json() == {"gelezen": 2, "aangemaakt": 1, "bijgewerkt": 0, "ongewijzigd": 0, "afgewezen": 1}
    gevonden = fouten(verslag)
    assert [(r, k) for r, k, _, _ in gevonden] == [(5, "Aangevraagd door"), (6, "Registratie")]
    assert "`contactmoment`" in gevonden[1][3] and "`professioneel-contact`" in gevonden[1][3]
    [contact] = contacten(session, omgeving)
    assert (contact.soort, contact.aantal_professionals, contact.aangevraagd_door_ketenpartner_id) == ("casusoverleg", 3, omgeving.uwv.id)
    assert contactmomenten(session, omgeving) == 2


def test_csv_of_professional_contacts_only_needs_no_contactmoment_columns(session: Session, omgeving: Omgeving) -> None:
    kop = ["Registratie", *PROF_KOP]
    verslag = importeer(session, omgeving, csv_bytes([["professioneel-contact", *prof()]], kop=kop))
    assert (verslag.status, verslag.aangemaakt, verslag.professioneel.aangemaakt) == ("geslaagd", 1, 1), fouten(verslag)


def test_ndjson_with_the_kind_key_and_correction_by_extern_id(session: Session, omgeving: Omgeving) -> None:
    contact = {"registratie": "professioneel-contact", "externId": "crm-prof-1", "sleutelpersoonId": str(omgeving.mays.id),
               "datum": "2025-11-03", "soort": "adviesvraag", "aangevraagdDoor": {"soort": "ggd", "gemeentecode": "GM0344"},
               "aantalProfessionals": 2}
    moment = {"registratie": "contactmoment", "sleutelpersoonId": str(omgeving.mays.id), "datum": "2025-11-03", "gemeentecode": "GM0344",
              "kanaal": "persoonlijk", "onderwerpen": ["geld.toeslagen"]}
    verslag = importeer(session, omgeving, ndjson_bytes([contact, moment, {**contact, "externId": "crm-prof-2", "aantalProfessionals": 0}]),
                        "ndjson", per_rij=True)
    assert (verslag.aangemaakt, verslag.afgewezen, verslag.professioneel.aangemaakt) == (2, 1, 1), fouten(verslag)
    assert [(r, k) for r, k, _, _ in fouten(verslag)] == [(3, "aantalProfessionals")]
    # The same externId with other content corrects the record, through the API's update (audited).
    bijgewerkt = importeer(session, omgeving, ndjson_bytes([{**contact, "aantalProfessionals": 5, "status": "gegeven"}]), "ndjson")
    assert (bijgewerkt.bijgewerkt, bijgewerkt.professioneel.bijgewerkt) == (1, 1), fouten(bijgewerkt)
    [opgeslagen] = contacten(session, omgeving)
    assert (opgeslagen.aantal_professionals, opgeslagen.status) == (5, "gegeven")
    assert [r.actie for r in audit_regels(session, resource_id=str(opgeslagen.id))] == ["aangemaakt", "gewijzigd"]
    # An atomic import with one bad professional row stores nothing at all.
    atomair = importeer(session, omgeving, ndjson_bytes([{**contact, "externId": "crm-prof-3"}, {**contact, "externId": "x", "soort": "?"}]),
                        "ndjson")
    assert atomair.status == "mislukt" and atomair.professioneel.aangemaakt == 0
    assert len(session.exec(select(ProfessioneelContact).where(col(ProfessioneelContact.extern_id) == "crm-prof-3")).all()) == 0
