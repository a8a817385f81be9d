"""Doelstellingen (organisation keys): the monitoring cycle of handreiking chapter 7 in the dashboard.

A goal and its needs analysis → its indicators with their targets and pace → the stories its evaluations
considered → the evaluations with their decisions. Every write is the API's own service call with the
API's schema (`/v1/doelstellingen`, `/v1/doelen`, `/v1/evaluaties`): the same single validation pass,
audit, tenancy and privacy guard; a form only turns its fields into the API's body and shows the
problems next to the fields. Figures come from the indicator service as `/v1/indicatoren/{code}/waarden`
computes them, pace included when the values carry it.
"""

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from sqlmodel import Session, col, func, select

from app.core.db import SessionDep
from app.core.errors import (
    DomeinFout,
    GeenToegang,
    NietGevonden,
    OngeldigeInvoer,
    validation_params,
)
from app.core.schemas import schemafouten
from app.core.validation import vandaag
from app.doelen import service as doelen
from app.doelen.schemas import DoelCreate
from app.doelstellingen import service as doelstellingen
from app.doelstellingen.schemas import DoelstellingInvoer, DoelstellingUpdate
from app.ervaringsverhalen import service as verhalen
from app.evaluaties import besluiten
from app.evaluaties import service as evaluaties
from app.evaluaties.schemas import BesluitUpdate, EvaluatieInvoer
from app.models import (
    Doel,
    Doelstelling,
    Ervaringsverhaal,
    Evaluatie,
    EvaluatieDoelstelling,
    Ketenpartner,
)
from app.toegang import scoping
from app.toegang.caller import Scope
from app.web import adapters
from app.web.sessie import SessieDep, WebSessie, controleer_csrf
from app.web.templating import datum as datum_tekst
from app.web.templating import pagina

router = APIRouter(include_in_schema=False)

STATUS_NAMEN = {"concept": "Concept", "actief": "Actief", "afgerond": "Afgerond"}
ROLLEN = {"sleutelpersonen": "Sleutelpersonen", "coordinator": "Coördinator", "ketenpartners": "Ketenpartners",
          "gemeente": "Gemeente", "ggd": "GGD"}
BESLUIT_STATUS = {"open": "Open", "bezig": "Bezig", "afgerond": "Afgerond"}
BESLUIT_RIJEN = 3  # empty decision rows in the evaluation form; a meeting with more records the rest in a second one
MAX_DOELEN = 20  # targets on a goal's page, each computed twice (its period and its quarters): a bound on the page's work
MAX_VERHALEN = 30  # stories offered in the evaluation form
TEKST_MAX = 20_000  # form fields accept more than the API, so a too-long text gets the API's message on the page

# The API's field names in the words of the form, and the id of the field a problem belongs to.
VELDEN = {
    "titel": ("titel", "Titel"), "omschrijving": ("omschrijving", "Omschrijving"),
    "behoefteanalyse": ("behoefteanalyse_datum", "Behoefteanalyse"),
    "behoefteanalyse.datum": ("behoefteanalyse_datum", "Datum van de behoefteanalyse"),
    "behoefteanalyse.tekst": ("behoefteanalyse_tekst", "Uitkomst van de behoefteanalyse"),
    "beoogdeKetenpartners": ("ketenpartners", "Beoogde ketenpartners"), "vanaf": ("vanaf", "Vanaf"),
    "tot": ("tot", "Tot en met"), "status": ("status", "Status"), "indicatoren": ("indicatoren", "Indicatoren"),
    "indicator": ("indicator", "Indicator"), "periode": ("periode", "Periode"), "waarde": ("waarde", "Streefwaarde"),
    "gedeeld": ("gedeeld", "Delen"), "filters": ("indicator", "Indicator"),
    "datum": ("datum", "Datum"), "deelnemers": ("deelnemers", "Deelnemers"),
    "doelstellingen": ("doelstellingen", "Besproken doelstellingen"), "bevindingen": ("bevindingen", "Bevindingen"),
    "ervaringsverhalen": ("ervaringsverhalen", "Besproken ervaringsverhalen"),
}
# Schema messages written for integrators, in the words of a form.
_IN_WOORDEN = {"Moet minstens 1 element(en) bevatten.": "Vul dit in.", "Verplicht veld ontbreekt.": "Vul dit in."}


@dataclass(frozen=True)
class Fout:
    veld: str  # the id of the form field
    label: str
    reden: str


@dataclass
class Formulier:
    """What a form was filled in with, and the problems the API's validation found, once each."""

    invoer: dict[str, Any] = field(default_factory=dict)
    fouten: list[Fout] = field(default_factory=list)

    def fout(self, veld: str) -> bool:
        return any(f.veld == veld for f in self.fouten)


