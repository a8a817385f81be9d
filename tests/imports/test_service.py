"""The import run: modes, idempotence, upsert by externId, the report, NDJSON, the audit trail."""

import uuid
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.contactmomenten import service as contactmomenten
from app.imports import service
from app.models import (
    AuditRegel,
    Contactmoment,
    Doorverwijzing,
    ImportRun,
    Ketenpartner,
    Sleutelpersoon,
    Uitkomst,
)
from tests.imports.helpers import (
    ASTROLOGIE, KOP, Omgeving, csv_bytes, fouten, importeer, maak_omgeving, ndjson_bytes, rij, xlsx_bytes,
)


def _aantal(session: Session, omgeving: Omgeving, model=Contactmoment) -> int:  # type: ignore[no-untyped-def]
    return session.exec(
        select(func.count()).select_from(model).where(model.organisatie_id == omgeving.organisatie.id)
    ).one()


GOED = [
    rij(),
    rij(Datum="15-03-2025", Sleutelpersoon="Fatima E.", Onderwerp="Huisarts, Zorgverzekering", Doorverwezen_naar="UWV"),
    rij(Datum="2025-03-16", Soort="Groep", Kanaal="Groepsbijeenkomst", Aantal_deelnemers="14", Cliëntnummer="",
        Onderwerp="Vaccinatie", Resultaat=""),
]


def test_valid_file_is_imported_with_children_and_hashed_reference(session: Session, omgeving: Omgeving) -> None:
    verslag = importeer(session, omgeving, csv_bytes(GOED))
    assert (verslag.status, verslag.gelezen, verslag.aangemaakt, verslag.afgewezen) == ("geslaagd", 3, 3, 0)
    records = session.exec(
        select(Contactmoment).where(Contactmoment.organisatie_id == omgeving.organisatie.id).order_by(Contactmoment.datum)
    ).all()
    assert [r.datum for r in records] == [date(2025, 3, 14), date(2025, 3, 15), date(2025, 3, 16)]
    eerste, tweede, groep = records
    assert eerste.inwoner_hash == contactmomenten.referentie_hash(organisatie_id=omgeving.organisatie.id, referentie="C001")
    assert (eerste.leeftijdscategorie, eerste.geslacht, eerste.taal, eerste.duur_minuten) == ("27-44", "vrouw", "ar", 30)
    assert eerste.extern_id is not None and eerste.extern_id.startswith("import-")
    assert tweede.sleutelpersoon_id == omgeving.fatima.id
    kinderen = contactmomenten.laad_kinderen(session, ids=[tweede.id])[tweede.id]
    assert kinderen.onderwerpen == ["zorg.huisarts", "zorg.zorgverzekering"]
    assert [(d.ketenpartner_id, d.wijze, d.status, d.status_datum) for d in kinderen.doorverwijzingen] == [
        (omgeving.uwv.id, "informatief", "verwezen", date(2025, 3, 15))
    ]
    assert kinderen.uitkomst is not None and kinderen.uitkomst.resultaat == "opgelost"
    assert (groep.soort, groep.aantal_deelnemers, groep.inwoner_hash) == ("groep", 14, None)


def test_atomic_mode_writes_nothing_when_one_row_is_bad(session: Session, omgeving: Omgeving) -> None:
    bestand = csv_bytes([*GOED, rij(Datum="31-02-2025"), rij(Onderwerp="Astrologie", Sleutelpersoon="Onbekend X.")])
    verslag = importeer(session, omgeving, bestand)
    assert (verslag.status, verslag.gelezen, verslag.aangemaakt, verslag.ongewijzigd, verslag.afgewezen) == (
        "mislukt", 5, 0, 0, 2
    )
    assert verslag.melding == (
        "Er is niets opgeslagen: 2 van de 5 rijen zijn afgekeurd en de import is atomair (alles of niets). "
        "Verbeter het bestand, of importeer per rij (`--per-rij`; in de API `perRij=true`)."
    )
    gevonden = fouten(verslag)
    assert gevonden[:2] == [
        (5, "Datum", "31-02-2025", "`31-02-2025` is geen bestaande datum."),
        (6, "Onderwerp", "Astrologie", ASTROLOGIE),
    ]
    assert gevonden[2][:3] == (6, "Sleutelpersoon", "Onbekend X.")
    assert gevonden[2][3].startswith("Onbekende sleutelpersoon `Onbekend X.`; registreer de sleutelpersoon eerst")
    assert len(gevonden) == 3
    assert _aantal(session, omgeving) == 0
    assert _aantal(session, omgeving, Doorverwijzing) == 0


