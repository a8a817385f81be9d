"""Small builders for test data: make_<x>(session, **overrides), flushed, not committed."""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from app.contactmomenten import inhoud
from app.contactmomenten import service as contactmomenten
from app.models import (
    Contactmoment,
    ContactmomentActie,
    ContactmomentOnderwerp,
    DeskundigheidDeelnemer,
    Deskundigheidsbevordering,
    Dienstverband,
    Doel,
    Doorverwijzing,
    DoorverwijzingStatus,
    Gesprek,
    ImportRun,
    Inzet,
    Ketenpartner,
    Ontwikkeldoel,
    Organisatie,
    ProfessioneelContact,
    ProfessioneelContactOnderwerp,
    Sleutelpersoon,
    Uitkomst,
)
from app.toegang import service as toegang
from app.toegang.caller import Scope, cli_caller


def make_organisatie(session: Session, **overrides: Any) -> Organisatie:
    values: dict[str, Any] = {
        "naam": f"Organisatie {uuid.uuid4().hex[:6]}",
        "soort": "welzijnsorganisatie",
        "gemeentecodes": ["GM0344"],
    }
    values.update(overrides)
    organisatie = Organisatie(**values)
    session.add(organisatie)
    session.flush()
    return organisatie


def make_key(
    session: Session,
    *,
    organisatie: Organisatie | None = None,
    scopes: tuple[str, ...] = ("registreren", "rapporteren"),
    gemeentecodes: list[str] | None = None,
    beheer: bool = False,
    **overrides: Any,
) -> dict[str, str]:
    """Create a key and return the request headers that carry it."""
    key, token = toegang.create_key(
        session,
        caller=cli_caller(),
        naam=overrides.pop("naam", "testsleutel"),
        scopes=[Scope(s) for s in scopes],
        organisatie_id=organisatie.id if organisatie else None,
        gemeentecodes=gemeentecodes,
        beheer=beheer,
        **overrides,
    )
    return {"Authorization": f"Bearer {token}"}


def make_sleutelpersoon(session: Session, organisatie: Organisatie, **overrides: Any) -> Sleutelpersoon:
    values: dict[str, Any] = {
        "organisatie_id": organisatie.id,
        "weergavenaam": f"Sleutelpersoon {uuid.uuid4().hex[:6]}",
        "talen": ["ar", "nl"],
        "rollen": ["bemiddelaar"],
        "dienstverband": "vrijwilliger",
        "actief_vanaf": date(2023, 1, 1),
        "gemeentecode": organisatie.gemeentecodes[0] if organisatie.gemeentecodes else "GM0344",
    }
    values.update(overrides)
    persoon = Sleutelpersoon(**values)
    session.add(persoon)
    session.flush()
    return persoon


def make_ketenpartner(session: Session, organisatie: Organisatie, **overrides: Any) -> Ketenpartner:
    values: dict[str, Any] = {
        "organisatie_id": organisatie.id,
        "naam": f"Ketenpartner {uuid.uuid4().hex[:6]}",
        "categorie": "schuldhulpverlening",
        "gemeentecode": organisatie.gemeentecodes[0] if organisatie.gemeentecodes else None,
    }
    values.update(overrides)
    partner = Ketenpartner(**values)
    session.add(partner)
    session.flush()
    return partner


DATUM = date(2025, 3, 14)


