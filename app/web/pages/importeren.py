"""Importeren: upload a coordinator's spreadsheet, read the dry-run report, then run it as a job with progress.

The file is kept between the dry run and the real run in a per-organisation folder inside the jobs'
upload folder (`imports.taken.proefdraaimap`, where every worker finds it) under a random name; the
form carries only that name. It stays until it is used or a day old (the jobs' sweep removes it), so
"Keuzes opslaan en opnieuw controleren" and "Importeer de goede rijen nu" need no second upload. The
real run is the API's background job (`imports.taken.draai`): at the run the file moves to the jobs'
upload folder, and the job deletes it when done.
"""

import contextlib
import re
import secrets
import shutil
import time
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, File, Form, Request, Response, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from sqlmodel import select

from app.core import formaten, persoonsgegevens
from app.core.db import SessionDep
from app.core.errors import GeenToegang, OngeldigeInvoer
from app.core.request_checks import VERBODEN_TEKENS
from app.imports import opgeslagen, service, taken
from app.imports import router as imports_router
from app.imports.readers import LeesFout, TeVeelUitgepakt, controleer_zip, formaat_van_naam
from app.imports.schemas import publiek
from app.imports.verslag import fouten_tabel
from app.models import Ketenpartner, Sleutelpersoon
from app.toegang import scoping
from app.toegang.caller import Binding, Caller, Scope
from app.web import importmeldingen
from app.web.sessie import SessieDep, controleer_csrf
from app.web.templating import pagina

router = APIRouter(include_in_schema=False)

TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}\.(csv|xlsx|ndjson)$")
BLOK = 1024 * 1024
KLAAR = (service.GESLAAGD, service.GEDEELTELIJK, service.MISLUKT)
# At most this many unknown names get a choice, and this many existing ones are offered to link to.
MAX_KEUZES = 500


def _mag_importeren(caller: Caller) -> None:
    if caller.binding is not Binding.organisatie or not caller.has(Scope.registreren):
        raise GeenToegang("Importeren kan alleen met een sleutel van een organisatie met scope `registreren`.")


def _map(caller: Caller) -> Path:
    pad = taken.proefdraaimap() / str(caller.organisatie_id)
    pad.mkdir(parents=True, exist_ok=True, mode=0o700)
    return pad


def _ruim_op(map_: Path) -> None:
    """Uploads whose dry run was never followed by a run are removed after a day (also by the jobs' sweep)."""
    grens = time.time() - taken.PROEFDRAAI_BEWAAR_SECONDEN
    for pad in map_.iterdir():
        with contextlib.suppress(OSError):
            if pad.stat().st_mtime < grens:
                pad.unlink()


def _upload(caller: Caller, token: str) -> Path:
    """The stored upload of this organisation named by the form, or 400."""
    if not TOKEN.match(token) or not (_map(caller) / token).is_file():
        raise OngeldigeInvoer.veld("bestand", "Het bestand van de proefdraai is niet meer beschikbaar; upload het opnieuw.")
    return _map(caller) / token


def _opties(session: Any, caller: Caller, formaat: str, bestandsnaam: str, per_rij: bool, personen: bool,
            partners: bool) -> service.Opties:
    """The run's options, with the organisation's stored mapping (its earlier choices for unknown names)."""
    assert caller.organisatie_id is not None
    return service.Opties(formaat=formaat, per_rij=per_rij, nieuwe_sleutelpersonen=personen,
                          nieuwe_ketenpartners=partners, bestandsnaam=bestandsnaam[:255] or None,
                          mapping=opgeslagen.laad(session, organisatie_id=caller.organisatie_id))


def _bestaande(session: Any, caller: Caller, model: Any, naam: Any) -> list[tuple[uuid.UUID, str]]:
    """The organisation's key persons or ketenpartners (id, name) for "koppelen aan ...", by name."""
    rijen = session.exec(scoping.eigen(select(model.id, naam), model, caller).order_by(naam).limit(MAX_KEUZES)).all()
    return [(r[0], r[1]) for r in rijen]


