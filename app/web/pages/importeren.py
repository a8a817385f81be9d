"""Importeren: upload a coordinator's spreadsheet, read the dry-run report, then run it as a job with progress.

The file is kept between the dry run and the real run in a per-organisation temporary folder under a
random name; the form carries only that name. The real run is the API's background job
(`imports.taken.draai`): at the run the file moves to the jobs' upload folder, and the job deletes it when done.
"""

import contextlib
import re
import secrets
import shutil
import tempfile
import time
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, File, Form, Request, Response, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from app.core.db import SessionDep
from app.core.errors import GeenToegang, OngeldigeInvoer
from app.core.request_checks import VERBODEN_TEKENS
from app.imports import router as imports_router
from app.imports import service, taken
from app.imports.readers import LeesFout, TeVeelUitgepakt, controleer_zip, formaat_van_naam
from app.imports.schemas import publiek
from app.toegang.caller import Binding, Caller, Scope
from app.web.sessie import SessieDep, controleer_csrf
from app.web.templating import pagina

router = APIRouter(include_in_schema=False)

MAP = Path(tempfile.gettempdir()) / "sleutelmonitor-dashboard-uploads"
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}\.(csv|xlsx|ndjson)$")
BLOK = 1024 * 1024
KLAAR = (service.GESLAAGD, service.GEDEELTELIJK, service.MISLUKT)
BEWAAR_SECONDEN = 24 * 3600


def _mag_importeren(caller: Caller) -> None:
    if caller.binding is not Binding.organisatie or not caller.has(Scope.registreren):
        raise GeenToegang("Importeren kan alleen met een sleutel van een organisatie met scope `registreren`.")


def _map(caller: Caller) -> Path:
    pad = MAP / str(caller.organisatie_id)
    pad.mkdir(parents=True, exist_ok=True, mode=0o700)
    return pad


def _ruim_op(map_: Path) -> None:
    """Uploads whose dry run was never followed by a run are removed after a day."""
    grens = time.time() - BEWAAR_SECONDEN
    for pad in map_.iterdir():
        with contextlib.suppress(OSError):
            if pad.stat().st_mtime < grens:
                pad.unlink()


def _upload(caller: Caller, token: str) -> Path:
    """The stored upload of this organisation named by the form, or 400."""
    if not TOKEN.match(token) or not (_map(caller) / token).is_file():
        raise OngeldigeInvoer.veld("bestand", "Het bestand van de proefdraai is niet meer beschikbaar; upload het opnieuw.")
    return _map(caller) / token


def _opties(formaat: str, bestandsnaam: str, per_rij: bool, personen: bool, partners: bool) -> service.Opties:
    return service.Opties(formaat=formaat, per_rij=per_rij, nieuwe_sleutelpersonen=personen,
                          nieuwe_ketenpartners=partners, bestandsnaam=bestandsnaam[:255] or None)


def _recent(session: Any, caller: Caller) -> list[Any]:
    return [publiek(r, detail=False) for r in session.exec(service.list_statement(caller=caller).limit(10))]


@router.get("/importeren", response_class=HTMLResponse)
def importeren(request: Request, sessie: SessieDep, session: SessionDep) -> Response:
    _mag_importeren(sessie.caller)
    return pagina(request, "importeren.html", {"sessie": sessie, "actief": "importeren", "recent": _recent(session, sessie.caller),
                                               "fout": None, "rapport": None})


