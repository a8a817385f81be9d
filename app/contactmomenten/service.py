"""Contactmomenten: register (idempotent by externId), read, list, correct and soft-delete."""

import hashlib
import json
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from itertools import chain
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine, event, exists, inspect, or_
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import ORMExecuteState, make_transient_to_detached
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.codelijsten import service as codelijsten
from app.contactmomenten.schemas import ContactmomentCreate, ContactmomentPublic, Inwoner
from app.core.config import get_settings
from app.core.errors import Conflict, OngeldigeInvoer, validation_params
from app.core.pagination import sortering
from app.core.security import pseudonymise
from app.core.validation import check_wijk_in_gemeente
from app.doorverwijzingen.schemas import DoorverwijzingPublic
from app.ketenpartners import service as ketenpartners
from app.models import (
    Code,
    Contactmoment,
    ContactmomentActie,
    ContactmomentOnderwerp,
    Doorverwijzing,
    DoorverwijzingStatus,
    Uitkomst,
    utcnow,
)
from app.sleutelpersonen import service as sleutelpersonen
from app.toegang import audit, scoping
from app.toegang.caller import Caller
from app.uitkomsten.schemas import UitkomstPublic

NAAM = "Contactmoment"
RESOURCE_TYPE = "contactmoment"

SORTEERVELDEN: dict[str, Any] = {
    "datum": Contactmoment.datum,
    "aangemaaktOp": Contactmoment.aangemaakt_op,
    "gewijzigdOp": Contactmoment.gewijzigd_op,
}

# Resident characteristics: stored as flat columns, exposed as the `inwoner` object.
INWONER_VELDEN = ("leeftijdscategorie", "geslacht", "taal", "doelgroep")

# Fields of a contactmoment a correction (PATCH) may change, by their Python name.
EIGEN_VELDEN = (
    "extern_id",
    "sleutelpersoon_id",
    "datum",
    "gemeentecode",
    "wijkcode",
    "kanaal",
    "soort",
    "aantal_deelnemers",
    "rol",
    "duur_minuten",
)


# Key in the ORM instance state of a record `registreer` just created: its children, for the response.
_NIEUWE_KINDEREN = "contactmomenten.nieuwe_kinderen"


@dataclass
class Kinderen:
    """The embedded children of one contactmoment."""

    onderwerpen: list[str] = field(default_factory=list)
    acties: list[str] = field(default_factory=list)
    doorverwijzingen: list[Doorverwijzing] = field(default_factory=list)
    uitkomst: Uitkomst | None = None


# --- Fingerprints and pseudonyms -------------------------------------------------------------


def referentie_hash(*, organisatie_id: uuid.UUID, referentie: str) -> str:
    """The pseudonym stored for a resident reference: HMAC under the organisation's key."""
    return pseudonymise(get_settings().secret_key, organisatie_id, referentie)


