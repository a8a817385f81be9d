"""The personal-data guard's corpus: what people really type, in two lists.

`WEIGEREN` must be refused (with the kind of data it holds), `ACCEPTEREN` must pass. Both are used by
tests/test_persoonsgegevens_corpus.py and by `scripts/bench.py --parts guard`, which reports the miss
rate (refusable texts let through) and the false-refusal rate (ordinary texts refused).

The refusable list holds the originals the guard always caught, the 35 variants that issue 22 found
slipping through (BSNs with other separators, phone numbers in other notations, e-mail addresses
written out, addresses without a space), and a few more of the same families. The acceptable list is
what key persons and coordinators write every day: dates, times, time ranges, amounts, years, counts,
region codes and ids in the house style. The generated phrasings (`datum_tijd_zinnen`,
`tijdvak_zinnen`) cover every "dd-mm-yyyy hh.mm" and "hh.mm-hh.mm" pattern the old guard took for a
phone number about half of the time.
"""

import random

from app.core.persoonsgegevens import Soort

BSN, EMAIL, TEL, IBAN, ADRES = Soort.bsn, Soort.email, Soort.telefoon, Soort.iban, Soort.adres

# (text, kind, origin): "origineel" = caught before issue 22, "issue-22" = listed as let through there.
WEIGEREN: list[tuple[str, Soort, str]] = [
    # --- BSN
    ("bsn 111222333", BSN, "origineel"),
    ("nummer 111-222-333 genoemd", BSN, "origineel"),
    ("111.222.333", BSN, "origineel"),
    ("1234.56.782", BSN, "origineel"),
    ("123 456 782", BSN, "origineel"),
    ("Haar BSN is 987654305.", BSN, "origineel"),
    ("bsn 111  222  333", BSN, "issue-22"),
    ("bsn 111/222/333", BSN, "issue-22"),
    ("bsn 111 - 222 - 333", BSN, "issue-22"),
    ("bsn 111_222_333", BSN, "issue-22"),
    ("bsn 111,222,333", BSN, "issue-22"),
    ("bsn １１１２２２３３３", BSN, "issue-22"),
    ("BSN 23456711 (met de 0 ervoor weggelaten)", BSN, "issue-22"),
    ("burgerservicenummer: 10000008", BSN, "issue-22"),
    ("sofinummer 2345.67.806", BSN, "extra"),
    ("nummer 111\u00a0222\u00a0333", BSN, "extra"),
    ("nummer 111\u2013222\u2013333", BSN, "extra"),
    ("nummer 111\u200b222\u200b333", BSN, "extra"),
    ("bsn 11 12 22 333", BSN, "extra"),
    # --- phone
    ("bel 06-12345678", TEL, "origineel"),
    ("bel 0612345678", TEL, "origineel"),
    ("bel 06 1234 5678", TEL, "origineel"),
    ("bel +31 6 12345678", TEL, "origineel"),
    ("bel +31 (0)6 1234 5678", TEL, "origineel"),
    ("bel 0031612345678", TEL, "origineel"),
    ("bel 010-1234567", TEL, "origineel"),
    ("bel 020 123 4567", TEL, "origineel"),
    ("bel (06) 12345678", TEL, "issue-22"),
    ("bel 06 - 12345678", TEL, "issue-22"),
    ("bel 06/12345678", TEL, "issue-22"),
    ("bel 06.12.34.56.78", TEL, "issue-22"),
    ("bel (030) 2345678", TEL, "issue-22"),
    ("whatsapp 31612345678", TEL, "issue-22"),
    ("bel 06 12 34 56 78", TEL, "extra"),
    ("bel 06-1234 5678", TEL, "extra"),
    ("tel. 06 123 456 78", TEL, "extra"),
    ("bel +31(0)6-12345678", TEL, "extra"),
    ("bel ０６１２３４５６７８", TEL, "extra"),
    ("haar broer in België: +32 470 12 34 56", TEL, "extra"),
    ("in Turkije: +90 532 123 45 67", TEL, "extra"),
    ("familie in Marokko +212 612-345678", TEL, "extra"),
    ("op 15-03-2025 om 10.00 gebeld, 06-12345678", TEL, "extra"),
    # --- e-mail
    ("mail fatima.x@example.nl even", EMAIL, "origineel"),
    ("FATIMA@EXAMPLE.NL", EMAIL, "origineel"),
    ("mail fatima at example dot nl", EMAIL, "issue-22"),
    ("mail fatima[at]example.nl", EMAIL, "issue-22"),
    ("mail fatima(at)example.nl", EMAIL, "issue-22"),
    ("mail fatima @ example.nl", EMAIL, "issue-22"),
    ("mail fatima＠example.nl", EMAIL, "issue-22"),
    ("mail fatima [at] example [dot] nl", EMAIL, "extra"),
    ("mail fatima (at) example (punt) nl", EMAIL, "extra"),
    ("mail fatima apenstaartje example punt nl", EMAIL, "extra"),
    ("mail fatima at gmail.com", EMAIL, "extra"),
    ("mail f.jansen@gemeente-utrecht.nl", EMAIL, "extra"),
    # --- IBAN
    ("rekening NL91ABNA0417164300", IBAN, "origineel"),
    ("rekening NL91 ABNA 0417 1643 00 graag", IBAN, "origineel"),
    ("rekening nl91abna0417164300", IBAN, "origineel"),
    ("rekening NL91  ABNA  0417  1643  00", IBAN, "issue-22"),
    ("rekening nl20 ingb 0001 2345 67", IBAN, "extra"),
    ("rekening NL44-RABO-0123-4567-89", IBAN, "extra"),
    ("Belgische rekening BE68 5390 0754 7034", IBAN, "extra"),
    ("Duitse rekening DE89 3704 0044 0532 0130 00", IBAN, "extra"),
    # --- postcode with house number
    ("woont op 1234 AB 12", ADRES, "origineel"),
    ("woont op 3511AB 7-2", ADRES, "origineel"),
    ("Hoofdstraat 12, 1234 AB Utrecht", ADRES, "origineel"),
    ("woont op 3511AB, nr 12", ADRES, "issue-22"),
    ("woont op 3511AB12", ADRES, "issue-22"),
    ("woont op 3511 ab 12", ADRES, "issue-22"),
    ("woont op 3511ab 12", ADRES, "issue-22"),
    ("postcode 3511 AB huisnummer 12", ADRES, "issue-22"),
    ("3511 AB, huisnummer 12a", ADRES, "extra"),
    ("Kerkstraat 7b 3511AB", ADRES, "extra"),
    ("adres: 3511 AB nummer 4", ADRES, "extra"),
]

