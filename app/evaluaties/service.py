"""Evaluaties: evaluation meetings of the organisation, with participants by role, findings and decisions.

Deleting is hard: nothing refers to an evaluation, and it holds no counts; the audit trail keeps the fact.
The goals discussed live in `evaluatie_doelstelling`, so the list can filter on a goal on both databases.
"""

import uuid
from collections import defaultdict
from datetime import date
from typing import Any

from sqlmodel import Session, col, delete, select
from sqlmodel.sql.expression import SelectOfScalar

from app.core import filters as gedeelde_filters
from app.core.errors import OngeldigeInvoer
from app.core.sorting import Sortering
from app.doelstellingen.service import camel, eigen_ids, indicator_problemen
from app.evaluaties import besluiten as besluiten_
from app.evaluaties.schemas import EvaluatieCreate, EvaluatiePublic, EvaluatieUpdate
from app.models import Doelstelling, Ervaringsverhaal, Evaluatie, EvaluatieDoelstelling, utcnow
from app.toegang import audit, scoping
from app.toegang.caller import Caller

NAAM = "Evaluatie"
RESOURCE_TYPE = "evaluatie"

SORTERING = Sortering("Evaluatie", {
    "datum": Evaluatie.datum,
    "aangemaaktOp": Evaluatie.aangemaakt_op,
    "gewijzigdOp": Evaluatie.gewijzigd_op,
}, standaard="-datum")

_JSON = ("deelnemers", "indicatoren", "ervaringsverhalen")


# --- reading ---------------------------------------------------------------------------------


def eigen_statement(caller: Caller) -> SelectOfScalar[Evaluatie]:
    return scoping.eigen(select(Evaluatie), Evaluatie, caller)


def get(session: Session, *, caller: Caller, evaluatie_id: uuid.UUID) -> Evaluatie:
    """The caller's evaluation with this id, or 404 (also another organisation's)."""
    return scoping.haal_eigen(session, Evaluatie, evaluatie_id, caller, naam=NAAM)


def list_statement(statement: SelectOfScalar[Evaluatie], *, doelstelling: uuid.UUID | None = None, datum_vanaf: date | None = None,
                   datum_tot: date | None = None, sort: list[Any] | None = None) -> SelectOfScalar[Evaluatie]:
    """Filters on top of `eigen_statement`; `datum_tot` is inclusive."""
    statement = gedeelde_filters.gegeven(statement, [
        (doelstelling, lambda v: col(Evaluatie.id).in_(
            select(EvaluatieDoelstelling.evaluatie_id).where(EvaluatieDoelstelling.doelstelling_id == v)
        )),
        (datum_vanaf, lambda v: col(Evaluatie.datum) >= v),
        (datum_tot, lambda v: col(Evaluatie.datum) <= v),
    ])
    return statement.order_by(*(sort if sort is not None else SORTERING.standaard), Evaluatie.id)


def _doelstellingen(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[uuid.UUID]]:
    per_evaluatie: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    if ids:
        for evaluatie_id, doelstelling_id in session.exec(
            select(EvaluatieDoelstelling.evaluatie_id, EvaluatieDoelstelling.doelstelling_id)
            .where(col(EvaluatieDoelstelling.evaluatie_id).in_(ids))
        ):
            per_evaluatie[evaluatie_id].append(doelstelling_id)
    return {k: sorted(v, key=str) for k, v in per_evaluatie.items()}


def publiek(session: Session, evaluaties: list[Evaluatie]) -> list[EvaluatiePublic]:
    doelstellingen = _doelstellingen(session, [e.id for e in evaluaties])
    besluiten = besluiten_.per_evaluatie(session, [e.id for e in evaluaties])
    return [
        EvaluatiePublic.model_validate({
            "id": e.id, "datum": e.datum, "deelnemers": e.deelnemers, "doelstellingen": doelstellingen.get(e.id, []),
            "bevindingen": e.bevindingen, "besluiten": [besluiten_.als_dict(b) for b in besluiten.get(e.id, [])], "indicatoren": e.indicatoren,
            "ervaringsverhalen": e.ervaringsverhalen, "aangemaakt_op": e.aangemaakt_op, "gewijzigd_op": e.gewijzigd_op,
        })
        for e in evaluaties
    ]


# --- writing ---------------------------------------------------------------------------------


def _validate(session: Session, *, caller: Caller, values: dict[str, Any], changed: set[str], bestaand: dict[str, Any] | None,
              schemafouten: list[dict[str, str]] = (), bestaande_besluiten: list[Any] = ()) -> None:  # type: ignore[assignment]
    """Goals and stories of the own organisation, known indicators, ids of own decisions; one 400 with every problem."""
    problems: list[dict[str, str]] = list(schemafouten)
    bestaand = bestaand or {}
    if "besluiten" in changed and values.get("besluiten"):
        problems += besluiten_.problemen(values["besluiten"], list(bestaande_besluiten))
    if "doelstellingen" in changed and values.get("doelstellingen"):
        problems += eigen_ids(session, caller=caller, model=Doelstelling, ids=values["doelstellingen"], veld="doelstellingen",
                              naam="doelstelling", bestaand=bestaand.get("doelstellingen", []))
    if "ervaringsverhalen" in changed and values.get("ervaringsverhalen"):
        problems += eigen_ids(session, caller=caller, model=Ervaringsverhaal, ids=values["ervaringsverhalen"],
                              veld="ervaringsverhalen", naam="ervaringsverhaal", bestaand=bestaand.get("ervaringsverhalen", []))
    if "indicatoren" in changed:
        problems += indicator_problemen(values.get("indicatoren"), session=session, caller=caller)
    if problems:
        raise OngeldigeInvoer.met(problems, onderwerp="De evaluatie", slot=" Er is niets opgeslagen.")