def _fouten(problemen: list[dict[str, str]], *, rijen: list[int] = (), rollen: list[str] = ()) -> list[Fout]:  # type: ignore[assignment]
    """The API's invalidParams as problems of form fields; `besluiten[i]` is row `rijen[i]` of the form."""
    uitkomst: list[Fout] = []
    for p in problemen:
        naam, reden = p.get("name", ""), _IN_WOORDEN.get(p.get("reason", ""), p.get("reason", ""))
        reden = re.sub(r"`([^`]*)`", r"\1", reden)
        reden = re.sub(r"\b\d{4}-\d{2}-\d{2}\b", _datum_in_woorden, reden)
        if m := re.match(r"besluiten\[(\d+)\]\.?(\w*)", naam):
            rij = rijen[int(m.group(1))] if int(m.group(1)) < len(rijen) else 0
            deel = {"tekst": "tekst", "eigenaarRol": "rol", "deadline": "deadline", "status": "status"}.get(m.group(2), "tekst")
            uitkomst.append(Fout(f"besluit-{rij}-{deel}", f"Besluit {rij + 1}", reden))
            continue
        if m := re.match(r"deelnemers\[(\d+)\]", naam):
            rol = rollen[int(m.group(1))] if int(m.group(1)) < len(rollen) else ""
            uitkomst.append(Fout(f"aantal-{rol}" if rol else "deelnemers", f"Deelnemers: {ROLLEN.get(rol, rol)}", reden))
            continue
        basis = re.sub(r"\[\d+\].*$", "", naam)
        veld, label = VELDEN.get(naam) or VELDEN.get(basis) or (basis or "formulier", basis or "Formulier")
        uitkomst.append(Fout(veld, label, reden))
    return list(dict.fromkeys(uitkomst))


def _datum_in_woorden(m: re.Match[str]) -> str:
    try:
        return datum_tekst(date.fromisoformat(m.group(0)))
    except ValueError:
        return m.group(0)


def _mag(sessie: WebSessie) -> None:
    if not (sessie.is_organisatie and sessie.caller.has(Scope.inzien)):
        raise GeenToegang("Doelstellingen zijn er voor de sleutel van een organisatie (scope `inzien`).")


def _mag_schrijven(request: Request, sessie: WebSessie, csrf: str) -> None:
    controleer_csrf(request, csrf, sessie.csrf)
    _mag(sessie)
    if not sessie.caller.has(Scope.registreren):
        raise GeenToegang("Doelstellingen, doelen en evaluaties vastleggen vraagt een sleutel met scope `registreren`.")


def _doelstelling(session: Session, sessie: WebSessie, doelstelling_id: uuid.UUID) -> Doelstelling:
    _mag(sessie)
    return doelstellingen.get(session, caller=sessie.caller, doelstelling_id=doelstelling_id)


@contextmanager
def _proef(session: Session) -> Iterator[None]:
    """A savepoint that is always rolled back: the service's own rule check, with nothing stored."""
    savepoint = session.begin_nested()
    try:
        yield
    finally:
        if savepoint.is_active:
            savepoint.rollback()


def _ongeldig(problemen: list[dict[str, str]]) -> OngeldigeInvoer:
    return OngeldigeInvoer.met(problemen, slot=" Er is niets opgeslagen.")


# --- what the forms offer ---------------------------------------------------------------------


def _indicator_naam(session: Session, sessie: WebSessie, code: str) -> str:
    """The indicator's name; a code the caller no longer sees (an own indicator withdrawn) as itself."""
    return adapters.indicator_naam(session, sessie.caller, code) or code


def _ketenpartners(session: Session, sessie: WebSessie) -> list[Ketenpartner]:
    """The organisation's social map, active partners (and the ones already named) by name."""
    statement = scoping.eigen(select(Ketenpartner), Ketenpartner, sessie.caller).order_by(Ketenpartner.naam)
    return list(session.exec(statement.limit(500)).all())


def _doelstelling_body(titel: str, omschrijving: str, ba_datum: str, ba_tekst: str, ketenpartners: list[str],
                       vanaf: str, tot: str, status: str, indicatoren: list[str]) -> dict[str, Any]:
    """The form as the API's body: an empty optional field is left out, as a client would."""
    body: dict[str, Any] = {"titel": titel.strip(), "vanaf": vanaf or None, "beoogdeKetenpartners": ketenpartners,
                            "indicatoren": indicatoren, "status": status or None}
    body["omschrijving"] = omschrijving.strip() or None
    body["tot"] = tot or None
    if ba_datum or ba_tekst.strip():
        # A half-filled analysis leaves the other field out, so the schema says it is missing.
        body["behoefteanalyse"] = {k: v for k, v in (("datum", ba_datum), ("tekst", ba_tekst.strip())) if v}
    else:
        body["behoefteanalyse"] = None
    return body


