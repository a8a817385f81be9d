"""Verantwoording: the coordinator downloads the organisation's accountability report for a period (XLSX or PDF).

The report is the API's own (`GET /v1/verantwoordingen`, the same service and renderers) with the
session's key; a regional or national key gets the API's refusal as a page.
"""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse

from app.core.db import SessionDep
from app.core.errors import GeenToegang, OngeldigeInvoer
from app.core.periods import parse_periode
from app.core.validation import vandaag
from app.toegang.caller import Binding, Scope
from app.verantwoording import router as api
from app.verantwoording import service
from app.web.sessie import SessieDep, WebSessie
from app.web.templating import pagina

router = APIRouter(include_in_schema=False)

# The reporting periods a coordinator reports over: the year first, as the financier asks for it.
PERIODES = (
    ("dit-jaar", "Dit jaar"),
    ("vorig-jaar", "Vorig jaar"),
    ("dit-kwartaal", "Dit kwartaal"),
    ("vorig-kwartaal", "Vorig kwartaal"),
    ("deze-maand", "Deze maand"),
    ("vorige-maand", "Vorige maand"),
)


def _controleer(sessie: WebSessie) -> None:
    caller = sessie.caller
    if caller.binding is not Binding.organisatie or not caller.has(Scope.rapporteren):
        raise GeenToegang("De verantwoording is er voor de organisatie zelf: meld u aan met een sleutel van de "
                          "organisatie met scope `rapporteren`.")


@router.get("/verantwoording", response_class=HTMLResponse)
def verantwoording(
    request: Request, sessie: SessieDep,
    periode: Annotated[str | None, Query(max_length=40)] = None,
    eigen: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    _controleer(sessie)
    gekozen = (eigen or "").strip() or periode or "dit-jaar"
    fouten: list[str] = []
    try:
        per = service.periode_van(gekozen)
    except OngeldigeInvoer as exc:
        fouten = [p["reason"] for p in exc.invalid_params or []] or [exc.detail]
        gekozen, per = "dit-jaar", parse_periode("dit-jaar", today=vandaag())
    # A preset is downloaded as the period it stands for today (2026, not "dit-jaar"), so a file
    # downloaded in January is still the year that was chosen.
    periodes = [(code, f"{naam} ({parse_periode(code, today=vandaag()).label})") for code, naam in PERIODES]
    return pagina(request, "verantwoording.html", {
        "sessie": sessie, "actief": "verantwoording", "periodes": periodes, "periode": gekozen,
        "eigen": eigen if eigen and not fouten else "", "fouten": fouten, "per": per,
        "secties": ["Indicatoren uit hoofdstuk 7 van de handreiking, met doelen en realisatie",
                    "Uren: geregistreerde inzet per soort en de duur van contactmomenten",
                    "Bereik onder inwoners en professionals", "Doorverwijzingen en hoeveel er afgerond zijn",
                    "Signalen en wat ermee gebeurde", "Gedeelde ervaringsverhalen (met toestemming)",
                    "Toelichting: definities, organisatie, periode en aanmaaktijd"],
    })


@router.get("/verantwoording/download")
def download(
    sessie: SessieDep, session: SessionDep,
    periode: Annotated[str, Query(max_length=40)],
    formaat: Annotated[str, Query(pattern="^(xlsx|pdf)$")] = "pdf",
) -> Response:
    """The API's report with the session's key: a browser link cannot send the API key."""
    _controleer(sessie)
    gekozen = service.maak(session, caller=sessie.caller, periode=service.periode_van(periode))
    return api.bestand(gekozen, api.Verantwoordingsformaat(formaat))
