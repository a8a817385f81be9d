"""The distributions behind the demo data (app/demo.py), also used by the benchmark's generator.

Weights are relative; they follow what the handreiking and the seeds say about key persons' work.
"""

from dataclasses import dataclass


GEMEENTEN = {"GM0344": "Utrecht", "GM0307": "Amersfoort", "GM0321": "Houten"}


@dataclass(frozen=True)
class OrganisatieSpec:
    naam: str
    soort: str
    gemeentecodes: tuple[str, ...]
    aandeel: float  # share of all contacts
    personen: tuple[tuple[str, tuple[str, ...], tuple[str, ...], str], ...]  # naam, talen, rollen, dienstverband


ORGANISATIES: tuple[OrganisatieSpec, ...] = (
    OrganisatieSpec(
        naam="GGD Regio Utrecht",
        soort="ggd",
        gemeentecodes=("GM0344", "GM0307", "GM0321"),
        aandeel=0.45,
        personen=(
            ("Amina B.", ("ar", "nl"), ("voorlichter", "bemiddelaar"), "betaald"),
            ("Yonas T.", ("ti", "am", "nl"), ("bemiddelaar", "helper"), "zzp"),
            ("Farida H.", ("prs", "fa", "nl"), ("voorlichter", "verkenner"), "betaald"),
            ("Olena P.", ("uk", "ru", "nl"), ("helper", "adviseur"), "zzp"),
            ("Hodan A.", ("so", "nl", "en"), ("voorlichter", "rolmodel"), "vrijwilliger"),
        ),
    ),
    OrganisatieSpec(
        naam="Stichting Welzijn Samen Amersfoort",
        soort="welzijnsorganisatie",
        gemeentecodes=("GM0307",),
        aandeel=0.25,
        personen=(
            ("Mehmet K.", ("tr", "nl"), ("helper", "bemiddelaar"), "betaald"),
            ("Katarzyna W.", ("pl", "nl", "en"), ("adviseur", "helper"), "vrijwilliger"),
            ("Saba G.", ("ti", "ar", "nl"), ("bemiddelaar", "verkenner"), "vrijwilliger"),
        ),
    ),
    OrganisatieSpec(
        naam="Stichting Brug Utrecht",
        soort="migrantenorganisatie",
        gemeentecodes=("GM0344",),
        aandeel=0.30,
        personen=(
            ("Samir E.", ("ar", "rif", "nl"), ("helper", "bemiddelaar", "voorlichter"), "vrijwilliger"),
            ("Abdi M.", ("so", "ar", "nl"), ("helper", "rolmodel"), "vrijwilliger"),
            ("Ayşe D.", ("tr", "ku", "nl"), ("voorlichter", "adviseur"), "zzp"),
            ("Habib R.", ("prs", "ps", "nl"), ("bemiddelaar", "helper"), "vrijwilliger"),
        ),
    ),
)

# (categorie, naam): `{stad}` is filled with the partner's gemeente.
KETENPARTNERS: tuple[tuple[str, str], ...] = (
    ("huisarts", "Gezondheidscentrum {stad} Noord"),
    ("huisarts", "Huisartsenpraktijk {stad} Centrum"),
    ("ziekenhuis", "Ziekenhuis {stad}"),
    ("ggz", "GGZ-team {stad}"),
    ("ggd", "GGD-spreekuur {stad}"),
    ("jgz", "Consultatiebureau {stad}"),
    ("sociaal-wijkteam", "Buurtteam {stad} Oost"),
    ("sociaal-wijkteam", "Buurtteam {stad} West"),
    ("maatschappelijk-werk", "Maatschappelijk Werk {stad}"),
    ("schuldhulpverlening", "Schuldhulp {stad}"),
    ("vluchtelingenwerk", "VluchtelingenWerk {stad}"),
    ("werk-en-inkomen", "Werk en Inkomen {stad}"),
    ("wmo-loket", "Wmo-loket {stad}"),
    ("jeugdhulp", "Jeugdhulp {stad}"),
    ("onderwijs", "Volksuniversiteit {stad}"),
    ("taalaanbieder", "Taalhuis {stad}"),
    ("welzijn", "Buurthuis {stad}"),
    ("zorgverzekeraar", "Zorgverzekeraar Midden"),
    ("juridisch", "Juridisch Loket {stad}"),
    ("vrijwilligersorganisatie", "Vrijwilligerscentrale {stad}"),
    ("overig", "Voedselbank {stad}"),
)

