"""The indicator catalogue: one declarative entry per indicator (handreiking, chapter 7).

Adding an indicator is a new entry here: pick its source (`bron`), its measure, and the
dimensions it may be grouped or filtered by. `service.py` turns an entry into one query.
"""

from dataclasses import dataclass, field
from enum import StrEnum


class Bron(StrEnum):
    """The rows an indicator counts."""

    contactmoment = "contactmoment"  # one row per contactmoment
    eerste_contact = "eerste-contact"  # one row per resident: their first contactmoment ever
    hulpvraag = "hulpvraag"  # one row per (contactmoment, onderwerp)
    actie = "actie"  # one row per (contactmoment, actie)
    doorverwijzing = "doorverwijzing"  # one row per referral
    uitkomst = "uitkomst"  # one row per outcome target, its latest outcome
    signaal = "signaal"  # one row per signal (not withdrawn)
    ervaringsverhaal = "ervaringsverhaal"  # one row per experience story
    inzet = "inzet"  # one row per registered inzet (hours of a key person on a day, of one kind)
    professioneel_contact = "professioneel-contact"  # one row per contact of a key person with professionals
    kosten = "kosten"  # one row per cost (amount in whole cents)
    # Supporting key persons (issue 26): organisation only, computed in indicatoren/ondersteuning.py.
    deskundigheid = "deskundigheid"  # one row per (training, participant)
    ondersteuning = "ondersteuning"  # one row per key person: active, with a plan, moved on
    rapportageperiode = "rapportageperiode"  # one row per expected report (rhythm, organisation, period): volledigheid.py


class Maat(StrEnum):
    aantal = "aantal"  # count of distinct rows of the source
    uniek = "uniek"  # count of distinct values of `kolom`
    som = "som"  # sum of `kolom` over distinct rows
    ratio = "ratio"  # teller / noemer, both counts under a condition, as a percentage
    mediaan = "mediaan"  # median of `kolom` over distinct rows
    quotient = "quotient"  # one indicator's value divided by another's over the same filters (`delen`)
    contract = "contract"  # inzet hours as a percentage of contract hours (urenPerWeek x weeks)


class Eenheid(StrEnum):
    aantal = "aantal"
    percentage = "percentage"
    uren = "uren"
    dagen = "dagen"
    euro = "euro"


# `project` and `regeling`: the funding stream a record is charged to (issue 26) and its scheme.
PROJECT_DIMENSIES = ("project", "regeling")
CONTACT_DIMENSIES = (
    "organisatie", "gemeente", "wijk", "sleutelpersoon", "onderwerp", "hoofdonderwerp", "kanaal",
    "soort", "rol", "taal", "leeftijdscategorie", "geslacht", "doelgroep", "actie", *PROJECT_DIMENSIES,
)
DOORVERWIJZING_DIMENSIES = ("ketenpartner", "ketenpartnerCategorie", "status", "wijze")
ALLE_DIMENSIES = CONTACT_DIMENSIES + DOORVERWIJZING_DIMENSIES
SIGNAAL_DIMENSIES = (
    "organisatie", "gemeente", "wijk", "onderwerp", "hoofdonderwerp", "status", "urgentie", "gerichtAan",
    "doelgroep", "taal",
)
VERHAAL_DIMENSIES = ("organisatie", "gemeente", "wijk", "onderwerp", "hoofdonderwerp", "bron", "effect")
# Hours have no wijk, topic or resident: the gemeente is where they count (the key person's by default).
INZET_DIMENSIES = ("organisatie", "gemeente", "sleutelpersoon", "soort", *PROJECT_DIMENSIES)
# Costs: `soort` is the kind of cost (code list kosten-soort); `gemeente` where the cost counts.
KOSTEN_DIMENSIES = ("organisatie", "gemeente", "sleutelpersoon", "soort", *PROJECT_DIMENSIES)
# A quotient of costs and contacts can only be cut by what both have, with the same meaning.
QUOTIENT_DIMENSIES = ("organisatie", "gemeente", "sleutelpersoon", *PROJECT_DIMENSIES)
# Contacts with professionals: `soort` is their own kind (code list professioneel-contact-soort),
# `ketenpartnerCategorie` the category of the ketenpartner that asked (none when a gemeente or GGD asked).
PROFESSIONEEL_DIMENSIES = ("organisatie", "gemeente", "sleutelpersoon", "soort", "onderwerp", "hoofdonderwerp",
                           "ketenpartnerCategorie", *PROJECT_DIMENSIES)
