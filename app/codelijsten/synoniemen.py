"""Extra words per code, for suggesting the code a free-text value probably means ("Bedoelt u ...?").

These words only suggest: a value is never mapped to a code on their strength (the code table's own
synonyms, kept with each code, do that). Words in everyday Dutch as coordinators and key persons
write them; a word may stand for more than one code. Lower case, without accents.

A shared list with the key persons' app (app/sleutelapp/) can be merged here later.
"""

SYNONIEMEN: dict[str, dict[str, tuple[str, ...]]] = {
    "onderwerp": {
        "gezondheid.lichamelijk": ("ziek", "pijn", "klachten", "lichaam", "griep", "diabetes", "suiker"),
        "gezondheid.mentaal": ("somber", "depressie", "angst", "piekeren", "slapen", "slaap", "burnout", "trauma"),
        "gezondheid.seksueel": ("seks", "condoom", "pil"),
        "gezondheid.zwangerschap-geboorte": ("zwanger", "baby", "bevalling", "kraamzorg"),
        "gezondheid.leefstijl": ("sport", "gezond", "eten", "afvallen", "gewicht"),
        "gezondheid.roken-vapen": ("sigaret", "sigaretten", "vape", "stoppen"),
        "gezondheid.vaccinatie": ("griepprik", "coronaprik", "prikken", "vaccin", "vaccins", "inenten"),
        "zorg.huisarts": ("dokter", "praktijk", "arts"),
        "zorg.ziekenhuis": ("operatie", "polikliniek", "opname"),
        "zorg.ggz": ("psychiater", "therapie", "therapeut"),
        "zorg.zorgverzekering": ("zorgpolis", "polis", "premie", "verzekeraar"),
        "zorg.medicijnen": ("pillen", "recept", "medicijn"),
        "zorg.tandarts": ("tanden", "kiezen", "gebit"),
        "geld.schulden": ("schuld", "rood", "incasso", "deurwaarder", "achterstand", "rekeningen", "aflossen"),
        "geld.toeslagen": ("toeslag", "huurtoeslag", "zorgtoeslag", "kinderbijslag", "kindgebonden", "belastingdienst"),
        "geld.belastingen": ("aangifte", "belastingdienst", "gemeentebelasting", "aanslag"),
        "geld.uitkering": ("bijstand", "ww", "wia", "aow", "uwv"),
        "geld.armoederegelingen": ("voedselbank", "minima", "stadspas", "armoede", "kwijtschelding"),
        "gezin.opvoeding": ("kinderen", "kind", "puber", "ouders", "opvoeden"),
        "gezin.jeugdhulp": ("jeugdzorg", "jeugd"),
        "gezin.kinderopvang": ("creche", "bso", "oppas"),
        "onderwijs.school": ("leerplicht", "leraar", "juf", "meester"),
        "onderwijs.volwassenen": ("mbo", "studie", "studeren", "duo"),
        "inburgering.taal": ("taal", "nederlands", "taalles", "taalcafe", "lezen", "schrijven"),
        "inburgering.traject": ("inburgeren", "examen"),
        "inburgering.post-brieven": ("brief", "brieven", "post", "formulier"),
        "werk.zoeken": ("baan", "werk", "solliciteren", "vacature", "cv"),
        "werk.vrijwilligerswerk": ("vrijwilliger", "vrijwillig"),
        "wonen.huisvesting": ("huur", "huurhuis", "woning", "verhuizen", "woningnet", "huisbaas", "schimmel"),
        "wonen.energie": ("gas", "stroom", "elektriciteit", "energierekening", "verwarming"),
        "sociaal.eenzaamheid": ("alleen", "eenzaam", "contact"),
        "sociaal.participatie": ("meedoen", "activiteit", "vereniging"),
        "veiligheid.huiselijk-geweld": ("geweld", "mishandeling", "slaan"),
        "veiligheid.discriminatie": ("racisme", "uitgescholden"),
        "juridisch.verblijf": ("ind", "vergunning", "asiel", "status", "paspoort"),
        "juridisch.gezinshereniging": ("hereniging", "nareizen"),
    },
}
