"""Header recognition, the mapping file, and value mapping against the seeded code lists."""

import pytest
from sqlmodel import Session

from app.codelijsten import service as codelijsten
from app.imports.mapping import (
    CodeIndex,
    Kolomindeling,
    Treffer,
    Vertaler,
    deel_kolommen_in,
    laad_mappingbestand,
    normaliseer,
    veld_voor_kop,
)
from app.imports.readers import LeesFout, Rij
from tests.imports.helpers import Omgeving


@pytest.mark.parametrize(
    ("kop", "veld"),
    [
        ("Datum", "datum"), ("DATUM CONTACT", "datum"), (" datum contact ", "datum"),
        ("Naam sleutelpersoon", "sleutelpersoon"), ("Gemeentecode", "gemeentecode"),
        ("Contactvorm", "kanaal"), ("Individueel/groep", "soort"), ("Deelnemers", "aantalDeelnemers"),
        ("Cliëntnummer", "inwonerReferentie"), ("Clientnummer", "inwonerReferentie"), ("Client ID", "inwonerReferentie"),
        ("Leeftijdscategorie", "leeftijdscategorie"), ("Hulpvraag", "onderwerpen"), ("Onderwerp 2", "onderwerpen"),
        ("Verwezen naar", "doorverwijzingen"), ("Uitkomst", "resultaat"), ("Duur (min)", "duurMinuten"),
        ("Minuten", "duurMinuten"), ("Extern ID", "externId"), ("Opmerkingen", None), ("Datum 2", None),
    ],
)
def test_dutch_headers_are_recognised_case_and_accent_insensitively(kop: str, veld: str | None) -> None:
    assert veld_voor_kop(kop) == veld


def test_normaliseer() -> None:
    assert normaliseer("  Cliënt-Nummer ") == "client nummer"
    assert normaliseer("Voorlichting (groep)") == "voorlichting groep"
    assert normaliseer("?") == "?"


def test_missing_and_doubled_columns_are_named() -> None:
    indeling = deel_kolommen_in(["Datum", "Datum contact", "Sleutelpersoon", "Opmerkingen", "Onderwerp 1", "Onderwerp 2"])
    assert indeling.kolommen["Opmerkingen"] is None
    assert indeling.velden["onderwerpen"] == ["Onderwerp 1", "Onderwerp 2"]
    assert indeling.fouten == [
        "De kolommen `Datum` en `Datum contact` zijn allebei `datum`; zet in het mappingbestand de kolom die niet telt op `negeren`.",
        "Er is geen kolom voor `gemeentecode` (bijvoorbeeld `Gemeente` of `Gemeentecode`); voeg die toe, of noem de "
        "kolom in het mappingbestand (kolommen) of geef een standaardwaarde (standaard).",
        "Er is geen kolom voor `kanaal` (bijvoorbeeld `Kanaal` of `Contactvorm`); voeg die toe, of noem de "
        "kolom in het mappingbestand (kolommen) of geef een standaardwaarde (standaard).",
    ]


def test_mapping_file_overrides_headers_and_supplies_defaults() -> None:
    mapping = laad_mappingbestand(
        """
kolommen:
  Vrijwilliger: sleutelpersoon
  Datum contact: negeren
  Wanneer: datum
standaard:
  gemeentecode: GM0344
  kanaal: persoonlijk
"""
    )
    indeling = deel_kolommen_in(["Wanneer", "Datum contact", "Vrijwilliger", "Onderwerp"], mapping)
    assert indeling.fouten == []
    assert indeling.kolommen == {"Wanneer": "datum", "Datum contact": None, "Vrijwilliger": "sleutelpersoon", "Onderwerp": "onderwerpen"}


@pytest.mark.parametrize(
    ("tekst", "fout"),
    [
        ("kolommen: [1, 2]", "Het mappingbestand is ongeldig: kolommen"),
        ("kolommen:\n  Datum: wanneer", "kolommen: `Datum` verwijst naar onbekend veld `wanneer`"),
        ("waarden:\n  onderwerp:\n    x: y", "waarden: onbekend veld `onderwerp`"),
        ("kleuren: {}", "Het mappingbestand is ongeldig: kleuren"),
        ("kolommen: [", "geen geldige YAML"),
    ],
)
def test_invalid_mapping_file(tekst: str, fout: str) -> None:
    with pytest.raises(LeesFout, match=fout.replace("[", r"\[")):
        laad_mappingbestand(tekst)


