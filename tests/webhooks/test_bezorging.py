"""Webhook deliveries to a real local HTTP server (issue 28): signed per Standard Webhooks, retried with
backoff by the persisted runner (its clock driven by the test: no sleeps), disabled after the limit,
and nothing lost across a restart. Each test runs on a database of its own, committed for real."""

import json
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine, update
from sqlmodel import Session, col, select
from standardwebhooks import Webhook as Verifieerder
from standardwebhooks.webhooks import WebhookVerificationError

from app.core.config import get_settings
from app.core.db import make_engine
from app.gebeurtenissen import service as gebeurtenissen
from app.models import Organisatie, Webhook, WebhookAflevering, utcnow
from app.toegang.caller import Binding, Caller, Scope
from app.webhooks import bezorging
from app.webhooks import service as webhooks
from tests.conftest import DatabaseFactory
from tests.factories import make_organisatie
from tests.webhooks.ontvanger import ontvanger


@pytest.fixture
def engine(databases: DatabaseFactory, interne_adressen: None) -> Iterator[Engine]:  # type: ignore[override]
    engine = databases.new_engine()
    yield engine
    engine.dispose()


def _organisatie(engine: Engine) -> Organisatie:
    with Session(engine, expire_on_commit=False) as session:
        organisatie = make_organisatie(session)
        session.commit()
    return organisatie


def _caller(organisatie: Organisatie) -> Caller:
    return Caller(sleutel_id=None, scopes=frozenset({Scope.registreren}), binding=Binding.organisatie,
                  organisatie_id=organisatie.id)


def _webhook(engine: Engine, organisatie: Organisatie, url: str, soorten: list[str] | None = None) -> tuple[uuid.UUID, str]:
    with Session(engine, expire_on_commit=False) as session:
        webhook, geheim = webhooks.create(session, caller=_caller(organisatie), url=url, soorten=soorten or [])
        session.commit()
    return webhook.id, geheim


def _gebeurtenis(engine: Engine, organisatie: Organisatie, soort: str = "contactmoment.verwijderd") -> str:
    resource_id = str(uuid.uuid4())
    with Session(engine) as session:
        gebeurtenissen.leg_vast(session, soort, resource_id=resource_id, organisatie_id=organisatie.id, extern_id="crm-1")
        session.commit()
    return resource_id


def _afleveringen(engine: Engine) -> list[WebhookAflevering]:
    with Session(engine) as session:
        return list(session.exec(select(WebhookAflevering).order_by(col(WebhookAflevering.aangemaakt_op))))


def test_delivery_is_signed_and_verifies(engine: Engine) -> None:
    organisatie, ander = _organisatie(engine), _organisatie(engine)
    with ontvanger() as server:
        webhook_id, geheim = _webhook(engine, organisatie, server.url, ["contactmoment.verwijderd"])
        resource_id = _gebeurtenis(engine, organisatie)
        _gebeurtenis(engine, organisatie, "sleutelpersoon.aangemaakt")  # not asked for
        _gebeurtenis(engine, ander)  # another organisation's
        ronde = bezorging.stap(engine=engine)
        assert (ronde.genummerd, ronde.geprobeerd, ronde.geslaagd) == (3, 1, 1)
        [verzoek] = server.ontvangen
    # The receiver's check, with the Standard Webhooks library: signature and timestamp tolerance.
    data = Verifieerder(geheim).verify(verzoek.body, verzoek.headers)
    assert data["type"] == "contactmoment.verwijderd"
    assert data["data"]["resourceId"] == resource_id and data["data"]["externId"] == "crm-1"
    assert data["data"]["href"] == f"/v1/contactmomenten/{resource_id}"
    assert verzoek.headers["webhook-id"].startswith("msg_") and verzoek.headers["webhook-signature"].startswith("v1,")
    # A tampered body does not verify.
    with pytest.raises(WebhookVerificationError):
        Verifieerder(geheim).verify(verzoek.body.replace(b"crm-1", b"crm-2"), verzoek.headers)
    [aflevering] = _afleveringen(engine)
    assert (aflevering.status, aflevering.pogingen, aflevering.laatste_statuscode) == ("geslaagd", 1, 200)
    assert aflevering.webhook_id == webhook_id
    # Delivered once: the next round sends nothing.
    assert bezorging.stap(engine=engine).geprobeerd == 0