# Supporting key persons: figures per person, for the organisation itself only.
DESKUNDIGHEID_DIMENSIES = ("sleutelpersoon", "soort")
ONDERSTEUNING_DIMENSIES = ("sleutelpersoon",)
ACTIEF_UITLEG = (
    "Actief in een periode is een sleutelpersoon met minstens een contactmoment in de periode, of met een "
    "dienstverband dat de periode overlapt."
)
ALLEEN_ORGANISATIE = " Alleen voor de organisatie zelf; regionale en landelijke sleutels krijgen 403."
# Expected reports (volledigheid.py) are facts about organisations: per organisation and gemeente only.
RAPPORTAGE_DIMENSIES = ("organisatie", "gemeente")
# Signal statuses that carry feedback (terugkoppeling): the signal's loop is closed.
TERUGGEKOPPELD = ("opgepakt", "niet-opgepakt")

# Final referral statuses: the referral's story has ended (see DOMAIN.md status list).
from app.doorverwijzingen.statussen import EINDSTATUSSEN  # noqa: E402  one definition of "final"


@dataclass(frozen=True)
class Indicator:
    code: str
    naam: str
    definitie: str
    eenheid: Eenheid
    bron: Bron
    maat: Maat
    kolom: str | None = None  # for uniek / som
    factor: float = 1.0  # applied to som (minutes -> hours)
    basis: float = 1.0  # for som under disclosure control: published as a multiple of this (in `kolom` units)
    voorwaarde: dict[str, tuple[str, ...]] = field(default_factory=dict)  # base condition: column in values
    teller: dict[str, tuple[str, ...]] = field(default_factory=dict)
    noemer: dict[str, tuple[str, ...]] = field(default_factory=dict)
    teller_omschrijving: str | None = None
    noemer_omschrijving: str | None = None
    dimensies: tuple[str, ...] = ALLE_DIMENSIES
    delen: tuple[str, str] | None = None  # for quotient: the codes of the numerator and denominator indicators
    alleen_organisatie: bool = False  # refused (403) for every reader but the organisation's own key


