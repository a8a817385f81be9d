"""The one writer of the contactmoment tables: `schrijf(session, caller=..., rijen=...)`.

Every new contactmoment is written here, with its children and its audit row: a POST (a batch of
one), an import row (a batch of one in a savepoint), the bulk import (a batch of N) and the demo
data. A correction's new topic and action lists are written here too (`vervang_onderwerpen`,
`vervang_acties`). Validation is the caller's; the rows come from `inhoud.nieuwe_rijen` (or the demo generator).
Columns are those of the row dicts, so a column with a server default (none sent) keeps it.
"""

import operator
import uuid
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Dialect, Table
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.contactmomenten.inhoud import Rijen
from app.core import caches, spans
from app.models import (
    Contactmoment,
    ContactmomentActie,
    ContactmomentOnderwerp,
    Doorverwijzing,
    DoorverwijzingStatus,
    Uitkomst,
)
from app.toegang import audit
from app.toegang.caller import Caller

RESOURCE_TYPE = "contactmoment"
# Batches up to this many contactmomenten go through Core statements (one INSERT per contactmoment,
# which skips an externId another writer took); larger ones through COPY (PostgreSQL) or one
# executemany per table (SQLite), where a taken externId raises IntegrityError.
KLEINE_BATCH = 50

_CONTACTMOMENT: Table = Contactmoment.__table__  # type: ignore[assignment]
# The child tables with the attribute of `Rijen` that holds their rows, parents first.
_KINDEREN: tuple[tuple[Table, str], ...] = (
    (ContactmomentOnderwerp.__table__, "onderwerpen"),  # type: ignore[has-type]
    (ContactmomentActie.__table__, "acties"),  # type: ignore[has-type]
    (Doorverwijzing.__table__, "doorverwijzingen"),  # type: ignore[has-type]
    (DoorverwijzingStatus.__table__, "statussen"),  # type: ignore[has-type]
    (Uitkomst.__table__, "uitkomsten"),  # type: ignore[has-type]
)
_INSERTS = {tabel.name: tabel.insert() for tabel, _ in _KINDEREN}


def schrijf(session: Session, *, caller: Caller, rijen: Rijen) -> set[uuid.UUID]:
    """Write new contactmomenten, their children and one audit row each; returns the ids written.

    In a small batch a contactmoment whose externId is already taken (a concurrent post won) is
    skipped with its children, and is missing from the result. A large batch is all or nothing.
    """
    if not rijen:
        return set()
    audit_rijen = [
        audit.regel(
            caller=caller, actie="aangemaakt", resource_type=RESOURCE_TYPE, resource_id=rij["id"], velden=velden,
            organisatie_id=rij["organisatie_id"], tijdstip=rij["aangemaakt_op"],
        )
        for rij, velden in zip(rijen.contactmomenten, rijen.velden or [[]] * len(rijen), strict=True)
    ]
    verbinding = session.connection()
    if len(rijen) > KLEINE_BATCH:
        _schrijf_groot(verbinding, rijen, audit_rijen)
        return {rij["id"] for rij in rijen.contactmomenten}
    # Core statements straight on the session's connection (same transaction): the ORM layer of
    # Session.execute has nothing to add to them and cost a measurable share of a POST.
    insert = _insert_contactmoment(verbinding.dialect.name)
    geschreven = {rij["id"] for rij in rijen.contactmomenten if verbinding.execute(insert, rij).first() is not None}
    if not geschreven:
        return geschreven
    if len(geschreven) < len(rijen):
        rijen = _alleen(rijen, geschreven)
        audit_rijen = [a for a in audit_rijen if uuid.UUID(a["resource_id"]) in geschreven]
    for tabel, naam in _KINDEREN:
        waarden = getattr(rijen, naam)
        if waarden:
            # One row as a single execute, more as executemany; both reuse the cached compiled form.
            verbinding.execute(_INSERTS[tabel.name], waarden[0] if len(waarden) == 1 else waarden)
    with spans.span("audit"):
        audit.log_alle(session, audit_rijen)
    return geschreven


def vervang_onderwerpen(session: Session, contactmoment_id: uuid.UUID, *, oud: list[str], nieuw: list[str]) -> None:
    """A correction's new topic list: delete the topics that went, insert those that came."""
    _vervang(session, ContactmomentOnderwerp, "onderwerp", contactmoment_id, oud, nieuw)


def vervang_acties(session: Session, contactmoment_id: uuid.UUID, *, oud: list[str], nieuw: list[str]) -> None:
    """A correction's new action list: delete the actions that went, insert those that came."""
    _vervang(session, ContactmomentActie, "actie", contactmoment_id, oud, nieuw)


def _vervang(session: Session, model: Any, kolom: str, contactmoment_id: uuid.UUID, oud: list[str], nieuw: list[str]) -> None:
    """Replace a child list by deleting what went and adding what came (the rest stays untouched)."""
    tabel = model.__table__
    weg = set(oud) - set(nieuw)
    if weg:
        session.execute(tabel.delete().where(tabel.c.contactmoment_id == contactmoment_id, tabel.c[kolom].in_(weg)))
    erbij = [{"contactmoment_id": contactmoment_id, kolom: code} for code in nieuw if code not in set(oud)]
    if erbij:
        session.execute(tabel.insert(), erbij)


