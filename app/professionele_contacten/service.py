"""Professionele contacten: a key person's contacts with professionals; idempotent by externId.

An `adviesvraag` carries an answer loop like a signal: status gevraagd -> gegeven -> teruggekoppeld,
where `teruggekoppeld` comes with the asking party's `terugkoppeling`. Other kinds have no status.
"""

import hashlib
import json
import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import delete as sql_delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.codelijsten import service as codelijsten
from app.core import filters as gedeelde_filters
from app.core import idempotentie
from app.core.errors import Conflict, OngeldigeInvoer
from app.core.sorting import Sortering
from app.models import (
    Ketenpartner,
    ProfessioneelContact,
    ProfessioneelContactOnderwerp,
    Sleutelpersoon,
    utcnow,
)
from app.professionele_contacten.schemas import (
    ADVIESVRAAG,
    AangevraagdDoorPublic,
    AanvragerSoort,
    AdviesStatus,
    AdviesTerugkoppelingPublic,
    ProfessioneelContactCreate,
    ProfessioneelContactPublic,
    ProfessioneelContactUpdate,
)
from app.rapportage import slot
from app.projecten import service as projecten
from app.toegang import audit, scoping
from app.toegang.caller import Caller

NAAM = "Professioneel contact"
RESOURCE_TYPE = "professioneel-contact"

SORTERING = Sortering("ProfessioneelContact", {
    "datum": ProfessioneelContact.datum,
    "aantalProfessionals": ProfessioneelContact.aantal_professionals,
    "aangemaaktOp": ProfessioneelContact.aangemaakt_op,
    "gewijzigdOp": ProfessioneelContact.gewijzigd_op,
}, standaard="-datum")

# The fields a client sends, in the fingerprint's order.
_INHOUD = ("sleutelpersoon_id", "datum", "soort", "aangevraagd_door", "aantal_professionals", "onderwerpen",
           "duur_minuten", "gemeentecode", "status", "terugkoppeling")


# --- reading ---------------------------------------------------------------------------------


def eigen_statement(caller: Caller) -> SelectOfScalar[ProfessioneelContact]:
    """The caller's live contacts (a device session: its own key person's only, see toegang.scoping)."""
    return scoping.eigen(select(ProfessioneelContact), ProfessioneelContact, caller).where(
        col(ProfessioneelContact.verwijderd_op).is_(None))


def get(session: Session, *, caller: Caller, contact_id: uuid.UUID) -> ProfessioneelContact:
    """The caller's live contact with this id, or 404 (also another organisation's, or a deleted one)."""
    return scoping.haal_eigen(session, ProfessioneelContact, contact_id, caller, naam=NAAM)


def list_statement(
    statement: SelectOfScalar[ProfessioneelContact],
    *,
    sleutelpersoon: uuid.UUID | None = None,
    soort: str | None = None,
    status: str | None = None,
    ketenpartner: uuid.UUID | None = None,
    onderwerp: str | None = None,
    gemeentecode: str | None = None,
    datum_vanaf: date | None = None,
    datum_tot: date | None = None,
    sort: list[Any] | None = None,
) -> SelectOfScalar[ProfessioneelContact]:
    """Filters and order on top of `eigen_statement`; `datum_tot` is inclusive; a parent topic includes its children."""
    p = ProfessioneelContact
    statement = gedeelde_filters.gegeven(statement, [
        (sleutelpersoon, lambda v: p.sleutelpersoon_id == v),
        (soort, lambda v: p.soort == v),
        (status, lambda v: p.status == v),
        (ketenpartner, lambda v: p.aangevraagd_door_ketenpartner_id == v),
        (gemeentecode, lambda v: p.gemeentecode == v),
        (datum_vanaf, lambda v: col(p.datum) >= v),
        (datum_tot, lambda v: col(p.datum) <= v),
    ])
    if onderwerp is not None:
        o = ProfessioneelContactOnderwerp
        match = col(o.onderwerp) == onderwerp
        if "." not in onderwerp:
            match = match | col(o.onderwerp).startswith(f"{onderwerp}.", autoescape=True)
        statement = statement.where(select(o.professioneel_contact_id).where(
            o.professioneel_contact_id == p.id, match).exists())
    return statement.order_by(*(sort if sort is not None else SORTERING.standaard), p.id)


