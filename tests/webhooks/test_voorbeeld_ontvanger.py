"""examples/webhook_ontvanger.py: the spec's test vector, and a real delivery from the runner to it, run as a process."""

import importlib.util
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from app.gebeurtenissen import service as gebeurtenissen
from app.toegang.caller import Binding, Caller, Scope
from app.webhooks import bezorging
from app.webhooks import service as webhooks
from tests.conftest import DatabaseFactory
from tests.factories import make_organisatie

VOORBEELD = Path(__file__).resolve().parents[2] / "examples" / "webhook_ontvanger.py"
spec = importlib.util.spec_from_file_location("webhook_ontvanger", VOORBEELD)
assert spec is not None and spec.loader is not None
ontvanger = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ontvanger)

# The Standard Webhooks test vector (from the spec's reference libraries).
GEHEIM = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
HEADERS = {"webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek", "webhook-timestamp": "1614265330",
           "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="}
BODY = b'{"test": 2432232314}'


def test_the_spec_vector_verifies_and_tampering_does_not() -> None:
    assert ontvanger.controleer(GEHEIM, HEADERS, BODY, nu=1614265330) == {"test": 2432232314}
    with pytest.raises(ontvanger.OngeldigBericht):
        ontvanger.controleer(GEHEIM, HEADERS, BODY.replace(b"2432", b"2433"), nu=1614265330)
    with pytest.raises(ontvanger.OngeldigBericht, match="replay"):
        ontvanger.controleer(GEHEIM, HEADERS, BODY, nu=1614265330 + 301)  # outside the tolerance
    with pytest.raises(ontvanger.OngeldigBericht):
        ontvanger.controleer(GEHEIM, {**HEADERS, "webhook-signature": "v1,AAAA"}, BODY, nu=1614265330)
    # The service signs as the spec does: its signer gives the vector's signature.
    from datetime import UTC, datetime

    from standardwebhooks.webhooks import Webhook

    assert Webhook(GEHEIM).sign(HEADERS["webhook-id"], datetime.fromtimestamp(1614265330, UTC), BODY) == HEADERS["webhook-signature"]


def test_the_example_receives_a_real_delivery(databases: DatabaseFactory, interne_adressen: None) -> None:
    engine: Engine = databases.new_engine()
    proces = None
    try:
        with Session(engine, expire_on_commit=False) as session:
            organisatie = make_organisatie(session)
            session.commit()
        caller = Caller(sleutel_id=None, scopes=frozenset({Scope.registreren}), binding=Binding.organisatie,
                        organisatie_id=organisatie.id)
        # The receiver as an integrator runs it: its own process, on a free port.
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            poort = s.getsockname()[1]
        with Session(engine, expire_on_commit=False) as session:
            _webhook, geheim = webhooks.create(session, caller=caller, url=f"http://127.0.0.1:{poort}/", soorten=[])
            resource_id = uuid.uuid4()
            gebeurtenissen.leg_vast(session, "sleutelpersoon.aangemaakt", resource_id=resource_id, organisatie_id=organisatie.id)
            session.commit()
        proces = subprocess.Popen([sys.executable, str(VOORBEELD), str(poort)], env={**os.environ, "WEBHOOK_GEHEIM": geheim},
                                  stdout=subprocess.PIPE, text=True)
        assert proces.stdout is not None
        assert "Luistert op" in proces.stdout.readline()
        ronde = bezorging.stap(engine=engine)
        assert (ronde.geprobeerd, ronde.geslaagd) == (1, 1)
        assert proces.stdout.readline().strip() == f"sleutelpersoon.aangemaakt: /v1/sleutelpersonen/{resource_id} (volgnummer 1)"
        # A forged message gets 401 from the example.
        vals = httpx.post(f"http://127.0.0.1:{poort}/", content=json.dumps({"type": "x"}),
                          headers={"webhook-id": "msg_x", "webhook-timestamp": str(int(time.time())), "webhook-signature": "v1,AAAA"})
        assert vals.status_code == 401
    finally:
        if proces is not None:
            proces.terminate()
            proces.wait(timeout=10)
            if proces.stdout is not None:
                proces.stdout.close()
        engine.dispose()
