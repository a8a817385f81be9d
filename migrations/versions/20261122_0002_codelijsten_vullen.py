"""codelijsten vullen: the default code lists of DOMAIN.md, with Dutch labels and synonyms

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

The data is written out here, not imported from the app, so this migration replays the same
way forever. Later additions to a code list get their own migration.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (code, label, synonyms)
ONDERWERPEN: list[tuple[tuple[str, str, list[str]], list[tuple[str, str, list[str]]]]] = [
    (("gezondheid", "Gezondheid", ["gezondheidsvraag"]), [
        ("lichamelijk", "Lichamelijke gezondheid", ["lichamelijke klachten", "ziekte"]),
        ("mentaal", "Mentale gezondheid", ["psychisch", "psychische klachten", "stress", "mentale klachten"]),
        ("seksueel", "Seksuele gezondheid", ["seksualiteit", "soa", "anticonceptie"]),
        ("zwangerschap-geboorte", "Zwangerschap en geboorte", ["zwangerschap", "geboorte", "verloskundige"]),
        ("leefstijl", "Leefstijl", ["voeding", "bewegen", "overgewicht"]),
        ("roken-vapen", "Roken en vapen", ["roken", "vapen", "stoppen met roken"]),
        ("dementie", "Dementie", ["geheugen"]),
        ("vgv", "Vrouwelijke genitale verminking", ["meisjesbesnijdenis", "genitale verminking"]),
        ("vaccinatie", "Vaccinatie", ["vaccineren", "inenting", "prik"]),
    ]),
    (("zorg", "Zorg en zorgtoegang", ["zorgvraag", "toegang tot zorg"]), [
        ("huisarts", "Huisarts", ["huisartsenzorg", "doktor"]),
        ("ziekenhuis", "Ziekenhuis", ["specialist", "medisch specialist"]),
        ("ggz", "Geestelijke gezondheidszorg", ["ggz-zorg", "psycholoog"]),
        ("zorgverzekering", "Zorgverzekering", ["verzekering", "zorgverzekeraar", "eigen risico"]),
        ("medicijnen", "Medicijnen", ["medicatie", "apotheek"]),
        ("tandarts", "Tandarts", ["mondzorg", "tandheelkunde"]),
        ("jgz", "Jeugdgezondheidszorg", ["consultatiebureau", "jeugdarts"]),
    ]),
    (("geld", "Geld en financiën", ["financien", "financiën", "geldzaken"]), [
        ("schulden", "Schulden", ["schuld", "betalingsachterstand", "schuldhulp"]),
        ("toeslagen", "Toeslagen", ["zorgtoeslag", "huurtoeslag", "kinderopvangtoeslag"]),
        ("belastingen", "Belastingen", ["belasting", "belastingaangifte", "aangifte"]),
        ("uitkering", "Uitkering", ["bijstand", "ww", "uitkeringen"]),
        ("armoederegelingen", "Armoederegelingen", ["minimaregeling", "voedselbank", "armoede"]),
    ]),
    (("gezin", "Gezin en opvoeding", ["familie"]), [
        ("opvoeding", "Opvoeding", ["opvoedvragen", "opvoedingsvragen"]),
        ("jeugdhulp", "Jeugdhulp", ["jeugdzorg"]),
        ("kinderopvang", "Kinderopvang", ["opvang", "peuterspeelzaal"]),
    ]),
    (("onderwijs", "Onderwijs", ["opleiding en school"]), [
        ("school", "School", ["school kinderen", "basisschool", "middelbare school"]),
        ("volwassenen", "Onderwijs voor volwassenen", ["volwassenenonderwijs"]),
    ]),
    (("inburgering", "Inburgering", []), [
        ("taal", "Taal leren", ["nederlandse taal", "taalles", "taalcursus"]),
        ("traject", "Inburgeringstraject", ["inburgeringsexamen", "inburgeringscursus"]),
        ("post-brieven", "Post en brieven", ["brieven", "post", "brief"]),
    ]),
    (("werk", "Werk", ["arbeid"]), [
        ("zoeken", "Werk zoeken", ["werk zoeken", "baan", "sollicitatie"]),
        ("vrijwilligerswerk", "Vrijwilligerswerk", []),
        ("opleiding", "Opleiding voor werk", ["cursus", "scholing"]),
    ]),
    (("wonen", "Wonen", []), [
        ("huisvesting", "Huisvesting", ["woning", "huis", "huur"]),
        ("energie", "Energie", ["energierekening", "energiearmoede"]),
    ]),
    (("sociaal", "Sociaal leven", ["sociale contacten"]), [
        ("eenzaamheid", "Eenzaamheid", ["eenzaam", "isolement"]),
        ("participatie", "Participatie", ["meedoen"]),
    ]),
    (("veiligheid", "Veiligheid", []), [
        ("huiselijk-geweld", "Huiselijk geweld", ["geweld", "mishandeling"]),
        ("discriminatie", "Discriminatie", ["racisme"]),
    ]),
    (("juridisch", "Juridische vragen", ["recht"]), [
        ("verblijf", "Verblijfsvergunning", ["verblijfsvergunning", "ind", "verblijfsstatus"]),
        ("gezinshereniging", "Gezinshereniging", ["nareis"]),
    ]),
    (("overig", "Overig", ["anders", "overige"]), []),
]

SIMPLE: dict[str, list[tuple[str, str, list[str]]]] = {
    "kanaal": [
        ("persoonlijk", "Persoonlijk gesprek", ["face-to-face", "op straat", "gesprek"]),
        ("telefonisch", "Telefonisch", ["telefoon", "gebeld", "bellen"]),
        ("video", "Videobellen", ["videobellen", "beeldbellen"]),
        ("berichtenapp", "Berichtenapp", ["whatsapp", "app", "sms", "signal"]),
        ("huisbezoek", "Huisbezoek", ["thuis", "bezoek"]),
        ("spreekuur", "Spreekuur", ["inloop", "inloopspreekuur"]),
        ("groepsbijeenkomst", "Groepsbijeenkomst", ["groep", "bijeenkomst", "voorlichtingsbijeenkomst"]),
    ],
    "rol": [
        ("voorlichter", "Voorlichter", ["voorlichting"]),
        ("bemiddelaar", "Bemiddelaar", ["bemiddeling", "brugfunctie"]),
        ("adviseur", "Adviseur", ["advies"]),
        ("verkenner", "Verkenner", ["signaleren"]),
        ("rolmodel", "Rolmodel", ["voorbeeld"]),
        ("helper", "Helper", ["hulp", "ondersteuner"]),
    ],
    "actie": [
        ("informatie-gegeven", "Informatie gegeven", ["informatie", "voorlichting gegeven", "info gegeven"]),
        ("uitleg-brief", "Brief uitgelegd", ["brief uitgelegd", "uitleg brief", "post uitgelegd"]),
        ("formulier-ingevuld", "Formulier ingevuld", ["formulier", "aanvraag ingevuld", "helpen invullen"]),
        ("instantie-gebeld", "Instantie gebeld", ["gebeld", "instantie gebeld", "telefoontje"]),
        ("afspraak-gemaakt", "Afspraak gemaakt", ["afspraak", "afspraak gemaakt"]),
        ("begeleid-naar-afspraak", "Begeleid naar afspraak", ["meegegaan", "begeleid", "mee naar afspraak"]),
        ("bemiddeld-in-gesprek", "Bemiddeld in gesprek", ["bemiddeld", "tolk", "vertaald"]),
        ("doorverwezen", "Doorverwezen", ["verwezen", "doorverwijzing"]),
        ("signaal-doorgegeven", "Signaal doorgegeven", ["signaal", "gesignaleerd"]),
        ("toegeleid-naar-activiteit", "Toegeleid naar activiteit", ["toegeleid", "activiteit"]),
        ("nazorg", "Nazorg", ["nabellen", "follow-up", "opvolging"]),
    ],
    "resultaat": [
        ("opgelost", "Opgelost", ["geholpen", "klaar", "afgerond"]),
        ("deels-opgelost", "Deels opgelost", ["gedeeltelijk opgelost", "deels"]),
        ("lopend", "Lopend", ["loopt nog", "in behandeling", "bezig"]),
        ("doorverwezen", "Doorverwezen", ["verwezen"]),
        ("niet-opgelost", "Niet opgelost", ["niet gelukt", "mislukt"]),
        ("onbekend", "Onbekend", ["?", "weet niet", "nvt"]),
    ],
    "doorverwijzing-status": [
        ("voorgesteld", "Voorgesteld", ["advies gegeven"]),
        ("verwezen", "Verwezen", ["doorverwezen"]),
        ("aangekomen", "Aangekomen", ["aangemeld", "in zorg"]),
        ("afgerond", "Afgerond", ["klaar", "opgelost"]),
        ("afgewezen", "Afgewezen", ["geweigerd"]),
        ("niet-verschenen", "Niet verschenen", ["no-show", "niet gekomen"]),
        ("onbekend", "Onbekend", []),
    ],
    "doorverwijzing-wijze": [
        ("warm", "Warme overdracht", ["warme overdracht", "meegegaan", "persoonlijk overgedragen"]),
        ("informatief", "Informatief", ["adres gegeven", "koud", "verwezen"]),
    ],
    "ketenpartner-categorie": [
        ("huisarts", "Huisarts", ["huisartsenpraktijk", "gezondheidscentrum"]),
        ("ziekenhuis", "Ziekenhuis", []),
        ("ggz", "Geestelijke gezondheidszorg", ["ggz-instelling"]),
        ("ggd", "GGD", []),
        ("jgz", "Jeugdgezondheidszorg", ["consultatiebureau", "cjg"]),
        ("sociaal-wijkteam", "Sociaal wijkteam", ["wijkteam", "buurtteam", "sociaal team"]),
        ("maatschappelijk-werk", "Maatschappelijk werk", ["maatschappelijk werker"]),
        ("schuldhulpverlening", "Schuldhulpverlening", ["schuldhulp", "budgetcoach"]),
        ("vluchtelingenwerk", "VluchtelingenWerk", ["vluchtelingenwerk nederland"]),
        ("werk-en-inkomen", "Werk en inkomen", ["uwv", "werkplein", "sociale dienst"]),
        ("wmo-loket", "Wmo-loket", ["wmo"]),
        ("jeugdhulp", "Jeugdhulp", ["jeugdzorg"]),
        ("onderwijs", "Onderwijs", ["school"]),
        ("taalaanbieder", "Taalaanbieder", ["taalschool", "taalhuis"]),
        ("welzijn", "Welzijnsorganisatie", ["welzijnswerk", "buurthuis"]),
        ("zorgverzekeraar", "Zorgverzekeraar", ["verzekeraar"]),
        ("juridisch", "Juridische hulp", ["juridisch loket", "advocaat", "sociaal raadslieden"]),
        ("vrijwilligersorganisatie", "Vrijwilligersorganisatie", ["vrijwilligers"]),
        ("overig", "Overig", ["anders"]),
    ],
    "leeftijdscategorie": [
        ("0-17", "0 tot en met 17 jaar", ["kind", "jeugd", "<18"]),
        ("18-26", "18 tot en met 26 jaar", ["jongvolwassene"]),
        ("27-44", "27 tot en met 44 jaar", []),
        ("45-64", "45 tot en met 64 jaar", []),
        ("65-plus", "65 jaar en ouder", ["65+", "oudere", "ouderen"]),
        ("onbekend", "Onbekend", ["?"]),
    ],
    "geslacht": [
        ("vrouw", "Vrouw", ["v", "f", "female"]),
        ("man", "Man", ["m", "male"]),
        ("anders", "Anders", ["x", "divers"]),
        ("onbekend", "Onbekend", ["?"]),
    ],
    "doelgroep": [
        ("statushouder", "Statushouder", ["vergunninghouder"]),
        ("asielzoeker", "Asielzoeker", ["azc"]),
        ("gezinsmigrant", "Gezinsmigrant", ["gezinsvorming"]),
        ("arbeidsmigrant", "Arbeidsmigrant", ["arbeidsmigratie"]),
        ("overig", "Overig", []),
        ("onbekend", "Onbekend", []),
    ],
    "organisatie-soort": [
        ("ggd", "GGD", []),
        ("gemeente", "Gemeente", []),
        ("welzijnsorganisatie", "Welzijnsorganisatie", []),
        ("zorgorganisatie", "Zorgorganisatie", []),
        ("migrantenorganisatie", "Migrantenorganisatie", ["zelforganisatie"]),
        ("onderwijs", "Onderwijs", []),
        ("overig", "Overig", []),
    ],
    "dienstverband": [
        ("vrijwilliger", "Vrijwilliger", ["vrijwillig"]),
        ("betaald", "Betaald", ["in loondienst", "loondienst"]),
        ("zzp", "Zzp'er", ["zelfstandige", "freelancer", "zzp-er"]),
    ],
    "soort-contact": [
        ("individueel", "Individueel", ["individu", "1-op-1", "een op een"]),
        ("groep", "Groep", ["groepsbijeenkomst", "voorlichtingsbijeenkomst"]),
    ],
}


def _rows() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for volgorde, ((code, label, syn), children) in enumerate(ONDERWERPEN):
        rows.append(dict(lijst="onderwerp", code=code, label=label, ouder=None, synoniemen=syn,
                         volgorde=volgorde * 100, actief=True))
        for i, (child, child_label, child_syn) in enumerate(children, start=1):
            rows.append(dict(lijst="onderwerp", code=f"{code}.{child}", label=child_label, ouder=code,
                             synoniemen=child_syn, volgorde=volgorde * 100 + i, actief=True))
    for lijst, entries in SIMPLE.items():
        for volgorde, (code, label, syn) in enumerate(entries):
            rows.append(dict(lijst=lijst, code=code, label=label, ouder=None, synoniemen=syn,
                             volgorde=volgorde, actief=True))
    return rows


def upgrade() -> None:
    code = sa.table(
        "code",
        sa.column("lijst", sa.String),
        sa.column("code", sa.String),
        sa.column("label", sa.String),
        sa.column("ouder", sa.String),
        sa.column("synoniemen", sa.JSON),
        sa.column("volgorde", sa.Integer),
        sa.column("actief", sa.Boolean),
    )
    op.bulk_insert(code, _rows())


def downgrade() -> None:
    op.execute("DELETE FROM code")
