"""Signalen: an organisation's signals to policy makers or partners, and the receiving region's inbox.

Two audiences read the same rows. The organisation that gave a signal sees everything about it
(`eigen`). A regional key with scope `signalen` sees the live signals addressed to one of its
gemeenten (`ontvangen`), with the organisation's name and without the key person.
"""

import hashlib
import json
import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import delete, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.codelijsten import service as codelijsten
from app.core import filters as gedeelde_filters
from app.core import idempotentie
from app.core.errors import Conflict, NietGevonden, OngeldigeInvoer
from app.core.sorting import Sortering
from app.core.validation import check_wijk_in_gemeente, vandaag
from app.models import Ketenpartner, Organisatie, Signaal, SignaalBericht, SignaalOnderwerp, SignaalStatus, Sleutelpersoon, utcnow
from app.signalen.schemas import (
    BerichtCreate,
    BerichtPublic,
    BerichtVan,
    GerichtAanSoort,
    OntvangenSignaal,
    SignaalCreate,
    SignaalPublic,
    SignaalStatusCode,
    SignaalUpdate,
    StatusWijziging,
)
from app.toegang import audit, scoping
from app.toegang.caller import Caller

NAAM = "Signaal"
RESOURCE_TYPE = "signaal"
BERICHT_RESOURCE_TYPE = "signaalbericht"
S = SignaalStatusCode

# Which status may follow which. Opgepakt and niet-opgepakt are final: the feedback has been given.
OVERGANGEN: dict[S, tuple[S, ...]] = {
    S.ingediend: (S.ontvangen, S.in_behandeling),
    S.ontvangen: (S.in_behandeling, S.opgepakt, S.niet_opgepakt),
    S.in_behandeling: (S.opgepakt, S.niet_opgepakt),
    S.opgepakt: (),
    S.niet_opgepakt: (),
}
EINDSTATUSSEN = frozenset({S.opgepakt, S.niet_opgepakt})
# A regional key receives signals addressed to a gemeente or to the GGD for a gemeente.
REGIONAAL = (GerichtAanSoort.gemeente.value, GerichtAanSoort.ggd.value)

SORTEERVELDEN: dict[str, Any] = {
    "datum": Signaal.datum,
    "statusDatum": Signaal.status_datum,
    "aangemaaktOp": Signaal.aangemaakt_op,
    "gewijzigdOp": Signaal.gewijzigd_op,
}
SORTERING = Sortering("Signaal", SORTEERVELDEN, standaard="-datum")

# Fields a correction may change, with their model attribute (gerichtAan maps to three columns).
_INHOUD = ("datum", "gemeentecode", "wijkcode", "onderwerpen", "doelgroep", "taal", "titel", "omschrijving",
           "hoe_vaak_gehoord", "urgentie", "gericht_aan", "sleutelpersoon_id")


# --- reading ---------------------------------------------------------------------------------


def _levend(statement: SelectOfScalar[Any]) -> SelectOfScalar[Any]:
    return statement.where(col(Signaal.verwijderd_op).is_(None))


def eigen_statement(caller: Caller) -> SelectOfScalar[Signaal]:
    """The caller organisation's live signals."""
    return _levend(scoping.eigen(select(Signaal), Signaal, caller))


def ontvangen_statement(caller: Caller) -> SelectOfScalar[Signaal]:
    """The live signals addressed to one of a regional caller's gemeenten; nothing for other keys."""
    if not caller.gemeentecodes:
        return select(Signaal).where(False)  # type: ignore[arg-type]
    return _levend(select(Signaal)).where(
        col(Signaal.gericht_aan_soort).in_(REGIONAAL),
        col(Signaal.gericht_aan_gemeentecode).in_(caller.gemeentecodes),
    )


def get(session: Session, *, caller: Caller, signaal_id: uuid.UUID) -> Signaal:
    """The caller organisation's live signal with this id, or 404."""
    return scoping.haal_eigen(session, Signaal, signaal_id, caller, naam=NAAM)


