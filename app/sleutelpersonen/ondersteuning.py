"""A key person's development plan, conversations and employment history (issue 26, parts 3-4).

Only the organisation reads and writes these (a key person's own device may read its own plan);
they never reach regional figures or exports. Every write is validated in one pass and audited.

Employment is a history of dated periods. Periods of one key person never overlap, and `tot` (the
last day) is never in the future, so the open period is the current one: its kind is kept on
`sleutelpersoon.dienstverband`, the API's old field, after every change of the history.
"""

import uuid
from datetime import date, timedelta
from typing import Any

from pydantic.alias_generators import to_camel
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.codelijsten import service as codelijsten
from app.core.errors import NietGevonden, OngeldigeInvoer
from app.core.validation import vandaag
from app.models import Dienstverband, Gesprek, Ontwikkeldoel, Sleutelpersoon, utcnow
from app.toegang import audit, scoping
from app.toegang.caller import Caller

# Kinds of employment that are paid work (the rest, vrijwilliger and stagiair, are not).
BETAALD = ("betaald", "zzp", "oproepkracht", "parttime", "fulltime")
VRIJWILLIG = ("vrijwilliger",)


def _velden(values: dict[str, Any]) -> list[str]:
    return [to_camel(k) for k, v in values.items() if v is not None]


# --- plan goals and conversations: the same shape -------------------------------------------------


def lijst(session: Session, model: Any, *, caller: Caller, persoon: Sleutelpersoon) -> SelectOfScalar[Any]:
    """The live records of one key person (already loaded within the caller's organisation), newest first."""
    statement = scoping.eigen(select(model), model, caller).where(
        model.sleutelpersoon_id == persoon.id, col(model.verwijderd_op).is_(None))
    return statement.order_by(col(model.datum).desc(), col(model.aangemaakt_op).desc(), model.id)


def get(session: Session, model: Any, *, caller: Caller, persoon: Sleutelpersoon, record_id: uuid.UUID, naam: str) -> Any:
    """One live record of this key person, or 404."""
    record = scoping.zoek_eigen(session, model, record_id, caller)
    if record is None or record.sleutelpersoon_id != persoon.id:
        raise NietGevonden(f"{naam} {record_id} bestaat niet.")
    return record


def _datumregel(values: dict[str, Any], changed: set[str]) -> list[dict[str, str]]:
    datum, streef = values.get("datum"), values.get("streefdatum")
    if datum is not None and streef is not None and streef < datum and changed & {"datum", "streefdatum"}:
        return [{"name": "streefdatum", "reason": f"streefdatum ({streef.isoformat()}) ligt vóór datum ({datum.isoformat()})."}]
    return []


RESOURCE = {Ontwikkeldoel: ("ontwikkeldoel", "Het ontwikkeldoel"), Gesprek: ("gesprek", "Het gesprek")}


def create(session: Session, model: Any, *, caller: Caller, persoon: Sleutelpersoon, data: dict[str, Any]) -> Any:
    """A plan goal or conversation for the key person; audited."""
    resource_type, onderwerp = RESOURCE[model]
    problems = _datumregel(data, set(data))
    if problems:
        raise OngeldigeInvoer.met(problems, onderwerp=onderwerp)
    record = model(organisatie_id=persoon.organisatie_id, sleutelpersoon_id=persoon.id,
                   **{k: (v.value if hasattr(v, "value") else v) for k, v in data.items()})
    session.add(record)
    session.flush()
    audit.log(session, caller=caller, actie="aangemaakt", resource_type=resource_type, resource_id=record.id,
              velden=_velden(data))
    return record


def update(session: Session, *, caller: Caller, record: Any, changes: dict[str, Any]) -> Any:
    """Apply the fields sent; the date rule is checked on the result."""
    resource_type, onderwerp = RESOURCE[type(record)]
    changes = {k: (v.value if hasattr(v, "value") else v) for k, v in changes.items()}
    changed = {k: v for k, v in changes.items() if getattr(record, k) != v}
    if not changed:
        return record
    merged = {k: getattr(record, k) for k in type(record).model_fields} | changed
    problems = _datumregel(merged, set(changed))
    if problems:
        raise OngeldigeInvoer.met(problems, onderwerp=onderwerp)
    audit.apply_changes(session, caller=caller, record=record, changed=changed, resource_type=resource_type)
    return record


