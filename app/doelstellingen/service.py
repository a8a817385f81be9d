"""Doelstellingen: the organisation's goals, with their needs analysis, intended partners and indicators.

Deleting is soft (`verwijderd_op`): evaluations name the goals they discussed, and a goal that is gone
must not make those evaluations unreadable; a deleted goal answers 404 and counts nowhere, and its
externId stays taken (as for inzet).
"""

import hashlib
import json
import uuid
from datetime import date
from typing import Any

from sqlalchemy import or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.core import filters as gedeelde_filters
from app.core import idempotentie
from app.core.errors import OngeldigeInvoer
from app.core.periods import PeriodeFout, parse_periode
from app.core.sorting import Sortering
from app.core.validation import vandaag
from app.doelstellingen.schemas import DoelstellingCreate, DoelstellingPublic, DoelstellingUpdate
from app.indicatoren import eigen as eigen_indicatoren
from app.indicatoren.catalogue import INDICATOREN
from app.models import Doelstelling, Ketenpartner, utcnow
from app.toegang import audit, scoping
from app.toegang.caller import Caller

NAAM = "Doelstelling"
RESOURCE_TYPE = "doelstelling"

SORTERING = Sortering("Doelstelling", {
    "vanaf": Doelstelling.vanaf,
    "titel": Doelstelling.titel,
    "status": Doelstelling.status,
    "aangemaaktOp": Doelstelling.aangemaakt_op,
    "gewijzigdOp": Doelstelling.gewijzigd_op,
}, standaard="-vanaf")

_INHOUD = ("titel", "omschrijving", "behoefteanalyse", "beoogde_ketenpartners", "vanaf", "tot", "status", "indicatoren")


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.capitalize() for p in rest)


# --- shared by doelstellingen and evaluaties -------------------------------------------------------


def periode_grenzen(periode: str | None, datum_vanaf: date | None, datum_tot: date | None,
                    problemen: list[dict[str, str]]) -> tuple[date | None, date | None]:
    """`periode` (2027, 2027Q1, 2027-03, deze-maand, ...) or datumVanaf/datumTot as (first day, last day)."""
    if periode is None:
        return datum_vanaf, datum_tot
    if datum_vanaf is not None or datum_tot is not None:
        problemen.append({"name": "periode", "reason": "Gebruik periode, of datumVanaf en datumTot, niet beide."})
        return datum_vanaf, datum_tot
    try:
        gekozen = parse_periode(periode, today=vandaag())
    except PeriodeFout as exc:
        problemen.append({"name": "periode", "reason": str(exc)})
        return None, None
    return gekozen.vanaf, gekozen.laatste_dag


def indicator_problemen(codes: list[str] | None, *, veld: str = "indicatoren", session: Session | None = None,
                        caller: Caller | None = None) -> list[dict[str, str]]:
    """Codes that name no indicator the caller sees (the catalogue, or with a session and caller also the
    organisation's own active indicators), one problem per code."""
    def bestaat(code: str) -> bool:
        if session is None or caller is None:
            return code in INDICATOREN
        return eigen_indicatoren.vind(session, caller, code) is not None

    return [
        {"name": f"{veld}[{i}]", "reason": f"Onbekende indicator `{code}`; zie /v1/indicatoren."}
        for i, code in enumerate(codes or []) if not bestaat(code)
    ]


def eigen_ids(session: Session, *, caller: Caller, model: Any, ids: list[uuid.UUID], veld: str, naam: str,
              bestaand: list[uuid.UUID] = ()) -> list[dict[str, str]]:  # type: ignore[assignment]
    """Ids that are not a live record of the caller's organisation: another organisation's is as unknown as none.

    Ids already stored on the record stay allowed (a ketenpartner deactivated later does not block a change)."""
    te_zoeken = [i for i in ids if i not in set(bestaand)]
    if not te_zoeken:
        return []
    statement = scoping.eigen(select(model.id).where(col(model.id).in_(te_zoeken)), model, caller)
    if hasattr(model, "verwijderd_op"):
        statement = statement.where(col(model.verwijderd_op).is_(None))
    gevonden = set(session.exec(statement).all())
    return [
        {"name": f"{veld}[{i}]", "reason": f"{naam.capitalize()} {waarde} bestaat niet in de eigen organisatie."}
        for i, waarde in enumerate(ids) if waarde not in gevonden and waarde not in set(bestaand)
    ]


# --- reading ---------------------------------------------------------------------------------