def test_atomic_rollback_also_undoes_created_key_persons_and_partners(session: Session, omgeving: Omgeving) -> None:
    bestand = csv_bytes([rij(Sleutelpersoon="Nieuw N.", Doorverwezen_naar="Taalhuis"), rij(Datum="")])
    verslag = importeer(session, omgeving, bestand, nieuwe_sleutelpersonen=True, nieuwe_ketenpartners=True)
    assert (verslag.status, verslag.afgewezen, verslag.nieuwe_sleutelpersonen, verslag.nieuwe_ketenpartners) == (
        "mislukt", 1, [], []
    )
    assert _aantal(session, omgeving, Sleutelpersoon) == 2
    assert _aantal(session, omgeving, Ketenpartner) == 1


def test_per_row_mode_keeps_valid_rows_and_reports_the_rest(session: Session, omgeving: Omgeving) -> None:
    bestand = csv_bytes([*GOED, rij(Aantal_deelnemers="-3"), rij(Soort="Groep", Aantal_deelnemers="12")])
    verslag = importeer(session, omgeving, bestand, per_rij=True)
    assert (verslag.status, verslag.aangemaakt, verslag.afgewezen) == ("gedeeltelijk", 3, 2)
    assert fouten(verslag) == [
        (5, "Aantal deelnemers", "-3", "Moet minimaal 1 zijn."),
        # A rule of the service (not of the schema) is mapped back to the column too.
        (6, "Cliëntnummer", "", "Een groepsbijeenkomst heeft geen inwonerReferentie; laat dit veld weg."),
    ]
    assert _aantal(session, omgeving) == 3


def test_per_row_mode_with_every_row_bad_fails(session: Session, omgeving: Omgeving) -> None:
    verslag = importeer(session, omgeving, csv_bytes([rij(Datum="morgen")]), per_rij=True)
    assert (verslag.status, verslag.afgewezen) == ("mislukt", 1)


def test_per_row_rejected_row_does_not_keep_the_key_person_it_created(session: Session, omgeving: Omgeving) -> None:
    # The second row creates Nieuw N. and then fails in the service (group with a client number);
    # the third row names Nieuw N. again and must create it itself.
    bestand = csv_bytes([
        rij(),
        rij(Sleutelpersoon="Nieuw N.", Soort="Groep", Aantal_deelnemers="5"),
        rij(Sleutelpersoon="Nieuw N.", Datum="20-3-2025"),
    ])
    verslag = importeer(session, omgeving, bestand, per_rij=True, nieuwe_sleutelpersonen=True)
    assert (verslag.aangemaakt, verslag.afgewezen, verslag.nieuwe_sleutelpersonen) == (2, 1, ["Nieuw N."])
    nieuw = session.exec(select(Sleutelpersoon).where(Sleutelpersoon.weergavenaam == "Nieuw N.")).all()
    assert len(nieuw) == 1