ACCEPTEREN: list[str] = [
    # Originals
    "Eritrese moeders kennen het consultatiebureau niet.",
    "In 2025 kwamen 12 moeders; op 14-03-2026 om 10.30 uur weer 8.",
    "Bijeenkomst op 01-02-2025 10 deelnemers",
    "crm-2025-000123",
    "order 1234567820",
    "Postcodegebied 3511 AB zonder huisnummer",
    "NL91ABNA0417164301 is geen geldig IBAN",
    "Bel de huisartsenpost (zie de website)",
    "111222334 faalt de elfproef",
    # Dates and times (issue 22: taken for phone numbers)
    "op 15-03-2025 09.30 uur",
    "Spreekuur op 15-03-2025 09.30 uur in de bibliotheek.",
    "Bijeenkomst 02-10-2026 13.45, 14 deelnemers.",
    "Van 15-03-2025 tot 22-03-2025 elke ochtend om 09.00 uur.",
    "Gesprek op 1-3-2025 om 9.30 uur en op 8-3-2025 om 11.15.",
    "Datum 2025-03-15 10:30, in het buurthuis.",
    "Op 15/03/2025 10:15 belde de huisarts terug.",
    "Op 15.03.2025 09.30 uur afgesproken.",
    "Voorlichting van 09.30-11.00 in de moskee.",
    "Open inloop 09.30 - 11.00 uur en 13.00-15.30 uur.",
    "Op 12-11-2026 van 19.00-21.00 uur een avond over diabetes.",
    "tussen 10:00-12:00 en 13:30-16:00",
    "Op 03-04-2025 om 14.00 uur: 23 deelnemers, 4 tolken.",
    "Rond 15-03-2025 09.30-10.15 uur was het druk.",
    "Week 10 2025, maandag 10-03-2025 10.00 uur.",
    "Van 01-01-2025 00.00 tot 31-12-2025 23.59.",
    "op 20250314 ingevoerd",
    "datum 14032025",
    "periode 2025-03 tot 2025-06",
    "2025Q1 en 2025W10",
    # Amounts and counts
    "De toeslag was € 1.234,56 per maand.",
    "Een schuld van 12.500 euro bij de zorgverzekeraar.",
    "Subsidie € 125.000 voor 2025-2026.",
    "Budget EUR 2.345.678 voor de regio.",
    "Totaal 1.250.000 inwoners in de regio.",
    "Er waren 12, 15, 20, 8 en 10 deelnemers per bijeenkomst.",
    "In 2024 en 2025 kwamen samen 312 vragen binnen.",
    "In 2025 en 12 andere jaren",
    "In 2023, 2024 en 2025 steeds meer vragen.",
    "Van 2020 tot 2025 verdubbelde het aantal.",
    "47 vrouwen en 12 mannen, van wie 3 jonger dan 18.",
    "In 1234 gevallen ging het om toeslagen.",
    "Wachttijd 6 tot 8 weken, 2 tot 3 maanden bij de ggz.",
    "Groep van 8 uur per week, 1,5 uur per sessie.",
    "Kosten 45,50 per uur, 3 uur per week.",
    "Score 7,5 op een schaal van 10.",
    "Stijging van 12,3% naar 15,8%.",
    "Ongeveer 3.000 tot 4.000 mensen in de wijk.",
    "Kamer 1.23 op de 2e verdieping.",
    "Lijn 12 en 25 stoppen voor de deur.",
    "Versie 2.3.1 van de app.",
    # House-style codes and ids
    "GM0344 WK034401",
    "geld.toeslagen, zorg.zorgverzekering",
    "crm-sig-0042",
    "crm-2025-000123-a",
    "import-2025-03-14-001",
    "ref 2025-0001-23",
    "KvK 12345678",
    "Stichting Welzijn Utrecht (KvK 41182612)",
    "zaaknummer Z-2025-123456",
    "ISO 639-1 code ti",
    "ggd-regio 16, gemeenten 0344 en 0356",
    # Ordinary sentences with words near the patterns
    "Hij at bij haar thuis. Daarna gingen ze samen naar de huisarts.",
    "Ze at niets. Punt.",
    "De bijeenkomst is @ het buurthuis.",
    "Meer informatie op www.pharos.nl en www.ggd.nl.",
    "Bel de gemeente via 14 030.",
    "Spoed? Bel 112.",
    "Huisartsenpost via 0900-nummer, zie de website.",
    "In 3511 AB wonen veel statushouders.",
    "Postcodegebied 3500-3599",
    "In 2025 en 2026 nam het aantal toe; 12 vragen in week 3.",
    "Zij kreeg 2 van de 3 brieven niet, en 1 op de 4 moeders mist de uitnodiging.",
    "Artikel 7.1 van de handreiking, bijlage 2 deel 6.",
    "Van 8.30 tot 17.00 uur bereikbaar.",
    "Openingstijden ma-vr 09.00-17.00, za 10.00-12.00.",
    "Om 9.30u begint de les, om 11u is er pauze.",
    "Gezinnen met 1, 2 of 3 kinderen.",
    "Cijfers 2019-2025: 120, 135, 150, 170, 180, 200, 210.",
    "Zie rapport 2025/03/14.",
    "Lening van 10.000 euro, aflossing 250 euro per maand.",
]


