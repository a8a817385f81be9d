"""Besluiten: the decisions of the evaluations, each a row with its own id (issue 25, part 4).

An evaluation writes its decisions as a list (POST/PATCH `/v1/evaluaties`); `/v1/besluiten` reads them
across evaluations and changes one decision's status. A list sent to an evaluation keeps the ids of the
decisions it names by id, or that it repeats unchanged (same text, owner and deadline), so a client that
only changes a status there keeps the ids `/v1/besluiten` gave out.
"""

import uuid
from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import and_
from sqlmodel import Session, col, delete, select
from sqlmodel.sql.expression import SelectOfScalar

from app.core import filters as gedeelde_filters
from app.core.errors import OngeldigeInvoer
from app.core.sorting import Sortering
from app.core.validation import vandaag
from app.evaluaties.schemas import BesluitLijstPublic, BesluitStatus, BesluitUpdate
from app.models import Besluit, Evaluatie, EvaluatieDoelstelling, utcnow
from app.toegang import audit, scoping
from app.toegang.caller import Caller

NAAM = "Besluit"
RESOURCE_TYPE = "besluit"

SORTERING = Sortering("Besluit", {
    "deadline": Besluit.deadline,
    "evaluatieDatum": Evaluatie.datum,
    "gewijzigdOp": Besluit.gewijzigd_op,
}, standaard="deadline")


# --- as part of an evaluation ------------------------------------------------------------------


def per_evaluatie(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[Besluit]]:
    """The decisions of these evaluations, in their order."""
    uitkomst: dict[uuid.UUID, list[Besluit]] = defaultdict(list)
    if ids:
        for b in session.exec(select(Besluit).where(col(Besluit.evaluatie_id).in_(ids)).order_by(Besluit.evaluatie_id, Besluit.volgorde)):
            uitkomst[b.evaluatie_id].append(b)
    return uitkomst


def als_dict(b: Besluit) -> dict[str, Any]:
    return {"id": b.id, "tekst": b.tekst, "eigenaar_rol": b.eigenaar_rol, "deadline": b.deadline, "status": b.status}


def _inhoud(item: dict[str, Any]) -> tuple[str, str, str | None]:
    deadline = item.get("deadline")
    return (str(item["tekst"]), str(item["eigenaar_rol"]), deadline.isoformat() if isinstance(deadline, date) else deadline)


def problemen(items: list[dict[str, Any]], bestaande: list[Besluit]) -> list[dict[str, str]]:
    """An id sent must be one of this evaluation's decisions, and at most once."""
    eigen = {b.id for b in bestaande}
    gezien: set[uuid.UUID] = set()
    uit = []
    for i, item in enumerate(items):
        besluit_id = item.get("id")
        if besluit_id is None:
            continue
        if besluit_id not in eigen:
            uit.append({"name": f"besluiten[{i}].id", "reason": "Geen besluit van deze evaluatie; laat het id weg voor een nieuw besluit."})
        elif besluit_id in gezien:
            uit.append({"name": f"besluiten[{i}].id", "reason": "Dit besluit staat al eerder in de lijst."})
        gezien.add(besluit_id)
    return uit


def gelijk(huidig: list[dict[str, Any]], nieuw: list[dict[str, Any]]) -> bool:
    """The list sent describes the stored one (ids compared only where the client sent them)."""
    if len(huidig) != len(nieuw):
        return False
    for oud, item in zip(huidig, nieuw, strict=True):
        if item.get("id") is not None and item["id"] != oud["id"]:
            return False
        if _inhoud(oud) != _inhoud(item) or str(oud["status"]) != str(item["status"]):
            return False
    return True


def schrijf(session: Session, *, evaluatie: Evaluatie, items: list[dict[str, Any]], bestaande: list[Besluit]) -> None:
    """Replace the evaluation's decisions by `items`, keeping the id of each decision named or repeated."""
    vrij = {b.id: b for b in bestaande}
    per_inhoud: dict[tuple[str, str, str | None], list[Besluit]] = defaultdict(list)
    for b in bestaande:
        per_inhoud[_inhoud(als_dict(b))].append(b)
    gekozen: list[Besluit | None] = []
    for item in items:  # first the ids named, then content matches, so a named id is never taken by a repeat
        gekozen.append(vrij.pop(item["id"]) if item.get("id") is not None else None)
    for n, item in enumerate(items):
        if gekozen[n] is None:
            kandidaten = [b for b in per_inhoud[_inhoud(item)] if b.id in vrij]
            if kandidaten:
                gekozen[n] = vrij.pop(kandidaten[0].id)
    for weg in vrij.values():
        session.delete(weg)
    session.flush()
    nu = utcnow()
    for volgorde, (item, besluit) in enumerate(zip(items, gekozen, strict=True)):
        waarden = {"tekst": item["tekst"], "eigenaar_rol": str(item["eigenaar_rol"]), "deadline": item.get("deadline"),
                   "status": str(item.get("status") or BesluitStatus.open)}
        if besluit is None:
            session.add(Besluit(organisatie_id=evaluatie.organisatie_id, evaluatie_id=evaluatie.id, volgorde=volgorde, **waarden))
            continue
        if any(getattr(besluit, k) != v for k, v in waarden.items()):
            besluit.gewijzigd_op = nu
        for k, v in waarden.items():
            setattr(besluit, k, v)
        besluit.volgorde = volgorde
        session.add(besluit)
    session.flush()


