"""The outbox: one thin event per change, written in the transaction of the change (issue 28).

A service calls `leg_vast(session, soort, record)` next to its audit row, so the event exists exactly
when the change does: a failed write rolls it back with everything else. An event names what happened
to which resource (kind, type, id, externId, organisation, time, a link), never its content.

Ordering. Rows get an `id` from a sequence at INSERT, but on PostgreSQL transactions commit in another
order than they took their ids, so a reader paging by `id > cursor` would skip a row that commits
late. The feed therefore pages by `volgnummer`, given after commit by `nummer()`: one short
transaction that locks the counter row, numbers every committed, unnumbered event in id order and
commits. Numbering is serialised by that lock and a later numbering only sees later commits, so a
number once visible is never followed by a smaller one. Until it is numbered an event is invisible
(the feed numbers before it reads, and every worker's webhook poller numbers each round). When an
event is numbered, it is fanned out to the webhooks that may see it (in the same transaction).

Retention: events older than `gebeurtenissen_bewaardagen` are removed by the poller (`ruim_op`); the
counter remembers up to which number, so a cursor from before that gets 410 instead of a silent gap.
"""

import base64
import binascii
import contextlib
import json
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, delete, func, insert, select, update
from sqlmodel import Session, col

from app.core.config import get_settings
from app.core.errors import DomeinFout, OngeldigeInvoer
from app.models import Gebeurtenis, GebeurtenisTeller, Webhook, WebhookAflevering, utcnow
from app.toegang.caller import Binding, Caller

API = "/v1"

# Every kind of event, with what it means (Dutch, for the OpenAPI document and docs/gebeurtenissen.md).
SOORTEN: dict[str, str] = {
    "contactmoment.aangemaakt": "Een contactmoment is vastgelegd (niet bij een import: zie `import.voltooid`).",
    "contactmoment.gewijzigd": "Een contactmoment is gecorrigeerd.",
    "contactmoment.verwijderd": "Een contactmoment is verwijderd (tombstone: het record is niet meer op te vragen).",
    "doorverwijzing.aangemaakt": "Een doorverwijzing is aan een contactmoment toegevoegd.",
    "doorverwijzing.status-gewijzigd": "De status van een doorverwijzing is gewijzigd (`gegevens.status`).",
    "uitkomst.aangemaakt": "Een uitkomst is vastgelegd bij een contactmoment of doorverwijzing (`gegevens.resultaat`).",
    "ketenpartner.aangemaakt": "Een ketenpartner is aan de sociale kaart toegevoegd.",
    "ketenpartner.gewijzigd": "Een ketenpartner is gewijzigd, gedeactiveerd of geheractiveerd.",
    "sleutelpersoon.aangemaakt": "Een sleutelpersoon is geregistreerd.",
    "sleutelpersoon.gewijzigd": "Een sleutelpersoon is gewijzigd of gedeactiveerd.",
    "signaal.aangemaakt": "Een signaal is ingediend.",
    "signaal.gewijzigd": "Een signaal is gecorrigeerd.",
    "signaal.status-gewijzigd": "De status van een signaal is gewijzigd (`gegevens.status`), eventueel met terugkoppeling.",
    "signaal.bericht": "Er is een bericht (terugkoppeling of vraag) bij een signaal geplaatst.",
    "signaal.ingetrokken": "Een signaal is ingetrokken (tombstone).",
    "import.voltooid": "Een import is klaar (`gegevens`: status en aantallen). Eén gebeurtenis per import, niet per "
    "rij: haal de records van die import op met `gewijzigdSinds`.",
    "rapportageperiode.ingediend": "Een organisatie heeft een rapportageperiode ingediend.",
    "rapportageperiode.goedgekeurd": "De regio heeft een rapportageperiode goedgekeurd.",
    "rapportageperiode.teruggestuurd": "De regio heeft een rapportageperiode teruggestuurd.",
    "rapportageperiode.heropend": "De regio heeft een goedgekeurde rapportageperiode heropend.",
    "webhook.test": "Een testbericht (POST /v1/webhooks/{webhookId}/test); alleen via webhooks.",
}

_TABEL = Gebeurtenis.__table__  # type: ignore[attr-defined]
_STIL = "gebeurtenissen_stil"


@contextlib.contextmanager
def stil(session: Session) -> Iterator[None]:
    """No per-record events inside this block (an import writes one `import.voltooid` instead)."""
    vorige = session.info.get(_STIL, False)
    session.info[_STIL] = True
    try:
        yield
    finally:
        session.info[_STIL] = vorige