def _datum(r: random.Random) -> str:
    dag, maand, jaar = r.randint(1, 28), r.randint(1, 12), r.randint(2019, 2027)
    vorm = r.choice(["{d:02d}-{m:02d}-{j}", "{d}-{m}-{j}", "{d:02d}/{m:02d}/{j}", "{d:02d}.{m:02d}.{j}", "{j}-{m:02d}-{d:02d}"])
    return vorm.format(d=dag, m=maand, j=jaar)


def _tijd(r: random.Random) -> str:
    uur, minuut = r.randint(0, 23), r.choice([0, 5, 10, 15, 20, 30, 40, 45, 50, 55, r.randint(0, 59)])
    vorm = r.choice(["{u:02d}.{m:02d}", "{u}.{m:02d}", "{u:02d}:{m:02d}", "{u}:{m:02d}"])
    return vorm.format(u=uur, m=minuut)


def datum_tijd_zinnen(aantal: int, seed: int = 22) -> list[str]:
    """Sentences with a date followed by a time, in the phrasings people use ("op 15-03-2025 09.30 uur")."""
    r = random.Random(seed)
    vormen = ["op {d} {t} uur", "{d} {t}", "Bijeenkomst {d} {t}, {n} deelnemers.", "op {d} om {t} uur {n} moeders",
              "Gesprek {d} {t}-{t2}", "{d}, {t} uur", "afspraak {d} {t} bij de huisarts"]
    return [r.choice(vormen).format(d=_datum(r), t=_tijd(r), t2=_tijd(r), n=r.randint(1, 40)) for _ in range(aantal)]


def tijdvak_zinnen(aantal: int, seed: int = 23) -> list[str]:
    """Sentences with a time range ("09.30-11.00"), sometimes after a date."""
    r = random.Random(seed)
    vormen = ["{t}-{t2}", "van {t}-{t2} uur", "spreekuur {t} - {t2}", "{d} {t}-{t2}", "inloop {t}-{t2} en {t3}-{t4}"]
    return [r.choice(vormen).format(d=_datum(r), t=_tijd(r), t2=_tijd(r), t3=_tijd(r), t4=_tijd(r)) for _ in range(aantal)]


def issue_22_zinnen(aantal: int, seed: int = 24) -> tuple[list[str], list[str]]:
    """The two forms issue 22 measured: "op dd-mm-yyyy hh.mm uur" and a date with a range, "dd-mm-yyyy hh.mm-hh.mm"."""
    r = random.Random(seed)
    datum_tijd = [
        f"op {r.randint(1, 28):02d}-{r.randint(1, 12):02d}-{r.randint(2019, 2027)} {r.randint(0, 23):02d}.{r.randint(0, 59):02d} uur"
        for _ in range(aantal)
    ]
    tijdvak = [
        f"{r.randint(1, 28):02d}-{r.randint(1, 12):02d}-{r.randint(2019, 2027)} "
        f"{r.randint(0, 23):02d}.{r.randint(0, 59):02d}-{r.randint(0, 23):02d}.{r.randint(0, 59):02d}"
        for _ in range(aantal)
    ]
    return datum_tijd, tijdvak
