"""Inzet: hours a key person worked per day, by kind; idempotent by externId, at most 24 hours a day.

Hours are stored as whole minutes. The day rule (all live inzet of one key person on one day
together at most 24 hours) is checked under a lock on the key person's row (PostgreSQL; on SQLite a
writing request holds the database's one write slot), so two concurrent posts cannot both pass it.
"""

import calendar
import hashlib
import json
import uuid
from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.codelijsten import service as codelijsten
from app.core import filters as gedeelde_filters
from app.core import idempotentie
from app.core.errors import Conflict, OngeldigeInvoer
from app.core.periods import maand
from app.core.sorting import Sortering
from app.inzet.schemas import (
    KWARTIER,
    MAX_UREN_PER_DAG,
    InzetCreate,
    InzetPublic,
    InzetUpdate,
    UrenPerMaand,
)
from app.models import Inzet, Sleutelpersoon, utcnow
from app.rapportage import slot
from app.projecten import service as projecten
from app.toegang import audit, scoping
from app.toegang.caller import Caller

NAAM = "Inzet"
RESOURCE_TYPE = "inzet"
MAX_MINUTEN_PER_DAG = MAX_UREN_PER_DAG * 60

SORTERING = Sortering("Inzet", {
    "datum": Inzet.datum,
    "uren": Inzet.minuten,
    "aangemaaktOp": Inzet.aangemaakt_op,
    "gewijzigdOp": Inzet.gewijzigd_op,
}, standaard="-datum")

# The fields a client sends (API attribute -> value as stored), in the fingerprint's order.
_INHOUD = ("sleutelpersoon_id", "datum", "uren", "soort", "gemeentecode", "toelichting")


def minuten(uren: float) -> int:
    return round(uren * 60)


def uren(minuten_: int) -> float:
    return minuten_ / 60


# --- reading ---------------------------------------------------------------------------------


def eigen_statement(caller: Caller) -> SelectOfScalar[Inzet]:
    """The caller's live inzet (a device session: its own key person's only, see toegang.scoping)."""
    return scoping.eigen(select(Inzet), Inzet, caller).where(col(Inzet.verwijderd_op).is_(None))


def get(session: Session, *, caller: Caller, inzet_id: uuid.UUID) -> Inzet:
    """The caller's live inzet with this id, or 404 (also another organisation's, or a deleted one)."""
    return scoping.haal_eigen(session, Inzet, inzet_id, caller, naam=NAAM)


def list_statement(
    statement: SelectOfScalar[Inzet],
    *,
    sleutelpersoon: uuid.UUID | None = None,
    soort: str | None = None,
    datum_vanaf: date | None = None,
    datum_tot: date | None = None,
    sort: list[Any] | None = None,
) -> SelectOfScalar[Inzet]:
    """Filters and order on top of `eigen_statement`; `datum_tot` is inclusive."""
    statement = gedeelde_filters.gegeven(statement, [
        (sleutelpersoon, lambda v: Inzet.sleutelpersoon_id == v),
        (soort, lambda v: Inzet.soort == v),
        (datum_vanaf, lambda v: col(Inzet.datum) >= v),
        (datum_tot, lambda v: col(Inzet.datum) <= v),
    ])
    return statement.order_by(*(sort if sort is not None else SORTERING.standaard), Inzet.id)


def publiek(inzet: Inzet) -> InzetPublic:
    return InzetPublic(
        id=inzet.id, extern_id=inzet.extern_id, sleutelpersoon_id=inzet.sleutelpersoon_id, datum=inzet.datum,
        uren=uren(inzet.minuten), soort=inzet.soort, gemeentecode=inzet.gemeentecode, toelichting=inzet.toelichting,
        project_id=inzet.project_id, aangemaakt_op=inzet.aangemaakt_op, gewijzigd_op=inzet.gewijzigd_op,
    )


# --- writing ---------------------------------------------------------------------------------


