"""The sessions of the signed-in key: where the dashboard is signed in with it, and ending one of them.

Sessions belong to an API key, so every holder of the key sees them all (and only them); a session of
another key is 404. Ending one takes a second, explicit step (a confirmation page), as every
destructive action does.
"""

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from app.core.config import get_settings
from app.core.db import SessionDep
from app.core.errors import NietGevonden
from app.core.validation import TIJDZONE
from app.models import DashboardSessie, utcnow
from app.web import sessieopslag
from app.web.sessie import SessieDep, WebSessie, controleer_csrf, wis
from app.web.templating import datum, pagina

router = APIRouter(include_in_schema=False)

_EINDE = {
    sessieopslag.Einde.afgemeld: "Afgemeld",
    sessieopslag.Einde.beeindigd: "Beëindigd",
    sessieopslag.Einde.ingetrokken: "Beëindigd: sleutel ingetrokken",
}


def _tijd(moment: datetime) -> str:
    lokaal = moment.astimezone(TIJDZONE)
    return f"{datum(lokaal.date())} {lokaal.hour}:{lokaal.minute:02d}"


def _duur(minuten: int) -> str:
    if minuten % 60:
        return f"{minuten} minuten"
    return "1 uur" if minuten == 60 else f"{minuten // 60} uur"


def _rij(sessie: WebSessie, rij: DashboardSessie, nu: datetime) -> dict[str, Any]:
    if rij.beeindigd_op is not None:
        status = f"{_EINDE.get(rij.einde or '', 'Beëindigd')} op {_tijd(rij.beeindigd_op)}"
    elif rij.verloopt_op <= nu:
        status = f"Verlopen op {_tijd(rij.verloopt_op)}"
    else:
        status = f"Actief tot {_tijd(rij.verloopt_op)}"
    return {
        "id": rij.id, "apparaat": rij.apparaat, "aangemeld": _tijd(rij.aangemaakt_op),
        "gezien": _tijd(rij.laatst_gezien_op), "status": status, "dit_apparaat": rij.id == sessie.sessie_id,
        "actief": sessieopslag.reden_ongeldig(rij, nu) is None,
    }


@router.get("/sessies", response_class=HTMLResponse)
def sessies(request: Request, sessie: SessieDep, session: SessionDep) -> Response:
    nu, settings = utcnow(), get_settings()
    assert sessie.caller.sleutel_id is not None
    rijen = [_rij(sessie, r, nu) for r in sessieopslag.list_van_sleutel(session, api_sleutel_id=sessie.caller.sleutel_id)]
    return pagina(request, "sessies.html", {
        "sessie": sessie, "actief": "sessies", "rijen": rijen, "maximum": sessieopslag.LIJST_MAXIMUM,
        "beeindigd": request.query_params.get("beeindigd") == "1", "sessie_uren": _duur(settings.dashboard_sessie_minuten),
        "bewaardagen": settings.dashboard_sessie_bewaardagen,
    })


def _eigen(session: SessionDep, sessie: WebSessie, sessie_id: uuid.UUID) -> DashboardSessie:
    rij = session.get(DashboardSessie, sessie_id)
    if rij is None or rij.api_sleutel_id != sessie.caller.sleutel_id:
        raise NietGevonden("Deze sessie bestaat niet (of hoort bij een andere sleutel).")
    return rij


@router.get("/sessies/{sessie_id}/beeindigen", response_class=HTMLResponse)
def bevestig(request: Request, sessie_id: uuid.UUID, sessie: SessieDep, session: SessionDep) -> Response:
    rij = _eigen(session, sessie, sessie_id)
    return pagina(request, "sessie_beeindigen.html", {
        "sessie": sessie, "actief": "sessies", "rij": _rij(sessie, rij, utcnow()),
    })


@router.post("/sessies/{sessie_id}/beeindigen")
def beeindig(
    request: Request, sessie_id: uuid.UUID, sessie: SessieDep, session: SessionDep,
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    controleer_csrf(request, csrf, sessie.csrf)
    eigen = sessie_id == sessie.sessie_id
    sessieopslag.end(session, caller=sessie.caller, sessie_id=sessie_id,
                     einde=sessieopslag.Einde.afgemeld if eigen else sessieopslag.Einde.beeindigd)
    if eigen:  # this browser's own session: that is signing out
        response = RedirectResponse("/?melding=afgemeld", status_code=303)
        wis(response)
        return response
    return RedirectResponse("/sessies?beeindigd=1", status_code=303)