def test_dry_run_writes_nothing_but_reports_what_would_happen(session: Session, omgeving: Omgeving) -> None:
    bestand = csv_bytes([*GOED, rij(Sleutelpersoon="Nieuw N.", Doorverwezen_naar="Belastingtelefoon")])
    verslag = importeer(session, omgeving, bestand, proefdraai=True, nieuwe_sleutelpersonen=True, nieuwe_ketenpartners=True)
    assert (verslag.status, verslag.aangemaakt, verslag.opgeslagen) == ("geslaagd", 4, False)
    assert verslag.nieuwe_sleutelpersonen == ["Nieuw N."]
    assert verslag.nieuwe_ketenpartners == [("Belastingtelefoon", "overig")]
    assert verslag.melding == "Proefdraai: er is niets opgeslagen; de aantallen zijn wat een echte import zou doen."
    assert _aantal(session, omgeving) == 0
    assert _aantal(session, omgeving, Sleutelpersoon) == 2
    assert _aantal(session, omgeving, Ketenpartner) == 1


def test_loading_the_same_file_twice_changes_nothing(session: Session, omgeving: Omgeving) -> None:
    bestand = csv_bytes(GOED)
    importeer(session, omgeving, bestand)
    voor = (_aantal(session, omgeving), _aantal(session, omgeving, Doorverwijzing))
    tweede = importeer(session, omgeving, bestand)
    assert (tweede.status, tweede.aangemaakt, tweede.bijgewerkt, tweede.ongewijzigd) == ("geslaagd", 0, 0, 3)
    assert (_aantal(session, omgeving), _aantal(session, omgeving, Doorverwijzing)) == voor


def test_derived_key_is_independent_of_position_format_and_spelling(session: Session, omgeving: Omgeving) -> None:
    importeer(session, omgeving, csv_bytes(GOED))
    # The same rows, reordered, with another separator and encoding, other spellings and date formats.
    anders = [
        rij(Datum="16-3-2025", Soort="groep", Kanaal="GROEPSBIJEENKOMST", Aantal_deelnemers="14", Cliëntnummer="",
            Onderwerp="vaccinatie", Resultaat=""),
        rij(Datum="2025-03-14", Onderwerp="geld.toeslagen", Geslacht="V", Taal="Arabisch"),
        rij(Datum="15/03/2025", Sleutelpersoon="fatima e", Onderwerp="Zorgverzekering; Huisarts", Doorverwezen_naar="uwv"),
    ]
    verslag = importeer(session, omgeving, csv_bytes(anders, scheidingsteken=",", codering="cp1252"))
    assert (verslag.aangemaakt, verslag.ongewijzigd) == (0, 3)
    # And as a workbook, with a date cell and numbers where the CSV had text.
    werkboek = xlsx_bytes({"Blad1": [KOP, [date(2025, 3, 14), *rij()[1:5], 1, "C001", *rij()[7:14], 30]]})
    assert importeer(session, omgeving, werkboek, formaat="xlsx").ongewijzigd == 1


def test_identical_rows_in_one_file_are_separate_contacts_and_stay_idempotent(session: Session, omgeving: Omgeving) -> None:
    bestand = csv_bytes([rij(), rij(), rij(Datum="20-3-2025"), rij()])
    eerste = importeer(session, omgeving, bestand)
    assert eerste.aangemaakt == 4
    ids = sorted(session.exec(select(Contactmoment.extern_id).where(Contactmoment.organisatie_id == omgeving.organisatie.id)).all())
    [sleutel] = [i for i in ids if f"{i}-2" in ids]
    assert f"{sleutel}-3" in ids and len(ids) == 4
    assert importeer(session, omgeving, bestand).ongewijzigd == 4
    # A file with fewer copies of the row finds the first ones and adds nothing.
    assert importeer(session, omgeving, csv_bytes([rij()])).ongewijzigd == 1
    assert _aantal(session, omgeving) == 4


