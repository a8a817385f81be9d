"""Synthetic demo data: three organisations, their key persons and social map, and two years of contacts.

The data set is deterministic for a given seed and reference date ("today"): every random choice comes
from one `random.Random(seed)`, and so do the ids. Rows are written by the one writer of the
contactmoment tables (`contactmomenten.schrijver`), audit rows included, in the caller's transaction (`laad_demo_data` flushes, it never commits). Resident references
are pseudonymised with the server secret, like the API does, so only their hashes differ per install.
"""

import os
import random
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import typer
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app import demo_ondersteuning, demo_projecten, demo_rapportage, demo_signalen
from app.codelijsten import service as codelijsten
from app.contactmomenten import schrijver
from app.contactmomenten.inhoud import Kinderen, Rijen, inhoud_hash, inhoud_van_record
from app.core.config import get_settings
from app.core.security import pseudonymise
from app.core.validation import vandaag
from app.demo_verdelingen import (
    ACTIES_BASIS,
    CATEGORIE_VOOR,
    DIENSTVERBAND_UREN,
    DOELGROEPEN,
    DUUR,
    GEMEENTEN,
    GESLACHTEN,
    GROEP_ONDERWERPEN,
    KANALEN,
    KETENPARTNERS,
    LEEFTIJDEN,
    ONDERWERP_GEWICHTEN,
    ORGANISATIES,
    RESULTATEN,
    STATUS_PADEN,
    OrganisatieSpec,
)
from app.models import (
    Besluit,
    Doel,
    Doelstelling,
    EigenIndicator,
    EigenIndicatorVersie,
    Ervaringsverhaal,
    Evaluatie,
    EvaluatieDoelstelling,
    Inzet,
    Ketenpartner,
    Organisatie,
    Sleutelpersoon,
)
from app.toegang.caller import cli_caller

PERIODE_DAGEN = 730  # two years before the reference date
BATCH = 500

Voortgang = Callable[[int], None]


@dataclass
class _Inwoner:
    referentie: str
    hash: str
    leeftijdscategorie: str
    geslacht: str
    taal: str
    doelgroep: str | None


@dataclass
class _Persoon:
    id: uuid.UUID
    gemeentecode: str
    talen: tuple[str, ...]
    rollen: tuple[str, ...]
    vanaf: date
    tot: date
    gewicht: float
    inwoners: list[_Inwoner] = field(default_factory=list)