# --- code lists ----------------------------------------------------------------------------


@pytest.fixture
def onderwerpen(session: Session) -> CodeIndex:
    return CodeIndex(codelijsten.lookup(session, lijst=codelijsten.ONDERWERP).values())


@pytest.mark.parametrize(
    ("waarde", "code", "wijze"),
    [
        ("geld.toeslagen", "geld.toeslagen", "code"),
        ("GELD.TOESLAGEN ", "geld.toeslagen", "code"),
        ("toeslagen", "geld.toeslagen", "laatste deel van de code"),
        ("Roken-vapen", "gezondheid.roken-vapen", "laatste deel van de code"),
        ("Mentale gezondheid", "gezondheid.mentaal", "omschrijving"),
        ("  mentale   GEZONDHEID", "gezondheid.mentaal", "omschrijving"),
        ("Zwangerschap en geboorte", "gezondheid.zwangerschap-geboorte", "omschrijving"),
        ("Geld en financiën", "geld", "omschrijving"),
        ("financien", "geld", "synoniem"),
        ("Financiën", "geld", "synoniem"),
        ("zorgtoeslag", "geld.toeslagen", "synoniem"),
        ("Consultatiebureau", "zorg.jgz", "synoniem"),
        ("gezondheid", "gezondheid", "code"),
    ],
)
def test_topic_matches_code_leaf_label_and_synonym(onderwerpen: CodeIndex, waarde: str, code: str, wijze: str) -> None:
    assert onderwerpen.zoek(waarde) == Treffer(code, wijze)


def test_unknown_and_approximate_values(session: Session, onderwerpen: CodeIndex) -> None:
    assert onderwerpen.zoek("Onbekend onderwerp xyz") == "Onbekende waarde `Onbekend onderwerp xyz`."
    acties = CodeIndex(codelijsten.lookup(session, lijst=codelijsten.ACTIE).values())
    # Words, not a phrase: "meegegaan" and "afspraak" are both words of begeleid-naar-afspraak only.
    assert acties.zoek("Meegegaan naar afspraak") == Treffer("begeleid-naar-afspraak", "benaderd")
    assert acties.zoek("Meegegaan naar afspraak", benaderen=False) == "Onbekende waarde `Meegegaan naar afspraak`."
    # One word of two for each of two codes is a tie, so no guess.
    assert onderwerpen.zoek("Huisarts toeslagen") == "Onbekende waarde `Huisarts toeslagen`."
    kanalen = CodeIndex(codelijsten.lookup(session, lijst=codelijsten.KANAAL).values())
    assert kanalen.zoek("Voorlichting (groep)") == Treffer("groepsbijeenkomst", "benaderd")


def test_ambiguous_value_names_the_candidates(session: Session) -> None:
    codelijsten.add_code(session, caller=_beheer(), lijst=codelijsten.ONDERWERP, code="zorg.mentaal", label="Psychiatrie")
    index = CodeIndex(codelijsten.lookup(session, lijst=codelijsten.ONDERWERP).values())
    # The last part is no longer unique, and the word matches both codes equally: no guess.
    assert index.zoek("mentaal") == "Onbekende waarde `mentaal`."
    assert index.zoek("gezondheid.mentaal") == Treffer("gezondheid.mentaal", "code")
    assert index.zoek("toeslagen") == Treffer("geld.toeslagen", "laatste deel van de code")
    codelijsten.add_code(session, caller=_beheer(), lijst=codelijsten.KANAAL, code="post", label="Telefonisch")
    kanalen = CodeIndex(codelijsten.lookup(session, lijst=codelijsten.KANAAL).values())
    assert kanalen.zoek("telefonisch") == Treffer("telefonisch", "code")
    assert kanalen.zoek("Telefonisch ") == Treffer("telefonisch", "code")
    assert kanalen.zoek("Telefonisch.") == Treffer("telefonisch", "code")