def _doelstelling_invoer(d: Any) -> dict[str, Any]:
    return {
        "titel": d.titel, "omschrijving": d.omschrijving or "", "vanaf": d.vanaf.isoformat(),
        "tot": d.tot.isoformat() if d.tot else "", "status": str(d.status),
        "behoefteanalyse_datum": d.behoefteanalyse.datum.isoformat() if d.behoefteanalyse else "",
        "behoefteanalyse_tekst": d.behoefteanalyse.tekst if d.behoefteanalyse else "",
        "ketenpartners": [str(k) for k in d.beoogde_ketenpartners], "indicatoren": list(d.indicatoren),
    }


# --- the list -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LijstRij:
    d: Any
    laatste_evaluatie: date | None


def _laatste_evaluaties(session: Session, sessie: WebSessie, ids: list[uuid.UUID]) -> dict[uuid.UUID, date]:
    if not ids:
        return {}
    statement = scoping.eigen(
        select(EvaluatieDoelstelling.doelstelling_id, func.max(Evaluatie.datum))
        .join(Evaluatie, col(Evaluatie.id) == EvaluatieDoelstelling.evaluatie_id)
        .where(col(EvaluatieDoelstelling.doelstelling_id).in_(ids))
        .group_by(EvaluatieDoelstelling.doelstelling_id),
        Evaluatie, sessie.caller,
    )
    return dict(session.exec(statement).all())  # type: ignore[call-overload, arg-type]


def _lijst_context(session: Session, sessie: WebSessie, nummer: int) -> dict[str, Any]:
    _mag(sessie)
    statement = doelstellingen.list_statement(doelstellingen.eigen_statement(sessie.caller))
    rijen = list(session.exec(statement.offset((nummer - 1) * adapters.PAGINA).limit(adapters.PAGINA + 1)).all())
    meer, rijen = len(rijen) > adapters.PAGINA, rijen[: adapters.PAGINA]
    laatste = _laatste_evaluaties(session, sessie, [d.id for d in rijen])
    mag = sessie.caller.has(Scope.registreren)
    return {
        "sessie": sessie, "actief": "doelstellingen", "pagina": nummer, "meer": meer,
        "rijen": [LijstRij(doelstellingen.publiek(d), laatste.get(d.id)) for d in rijen],
        "statussen": STATUS_NAMEN, "mag_schrijven": mag,
        "ketenpartners": _ketenpartners(session, sessie) if mag else [],
        "indicatoren": adapters.indicator_keuzes(session, sessie.caller) if mag else [],
        "formulier": Formulier(invoer={"status": "actief", "vanaf": date(vandaag().year, 1, 1).isoformat(),
                                       "tot": date(vandaag().year, 12, 31).isoformat(), "ketenpartners": [],
                                       "indicatoren": []}),
        "vandaag": vandaag().isoformat(), "melding": None,
    }


Nummer = Annotated[int, Query(alias="pagina", ge=1, le=10_000)]
Tekst = Annotated[str, Form(max_length=TEKST_MAX)]
Kort = Annotated[str, Form(max_length=100)]
Lijst = Annotated[list[str], Form(max_length=200)]


@router.get("/doelstellingen", response_class=HTMLResponse)
def lijst(request: Request, sessie: SessieDep, session: SessionDep, nummer: Nummer = 1) -> Response:
    return pagina(request, "doelstellingen.html", _lijst_context(session, sessie, nummer))


@router.post("/doelstellingen", response_class=HTMLResponse)
def create(
    request: Request, sessie: SessieDep, session: SessionDep,
    csrf: Kort = "", titel: Tekst = "", omschrijving: Tekst = "", behoefteanalyse_datum: Kort = "",
    behoefteanalyse_tekst: Tekst = "", ketenpartners: Lijst = [], vanaf: Kort = "", tot: Kort = "",  # noqa: B006
    status: Kort = "", indicatoren: Lijst = [],  # noqa: B006
) -> Response:
    """`POST /v1/doelstellingen` from the form: the API's schema and rules in one pass."""
    _mag_schrijven(request, sessie, csrf)
    body = _doelstelling_body(titel, omschrijving, behoefteanalyse_datum, behoefteanalyse_tekst, ketenpartners, vanaf,
                              tot, status, indicatoren)
    data = DoelstellingInvoer.model_validate(body)
    try:
        doelstelling, _ = doelstellingen.create(session, caller=sessie.caller, data=data, schemafouten=schemafouten(data))
    except OngeldigeInvoer as exc:
        session.rollback()
        context = _lijst_context(session, sessie, 1)
        context["formulier"] = Formulier(
            invoer={"titel": titel, "omschrijving": omschrijving, "behoefteanalyse_datum": behoefteanalyse_datum,
                    "behoefteanalyse_tekst": behoefteanalyse_tekst, "ketenpartners": ketenpartners, "vanaf": vanaf,
                    "tot": tot, "status": status, "indicatoren": indicatoren},
            fouten=_fouten(exc.invalid_params or []))
        return pagina(request, "doelstellingen.html", context, status_code=400)
    return RedirectResponse(f"/doelstellingen/{doelstelling.id}?melding=aangemaakt", status_code=303)


