"""Demo signals (some answered with feedback) and experience stories, for the demo organisations.

Called once from `app.demo.laad_demo_data`. Hand-written texts, so the dashboard and the API show
something a policy adviser would recognise; dates are relative to the reference date and ids come from
the seed, like the rest of the demo data.
"""

import random
import uuid
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from app.models import (
    Ervaringsverhaal,
    ErvaringsverhaalEffect,
    ErvaringsverhaalOnderwerp,
    Ketenpartner,
    Signaal,
    SignaalBericht,
    SignaalOnderwerp,
    SignaalStatus,
    Sleutelpersoon,
)

# (days ago, gemeente, wijk, onderwerpen, doelgroep, taal, titel, omschrijving, hoe vaak, urgentie,
#  gericht aan ("gemeente"|"ggd"|"ketenpartner"), statuses after ingediend, feedback or None)
SIGNALEN: list[tuple[Any, ...]] = [
    (150, "GM0344", "WK034405", ["zorg.jgz"], "statushouder", "ti",
     "Eritrese moeders kennen het consultatiebureau niet",
     "In drie groepsbijeenkomsten vertelden moeders dat ze de uitnodiging van het consultatiebureau niet begrepen "
     "en dachten dat ze moesten betalen.", 12, "middel", "ggd", ["ontvangen", "in-behandeling", "opgepakt"],
     "De JGZ stuurt de uitnodiging voortaan met een uitleg in het Tigrinya en plant een voorlichting met de sleutelpersonen."),
    (120, "GM0344", "WK034403", ["geld.toeslagen"], None, "ar",
     "Nieuwe brief over terugbetalen toeslagen wordt verkeerd begrepen",
     "Gezinnen denken dat ze het hele bedrag in één keer moeten terugbetalen. Een betalingsregeling is bij niemand bekend.",
     25, "hoog", "gemeente", ["ontvangen", "in-behandeling", "opgepakt"],
     "Het team Geldzaken houdt in maart twee inloopspreekuren met tolk; de sleutelpersonen krijgen een uitleg op één A4."),
    (95, "GM0344", None, ["gezondheid.mentaal"], None, None,
     "Jongeren weten de weg naar de POH-GGZ niet te vinden",
     "Jongeren met stressklachten vragen sleutelpersonen om hulp, maar willen niet via hun ouders naar de huisarts.",
     8, "middel", "gemeente", ["ontvangen", "niet-opgepakt"],
     "Past niet in de huidige aanbesteding; we nemen het mee in de jeugdagenda van volgend jaar."),
    (70, "GM0307", None, ["zorg.zorgverzekering"], "arbeidsmigrant", "pl",
     "Seizoenswerkers zonder zorgverzekering bij de huisarts",
     "Poolse seizoenswerkers denken dat ze via het uitzendbureau verzekerd zijn; ze krijgen rekeningen van de huisarts.",
     6, "middel", "gemeente", ["ontvangen", "in-behandeling"], None),
    (40, "GM0344", "WK034405", ["gezondheid.vaccinatie"], None, "so",
     "Twijfel over de RS-vaccinatie bij zwangeren",
     "In de Somalische gemeenschap gaan geruchten over de nieuwe vaccinatie; vrouwen vragen om uitleg van een vrouwelijke arts.",
     15, "hoog", "ggd", ["ontvangen"], None),
    (20, "GM0307", None, ["inburgering.taal"], "statushouder", "ar",
     "Wachtlijst taalcursus voor moeders met jonge kinderen",
     "Moeders kunnen de taalcursus niet volgen omdat er geen kinderopvang bij is.", 9, "laag", "gemeente", [], None),
    (12, "GM0344", None, ["geld.schulden"], None, "tr",
     "Schuldhulp onbekend bij oudere Turkse mannen",
     "Oudere mannen schamen zich voor schulden en wachten tot de deurwaarder komt.", 5, "middel", "ketenpartner",
     ["ontvangen", "opgepakt"], "Schuldhulpmaatje komt twee keer per maand naar de moskee voor een spreekuur."),
    (5, "GM0344", "WK034403", ["zorg.tandarts"], None, None,
     "Kinderen van statushouders niet bij de tandarts",
     "Ouders weten niet dat de tandarts voor kinderen wordt vergoed.", None, "laag", "gemeente", [], None),
]