def test_same_label_twice_is_ambiguous(session: Session) -> None:
    codelijsten.add_code(session, caller=_beheer(), lijst=codelijsten.KANAAL, code="bellen-kort", label="Even bellen")
    codelijsten.add_code(session, caller=_beheer(), lijst=codelijsten.KANAAL, code="bellen-lang", label="Even bellen")
    kanalen = CodeIndex(codelijsten.lookup(session, lijst=codelijsten.KANAAL).values())
    assert kanalen.zoek("even bellen") == "`even bellen` past bij meer dan één code (bellen-kort, bellen-lang)."


def _beheer():  # type: ignore[no-untyped-def]
    from app.toegang.caller import cli_caller

    return cli_caller()


# --- rows ----------------------------------------------------------------------------------


def _vertaler(session: Session, omgeving: Omgeving, koppen: list[str], **opties) -> Vertaler:  # type: ignore[no-untyped-def]
    indeling: Kolomindeling = deel_kolommen_in(koppen, opties.get("mapping"))
    return Vertaler(session, caller=omgeving.caller, indeling=indeling, **opties)


def test_row_is_mapped_to_a_contactmoment_body(session: Session, omgeving: Omgeving) -> None:
    koppen = ["Datum", "Naam sleutelpersoon", "Gemeente", "Contactvorm", "Leeftijd", "Geslacht", "Taal",
              "Hulpvraag", "Actie", "Verwezen naar", "Uitkomst", "Minuten", "Opmerkingen"]
    vertaler = _vertaler(session, omgeving, koppen)
    cellen = ["14-03-2025", "  MAYS a. ", "344", "WhatsApp", "34", "V", "Arabisch",
              "Schulden + toeslagen/ Taal;Taal leren", "Brief uitgelegd, Formulier", "uwv", "Loopt nog", "1:15",
              "Mevrouw X, BSN 123456782"]
    vertaling = vertaler.vertaal(Rij(2, dict(zip(koppen, cellen, strict=True))))
    assert vertaling.fouten == []
    assert vertaling.data == {
        "datum": __import__("datetime").date(2025, 3, 14),
        "sleutelpersoonId": omgeving.mays.id,
        "gemeentecode": "GM0344",
        "kanaal": "berichtenapp",
        "inwoner": {"leeftijdscategorie": "27-44", "geslacht": "vrouw", "taal": "ar"},
        "onderwerpen": ["geld.schulden", "geld.toeslagen", "inburgering.taal"],
        "acties": ["uitleg-brief", "formulier-ingevuld"],
        "doorverwijzingen": [{"ketenpartnerId": omgeving.uwv.id, "wijze": "informatief"}],
        "uitkomst": {"resultaat": "lopend"},
        "duurMinuten": 75,
    }
    # Free-text columns that are not recognised are never read.
    assert "Opmerkingen" not in str(vertaling.data)
    assert vertaling.bronnen["onderwerpen[2]"] == ("Hulpvraag", "Taal")
    assert vertaling.bronnen["doorverwijzingen[0]"] == ("Verwezen naar", "uwv")


def test_more_than_one_participant_without_soort_is_a_group(session: Session, omgeving: Omgeving) -> None:
    koppen = ["Datum", "Sleutelpersoon", "Gemeente", "Kanaal", "Deelnemers", "Onderwerp"]
    vertaling = _vertaler(session, omgeving, koppen).vertaal(
        Rij(2, dict(zip(koppen, ["1-2-2025", "Mays A.", "GM0344", "groepsbijeenkomst", "12", "Vaccinatie"], strict=True)))
    )
    assert (vertaling.data["soort"], vertaling.data["aantalDeelnemers"]) == ("groep", 12)


