"""Contactmomenten: register (idempotent by externId), read, list, correct and soft-delete.

The rules live in `regels`, the field table and what derives from it in `inhoud`, and the one
writer of the contactmoment tables in `schrijver`.
"""

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from pydantic import ValidationError
from pydantic.alias_generators import to_camel
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.gebeurtenissen import service as gebeurtenissen
from app.contactmomenten import regels, schrijfgroep, schrijver
from app.contactmomenten.filters import ContactmomentFilters
from app.contactmomenten.inhoud import (
    EIGEN_VELDEN,
    INWONER_VELDEN,
    Kinderen,
    Rijen,
    als_invoer,
    inhoud_hash,
    inhoud_van_invoer,
    inhoud_van_record,
    nieuwe_rijen,
    publiek,
    referentie_hash,
)
from app.contactmomenten.schemas import ContactmomentCreate, ContactmomentPublic
from app.core import idempotentie, spans
from app.core.errors import Conflict, validation_params
from app.core.sorting import Sortering
from app.core.schemas import schemafouten
from app.models import (
    Contactmoment,
    ContactmomentActie,
    ContactmomentOnderwerp,
    Doorverwijzing,
    DoorverwijzingStatus,
    Uitkomst,
    utcnow,
)
from app.rapportage import slot
from app.toegang import audit, scoping
from app.toegang.caller import Caller

NAAM = "Contactmoment"
RESOURCE_TYPE = schrijver.RESOURCE_TYPE

SORTERING = Sortering("Contactmoment", {
    "datum": Contactmoment.datum,
    "aangemaaktOp": Contactmoment.aangemaakt_op,
    "gewijzigdOp": Contactmoment.gewijzigd_op,
}, standaard="-datum")


# --- Reading ---------------------------------------------------------------------------------


def laad_kinderen(session: Session, *, ids: list[uuid.UUID]) -> dict[uuid.UUID, Kinderen]:
    """Embedded children for a set of contactmomenten: one query per child table, not per record."""
    kinderen: dict[uuid.UUID, Kinderen] = {i: Kinderen() for i in ids}
    if not ids:
        return kinderen
    for onderwerp in session.exec(
        select(ContactmomentOnderwerp)
        .where(col(ContactmomentOnderwerp.contactmoment_id).in_(ids))
        .order_by(ContactmomentOnderwerp.onderwerp)
    ):
        kinderen[onderwerp.contactmoment_id].onderwerpen.append(onderwerp.onderwerp)
    for actie in session.exec(
        select(ContactmomentActie)
        .where(col(ContactmomentActie.contactmoment_id).in_(ids))
        .order_by(ContactmomentActie.actie)
    ):
        kinderen[actie.contactmoment_id].acties.append(actie.actie)
    for verwijzing in session.exec(
        select(Doorverwijzing)
        .where(col(Doorverwijzing.contactmoment_id).in_(ids))
        .order_by(Doorverwijzing.aangemaakt_op, Doorverwijzing.id)
    ):
        kinderen[verwijzing.contactmoment_id].doorverwijzingen.append(verwijzing)
    # Oldest first, so the last one assigned per contactmoment is the latest outcome.
    for uitkomst in session.exec(
        select(Uitkomst)
        .where(col(Uitkomst.contactmoment_id).in_(ids))
        .order_by(Uitkomst.datum, Uitkomst.aangemaakt_op, Uitkomst.id)
    ):
        kinderen[uitkomst.contactmoment_id].uitkomst = uitkomst
    return kinderen


def publiek_een(session: Session, *, record: Contactmoment) -> ContactmomentPublic:
    """The public representation of one contactmoment, children loaded."""
    return publiek(record, laad_kinderen(session, ids=[record.id])[record.id])


def publiek_lijst(session: Session, *, records: list[Contactmoment]) -> list[ContactmomentPublic]:
    """The public representations of a page of contactmomenten, children loaded per table."""
    kinderen = laad_kinderen(session, ids=[r.id for r in records])
    return [publiek(r, kinderen[r.id]) for r in records]


def get(session: Session, *, caller: Caller, contactmoment_id: uuid.UUID) -> Contactmoment:
    """The caller's contactmoment with this id, or 404 (also when soft-deleted)."""
    return scoping.haal_eigen(session, Contactmoment, contactmoment_id, caller, naam=NAAM)


def zoek_extern_id(session: Session, *, caller: Caller, extern_id: str) -> Contactmoment | None:
    """The caller's contactmoment with this externId, soft-deleted ones included (the id stays taken)."""
    statement = scoping.eigen(
        select(Contactmoment).where(Contactmoment.extern_id == extern_id), Contactmoment, caller
    )
    return session.exec(statement).first()


