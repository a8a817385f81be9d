"""A webhook receiver for Sleutelmonitor that checks every message before it trusts it: a short, working example.

Sleutelmonitor signs each delivery the Standard Webhooks way (https://www.standardwebhooks.com):

- `webhook-id`: the message id, the same on every retry: remember the ids you handled and skip repeats;
- `webhook-timestamp`: Unix seconds of this attempt: refuse a message more than five minutes off, so a
  captured request cannot be replayed later;
- `webhook-signature`: `v1,<base64>`, the HMAC-SHA256 over `{webhook-id}.{webhook-timestamp}.{body}` with
  the secret's key (the base64 after `whsec_`). Several space-separated signatures may come (during a
  key rotation); one match is enough. Compare in constant time.

Answer 2xx within a few seconds (do the work afterwards); anything else, a timeout or a redirect is a
failure and is retried after 10 s, 40 s, 2.7 min, ... The body is thin: `data.href` says where to read
the record, `data.volgnummer` orders events, and `import.voltooid` means: fetch that import's records
with `gewijzigdSinds`.

Run it (the secret is the `geheim` of POST /v1/webhooks, shown once):

    WEBHOOK_GEHEIM=whsec_... python examples/webhook_ontvanger.py 8123

Only the standard library; the `standardwebhooks` package does the same check in one call.
"""

import base64
import hashlib
import hmac
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOLERANTIE_SECONDEN = 5 * 60


class OngeldigBericht(Exception):
    pass


def controleer(geheim: str, headers: dict[str, str], body: bytes, *, nu: float | None = None) -> dict[str, Any]:
    """The message if its signature and timestamp are right; OngeldigBericht otherwise."""
    headers = {k.lower(): v for k, v in headers.items()}
    bericht_id, tijdstip, handtekeningen = (headers.get(h) for h in ("webhook-id", "webhook-timestamp", "webhook-signature"))
    if not (bericht_id and tijdstip and handtekeningen):
        raise OngeldigBericht("webhook-headers ontbreken")
    try:
        seconden = int(tijdstip)
    except ValueError:
        raise OngeldigBericht("webhook-timestamp is geen getal") from None
    if abs((nu if nu is not None else time.time()) - seconden) > TOLERANTIE_SECONDEN:
        raise OngeldigBericht("webhook-timestamp ligt te ver van nu (replay?)")
    sleutel = base64.b64decode(geheim.removeprefix("whsec_"))
    verwacht = base64.b64encode(hmac.new(sleutel, f"{bericht_id}.{seconden}.".encode() + body, hashlib.sha256).digest())
    for handtekening in handtekeningen.split(" "):
        versie, _, waarde = handtekening.partition(",")
        if versie == "v1" and hmac.compare_digest(waarde.encode(), verwacht):
            return json.loads(body)
    raise OngeldigBericht("geen geldige handtekening")


def maak_server(geheim: str, poort: int = 0, *, verwerk: Any = None) -> ThreadingHTTPServer:
    """An HTTP server that answers 204 to a valid message (after calling `verwerk`) and 401 to anything else."""
    gezien: set[str] = set()

    class Ontvanger(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                bericht = controleer(geheim, dict(self.headers.items()), body)
            except OngeldigBericht as exc:
                self.send_response(401)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.end_headers()
                self.wfile.write(str(exc).encode())
                return
            bericht_id = self.headers["webhook-id"]
            if bericht_id not in gezien:  # a retry of a message already handled is acknowledged, not redone
                gezien.add(bericht_id)
                (verwerk or _toon)(bericht)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *_args: object) -> None:
            pass

    return ThreadingHTTPServer(("127.0.0.1", poort), Ontvanger)


def _toon(bericht: dict[str, Any]) -> None:
    data = bericht.get("data", {})
    print(f"{bericht['type']}: {data.get('href', '')} (volgnummer {data.get('volgnummer')})", flush=True)


if __name__ == "__main__":
    geheim = os.environ.get("WEBHOOK_GEHEIM")
    if not geheim:
        sys.exit("Zet WEBHOOK_GEHEIM op het geheim (whsec_...) uit het antwoord van POST /v1/webhooks.")
    server = maak_server(geheim, int(sys.argv[1]) if len(sys.argv) > 1 else 8123)
    print(f"Luistert op http://127.0.0.1:{server.server_address[1]}/", flush=True)
    server.serve_forever()
