"""SSO claim mappings (create, list, delete), signing a person in from verified ID token claims, sign-in records.

How a verified person becomes a dashboard session:
- the values of the configured claim (`sso_groepen_claim`, e.g. `groups` or `roles`) are compared exactly,
  as bound parameters, with the mappings' values (no patterns: `%` or `*` in a group name is just text);
- no mapping: refused; more than one: refused as ambiguous (the administrator makes groups disjoint);
  both are recorded (`sso_aanmelding`) and audited, and no session is made;
- one mapping: the person's own API key under that mapping (made at their first sign-in, secret never
  shown) gets an ordinary dashboard session, so every check of the key sign-in applies unchanged.

The person is named only by a keyed hash (HMAC-SHA256 with a key derived from the server secret) of
issuer and subject: staff are not residents, but the administrator needs no more to see who signed in
and when (`onderwerp_hash` turns a `sub` the IdP's administrator gives into the same hash, to look up one
person). No name, e-mail address or list of groups is stored.
"""

import hashlib
import hmac
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.core.config import get_settings
from app.core.errors import Conflict, NietGevonden, OngeldigeInvoer
from app.models import (
    ApiSleutel,
    DashboardSessie,
    Organisatie,
    SsoAanmelding,
    SsoGebruiker,
    SsoKoppeling,
    utcnow,
)
from app.toegang import audit
from app.toegang import service as toegang
from app.toegang.caller import Binding, Caller, Scope, cli_caller
from app.web import sessieopslag

RESOURCE = "sso-koppeling"
AANMELDING = "sso-aanmelding"
MAX_WAARDE = 200
MAX_WAARDEN = 1000
MAX_ID_TOKEN_IN_COOKIE = 2000  # claim values read from one token; an IdP that sends more is cut off, not trusted further


class Uitkomst:
    aangemeld = "aangemeld"
    geen_koppeling = "geen-koppeling"
    meerdere_koppelingen = "meerdere-koppelingen"
    organisatie_gedeactiveerd = "organisatie-gedeactiveerd"


class Geweigerd(Exception):
    """The person is verified but gets no session; `uitkomst` says why (recorded and audited)."""

    def __init__(self, uitkomst: str) -> None:
        super().__init__(uitkomst)
        self.uitkomst = uitkomst


def _systeem() -> Caller:
    # Sign-in acts for no key of its own; it is audited as the service (no key id), like the CLI.
    return cli_caller()


def onderwerp_hash(issuer: str, sub: str) -> str:
    """The keyed hash that stands for one person of one IdP (stable while the server secret is)."""
    sleutel = hmac.new(get_settings().secret_key.encode(), b"sleutelmonitor-sso-onderwerp-1", hashlib.sha256).digest()
    return hmac.new(sleutel, f"{issuer.rstrip('/')}\n{sub}".encode(), hashlib.sha256).hexdigest()


def claim_waarden(claims: dict[str, Any], claim: str) -> list[str]:
    """The claim's values as strings: a list (groups, roles) or one string; anything else is ignored."""
    waarde = claims.get(claim)
    if isinstance(waarde, str):
        waarde = [waarde]
    if not isinstance(waarde, list):
        return []
    # A value with control characters (NUL, which PostgreSQL refuses in text) can match no mapping: dropped.
    return sorted({w for w in waarde[:MAX_WAARDEN]
                   if isinstance(w, str) and 0 < len(w) <= MAX_WAARDE and not _heeft_stuurteken(w)})


def _heeft_stuurteken(tekst: str) -> bool:
    return any(ord(t) < 32 or ord(t) == 127 for t in tekst)


def _controleer_waarde(claim_waarde: str) -> list[dict[str, str]]:
    if not claim_waarde or len(claim_waarde) > MAX_WAARDE:
        return [{"name": "claimWaarde", "reason": f"Geef een groep of rol van 1 tot {MAX_WAARDE} tekens."}]
    if claim_waarde != claim_waarde.strip() or _heeft_stuurteken(claim_waarde):
        return [{"name": "claimWaarde", "reason": "Een groep of rol begint en eindigt niet met een spatie en bevat geen stuurtekens."}]
    return []