def _alleen(rijen: Rijen, ids: set[uuid.UUID]) -> Rijen:
    """The rows of the contactmomenten with these ids."""
    verwijzingen = [v for v in rijen.doorverwijzingen if v["contactmoment_id"] in ids]
    verwijzing_ids = {v["id"] for v in verwijzingen}
    return Rijen(
        contactmomenten=[c for c in rijen.contactmomenten if c["id"] in ids],
        onderwerpen=[o for o in rijen.onderwerpen if o["contactmoment_id"] in ids],
        acties=[a for a in rijen.acties if a["contactmoment_id"] in ids],
        doorverwijzingen=verwijzingen,
        statussen=[s for s in rijen.statussen if s["doorverwijzing_id"] in verwijzing_ids],
        uitkomsten=[u for u in rijen.uitkomsten if u["contactmoment_id"] in ids],
    )


@lru_cache(maxsize=4)
def _insert_contactmoment(dialect: str) -> Any:
    """INSERT ... ON CONFLICT (organisatie, externId) DO NOTHING RETURNING id, built once per dialect.

    Executed with a parameter dict, so SQLAlchemy compiles it once and reuses the compiled form.
    """
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    return (
        insert(_CONTACTMOMENT)
        .on_conflict_do_nothing(index_elements=["organisatie_id", "extern_id"])
        .returning(_CONTACTMOMENT.c.id)
    )


def _schrijf_groot(verbinding: Connection, rijen: Rijen, audit_rijen: list[dict[str, Any]]) -> None:
    """One bulk write per table on the session's own DBAPI connection."""
    # These INSERTs bypass SQLAlchemy's statement events: note that the transaction wrote, so a
    # rollback also empties the validation cache (see core.caches).
    caches.schreef(verbinding)
    dbapi = verbinding.connection.dbapi_connection
    assert dbapi is not None
    tabellen: list[tuple[Table, list[dict[str, Any]]]] = [(_CONTACTMOMENT, rijen.contactmomenten)]
    tabellen += [(tabel, getattr(rijen, naam)) for tabel, naam in _KINDEREN]
    tabellen.append((audit.TABEL, audit_rijen))  # type: ignore[arg-type]
    for tabel, waarden in tabellen:
        if waarden:
            _voeg_in(verbinding.dialect, dbapi, tabel, waarden)


_OMZETTERS: dict[tuple[str, str, str], Callable[[Any], Any] | None] = {}


def _als_tupels(dialect: Dialect, tabel: Table, kolommen: tuple[str, ...], waarden: list[dict[str, Any]]) -> list[Any]:
    """The row dicts as DBAPI rows, each value through SQLAlchemy's bind processor of its column.

    A batch repeats most converted values (its one timestamp, the organisation, a few key persons, dates,
    audit field lists), so each column remembers what it converted in this batch: the processor runs once
    per distinct value rather than once per value. Rows are taken from the dicts with one C call each.
    """
    haal = operator.itemgetter(*kolommen)
    rijen: list[Any] = [haal(w) for w in waarden] if len(kolommen) > 1 else [(haal(w),) for w in waarden]
    omzetters = [(i, f) for i, f in enumerate(_omzetter(dialect, tabel, k) for k in kolommen) if f is not None]
    if not omzetters:
        return rijen
    geheugens: list[dict[Any, Any]] = [{} for _ in omzetters]
    uit: list[Any] = []
    for rij in rijen:
        rij = list(rij)
        for (i, f), geheugen in zip(omzetters, geheugens):
            v = rij[i]
            if v is None:
                continue
            sleutel = tuple(v) if isinstance(v, list) else v
            try:
                rij[i] = geheugen[sleutel]
            except KeyError:
                rij[i] = geheugen[sleutel] = f(v)
        uit.append(rij)
    return uit


def _omzetter(dialect: Dialect, tabel: Table, kolom: str) -> Callable[[Any], Any] | None:
    """SQLAlchemy's own bind processor for a column, so values are stored exactly as through the ORM."""
    sleutel = (dialect.name, tabel.name, kolom)
    if sleutel not in _OMZETTERS:
        _OMZETTERS[sleutel] = tabel.c[kolom].type.dialect_impl(dialect).bind_processor(dialect)
    return _OMZETTERS[sleutel]


def _voeg_in(dialect: Dialect, dbapi: Any, tabel: Table, waarden: list[dict[str, Any]]) -> None:
    """One table's rows: COPY on PostgreSQL, executemany on SQLite; columns are those of the first row."""
    kolommen = tuple(waarden[0])
    rijen = _als_tupels(dialect, tabel, kolommen, waarden)
    if dialect.name == "postgresql":
        opdracht = f"COPY {tabel.name} ({', '.join(kolommen)}) FROM STDIN"
    else:
        opdracht = f"INSERT INTO {tabel.name} ({', '.join(kolommen)}) VALUES ({', '.join('?' * len(kolommen))})"
    cursor = dbapi.cursor()
    try:
        if dialect.name == "postgresql":
            with cursor.copy(opdracht) as copy:
                for rij in rijen:
                    copy.write_row(rij)
        else:
            cursor.executemany(opdracht, rijen)
    except dialect.loaded_dbapi.IntegrityError as exc:
        # The driver's own error, as SQLAlchemy would have raised it.
        raise IntegrityError(opdracht, None, exc) from exc
    finally:
        cursor.close()