# --- one goal: the cycle ----------------------------------------------------------------------------


@dataclass
class DoelRij:
    """A line of the indicator table: an indicator with one of its targets, or without one."""

    code: str
    naam: str
    eenheid: str = "aantal"
    doel: Doel | None = None
    streefwaarde: float | None = None
    waarde: float | int | None = None
    onderdrukt: bool = False
    realisatie: float | None = None
    verwacht: float | None = None  # expected so far, when the values carry pace
    tempo: str | None = None  # voor, op-schema, achter
    periode: str = ""
    toelichting: str = ""
    kwartalen: list["Kwartaal"] = field(default_factory=list)  # a year target's quarters

    @property
    def teken(self) -> str:
        return "%" if self.eenheid == "percentage" else (" uur" if self.eenheid == "uren" else "")


@dataclass(frozen=True)
class Kwartaal:
    """A quarter of a year target: its part of the target (when the values spread it), pace and realisation."""

    periode: str
    doel: float | None
    verwacht: float | None
    waarde: float | int | None
    onderdrukt: bool
    tempo: str | None


def _kwartalen(resultaat: Any) -> list[Kwartaal]:
    kwartalen = []
    for r in resultaat.rijen:
        verwacht, tempo = adapters.tempo_van(r)
        kwartalen.append(Kwartaal(r.periode.label, r.doel, verwacht, r.waarde, r.onderdrukt, tempo))
    return kwartalen


def _vul_in(rij: DoelRij, resultaat: Any) -> None:
    waarden = adapters.totaal(resultaat)
    rij.waarde, rij.onderdrukt = waarden.waarde, waarden.onderdrukt
    rij.eenheid = resultaat.verzoek.indicator.eenheid.value
    if rij.streefwaarde:
        rij.realisatie = waarden.realisatie if waarden.realisatie is not None else (
            round(100 * waarden.waarde / rij.streefwaarde, 1) if waarden.waarde is not None else None)
    rij.verwacht, rij.tempo = adapters.tempo_van(waarden)


def doelen_van(session: Session, sessie: WebSessie, d: Any) -> list[Doel]:
    """The organisation's targets for the goal's indicators whose period overlaps the goal's term."""
    if not d.indicatoren:
        return []
    statement = doelen.list_statement(caller=sessie.caller).where(col(Doel.indicator).in_(d.indicatoren))
    statement = statement.where(col(Doel.tot) > d.vanaf)
    if d.tot is not None:
        statement = statement.where(col(Doel.vanaf) <= d.tot)
    return list(session.exec(statement.limit(MAX_DOELEN)).all())


def _indicator_rijen(session: Session, sessie: WebSessie, d: Any) -> list[DoelRij]:
    cijfers = sessie.caller.has(Scope.rapporteren)
    per_indicator: dict[str, list[Doel]] = {code: [] for code in d.indicatoren}
    for doel in doelen_van(session, sessie, d):
        per_indicator[doel.indicator].append(doel)
    nu = vandaag()
    rijen: list[DoelRij] = []
    for code, lijst_ in per_indicator.items():
        bekend = adapters.indicator_naam(session, sessie.caller, code)
        naam = bekend or code
        if not lijst_:
            rij = DoelRij(code, naam, periode="looptijd tot nu", toelichting="geen doel vastgelegd")
            einde = min(d.tot or nu, nu)
            if cijfers and bekend and d.vanaf <= einde:
                _vul_in(rij, adapters.indicator(session, sessie.caller, code, vanaf=d.vanaf.isoformat(), tot=einde.isoformat()))
            rijen.append(rij)
            continue
        for doel in lijst_:
            rij = DoelRij(code, naam, doel=doel, streefwaarde=doel.waarde, periode=doel.periode)
            if doel.filters:
                rij.toelichting = "; ".join(f"{k}: {', '.join(v)}" for k, v in doel.filters.items())
            if cijfers and bekend:
                _vul_in(rij, adapters.indicator(session, sessie.caller, code, periode=doel.periode, filters=doel.filters))
                if re.fullmatch(r"\d{4}", doel.periode):
                    rij.kwartalen = _kwartalen(adapters.indicator(session, sessie.caller, code, periode=doel.periode,
                                                                  interval="kwartaal", filters=doel.filters))
            rijen.append(rij)
    return rijen