def vingerafdruk_van(values: dict[str, Any]) -> str:
    """Fingerprint of the submitted content (without externId): a retry has the same one."""
    inhoud = {k: values.get(k) for k in _INHOUD}
    inhoud["uren"] = minuten(inhoud["uren"]) if inhoud["uren"] is not None else None
    if values.get("project_id") is not None:  # without a project: the fingerprint from before projects (issue 26)
        inhoud["project_id"] = values["project_id"]
    return hashlib.sha256(json.dumps(inhoud, sort_keys=True, default=str).encode()).hexdigest()


def _eigen_persoon(session: Session, *, caller: Caller, sleutelpersoon_id: uuid.UUID, vergrendel: bool) -> Sleutelpersoon | None:
    """The caller's key person, locked for the rest of the transaction when asked (the day rule)."""
    statement = scoping.eigen(select(Sleutelpersoon).where(Sleutelpersoon.id == sleutelpersoon_id), Sleutelpersoon, caller)
    if vergrendel:
        statement = statement.with_for_update()
    return session.exec(statement).first()


def _dagtotaal(session: Session, *, sleutelpersoon_id: uuid.UUID, datum: date, zonder: uuid.UUID | None) -> int:
    """Minutes of live inzet of a key person on a day, leaving out the record being corrected."""
    statement = select(func.coalesce(func.sum(Inzet.minuten), 0)).where(
        Inzet.sleutelpersoon_id == sleutelpersoon_id, Inzet.datum == datum, col(Inzet.verwijderd_op).is_(None),
    )
    if zonder is not None:
        statement = statement.where(Inzet.id != zonder)
    return int(session.exec(statement).one())


def _getal(minuten_: int) -> str:
    """Hours in Dutch notation: 7,5 or 24."""
    tekst = f"{minuten_ / 60:.2f}".rstrip("0").rstrip(".")
    return tekst.replace(".", ",")


def _validate(session: Session, *, caller: Caller, values: dict[str, Any], changed: set[str], bestaand: Inzet | None) -> Sleutelpersoon | None:
    """Code list, key person and the day rule; one 400 with every problem. Returns the key person."""
    problems: list[dict[str, str]] = []
    if "soort" in changed:
        problems += codelijsten.check_codes(
            session, lijst=codelijsten.INZET_SOORT, values=[("soort", values["soort"])],
            allow_inactive=[bestaand.soort] if bestaand else (),
        )
    persoon = _eigen_persoon(session, caller=caller, sleutelpersoon_id=values["sleutelpersoon_id"], vergrendel=True)
    if persoon is None:
        problems.append({"name": "sleutelpersoonId", "reason": f"Sleutelpersoon {values['sleutelpersoon_id']} bestaat niet."})
    elif changed & {"sleutelpersoon_id", "datum", "uren"}:
        eerder = _dagtotaal(session, sleutelpersoon_id=persoon.id, datum=values["datum"], zonder=bestaand.id if bestaand else None)
        erbij = minuten(values["uren"])
        if eerder + erbij > MAX_MINUTEN_PER_DAG:
            dag = values["datum"].isoformat()
            problems.append({
                "name": "uren",
                "reason": f"Op {dag} staat al {_getal(eerder)} uur; met {_getal(erbij)} uur erbij wordt dat "
                f"{_getal(eerder + erbij)} uur, meer dan {MAX_UREN_PER_DAG} uur op één dag. Er kan op {dag} nog "
                f"hoogstens {_getal(MAX_MINUTEN_PER_DAG - eerder)} uur bij.",
            })
    if "project_id" in changed:
        problems += projecten.controleer_project(session, caller=caller, project_id=values.get("project_id"))
    if problems:
        raise OngeldigeInvoer.met(problems, onderwerp="De inzet", slot=" Er is niets opgeslagen.")
    return persoon