def _json(naam: str, waarde: Any) -> Any:
    """A list as stored in its JSON column: enums as strings, dates in ISO form, ids as text."""
    if naam == "ervaringsverhalen":
        return [str(i) for i in waarde]
    if naam == "deelnemers":
        return [
            {k: (v.isoformat() if isinstance(v, date) else str(v) if v is not None and not isinstance(v, int) else v)
             for k, v in item.items()}
            for item in waarde
        ]
    return list(waarde)


def _schrijf_doelstellingen(session: Session, evaluatie: Evaluatie, ids: list[uuid.UUID], *, nieuw: bool) -> None:
    if not nieuw:
        session.exec(delete(EvaluatieDoelstelling).where(col(EvaluatieDoelstelling.evaluatie_id) == evaluatie.id))  # type: ignore[call-overload]
    session.add_all([EvaluatieDoelstelling(evaluatie_id=evaluatie.id, doelstelling_id=i) for i in ids])


def create(session: Session, *, caller: Caller, data: EvaluatieCreate,
           schemafouten: list[dict[str, str]] = ()) -> Evaluatie:  # type: ignore[assignment]
    """Record an evaluation of the caller's organisation."""
    assert caller.organisatie_id is not None
    values = data.model_dump(by_alias=False, warnings=False)
    _validate(session, caller=caller, values=values, changed=set(values), bestaand=None, schemafouten=schemafouten)
    evaluatie = Evaluatie(organisatie_id=caller.organisatie_id, datum=values["datum"], bevindingen=values.get("bevindingen"),
                          **{naam: _json(naam, values[naam]) for naam in _JSON})
    session.add(evaluatie)
    session.flush()
    _schrijf_doelstellingen(session, evaluatie, values["doelstellingen"], nieuw=True)
    session.flush()
    besluiten_.schrijf(session, evaluatie=evaluatie, items=values["besluiten"], bestaande=[])
    audit.log(session, caller=caller, actie="aangemaakt", resource_type=RESOURCE_TYPE, resource_id=evaluatie.id,
              velden=[camel(k) for k, v in values.items() if v not in (None, [])])
    return evaluatie


def _huidig(session: Session, evaluatie: Evaluatie) -> dict[str, Any]:
    publiek_ = publiek(session, [evaluatie])[0]
    return publiek_.model_dump(by_alias=False, include={"datum", "deelnemers", "doelstellingen", "bevindingen", "besluiten",
                                                        "indicatoren", "ervaringsverhalen"})


def _gelijk(naam: str, a: Any, b: Any) -> bool:
    if naam == "besluiten":
        return besluiten_.gelijk(a, b)
    return _json_vorm(a) == _json_vorm(b)


def _json_vorm(waarde: Any) -> Any:
    if isinstance(waarde, list):
        return [_json_vorm(w) for w in waarde]
    if isinstance(waarde, dict):
        return {k: _json_vorm(v) for k, v in waarde.items()}
    return waarde if waarde is None or isinstance(waarde, int) else str(waarde)


def update(session: Session, *, caller: Caller, evaluatie: Evaluatie, data: EvaluatieUpdate) -> Evaluatie:
    """Apply a partial change; a list sent replaces the stored list."""
    huidig = _huidig(session, evaluatie)
    # The fields sent, each whole: `exclude_unset` would also drop the defaults inside a nested item.
    changes = data.model_dump(include=data.model_fields_set, by_alias=False)
    changed = {k: v for k, v in changes.items() if not _gelijk(k, huidig.get(k), v)}
    if not changed:
        return evaluatie
    bestaande_besluiten = besluiten_.per_evaluatie(session, [evaluatie.id]).get(evaluatie.id, [])
    _validate(session, caller=caller, values=huidig | changed, changed=set(changed), bestaand=huidig,
              bestaande_besluiten=bestaande_besluiten)
    for naam, waarde in changed.items():
        if naam in _JSON:
            setattr(evaluatie, naam, _json(naam, waarde))
        elif naam == "besluiten":
            besluiten_.schrijf(session, evaluatie=evaluatie, items=waarde, bestaande=bestaande_besluiten)
        elif naam != "doelstellingen":
            setattr(evaluatie, naam, waarde)
    if "doelstellingen" in changed:
        _schrijf_doelstellingen(session, evaluatie, changed["doelstellingen"], nieuw=False)
    evaluatie.gewijzigd_op = utcnow()
    session.add(evaluatie)
    session.flush()
    audit.log(session, caller=caller, actie="gewijzigd", resource_type=RESOURCE_TYPE, resource_id=evaluatie.id,
              velden=[camel(k) for k in changed])
    return evaluatie


def delete_evaluatie(session: Session, *, caller: Caller, evaluatie: Evaluatie) -> None:
    """Delete an evaluation for good; the audit trail keeps only the fact."""
    evaluatie_id = evaluatie.id
    session.expunge(evaluatie)
    # The link rows explicitly: SQLite enforces ON DELETE CASCADE only with foreign keys switched on.
    session.exec(delete(EvaluatieDoelstelling).where(col(EvaluatieDoelstelling.evaluatie_id) == evaluatie_id))  # type: ignore[call-overload]
    besluiten_.verwijder_van(session, evaluatie_id)
    session.exec(delete(Evaluatie).where(col(Evaluatie.id) == evaluatie_id))  # type: ignore[call-overload]
    session.flush()
    audit.log(session, caller=caller, actie="verwijderd", resource_type=RESOURCE_TYPE, resource_id=evaluatie_id)
