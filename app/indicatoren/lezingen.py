"""Reads by every reader but the organisation itself: audited with their parameters, and budgeted per day.

Cell key perturbation gives the same answer to the same cell, but averaging over many overlapping
tables that each hold a target cell still recovers small counts (issue 21, attacks 7 and 7b: some
40 to 110 tables per cell). So, for regional, national and beheer keys and the dashboard pages they
see:

- every read writes one `lees_audit` row with the table's parameters (never a value of the answer);
- a key may read a limited number of distinct tables per local day (`leesbudget_per_dag`); re-reading
  a table it read today is free, and a new table past the budget answers 429 until local midnight;
- `leespatronen` lists keys whose tables of a day hold many near-duplicates (the same table with the
  period one day longer or shorter at one end, or a filter with one value more or less): the shape
  of a differencing or averaging attack, which a dashboard user does not produce.

The row is written in a short transaction of its own, committed before the query runs: a slow or
failing query still leaves its audit row, and the budget check and the insert are serialised per key
(SQLite: the database's single write slot; PostgreSQL: a transaction-scoped advisory lock on the key),
so two requests at once never both take the last table of a budget. When the request's session is
bound to a connection inside an enclosing transaction (the tests), or is a writing request on SQLite
that already holds the write slot, the row is written in the request's transaction instead.
"""

import hashlib
import json
import math
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, func, or_, select, text, true
from sqlmodel import Session

from app.core.config import get_settings
from app.core.db import BUSY_TIMEOUT_SECONDEN, schrijvend_met_wachttijd
from app.core.errors import TeVeelVerzoeken
from app.core.validation import TIJDZONE
from app.models import LeesAudit
from app.toegang.caller import Caller

if TYPE_CHECKING:
    from app.indicatoren.service import Verzoek

TABEL = LeesAudit.__table__
_INSERT = TABEL.insert()
C = TABEL.c

# The refusal recorded for a read past the budget (other refusals are named by the caller).
BUDGET_OP = "dagbudget"
TITEL = "Dagbudget voor regionale tabellen op"
# An arbitrary constant: the first half of the advisory lock's (class, object) pair on PostgreSQL.
_SLOT_KLASSE = 0x5E5B


def nu() -> datetime:
    """The current moment in the Netherlands (a seam for tests of the day boundary)."""
    return datetime.now(TIJDZONE)


def tabel_parameters(verzoek: "Verzoek") -> dict[str, Any]:
    """A table's identity: what the read asked, in canonical form (dimension and filter order do not matter)."""
    return {
        "indicator": verzoek.indicator.code,
        "vanaf": verzoek.periode.vanaf.isoformat(),
        "tot": verzoek.periode.laatste_dag.isoformat(),  # inclusive, as a client writes it
        "interval": verzoek.interval.value if verzoek.interval else None,
        "groeperenOp": sorted(verzoek.groeperen_op),
        "filters": {naam: sorted(waarden) for naam, waarden in sorted(verzoek.filters.items())},
        # Only when asked, so the identity (and hash) of every other table stays as it was.
        **({"alleenGoedgekeurd": True} if verzoek.alleen_goedgekeurd else {}),
    }


def tabel_hash(parameters: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a table's parameters: equal tables, equal hash."""
    canoniek = json.dumps(parameters, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canoniek.encode()).hexdigest()


def registreer(session: Session, *, caller: Caller, verzoek: "Verzoek", geweigerd: str | None = None) -> None:
    """Audit one non-organisation read (parameters only) and enforce the key's daily budget of
    distinct tables; raises a 429 problem (Dutch title/detail, Retry-After until local midnight
    Europe/Amsterdam) when a NEW distinct table would exceed the budget. Re-reading a table already
    read today is free. `geweigerd` (a refusal reason) audits a refused table without spending budget."""
    moment = nu()
    parameters = tabel_parameters(verzoek)
    rij: dict[str, Any] = {
        "tijdstip": moment.astimezone(UTC),
        "api_sleutel_id": caller.sleutel_id,
        "dag": moment.date(),
        "indicator": verzoek.indicator.code,
        "parameters": parameters,
        "tabel_hash": tabel_hash(parameters),
        "nieuw": False,
        "geweigerd": geweigerd[:200] if geweigerd else None,
    }
    budget = get_settings().leesbudget_per_dag
    bind = session.get_bind()
    # A writing request on SQLite already holds the one write slot: a second transaction would wait for it.
    if isinstance(bind, Engine) and not bind.get_execution_options().get("sqlite_immediate"):
        with Session(schrijvend_met_wachttijd(bind, BUSY_TIMEOUT_SECONDEN)) as eigen:
            connection = eigen.connection()
            if connection.dialect.name == "postgresql":
                # The advisory lock waits like a row lock would: an honest 503 (LockNotAvailable) after
                # this. The commit does not wait for the WAL flush (about half the cost of the audit):
                # a crash of the database server may lose the audit rows of its last moment, never
                # leave half of one (SQLite in WAL mode with synchronous=NORMAL does the same).
                connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{int(BUSY_TIMEOUT_SECONDEN * 1000)}ms'; "
                                           "SET LOCAL synchronous_commit = off")
            op = _boek(eigen, rij, budget)
            eigen.commit()
    else:
        # Inside an enclosing transaction (tests), or a writing request on SQLite: in the request's own.
        op = _boek(session, rij, budget)
    if op:
        raise budget_op(budget, moment)


