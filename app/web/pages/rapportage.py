"""Rapportage: the reporting cycle in the dashboard (issue 27, part 5).

A coordinator (organisation key, scope `inzien`) sees the organisation's periods and their status, and submits
a period (scope `registreren`) after one confirmation page. A region (regional key with scope `goedkeuren`, or an
administrator) sees the completeness table, organisations × periods, with status and on time or late, and
approves, sends back (with a message) or reopens (with a reason), each after a confirmation page. The pages call
the same services as `/v1/rapportageperiodes` and `/v1/rapportageritmes`: the same rules, history and audit.
"""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from sqlmodel import Session

from app.core.db import SessionDep
from app.core.errors import DomeinFout, GeenToegang, validation_params
from app.core.validation import vandaag
from app.rapportage import service
from app.rapportage.periodes import Periodestatus
from app.rapportage.schemas import Heropenen, Terugsturen
from app.toegang.caller import Scope
from app.web.sessie import SessieDep, WebSessie, controleer_csrf
from app.web.templating import pagina

router = APIRouter(include_in_schema=False)

# The periods the region's table shows per rhythm, newest first (older ones through the API).
KOLOMMEN = 6
STATUS_LABEL = {
    Periodestatus.open: "Open", Periodestatus.ingediend: "Ingediend", Periodestatus.goedgekeurd: "Goedgekeurd",
    Periodestatus.teruggestuurd: "Teruggestuurd", Periodestatus.heropend: "Heropend",
}
# Region's steps: (button, confirmation title, confirm button, what the field asks, field name).
STAPPEN: dict[str, dict[str, str]] = {
    "goedkeuren": {"knop": "Goedkeuren", "titel": "Periode goedkeuren?", "bevestig": "Ja, goedkeuren",
                   "uitleg": "Na goedkeuring zijn de cijfers van deze periode vast: de organisatie kan registraties met een "
                   "datum in de periode niet meer toevoegen, wijzigen of verwijderen, tot u de periode heropent."},
    "terugsturen": {"knop": "Terugsturen", "titel": "Periode terugsturen?", "bevestig": "Ja, terugsturen",
                    "uitleg": "De organisatie krijgt uw bericht en kan de periode daarna opnieuw indienen.",
                    "veld": "bericht", "label": "Bericht aan de organisatie: wat moet er worden aangevuld of verbeterd?"},
    "heropenen": {"knop": "Heropenen", "titel": "Periode heropenen?", "bevestig": "Ja, heropenen",
                  "uitleg": "De organisatie kan registraties in deze periode dan weer wijzigen en dient de periode daarna "
                  "opnieuw in.", "veld": "reden", "label": "Reden van het heropenen"},
}
MOGELIJK = {"goedkeuren": {Periodestatus.ingediend}, "terugsturen": {Periodestatus.ingediend},
            "heropenen": {Periodestatus.goedgekeurd}}


def _is_regio(sessie: WebSessie) -> bool:
    return not sessie.is_organisatie and sessie.caller.has(Scope.goedkeuren)


def _mag(sessie: WebSessie) -> None:
    if not ((sessie.is_organisatie and sessie.caller.has(Scope.inzien)) or _is_regio(sessie)):
        raise GeenToegang("Rapportage is er voor de sleutel van een organisatie (scope `inzien`) of van een regio "
                          "(scope `goedkeuren`).")


def _organisatie_context(session: Session, sessie: WebSessie) -> dict[str, Any]:
    vakken = service.eigen_vakken(session, caller=sessie.caller)
    nu = vandaag()
    rijen = [{"vak": v, "publiek": p, "kan_indienen": sessie.caller.has(Scope.registreren) and v.periode.tot <= nu
              and v.huidig in service.OVERGANGEN["indienen"][0]}
             for v, p in zip(vakken, service.publiek(session, vakken), strict=True)]
    return {"rijen": rijen}


def _regio_context(session: Session, sessie: WebSessie) -> dict[str, Any]:
    tabellen = []
    for ritme in service.ritmes(session, caller=sessie.caller):
        periodes = list(reversed(service.periodes_van(ritme)))[:KOLOMMEN]
        codes = {p.label for p in periodes}
        vakken = [v for v in service.vakken(session, [ritme]) if v.periode.label in codes]
        publiek = dict(zip([(v.organisatie.id, v.periode.label) for v in vakken], service.publiek(session, vakken), strict=True))
        organisaties = service.organisaties(session, [ritme.id])[ritme.id]
        tellingen = service.samenvatting(vakken)
        tabellen.append({"ritme": ritme, "periodes": periodes, "organisaties": organisaties, "cel": publiek,
                         "tellingen": tellingen})
    return {"tabellen": tabellen}


def _context(session: Session, sessie: WebSessie) -> dict[str, Any]:
    _mag(sessie)
    context: dict[str, Any] = {"sessie": sessie, "actief": "rapportage", "labels": STATUS_LABEL, "stappen": STAPPEN,
                               "mogelijk": MOGELIJK, "regio": _is_regio(sessie), "melding": None, "fouten": {},
                               "vandaag": vandaag()}
    context.update(_regio_context(session, sessie) if _is_regio(sessie) else _organisatie_context(session, sessie))
    return context