def make_contactmoment(
    session: Session,
    organisatie: Organisatie,
    sleutelpersoon: Sleutelpersoon,
    *,
    onderwerpen: tuple[str, ...] | list[str] = ("geld.toeslagen",),
    acties: tuple[str, ...] | list[str] = (),
    doorverwijzingen: tuple[dict[str, Any], ...] | list[dict[str, Any]] = (),
    uitkomst: str | None = None,
    inwoner_referentie: str | None = None,
    **overrides: Any,
) -> Contactmoment:
    """A contactmoment with children, written directly (flushed, not committed).

    `doorverwijzingen` holds dicts with `ketenpartner` (a Ketenpartner) and optionally `onderwerp`,
    `wijze`, `status`, `status_datum`; each gets its initial history row. `uitkomst` is a resultaat
    code, recorded on the contactmoment's date. `inwoner_referentie` is pseudonymised as the API does.
    """
    values: dict[str, Any] = {
        "organisatie_id": organisatie.id,
        "sleutelpersoon_id": sleutelpersoon.id,
        "datum": DATUM,
        "gemeentecode": organisatie.gemeentecodes[0] if organisatie.gemeentecodes else "GM0344",
        "kanaal": "persoonlijk",
        "soort": "individueel",
        "aantal_deelnemers": 1,
        "inhoud_hash": "",
    }
    if inwoner_referentie is not None:
        values["inwoner_hash"] = inhoud.referentie_hash(
            organisatie_id=organisatie.id, referentie=inwoner_referentie
        )
    values.update(overrides)
    record = Contactmoment(**values)
    session.add(record)
    session.flush()
    for onderwerp in onderwerpen:
        session.add(ContactmomentOnderwerp(contactmoment_id=record.id, onderwerp=onderwerp))
    for actie in acties:
        session.add(ContactmomentActie(contactmoment_id=record.id, actie=actie))
    verwijzingen = []
    for spec in doorverwijzingen:
        partner: Ketenpartner = spec["ketenpartner"]
        verwijzingen.append(
            Doorverwijzing(
                organisatie_id=organisatie.id,
                contactmoment_id=record.id,
                ketenpartner_id=partner.id,
                onderwerp=spec.get("onderwerp"),
                wijze=spec.get("wijze", "warm"),
                status=spec.get("status", "verwezen"),
                status_datum=spec.get("status_datum", record.datum),
            )
        )
    session.add_all(verwijzingen)
    session.flush()
    for verwijzing in verwijzingen:
        session.add(
            DoorverwijzingStatus(
                doorverwijzing_id=verwijzing.id,
                status=verwijzing.status,
                status_datum=verwijzing.status_datum,
            )
        )
    if uitkomst is not None:
        session.add(
            Uitkomst(
                organisatie_id=organisatie.id,
                contactmoment_id=record.id,
                resultaat=uitkomst,
                datum=record.datum,
            )
        )
    session.flush()
    if not overrides.get("inhoud_hash"):
        contactmomenten.herbereken_inhoud_hash(session, records=[record])
        session.flush()
    return record


@dataclass
class Omgeving:
    """One organisation with a key person, a partner and a registration key."""

    organisatie: Organisatie
    sleutelpersoon: Sleutelpersoon
    ketenpartner: Ketenpartner
    headers: dict[str, str]


def make_omgeving(session: Session, **organisatie: Any) -> Omgeving:
    org = make_organisatie(session, **organisatie)
    return Omgeving(
        organisatie=org,
        sleutelpersoon=make_sleutelpersoon(session, org),
        ketenpartner=make_ketenpartner(session, org),
        headers=make_key(session, organisatie=org, scopes=("registreren",)),
    )


def body(omgeving: Omgeving, **overrides: Any) -> dict[str, Any]:
    """A valid POST /v1/contactmomenten body for this organisation, with overrides (None removes a key)."""
    data: dict[str, Any] = {
        # A whole UUID: ten hex characters can hold nine digits that pass the elfproef by chance, which the
        # privacy scan would rightly report as a BSN.
        "externId": f"crm-{uuid.uuid4()}",
        "sleutelpersoonId": str(omgeving.sleutelpersoon.id),
        "datum": DATUM.isoformat(),
        "gemeentecode": "GM0344",
        "wijkcode": "WK034401",
        "kanaal": "huisbezoek",
        "soort": "individueel",
        "aantalDeelnemers": 1,
        "inwonerReferentie": "client-8841",
        "inwoner": {
            "leeftijdscategorie": "27-44",
            "geslacht": "vrouw",
            "taal": "ar",
            "doelgroep": "statushouder",
        },
        "rol": "bemiddelaar",
        "duurMinuten": 45,
        "onderwerpen": ["geld.toeslagen", "zorg.zorgverzekering"],
        "acties": ["uitleg-brief", "afspraak-gemaakt"],
        "doorverwijzingen": [
            {
                "ketenpartnerId": str(omgeving.ketenpartner.id),
                "onderwerp": "geld.toeslagen",
                "wijze": "warm",
                "status": "verwezen",
            }
        ],
        "uitkomst": {"resultaat": "doorverwezen"},
    }
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def make_doorverwijzing(session: Session, organisatie: Organisatie) -> Doorverwijzing:
    """A referral of a new contactmoment of this organisation (without status history)."""
    record = Doorverwijzing(
        organisatie_id=organisatie.id,
        contactmoment_id=make_contactmoment(session, organisatie, make_sleutelpersoon(session, organisatie)).id,
        ketenpartner_id=make_ketenpartner(session, organisatie).id,
        wijze="warm",
        status="verwezen",
        status_datum=date(2025, 3, 14),
    )
    session.add(record)
    session.flush()
    return record


def make_uitkomst(session: Session, organisatie: Organisatie) -> Uitkomst:
    record = Uitkomst(
        organisatie_id=organisatie.id,
        contactmoment_id=make_contactmoment(session, organisatie, make_sleutelpersoon(session, organisatie)).id,
        resultaat="opgelost",
        datum=date(2025, 3, 14),
    )
    session.add(record)
    session.flush()
    return record


