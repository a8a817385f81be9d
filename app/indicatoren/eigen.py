"""Indicators an organisation defines itself (issue 25 part 2): a base measure from the catalogue,
fixed filters and an optional denominator, versioned (docs/eigen-indicatoren.md).

An own indicator is never a new kind of query. Its numerator is the catalogue request "base code with
the fixed filters merged into the request's", and its denominator (for a percentage) another one; both
go through `service.bereken` unchanged. So for a regional reader every part is exactly a table the
catalogue would publish: the same table checks, the same contributor rule, the same audited and budgeted
read, and, since a cell's description is built from the base measure and the filters, the same cell key
and so the same perturbed figure, never a fresh draw that could be averaged away.
"""

import re
import uuid
from dataclasses import dataclass, replace
from typing import Any

from pydantic.alias_generators import to_camel
from sqlalchemy import func
from sqlmodel import Session, col, select

from app.codelijsten import service as codelijsten
from app.core import persoonsgegevens
from app.core.errors import Conflict, NietGevonden, OngeldigeInvoer
from app.indicatoren import service, tabelcontrole
from app.indicatoren.catalogue import INDICATOREN, Bron, Eenheid, Indicator, Maat
from app.indicatoren.query import UUID_DIMENSIES
from app.indicatoren.schemas import (
    EigenDefinitiePublic,
    EigenIndicatorCreate,
    EigenIndicatorUpdate,
    EigenIndicatorVersiePublic,
    IndicatorPublic,
    NoemerPublic,
)
from app.models import (
    EigenIndicator,
    EigenIndicatorVersie,
    Ketenpartner,
    Organisatie,
    Sleutelpersoon,
    utcnow,
)
from app.toegang import audit
from app.toegang.caller import Binding, Caller

PREFIX = "eigen."
RESOURCE_TYPE = "eigen-indicator"
# Measures a base may have: a count, a distinct count or a sum. A rate or a median of a rate or median
# has no sensible meaning, and a percentage's parts must be counts (the rows' teller/noemer are counts).
BASIS_MATEN = (Maat.aantal, Maat.uniek, Maat.som)
NOEMER_MATEN = (Maat.aantal, Maat.uniek)
# The defining organisation is fixed (for a regional reader, through an `organisatie` filter).
VAST = ("organisatie",)
OPEN_PATRONEN = {"taal": re.compile(r"^[a-z]{2,3}$"), "wijk": re.compile(r"^WK[0-9]{4}[0-9A-Z]{2}$")}
DEFINITIE_VELDEN = ("naam", "definitie", "basis", "filters", "noemer")
Problemen = list[dict[str, str]]


@dataclass(frozen=True)
class EigenVersie:
    """One version of an own indicator, resolved: the catalogue entries its parts count."""

    code: str
    versie: int
    organisatie_id: uuid.UUID
    basis: Indicator
    filters: dict[str, tuple[str, ...]]
    noemer_basis: Indicator | None
    noemer_filters: dict[str, tuple[str, ...]]
    indicator: Indicator  # the own indicator as shown (name, definition, unit, dimensions)
    record: EigenIndicator
    rij: EigenIndicatorVersie


def is_eigen(code: str) -> bool:
    return code.startswith(PREFIX)


def _tuples(filters: dict[str, Any] | None) -> dict[str, tuple[str, ...]]:
    return {naam: tuple(waarden) for naam, waarden in sorted((filters or {}).items())}


def _omschrijving(basis: Indicator, filters: dict[str, tuple[str, ...]]) -> str:
    vast = "; ".join(f"{naam}={','.join(w)}" for naam, w in filters.items())
    return f"{basis.code}" + (f" met {vast}" if vast else "")