MELDINGEN = {
    "ingediend": "De periode is ingediend. De regio beoordeelt haar.",
    "goedgekeurd": "De periode is goedgekeurd.",
    "teruggestuurd": "De periode is teruggestuurd naar de organisatie.",
    "heropend": "De periode is heropend.",
}


@router.get("/rapportage", response_class=HTMLResponse)
def rapportage(request: Request, sessie: SessieDep, session: SessionDep,
               gedaan: Annotated[str | None, Query(max_length=20)] = None) -> Response:
    context = _context(session, sessie)
    context["melding"] = MELDINGEN.get(gedaan or "")
    return pagina(request, "rapportage.html", context)


@router.post("/rapportage/indienen", response_class=HTMLResponse)
def indienen(
    request: Request, sessie: SessieDep, session: SessionDep,
    csrf: Annotated[str, Form(max_length=100)] = "",
    periode: Annotated[str, Form(max_length=40)] = "",
    bevestigd: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    """`POST /v1/rapportageperiodes/{periode}/indienen` from a form, after a confirmation page."""
    controleer_csrf(request, csrf, sessie.csrf)
    _mag(sessie)
    if not (sessie.is_organisatie and sessie.caller.has(Scope.registreren)):
        raise GeenToegang("Indienen vraagt de sleutel van een organisatie met scope `registreren`.")
    vakken = service.eigen_vakken(session, caller=sessie.caller, periode=periode)
    if not vakken:
        raise GeenToegang("Deze periode hoort niet bij uw organisatie.")
    if bevestigd != "ja":
        return pagina(request, "rapportage_bevestigen.html", {
            "sessie": sessie, "actief": "rapportage", "stap": "indienen", "vak": vakken[0],
            "titel": f"Periode {periode} indienen?", "bevestig": "Ja, indienen", "veld": None, "fout": None,
            "uitleg": "U bevestigt dat de registraties van uw organisatie over deze periode compleet zijn. De regio "
            "beoordeelt ze; na goedkeuring liggen de cijfers van de periode vast.",
        })
    try:
        service.dien_in(session, caller=sessie.caller, periode=periode)
    except DomeinFout as exc:
        if exc.status != 409:
            raise
        session.rollback()
        context = _context(session, sessie)
        context["fouten"] = {"algemeen": exc.detail}
        return pagina(request, "rapportage.html", context, status_code=409)
    return RedirectResponse("/rapportage?gedaan=ingediend", status_code=303)


@router.post("/rapportage/beoordelen", response_class=HTMLResponse)
def beoordelen(
    request: Request, sessie: SessieDep, session: SessionDep,
    csrf: Annotated[str, Form(max_length=100)] = "",
    ritme: Annotated[str, Form(max_length=40)] = "",
    periode: Annotated[str, Form(max_length=40)] = "",
    organisatie: Annotated[str, Form(max_length=40)] = "",
    stap: Annotated[str, Form(max_length=20)] = "",
    bericht: Annotated[str, Form(max_length=4000)] = "",
    bevestigd: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    """The region's step from a form: a confirmation page first (with the message or reason), then the service."""
    controleer_csrf(request, csrf, sessie.csrf)
    if not _is_regio(sessie):
        raise GeenToegang("Goedkeuren, terugsturen en heropenen vraagt een regionale sleutel met scope `goedkeuren`.")
    if stap not in STAPPEN:
        raise GeenToegang("Onbekende stap.")
    try:
        ritme_id, organisatie_id = uuid.UUID(ritme), uuid.UUID(organisatie)
    except ValueError as exc:
        raise GeenToegang("Deze periode hoort niet bij uw regio.") from exc
    gevonden = service.get_ritme(session, caller=sessie.caller, ritme_id=ritme_id)
    vak = service.regio_vak(session, ritme=gevonden, periode=periode, organisatie_id=organisatie_id)
    info = STAPPEN[stap]
    fout = None
    toelichting = None
    if bevestigd == "ja":
        try:
            if stap == "terugsturen":
                toelichting = Terugsturen.model_validate({"bericht": bericht}).bericht
            elif stap == "heropenen":
                toelichting = Heropenen.model_validate({"reden": bericht}).reden
            service.beoordeel(session, caller=sessie.caller, vak=vak, stap=stap, toelichting=toelichting)
            return RedirectResponse(f"/rapportage?gedaan={service.ACTIE[stap]}", status_code=303)
        except ValidationError as exc:
            fout = "; ".join(p["reason"] for p in validation_params(exc.errors()))
            bericht = ""  # a refused text is never shown again (it may hold personal data)
        except DomeinFout as exc:
            if exc.status != 409:
                raise
            session.rollback()
            fout = exc.detail
    return pagina(request, "rapportage_bevestigen.html", {
        "sessie": sessie, "actief": "rapportage", "stap": stap, "vak": vak, "titel": info["titel"],
        "bevestig": info["bevestig"], "uitleg": info["uitleg"], "veld": info.get("veld"), "label": info.get("label"),
        "waarde": bericht, "fout": fout,
    }, status_code=400 if fout else 200)
