"""Issue 29 item 2: concurrent POST /v1/contactmomenten of one worker share one transaction (group commit).

These run `service.create` as the route does, from threads, against a real engine on a fresh database (the
HTTP tests bind the request to the test's enclosing transaction, where a POST writes in its own transaction
as before). The first POST's transaction is held open until more POSTs wait, so the second batch holds them
all: one transaction, and each POST still with its own outcome, audit row, event and children.
"""

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session
from starlette.requests import Request

from app.contactmomenten import schrijfgroep, service
from app.contactmomenten.schemas import ContactmomentCreate
from app.core import db
from app.core.config import get_settings
from app.core.errors import Conflict
from app.models import ApiSleutel, AuditRegel, Contactmoment, ContactmomentOnderwerp, Gebeurtenis
from app.rapportage import slot
from app.toegang.caller import Binding, Caller, Scope
from tests.conftest import DatabaseFactory
from tests.factories import Omgeving, body, make_omgeving
from tests.rapportage.factories import make_ritme, make_status

BUITEN = "2025-04-14"  # tests.factories.DATUM lies in 2025Q1; this in 2025Q2


@pytest.fixture
def engine(databases: DatabaseFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    engine = databases.new_engine()
    monkeypatch.setattr(db, "get_engine", lambda: engine)
    yield engine
    engine.dispose()


@pytest.fixture
def omgeving(engine: Engine) -> Omgeving:
    with Session(engine, expire_on_commit=False) as session:
        omgeving = make_omgeving(session)
        session.commit()
    return omgeving


class Batches:
    """Records each transaction of the group (its POSTs' externIds); holds the first one open until released."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.lock = threading.Lock()
        self.batches: list[list[str]] = []
        self.poort = threading.Event()
        samen = schrijfgroep.Schrijfgroep._samen

        def gevolgd(groep: schrijfgroep.Schrijfgroep, batch: list[Any]) -> None:
            with self.lock:
                eerste = not self.batches
                self.batches.append([o.rijen.contactmomenten[0]["extern_id"] for o in batch])
            if eerste:
                assert self.poort.wait(30)
            samen(groep, batch)

        monkeypatch.setattr(schrijfgroep.Schrijfgroep, "_samen", gevolgd)


def _caller(engine: Engine, omgeving: Omgeving) -> Caller:
    with Session(engine) as session:
        sleutel = session.execute(select(ApiSleutel).where(ApiSleutel.organisatie_id == omgeving.organisatie.id)).scalar_one()
        return Caller(sleutel_id=sleutel.id, scopes=frozenset({Scope.registreren}), binding=Binding.organisatie,
                      organisatie_id=omgeving.organisatie.id)


def _post(engine: Engine, caller: Caller, data: dict[str, Any], in_groep: bool = True) -> Any:
    """What POST /v1/contactmomenten does in production: service.create in a session on the engine, then commit."""
    try:
        with Session(engine, expire_on_commit=False) as session:
            uitkomst = service.create(session, caller=caller, data=ContactmomentCreate.model_validate(data),
                                      in_groep=in_groep)
            session.commit()
            return uitkomst
    except Exception as exc:  # noqa: BLE001  (the outcome under test)
        return exc


def _tegelijk(engine: Engine, omgeving: Omgeving, eerste: dict[str, Any], rest: list[dict[str, Any]],
              batches: "Batches") -> tuple[Any, list[Any]]:
    """POST `eerste`, and while its transaction is held open the others; their outcomes."""
    caller = _caller(engine, omgeving)
    uitkomsten: dict[int, Any] = {}

    def post(i: int, data: dict[str, Any]) -> None:
        uitkomsten[i] = _post(engine, caller, data)

    draad = threading.Thread(target=post, args=(-1, eerste))
    draad.start()
    _wacht(lambda: len(batches.batches) == 1)
    groep = schrijfgroep._PER_ENGINE[engine]
    draden = [threading.Thread(target=post, args=(i, data)) for i, data in enumerate(rest)]
    for i, d in enumerate(draden):
        d.start()  # one by one, so the batch holds them in this order
        _wacht(lambda: len(groep._wachtend) == i + 1)  # noqa: B023
    batches.poort.set()
    for d in [draad, *draden]:
        d.join(60)
    return uitkomsten[-1], [uitkomsten[i] for i in range(len(rest))]


def _wacht(voorwaarde: Callable[[], bool]) -> None:
    einde = time.monotonic() + 30
    while not voorwaarde():
        assert time.monotonic() < einde, "timed out"
        time.sleep(0.01)


def _tel(engine: Engine, statement: Any) -> int:
    with Session(engine) as session:
        return int(session.execute(statement).scalar_one())


def _id(uitkomst: Any) -> uuid.UUID:
    assert isinstance(uitkomst, tuple), uitkomst
    return uitkomst[0].id


def test_waiting_posts_share_one_transaction(engine: Engine, omgeving: Omgeving, monkeypatch: pytest.MonkeyPatch) -> None:
    batches = Batches(monkeypatch)
    eerste = body(omgeving)
    rest = [body(omgeving, onderwerpen=["geld.toeslagen", "zorg.zorgverzekering"]) for _ in range(5)]
    uitkomst, uitkomsten = _tegelijk(engine, omgeving, eerste, rest, batches)

    # Each created (True), the first alone, the five that waited for it together: two transactions for six POSTs.
    assert [u[1] if isinstance(u, tuple) else u for u in [uitkomst, *uitkomsten]] == [True] * 6
    assert batches.batches == [[eerste["externId"]], [d["externId"] for d in rest]]
    ids = [_id(u) for u in [uitkomst, *uitkomsten]]
    assert _tel(engine, select(func.count()).select_from(Contactmoment)) == 6
    assert _tel(engine, select(func.count()).select_from(ContactmomentOnderwerp)
                .where(ContactmomentOnderwerp.contactmoment_id.in_(ids[1:]))) == 10  # type: ignore[attr-defined]
    # Each its own audit row and event, in the same transaction as its record.
    assert _tel(engine, select(func.count()).select_from(AuditRegel).where(
        AuditRegel.resource_type == "contactmoment", AuditRegel.actie == "aangemaakt")) == 6
    assert _tel(engine, select(func.count()).select_from(Gebeurtenis).where(
        Gebeurtenis.soort == "contactmoment.aangemaakt")) == 6
    # The response is the record as stored.
    with Session(engine) as session:
        for u in uitkomsten:
            opgeslagen = service.publiek_een(session, record=session.get(Contactmoment, u[0].id))
            assert opgeslagen.model_dump(exclude={"gewijzigd_op"}) == u[0].model_dump(exclude={"gewijzigd_op"})


def test_each_post_in_a_batch_keeps_its_own_outcome(
    engine: Engine, omgeving: Omgeving, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Session(engine) as session:
        ritme = make_ritme(session, [omgeving.organisatie])
        make_status(session, ritme, omgeving.organisatie, periode="2025Q1", status="goedgekeurd")
        session.commit()
    batches = Batches(monkeypatch)
    eerste = body(omgeving, datum=BUITEN)
    nieuw = body(omgeving, datum=BUITEN)
    rest = [
        body(omgeving),  # dated in the approved period: 409
        nieuw,  # created
        dict(nieuw),  # the same content and externId in the same batch: the record of the one above (200)
        {**nieuw, "duurMinuten": 99},  # the same externId, other content: 409 naming that record
        {**eerste},  # a retry of the first POST, already committed: 200
    ]
    uitkomst, uitkomsten = _tegelijk(engine, omgeving, eerste, rest, batches)

    assert uitkomst[1] is True
    assert len(batches.batches[1]) == 5
    assert isinstance(uitkomsten[0], slot.PeriodeGoedgekeurd)
    assert uitkomsten[1][1] is True
    assert uitkomsten[2][1] is False and uitkomsten[2][0].id == uitkomsten[1][0].id
    assert isinstance(uitkomsten[3], Conflict) and uitkomsten[3].extra["bestaandId"] == str(uitkomsten[1][0].id)
    assert uitkomsten[4][1] is False and uitkomsten[4][0].id == uitkomst[0].id
    assert _tel(engine, select(func.count()).select_from(Contactmoment)) == 2
    assert _tel(engine, select(func.count()).select_from(AuditRegel).where(AuditRegel.actie == "aangemaakt",
                AuditRegel.resource_type == "contactmoment")) == 2
    assert _tel(engine, select(func.count()).select_from(Gebeurtenis)) == 2


def test_a_row_that_fails_does_not_fail_the_others(
    engine: Engine, omgeving: Omgeving, monkeypatch: pytest.MonkeyPatch
) -> None:
    nieuwe_rijen = service.nieuwe_rijen

    def kapot(data: Any, **kwargs: Any) -> Any:
        rijen = nieuwe_rijen(data, **kwargs)
        if data.extern_id.startswith("kapot-"):
            rijen.onderwerpen[0]["contactmoment_id"] = uuid.uuid4()  # no such contactmoment: a foreign key error
        return rijen

    monkeypatch.setattr(service, "nieuwe_rijen", kapot)
    batches = Batches(monkeypatch)
    rest = [body(omgeving), body(omgeving, externId=f"kapot-{uuid.uuid4()}"), body(omgeving)]
    uitkomst, uitkomsten = _tegelijk(engine, omgeving, body(omgeving), rest, batches)

    assert uitkomst[1] is True
    assert uitkomsten[0][1] is True and uitkomsten[2][1] is True
    assert isinstance(uitkomsten[1], IntegrityError)
    # The failed batch, then each of its POSTs on its own.
    assert batches.batches[1:] == [[d["externId"] for d in rest]] + [[d["externId"]] for d in rest]
    assert _tel(engine, select(func.count()).select_from(Contactmoment)) == 3
    assert _tel(engine, select(func.count()).select_from(Gebeurtenis)) == 3


def test_off_each_post_writes_in_its_own_transaction(
    engine: Engine, omgeving: Omgeving, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "groepscommit", False)
    gebruikt = []
    monkeypatch.setattr(schrijfgroep.Schrijfgroep, "schrijf", lambda *a, **k: gebruikt.append(1))
    uitkomst = _post(engine, _caller(engine, omgeving), body(omgeving))
    assert uitkomst[1] is True and not gebruikt
    assert _tel(engine, select(func.count()).select_from(Gebeurtenis)) == 1


def test_only_the_post_route_writes_through_the_group(
    engine: Engine, omgeving: Omgeving, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An import row calls `create` in the import's own transaction: it must not be written (or committed) apart."""
    gebruikt = []
    monkeypatch.setattr(schrijfgroep.Schrijfgroep, "schrijf", lambda *a, **k: gebruikt.append(1))
    with Session(engine) as session:
        uitkomst = service.create(session, caller=_caller(engine, omgeving),
                                  data=ContactmomentCreate.model_validate(body(omgeving)))
        assert uitkomst[1] is True and not gebruikt
        session.rollback()
    assert _tel(engine, select(func.count()).select_from(Contactmoment)) == 0


def test_a_post_reads_without_the_write_slot_when_its_writes_go_through_the_group(monkeypatch: pytest.MonkeyPatch) -> None:
    """On SQLite a writing request's session takes the write slot at its first read; this route's does not."""
    from app.contactmomenten.router import create_contactmoment, update_contactmoment

    def verzoek(endpoint: Any) -> Request:
        return Request({"type": "http", "method": "POST", "route": SimpleNamespace(endpoint=endpoint), "headers": []})

    assert not db.is_schrijvend(verzoek(create_contactmoment))
    assert db.is_schrijvend(verzoek(update_contactmoment))
    monkeypatch.setattr(get_settings(), "groepscommit", False)
    assert db.is_schrijvend(verzoek(create_contactmoment))


def test_a_waiting_post_holds_no_connection(databases: DatabaseFactory, omgeving: Omgeving, engine: Engine,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A pool of one connection: a POST that read in its own session must give it back before its batch writes."""
    krap = db.make_engine(engine.url.render_as_string(hide_password=False), pool_size=1, max_overflow=0, pool_timeout=3)
    try:
        regels = service.regels.controleer

        def leest(session: Session, **kwargs: Any) -> Any:
            session.execute(select(func.count()).select_from(Contactmoment)).scalar_one()  # as a cold cache does
            return regels(session, **kwargs)

        monkeypatch.setattr(service.regels, "controleer", leest)
        uitkomst = _post(krap, _caller(engine, omgeving), body(omgeving))
        assert isinstance(uitkomst, tuple) and uitkomst[1] is True, uitkomst
    finally:
        krap.dispose()