def list_statement(
    *, caller: Caller, filters: ContactmomentFilters | None = None, sort: list[Any] | None = None
) -> SelectOfScalar[Contactmoment]:
    """The filtered, ordered select of the caller's live contactmomenten (paginated by the router)."""
    statement = scoping.eigen(select(Contactmoment), Contactmoment, caller).where(
        col(Contactmoment.verwijderd_op).is_(None)
    )
    if filters is not None:
        statement = filters.toepassen(statement)
    return statement.order_by(*(sort or SORTERING.standaard), Contactmoment.id)


# --- Writing ---------------------------------------------------------------------------------


def create(
    session: Session, *, caller: Caller, data: ContactmomentCreate, in_groep: bool = False
) -> tuple[ContactmomentPublic, bool]:
    """Register a contactmoment with its children, a batch of one for the writer; returns (public, created).

    `data` may carry schema errors (`ContactmomentInvoer`): they are reported with the rules' own.
    With an externId already in use, the same content returns the existing record (created False)
    and different content raises 409 naming it. Flushes nothing through the ORM, never commits.

    Validation needs no query when the code lists and key persons are cached, so the statements of
    the transaction are the lock check of approved periods (one indexed read, `rapportage.slot`) and
    the INSERTs: on SQLite the write lock is held only for those and the COMMIT. The INSERT itself tells a retry apart (ON CONFLICT DO NOTHING writes nothing), so a new
    contactmoment costs no externId lookup. The externId is looked up only when the INSERT hit an
    existing row, or when validation failed: a retry of the same content answers 200 even if one of
    its codes was deactivated after the first post.
    """
    assert caller.organisatie_id is not None
    # `in_groep` (POST /v1/contactmomenten only): the writes go through the group commit's own session, and
    # this one only reads. Other callers (an import row) write in their own session's transaction.
    groep = schrijfgroep.voor(session) if in_groep else None
    inwoner_hash = referentie_hash(organisatie_id=caller.organisatie_id, referentie=data.inwoner_referentie)
    fouten = schemafouten(data)
    if fouten:
        # One pass: the schema's errors with those of the rules over the fields that were valid.
        heeft_referentie = inwoner_hash is not None
        raise regels.weiger(fouten + regels.controleer(session, caller=caller, data=data, heeft_referentie=heeft_referentie))
    with spans.span("vingerafdruk"):
        vingerafdruk = inhoud_hash(inhoud_van_invoer(data, inwoner_hash=inwoner_hash))

    def herhaling() -> tuple[ContactmomentPublic, bool] | None:
        bestaand = zoek_extern_id(session, caller=caller, extern_id=data.extern_id) if data.extern_id else None
        if bestaand is None:
            return None
        assert data.extern_id is not None
        idempotentie.herhaling(
            bestaand, naam="contactmoment", extern_id=data.extern_id, vingerafdruk=vingerafdruk,
            aanvulling=f" Een doorverwijzing voegt u toe met POST /v1/contactmomenten/{bestaand.id}/doorverwijzingen.",
        )
        return publiek_een(session, record=bestaand), False

    with spans.span("regels"):
        problems = regels.controleer(session, caller=caller, data=data, heeft_referentie=inwoner_hash is not None)
    if problems:
        gevonden = herhaling()
        if gevonden is not None:
            return gevonden
        raise regels.weiger(problems)

    # The rows and the response are built before the first statement of the transaction: on SQLite that
    # statement takes the write slot, which then covers only the period check, the INSERTs and the COMMIT.
    rijen = nieuwe_rijen(
        data, organisatie_id=caller.organisatie_id, sleutel_id=caller.sleutel_id, inwoner_hash=inwoner_hash,
        vingerafdruk=vingerafdruk, nu=utcnow(),
    )
    with spans.span("antwoord"):
        # The response comes straight from the rows about to be written: no ORM objects, no reading back.
        antwoord = publiek(rijen.contactmomenten[0], Kinderen(
            onderwerpen=[o["onderwerp"] for o in rijen.onderwerpen],
            acties=[a["actie"] for a in rijen.acties],
            doorverwijzingen=rijen.doorverwijzingen,
            uitkomst=rijen.uitkomsten[0] if rijen.uitkomsten else None,
        ))
    if groep is not None:
        # What this session read is done with: its connection goes back to the pool before the wait, or the
        # waiting POSTs could hold every connection while their batch's leader waits for one.
        session.commit()
        return _in_groep(groep, caller=caller, data=data, rijen=rijen, antwoord=antwoord, herhaling=herhaling)
    try:
        with spans.span("periodeslot"):
            slot.controleer(session, organisatie_id=caller.organisatie_id, datums=[data.datum])
    except slot.PeriodeGoedgekeurd:
        # A retry of a record already stored changes nothing, so it is answered as ever (200).
        gevonden = herhaling()
        if gevonden is not None:
            return gevonden
        raise
    # The unique index decides between us and a concurrent post with the same externId; the loser
    # writes nothing and answers 200/409 from the row the winner wrote. Should that row be gone by
    # the time we read it (erased in between), the write is simply tried once more.
    for _poging in range(2):
        with spans.span("schrijven"):
            geschreven = schrijver.schrijf(session, caller=caller, rijen=rijen)
        if geschreven:
            break
        gevonden = herhaling()
        if gevonden is not None:
            return gevonden
        if caller.is_apparaat:
            raise _externid_van_collega(data)
    else:
        raise RuntimeError("contactmoment not inserted, and no record with its externId")
    nieuw = rijen.contactmomenten[0]
    gebeurtenissen.leg_vast(session, "contactmoment.aangemaakt", resource_id=nieuw["id"],
                            organisatie_id=nieuw["organisatie_id"], extern_id=nieuw.get("extern_id"))
    return antwoord, True


