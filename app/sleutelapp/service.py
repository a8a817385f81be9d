"""What the app shows a key person of their own work: profile and defaults, code lists, follow-up, my month.

Everything is read for one key person of one organisation (the device session's), with explicit
filters on both, so no query here can reach a colleague's records even before the scoping of
device callers applies. Figures go through the indicator service with the organisation's own
(exact) view and a fixed `sleutelpersoon` filter: the same numbers `/v1/indicatoren/{code}/waarden`
gives the organisation's key filtered on that key person.
"""

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func
from sqlmodel import Session, col, select

from app.codelijsten import service as codelijsten
from app.core.config import get_settings
from app.core.periods import Periode, maand
from app.core.validation import vandaag
from app.doelen import service as doelen
from app.doorverwijzingen.statussen import EINDSTATUSSEN, OVERGANGEN
from app.indicatoren.catalogue import INDICATOREN
from app.indicatoren.dependencies import waarden_verzoek
from app.indicatoren.service import Resultaat, bereken
from app.models import (
    Contactmoment,
    Doel,
    Doorverwijzing,
    Ketenpartner,
    Maandafspraak,
    Organisatie,
    ProfessioneelContact,
    Signaal,
    Sleutelpersoon,
    Uitkomst,
)
from app.models.contactmoment import ContactmomentOnderwerp
from app.toegang.caller import Binding, Caller, Scope

ZOEKWOORDEN = Path(__file__).resolve().parent / "zoekwoorden.yaml"
LANG_OPEN_DAGEN = 30
MEEST_GEBRUIKT = 8
INZET_SOORT = "inzet-soort"


@dataclass(frozen=True)
class Wie:
    """The key person behind a device session."""

    organisatie_id: uuid.UUID
    sleutelpersoon_id: uuid.UUID


@lru_cache(maxsize=1)
def zoekwoorden() -> dict[str, list[str]]:
    """Everyday search words per topic code (the data file beside this module)."""
    with ZOEKWOORDEN.open(encoding="utf-8") as bestand:
        data = yaml.safe_load(bestand) or {}
    return {str(code): [str(w) for w in woorden] for code, woorden in data.items()}


def _codes(session: Session, lijst: str) -> list[dict[str, str]]:
    if lijst not in codelijsten.LIJSTEN:  # a list this version does not have (yet)
        return []
    rijen = codelijsten.list_codes(session, lijst=lijst, actief=True)
    return [{"code": c.code, "label": c.label} for c in rijen]


def codelijsten_voor(session: Session, wie: Wie, persoon: Sleutelpersoon) -> dict[str, Any]:
    """Every active code list the app's forms need, the topics with their search words, and the social map."""
    onderwerpen = codelijsten.list_codes(session, lijst=codelijsten.ONDERWERP, actief=True)
    hoofd = {c.code: c.label for c in onderwerpen if not c.ouder}
    woorden = zoekwoorden()
    organisatie = session.get(Organisatie, wie.organisatie_id)
    gemeentecodes = list(dict.fromkeys([*([persoon.gemeentecode] if persoon.gemeentecode else []),
                                        *(organisatie.gemeentecodes if organisatie else [])]))
    gemeentenamen = codelijsten.labels(session, lijst=codelijsten.GEMEENTE)
    partners = session.exec(
        select(Ketenpartner).where(Ketenpartner.organisatie_id == wie.organisatie_id, col(Ketenpartner.actief).is_(True))
        .order_by(Ketenpartner.naam)
    ).all()
    categorieen = codelijsten.labels(session, lijst=codelijsten.KETENPARTNER_CATEGORIE)
    return {
        "onderwerpen": [
            {"code": c.code, "label": c.label, "ouder": c.ouder,
             "pad": f"{hoofd.get(c.ouder, c.ouder)}: {c.label}" if c.ouder else c.label,
             "zoek": [*c.synoniemen, *woorden.get(c.code, [])]}
            for c in onderwerpen
        ],
        "kanalen": _codes(session, codelijsten.KANAAL),
        "acties": _codes(session, codelijsten.ACTIE),
        "resultaten": _codes(session, codelijsten.RESULTAAT),
        "wijzen": _codes(session, codelijsten.DOORVERWIJZING_WIJZE),
        "statussen": _codes(session, codelijsten.DOORVERWIJZING_STATUS),
        "effecten": _codes(session, codelijsten.EFFECT),
        "inzetSoorten": _codes(session, INZET_SOORT),
        "professioneelSoorten": _codes(session, codelijsten.PROFESSIONEEL_CONTACT_SOORT),
        "gemeenten": [{"code": g, "label": gemeentenamen.get(g, g)} for g in gemeentecodes],
        "ketenpartners": [{"id": str(p.id), "naam": p.naam, "categorie": categorieen.get(p.categorie, p.categorie)}
                          for p in partners],
    }