def leg_vast(
    session: Session,
    soort: str,
    record: Any = None,
    *,
    resource_id: uuid.UUID | str | None = None,
    organisatie_id: uuid.UUID | None = None,
    extern_id: str | None = None,
    href: str | None = None,
    regio_gemeentecodes: Sequence[str] | None = None,
    regio_href: str | None = None,
    gegevens: dict[str, Any] | None = None,
) -> None:
    """Write one event in the session's transaction (a record gives its id, organisation and externId)."""
    if session.info.get(_STIL):
        return
    if record is not None:
        resource_id = resource_id or record.id
        organisatie_id = organisatie_id or getattr(record, "organisatie_id", None)
        extern_id = extern_id or getattr(record, "extern_id", None)
    assert resource_id is not None
    session.connection().execute(insert(_TABEL).values(rij(
        soort, resource_id=resource_id, organisatie_id=organisatie_id, extern_id=extern_id, href=href,
        regio_gemeentecodes=regio_gemeentecodes, regio_href=regio_href, gegevens=gegevens,
    )))


def rij(
    soort: str,
    *,
    resource_id: uuid.UUID | str,
    organisatie_id: uuid.UUID | None = None,
    extern_id: str | None = None,
    href: str | None = None,
    regio_gemeentecodes: Sequence[str] | None = None,
    regio_href: str | None = None,
    gegevens: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One event as column values: for writers that insert many at once (`leg_vast_alle`)."""
    assert soort in SOORTEN, soort
    resource_type = soort.split(".")[0]
    return {
        "soort": soort,
        "resource_type": resource_type,
        "resource_id": str(resource_id),
        "extern_id": extern_id,
        "organisatie_id": organisatie_id,
        "regionaal": bool(regio_gemeentecodes),
        "regio_gemeentecodes": sorted(regio_gemeentecodes) if regio_gemeentecodes else None,
        "href": href or f"{API}/{_PADEN[resource_type]}/{resource_id}",
        "regio_href": regio_href,
        "gegevens": gegevens,
        "tijdstip": utcnow(),
    }


_INSERT = _TABEL.insert()


def leg_vast_alle(session: Session, rijen: list[dict[str, Any]]) -> None:
    """Write events built by `rij` with one statement (unless inside `stil`)."""
    if rijen and not session.info.get(_STIL):
        session.connection().execute(_INSERT, rijen[0] if len(rijen) == 1 else rijen)


_PADEN = {
    "contactmoment": "contactmomenten", "doorverwijzing": "doorverwijzingen", "sleutelpersoon": "sleutelpersonen",
    "signaal": "signalen", "import": "imports", "rapportageperiode": "rapportageperiodes",
    "uitkomst": "uitkomsten", "ketenpartner": "ketenpartners",
}


# --- numbering (and fan-out to webhooks) -------------------------------------------------------

NUMMER_PER_RONDE = 5000


def nummer(bind: Engine | Connection | Session, *, nu: datetime | None = None, wachttijd: float = 10.0) -> int:
    """Number committed events in commit order and fan them out to webhooks; returns how many.

    On an engine: a transaction of its own, committed here. On a connection or session: inside its
    transaction (tests, whose data lives in one transaction), which the caller ends.
    """
    if isinstance(bind, Engine):
        from app.core.db import schrijvend_met_wachttijd

        # A read first: most rounds find nothing, and need not take SQLite's write slot for that.
        with Session(bind) as lezen:
            if lezen.execute(select(_TABEL.c.id).where(_TABEL.c.volgnummer.is_(None)).limit(1)).first() is None:
                return 0
        with Session(schrijvend_met_wachttijd(bind, wachttijd)) as session:
            aantal = _nummer(session, nu or utcnow())
            session.commit()
        return aantal
    session = bind if isinstance(bind, Session) else Session(bind=bind)
    return _nummer(session, nu or utcnow())


def _nummer(session: Session, nu: datetime) -> int:
    # The counter row is the lock: a second numbering waits here until the first commits.
    laatste = session.execute(
        select(GebeurtenisTeller.laatste).where(col(GebeurtenisTeller.id) == 1).with_for_update()
    ).scalar_one()
    rijen = session.execute(
        select(_TABEL).where(_TABEL.c.volgnummer.is_(None)).order_by(_TABEL.c.id).limit(NUMMER_PER_RONDE)
    ).mappings().all()
    if not rijen:
        return 0
    genummerd = [{**rij, "volgnummer": laatste + i} for i, rij in enumerate(rijen, start=1)]
    session.connection().execute(
        update(_TABEL).where(_TABEL.c.id == bindparam("i")).values(volgnummer=bindparam("v")),
        [{"i": r["id"], "v": r["volgnummer"]} for r in genummerd],
    )
    session.execute(
        update(GebeurtenisTeller).where(col(GebeurtenisTeller.id) == 1).values(laatste=laatste + len(genummerd))
    )
    _verspreid(session, genummerd, nu)
    return len(genummerd)


# --- who sees what ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Publiek:
    """Who an event is shown to: an organisation, or a region (a set of gemeenten)."""

    organisatie_id: uuid.UUID | None
    gemeentecodes: tuple[str, ...] = ()

    @classmethod
    def van(cls, caller: Caller) -> "Publiek":
        if caller.binding is Binding.regio:
            return cls(None, tuple(caller.gemeentecodes))
        return cls(caller.organisatie_id)

    @property
    def regionaal(self) -> bool:
        return self.organisatie_id is None

    def ziet(self, rij: Any) -> bool:
        """The organisation its own events; a region only regional events of its own gemeenten."""
        if not self.regionaal:
            return rij["organisatie_id"] == self.organisatie_id
        codes = rij["regio_gemeentecodes"] or []
        return bool(rij["regionaal"]) and bool(codes) and set(codes) <= set(self.gemeentecodes)

    def toon(self, rij: Any) -> dict[str, Any]:
        """The public shape of an event for this audience (camelCase, as the feed and webhooks send it)."""
        return {
            "volgnummer": rij["volgnummer"],
            "soort": rij["soort"],
            "resourceType": rij["resource_type"],
            "resourceId": rij["resource_id"],
            # A partner app's own id is for the organisation; a region reads the record by its own path.
            "externId": None if self.regionaal else rij["extern_id"],
            "organisatieId": str(rij["organisatie_id"]) if rij["organisatie_id"] else None,
            "tijdstip": _iso(rij["tijdstip"]),
            "href": (rij["regio_href"] or rij["href"]) if self.regionaal else rij["href"],
            "gegevens": rij["gegevens"],
        }


def _iso(tijdstip: datetime) -> str:
    return tijdstip.astimezone(UTC).isoformat().replace("+00:00", "Z")


# --- fan-out to webhooks ----------------------------------------------------------------------


def bericht(soort: str, data: dict[str, Any], nu: datetime) -> str:
    """A webhook body as Standard Webhooks describes it: `type`, `timestamp` and `data`."""
    return json.dumps({"type": soort, "timestamp": _iso(nu), "data": data}, ensure_ascii=False, separators=(",", ":"))


def publiek_van(webhook: Any) -> Publiek:
    return Publiek(webhook.organisatie_id, tuple(webhook.gemeentecodes or ()))


def _verspreid(session: Session, rijen: Sequence[Any], nu: datetime) -> None:
    """A delivery per (event, active webhook that may see it and asked for its kind)."""
    webhooks = session.execute(select(Webhook).where(col(Webhook.actief))).scalars().all()
    if not webhooks:
        return
    afleveringen = []
    for webhook in webhooks:
        publiek = publiek_van(webhook)
        for rij in rijen:
            if publiek.ziet(rij) and (not webhook.soorten or rij["soort"] in webhook.soorten):
                afleveringen.append({
                    "id": uuid.uuid4(), "webhook_id": webhook.id, "bericht_id": f"msg_{uuid.uuid4().hex}",
                    "soort": rij["soort"], "volgnummer": rij["volgnummer"],
                    "body": bericht(rij["soort"], publiek.toon(rij), rij["tijdstip"]),
                    "status": "wachtend", "pogingen": 0, "volgende_poging_op": nu, "aangemaakt_op": nu,
                })
    if afleveringen:
        session.connection().execute(insert(WebhookAflevering.__table__), afleveringen)  # type: ignore[attr-defined]


# --- the feed ---------------------------------------------------------------------------------


class CursorVerlopen(DomeinFout):
    status, title = 410, "Cursor verlopen"


_CURSOR_VOORVOEGSEL = "g1."


def cursor(volgnummer: int) -> str:
    """An opaque cursor: the position after which the next page starts."""
    return base64.urlsafe_b64encode(f"{_CURSOR_VOORVOEGSEL}{volgnummer}".encode()).decode().rstrip("=")


def _positie(tekst: str) -> int:
    try:
        inhoud = base64.urlsafe_b64decode(tekst + "=" * (-len(tekst) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        inhoud = ""
    if not inhoud.startswith(_CURSOR_VOORVOEGSEL) or not inhoud[len(_CURSOR_VOORVOEGSEL):].isdigit():
        raise OngeldigeInvoer.veld("na", "Geen geldige cursor; gebruik de `cursor` of de link `volgende` uit een "
                                   "eerder antwoord, of laat `na` weg om bij de oudste bewaarde gebeurtenis te beginnen.")
    return int(inhoud[len(_CURSOR_VOORVOEGSEL):])


@dataclass(frozen=True)
class Pagina:
    gebeurtenissen: list[dict[str, Any]]
    positie: int  # the cursor to resume from


def lees(session: Session, *, caller: Caller, na: str | None, soorten: Sequence[str], limit: int) -> Pagina:
    """One page of the caller's events after the cursor, in order; 410 when retention removed the events after it."""
    teller = session.execute(select(GebeurtenisTeller).where(col(GebeurtenisTeller.id) == 1)).scalars().one()
    laatste, verwijderd_tot = teller.laatste, teller.verwijderd_tot
    positie = _positie(na) if na else verwijderd_tot  # without a cursor: from the oldest event kept
    if positie > laatste:
        raise OngeldigeInvoer.veld("na", "Deze cursor hoort niet bij deze dienst (hij wijst voorbij de laatste gebeurtenis).")
    if positie < verwijderd_tot:
        dagen = get_settings().gebeurtenissen_bewaardagen
        raise CursorVerlopen(
            f"Gebeurtenissen worden {dagen} dagen bewaard; die na deze cursor zijn deels al verwijderd. Synchroniseer "
            "opnieuw (lijsten met `gewijzigdSinds`) en lees de feed daarna zonder `na` vanaf de oudste bewaarde gebeurtenis.",
            code="cursor-verlopen",
        )
    publiek = Publiek.van(caller)
    # Read up to `laatste` only: every number up to it was committed before we read it, so the next page
    # may start after it even when this one ends early.
    basis = select(_TABEL).where(_TABEL.c.volgnummer > bindparam("vanaf"), _TABEL.c.volgnummer <= laatste)
    if publiek.regionaal:
        basis = basis.where(_TABEL.c.regionaal.is_(True))
    else:
        basis = basis.where(_TABEL.c.organisatie_id == publiek.organisatie_id)
    if soorten:
        basis = basis.where(_TABEL.c.soort.in_(list(soorten)))
    basis = basis.order_by(_TABEL.c.volgnummer)
    gevonden: list[dict[str, Any]] = []
    vanaf = positie
    while len(gevonden) < limit:
        # A region's events are filtered on their gemeenten here, in batches (few events are regional).
        stap = limit if not publiek.regionaal else max(limit, 200)
        rijen = session.execute(basis.limit(stap), {"vanaf": vanaf}).mappings().all()
        for rij in rijen:
            vanaf = rij["volgnummer"]
            if publiek.ziet(rij):
                gevonden.append(publiek.toon(rij))
                if len(gevonden) == limit:
                    return Pagina(gevonden, vanaf)
        if len(rijen) < stap:
            return Pagina(gevonden, laatste)
    return Pagina(gevonden, vanaf)


# --- retention ---------------------------------------------------------------------------------


def ruim_op(engine: Engine, *, nu: datetime | None = None) -> int:
    """Remove numbered events and finished deliveries older than the retention; returns the events removed."""
    from app.core.db import schrijvend_met_wachttijd

    grens = (nu or utcnow()) - timedelta(days=get_settings().gebeurtenissen_bewaardagen)
    with Session(schrijvend_met_wachttijd(engine, 10.0)) as session:
        aantal = ruim_op_in(session, grens)
        session.commit()
    return aantal


def ruim_op_in(session: Session, grens: datetime) -> int:
    tot = session.execute(
        select(func.max(_TABEL.c.volgnummer)).where(_TABEL.c.tijdstip < grens, _TABEL.c.volgnummer.is_not(None))
    ).scalar()
    if tot is None:
        return 0
    session.execute(
        update(GebeurtenisTeller).where(col(GebeurtenisTeller.id) == 1, col(GebeurtenisTeller.verwijderd_tot) < tot)
        .values(verwijderd_tot=tot)
    )
    weg = session.execute(delete(_TABEL).where(_TABEL.c.volgnummer <= tot))
    session.execute(delete(WebhookAflevering).where(
        col(WebhookAflevering.aangemaakt_op) < grens, col(WebhookAflevering.status).in_(("geslaagd", "mislukt"))
    ))
    return weg.rowcount  # type: ignore[attr-defined, no-any-return]