def get_ontvangen(session: Session, *, caller: Caller, signaal_id: uuid.UUID) -> Signaal:
    """A signal addressed to the regional caller's gemeenten, or 404 (also for anyone else's)."""
    signaal = session.exec(ontvangen_statement(caller).where(Signaal.id == signaal_id)).first()
    if signaal is None:
        raise NietGevonden(f"{NAAM} {signaal_id} bestaat niet.")
    return signaal


def list_statement(
    statement: SelectOfScalar[Signaal],
    *,
    status: str | None = None,
    urgentie: str | None = None,
    onderwerp: str | None = None,
    gemeente: str | None = None,
    soort: str | None = None,
    datum_vanaf: date | None = None,
    datum_tot: date | None = None,
    sort: list[Any] | None = None,
) -> SelectOfScalar[Signaal]:
    """Filters and order on top of `eigen_statement` or `ontvangen_statement`."""
    statement = gedeelde_filters.gegeven(statement, [
        (status, lambda v: Signaal.status == v),
        (urgentie, lambda v: Signaal.urgentie == v),
        (gemeente, lambda v: Signaal.gemeentecode == v),
        (soort, lambda v: Signaal.gericht_aan_soort == v),
        (datum_vanaf, lambda v: col(Signaal.datum) >= v),
        (datum_tot, lambda v: col(Signaal.datum) <= v),
        (onderwerp, lambda v: col(Signaal.id).in_(
            select(SignaalOnderwerp.signaal_id).where(gedeelde_filters.onderwerp_filter(SignaalOnderwerp.onderwerp, v))
        )),
    ])
    return statement.order_by(*(sort if sort is not None else SORTERING.standaard), Signaal.id)


def _bijlagen(session: Session, signalen: Sequence[Signaal]) -> tuple[dict[uuid.UUID, list[str]], dict[uuid.UUID, list[SignaalStatus]]]:
    """Topics and status history of a page of signals, in two queries."""
    ids = [s.id for s in signalen]
    onderwerpen: dict[uuid.UUID, list[str]] = defaultdict(list)
    historie: dict[uuid.UUID, list[SignaalStatus]] = defaultdict(list)
    if ids:
        for regel in session.exec(
            select(SignaalOnderwerp).where(col(SignaalOnderwerp.signaal_id).in_(ids)).order_by(SignaalOnderwerp.onderwerp)
        ):
            onderwerpen[regel.signaal_id].append(regel.onderwerp)
        for status in session.exec(
            select(SignaalStatus).where(col(SignaalStatus.signaal_id).in_(ids)).order_by(SignaalStatus.vastgelegd_op, SignaalStatus.id)
        ):
            historie[status.signaal_id].append(status)
    return onderwerpen, historie


def _inhoud(signaal: Signaal, onderwerpen: list[str], historie: list[SignaalStatus]) -> dict[str, Any]:
    terugkoppeling = (
        {"tekst": signaal.terugkoppeling_tekst, "datum": signaal.terugkoppeling_datum}
        if signaal.terugkoppeling_tekst is not None
        else None
    )
    return {
        "id": signaal.id, "datum": signaal.datum, "gemeentecode": signaal.gemeentecode, "wijkcode": signaal.wijkcode,
        "onderwerpen": onderwerpen, "doelgroep": signaal.doelgroep, "taal": signaal.taal, "titel": signaal.titel,
        "omschrijving": signaal.omschrijving, "hoe_vaak_gehoord": signaal.hoe_vaak_gehoord, "urgentie": signaal.urgentie,
        "gericht_aan": {
            "soort": signaal.gericht_aan_soort,
            "gemeentecode": signaal.gericht_aan_gemeentecode,
            "ketenpartner_id": signaal.gericht_aan_ketenpartner_id,
        },
        "status": signaal.status, "status_datum": signaal.status_datum, "terugkoppeling": terugkoppeling,
        "historie": historie, "aangemaakt_op": signaal.aangemaakt_op, "gewijzigd_op": signaal.gewijzigd_op,
    }


