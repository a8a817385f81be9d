"""Where a webhook may point: SSRF protection for URLs a client chooses.

A subscriber names a URL and the service sends requests to it, so without a check any key holder could
make the service call the cloud metadata service (169.254.169.254), the database on the LAN or its own
admin ports. A URL is refused when its host resolves to any address that is not globally routable
(loopback, private, link-local, shared, reserved, multicast, unspecified, IPv4-mapped forms of those),
and plain http is refused, unless `webhook_interne_adressen` allows both (tests, a closed network).

The check runs at creation (a 400 that names the URL) and again before every delivery, which then
connects to the address it checked (the Host header and TLS SNI carry the name), so a DNS answer
that changes between check and connect (DNS rebinding) cannot redirect it. Redirects are not followed.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from app.core.config import get_settings


class OnveiligAdres(Exception):
    """The URL may not be called; the message (Dutch) says why, without echoing credentials."""


@dataclass(frozen=True)
class Doel:
    """A checked URL: the address to connect to, and what to send as Host and SNI."""

    url: str  # with the checked IP address in place of the name
    host: str  # the Host header
    sni: str | None  # the TLS server name (https only)


def _toegestaan(adres: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(adres, ipaddress.IPv6Address) and adres.ipv4_mapped is not None:
        adres = adres.ipv4_mapped
    return adres.is_global and not adres.is_multicast


def doel(url: str, *, oplossen: bool = True) -> Doel:
    """Check a webhook URL and resolve it once; raises OnveiligAdres with the reason."""
    intern = get_settings().webhook_interne_adressen
    try:
        delen = urlsplit(url)
        poort = delen.port
    except ValueError as exc:
        raise OnveiligAdres("De URL is ongeldig.") from exc
    if delen.scheme not in ("https", "http"):
        raise OnveiligAdres("Een webhook-URL begint met https://.")
    if delen.scheme == "http" and not intern:
        raise OnveiligAdres("Een webhook-URL moet https gebruiken.")
    if not delen.hostname:
        raise OnveiligAdres("De URL noemt geen host.")
    if delen.username or delen.password:
        raise OnveiligAdres("Een webhook-URL mag geen gebruikersnaam of wachtwoord bevatten; controleer de handtekening.")
    if delen.fragment:
        raise OnveiligAdres("Een webhook-URL mag geen fragment (#...) bevatten.")
    host = delen.hostname
    poort = poort or (443 if delen.scheme == "https" else 80)
    try:
        adressen = [ipaddress.ip_address(host)]
    except ValueError:
        if not oplossen:
            return Doel(url=url, host=host, sni=None)
        try:
            gevonden = socket.getaddrinfo(host, poort, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise OnveiligAdres(f"De host {host} is niet te vinden (DNS).") from exc
        adressen = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in gevonden]
    if not adressen:
        raise OnveiligAdres(f"De host {host} is niet te vinden (DNS).")
    if not intern:
        geweigerd = [str(a) for a in adressen if not _toegestaan(a)]
        if geweigerd:
            raise OnveiligAdres(
                f"De host {host} wijst naar een intern adres ({', '.join(sorted(set(geweigerd)))}: loopback, privé, "
                "link-local of gereserveerd); webhooks gaan alleen naar publieke adressen."
            )
    adres = adressen[0]
    netloc = f"[{adres}]" if adres.version == 6 else str(adres)
    standaard = 443 if delen.scheme == "https" else 80
    pad = delen.path or "/"
    vast = f"{delen.scheme}://{netloc}:{poort}{pad}" + (f"?{delen.query}" if delen.query else "")
    host_header = host if poort == standaard else f"{host}:{poort}"
    if ":" in host and poort == standaard:
        host_header = f"[{host}]"
    elif ":" in host:
        host_header = f"[{host}]:{poort}"
    return Doel(url=vast, host=host_header, sni=host if delen.scheme == "https" else None)
