"""Device sessions of key persons for tests: made through the service, as a coordinator and a phone would."""

import uuid

from sqlmodel import Session

from app.apparaten import service
from app.models import Sleutelpersoon
from app.toegang.caller import Binding, Caller, Scope
from app.toegang.dependencies import APPARAAT_COOKIE

APP_HEADERS = {"X-Sleutelmonitor-App": "1"}


def coordinator(organisatie_id: uuid.UUID) -> Caller:
    return Caller(sleutel_id=None, scopes=frozenset({Scope.registreren}), binding=Binding.organisatie,
                  organisatie_id=organisatie_id)


def uitnodiging_token(session: Session, persoon: Sleutelpersoon) -> str:
    _, token = service.nodig_uit(session, coordinator(persoon.organisatie_id), persoon.id)
    session.flush()
    return token


def apparaat_cookie(session: Session, sleutelpersoon_id: uuid.UUID, user_agent: str = "Mozilla/5.0 (Linux; Android 14) Chrome/131.0") -> str:
    """The cookie value of a fresh device session of this key person."""
    persoon = session.get(Sleutelpersoon, sleutelpersoon_id)
    assert persoon is not None
    _, token = service.activeer(session, uitnodiging_token(session, persoon), user_agent)
    session.flush()
    return token


def als_apparaat(token: str) -> dict[str, str]:
    """Request headers of the app on a device: its cookie and the app's own header."""
    return {**APP_HEADERS, "Cookie": f"{APPARAAT_COOKIE}={token}"}