@dataclass
class BesluitRegel:
    id: uuid.UUID
    tekst: str
    eigenaar: str
    deadline: date | None
    status: str

    @property
    def te_laat(self) -> bool:
        return self.status != "afgerond" and self.deadline is not None and self.deadline < vandaag()


def _evaluaties(session: Session, sessie: WebSessie, d: Any) -> list[tuple[Any, list[BesluitRegel]]]:
    statement = evaluaties.list_statement(evaluaties.eigen_statement(sessie.caller), doelstelling=d.id)
    rijen = evaluaties.publiek(session, list(session.exec(statement.limit(adapters.PAGINA)).all()))
    return [
        (e, [BesluitRegel(b.id, b.tekst, ROLLEN.get(str(b.eigenaar_rol), str(b.eigenaar_rol)), b.deadline, str(b.status))
             for b in e.besluiten])
        for e in rijen
    ]


def _verhalen(session: Session, sessie: WebSessie, ids: list[uuid.UUID]) -> list[Ervaringsverhaal]:
    if not ids:
        return []
    statement = verhalen.eigen_statement(sessie.caller).where(col(Ervaringsverhaal.id).in_(ids))
    return list(session.exec(statement.order_by(col(Ervaringsverhaal.datum).desc())).all())


MELDINGEN = {
    "aangemaakt": "De doelstelling is vastgelegd. Voeg doelen toe aan haar indicatoren, en leg evaluaties vast.",
    "gewijzigd": "De doelstelling is gewijzigd.",
    "afgerond": "De doelstelling is afgerond.",
    "doel": "Het doel is vastgelegd.",
    "evaluatie": "De evaluatie is vastgelegd.",
    "besluit": "De status van het besluit is gewijzigd.",
}


def _detail_context(session: Session, sessie: WebSessie, doelstelling: Doelstelling) -> dict[str, Any]:
    d = doelstellingen.publiek(doelstelling)
    partners = {p.id: p.naam for p in _ketenpartners(session, sessie)}
    evaluatie_lijst = _evaluaties(session, sessie, d)
    verhaal_ids = list(dict.fromkeys(v for e, _ in evaluatie_lijst for v in e.ervaringsverhalen))
    return {
        "sessie": sessie, "actief": "doelstellingen", "d": d, "statussen": STATUS_NAMEN, "rollen": ROLLEN,
        "besluit_statussen": BESLUIT_STATUS, "tempo_namen": adapters.TEMPO_NAMEN,
        "partners": [partners.get(k, "onbekende ketenpartner") for k in d.beoogde_ketenpartners],
        "rijen": _indicator_rijen(session, sessie, d), "cijfers": sessie.caller.has(Scope.rapporteren),
        "evaluaties": evaluatie_lijst, "verhalen": _verhalen(session, sessie, verhaal_ids),
        "mag_schrijven": sessie.caller.has(Scope.registreren), "gedeeld_kan": "gedeeld" in DoelCreate.model_fields,
        "doelformulier": Formulier(invoer={"periode": str(max(d.vanaf.year, min(vandaag().year, (d.tot or vandaag()).year)))}),
        "vandaag": vandaag(), "melding": None,
    }


@router.get("/doelstellingen/{doelstelling_id}", response_class=HTMLResponse)
def doelstelling(request: Request, doelstelling_id: uuid.UUID, sessie: SessieDep, session: SessionDep,
                 melding: Annotated[str | None, Query(max_length=20)] = None) -> Response:
    context = _detail_context(session, sessie, _doelstelling(session, sessie, doelstelling_id))
    context["melding"] = MELDINGEN.get(melding or "")
    return pagina(request, "doelstelling.html", context)


# --- editing and closing a goal ---------------------------------------------------------------


def _wijzig_context(session: Session, sessie: WebSessie, doelstelling: Doelstelling, formulier: Formulier) -> dict[str, Any]:
    return {
        "sessie": sessie, "actief": "doelstellingen", "d": doelstellingen.publiek(doelstelling), "statussen": STATUS_NAMEN,
        "ketenpartners": _ketenpartners(session, sessie), "indicatoren": adapters.indicator_keuzes(session, sessie.caller), "formulier": formulier,
        "vandaag": vandaag().isoformat(),
    }


@router.get("/doelstellingen/{doelstelling_id}/wijzigen", response_class=HTMLResponse)
def wijzig_formulier(request: Request, doelstelling_id: uuid.UUID, sessie: SessieDep, session: SessionDep) -> Response:
    gevonden = _doelstelling(session, sessie, doelstelling_id)
    if not sessie.caller.has(Scope.registreren):
        raise GeenToegang("Een doelstelling wijzigen vraagt een sleutel met scope `registreren`.")
    formulier = Formulier(invoer=_doelstelling_invoer(doelstellingen.publiek(gevonden)))
    return pagina(request, "doelstelling_wijzigen.html", _wijzig_context(session, sessie, gevonden, formulier))