def _resolve(record: EigenIndicator, rij: EigenIndicatorVersie) -> EigenVersie:
    basis = INDICATOREN[rij.basis]
    filters = _tuples(rij.filters)
    noemer_basis = INDICATOREN[rij.noemer["basis"]] if rij.noemer else None
    noemer_filters = _tuples(rij.noemer.get("filters")) if rij.noemer else {}
    dimensies = basis.dimensies if noemer_basis is None else tuple(d for d in basis.dimensies if d in noemer_basis.dimensies)
    indicator = Indicator(
        code=record.code, naam=rij.naam, definitie=rij.definitie,
        eenheid=Eenheid.percentage if noemer_basis else basis.eenheid, bron=basis.bron,
        maat=Maat.ratio if noemer_basis else basis.maat, kolom=None if noemer_basis else basis.kolom,
        factor=basis.factor, basis=basis.basis, dimensies=dimensies,
        teller_omschrijving=_omschrijving(basis, filters) if noemer_basis else None,
        noemer_omschrijving=_omschrijving(noemer_basis, noemer_filters) if noemer_basis else None,
    )
    return EigenVersie(code=record.code, versie=rij.versie, organisatie_id=record.organisatie_id, basis=basis,
                       filters=filters, noemer_basis=noemer_basis, noemer_filters=noemer_filters, indicator=indicator,
                       record=record, rij=rij)


# --- finding -------------------------------------------------------------------------------------


def _zichtbaar(session: Session, caller: Caller, code: str, organisatie_id: uuid.UUID | None = None) -> list[EigenIndicator]:
    """The own indicators with this code the caller may see: its organisation's (withdrawn ones too), or
    for a regional key the shared, active ones of organisations serving one of its gemeenten."""
    statement = select(EigenIndicator).where(EigenIndicator.code == code)
    if caller.binding is Binding.organisatie:
        if caller.organisatie_id is None:
            return []
        return list(session.exec(statement.where(EigenIndicator.organisatie_id == caller.organisatie_id)))
    if caller.binding is not Binding.regio:
        return []  # national and beheer keys, devices: not theirs to read
    statement = statement.where(col(EigenIndicator.gedeeld_met_regio).is_(True), col(EigenIndicator.ingetrokken_op).is_(None))
    if organisatie_id is not None:
        statement = statement.where(EigenIndicator.organisatie_id == organisatie_id)
    regio = set(caller.gemeentecodes)
    gevonden = []
    for record in session.exec(statement.order_by(EigenIndicator.organisatie_id)):
        organisatie = session.get(Organisatie, record.organisatie_id)
        if organisatie is not None and regio & set(organisatie.gemeentecodes or ()):
            gevonden.append(record)
    return gevonden


def zoek(session: Session, caller: Caller, code: str, *, organisatie_id: uuid.UUID | None = None) -> EigenIndicator:
    """The own indicator with this code the caller may see, or 404 (another organisation's, unshared: 404 too).

    Codes are unique per organisation; a regional key that sees two organisations' indicators with one
    code names the organisation (`organisatie=`)."""
    gevonden = _zichtbaar(session, caller, code, organisatie_id)
    if not gevonden:
        raise NietGevonden(f"Indicator `{code}` bestaat niet; zie GET /v1/indicatoren voor de indicatoren die u kunt zien.")
    if len(gevonden) > 1:
        raise OngeldigeInvoer.veld("organisatie", f"Meer organisaties in uw regio delen een indicator `{code}`; kies er een "
                                   f"met organisatie= ({', '.join(str(r.organisatie_id) for r in gevonden)}).")
    return gevonden[0]


def versie_van(session: Session, record: EigenIndicator, versie: int | None = None) -> EigenVersie:
    """A version of an own indicator (the latest by default), resolved; 404 for a version that does not exist."""
    nummer = record.huidige_versie if versie is None else versie
    rij = session.exec(select(EigenIndicatorVersie).where(
        EigenIndicatorVersie.eigen_indicator_id == record.id, EigenIndicatorVersie.versie == nummer)).first()
    if rij is None:
        raise NietGevonden(f"Versie {nummer} van indicator `{record.code}` bestaat niet (de laatste is {record.huidige_versie}).")
    return _resolve(record, rij)