def _externid_van_collega(data: ContactmomentCreate) -> Conflict:
    """A device's externId is taken by a colleague's contactmoment, which this device may not see."""
    return Conflict(f"Het externId `{data.extern_id}` is in de organisatie al in gebruik; gebruik een ander.",
                    code="externid-in-gebruik")


def _in_groep(
    groep: schrijfgroep.Schrijfgroep, *, caller: Caller, data: ContactmomentCreate, rijen: Rijen,
    antwoord: ContactmomentPublic, herhaling: Callable[[], tuple[ContactmomentPublic, bool] | None],
) -> tuple[ContactmomentPublic, bool]:
    """`create`'s write through the group commit, with the same outcomes as the write in its own transaction."""
    for _poging in range(2):
        try:
            with spans.span("schrijfgroep"):
                geschreven = groep.schrijf(caller=caller, rijen=rijen, datum=data.datum)
        except slot.PeriodeGoedgekeurd:
            gevonden = herhaling()
            if gevonden is not None:
                return gevonden
            raise
        if geschreven:
            return antwoord, True
        gevonden = herhaling()
        if gevonden is not None:
            return gevonden
        if caller.is_apparaat:
            raise _externid_van_collega(data)
    raise RuntimeError("contactmoment not inserted, and no record with its externId")


