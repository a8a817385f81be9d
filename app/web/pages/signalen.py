"""Signalen: the organisation's outbox and the regional adviser's inbox, each signal with its conversation.

A message and a status change are separate forms. A final status (opgepakt, niet-opgepakt) is never
preselected and never set from the list: choosing one leads to a confirmation page, where the adviser
writes the feedback and ticks a confirmation box, so no single keypress closes a signal.
"""

import re
import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from sqlmodel import Session

from app.core.db import SessionDep
from app.core.errors import DomeinFout, GeenToegang, validation_params
from app.core.request_checks import REDEN, VERBODEN_TEKENS
from app.core.validation import vandaag
from app.models import Signaal
from app.signalen.schemas import (
    BERICHT_MAX,
    BerichtCreate,
    BerichtVan,
    SignaalStatusCode,
    StatusWijziging,
)
from app.toegang.caller import Scope
from app.web import adapters
from app.web.sessie import SessieDep, WebSessie, controleer_csrf
from app.web.templating import datum as datum_tekst
from app.web.templating import getal, pagina

router = APIRouter(include_in_schema=False)

STATUSSEN = [s.value for s in SignaalStatusCode]
EINDSTATUSSEN = {SignaalStatusCode.opgepakt.value, SignaalStatusCode.niet_opgepakt.value}
# Plain Dutch for every status: a short name (badges, filter) and what a choice means (forms).
STATUS_NAMEN = {
    "ingediend": "Ingediend",
    "ontvangen": "Ontvangen",
    "in-behandeling": "In behandeling",
    "opgepakt": "Opgepakt",
    "niet-opgepakt": "Niet opgepakt",
}
_BETEKENIS = {
    "ingediend": "nog niet bekeken",
    "ontvangen": "gelezen, nog niet beoordeeld",
    "in-behandeling": "{wie} zoekt uit wat ermee kan",
    "opgepakt": "{wie} gaat ermee aan de slag",
    "niet-opgepakt": "{wie} doet er nu niets mee, en legt uit waarom",
}
ONTVANGER = {"gemeente": "de gemeente", "ggd": "de GGD", "ketenpartner": "de ketenpartner"}
# Form fields by the API's field names, in the words of the page.
VELDNAMEN = {"status": "Nieuwe status", "terugkoppeling": "Terugkoppeling", "terugkoppeling.tekst": "Terugkoppeling",
             "tekst": "Bericht", "statusDatum": "Datum", "terugkoppeling.datum": "Datum", "datum": "Datum",
             "bevestigd": "Bevestiging"}
TEKST_MAX_FORMULIER = 100_000  # larger than any valid text, so a too-long one gets a message on the page


def ontvanger(signaal: Any) -> str:
    """Who received the signal, in words: de gemeente, de GGD or de ketenpartner."""
    return ONTVANGER.get(str(signaal.gericht_aan.soort), "de ontvanger")


def keuze(status: str, signaal: Any) -> str:
    """A status as a choice in plain Dutch: "Opgepakt: de gemeente gaat ermee aan de slag"."""
    betekenis = _BETEKENIS[status].format(wie=ontvanger(signaal))
    return f"{STATUS_NAMEN[status]}: {betekenis}"


def in_woorden(reden: str) -> str:
    """A service message for the page: status codes as their names, no backticks, dates as Dutch readers write them."""
    reden = re.sub(r"`([^`]*)`", lambda m: STATUS_NAMEN.get(m.group(1), m.group(1)), reden)
    return re.sub(r"\b(\d{4})-(\d{2})-(\d{2})\b", lambda m: _datum_in_woorden(*map(int, m.groups())), reden)


def _datum_in_woorden(jaar: int, maand: int, dag: int) -> str:
    try:
        return datum_tekst(date(jaar, maand, dag))
    except ValueError:
        return f"{jaar:04d}-{maand:02d}-{dag:02d}"