def vind(session: Session, caller: Caller, code: str) -> Indicator | None:
    """The indicator a code names for this caller: a catalogue entry, the latest version of an active own
    indicator the caller may see (as an `Indicator`: code, name, unit, dimensions), or None (unknown, another
    organisation's, unshared, withdrawn). For targets and goals: `vind(session, caller, code) is None` is 400."""
    if not is_eigen(code):
        return INDICATOREN.get(code)
    gevonden = [r for r in _zichtbaar(session, caller, code) if r.ingetrokken_op is None]
    if len(gevonden) != 1:
        return None
    return versie_van(session, gevonden[0]).indicator


def zichtbare(session: Session, caller: Caller) -> list[EigenVersie]:
    """The active own indicators the caller sees in the list, by code: its own, or shared ones in its region."""
    statement = select(EigenIndicator).where(col(EigenIndicator.ingetrokken_op).is_(None))
    if caller.binding is Binding.organisatie and caller.organisatie_id is not None:
        statement = statement.where(EigenIndicator.organisatie_id == caller.organisatie_id)
    elif caller.binding is Binding.regio:
        regio = set(caller.gemeentecodes)
        organisaties = [i for i, codes in session.execute(select(Organisatie.id, Organisatie.gemeentecodes))
                        if regio & set(codes or ())]
        statement = statement.where(col(EigenIndicator.gedeeld_met_regio).is_(True),
                                    col(EigenIndicator.organisatie_id).in_(organisaties))
    else:
        return []
    records = session.exec(statement.order_by(EigenIndicator.code, EigenIndicator.organisatie_id)).all()
    return [versie_van(session, r) for r in records]


# --- shapes --------------------------------------------------------------------------------------


def _noemer_public(noemer: dict[str, Any] | None) -> NoemerPublic | None:
    return NoemerPublic(basis=noemer["basis"], filters=noemer.get("filters") or {}) if noemer else None


def publiek(v: EigenVersie) -> IndicatorPublic:
    i, r = v.indicator, v.record
    return IndicatorPublic(
        code=i.code, naam=i.naam, definitie=i.definitie, eenheid=i.eenheid.value, teller=i.teller_omschrijving,
        noemer=i.noemer_omschrijving, dimensies=list(i.dimensies),
        eigen=EigenDefinitiePublic(
            organisatie_id=str(r.organisatie_id), versie=v.versie, basis=v.basis.code,
            filters={k: list(w) for k, w in v.filters.items()}, noemer=_noemer_public(v.rij.noemer),
            gedeeld_met_regio=r.gedeeld_met_regio, status="ingetrokken" if r.ingetrokken_op else "actief",
            aangemaakt_op=r.aangemaakt_op, gewijzigd_op=r.gewijzigd_op,
        ),
    )


def versies_statement(record: EigenIndicator) -> Any:
    return select(EigenIndicatorVersie).where(EigenIndicatorVersie.eigen_indicator_id == record.id) \
        .order_by(col(EigenIndicatorVersie.versie).desc())


def versie_publiek(rij: EigenIndicatorVersie) -> EigenIndicatorVersiePublic:
    return EigenIndicatorVersiePublic(versie=rij.versie, naam=rij.naam, definitie=rij.definitie, basis=rij.basis,
                                      filters=rij.filters or {}, noemer=_noemer_public(rij.noemer),
                                      aangemaakt_op=rij.aangemaakt_op)


# --- validation ----------------------------------------------------------------------------------


