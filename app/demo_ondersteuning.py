"""Demo data for supporting key persons (issue 26): employment histories, trainings with a monthly
intervision series, development plans and conversations.

Drawn from a generator of its own (seeded from the demo's seed), so these rows change none of the
demo's other records. Made so that the coordinator's questions have answers: someone has not attended
intervision this quarter, and at least one volunteer moved to paid work in the last year.
"""

import random
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert, update
from sqlmodel import Session

from app.models import (
    DeskundigheidDeelnemer,
    Deskundigheidsbevordering,
    Dienstverband,
    Gesprek,
    Ontwikkeldoel,
    Sleutelpersoon,
)

AANBIEDERS = ("Pharos", "GGD regio", "Eigen organisatie", "MOVISIE")
BIJSCHOLINGEN = (
    ("Zorgverzekering en eigen risico uitgelegd", 3),
    ("Signalen van huiselijk geweld herkennen", 4),
    ("Werken met een tolk", 2),
    ("Mentale gezondheid bespreekbaar maken", 3),
    ("Schulden: vroegsignalering", 2.5),
)
DOELEN = (
    "Zelfstandig een voorlichting over de zorgverzekering geven",
    "Meer contact leggen met het consultatiebureau in de wijk",
    "Nederlands op B1-niveau halen",
    "Leren doorverwijzen naar schuldhulpverlening",
    "Een groepsbijeenkomst voor vaders organiseren",
    "Grenzen stellen: niet altijd bereikbaar zijn",
)
AFSPRAKEN = (
    "Volgende maand meelopen met de voorlichting in het buurthuis.",
    "Uren beter bijhouden in de app.",
    "Aanmelden voor de bijscholing over huiselijk geweld.",
    "Intervisie weer bijwonen; vervoer regelen we samen.",
    "Samen kijken naar een passende opleiding.",
)


def _moment(dag: date) -> datetime:
    return datetime.combine(dag, time(16), tzinfo=UTC)