def _eigen_contacten(wie: Wie) -> Any:
    return select(Contactmoment).where(
        Contactmoment.organisatie_id == wie.organisatie_id, Contactmoment.sleutelpersoon_id == wie.sleutelpersoon_id,
        col(Contactmoment.verwijderd_op).is_(None),
    )


def profiel(session: Session, wie: Wie, persoon: Sleutelpersoon) -> dict[str, Any]:
    """Who the device belongs to, the form's defaults (from the last contact) and the most used topics and partners."""
    laatste = session.exec(
        _eigen_contacten(wie).order_by(col(Contactmoment.datum).desc(), col(Contactmoment.aangemaakt_op).desc()).limit(1)
    ).first()
    organisatie = session.get(Organisatie, wie.organisatie_id)
    gemeentecode = (laatste.gemeentecode if laatste else None) or persoon.gemeentecode or (
        organisatie.gemeentecodes[0] if organisatie and organisatie.gemeentecodes else None)
    # The most used over the last year: a key person's work changes with the seasons and projects.
    sinds = vandaag() - timedelta(days=365)
    recente = _eigen_contacten(wie).where(Contactmoment.datum >= sinds).with_only_columns(col(Contactmoment.id))
    onderwerpen = Counter(dict(session.exec(
        select(ContactmomentOnderwerp.onderwerp, func.count())
        .where(col(ContactmomentOnderwerp.contactmoment_id).in_(recente)).group_by(ContactmomentOnderwerp.onderwerp)
    ).all()))
    verwijzingen = session.exec(
        select(Doorverwijzing.ketenpartner_id, Doorverwijzing.wijze)
        .where(col(Doorverwijzing.contactmoment_id).in_(recente)).order_by(col(Doorverwijzing.aangemaakt_op).desc())
    ).all()
    partners = Counter(str(k) for k, _ in verwijzingen)
    # The professional contact form starts as the last one was: the same kind and the same asking party.
    vorig = session.exec(
        select(ProfessioneelContact).where(
            ProfessioneelContact.organisatie_id == wie.organisatie_id, ProfessioneelContact.sleutelpersoon_id == wie.sleutelpersoon_id,
            col(ProfessioneelContact.verwijderd_op).is_(None))
        .order_by(col(ProfessioneelContact.datum).desc(), col(ProfessioneelContact.aangemaakt_op).desc()).limit(1)
    ).first()
    return {
        "sleutelpersoonId": str(persoon.id),
        "weergavenaam": persoon.weergavenaam,
        "standaard": {
            "gemeentecode": gemeentecode,
            "wijkcode": laatste.wijkcode if laatste else None,
            "kanaal": laatste.kanaal if laatste else None,
            "wijze": verwijzingen[0][1] if verwijzingen else None,
        },
        "standaardProfessioneel": {
            "soort": vorig.soort if vorig else None,
            "aanvrager": vorig.aangevraagd_door_soort if vorig else None,
            "ketenpartnerId": str(vorig.aangevraagd_door_ketenpartner_id) if vorig and vorig.aangevraagd_door_ketenpartner_id else None,
        },
        "meestGebruikt": {
            "onderwerpen": [c for c, _ in sorted(onderwerpen.items(), key=lambda x: (-x[1], x[0]))[:MEEST_GEBRUIKT]],
            "ketenpartners": [k for k, _ in sorted(partners.items(), key=lambda x: (-x[1], x[0]))[:MEEST_GEBRUIKT]],
        },
    }


