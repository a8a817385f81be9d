"""Routes for /v1/imports: upload a historic log, follow its run, download its error report."""

import tempfile
import uuid
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, Path as PathParam, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from app.core.db import SessionDep
from app.core.errors import MediatypeNietOndersteund, OngeldigeInvoer, TeGroot
from app.core.openapi import location
from app.core.pagination import PAGINATED, PaginaDep
from app.imports import service, taken
from app.imports.readers import LeesFout, TeVeelUitgepakt, controleer_zip, formaat_van_naam
from app.imports.schemas import ImportDetail, ImportPublic, publiek
from app.models import ImportRun
from app.toegang.dependencies import CallerDep, InzienDep, RegistrerenDep

router = APIRouter(tags=["imports"])

CSV_MEDIA_TYPE = "text/csv"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NDJSON_MEDIA_TYPE = "application/x-ndjson"
MEDIATYPEN: dict[str, str] = {
    CSV_MEDIA_TYPE: "csv",
    "application/csv": "csv",
    "text/tab-separated-values": "csv",
    XLSX_MEDIA_TYPE: "xlsx",
    NDJSON_MEDIA_TYPE: "ndjson",
    "application/ndjson": "ndjson",
    "application/jsonl": "ndjson",
}
# Uploads up to this size are imported within the request (201); larger ones become a job (202).
GROTE_IMPORT_BYTES = 1_048_576
STATUSSEN = (service.WACHTEND, service.BEZIG, service.GESLAAGD, service.GEDEELTELIJK, service.MISLUKT)

LOCATION = {"Location": {"description": "URL van de import.", "schema": {"type": "string"}}}
REQUEST_BODY = {
    "required": True,
    "description": (
        "Het bestand zelf als body (geen multipart), bijvoorbeeld "
        "`curl --data-binary @logboek.csv -H 'Content-Type: text/csv'`. Bij CSV mag `charset` in het "
        "Content-Type staan; zonder wordt UTF-8 (met of zonder BOM) of anders Windows-1252 herkend."
    ),
    "content": {
        CSV_MEDIA_TYPE: {"schema": {"type": "string"}},
        XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}},
        NDJSON_MEDIA_TYPE: {"schema": {"type": "string"}},
    },
}


@dataclass
class Upload:
    opties: service.Opties
    inhoud: bytes | None = None
    pad: Path | None = None


def import_opties(
    proefdraai: Annotated[
        bool, Query(description="Alleen controleren en rapporteren; er wordt niets opgeslagen.", examples=[False])
    ] = False,
    per_rij: Annotated[
        bool, Query(alias="perRij", description="Geldige rijen opslaan en de rest rapporteren. Standaard atomair: één foute rij en er wordt niets opgeslagen.", examples=[False])
    ] = False,
    nieuwe_sleutelpersonen: Annotated[
        bool, Query(alias="nieuweSleutelpersonenAanmaken", description="Onbekende namen van sleutelpersonen aanmaken in plaats van de rij af te keuren.", examples=[False])
    ] = False,
    nieuwe_ketenpartners: Annotated[
        bool, Query(alias="nieuweKetenpartnersAanmaken", description="Onbekende ketenpartners aanmaken (categorie afgeleid uit de naam, anders `overig`).", examples=[False])
    ] = False,
    blad: Annotated[
        str | None, Query(min_length=1, max_length=100, description="Werkblad van een xlsx-bestand; standaard het eerste.", examples=["2024"])
    ] = None,
    bestandsnaam: Annotated[
        str | None,
        Query(min_length=1, max_length=255, description="Oorspronkelijke bestandsnaam, voor het overzicht.", examples=["logboek-2024.csv"]),
    ] = None,
) -> service.Opties:
    return service.Opties(
        formaat="",
        proefdraai=proefdraai,
        per_rij=per_rij,
        nieuwe_sleutelpersonen=nieuwe_sleutelpersonen,
        nieuwe_ketenpartners=nieuwe_ketenpartners,
        blad=blad,
        bestandsnaam=bestandsnaam,
    )