def _zoek_extern_id(session: Session, *, caller: Caller, extern_id: str) -> Inzet | None:
    """The organisation's inzet with this externId, deleted ones included (the id stays taken).

    Looked up in the whole organisation, not the device's own view: an externId is unique per
    organisation, and a colleague's record with it must answer 409, never be written over."""
    statement = select(Inzet).where(Inzet.organisatie_id == caller.organisatie_id, Inzet.extern_id == extern_id)
    return session.exec(statement).first()


def _herhaling(session: Session, *, caller: Caller, bestaand: Inzet, vingerafdruk: str) -> Inzet:
    """A retry returns the caller's stored record; anything else (other content, a colleague's) is a 409."""
    zichtbaar = session.exec(scoping.eigen(select(Inzet).where(Inzet.id == bestaand.id), Inzet, caller)).first()
    if zichtbaar is None:
        raise Conflict(f"Het externId `{bestaand.extern_id}` is in de organisatie al in gebruik; gebruik een ander externId.",
                       code="externid-in-gebruik")
    return idempotentie.herhaling(bestaand, naam="inzetrecord", extern_id=str(bestaand.extern_id), vingerafdruk=vingerafdruk,
                                  wijzig="Corrigeer")


def create(session: Session, *, caller: Caller, data: InzetCreate) -> tuple[Inzet, bool]:
    """Record hours; the same externId and content again returns the existing record (created False)."""
    assert caller.organisatie_id is not None
    values = data.model_dump(by_alias=False)
    vingerafdruk = vingerafdruk_van(values)
    if data.extern_id is not None and (bestaand := _zoek_extern_id(session, caller=caller, extern_id=data.extern_id)):
        return _herhaling(session, caller=caller, bestaand=bestaand, vingerafdruk=vingerafdruk), False
    persoon = _validate(session, caller=caller, values=values, changed=set(values), bestaand=None)
    assert persoon is not None
    slot.controleer(session, organisatie_id=caller.organisatie_id, datums=[data.datum])
    inzet = Inzet(
        organisatie_id=caller.organisatie_id, extern_id=data.extern_id, sleutelpersoon_id=data.sleutelpersoon_id,
        datum=data.datum, minuten=minuten(data.uren), soort=data.soort,
        gemeentecode=data.gemeentecode or persoon.gemeentecode, toelichting=data.toelichting, inhoud_hash=vingerafdruk,
        project_id=data.project_id,
    )
    try:
        # A savepoint, so a concurrent POST with the same externId ends up as a retry, not a 500.
        with session.begin_nested():
            session.add(inzet)
            session.flush()
    except IntegrityError:
        assert data.extern_id is not None
        bestaand = _zoek_extern_id(session, caller=caller, extern_id=data.extern_id)
        if bestaand is None:
            raise
        return _herhaling(session, caller=caller, bestaand=bestaand, vingerafdruk=vingerafdruk), False
    audit.log(session, caller=caller, actie="aangemaakt", resource_type=RESOURCE_TYPE, resource_id=inzet.id,
              velden=[_camel(k) for k, v in values.items() if v is not None])
    return inzet, True


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.capitalize() for p in rest)


def _huidig(inzet: Inzet) -> dict[str, Any]:
    return {
        "sleutelpersoon_id": inzet.sleutelpersoon_id, "datum": inzet.datum, "uren": uren(inzet.minuten),
        "soort": inzet.soort, "gemeentecode": inzet.gemeentecode, "toelichting": inzet.toelichting,
        "project_id": inzet.project_id,
    }