@router.post("/doelstellingen/{doelstelling_id}", response_class=HTMLResponse)
def wijzig(
    request: Request, doelstelling_id: uuid.UUID, sessie: SessieDep, session: SessionDep,
    csrf: Kort = "", titel: Tekst = "", omschrijving: Tekst = "", behoefteanalyse_datum: Kort = "",
    behoefteanalyse_tekst: Tekst = "", ketenpartners: Lijst = [], vanaf: Kort = "", tot: Kort = "",  # noqa: B006
    status: Kort = "", indicatoren: Lijst = [],  # noqa: B006
) -> Response:
    """`PATCH /v1/doelstellingen/{id}` with every field of the form; closing goes through `/afronden`."""
    gevonden = _doelstelling(session, sessie, doelstelling_id)
    _mag_schrijven(request, sessie, csrf)
    body = _doelstelling_body(titel, omschrijving, behoefteanalyse_datum, behoefteanalyse_tekst, ketenpartners, vanaf,
                              tot, status, indicatoren)
    problemen: list[dict[str, str]] = []
    if status == "afgerond" and gevonden.status != "afgerond":
        problemen.append({"name": "status", "reason": "Rond een doelstelling af met de knop 'Doelstelling afronden'."})
    try:
        _wijzig(session, sessie, gevonden, body, problemen)
    except OngeldigeInvoer as exc:
        session.rollback()
        gevonden = _doelstelling(session, sessie, doelstelling_id)
        formulier = Formulier(
            invoer={"titel": titel, "omschrijving": omschrijving, "behoefteanalyse_datum": behoefteanalyse_datum,
                    "behoefteanalyse_tekst": behoefteanalyse_tekst, "ketenpartners": ketenpartners, "vanaf": vanaf,
                    "tot": tot, "status": status, "indicatoren": indicatoren},
            fouten=_fouten(exc.invalid_params or []))
        return pagina(request, "doelstelling_wijzigen.html", _wijzig_context(session, sessie, gevonden, formulier),
                      status_code=400)
    return RedirectResponse(f"/doelstellingen/{doelstelling_id}?melding=gewijzigd", status_code=303)


def _wijzig(session: Session, sessie: WebSessie, doelstelling: Doelstelling, body: dict[str, Any],
            problemen: list[dict[str, str]]) -> None:
    """The change in one validation pass: schema problems, and the service's rules over the valid fields
    (tried in a savepoint that is rolled back), reported together; stored only when there are none."""
    try:
        data = DoelstellingUpdate.model_validate(body)
    except ValidationError as exc:
        problemen = problemen + validation_params(exc.errors())
        fout = {p["name"].split(".")[0].split("[")[0] for p in problemen}
        geldig = {k: v for k, v in body.items() if k not in fout}
        try:
            with _proef(session):
                doelstellingen.update(session, caller=sessie.caller, doelstelling=doelstelling,
                                      data=DoelstellingUpdate.model_validate(geldig))
        except (OngeldigeInvoer, ValidationError) as regels:
            if isinstance(regels, OngeldigeInvoer):
                problemen += regels.invalid_params or []
        raise _ongeldig(problemen) from None
    if problemen:
        try:
            with _proef(session):
                doelstellingen.update(session, caller=sessie.caller, doelstelling=doelstelling, data=data)
        except OngeldigeInvoer as regels:
            problemen = problemen + (regels.invalid_params or [])
        raise _ongeldig(problemen)
    doelstellingen.update(session, caller=sessie.caller, doelstelling=doelstelling, data=data)


@router.post("/doelstellingen/{doelstelling_id}/afronden", response_class=HTMLResponse)
def afronden(request: Request, doelstelling_id: uuid.UUID, sessie: SessieDep, session: SessionDep,
             csrf: Kort = "", bevestigd: Annotated[str, Form(max_length=5)] = "") -> Response:
    """Closing a goal is a final action: the first post shows a confirmation page, the second saves."""
    gevonden = _doelstelling(session, sessie, doelstelling_id)
    _mag_schrijven(request, sessie, csrf)
    if bevestigd != "ja":
        return pagina(request, "doelstelling_afronden.html", {
            "sessie": sessie, "actief": "doelstellingen", "d": doelstellingen.publiek(gevonden),
            "huidig": STATUS_NAMEN.get(gevonden.status, gevonden.status),
        })
    doelstellingen.update(session, caller=sessie.caller, doelstelling=gevonden,
                          data=DoelstellingUpdate.model_validate({"status": "afgerond"}))
    return RedirectResponse(f"/doelstellingen/{doelstelling_id}?melding=afgerond", status_code=303)


# --- a target for one of its indicators -------------------------------------------------------------


