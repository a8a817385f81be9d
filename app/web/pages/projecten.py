"""Projecten (organisation keys): funding streams with spending against budget, their figures, forms to add a
project and register a cost, and the SROI inputs per project.

The page calls the same services as the API: `projecten.service` (create, besteding), `kosten.service`
(create), the indicator engine with `groeperenOp=project`, and `projecten.sroi` for the workbook.
"""

import uuid
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from sqlmodel import Session

from app.core import geld
from app.core.db import SessionDep
from app.core.errors import DomeinFout, GeenToegang, validation_params
from app.core.formaten import XLSX_MEDIA_TYPE
from app.core.validation import vandaag
from app.indicatoren.dependencies import waarden_verzoek
from app.kosten import service as kosten
from app.kosten.schemas import KostenInvoer
from app.models import Project
from app.projecten import service as projecten
from app.projecten import sroi
from app.core.schemas import schemafouten
from app.projecten.schemas import ProjectInvoer
from app.toegang.caller import Scope
from app.web import adapters
from app.web.pages.overzicht import PERIODES, kies_periode
from app.web.sessie import SessieDep, WebSessie, controleer_csrf
from app.web.templating import pagina

router = APIRouter(include_in_schema=False)

STANDAARD = "dit-jaar"
# API field names in the person's words (a page never shows a field name).
VELDNAMEN = {
    "naam": "Naam", "financier": "Financier", "financier.gemeentecode": "Gemeente die betaalt",
    "financier.naam": "Andere financier", "regeling": "Regeling", "vanaf": "Vanaf", "tot": "Tot en met",
    "begroting": "Begroting", "soort": "Soort kosten", "bedrag": "Bedrag", "datum": "Datum", "periode": "Maand",
    "projectId": "Project", "sleutelpersoonId": "Sleutelpersoon", "omschrijving": "Omschrijving",
}
CIJFERS = (  # (indicator, column heading)
    ("aantal-contactmomenten", "Contactmomenten"),
    ("bereik-inwoners", "Unieke inwoners"),
    ("inzet-uren", "Uren"),
    ("kosten", "Kosten"),
    ("kosten-per-contactmoment", "Kosten per contact"),
)


@dataclass
class ProjectRij:
    project: Project
    regeling: str
    financier: str
    besteed: str
    begroting: str
    percentage: float | None
    cijfers: dict[str, str]


def _mag(sessie: WebSessie) -> None:
    if not (sessie.is_organisatie and sessie.caller.has(Scope.inzien)):
        raise GeenToegang("De projecten zijn er voor de sleutel van een organisatie (scope `inzien`).")


def _cijfers(session: Session, sessie: WebSessie, periode: str) -> dict[str, dict[str, str]]:
    """Per indicator, per project id: the figure in the period as text (only with scope rapporteren)."""
    if not sessie.caller.has(Scope.rapporteren):
        return {}
    uit: dict[str, dict[str, str]] = {}
    for code, _ in CIJFERS:
        resultaat = adapters.indicator(session, sessie.caller, code, periode=periode, groeperen_op=("project",))
        uit[code] = {}
        for rij in resultaat.rijen:
            if rij.dimensies["project"] is None:
                continue
            if rij.waarde is None:
                tekst = "–"
            elif code.startswith("kosten"):
                tekst = geld.tekst(round(rij.waarde * 100))
            else:
                tekst = f"{rij.waarde:g}".replace(".", ",")
            uit[code][rij.dimensies["project"]] = tekst
    return uit