def verwijder_van(session: Session, evaluatie_id: uuid.UUID) -> None:
    """Explicitly: SQLite enforces ON DELETE CASCADE only with foreign keys switched on."""
    session.exec(delete(Besluit).where(col(Besluit.evaluatie_id) == evaluatie_id))  # type: ignore[call-overload]


# --- /v1/besluiten ---------------------------------------------------------------------------


def get(session: Session, *, caller: Caller, besluit_id: uuid.UUID) -> Besluit:
    """The caller's decision with this id, or 404 (also another organisation's)."""
    return scoping.haal_eigen(session, Besluit, besluit_id, caller, naam=NAAM)


def te_laat_voorwaarde(peildatum: date) -> Any:
    return and_(col(Besluit.deadline).is_not(None), col(Besluit.deadline) < peildatum, Besluit.status != BesluitStatus.afgerond)


def list_statement(caller: Caller, *, status: str | None = None, eigenaar_rol: str | None = None, deadline_vanaf: date | None = None,
                   deadline_tot: date | None = None, te_laat: bool | None = None, evaluatie: uuid.UUID | None = None,
                   doelstelling: uuid.UUID | None = None, sort: list[Any] | None = None) -> SelectOfScalar[Besluit]:
    """The organisation's decisions with the filters given; `deadline_tot` is inclusive, overdue is as of today."""
    statement = scoping.eigen(select(Besluit), Besluit, caller).join(Evaluatie, col(Evaluatie.id) == Besluit.evaluatie_id)
    peildatum = vandaag()
    statement = gedeelde_filters.gegeven(statement, [
        (status, lambda v: Besluit.status == v),
        (eigenaar_rol, lambda v: Besluit.eigenaar_rol == v),
        (deadline_vanaf, lambda v: col(Besluit.deadline) >= v),
        (deadline_tot, lambda v: col(Besluit.deadline) <= v),
        (te_laat, lambda v: te_laat_voorwaarde(peildatum) if v else ~te_laat_voorwaarde(peildatum)),
        (evaluatie, lambda v: Besluit.evaluatie_id == v),
        (doelstelling, lambda v: col(Besluit.evaluatie_id).in_(
            select(EvaluatieDoelstelling.evaluatie_id).where(EvaluatieDoelstelling.doelstelling_id == v))),
    ])
    # Decisions without a deadline last on both databases (NULL sorts differently on SQLite and PostgreSQL).
    return statement.order_by(col(Besluit.deadline).is_(None), *(sort if sort is not None else SORTERING.standaard),
                              Evaluatie.datum, Besluit.volgorde, Besluit.id)


def publiek(session: Session, besluiten: list[Besluit]) -> list[BesluitLijstPublic]:
    evaluatie_ids = list({b.evaluatie_id for b in besluiten})
    datums: dict[uuid.UUID, date] = {}
    doelen: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    if evaluatie_ids:
        datums = dict(session.exec(select(Evaluatie.id, Evaluatie.datum).where(col(Evaluatie.id).in_(evaluatie_ids))).all())
        for evaluatie_id, doelstelling_id in session.exec(
            select(EvaluatieDoelstelling.evaluatie_id, EvaluatieDoelstelling.doelstelling_id)
            .where(col(EvaluatieDoelstelling.evaluatie_id).in_(evaluatie_ids))
        ):
            doelen[evaluatie_id].append(doelstelling_id)
    peildatum = vandaag()
    return [
        BesluitLijstPublic.model_validate({
            **als_dict(b), "evaluatie_id": b.evaluatie_id, "evaluatie_datum": datums[b.evaluatie_id],
            "doelstellingen": sorted(doelen.get(b.evaluatie_id, []), key=str),
            "te_laat": b.deadline is not None and b.deadline < peildatum and b.status != BesluitStatus.afgerond,
            "gewijzigd_op": b.gewijzigd_op,
        })
        for b in besluiten
    ]


def update(session: Session, *, caller: Caller, besluit: Besluit, data: BesluitUpdate) -> Besluit:
    """Change a decision's status (or deadline); the evaluation counts as changed too (its ETag moves)."""
    changes = data.model_dump(exclude_unset=True, by_alias=False)
    changed = {k: (str(v) if k == "status" else v) for k, v in changes.items() if getattr(besluit, k) != (str(v) if k == "status" else v)}
    if not changed:
        return besluit
    evaluatie = session.get(Evaluatie, besluit.evaluatie_id)
    if evaluatie is None:  # the row cannot outlive its evaluation; a 400 rather than a 500 if it somehow did
        raise OngeldigeInvoer.veld("besluitId", "Dit besluit hoort bij geen evaluatie meer.")
    for naam, waarde in changed.items():
        setattr(besluit, naam, waarde)
    besluit.gewijzigd_op = evaluatie.gewijzigd_op = utcnow()
    session.add_all([besluit, evaluatie])
    session.flush()
    audit.log(session, caller=caller, actie="gewijzigd", resource_type=RESOURCE_TYPE, resource_id=besluit.id,
              velden=sorted(changed))
    return besluit