class _Generator:
    def __init__(self, *, seed: int, today: date) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.begin = today - timedelta(days=PERIODE_DAGEN)
        self.now = min(datetime.now(UTC), datetime.combine(today, time(23, 59), tzinfo=UTC))
        self.secret = get_settings().secret_key

    # --- helpers -------------------------------------------------------------------------------

    def nieuw_id(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def kies(self, gewichten: dict[str, float]) -> str:
        return self.rng.choices(list(gewichten), weights=list(gewichten.values()))[0]

    def kies_verschillend(self, gewichten: dict[str, float], aantal: int) -> list[str]:
        gekozen: list[str] = []
        while len(gekozen) < aantal:
            code = self.kies(gewichten)
            if code not in gekozen:
                gekozen.append(code)
        return gekozen

    def tijdstip(self, dag: date) -> datetime:
        """A moment during working hours on `dag`, never after now."""
        moment = datetime.combine(dag, time(self.rng.randint(8, 20), self.rng.randint(0, 59)), tzinfo=UTC)
        return min(moment, self.now)

    def datum_tussen(self, vanaf: date, tot: date) -> date:
        """A day in [vanaf, tot], with fewer contacts in the summer holidays and around new year."""
        spanne = (tot - vanaf).days
        while True:
            dag = vanaf + timedelta(days=self.rng.randint(0, spanne))
            rustig = dag.month in (7, 8) or (dag.month == 12 and dag.day > 22) or dag.weekday() == 6
            if not rustig or self.rng.random() < 0.4:
                return dag

    # --- organisations, key persons, partners ----------------------------------------------------

    def organisaties(self) -> list[tuple[OrganisatieSpec, Organisatie]]:
        result = []
        for spec in ORGANISATIES:
            aangemaakt = datetime.combine(self.begin - timedelta(days=30), time(9), tzinfo=UTC)
            result.append((spec, Organisatie(
                id=self.nieuw_id(), naam=spec.naam, soort=spec.soort, gemeentecodes=list(spec.gemeentecodes),
                aangemaakt_op=aangemaakt, gewijzigd_op=aangemaakt,
            )))
        return result

    def personen(self, spec: OrganisatieSpec, organisatie: Organisatie) -> tuple[list[_Persoon], list[dict[str, Any]]]:
        personen: list[_Persoon] = []
        rows: list[dict[str, Any]] = []
        # Activity is skewed: the busiest key person does several times the work of the quietest.
        gewichten = [1 / (rank + 1) ** 0.9 for rank in range(len(spec.personen))]
        self.rng.shuffle(gewichten)
        for i, (naam, talen, rollen, dienstverband) in enumerate(spec.personen):
            gemeentecode = spec.gemeentecodes[i % len(spec.gemeentecodes)]
            # Most started before the period; one joined during it, one stopped a few months ago.
            vanaf = self.begin - timedelta(days=self.rng.randint(30, 900))
            tot: date | None = None
            if i == len(spec.personen) - 1:
                vanaf = self.begin + timedelta(days=self.rng.randint(120, 360))
            elif i == 1 and len(spec.personen) > 3:
                tot = self.today - timedelta(days=self.rng.randint(60, 150))
            training = vanaf - timedelta(days=self.rng.randint(14, 120))
            uren_min, uren_max = DIENSTVERBAND_UREN[dienstverband]
            persoon_id = self.nieuw_id()
            aangemaakt = datetime.combine(min(vanaf, self.today), time(10), tzinfo=UTC)
            rows.append(dict(
                id=persoon_id, organisatie_id=organisatie.id, weergavenaam=naam, talen=list(talen),
                rollen=list(rollen), themas=sorted({o.split(".")[0] for o in self.kies_verschillend(
                    ONDERWERP_GEWICHTEN, 3)}),
                dienstverband=dienstverband, uren_per_week=float(self.rng.randint(uren_min, uren_max)),
                basistraining_datum=training, actief_vanaf=vanaf, actief_tot=tot, gemeentecode=gemeentecode,
                actief=tot is None, aangemaakt_op=aangemaakt, gewijzigd_op=aangemaakt,
            ))
            personen.append(_Persoon(
                id=persoon_id, gemeentecode=gemeentecode, talen=talen, rollen=rollen,
                vanaf=max(vanaf, self.begin), tot=min(tot or self.today, self.today - timedelta(days=1)),
                gewicht=gewichten[i],
            ))
        return personen, rows

    def ketenpartners(self, spec: OrganisatieSpec, organisatie: Organisatie) -> list[dict[str, Any]]:
        # Fifteen partners: a spread over the categories, each in one of the organisation's gemeenten.
        gekozen = self.rng.sample(KETENPARTNERS, 15)
        rows = []
        for categorie, naam in sorted(gekozen):
            gemeentecode = self.rng.choice(spec.gemeentecodes)
            aangemaakt = datetime.combine(self.begin, time(11), tzinfo=UTC)
            rows.append(dict(
                id=self.nieuw_id(), organisatie_id=organisatie.id, categorie=categorie,
                naam=naam.format(stad=GEMEENTEN[gemeentecode]), gemeentecode=gemeentecode, actief=True,
                aangemaakt_op=aangemaakt, gewijzigd_op=aangemaakt,
            ))
        return rows

    # --- contacts ------------------------------------------------------------------------------

    def inwoner(self, organisatie: Organisatie, persoon: _Persoon, volgnummer: int) -> _Inwoner:
        """A recurring resident of this key person (70%) or a new one; demographics stay the same."""
        if persoon.inwoners and self.rng.random() < 0.7:
            # Earlier residents return more often than later ones: a few come back many times.
            index = int(len(persoon.inwoners) * self.rng.random() ** 1.6)
            return persoon.inwoners[index]
        referentie = f"demo-client-{volgnummer}"
        talen = [t for t in persoon.talen if t != "nl"] or ["nl"]
        inwoner = _Inwoner(
            referentie=referentie,
            hash=pseudonymise(self.secret, organisatie.id, referentie),
            leeftijdscategorie=self.kies(LEEFTIJDEN),
            geslacht=self.kies(GESLACHTEN),
            taal=self.rng.choice(talen) if self.rng.random() < 0.9 else "nl",
            doelgroep=self.kies(DOELGROEPEN) if self.rng.random() < 0.8 else None,
        )
        persoon.inwoners.append(inwoner)
        return inwoner

    def wijkcode(self, gemeentecode: str) -> str | None:
        if self.rng.random() < 0.1:
            return None
        return f"WK{gemeentecode[2:]}{self.rng.randint(0, 9):02d}"

    def contactmoment(
        self,
        rijen: Rijen,
        *,
        nummer: int,
        organisatie: Organisatie,
        personen: list[_Persoon],
        partners: dict[str, list[dict[str, Any]]],
        alle_partners: list[dict[str, Any]],
    ) -> None:
        rng = self.rng
        persoon = rng.choices(personen, weights=[p.gewicht for p in personen])[0]
        datum = self.datum_tussen(persoon.vanaf, persoon.tot)
        gemeentecode = persoon.gemeentecode
        if len(organisatie.gemeentecodes) > 1 and rng.random() < 0.15:
            gemeentecode = rng.choice(organisatie.gemeentecodes)
        groep = rng.random() < 0.10
        contact_id = self.nieuw_id()
        aangemaakt = self.tijdstip(datum + timedelta(days=rng.choice((0, 0, 0, 1, 2))))
        inwoner: _Inwoner | None = None
        if groep:
            kanaal = "groepsbijeenkomst" if rng.random() < 0.85 else "video"
            onderwerpen = self.kies_verschillend(GROEP_ONDERWERPEN, rng.choice((1, 1, 2)))
            acties = ["informatie-gegeven"] + (["signaal-doorgegeven"] if rng.random() < 0.1 else [])
            rol = "voorlichter"
            deelnemers = rng.randint(5, 40)
            taal = rng.choice([t for t in persoon.talen if t != "nl"] or ["nl"])
        else:
            kanaal = self.kies(KANALEN)
            onderwerpen = self.kies_verschillend(ONDERWERP_GEWICHTEN, rng.choices((1, 2, 3), (55, 30, 15))[0])
            acties = self.kies_verschillend(ACTIES_BASIS, rng.choices((1, 2, 3), (45, 40, 15))[0])
            rol = rng.choice(persoon.rollen) if rng.random() < 0.9 else "helper"
            deelnemers = 1
            inwoner = self.inwoner(organisatie, persoon, nummer)
            taal = inwoner.taal
        laag, hoog = DUUR[kanaal]
        duur = rng.randrange(laag, hoog + 1, 5) if rng.random() < 0.95 else None
        wijkcode = self.wijkcode(gemeentecode)

        verwijzingen: list[dict[str, Any]] = []
        eerste_uitkomst = len(rijen.uitkomsten)
        if not groep and rng.random() < 0.25:
            for onderwerp in onderwerpen[: rng.choices((1, 2), (90, 10))[0]]:
                verwijzingen.append(self.doorverwijzing(
                    rijen, organisatie=organisatie, contact_id=contact_id, datum=datum, onderwerp=onderwerp,
                    partners=partners, alle_partners=alle_partners,
                ))
            if "doorverwezen" not in acties:
                acties.append("doorverwezen")

        laatst_gewijzigd = max([aangemaakt, *(v["gewijzigd_op"] for v in verwijzingen)])
        rij = dict(
            id=contact_id, organisatie_id=organisatie.id, extern_id=f"demo-{nummer}",
            sleutelpersoon_id=persoon.id, datum=datum, gemeentecode=gemeentecode, wijkcode=wijkcode,
            kanaal=kanaal, soort="groep" if groep else "individueel", aantal_deelnemers=deelnemers,
            inwoner_hash=inwoner.hash if inwoner else None,
            leeftijdscategorie=inwoner.leeftijdscategorie if inwoner else None,
            geslacht=inwoner.geslacht if inwoner else None, taal=taal,
            doelgroep=inwoner.doelgroep if inwoner else None, rol=rol, duur_minuten=duur,
            inhoud_hash="", aangemaakt_op=aangemaakt, gewijzigd_op=laatst_gewijzigd, verwijderd_op=None,
        )
        rijen.contactmomenten.append(rij)
        rijen.onderwerpen.extend(dict(contactmoment_id=contact_id, onderwerp=o) for o in onderwerpen)
        rijen.acties.extend(dict(contactmoment_id=contact_id, actie=a) for a in acties)

        # Most contacts get an outcome; group sessions rarely do.
        if rng.random() < (0.2 if groep else 0.88):
            if verwijzingen:
                resultaat = "doorverwezen" if rng.random() < 0.8 else self.kies(RESULTATEN)
            else:
                resultaat = self.kies(RESULTATEN)
            if resultaat == "lopend" and (self.today - datum).days > 120 and rng.random() < 0.7:
                resultaat = "opgelost"
            rijen.uitkomsten.append(dict(
                id=self.nieuw_id(), organisatie_id=organisatie.id, contactmoment_id=contact_id,
                doorverwijzing_id=None, resultaat=resultaat,
                datum=min(datum + timedelta(days=rng.choice((0, 0, 0, 3, 7, 14))), self.today),
                aangemaakt_op=aangemaakt,
            ))

        # The API's own fingerprint, so re-posting a demo record unchanged is recognised as a retry.
        uitkomsten = rijen.uitkomsten[eerste_uitkomst:]
        laatste = max(uitkomsten, key=lambda u: (u["datum"], u["aangemaakt_op"], u["id"]), default=None)
        kinderen = Kinderen(
            onderwerpen=sorted(onderwerpen), acties=sorted(acties), doorverwijzingen=verwijzingen, uitkomst=laatste
        )
        rij["inhoud_hash"] = inhoud_hash(inhoud_van_record(rij, kinderen))

    def doorverwijzing(
        self,
        rijen: Rijen,
        *,
        organisatie: Organisatie,
        contact_id: uuid.UUID,
        datum: date,
        onderwerp: str,
        partners: dict[str, list[dict[str, Any]]],
        alle_partners: list[dict[str, Any]],
    ) -> dict[str, Any]:
        rng = self.rng
        kandidaten = [p for c in CATEGORIE_VOOR.get(onderwerp, ()) for p in partners.get(c, [])]
        partner = rng.choice(kandidaten or alle_partners)
        pad = rng.choices([p for _, p in STATUS_PADEN], weights=[w for w, _ in STATUS_PADEN])[0]
        verwijzing_id = self.nieuw_id()
        dag = datum
        geschiedenis: list[tuple[str, date, datetime]] = []
        for stap, status in enumerate(pad):
            if stap:
                dag = dag + timedelta(days=rng.randint(2, 35))
                if dag > self.today:
                    break  # the referral has not got that far yet
            geschiedenis.append((status, dag, self.tijdstip(dag)))
        for status, dag, moment in geschiedenis:
            rijen.statussen.append(dict(
                doorverwijzing_id=verwijzing_id, status=status, status_datum=dag, vastgelegd_op=moment,
                api_sleutel_id=None,
            ))
        status, status_datum, gewijzigd = geschiedenis[-1]
        rij = dict(
            id=verwijzing_id, organisatie_id=organisatie.id, contactmoment_id=contact_id,
            ketenpartner_id=partner["id"], onderwerp=onderwerp,
            wijze="warm" if rng.random() < 0.4 else "informatief", status=status, status_datum=status_datum,
            aangemaakt_op=geschiedenis[0][2], gewijzigd_op=gewijzigd,
        )
        rijen.doorverwijzingen.append(rij)
        if status in ("afgerond", "afgewezen", "niet-verschenen") and rng.random() < 0.5:
            resultaat = "niet-opgelost"
            if status == "afgerond":
                resultaat = "deels-opgelost" if rng.random() < 0.3 else "opgelost"
            rijen.uitkomsten.append(dict(
                id=self.nieuw_id(), organisatie_id=organisatie.id, contactmoment_id=contact_id,
                doorverwijzing_id=verwijzing_id, resultaat=resultaat, datum=status_datum, aangemaakt_op=gewijzigd,
            ))
        return rij


def _controleer_codes(session: Session) -> None:
    """Refuse to run when a code the generator uses is missing from the code table."""
    nodig: dict[str, set[str]] = {
        codelijsten.ONDERWERP: set(ONDERWERP_GEWICHTEN) | set(GROEP_ONDERWERPEN),
        codelijsten.KANAAL: set(KANALEN) | {"groepsbijeenkomst"},
        codelijsten.ACTIE: set(ACTIES_BASIS) | {"doorverwezen"},
        codelijsten.ROL: {r for o in ORGANISATIES for p in o.personen for r in p[2]} | {"helper", "voorlichter"},
        codelijsten.RESULTAAT: set(RESULTATEN) | {"doorverwezen"},
        codelijsten.DOORVERWIJZING_STATUS: {s for _, pad in STATUS_PADEN for s in pad},
        codelijsten.DOORVERWIJZING_WIJZE: {"warm", "informatief"},
        codelijsten.KETENPARTNER_CATEGORIE: {c for c, _ in KETENPARTNERS},
        codelijsten.LEEFTIJDSCATEGORIE: set(LEEFTIJDEN),
        codelijsten.GESLACHT: set(GESLACHTEN),
        codelijsten.DOELGROEP: set(DOELGROEPEN),
        codelijsten.ORGANISATIE_SOORT: {o.soort for o in ORGANISATIES},
        codelijsten.DIENSTVERBAND: set(DIENSTVERBAND_UREN),
        codelijsten.SOORT_CONTACT: {"individueel", "groep"},
    }
    ontbreekt = {
        lijst: sorted(codes - {c for c, e in codelijsten.codes(session, lijst=lijst).items() if e.actief})
        for lijst, codes in nodig.items()
    }
    ontbreekt = {lijst: codes for lijst, codes in ontbreekt.items() if codes}
    if ontbreekt:
        raise RuntimeError(
            f"Codes ontbreken of zijn gedeactiveerd; draai eerst `sleutelmonitor migrate`: {ontbreekt}"
        )


def laad_demo_data(
    session: Session,
    *,
    aantal: int = 5000,
    seed: int = 42,
    today: date | None = None,
    voortgang: Voortgang | None = None,
) -> dict[str, Any]:
    """Insert the synthetic data set in the session's transaction (flush, no commit) and return a summary."""
    _controleer_codes(session)
    today = today or vandaag()
    gen = _Generator(seed=seed, today=today)
    organisaties = gen.organisaties()
    session.add_all([o for _, o in organisaties])
    session.flush()

    per_org: list[dict[str, Any]] = []
    opbouw: list[tuple[Organisatie, list[_Persoon], list[dict[str, Any]], int]] = []
    alle_personen: list[tuple[_Persoon, dict[str, Any]]] = []
    verdeeld = 0
    for index, (spec, organisatie) in enumerate(organisaties):
        personen, persoon_rijen = gen.personen(spec, organisatie)
        alle_personen += list(zip(personen, persoon_rijen, strict=True))
        partner_rijen = gen.ketenpartners(spec, organisatie)
        session.execute(insert(Sleutelpersoon), persoon_rijen)
        session.execute(insert(Ketenpartner), partner_rijen)
        deel = aantal - verdeeld if index == len(organisaties) - 1 else round(aantal * spec.aandeel)
        verdeeld += deel
        opbouw.append((organisatie, personen, partner_rijen, deel))

    nummer = 0
    for organisatie, personen, partner_rijen, deel in opbouw:
        partners: dict[str, list[dict[str, Any]]] = {}
        for partner in partner_rijen:
            partners.setdefault(partner["categorie"], []).append(partner)
        telling = {"contactmomenten": 0, "groepsbijeenkomsten": 0, "doorverwijzingen": 0, "uitkomsten": 0}
        inwoners: set[str] = set()
        for start in range(0, deel, BATCH):
            rijen = Rijen()
            for _ in range(min(BATCH, deel - start)):
                nummer += 1
                gen.contactmoment(
                    rijen, nummer=nummer, organisatie=organisatie, personen=personen, partners=partners,
                    alle_partners=partner_rijen,
                )
            schrijver.schrijf(session, caller=cli_caller(), rijen=rijen)
            telling["contactmomenten"] += len(rijen.contactmomenten)
            telling["groepsbijeenkomsten"] += sum(1 for c in rijen.contactmomenten if c["soort"] == "groep")
            telling["doorverwijzingen"] += len(rijen.doorverwijzingen)
            telling["uitkomsten"] += len(rijen.uitkomsten)
            inwoners.update(c["inwoner_hash"] for c in rijen.contactmomenten if c["inwoner_hash"])
            if voortgang is not None:
                voortgang(len(rijen.contactmomenten))
        per_org.append({
            "id": organisatie.id, "naam": organisatie.naam, "soort": organisatie.soort,
            "gemeentecodes": list(organisatie.gemeentecodes), "sleutelpersonen": len(personen),
            "ketenpartners": len(partner_rijen), **telling, "inwoners": len(inwoners),
        })
    session.flush()
    totaal = {k: sum(o[k] for o in per_org) for k in per_org[0] if isinstance(per_org[0][k], int)}
    kwalitatief = demo_signalen.laad(session, organisaties=per_org, seed=seed, today=today)
    _doelen(session, gen, per_org, today)
    inzet = _inzet(session, gen, alle_personen, today)
    _doelstellingen(session, gen, per_org, today)
    # Every organisation's key persons advise professionals: each report shows its reach among them.
    professioneel = sum(_professionele_contacten(session, gen, org["id"], alle_personen, today) for org in per_org)
    _eigen_indicatoren(session, gen, per_org)
    ondersteuning = demo_ondersteuning.laad(session, personen=[rij for _, rij in alle_personen], seed=seed, today=today)
    rapportage = demo_rapportage.laad(session, organisaties=per_org, nieuw_id=gen.nieuw_id, today=today)
    projecten = demo_projecten.laad(session, organisaties=per_org, seed=seed, today=today)
    return {"organisaties": per_org, "totaal": totaal, "kwalitatief": kwalitatief, "inzet": inzet,
            "professionele_contacten": professioneel, "ondersteuning": ondersteuning, "rapportage": rapportage,
            "projecten": projecten,
            "seed": seed, "tot": today.isoformat()}


# Contacts of key persons with professionals (issue 25, part 5): (soort, asked by a partner of this
# category or by the gemeente/GGD, professionals reached (low, high), topics).
PROFESSIONELE_CONTACTEN = (
    ("adviesvraag", "jgz", (1, 2), ("zorg.jgz",)),
    ("adviesvraag", "sociaal-wijkteam", (1, 3), ("geld.toeslagen",)),
    ("adviesvraag", "huisarts", (1, 2), ("zorg.huisarts",)),
    ("adviesvraag", "ggd", (1, 2), ("zorg.jgz",)),
    ("casusoverleg", "sociaal-wijkteam", (3, 6), ("geld.toeslagen", "zorg")),
    ("casusoverleg", "jgz", (2, 5), ("zorg.jgz",)),
    ("voorlichting-aan-professionals", "gemeente", (10, 30), ("zorg",)),
    ("voorlichting-aan-professionals", "huisarts", (6, 15), ("zorg.huisarts",)),
    ("klankbordgroep", "gemeente", (4, 10), ("geld",)),
    ("materiaal-testen", "ggd", (3, 8), ("zorg.jgz",)),
    ("overleg", "sociaal-wijkteam", (2, 6), ()),
    ("adviesvraag", "jgz", (1, 2), ("zorg.jgz",)),
)
TERUGKOPPELINGEN = (
    "Het consultatiebureau nodigt moeders nu uit met een uitleg in hun eigen taal.",
    "Het wijkteam plant het huisbezoek voortaan samen met de sleutelpersoon.",
    "De praktijk heeft de folder aangepast en vraagt vaker om een tolk.",
)


def _professionele_contacten(session: Session, gen: _Generator, organisatie_id: uuid.UUID,
                             personen: Sequence[tuple[_Persoon, dict[str, Any]]], today: date) -> int:
    """A few contacts of an organisation's key persons with professionals, over the last three
    months: advice asked (some answered, some with the asking party's terugkoppeling), case meetings,
    talks to professionals, a klankbordgroep. Made last, so the ids they draw change no record before them."""
    from app.models import ProfessioneelContact, ProfessioneelContactOnderwerp
    from app.professionele_contacten.service import vingerafdruk_van

    eigen = [p for p, rij in personen if rij["organisatie_id"] == organisatie_id and rij["actief"]]
    partners: dict[str, Ketenpartner] = {}
    for partner in session.exec(select(Ketenpartner).where(Ketenpartner.organisatie_id == organisatie_id,
                                                           Ketenpartner.actief).order_by(Ketenpartner.naam)):
        partners.setdefault(partner.categorie, partner)
    if not eigen:
        return 0
    rijen: list[dict[str, Any]] = []
    onderwerpen: list[dict[str, Any]] = []
    for nummer, (soort, aanvrager, (laag, hoog), codes) in enumerate(PROFESSIONELE_CONTACTEN):
        persoon = eigen[gen.rng.randrange(len(eigen))]
        datum = max(today - timedelta(days=gen.rng.randint(3, 90)), persoon.vanaf)
        partner = partners.get(aanvrager)
        if aanvrager in ("gemeente", "ggd") or partner is None:
            door = {"aangevraagd_door_soort": "ggd" if aanvrager == "ggd" else "gemeente",
                    "aangevraagd_door_ketenpartner_id": None, "aangevraagd_door_gemeentecode": persoon.gemeentecode}
        else:
            door = {"aangevraagd_door_soort": "ketenpartner", "aangevraagd_door_ketenpartner_id": partner.id,
                    "aangevraagd_door_gemeentecode": None}
        status, terugkoppeling = None, None
        if soort == "adviesvraag":
            status = ("teruggekoppeld", "gegeven", "teruggekoppeld", "gevraagd")[nummer % 4]
            if status == "teruggekoppeld":
                terugkoppeling = (TERUGKOPPELINGEN[nummer % len(TERUGKOPPELINGEN)], min(today, datum + timedelta(days=14)))
        aantal, duur = gen.rng.randint(laag, hoog), gen.rng.choice((30, 45, 60, 90))
        aangemaakt = datetime.combine(datum, time(17), tzinfo=UTC)
        contact_id = gen.nieuw_id()
        rijen.append({
            "id": contact_id, "organisatie_id": organisatie_id, "extern_id": None, "sleutelpersoon_id": persoon.id,
            "datum": datum, "soort": soort, **door, "aantal_professionals": aantal,
            "duur_minuten": duur, "gemeentecode": persoon.gemeentecode, "status": status,
            "terugkoppeling_tekst": terugkoppeling[0] if terugkoppeling else None,
            "terugkoppeling_datum": terugkoppeling[1] if terugkoppeling else None,
            "inhoud_hash": vingerafdruk_van({
                "sleutelpersoon_id": persoon.id, "datum": datum, "soort": soort,
                "aangevraagd_door": {"soort": door["aangevraagd_door_soort"],
                                     "ketenpartner_id": door["aangevraagd_door_ketenpartner_id"],
                                     "gemeentecode": door["aangevraagd_door_gemeentecode"]},
                "aantal_professionals": aantal, "onderwerpen": list(codes), "duur_minuten": duur,
                "gemeentecode": persoon.gemeentecode, "status": status,
                "terugkoppeling": {"tekst": terugkoppeling[0], "datum": terugkoppeling[1]} if terugkoppeling else None,
            }),
            "aangemaakt_op": aangemaakt, "gewijzigd_op": aangemaakt, "verwijderd_op": None,
        })
        onderwerpen += [{"professioneel_contact_id": contact_id, "onderwerp": code} for code in codes]
    session.execute(insert(ProfessioneelContact), rijen)
    if onderwerpen:
        session.execute(insert(ProfessioneelContactOnderwerp), onderwerpen)
    session.flush()
    return len(rijen)


# How key persons spend their registered hours (code list inzet-soort), as weights.
INZET_SOORTEN = (("contacten", 10), ("groepsactiviteit", 4), ("overleg", 3), ("training", 1), ("reizen", 2), ("overig", 1))


def _inzet(session: Session, gen: _Generator, personen: Sequence[tuple[_Persoon, dict[str, Any]]], today: date) -> int:
    """Hours worked by each active key person, last month and this month up to today, near their contract hours.

    Made after the targets, so the ids they draw change none of the records before them."""
    from app.inzet.service import vingerafdruk_van

    begin = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    soorten = [s for s, _ in INZET_SOORTEN]
    gewichten = [g for _, g in INZET_SOORTEN]
    rijen: list[dict[str, Any]] = []
    for persoon, rij in personen:
        if not rij["actief"] or not rij["uren_per_week"]:
            continue
        # Some work about their hours, some more, some less: the coordinator's page shows the spread.
        tempo = gen.rng.uniform(0.5, 1.2)
        maandag = begin - timedelta(days=begin.weekday())
        while maandag <= today:
            kwartieren = round(rij["uren_per_week"] * tempo * 4)
            dagen = sorted(gen.rng.sample(range(7), min(5, max(1, round(rij["uren_per_week"] / 4)))))
            per_dag = [kwartieren // len(dagen) + (i < kwartieren % len(dagen)) for i in range(len(dagen))]
            for dag, kwart in zip(dagen, per_dag, strict=True):
                datum = maandag + timedelta(days=dag)
                if not begin <= datum <= today or not persoon.vanaf <= datum or kwart <= 0:
                    continue
                # One or two kinds a day; the first gets the larger share.
                gekozen = gen.rng.choices(soorten, weights=gewichten, k=2)
                delen = [kwart] if gekozen[0] == gekozen[1] or kwart < 4 else [kwart - kwart // 3, kwart // 3]
                for soort, deel in zip(gekozen, delen, strict=False):
                    waarden = {"sleutelpersoon_id": persoon.id, "datum": datum, "uren": deel / 4, "soort": soort,
                               "gemeentecode": persoon.gemeentecode, "toelichting": None}
                    aangemaakt = datetime.combine(datum, time(18), tzinfo=UTC)
                    rijen.append({
                        "id": gen.nieuw_id(), "organisatie_id": rij["organisatie_id"], "extern_id": None,
                        "sleutelpersoon_id": persoon.id, "datum": datum, "minuten": deel * 15, "soort": soort,
                        "gemeentecode": persoon.gemeentecode, "toelichting": None, "inhoud_hash": vingerafdruk_van(waarden),
                        "aangemaakt_op": aangemaakt, "gewijzigd_op": aangemaakt, "verwijderd_op": None,
                    })
            maandag += timedelta(days=7)
    if rijen:
        session.execute(insert(Inzet), rijen)
        session.flush()
    return len(rijen)


def _doelen(session: Session, gen: _Generator, organisaties: Sequence[dict[str, Any]], today: date) -> None:
    """This year's targets of each organisation (its behoefteanalyse), so the dashboard shows their progress.

    Made last, so the ids they draw from the generator change none of the records before them.
    """
    from app.doelen.service import filter_sleutel

    jaar = today.year
    for org in organisaties:
        per_jaar = org["contactmomenten"] / 2  # the data set spans two years
        for indicator, waarde in (
            ("aantal-contactmomenten", round(per_jaar * 1.1, -1)),
            ("bereik-inwoners", round(org["inwoners"] * 0.9, -1)),
            ("percentage-doorverwijzingen-afgerond", 75.0),
        ):
            session.add(Doel(
                id=gen.nieuw_id(), organisatie_id=org["id"], indicator=indicator, periode=str(jaar),
                vanaf=date(jaar, 1, 1), tot=date(jaar + 1, 1, 1), waarde=waarde, filters={},
                filter_sleutel=filter_sleutel({}),
            ))
    session.flush()


def _doelstellingen(session: Session, gen: _Generator, organisaties: Sequence[dict[str, Any]], today: date) -> None:
    """Two goals and an evaluation with a decision for the organisation of the demo key (issue 25).

    Made last, so the ids they draw from the generator change none of the records before them."""
    from app.doelstellingen.service import vingerafdruk_van

    org = next(o for o in organisaties if o["soort"] == "migrantenorganisatie")
    partners = list(session.exec(
        select(Ketenpartner.id).where(Ketenpartner.organisatie_id == org["id"]).order_by(Ketenpartner.naam)
    ).all())[:2]
    verhaal = session.exec(
        select(Ervaringsverhaal.id).where(Ervaringsverhaal.organisatie_id == org["id"]).order_by(Ervaringsverhaal.datum.desc())  # type: ignore[attr-defined]
    ).first()
    jaar = today.year
    doelen = [
        {"titel": "Meer jonge moeders onder statushouders bereiken het consultatiebureau",
         "omschrijving": "Sleutelpersonen wijzen jonge moeders de weg naar de JGZ en gaan zo nodig mee.",
         "behoefteanalyse": {"datum": date(jaar - 1, 11, 15),
                             "tekst": "Gesprekken met de JGZ en de GGD: jonge moeders onder statushouders komen weinig op het consultatiebureau."},
         "beoogde_ketenpartners": partners, "vanaf": date(jaar, 1, 1), "tot": date(jaar, 12, 31), "status": "actief",
         "indicatoren": ["aantal-hulpvragen", "bereik-inwoners", "aantal-doorverwijzingen"]},
        {"titel": "Eerder in beeld bij geldzorgen",
         "omschrijving": "Inwoners met geldzorgen komen eerder bij de schuldhulp, voordat er beslag ligt.",
         "behoefteanalyse": None, "beoogde_ketenpartners": partners[:1], "vanaf": date(jaar + 1, 1, 1),
         "tot": date(jaar + 1, 12, 31), "status": "concept", "indicatoren": ["aantal-hulpvragen"]},
    ]
    ids = []
    for doel in doelen:
        aangemaakt = datetime.combine(date(jaar, 1, 2), time(10), tzinfo=UTC)
        behoefteanalyse = doel["behoefteanalyse"]
        ids.append(gen.nieuw_id())
        session.add(Doelstelling(
            id=ids[-1], organisatie_id=org["id"], titel=doel["titel"], omschrijving=doel["omschrijving"],
            behoefteanalyse_datum=behoefteanalyse["datum"] if behoefteanalyse else None,
            behoefteanalyse_tekst=behoefteanalyse["tekst"] if behoefteanalyse else None,
            beoogde_ketenpartners=[str(p) for p in doel["beoogde_ketenpartners"]], vanaf=doel["vanaf"], tot=doel["tot"],
            status=doel["status"], indicatoren=doel["indicatoren"], inhoud_hash=vingerafdruk_van(doel),
            aangemaakt_op=aangemaakt, gewijzigd_op=aangemaakt,
        ))
    session.flush()
    datum = today - timedelta(days=30)
    evaluatie = Evaluatie(
        id=gen.nieuw_id(), organisatie_id=org["id"], datum=datum,
        deelnemers=[{"rol": "sleutelpersonen", "aantal": 5}, {"rol": "coordinator", "aantal": 1},
                    {"rol": "ketenpartners", "aantal": 2}, {"rol": "ggd", "aantal": 1}],
        bevindingen="Het bereik onder jonge moeders groeit; de JGZ ziet ze vaker, maar nog weinig voor de eerste afspraak.",
        indicatoren=["bereik-inwoners"], ervaringsverhalen=[str(verhaal)] if verhaal else [],
        aangemaakt_op=datetime.combine(datum, time(16), tzinfo=UTC), gewijzigd_op=datetime.combine(datum, time(16), tzinfo=UTC),
    )
    session.add(evaluatie)
    session.flush()
    session.add(EvaluatieDoelstelling(evaluatie_id=evaluatie.id, doelstelling_id=ids[0]))
    session.add(Besluit(id=gen.nieuw_id(), organisatie_id=org["id"], evaluatie_id=evaluatie.id, volgorde=0,
                        tekst="Voorlichting over de JGZ ook in het Tigrinya en het Arabisch", eigenaar_rol="coordinator",
                        deadline=datum + timedelta(days=90), status="open", aangemaakt_op=evaluatie.aangemaakt_op,
                        gewijzigd_op=evaluatie.aangemaakt_op))
    session.flush()


# The demo organisation's own indicator (issue 25 part 2): the JGZ goal of its first doelstelling, measured.
EIGEN_INDICATOR = {
    "code": "eigen.hulpvragen-jgz-statushouders",
    "naam": "Hulpvragen JGZ van statushouders",
    "definitie": "Hulpvragen over de jeugdgezondheidszorg (consultatiebureau, onderwerp zorg.jgz) van inwoners die "
    "statushouder zijn.",
    "basis": "aantal-hulpvragen",
    "filters": {"doelgroep": ["statushouder"], "onderwerp": ["zorg.jgz"]},
}


def _eigen_indicatoren(session: Session, gen: _Generator, organisaties: Sequence[dict[str, Any]]) -> None:
    """One own indicator of the organisation of the demo key, shared with its region (version 1).

    Made last, so the ids it draws from the generator change none of the records before it."""
    org = next(o for o in organisaties if o["soort"] == "migrantenorganisatie")
    indicator = EigenIndicator(id=gen.nieuw_id(), organisatie_id=org["id"], code=EIGEN_INDICATOR["code"],
                               gedeeld_met_regio=True)
    session.add(indicator)
    session.flush()
    session.add(EigenIndicatorVersie(id=gen.nieuw_id(), eigen_indicator_id=indicator.id, versie=1,
                                     naam=EIGEN_INDICATOR["naam"], definitie=EIGEN_INDICATOR["definitie"],
                                     basis=EIGEN_INDICATOR["basis"], filters=EIGEN_INDICATOR["filters"]))
    session.flush()


def _demo_sleutels(session: Session, organisaties: Sequence[dict[str, Any]]) -> list[tuple[str, str, str]]:
    """Create the three development keys; returns (omschrijving, token, voorbeeld-pad) triples."""
    from app.toegang import service as toegang
    from app.toegang.caller import Scope

    migranten = next(o for o in organisaties if o["soort"] == "migrantenorganisatie")
    _, org_token = toegang.create_key(
        session, caller=cli_caller(), naam=f"Demo: {migranten['naam']}",
        scopes=[Scope.registreren, Scope.inzien, Scope.rapporteren], organisatie_id=migranten["id"],
    )
    _, regio_token = toegang.create_key(
        session, caller=cli_caller(), naam="Demo: regionale rapportage Utrecht en Amersfoort",
        scopes=[Scope.rapporteren, Scope.signalen, Scope.goedkeuren], gemeentecodes=["GM0344", "GM0307"],
    )
    _, beheer_token = toegang.create_key(
        session, caller=cli_caller(), naam="Demo: beheer", scopes=[Scope.beheren], beheer=True,
    )
    return [
        (f"Organisatiesleutel {migranten['naam']} (registreren, inzien, rapporteren)", org_token, "/contactmomenten"),
        ("Regionale sleutel GM0344, GM0307 (rapporteren, signalen, goedkeuren; ook /ontvangen-signalen en /rapportageritmes)", regio_token,
         "/indicatoren/aantal-contactmomenten/waarden?periode=laatste-12-maanden&groeperenOp=gemeente"),
        ("Beheersleutel (beheren)", beheer_token, "/organisaties"),
    ]


def demo_data(
    als_leeg: bool = typer.Option(False, "--als-leeg", help="Doe niets als er al een organisatie bestaat."),
    aantal: int = typer.Option(5000, "--aantal", min=1, help="Aantal contactmomenten."),
    seed: int = typer.Option(42, "--seed", help="Startwaarde van de toevalsgenerator (zelfde seed, zelfde data)."),
) -> None:
    """Vul de database met een realistische, synthetische demo-dataset."""
    from rich import box
    from rich.console import Console
    from rich.panel import Panel
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table
    from rich.text import Text

    from app.core.db import get_engine

    console = Console()
    settings = get_settings()
    with Session(get_engine(), expire_on_commit=False) as session:
        if als_leeg and session.exec(select(Organisatie.id).limit(1)).first() is not None:
            console.print("Er bestaan al organisaties; demo-data overgeslagen.")
            return
        with Progress(
            TextColumn("Demo-data laden"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=console, transient=True,
        ) as progress:
            taak = progress.add_task("contactmomenten", total=aantal)
            try:
                samenvatting = laad_demo_data(
                    session, aantal=aantal, seed=seed, voortgang=lambda n: progress.advance(taak, n)
                )
            except IntegrityError:
                # The ids come from the seed, so the same seed twice collides with itself.
                console.print(
                    f"[red]De demo-data met seed {seed} staat al in de database; kies een andere --seed.[/red]"
                )
                raise typer.Exit(1) from None
        sleutels: list[tuple[str, str, str]] = []
        if settings.environment == "development":
            sleutels = _demo_sleutels(session, samenvatting["organisaties"])
        session.commit()

    # One column per organisation keeps the table readable in an 80-column terminal.
    orgs = samenvatting["organisaties"]
    tabel = Table(title=f"Demo-data geladen (seed {seed}, tot {samenvatting['tot']})")
    tabel.add_column("", no_wrap=True)
    for org in orgs:
        tabel.add_column(org["naam"], justify="right")
    tabel.add_column("totaal", justify="right", style="bold")
    for kolom in ("sleutelpersonen", "ketenpartners", "contactmomenten", "groepsbijeenkomsten",
                  "doorverwijzingen", "uitkomsten", "inwoners"):
        tabel.add_row(kolom, *(str(org[kolom]) for org in orgs), str(samenvatting["totaal"][kolom]))
    console.print(tabel)
    console.print("  " + ", ".join(f"{k}: {v}" for k, v in samenvatting["kwalitatief"].items())
                  + f", registraties van gewerkte uren: {samenvatting['inzet']}"
                  + f", contacten met professionals: {samenvatting['professionele_contacten']}"
                  + "".join(f", {k}: {v}" for k, v in samenvatting["ondersteuning"].items()))
    for org in orgs:
        console.print(f"  {org['naam']} ({org['soort']}, {', '.join(org['gemeentecodes'])}): {org['id']}",
                      soft_wrap=True)

    if sleutels:
        adres = settings.public_url or "http://127.0.0.1:" + os.environ.get("PORT", "8000")
        basis = f"{adres.rstrip('/')}/v1"
        regels = Text()
        regels.append(f"Dashboard: open {adres.rstrip('/')}/ en meld u aan met de organisatie- of "
                      "de regionale sleutel hieronder.\n\n", style="bold")
        for omschrijving, token, pad in sleutels:
            regels.append(f"{omschrijving}\n", style="bold")
            regels.append(f'  curl -H "Authorization: Bearer {token}" "{basis}{pad}"\n\n')
        regels.rstrip()
        # No side borders and no wrapping, so each curl line can be copied whole, even from a narrow terminal.
        breedte = max(console.width, max(len(regel) for regel in regels.plain.splitlines()) + 4)
        console.print()
        Console(width=breedte).print(
            Panel(regels, title="Demo-sleutels (alleen voor ontwikkeling, worden eenmalig getoond)",
                  box=box.HORIZONTALS, border_style="yellow"),
        )