def test_multi_valued_cells_whole_value_first(session: Session, omgeving: Omgeving) -> None:
    from tests.factories import make_ketenpartner

    make_ketenpartner(session, omgeving.organisatie, naam="Huisartsen Noord/Zuid", categorie="huisarts")
    koppen = ["Onderwerp", "Doorverwezen naar", "Onderwerp 2"]
    vertaler = _vertaler(session, omgeving, koppen)
    vertaling = vertaler.vertaal(Rij(2, {"Onderwerp": "Post en brieven", "Doorverwezen naar": "Huisartsen Noord/Zuid + UWV",
                                         "Onderwerp 2": "Toeslagen, Post en brieven"}))
    assert vertaling.fouten == []
    assert vertaling.data["onderwerpen"] == ["inburgering.post-brieven", "geld.toeslagen"]
    assert len(vertaling.data["doorverwijzingen"]) == 2
    # A name with a separator that is not a known name as a whole is split.
    heel = vertaler.vertaal(Rij(3, {"Onderwerp": "Taal", "Doorverwezen naar": "Huisartsen Noord/Zuid", "Onderwerp 2": ""}))
    assert len(heel.data["doorverwijzingen"]) == 1


def test_mapping_file_value_synonyms_win(session: Session, omgeving: Omgeving) -> None:
    mapping = laad_mappingbestand(
        """
waarden:
  kanaal:
    Voorlichting (groep): groepsbijeenkomst
    Straat: Persoonlijk gesprek
  sleutelpersoon:
    Mays: Mays A.
  onderwerpen:
    Belastingdienst: geld.belastingen
"""
    )
    koppen = ["Kanaal", "Sleutelpersoon", "Onderwerp"]
    vertaler = _vertaler(session, omgeving, koppen, mapping=mapping)
    a = vertaler.vertaal(Rij(2, {"Kanaal": "voorlichting (GROEP)", "Sleutelpersoon": "mays", "Onderwerp": "Belastingdienst, Huisarts"}))
    b = vertaler.vertaal(Rij(3, {"Kanaal": "straat", "Sleutelpersoon": "Mays A.", "Onderwerp": "Huisarts"}))
    assert a.fouten == [] and b.fouten == []
    assert (a.data["kanaal"], b.data["kanaal"]) == ("groepsbijeenkomst", "persoonlijk")
    assert a.data["sleutelpersoonId"] == omgeving.mays.id
    assert a.data["onderwerpen"] == ["geld.belastingen", "zorg.huisarts"]
    assert vertaler.overzicht["Kanaal"]["voorlichting (GROEP)"] == "groepsbijeenkomst (mappingbestand)"
    assert vertaler.benaderd == {}


def test_unknown_key_person_is_an_error_unless_creation_is_enabled(session: Session, omgeving: Omgeving) -> None:
    koppen = ["Sleutelpersoon", "Doorverwezen naar"]
    cellen = {"Sleutelpersoon": "Yonas T.", "Doorverwezen naar": "Taalhuis bibliotheek, UWV"}
    streng = _vertaler(session, omgeving, koppen).vertaal(Rij(7, cellen))
    assert [(kolom, waarde) for kolom, waarde, _ in streng.fouten] == [
        ("Sleutelpersoon", "Yonas T."), ("Doorverwezen naar", "Taalhuis bibliotheek")
    ]
    persoon, partner = (reden for _, _, reden in streng.fouten)
    # The hint names the real switches, on the command line and in the API, and the per-row mode.
    assert persoon.startswith("Onbekende sleutelpersoon `Yonas T.`; registreer de sleutelpersoon eerst")
    for vlag in ("`--nieuwe-sleutelpersonen-aanmaken`", "`nieuweSleutelpersonenAanmaken=true`", "`--per-rij`", "`perRij=true`"):
        assert vlag in persoon
    assert partner.startswith("Onbekende ketenpartner `Taalhuis bibliotheek`; zet hem eerst op de sociale kaart")
    for vlag in ("`--nieuwe-ketenpartners-aanmaken`", "`nieuweKetenpartnersAanmaken=true`", "`--per-rij`"):
        assert vlag in partner
    import inspect

    from app.imports.cli import importeer

    cli = inspect.getsource(importeer)  # the CLI really has these flags
    assert all(vlag in cli for vlag in ('"--nieuwe-sleutelpersonen-aanmaken"', '"--nieuwe-ketenpartners-aanmaken"', '"--per-rij"'))
    ruim = _vertaler(session, omgeving, koppen, nieuwe_sleutelpersonen=True, nieuwe_ketenpartners=True)
    vertaling = ruim.vertaal(Rij(7, cellen))
    assert vertaling.fouten == []
    assert vertaling.nieuwe_sleutelpersoon == "Yonas T."
    assert vertaling.nieuwe_ketenpartners == {0: "Taalhuis bibliotheek"}
    assert ruim.categorie_voor("Taalhuis bibliotheek") == "taalaanbieder"
    assert ruim.categorie_voor("Belastingtelefoon") == "overig"
    assert ruim.categorie_voor("Sociaal wijkteam Oost") == "sociaal-wijkteam"


