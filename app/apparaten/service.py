"""Invitations and device sessions of key persons.

A coordinator (an organisation key with scope `registreren`, in the dashboard) invites one of the
organisation's key persons: a one-time token, shown once as a link and QR code, valid for
`uitnodiging_dagen`. Opening it on a phone and confirming creates a device session: a new random token
in an HttpOnly cookie. Only SHA-256 hashes of both tokens are stored, so a copy of the database opens
nothing. A device session is valid until `verloopt_op`, which moves forward as it is used (a sliding
lifetime of `apparaat_sessie_dagen`), and ends at once when the coordinator revokes it, the key person
is deactivated or the organisation is.
"""

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from app.core.config import get_settings
from app.core.errors import GeenToegang, NietGevonden
from app.models import Apparaat, Organisatie, Sleutelpersoon, Uitnodiging, utcnow
from app.toegang import audit, scoping
from app.toegang.caller import Binding, Caller, Scope

RESOURCE_UITNODIGING = "uitnodiging"
RESOURCE_APPARAAT = "apparaat"
# How often a device's last use (and so its sliding expiry) is written: not on every request.
GEBRUIK_RESOLUTIE = timedelta(minutes=10)
USER_AGENT_MAX = 300


def N_(tekst: str) -> str:
    """Marks a text for the app's catalogue (app/sleutelapp/locale); the page translates it when shown."""
    return tekst


def token_hash(token: str) -> str:
    # A 256-bit random token needs no slow hash (as API keys, app/core/security.py).
    return hashlib.sha256(token.encode()).hexdigest()


def nieuw_token() -> str:
    return secrets.token_urlsafe(32)


class UitnodigingOngeldig(Exception):
    """An invitation that cannot be used: the page says why (in the key person's language: the texts are
    catalogue messages, `%(dagen)s` filled in), with the HTTP status to answer."""

    def __init__(self, status: int, titel: str, uitleg: str) -> None:
        super().__init__(uitleg)
        self.status, self.titel, self.uitleg = status, titel, uitleg


def _coordinator(caller: Caller) -> None:
    if caller.binding is not Binding.organisatie or not caller.has(Scope.registreren):
        raise GeenToegang("Alleen een sleutel van de organisatie met scope `registreren` kan sleutelpersonen "
                          "uitnodigen of apparaten intrekken.")


def _eigen_persoon(session: Session, caller: Caller, sleutelpersoon_id: uuid.UUID) -> Sleutelpersoon:
    return scoping.haal_eigen(session, Sleutelpersoon, sleutelpersoon_id, caller, naam="Sleutelpersoon")


def nodig_uit(session: Session, caller: Caller, sleutelpersoon_id: uuid.UUID) -> tuple[Uitnodiging, str]:
    """A new invitation for an active key person of the caller's organisation, and its token (shown once)."""
    _coordinator(caller)
    persoon = _eigen_persoon(session, caller, sleutelpersoon_id)
    if not persoon.actief:
        raise GeenToegang(f"Sleutelpersoon {persoon.weergavenaam} is niet actief; activeer hem of haar eerst.")
    token = nieuw_token()
    nu = utcnow()
    uitnodiging = Uitnodiging(
        organisatie_id=persoon.organisatie_id, sleutelpersoon_id=persoon.id, token_hash=token_hash(token),
        aangemaakt_op=nu, aangemaakt_door=caller.sleutel_id,
        verloopt_op=nu + timedelta(days=get_settings().uitnodiging_dagen),
    )
    session.add(uitnodiging)
    session.flush()
    audit.log(session, caller=caller, actie="aangemaakt", resource_type=RESOURCE_UITNODIGING,
              resource_id=uitnodiging.id, velden=["sleutelpersoonId"])
    return uitnodiging, token


def bekijk(session: Session, token: str) -> tuple[Uitnodiging, Sleutelpersoon, Organisatie]:
    """The invitation behind a token, if it can still be used; else `UitnodigingOngeldig` saying why."""
    uitnodiging = session.exec(select(Uitnodiging).where(Uitnodiging.token_hash == token_hash(token))).first()
    if uitnodiging is None:
        raise UitnodigingOngeldig(
            404, N_("Deze uitnodiging bestaat niet"),
            N_("De link is niet compleet of niet goed overgenomen. Open de link opnieuw vanuit het bericht, "
               "of vraag je coördinator om een nieuwe uitnodiging."))
    if uitnodiging.gebruikt_op is not None:
        raise UitnodigingOngeldig(
            410, N_("Deze uitnodiging is al gebruikt"),
            N_("Een uitnodiging werkt maar één keer. Gebruik de app op het apparaat waarop je hem opende, "
               "of vraag je coördinator om een nieuwe uitnodiging voor dit apparaat."))
    if uitnodiging.ingetrokken_op is not None:
        raise UitnodigingOngeldig(
            410, N_("Deze uitnodiging is ingetrokken"),
            N_("Je coördinator heeft deze uitnodiging ingetrokken. Vraag om een nieuwe als je de app wilt gebruiken."))
    if uitnodiging.verloopt_op <= utcnow():
        raise UitnodigingOngeldig(
            410, N_("Deze uitnodiging is verlopen"),
            N_("Een uitnodiging is %(dagen)s dagen geldig. Vraag je coördinator om een nieuwe uitnodiging."))
    persoon = session.get(Sleutelpersoon, uitnodiging.sleutelpersoon_id)
    organisatie = session.get(Organisatie, uitnodiging.organisatie_id)
    if persoon is None or not persoon.actief or organisatie is None or not organisatie.actief:
        raise UitnodigingOngeldig(
            410, N_("Deze uitnodiging geldt niet meer"),
            N_("Je account of je organisatie is niet meer actief. Neem contact op met je coördinator."))
    return uitnodiging, persoon, organisatie