def _formaat(request: Request, opties: service.Opties) -> tuple[str, str | None]:
    """The format from Content-Type (or, failing that, the file name) and a CSV charset if given."""
    mediatype, *parameters = [deel.strip() for deel in request.headers.get("content-type", "").split(";")]
    codering = None
    for parameter in parameters:
        naam, _, waarde = parameter.partition("=")
        if naam.strip().lower() == "charset" and waarde.strip():
            codering = waarde.strip().strip('"')
    formaat = MEDIATYPEN.get(mediatype.lower())
    if formaat is None and opties.bestandsnaam:
        try:
            formaat = formaat_van_naam(opties.bestandsnaam)
        except LeesFout:
            formaat = None
    if formaat is None:
        raise MediatypeNietOndersteund(
            f"Mediatype `{mediatype or '(geen)'}` wordt niet ondersteund; stuur het bestand met Content-Type "
            f"{CSV_MEDIA_TYPE}, {XLSX_MEDIA_TYPE} of {NDJSON_MEDIA_TYPE}."
        )
    if codering is not None:
        try:
            "".encode(codering)
        except LookupError:
            raise OngeldigeInvoer.veld("Content-Type", f"Onbekende tekenset `{codering}`.") from None
        if codering.lower().replace("_", "-") in ("utf-8", "utf8"):
            codering = None  # let the reader tell UTF-8 with BOM from without
    return formaat, codering


async def ontvang_bestand(
    request: Request, caller: RegistrerenDep, opties: Annotated[service.Opties, Depends(import_opties)]
) -> Upload:
    """Read the body: kept in memory when small, streamed to a temporary file when large."""
    formaat, codering = _formaat(request, opties)
    opties = replace(opties, formaat=formaat, codering=codering)
    buffer = bytearray()
    bestand = None
    try:
        async for blok in request.stream():
            if bestand is None and len(buffer) + len(blok) <= GROTE_IMPORT_BYTES:
                buffer += blok
                continue
            if bestand is None:
                # In the upload folder, where any worker finds it and the poller sweeps it after a crash.
                bestand = tempfile.NamedTemporaryFile(  # noqa: SIM115  (kept for the background job)
                    prefix="sleutelmonitor-import-", suffix=f".{formaat}", delete=False, dir=taken.uploadmap()
                )
                bestand.write(buffer)
                buffer.clear()
            bestand.write(blok)
    except BaseException:
        if bestand is not None:
            bestand.close()
            Path(bestand.name).unlink(missing_ok=True)
        raise
    if bestand is not None:
        bestand.close()
        upload = Upload(opties, pad=Path(bestand.name))
    elif not buffer:
        raise OngeldigeInvoer.veld("body", "Het bestand is leeg; stuur het bestand zelf als body.")
    else:
        upload = Upload(opties, inhoud=bytes(buffer))
    if formaat == "xlsx":
        try:
            # In a worker thread: reading the zip directory of a large file must not stall the event loop.
            await run_in_threadpool(controleer_zip, upload.inhoud if upload.inhoud is not None else upload.pad)  # type: ignore[arg-type]
        except TeVeelUitgepakt as exc:
            if upload.pad is not None:
                upload.pad.unlink(missing_ok=True)
            raise TeGroot(str(exc)) from None
    return upload


UploadDep = Annotated[Upload, Depends(ontvang_bestand)]

ImportIdPad = Annotated[
    uuid.UUID,
    PathParam(alias="importId", description="Identificatie van de import.", examples=["1c9e5f5a-4a1d-4c1b-9d8e-2f3a4b5c6d7e"]),
]


def import_run(import_id: ImportIdPad, caller: CallerDep, session: SessionDep) -> ImportRun:
    """The caller's import run; the route's own scope dependency decides access."""
    return service.get(session, caller=caller, import_id=import_id)


ImportDep = Annotated[ImportRun, Depends(import_run)]