def onderwerpen_van(session: Session, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    ids = list(ids)
    result: dict[uuid.UUID, list[str]] = defaultdict(list)
    if not ids:
        return result
    o = ProfessioneelContactOnderwerp
    for contact_id, onderwerp in session.exec(
        select(o.professioneel_contact_id, o.onderwerp).where(col(o.professioneel_contact_id).in_(ids)).order_by(o.onderwerp)
    ):
        result[contact_id].append(onderwerp)
    return result


def publiek(contact: ProfessioneelContact, onderwerpen: list[str]) -> ProfessioneelContactPublic:
    terugkoppeling = None
    if contact.terugkoppeling_tekst is not None and contact.terugkoppeling_datum is not None:
        terugkoppeling = AdviesTerugkoppelingPublic(tekst=contact.terugkoppeling_tekst, datum=contact.terugkoppeling_datum)
    return ProfessioneelContactPublic(
        id=contact.id, extern_id=contact.extern_id, sleutelpersoon_id=contact.sleutelpersoon_id, datum=contact.datum,
        soort=contact.soort,
        aangevraagd_door=AangevraagdDoorPublic(soort=AanvragerSoort(contact.aangevraagd_door_soort),
                                               ketenpartner_id=contact.aangevraagd_door_ketenpartner_id,
                                               gemeentecode=contact.aangevraagd_door_gemeentecode),
        aantal_professionals=contact.aantal_professionals, onderwerpen=sorted(onderwerpen),
        duur_minuten=contact.duur_minuten, gemeentecode=contact.gemeentecode,
        status=AdviesStatus(contact.status) if contact.status else None, terugkoppeling=terugkoppeling,
        project_id=contact.project_id, aangemaakt_op=contact.aangemaakt_op, gewijzigd_op=contact.gewijzigd_op,
    )


def publiek_een(session: Session, contact: ProfessioneelContact) -> ProfessioneelContactPublic:
    return publiek(contact, onderwerpen_van(session, [contact.id]).get(contact.id, []))


def publiek_lijst(session: Session, contacten: list[ProfessioneelContact]) -> list[ProfessioneelContactPublic]:
    onderwerpen = onderwerpen_van(session, [c.id for c in contacten])
    return [publiek(c, onderwerpen.get(c.id, [])) for c in contacten]


# --- writing ---------------------------------------------------------------------------------


def vingerafdruk_van(values: dict[str, Any]) -> str:
    """Fingerprint of the submitted content (without externId): a retry has the same one."""
    inhoud = {k: values.get(k) for k in _INHOUD}
    inhoud["onderwerpen"] = sorted(inhoud.get("onderwerpen") or [])
    if values.get("project_id") is not None:  # without a project: the fingerprint from before projects (issue 26)
        inhoud["project_id"] = values["project_id"]
    return hashlib.sha256(json.dumps(inhoud, sort_keys=True, default=str).encode()).hexdigest()


def _loop(values: dict[str, Any], problems: list[dict[str, str]]) -> None:
    """The answer loop: status and terugkoppeling only for an adviesvraag, and consistent. Fills in the
    status (gevraagd, or teruggekoppeld when a terugkoppeling comes without one)."""
    terugkoppeling = values.get("terugkoppeling")
    if values["soort"] != ADVIESVRAAG:
        if values.get("status") is not None:
            problems.append({"name": "status", "reason": "Alleen een adviesvraag heeft een status."})
        if terugkoppeling is not None:
            problems.append({"name": "terugkoppeling", "reason": "Alleen een adviesvraag heeft een terugkoppeling."})
        return
    if values.get("status") is None:
        values["status"] = AdviesStatus.teruggekoppeld.value if terugkoppeling is not None else AdviesStatus.gevraagd.value
    status = str(values["status"])
    if status == AdviesStatus.teruggekoppeld and terugkoppeling is None:
        problems.append({"name": "terugkoppeling", "reason": "Bij status `teruggekoppeld` hoort een terugkoppeling (tekst en datum)."})
    elif status != AdviesStatus.teruggekoppeld and terugkoppeling is not None:
        problems.append({"name": "status", "reason": "Een terugkoppeling hoort bij status `teruggekoppeld`."})
    if terugkoppeling is not None and terugkoppeling["datum"] < values["datum"]:
        problems.append({"name": "terugkoppeling.datum", "reason": "De terugkoppeling kan niet vóór de datum van het contact liggen."})


def _validate(session: Session, *, caller: Caller, values: dict[str, Any], changed: set[str],
              bestaand: ProfessioneelContact | None, oude_onderwerpen: list[str]) -> Sleutelpersoon | None:
    """Code lists, key person, asking party and the answer loop; one 400 with every problem."""
    problems: list[dict[str, str]] = []
    if "soort" in changed:
        problems += codelijsten.check_codes(
            session, lijst=codelijsten.PROFESSIONEEL_CONTACT_SOORT, values=[("soort", values["soort"])],
            allow_inactive=[bestaand.soort] if bestaand else (),
        )
    if "onderwerpen" in changed:
        problems += codelijsten.check_codes(
            session, lijst=codelijsten.ONDERWERP,
            values=[(f"onderwerpen[{i}]", o) for i, o in enumerate(values["onderwerpen"])], allow_inactive=oude_onderwerpen,
        )
    if "gemeentecode" in changed:
        problems += codelijsten.check_codes(session, lijst=codelijsten.GEMEENTE, values=[("gemeentecode", values.get("gemeentecode"))])
    aanvrager = values["aangevraagd_door"]
    if "aangevraagd_door" in changed:
        if aanvrager["soort"] == AanvragerSoort.ketenpartner:
            partner = session.exec(scoping.eigen(
                select(Ketenpartner).where(Ketenpartner.id == aanvrager["ketenpartner_id"]), Ketenpartner, caller)).first()
            if partner is None or not partner.actief:
                problems.append({"name": "aangevraagdDoor.ketenpartnerId",
                                 "reason": "Onbekende of gedeactiveerde ketenpartner van de eigen organisatie."})
        else:
            problems += codelijsten.check_codes(session, lijst=codelijsten.GEMEENTE,
                                                values=[("aangevraagdDoor.gemeentecode", aanvrager["gemeentecode"])])
    persoon = session.exec(scoping.eigen(
        select(Sleutelpersoon).where(Sleutelpersoon.id == values["sleutelpersoon_id"]), Sleutelpersoon, caller)).first()
    if persoon is None:
        problems.append({"name": "sleutelpersoonId", "reason": f"Sleutelpersoon {values['sleutelpersoon_id']} bestaat niet."})
    _loop(values, problems)
    if "project_id" in changed:
        problems += projecten.controleer_project(session, caller=caller, project_id=values.get("project_id"))
    if problems:
        raise OngeldigeInvoer.met(problems, onderwerp="Het professionele contact", slot=" Er is niets opgeslagen.")
    return persoon


def _zoek_extern_id(session: Session, *, caller: Caller, extern_id: str) -> ProfessioneelContact | None:
    """The organisation's contact with this externId, deleted ones included (the id stays taken).

    Looked up in the whole organisation, not the device's own view: an externId is unique per
    organisation, and a colleague's record with it must answer 409, never be written over."""
    statement = select(ProfessioneelContact).where(ProfessioneelContact.organisatie_id == caller.organisatie_id,
                                                   ProfessioneelContact.extern_id == extern_id)
    return session.exec(statement).first()


def _herhaling(session: Session, *, caller: Caller, bestaand: ProfessioneelContact, vingerafdruk: str) -> ProfessioneelContact:
    """A retry returns the caller's stored record; anything else (other content, a colleague's) is a 409."""
    zichtbaar = session.exec(scoping.eigen(
        select(ProfessioneelContact).where(ProfessioneelContact.id == bestaand.id), ProfessioneelContact, caller)).first()
    if zichtbaar is None:
        raise Conflict(f"Het externId `{bestaand.extern_id}` is in de organisatie al in gebruik; gebruik een ander externId.",
                       code="externid-in-gebruik")
    return idempotentie.herhaling(bestaand, naam="professioneel contact", extern_id=str(bestaand.extern_id),
                                  vingerafdruk=vingerafdruk, wijzig="Corrigeer")


def _kolommen(values: dict[str, Any]) -> dict[str, Any]:
    """Stored columns from API values (without onderwerpen)."""
    aanvrager = values["aangevraagd_door"]
    terugkoppeling = values.get("terugkoppeling")
    return {
        "sleutelpersoon_id": values["sleutelpersoon_id"], "datum": values["datum"], "soort": values["soort"],
        "aangevraagd_door_soort": str(aanvrager["soort"]),
        "aangevraagd_door_ketenpartner_id": aanvrager.get("ketenpartner_id"),
        "aangevraagd_door_gemeentecode": aanvrager.get("gemeentecode"),
        "aantal_professionals": values["aantal_professionals"], "duur_minuten": values.get("duur_minuten"),
        "gemeentecode": values.get("gemeentecode"),
        "status": str(values["status"]) if values.get("status") is not None else None,
        "terugkoppeling_tekst": terugkoppeling["tekst"] if terugkoppeling else None,
        "terugkoppeling_datum": terugkoppeling["datum"] if terugkoppeling else None,
        "project_id": values.get("project_id"),
    }


def _zet_onderwerpen(session: Session, contact_id: uuid.UUID, onderwerpen: list[str]) -> None:
    o = ProfessioneelContactOnderwerp
    session.execute(sql_delete(o).where(col(o.professioneel_contact_id) == contact_id))
    for onderwerp in onderwerpen:
        session.add(o(professioneel_contact_id=contact_id, onderwerp=onderwerp))
    session.flush()


def create(session: Session, *, caller: Caller, data: ProfessioneelContactCreate) -> tuple[ProfessioneelContact, bool]:
    """Record a contact; the same externId and content again returns the existing record (created False)."""
    assert caller.organisatie_id is not None
    values = data.model_dump(by_alias=False, mode="python")
    vingerafdruk = vingerafdruk_van(values)
    if data.extern_id is not None and (bestaand := _zoek_extern_id(session, caller=caller, extern_id=data.extern_id)):
        return _herhaling(session, caller=caller, bestaand=bestaand, vingerafdruk=vingerafdruk), False
    persoon = _validate(session, caller=caller, values=values, changed=set(values), bestaand=None, oude_onderwerpen=[])
    assert persoon is not None
    slot.controleer(session, organisatie_id=caller.organisatie_id, datums=[data.datum])
    values["gemeentecode"] = values.get("gemeentecode") or persoon.gemeentecode
    contact = ProfessioneelContact(organisatie_id=caller.organisatie_id, extern_id=data.extern_id,
                                   inhoud_hash=vingerafdruk, **_kolommen(values))
    try:
        # A savepoint, so a concurrent POST with the same externId ends up as a retry, not a 500.
        with session.begin_nested():
            session.add(contact)
            session.flush()
    except IntegrityError:
        assert data.extern_id is not None
        bestaand = _zoek_extern_id(session, caller=caller, extern_id=data.extern_id)
        if bestaand is None:
            raise
        return _herhaling(session, caller=caller, bestaand=bestaand, vingerafdruk=vingerafdruk), False
    _zet_onderwerpen(session, contact.id, values["onderwerpen"])
    audit.log(session, caller=caller, actie="aangemaakt", resource_type=RESOURCE_TYPE, resource_id=contact.id,
              velden=[_camel(k) for k, v in values.items() if v not in (None, [])])
    return contact, True


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.capitalize() for p in rest)