def publiek(session: Session, signalen: Sequence[Signaal]) -> list[SignaalPublic]:
    """The organisation's view of a page of its signals."""
    onderwerpen, historie = _bijlagen(session, signalen)
    return [
        SignaalPublic.model_validate(
            _inhoud(s, onderwerpen[s.id], historie[s.id]) | {"extern_id": s.extern_id, "sleutelpersoon_id": s.sleutelpersoon_id}
        )
        for s in signalen
    ]


def ontvangen(session: Session, signalen: Sequence[Signaal]) -> list[OntvangenSignaal]:
    """The receiver's view: the organisation's name, never the key person or the partner app's id."""
    onderwerpen, historie = _bijlagen(session, signalen)
    org_ids = {s.organisatie_id for s in signalen}
    namen = (
        dict(session.exec(select(Organisatie.id, Organisatie.naam).where(col(Organisatie.id).in_(org_ids))).all())
        if org_ids else {}
    )
    return [
        OntvangenSignaal.model_validate(
            _inhoud(s, onderwerpen[s.id], historie[s.id]) | {"organisatie_naam": namen.get(s.organisatie_id, "")}
        )
        for s in signalen
    ]


# --- writing ---------------------------------------------------------------------------------


def _vingerafdruk(values: dict[str, Any]) -> str:
    """Fingerprint of the submitted content (without externId): a retry has the same one."""
    inhoud = {k: values.get(k) for k in _INHOUD}
    inhoud["onderwerpen"] = sorted(inhoud.get("onderwerpen") or [])
    return hashlib.sha256(json.dumps(inhoud, sort_keys=True, default=str).encode()).hexdigest()


def _validate(session: Session, *, caller: Caller, values: dict[str, Any], changed: set[str], bestaand: Signaal | None = None) -> None:
    """Check code lists, the wijk, the key person and the ketenpartner; one 400 with every problem."""
    problems: list[dict[str, str]] = []
    if "onderwerpen" in changed:
        oud = _onderwerpen(session, bestaand) if bestaand else []
        problems += codelijsten.check_codes(
            session, lijst=codelijsten.ONDERWERP,
            values=[(f"onderwerpen[{i}]", o) for i, o in enumerate(values["onderwerpen"])], allow_inactive=oud,
        )
    if "doelgroep" in changed:
        problems += codelijsten.check_codes(
            session, lijst=codelijsten.DOELGROEP, values=[("doelgroep", values.get("doelgroep"))],
            allow_inactive=[bestaand.doelgroep] if bestaand and bestaand.doelgroep else (),
        )
    if changed & {"wijkcode", "gemeentecode"} and (reden := check_wijk_in_gemeente(values.get("wijkcode"), values["gemeentecode"])):
        problems.append({"name": "wijkcode", "reason": reden})
    if "sleutelpersoon_id" in changed and values.get("sleutelpersoon_id") is not None:
        persoon = session.exec(
            scoping.eigen(select(Sleutelpersoon).where(Sleutelpersoon.id == values["sleutelpersoon_id"]), Sleutelpersoon, caller)
        ).first()
        if persoon is None:
            problems.append({"name": "sleutelpersoonId", "reason": "Onbekende sleutelpersoon van de eigen organisatie."})
    gericht_aan = values.get("gericht_aan") or {}
    if "gericht_aan" in changed and gericht_aan.get("soort") == GerichtAanSoort.ketenpartner:
        partner = session.exec(
            scoping.eigen(select(Ketenpartner).where(Ketenpartner.id == gericht_aan["ketenpartner_id"]), Ketenpartner, caller)
        ).first()
        if partner is None or not partner.actief:
            problems.append({"name": "gerichtAan.ketenpartnerId", "reason": "Onbekende of gedeactiveerde ketenpartner van de eigen organisatie."})
    if problems:
        raise OngeldigeInvoer.met(problems, onderwerp="Het signaal")


