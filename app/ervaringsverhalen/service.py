"""Ervaringsverhalen: an organisation's own stories, and the shared stories a region may read and export.

Consent, in one place (`_toestemming_problemen` for writing, `deelbaar` for reading): a story told by
an inwoner needs recorded consent; a story is shared beyond its organisation only when it is marked
`gedeeld` and any recorded consent was given. Reading re-checks what writing enforces, so a story
whose consent is later withdrawn (PATCH `toestemming.gegeven=false`) disappears from the region at once.
"""

import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import and_, delete, or_
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.codelijsten import service as codelijsten
from app.core import filters as gedeelde_filters
from app.core.errors import OngeldigeInvoer
from app.core.validation import check_wijk_in_gemeente
from app.ervaringsverhalen.schemas import (
    Bron,
    ErvaringsverhaalCreate,
    ErvaringsverhaalPublic,
    ErvaringsverhaalUpdate,
    GedeeldVerhaal,
)
from app.models import Ervaringsverhaal, ErvaringsverhaalEffect, ErvaringsverhaalOnderwerp, Organisatie, Sleutelpersoon, utcnow
from app.toegang import audit, scoping
from app.toegang.caller import Caller

NAAM = "Ervaringsverhaal"
RESOURCE_TYPE = "ervaringsverhaal"
# A regional export holds at most this many stories; narrow the period for more.
MAX_EXPORT = 5000


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.capitalize() for p in rest)


# --- reading ---------------------------------------------------------------------------------


def deelbaar(verhaal: Any = Ervaringsverhaal.__table__.c) -> Any:
    """SQL: marked as shared, and consent allows it (given where recorded; required for an inwoner).

    `verhaal` is the column collection of the story table or of an alias of it (the indicator query)."""
    return and_(
        verhaal.gedeeld.is_(True),
        or_(
            verhaal.toestemming_gegeven.is_(True),
            and_(verhaal.toestemming_gegeven.is_(None), verhaal.bron != Bron.inwoner.value),
        ),
    )


def eigen_statement(caller: Caller) -> SelectOfScalar[Ervaringsverhaal]:
    return scoping.eigen(select(Ervaringsverhaal), Ervaringsverhaal, caller)


def gedeeld_statement(caller: Caller) -> SelectOfScalar[Ervaringsverhaal]:
    """Shared stories in the regional caller's gemeenten; nothing for a key without gemeenten."""
    if not caller.gemeentecodes:
        return select(Ervaringsverhaal).where(False)  # type: ignore[arg-type]
    return select(Ervaringsverhaal).where(deelbaar(), col(Ervaringsverhaal.gemeentecode).in_(caller.gemeentecodes))


def get(session: Session, *, caller: Caller, verhaal_id: uuid.UUID) -> Ervaringsverhaal:
    return scoping.haal_eigen(session, Ervaringsverhaal, verhaal_id, caller, naam=NAAM)


def list_statement(
    statement: SelectOfScalar[Ervaringsverhaal],
    *,
    gemeente: str | None = None,
    bron: str | None = None,
    effect: str | None = None,
    onderwerp: str | None = None,
    datum_vanaf: date | None = None,
    datum_tot: date | None = None,
) -> SelectOfScalar[Ervaringsverhaal]:
    statement = gedeelde_filters.gegeven(statement, [
        (gemeente, lambda v: Ervaringsverhaal.gemeentecode == v),
        (bron, lambda v: Ervaringsverhaal.bron == v),
        (datum_vanaf, lambda v: col(Ervaringsverhaal.datum) >= v),
        (datum_tot, lambda v: col(Ervaringsverhaal.datum) <= v),
        (effect, lambda v: col(Ervaringsverhaal.id).in_(
            select(ErvaringsverhaalEffect.ervaringsverhaal_id).where(ErvaringsverhaalEffect.effect == v)
        )),
        (onderwerp, lambda v: col(Ervaringsverhaal.id).in_(
            select(ErvaringsverhaalOnderwerp.ervaringsverhaal_id).where(
                gedeelde_filters.onderwerp_filter(ErvaringsverhaalOnderwerp.onderwerp, v)
            )
        )),
    ])
    return statement.order_by(col(Ervaringsverhaal.datum).desc(), Ervaringsverhaal.id)