def activeer(
    session: Session, token: str, user_agent: str | None, vorige: str | None = None
) -> tuple[Apparaat, str]:
    """Use an invitation once: a new device session and its cookie token. Two tabs racing: one wins.

    `vorige`: the cookie token this browser already had; that session ends, one browser one session.
    """
    uitnodiging, persoon, _ = bekijk(session, token)
    nu = utcnow()
    apparaat_token = nieuw_token()
    apparaat = Apparaat(
        organisatie_id=persoon.organisatie_id, sleutelpersoon_id=persoon.id, token_hash=token_hash(apparaat_token),
        user_agent=(user_agent or "")[:USER_AGENT_MAX] or None, aangemaakt_op=nu, laatst_gebruikt_op=nu,
        verloopt_op=nu + timedelta(days=get_settings().apparaat_sessie_dagen),
    )
    # Claim the invitation with a conditional update, so a second use (another tab, a replayed form)
    # finds it taken even when both read it as unused.
    geclaimd = session.exec(  # type: ignore[call-overload]
        update(Uitnodiging)
        .where(col(Uitnodiging.id) == uitnodiging.id, col(Uitnodiging.gebruikt_op).is_(None),
               col(Uitnodiging.ingetrokken_op).is_(None))
        .values(gebruikt_op=nu, apparaat_id=apparaat.id)
    )
    if geclaimd.rowcount != 1:
        session.rollback()
        bekijk(session, token)  # says why it cannot be used any more
        raise UitnodigingOngeldig(409, N_("Deze uitnodiging wordt net gebruikt"),
                                  N_("Probeer het over een paar seconden opnieuw."))
    if vorige and (oud := zoek(session, vorige)) is not None and oud.ingetrokken_op is None:
        meld_af(session, oud.caller)
    session.add(apparaat)
    session.flush()
    caller = apparaat_caller(apparaat)
    audit.log(session, caller=caller, actie="aangemaakt", resource_type=RESOURCE_APPARAAT, resource_id=apparaat.id,
              velden=["uitnodigingId"])
    return apparaat, apparaat_token


def apparaat_caller(apparaat: "Apparaat | GeldigApparaat") -> Caller:
    """The caller a device session stands for: one key person of one organisation (scoping narrows it)."""
    return Caller(sleutel_id=None, scopes=frozenset({Scope.registreren}), binding=Binding.sleutelpersoon,
                  organisatie_id=apparaat.organisatie_id, sleutelpersoon_id=apparaat.sleutelpersoon_id,
                  apparaat_id=apparaat.id)


@dataclass(frozen=True)
class GeldigApparaat:
    """What authentication reads of a device session, its key person and organisation."""

    id: uuid.UUID
    organisatie_id: uuid.UUID
    sleutelpersoon_id: uuid.UUID
    laatst_gebruikt_op: datetime
    verloopt_op: datetime
    ingetrokken_op: datetime | None
    persoon_actief: bool
    organisatie_actief: bool

    def reden_ongeldig(self, nu: datetime) -> str | None:
        """Why this session no longer gives access, in the key person's words; None when it does."""
        if self.ingetrokken_op is not None:
            return "Dit apparaat is afgemeld. Vraag je coördinator om een nieuwe uitnodiging."
        if self.verloopt_op <= nu:
            return "Je bent een tijd niet aangemeld geweest. Vraag je coördinator om een nieuwe uitnodiging."
        if not self.persoon_actief or not self.organisatie_actief:
            return "Je account of je organisatie is niet meer actief. Neem contact op met je coördinator."
        return None

    @property
    def caller(self) -> Caller:
        return apparaat_caller(self)