def laad(session: Session, *, personen: Sequence[dict[str, Any]], seed: int, today: date) -> dict[str, int]:
    """Insert the rows (flush, no commit); `personen` are the demo's key person rows. Returns counts."""
    rng = random.Random(seed * 1000 + 26)

    def nieuw_id() -> uuid.UUID:
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    perioden: list[dict[str, Any]] = []
    trainingen: list[dict[str, Any]] = []
    deelnemers: list[dict[str, Any]] = []
    doelen: list[dict[str, Any]] = []
    gesprekken: list[dict[str, Any]] = []
    gestopt: list[uuid.UUID] = []
    per_org: dict[uuid.UUID, list[dict[str, Any]]] = {}
    for p in personen:
        per_org.setdefault(p["organisatie_id"], []).append(p)

    def periode(p: dict[str, Any], soort: str, vanaf: date, tot: date | None = None, reden: str | None = None) -> None:
        perioden.append({"id": nieuw_id(), "organisatie_id": p["organisatie_id"], "sleutelpersoon_id": p["id"],
                         "soort": soort, "vanaf": vanaf, "tot": tot, "uitstroom_reden": reden,
                         "aangemaakt_op": _moment(min(vanaf, today)), "gewijzigd_op": _moment(min(tot or vanaf, today))})

    for org_index, (org_id, leden) in enumerate(per_org.items()):
        # Every organisation has one key person who moved from volunteering to paid work this year.
        betaald = sorted((p for p in leden if p["dienstverband"] in ("betaald", "zzp") and p["actief"]),
                         key=lambda p: p["dienstverband"] != "betaald")
        overstapper = betaald[0] if betaald else None
        for p in leden:
            vanaf = p["actief_vanaf"]
            if p is overstapper or (p["dienstverband"] in ("betaald", "zzp") and rng.random() < 0.4):
                # Started as a volunteer, moved to paid work (the first one of each organisation: this year).
                dagen = rng.randint(45, 150) if p is overstapper else rng.randint(200, 600)
                overstap = max(vanaf + timedelta(days=30), today - timedelta(days=dagen))
                periode(p, "vrijwilliger", vanaf, overstap - timedelta(days=1))
                periode(p, p["dienstverband"], overstap)
            elif not p["actief"] and p["actief_tot"] is not None:
                periode(p, p["dienstverband"], vanaf, p["actief_tot"], ("betaald-werk", "opleiding", "verhuisd")[org_index % 3])
                gestopt.append(p["id"])
            else:
                periode(p, p["dienstverband"], vanaf)

        # Basic training: each key person, on their training date.
        for p in leden:
            record = {"id": nieuw_id(), "organisatie_id": org_id, "soort": "basistraining",
                      "titel": "Basistraining sleutelpersonen", "datum": p["basistraining_datum"], "minuten": 16 * 60,
                      "aanbieder": "Pharos", "certificaat_datum": p["basistraining_datum"],
                      "aangemaakt_op": _moment(p["basistraining_datum"]), "gewijzigd_op": _moment(p["basistraining_datum"]),
                      "verwijderd_op": None}
            trainingen.append(record)
            deelnemers.append({"deskundigheidsbevordering_id": record["id"], "sleutelpersoon_id": p["id"]})
        # A monthly intervision series over the last year. One active key person has missed every one
        # this quarter: the page and the indicator show it.
        actief = [p for p in leden if p["actief"]]
        kwartaal_begin = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        afwezig = actief[-1]["id"] if actief else None
        maand = date(today.year - 1, today.month, 1)
        while maand <= today:
            dag = maand.replace(day=min(12, 28))
            if dag <= today:
                groep = [p for p in actief if p["actief_vanaf"] <= dag and rng.random() < 0.75
                         and not (p["id"] == afwezig and dag >= kwartaal_begin)]
                if groep:
                    record = {"id": nieuw_id(), "organisatie_id": org_id, "soort": "intervisie",
                              "titel": f"Intervisie {dag.strftime('%m-%Y')}", "datum": dag, "minuten": 120,
                              "aanbieder": "Eigen organisatie", "certificaat_datum": None,
                              "aangemaakt_op": _moment(dag), "gewijzigd_op": _moment(dag), "verwijderd_op": None}
                    trainingen.append(record)
                    deelnemers += [{"deskundigheidsbevordering_id": record["id"], "sleutelpersoon_id": p["id"]} for p in groep]
            maand = date(maand.year + (maand.month == 12), maand.month % 12 + 1, 1)
        for titel, uren in rng.sample(BIJSCHOLINGEN, 3):
            dag = today - timedelta(days=rng.randint(10, 330))
            groep = [p for p in actief if p["actief_vanaf"] <= dag]
            groep = rng.sample(groep, min(len(groep), rng.randint(2, 5)))
            if not groep:
                continue
            record = {"id": nieuw_id(), "organisatie_id": org_id, "soort": "bijscholing", "titel": titel, "datum": dag,
                      "minuten": round(uren * 60), "aanbieder": rng.choice(AANBIEDERS), "certificaat_datum": None,
                      "aangemaakt_op": _moment(dag), "gewijzigd_op": _moment(dag), "verwijderd_op": None}
            trainingen.append(record)
            deelnemers += [{"deskundigheidsbevordering_id": record["id"], "sleutelpersoon_id": p["id"]} for p in groep]

        # Plans and conversations: most active key persons have a plan; a progress talk every quarter.
        for p in leden:
            begin = max(p["actief_vanaf"], today - timedelta(days=365))
            eind = min(p["actief_tot"] or today, today)
            if p["actief"] and rng.random() < 0.7:
                for tekst in rng.sample(DOELEN, rng.randint(1, 3)):
                    dag = begin + timedelta(days=rng.randint(0, max(0, (eind - begin).days)))
                    doelen.append({"id": nieuw_id(), "organisatie_id": org_id, "sleutelpersoon_id": p["id"],
                                   "omschrijving": tekst, "datum": dag, "streefdatum": dag + timedelta(days=180),
                                   "status": rng.choice(("open", "bezig", "bezig", "behaald")),
                                   "aangemaakt_op": _moment(dag), "gewijzigd_op": _moment(dag), "verwijderd_op": None})
            dag = begin + timedelta(days=rng.randint(0, 40))
            while dag <= eind:
                soort = "functionering" if dag.month in (10, 11) else "voortgang"
                gesprekken.append({"id": nieuw_id(), "organisatie_id": org_id, "sleutelpersoon_id": p["id"], "datum": dag,
                                   "soort": soort, "afspraken": rng.choice(AFSPRAKEN), "aangemaakt_op": _moment(dag),
                                   "gewijzigd_op": _moment(dag), "verwijderd_op": None})
                dag += timedelta(days=rng.randint(80, 100))
            if not p["actief"] and p["actief_tot"] is not None:
                gesprekken.append({"id": nieuw_id(), "organisatie_id": org_id, "sleutelpersoon_id": p["id"],
                                   "datum": p["actief_tot"], "soort": "afsluiting", "afspraken": None,
                                   "aangemaakt_op": _moment(p["actief_tot"]), "gewijzigd_op": _moment(p["actief_tot"]),
                                   "verwijderd_op": None})

    for model, rijen in ((Dienstverband, perioden), (Deskundigheidsbevordering, trainingen),
                         (DeskundigheidDeelnemer, deelnemers), (Ontwikkeldoel, doelen), (Gesprek, gesprekken)):
        if rijen:
            session.execute(insert(model), rijen)
    if gestopt:
        # Their last period is closed: no current employment (the API's `dienstverband` is the open period).
        session.execute(update(Sleutelpersoon).where(Sleutelpersoon.id.in_(gestopt)).values(dienstverband=None))  # type: ignore[attr-defined]
    session.flush()
    return {"dienstverbanden": len(perioden), "trainingen": len(trainingen), "ontwikkeldoelen": len(doelen),
            "gesprekken": len(gesprekken)}