def _codes(session: Session, verhalen: Sequence[Ervaringsverhaal]) -> tuple[dict[uuid.UUID, list[str]], dict[uuid.UUID, list[str]]]:
    ids = [v.id for v in verhalen]
    onderwerpen: dict[uuid.UUID, list[str]] = defaultdict(list)
    effecten: dict[uuid.UUID, list[str]] = defaultdict(list)
    if ids:
        for verhaal_id, onderwerp in session.exec(
            select(ErvaringsverhaalOnderwerp.ervaringsverhaal_id, ErvaringsverhaalOnderwerp.onderwerp)
            .where(col(ErvaringsverhaalOnderwerp.ervaringsverhaal_id).in_(ids)).order_by(ErvaringsverhaalOnderwerp.onderwerp)
        ):
            onderwerpen[verhaal_id].append(onderwerp)
        volgorde = {code: entry.volgorde for code, entry in codelijsten.lookup(session, lijst=codelijsten.EFFECT).items()}
        for verhaal_id, effect in session.exec(
            select(ErvaringsverhaalEffect.ervaringsverhaal_id, ErvaringsverhaalEffect.effect)
            .where(col(ErvaringsverhaalEffect.ervaringsverhaal_id).in_(ids))
        ):
            effecten[verhaal_id].append(effect)
        for lijst in effecten.values():
            lijst.sort(key=lambda code: (volgorde.get(code, 999), code))
    return onderwerpen, effecten


def _inhoud(v: Ervaringsverhaal, onderwerpen: list[str], effecten: list[str]) -> dict[str, Any]:
    return {
        "id": v.id, "datum": v.datum, "gemeentecode": v.gemeentecode, "wijkcode": v.wijkcode, "bron": v.bron,
        "onderwerpen": onderwerpen, "effecten": effecten, "titel": v.titel, "verhaal": v.verhaal, "citaat": v.citaat,
    }


def publiek(session: Session, verhalen: Sequence[Ervaringsverhaal]) -> list[ErvaringsverhaalPublic]:
    onderwerpen, effecten = _codes(session, verhalen)
    result = []
    for v in verhalen:
        toestemming = (
            {"gegeven": v.toestemming_gegeven, "datum": v.toestemming_datum, "vorm": v.toestemming_vorm}
            if v.toestemming_gegeven is not None else None
        )
        result.append(ErvaringsverhaalPublic.model_validate(_inhoud(v, onderwerpen[v.id], effecten[v.id]) | {
            "sleutelpersoon_id": v.sleutelpersoon_id, "toestemming": toestemming, "gedeeld": v.gedeeld,
            "aangemaakt_op": v.aangemaakt_op, "gewijzigd_op": v.gewijzigd_op,
        }))
    return result


def gedeeld(session: Session, verhalen: Sequence[Ervaringsverhaal]) -> list[GedeeldVerhaal]:
    """The region's view: the organisation's name, never the key person or the consent details."""
    onderwerpen, effecten = _codes(session, verhalen)
    org_ids = {v.organisatie_id for v in verhalen}
    namen = dict(session.exec(select(Organisatie.id, Organisatie.naam).where(col(Organisatie.id).in_(org_ids))).all()) if org_ids else {}
    return [
        GedeeldVerhaal.model_validate(_inhoud(v, onderwerpen[v.id], effecten[v.id]) | {"organisatie_naam": namen.get(v.organisatie_id, "")})
        for v in verhalen
    ]


# --- writing ---------------------------------------------------------------------------------


def _toestemming_problemen(values: dict[str, Any]) -> list[dict[str, str]]:
    """The consent rules for a story's merged values."""
    problems = []
    toestemming = values.get("toestemming")
    if values["bron"] == Bron.inwoner and toestemming is None:
        problems.append({"name": "toestemming", "reason": "Een verhaal van een inwoner vraagt om vastgelegde toestemming (`gegeven`, `datum`, `vorm`)."})
    if values.get("gedeeld"):
        if values["bron"] == Bron.inwoner and (toestemming is None or not toestemming["gegeven"]):
            problems.append({"name": "gedeeld", "reason": "Een verhaal van een inwoner mag alleen gedeeld worden als de inwoner toestemming gaf."})
        elif toestemming is not None and not toestemming["gegeven"]:
            problems.append({"name": "gedeeld", "reason": "Zonder toestemming mag het verhaal niet gedeeld worden."})
    return problems


