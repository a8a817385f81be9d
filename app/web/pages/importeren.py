"""Importeren: upload a coordinator's spreadsheet, read the dry-run report, then run it as a job with progress.

The file is kept between the dry run and the real run in the database (`imports.opslag`, so the next
form may reach any instance), as an upload of the organisation; the form carries only its id. It stays
until it is used or a day old (the jobs' sweep removes it), so "Keuzes opslaan en opnieuw controleren"
and "Importeer de goede rijen nu" need no second upload. The real run is the API's background job
(`imports.taken.draai`) on that same stored upload, which the job removes when done. Each dry run
reads a copy in this host's temporary folder, removed at the end of the request.
"""

import shutil
import tempfile
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
from app.imports import opgeslagen, opslag, service, taken
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

BLOK = 1024 * 1024
KLAAR = (service.GESLAAGD, service.GEDEELTELIJK, service.MISLUKT)
# At most this many unknown names get a choice, and this many existing ones are offered to link to.
MAX_KEUZES = 500


def _mag_importeren(caller: Caller) -> None:
    if caller.binding is not Binding.organisatie or not caller.has(Scope.registreren):
        raise GeenToegang("Importeren kan alleen met een sleutel van een organisatie met scope `registreren`.")


def _upload(session: Any, caller: Caller, token: str) -> Any:
    """The organisation's kept dry-run upload named by the form, or 400."""
    assert caller.organisatie_id is not None
    try:
        upload_id = uuid.UUID(token)
    except ValueError:
        upload_id = None
    upload = opslag.get(session, organisatie_id=caller.organisatie_id, upload_id=upload_id,
                        soort=opslag.PROEFDRAAI) if upload_id else None
    if upload is None:
        raise OngeldigeInvoer.veld("bestand", "Het bestand van de proefdraai is niet meer beschikbaar; upload het opnieuw.")
    return upload


def _lokaal(formaat: str) -> Path:
    """A temporary file in this host's folder for a dry run to read (removed at the end of the request)."""
    with tempfile.NamedTemporaryFile(prefix="sleutelmonitor-proefdraai-", suffix=f".{formaat}", dir=taken.uploadmap(),
                                     delete=False) as bestand:
        return Path(bestand.name)


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
        pad = _lokaal(formaat)
        with pad.open("wb") as uit:
            shutil.copyfileobj(bestand.file, uit, BLOK)  # type: ignore[union-attr]
        if pad.stat().st_size == 0:
            pad.unlink()
            raise LeesFout("Het bestand is leeg.")
        if formaat == "xlsx":
            try:
                controleer_zip(pad)
            except (LeesFout, TeVeelUitgepakt):
                pad.unlink()
                raise
    except (LeesFout, TeVeelUitgepakt) as exc:
        context.update(fout=importmeldingen.reden(str(exc)), recent=_recent(session, caller))
        return pagina(request, "importeren.html", context, status_code=400)
    try:
        opties = _opties(session, caller, formaat, naam, per_rij, nieuwe_sleutelpersonen, nieuwe_ketenpartners)
        try:
            # On SQLite a large dry run would hold the only write slot for its whole run, as through the API.
            service.controleer_omvang(replace(opties, proefdraai=True), pad.stat().st_size,
                                      dialect=session.get_bind().dialect.name)
        except OngeldigeInvoer as exc:
            reden = (exc.invalid_params or [{"reason": exc.detail}])[0]["reason"]
            context.update(fout=importmeldingen.reden(reden), recent=_recent(session, caller))
            return pagina(request, "importeren.html", context, status_code=400)
        assert caller.organisatie_id is not None
        with pad.open("rb") as bron:
            upload = opslag.bewaar(session, organisatie_id=caller.organisatie_id, bron=bron, formaat=formaat,
                                   soort=opslag.PROEFDRAAI)
        return _toon_proefdraai(request, sessie, session, pad=pad, token=str(upload.id), opties=opties)
    finally:
        pad.unlink(missing_ok=True)


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
    upload = _upload(session, caller, token)
    keuzes = {
        "sleutelpersoon": _keuzes(session, caller, "sleutelpersoon_keuze", sleutelpersoon_naam, sleutelpersoon_keuze,
                                  Sleutelpersoon, "weergavenaam"),
        "doorverwijzingen": _keuzes(session, caller, "ketenpartner_keuze", ketenpartner_naam, ketenpartner_keuze,
                                    Ketenpartner, "naam"),
    }
    if any(keuzes.values()):
        opgeslagen.leg_keuzes_vast(session, caller=caller, keuzes=keuzes)
    opties = _opties(session, caller, upload.formaat, bestandsnaam, per_rij, nieuwe_sleutelpersonen,
                     nieuwe_ketenpartners)
    if actie == "controleren":
        pad = opslag.kopie(session, upload.id, taken.uploadmap(), prefix="sleutelmonitor-proefdraai-",
                           suffix=f".{upload.formaat}")
        if pad is None:
            raise OngeldigeInvoer.veld("bestand", "Het bestand van de proefdraai is niet meer beschikbaar; upload het opnieuw.")
        try:
            return _toon_proefdraai(request, sessie, session, pad=pad, token=token, opties=opties)
        finally:
            pad.unlink(missing_ok=True)
    if actie == "goede-rijen":
        opties = replace(opties, per_rij=True)
    run = service.nieuwe_run(session, caller=caller, opties=opties, status=service.WACHTEND)
    # The job's upload now (any worker of any instance runs it, app/imports/taken.py); no second run from it.
    upload.soort = opslag.TAAK
    run.upload_id = upload.id
    session.add_all([upload, run])
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