def delete(session: Session, *, caller: Caller, record: Any) -> None:
    """Soft-delete: the record answers 404 and counts nowhere."""
    record.verwijderd_op = utcnow()
    record.gewijzigd_op = record.verwijderd_op
    session.add(record)
    session.flush()
    audit.log(session, caller=caller, actie="verwijderd", resource_type=RESOURCE[type(record)][0], resource_id=record.id)


# --- employment history --------------------------------------------------------------------------

DIENSTVERBAND = "dienstverband"


def perioden(session: Session, *, persoon_id: uuid.UUID) -> list[Dienstverband]:
    """A key person's periods, oldest first."""
    return list(session.exec(select(Dienstverband).where(Dienstverband.sleutelpersoon_id == persoon_id)
                             .order_by(Dienstverband.vanaf, Dienstverband.aangemaakt_op)))


def get_periode(session: Session, *, caller: Caller, persoon: Sleutelpersoon, periode_id: uuid.UUID) -> Dienstverband:
    record = scoping.zoek_eigen(session, Dienstverband, periode_id, caller)
    if record is None or record.sleutelpersoon_id != persoon.id:
        raise NietGevonden(f"Dienstverband {periode_id} bestaat niet.")
    return record


def _tekst(p: Dienstverband) -> str:
    return f"{p.soort} van {p.vanaf.isoformat()} tot {p.tot.isoformat() if p.tot else 'nu'}"


def _overlap(a_vanaf: date, a_tot: date | None, b_vanaf: date, b_tot: date | None) -> bool:
    return a_vanaf <= (b_tot or date.max) and b_vanaf <= (a_tot or date.max)


def _controleer(
    session: Session, *, values: dict[str, Any], changed: set[str], anderen: list[Dienstverband], bestaand: Dienstverband | None,
) -> list[dict[str, str]]:
    """Code list, date order, the leaving reason, and no overlap with the other periods."""
    problems: list[dict[str, str]] = []
    if "soort" in changed:
        problems += codelijsten.check_codes(session, lijst=codelijsten.DIENSTVERBAND, values=[("soort", values["soort"])],
                                            allow_inactive=[bestaand.soort] if bestaand else ())
    vanaf, tot = values["vanaf"], values.get("tot")
    if tot is not None and tot < vanaf:
        problems.append({"name": "tot", "reason": f"tot ({tot.isoformat()}) ligt vóór vanaf ({vanaf.isoformat()})."})
    if values.get("uitstroom_reden") is not None:
        if tot is None:
            problems.append({"name": "uitstroomReden", "reason": "Een reden van vertrek hoort bij een afgesloten periode; geef ook tot."})
        elif any(p.vanaf > tot for p in anderen):
            problems.append({"name": "uitstroomReden",
                             "reason": "Na deze periode volgt nog een dienstverband; een reden van vertrek hoort bij de laatste periode."})
    if not problems or all(p["name"] == "uitstroomReden" for p in problems):
        for ander in anderen:
            if _overlap(vanaf, tot, ander.vanaf, ander.tot):
                problems.append({"name": "vanaf" if "vanaf" in changed else "tot",
                                 "reason": f"Deze periode overlapt met het dienstverband {_tekst(ander)}."})
                break
    return problems


def _werk_huidig_bij(session: Session, persoon: Sleutelpersoon) -> None:
    """Keep the key person's `dienstverband` as the kind of the open period (None when all are closed)."""
    open_ = [p for p in perioden(session, persoon_id=persoon.id) if p.tot is None]
    huidig = open_[-1].soort if open_ else None
    if persoon.dienstverband != huidig:
        persoon.dienstverband = huidig
        persoon.gewijzigd_op = utcnow()
        session.add(persoon)
        session.flush()


