"""The contact's columns that its topic rows and referrals carry themselves (migration 0032, issue 29).

The indicator queries for help questions and referrals read `contactmoment_onderwerp` and
`doorverwijzing` alone, from covering indexes, so those rows hold a copy of their contact's date,
gemeente, organisation, key person and deletion mark (columns prefixed `contact_`).

The database keeps the copies equal in the same statement as every write: a child row inserted
without them is filled from its contact, and an UPDATE of the contact updates its children (the
triggers of migration 0032). A writer that knows the contact already can send the copies itself
and spare the database the look-up: that is what this helper is for (the single write and the bulk
import do it through `inhoud.nieuwe_rijen`). Sending nothing is always correct, only slower.
"""

from collections.abc import Mapping
from typing import Any

# Copied column of a topic row -> column of its contactmoment.
ONDERWERP = {
    "contact_datum": "datum",
    "contact_gemeentecode": "gemeentecode",
    "contact_organisatie_id": "organisatie_id",
    "contact_sleutelpersoon_id": "sleutelpersoon_id",
    "contact_verwijderd_op": "verwijderd_op",
}
# A referral has its own organisatie_id (the contact's).
DOORVERWIJZING = {k: v for k, v in ONDERWERP.items() if k != "contact_organisatie_id"}


def afgeleide_kolommen(contactmoment: Mapping[str, Any], tabel: str = "contactmoment_onderwerp") -> dict[str, Any]:
    """The copied columns for a child row of `tabel` (`contactmoment_onderwerp` or `doorverwijzing`) of
    this contactmoment row (a dict of its column values, as the writers build it)."""
    kopie = ONDERWERP if tabel == "contactmoment_onderwerp" else DOORVERWIJZING
    return {kolom: contactmoment.get(bron) for kolom, bron in kopie.items()}
