"""AVG (GDPR) for residents: erasure of one reference, and the retention period for resident hashes.

Only `contactmoment.inwoner_hash` links records to a resident. Dropping it keeps every count except
unique reach, which is exactly what the AVG asks: the figures stay, the person goes.
"""

import calendar
import uuid
from collections import Counter
from datetime import date

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from app.contactmomenten import service as contactmomenten
from app.models import Contactmoment, IdempotentieSleutel, utcnow
from app.rapportage import service as rapportage
from app.toegang import audit, scoping
from app.toegang.caller import Caller, cli_caller

RESOURCE_TYPE = "inwoner"
BATCH = 500


def _ontkoppel(session: Session, records: list[Contactmoment]) -> None:
    """Drop the resident hash, and refresh the fingerprint that was computed over it."""
    nu = utcnow()
    for record in records:
        record.inwoner_hash = None
        record.gewijzigd_op = nu
    # The old fingerprint covered the hash: left alone, it would let the reference be matched again.
    contactmomenten.herbereken_inhoud_hash(session, records=records)
    session.flush()


def vergeet(session: Session, *, caller: Caller, referentie: str) -> int:
    """Erase the link between the caller's contactmomenten (deleted ones too) and one resident reference."""
    assert caller.organisatie_id is not None
    inwoner_hash = contactmomenten.referentie_hash(
        organisatie_id=caller.organisatie_id, referentie=referentie
    )
    statement = scoping.eigen(select(Contactmoment), Contactmoment, caller).where(
        Contactmoment.inwoner_hash == inwoner_hash
    )
    records = list(session.exec(statement))
    if records:
        # Always allowed, also in an approved period; there it is recorded as a change of the approved figures.
        rapportage.meld_wijziging(session, caller=caller, organisatie_id=caller.organisatie_id,
                                  datums=[r.datum for r in records])
        _ontkoppel(session, records)
    # Retried POSTs of the last day are remembered by a keyed hash of their body, which may hold this
    # reference: forget them all (they are only a convenience for retries; externId still holds).
    session.execute(delete(IdempotentieSleutel))
    # Audited even when nothing matched: the request itself is part of the record. Never the reference.
    audit.log(
        session, caller=caller, actie="vergeten", resource_type=RESOURCE_TYPE, aantal=len(records)
    )
    return len(records)


def maanden_terug(peildatum: date, maanden: int) -> date:
    """The same day `maanden` calendar months earlier (clamped to the month's last day)."""
    index = peildatum.year * 12 + peildatum.month - 1 - maanden
    jaar, maand = divmod(index, 12)
    dag = min(peildatum.day, calendar.monthrange(jaar, maand + 1)[1])
    return date(jaar, maand + 1, dag)


def pas_bewaartermijn_toe(
    session: Session,
    *,
    maanden: int,
    peildatum: date,
    proefdraai: bool = False,
    caller: Caller | None = None,
) -> dict[uuid.UUID, int]:
    """Drop resident hashes of contactmomenten dated before `peildatum` minus `maanden`; counts per organisation.

    With `proefdraai` only counts. Each organisation gets one audit row with its count.
    """
    if maanden < 1:
        raise ValueError("maanden must be at least 1")
    grens = maanden_terug(peildatum, maanden)
    verlopen = (col(Contactmoment.inwoner_hash).is_not(None), Contactmoment.datum < grens)
    if proefdraai:
        rows = session.exec(
            select(Contactmoment.organisatie_id, func.count())
            .where(*verlopen)
            .group_by(Contactmoment.organisatie_id)
        ).all()
        return {organisatie_id: aantal for organisatie_id, aantal in rows}

    aantallen: Counter[uuid.UUID] = Counter()
    while True:
        # Each batch drops the hashes it read, so the next select moves on by itself.
        batch = list(
            session.exec(
                select(Contactmoment).where(*verlopen).order_by(Contactmoment.id).limit(BATCH)
            )
        )
        if not batch:
            break
        _ontkoppel(session, batch)
        aantallen.update(r.organisatie_id for r in batch)
    uitvoerder = caller or cli_caller()
    for organisatie_id, aantal in sorted(aantallen.items(), key=lambda item: str(item[0])):
        audit.log(
            session,
            caller=uitvoerder,
            actie="bewaartermijn-verlopen",
            resource_type=RESOURCE_TYPE,
            organisatie_id=organisatie_id,
            aantal=aantal,
        )
    session.flush()
    return dict(aantallen)