def update(
    session: Session, *, caller: Caller, record: Contactmoment, changes: dict[str, Any]
) -> Contactmoment:
    """Apply a correction (the fields of a PATCH body that were sent) after validating the merged record."""
    assert caller.organisatie_id is not None
    kinderen = laad_kinderen(session, ids=[record.id])[record.id]
    huidig = als_invoer(record, kinderen)
    samengevoegd = dict(huidig)
    for naam, waarde in changes.items():
        if naam == "inwoner_referentie":
            continue
        if naam == "inwoner":
            samengevoegd["inwoner"] = (
                {**huidig["inwoner"], **(waarde or {})}
                if waarde is not None
                else {k: None for k in INWONER_VELDEN}
            )
        else:
            samengevoegd[to_camel(naam)] = waarde
    try:
        data = ContactmomentCreate.model_validate(samengevoegd)
    except ValidationError as exc:
        raise regels.weiger(validation_params(exc.errors())) from exc

    nieuwe_hash = record.inwoner_hash
    if "inwoner_referentie" in changes:
        referentie = changes["inwoner_referentie"]
        nieuwe_hash = referentie_hash(organisatie_id=caller.organisatie_id, referentie=referentie)

    # Only what really differs counts as changed (and is named in the audit trail).
    gewijzigd = [naam for naam in EIGEN_VELDEN if getattr(data, naam) != getattr(record, naam)]
    inwoner_gewijzigd = [
        naam
        for naam in INWONER_VELDEN
        if getattr(data.inwoner, naam, None) != getattr(record, naam)
    ]
    onderwerpen_gewijzigd = sorted(data.onderwerpen) != sorted(kinderen.onderwerpen)
    acties_gewijzigd = sorted(data.acties) != sorted(kinderen.acties)
    referentie_gewijzigd = nieuwe_hash != record.inwoner_hash
    velden = [to_camel(n) for n in gewijzigd] + [f"inwoner.{n}" for n in inwoner_gewijzigd]
    velden += ["onderwerpen"] * onderwerpen_gewijzigd + ["acties"] * acties_gewijzigd
    velden += ["inwonerReferentie"] * referentie_gewijzigd
    if not velden:
        return record
    # The old date and the new: a correction may neither change an approved period nor move a record into one.
    slot.controleer(session, organisatie_id=record.organisatie_id, datums=[record.datum, data.datum])

    problems = regels.controleer(
        session,
        caller=caller,
        data=data,
        heeft_referentie=nieuwe_hash is not None,
        bestaand=record,
        bestaande_kinderen=kinderen,
    )
    if "extern_id" in gewijzigd and data.extern_id is not None:
        ander = zoek_extern_id(session, caller=scoping.als_organisatie(caller), extern_id=data.extern_id)
        if ander is not None and ander.id != record.id:
            raise Conflict(
                f"Er bestaat al een contactmoment met externId `{data.extern_id}`.", code="externid-in-gebruik",
                extra={"bestaandId": str(ander.id)} if scoping.zichtbaar(caller, ander) else None,
            )
    uitkomsten: list[Uitkomst] = []
    if data.datum > record.datum:
        uitkomsten = list(
            session.exec(select(Uitkomst).where(Uitkomst.contactmoment_id == record.id))
        )
        problems += regels.later_datum_problemen(
            record.datum, data.datum, kinderen.doorverwijzingen, uitkomsten
        )
    if problems:
        raise regels.weiger(problems)

    if data.datum > record.datum:
        _verschuif_datum(session, record.datum, data.datum, kinderen.doorverwijzingen, uitkomsten)
    for naam in gewijzigd:
        setattr(record, naam, getattr(data, naam))
    for naam in inwoner_gewijzigd:
        setattr(record, naam, getattr(data.inwoner, naam))
    record.inwoner_hash = nieuwe_hash
    if onderwerpen_gewijzigd:
        schrijver.vervang_onderwerpen(session, record.id, oud=kinderen.onderwerpen, nieuw=data.onderwerpen)
        kinderen.onderwerpen = sorted(data.onderwerpen)
    if acties_gewijzigd:
        schrijver.vervang_acties(session, record.id, oud=kinderen.acties, nieuw=data.acties)
        kinderen.acties = sorted(data.acties)
    # After a correction the fingerprint describes the record as it now stands.
    record.inhoud_hash = inhoud_hash(inhoud_van_record(record, kinderen))
    record.gewijzigd_op = utcnow()
    session.add(record)
    session.flush()
    audit.log(
        session,
        caller=caller,
        actie="gewijzigd",
        resource_type=RESOURCE_TYPE,
        resource_id=record.id,
        velden=velden,
    )
    gebeurtenissen.leg_vast(session, "contactmoment.gewijzigd", record)
    return record


def _verschuif_datum(
    session: Session,
    oud: date,
    nieuw: date,
    verwijzingen: list[Doorverwijzing],
    uitkomsten: list[Uitkomst],
) -> None:
    """Move child dates that equal the old contact date (defaults, or same day) to the corrected date."""
    for verwijzing in verwijzingen:
        if verwijzing.status_datum == oud:
            verwijzing.status_datum = nieuw
            session.add(verwijzing)
    ids = [v.id for v in verwijzingen]
    if ids:
        for regel in session.exec(
            select(DoorverwijzingStatus).where(
                col(DoorverwijzingStatus.doorverwijzing_id).in_(ids),
                DoorverwijzingStatus.status_datum == oud,
            )
        ):
            regel.status_datum = nieuw
            session.add(regel)
    for uitkomst in uitkomsten:
        if uitkomst.datum == oud:
            uitkomst.datum = nieuw
            session.add(uitkomst)


def delete(session: Session, *, caller: Caller, record: Contactmoment) -> None:
    """Soft-delete: the record disappears from every read and count; the externId stays taken."""
    slot.controleer(session, organisatie_id=record.organisatie_id, datums=[record.datum])
    nu = utcnow()
    record.verwijderd_op = nu
    record.gewijzigd_op = nu
    session.add(record)
    session.flush()
    audit.log(session, caller=caller, actie="verwijderd", resource_type=RESOURCE_TYPE, resource_id=record.id)
    gebeurtenissen.leg_vast(session, "contactmoment.verwijderd", record)


def herbereken_inhoud_hash(session: Session, *, records: list[Contactmoment]) -> None:
    """Recompute the fingerprint of records whose content changed outside a correction (erasure, retention)."""
    kinderen = laad_kinderen(session, ids=[r.id for r in records])
    for record in records:
        record.inhoud_hash = inhoud_hash(inhoud_van_record(record, kinderen[record.id]))
        session.add(record)