def update(session: Session, *, caller: Caller, inzet: Inzet, data: InzetUpdate) -> Inzet:
    """Correct the fields sent, with the rules checked on the result."""
    huidig = _huidig(inzet)
    changes = data.model_dump(exclude_unset=True, by_alias=False)
    changed = {k: v for k, v in changes.items() if huidig.get(k) != v}
    if not changed:
        return inzet
    merged = huidig | changed
    _validate(session, caller=caller, values=merged, changed=set(changed), bestaand=inzet)
    slot.controleer(session, organisatie_id=inzet.organisatie_id, datums=[inzet.datum, merged["datum"]])
    for naam, waarde in changed.items():
        if naam == "uren":
            inzet.minuten = minuten(waarde)
        else:
            setattr(inzet, naam, waarde)
    # After a correction the fingerprint describes the record as it now stands.
    inzet.inhoud_hash = vingerafdruk_van(merged)
    inzet.gewijzigd_op = utcnow()
    session.add(inzet)
    session.flush()
    audit.log(session, caller=caller, actie="gewijzigd", resource_type=RESOURCE_TYPE, resource_id=inzet.id,
              velden=[_camel(k) for k in changed])
    return inzet


def delete(session: Session, *, caller: Caller, inzet: Inzet) -> None:
    """Soft-delete: the hours count nowhere any more and the record answers 404; the externId stays taken."""
    slot.controleer(session, organisatie_id=inzet.organisatie_id, datums=[inzet.datum])
    inzet.verwijderd_op = utcnow()
    inzet.gewijzigd_op = inzet.verwijderd_op
    session.add(inzet)
    session.flush()
    audit.log(session, caller=caller, actie="verwijderd", resource_type=RESOURCE_TYPE, resource_id=inzet.id)


# --- hours against contract hours --------------------------------------------------------------


def contracturen(uren_per_week: float | None, jaar: int, maand_: int) -> float | None:
    """Contract hours in a month: hours per week × (days in the month ÷ 7), to the nearest quarter hour."""
    if uren_per_week is None:
        return None
    dagen = calendar.monthrange(jaar, maand_)[1]
    return round(uren_per_week * dagen / 7 / KWARTIER) * KWARTIER


def uren_per_maand(session: Session, *, caller: Caller, jaar: int, maand_: int,
                   sleutelpersoon: uuid.UUID | None = None) -> list[UrenPerMaand]:
    """Per key person of the caller (active ones, and any with hours in the month): hours vs contract hours."""
    periode = maand(jaar, maand_)
    personen_statement = scoping.eigen(select(Sleutelpersoon), Sleutelpersoon, caller)
    if sleutelpersoon is not None:
        personen_statement = personen_statement.where(Sleutelpersoon.id == sleutelpersoon)
    personen = list(session.exec(personen_statement.order_by(Sleutelpersoon.weergavenaam, Sleutelpersoon.id)))
    som_statement = (
        select(Inzet.sleutelpersoon_id, Inzet.soort, func.sum(Inzet.minuten))
        .where(Inzet.datum >= periode.vanaf, Inzet.datum < periode.tot, col(Inzet.verwijderd_op).is_(None))
        .group_by(Inzet.sleutelpersoon_id, Inzet.soort)
    )
    som_statement = scoping.eigen(som_statement, Inzet, caller)
    per_soort: dict[uuid.UUID, dict[str, int]] = defaultdict(dict)
    for persoon_id, soort, som in session.exec(som_statement):
        per_soort[persoon_id][soort] = int(som or 0)
    volgorde = {code: entry.volgorde for code, entry in codelijsten.lookup(session, lijst=codelijsten.INZET_SOORT).items()}
    resultaat = []
    for persoon in personen:
        if not persoon.actief and persoon.id not in per_soort:
            continue
        soorten = per_soort.get(persoon.id, {})
        totaal = uren(sum(soorten.values()))
        contract = contracturen(persoon.uren_per_week, jaar, maand_)
        resultaat.append(UrenPerMaand(
            sleutelpersoon_id=persoon.id, weergavenaam=persoon.weergavenaam, maand=f"{jaar}-{maand_:02d}", uren=totaal,
            uren_per_soort={s: uren(m) for s, m in sorted(soorten.items(), key=lambda i: (volgorde.get(i[0], 999), i[0]))},
            uren_per_week=persoon.uren_per_week, contracturen=contract,
            percentage=round(100 * totaal / contract, 1) if contract else None,
        ))
    return resultaat