def test_extern_id_upserts_changed_rows(session: Session, omgeving: Omgeving) -> None:
    kop = ["Extern id", *KOP]
    eerste = [["crm-1", *rij()], ["crm-2", *rij(Onderwerp="Huisarts", Doorverwezen_naar="UWV")]]
    assert importeer(session, omgeving, csv_bytes(eerste, kop=kop)).aangemaakt == 2
    record = session.exec(select(Contactmoment).where(Contactmoment.extern_id == "crm-1")).one()
    gecorrigeerd = [
        ["crm-1", *rij(Onderwerp="Toeslagen, Schulden", Kanaal="Telefonisch", Resultaat="Deels opgelost", **{"Duur (min)": "45"})],
        ["crm-2", *rij(Onderwerp="Huisarts", Doorverwezen_naar="UWV")],
        ["crm-3", *rij(Datum="1-3-2025")],
    ]
    verslag = importeer(session, omgeving, csv_bytes(gecorrigeerd, kop=kop))
    assert (verslag.aangemaakt, verslag.bijgewerkt, verslag.ongewijzigd, verslag.afgewezen) == (1, 1, 1, 0)
    session.refresh(record)
    kinderen = contactmomenten.laad_kinderen(session, ids=[record.id])[record.id]
    assert (record.kanaal, record.duur_minuten, kinderen.onderwerpen) == ("telefonisch", 45, ["geld.schulden", "geld.toeslagen"])
    assert kinderen.uitkomst is not None and kinderen.uitkomst.resultaat == "deels-opgelost"
    assert _aantal(session, omgeving, Uitkomst) == 4  # the earlier outcome stays as history
    # The corrected file again: nothing left to change.
    herhaling = importeer(session, omgeving, csv_bytes(gecorrigeerd, kop=kop))
    assert (herhaling.bijgewerkt, herhaling.ongewijzigd) == (0, 3)


def test_extern_id_update_cannot_change_referrals(session: Session, omgeving: Omgeving) -> None:
    kop = ["Extern id", *KOP]
    importeer(session, omgeving, csv_bytes([["crm-1", *rij(Doorverwezen_naar="UWV")]], kop=kop))
    verslag = importeer(session, omgeving, csv_bytes([["crm-1", *rij(Doorverwezen_naar="")]], kop=kop), per_rij=True)
    assert fouten(verslag) == [
        (2, "Doorverwezen naar", "", "Het contactmoment bestaat al met andere doorverwijzingen; een import wijzigt "
         "geen doorverwijzingen (gebruik /v1/doorverwijzingen)."),
    ]


def test_reimport_does_not_relink_an_erased_resident(session: Session, omgeving: Omgeving) -> None:
    from app.inwoners import service as inwoners

    kop = ["Extern id", *KOP]
    bestand = csv_bytes([["crm-1", *rij()], ["crm-2", *rij(Datum="1-3-2025")]], kop=kop)
    importeer(session, omgeving, bestand)
    zonder_id = csv_bytes([rij(Datum="2-3-2025")])
    importeer(session, omgeving, zonder_id)
    assert inwoners.vergeet(session, caller=omgeving.caller, referentie="C001") == 3
    assert importeer(session, omgeving, bestand).ongewijzigd == 2
    assert importeer(session, omgeving, zonder_id).ongewijzigd == 1
    gekoppeld = session.exec(
        select(func.count()).select_from(Contactmoment).where(
            Contactmoment.organisatie_id == omgeving.organisatie.id, col(Contactmoment.inwoner_hash).is_not(None)
        )
    ).one()
    assert gekoppeld == 0


def test_deleted_contactmoment_is_not_brought_back(session: Session, omgeving: Omgeving) -> None:
    importeer(session, omgeving, csv_bytes([rij()]))
    record = session.exec(select(Contactmoment).where(Contactmoment.organisatie_id == omgeving.organisatie.id)).one()
    contactmomenten.delete(session, caller=omgeving.caller, record=record)
    verslag = importeer(session, omgeving, csv_bytes([rij()]), per_rij=True)
    assert verslag.afgewezen == 1
    assert fouten(verslag)[0][3] == (
        f"externId: Het contactmoment met externId `{record.extern_id}` is verwijderd; een import zet het niet terug."
    )