def _onderwerpen(session: Session, signaal: Signaal) -> list[str]:
    return list(session.exec(select(SignaalOnderwerp.onderwerp).where(SignaalOnderwerp.signaal_id == signaal.id)))


def _kolommen(values: dict[str, Any]) -> dict[str, Any]:
    """Model attributes from API values (gerichtAan spread over its three columns)."""
    kolommen = {k: v for k, v in values.items() if k not in ("gericht_aan", "onderwerpen")}
    if "gericht_aan" in values:
        ga = values["gericht_aan"]
        kolommen |= {
            "gericht_aan_soort": str(ga["soort"]),
            "gericht_aan_gemeentecode": ga.get("gemeentecode"),
            "gericht_aan_ketenpartner_id": ga.get("ketenpartner_id"),
        }
    if "urgentie" in kolommen:
        kolommen["urgentie"] = str(kolommen["urgentie"])
    return kolommen


def _zoek_extern_id(session: Session, *, caller: Caller, extern_id: str) -> Signaal | None:
    statement = scoping.eigen(select(Signaal).where(Signaal.extern_id == extern_id), Signaal, caller)
    return session.exec(statement).first()



def create(session: Session, *, caller: Caller, data: SignaalCreate) -> tuple[Signaal, bool]:
    """Record a signal (status `ingediend`); the same externId and content again returns the existing one."""
    assert caller.organisatie_id is not None
    values = data.model_dump(by_alias=False)
    if caller.is_apparaat and values.get("sleutelpersoon_id") is None:
        values["sleutelpersoon_id"] = caller.sleutelpersoon_id  # a key person's device speaks for that person
    vingerafdruk = _vingerafdruk(values)
    if data.extern_id is not None and (bestaand := _zoek_extern_id(session, caller=caller, extern_id=data.extern_id)):
        return idempotentie.herhaling(bestaand, naam="signaal", extern_id=str(bestaand.extern_id), vingerafdruk=vingerafdruk, weg="ingetrokken", wijzig="Corrigeer"), False
    _validate(session, caller=caller, values=values, changed=set(values))
    signaal = Signaal(
        organisatie_id=caller.organisatie_id, status=S.ingediend.value, status_datum=data.datum,
        inhoud_hash=vingerafdruk, **_kolommen(values),
    )
    try:
        # A savepoint, so a concurrent POST with the same externId ends up as a retry, not a 500.
        with session.begin_nested():
            session.add(signaal)
            session.flush()
    except IntegrityError:
        assert data.extern_id is not None
        bestaand = _zoek_extern_id(session, caller=caller, extern_id=data.extern_id)
        if bestaand is None and caller.is_apparaat:
            # Taken by a colleague's signal, which this device may not see.
            raise Conflict(f"Het externId `{data.extern_id}` is in de organisatie al in gebruik; gebruik een ander.",
                           code="externid-in-gebruik") from None
        if bestaand is None:
            raise
        return idempotentie.herhaling(bestaand, naam="signaal", extern_id=str(bestaand.extern_id), vingerafdruk=vingerafdruk, weg="ingetrokken", wijzig="Corrigeer"), False
    session.add_all([SignaalOnderwerp(signaal_id=signaal.id, onderwerp=o) for o in values["onderwerpen"]])
    session.add(SignaalStatus(signaal_id=signaal.id, status=signaal.status, status_datum=signaal.status_datum, api_sleutel_id=caller.sleutel_id))
    session.flush()
    audit.log(session, caller=caller, actie="aangemaakt", resource_type=RESOURCE_TYPE, resource_id=signaal.id,
              velden=[_camel(k) for k, v in values.items() if v is not None])
    return signaal, True


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.capitalize() for p in rest)