def _huidig(contact: ProfessioneelContact, onderwerpen: list[str]) -> dict[str, Any]:
    terugkoppeling = None
    if contact.terugkoppeling_tekst is not None:
        terugkoppeling = {"tekst": contact.terugkoppeling_tekst, "datum": contact.terugkoppeling_datum}
    return {
        "sleutelpersoon_id": contact.sleutelpersoon_id, "datum": contact.datum, "soort": contact.soort,
        "aangevraagd_door": {"soort": AanvragerSoort(contact.aangevraagd_door_soort),
                             "ketenpartner_id": contact.aangevraagd_door_ketenpartner_id,
                             "gemeentecode": contact.aangevraagd_door_gemeentecode},
        "aantal_professionals": contact.aantal_professionals, "onderwerpen": sorted(onderwerpen),
        "duur_minuten": contact.duur_minuten, "gemeentecode": contact.gemeentecode,
        "status": AdviesStatus(contact.status) if contact.status else None, "terugkoppeling": terugkoppeling,
        "project_id": contact.project_id,
    }


def update(session: Session, *, caller: Caller, contact: ProfessioneelContact,
           data: ProfessioneelContactUpdate) -> ProfessioneelContact:
    """Correct the fields sent, with the rules checked on the result."""
    oude_onderwerpen = onderwerpen_van(session, [contact.id]).get(contact.id, [])
    huidig = _huidig(contact, oude_onderwerpen)
    changes = data.model_dump(exclude_unset=True, by_alias=False, mode="python")
    if "onderwerpen" in changes:
        changes["onderwerpen"] = sorted(changes["onderwerpen"])
    changed = {k: v for k, v in changes.items() if huidig.get(k) != v}
    if not changed:
        return contact
    merged = huidig | changed
    if "soort" in changed and merged["soort"] != ADVIESVRAAG and "status" not in changed:
        merged["status"] = None  # no longer an adviesvraag: no loop (a terugkoppeling left over is refused)
    if "soort" in changed and merged["soort"] == ADVIESVRAAG and "status" not in changed:
        merged["status"] = None  # becomes an adviesvraag: the loop starts (filled in by _loop)
    if changed.get("terugkoppeling") is not None and "status" not in changes:
        merged["status"] = AdviesStatus.teruggekoppeld  # the asking party answered: the loop is closed
    _validate(session, caller=caller, values=merged, changed=set(changed), bestaand=contact, oude_onderwerpen=oude_onderwerpen)
    slot.controleer(session, organisatie_id=contact.organisatie_id, datums=[contact.datum, merged["datum"]])
    for naam, waarde in _kolommen(merged).items():
        setattr(contact, naam, waarde)
    if "onderwerpen" in changed:
        _zet_onderwerpen(session, contact.id, merged["onderwerpen"])
    # After a correction the fingerprint describes the record as it now stands.
    contact.inhoud_hash = vingerafdruk_van(merged)
    contact.gewijzigd_op = utcnow()
    session.add(contact)
    session.flush()
    audit.log(session, caller=caller, actie="gewijzigd", resource_type=RESOURCE_TYPE, resource_id=contact.id,
              velden=sorted(_camel(k) for k in changed))
    return contact


def delete(session: Session, *, caller: Caller, contact: ProfessioneelContact) -> None:
    """Soft-delete: the contact counts nowhere any more and answers 404; the externId stays taken."""
    slot.controleer(session, organisatie_id=contact.organisatie_id, datums=[contact.datum])
    contact.verwijderd_op = utcnow()
    contact.gewijzigd_op = contact.verwijderd_op
    session.add(contact)
    session.flush()
    audit.log(session, caller=caller, actie="verwijderd", resource_type=RESOURCE_TYPE, resource_id=contact.id)