def test_identical_errors_are_grouped_with_their_rows(session: Session, omgeving: Omgeving) -> None:
    bestand = csv_bytes([rij(Onderwerp="Astrologie"), rij(), rij(Onderwerp="Astrologie"), rij(Datum=""), rij(Onderwerp="Astrologie")])
    verslag = importeer(session, omgeving, bestand, per_rij=True)
    assert verslag.foutgroepen() == [
        {"kolom": "Onderwerp", "waarde": "Astrologie", "reden": ASTROLOGIE, "aantal": 3, "rijen": [2, 4, 6]},
        {"kolom": "Datum", "waarde": "", "reden": "Verplicht veld ontbreekt.", "aantal": 1, "rijen": [5]},
    ]
    csv_tekst = service.fouten_csv(verslag.als_rapport())
    assert csv_tekst.startswith("\ufeffrij;datum;sleutelpersoon;kolom;waarde;reden\r\n")
    assert csv_tekst.splitlines()[1:] == [
        "2;14-3-2025;Mays A.;Onderwerp;Astrologie;" + ASTROLOGIE,
        "4;14-3-2025;Mays A.;Onderwerp;Astrologie;" + ASTROLOGIE,
        "5;;Mays A.;Datum;;Verplicht veld ontbreekt.",
        "6;14-3-2025;Mays A.;Onderwerp;Astrologie;" + ASTROLOGIE,
    ]


def test_client_number_is_never_echoed_in_the_report(session: Session, omgeving: Omgeving) -> None:
    verslag = importeer(session, omgeving, csv_bytes([rij(Cliëntnummer="123456782")]), per_rij=True)
    [(_, kolom, waarde, reden)] = fouten(verslag)
    assert (kolom, waarde) == ("Cliëntnummer", "")
    assert reden.startswith("Dit lijkt een burgerservicenummer (BSN).")
    assert "123456782" not in str(verslag.als_rapport())


def test_unknown_values_with_personal_data_are_not_kept_in_the_report(session: Session, omgeving: Omgeving) -> None:
    bestand = csv_bytes([
        rij(Onderwerp="111222333"), rij(Kanaal="bel 06-12345678"), rij(Sleutelpersoon="Fatima 111 222 333"),
        rij(Onderwerp="Astrologie"),
    ])
    verslag = importeer(session, omgeving, bestand, per_rij=True)
    rapport = str(verslag.als_rapport()) + service.fouten_csv(verslag.als_rapport())
    for waarde in ("111222333", "111 222 333", "12345678"):
        assert waarde not in rapport
    assert [(r, k, w) for r, k, w, _ in fouten(verslag)] == [
        (2, "Onderwerp", "(weggelaten: bevat persoonsgegevens)"),
        (3, "Kanaal", "(weggelaten: bevat persoonsgegevens)"),
        (4, "Sleutelpersoon", "(weggelaten: bevat persoonsgegevens)"),
        (5, "Onderwerp", "Astrologie"),
    ]


def test_missing_columns_fail_the_whole_file(session: Session, omgeving: Omgeving) -> None:
    bestand = csv_bytes([["14-3-2025", "Toeslagen"]], kop=["Datum", "Onderwerp"])
    verslag = importeer(session, omgeving, bestand, per_rij=True)
    assert (verslag.status, verslag.gelezen, verslag.onleesbaar) == ("mislukt", 0, True)
    assert verslag.melding == "De kolommen van het bestand kloppen niet; er is niets ingelezen."
    assert [reden for _, _, _, reden in fouten(verslag)] == [
        f"Er is geen kolom voor `{veld}` (bijvoorbeeld {voorbeeld}); voeg die toe, of noem de kolom in het "
        "mappingbestand (kolommen) of geef een standaardwaarde (standaard)."
        for veld, voorbeeld in [
            ("sleutelpersoon", "`Sleutelpersoon` of `Naam sleutelpersoon`"),
            ("gemeentecode", "`Gemeente` of `Gemeentecode`"),
            ("kanaal", "`Kanaal` of `Contactvorm`"),
        ]
    ]


