"""A partner app that keeps Sleutelmonitor in step with its own registrations: a short, working example.

What it shows, in the order a partner app needs it:

1. **Send contactmomenten idempotently.** Each contact carries the app's own id as `externId`. Sending it
   again is safe: 201 the first time, 200 with the stored record when nothing changed. A 409 means the
   app's record changed since: the problem names the stored record in `bestaandId`, and the app corrects
   it with PATCH.
2. **Never overwrite someone else's change.** Every PATCH sends the `ETag` of the version it read in
   `If-Match`. When another app (or a person in the dashboard) changed the record in between, the answer
   is 412 and nothing is saved: read again, apply the change to the new version, send again.
3. **Fetch a report as a file.** `/waarden.csv` gives CSV that Dutch Excel opens as is (`formaat=csv-rfc4180`
   is the comma variant for other tools); `/waarden.xlsx` a workbook.

Run it against a local server (`make run` prints a key with scope registreren):

    SLEUTELMONITOR_URL=http://127.0.0.1:8000/v1 SLEUTELMONITOR_KEY=smk_... python examples/partner_app.py

It only needs httpx. A typed client generated from `openapi/openapi.json` (for example with
openapi-python-client) can do the same with `create_contactmoment`, `update_contactmoment` and friends.
"""

import os
import sys
from datetime import date
from typing import Any

import httpx


def verstuur(api: httpx.Client, contact: dict[str, Any]) -> dict[str, Any]:
    """Create the contactmoment, or bring the stored one in line with the app's record (by `externId`)."""
    antwoord = api.post("/contactmomenten", json=contact)
    if antwoord.status_code in (200, 201):
        return antwoord.json()
    if antwoord.status_code != 409:
        antwoord.raise_for_status()
    # The app's record changed since it was sent: correct the stored one (only the fields a PATCH takes).
    bestaand_id = antwoord.json()["bestaandId"]
    wijziging = {k: v for k, v in contact.items() if k not in ("externId", "doorverwijzingen", "uitkomst")}
    return wijzig(api, f"/contactmomenten/{bestaand_id}", wijziging)


def wijzig(api: httpx.Client, pad: str, wijziging: dict[str, Any], *, pogingen: int = 3) -> dict[str, Any]:
    """PATCH with `If-Match`: on 412 (someone else was first) read the new version and try again."""
    for _ in range(pogingen):
        huidig = api.get(pad)
        huidig.raise_for_status()
        antwoord = api.patch(pad, json=wijziging, headers={"If-Match": huidig.headers["ETag"]})
        if antwoord.status_code != 412:
            antwoord.raise_for_status()
            return antwoord.json()
    raise RuntimeError(f"{pad} bleef wijzigen; probeer het later opnieuw.")


def werk_doorverwijzing_bij(api: httpx.Client, doorverwijzing_id: str, status: str) -> dict[str, Any]:
    """Move a referral on (e.g. `aangekomen` once the partner confirmed the first appointment)."""
    return wijzig(api, f"/doorverwijzingen/{doorverwijzing_id}", {"status": status})


def rapport(api: httpx.Client, indicator: str, periode: str, *, formaat: str = "csv") -> bytes:
    """Indicator values as a file: `csv` for Dutch Excel, `csv-rfc4180` for tools, or `xlsx`."""
    bestand, variant = ("waarden.xlsx", {}) if formaat == "xlsx" else ("waarden.csv", {"formaat": formaat})
    antwoord = api.get(f"/indicatoren/{indicator}/{bestand}", params={"periode": periode, "groeperenOp": "gemeente", **variant})
    antwoord.raise_for_status()
    return antwoord.content


def main() -> int:
    basis, sleutel = os.environ.get("SLEUTELMONITOR_URL"), os.environ.get("SLEUTELMONITOR_KEY")
    if not basis or not sleutel:
        print(__doc__)
        return 2
    with httpx.Client(base_url=basis, headers={"Authorization": f"Bearer {sleutel}"}, timeout=30) as api:
        persoon = api.get("/sleutelpersonen", params={"pageSize": 1}).json()[0]
        contact = {
            "externId": "partner-app-voorbeeld-1", "sleutelpersoonId": persoon["id"],
            "gemeentecode": persoon["gemeentecode"], "kanaal": "persoonlijk", "datum": date.today().isoformat(),
            "onderwerpen": ["geld.toeslagen"],
        }
        vastgelegd = verstuur(api, contact)
        print(f"contactmoment {vastgelegd['id']} ({vastgelegd['kanaal']})")
        vastgelegd = verstuur(api, {**contact, "kanaal": "telefonisch"})  # changed in the app: corrected here
        print(f"gecorrigeerd: kanaal {vastgelegd['kanaal']}")
        sys.stdout.write(rapport(api, "aantal-contactmomenten", "dit-jaar").decode("utf-8-sig"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