def _basis_problemen(code: str | None, veld: str, maten: tuple[Maat, ...]) -> tuple[Indicator | None, Problemen]:
    if code is None:
        return None, []
    basis = INDICATOREN.get(code)
    if basis is None:
        soort = "eigen indicator" if is_eigen(code) else "indicator"
        return None, [{"name": veld, "reason": f"`{code}` is geen {soort} uit de catalogus; een eigen indicator bouwt op "
                       "een indicator uit de catalogus (zie GET /v1/indicatoren)."}]
    if basis.maat not in maten:
        return None, [{"name": veld, "reason": f"{code} is een {basis.maat.value}; kies een indicator die telt "
                       f"({', '.join(m.value for m in maten)})."}]
    return basis, []


def _toegestaan(session: Session, bron: Bron, naam: str) -> set[str] | None:
    """The values a fixed filter may take; None for the dimensions checked otherwise (ids, open lists)."""
    if naam in OPEN_PATRONEN or naam in UUID_DIMENSIES:
        return None
    if naam == "gemeente":
        return set(codelijsten.lookup(session, lijst=codelijsten.GEMEENTE))
    if naam == "status":
        if bron is Bron.signaal:
            return set(tabelcontrole.SIGNAAL_STATUSSEN)
        if bron is Bron.professioneel_contact:
            return {"gevraagd", "gegeven", "teruggekoppeld"}
        return set(codelijsten.lookup(session, lijst=codelijsten.DOORVERWIJZING_STATUS))
    if naam in tabelcontrole.VASTE_LIJSTEN:
        return set(tabelcontrole.VASTE_LIJSTEN[naam])
    if naam == "hoofdonderwerp":
        return {c for c in codelijsten.lookup(session, lijst=codelijsten.ONDERWERP) if "." not in c}
    lijst = tabelcontrole.lijst_van(bron, naam)
    return set(codelijsten.lookup(session, lijst=lijst)) if lijst else set()


def _eigen_ids(session: Session, caller: Caller, naam: str, waarden: list[str]) -> set[str]:
    """Of these ids, those of a key person or partner of the caller's own organisation."""
    model: Any = Sleutelpersoon if naam == "sleutelpersoon" else Ketenpartner
    ids = []
    for w in waarden:
        try:
            ids.append(uuid.UUID(w))
        except ValueError:
            continue
    if not ids:
        return set()
    gevonden = session.exec(select(model.id).where(col(model.id).in_(ids), model.organisatie_id == caller.organisatie_id))
    return {str(i) for i in gevonden}


def filter_problemen(session: Session, caller: Caller, basis: Indicator, filters: dict[str, list[str]] | None,
                     veld: str) -> Problemen:
    """Fixed filters checked against the base's dimensions and code lists; one problem per name or value."""
    problemen: Problemen = []
    for naam, waarden in (filters or {}).items():
        plek = f"{veld}.{naam}"
        if naam in VAST:
            problemen.append({"name": plek, "reason": "Een eigen indicator telt altijd de eigen organisatie; laat dit filter weg."})
            continue
        if naam not in basis.dimensies:
            problemen.append({"name": plek, "reason": f"{basis.code} kan niet op {naam} worden gefilterd; toegestaan: "
                              f"{', '.join(d for d in basis.dimensies if d not in VAST)}."})
            continue
        if not waarden:
            problemen.append({"name": plek, "reason": "Geef minstens een waarde."})
            continue
        if len(set(waarden)) != len(waarden):
            problemen.append({"name": plek, "reason": "Elke waarde mag hoogstens één keer voorkomen."})
        persoonlijk = persoonsgegevens.controleer({plek: ",".join(w for w in waarden if naam not in UUID_DIMENSIES)})
        if persoonlijk:
            problemen += persoonlijk
            continue
        if naam in OPEN_PATRONEN:
            problemen += [{"name": plek, "reason": f"`{w}` is geen geldige {naam}code."} for w in waarden
                          if not OPEN_PATRONEN[naam].match(w)]
        elif naam in UUID_DIMENSIES:
            eigen = _eigen_ids(session, caller, naam, waarden)
            problemen += [{"name": plek, "reason": f"{naam.capitalize()} {w} bestaat niet in de eigen organisatie."}
                          for w in waarden if w not in eigen]
        else:
            toegestaan = _toegestaan(session, basis.bron, naam) or set()
            problemen += [{"name": plek, "reason": f"Onbekende code `{w}` voor {naam}."} for w in waarden if w not in toegestaan]
    return problemen