def _regels(fouten: dict[str, str]) -> list[tuple[str, str]]:
    """(field label, reason) once each: two API fields may share one field of the form (the date)."""
    return list(dict.fromkeys((VELDNAMEN.get(k, k), v) for k, v in fouten.items()))


def _mag_inbox(sessie: WebSessie) -> bool:
    return sessie.is_regio and sessie.caller.has(Scope.signalen)


def _context(session: Session, sessie: WebSessie, status: str | None, nummer: int = 1) -> dict[str, Any]:
    caller = sessie.caller
    inbox = _mag_inbox(sessie)
    if not inbox and not (sessie.is_organisatie and caller.has(Scope.inzien)):
        raise GeenToegang("Deze sleutel geeft geen toegang tot signalen. Vraag een sleutel van uw organisatie "
                          "om signalen te lezen, of als beleidsadviseur een regionale sleutel voor signalen.")
    # One more than a page, to know whether there is a next one.
    plek = {"status": status, "limiet": adapters.PAGINA + 1, "offset": (nummer - 1) * adapters.PAGINA}
    signalen = (adapters.ontvangen_signalen(session, caller, **plek) if inbox
                else adapters.uitgaande_signalen(session, caller, **plek))
    meer, signalen = len(signalen) > adapters.PAGINA, signalen[: adapters.PAGINA]
    return {
        "sessie": sessie, "actief": "signalen", "inbox": inbox, "signalen": signalen, "status": status or "",
        "statussen": STATUSSEN, "namen": STATUS_NAMEN, "keuze": keuze, "ontvanger": ontvanger,
        "eindstatussen": EINDSTATUSSEN,
        "volgende": {str(s.id): adapters.volgende_statussen(s.status) for s in signalen},
        "gesprekken": {str(k): v for k, v in adapters.gesprekken(session, [s.id for s in signalen]).items()},
        "mag_reageren": inbox or caller.has(Scope.registreren),
        "onderwerpen": adapters.labels(session, "onderwerp"), "vandaag": vandaag().isoformat(),
        "fouten": {}, "invoer": {}, "melding": None, "pagina": nummer, "meer": meer,
    }


MELDINGEN = {
    "bericht": "Uw bericht is verstuurd. Het staat nu in het gesprek.",
    "status": "De status is gewijzigd.",
    "afgerond": "Het signaal is afgerond en uw terugkoppeling staat in het gesprek.",
}


@router.get("/signalen", response_class=HTMLResponse)
def signalen(
    request: Request, sessie: SessieDep, session: SessionDep,
    status: Annotated[str | None, Query(max_length=40)] = None,
    gedaan: Annotated[str | None, Query(max_length=20)] = None,
    nummer: Annotated[int, Query(alias="pagina", ge=1, le=10_000)] = 1,
) -> Response:
    context = _context(session, sessie, status if status in STATUSSEN else None, nummer)
    context["melding"] = MELDINGEN.get(gedaan or "")
    return pagina(request, "signalen.html", context)


def _signaal(session: Session, sessie: WebSessie, signaal_id: uuid.UUID) -> tuple[Signaal, BerichtVan]:
    """The signal as this session may see it (404 otherwise), and the side the session writes for."""
    if _mag_inbox(sessie):
        return adapters.ontvangen_signaal(session, sessie.caller, signaal_id), BerichtVan.ontvanger
    if sessie.is_organisatie and sessie.caller.has(Scope.inzien):
        signaal = adapters.eigen_signaal(session, sessie.caller, signaal_id)
        if not sessie.caller.has(Scope.registreren):
            raise GeenToegang("Met deze sleutel kunt u signalen lezen, maar geen berichten sturen.")
        return signaal, BerichtVan.organisatie
    raise GeenToegang("Deze sleutel geeft geen toegang tot signalen.")


def _fouten(exc: Exception) -> dict[str, str]:
    """The problems of a refused write by field name, in the page's words."""
    if isinstance(exc, ValidationError):
        return {p["name"]: in_woorden(p["reason"]) for p in validation_params(exc.errors())}
    assert isinstance(exc, DomeinFout)
    if exc.status not in (400, 409):
        raise exc
    return {p["name"]: in_woorden(p["reason"]) for p in (exc.invalid_params or [])} or {"status": in_woorden(exc.detail)}