def test_header_only_file_fails(session: Session, omgeving: Omgeving) -> None:
    verslag = importeer(session, omgeving, csv_bytes([]))
    assert (verslag.status, verslag.melding) == ("mislukt", "Het bestand bevat geen gegevensrijen onder de kopregel.")


def test_run_record_and_one_audit_row(session: Session, omgeving: Omgeving) -> None:
    run, verslag = service.voer_uit(
        session, caller=omgeving.caller, bron=csv_bytes(GOED), opties=service.Opties(formaat="csv", bestandsnaam="a.csv")
    )
    assert (run.status, run.modus, run.proefdraai, run.bestandsnaam, run.aangemaakt) == ("geslaagd", "atomair", False, "a.csv", 3)
    assert run.voltooid_op is not None and run.rapport["fouten"] == []
    regels = session.exec(select(AuditRegel).where(AuditRegel.resource_type == "import")).all()
    assert [(r.actie, r.resource_id, r.aantal, r.organisatie_id) for r in regels] == [
        ("geimporteerd", str(run.id), 3, omgeving.organisatie.id)
    ]


def test_ndjson_in_the_api_shape(session: Session, omgeving: Omgeving) -> None:
    basis = {
        "sleutelpersoonId": str(omgeving.mays.id), "datum": "2025-03-14", "gemeentecode": "GM0344",
        "kanaal": "huisbezoek", "onderwerpen": ["geld.toeslagen"], "inwonerReferentie": "client-1",
        "doorverwijzingen": [{"ketenpartnerId": str(omgeving.uwv.id), "wijze": "warm"}],
    }
    bestand = ndjson_bytes([
        {**basis, "externId": "crm-1"},
        basis,
        {**basis, "kanaal": "duif", "onderwerpen": ["geld.toeslagen", "x"]},
        "niet-json",
        {**basis, "sleutelpersoonId": str(uuid.uuid4()), "datum": "2025-03-15"},
        {**basis, "inwonerReferentie": "123456782", "opmerking": "vrij tekstveld"},
    ])
    verslag = importeer(session, omgeving, bestand, formaat="ndjson", per_rij=True)
    assert (verslag.aangemaakt, verslag.afgewezen) == (2, 4)
    assert [(r, k, w) for r, k, w, _ in fouten(verslag)] == [
        (3, "kanaal", "duif"),
        (3, "onderwerpen[1]", "x"),
        (4, None, ""),
        (5, "sleutelpersoonId", fouten(verslag)[3][2]),
        (6, "inwonerReferentie", ""),  # never echoed
        (6, "opmerking", "vrij tekstveld"),
    ]
    assert fouten(verslag)[3][3].startswith("Sleutelpersoon ") and fouten(verslag)[3][3].endswith(" bestaat niet.")
    assert fouten(verslag)[5][3] == "Onbekend veld; dit veld wordt niet geaccepteerd."
    assert session.exec(select(Contactmoment).where(Contactmoment.extern_id == "crm-1")).one() is not None
    assert importeer(session, omgeving, bestand, formaat="ndjson", per_rij=True).ongewijzigd == 2


def test_runs_and_records_stay_within_the_organisation(session: Session, omgeving: Omgeving) -> None:
    andere = maak_omgeving(session)
    importeer(session, omgeving, csv_bytes([rij()]))
    # Same file for another organisation: its own key person, its own (differently keyed) record.
    verslag = importeer(session, andere, csv_bytes([rij()]))
    assert verslag.aangemaakt == 1
    assert _aantal(session, andere) == 1 and _aantal(session, omgeving) == 1
    assert session.exec(select(func.count()).select_from(ImportRun).where(ImportRun.organisatie_id == andere.organisatie.id)).one() == 1