def _definitie_problemen(session: Session, caller: Caller, values: dict[str, Any]) -> Problemen:
    problemen: Problemen = []
    basis, p = _basis_problemen(values.get("basis"), "basis", BASIS_MATEN if not values.get("noemer") else NOEMER_MATEN)
    problemen += p
    if basis is not None:
        problemen += filter_problemen(session, caller, basis, values.get("filters"), "filters")
    noemer = values.get("noemer")
    if noemer:
        noemer_basis, p = _basis_problemen(noemer.get("basis"), "noemer.basis", NOEMER_MATEN)
        problemen += p
        if noemer_basis is not None:
            problemen += filter_problemen(session, caller, noemer_basis, noemer.get("filters"), "noemer.filters")
    return problemen


def _canoniek(filters: dict[str, list[str]] | None) -> dict[str, list[str]]:
    return {naam: sorted(waarden) for naam, waarden in sorted((filters or {}).items())}


def _versie_kolommen(values: dict[str, Any]) -> dict[str, Any]:
    noemer = values.get("noemer")
    return {
        "naam": values["naam"], "definitie": values["definitie"], "basis": values["basis"],
        "filters": _canoniek(values.get("filters")),
        "noemer": {"basis": noemer["basis"], "filters": _canoniek(noemer.get("filters"))} if noemer else None,
    }


# --- writing -------------------------------------------------------------------------------------


def create(session: Session, *, caller: Caller, data: EigenIndicatorCreate,
           schemafouten: Problemen = ()) -> EigenVersie:  # type: ignore[assignment]
    """Define an own indicator (version 1); every problem (schema, base, filters, code taken) in one 400."""
    assert caller.organisatie_id is not None
    values = data.model_dump(by_alias=False, warnings=False)
    problemen: Problemen = list(schemafouten)
    problemen += _definitie_problemen(session, caller, values)
    code = values.get("code")
    if code and session.exec(select(EigenIndicator.id).where(
            EigenIndicator.organisatie_id == caller.organisatie_id, EigenIndicator.code == code)).first():
        problemen.append({"name": "code", "reason": f"De code `{code}` is al in gebruik in de eigen organisatie (ook een "
                          "ingetrokken indicator houdt haar code)."})
    if problemen:
        raise OngeldigeInvoer.met(problemen, onderwerp="De indicator", slot=" Er is niets opgeslagen.")
    record = EigenIndicator(organisatie_id=caller.organisatie_id, code=code, gedeeld_met_regio=bool(values["gedeeld_met_regio"]))
    session.add(record)
    session.flush()
    rij = EigenIndicatorVersie(eigen_indicator_id=record.id, versie=1, **_versie_kolommen(values))
    session.add(rij)
    session.flush()
    audit.log(session, caller=caller, actie="aangemaakt", resource_type=RESOURCE_TYPE, resource_id=record.id,
              velden=[to_camel(k) for k, v in values.items() if v not in (None, {}, [])])
    return _resolve(record, rij)