def opvolgen(session: Session, wie: Wie, *, limiet: int = 100) -> dict[str, Any]:
    """Own open referrals, oldest contact first, and the most recent own contacts (to add an outcome or referral)."""
    vandaag_ = vandaag()
    statussen = codelijsten.labels(session, lijst=codelijsten.DOORVERWIJZING_STATUS)
    onderwerpen = codelijsten.labels(session, lijst=codelijsten.ONDERWERP)
    rijen = session.exec(
        select(Doorverwijzing, Contactmoment.datum, Ketenpartner.naam)
        .join(Contactmoment, Contactmoment.id == Doorverwijzing.contactmoment_id)
        .join(Ketenpartner, Ketenpartner.id == Doorverwijzing.ketenpartner_id)
        .where(Doorverwijzing.organisatie_id == wie.organisatie_id, Contactmoment.organisatie_id == wie.organisatie_id,
               Contactmoment.sleutelpersoon_id == wie.sleutelpersoon_id, col(Contactmoment.verwijderd_op).is_(None),
               col(Doorverwijzing.status).not_in(EINDSTATUSSEN))
        .order_by(Contactmoment.datum, Doorverwijzing.aangemaakt_op, Doorverwijzing.id).limit(limiet)
    ).all()
    verwijzingen = []
    for verwijzing, datum, partner in rijen:
        dagen = (vandaag_ - datum).days
        verwijzingen.append({
            "id": str(verwijzing.id), "datum": datum.isoformat(), "dagenOpen": dagen, "langOpen": dagen > LANG_OPEN_DAGEN,
            "ketenpartner": partner, "onderwerp": onderwerpen.get(verwijzing.onderwerp or "", None),
            "status": verwijzing.status, "statusLabel": statussen.get(verwijzing.status, verwijzing.status),
            "volgende": [{"code": s, "label": statussen.get(s, s)} for s in OVERGANGEN.get(verwijzing.status, ())],
        })
    contacten = session.exec(
        _eigen_contacten(wie).order_by(col(Contactmoment.datum).desc(), col(Contactmoment.aangemaakt_op).desc()).limit(10)
    ).all()
    ids = [c.id for c in contacten]
    per_contact: dict[uuid.UUID, list[str]] = {}
    for cid, code in session.exec(select(ContactmomentOnderwerp.contactmoment_id, ContactmomentOnderwerp.onderwerp)
                                  .where(col(ContactmomentOnderwerp.contactmoment_id).in_(ids))).all():
        per_contact.setdefault(cid, []).append(onderwerpen.get(code, code))
    resultaten = codelijsten.labels(session, lijst=codelijsten.RESULTAAT)
    uitkomsten: dict[uuid.UUID, str] = {}
    for cid, resultaat in session.exec(select(Uitkomst.contactmoment_id, Uitkomst.resultaat)
                                       .where(col(Uitkomst.contactmoment_id).in_(ids))
                                       .order_by(Uitkomst.datum, Uitkomst.aangemaakt_op)).all():
        uitkomsten[cid] = resultaten.get(resultaat, resultaat)
    return {
        "verwijzingen": verwijzingen,
        "contacten": [{"id": str(c.id), "datum": c.datum.isoformat(), "onderwerpen": sorted(per_contact.get(c.id, [])),
                       "uitkomst": uitkomsten.get(c.id)} for c in contacten],
    }


# --- my month ----------------------------------------------------------------------------------


def organisatie_caller(wie: Wie) -> Caller:
    """The organisation's own exact view (as its API key has), for figures fixed to one key person."""
    return Caller(sleutel_id=None, scopes=frozenset({Scope.rapporteren}), binding=Binding.organisatie,
                  organisatie_id=wie.organisatie_id)


def indicator(session: Session, wie: Wie, code: str, *, vanaf: date, tot: date,
              groeperen_op: str | None = None) -> Resultaat:
    """An indicator for [vanaf, tot] (inclusive), for this key person only: the API's request check and service."""
    verzoek = waarden_verzoek(code, vanaf=vanaf.isoformat(), tot=tot.isoformat(), groeperenOp=groeperen_op,
                              sleutelpersoon=str(wie.sleutelpersoon_id))
    settings = get_settings()
    return bereken(session, caller=organisatie_caller(wie), verzoek=verzoek, drempel=settings.suppression_threshold,
                   max_rijen=settings.max_indicator_rows)


def N_(tekst: str) -> str:
    """Marks a msgid of the app's catalogue (extracted by Babel, translated where it is shown)."""
    return tekst


# The figures of "Mijn maand", in the order shown; the names are msgids of the app's catalogue.
MAANDCIJFERS: tuple[tuple[str, str], ...] = (
    ("aantal-contactmomenten", N_("Contacten")),
    ("aantal-hulpvragen", N_("Vragen")),
    ("bereik-inwoners", N_("Inwoners bereikt")),
    ("bereik-groepsdeelnemers", N_("Deelnemers aan groepen")),
    ("aantal-doorverwijzingen", N_("Doorverwijzingen")),
    ("aantal-doorverwijzingen-afgerond", N_("Doorverwijzingen afgerond")),
    ("bestede-uren", N_("Uren in contacten")),
    ("inzet-uren", N_("Gewerkte uren")),
    ("aantal-professionele-contacten", N_("Contacten met professionals")),
    ("bereik-professionals", N_("Professionals bereikt")),
)


def _getal(waarde: float | None) -> float | int:
    if waarde is None:
        return 0
    return int(waarde) if float(waarde).is_integer() else round(float(waarde), 1)


def _totaal(session: Session, wie: Wie, code: str, periode: Periode) -> float | int:
    if code == "aantal-doorverwijzingen-afgerond":
        resultaat = indicator(session, wie, "aantal-doorverwijzingen", vanaf=periode.vanaf, tot=periode.laatste_dag,
                              groeperen_op="status")
        return _getal(sum(r.waarde or 0 for r in resultaat.rijen if r.dimensies.get("status") == "afgerond"))
    return _getal(indicator(session, wie, code, vanaf=periode.vanaf, tot=periode.laatste_dag).rijen[0].waarde)