@router.post("/importeren", response_class=HTMLResponse)
def proefdraai(
    request: Request, sessie: SessieDep, session: SessionDep,
    bestand: Annotated[UploadFile | None, File()] = None,
    csrf: Annotated[str, Form(max_length=100)] = "",
    per_rij: Annotated[bool, Form()] = False,
    nieuwe_sleutelpersonen: Annotated[bool, Form()] = False,
    nieuwe_ketenpartners: Annotated[bool, Form()] = False,
) -> Response:
    """Store the upload and dry-run it: the report says what a real run would do, nothing is saved.

    A sync route on purpose: FastAPI runs it in the thread pool, so the dry run (seconds to minutes
    for a large file) never runs on the event loop that serves every other request.
    """
    controleer_csrf(request, csrf, sessie.csrf)
    caller = sessie.caller
    _mag_importeren(caller)
    context: dict[str, Any] = {"sessie": sessie, "actief": "importeren", "fout": None, "rapport": None}
    # Only a label in the overview; control and bidi characters are dropped, as the API refuses them.
    naam = VERBODEN_TEKENS.sub("", bestand.filename or "").strip() if bestand is not None else ""
    try:
        if not naam:
            raise LeesFout("Kies een bestand: een CSV- of Excel-bestand (.xlsx) met uw logboek, of NDJSON.")
        formaat = formaat_van_naam(naam)
        _ruim_op(_map(caller))
        token = f"{secrets.token_urlsafe(24)}.{formaat}"
        pad = _map(caller) / token
        with pad.open("wb") as uit:
            shutil.copyfileobj(bestand.file, uit, BLOK)  # type: ignore[union-attr]
        if pad.stat().st_size == 0:
            pad.unlink()
            raise LeesFout("Het bestand is leeg.")
        if formaat == "xlsx":
            try:
                controleer_zip(pad)
            except TeVeelUitgepakt:
                pad.unlink()
                raise
    except (LeesFout, TeVeelUitgepakt) as exc:
        context.update(fout=str(exc), recent=_recent(session, caller))
        return pagina(request, "importeren.html", context, status_code=400)
    opties = _opties(formaat, naam, per_rij, nieuwe_sleutelpersonen, nieuwe_ketenpartners)
    try:
        # On SQLite a large dry run would hold the only write slot for its whole run, as through the API.
        service.controleer_omvang(replace(opties, proefdraai=True), pad.stat().st_size,
                                  dialect=session.get_bind().dialect.name)
    except OngeldigeInvoer as exc:
        pad.unlink(missing_ok=True)
        context.update(fout=(exc.invalid_params or [{"reason": exc.detail}])[0]["reason"], recent=_recent(session, caller))
        return pagina(request, "importeren.html", context, status_code=400)
    run, verslag = service.voer_uit(session, caller=caller, bron=pad, opties=replace(opties, proefdraai=True))
    context.update(
        rapport=publiek(run), token=token, opties=opties, recent=[],
        # An atomic run imports nothing when one row is wrong: only offer what would save something.
        kan_importeren=verslag.gelezen > 0 and (verslag.afgewezen == 0 or per_rij) and not verslag.onleesbaar,
    )
    return pagina(request, "importeren.html", context)


@router.post("/importeren/uitvoeren")
def uitvoeren(
    request: Request, sessie: SessieDep, session: SessionDep, achtergrond: BackgroundTasks,
    csrf: Annotated[str, Form(max_length=100)] = "",
    token: Annotated[str, Form(max_length=60)] = "",
    bestandsnaam: Annotated[str, Form(max_length=255)] = "",
    rijen: Annotated[int, Form(ge=0)] = 0,
    per_rij: Annotated[bool, Form()] = False,
    nieuwe_sleutelpersonen: Annotated[bool, Form()] = False,
    nieuwe_ketenpartners: Annotated[bool, Form()] = False,
) -> Response:
    """Start the real run as the API's background job, and show its progress."""
    controleer_csrf(request, csrf, sessie.csrf)
    caller = sessie.caller
    _mag_importeren(caller)
    pad = _upload(caller, token)
    opties = _opties(pad.suffix.lstrip("."), bestandsnaam, per_rij, nieuwe_sleutelpersonen, nieuwe_ketenpartners)
    run = service.nieuwe_run(session, caller=caller, opties=opties, status=service.WACHTEND)
    # Into the jobs' upload folder, where any worker finds it (app/imports/taken.py).
    bestand = taken.uploadmap() / f"sleutelmonitor-import-{run.id}{pad.suffix}"
    shutil.move(pad, bestand)
    run.bestandspad = str(bestand)
    session.add(run)
    achtergrond.add_task(taken.draai, run.id)
    return RedirectResponse(f"/importeren/{run.id}?rijen={rijen}", status_code=303)


def _run(session: Any, caller: Caller, import_id: uuid.UUID) -> Any:
    if caller.binding is not Binding.organisatie or not caller.has(Scope.inzien):
        raise GeenToegang("Imports zijn er alleen voor de organisatie zelf.")
    return service.get(session, caller=caller, import_id=import_id)


@router.get("/importeren/{import_id}/voortgang")
def voortgang(import_id: uuid.UUID, sessie: SessieDep, session: SessionDep) -> Response:
    """The job's status and counts for the progress bar (as in `GET /v1/imports`): never the report, which may be large."""
    run = _run(session, sessie.caller, import_id)
    job = publiek(run, verwerkt=taken.voortgang(run), detail=False)
    return JSONResponse(job.model_dump(by_alias=True, mode="json"))


@router.get("/importeren/{import_id}", response_class=HTMLResponse)
def import_pagina(request: Request, import_id: uuid.UUID, sessie: SessieDep, session: SessionDep,
                  rijen: int = 0) -> Response:
    run = _run(session, sessie.caller, import_id)
    job = imports_router.get_import(sessie.caller, run)
    return pagina(request, "import.html", {"sessie": sessie, "actief": "importeren", "job": job,
                                           "klaar": job.status in KLAAR, "rijen": rijen})


@router.get("/importeren/{import_id}/fouten")
def fouten(request: Request, import_id: uuid.UUID, sessie: SessieDep, session: SessionDep) -> Response:
    """The API's error report of a run (`GET /v1/imports/{id}/fouten`), for Excel: every kept error."""
    run = _run(session, sessie.caller, import_id)
    return imports_router.get_import_fouten(sessie.caller, run, request, imports_router.foutenpagina(page=1, page_size=None))