def test_failing_receiver_gets_backoff_then_the_webhook_is_disabled(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "webhook_max_fouten", 4)
    organisatie = _organisatie(engine)
    begin = time.monotonic()
    with ontvanger(status=500) as server:
        webhook_id, _ = _webhook(engine, organisatie, server.url)
        _gebeurtenis(engine, organisatie)
        t0 = utcnow()
        pogingen_op: list[float] = []
        nu = t0
        for _ in range(10):
            ronde = bezorging.stap(engine=engine, nu=nu)
            if ronde.geprobeerd:
                pogingen_op.append((nu - t0).total_seconds())
            # Not due yet a second before the next attempt; due at it.
            [aflevering] = _afleveringen(engine)
            if aflevering.status != "wachtend":
                break
            assert bezorging.stap(engine=engine, nu=aflevering.volgende_poging_op - timedelta(seconds=1)).geprobeerd == 0
            nu = aflevering.volgende_poging_op
        assert pogingen_op == [0, 10, 50, 210]  # 10 s × 4^(n−1) after each failure
        assert len(server.ontvangen) == 4
        # The same message id on every attempt, so a receiver de-duplicates.
        assert len({v.headers["webhook-id"] for v in server.ontvangen}) == 1
        with Session(engine) as session:
            webhook = session.get(Webhook, webhook_id)
            assert webhook is not None and webhook.actief is False and webhook.opeenvolgende_fouten == 4
        [aflevering] = _afleveringen(engine)
        assert aflevering.status == "wachtend" and aflevering.laatste_statuscode == 500
        assert aflevering.laatste_fout == "HTTP 500."
        # Disabled: nothing is sent, however late.
        assert bezorging.stap(engine=engine, nu=t0 + timedelta(days=1)).geprobeerd == 0

        # Re-enabled by PATCH, the receiver fixed: the waiting delivery goes at once.
        server.status = 204
        with Session(engine) as session:
            webhook = session.get(Webhook, webhook_id)
            assert webhook is not None
            webhooks.update_(session, caller=_caller(organisatie), webhook=webhook, changes={"actief": True})
            session.commit()
        ronde = bezorging.stap(engine=engine)
        assert (ronde.geprobeerd, ronde.geslaagd) == (1, 1)
    [aflevering] = _afleveringen(engine)
    assert (aflevering.status, aflevering.pogingen) == ("geslaagd", 5)
    with Session(engine) as session:
        assert session.get(Webhook, webhook_id).opeenvolgende_fouten == 0  # type: ignore[union-attr]
    print(f"\nwebhook retries: {len(pogingen_op)} attempts at +{pogingen_op} s of simulated time, "
          f"{time.monotonic() - begin:.2f} s of wall time")


def test_a_delivery_is_given_up_after_max_attempts(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "webhook_max_pogingen", 2)
    organisatie = _organisatie(engine)
    with ontvanger(status=302) as server:
        server.locatie = "http://127.0.0.1:9/elders"
        _webhook(engine, organisatie, server.url)
        _gebeurtenis(engine, organisatie)
        nu = utcnow()
        bezorging.stap(engine=engine, nu=nu)
        bezorging.stap(engine=engine, nu=nu + timedelta(seconds=10))
        assert len(server.ontvangen) == 2  # the redirect was not followed
    [aflevering] = _afleveringen(engine)
    assert (aflevering.status, aflevering.pogingen, aflevering.laatste_statuscode) == ("mislukt", 2, 302)
    assert "redirect" in (aflevering.laatste_fout or "")


def test_a_restart_loses_no_delivery(engine: Engine, databases: DatabaseFactory) -> None:
    organisatie = _organisatie(engine)
    with ontvanger() as server:
        _webhook(engine, organisatie, server.url)
        # Events committed by a process that stopped before any round: not even numbered yet.
        for _ in range(3):
            _gebeurtenis(engine, organisatie)
        # A worker numbered them (fanning out three deliveries), claimed one, then died mid-attempt.
        assert gebeurtenissen.nummer(engine) == 3
        nu = utcnow()
        with Session(engine) as session:
            session.execute(update(WebhookAflevering).values(status="bezig", werker="dood:1:x", lease_tot=nu + timedelta(seconds=60))
                            .where(col(WebhookAflevering.id) == _afleveringen(engine)[0].id))
            session.commit()
        # A new process: another engine (pool) on the same database, a new runner.
        nieuw = make_engine(str(engine.url.render_as_string(hide_password=False)))
        try:
            ronde = bezorging.stap(engine=nieuw, nu=nu)
            assert ronde.geprobeerd == 2  # the claimed one waits for its lease
            ronde = bezorging.stap(engine=nieuw, nu=nu + timedelta(seconds=61))
            assert ronde.geprobeerd == 1
        finally:
            nieuw.dispose()
    assert [a.status for a in _afleveringen(engine)] == ["geslaagd"] * 3
    assert len({json.loads(v.body)["data"]["volgnummer"] for v in server.ontvangen}) == 3


def test_a_hundred_events_in_one_round(engine: Engine) -> None:
    """A figure for the report (no timing assertion): 100 events, two webhooks, delivered in one round."""
    organisatie = _organisatie(engine)
    with ontvanger() as server:
        _webhook(engine, organisatie, server.url)
        _webhook(engine, organisatie, server.url, ["sleutelpersoon.aangemaakt"])
        with Session(engine) as session:
            for _ in range(100):
                gebeurtenissen.leg_vast(session, "sleutelpersoon.aangemaakt", resource_id=uuid.uuid4(),
                                        organisatie_id=organisatie.id)
            session.commit()
        begin = time.monotonic()
        rondes = []
        while (ronde := bezorging.stap(engine=engine)).geprobeerd:
            rondes.append(ronde)
        duur = time.monotonic() - begin
        assert sum(r.geslaagd for r in rondes) == 200 == len(server.ontvangen)
    print(f"\nwebhook deliveries: 200 (100 events x 2 webhooks) in {len(rondes)} rounds, {duur:.2f} s wall time")