def _context(session: Session, sessie: WebSessie, periode: str | None, eigen: str | None) -> dict[str, Any]:
    _mag(sessie)
    gekozen, periodefouten = kies_periode(periode or STANDAARD, eigen)
    caller = sessie.caller
    lijst = list(session.exec(projecten.list_statement(session, caller=caller)))
    besteding = projecten.besteding(session, caller=caller, projecten=lijst)
    regelingen = adapters.labels(session, "regeling")
    cijfers = _cijfers(session, sessie, gekozen)
    rijen = []
    for project in lijst:
        b = besteding[project.id]
        rijen.append(ProjectRij(
            project=project, regeling=regelingen.get(project.regeling, project.regeling),
            financier=project.financier_naam or adapters.labels(session, "gemeente").get(
                project.financier_gemeentecode or "", project.financier_gemeentecode or "–"),
            besteed=geld.tekst(geld.centen(b.besteed)),
            begroting=geld.tekst(project.begroting_centen) if project.begroting_centen is not None else "geen begroting",
            percentage=b.percentage,
            cijfers={code: cijfers.get(code, {}).get(str(project.id), "–") for code, _ in CIJFERS},
        ))
    return {
        "sessie": sessie, "actief": "projecten", "rijen": rijen, "kopjes": CIJFERS, "toont_cijfers": bool(cijfers),
        "periodes": PERIODES, "periode": gekozen if not (eigen or "").strip() else (periode or STANDAARD),
        "eigen": eigen or "", "periodefouten": periodefouten,
        "regelingen": sorted(regelingen.items(), key=lambda i: i[1]), "soorten": list(adapters.labels(session, "kosten-soort").items()),
        "personen": adapters.sleutelpersonen_van(session, caller), "vandaag": vandaag().isoformat(),
        "mag_registreren": caller.has(Scope.registreren), "project_fouten": [], "kosten_fouten": [],
        "project_invoer": {}, "kosten_invoer": {}, "gelukt": None,
    }


@router.get("/projecten", response_class=HTMLResponse)
def projecten_pagina(
    request: Request, sessie: SessieDep, session: SessionDep,
    periode: Annotated[str | None, Query(max_length=40)] = None, eigen: Annotated[str | None, Query(max_length=40)] = None,
    gelukt: Annotated[str | None, Query(max_length=10)] = None,
) -> Response:
    context = _context(session, sessie, periode, eigen)
    context["gelukt"] = {"project": "Het project is toegevoegd.", "kosten": "De kosten zijn geregistreerd."}.get(gelukt or "")
    return pagina(request, "projecten.html", context)


def _fouten(exc: Exception) -> list[tuple[str, str]]:
    if isinstance(exc, ValidationError):
        params = validation_params(exc.errors())
    else:
        assert isinstance(exc, DomeinFout)
        params = exc.invalid_params or [{"name": "", "reason": exc.detail}]
    return [(VELDNAMEN.get(p["name"], VELDNAMEN.get(p["name"].split(".")[0], "Invoer")), p["reason"]) for p in params]


def _registreren(request: Request, sessie: WebSessie, csrf: str) -> None:
    controleer_csrf(request, csrf, sessie.csrf)
    _mag(sessie)
    if not sessie.caller.has(Scope.registreren):
        raise GeenToegang("Toevoegen vraagt een sleutel met scope `registreren`.")


@router.post("/projecten", response_class=HTMLResponse)
def project_toevoegen(
    request: Request, sessie: SessieDep, session: SessionDep,
    csrf: Annotated[str, Form(max_length=100)] = "",
    naam: Annotated[str, Form(max_length=300)] = "",
    financier_soort: Annotated[str, Form(max_length=20)] = "gemeente",
    financier_gemeentecode: Annotated[str, Form(max_length=20)] = "",
    financier_naam: Annotated[str, Form(max_length=300)] = "",
    regeling: Annotated[str, Form(max_length=60)] = "",
    vanaf: Annotated[str, Form(max_length=20)] = "",
    tot: Annotated[str, Form(max_length=20)] = "",
    begroting: Annotated[str, Form(max_length=30)] = "",
) -> Response:
    """`POST /v1/projecten` from a form: the same schema and service."""
    _registreren(request, sessie, csrf)
    invoer = {"naam": naam, "financier_soort": financier_soort, "financier_gemeentecode": financier_gemeentecode,
              "financier_naam": financier_naam, "regeling": regeling, "vanaf": vanaf, "tot": tot, "begroting": begroting}
    financier = {"gemeentecode": financier_gemeentecode.strip().upper()} if financier_soort == "gemeente" else {"naam": financier_naam}
    body: dict[str, Any] = {"naam": naam, "financier": financier, "regeling": regeling, "vanaf": vanaf or None,
                            "tot": tot or None, "begroting": begroting.replace(",", ".").strip() or None}
    try:
        data = ProjectInvoer.model_validate(body)  # with its schema errors: one message lists them all
        projecten.create(session, caller=sessie.caller, data=data.model_dump(by_alias=False, warnings=False),
                         schemafouten=schemafouten(data))
    except (ValidationError, DomeinFout) as exc:
        if isinstance(exc, DomeinFout) and exc.status != 400:
            raise
        session.rollback()
        context = _context(session, sessie, None, None)
        context.update(project_fouten=_fouten(exc), project_invoer=invoer)
        return pagina(request, "projecten.html", context, status_code=400)
    return RedirectResponse("/projecten?gelukt=project", status_code=303)