TUSSENBERICHT = "Dank voor uw signaal. We zoeken uit wie dit kan oppakken en laten het u weten."
ANTWOORD = "Dank u. Twee sleutelpersonen willen graag meedenken over een nieuwe uitnodiging."

# (days ago, gemeente, bron, onderwerpen, effecten, titel, verhaal, citaat, gedeeld, consent (None | True | False))
VERHALEN: list[tuple[Any, ...]] = [
    (200, "GM0344", "ketenpartner", ["gezondheid.mentaal"], ["eerder-in-beeld", "samenwerking"],
     "Via de sleutelpersoon eerder bij de POH-GGZ",
     "De praktijkondersteuner vertelt dat drie gezinnen via de sleutelpersoon bij haar kwamen, voordat de klachten "
     "uit de hand liepen. Zij belt de sleutelpersoon nu zelf als een gesprek vastloopt op taal of schaamte.",
     "Zonder haar waren deze gezinnen pas in crisis bij ons gekomen.", True, None),
    (160, "GM0344", "sleutelpersoon", [], ["persoonlijke-ontwikkeling"],
     "Van vrijwilliger naar betaalde kracht",
     "Na de basistraining en een jaar voorlichtingen geven heeft de sleutelpersoon een baan gekregen bij het "
     "wijkteam. Ze zegt dat ze door het werk haar eigen stem heeft gevonden.",
     "Ik durf nu voor een zaal te staan.", True, None),
    (110, "GM0307", "inwoner", ["zorg.huisarts"], ["gezondheid-welzijn"],
     "Eindelijk een huisarts",
     "Een moeder vertelt dat ze twee jaar zonder huisarts was omdat ze dacht dat haar verblijfsstatus dat verbood. "
     "De sleutelpersoon ging mee naar de inschrijving.",
     "Nu weet ik waar ik heen moet als mijn kind ziek is.", True, True),
    (80, "GM0344", "collega", ["gezin.opvoeding"], ["culturele-sensitiviteit"],
     "Het consultatiebureau past de intake aan",
     "Een jeugdverpleegkundige vertelt dat het team na een gesprek met sleutelpersonen de intakevragen over opvoeding "
     "anders stelt, zodat ouders zich niet beoordeeld voelen.", None, True, None),
    (45, "GM0321", "coordinator", ["geld.toeslagen"], ["samenwerking", "eerder-in-beeld"],
     "Samen met de Belastingdienst op de markt",
     "De coördinator beschrijft hoe sleutelpersonen samen met de Belastingdienst een stand op de weekmarkt bemanden.",
     None, False, None),
    (30, "GM0344", "inwoner", ["inburgering.taal"], ["persoonlijke-ontwikkeling"],
     "Taalmaatje gevonden",
     "Een jonge vader vertelt hoe hij via de sleutelpersoon een taalmaatje vond.", None, False, False),
]


