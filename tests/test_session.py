"""The production request dependency `get_session`: it owns the transaction (the other tests override it)."""

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from app.core import db
from app.core.db import SessionDep, make_engine


def test_get_session_commits_after_success_and_rolls_back_after_an_error(
    fresh_database_url: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(fresh_database_url())
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE notitie (tekst VARCHAR(20) PRIMARY KEY)"))
    monkeypatch.setattr(db, "get_engine", lambda: engine)
    app = FastAPI()

    @app.post("/gelukt")
    def gelukt(session: SessionDep) -> None:
        session.execute(text("INSERT INTO notitie (tekst) VALUES ('gelukt')"))

    @app.post("/mislukt")
    def mislukt(session: SessionDep) -> None:
        session.execute(text("INSERT INTO notitie (tekst) VALUES ('mislukt')"))
        raise RuntimeError("after the write")

    @app.get("/gelezen")
    def gelezen(session: SessionDep) -> list[str]:
        return list(session.execute(text("SELECT tekst FROM notitie ORDER BY tekst")).scalars())

    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.post("/gelukt").status_code == 200
        assert client.post("/mislukt").status_code == 500
        assert client.get("/gelezen").json() == ["gelukt"]
    with engine.connect() as connection:
        assert list(connection.execute(text("SELECT tekst FROM notitie")).scalars()) == ["gelukt"]
    engine.dispose()