def inhoud_hash(inhoud: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a contactmoment's content (see `inhoud_van_invoer`)."""
    canoniek = json.dumps(
        inhoud, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    return hashlib.sha256(canoniek.encode()).hexdigest()


def _canoniek(inhoud: dict[str, Any]) -> dict[str, Any]:
    # Order carries no meaning in these lists, so a retry that lists them differently is the same content.
    inhoud["onderwerpen"] = sorted(inhoud["onderwerpen"])
    inhoud["acties"] = sorted(inhoud["acties"])
    inhoud["doorverwijzingen"] = sorted(
        inhoud["doorverwijzingen"], key=lambda d: json.dumps(d, sort_keys=True, default=str)
    )
    return inhoud


def inhoud_van_invoer(data: ContactmomentCreate, *, inwoner_hash: str | None) -> dict[str, Any]:
    """Canonical content of a submitted contactmoment: defaults filled in, the reference replaced by its HMAC."""
    inhoud = data.model_dump(mode="json", by_alias=True)
    inhoud["inwonerReferentie"] = inwoner_hash
    inhoud["inwoner"] = inhoud["inwoner"] or {naam: None for naam in INWONER_VELDEN}
    for verwijzing in inhoud["doorverwijzingen"]:
        verwijzing["statusDatum"] = verwijzing["statusDatum"] or inhoud["datum"]
    return _canoniek(inhoud)


def inhoud_van_record(record: Contactmoment, kinderen: Kinderen) -> dict[str, Any]:
    """Canonical content of a stored contactmoment, in the same shape as `inhoud_van_invoer`."""
    inhoud: dict[str, Any] = {
        "externId": record.extern_id,
        "sleutelpersoonId": str(record.sleutelpersoon_id),
        "datum": record.datum.isoformat(),
        "gemeentecode": record.gemeentecode,
        "wijkcode": record.wijkcode,
        "kanaal": record.kanaal,
        "soort": record.soort,
        "aantalDeelnemers": record.aantal_deelnemers,
        "inwonerReferentie": record.inwoner_hash,
        "inwoner": {naam: getattr(record, naam) for naam in INWONER_VELDEN},
        "rol": record.rol,
        "duurMinuten": record.duur_minuten,
        "onderwerpen": list(kinderen.onderwerpen),
        "acties": list(kinderen.acties),
        "doorverwijzingen": [
            {
                "ketenpartnerId": str(d.ketenpartner_id),
                "onderwerp": d.onderwerp,
                "wijze": d.wijze,
                "status": d.status,
                "statusDatum": d.status_datum.isoformat(),
            }
            for d in kinderen.doorverwijzingen
        ],
        "uitkomst": {"resultaat": kinderen.uitkomst.resultaat} if kinderen.uitkomst else None,
    }
    return _canoniek(inhoud)


# --- Reading ---------------------------------------------------------------------------------


def laad_kinderen(session: Session, *, ids: list[uuid.UUID]) -> dict[uuid.UUID, Kinderen]:
    """Embedded children for a set of contactmomenten: one query per child table, not per record."""
    kinderen: dict[uuid.UUID, Kinderen] = {i: Kinderen() for i in ids}
    if not ids:
        return kinderen
    for onderwerp in session.exec(
        select(ContactmomentOnderwerp)
        .where(col(ContactmomentOnderwerp.contactmoment_id).in_(ids))
        .order_by(ContactmomentOnderwerp.onderwerp)
    ):
        kinderen[onderwerp.contactmoment_id].onderwerpen.append(onderwerp.onderwerp)
    for actie in session.exec(
        select(ContactmomentActie)
        .where(col(ContactmomentActie.contactmoment_id).in_(ids))
        .order_by(ContactmomentActie.actie)
    ):
        kinderen[actie.contactmoment_id].acties.append(actie.actie)
    for verwijzing in session.exec(
        select(Doorverwijzing)
        .where(col(Doorverwijzing.contactmoment_id).in_(ids))
        .order_by(Doorverwijzing.aangemaakt_op, Doorverwijzing.id)
    ):
        kinderen[verwijzing.contactmoment_id].doorverwijzingen.append(verwijzing)
    # Oldest first, so the last one assigned per contactmoment is the latest outcome.
    for uitkomst in session.exec(
        select(Uitkomst)
        .where(col(Uitkomst.contactmoment_id).in_(ids))
        .order_by(Uitkomst.datum, Uitkomst.aangemaakt_op, Uitkomst.id)
    ):
        kinderen[uitkomst.contactmoment_id].uitkomst = uitkomst
    return kinderen


def publiek(record: Contactmoment, kinderen: Kinderen) -> ContactmomentPublic:
    """The public representation: never the resident reference or its hash."""
    return ContactmomentPublic(
        id=record.id,
        extern_id=record.extern_id,
        sleutelpersoon_id=record.sleutelpersoon_id,
        datum=record.datum,
        gemeentecode=record.gemeentecode,
        wijkcode=record.wijkcode,
        kanaal=record.kanaal,
        soort=record.soort,
        aantal_deelnemers=record.aantal_deelnemers,
        heeft_inwoner_referentie=record.inwoner_hash is not None,
        inwoner=Inwoner(**{naam: getattr(record, naam) for naam in INWONER_VELDEN}),
        rol=record.rol,
        duur_minuten=record.duur_minuten,
        onderwerpen=kinderen.onderwerpen,
        acties=kinderen.acties,
        doorverwijzingen=[
            DoorverwijzingPublic.model_validate(d) for d in kinderen.doorverwijzingen
        ],
        uitkomst=UitkomstPublic.model_validate(kinderen.uitkomst) if kinderen.uitkomst else None,
        aangemaakt_op=record.aangemaakt_op,
        gewijzigd_op=record.gewijzigd_op,
    )


def publiek_een(session: Session, *, record: Contactmoment) -> ContactmomentPublic:
    """The public representation of one contactmoment, children loaded (or as `registreer` just wrote them)."""
    kinderen = inspect(record).info.pop(_NIEUWE_KINDEREN, None)
    if kinderen is None:
        kinderen = laad_kinderen(session, ids=[record.id])[record.id]
    return publiek(record, kinderen)


def publiek_lijst(session: Session, *, records: list[Contactmoment]) -> list[ContactmomentPublic]:
    """The public representations of a page of contactmomenten, children loaded per table."""
    kinderen = laad_kinderen(session, ids=[r.id for r in records])
    return [publiek(r, kinderen[r.id]) for r in records]


def get(session: Session, *, caller: Caller, contactmoment_id: uuid.UUID) -> Contactmoment:
    """The caller's contactmoment with this id, or 404 (also when soft-deleted)."""
    return scoping.haal_eigen(session, Contactmoment, contactmoment_id, caller, naam=NAAM)


def get_own(
    session: Session, *, caller: Caller, contactmoment_id: uuid.UUID
) -> Contactmoment | None:
    """The caller's contactmoment with this id (not soft-deleted), or None; never raises."""
    statement = scoping.eigen(
        select(Contactmoment).where(Contactmoment.id == contactmoment_id), Contactmoment, caller
    )
    return session.exec(statement.where(col(Contactmoment.verwijderd_op).is_(None))).first()


def zoek_extern_id(session: Session, *, caller: Caller, extern_id: str) -> Contactmoment | None:
    """The caller's contactmoment with this externId, soft-deleted ones included (the id stays taken)."""
    statement = scoping.eigen(
        select(Contactmoment).where(Contactmoment.extern_id == extern_id), Contactmoment, caller
    )
    return session.exec(statement).first()


def onderwerp_filter(column: Any, onderwerp: str) -> Any:
    """Match a topic code or any of its children: `geld` matches `geld` and `geld.toeslagen`."""
    return or_(column == onderwerp, col(column).startswith(f"{onderwerp}.", autoescape=True))


def controleer_filters(
    session: Session,
    *,
    codes: Iterable[tuple[str, str, str | None]] = (),
    periodes: Iterable[tuple[str, date | None, str, date | None]] = (),
) -> None:
    """Refuse unknown codes and reversed date ranges in list filters, all at once.

    A typo in a filter should be a 400, not an empty page that looks like "no data".
    `codes` holds (query key, code list, value); `periodes` (from key, from, to key, to).
    """
    problems: list[dict[str, str]] = []
    for naam, lijst, waarde in codes:
        if waarde is not None:
            # A deactivated code still finds the old records that carry it.
            problems += codelijsten.check_codes(
                session, lijst=lijst, values=[(naam, waarde)], allow_inactive=[waarde]
            )
    for vanaf_naam, vanaf, tot_naam, tot in periodes:
        if vanaf is not None and tot is not None and tot < vanaf:
            problems.append(
                {
                    "name": tot_naam,
                    "reason": f"{tot_naam} ({tot.isoformat()}) ligt vóór {vanaf_naam} ({vanaf.isoformat()}).",
                }
            )
    if problems:
        raise OngeldigeInvoer.met(problems, onderwerp="De zoekparameters", bevat="bevatten")


def list_statement(
    *,
    caller: Caller,
    datum_vanaf: date | None = None,
    datum_tot: date | None = None,
    sleutelpersoon: uuid.UUID | None = None,
    gemeente: str | None = None,
    wijk: str | None = None,
    onderwerp: str | None = None,
    kanaal: str | None = None,
    soort: str | None = None,
    extern_id: str | None = None,
    gewijzigd_sinds: datetime | None = None,
    sort: str | None = None,
) -> SelectOfScalar[Contactmoment]:
    """The filtered, ordered select of the caller's live contactmomenten (paginated by the router)."""
    statement = scoping.eigen(select(Contactmoment), Contactmoment, caller).where(
        col(Contactmoment.verwijderd_op).is_(None)
    )
    if datum_vanaf is not None:
        statement = statement.where(Contactmoment.datum >= datum_vanaf)
    if datum_tot is not None:
        statement = statement.where(Contactmoment.datum <= datum_tot)
    if sleutelpersoon is not None:
        statement = statement.where(Contactmoment.sleutelpersoon_id == sleutelpersoon)
    if gemeente is not None:
        statement = statement.where(Contactmoment.gemeentecode == gemeente)
    if wijk is not None:
        statement = statement.where(Contactmoment.wijkcode == wijk)
    if onderwerp is not None:
        statement = statement.where(
            exists().where(
                ContactmomentOnderwerp.contactmoment_id == Contactmoment.id,
                onderwerp_filter(ContactmomentOnderwerp.onderwerp, onderwerp),
            )
        )
    if kanaal is not None:
        statement = statement.where(Contactmoment.kanaal == kanaal)
    if soort is not None:
        statement = statement.where(Contactmoment.soort == soort)
    if extern_id is not None:
        statement = statement.where(Contactmoment.extern_id == extern_id)
    if gewijzigd_sinds is not None:
        if gewijzigd_sinds.tzinfo is None:
            raise OngeldigeInvoer.veld(
                "gewijzigdSinds",
                "Geef een tijdstip met tijdzone (RFC 3339), bijv. 2025-03-14T10:00:00Z.",
            )
        statement = statement.where(Contactmoment.gewijzigd_op >= gewijzigd_sinds)
    order = sortering(sort, allowed=SORTEERVELDEN, default="-datum")
    return statement.order_by(*order, Contactmoment.id)


# --- Validation ------------------------------------------------------------------------------

# Every code list a contactmoment uses.
CODELIJSTEN = (
    codelijsten.ONDERWERP,
    codelijsten.ACTIE,
    codelijsten.KANAAL,
    codelijsten.SOORT_CONTACT,
    codelijsten.ROL,
    codelijsten.LEEFTIJDSCATEGORIE,
    codelijsten.GESLACHT,
    codelijsten.DOELGROEP,
    codelijsten.DOORVERWIJZING_WIJZE,
    codelijsten.DOORVERWIJZING_STATUS,
    codelijsten.RESULTAAT,
)
# How long a worker keeps using the code lists it read: a code deactivated through this process
# is refused at once, through another worker or replica within this many seconds.
CODELIJST_CACHE_SECONDEN = 10.0


@dataclass(frozen=True)
class CodeRegel:
    """A code-list entry as validation, mapping and labels read it: a light stand-in for a `Code` row."""

    lijst: str
    code: str
    label: str
    ouder: str | None
    synoniemen: tuple[str, ...]
    volgorde: int
    actief: bool


class _Geheugen:
    """What validation read before, shared by all sessions of this process.

    Loading the eleven code lists and looking up the key person took a quarter of a POST's time
    (measured with scripts/bench.py). Code lists are kept for CODELIJST_CACHE_SECONDEN; key persons
    and partners are never deleted, so that one exists stays true. Everything is forgotten when a
    transaction that wrote rolls back (what was read may have been its own uncommitted rows), and
    the code lists on any change to them.
    """

    MAXIMUM_EIGEN = 100_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._codes: tuple[float, dict[str, dict[str, CodeRegel]]] | None = None
        self._eigen: set[tuple[str, Any, uuid.UUID]] = set()

    def codes(self) -> dict[str, dict[str, CodeRegel]] | None:
        gelezen = self._codes
        if gelezen is None or time.monotonic() - gelezen[0] > CODELIJST_CACHE_SECONDEN:
            return None
        return gelezen[1]

    def bewaar_codes(self, codes: dict[str, dict[str, CodeRegel]]) -> None:
        self._codes = (time.monotonic(), codes)

    def is_eigen(self, sleutel: tuple[str, Any, uuid.UUID]) -> bool:
        return sleutel in self._eigen

    def bewaar_eigen(self, sleutel: tuple[str, Any, uuid.UUID]) -> None:
        with self._lock:
            if len(self._eigen) >= self.MAXIMUM_EIGEN:
                self._eigen.clear()
            self._eigen.add(sleutel)

    def wis_codes(self) -> None:
        self._codes = None

    def wis(self) -> None:
        with self._lock:
            self._codes = None
            self._eigen = set()


_geheugen = _Geheugen()


# Key in a connection's info: its transaction wrote something (so a rollback can unmake what was read).
_SCHREEF = "contactmomenten.schreef"
_SCHRIJVEND = frozenset({"INSERT", "UPDATE", "DELETE", "WITH", "CREATE", "DROP", "ALTER"})


@event.listens_for(Engine, "before_cursor_execute")
def _noteer_schrijven(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
    if statement.lstrip()[:6].upper() in _SCHRIJVEND:
        conn.info[_SCHREEF] = True


@event.listens_for(Engine, "commit")
def _na_commit(conn: Any) -> None:
    conn.info.pop(_SCHREEF, None)


@event.listens_for(Engine, "rollback")
def _wis_na_rollback(conn: Any) -> None:
    # Only a transaction that wrote can have shown us rows that now never existed.
    if conn.info.pop(_SCHREEF, False):
        _geheugen.wis()


@event.listens_for(Engine, "rollback_savepoint")
def _wis_na_savepoint_rollback(conn: Any, _name: Any, _context: Any) -> None:
    if conn.info.get(_SCHREEF):
        _geheugen.wis()


@event.listens_for(OrmSession, "after_flush")
def _wis_na_codewijziging(session: OrmSession, _context: Any) -> None:
    if any(isinstance(o, Code) for o in chain(session.new, session.dirty, session.deleted)):
        _geheugen.wis_codes()


@event.listens_for(OrmSession, "do_orm_execute")
def _wis_na_bulkwijziging(state: ORMExecuteState) -> None:
    if (state.is_update or state.is_delete) and getattr(getattr(state.statement, "table", None), "name", None) == "code":
        _geheugen.wis_codes()


def _laad_codelijsten(session: Session) -> None:
    """Fill the session's code-list cache (see `codelijsten.lookup`) from this process's copy, read in one query."""
    cache: dict[str, dict[str, Any]] = session.info.setdefault(codelijsten._CACHE_KEY, {})
    ontbrekend = [lijst for lijst in CODELIJSTEN if lijst not in cache]
    if not ontbrekend:
        return
    codes = _geheugen.codes()
    if codes is None:
        tabel = Code.__table__
        codes = {lijst: {} for lijst in CODELIJSTEN}
        for rij in session.execute(select(*tabel.c).where(tabel.c.lijst.in_(CODELIJSTEN))):
            codes[rij.lijst][rij.code] = CodeRegel(
                lijst=rij.lijst, code=rij.code, label=rij.label, ouder=rij.ouder,
                synoniemen=tuple(rij.synoniemen or ()), volgorde=rij.volgorde, actief=rij.actief,
            )
        _geheugen.bewaar_codes(codes)
    cache.update({lijst: codes[lijst] for lijst in ontbrekend})


def _is_eigen(
    session: Session, *, caller: Caller, soort: str, record_id: uuid.UUID, ophalen: Callable[[], Any]
) -> bool:
    """Whether a key person or partner of the caller's organisation exists (a yes is remembered, see `_Geheugen`)."""
    sleutel = (soort, caller.organisatie_id, record_id)
    if _geheugen.is_eigen(sleutel):
        return True
    if ophalen() is None:
        return False
    _geheugen.bewaar_eigen(sleutel)
    return True


def controleer(
    session: Session,
    *,
    caller: Caller,
    data: ContactmomentCreate,
    heeft_referentie: bool,
    bestaand: Contactmoment | None = None,
    bestaande_kinderen: Kinderen | None = None,
) -> list[dict[str, str]]:
    """Every rule that needs the database or more than one field; returns invalidParams, raises nothing.

    Field formats were already checked by the schema. For a correction (`bestaand`), codes the
    record already had stay valid after deactivation and its own key person needs no new check.
    """
    problems: list[dict[str, str]] = []
    oud = bestaande_kinderen or Kinderen()
    _laad_codelijsten(session)

    if (bestaand is None or data.sleutelpersoon_id != bestaand.sleutelpersoon_id) and not _is_eigen(
        session,
        caller=caller,
        soort="sleutelpersoon",
        record_id=data.sleutelpersoon_id,
        ophalen=lambda: sleutelpersonen.get_own(session, caller=caller, sleutelpersoon_id=data.sleutelpersoon_id),
    ):
        problems.append(
            {
                "name": "sleutelpersoonId",
                "reason": f"Sleutelpersoon {data.sleutelpersoon_id} bestaat niet.",
            }
        )
    partners: dict[uuid.UUID, bool] = {}
    for i, verwijzing in enumerate(data.doorverwijzingen):
        if verwijzing.ketenpartner_id not in partners:
            partner_id = verwijzing.ketenpartner_id
            partners[partner_id] = _is_eigen(
                session,
                caller=caller,
                soort="ketenpartner",
                record_id=partner_id,
                ophalen=lambda partner_id=partner_id: ketenpartners.get_own(  # type: ignore[misc]
                    session, caller=caller, ketenpartner_id=partner_id
                ),
            )
        if not partners[verwijzing.ketenpartner_id]:
            problems.append(
                {
                    "name": f"doorverwijzingen[{i}].ketenpartnerId",
                    "reason": f"Ketenpartner {verwijzing.ketenpartner_id} bestaat niet.",
                }
            )

    def oud_van(naam: str) -> list[str]:
        waarde = getattr(bestaand, naam, None) if bestaand is not None else None
        return [waarde] if waarde else []

    inwoner = data.inwoner
    checks: list[tuple[str, list[tuple[str, str | None]], list[str]]] = [
        (
            codelijsten.ONDERWERP,
            [(f"onderwerpen[{i}]", c) for i, c in enumerate(data.onderwerpen)]
            + [
                (f"doorverwijzingen[{i}].onderwerp", d.onderwerp)
                for i, d in enumerate(data.doorverwijzingen)
            ],
            oud.onderwerpen,
        ),
        (codelijsten.ACTIE, [(f"acties[{i}]", c) for i, c in enumerate(data.acties)], oud.acties),
        (codelijsten.KANAAL, [("kanaal", data.kanaal)], oud_van("kanaal")),
        (codelijsten.SOORT_CONTACT, [("soort", data.soort)], oud_van("soort")),
        (codelijsten.ROL, [("rol", data.rol)], oud_van("rol")),
        (
            codelijsten.LEEFTIJDSCATEGORIE,
            [("inwoner.leeftijdscategorie", inwoner.leeftijdscategorie if inwoner else None)],
            oud_van("leeftijdscategorie"),
        ),
        (
            codelijsten.GESLACHT,
            [("inwoner.geslacht", inwoner.geslacht if inwoner else None)],
            oud_van("geslacht"),
        ),
        (
            codelijsten.DOELGROEP,
            [("inwoner.doelgroep", inwoner.doelgroep if inwoner else None)],
            oud_van("doelgroep"),
        ),
        (
            codelijsten.DOORVERWIJZING_WIJZE,
            [
                (f"doorverwijzingen[{i}].wijze", d.wijze)
                for i, d in enumerate(data.doorverwijzingen)
            ],
            [],
        ),
        (
            codelijsten.DOORVERWIJZING_STATUS,
            [
                (f"doorverwijzingen[{i}].status", d.status)
                for i, d in enumerate(data.doorverwijzingen)
            ],
            [],
        ),
        (
            codelijsten.RESULTAAT,
            [("uitkomst.resultaat", data.uitkomst.resultaat if data.uitkomst else None)],
            [],
        ),
    ]
    for lijst, values, allow_inactive in checks:
        problems += codelijsten.check_codes(
            session, lijst=lijst, values=values, allow_inactive=allow_inactive
        )

    reden = check_wijk_in_gemeente(data.wijkcode, data.gemeentecode)
    if reden:
        problems.append({"name": "wijkcode", "reason": reden})
    if data.soort == "groep":
        if data.aantal_deelnemers < 2:
            problems.append(
                {
                    "name": "aantalDeelnemers",
                    "reason": f"Een groepsbijeenkomst heeft minstens 2 deelnemers, niet {data.aantal_deelnemers}.",
                }
            )
        if heeft_referentie:
            problems.append(
                {
                    "name": "inwonerReferentie",
                    "reason": "Een groepsbijeenkomst heeft geen inwonerReferentie; laat dit veld weg.",
                }
            )
    elif data.soort == "individueel" and data.aantal_deelnemers != 1:
        problems.append(
            {
                "name": "aantalDeelnemers",
                "reason": f"Een individueel contact heeft 1 deelnemer, niet {data.aantal_deelnemers}; gebruik soort `groep`.",
            }
        )
    for i, verwijzing in enumerate(data.doorverwijzingen):
        if verwijzing.onderwerp is not None and verwijzing.onderwerp not in data.onderwerpen:
            problems.append(
                {
                    "name": f"doorverwijzingen[{i}].onderwerp",
                    "reason": f"Onderwerp `{verwijzing.onderwerp}` is geen onderwerp van dit contactmoment; "
                    f"kies uit: {', '.join(data.onderwerpen)}.",
                }
            )
        if verwijzing.status_datum is not None and verwijzing.status_datum < data.datum:
            problems.append(
                {
                    "name": f"doorverwijzingen[{i}].statusDatum",
                    "reason": f"Datum {verwijzing.status_datum.isoformat()} ligt vóór de datum van het contactmoment "
                    f"({data.datum.isoformat()}).",
                }
            )
    # A correction must keep the referrals already recorded consistent with the topics (dates: see corrigeer).
    for verwijzing in oud.doorverwijzingen:
        if verwijzing.onderwerp is not None and verwijzing.onderwerp not in data.onderwerpen:
            problems.append(
                {
                    "name": "onderwerpen",
                    "reason": f"Doorverwijzing {verwijzing.id} gaat over onderwerp `{verwijzing.onderwerp}`; "
                    "dat onderwerp kan daarom niet vervallen.",
                }
            )
    return problems


def _weiger(problems: list[dict[str, str]]) -> OngeldigeInvoer:
    return OngeldigeInvoer.met(problems, onderwerp="Het contactmoment", slot=" Er is niets opgeslagen.")


# --- Writing ---------------------------------------------------------------------------------


def _herhaling(bestaand: Contactmoment, *, extern_id: str, vingerafdruk: str) -> Contactmoment:
    """Same externId again: the same content is a safe retry, anything else a conflict."""
    if bestaand.verwijderd_op is not None:
        raise Conflict(
            f"Er bestond al een contactmoment met externId `{extern_id}`; het is verwijderd. "
            "Een externId kan niet opnieuw worden gebruikt.",
            extra={"bestaandId": str(bestaand.id)},
        )
    if bestaand.inhoud_hash != vingerafdruk:
        raise Conflict(
            f"Er bestaat al een contactmoment met externId `{extern_id}` met een andere inhoud. "
            "Wijzig het bestaande contactmoment met PATCH, of gebruik een ander externId.",
            extra={"bestaandId": str(bestaand.id)},
        )
    return bestaand


@lru_cache(maxsize=4)
def _insert_contactmoment(dialect: str) -> Any:
    """INSERT ... ON CONFLICT (organisatie, externId) DO NOTHING RETURNING id, built once per dialect.

    Executed with a parameter dict, so SQLAlchemy compiles it once and reuses the compiled form.
    """
    tabel = Contactmoment.__table__
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    return (
        insert(tabel)
        .on_conflict_do_nothing(index_elements=["organisatie_id", "extern_id"])
        .returning(tabel.c.id)
    )


_INSERT_ONDERWERP = ContactmomentOnderwerp.__table__.insert()
_INSERT_ACTIE = ContactmomentActie.__table__.insert()
_INSERT_DOORVERWIJZING = Doorverwijzing.__table__.insert()
_INSERT_STATUS = DoorverwijzingStatus.__table__.insert()
_INSERT_UITKOMST = Uitkomst.__table__.insert()


def velden_meegestuurd(data: ContactmomentCreate) -> list[str]:
    """The camelCase names of the fields the client sent (what `model_dump(exclude_unset=True)` would key)."""
    velden = ContactmomentCreate.model_fields
    return [velden[naam].alias or naam for naam in data.model_fields_set]


@dataclass
class _Geschreven:
    """What `_schrijf` wrote (new) or found (a retry of the same content): enough for the response."""

    aangemaakt: bool
    bestaand: Contactmoment | None = None
    rij: dict[str, Any] = field(default_factory=dict)
    verwijzingen: list[dict[str, Any]] = field(default_factory=list)
    uitkomst: dict[str, Any] | None = None
    onderwerpen: list[str] = field(default_factory=list)
    acties: list[str] = field(default_factory=list)


@dataclass
class NieuweRijen:
    """The rows of one new contactmoment as column values: what `registreer` and an import write."""

    contactmoment: dict[str, Any]
    onderwerpen: list[dict[str, Any]]
    acties: list[dict[str, Any]]
    verwijzingen: list[dict[str, Any]]
    statussen: list[dict[str, Any]]
    uitkomst: dict[str, Any] | None


def nieuwe_rijen(
    data: ContactmomentCreate,
    *,
    organisatie_id: uuid.UUID,
    sleutel_id: uuid.UUID | None,
    inwoner_hash: str | None,
    vingerafdruk: str,
    nu: datetime,
) -> NieuweRijen:
    """Every row a new contactmoment consists of, with new ids; validation is the caller's."""
    inwoner = data.inwoner
    contactmoment_id = uuid.uuid4()
    verwijzingen = [
        {
            "id": uuid.uuid4(),
            "organisatie_id": organisatie_id,
            "contactmoment_id": contactmoment_id,
            "ketenpartner_id": d.ketenpartner_id,
            "onderwerp": d.onderwerp,
            "wijze": d.wijze,
            "status": d.status,
            "status_datum": d.status_datum or data.datum,
            "aangemaakt_op": nu,
            "gewijzigd_op": nu,
        }
        for d in data.doorverwijzingen
    ]
    return NieuweRijen(
        contactmoment={
            "id": contactmoment_id,
            "organisatie_id": organisatie_id,
            "extern_id": data.extern_id,
            "sleutelpersoon_id": data.sleutelpersoon_id,
            "datum": data.datum,
            "gemeentecode": data.gemeentecode,
            "wijkcode": data.wijkcode,
            "kanaal": data.kanaal,
            "soort": data.soort,
            "aantal_deelnemers": data.aantal_deelnemers,
            "inwoner_hash": inwoner_hash,
            "rol": data.rol,
            "duur_minuten": data.duur_minuten,
            "inhoud_hash": vingerafdruk,
            "aangemaakt_op": nu,
            "gewijzigd_op": nu,
            "verwijderd_op": None,
            **{naam: getattr(inwoner, naam) if inwoner else None for naam in INWONER_VELDEN},
        },
        onderwerpen=[{"contactmoment_id": contactmoment_id, "onderwerp": o} for o in data.onderwerpen],
        acties=[{"contactmoment_id": contactmoment_id, "actie": a} for a in data.acties],
        verwijzingen=verwijzingen,
        statussen=[
            {
                "doorverwijzing_id": v["id"],
                "status": v["status"],
                "status_datum": v["status_datum"],
                "vastgelegd_op": nu,
                "api_sleutel_id": sleutel_id,
            }
            for v in verwijzingen
        ],
        uitkomst=(
            {
                "id": uuid.uuid4(),
                "organisatie_id": organisatie_id,
                "contactmoment_id": contactmoment_id,
                "doorverwijzing_id": None,
                "resultaat": data.uitkomst.resultaat,
                "datum": data.datum,
                "aangemaakt_op": nu,
            }
            if data.uitkomst is not None
            else None
        ),
    )


def schreef(verbinding: Any) -> None:
    """Note that a connection's transaction wrote, for writes that bypass SQLAlchemy's statement events."""
    verbinding.info[_SCHREEF] = True


def _schrijf(session: Session, *, caller: Caller, data: ContactmomentCreate) -> _Geschreven:
    """The work of `registreer`, with Core statements only: no ORM objects, no flush.

    Validation runs first and needs no query when the code lists and key persons are cached, so the
    first statement of the transaction is the INSERT: on SQLite the write lock is held only for the
    INSERTs and the COMMIT. The INSERT itself tells a retry apart (ON CONFLICT DO NOTHING returns no
    row), so a new contactmoment costs no externId lookup. The externId is looked up only when the
    INSERT hit an existing row, or when validation failed: a retry of the same content answers 200
    even if one of its codes was deactivated after the first post.
    """
    assert caller.organisatie_id is not None
    inwoner_hash = (
        referentie_hash(organisatie_id=caller.organisatie_id, referentie=data.inwoner_referentie)
        if data.inwoner_referentie
        else None
    )
    vingerafdruk = inhoud_hash(inhoud_van_invoer(data, inwoner_hash=inwoner_hash))

    def herhaling() -> _Geschreven | None:
        bestaand = zoek_extern_id(session, caller=caller, extern_id=data.extern_id) if data.extern_id else None
        if bestaand is None:
            return None
        assert data.extern_id is not None
        return _Geschreven(aangemaakt=False, bestaand=_herhaling(bestaand, extern_id=data.extern_id, vingerafdruk=vingerafdruk))

    problems = controleer(session, caller=caller, data=data, heeft_referentie=inwoner_hash is not None)
    if problems:
        gevonden = herhaling()
        if gevonden is not None:
            return gevonden
        raise _weiger(problems)

    nu = utcnow()
    rijen = nieuwe_rijen(
        data, organisatie_id=caller.organisatie_id, sleutel_id=caller.sleutel_id, inwoner_hash=inwoner_hash,
        vingerafdruk=vingerafdruk, nu=nu,
    )
    rij = rijen.contactmoment
    contactmoment_id = rij["id"]
    # The unique index decides between us and a concurrent post with the same externId; the loser
    # inserts nothing and answers 200/409 from the row the winner wrote. Should that row be gone by
    # the time we read it (erased in between), the INSERT is simply tried once more.
    # Core statements go straight to the session's connection (same transaction): the ORM layer of
    # Session.execute has nothing to add to them and cost a measurable share of a POST.
    verbinding = session.connection()
    insert = _insert_contactmoment(verbinding.dialect.name)
    for _poging in range(2):
        if verbinding.execute(insert, rij).first() is not None:
            break
        gevonden = herhaling()
        if gevonden is not None:
            return gevonden
    else:
        raise RuntimeError("contactmoment not inserted, and no record with its externId")

    verwijzingen, uitkomst = rijen.verwijzingen, rijen.uitkomst
    kinderrijen: list[tuple[Any, list[dict[str, Any]]]] = [
        (_INSERT_ONDERWERP, rijen.onderwerpen),
        (_INSERT_ACTIE, rijen.acties),
        (_INSERT_DOORVERWIJZING, verwijzingen),
        (_INSERT_STATUS, rijen.statussen),
        (_INSERT_UITKOMST, [uitkomst] if uitkomst is not None else []),
    ]
    for statement, waarden in kinderrijen:
        if waarden:
            # One row as a single execute, more as executemany; both reuse the cached compiled form.
            verbinding.execute(statement, waarden[0] if len(waarden) == 1 else waarden)
    audit.log(
        session,
        caller=caller,
        actie="aangemaakt",
        resource_type=RESOURCE_TYPE,
        resource_id=contactmoment_id,
        velden=velden_meegestuurd(data),
        direct=True,
        tijdstip=nu,
    )
    return _Geschreven(
        aangemaakt=True,
        rij=rij,
        verwijzingen=verwijzingen,
        uitkomst=uitkomst,
        onderwerpen=sorted(data.onderwerpen),
        acties=sorted(data.acties),
    )


def registreer(
    session: Session, *, caller: Caller, data: ContactmomentCreate
) -> tuple[Contactmoment, bool]:
    """Register a contactmoment with its children; returns (record, created). Flushes, never commits.

    With an externId already in use, the same content returns the existing record (created False)
    and different content raises 409 naming it.

    The new record and its children are written with one Core INSERT per table (see `_schrijf`).
    The contactmoment's INSERT uses ON CONFLICT DO NOTHING on (organisatie, externId): a concurrent
    post with the same externId that got in first costs no savepoint and no IntegrityError.
    """
    geschreven = _schrijf(session, caller=caller, data=data)
    if geschreven.bestaand is not None:
        return geschreven.bestaand, False
    # Attach ORM objects for the rows just written (persistent, so no second INSERT follows).
    record = Contactmoment(**geschreven.rij)
    verwijzingen = [Doorverwijzing(**v) for v in geschreven.verwijzingen]
    uitkomst = Uitkomst(**geschreven.uitkomst) if geschreven.uitkomst is not None else None
    for object_ in (record, *verwijzingen, *([uitkomst] if uitkomst is not None else [])):
        make_transient_to_detached(object_)
        session.add(object_)
    # The response needs exactly these children; keep them with the record instead of reading them back.
    inspect(record).info[_NIEUWE_KINDEREN] = Kinderen(
        onderwerpen=geschreven.onderwerpen,
        acties=geschreven.acties,
        doorverwijzingen=verwijzingen,
        uitkomst=uitkomst,
    )
    return record, True


def registreer_publiek(
    session: Session, *, caller: Caller, data: ContactmomentCreate
) -> tuple[ContactmomentPublic, uuid.UUID, bool]:
    """`registreer` for the API: (public representation, id, created), built from what was written.

    A new record's response comes straight from the rows just inserted: no ORM objects, no reading back.
    """
    geschreven = _schrijf(session, caller=caller, data=data)
    if geschreven.bestaand is not None:
        return publiek_een(session, record=geschreven.bestaand), geschreven.bestaand.id, False
    rij = geschreven.rij
    publiek_ = ContactmomentPublic(
        id=rij["id"],
        extern_id=rij["extern_id"],
        sleutelpersoon_id=rij["sleutelpersoon_id"],
        datum=rij["datum"],
        gemeentecode=rij["gemeentecode"],
        wijkcode=rij["wijkcode"],
        kanaal=rij["kanaal"],
        soort=rij["soort"],
        aantal_deelnemers=rij["aantal_deelnemers"],
        heeft_inwoner_referentie=rij["inwoner_hash"] is not None,
        inwoner=Inwoner(**{naam: rij[naam] for naam in INWONER_VELDEN}),
        rol=rij["rol"],
        duur_minuten=rij["duur_minuten"],
        onderwerpen=geschreven.onderwerpen,
        acties=geschreven.acties,
        doorverwijzingen=[DoorverwijzingPublic.model_validate(v) for v in geschreven.verwijzingen],
        uitkomst=UitkomstPublic.model_validate(geschreven.uitkomst) if geschreven.uitkomst is not None else None,
        aangemaakt_op=rij["aangemaakt_op"],
        gewijzigd_op=rij["gewijzigd_op"],
    )
    return publiek_, rij["id"], True


def _als_invoer(record: Contactmoment, kinderen: Kinderen) -> dict[str, Any]:
    """The stored record in the shape of a ContactmomentCreate body (without reference and children)."""
    return {
        "externId": record.extern_id,
        "sleutelpersoonId": record.sleutelpersoon_id,
        "datum": record.datum,
        "gemeentecode": record.gemeentecode,
        "wijkcode": record.wijkcode,
        "kanaal": record.kanaal,
        "soort": record.soort,
        "aantalDeelnemers": record.aantal_deelnemers,
        "inwoner": {naam: getattr(record, naam) for naam in INWONER_VELDEN},
        "rol": record.rol,
        "duurMinuten": record.duur_minuten,
        "onderwerpen": list(kinderen.onderwerpen),
        "acties": list(kinderen.acties),
    }


def _to_camel(naam: str) -> str:
    kop, *rest = naam.split("_")
    return kop + "".join(deel.capitalize() for deel in rest)


def corrigeer(
    session: Session, *, caller: Caller, record: Contactmoment, changes: dict[str, Any]
) -> Contactmoment:
    """Apply a correction (the fields of a PATCH body that were sent) after validating the merged record."""
    assert caller.organisatie_id is not None
    kinderen = laad_kinderen(session, ids=[record.id])[record.id]
    huidig = _als_invoer(record, kinderen)
    samengevoegd = dict(huidig)
    for naam, waarde in changes.items():
        if naam == "inwoner_referentie":
            continue
        if naam == "inwoner":
            samengevoegd["inwoner"] = (
                {**huidig["inwoner"], **(waarde or {})}
                if waarde is not None
                else {k: None for k in INWONER_VELDEN}
            )
        else:
            samengevoegd[_to_camel(naam)] = waarde
    try:
        data = ContactmomentCreate.model_validate(samengevoegd)
    except ValidationError as exc:
        raise _weiger(validation_params(exc.errors())) from exc

    nieuwe_hash = record.inwoner_hash
    if "inwoner_referentie" in changes:
        referentie = changes["inwoner_referentie"]
        nieuwe_hash = (
            referentie_hash(organisatie_id=caller.organisatie_id, referentie=referentie)
            if referentie
            else None
        )

    # Only what really differs counts as changed (and is named in the audit trail).
    gewijzigd = [naam for naam in EIGEN_VELDEN if getattr(data, naam) != getattr(record, naam)]
    inwoner_gewijzigd = [
        naam
        for naam in INWONER_VELDEN
        if getattr(data.inwoner, naam, None) != getattr(record, naam)
    ]
    onderwerpen_gewijzigd = sorted(data.onderwerpen) != sorted(kinderen.onderwerpen)
    acties_gewijzigd = sorted(data.acties) != sorted(kinderen.acties)
    referentie_gewijzigd = nieuwe_hash != record.inwoner_hash
    velden = [_to_camel(n) for n in gewijzigd] + [f"inwoner.{n}" for n in inwoner_gewijzigd]
    velden += ["onderwerpen"] * onderwerpen_gewijzigd + ["acties"] * acties_gewijzigd
    velden += ["inwonerReferentie"] * referentie_gewijzigd
    if not velden:
        return record

    problems = controleer(
        session,
        caller=caller,
        data=data,
        heeft_referentie=nieuwe_hash is not None,
        bestaand=record,
        bestaande_kinderen=kinderen,
    )
    if "extern_id" in gewijzigd and data.extern_id is not None:
        ander = zoek_extern_id(session, caller=caller, extern_id=data.extern_id)
        if ander is not None and ander.id != record.id:
            raise Conflict(
                f"Er bestaat al een contactmoment met externId `{data.extern_id}`.",
                extra={"bestaandId": str(ander.id)},
            )
    uitkomsten: list[Uitkomst] = []
    if data.datum > record.datum:
        uitkomsten = list(
            session.exec(select(Uitkomst).where(Uitkomst.contactmoment_id == record.id))
        )
        problems += _later_datum_problemen(
            record.datum, data.datum, kinderen.doorverwijzingen, uitkomsten
        )
    if problems:
        raise _weiger(problems)

    if data.datum > record.datum:
        _verschuif_datum(session, record.datum, data.datum, kinderen.doorverwijzingen, uitkomsten)
    for naam in gewijzigd:
        setattr(record, naam, getattr(data, naam))
    for naam in inwoner_gewijzigd:
        setattr(record, naam, getattr(data.inwoner, naam))
    record.inwoner_hash = nieuwe_hash
    if onderwerpen_gewijzigd:
        _vervang(
            session,
            ContactmomentOnderwerp,
            "onderwerp",
            record.id,
            kinderen.onderwerpen,
            data.onderwerpen,
        )
        kinderen.onderwerpen = sorted(data.onderwerpen)
    if acties_gewijzigd:
        _vervang(session, ContactmomentActie, "actie", record.id, kinderen.acties, data.acties)
        kinderen.acties = sorted(data.acties)
    # After a correction the fingerprint describes the record as it now stands.
    record.inhoud_hash = inhoud_hash(inhoud_van_record(record, kinderen))
    record.gewijzigd_op = utcnow()
    session.add(record)
    session.flush()
    audit.log(
        session,
        caller=caller,
        actie="gewijzigd",
        resource_type=RESOURCE_TYPE,
        resource_id=record.id,
        velden=velden,
    )
    return record


def _later_datum_problemen(
    oud: date, nieuw: date, verwijzingen: list[Doorverwijzing], uitkomsten: list[Uitkomst]
) -> list[dict[str, str]]:
    """Dates of children that a later contact date would leave before it (those on the old date move along)."""
    problems = []
    for verwijzing in verwijzingen:
        if verwijzing.status_datum < nieuw and verwijzing.status_datum != oud:
            problems.append(
                {
                    "name": "datum",
                    "reason": f"Doorverwijzing {verwijzing.id} heeft statusdatum {verwijzing.status_datum.isoformat()}, "
                    f"vóór {nieuw.isoformat()}; het contactmoment kan niet later liggen.",
                }
            )
    for uitkomst in uitkomsten:
        if uitkomst.datum < nieuw and uitkomst.datum != oud:
            problems.append(
                {
                    "name": "datum",
                    "reason": f"Uitkomst {uitkomst.id} heeft datum {uitkomst.datum.isoformat()}, "
                    f"vóór {nieuw.isoformat()}; het contactmoment kan niet later liggen.",
                }
            )
    return problems


def _verschuif_datum(
    session: Session,
    oud: date,
    nieuw: date,
    verwijzingen: list[Doorverwijzing],
    uitkomsten: list[Uitkomst],
) -> None:
    """Move child dates that equal the old contact date (defaults, or same day) to the corrected date."""
    for verwijzing in verwijzingen:
        if verwijzing.status_datum == oud:
            verwijzing.status_datum = nieuw
            session.add(verwijzing)
    ids = [v.id for v in verwijzingen]
    if ids:
        for regel in session.exec(
            select(DoorverwijzingStatus).where(
                col(DoorverwijzingStatus.doorverwijzing_id).in_(ids),
                DoorverwijzingStatus.status_datum == oud,
            )
        ):
            regel.status_datum = nieuw
            session.add(regel)
    for uitkomst in uitkomsten:
        if uitkomst.datum == oud:
            uitkomst.datum = nieuw
            session.add(uitkomst)


def _vervang(
    session: Session,
    model: Any,
    kolom: str,
    contactmoment_id: uuid.UUID,
    oud: list[str],
    nieuw: list[str],
) -> None:
    """Replace a child list by deleting what went and adding what came (the rest stays untouched)."""
    weg = set(oud) - set(nieuw)
    if weg:
        for rij in session.exec(
            select(model).where(
                model.contactmoment_id == contactmoment_id, col(getattr(model, kolom)).in_(weg)
            )
        ):
            session.delete(rij)
        session.flush()
    for code in [c for c in nieuw if c not in set(oud)]:
        session.add(model(contactmoment_id=contactmoment_id, **{kolom: code}))
    session.flush()


def verwijder(session: Session, *, caller: Caller, record: Contactmoment) -> None:
    """Soft-delete: the record disappears from every read and count; the externId stays taken."""
    nu = utcnow()
    record.verwijderd_op = nu
    record.gewijzigd_op = nu
    session.add(record)
    session.flush()
    audit.log(
        session,
        caller=caller,
        actie="verwijderd",
        resource_type=RESOURCE_TYPE,
        resource_id=record.id,
    )


def raak_aan(session: Session, *, contactmoment_id: uuid.UUID) -> None:
    """Bump gewijzigd_op after a change to an embedded child, so `gewijzigdSinds` sync picks it up."""
    record = session.get(Contactmoment, contactmoment_id)
    if record is not None:
        record.gewijzigd_op = utcnow()
        session.add(record)


def herbereken_inhoud_hash(session: Session, *, records: list[Contactmoment]) -> None:
    """Recompute the fingerprint of records whose content changed outside a correction (erasure, retention)."""
    kinderen = laad_kinderen(session, ids=[r.id for r in records])
    for record in records:
        record.inhoud_hash = inhoud_hash(inhoud_van_record(record, kinderen[record.id]))
        session.add(record)