def laad(session: Session, *, organisaties: list[dict[str, Any]], seed: int, today: date) -> dict[str, int]:
    """Insert the demo signals and stories for the demo organisations (flush, no commit); return the counts."""
    rng = random.Random(seed * 7919 + 13)

    def new_id() -> uuid.UUID:
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    def van(gemeente: str) -> dict[str, Any]:
        passend = [o for o in organisaties if gemeente in o["gemeentecodes"]]
        return rng.choice(passend or organisaties)

    def personen(org: dict[str, Any]) -> list[uuid.UUID]:
        return list(session.exec(select(Sleutelpersoon.id).where(Sleutelpersoon.organisatie_id == org["id"]).order_by(col(Sleutelpersoon.id))))

    signalen = teruggekoppeld = 0
    for nummer, (dagen, gemeente, wijk, onderwerpen, doelgroep, taal, titel, omschrijving, vaak, urgentie, soort, stappen, feedback) in enumerate(SIGNALEN, 1):
        org = van(gemeente)
        datum = today - timedelta(days=dagen)
        partner_id = None
        if soort == "ketenpartner":
            partner_id = session.exec(
                select(Ketenpartner.id).where(Ketenpartner.organisatie_id == org["id"]).order_by(col(Ketenpartner.id))
            ).first()
            if partner_id is None:
                soort = "gemeente"
        kandidaten = personen(org)
        status_data, dag = [], datum
        for _ in stappen:
            dag += timedelta(days=rng.randint(2, 8))
            status_data.append(min(dag, today))
        signaal = Signaal(
            id=new_id(), organisatie_id=org["id"], extern_id=f"demo-sig-{nummer:04d}",
            sleutelpersoon_id=rng.choice(kandidaten) if kandidaten else None, datum=datum, gemeentecode=gemeente,
            wijkcode=wijk, doelgroep=doelgroep, taal=taal, titel=titel, omschrijving=omschrijving, hoe_vaak_gehoord=vaak,
            urgentie=urgentie, gericht_aan_soort=soort,
            gericht_aan_gemeentecode=gemeente if soort != "ketenpartner" else None,
            gericht_aan_ketenpartner_id=partner_id if soort == "ketenpartner" else None,
            status=stappen[-1] if stappen else "ingediend",
            status_datum=status_data[-1] if stappen else datum,
            terugkoppeling_tekst=feedback,
            terugkoppeling_datum=status_data[-1] if feedback else None,
            inhoud_hash=f"{nummer:064d}",
        )
        session.add(signaal)
        session.flush()
        session.add_all([SignaalOnderwerp(signaal_id=signaal.id, onderwerp=o) for o in onderwerpen])
        session.add(SignaalStatus(signaal_id=signaal.id, status="ingediend", status_datum=datum))
        for status, status_datum in zip(stappen, status_data, strict=True):
            session.add(SignaalStatus(signaal_id=signaal.id, status=status, status_datum=status_datum))
        # The conversation: an interim message when the receiver started on it, the final feedback last.
        gesprek = []
        if "in-behandeling" in stappen:
            dag = status_data[stappen.index("in-behandeling")]
            gesprek.append(("ontvanger", TUSSENBERICHT, dag))
            if nummer == 1:
                gesprek.append(("organisatie", ANTWOORD, dag))
        if feedback:
            gesprek.append(("ontvanger", feedback, status_data[-1]))
        for volgnummer, (kant, tekst, dag) in enumerate(gesprek):
            session.add(SignaalBericht(
                id=uuid.uuid5(signaal.id, f"bericht-{volgnummer}"), signaal_id=signaal.id, van=kant, tekst=tekst,
                datum=dag, inhoud_hash=f"{nummer:060d}{volgnummer:04d}",
            ))
        laatste = [(tekst, dag) for kant, tekst, dag in gesprek if kant == "ontvanger"]
        if laatste:  # the signal's terugkoppeling: the receiver's latest message
            signaal.terugkoppeling_tekst, signaal.terugkoppeling_datum = laatste[-1]
        signalen += 1
        teruggekoppeld += feedback is not None

    verhalen = 0
    for dagen, gemeente, bron, onderwerpen, effecten, titel, tekst, citaat, gedeeld, toestemming in VERHALEN:
        org = van(gemeente)
        datum = today - timedelta(days=dagen)
        kandidaten = personen(org)
        verhaal = Ervaringsverhaal(
            id=new_id(), organisatie_id=org["id"], sleutelpersoon_id=kandidaten[0] if kandidaten else None, datum=datum,
            gemeentecode=gemeente, bron=bron, titel=titel, verhaal=tekst, citaat=citaat, gedeeld=gedeeld,
            toestemming_gegeven=toestemming, toestemming_datum=datum if toestemming is not None else None,
            toestemming_vorm="mondeling" if toestemming is not None else None,
        )
        session.add(verhaal)
        session.flush()
        session.add_all([ErvaringsverhaalOnderwerp(ervaringsverhaal_id=verhaal.id, onderwerp=o) for o in onderwerpen])
        session.add_all([ErvaringsverhaalEffect(ervaringsverhaal_id=verhaal.id, effect=e) for e in effecten])
        verhalen += 1
    session.flush()
    return {"signalen": signalen, "signalen met terugkoppeling": teruggekoppeld, "ervaringsverhalen": verhalen}