def _toon_proefdraai(request: Request, sessie: Any, session: Any, *, pad: Path, token: str,
                     opties: service.Opties) -> Response:
    """Dry-run the kept upload and show the preview: the report, choices for unknown names, and the run buttons."""
    caller = sessie.caller
    run, verslag = service.voer_uit(session, caller=caller, bron=pad, opties=replace(opties, proefdraai=True))
    rapport = publiek(run)
    onbekend = bool(rapport.onbekende_sleutelpersonen or rapport.onbekende_ketenpartners)
    goed = verslag.gelezen - verslag.afgewezen
    context = {
        "sessie": sessie, "actief": "importeren", "fout": None, "rapport": importmeldingen.vertaal(rapport),
        "token": token, "opties": opties, "recent": [],
        "goed": goed, "onbekend": onbekend,
        "personen": _bestaande(session, caller, Sleutelpersoon, Sleutelpersoon.weergavenaam)
        if rapport.onbekende_sleutelpersonen else [],
        "partners": _bestaande(session, caller, Ketenpartner, Ketenpartner.naam) if rapport.onbekende_ketenpartners else [],
        # Something to save now, or names whose choice may make rows good.
        "kan_importeren": verslag.gelezen > 0 and not verslag.onleesbaar and (goed > 0 or onbekend),
    }
    return pagina(request, "importeren.html", context)


def _recent(session: Any, caller: Caller) -> list[Any]:
    return [publiek(r, detail=False) for r in session.exec(service.list_statement(caller=caller).limit(10))]


def _opgeslagen_keuzes(session: Any, caller: Caller) -> list[tuple[str, str, str]]:
    """The stored choices for names, as (soort, name in the file, what happens), for the page."""
    assert caller.organisatie_id is not None
    mapping = opgeslagen.laad(session, organisatie_id=caller.organisatie_id)
    if mapping is None:
        return []
    soorten = {"sleutelpersoon": "Sleutelpersoon", "doorverwijzingen": "Ketenpartner"}
    keuzes = [(soorten[veld], naam, "aanmaken") for veld in soorten for naam in mapping.aanmaken.get(veld, [])]
    keuzes += [(soorten[veld], naam, f"koppelen aan {doel}") for veld in soorten
               for naam, doel in mapping.waarden.get(veld, {}).items()]
    return keuzes


@router.get("/importeren", response_class=HTMLResponse)
def importeren(request: Request, sessie: SessieDep, session: SessionDep) -> Response:
    _mag_importeren(sessie.caller)
    return pagina(request, "importeren.html", {"sessie": sessie, "actief": "importeren", "recent": _recent(session, sessie.caller),
                                               "fout": None, "rapport": None,
                                               "keuzes": _opgeslagen_keuzes(session, sessie.caller)})