def voeg_periode_toe(
    session: Session, *, caller: Caller, persoon: Sleutelpersoon, data: dict[str, Any], controleer_datum: bool = True,
) -> Dienstverband:
    """Add a period. A new period after the open one closes that one on the day before: a change of employment."""
    data = {k: (v.value if hasattr(v, "value") else v) for k, v in data.items()}
    alle = perioden(session, persoon_id=persoon.id)
    gesloten: Dienstverband | None = None
    open_ = next((p for p in alle if p.tot is None), None)
    if open_ is not None and open_.vanaf < data["vanaf"]:
        gesloten = open_
    anderen = [p for p in alle if p is not gesloten]
    if gesloten is not None:
        # The open period, as it will be once closed, still must not overlap the new one.
        anderen.append(Dienstverband(soort=gesloten.soort, vanaf=gesloten.vanaf, tot=data["vanaf"] - timedelta(days=1),
                                     organisatie_id=persoon.organisatie_id, sleutelpersoon_id=persoon.id))
    problems = _controleer(session, values=data, changed=set(data), anderen=anderen, bestaand=None)
    if problems:
        raise OngeldigeInvoer.met(problems, onderwerp="Het dienstverband", slot=" Er is niets opgeslagen.")
    if gesloten is not None:
        audit.apply_changes(session, caller=caller, record=gesloten, changed={"tot": data["vanaf"] - timedelta(days=1)},
                            resource_type=DIENSTVERBAND)
    periode = Dienstverband(organisatie_id=persoon.organisatie_id, sleutelpersoon_id=persoon.id, **data)
    session.add(periode)
    session.flush()
    audit.log(session, caller=caller, actie="aangemaakt", resource_type=DIENSTVERBAND, resource_id=periode.id,
              velden=_velden(data))
    _werk_huidig_bij(session, persoon)
    return periode


def wijzig_periode(session: Session, *, caller: Caller, persoon: Sleutelpersoon, periode: Dienstverband,
                   changes: dict[str, Any]) -> Dienstverband:
    """Close (`tot`, with `uitstroomReden` on leaving) or correct a period; no overlap with the others."""
    changes = {k: (v.value if hasattr(v, "value") else v) for k, v in changes.items()}
    changed = {k: v for k, v in changes.items() if getattr(periode, k) != v}
    if not changed:
        return periode
    merged = {"soort": periode.soort, "vanaf": periode.vanaf, "tot": periode.tot,
              "uitstroom_reden": periode.uitstroom_reden} | changed
    anderen = [p for p in perioden(session, persoon_id=persoon.id) if p.id != periode.id]
    problems = _controleer(session, values=merged, changed=set(changed), anderen=anderen, bestaand=periode)
    if problems:
        raise OngeldigeInvoer.met(problems, onderwerp="Het dienstverband", slot=" Er is niets opgeslagen.")
    audit.apply_changes(session, caller=caller, record=periode, changed=changed, resource_type=DIENSTVERBAND)
    _werk_huidig_bij(session, persoon)
    return periode


def wissel_huidig(session: Session, *, caller: Caller, persoon: Sleutelpersoon, soort: str | None) -> None:
    """The old field written (POST or PATCH of a key person): the history follows it.

    A new kind starts today (the open period closes yesterday; one that started today just changes
    kind); null closes the open period today. A first kind starts on the key person's start date.
    """
    alle = perioden(session, persoon_id=persoon.id)
    open_ = next((p for p in alle if p.tot is None), None)
    vandaag_ = vandaag()
    if soort is None:
        if open_ is not None:
            audit.apply_changes(session, caller=caller, record=open_, changed={"tot": max(vandaag_, open_.vanaf)},
                                resource_type=DIENSTVERBAND)
    elif open_ is None:
        vanaf = persoon.actief_vanaf if not alle and persoon.actief_vanaf is not None else vandaag_
        if alle and vanaf <= max(p.tot or p.vanaf for p in alle):
            vanaf = max(p.tot or p.vanaf for p in alle) + timedelta(days=1)
        periode = Dienstverband(organisatie_id=persoon.organisatie_id, sleutelpersoon_id=persoon.id, soort=soort, vanaf=vanaf)
        session.add(periode)
        session.flush()
        audit.log(session, caller=caller, actie="aangemaakt", resource_type=DIENSTVERBAND, resource_id=periode.id,
                  velden=["soort", "vanaf"])
    elif open_.soort != soort:
        if open_.vanaf >= vandaag_:
            audit.apply_changes(session, caller=caller, record=open_, changed={"soort": soort}, resource_type=DIENSTVERBAND)
        else:
            audit.apply_changes(session, caller=caller, record=open_, changed={"tot": vandaag_ - timedelta(days=1)},
                                resource_type=DIENSTVERBAND)
            periode = Dienstverband(organisatie_id=persoon.organisatie_id, sleutelpersoon_id=persoon.id, soort=soort,
                                    vanaf=vandaag_)
            session.add(periode)
            session.flush()
            audit.log(session, caller=caller, actie="aangemaakt", resource_type=DIENSTVERBAND, resource_id=periode.id,
                      velden=["soort", "vanaf"])
    _werk_huidig_bij(session, persoon)