def update(session: Session, *, caller: Caller, signaal: Signaal, data: SignaalUpdate) -> Signaal:
    """Correct the content of an own signal; for a signal to a ketenpartner also record its status and feedback."""
    changes = data.model_dump(exclude_unset=True, by_alias=False)
    status_velden = {k: changes.pop(k) for k in ("status", "status_datum", "terugkoppeling") if k in changes}
    huidig = _huidige_waarden(session, signaal)
    changed = {k: v for k, v in changes.items() if _normaal(huidig.get(k)) != _normaal(v)}
    if "gericht_aan" in changed and signaal.status != S.ingediend:
        raise Conflict(
            f"Een signaal met status `{signaal.status}` is al bij de ontvanger; `gerichtAan` kan alleen "
            "worden gewijzigd zolang de status `ingediend` is. Trek het in en dien een nieuw signaal in.",
            extra={"huidigeStatus": signaal.status},
        )
    if "extern_id" in changed and changed["extern_id"] is not None:
        ander = _zoek_extern_id(session, caller=scoping.als_organisatie(caller), extern_id=changed["extern_id"])
        if ander is not None and ander.id != signaal.id:
            raise Conflict(f"Er bestaat al een signaal met externId `{changed['extern_id']}`.", code="externid-in-gebruik",
                           extra={"bestaandId": str(ander.id)} if scoping.zichtbaar(caller, ander) else None)
    if status_velden and signaal.gericht_aan_soort != GerichtAanSoort.ketenpartner:
        raise Conflict(
            "De status van een signaal aan een gemeente of GGD wijzigt alleen de ontvanger "
            "(een regionale sleutel met scope `signalen`).",
            extra={"huidigeStatus": signaal.status},
        )
    if changed:
        merged = huidig | changed
        _validate(session, caller=caller, values=merged, changed=set(changed), bestaand=signaal)
        for name, value in _kolommen(changed).items():
            setattr(signaal, name, value)
        if "onderwerpen" in changed:
            session.exec(delete(SignaalOnderwerp).where(col(SignaalOnderwerp.signaal_id) == signaal.id))  # type: ignore[call-overload]
            session.add_all([SignaalOnderwerp(signaal_id=signaal.id, onderwerp=o) for o in changed["onderwerpen"]])
        signaal.inhoud_hash = _vingerafdruk(merged)
        signaal.gewijzigd_op = utcnow()
        session.add(signaal)
        session.flush()
        audit.log(session, caller=caller, actie="gewijzigd", resource_type=RESOURCE_TYPE, resource_id=signaal.id,
                  velden=[_camel(k) for k in changed])
    if "status" in status_velden:
        wijzig_status(session, caller=caller, signaal=signaal, data=StatusWijziging.model_validate(status_velden))
    elif status_velden:
        raise OngeldigeInvoer.veld("status", "Geef `status` mee bij `statusDatum` of `terugkoppeling`.")
    return signaal


def _huidige_waarden(session: Session, signaal: Signaal) -> dict[str, Any]:
    values = {k: getattr(signaal, k) for k in _INHOUD if hasattr(signaal, k)} | {"extern_id": signaal.extern_id}
    values["onderwerpen"] = sorted(_onderwerpen(session, signaal))
    values["gericht_aan"] = {
        "soort": signaal.gericht_aan_soort,
        "gemeentecode": signaal.gericht_aan_gemeentecode,
        "ketenpartner_id": signaal.gericht_aan_ketenpartner_id,
    }
    return values


def _normaal(value: Any) -> Any:
    if isinstance(value, list):
        return sorted(value)
    if isinstance(value, dict):
        return {k: str(v) if v is not None else None for k, v in value.items()}
    if isinstance(value, str):
        return str(value)
    return value


