"""Demo projects and costs (issue 26): two funding streams per organisation with different financiers,
costs over the current year, and contacts and hours charged to them.

So on a fresh `make run` "what did Kansrijke Start pay per contact this year" has an answer
(`/v1/indicatoren/kosten-per-contactmoment/waarden?regeling=kansrijke-start`). Made last, with its own
random stream, so nothing loaded before it changes.
"""

import random
import uuid
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from app.contactmomenten import service as contactmomenten
from app.inzet.service import uren, vingerafdruk_van
from app.models import Contactmoment, ContactmomentOnderwerp, Inzet, Kosten, Project, Sleutelpersoon

# Topics of the first 1000 days: contacts about these are charged to Kansrijke Start.
KANSRIJK = ("gezondheid.zwangerschap-geboorte", "zorg.jgz", "gezin.opvoeding", "gezin.kinderopvang")
VERGOEDING_PER_MAAND = (5000, 7500, 9500, 12500)  # cents: a volunteer's monthly allowance
REISKOSTEN = (375, 410, 680, 940, 1240, 1999)  # cents: OV and mileage


def _id(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def laad(session: Session, *, organisaties: list[dict[str, Any]], seed: int, today: date) -> dict[str, int]:
    """Two projects per organisation, costs over this year up to today, and this year's contacts and hours charged."""
    rng = random.Random(seed * 1000 + 26)
    begin = date(today.year, 1, 1)
    aangemaakt = datetime.combine(begin, time(9), tzinfo=UTC)
    telling = {"projecten": 0, "kosten": 0, "contactmomenten": 0, "inzet": 0}
    for organisatie in organisaties:
        gemeente = organisatie["gemeentecodes"][0]
        sociaal = Project(id=_id(rng), organisatie_id=organisatie["id"], naam=f"Sleutelpersonen sociaal domein {today.year}",
                          financier_gemeentecode=gemeente, regeling="sociaal-domein", vanaf=begin,
                          tot=date(today.year, 12, 31), begroting_centen=4_500_000, aangemaakt_op=aangemaakt,
                          gewijzigd_op=aangemaakt)
        kansrijk = Project(id=_id(rng), organisatie_id=organisatie["id"], naam="Kansrijke Start: eerste 1000 dagen",
                           financier_naam="Rijksoverheid (VWS), via de GGD", regeling="kansrijke-start", vanaf=begin,
                           tot=date(today.year + 1, 6, 30), begroting_centen=3_000_000, aangemaakt_op=aangemaakt,
                           gewijzigd_op=aangemaakt)
        session.add_all([sociaal, kansrijk])
        session.flush()
        telling["projecten"] += 2

        # Contacts this year: the first 1000 days to Kansrijke Start, most others to the sociaal domein.
        contacten = list(session.exec(
            select(Contactmoment).where(Contactmoment.organisatie_id == organisatie["id"], Contactmoment.datum >= begin)
            .order_by(Contactmoment.datum, Contactmoment.id)))
        kansrijk_ids = set(session.exec(
            select(ContactmomentOnderwerp.contactmoment_id).where(
                col(ContactmomentOnderwerp.onderwerp).in_(KANSRIJK),
                col(ContactmomentOnderwerp.contactmoment_id).in_([c.id for c in contacten]))))
        geboekt = []
        for contact in contacten:
            if contact.id in kansrijk_ids:
                contact.project_id = kansrijk.id
            elif rng.random() < 0.6:
                contact.project_id = sociaal.id
            else:
                continue
            geboekt.append(contact)
        if geboekt:
            contactmomenten.herbereken_inhoud_hash(session, records=geboekt)  # the fingerprint names the project
        telling["contactmomenten"] += len(geboekt)

        # Hours this year: contacts and group work follow the contacts' split; the rest stays uncharged.
        for inzet in session.exec(select(Inzet).where(Inzet.organisatie_id == organisatie["id"], Inzet.datum >= begin)
                                  .order_by(Inzet.datum, Inzet.id)):
            if inzet.soort not in ("contacten", "groepsactiviteit"):
                continue
            inzet.project_id = kansrijk.id if rng.random() < 0.3 else sociaal.id
            inzet.inhoud_hash = vingerafdruk_van({
                "sleutelpersoon_id": inzet.sleutelpersoon_id, "datum": inzet.datum, "uren": uren(inzet.minuten),
                "soort": inzet.soort, "gemeentecode": inzet.gemeentecode, "toelichting": inzet.toelichting,
                "project_id": inzet.project_id})
            session.add(inzet)
            telling["inzet"] += 1

        # Costs: a monthly allowance per active volunteer, travel costs, childcare now and then, training once,
        # material for group sessions.
        personen = list(session.exec(select(Sleutelpersoon).where(Sleutelpersoon.organisatie_id == organisatie["id"],
                                                                  col(Sleutelpersoon.actief)).order_by(Sleutelpersoon.id)))
        rijen: list[dict[str, Any]] = []

        def kosten(soort: str, centen: int, datum: date, *, persoon: Sleutelpersoon | None, project: Project | None,
                   per_maand: bool = False, omschrijving: str | None = None, rijen: list[dict[str, Any]] = rijen,
                   organisatie_id: uuid.UUID = organisatie["id"], gemeente: str = gemeente) -> None:
            moment = datetime.combine(datum, time(16), tzinfo=UTC)
            rijen.append({
                "id": _id(rng), "organisatie_id": organisatie_id, "soort": soort, "bedrag_centen": centen,
                "datum": datum, "per_maand": per_maand, "sleutelpersoon_id": persoon.id if persoon else None,
                "project_id": project.id if project else None,
                "gemeentecode": persoon.gemeentecode if persoon and persoon.gemeentecode else gemeente,
                "omschrijving": omschrijving, "aangemaakt_op": moment, "gewijzigd_op": moment, "verwijderd_op": None,
            })

        for maand in range(1, today.month + 1):
            eerste = date(today.year, maand, 1)
            for index, persoon in enumerate(personen):
                if persoon.actief_vanaf and persoon.actief_vanaf > eerste:
                    continue
                project = kansrijk if index % 3 == 0 else sociaal
                if persoon.dienstverband == "vrijwilliger":
                    kosten("vrijwilligersvergoeding", VERGOEDING_PER_MAAND[index % len(VERGOEDING_PER_MAAND)], eerste,
                           persoon=persoon, project=project, per_maand=True)
                for _ in range(rng.randint(0, 3)):
                    dag = date(today.year, maand, rng.randint(1, 28))
                    if dag <= today:
                        kosten("reiskosten", rng.choice(REISKOSTEN), dag, persoon=persoon, project=project)
                if rng.random() < 0.15:
                    kosten("kinderopvang", rng.choice((2750, 4125, 5500)), date(today.year, maand, min(today.day, 15))
                           if maand == today.month else date(today.year, maand, 15), persoon=persoon, project=project)
                if rng.random() < 0.2:
                    kosten("telefoon", 1000, eerste, persoon=persoon, project=None, per_maand=True)
            if maand % 3 == 1:
                kosten("materiaal", rng.choice((4599, 8250, 12030)), eerste, persoon=None, project=kansrijk,
                       omschrijving="Drukwerk en catering voor voorlichtingen")
            kosten("begeleiding", 60000, eerste, persoon=None, project=sociaal, per_maand=True,
                   omschrijving="Coördinatie en intervisie")
        kosten("scholing", 125000, date(today.year, min(3, today.month), 1), persoon=None, project=sociaal,
               omschrijving="Basistraining nieuwe sleutelpersonen")
        session.execute(insert(Kosten), rijen)
        telling["kosten"] += len(rijen)
    session.flush()
    return telling