def update(session: Session, *, caller: Caller, record: EigenIndicator, data: EigenIndicatorUpdate,
           schemafouten: Problemen = ()) -> EigenVersie:  # type: ignore[assignment]
    """Change an own indicator: a changed definition becomes a new version; sharing changes in place."""
    if record.ingetrokken_op is not None:
        raise Conflict(f"Indicator `{record.code}` is ingetrokken en kan niet meer worden gewijzigd.")
    huidig = versie_van(session, record)
    oud = {"naam": huidig.rij.naam, "definitie": huidig.rij.definitie, "basis": huidig.rij.basis,
           "filters": huidig.rij.filters or {}, "noemer": huidig.rij.noemer}
    changes = data.model_dump(include=data.model_fields_set, by_alias=False)
    problemen: Problemen = list(schemafouten)
    for naam in ("naam", "definitie", "basis", "filters"):
        if naam in changes and changes[naam] is None and not any(p["name"].split(".")[0].split("[")[0] == naam
                                                                  for p in problemen):
            problemen.append({"name": naam, "reason": f"{naam} kan niet leeg worden gemaakt."})
    if "gedeeld_met_regio" in changes and changes["gedeeld_met_regio"] is None:
        problemen.append({"name": "gedeeldMetRegio", "reason": "Geef true of false."})
    nieuw = oud | {k: v for k, v in changes.items() if k in DEFINITIE_VELDEN and (v is not None or k == "noemer")}
    definitie_gewijzigd = _versie_kolommen(nieuw) != _versie_kolommen(oud)
    if definitie_gewijzigd:
        problemen += _definitie_problemen(session, caller, nieuw)
    if problemen:
        raise OngeldigeInvoer.met(problemen, onderwerp="De indicator", slot=" Er is niets opgeslagen.")
    gewijzigd = [k for k in DEFINITIE_VELDEN if k in changes and _versie_kolommen(nieuw).get(k) != _versie_kolommen(oud).get(k)]
    if changes.get("gedeeld_met_regio") is not None and changes["gedeeld_met_regio"] != record.gedeeld_met_regio:
        record.gedeeld_met_regio = changes["gedeeld_met_regio"]
        gewijzigd.append("gedeeldMetRegio")
    if not gewijzigd:
        return huidig
    if definitie_gewijzigd:
        # The number comes from the row under a row lock (PostgreSQL), so two changes at once make versions n+1 and n+2.
        record = session.exec(select(EigenIndicator).where(EigenIndicator.id == record.id).with_for_update()).one()
        laatste = session.exec(select(func.max(EigenIndicatorVersie.versie)).where(
            EigenIndicatorVersie.eigen_indicator_id == record.id)).one() or 0
        session.add(EigenIndicatorVersie(eigen_indicator_id=record.id, versie=laatste + 1, **_versie_kolommen(nieuw)))
        record.huidige_versie = laatste + 1
    record.gewijzigd_op = utcnow()
    session.add(record)
    session.flush()
    audit.log(session, caller=caller, actie="gewijzigd", resource_type=RESOURCE_TYPE, resource_id=record.id, velden=gewijzigd)
    return versie_van(session, record)


def delete(session: Session, *, caller: Caller, record: EigenIndicator) -> None:
    """Withdraw: no longer listed, shared or changeable; its code stays taken and every version stays readable."""
    if record.ingetrokken_op is not None:
        return
    record.ingetrokken_op = utcnow()
    record.gewijzigd_op = record.ingetrokken_op
    session.add(record)
    session.flush()
    audit.log(session, caller=caller, actie="ingetrokken", resource_type=RESOURCE_TYPE, resource_id=record.id)


# --- computing -----------------------------------------------------------------------------------


def samenvoegen(vast: dict[str, tuple[str, ...]], gevraagd: dict[str, tuple[str, ...]],
                problemen: Problemen | None = None) -> dict[str, tuple[str, ...]]:
    """The request's filters with the fixed ones merged in: on the same dimension both hold (intersection)."""
    samen = dict(gevraagd)
    for naam, waarden in vast.items():
        if naam in samen:
            beide = tuple(w for w in samen[naam] if w in waarden)
            if not beide and problemen is not None:
                problemen.append({"name": naam, "reason": f"Deze indicator telt alleen {naam} {', '.join(waarden)}; het "
                                  "filter valt daarbuiten."})
            samen[naam] = beide
        else:
            samen[naam] = waarden
    return samen