def withdraw(session: Session, *, caller: Caller, signaal: Signaal) -> None:
    """Withdraw an own signal: it disappears for the organisation and the receiver; the audit trail keeps the fact."""
    signaal.verwijderd_op = utcnow()
    signaal.gewijzigd_op = signaal.verwijderd_op
    session.add(signaal)
    session.flush()
    audit.log(session, caller=caller, actie="ingetrokken", resource_type=RESOURCE_TYPE, resource_id=signaal.id)


def wijzig_status(session: Session, *, caller: Caller, signaal: Signaal, data: StatusWijziging) -> Signaal:
    """Move a signal along OVERGANGEN (409 otherwise); a final status needs feedback (400 without)."""
    status_datum = data.status_datum or vandaag()
    problems: list[dict[str, str]] = []
    if status_datum < signaal.status_datum:
        problems.append({
            "name": "statusDatum",
            "reason": f"Datum {status_datum.isoformat()} ligt vóór de datum van de huidige status "
            f"`{signaal.status}` ({signaal.status_datum.isoformat()}).",
        })
    if data.status in EINDSTATUSSEN and data.terugkoppeling is None:
        problems.append({
            "name": "terugkoppeling",
            "reason": f"Status `{data.status.value}` vraagt om een terugkoppeling (`tekst` en `datum`) aan de organisatie die het signaal gaf.",
        })
    if data.terugkoppeling is not None and data.terugkoppeling.datum < signaal.datum:
        problems.append({"name": "terugkoppeling.datum", "reason": "Ligt vóór de datum van het signaal."})
    toegestaan = OVERGANGEN[S(signaal.status)]
    if data.status not in toegestaan:
        vervolg = ", ".join(f"`{s.value}`" for s in toegestaan) if toegestaan else "geen (dit is een eindstatus)"
        raise Conflict(
            f"Een signaal met status `{signaal.status}` kan niet naar status `{data.status.value}`. "
            f"Toegestane volgende statussen: {vervolg}.",
            code="statusovergang", extra={"huidigeStatus": signaal.status, "toegestaneStatussen": [s.value for s in toegestaan]},
        )
    if problems:
        raise OngeldigeInvoer.met(problems, onderwerp="De statuswijziging")
    signaal.status = data.status.value
    signaal.status_datum = status_datum
    velden = ["status", "statusDatum"]
    signaal.gewijzigd_op = utcnow()
    session.add(signaal)
    session.add(SignaalStatus(signaal_id=signaal.id, status=signaal.status, status_datum=status_datum, api_sleutel_id=caller.sleutel_id))
    session.flush()
    if data.terugkoppeling is not None:
        # Kept as a message in the conversation, never overwriting an earlier one.
        _nieuw_bericht(session, caller=caller, signaal=signaal, van=BerichtVan.ontvanger,
                       tekst=data.terugkoppeling.tekst, datum=data.terugkoppeling.datum,
                       vingerafdruk=_bericht_vingerafdruk(data.terugkoppeling.tekst, data.terugkoppeling.datum))
        velden.append("terugkoppeling")
    # In the organisation's audit trail too, also when the receiver (a regional key) made the change.
    audit.log(session, caller=caller, actie="status-gewijzigd", resource_type=RESOURCE_TYPE, resource_id=signaal.id,
              velden=velden, organisatie_id=signaal.organisatie_id)
    return signaal


# --- the conversation ------------------------------------------------------------------------

BERICHT_NAAM = "Bericht"


def berichten_statement(signaal: Signaal) -> SelectOfScalar[SignaalBericht]:
    """The signal's messages in conversation order: by date, then by when they were recorded."""
    return (select(SignaalBericht).where(SignaalBericht.signaal_id == signaal.id)
            .order_by(SignaalBericht.datum, SignaalBericht.aangemaakt_op, SignaalBericht.id))


