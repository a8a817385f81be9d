"""The rate limit counted where every instance sees it (issue 30, part 3): PostgreSQL's `rate_limit_teller`.

Two `RateLimiter` objects on two engines stand for two processes (the two-instance test, tests/test_instanties.py,
runs real servers). On SQLite the count stays per process, by design (one host).
"""

import time
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from app.core.db import make_engine
from app.core.errors import TeVeelVerzoeken
from app.toegang.dependencies import RateLimiter, teller_engine
from tests.conftest import BACKEND, DatabaseFactory
from tests.minuut import ruim_in_de_minuut

alleen_postgresql = pytest.mark.skipif(BACKEND != "postgresql", reason="the shared count is PostgreSQL's; SQLite counts per process")


@pytest.fixture(scope="module")
def twee_engines(databases: DatabaseFactory) -> Iterator[tuple[Engine, Engine]]:
    a = databases.new_engine()
    b = make_engine(a.url.render_as_string(hide_password=False))
    yield a, b
    b.dispose()
    a.dispose()


@alleen_postgresql
def test_two_processes_count_against_one_limit(twee_engines: tuple[Engine, Engine]) -> None:
    a, b = twee_engines
    proces_a, proces_b = RateLimiter(), RateLimiter()
    sleutel = uuid.uuid4()
    ruim_in_de_minuut()
    resterend = []
    for i in range(5):
        proces = (proces_a, a) if i % 2 == 0 else (proces_b, b)
        resterend.append(proces[0].check(sleutel, 5, engine=proces[1])[1])
    assert resterend == [4, 3, 2, 1, 0]  # one count, whichever process answered
    with pytest.raises(TeVeelVerzoeken) as fout:
        proces_b.check(sleutel, 5, engine=b)
    assert fout.value.headers is not None and fout.value.headers["RateLimit-Remaining"] == "0"
    # The baseline: in-process counting (no engine), each process allows the limit again.
    for proces in (proces_a, proces_b):
        assert [proces.check(sleutel, 5)[1] for _ in range(5)] == [4, 3, 2, 1, 0]
    # Another key is not slowed down by this one.
    assert proces_a.check(uuid.uuid4(), 5, engine=a)[1] == 4


@alleen_postgresql
def test_a_counter_that_cannot_be_reached_counts_in_process(twee_engines: tuple[Engine, Engine]) -> None:
    a, _ = twee_engines
    weg = make_engine(a.url.set(port=1, host="127.0.0.1").render_as_string(hide_password=False),
                      connect_args={"connect_timeout": 1})
    proces = RateLimiter()
    sleutel = uuid.uuid4()
    ruim_in_de_minuut()
    assert [proces.check(sleutel, 2, engine=weg)[1] for _ in range(2)] == [1, 0]
    with pytest.raises(TeVeelVerzoeken):
        proces.check(sleutel, 2, engine=weg)
    weg.dispose()


def test_the_request_database_counts_only_when_it_is_postgresql(session: Session) -> None:
    engine = teller_engine(session)
    if BACKEND == "postgresql":
        assert engine is not None and engine.dialect.name == "postgresql"
    else:
        assert engine is None  # SQLite: one host, counted in the process


@alleen_postgresql
def test_cost_of_a_shared_count(twee_engines: tuple[Engine, Engine], capsys: pytest.CaptureFixture[str]) -> None:
    """Reported, not asserted: what the shared count costs per request beside the in-process one."""
    a, _ = twee_engines
    proces = RateLimiter()
    sleutel = uuid.uuid4()
    n = 500
    proces.check(sleutel, 10**9, engine=a)  # a warm connection
    begin = time.perf_counter()
    for _ in range(n):
        proces.check(sleutel, 10**9)
    lokaal = (time.perf_counter() - begin) / n
    begin = time.perf_counter()
    for _ in range(n):
        proces.check(sleutel, 10**9, engine=a)
    gedeeld = (time.perf_counter() - begin) / n
    with capsys.disabled():
        print(f"\nrate limit per request: in-process {lokaal * 1e6:.1f} µs, PostgreSQL {gedeeld * 1e6:.1f} µs")