@router.post("/importeren/keuzes-wissen")
def keuzes_wissen(request: Request, sessie: SessieDep, session: SessionDep,
                  csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    """Forget the stored choices for names (a wrong "koppelen aan ..." is undone so); other mapping sections stay."""
    controleer_csrf(request, csrf, sessie.csrf)
    caller = sessie.caller
    _mag_importeren(caller)
    assert caller.organisatie_id is not None
    mapping = opgeslagen.laad(session, organisatie_id=caller.organisatie_id)
    if mapping is not None:
        waarden = {veld: paren for veld, paren in mapping.waarden.items() if veld not in ("sleutelpersoon", "doorverwijzingen")}
        opgeslagen.sla_op(session, caller=caller, mapping=mapping.model_copy(update={"aanmaken": {}, "waarden": waarden}))
    return RedirectResponse("/importeren", status_code=303)


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
        context.update(fout=importmeldingen.reden(str(exc)), recent=_recent(session, caller))
        return pagina(request, "importeren.html", context, status_code=400)
    opties = _opties(session, caller, formaat, naam, per_rij, nieuwe_sleutelpersonen, nieuwe_ketenpartners)
    try:
        # On SQLite a large dry run would hold the only write slot for its whole run, as through the API.
        service.controleer_omvang(replace(opties, proefdraai=True), pad.stat().st_size,
                                  dialect=session.get_bind().dialect.name)
    except OngeldigeInvoer as exc:
        pad.unlink(missing_ok=True)
        reden = (exc.invalid_params or [{"reason": exc.detail}])[0]["reason"]
        context.update(fout=importmeldingen.reden(reden), recent=_recent(session, caller))
        return pagina(request, "importeren.html", context, status_code=400)
    return _toon_proefdraai(request, sessie, session, pad=pad, token=token, opties=opties)


def _keuzes(session: Any, caller: Caller, veld: str, namen: list[str], keuzes: list[str], model: Any,
            naamveld: str) -> dict[str, str]:
    """The preview's choices for one field: name in the file -> `aanmaken` or the linked record's name.

    A linked record must be the organisation's own; a name holding personal data is not kept.
    """
    uitkomst: dict[str, str] = {}
    for naam, keuze in zip(namen, keuzes, strict=False):
        naam = VERBODEN_TEKENS.sub("", naam).strip()[:200]
        if not naam or not keuze or persoonsgegevens.vind(naam):
            continue
        if keuze == opgeslagen.AANMAKEN:
            uitkomst[naam] = keuze
            continue
        try:
            record = scoping.zoek_eigen(session, model, uuid.UUID(keuze), caller)
        except ValueError:
            record = None
        if record is None:
            raise OngeldigeInvoer.veld(veld, "Kies een bestaande naam uit de lijst.")
        uitkomst[naam] = getattr(record, naamveld)
    return uitkomst


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
    actie: Annotated[str, Form(max_length=20)] = "importeren",
    sleutelpersoon_naam: Annotated[list[str], Form(max_length=MAX_KEUZES)] = [],  # noqa: B006
    sleutelpersoon_keuze: Annotated[list[str], Form(max_length=MAX_KEUZES)] = [],  # noqa: B006
    ketenpartner_naam: Annotated[list[str], Form(max_length=MAX_KEUZES)] = [],  # noqa: B006
    ketenpartner_keuze: Annotated[list[str], Form(max_length=MAX_KEUZES)] = [],  # noqa: B006
) -> Response:
    """From the preview, on the kept upload: store the choices for unknown names, then either check again
    (`actie=controleren`: a new dry run) or start the real run as the API's background job.

    "Importeer de goede rijen nu" runs per row, so the rows still wrong are reported and the rest saved.
    """
    controleer_csrf(request, csrf, sessie.csrf)
    caller = sessie.caller
    _mag_importeren(caller)
    pad = _upload(caller, token)
    keuzes = {
        "sleutelpersoon": _keuzes(session, caller, "sleutelpersoon_keuze", sleutelpersoon_naam, sleutelpersoon_keuze,
                                  Sleutelpersoon, "weergavenaam"),
        "doorverwijzingen": _keuzes(session, caller, "ketenpartner_keuze", ketenpartner_naam, ketenpartner_keuze,
                                    Ketenpartner, "naam"),
    }
    if any(keuzes.values()):
        opgeslagen.leg_keuzes_vast(session, caller=caller, keuzes=keuzes)
    opties = _opties(session, caller, pad.suffix.lstrip("."), bestandsnaam, per_rij, nieuwe_sleutelpersonen,
                     nieuwe_ketenpartners)
    if actie == "controleren":
        return _toon_proefdraai(request, sessie, session, pad=pad, token=token, opties=opties)
    if actie == "goede-rijen":
        opties = replace(opties, per_rij=True)
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
    job = importmeldingen.vertaal(imports_router.get_import(sessie.caller, run))
    return pagina(request, "import.html", {"sessie": sessie, "actief": "importeren", "job": job,
                                           "klaar": job.status in KLAAR, "rijen": rijen})


@router.get("/importeren/{import_id}/fouten")
def fouten(request: Request, import_id: uuid.UUID, sessie: SessieDep, session: SessionDep) -> Response:
    """The API's error report of a run (`GET /v1/imports/{id}/fouten`), for Excel: every kept error."""
    run = _run(session, sessie.caller, import_id)
    kop, regels = fouten_tabel(run.rapport or {})
    regels = [[*regel[:5], importmeldingen.reden(str(regel[5]), op_proefdraai=False)] for regel in regels]
    return formaten.bestand(formaten.to_csv(kop, regels, formaten.Formaat.csv), formaten.Formaat.csv,
                            f"import-{run.id}-fouten")