def get_bericht(session: Session, *, signaal: Signaal, bericht_id: uuid.UUID) -> SignaalBericht:
    """One message of this signal's conversation, or 404 (also for a message of another signal)."""
    bericht = session.exec(select(SignaalBericht).where(
        SignaalBericht.id == bericht_id, SignaalBericht.signaal_id == signaal.id)).first()
    if bericht is None:
        raise NietGevonden(f"{BERICHT_NAAM} {bericht_id} bestaat niet.")
    return bericht


def berichten_van(session: Session, signaal_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[SignaalBericht]]:
    """The conversations of a page of signals, in one query (for the dashboard)."""
    draden: dict[uuid.UUID, list[SignaalBericht]] = defaultdict(list)
    if signaal_ids:
        for bericht in session.exec(
            select(SignaalBericht).where(col(SignaalBericht.signaal_id).in_(signaal_ids))
            .order_by(SignaalBericht.datum, SignaalBericht.aangemaakt_op, SignaalBericht.id)
        ):
            draden[bericht.signaal_id].append(bericht)
    return draden


def berichten_publiek(berichten: Sequence[SignaalBericht], *, kant: BerichtVan) -> list[BerichtPublic]:
    """Messages as one side sees them: the other side's externId is not shown (nor ever who wrote it)."""
    return [
        BerichtPublic(id=b.id, van=BerichtVan(b.van), tekst=b.tekst, datum=b.datum,
                      extern_id=b.extern_id if b.van == kant else None, aangemaakt_op=b.aangemaakt_op)
        for b in berichten
    ]


def _bericht_vingerafdruk(tekst: str, datum: date | None) -> str:
    return hashlib.sha256(json.dumps({"tekst": tekst, "datum": datum.isoformat() if datum else None}, sort_keys=True).encode()).hexdigest()


def _zoek_bericht(session: Session, *, signaal: Signaal, van: BerichtVan, extern_id: str) -> SignaalBericht | None:
    return session.exec(select(SignaalBericht).where(
        SignaalBericht.signaal_id == signaal.id, SignaalBericht.van == van.value, SignaalBericht.extern_id == extern_id,
    )).first()


def _herhaald_bericht(bestaand: SignaalBericht, *, vingerafdruk: str, extern_id: str) -> SignaalBericht:
    if bestaand.inhoud_hash != vingerafdruk:
        raise Conflict(
            f"Er bestaat al een bericht met externId `{extern_id}` bij dit signaal, met een andere inhoud. "
            "Een bericht verandert niet; stuur een nieuw bericht met een ander externId.",
            extra={"bestaandId": str(bestaand.id)}, code="externid-andere-inhoud",
        )
    return bestaand


def plaats_bericht(
    session: Session, *, caller: Caller, signaal: Signaal, van: BerichtVan, data: BerichtCreate
) -> tuple[SignaalBericht, bool]:
    """Add a message to the conversation (in any status); the same externId and content again returns the existing one."""
    vingerafdruk = _bericht_vingerafdruk(data.tekst, data.datum)
    if data.extern_id is not None and (bestaand := _zoek_bericht(session, signaal=signaal, van=van, extern_id=data.extern_id)):
        return _herhaald_bericht(bestaand, vingerafdruk=vingerafdruk, extern_id=data.extern_id), False
    datum = data.datum or vandaag()
    if datum < signaal.datum:
        raise OngeldigeInvoer.met(
            [{"name": "datum", "reason": f"Ligt vóór de datum van het signaal ({signaal.datum.isoformat()})."}],
            onderwerp="Het bericht",
        )
    try:
        # A savepoint, so a concurrent POST with the same externId ends up as a retry, not a 500.
        with session.begin_nested():
            bericht = _nieuw_bericht(session, caller=caller, signaal=signaal, van=van, tekst=data.tekst, datum=datum,
                                     vingerafdruk=vingerafdruk, extern_id=data.extern_id)
    except IntegrityError:
        if data.extern_id is None or not (bestaand := _zoek_bericht(session, signaal=signaal, van=van, extern_id=data.extern_id)):
            raise
        return _herhaald_bericht(bestaand, vingerafdruk=vingerafdruk, extern_id=data.extern_id), False
    return bericht, True