def _validate(session: Session, *, caller: Caller, values: dict[str, Any], changed: set[str], bestaand: Ervaringsverhaal | None) -> None:
    problems: list[dict[str, str]] = []
    oud_o, oud_e = _codes(session, [bestaand]) if bestaand else ({}, {})
    if "onderwerpen" in changed:
        problems += codelijsten.check_codes(
            session, lijst=codelijsten.ONDERWERP, values=[(f"onderwerpen[{i}]", o) for i, o in enumerate(values["onderwerpen"])],
            allow_inactive=oud_o.get(bestaand.id, []) if bestaand else (),
        )
    if "effecten" in changed:
        problems += codelijsten.check_codes(
            session, lijst=codelijsten.EFFECT, values=[(f"effecten[{i}]", e) for i, e in enumerate(values["effecten"])],
            allow_inactive=oud_e.get(bestaand.id, []) if bestaand else (),
        )
    if changed & {"wijkcode", "gemeentecode"} and (reden := check_wijk_in_gemeente(values.get("wijkcode"), values["gemeentecode"])):
        problems.append({"name": "wijkcode", "reason": reden})
    if "sleutelpersoon_id" in changed and values.get("sleutelpersoon_id") is not None:
        persoon = session.exec(
            scoping.eigen(select(Sleutelpersoon).where(Sleutelpersoon.id == values["sleutelpersoon_id"]), Sleutelpersoon, caller)
        ).first()
        if persoon is None:
            problems.append({"name": "sleutelpersoonId", "reason": "Onbekende sleutelpersoon van de eigen organisatie."})
    problems += _toestemming_problemen(values)
    if problems:
        raise OngeldigeInvoer.met(problems, onderwerp="Het ervaringsverhaal")


def _kolommen(values: dict[str, Any]) -> dict[str, Any]:
    kolommen = {k: v for k, v in values.items() if k not in ("onderwerpen", "effecten", "toestemming")}
    if "bron" in kolommen:
        kolommen["bron"] = str(kolommen["bron"])
    if "toestemming" in values:
        t = values["toestemming"]
        kolommen |= {
            "toestemming_gegeven": t["gegeven"] if t else None,
            "toestemming_datum": t["datum"] if t else None,
            "toestemming_vorm": str(t["vorm"]) if t else None,
        }
    return kolommen


def _schrijf_codes(session: Session, verhaal: Ervaringsverhaal, values: dict[str, Any], *, nieuw: bool) -> None:
    if "onderwerpen" in values:
        if not nieuw:
            session.exec(delete(ErvaringsverhaalOnderwerp).where(col(ErvaringsverhaalOnderwerp.ervaringsverhaal_id) == verhaal.id))  # type: ignore[call-overload]
        session.add_all([ErvaringsverhaalOnderwerp(ervaringsverhaal_id=verhaal.id, onderwerp=o) for o in values["onderwerpen"]])
    if "effecten" in values:
        if not nieuw:
            session.exec(delete(ErvaringsverhaalEffect).where(col(ErvaringsverhaalEffect.ervaringsverhaal_id) == verhaal.id))  # type: ignore[call-overload]
        session.add_all([ErvaringsverhaalEffect(ervaringsverhaal_id=verhaal.id, effect=e) for e in values["effecten"]])


def create(session: Session, *, caller: Caller, data: ErvaringsverhaalCreate) -> Ervaringsverhaal:
    """Record a story of the caller's organisation."""
    assert caller.organisatie_id is not None
    values = data.model_dump(by_alias=False)
    if caller.is_apparaat and values.get("sleutelpersoon_id") is None:
        values["sleutelpersoon_id"] = caller.sleutelpersoon_id  # a key person's device speaks for that person
    _validate(session, caller=caller, values=values, changed=set(values), bestaand=None)
    verhaal = Ervaringsverhaal(organisatie_id=caller.organisatie_id, **_kolommen(values))
    session.add(verhaal)
    session.flush()
    _schrijf_codes(session, verhaal, values, nieuw=True)
    session.flush()
    audit.log(session, caller=caller, actie="aangemaakt", resource_type=RESOURCE_TYPE, resource_id=verhaal.id,
              velden=[_camel(k) for k, v in values.items() if v is not None])
    return verhaal