INDICATOREN: dict[str, Indicator] = {
    i.code: i
    for i in (
        Indicator(
            code="aantal-contactmomenten",
            naam="Aantal contactmomenten",
            definitie="Het aantal geregistreerde contactmomenten (individueel en groep) met een datum in de periode.",
            eenheid=Eenheid.aantal, bron=Bron.contactmoment, maat=Maat.aantal,
        ),
        Indicator(
            code="aantal-hulpvragen",
            naam="Aantal hulpvragen",
            definitie="Het aantal hulpvragen: elk onderwerp van een contactmoment telt als een hulpvraag. "
            "Groeperen op hoofdonderwerp telt de hulpvragen op onder het bovenliggende onderwerp.",
            eenheid=Eenheid.aantal, bron=Bron.hulpvraag, maat=Maat.aantal,
        ),
        Indicator(
            code="bereik-inwoners",
            naam="Bereik: unieke inwoners",
            definitie="Het aantal verschillende inwoners (pseudoniem) in individuele contactmomenten in de periode. "
            "Contactmomenten waarvan de inwonerkoppeling is gewist tellen niet mee.",
            eenheid=Eenheid.aantal, bron=Bron.contactmoment, maat=Maat.uniek, kolom="inwoner_hash",
            voorwaarde={"soort": ("individueel",)},
        ),
        Indicator(
            code="nieuwe-inwoners",
            naam="Nieuwe inwoners",
            definitie="Het aantal inwoners van wie het allereerste contactmoment bij de organisatie in de periode valt. "
            "Dimensies en filters gelden voor dat eerste contactmoment.",
            eenheid=Eenheid.aantal, bron=Bron.eerste_contact, maat=Maat.uniek, kolom="inwoner_hash",
        ),
        Indicator(
            code="bereik-groepsdeelnemers",
            naam="Bereik: deelnemers aan groepsbijeenkomsten",
            definitie="De som van het aantal deelnemers aan groepsbijeenkomsten (voorlichtingen) in de periode.",
            eenheid=Eenheid.aantal, bron=Bron.contactmoment, maat=Maat.som, kolom="aantal_deelnemers",
            voorwaarde={"soort": ("groep",)},
        ),
        Indicator(
            code="aantal-doorverwijzingen",
            naam="Aantal doorverwijzingen",
            definitie="Het aantal doorverwijzingen naar ketenpartners vanuit contactmomenten in de periode.",
            eenheid=Eenheid.aantal, bron=Bron.doorverwijzing, maat=Maat.aantal,
        ),
        Indicator(
            code="percentage-doorverwijzingen-afgerond",
            naam="Percentage afgeronde doorverwijzingen",
            definitie="Doorverwijzingen met status afgerond, gedeeld door doorverwijzingen met een eindstatus "
            "(afgerond, afgewezen of niet-verschenen), maal 100.",
            eenheid=Eenheid.percentage, bron=Bron.doorverwijzing, maat=Maat.ratio,
            teller={"status": ("afgerond",)}, noemer={"status": EINDSTATUSSEN},
            teller_omschrijving="doorverwijzingen met status afgerond",
            noemer_omschrijving="doorverwijzingen met een eindstatus",
        ),
        Indicator(
            code="aantal-acties",
            naam="Aantal acties",
            definitie="Het aantal acties dat sleutelpersonen ondernamen: elke actie van een contactmoment telt een keer.",
            eenheid=Eenheid.aantal, bron=Bron.actie, maat=Maat.aantal,
        ),
        Indicator(
            code="percentage-opgelost",
            naam="Percentage opgeloste vragen",
            definitie="Uitkomsten opgelost of deels opgelost, gedeeld door alle uitkomsten met een bekend resultaat, "
            "maal 100. Per contactmoment of doorverwijzing telt alleen de laatst vastgelegde uitkomst.",
            eenheid=Eenheid.percentage, bron=Bron.uitkomst, maat=Maat.ratio,
            teller={"resultaat": ("opgelost", "deels-opgelost")},
            noemer={"resultaat": ("opgelost", "deels-opgelost", "lopend", "doorverwezen", "niet-opgelost")},
            teller_omschrijving="uitkomsten opgelost of deels opgelost",
            noemer_omschrijving="uitkomsten met een bekend resultaat",
        ),
        Indicator(
            code="actieve-sleutelpersonen",
            naam="Actieve sleutelpersonen",
            definitie="Het aantal sleutelpersonen met minstens een contactmoment in de periode.",
            eenheid=Eenheid.aantal, bron=Bron.contactmoment, maat=Maat.uniek, kolom="sleutelpersoon_id",
        ),
        Indicator(
            code="bestede-uren",
            naam="Bestede uren",
            definitie="De som van de duur van contactmomenten in minuten, gedeeld door 60.",
            eenheid=Eenheid.uren, bron=Bron.contactmoment, maat=Maat.som, kolom="duur_minuten", factor=1 / 60, basis=60,
        ),
        Indicator(
            code="aantal-signalen",
            naam="Aantal signalen",
            definitie="Het aantal signalen dat sleutelpersonen doorgaven aan beleid of ketenpartners, met een datum "
            "in de periode; ingetrokken signalen tellen niet mee. Groeperen op onderwerp telt een signaal bij elk "
            "van zijn onderwerpen.",
            eenheid=Eenheid.aantal, bron=Bron.signaal, maat=Maat.aantal, dimensies=SIGNAAL_DIMENSIES,
        ),
        Indicator(
            code="percentage-signalen-teruggekoppeld",
            naam="Percentage teruggekoppelde signalen",
            definitie="Signalen met terugkoppeling (status opgepakt of niet-opgepakt), gedeeld door alle signalen "
            "met een datum in de periode, maal 100.",
            eenheid=Eenheid.percentage, bron=Bron.signaal, maat=Maat.ratio, dimensies=SIGNAAL_DIMENSIES,
            teller={"status": TERUGGEKOPPELD},
            teller_omschrijving="signalen met terugkoppeling", noemer_omschrijving="alle signalen",
        ),
        Indicator(
            code="doorlooptijd-terugkoppeling",
            naam="Doorlooptijd tot terugkoppeling",
            definitie="De mediaan van het aantal kalenderdagen van de datum van een signaal tot de datum van de "
            "terugkoppeling, over de signalen met een terugkoppeling en een datum in de periode. Signalen zonder "
            "terugkoppeling tellen niet mee; zie percentage-signalen-teruggekoppeld.",
            eenheid=Eenheid.dagen, bron=Bron.signaal, maat=Maat.mediaan, kolom="doorlooptijd",
            dimensies=SIGNAAL_DIMENSIES,
        ),
        Indicator(
            code="aantal-ervaringsverhalen",
            naam="Aantal ervaringsverhalen",
            definitie="Het aantal ervaringsverhalen met een datum in de periode. Groeperen op effect of onderwerp "
            "telt een verhaal bij elk van zijn effecten of onderwerpen. Regionale sleutels tellen alleen gedeelde "
            "verhalen waarvoor de toestemming het delen toelaat.",
            eenheid=Eenheid.aantal, bron=Bron.ervaringsverhaal, maat=Maat.aantal, dimensies=VERHAAL_DIMENSIES,
        ),
        Indicator(
            code="inzet-uren",
            naam="Inzet in uren",
            definitie="De som van de gewerkte uren die sleutelpersonen registreerden (/v1/inzet), met een datum in de "
            "periode; verwijderde inzet telt niet mee. `soort` is de soort inzet (codelijst inzet-soort: contacten, "
            "groepsactiviteit, overleg, training, reizen, overig); `gemeente` de gemeente waar de uren meetellen "
            "(standaard die van de sleutelpersoon bij het registreren). Anders dan bestede-uren (de duur van "
            "contactmomenten) telt dit alle gewerkte tijd.",
            eenheid=Eenheid.uren, bron=Bron.inzet, maat=Maat.som, kolom="minuten", factor=1 / 60, basis=60,
            dimensies=INZET_DIMENSIES,
        ),
        Indicator(
            code="bereik-professionals",
            naam="Bereik: professionals",
            definitie="De som van het aantal professionals (aantalProfessionals) in de contacten van sleutelpersonen met "
            "professionals (/v1/professionele-contacten) met een datum in de periode; verwijderde contacten tellen niet "
            "mee. `soort` is de soort contact (codelijst professioneel-contact-soort); `ketenpartnerCategorie` de "
            "categorie van de ketenpartner die erom vroeg (leeg als een gemeente of de GGD erom vroeg). Groeperen op "
            "onderwerp telt een contact bij elk van zijn onderwerpen.",
            eenheid=Eenheid.aantal, bron=Bron.professioneel_contact, maat=Maat.som, kolom="aantal_professionals",
            dimensies=PROFESSIONEEL_DIMENSIES,
        ),
        Indicator(
            code="aantal-professionele-contacten",
            naam="Aantal contacten met professionals",
            definitie="Het aantal contacten van sleutelpersonen met professionals (adviesvragen, casusoverleg, "
            "voorlichting aan professionals, klankbordgroepen, materiaal testen, overleg) met een datum in de periode; "
            "verwijderde contacten tellen niet mee. Groeperen op onderwerp telt een contact bij elk van zijn onderwerpen.",
            eenheid=Eenheid.aantal, bron=Bron.professioneel_contact, maat=Maat.aantal, dimensies=PROFESSIONEEL_DIMENSIES,
        ),
        Indicator(
            code="percentage-adviezen-teruggekoppeld",
            naam="Percentage teruggekoppelde adviezen",
            definitie="Adviesvragen van professionals met een terugkoppeling van de vragende partij (status "
            "teruggekoppeld), gedeeld door alle adviesvragen met een datum in de periode, maal 100.",
            eenheid=Eenheid.percentage, bron=Bron.professioneel_contact, maat=Maat.ratio,
            voorwaarde={"soort": ("adviesvraag",)}, teller={"status": ("teruggekoppeld",)},
            teller_omschrijving="adviesvragen met terugkoppeling", noemer_omschrijving="alle adviesvragen",
            dimensies=PROFESSIONEEL_DIMENSIES,
        ),
        Indicator(
            code="kosten",
            naam="Kosten",
            definitie="De som van de kosten en vergoedingen (/v1/kosten) met een datum in de periode, in euro's, exact op "
            "de cent; verwijderde kosten tellen niet mee. Kosten over een maand tellen op de eerste dag van die maand. "
            "`soort` is de soort kosten (codelijst kosten-soort); `gemeente` de gemeente waar de kosten meetellen. "
            "Regionale cijfers: afgerond op 10 euro en met ruis, en onderdrukt als er minder sleutelpersonen dan de "
            "drempel achter de som zitten (kosten zonder sleutelpersoon tellen daarbij voor niemand).",
            eenheid=Eenheid.euro, bron=Bron.kosten, maat=Maat.som, kolom="bedrag_centen", factor=1 / 100, basis=1000,
            dimensies=KOSTEN_DIMENSIES,
        ),
        Indicator(
            code="kosten-per-contactmoment",
            naam="Kosten per contactmoment",
            definitie="De kosten (indicator kosten) gedeeld door het aantal contactmomenten (aantal-contactmomenten), "
            "met dezelfde periode en filters, in euro's op de cent. Alleen voor de organisatie zelf: een quotiënt van "
            "twee beschermde cijfers is niet te beschermen zonder dat het de ruis van beide prijsgeeft.",
            eenheid=Eenheid.euro, bron=Bron.kosten, maat=Maat.quotient, delen=("kosten", "aantal-contactmomenten"),
            teller_omschrijving="kosten in euro's", noemer_omschrijving="contactmomenten",
            dimensies=QUOTIENT_DIMENSIES, alleen_organisatie=True,
        ),
        Indicator(
            code="kosten-per-bereikte-inwoner",
            naam="Kosten per bereikte inwoner",
            definitie="De kosten (indicator kosten) gedeeld door het aantal unieke inwoners in individuele "
            "contactmomenten (bereik-inwoners), met dezelfde periode en filters, in euro's op de cent. Alleen voor de "
            "organisatie zelf.",
            eenheid=Eenheid.euro, bron=Bron.kosten, maat=Maat.quotient, delen=("kosten", "bereik-inwoners"),
            teller_omschrijving="kosten in euro's", noemer_omschrijving="unieke inwoners",
            dimensies=QUOTIENT_DIMENSIES, alleen_organisatie=True,
        ),
        Indicator(
            code="inzet-t.o.v.-contract",
            naam="Inzet ten opzichte van contract",
            definitie="De gewerkte uren (/v1/inzet) als percentage van de contracturen: urenPerWeek maal het aantal "
            "dagen in het interval (binnen de actieve periode van de sleutelpersoon) gedeeld door 7, op één decimaal. "
            "Alleen sleutelpersonen met urenPerWeek tellen mee (hun uren en hun contracturen). Bedoeld per sleutelpersoon "
            "en maand (groeperenOp=sleutelpersoon&interval=maand). Alleen voor de organisatie zelf.",
            eenheid=Eenheid.percentage, bron=Bron.inzet, maat=Maat.contract,
            teller_omschrijving="gewerkte uren", noemer_omschrijving="contracturen",
            dimensies=("organisatie", "sleutelpersoon"), alleen_organisatie=True,
        ),
        Indicator(
            code="trainingsuren",
            naam="Trainingsuren",
            definitie="De som van de uren deskundigheidsbevordering (/v1/deskundigheidsbevordering: basistraining, "
            "bijscholing, intervisie, coaching, congres, overig) met een datum in de periode, per deelnemer: een "
            "bijeenkomst van 2 uur met 3 deelnemers telt 6 uur. Verwijderde records tellen niet mee. `soort` is de "
            "soort deskundigheidsbevordering." + ALLEEN_ORGANISATIE,
            eenheid=Eenheid.uren, bron=Bron.deskundigheid, maat=Maat.som, kolom="minuten", factor=1 / 60,
            dimensies=DESKUNDIGHEID_DIMENSIES,
        ),
        Indicator(
            code="deelname-intervisie",
            naam="Deelname aan intervisie",
            definitie="Actieve sleutelpersonen die in de periode minstens een intervisiebijeenkomst bijwoonden, gedeeld "
            "door alle actieve sleutelpersonen, maal 100. " + ACTIEF_UITLEG + " Per sleutelpersoon gegroepeerd is de "
            "teller 0 of 1: zo ziet u wie deze periode geen intervisie had." + ALLEEN_ORGANISATIE,
            eenheid=Eenheid.percentage, bron=Bron.ondersteuning, maat=Maat.ratio,
            teller_omschrijving="actieve sleutelpersonen met intervisie in de periode",
            noemer_omschrijving="actieve sleutelpersonen", dimensies=ONDERSTEUNING_DIMENSIES,
        ),
        Indicator(
            code="percentage-met-ontwikkelplan",
            naam="Percentage met ontwikkelplan",
            definitie="Actieve sleutelpersonen met een persoonlijk ontwikkelplan (minstens een doel, afgesproken op of "
            "vóór de laatste dag van de periode), gedeeld door alle actieve sleutelpersonen, maal 100. "
            + ACTIEF_UITLEG + ALLEEN_ORGANISATIE,
            eenheid=Eenheid.percentage, bron=Bron.ondersteuning, maat=Maat.ratio,
            teller_omschrijving="actieve sleutelpersonen met een ontwikkelplan",
            noemer_omschrijving="actieve sleutelpersonen", dimensies=ONDERSTEUNING_DIMENSIES,
        ),
        Indicator(
            code="doorstroom",
            naam="Doorstroom naar betaald werk of opleiding",
            definitie="Het aantal sleutelpersonen dat in de periode doorstroomde: een betaald dienstverband (betaald, "
            "zzp, oproepkracht, parttime, fulltime) begon direct na een periode als vrijwilliger, of een dienstverband "
            "eindigde met uitstroomreden betaald-werk of opleiding. Elke sleutelpersoon telt hoogstens een keer per "
            "interval." + ALLEEN_ORGANISATIE,
            eenheid=Eenheid.aantal, bron=Bron.ondersteuning, maat=Maat.uniek, kolom="sleutelpersoon_id",
            dimensies=ONDERSTEUNING_DIMENSIES,
        ),
        Indicator(
            code="rapportagegraad",
            naam="Rapportagegraad",
            definitie="Het aandeel van de organisaties die volgens een rapportageritme (/v1/rapportageritmes) moesten "
            "rapporteren dat de periode heeft ingediend (status ingediend of goedgekeurd), maal 100. Telt elke afgelopen "
            "rapportageperiode in het interval waarin haar laatste dag valt. Feiten over organisaties, zonder ruis.",
            eenheid=Eenheid.percentage, bron=Bron.rapportageperiode, maat=Maat.ratio,
            teller_omschrijving="verwachte rapportages die zijn ingediend", noemer_omschrijving="verwachte rapportages",
            dimensies=RAPPORTAGE_DIMENSIES,
        ),
        Indicator(
            code="tijdigheid",
            naam="Tijdigheid",
            definitie="Het aandeel van de verwachte rapportages waarvan de deadline verstreken is dat uiterlijk op de "
            "deadline voor het eerst is ingediend, maal 100. Telt elke rapportageperiode in het interval waarin haar laatste "
            "dag valt. Feiten over organisaties, zonder ruis.",
            eenheid=Eenheid.percentage, bron=Bron.rapportageperiode, maat=Maat.ratio,
            teller_omschrijving="verwachte rapportages tijdig ingediend", noemer_omschrijving="verwachte rapportages met verstreken deadline",
            dimensies=RAPPORTAGE_DIMENSIES,
        ),
    )
}
