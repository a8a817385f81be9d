"""Forwarded headers from a trusted reverse proxy: the scheme, host and client address it saw.

Behind a TLS proxy the service is reached as `https://sleutelmonitor.ggd.nl` while the proxy talks
plain HTTP to it, perhaps under another host name. Without the proxy's `X-Forwarded-Proto` and
`X-Forwarded-Host`, the request looks like `http://backend:8000`: the dashboard's Origin check would
then refuse every form (sign-in included), and links and the session cookie's `Secure` flag would be
wrong. Those headers are only believed from the addresses in `SLEUTELMONITOR_TRUSTED_PROXIES`
(the format of uvicorn's `--forwarded-allow-ips`: IPs, networks such as `10.0.0.0/8`, or `*`);
from anyone else they are ignored, since a client can send them too.

uvicorn's own `ProxyHeadersMiddleware` applies `X-Forwarded-Proto` and `X-Forwarded-For`; this
subclass adds `X-Forwarded-Host`, checked against the same list before the client address is
rewritten. The app applies it itself, so it works the same under `sleutelmonitor serve`, another
ASGI server or the test client; `serve` therefore turns uvicorn's copy off (it would rewrite the
client address first, and the host check would no longer see the proxy).
"""

import re

from starlette.types import Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

# A host name or address with an optional port; anything else in the header is ignored.
_HOST = re.compile(rb"[A-Za-z0-9.\-]+(?::\d{1,5})?|\[[0-9A-Fa-f:.]+\](?::\d{1,5})?")


class DoorgestuurdeHeaders(ProxyHeadersMiddleware):
    """`X-Forwarded-Proto`, `-For` and `-Host` applied when the connecting peer is a trusted proxy."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            client = scope.get("client")
            if client and client[0] in self.trusted_hosts:
                scope = _met_host(scope)
        await super().__call__(scope, receive, send)


def _met_host(scope: Scope) -> Scope:
    """The scope with its Host header replaced by the proxy's `X-Forwarded-Host`, if it sent a valid one."""
    waarden = [v for k, v in scope["headers"] if k == b"x-forwarded-host"]
    if not waarden:
        return scope
    # A chain of proxies appends; the last value is the one our own (trusted) proxy set.
    host = b",".join(waarden).split(b",")[-1].strip()
    if not _HOST.fullmatch(host):
        return scope
    headers = [(k, v) for k, v in scope["headers"] if k != b"host"] + [(b"host", host)]
    return {**scope, "headers": headers}