def _huidig(session: Session, verhaal: Ervaringsverhaal) -> dict[str, Any]:
    onderwerpen, effecten = _codes(session, [verhaal])
    toestemming = (
        {"gegeven": verhaal.toestemming_gegeven, "datum": verhaal.toestemming_datum, "vorm": verhaal.toestemming_vorm}
        if verhaal.toestemming_gegeven is not None else None
    )
    return {
        "datum": verhaal.datum, "gemeentecode": verhaal.gemeentecode, "wijkcode": verhaal.wijkcode, "bron": verhaal.bron,
        "onderwerpen": onderwerpen[verhaal.id], "effecten": effecten[verhaal.id], "titel": verhaal.titel,
        "verhaal": verhaal.verhaal, "citaat": verhaal.citaat, "sleutelpersoon_id": verhaal.sleutelpersoon_id,
        "toestemming": toestemming, "gedeeld": verhaal.gedeeld,
    }


def _gelijk(a: Any, b: Any) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return sorted(a) == sorted(b)
    if isinstance(a, dict) and isinstance(b, dict):
        return {k: str(v) for k, v in a.items()} == {k: str(v) for k, v in b.items()}
    return a == b


def update(session: Session, *, caller: Caller, verhaal: Ervaringsverhaal, data: ErvaringsverhaalUpdate) -> Ervaringsverhaal:
    """Apply a partial change, with the consent rules checked on the result."""
    huidig = _huidig(session, verhaal)
    changes = data.model_dump(exclude_unset=True, by_alias=False)
    changed = {k: v for k, v in changes.items() if not _gelijk(huidig.get(k), v)}
    if not changed:
        return verhaal
    merged = huidig | changed
    _validate(session, caller=caller, values=merged, changed=set(changed), bestaand=verhaal)
    for name, value in _kolommen(changed).items():
        setattr(verhaal, name, value)
    _schrijf_codes(session, verhaal, changed, nieuw=False)
    verhaal.gewijzigd_op = utcnow()
    session.add(verhaal)
    session.flush()
    audit.log(session, caller=caller, actie="gewijzigd", resource_type=RESOURCE_TYPE, resource_id=verhaal.id,
              velden=[_camel(k) for k in changed])
    return verhaal


def _verwijder(session: Session, ids: list[uuid.UUID]) -> None:
    # Children explicitly: SQLite enforces ON DELETE CASCADE only with foreign keys switched on.
    session.exec(delete(ErvaringsverhaalOnderwerp).where(col(ErvaringsverhaalOnderwerp.ervaringsverhaal_id).in_(ids)))  # type: ignore[call-overload]
    session.exec(delete(ErvaringsverhaalEffect).where(col(ErvaringsverhaalEffect.ervaringsverhaal_id).in_(ids)))  # type: ignore[call-overload]
    session.exec(delete(Ervaringsverhaal).where(col(Ervaringsverhaal.id).in_(ids)))  # type: ignore[call-overload]


def delete_verhaal(session: Session, *, caller: Caller, verhaal: Ervaringsverhaal) -> None:
    """Delete a story for good (for instance when consent is withdrawn); the audit trail keeps only the fact."""
    verhaal_id = verhaal.id
    session.expunge(verhaal)
    _verwijder(session, [verhaal_id])
    session.flush()
    audit.log(session, caller=caller, actie="verwijderd", resource_type=RESOURCE_TYPE, resource_id=verhaal_id)


def pas_bewaartermijn_toe(session: Session, *, grens: date, proefdraai: bool = False, caller: Caller) -> dict[uuid.UUID, int]:
    """Delete stories dated before `grens`; counts per organisation."""
    rows = session.exec(select(Ervaringsverhaal.id, Ervaringsverhaal.organisatie_id).where(Ervaringsverhaal.datum < grens)).all()
    aantallen: Counter[uuid.UUID] = Counter(organisatie_id for _, organisatie_id in rows)
    if proefdraai or not rows:
        return dict(aantallen)
    ids = [verhaal_id for verhaal_id, _ in rows]
    for start in range(0, len(ids), 500):
        _verwijder(session, ids[start:start + 500])
    for organisatie_id, aantal in sorted(aantallen.items(), key=lambda item: str(item[0])):
        audit.log(session, caller=caller, actie="bewaartermijn-verlopen", resource_type=RESOURCE_TYPE,
                  organisatie_id=organisatie_id, aantal=aantal)
    session.flush()
    return dict(aantallen)