@router.post("/doelstellingen/{doelstelling_id}/doelen", response_class=HTMLResponse)
def doel_toevoegen(
    request: Request, doelstelling_id: uuid.UUID, sessie: SessieDep, session: SessionDep,
    csrf: Kort = "", indicator: Kort = "", periode: Kort = "", waarde: Kort = "",
    gedeeld: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    """`POST /v1/doelen` for an indicator of this goal, for the whole organisation."""
    gevonden = _doelstelling(session, sessie, doelstelling_id)
    _mag_schrijven(request, sessie, csrf)
    body: dict[str, Any] = {"indicator": indicator, "periode": periode.strip(), "waarde": waarde.strip().replace(",", ".") or None}
    if "gedeeld" in DoelCreate.model_fields:
        body["gedeeld"] = gedeeld == "ja"
    problemen: list[dict[str, str]] = []
    if indicator not in gevonden.indicatoren:
        problemen.append({"name": "indicator", "reason": "Kies een van de indicatoren van deze doelstelling."})
    try:
        data = DoelCreate.model_validate(body)
    except ValidationError as exc:
        data = None
        problemen += validation_params(exc.errors())
    try:
        if data is None or problemen:
            raise _ongeldig(problemen)
        doelen.create(session, caller=sessie.caller, data=data)
    except DomeinFout as exc:
        if exc.status not in (400, 409):
            raise
        session.rollback()
        gevonden = _doelstelling(session, sessie, doelstelling_id)
        context = _detail_context(session, sessie, gevonden)
        fouten = _fouten(exc.invalid_params or []) or [Fout("periode", "Doel", exc.detail)]
        context["doelformulier"] = Formulier(invoer={"indicator": indicator, "periode": periode, "waarde": waarde,
                                                     "gedeeld": gedeeld == "ja"}, fouten=fouten)
        return pagina(request, "doelstelling.html", context, status_code=400)
    return RedirectResponse(f"/doelstellingen/{doelstelling_id}?melding=doel#indicatoren", status_code=303)


# --- an evaluation, and a decision's status ---------------------------------------------------------


def _evaluatie_context(session: Session, sessie: WebSessie, doelstelling: Doelstelling, formulier: Formulier) -> dict[str, Any]:
    d = doelstellingen.publiek(doelstelling)
    alle = session.exec(doelstellingen.list_statement(doelstellingen.eigen_statement(sessie.caller)).limit(200)).all()
    statement = verhalen.list_statement(verhalen.eigen_statement(sessie.caller))
    return {
        "sessie": sessie, "actief": "doelstellingen", "d": d, "rollen": ROLLEN, "besluit_statussen": BESLUIT_STATUS,
        "doelstellingen": [(str(x.id), x.titel) for x in alle], "formulier": formulier,
        "indicatoren": [(code, _indicator_naam(session, sessie, code)) for code in d.indicatoren],
        "verhalen": verhalen.publiek(session, list(session.exec(statement.limit(MAX_VERHALEN)).all())),
        "rijen": range(BESLUIT_RIJEN), "vandaag": vandaag().isoformat(),
    }


@router.get("/doelstellingen/{doelstelling_id}/evaluatie", response_class=HTMLResponse)
def evaluatie_formulier(request: Request, doelstelling_id: uuid.UUID, sessie: SessieDep, session: SessionDep) -> Response:
    gevonden = _doelstelling(session, sessie, doelstelling_id)
    if not sessie.caller.has(Scope.registreren):
        raise GeenToegang("Een evaluatie vastleggen vraagt een sleutel met scope `registreren`.")
    formulier = Formulier(invoer={"datum": vandaag().isoformat(), "doelstellingen": [str(gevonden.id)], "indicatoren": [],
                                  "verhalen": [], "besluiten": [{} for _ in range(BESLUIT_RIJEN)]})
    return pagina(request, "evaluatie.html", _evaluatie_context(session, sessie, gevonden, formulier))


def _aantal(tekst: str) -> Any:
    tekst = tekst.strip()
    try:
        return int(tekst)
    except ValueError:
        return tekst  # the schema says what is wrong with it


@router.post("/doelstellingen/{doelstelling_id}/evaluatie", response_class=HTMLResponse)
def evaluatie_vastleggen(
    request: Request, doelstelling_id: uuid.UUID, sessie: SessieDep, session: SessionDep,
    csrf: Kort = "", datum: Kort = "", bevindingen: Tekst = "",
    aantal_sleutelpersonen: Kort = "", aantal_coordinator: Kort = "", aantal_ketenpartners: Kort = "",
    aantal_gemeente: Kort = "", aantal_ggd: Kort = "",
    doelstellingen_: Annotated[list[str], Form(alias="doelstellingen", max_length=200)] = [],  # noqa: B006
    indicatoren: Lijst = [], verhalen_: Annotated[list[str], Form(alias="verhalen", max_length=200)] = [],  # noqa: B006
    besluit_tekst: Annotated[list[str], Form(max_length=50)] = [],  # noqa: B006
    besluit_rol: Annotated[list[str], Form(max_length=50)] = [],  # noqa: B006
    besluit_deadline: Annotated[list[str], Form(max_length=50)] = [],  # noqa: B006
    besluit_status: Annotated[list[str], Form(max_length=50)] = [],  # noqa: B006
) -> Response:
    """`POST /v1/evaluaties` from the form: participants as counts per role, decisions from the filled rows."""
    gevonden = _doelstelling(session, sessie, doelstelling_id)
    _mag_schrijven(request, sessie, csrf)
    aantallen = {"sleutelpersonen": aantal_sleutelpersonen, "coordinator": aantal_coordinator,
                 "ketenpartners": aantal_ketenpartners, "gemeente": aantal_gemeente, "ggd": aantal_ggd}
    rollen = [rol for rol, n in aantallen.items() if n.strip() and n.strip() != "0"]
    rij_invoer = [
        {"tekst": t, "rol": besluit_rol[i] if i < len(besluit_rol) else "",
         "deadline": besluit_deadline[i] if i < len(besluit_deadline) else "",
         "status": besluit_status[i] if i < len(besluit_status) else ""}
        for i, t in enumerate(besluit_tekst)
    ]
    rijen = [i for i, r in enumerate(rij_invoer) if r["tekst"].strip()]
    body = {
        "datum": datum or None,
        "deelnemers": [{"rol": rol, "aantal": _aantal(aantallen[rol])} for rol in rollen],
        "doelstellingen": doelstellingen_, "bevindingen": bevindingen.strip() or None,
        "besluiten": [{"tekst": rij_invoer[i]["tekst"].strip(), "eigenaarRol": rij_invoer[i]["rol"] or None,
                       "deadline": rij_invoer[i]["deadline"] or None, "status": rij_invoer[i]["status"] or "open"}
                      for i in rijen],
        "indicatoren": indicatoren, "ervaringsverhalen": verhalen_,
    }
    data = EvaluatieInvoer.model_validate(body)
    try:
        evaluaties.create(session, caller=sessie.caller, data=data, schemafouten=schemafouten(data))
    except OngeldigeInvoer as exc:
        session.rollback()
        gevonden = _doelstelling(session, sessie, doelstelling_id)
        formulier = Formulier(
            invoer={"datum": datum, "bevindingen": bevindingen, "doelstellingen": doelstellingen_, "indicatoren": indicatoren,
                    "verhalen": verhalen_, **{f"aantal_{rol}": n for rol, n in aantallen.items()},
                    "besluiten": (rij_invoer + [{}] * BESLUIT_RIJEN)[: max(BESLUIT_RIJEN, len(rij_invoer))]},
            fouten=_fouten(exc.invalid_params or [], rijen=rijen, rollen=rollen))
        context = _evaluatie_context(session, sessie, gevonden, formulier)
        context["rijen"] = range(len(formulier.invoer["besluiten"]))
        return pagina(request, "evaluatie.html", context, status_code=400)
    return RedirectResponse(f"/doelstellingen/{doelstelling_id}?melding=evaluatie#evaluaties", status_code=303)


@router.post("/doelstellingen/{doelstelling_id}/besluiten", response_class=HTMLResponse)
def besluit_status(
    request: Request, doelstelling_id: uuid.UUID, sessie: SessieDep, session: SessionDep,
    csrf: Kort = "", besluit: Kort = "", status: Kort = "",
) -> Response:
    """`PATCH /v1/besluiten/{id}` from the form: one decision of an evaluation of this goal gets its new status."""
    gevonden = _doelstelling(session, sessie, doelstelling_id)
    _mag_schrijven(request, sessie, csrf)
    try:
        besluit_id = uuid.UUID(besluit)
    except ValueError:
        raise NietGevonden("Dit besluit bestaat niet.") from None
    record = besluiten.get(session, caller=sessie.caller, besluit_id=besluit_id)
    besproken = session.exec(select(EvaluatieDoelstelling).where(
        EvaluatieDoelstelling.evaluatie_id == record.evaluatie_id, EvaluatieDoelstelling.doelstelling_id == gevonden.id)).first()
    if besproken is None:
        raise NietGevonden("Dit besluit hoort niet bij deze doelstelling.")
    try:
        besluiten.update(session, caller=sessie.caller, besluit=record, data=BesluitUpdate.model_validate({"status": status}))
    except ValidationError as exc:
        raise _ongeldig(validation_params(exc.errors())) from None
    return RedirectResponse(f"/doelstellingen/{doelstelling_id}?melding=besluit#evaluatie-{record.evaluatie_id}",
                            status_code=303)