def make_doel(session: Session, organisatie: Organisatie) -> Doel:
    record = Doel(
        organisatie_id=organisatie.id,
        indicator="aantal-contactmomenten",
        periode="2025",
        vanaf=date(2025, 1, 1),
        tot=date(2026, 1, 1),
        waarde=100,
    )
    session.add(record)
    session.flush()
    return record


def make_import_run(session: Session, organisatie: Organisatie) -> ImportRun:
    record = ImportRun(organisatie_id=organisatie.id, status="geslaagd", modus="atomair", formaat="csv")
    session.add(record)
    session.flush()
    return record


def make_inzet(session: Session, organisatie: Organisatie, sleutelpersoon: Sleutelpersoon | None = None, **overrides: Any) -> Inzet:
    """Hours of a key person of the organisation on one day (a new key person unless one is given)."""
    persoon = sleutelpersoon or make_sleutelpersoon(session, organisatie)
    values: dict[str, Any] = {
        "organisatie_id": organisatie.id, "sleutelpersoon_id": persoon.id, "datum": DATUM, "minuten": 90,
        "soort": "contacten", "gemeentecode": persoon.gemeentecode, "inhoud_hash": "",
    }
    values.update(overrides)
    inzet = Inzet(**values)
    session.add(inzet)
    session.flush()
    return inzet


def make_professioneel_contact(session: Session, organisatie: Organisatie, sleutelpersoon: Sleutelpersoon | None = None,
                               onderwerpen: tuple[str, ...] = (), **overrides: Any) -> ProfessioneelContact:
    """A key person's contact with professionals (a new key person unless one is given); asked by a gemeente."""
    persoon = sleutelpersoon or make_sleutelpersoon(session, organisatie)
    values: dict[str, Any] = {
        "organisatie_id": organisatie.id, "sleutelpersoon_id": persoon.id, "datum": DATUM, "soort": "casusoverleg",
        "aangevraagd_door_soort": "gemeente", "aangevraagd_door_gemeentecode": persoon.gemeentecode,
        "aantal_professionals": 4, "gemeentecode": persoon.gemeentecode, "inhoud_hash": "",
    }
    values.update(overrides)
    contact = ProfessioneelContact(**values)
    session.add(contact)
    session.flush()
    for onderwerp in onderwerpen:
        session.add(ProfessioneelContactOnderwerp(professioneel_contact_id=contact.id, onderwerp=onderwerp))
    session.flush()
    return contact


def make_deskundigheid(session: Session, organisatie: Organisatie, *, deelnemers: list[Sleutelpersoon] | None = None,
                       **overrides: Any) -> Deskundigheidsbevordering:
    """A training record with participants (one new key person when none are given)."""
    values: dict[str, Any] = {"organisatie_id": organisatie.id, "soort": "intervisie", "titel": "Intervisie",
                              "datum": DATUM, "minuten": 120}
    values.update(overrides)
    record = Deskundigheidsbevordering(**values)
    session.add(record)
    session.flush()
    for persoon in deelnemers if deelnemers is not None else [make_sleutelpersoon(session, organisatie)]:
        session.add(DeskundigheidDeelnemer(deskundigheidsbevordering_id=record.id, sleutelpersoon_id=persoon.id))
    session.flush()
    return record


def _van_persoon(session: Session, model: Any, organisatie: Organisatie, persoon: Sleutelpersoon | None, values: dict[str, Any]) -> Any:
    persoon = persoon or make_sleutelpersoon(session, organisatie)
    record = model(organisatie_id=organisatie.id, sleutelpersoon_id=persoon.id, **values)
    session.add(record)
    session.flush()
    return record


def make_ontwikkeldoel(session: Session, organisatie: Organisatie, persoon: Sleutelpersoon | None = None, **overrides: Any) -> Ontwikkeldoel:
    return _van_persoon(session, Ontwikkeldoel, organisatie, persoon,
                        {"omschrijving": "Een voorlichting geven", "datum": DATUM, "status": "open", **overrides})


def make_gesprek(session: Session, organisatie: Organisatie, persoon: Sleutelpersoon | None = None, **overrides: Any) -> Gesprek:
    return _van_persoon(session, Gesprek, organisatie, persoon, {"datum": DATUM, "soort": "voortgang", **overrides})


def make_dienstverband(session: Session, organisatie: Organisatie, persoon: Sleutelpersoon | None = None,
                       **overrides: Any) -> Dienstverband:
    return _van_persoon(session, Dienstverband, organisatie, persoon,
                        {"soort": "vrijwilliger", "vanaf": date(2024, 1, 1), **overrides})
