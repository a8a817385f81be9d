"""afgeleide_sleutels_zonder_inwoner: derived import keys no longer depend on the resident

An imported row without an externId gets `import-<sha256 of its content>`. That content used to
include the resident's keyed hash, and an erasure (`POST /v1/inwoners/_vergeet`) dropped the hash
but left the key: re-importing the file then told an erased resident's contacts apart from a
control reference's. The key is now computed without the resident (app/imports/bulk.py,
`sleutel_van_inhoud`); this rewrites every stored derived key into that form, from the record's
content as stored now. Rows whose content is the same apart from the resident are numbered within
their organisation (`-2`, `-3`, ...) in the order they were numbered before, then by creation.

A record whose content changed after its import (a referral's status moved on) gets the key of its
current content, so re-importing a file from before this upgrade may add such a row again; the
alternative, keeping a key computed over an erased resident, is what this migration removes.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28
"""

import re
import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from app.contactmomenten import inhoud
from app.imports.bulk import sleutel_van_inhoud

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AFGELEID = re.compile(r"^import-[0-9a-f]{64}(?:-(\d+))?$")
BLOK = 500

contactmoment = sa.table(
    "contactmoment",
    sa.column("id", sa.Uuid()), sa.column("organisatie_id", sa.Uuid()), sa.column("extern_id", sa.String()),
    sa.column("sleutelpersoon_id", sa.Uuid()), sa.column("datum", sa.Date()),
    sa.column("gemeentecode", sa.String()), sa.column("wijkcode", sa.String()), sa.column("kanaal", sa.String()),
    sa.column("soort", sa.String()), sa.column("aantal_deelnemers", sa.Integer()), sa.column("rol", sa.String()),
    sa.column("duur_minuten", sa.Integer()), sa.column("inwoner_hash", sa.String()),
    sa.column("leeftijdscategorie", sa.String()), sa.column("geslacht", sa.String()), sa.column("taal", sa.String()),
    sa.column("doelgroep", sa.String()), sa.column("aangemaakt_op", sa.DateTime()),
)
onderwerp = sa.table("contactmoment_onderwerp", sa.column("contactmoment_id", sa.Uuid()), sa.column("onderwerp", sa.String()))
actie = sa.table("contactmoment_actie", sa.column("contactmoment_id", sa.Uuid()), sa.column("actie", sa.String()))
doorverwijzing = sa.table(
    "doorverwijzing",
    sa.column("id", sa.Uuid()), sa.column("contactmoment_id", sa.Uuid()), sa.column("ketenpartner_id", sa.Uuid()),
    sa.column("onderwerp", sa.String()), sa.column("wijze", sa.String()), sa.column("status", sa.String()),
    sa.column("status_datum", sa.Date()), sa.column("aangemaakt_op", sa.DateTime()),
)
uitkomst = sa.table(
    "uitkomst",
    sa.column("id", sa.Uuid()), sa.column("contactmoment_id", sa.Uuid()), sa.column("resultaat", sa.String()),
    sa.column("datum", sa.Date()), sa.column("aangemaakt_op", sa.DateTime()),
)


def _blokken(waarden: list[Any]) -> Iterator[list[Any]]:
    for begin in range(0, len(waarden), BLOK):
        yield waarden[begin:begin + BLOK]


def _kinderen(conn: sa.Connection, ids: list[uuid.UUID]) -> dict[uuid.UUID, inhoud.Kinderen]:
    """The children of these records in the order `contactmomenten.service.laad_kinderen` reads them."""
    kinderen = {i: inhoud.Kinderen() for i in ids}
    for rij in conn.execute(sa.select(onderwerp).where(onderwerp.c.contactmoment_id.in_(ids)).order_by(onderwerp.c.onderwerp)):
        kinderen[rij.contactmoment_id].onderwerpen.append(rij.onderwerp)
    for rij in conn.execute(sa.select(actie).where(actie.c.contactmoment_id.in_(ids)).order_by(actie.c.actie)):
        kinderen[rij.contactmoment_id].acties.append(rij.actie)
    for rij in conn.execute(
        sa.select(doorverwijzing).where(doorverwijzing.c.contactmoment_id.in_(ids))
        .order_by(doorverwijzing.c.aangemaakt_op, doorverwijzing.c.id)
    ):
        kinderen[rij.contactmoment_id].doorverwijzingen.append(dict(rij._mapping))
    for rij in conn.execute(
        sa.select(uitkomst).where(uitkomst.c.contactmoment_id.in_(ids))
        .order_by(uitkomst.c.datum, uitkomst.c.aangemaakt_op, uitkomst.c.id)
    ):
        kinderen[rij.contactmoment_id].uitkomst = dict(rij._mapping)
    return kinderen


def upgrade() -> None:
    conn = op.get_bind()
    kandidaten = [
        (rij.id, rij.extern_id)
        for rij in conn.execute(
            sa.select(contactmoment.c.id, contactmoment.c.extern_id).where(contactmoment.c.extern_id.like("import-%"))
        )
        if AFGELEID.match(rij.extern_id)
    ]
    # (organisation, new key without suffix) -> [(old suffix, created, id, old key)]
    groepen: dict[tuple[uuid.UUID, str], list[tuple[int, Any, uuid.UUID, str]]] = defaultdict(list)
    for blok in _blokken(kandidaten):
        oud = dict(blok)
        records = list(conn.execute(sa.select(contactmoment).where(contactmoment.c.id.in_(list(oud)))))
        kinderen = _kinderen(conn, [r.id for r in records])
        for record in records:
            gegevens = inhoud.inhoud_van_record(dict(record._mapping), kinderen[record.id])
            volgnummer = AFGELEID.match(oud[record.id]).group(1)  # type: ignore[union-attr]
            groepen[(record.organisatie_id, sleutel_van_inhoud(gegevens))].append(
                (int(volgnummer or 1), record.aangemaakt_op, record.id, oud[record.id])
            )
    nieuw: dict[uuid.UUID, str] = {}
    for (_, sleutel), leden in groepen.items():
        for n, (_, _, record_id, oude_sleutel) in enumerate(sorted(leden, key=lambda lid: (lid[0], lid[1], str(lid[2]))), 1):
            sleutel_n = sleutel if n == 1 else f"{sleutel}-{n}"
            if sleutel_n != oude_sleutel:
                nieuw[record_id] = sleutel_n
    # Two steps, so a key that moves to a record whose old key it was never meets a duplicate.
    for record_id in nieuw:
        conn.execute(sa.update(contactmoment).where(contactmoment.c.id == record_id).values(extern_id=f"tmp-{record_id}"))
    for record_id, sleutel in nieuw.items():
        conn.execute(sa.update(contactmoment).where(contactmoment.c.id == record_id).values(extern_id=sleutel))


def downgrade() -> None:
    # The old keys were computed over resident hashes that erasures have dropped since: they cannot
    # be restored, and the new ones stay unique, so a downgrade leaves them as they are.
    pass