def _tekst_fout(tekst: str, *, wat: str) -> str | None:
    """What the page says about a text before the schema sees it (empty, too long, control characters)."""
    if not tekst.strip():
        return f"Schrijf eerst {wat}."
    if len(tekst) > BERICHT_MAX:
        return f"De tekst is {getal(len(tekst))} tekens lang; hij mag hoogstens {getal(BERICHT_MAX)} tekens zijn. Maak hem korter."
    if VERBODEN_TEKENS.search(tekst):
        return REDEN  # what check_request refuses in every JSON body of the API
    return None


def _terug_op_de_lijst(
    request: Request, session: Session, sessie: WebSessie, signaal_id: uuid.UUID, fouten: dict[str, str],
    invoer: dict[str, str], soort: str,
) -> Response:
    session.rollback()
    context = _context(session, sessie, None)
    sid = str(signaal_id)
    context.update(fouten={sid: {"soort": soort, "regels": _regels(fouten)}},
                   invoer={sid: invoer})
    return pagina(request, "signalen.html", context, status_code=400)


@router.post("/signalen/{signaal_id}/berichten", response_class=HTMLResponse)
def plaats_bericht(
    request: Request, signaal_id: uuid.UUID, sessie: SessieDep, session: SessionDep,
    csrf: Annotated[str, Form(max_length=100)] = "",
    tekst: Annotated[str, Form(max_length=TEKST_MAX_FORMULIER)] = "",
) -> Response:
    """`POST /v1/ontvangen-signalen/{id}/berichten` (adviser) or `/v1/signalen/{id}/berichten` (organisation)."""
    controleer_csrf(request, csrf, sessie.csrf)
    signaal, van = _signaal(session, sessie, signaal_id)
    fouten: dict[str, str] = {}
    if reden := _tekst_fout(tekst, wat="een bericht"):
        fouten = {"tekst": reden}
    else:
        try:
            adapters.plaats_bericht(session, sessie.caller, signaal, van, BerichtCreate.model_validate({"tekst": tekst}))
        except (ValidationError, DomeinFout) as exc:
            fouten = _fouten(exc)
    if fouten:
        return _terug_op_de_lijst(request, session, sessie, signaal_id, fouten, {"tekst": tekst}, "bericht")
    return RedirectResponse(f"/signalen?gedaan=bericht#signaal-{signaal_id}", status_code=303)


def _afronden_pagina(
    request: Request, sessie: WebSessie, signaal: Any, status: str, *, fouten: dict[str, str] | None = None,
    invoer: dict[str, str] | None = None, status_code: int = 200,
) -> Response:
    return pagina(request, "signaal_afronden.html", {
        "sessie": sessie, "actief": "signalen", "s": signaal, "status": status, "naam": STATUS_NAMEN[status],
        "keuze": keuze(status, signaal), "wie": ontvanger(signaal), "namen": STATUS_NAMEN,
        "fouten": _regels(fouten or {}), "invoer": invoer or {},
        "vandaag": vandaag().isoformat(),
    }, status_code=status_code)


