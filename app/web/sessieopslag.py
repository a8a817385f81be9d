"""Server-side store of dashboard sessions (`dashboard_sessie`): create, find, end, list, clear up.

The signed cookie carries a random 256-bit token; the table keeps its SHA-256, so a copy of the
database opens no session. The dashboard reads the row on every request (no cache), so a session ended
here (signing out, ending it from the list, revoking the key) is refused at its next request in every
process and replica.

Personal data: a session row names the API key (not a person), a coarse device name derived from the
user agent ("Windows, Chrome": enough to tell one's laptop from one's phone, without the version and
build details that help fingerprinting) and its times. No client address is kept: to a coordinator an
address says little, it is the coordinator's personal (and location) data, and investigating abuse is
the job of the reverse proxy's logs under their own retention. Rows are deleted
`dashboard_sessie_bewaardagen` days after the session's lifetime ended (at the next sign-in of anyone).
"""

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from app.core.config import get_settings
from app.core.errors import NietGevonden
from app.models import DashboardSessie, utcnow
from app.toegang import audit
from app.toegang.caller import Caller
from app.web.apparaatnaam import apparaat_naam

RESOURCE = "dashboard-sessie"
# How often a session's last use is written (beside the request, never in it).
GEZIEN_RESOLUTIE = timedelta(minutes=1)
LIJST_MAXIMUM = 50


class Einde(StrEnum):
    """Why a session ended before its lifetime did (`DashboardSessie.einde`)."""

    afgemeld = "afgemeld"  # signed out in that browser
    beeindigd = "beeindigd"  # ended from the session list
    ingetrokken = "ingetrokken"  # its API key was revoked (app/toegang/service.revoke_key)


def token_hash(token: str) -> str:
    # A 256-bit random token needs no slow hash (as API keys, app/core/security.py).
    return hashlib.sha256(token.encode()).hexdigest()


def create(session: Session, *, caller: Caller, user_agent: str | None) -> tuple[DashboardSessie, str]:
    """A new session for the caller's key, and its token for the cookie (stored only as a hash)."""
    assert caller.sleutel_id is not None
    ruim_op(session)
    token = secrets.token_urlsafe(32)
    nu = utcnow()
    sessie = DashboardSessie(
        api_sleutel_id=caller.sleutel_id, token_hash=token_hash(token), apparaat=apparaat_naam(user_agent)[:60],
        aangemaakt_op=nu, laatst_gezien_op=nu,
        verloopt_op=nu + timedelta(minutes=get_settings().dashboard_sessie_minuten),
    )
    session.add(sessie)
    session.flush()
    audit.log(session, caller=caller, actie="aangemaakt", resource_type=RESOURCE, resource_id=sessie.id)
    return sessie, token


def get(session: Session, token: str) -> DashboardSessie | None:
    """The session this cookie token names, whatever its state."""
    return session.exec(select(DashboardSessie).where(DashboardSessie.token_hash == token_hash(token))).first()


def reden_ongeldig(sessie: DashboardSessie, nu: datetime) -> str | None:
    """Why this session no longer signs anyone in, in Dutch; None while it does."""
    if sessie.beeindigd_op is not None:
        return "Deze sessie is beëindigd; meld u opnieuw aan."
    if sessie.verloopt_op <= nu:
        return "Uw sessie is verlopen; meld u opnieuw aan."
    return None


def end(session: Session, *, caller: Caller, sessie_id: uuid.UUID, einde: str) -> DashboardSessie:
    """End one session of the caller's own key (404 for any other); ending it twice keeps the first."""
    sessie = session.get(DashboardSessie, sessie_id)
    if sessie is None or sessie.api_sleutel_id != caller.sleutel_id:
        raise NietGevonden("Deze sessie bestaat niet (of hoort bij een andere sleutel).")
    if sessie.beeindigd_op is None:
        sessie.beeindigd_op, sessie.einde = utcnow(), einde
        session.add(sessie)
        session.flush()
        audit.log(session, caller=caller, actie=einde, resource_type=RESOURCE, resource_id=sessie.id)
    return sessie


def list_van_sleutel(session: Session, *, api_sleutel_id: uuid.UUID) -> list[DashboardSessie]:
    """The key's sessions still kept, newest sign-in first (at most LIJST_MAXIMUM)."""
    return list(session.exec(
        select(DashboardSessie).where(DashboardSessie.api_sleutel_id == api_sleutel_id)
        .order_by(col(DashboardSessie.aangemaakt_op).desc()).limit(LIJST_MAXIMUM)
    ))


def gezien_statement(sessie_id: uuid.UUID, nu: datetime) -> Any:
    """The UPDATE that records a session's last use (run beside the request by `toegang.dependencies.gebruik`)."""
    return update(DashboardSessie).where(col(DashboardSessie.id) == sessie_id).values(laatst_gezien_op=nu)


def ruim_op(session: Session) -> None:
    """Delete the sessions whose lifetime ended more than `dashboard_sessie_bewaardagen` ago (of every key)."""
    grens = utcnow() - timedelta(days=get_settings().dashboard_sessie_bewaardagen)
    session.exec(delete(DashboardSessie).where(col(DashboardSessie.verloopt_op) < grens))  # type: ignore[call-overload]
