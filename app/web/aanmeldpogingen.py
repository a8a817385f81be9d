"""Throttling of dashboard sign-ins: failed attempts per client address and per key prefix, in the database.

Past `aanmelden_pogingen_per_adres` failures from one address (IPv6: one /64, which a single host
holds) or `aanmelden_pogingen_per_sleutel` failures with one key prefix within
`aanmelden_venster_minuten`, the sign-in form answers 429 with the time to try again, until the
oldest of those failures leaves the window. Only failures count: a refused attempt tests nothing, and
a successful sign-in neither counts nor resets (on a shared office address it is someone else's).

The counts live in the database (`aanmeldpoging`), not per process as `RateLimiter`: per process, the
limit would hold once per worker and replica (10 per address became 80 with `serve --workers 4` on two
replicas) and be forgotten at every restart, which is just what an attacker can wait for. Sign-ins
are rare and failed ones rarer, so two indexed counts per attempt and one insert per failure cost
nothing measurable, and every process and replica shares the count (issue 30). The address and the
prefix are stored as keyed hashes, never in the clear, and rows are deleted once they leave the window.
"""

import hashlib
import hmac
import ipaddress
import math
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, col, select

from app.core.config import get_settings
from app.core.validation import TIJDZONE
from app.models import Aanmeldpoging, utcnow


class TeVeelPogingen(Exception):
    """Too many failed sign-ins: the Dutch message with the time to try again, and Retry-After in seconds."""

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.detail, self.retry_after = detail, retry_after


def _hash(soort: bytes, waarde: str) -> str:
    geheim = get_settings().secret_key.encode()
    return hmac.new(geheim, b"aanmelden:" + soort + b":" + waarde.encode(), hashlib.sha256).hexdigest()


def _netwerk(adres: str) -> str:
    """The unit counted per address: the address itself for IPv4, its /64 network for IPv6."""
    try:
        ip = ipaddress.ip_address(adres)
    except ValueError:
        return adres  # not an IP address (a test client, a Unix socket): counted as it is
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:  # ::ffff:192.0.2.1 is the IPv4 address it maps
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def adres_hash(adres: str) -> str:
    return _hash(b"adres", _netwerk(adres))


def prefix_hash(prefix: str) -> str:
    return _hash(b"prefix", prefix)


def _venster() -> timedelta:
    return timedelta(minutes=get_settings().aanmelden_venster_minuten)


def _tijdstip(moment: datetime) -> str:
    lokaal = moment.astimezone(TIJDZONE)
    return f"{lokaal.hour}:{lokaal.minute:02d}"


def controleer(session: Session, *, adres: str, prefix: str | None) -> None:
    """`TeVeelPogingen` when this address or this key prefix had too many failures in the window."""
    settings = get_settings()
    nu = utcnow()
    venster = _venster()
    grenzen = [(col(Aanmeldpoging.adres_hash), adres_hash(adres), settings.aanmelden_pogingen_per_adres,
                "vanaf dit adres")]
    if prefix is not None:
        grenzen.append((col(Aanmeldpoging.prefix_hash), prefix_hash(prefix), settings.aanmelden_pogingen_per_sleutel,
                        f"met sleutel {prefix}"))
    for kolom, waarde, limiet, wie in grenzen:
        momenten = session.exec(
            select(Aanmeldpoging.moment).where(kolom == waarde, col(Aanmeldpoging.moment) > nu - venster)
            .order_by(col(Aanmeldpoging.moment).desc()).limit(limiet)
        ).all()
        if len(momenten) < limiet:
            continue
        # Free again when the limit-th newest failure leaves the window: then fewer than `limiet` remain.
        vrij = momenten[limiet - 1] + venster
        seconden = max(1, math.ceil((vrij - nu).total_seconds()))
        minuten = math.ceil(seconden / 60)
        raise TeVeelPogingen(
            f"Te veel mislukte aanmeldpogingen {wie} in de afgelopen {settings.aanmelden_venster_minuten} minuten. "
            f"Probeer het opnieuw om {_tijdstip(vrij)} (over {minuten} {'minuut' if minuten == 1 else 'minuten'}).",
            seconden,
        )


def noteer_mislukt(session: Session, *, adres: str, prefix: str | None) -> None:
    """Count a failed sign-in, and forget the failures that left the window (of every address)."""
    nu = utcnow()
    session.exec(delete(Aanmeldpoging).where(col(Aanmeldpoging.moment) <= nu - _venster()))  # type: ignore[call-overload]
    session.add(Aanmeldpoging(adres_hash=adres_hash(adres), prefix_hash=prefix_hash(prefix) if prefix else None,
                              moment=nu))
    session.flush()