def eigen_statement(caller: Caller) -> SelectOfScalar[Doelstelling]:
    return scoping.eigen(select(Doelstelling), Doelstelling, caller).where(col(Doelstelling.verwijderd_op).is_(None))


def get(session: Session, *, caller: Caller, doelstelling_id: uuid.UUID) -> Doelstelling:
    """The caller's live goal with this id, or 404 (also another organisation's, or a deleted one)."""
    return scoping.haal_eigen(session, Doelstelling, doelstelling_id, caller, naam=NAAM)


def list_statement(statement: SelectOfScalar[Doelstelling], *, status: str | None = None, datum_vanaf: date | None = None,
                   datum_tot: date | None = None, sort: list[Any] | None = None) -> SelectOfScalar[Doelstelling]:
    """Filters on top of `eigen_statement`: a goal matches a period when its term overlaps it (an open end runs on)."""
    statement = gedeelde_filters.gegeven(statement, [
        (status, lambda v: Doelstelling.status == v),
        (datum_tot, lambda v: col(Doelstelling.vanaf) <= v),
        (datum_vanaf, lambda v: or_(col(Doelstelling.tot).is_(None), col(Doelstelling.tot) >= v)),
    ])
    return statement.order_by(*(sort if sort is not None else SORTERING.standaard), Doelstelling.id)


def publiek(d: Doelstelling) -> DoelstellingPublic:
    behoefteanalyse = (
        {"datum": d.behoefteanalyse_datum, "tekst": d.behoefteanalyse_tekst} if d.behoefteanalyse_datum is not None else None
    )
    return DoelstellingPublic.model_validate({
        "id": d.id, "extern_id": d.extern_id, "titel": d.titel, "omschrijving": d.omschrijving,
        "behoefteanalyse": behoefteanalyse, "beoogde_ketenpartners": d.beoogde_ketenpartners, "vanaf": d.vanaf, "tot": d.tot,
        "status": d.status, "indicatoren": d.indicatoren, "aangemaakt_op": d.aangemaakt_op, "gewijzigd_op": d.gewijzigd_op,
    })


# --- writing ---------------------------------------------------------------------------------


def vingerafdruk_van(values: dict[str, Any]) -> str:
    """Fingerprint of the submitted content (without externId): a retry has the same one."""
    inhoud = {k: values.get(k) for k in _INHOUD}
    inhoud["beoogde_ketenpartners"] = sorted(str(i) for i in inhoud["beoogde_ketenpartners"] or [])
    inhoud["indicatoren"] = sorted(inhoud["indicatoren"] or [])
    return hashlib.sha256(json.dumps(inhoud, sort_keys=True, default=str).encode()).hexdigest()


def _validate(session: Session, *, caller: Caller, values: dict[str, Any], changed: set[str], bestaand: Doelstelling | None,
              schemafouten: list[dict[str, str]] = ()) -> None:  # type: ignore[assignment]
    """Partners, indicators and the term; one 400 with the schema's and the rules' problems together."""
    problems: list[dict[str, str]] = list(schemafouten)
    if "beoogde_ketenpartners" in changed and values.get("beoogde_ketenpartners"):
        problems += eigen_ids(session, caller=caller, model=Ketenpartner, ids=values["beoogde_ketenpartners"],
                              veld="beoogdeKetenpartners", naam="ketenpartner",
                              bestaand=[uuid.UUID(str(i)) for i in bestaand.beoogde_ketenpartners] if bestaand else [])
    if "indicatoren" in changed:
        problems += indicator_problemen(values.get("indicatoren"), session=session, caller=caller)
    vanaf, tot = values.get("vanaf"), values.get("tot")
    if changed & {"vanaf", "tot"} and vanaf is not None and tot is not None and tot < vanaf:
        problems.append({"name": "tot", "reason": f"tot ({tot.isoformat()}) ligt vóór vanaf ({vanaf.isoformat()})."})
    if problems:
        raise OngeldigeInvoer.met(problems, onderwerp="De doelstelling", slot=" Er is niets opgeslagen.")


def _kolommen(values: dict[str, Any]) -> dict[str, Any]:
    kolommen = {k: v for k, v in values.items() if k in _INHOUD and k != "behoefteanalyse"}
    if "beoogde_ketenpartners" in kolommen:
        kolommen["beoogde_ketenpartners"] = [str(i) for i in kolommen["beoogde_ketenpartners"]]
    if "status" in kolommen:
        kolommen["status"] = str(kolommen["status"])
    if "behoefteanalyse" in values:
        b = values["behoefteanalyse"]
        kolommen |= {"behoefteanalyse_datum": b["datum"] if b else None, "behoefteanalyse_tekst": b["tekst"] if b else None}
    return kolommen