@router.post("/imports", status_code=201, response_model=ImportDetail, summary="Logboek importeren",
    description=(
        "Importeert een historisch logboek: CSV (zoals Nederlandse Excel het opslaat), xlsx, of NDJSON "
        "(één contactmoment per regel, in de vorm van `POST /contactmomenten`). Elke rij doorloopt dezelfde "
        "controles als een los contactmoment. Kolomkoppen (Datum, Sleutelpersoon, Gemeente, Kanaal, Soort, "
        "Aantal deelnemers, Cliëntnummer, Leeftijd, Geslacht, Taal, Onderwerp, Actie, Doorverwezen naar, "
        "Resultaat, Duur (min), Extern id) en waarden (codes, omschrijvingen, synoniemen) worden herkend "
        "zonder op hoofdletters of accenten te letten; meerdere waarden in een cel scheidt u met `,` `;` `/` of `+`.\n\n"
        "Rijen met een `Extern id` worden bijgewerkt als dat id al bestaat; rijen zonder krijgen een sleutel "
        "die uit hun inhoud is afgeleid, zodat hetzelfde bestand nogmaals importeren niets verandert.\n\n"
        "Een klein bestand (tot 1 MB) wordt meteen verwerkt: 201 met het rapport. Een groter bestand wordt een "
        "taak: 202 met `Location`; volg de status met `GET /imports/{importId}`. Controleer altijd `status`: "
        "bij `mislukt` is er niets opgeslagen."
    ),
    openapi_extra={"requestBody": REQUEST_BODY},
    responses={
        201: {"description": "Het bestand is verwerkt; het rapport staat in de body.", "headers": LOCATION},
        202: {
            "description": "Het bestand is groot en wordt op de achtergrond verwerkt.",
            "model": ImportDetail,
            "headers": LOCATION,
        },
        415: {"description": "Het mediatype van de body wordt niet ondersteund."},
    },
)
def create_import(
    caller: RegistrerenDep,
    upload: UploadDep,
    session: SessionDep,
    achtergrond: BackgroundTasks,
    response: Response,
) -> ImportDetail | ImportPublic:
    if upload.pad is not None:
        run = service.nieuwe_run(session, caller=caller, opties=upload.opties, status=service.WACHTEND)
        run.bestandspad = str(upload.pad)
        session.add(run)
        # After the response (so after the commit), in a worker thread. Should this worker die first,
        # the poller of any worker claims the waiting job (app/imports/taken.py).
        achtergrond.add_task(taken.draai, run.id)
        response.status_code = 202
    else:
        assert upload.inhoud is not None
        run, _ = service.voer_uit(session, caller=caller, bron=upload.inhoud, opties=upload.opties)
    response.headers["Location"] = location("imports", run.id)
    return publiek(run)


@router.get("/imports", response_model=list[ImportPublic], responses=PAGINATED, summary="Imports opvragen",
    description="De imports van de eigen organisatie, nieuwste eerst (zonder foutenlijst; zie de import zelf).",
)
def list_imports(
    caller: InzienDep, session: SessionDep, pagina: PaginaDep,
    status: Annotated[
        str | None, Query(pattern=f"^({'|'.join(STATUSSEN)})$", description="Alleen imports met deze status.", examples=["mislukt"])
    ] = None,
) -> list[ImportPublic]:
    runs = pagina.van(session, service.list_statement(caller=caller, status=status))
    return [publiek(run, verwerkt=taken.voortgang(run), detail=False) for run in runs]


@router.get("/imports/{importId}", response_model=ImportDetail, summary="Import opvragen",
    description=(
        "Status en rapport van een import: aantallen (gelezen, aangemaakt, bijgewerkt, ongewijzigd, "
        "afgewezen), de fouten gegroepeerd met hun rijnummers, en wat er is aangemaakt. Terwijl een taak "
        "`bezig` is, geeft `verwerkt` de voortgang."
    ),
)
def get_import(caller: InzienDep, run: ImportDep) -> ImportDetail | ImportPublic:
    return publiek(run, verwerkt=taken.voortgang(run))


@router.get("/imports/{importId}/fouten",
    response_class=Response,
    summary="Foutenrapport downloaden",
    description=(
        "Alle fouten van een import als CSV (`rij;kolom;waarde;reden`, UTF-8 met BOM, puntkomma's), "
        "zodat de coördinator het bestand in Excel kan openen en het logboek kan verbeteren."
    ),
    responses={200: {"content": {CSV_MEDIA_TYPE: {"schema": {"type": "string"}}}, "description": "Het foutenrapport."}},
)
def get_import_fouten(caller: InzienDep, run: ImportDep) -> Response:
    return Response(
        service.fouten_csv(run.rapport or {}),
        media_type=f"{CSV_MEDIA_TYPE}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="import-{run.id}-fouten.csv"'},
    )