def create(
    session: Session, *, caller: Caller, claim_waarde: str, scopes: list[Scope],
    organisatie_id: uuid.UUID | None = None, gemeentecodes: list[str] | None = None,
) -> SsoKoppeling:
    """Map one IdP group or role value to an organisation or a region with scopes (one validation pass)."""
    problemen = _controleer_waarde(claim_waarde)
    _, binding_problemen = toegang.binding_problemen(session, scopes=scopes, organisatie_id=organisatie_id,
                                                     gemeentecodes=gemeentecodes)
    # Beheer is not a dashboard binding: the mapping is an organisation or a region, as a dashboard key is.
    problemen += [{**p, "reason": p["reason"].replace(" of beheer", "")} for p in binding_problemen]
    if problemen:
        raise OngeldigeInvoer.met(problemen)
    if (bestaand := session.exec(select(SsoKoppeling).where(SsoKoppeling.claim_waarde == claim_waarde)).first()) is not None:
        raise Conflict(f"Er is al een koppeling voor de groep of rol `{claim_waarde}`; verwijder die eerst.",
                       code="bestaat-al", extra={"bestaandId": str(bestaand.id)})
    koppeling = SsoKoppeling(claim_waarde=claim_waarde, scopes=sorted(s.value for s in set(scopes)),
                             organisatie_id=organisatie_id, gemeentecodes=sorted(set(gemeentecodes or [])))
    audit.created(session, caller=caller, record=koppeling, resource_type=RESOURCE,
                  velden=["claim_waarde", "scopes", "organisatie_id" if organisatie_id else "gemeentecodes"])
    return koppeling


def list_query() -> SelectOfScalar[SsoKoppeling]:
    """All mappings, newest first (id as tiebreaker)."""
    return select(SsoKoppeling).order_by(col(SsoKoppeling.aangemaakt_op).desc(), col(SsoKoppeling.id))


def get(session: Session, *, koppeling_id: uuid.UUID) -> SsoKoppeling:
    koppeling = session.get(SsoKoppeling, koppeling_id)
    if koppeling is None:
        raise NietGevonden(f"SSO-koppeling {koppeling_id} bestaat niet.")
    return koppeling


def delete_koppeling(session: Session, *, caller: Caller, koppeling: SsoKoppeling) -> None:
    """Delete a mapping: the keys of the people signed in through it are revoked, so their sessions end at once."""
    gebruikers = list(session.exec(select(SsoGebruiker).where(SsoGebruiker.koppeling_id == koppeling.id)))
    for gebruiker in gebruikers:
        key = session.get(ApiSleutel, gebruiker.api_sleutel_id)
        if key is not None:
            toegang.revoke_key(session, caller=caller, key=key)
    session.exec(delete(SsoGebruiker).where(col(SsoGebruiker.koppeling_id) == koppeling.id))  # type: ignore[call-overload]
    koppeling_id = koppeling.id
    session.delete(koppeling)
    session.flush()
    audit.log(session, caller=caller, actie="verwijderd", resource_type=RESOURCE, resource_id=koppeling_id)


@dataclass(frozen=True)
class Aanmelding:
    """A signed-in person: the cookie's content and the record of the sign-in."""

    cookie: dict[str, Any]
    record: SsoAanmelding


def _record(session: Session, *, onderwerp: str, uitkomst: str, koppeling: SsoKoppeling | None = None,
            key: ApiSleutel | None = None, sessie: DashboardSessie | None = None) -> SsoAanmelding:
    record = SsoAanmelding(onderwerp=onderwerp, uitkomst=uitkomst,
                           koppeling_id=koppeling.id if koppeling else None,
                           claim_waarde=koppeling.claim_waarde if koppeling else None,
                           api_sleutel_id=key.id if key else None, dashboard_sessie_id=sessie.id if sessie else None)
    session.add(record)
    session.flush()
    audit.log(session, caller=_systeem() if key is None else _caller(key), actie=uitkomst,
              resource_type=AANMELDING, resource_id=record.id, organisatie_id=koppeling.organisatie_id if koppeling else None)
    return record


def _caller(key: ApiSleutel) -> Caller:
    return Caller(sleutel_id=key.id, scopes=frozenset(Scope(s) for s in key.scopes if s in Scope.__members__),
                  binding=Binding.organisatie if key.organisatie_id else Binding.regio,
                  organisatie_id=key.organisatie_id, gemeentecodes=tuple(key.gemeentecodes or ()))


def _sleutel_van(session: Session, koppeling: SsoKoppeling, onderwerp: str) -> ApiSleutel:
    """The person's key under this mapping; a new one at the first sign-in or after revocation."""
    for gebruiker in session.exec(select(SsoGebruiker).where(SsoGebruiker.koppeling_id == koppeling.id,
                                                            SsoGebruiker.onderwerp == onderwerp)):
        key = session.get(ApiSleutel, gebruiker.api_sleutel_id)
        if key is not None and key.ingetrokken_op is None:
            return key
    key, _token = toegang.create_key(  # the secret is dropped here: nobody ever sees or uses it
        session, caller=_systeem(), naam=f"SSO {koppeling.claim_waarde[:150]} · {onderwerp[:12]}",
        scopes=[Scope(s) for s in koppeling.scopes], organisatie_id=koppeling.organisatie_id,
        gemeentecodes=list(koppeling.gemeentecodes) or None,
    )
    session.add(SsoGebruiker(koppeling_id=koppeling.id, onderwerp=onderwerp, api_sleutel_id=key.id))
    session.flush()
    return key