@router.post("/projecten/kosten", response_class=HTMLResponse)
def kosten_registreren(
    request: Request, sessie: SessieDep, session: SessionDep,
    csrf: Annotated[str, Form(max_length=100)] = "",
    soort: Annotated[str, Form(max_length=60)] = "",
    bedrag: Annotated[str, Form(max_length=30)] = "",
    datum: Annotated[str, Form(max_length=20)] = "",
    project: Annotated[str, Form(max_length=40)] = "",
    sleutelpersoon: Annotated[str, Form(max_length=40)] = "",
    omschrijving: Annotated[str, Form(max_length=600)] = "",
) -> Response:
    """`POST /v1/kosten` from a form: the same schema and service (amounts may use a decimal comma)."""
    _registreren(request, sessie, csrf)
    invoer = {"soort": soort, "bedrag": bedrag, "datum": datum, "project": project, "sleutelpersoon": sleutelpersoon,
              "omschrijving": omschrijving}
    body: dict[str, Any] = {"soort": soort, "bedrag": bedrag.replace("€", "").replace(",", ".").strip(), "datum": datum or None,
                            "projectId": project or None, "sleutelpersoonId": sleutelpersoon or None,
                            "omschrijving": omschrijving or None}
    try:
        data = KostenInvoer.model_validate(body)
        kosten.create(session, caller=sessie.caller, data=data, schemafouten=schemafouten(data))
    except (ValidationError, DomeinFout) as exc:
        if isinstance(exc, DomeinFout) and exc.status != 400:
            raise
        session.rollback()
        context = _context(session, sessie, None, None)
        context.update(kosten_fouten=_fouten(exc), kosten_invoer=invoer)
        return pagina(request, "projecten.html", context, status_code=400)
    return RedirectResponse("/projecten?gelukt=kosten", status_code=303)


@router.get("/projecten/{project_id}/sroi-invoer")
def sroi_invoer(
    sessie: SessieDep, session: SessionDep, project_id: uuid.UUID,
    periode: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    """The project's SROI inputs as `GET /v1/projecten/{id}/sroi-invoer` makes them (404 for another's project)."""
    _mag(sessie)
    project = projecten.get(session, caller=sessie.caller, project_id=project_id)
    if not sessie.caller.has(Scope.rapporteren):
        raise GeenToegang("De SROI-invoer vraagt een sleutel met scope `rapporteren`.")
    gekozen, _ = kies_periode(periode or STANDAARD, None)
    verzoek_periode = waarden_verzoek("aantal-contactmomenten", periode=gekozen).periode
    gegevens = sroi.invoer(session, caller=sessie.caller, project=project, periode=verzoek_periode)
    inhoud = sroi.to_xlsx(gegevens, project=project, periode=verzoek_periode, gemaakt=vandaag())
    naam = f"sroi-invoer-{verzoek_periode.label.replace('/', '_')}.xlsx"
    return Response(content=inhoud, media_type=XLSX_MEDIA_TYPE, headers={"Content-Disposition": f'attachment; filename="{naam}"'})