@router.get("/signalen/{signaal_id}/afronden", response_class=HTMLResponse)
def afronden(
    request: Request, signaal_id: uuid.UUID, sessie: SessieDep, session: SessionDep,
    status: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    """The confirmation step of a final status: feedback and an explicit confirmation, never one keypress."""
    if not _mag_inbox(sessie):
        raise GeenToegang("Alleen de ontvanger van een signaal (een regionale sleutel voor signalen) rondt het af.")
    signaal = adapters.ontvangen_signaal(session, sessie.caller, signaal_id)
    if status not in EINDSTATUSSEN or status not in adapters.volgende_statussen(signaal.status):
        return RedirectResponse(f"/signalen#signaal-{signaal_id}", status_code=303)
    return _afronden_pagina(request, sessie, adapters.ontvangen_signalen_publiek(session, [signaal])[0], status)


@router.post("/signalen/{signaal_id}/status", response_class=HTMLResponse)
def wijzig_status(
    request: Request, signaal_id: uuid.UUID, sessie: SessieDep, session: SessionDep,
    csrf: Annotated[str, Form(max_length=100)] = "",
    status: Annotated[str, Form(max_length=40)] = "",
    tekst: Annotated[str, Form(max_length=TEKST_MAX_FORMULIER)] = "",
    datum: Annotated[str, Form(max_length=20)] = "",
    bevestigd: Annotated[str, Form(max_length=10)] = "",
    stap: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """`PATCH /v1/ontvangen-signalen/{id}` from a form: the same schema, service and rules.

    From the list (no `stap`): a status that is not final is set at once; a final one leads to the
    confirmation page. From that page (`stap=bevestigen`): only with feedback and the box ticked.
    """
    controleer_csrf(request, csrf, sessie.csrf)
    if not _mag_inbox(sessie):
        raise GeenToegang("Alleen de ontvanger van een signaal (een regionale sleutel voor signalen) wijzigt de status.")
    signaal = adapters.ontvangen_signaal(session, sessie.caller, signaal_id)
    bevestigen = stap == "bevestigen"
    invoer = {"status": status, "tekst": tekst, "datum": datum}
    mogelijk = adapters.volgende_statussen(signaal.status)

    def fout(fouten: dict[str, str]) -> Response:
        if bevestigen and status in EINDSTATUSSEN:
            session.rollback()
            publiek = adapters.ontvangen_signalen_publiek(session, [signaal])[0]
            return _afronden_pagina(request, sessie, publiek, status, fouten=fouten, invoer=invoer, status_code=400)
        return _terug_op_de_lijst(request, session, sessie, signaal_id, fouten, invoer, "status")

    if status not in STATUSSEN:
        return fout({"status": "Kies eerst een nieuwe status."})
    if status not in mogelijk:
        nu = STATUS_NAMEN[signaal.status]
        vervolg = ", ".join(STATUS_NAMEN[s] for s in mogelijk)
        return fout({"status": f"Een signaal met status {nu} kan niet naar {STATUS_NAMEN[status]}"
                               + (f"; wel naar: {vervolg}." if vervolg else "; het is al afgerond.")})
    if status in EINDSTATUSSEN and not bevestigen:
        # Never from the list in one go: first the confirmation page.
        return RedirectResponse(f"/signalen/{signaal_id}/afronden?status={status}", status_code=303)
    if status in EINDSTATUSSEN:
        fouten = {}
        if reden := _tekst_fout(tekst, wat="een terugkoppeling: wat gebeurt er met het signaal, of waarom niet"):
            fouten["terugkoppeling"] = reden
        if bevestigd != "ja":
            fouten["bevestigd"] = f"Vink aan dat u het signaal wilt afronden als {STATUS_NAMEN[status]}."
        if fouten:
            return fout(fouten)
    body: dict[str, Any] = {"status": status}
    if datum:
        body["statusDatum"] = datum
    if status in EINDSTATUSSEN:
        body["terugkoppeling"] = {"tekst": tekst, "datum": datum or vandaag().isoformat()}
    elif tekst.strip():
        if reden := _tekst_fout(tekst, wat="een bericht"):
            return fout({"terugkoppeling": reden})
        body["terugkoppeling"] = {"tekst": tekst, "datum": datum or vandaag().isoformat()}
    try:
        adapters.wijzig_status(session, sessie.caller, signaal_id, StatusWijziging.model_validate(body))
    except (ValidationError, DomeinFout) as exc:
        return fout(_fouten(exc))
    gedaan = "afgerond" if status in EINDSTATUSSEN else "status"
    return RedirectResponse(f"/signalen?gedaan={gedaan}#signaal-{signaal_id}", status_code=303)