# Money, letters and access to care dominate the questions key persons get.
ONDERWERP_GEWICHTEN: dict[str, float] = {
    "geld.toeslagen": 9, "geld.schulden": 7, "geld.belastingen": 4, "geld.uitkering": 5,
    "geld.armoederegelingen": 4, "inburgering.post-brieven": 12, "inburgering.taal": 3,
    "inburgering.traject": 2, "zorg.huisarts": 7, "zorg.zorgverzekering": 7, "zorg.tandarts": 2,
    "zorg.ziekenhuis": 3, "zorg.ggz": 2, "zorg.medicijnen": 2, "zorg.jgz": 1.5,
    "gezondheid.mentaal": 3, "gezondheid.lichamelijk": 2, "gezondheid.zwangerschap-geboorte": 1,
    "gezondheid.vaccinatie": 1, "gezondheid.leefstijl": 1, "gezin.opvoeding": 2,
    "gezin.kinderopvang": 1.5, "gezin.jeugdhulp": 1, "onderwijs.school": 2, "werk.zoeken": 2.5,
    "werk.vrijwilligerswerk": 1, "wonen.huisvesting": 3.5, "wonen.energie": 2.5,
    "sociaal.eenzaamheid": 1.5, "veiligheid.huiselijk-geweld": 0.5, "veiligheid.discriminatie": 0.5,
    "juridisch.verblijf": 1.5, "juridisch.gezinshereniging": 1.5, "overig": 1,
}
# Group sessions (voorlichtingsbijeenkomsten) are about health themes.
GROEP_ONDERWERPEN: dict[str, float] = {
    "gezondheid.vaccinatie": 3, "gezondheid.leefstijl": 3, "gezondheid.mentaal": 3,
    "gezondheid.seksueel": 1.5, "gezondheid.roken-vapen": 1.5, "gezondheid.dementie": 1,
    "gezondheid.vgv": 1, "zorg.huisarts": 2, "zorg.zorgverzekering": 2.5, "zorg.jgz": 1,
    "gezin.opvoeding": 2, "geld.armoederegelingen": 1,
}
# Which kind of partner a topic is usually referred to.
CATEGORIE_VOOR: dict[str, tuple[str, ...]] = {
    "geld.toeslagen": ("sociaal-wijkteam", "juridisch"), "geld.schulden": ("schuldhulpverlening",),
    "geld.belastingen": ("juridisch", "sociaal-wijkteam"), "geld.uitkering": ("werk-en-inkomen",),
    "geld.armoederegelingen": ("werk-en-inkomen", "overig"),
    "inburgering.post-brieven": ("sociaal-wijkteam", "maatschappelijk-werk"),
    "inburgering.taal": ("taalaanbieder",), "inburgering.traject": ("vluchtelingenwerk", "taalaanbieder"),
    "zorg.huisarts": ("huisarts",), "zorg.zorgverzekering": ("zorgverzekeraar", "sociaal-wijkteam"),
    "zorg.tandarts": ("huisarts",), "zorg.ziekenhuis": ("ziekenhuis",), "zorg.ggz": ("ggz",),
    "zorg.medicijnen": ("huisarts",), "zorg.jgz": ("jgz",), "gezondheid.mentaal": ("ggz", "huisarts"),
    "gezondheid.lichamelijk": ("huisarts",), "gezondheid.zwangerschap-geboorte": ("jgz", "huisarts"),
    "gezondheid.vaccinatie": ("ggd",), "gezondheid.leefstijl": ("ggd", "welzijn"),
    "gezin.opvoeding": ("jgz", "jeugdhulp"), "gezin.kinderopvang": ("sociaal-wijkteam",),
    "gezin.jeugdhulp": ("jeugdhulp",), "onderwijs.school": ("onderwijs",),
    "werk.zoeken": ("werk-en-inkomen",), "werk.vrijwilligerswerk": ("vrijwilligersorganisatie",),
    "wonen.huisvesting": ("wmo-loket", "sociaal-wijkteam"), "wonen.energie": ("sociaal-wijkteam",),
    "sociaal.eenzaamheid": ("welzijn",), "veiligheid.huiselijk-geweld": ("maatschappelijk-werk",),
    "veiligheid.discriminatie": ("juridisch",), "juridisch.verblijf": ("vluchtelingenwerk", "juridisch"),
    "juridisch.gezinshereniging": ("vluchtelingenwerk",), "overig": ("welzijn",),
}
KANALEN: dict[str, float] = {
    "persoonlijk": 30, "telefonisch": 20, "berichtenapp": 20, "spreekuur": 14, "huisbezoek": 10, "video": 4,
}
DUUR: dict[str, tuple[int, int]] = {
    "persoonlijk": (15, 60), "telefonisch": (5, 30), "berichtenapp": (5, 20), "spreekuur": (10, 45),
    "huisbezoek": (30, 120), "video": (15, 45), "groepsbijeenkomst": (60, 150),
}
ACTIES_BASIS: dict[str, float] = {
    "informatie-gegeven": 30, "uitleg-brief": 18, "formulier-ingevuld": 12, "instantie-gebeld": 10,
    "afspraak-gemaakt": 9, "begeleid-naar-afspraak": 4, "bemiddeld-in-gesprek": 5,
    "signaal-doorgegeven": 1.5, "toegeleid-naar-activiteit": 3, "nazorg": 4,
}
# A referral's life: each path is followed until it reaches the reference date.
STATUS_PADEN: tuple[tuple[float, tuple[str, ...]], ...] = (
    (38, ("verwezen", "aangekomen", "afgerond")),
    (12, ("voorgesteld", "verwezen", "aangekomen", "afgerond")),
    (10, ("verwezen", "aangekomen")),
    (9, ("verwezen",)),
    (8, ("verwezen", "niet-verschenen")),
    (6, ("verwezen", "afgewezen")),
    (7, ("voorgesteld",)),
    (6, ("voorgesteld", "verwezen")),
    (4, ("onbekend",)),
)
RESULTATEN: dict[str, float] = {
    "opgelost": 45, "deels-opgelost": 20, "lopend": 10, "niet-opgelost": 8, "onbekend": 7,
}
LEEFTIJDEN: dict[str, float] = {"0-17": 3, "18-26": 14, "27-44": 40, "45-64": 30, "65-plus": 9, "onbekend": 4}
GESLACHTEN: dict[str, float] = {"vrouw": 58, "man": 38, "anders": 1, "onbekend": 3}
DOELGROEPEN: dict[str, float] = {
    "statushouder": 35, "gezinsmigrant": 18, "arbeidsmigrant": 12, "asielzoeker": 5, "overig": 10,
    "onbekend": 20,
}
DIENSTVERBAND_UREN = {"betaald": (16, 32), "zzp": (8, 24), "vrijwilliger": (2, 12)}