def delen(verzoek: service.Verzoek, caller: Caller) -> tuple[service.Verzoek, service.Verzoek | None]:
    """The catalogue requests an own indicator's numerator and denominator are."""
    eigen: EigenVersie = verzoek.eigen
    extra = {} if caller.binding is Binding.organisatie else {"organisatie": (str(eigen.organisatie_id),)}
    teller = replace(verzoek, indicator=eigen.basis, filters=samenvoegen(eigen.filters | extra, verzoek.filters), eigen=None)
    if eigen.noemer_basis is None:
        return teller, None
    noemer = replace(verzoek, indicator=eigen.noemer_basis,
                     filters=samenvoegen(eigen.noemer_filters | extra, verzoek.filters), eigen=None)
    return teller, noemer


def bereken(session: Session, *, caller: Caller, verzoek: service.Verzoek, drempel: int, max_rijen: int) -> service.Resultaat:
    """An indicator's values: a catalogue indicator as always; an own one from the catalogue requests of its parts."""
    if verzoek.eigen is None:
        return service.bereken(session, caller=caller, verzoek=verzoek, drempel=drempel, max_rijen=max_rijen)
    teller_verzoek, noemer_verzoek = delen(verzoek, caller)
    teller = service.bereken(session, caller=caller, verzoek=teller_verzoek, drempel=drempel, max_rijen=max_rijen, doelen=False)
    if noemer_verzoek is None:
        rijen = teller.rijen
    else:
        noemer = service.bereken(session, caller=caller, verzoek=noemer_verzoek, drempel=drempel, max_rijen=max_rijen,
                                 doelen=False)
        rijen = _percentages(verzoek, teller.rijen, noemer.rijen, max_rijen)
    # Targets are set on the own code: its rows get theirs, spread and paced as a catalogue indicator's.
    doeltempo = service._doelen(session, rijen, verzoek, caller)
    return service.Resultaat(verzoek=verzoek, rijen=rijen, onderdrukking=teller.onderdrukking, drempel=drempel,
                             doeltempo=doeltempo)


def _percentages(verzoek: service.Verzoek, tellers: list[service.Rij], noemers: list[service.Rij],
                 max_rijen: int) -> list[service.Rij]:
    """100 x numerator / denominator per cell, one decimal; a cell with a suppressed part is suppressed.

    The parts are the published counts as they are: a cell missing from one part's table (its fixed
    filter excludes it) counts 0 there. The numerator need not be part of the denominator (questions per
    contact), so a percentage may exceed 100."""
    def sleutel(rij: service.Rij) -> tuple[Any, ...]:
        return (rij.periode.vanaf, *(rij.dimensies[g] for g in verzoek.groeperen_op))

    t = {sleutel(r): r for r in tellers}
    n = {sleutel(r): r for r in noemers}
    volgorde = sorted(t.keys() | n.keys(), key=lambda k: (k[0], service._sort_key(k[1:])))
    if len(volgorde) > max_rijen:
        raise OngeldigeInvoer.veld("groeperenOp", f"Deze combinatie van groeperenOp en interval geeft meer dan {max_rijen} "
                                   "rijen; kies minder dimensies, een grover interval of een kortere periode.")
    rijen = []
    for k in volgorde:
        rt, rn = t.get(k), n.get(k)
        voorbeeld = rt or rn
        assert voorbeeld is not None
        teller = None if rt is not None and rt.onderdrukt else int(rt.waarde or 0) if rt is not None else 0
        noemer = None if rn is not None and rn.onderdrukt else int(rn.waarde or 0) if rn is not None else 0
        rij = service.Rij(periode=voorbeeld.periode, dimensies=dict(voorbeeld.dimensies), waarde=None, teller=teller,
                          noemer=noemer, labels={**(rn.labels if rn else {}), **(rt.labels if rt else {})})
        if teller is None or noemer is None:
            rij.onderdrukt = True
        elif noemer:
            rij.waarde = round(100 * teller / noemer, 1)
        rijen.append(rij)
    return rijen