def _boek(session: Session, rij: dict[str, Any], budget: int) -> bool:
    """Write the audit row; True when the read takes a new table past the budget (the row says so)."""
    connection = session.connection()
    sleutel = rij["api_sleutel_id"]
    if rij["geweigerd"] is not None or sleutel is None:
        # A refused table spends nothing; the operator at the command line has no key and no budget.
        connection.execute(_INSERT, rij)
        return False
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(CAST(:klasse AS integer), CAST(:object AS integer))"),
                           {"klasse": _SLOT_KLASSE, "object": _slot(sleutel)})
    # One round trip on one index (ix_lees_audit_budget): "read today already?" (a table answered today
    # has exactly one `nieuw` row) and "how many new tables today?" (at most the budget's entries).
    # `= true`, not `IS TRUE`: PostgreSQL cannot search a btree with IS TRUE.
    nieuw_vandaag = (C.api_sleutel_id == sleutel) & (C.dag == rij["dag"]) & (C.nieuw == true())
    al_gelezen, gebruikt = connection.execute(select(
        select(C.id).where(nieuw_vandaag, C.tabel_hash == rij["tabel_hash"]).limit(1).scalar_subquery(),
        select(func.count()).select_from(TABEL).where(nieuw_vandaag).scalar_subquery(),
    )).one()
    if al_gelezen is None:
        if gebruikt >= budget:
            connection.execute(_INSERT, {**rij, "geweigerd": BUDGET_OP})
            return True
        rij = {**rij, "nieuw": True}
    connection.execute(_INSERT, rij)
    return False


def _slot(sleutel: uuid.UUID) -> int:
    """The key as a signed 32-bit number, the second half of its advisory lock (collisions only serialise)."""
    return int.from_bytes(sleutel.bytes[:4], "big", signed=True)


def seconden_tot_middernacht(moment: datetime) -> int:
    """Seconds from `moment` to the next local midnight, through UTC so a DST change day is 23 or 25 hours."""
    lokaal = moment.astimezone(TIJDZONE)
    middernacht = datetime.combine(lokaal.date() + timedelta(days=1), time(0), tzinfo=TIJDZONE)
    return max(1, math.ceil((middernacht.astimezone(UTC) - lokaal.astimezone(UTC)).total_seconds()))


def budget_op(budget: int, moment: datetime) -> TeVeelVerzoeken:
    """The 429 for a key whose daily budget of distinct tables is spent."""
    seconden = seconden_tot_middernacht(moment)
    uren, minuten = divmod(math.ceil(seconden / 60), 60)
    return TeVeelVerzoeken(
        f"Deze sleutel heeft vandaag al {budget} verschillende tabellen opgevraagd; dat is het maximum per "
        "dag voor cijfers buiten de eigen organisatie. Een tabel die vandaag al is opgevraagd, kunt u "
        "opnieuw opvragen zonder dat die meetelt. Het budget begint opnieuw om middernacht (Nederlandse "
        f"tijd), over {uren} uur en {minuten} minuten. Het budget bestaat omdat veel overlappende tabellen "
        "samen kleine aantallen, en dus personen, kunnen verraden.",
        title=TITEL,
        headers={"Retry-After": str(seconden)},
    )


# --- suspicious patterns ----------------------------------------------------------------------


@dataclass
class Leespatroon:
    """One key's reads of one day, with the near-duplicate pairs among its distinct tables."""

    api_sleutel_id: uuid.UUID
    dag: date
    tabellen: int = 0  # distinct tables answered (what the budget counted)
    dag_buren: int = 0  # pairs: the same table, the period one day longer at one end
    waarde_buren: int = 0  # pairs: the same table, one filter with one value more
    geweigerd: dict[str, int] = field(default_factory=dict)  # refused reads per reason
    voorbeeld: str | None = None  # one pair, to show what the pattern looks like

    @property
    def buren(self) -> int:
        return self.dag_buren + self.waarde_buren


