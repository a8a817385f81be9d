"""The 24-hour day rule holds under concurrency: posts that pass it one by one cannot pass it together."""

import threading
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from app.core.db import schrijvend_met_wachttijd
from app.core.errors import OngeldigeInvoer
from app.inzet import service
from app.inzet.schemas import InzetCreate
from app.models import Inzet
from app.toegang.caller import Binding, Caller, Scope
from tests.conftest import DatabaseFactory
from tests.factories import make_organisatie, make_sleutelpersoon


@pytest.fixture(scope="module")
def eigen_engine(databases: DatabaseFactory) -> Iterator[Engine]:
    engine = databases.new_engine()
    yield engine
    engine.dispose()


def test_eight_concurrent_posts_of_four_hours_store_exactly_six(eigen_engine: Engine) -> None:
    with Session(eigen_engine) as s:
        organisatie = make_organisatie(s)
        persoon = make_sleutelpersoon(s, organisatie)
        s.commit()
        organisatie_id, persoon_id = organisatie.id, persoon.id
    caller = Caller(sleutel_id=None, scopes=frozenset({Scope.registreren}), binding=Binding.organisatie,
                    organisatie_id=organisatie_id)
    # The engine of a writing request: on SQLite it takes the write slot at BEGIN, as in the service.
    schrijvend = schrijvend_met_wachttijd(eigen_engine, 30)
    start = threading.Barrier(8)
    uitkomsten: list[str] = []
    slot = threading.Lock()

    def post() -> None:
        start.wait()
        with Session(schrijvend) as s:
            try:
                service.create(s, caller=caller, data=InzetCreate(
                    sleutelpersoon_id=persoon_id, datum=date(2026, 11, 2), uren=4, soort="contacten"))
                s.commit()
                uitkomst = "201"
            except OngeldigeInvoer:
                s.rollback()
                uitkomst = "400"
        with slot:
            uitkomsten.append(uitkomst)

    threads = [threading.Thread(target=post) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(uitkomsten) == ["201"] * 6 + ["400"] * 2
    with Session(eigen_engine) as s:
        assert s.exec(select(func.sum(Inzet.minuten)).where(Inzet.sleutelpersoon_id == persoon_id)).one() == 24 * 60