def meld_aan(session: Session, *, claims: dict[str, Any], id_token: str, user_agent: str | None) -> Aanmelding:
    """Sign a verified person in through the one mapping their claim matches; `Geweigerd` otherwise."""
    settings = get_settings()
    ruim_op(session)
    onderwerp = onderwerp_hash(str(claims["iss"]), str(claims["sub"]))
    waarden = claim_waarden(claims, settings.sso_groepen_claim)
    koppelingen = list(session.exec(select(SsoKoppeling).where(col(SsoKoppeling.claim_waarde).in_(waarden)))) if waarden else []
    if len(koppelingen) != 1:
        uitkomst = Uitkomst.geen_koppeling if not koppelingen else Uitkomst.meerdere_koppelingen
        _record(session, onderwerp=onderwerp, uitkomst=uitkomst)
        raise Geweigerd(uitkomst)
    koppeling = koppelingen[0]
    if koppeling.organisatie_id is not None:
        organisatie = session.get(Organisatie, koppeling.organisatie_id)
        if organisatie is None or not organisatie.actief:
            _record(session, onderwerp=onderwerp, uitkomst=Uitkomst.organisatie_gedeactiveerd, koppeling=koppeling)
            raise Geweigerd(Uitkomst.organisatie_gedeactiveerd)
    key = _sleutel_van(session, koppeling, onderwerp)
    sessie, token = sessieopslag.create(session, caller=_caller(key), user_agent=user_agent)
    record = _record(session, onderwerp=onderwerp, uitkomst=Uitkomst.aangemeld, koppeling=koppeling, key=key, sessie=sessie)
    cookie = {"p": key.prefix, "s": token, "c": secrets.token_urlsafe(24), "t": int(time.time())}
    # The ID token rides along for the IdP's logout (id_token_hint), unless it would push the cookie past what
    # browsers keep (4 KB; Entra ID tokens with many groups are larger): then logout names the client instead.
    if len(id_token) <= MAX_ID_TOKEN_IN_COOKIE:
        cookie["i"] = id_token
    return Aanmelding(cookie=cookie, record=record)


def is_sso_sessie(session: Session, dashboard_sessie_id: uuid.UUID) -> bool:
    """Whether this dashboard session was made by an SSO sign-in (decided here, never by the cookie)."""
    return session.exec(select(SsoAanmelding.id).where(SsoAanmelding.dashboard_sessie_id == dashboard_sessie_id)).first() is not None


def markeer_afgemeld(session: Session, *, dashboard_sessie_id: uuid.UUID) -> None:
    """Record the sign-out on the SSO sign-in that made this session (nothing for a key sign-in)."""
    for record in session.exec(select(SsoAanmelding).where(SsoAanmelding.dashboard_sessie_id == dashboard_sessie_id,
                                                           col(SsoAanmelding.afgemeld_op).is_(None))):
        record.afgemeld_op = utcnow()
        session.add(record)
    session.flush()


def aanmeldingen_query(*, onderwerp: str | None = None, uitkomst: str | None = None) -> Any:
    """Sign-in records with their session (outer join: the session row may be gone), newest first."""
    statement = (select(SsoAanmelding, DashboardSessie)
                 .join(DashboardSessie, col(DashboardSessie.id) == col(SsoAanmelding.dashboard_sessie_id), isouter=True))
    if onderwerp is not None:
        statement = statement.where(SsoAanmelding.onderwerp == onderwerp)
    if uitkomst is not None:
        statement = statement.where(SsoAanmelding.uitkomst == uitkomst)
    return statement.order_by(col(SsoAanmelding.tijdstip).desc(), col(SsoAanmelding.id).desc())


def ruim_op(session: Session) -> None:
    """Delete sign-in records older than the longest session plus `dashboard_sessie_bewaardagen`."""
    settings = get_settings()
    grens = utcnow() - timedelta(minutes=settings.dashboard_sessie_minuten, days=settings.dashboard_sessie_bewaardagen)
    session.exec(delete(SsoAanmelding).where(col(SsoAanmelding.tijdstip) < grens))  # type: ignore[call-overload]