def _vorm(parameters: dict[str, Any], *, zonder: str | None = None) -> str:
    """The table's parameters as one comparable string, optionally without the period or one filter."""
    rest = {k: v for k, v in parameters.items() if k not in ("vanaf", "tot") or zonder != "periode"}
    if zonder and zonder != "periode":
        rest["filters"] = {k: v for k, v in rest["filters"].items() if k != zonder}
    return json.dumps(rest, sort_keys=True, separators=(",", ":"))


def _dag(tekst: str, verschuiving: int) -> str:
    return (date.fromisoformat(tekst) + timedelta(days=verschuiving)).isoformat()


def _tel_buren(patroon: Leespatroon, tabellen: Iterable[dict[str, Any]]) -> None:
    """Count the near-duplicate pairs among one key's distinct tables of one day."""
    lijst = list(tabellen)
    perioden: set[tuple[str, str, str]] = set()
    filterwaarden: dict[tuple[str, str], set[tuple[str, ...]]] = defaultdict(set)
    for p in lijst:
        perioden.add((_vorm(p, zonder="periode"), p["vanaf"], p["tot"]))
        for naam, waarden in p["filters"].items():
            filterwaarden[(_vorm(p, zonder=naam), naam)].add(tuple(waarden))
    for p in lijst:
        vorm = _vorm(p, zonder="periode")
        for buur in ((vorm, _dag(p["vanaf"], 1), p["tot"]), (vorm, p["vanaf"], _dag(p["tot"], 1))):
            if buur in perioden:
                patroon.dag_buren += 1
                patroon.voorbeeld = patroon.voorbeeld or (
                    f"{p['indicator']} {p['vanaf']}..{p['tot']} naast {buur[1]}..{buur[2]}")
        for naam, waarden in p["filters"].items():
            andere = filterwaarden[(_vorm(p, zonder=naam), naam)]
            for weg in waarden:
                kleiner = tuple(w for w in waarden if w != weg)
                if kleiner and kleiner in andere:
                    patroon.waarde_buren += 1
                    patroon.voorbeeld = patroon.voorbeeld or (
                        f"{p['indicator']} {naam}={','.join(waarden)} naast {naam}={','.join(kleiner)}")


def leespatronen(session: Session, *, vanaf: date, tot: date) -> list[Leespatroon]:
    """Per key and day in [vanaf, tot] (inclusive), its distinct tables and near-duplicate pairs; most pairs first."""
    per_sleutel_dag: dict[tuple[uuid.UUID, date], Leespatroon] = {}
    tabellen: dict[tuple[uuid.UUID, date], list[dict[str, Any]]] = defaultdict(list)
    bereik = (C.dag >= vanaf) & (C.dag <= tot) & C.api_sleutel_id.is_not(None)
    # Answered tables, and refused ones too: an analyst probing shapes the table checks refuse (day
    # windows, unions) shows the same near-duplicates, even though none of them was answered.
    gezien: set[tuple[uuid.UUID, date, str]] = set()
    for sleutel, dag, parameters, nieuw, tabel_hash in session.connection().execute(
        select(C.api_sleutel_id, C.dag, C.parameters, C.nieuw, C.tabel_hash)
        .where(bereik, or_(C.nieuw == true(), C.geweigerd.is_not(None)))
    ):
        sleutel = sleutel if isinstance(sleutel, uuid.UUID) else uuid.UUID(str(sleutel))
        patroon = per_sleutel_dag.setdefault((sleutel, dag), Leespatroon(sleutel, dag))
        patroon.tabellen += bool(nieuw)
        if (sleutel, dag, tabel_hash) not in gezien:
            gezien.add((sleutel, dag, tabel_hash))
            tabellen[(sleutel, dag)].append(parameters)
    for sleutel, dag, reden, aantal in session.connection().execute(
        select(C.api_sleutel_id, C.dag, C.geweigerd, func.count())
        .where(bereik, C.geweigerd.is_not(None)).group_by(C.api_sleutel_id, C.dag, C.geweigerd)
    ):
        sleutel = sleutel if isinstance(sleutel, uuid.UUID) else uuid.UUID(str(sleutel))
        per_sleutel_dag.setdefault((sleutel, dag), Leespatroon(sleutel, dag)).geweigerd[reden] = aantal
    for sleutel_dag, patroon in per_sleutel_dag.items():
        _tel_buren(patroon, tabellen[sleutel_dag])
    return sorted(per_sleutel_dag.values(),
                  key=lambda p: (-p.buren, -sum(p.geweigerd.values()), -p.tabellen, p.dag, str(p.api_sleutel_id)))