def _zoek_extern_id(session: Session, *, caller: Caller, extern_id: str) -> Doelstelling | None:
    """The organisation's goal with this externId, deleted ones included (the id stays taken)."""
    statement = select(Doelstelling).where(Doelstelling.organisatie_id == caller.organisatie_id, Doelstelling.extern_id == extern_id)
    return session.exec(statement).first()


def create(session: Session, *, caller: Caller, data: DoelstellingCreate,
           schemafouten: list[dict[str, str]] = ()) -> tuple[Doelstelling, bool]:  # type: ignore[assignment]
    """Record a goal; the same externId and content again returns the existing goal (created False)."""
    assert caller.organisatie_id is not None
    values = data.model_dump(by_alias=False, warnings=False)
    if not schemafouten and data.extern_id is not None and (bestaand := _zoek_extern_id(session, caller=caller, extern_id=data.extern_id)):
        return idempotentie.herhaling(bestaand, naam="doelstelling", extern_id=data.extern_id,
                                      vingerafdruk=vingerafdruk_van(values)), False
    _validate(session, caller=caller, values=values, changed=set(values), bestaand=None, schemafouten=schemafouten)
    doelstelling = Doelstelling(organisatie_id=caller.organisatie_id, extern_id=data.extern_id, inhoud_hash=vingerafdruk_van(values),
                                **_kolommen(values))
    try:
        # A savepoint, so a concurrent POST with the same externId ends up as a retry, not a 500.
        with session.begin_nested():
            session.add(doelstelling)
            session.flush()
    except IntegrityError:
        bestaand = _zoek_extern_id(session, caller=caller, extern_id=data.extern_id) if data.extern_id else None
        if bestaand is None:
            raise
        return idempotentie.herhaling(bestaand, naam="doelstelling", extern_id=str(data.extern_id),
                                      vingerafdruk=vingerafdruk_van(values)), False
    audit.log(session, caller=caller, actie="aangemaakt", resource_type=RESOURCE_TYPE, resource_id=doelstelling.id,
              velden=[camel(k) for k, v in values.items() if v not in (None, [])])
    return doelstelling, True


def _huidig(d: Doelstelling) -> dict[str, Any]:
    behoefteanalyse = (
        {"datum": d.behoefteanalyse_datum, "tekst": d.behoefteanalyse_tekst} if d.behoefteanalyse_datum is not None else None
    )
    return {
        "titel": d.titel, "omschrijving": d.omschrijving, "behoefteanalyse": behoefteanalyse,
        "beoogde_ketenpartners": [uuid.UUID(str(i)) for i in d.beoogde_ketenpartners], "vanaf": d.vanaf, "tot": d.tot,
        "status": d.status, "indicatoren": list(d.indicatoren),
    }


def update(session: Session, *, caller: Caller, doelstelling: Doelstelling, data: DoelstellingUpdate) -> Doelstelling:
    """Apply a partial change, with the rules checked on the result."""
    huidig = _huidig(doelstelling)
    # The fields sent, each whole: `exclude_unset` would also drop the defaults inside a nested item.
    changes = data.model_dump(include=data.model_fields_set, by_alias=False)
    changed = {k: v for k, v in changes.items() if huidig.get(k) != v}
    if not changed:
        return doelstelling
    merged = huidig | changed
    _validate(session, caller=caller, values=merged, changed=set(changed), bestaand=doelstelling)
    for naam, waarde in _kolommen(changed).items():
        setattr(doelstelling, naam, waarde)
    doelstelling.inhoud_hash = vingerafdruk_van(merged)
    doelstelling.gewijzigd_op = utcnow()
    session.add(doelstelling)
    session.flush()
    audit.log(session, caller=caller, actie="gewijzigd", resource_type=RESOURCE_TYPE, resource_id=doelstelling.id,
              velden=[camel(k) for k in changed])
    return doelstelling


def delete(session: Session, *, caller: Caller, doelstelling: Doelstelling) -> None:
    """Soft-delete: the goal answers 404 and is listed nowhere; evaluations that discussed it keep its id."""
    doelstelling.verwijderd_op = utcnow()
    doelstelling.gewijzigd_op = doelstelling.verwijderd_op
    session.add(doelstelling)
    session.flush()
    audit.log(session, caller=caller, actie="verwijderd", resource_type=RESOURCE_TYPE, resource_id=doelstelling.id)


