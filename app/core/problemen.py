"""The kinds of problem the API answers with, each with a stable `code` and a `type` URI (issue 28).

Every problem+json carries `code` (for programs; the Dutch `title` is for people and may change) and
`type`, the URI of the kind's page the service serves: `/v1/problemen/{code}` (absolute when
SLEUTELMONITOR_PUBLIC_URL is set). A kind is registered here once; `tests/test_problemen.py` checks
that every code the code raises is, and that every kind's page answers.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Soort:
    status: int
    titel: str
    beschrijving: str  # what it means and what a client does about it (Dutch)


SOORTEN: dict[str, Soort] = {
    "ongeldige-invoer": Soort(400, "Ongeldige invoer", "De invoer klopt niet. `invalidParams` noemt elk ongeldig veld "
                              "tegelijk, elk met een eigen `code`. Verbeter de invoer en stuur het verzoek opnieuw."),
    "niet-geauthenticeerd": Soort(401, "Niet geauthenticeerd", "Er is geen geldige API-sleutel meegestuurd (of de "
                                  "sleutel is ingetrokken of verlopen). Stuur `Authorization: Bearer <sleutel>`."),
    "geen-toegang": Soort(403, "Geen toegang", "De sleutel mist de scope of de binding voor dit verzoek; de `detail` "
                          "noemt wat ontbreekt."),
    "niet-gevonden": Soort(404, "Niet gevonden", "Het record bestaat niet, of hoort bij een andere organisatie (de "
                           "dienst zegt niet welke van de twee)."),
    "methode-niet-toegestaan": Soort(405, "Methode niet toegestaan", "Deze HTTP-methode bestaat niet op dit pad."),
    "formaat-niet-beschikbaar": Soort(406, "Gevraagd formaat niet beschikbaar",
                                      "De `Accept`-header of `formaat` vraagt een formaat dat dit pad niet levert."),
    "conflict": Soort(409, "Conflict", "Het verzoek botst met de huidige toestand; de `detail` zegt waarmee."),
    "externid-in-gebruik": Soort(409, "Conflict", "Het `externId` is in de organisatie al in gebruik door een ander "
                                 "record (`bestaandId`). Gebruik een ander `externId`, of wijzig het bestaande record."),
    "externid-andere-inhoud": Soort(409, "Conflict", "Er bestaat al een record met dit `externId` met een andere "
                                    "inhoud (`bestaandId`). Een herhaling met dezelfde inhoud geeft 200; wijzig het "
                                    "bestaande record met PATCH."),
    "externid-verwijderd": Soort(409, "Conflict", "Het record met dit `externId` is verwijderd (`bestaandId`); een "
                                 "`externId` wordt niet opnieuw gebruikt."),
    "statusovergang": Soort(409, "Conflict", "Deze statusovergang is niet toegestaan vanuit de huidige status "
                            "(`huidigeStatus`); `toegestaneStatussen` noemt wat wel kan."),
    "bestaat-al": Soort(409, "Conflict", "Er bestaat al zo'n record (`bestaandId`, of `bestaandeCode` en `lijst`); "
                        "wijzig dat."),
    "subcodes-actief": Soort(409, "Conflict", "Een hoofdcode met actieve subcodes (`actieveSubcodes`) kan niet "
                             "worden gedeactiveerd; deactiveer eerst de subcodes."),
    "hoofdcode-inactief": Soort(409, "Conflict", "Een subcode van een gedeactiveerde hoofdcode (`ouder`) kan niet "
                                "worden geheractiveerd; heractiveer eerst de hoofdcode."),
    "periode-goedgekeurd": Soort(409, "Periode goedgekeurd", "De datum van de registratie valt in een rapportageperiode "
                                 "die de regio heeft goedgekeurd (`periodes`); toevoegen, wijzigen en verwijderen kan "
                                 "dan niet. Vraag de regio de periode te heropenen; de `detail` noemt het verzoek."),
    "periode-loopt-nog": Soort(409, "Periode loopt nog", "Een rapportageperiode kan pas worden ingediend als ze "
                               "voorbij is."),
    "idempotency-key-hergebruikt": Soort(409, "Conflict", "Deze `Idempotency-Key` hoorde bij een ander verzoek "
                                         "(methode, pad of body). Gebruik een nieuwe sleutel voor een nieuw verzoek."),
    "idempotency-key-in-behandeling": Soort(409, "Conflict", "Het eerste verzoek met deze `Idempotency-Key` loopt "
                                            "nog. Probeer het na `Retry-After` seconden opnieuw."),
    "versie-verouderd": Soort(412, "Versie verouderd", "`If-Match` noemt een oudere versie (`huidigeEtag` is de "
                              "huidige); er is niets opgeslagen. Haal het record opnieuw op en pas uw wijziging toe."),
    "te-groot": Soort(413, "Verzoek te groot", "De body is groter dan de dienst aanneemt."),
    "mediatype-niet-ondersteund": Soort(415, "Mediatype niet ondersteund",
                                        "De body heeft een `Content-Type` dat deze operatie niet leest."),
    "versie-vereist": Soort(428, "Versie vereist", "Deze wijziging vraagt `If-Match` met de `ETag` van uw versie."),
    "te-veel-verzoeken": Soort(429, "Te veel verzoeken", "De sleutel deed te veel verzoeken (per minuut) of las te "
                               "veel tabellen (per dag). Probeer het na `Retry-After` seconden opnieuw; "
                               "`RateLimit-Remaining` toont vooraf hoeveel er nog over zijn."),
    "cursor-verlopen": Soort(410, "Cursor verlopen", "Gebeurtenissen worden een ingestelde tijd bewaard (standaard 30 "
                             "dagen) en die na deze cursor zijn deels al verwijderd. Synchroniseer opnieuw met de lijsten "
                             "(`gewijzigdSinds`) en lees de feed daarna zonder `na`."),
    "interne-fout": Soort(500, "Interne serverfout", "Een fout in de dienst zelf; meld hem met de tijd van het verzoek."),
    "dienst-niet-beschikbaar": Soort(503, "Dienst niet beschikbaar", "De database is niet bereikbaar, alle "
                                     "verbindingen zijn bezet of de schijf is vol. Probeer het na `Retry-After` "
                                     "seconden opnieuw; met hetzelfde `externId` of dezelfde `Idempotency-Key` is dat "
                                     "veilig."),
}

# The code of a problem that names none: the general kind of its status.
STANDAARD: dict[int, str] = {}
for _code, _soort in SOORTEN.items():
    STANDAARD.setdefault(_soort.status, _code)

# `invalidParams[].code`: what is wrong with one field.
VELDCODES: dict[str, str] = {
    "verplicht": "Het veld ontbreekt.",
    "onbekend-veld": "Het veld bestaat niet in dit schema.",
    "verkeerd-type": "De waarde heeft het verkeerde type (tekst, getal, datum, UUID, lijst, object).",
    "ongeldige-json": "De body is geen geldige JSON.",
    "niet-toegestaan": "De waarde staat niet in de toegestane waarden (een enum of codelijst).",
    "buiten-bereik": "De waarde is te klein of te groot.",
    "te-lang": "De tekst of lijst is te lang.",
    "te-kort": "De tekst of lijst is te kort.",
    "patroon": "De tekst voldoet niet aan het vereiste patroon.",
    "persoonsgegevens": "De vrije tekst lijkt persoonsgegevens te bevatten (een naam, BSN, telefoonnummer, ...).",
    "ongeldig": "De waarde is ongeldig; de `reason` zegt waarom.",
}

_PYDANTIC: dict[str, str] = {
    "missing": "verplicht", "extra_forbidden": "onbekend-veld", "json_invalid": "ongeldige-json",
    "literal_error": "niet-toegestaan", "enum": "niet-toegestaan",
    "greater_than_equal": "buiten-bereik", "greater_than": "buiten-bereik", "less_than_equal": "buiten-bereik",
    "less_than": "buiten-bereik", "multiple_of": "buiten-bereik",
    "string_too_long": "te-lang", "too_long": "te-lang", "string_too_short": "te-kort", "too_short": "te-kort",
    "string_pattern_mismatch": "patroon",
}


def veldcode(pydantic_type: str) -> str:
    """The field code of a pydantic error type."""
    if pydantic_type in _PYDANTIC:
        return _PYDANTIC[pydantic_type]
    if pydantic_type.endswith(("_type", "_parsing")) or "_from_" in pydantic_type:
        return "verkeerd-type"
    return "ongeldig"