def test_accented_key_person_name_matches_without_accents(session: Session, omgeving: Omgeving) -> None:
    vertaling = _vertaler(session, omgeving, ["Sleutelpersoon"]).vertaal(Rij(2, {"Sleutelpersoon": "fatima e"}))
    assert vertaling.data["sleutelpersoonId"] == omgeving.fatima.id


def test_two_key_persons_with_one_name_is_an_error(session: Session, omgeving: Omgeving) -> None:
    from tests.factories import make_sleutelpersoon

    make_sleutelpersoon(session, omgeving.organisatie, weergavenaam="Mays A")
    vertaling = _vertaler(session, omgeving, ["Sleutelpersoon"]).vertaal(Rij(2, {"Sleutelpersoon": "Mays A."}))
    assert vertaling.fouten == [
        ("Sleutelpersoon", "Mays A.", "Er zijn 2 sleutelpersonen met de naam `Mays A.`; maak de namen uniek of gebruik het mappingbestand.")
    ]


def test_key_persons_of_another_organisation_are_not_matched(session: Session, omgeving: Omgeving) -> None:
    from tests.imports.helpers import maak_omgeving

    andere = maak_omgeving(session)
    vertaling = Vertaler(
        session, caller=andere.caller, indeling=deel_kolommen_in(["Sleutelpersoon"])
    ).vertaal(Rij(2, {"Sleutelpersoon": "Mays A."}))
    assert vertaling.data["sleutelpersoonId"] == andere.mays.id != omgeving.mays.id


def test_values_that_cannot_be_read_are_errors_on_their_column(session: Session, omgeving: Omgeving) -> None:
    koppen = ["Datum", "Gemeente", "Deelnemers", "Duur", "Taal", "Geslacht"]
    vertaling = _vertaler(session, omgeving, koppen).vertaal(
        Rij(5, {"Datum": "31-02-2024", "Gemeente": "Utrecht", "Deelnemers": "veel", "Duur": "lang", "Taal": "Klingon", "Geslacht": "?"})
    )
    assert vertaling.fouten == [
        ("Datum", "31-02-2024", "`31-02-2024` is geen bestaande datum."),
        ("Gemeente", "Utrecht", "`Utrecht` is geen gemeentecode; gebruik de CBS-code, bijvoorbeeld GM0344."),
        ("Deelnemers", "veel", "`veel` is geen geheel getal."),
        ("Taal", "Klingon", "Onbekende taal `Klingon`; gebruik een ISO 639-code (bijv. ar) of een Nederlandse taalnaam."),
        ("Duur", "lang", "`lang` is geen duur in minuten; gebruik bijvoorbeeld 45, 45 min of 1:30."),
    ]
    assert vertaling.data["inwoner"] == {"geslacht": "onbekend"}  # `?` is a synonym of onbekend


def test_unknown_value_names_the_nearest_allowed_values_and_the_mapping_file(session: Session, omgeving: Omgeving) -> None:
    vertaling = _vertaler(session, omgeving, ["Onderwerp"]).vertaal(Rij(4, {"Onderwerp": "Toeslaggen"}))
    ((kolom, waarde, reden),) = vertaling.fouten
    assert (kolom, waarde) == ("Onderwerp", "Toeslaggen")
    assert reden.startswith("Onbekende waarde `Toeslaggen`. Bedoelt u Toeslagen (geld.toeslagen)")
    assert "GET /v1/codelijsten/onderwerp" in reden
    assert "mappingbestand onder `waarden: onderwerpen:`" in reden