def vorige(periode: Periode) -> Periode:
    eerder = periode.vanaf - timedelta(days=1)
    return maand(eerder.year, eerder.month)


def mijn_maand(session: Session, wie: Wie, periode: Periode, vertaal: Any) -> dict[str, Any]:
    """Own exact figures of a month beside the month before, own targets against the pace, own signals."""
    ervoor = vorige(periode)
    cijfers = [
        {"code": code, "naam": vertaal(naam), "waarde": _totaal(session, wie, code, periode),
         "vorige": _totaal(session, wie, code, ervoor)}
        for code, naam in MAANDCIJFERS if code in INDICATOREN or code == "aantal-doorverwijzingen-afgerond"
    ]
    per_onderwerp: dict[str, dict[str, Any]] = {}
    for sleutel, p in (("waarde", periode), ("vorige", ervoor)):
        resultaat = indicator(session, wie, "aantal-hulpvragen", vanaf=p.vanaf, tot=p.laatste_dag,
                              groeperen_op="hoofdonderwerp")
        for rij in resultaat.rijen:
            if not rij.waarde:
                continue
            code = rij.dimensies["hoofdonderwerp"]
            regel = per_onderwerp.setdefault(code, {"code": code, "label": rij.labels.get("hoofdonderwerp") or code,
                                                    "waarde": 0, "vorige": 0})
            regel[sleutel] = _getal(rij.waarde)
    signaal_rijen = session.exec(
        select(Signaal).where(Signaal.organisatie_id == wie.organisatie_id,
                              Signaal.sleutelpersoon_id == wie.sleutelpersoon_id, col(Signaal.verwijderd_op).is_(None))
        .order_by(col(Signaal.datum).desc(), col(Signaal.aangemaakt_op).desc()).limit(10)
    ).all()
    return {
        "maand": periode.label, "vorige": ervoor.label,
        "cijfers": cijfers,
        "onderwerpen": sorted(per_onderwerp.values(), key=lambda r: (-r["waarde"], -r["vorige"], r["label"])),
        "doelen": mijn_doelen(session, wie),
        "signalen": [
            {"datum": s.datum.isoformat(), "titel": s.titel, "status": s.status, "terugkoppeling": s.terugkoppeling_tekst}
            for s in signaal_rijen
        ],
        # What the coordinator wrote down in the month's talk (the maandoverzicht), for this month and the one
        # before: the key person sees the same agreements as the printed sheet.
        "afspraken": [
            {"maand": a.maand, "tekst": a.tekst}
            for a in session.exec(
                select(Maandafspraak).where(Maandafspraak.organisatie_id == wie.organisatie_id,
                                            Maandafspraak.sleutelpersoon_id == wie.sleutelpersoon_id,
                                            col(Maandafspraak.maand).in_([periode.label, ervoor.label]))
                .order_by(col(Maandafspraak.maand).desc())
            ).all()
        ],
    }


def mijn_doelen(session: Session, wie: Wie) -> list[dict[str, Any]]:
    """Targets the organisation set for this key person (filter `sleutelpersoon` = them) that run today,
    each with the value so far and the value expected at this point of its period (the pace of the year)."""
    vandaag_ = vandaag()
    eigen = str(wie.sleutelpersoon_id)
    statement = doelen.list_statement(caller=organisatie_caller(wie)).where(
        col(Doel.vanaf) <= vandaag_, col(Doel.tot) > vandaag_)
    uitkomst = []
    for doel in session.exec(statement.limit(50)):
        filters = doel.filters or {}
        if filters.get("sleutelpersoon") != [eigen] or set(filters) - {"sleutelpersoon"}:
            continue
        laatste = doelen.laatste_dag(doel)  # type: ignore[attr-defined]
        waarde = _getal(indicator(session, wie, doel.indicator, vanaf=doel.vanaf, tot=min(laatste, vandaag_)).rijen[0].waarde)
        dagen = (doel.tot - doel.vanaf).days
        verstreken = (vandaag_ - doel.vanaf).days + 1
        verwacht = round(doel.waarde * verstreken / dagen, 1) if dagen > 0 else doel.waarde
        uitkomst.append({
            "indicator": doel.indicator, "naam": INDICATOREN[doel.indicator].naam if doel.indicator in INDICATOREN
            else doel.indicator, "periode": doel.periode, "doel": _getal(doel.waarde), "waarde": waarde,
            "verwacht": _getal(verwacht), "opSchema": waarde >= verwacht,
        })
    return uitkomst