def _nieuw_bericht(
    session: Session, *, caller: Caller, signaal: Signaal, van: BerichtVan, tekst: str, datum: date,
    vingerafdruk: str, extern_id: str | None = None,
) -> SignaalBericht:
    """Store one message, audit it in the giving organisation's trail, and keep `terugkoppeling` in step."""
    bericht = SignaalBericht(
        signaal_id=signaal.id, van=van.value, tekst=tekst, datum=datum, extern_id=extern_id, inhoud_hash=vingerafdruk,
        api_sleutel_id=caller.sleutel_id, apparaat_id=caller.apparaat_id, sleutelpersoon_id=caller.sleutelpersoon_id,
    )
    session.add(bericht)
    session.flush()
    if van is BerichtVan.ontvanger:
        # `terugkoppeling` is the receiver's latest message (by date, then by recording).
        laatste = session.exec(
            select(SignaalBericht).where(SignaalBericht.signaal_id == signaal.id, SignaalBericht.van == van.value)
            .order_by(col(SignaalBericht.datum).desc(), col(SignaalBericht.aangemaakt_op).desc())
        ).first()
        assert laatste is not None
        signaal.terugkoppeling_tekst, signaal.terugkoppeling_datum = laatste.tekst, laatste.datum
    signaal.gewijzigd_op = utcnow()
    session.add(signaal)
    session.flush()
    audit.log(session, caller=caller, actie="aangemaakt", resource_type=BERICHT_RESOURCE_TYPE, resource_id=bericht.id,
              velden=["tekst", "datum", "van"] + (["externId"] if extern_id else []), organisatie_id=signaal.organisatie_id)
    return bericht


# --- retention -------------------------------------------------------------------------------


def pas_bewaartermijn_toe(session: Session, *, grens: date, proefdraai: bool = False, caller: Caller) -> dict[uuid.UUID, int]:
    """Delete signals dated before `grens` (withdrawn ones too), with topics, history and messages; counts per organisation."""
    verlopen = select(Signaal.id, Signaal.organisatie_id).where(Signaal.datum < grens)
    rows = session.exec(verlopen).all()
    aantallen: Counter[uuid.UUID] = Counter(organisatie_id for _, organisatie_id in rows)
    if proefdraai or not rows:
        return dict(aantallen)
    ids = [signaal_id for signaal_id, _ in rows]
    for start in range(0, len(ids), 500):
        deel = ids[start:start + 500]
        # Children explicitly: SQLite enforces ON DELETE CASCADE only with foreign keys switched on.
        session.exec(delete(SignaalOnderwerp).where(col(SignaalOnderwerp.signaal_id).in_(deel)))  # type: ignore[call-overload]
        session.exec(delete(SignaalStatus).where(col(SignaalStatus.signaal_id).in_(deel)))  # type: ignore[call-overload]
        session.exec(delete(SignaalBericht).where(col(SignaalBericht.signaal_id).in_(deel)))  # type: ignore[call-overload]
        session.exec(delete(Signaal).where(col(Signaal.id).in_(deel)))  # type: ignore[call-overload]
    for organisatie_id, aantal in sorted(aantallen.items(), key=lambda item: str(item[0])):
        audit.log(session, caller=caller, actie="bewaartermijn-verlopen", resource_type=RESOURCE_TYPE,
                  organisatie_id=organisatie_id, aantal=aantal)
    session.flush()
    return dict(aantallen)


def aantal(session: Session) -> int:
    """Number of live signals (for the demo loader's summary)."""
    return session.exec(select(func.count()).select_from(Signaal).where(col(Signaal.verwijderd_op).is_(None))).one()