def zoek(session: Session, token: str) -> GeldigApparaat | None:
    """The device session behind a cookie token (valid or not), or None for an unknown token."""
    rij = session.exec(
        select(Apparaat, Sleutelpersoon.actief, Organisatie.actief)  # type: ignore[call-overload]
        .join(Sleutelpersoon, col(Sleutelpersoon.id) == Apparaat.sleutelpersoon_id)
        .join(Organisatie, col(Organisatie.id) == Apparaat.organisatie_id)
        .where(Apparaat.token_hash == token_hash(token))
    ).first()
    if rij is None:
        return None
    apparaat, persoon_actief, organisatie_actief = rij
    return GeldigApparaat(
        id=apparaat.id, organisatie_id=apparaat.organisatie_id, sleutelpersoon_id=apparaat.sleutelpersoon_id,
        laatst_gebruikt_op=apparaat.laatst_gebruikt_op, verloopt_op=apparaat.verloopt_op,
        ingetrokken_op=apparaat.ingetrokken_op, persoon_actief=bool(persoon_actief),
        organisatie_actief=bool(organisatie_actief),
    )


def verleng_statement(apparaat_id: uuid.UUID, nu: datetime) -> Any:
    """Record a use: last use now, and the sliding lifetime starts again (run beside the request)."""
    return (
        update(Apparaat).where(col(Apparaat.id) == apparaat_id, col(Apparaat.ingetrokken_op).is_(None))
        .values(laatst_gebruikt_op=nu, verloopt_op=nu + timedelta(days=get_settings().apparaat_sessie_dagen))
    )


def meld_af(session: Session, caller: Caller) -> None:
    """The device signs itself out: its session ends, here and now."""
    if caller.apparaat_id is None:
        return
    session.exec(  # type: ignore[call-overload]
        update(Apparaat).where(col(Apparaat.id) == caller.apparaat_id, col(Apparaat.ingetrokken_op).is_(None))
        .values(ingetrokken_op=utcnow())
    )
    audit.log(session, caller=caller, actie="afgemeld", resource_type=RESOURCE_APPARAAT, resource_id=caller.apparaat_id)


def apparaten_van(session: Session, caller: Caller, sleutelpersoon_id: uuid.UUID) -> list[Apparaat]:
    """A key person's device sessions, newest use first (revoked ones too, for the record)."""
    _eigen_persoon(session, caller, sleutelpersoon_id)
    return list(session.exec(
        select(Apparaat).where(Apparaat.sleutelpersoon_id == sleutelpersoon_id,
                               Apparaat.organisatie_id == caller.organisatie_id)
        .order_by(col(Apparaat.ingetrokken_op).is_not(None), col(Apparaat.laatst_gebruikt_op).desc())
    ).all())


def open_uitnodigingen(session: Session, caller: Caller, sleutelpersoon_id: uuid.UUID) -> list[Uitnodiging]:
    """Invitations not used, revoked or expired yet, newest first."""
    _eigen_persoon(session, caller, sleutelpersoon_id)
    return list(session.exec(
        select(Uitnodiging).where(Uitnodiging.sleutelpersoon_id == sleutelpersoon_id,
                                  Uitnodiging.organisatie_id == caller.organisatie_id,
                                  col(Uitnodiging.gebruikt_op).is_(None), col(Uitnodiging.ingetrokken_op).is_(None),
                                  col(Uitnodiging.verloopt_op) > utcnow())
        .order_by(col(Uitnodiging.aangemaakt_op).desc())
    ).all())


def trek_apparaat_in(session: Session, caller: Caller, sleutelpersoon_id: uuid.UUID, apparaat_id: uuid.UUID) -> None:
    """The coordinator revokes a device: its next request is refused (404 for another's device)."""
    _coordinator(caller)
    _eigen_persoon(session, caller, sleutelpersoon_id)
    apparaat = session.exec(select(Apparaat).where(
        Apparaat.id == apparaat_id, Apparaat.sleutelpersoon_id == sleutelpersoon_id,
        Apparaat.organisatie_id == caller.organisatie_id)).first()
    if apparaat is None:
        raise NietGevonden(f"Apparaat {apparaat_id} bestaat niet.")
    if apparaat.ingetrokken_op is None:
        apparaat.ingetrokken_op = utcnow()
        session.add(apparaat)
        audit.log(session, caller=caller, actie="ingetrokken", resource_type=RESOURCE_APPARAAT, resource_id=apparaat.id)


def trek_uitnodiging_in(session: Session, caller: Caller, sleutelpersoon_id: uuid.UUID, uitnodiging_id: uuid.UUID) -> None:
    _coordinator(caller)
    _eigen_persoon(session, caller, sleutelpersoon_id)
    uitnodiging = session.exec(select(Uitnodiging).where(
        Uitnodiging.id == uitnodiging_id, Uitnodiging.sleutelpersoon_id == sleutelpersoon_id,
        Uitnodiging.organisatie_id == caller.organisatie_id)).first()
    if uitnodiging is None:
        raise NietGevonden(f"Uitnodiging {uitnodiging_id} bestaat niet.")
    if uitnodiging.ingetrokken_op is None and uitnodiging.gebruikt_op is None:
        uitnodiging.ingetrokken_op = utcnow()
        session.add(uitnodiging)
        audit.log(session, caller=caller, actie="ingetrokken", resource_type=RESOURCE_UITNODIGING,
                  resource_id=uitnodiging.id)
