"""Synthetic data for the benchmark: a national-scale world of organisations, and contacts at speed.

The distributions follow app/demo.py (topic, channel, action and outcome weights, referral paths)
but scale to millions of rows: many organisations of skewed size, each serving one to three
gemeenten of a GGD region; key persons with skewed (Zipf-like) activity; 1-3 topics per contact,
~25% of contacts with a referral, ~10% group sessions, two to five years of history per
organisation with more contacts in recent years.

Rows are produced as tuples of strings (uuids as 32 hex digits, ISO dates), which both SQLite
(`executemany`) and PostgreSQL (`COPY ... FROM STDIN`, text format) accept as they are: this is
data setup, not a measurement, so it bypasses the application on purpose. The same contacts can
also be rendered as API bodies (`als_body`) for the import files and the HTTP load.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from app.demo import (
    ACTIES_BASIS,
    CATEGORIE_VOOR,
    DOELGROEPEN,
    DUUR,
    GESLACHTEN,
    GROEP_ONDERWERPEN,
    KANALEN,
    LEEFTIJDEN,
    ONDERWERP_GEWICHTEN,
    RESULTATEN,
    STATUS_PADEN,
)

# The Netherlands has 342 gemeenten in 25 GGD regions; the codes here are plausible, not real.
AANTAL_GEMEENTEN = 342
AANTAL_REGIOS = 25
ROLLEN = ("voorlichter", "bemiddelaar", "adviseur", "verkenner", "rolmodel", "helper")
TALEN = ("ar", "tr", "ti", "so", "prs", "fa", "uk", "ru", "pl", "am", "ku", "en")
KETENPARTNER_CATEGORIEEN = tuple(
    sorted({c for categorieen in CATEGORIE_VOOR.values() for c in categorieen} | {"overig", "ggd", "welzijn"})
)
SOORTEN_ORGANISATIE = ("ggd", "gemeente", "welzijnsorganisatie", "zorgorganisatie", "migrantenorganisatie")

CONTACT_KOLOMMEN = (
    "id", "organisatie_id", "extern_id", "sleutelpersoon_id", "datum", "gemeentecode", "wijkcode", "kanaal",
    "soort", "aantal_deelnemers", "inwoner_hash", "leeftijdscategorie", "geslacht", "taal", "doelgroep", "rol",
    "duur_minuten", "inhoud_hash", "aangemaakt_op", "gewijzigd_op", "verwijderd_op",
)
TABELLEN: dict[str, tuple[str, ...]] = {
    "contactmoment": CONTACT_KOLOMMEN,
    "contactmoment_onderwerp": ("contactmoment_id", "onderwerp"),
    "contactmoment_actie": ("contactmoment_id", "actie"),
    "doorverwijzing": (
        "id", "organisatie_id", "contactmoment_id", "ketenpartner_id", "onderwerp", "wijze", "status",
        "status_datum", "aangemaakt_op", "gewijzigd_op",
    ),
    "doorverwijzing_status": ("doorverwijzing_id", "status", "status_datum", "vastgelegd_op", "api_sleutel_id"),
    "uitkomst": ("id", "organisatie_id", "contactmoment_id", "doorverwijzing_id", "resultaat", "datum", "aangemaakt_op"),
}
# What the loader writes (`contact_rijen`): also the contact's columns that topic rows and referrals carry
# (migration 0032). The loader runs with triggers off on PostgreSQL, so it fills them itself, as the
# service's writers do (app/contactmomenten/afgeleid.py).
LAAD_TABELLEN: dict[str, tuple[str, ...]] = {
    **TABELLEN,
    "contactmoment_onderwerp": TABELLEN["contactmoment_onderwerp"] + (
        "contact_datum", "contact_gemeentecode", "contact_organisatie_id", "contact_sleutelpersoon_id"),
    "doorverwijzing": TABELLEN["doorverwijzing"] + ("contact_datum", "contact_gemeentecode", "contact_sleutelpersoon_id"),
}


def _tabel(gewichten: dict[str, float], grootte: int = 2000) -> tuple[str, ...]:
    """A lookup table in which each code fills a share of slots equal to its weight: O(1) weighted choice."""
    totaal = sum(gewichten.values())
    slots: list[str] = []
    for code, gewicht in gewichten.items():
        slots += [code] * max(1, round(grootte * gewicht / totaal))
    return tuple(slots)


ONDERWERP_TABEL = _tabel(ONDERWERP_GEWICHTEN)
GROEP_TABEL = _tabel(GROEP_ONDERWERPEN)
KANAAL_TABEL = _tabel(KANALEN)
ACTIE_TABEL = _tabel(ACTIES_BASIS)
RESULTAAT_TABEL = _tabel(RESULTATEN)
LEEFTIJD_TABEL = _tabel(LEEFTIJDEN)
GESLACHT_TABEL = _tabel(GESLACHTEN)
DOELGROEP_TABEL = _tabel(DOELGROEPEN)
PAD_TABEL = _tabel({str(i): gewicht for i, (gewicht, _) in enumerate(STATUS_PADEN)})
AANTAL_ONDERWERPEN = _tabel({"1": 55, "2": 30, "3": 15}, 100)
AANTAL_ACTIES = _tabel({"0": 10, "1": 45, "2": 35, "3": 10}, 100)


@dataclass
class Persoon:
    id: str
    naam: str
    gemeentecode: str
    talen: tuple[str, ...]
    rollen: tuple[str, ...]


@dataclass
class Partner:
    id: str
    naam: str
    categorie: str
    gemeentecode: str


@dataclass
class Organisatie:
    id: str
    naam: str
    soort: str
    gemeentecodes: tuple[str, ...]
    regio: int
    gewicht: float
    begin: date  # first day of its history
    personen: list[Persoon] = field(default_factory=list)
    persoon_tabel: tuple[int, ...] = ()  # indexes into personen, by activity
    partners: list[Partner] = field(default_factory=list)
    partners_per_categorie: dict[str, list[Partner]] = field(default_factory=dict)
    inwoners: list[tuple[str, str, str, str, str, str | None]] = field(default_factory=list)


@dataclass
class Wereld:
    """Organisations with their key persons and partners, and the regions (lists of gemeentecodes)."""

    vandaag: date
    organisaties: list[Organisatie]
    regios: list[tuple[str, ...]]
    org_tabel: tuple[int, ...]  # indexes into organisaties, by share of all contacts


@dataclass
class Contact:
    """One generated contactmoment with its children, before it becomes rows or an API body."""

    id: str
    org: Organisatie
    extern_id: str | None
    persoon: Persoon
    datum: date
    gemeentecode: str
    wijkcode: str | None
    kanaal: str
    soort: str
    aantal_deelnemers: int
    inwoner: tuple[str, str, str, str, str, str | None] | None  # referentie, hash, leeftijd, geslacht, taal, doelgroep
    taal: str | None
    rol: str
    duur: int | None
    onderwerpen: list[str]
    acties: list[str]
    verwijzingen: list[tuple[str, Partner, str, str, tuple[str, ...], date]]  # id, partner, onderwerp, wijze, pad, statusdatum
    uitkomst: tuple[str, str, date] | None  # id, resultaat, datum


class Generator:
    """Deterministic for a seed: the same world and the same contacts every run."""

    def __init__(self, *, seed: int, vandaag: date) -> None:
        self.rng = random.Random(seed)
        self.vandaag = vandaag
        self.volgnummer = 0

    def hex(self, bits: int = 128) -> str:
        return f"{self.rng.getrandbits(bits):0{bits // 4}x}"

    def wereld(self, aantal_contacten: int, *, aantal_organisaties: int | None = None) -> Wereld:
        """Organisations scale with the data (one per ~2,500 contacts, 3 to 1,000)."""
        rng = self.rng
        codes = sorted(rng.sample(range(1, 2000), AANTAL_GEMEENTEN))
        gemeenten = [f"GM{c:04d}" for c in codes]
        per_regio = -(-AANTAL_GEMEENTEN // AANTAL_REGIOS)
        regios = [tuple(gemeenten[i : i + per_regio]) for i in range(0, AANTAL_GEMEENTEN, per_regio)]
        n = aantal_organisaties or min(1000, max(3, aantal_contacten // 2500))
        # Organisation size is skewed: a few large GGDs, many small foundations.
        gewichten = [1 / (rank + 1) ** 0.8 for rank in range(n)]
        organisaties: list[Organisatie] = []
        for i in range(n):
            regio = rng.randrange(len(regios))
            eigen = tuple(rng.sample(regios[regio], min(len(regios[regio]), rng.choice((1, 1, 2, 3)))))
            jaren = rng.uniform(2, 5)
            org = Organisatie(
                id=self.hex(), naam=f"Organisatie {i + 1}", soort=rng.choice(SOORTEN_ORGANISATIE),
                gemeentecodes=eigen, regio=regio, gewicht=gewichten[i],
                begin=self.vandaag - timedelta(days=int(jaren * 365)),
            )
            aantal_personen = max(2, min(40, round(3 + 60 * gewichten[i] * rng.uniform(0.5, 1.5))))
            for k in range(aantal_personen):
                talen = tuple(rng.sample(TALEN, rng.choice((1, 2, 2, 3)))) + ("nl",)
                org.personen.append(Persoon(
                    id=self.hex(), naam=f"Sleutelpersoon {i + 1}-{k + 1}", gemeentecode=rng.choice(eigen),
                    talen=talen, rollen=tuple(rng.sample(ROLLEN, rng.choice((1, 2, 3)))),
                ))
            # Activity of key persons is skewed: a few do most of the contacts.
            org.persoon_tabel = _tabel({str(k): 1 / (k + 1) ** 1.1 for k in range(aantal_personen)}, 500)  # type: ignore[assignment]
            org.persoon_tabel = tuple(int(k) for k in org.persoon_tabel)
            for categorie in KETENPARTNER_CATEGORIEEN:
                for j in range(1 if rng.random() < 0.7 else 2):
                    gemeente = rng.choice(eigen)
                    partner = Partner(
                        id=self.hex(), naam=f"{categorie.capitalize()} {gemeente} {i + 1}.{j + 1}",
                        categorie=categorie, gemeentecode=gemeente,
                    )
                    org.partners.append(partner)
                    org.partners_per_categorie.setdefault(categorie, []).append(partner)
            organisaties.append(org)
        return Wereld(
            vandaag=self.vandaag, organisaties=organisaties, regios=regios,
            org_tabel=tuple(int(k) for k in _tabel({str(i): g for i, g in enumerate(gewichten)}, max(2000, 4 * n))),
        )

    # --- contacts ---------------------------------------------------------------------------

    def _inwoner(self, org: Organisatie, persoon: Persoon) -> tuple[str, str, str, str, str, str | None]:
        """A returning resident (60%, earlier ones more often) or a new one."""
        rng = self.rng
        if org.inwoners and rng.random() < 0.6:
            return org.inwoners[int(len(org.inwoners) * rng.random() ** 1.5)]
        self.volgnummer += 1
        talen = [t for t in persoon.talen if t != "nl"] or ["nl"]
        inwoner = (
            f"client-{self.volgnummer}", self.hex(256), LEEFTIJD_TABEL[int(rng.random() * len(LEEFTIJD_TABEL))],
            GESLACHT_TABEL[int(rng.random() * len(GESLACHT_TABEL))],
            talen[int(rng.random() * len(talen))] if rng.random() < 0.9 else "nl",
            DOELGROEP_TABEL[int(rng.random() * len(DOELGROEP_TABEL))] if rng.random() < 0.8 else None,
        )
        org.inwoners.append(inwoner)
        return inwoner

    @staticmethod
    def _verschillend(rng: random.Random, tabel: Sequence[str], aantal: int) -> list[str]:
        gekozen: list[str] = []
        while len(gekozen) < aantal:
            code = tabel[int(rng.random() * len(tabel))]
            if code not in gekozen:
                gekozen.append(code)
        return gekozen

    def contact(self, wereld: Wereld, *, org: Organisatie | None = None, datum: date | None = None,
                extern_prefix: str = "crm") -> Contact:
        rng = self.rng
        if org is None:
            org = wereld.organisaties[wereld.org_tabel[int(rng.random() * len(wereld.org_tabel))]]
        persoon = org.personen[org.persoon_tabel[int(rng.random() * len(org.persoon_tabel))]]
        if datum is None:
            # More contacts in recent years: the density grows towards today.
            spanne = (wereld.vandaag - org.begin).days
            datum = org.begin + timedelta(days=int(spanne * rng.random() ** 0.7))
        gemeentecode = persoon.gemeentecode if rng.random() < 0.85 else org.gemeentecodes[
            int(rng.random() * len(org.gemeentecodes))]
        wijkcode = f"WK{gemeentecode[2:]}{int(rng.random() * 12):02d}" if rng.random() < 0.6 else None
        self.volgnummer += 1
        extern_id = f"{extern_prefix}-{self.volgnummer}" if rng.random() < 0.8 else None
        verwijzingen: list[tuple[str, Partner, str, str, tuple[str, ...], date]] = []
        if rng.random() < 0.10:
            soort, deelnemers, inwoner = "groep", 5 + int(rng.random() * 36), None
            kanaal = "groepsbijeenkomst"
            onderwerpen = self._verschillend(rng, GROEP_TABEL, 1 if rng.random() < 0.7 else 2)
            acties = ["informatie-gegeven"]
            rol = "voorlichter"
            taal: str | None = persoon.talen[0]
        else:
            soort, deelnemers = "individueel", 1
            inwoner = self._inwoner(org, persoon) if rng.random() < 0.92 else None
            kanaal = KANAAL_TABEL[int(rng.random() * len(KANAAL_TABEL))]
            onderwerpen = self._verschillend(
                rng, ONDERWERP_TABEL, int(AANTAL_ONDERWERPEN[int(rng.random() * len(AANTAL_ONDERWERPEN))]))
            acties = self._verschillend(rng, ACTIE_TABEL, int(AANTAL_ACTIES[int(rng.random() * len(AANTAL_ACTIES))]))
            rol = persoon.rollen[int(rng.random() * len(persoon.rollen))]
            taal = inwoner[4] if inwoner else None
            # 0.278 of the 90% individual contacts: ~25% of all contacts carry a referral.
            if rng.random() < 0.278:
                for onderwerp in onderwerpen[: 1 if rng.random() < 0.9 else 2]:
                    categorieen = CATEGORIE_VOOR.get(onderwerp, ("overig",))
                    kandidaten = org.partners_per_categorie[categorieen[int(rng.random() * len(categorieen))]]
                    partner = kandidaten[int(rng.random() * len(kandidaten))]
                    pad = STATUS_PADEN[int(PAD_TABEL[int(rng.random() * len(PAD_TABEL))])][1]
                    status_datum = min(datum + timedelta(days=int(rng.random() * 60)), wereld.vandaag)
                    verwijzingen.append((
                        self.hex(), partner, onderwerp, "warm" if rng.random() < 0.4 else "informatief",
                        pad, status_datum,
                    ))
                if "doorverwezen" not in acties:
                    acties.append("doorverwezen")
        laag, hoog = DUUR[kanaal]
        duur = laag + 5 * int(rng.random() * ((hoog - laag) // 5 + 1)) if rng.random() < 0.95 else None
        uitkomst = None
        if rng.random() < (0.2 if soort == "groep" else 0.7):
            resultaat = "doorverwezen" if verwijzingen and rng.random() < 0.8 else RESULTAAT_TABEL[
                int(rng.random() * len(RESULTAAT_TABEL))]
            uitkomst = (self.hex(), resultaat, min(datum + timedelta(days=int(rng.random() * 15)), wereld.vandaag))
        return Contact(
            id=self.hex(), org=org, extern_id=extern_id, persoon=persoon, datum=datum, gemeentecode=gemeentecode,
            wijkcode=wijkcode, kanaal=kanaal, soort=soort, aantal_deelnemers=deelnemers, inwoner=inwoner,
            taal=taal, rol=rol, duur=duur, onderwerpen=onderwerpen, acties=acties, verwijzingen=verwijzingen,
            uitkomst=uitkomst,
        )


# --- rows for the database ---------------------------------------------------------------------


def tijdstip(dag: date, dialect: str) -> str:
    """A timestamp as both databases read it back through the models (SQLite: naive UTC)."""
    return f"{dag.isoformat()} 12:00:00.000000" + ("+00" if dialect == "postgresql" else "")


def contact_rijen(c: Contact, dialect: str, rijen: dict[str, list[tuple[Any, ...]]]) -> None:
    """Append the rows of one contact to the per-table lists."""
    moment = tijdstip(c.datum, dialect)
    inwoner = c.inwoner
    rijen["contactmoment"].append((
        c.id, c.org.id, c.extern_id, c.persoon.id, c.datum.isoformat(), c.gemeentecode, c.wijkcode, c.kanaal,
        c.soort, str(c.aantal_deelnemers), inwoner[1] if inwoner else None, inwoner[2] if inwoner else None,
        inwoner[3] if inwoner else None, c.taal, inwoner[5] if inwoner else None, c.rol,
        None if c.duur is None else str(c.duur), c.id + c.id, moment, moment, None,
    ))
    contact_dag = c.datum.isoformat()
    for onderwerp in c.onderwerpen:
        rijen["contactmoment_onderwerp"].append((c.id, onderwerp, contact_dag, c.gemeentecode, c.org.id, c.persoon.id))
    for actie in c.acties:
        rijen["contactmoment_actie"].append((c.id, actie))
    for verwijzing_id, partner, onderwerp, wijze, pad, status_datum in c.verwijzingen:
        rijen["doorverwijzing"].append((
            verwijzing_id, c.org.id, c.id, partner.id, onderwerp, wijze, pad[-1], status_datum.isoformat(),
            moment, tijdstip(status_datum, dialect), contact_dag, c.gemeentecode, c.persoon.id,
        ))
        for stap, status in enumerate(pad):
            dag = c.datum if stap == 0 else status_datum
            rijen["doorverwijzing_status"].append(
                (verwijzing_id, status, dag.isoformat(), tijdstip(dag, dialect), None))
    if c.uitkomst is not None:
        uitkomst_id, resultaat, dag = c.uitkomst
        rijen["uitkomst"].append((uitkomst_id, c.org.id, c.id, None, resultaat, dag.isoformat(), moment))


def lege_rijen() -> dict[str, list[tuple[Any, ...]]]:
    return {tabel: [] for tabel in TABELLEN}


def wereld_rijen(wereld: Wereld, dialect: str, organisaties: Sequence[Organisatie] | None = None
                 ) -> dict[str, tuple[tuple[str, ...], list[tuple[Any, ...]]]]:
    """Rows for organisatie, sleutelpersoon and ketenpartner."""
    moment = tijdstip(wereld.vandaag - timedelta(days=6 * 365), dialect)
    waar = "true" if dialect == "postgresql" else "1"
    orgs, personen, partners = [], [], []
    for org in organisaties if organisaties is not None else wereld.organisaties:
        gemeenten = "[" + ", ".join(f'"{g}"' for g in org.gemeentecodes) + "]"
        orgs.append((org.id, org.naam, org.soort, gemeenten, waar, moment, moment, None))
        for p in org.personen:
            talen = "[" + ", ".join(f'"{t}"' for t in p.talen) + "]"
            rollen = "[" + ", ".join(f'"{r}"' for r in p.rollen) + "]"
            personen.append((p.id, org.id, p.naam, talen, rollen, "[]", "vrijwilliger", p.gemeentecode, waar,
                             moment, moment))
        for k in org.partners:
            partners.append((k.id, org.id, k.naam, k.categorie, k.gemeentecode, waar, moment, moment))
    return {
        "organisatie": (("id", "naam", "soort", "gemeentecodes", "actief", "aangemaakt_op", "gewijzigd_op",
                         "gedeactiveerd_op"), orgs),
        "sleutelpersoon": (("id", "organisatie_id", "weergavenaam", "talen", "rollen", "themas", "dienstverband",
                            "gemeentecode", "actief", "aangemaakt_op", "gewijzigd_op"), personen),
        "ketenpartner": (("id", "organisatie_id", "naam", "categorie", "gemeentecode", "actief", "aangemaakt_op",
                          "gewijzigd_op"), partners),
    }


# --- API bodies -----------------------------------------------------------------------------------


def als_body(c: Contact) -> dict[str, Any]:
    """The contact as a POST /v1/contactmomenten body (also one NDJSON line)."""
    body: dict[str, Any] = {
        "sleutelpersoonId": _uuid(c.persoon.id),
        "datum": c.datum.isoformat(),
        "gemeentecode": c.gemeentecode,
        "kanaal": c.kanaal,
        "soort": c.soort,
        "aantalDeelnemers": c.aantal_deelnemers,
        "rol": c.rol,
        "onderwerpen": c.onderwerpen,
        "acties": c.acties,
    }
    if c.extern_id is not None:
        body["externId"] = c.extern_id
    if c.wijkcode is not None:
        body["wijkcode"] = c.wijkcode
    if c.duur is not None:
        body["duurMinuten"] = c.duur
    if c.inwoner is not None:
        referentie, _, leeftijd, geslacht, taal, doelgroep = c.inwoner
        body["inwonerReferentie"] = referentie
        body["inwoner"] = {"leeftijdscategorie": leeftijd, "geslacht": geslacht, "taal": taal}
        if doelgroep is not None:
            body["inwoner"]["doelgroep"] = doelgroep
    if c.verwijzingen:
        body["doorverwijzingen"] = [
            {"ketenpartnerId": _uuid(partner.id), "onderwerp": onderwerp, "wijze": wijze, "status": pad[-1],
             "statusDatum": status_datum.isoformat()}
            for _, partner, onderwerp, wijze, pad, status_datum in c.verwijzingen
        ]
    if c.uitkomst is not None:
        body["uitkomst"] = {"resultaat": c.uitkomst[1]}
    return body


CSV_KOPPEN = (
    "Datum", "Sleutelpersoon", "Gemeente", "Wijk", "Kanaal", "Soort", "Aantal deelnemers", "Cliëntnummer",
    "Leeftijd", "Geslacht", "Taal", "Doelgroep", "Rol", "Onderwerp", "Actie", "Doorverwezen naar", "Wijze",
    "Resultaat", "Duur (min)",
)


def als_csv_rij(c: Contact) -> list[str]:
    """The contact as a row of a coordinator's spreadsheet: Dutch dates, names instead of ids, no extern id."""
    inwoner = c.inwoner
    return [
        f"{c.datum.day}-{c.datum.month}-{c.datum.year}", c.persoon.naam, c.gemeentecode, c.wijkcode or "",
        c.kanaal, c.soort, str(c.aantal_deelnemers), inwoner[0] if inwoner else "",
        inwoner[2] if inwoner else "", inwoner[3] if inwoner else "", (inwoner[4] if inwoner else "") or "",
        (inwoner[5] if inwoner else "") or "", c.rol, ", ".join(c.onderwerpen), ", ".join(c.acties),
        ", ".join(v[1].naam for v in c.verwijzingen), c.verwijzingen[0][3] if c.verwijzingen else "",
        c.uitkomst[1] if c.uitkomst else "", "" if c.duur is None else str(c.duur),
    ]


def _uuid(hex32: str) -> str:
    return f"{hex32[:8]}-{hex32[8:12]}-{hex32[12:16]}-{hex32[16:20]}-{hex32[20:]}"


def stroom(gen: Generator, wereld: Wereld, aantal: int, *, batch: int, dialect: str
           ) -> Iterator[tuple[int, dict[str, list[tuple[Any, ...]]]]]:
    """Contacts in batches of rows per table: (contacts in this batch, rows)."""
    gedaan = 0
    while gedaan < aantal:
        n = min(batch, aantal - gedaan)
        rijen = lege_rijen()
        for _ in range(n):
            contact_rijen(gen.contact(wereld), dialect, rijen)
        gedaan += n
        yield n, rijen
