"""Routes for /v1/imports: upload a historic log, follow its run, download its error report."""

import shutil
import tempfile
import uuid
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import IO, Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, Query, Request, Response
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.core import db, deprecation, formaten, persoonsgegevens
from app.core.config import get_settings
from app.core.db import SessionDep
from app.core.errors import MediatypeNietOndersteund, OngeldigeInvoer, TeGroot
from app.core.formaten import Formaat
from app.core.openapi import location, register_schema
from app.core.pagination import PAGINATED, PAGINATION_HEADERS, PaginaDep, Paginering, paginate_list
from app.core.persoonsgegevens import Naam
from app.imports import opgeslagen, opslag, service, taken
from app.imports.mapping import Mappingbestand, laad_yaml, samenvoegen
from app.imports.readers import LeesFout, TeVeelUitgepakt, controleer_zip, formaat_van_naam
from app.imports.schemas import ImportDetail, Importmapping, ImportPublic, publiek
from app.imports.verslag import fouten_tabel
from app.models import ImportRun
from app.toegang.dependencies import CallerDep, InzienDep, RegistrerenDep

router = APIRouter(tags=["imports"])

CSV_MEDIA_TYPE = "text/csv"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NDJSON_MEDIA_TYPE = "application/x-ndjson"
OCTET_MEDIA_TYPE = "application/octet-stream"
MULTIPART_MEDIA_TYPE = "multipart/form-data"
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
MAX_MAPPING_TEKENS = 100_000
STATUSSEN = (service.WACHTEND, service.BEZIG, service.GESLAAGD, service.GEDEELTELIJK, service.MISLUKT)

LOCATION = {"Location": {"description": "URL van de import.", "schema": {"type": "string"}}}


class ImportFormulier(BaseModel):
    """Een import als formulier (`multipart/form-data`): het bestand, en eventueel een mapping voor deze import.

    De opties (`proefdraai`, `perRij`, ...) zijn queryparameters.
    """

    bestand: bytes = Field(
        description="Het logboek (CSV, xlsx of NDJSON). Het formaat volgt uit het Content-Type van dit deel, "
        "anders uit de bestandsnaam, anders uit de inhoud.",
        json_schema_extra={"type": "string", "format": "binary"},
    )
    mapping: str | None = Field(
        default=None, max_length=MAX_MAPPING_TEKENS,
        description="Een mapping voor deze import, als YAML of JSON met de secties van het mappingbestand "
        "(`kolommen`, `waarden`, `standaard`, `ketenpartners`, `aanmaken`; zie `PUT /import-mapping`). Gaat "
        "per regel vóór de opgeslagen mapping van de organisatie.",
        examples=["aanmaken:\n  sleutelpersoon: [Samir B.]\nwaarden:\n  sleutelpersoon:\n    M. Abdi: Mays A.\n"],
    )


register_schema(ImportFormulier)

# One body type, so every generator makes one typed method (issue 28: openapi-generator picked
# `application/x-ndjson` out of five and failed). The raw bodies still work and are described in prose.
REQUEST_BODY = {
    "required": True,
    "description": (
        "Het bestand als formulier (`multipart/form-data`) met het veld `bestand`, en eventueel `mapping`: "
        "`curl -F bestand=@logboek.xlsx '…/v1/imports?perRij=true'`. De opties zijn altijd queryparameters.\n\n"
        "Zonder formulier kan het ook: het bestand zelf als body, met zijn eigen mediatype (`text/csv`, "
        f"`{XLSX_MEDIA_TYPE}`, `{NDJSON_MEDIA_TYPE}`; bij CSV mag `charset` in het Content-Type staan) of als "
        "`application/octet-stream` (het formaat volgt dan uit `bestandsnaam`, anders uit de inhoud): "
        "`curl --data-binary @logboek.csv -H 'Content-Type: text/csv' '…/v1/imports?proefdraai=true'`.\n\n"
        "Verouderd: de opties als velden van het formulier. Ze werken nog (een veld wint van dezelfde "
        "queryparameter), en het antwoord draagt dan de header `Deprecation`."
    ),
    "content": {
        MULTIPART_MEDIA_TYPE: {
            "schema": {"$ref": "#/components/schemas/ImportFormulier"},
            "encoding": {"bestand": {"contentType": f"{CSV_MEDIA_TYPE}, {XLSX_MEDIA_TYPE}, {NDJSON_MEDIA_TYPE}, {OCTET_MEDIA_TYPE}"}},
        },
    },
}
# Form fields that carry options, by their name in the form (the same as the query parameters). Deprecated since
# API 0.3 (the options are query parameters); still read, and the answer says `Deprecation`.
_VLAGGEN = {"proefdraai": "proefdraai", "perRij": "per_rij", "nieuweSleutelpersonenAanmaken": "nieuwe_sleutelpersonen",
            "nieuweKetenpartnersAanmaken": "nieuwe_ketenpartners", "opgeslagenMapping": "opgeslagen_mapping"}
_TEKSTVELDEN = {"blad": 100, "bestandsnaam": 255}
_WAAR, _ONWAAR = {"true", "1", "on", "ja", "yes"}, {"false", "0", "off", "nee", "no", ""}


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
    # Both are stored with the run: the one guard applies to them as to every text a client sends.
    blad: Annotated[
        Naam | None, Query(min_length=1, max_length=100, description="Werkblad van een xlsx-bestand; standaard het eerste.", examples=["2024"])
    ] = None,
    bestandsnaam: Annotated[
        Naam | None,
        Query(min_length=1, max_length=255, description="Oorspronkelijke bestandsnaam, voor het overzicht.", examples=["logboek-2024.csv"]),
    ] = None,
    opgeslagen_mapping: Annotated[
        bool,
        Query(alias="opgeslagenMapping", description="De opgeslagen mapping van de organisatie gebruiken "
              "(`GET /import-mapping`): haar keuzes voor onbekende namen en eigen schrijfwijzen. Standaard aan.",
              examples=[True]),
    ] = True,
) -> service.Opties:
    return service.Opties(
        opgeslagen_mapping=opgeslagen_mapping,
        formaat="",
        proefdraai=proefdraai,
        per_rij=per_rij,
        nieuwe_sleutelpersonen=nieuwe_sleutelpersonen,
        nieuwe_ketenpartners=nieuwe_ketenpartners,
        blad=blad,
        bestandsnaam=bestandsnaam,
    )


def _herken(kop: bytes) -> str:
    """The format of a body sent without its own media type, from its first bytes."""
    if kop.startswith(b"PK\x03\x04"):
        return "xlsx"
    if kop.startswith(b"\xd0\xcf\x11\xe0"):
        raise MediatypeNietOndersteund(
            "Oude Excel-bestanden (.xls) worden niet ondersteund; sla het bestand op als .xlsx of als CSV."
        )
    return "ndjson" if kop.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") else "csv"


def _formaat_van(mediatype: str, naam: str | None) -> str | None:
    """The format from a media type, else a file name; None when neither tells."""
    formaat = MEDIATYPEN.get(mediatype.lower())
    if formaat is None and naam:
        try:
            formaat = formaat_van_naam(naam)
        except LeesFout:
            formaat = None
    return formaat


def _formaat(request: Request, opties: service.Opties) -> tuple[str | None, str | None]:
    """The format from Content-Type (or, failing that, the file name) and a CSV charset if given.

    None for `application/octet-stream` without a file name: the content decides once it is read.
    """
    mediatype, *parameters = [deel.strip() for deel in request.headers.get("content-type", "").split(";")]
    codering = None
    for parameter in parameters:
        naam, _, waarde = parameter.partition("=")
        if naam.strip().lower() == "charset" and waarde.strip():
            codering = waarde.strip().strip('"')
    formaat = _formaat_van(mediatype, opties.bestandsnaam)
    if formaat is None and mediatype.lower() != OCTET_MEDIA_TYPE:
        raise MediatypeNietOndersteund(
            f"Mediatype `{mediatype or '(geen)'}` wordt niet ondersteund; stuur het bestand met Content-Type "
            f"{CSV_MEDIA_TYPE}, {XLSX_MEDIA_TYPE}, {NDJSON_MEDIA_TYPE}, {OCTET_MEDIA_TYPE} of als formulier "
            f"({MULTIPART_MEDIA_TYPE} met het veld `bestand`)."
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
    request: Request, response: Response, caller: RegistrerenDep,
    opties: Annotated[service.Opties, Depends(import_opties)],
) -> Upload:
    """Read the body: kept in memory when small, streamed to a temporary file when large."""
    if request.headers.get("content-type", "").split(";")[0].strip().lower() == MULTIPART_MEDIA_TYPE:
        upload, verouderd = await _ontvang_formulier(request, opties)
        if verouderd:
            deprecation.markeer(response.headers)
        return await run_in_threadpool(_controleer, upload)
    formaat, codering = _formaat(request, opties)
    opties = replace(opties, formaat=formaat or "", codering=codering)
    buffer = bytearray()
    kop = b""
    bestand = None
    try:
        async for blok in request.stream():
            if len(kop) < 8:
                kop += blok[: 8 - len(kop)]
            if bestand is None and len(buffer) + len(blok) <= GROTE_IMPORT_BYTES:
                buffer += blok
                continue
            if bestand is None:
                bestand = _tijdelijk()
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
    if formaat is None:
        try:
            upload.opties = replace(opties, formaat=_herken(kop))
        except MediatypeNietOndersteund:
            if upload.pad is not None:
                upload.pad.unlink(missing_ok=True)
            raise
    # In a worker thread: reading the zip directory of a large file must not stall the event loop.
    return await run_in_threadpool(_controleer, upload)


def _tijdelijk() -> IO[bytes]:
    return tempfile.NamedTemporaryFile(
        # In this host's upload folder, where the poller sweeps it after a crash; the route stores it in the database.
        prefix="sleutelmonitor-import-", suffix=".upload", delete=False, dir=taken.uploadmap()
    )


def _controleer(upload: Upload) -> Upload:
    """Refuse an xlsx zip bomb before anything parses it, and a file too large for its mode on SQLite."""
    if upload.pad is not None:
        try:
            service.controleer_omvang(upload.opties, upload.pad.stat().st_size, dialect=db.get_engine().dialect.name)
        except OngeldigeInvoer:
            upload.pad.unlink(missing_ok=True)
            raise
    if upload.opties.formaat == "xlsx":
        try:
            controleer_zip(upload.inhoud if upload.inhoud is not None else upload.pad)  # type: ignore[arg-type]
        except LeesFout as exc:
            if upload.pad is not None:
                upload.pad.unlink(missing_ok=True)
            if isinstance(exc, TeVeelUitgepakt):
                raise TeGroot(str(exc)) from None
            raise OngeldigeInvoer.veld("body", str(exc)) from None
    return upload


async def _ontvang_formulier(request: Request, opties: service.Opties) -> tuple[Upload, bool]:
    """A form upload: the file in `bestand`, maybe a `mapping`; every problem in one 400.

    Options sent as fields (the deprecated way) win from the query; the flag says whether there were any.
    """
    try:
        # Room for a few stray fields, so they are named in the 400 below rather than refused wholesale.
        formulier = await request.form(max_files=5, max_fields=2 * (len(_VLAGGEN) + len(_TEKSTVELDEN) + 1))
    except StarletteHTTPException as exc:
        raise OngeldigeInvoer.veld(
            "body", f"Het formulier is niet te lezen ({exc.detail}); stuur één bestandsveld `bestand` en de opties."
        ) from None
    problemen: list[dict[str, str]] = []
    waarden: dict[str, object] = {}
    for naam, waarde in formulier.multi_items():
        if naam == "bestand":
            continue
        if naam in _VLAGGEN and isinstance(waarde, str):
            if waarde.strip().lower() not in _WAAR | _ONWAAR:
                problemen.append({"name": naam, "reason": "Moet true of false zijn."})
            waarden[_VLAGGEN[naam]] = waarde.strip().lower() in _WAAR
        elif naam == "mapping" and isinstance(waarde, str):
            if len(waarde) > MAX_MAPPING_TEKENS:
                problemen.append({"name": naam, "reason": f"Mag hoogstens {MAX_MAPPING_TEKENS} tekens lang zijn."})
                continue
            try:
                waarden["mapping"] = opgeslagen.als_mapping(laad_yaml(waarde), veld="mapping")
            except OngeldigeInvoer as exc:
                problemen += exc.invalid_params or [{"name": naam, "reason": exc.detail}]
            except LeesFout as exc:
                problemen.append({"name": naam, "reason": str(exc)})
        elif naam in _TEKSTVELDEN and isinstance(waarde, str):
            if not 1 <= len(waarde) <= _TEKSTVELDEN[naam]:
                problemen.append({"name": naam, "reason": f"Moet 1 tot {_TEKSTVELDEN[naam]} tekens lang zijn."})
            elif gevonden := persoonsgegevens.vind(waarde):
                problemen.append({"name": naam, "reason": persoonsgegevens.reden(gevonden)})
            waarden[naam] = waarde
        else:
            problemen.append({"name": naam, "reason": "Onbekend veld; dit veld wordt niet geaccepteerd."})
    bestand = formulier.get("bestand")
    if not isinstance(bestand, UploadFile):
        problemen.append({"name": "bestand", "reason": "Voeg het logboek toe als bestandsveld `bestand`."})
    if problemen or not isinstance(bestand, UploadFile):
        raise OngeldigeInvoer.met(problemen, onderwerp="Het formulier")
    verouderd = any(naam != "mapping" for naam in waarden)
    opties = replace(opties, **waarden)  # type: ignore[arg-type]
    naam = opties.bestandsnaam or bestand.filename
    opties = replace(opties, bestandsnaam=naam)
    mediatype = (bestand.content_type or "").split(";")[0].strip()
    kop = await bestand.read(8)
    if not kop:
        raise OngeldigeInvoer.veld("bestand", "Het bestand is leeg.")
    formaat = _formaat_van(mediatype, naam) or _herken(kop)
    opties = replace(opties, formaat=formaat)
    await bestand.seek(0)
    if (bestand.size or 0) <= GROTE_IMPORT_BYTES:
        return Upload(opties, inhoud=await bestand.read()), verouderd
    # The form's own spool file is closed with the request; a job needs a file that outlives it.
    # Copied in a worker thread: up to 200 MB of disk I/O must not stall the event loop.
    return Upload(opties, pad=await run_in_threadpool(_kopieer, bestand.file)), verouderd


def _kopieer(bron: IO[bytes]) -> Path:
    with _tijdelijk() as kopie:
        shutil.copyfileobj(bron, kopie)
    return Path(kopie.name)


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
        "De opgeslagen mapping van de organisatie (`GET /import-mapping`) geldt standaard "
        "(`opgeslagenMapping=false` om haar te negeren); een formulier kan een eigen mapping meesturen in het veld "
        "`mapping` (YAML of JSON), die per regel voorgaat. Onbekende sleutelpersonen en ketenpartners staan in het "
        "rapport (`onbekendeSleutelpersonen`, `onbekendeKetenpartners`); een keuze per naam legt u vast met "
        "`PUT /import-mapping`.\n\n"
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
    if upload.opties.opgeslagen_mapping:
        # The organisation's stored choices first; a mapping sent with the import wins entry by entry.
        assert caller.organisatie_id is not None
        eigen = opgeslagen.laad(session, organisatie_id=caller.organisatie_id)
        upload.opties = replace(upload.opties, mapping=samenvoegen(eigen, upload.opties.mapping))
    if upload.pad is not None:
        run = service.nieuwe_run(session, caller=caller, opties=upload.opties, status=service.WACHTEND)
        # Into the database, with the run, so a worker of any instance can run it (app/imports/opslag.py).
        assert caller.organisatie_id is not None
        try:
            with upload.pad.open("rb") as bron:
                run.upload_id = opslag.bewaar(session, organisatie_id=caller.organisatie_id, bron=bron,
                                              formaat=upload.opties.formaat).id
        finally:
            upload.pad.unlink(missing_ok=True)
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


@router.delete("/imports/{importId}", status_code=204, summary="Import verwijderen",
    description=(
        "Verwijdert de import met zijn rapport (foutenlijst, rijkenmerken). De contactmomenten die hij heeft "
        "opgeslagen blijven bestaan. Een import die nog `wachtend` of `bezig` is geeft 409."
    ),
    responses={409: {"description": "De import wordt nog verwerkt."}},
)
def delete_import(caller: RegistrerenDep, run: ImportDep, session: SessionDep) -> Response:
    service.delete(session, caller=caller, run=run)
    return Response(status_code=204)


class Foutenformaat(StrEnum):
    csv = "csv"
    csv_rfc4180 = "csv-rfc4180"


def foutenpagina(
    page: Annotated[int, Query(ge=1, le=1_000_000, description="Paginanummer, vanaf 1.", examples=[1])] = 1,
    page_size: Annotated[
        int | None,
        Query(alias="pageSize", ge=1, description="Regels per pagina; standaard en maximum de grens van het rapport "
              "(`SLEUTELMONITOR_MAX_IMPORT_FOUTEN`, standaard 1000), dus zonder pageSize alle bewaarde fouten.",
              examples=[1000]),
    ] = None,
) -> Paginering:
    grens = get_settings().max_import_fouten
    if page_size is not None and page_size > grens:
        raise OngeldigeInvoer.veld("pageSize", f"Mag hoogstens {grens} zijn.")
    return Paginering(page=page, page_size=page_size or grens)


_FOUTEN_RESPONSES = formaten.responses(Formaat.csv, beschrijving="Het foutenrapport.")
_FOUTEN_RESPONSES[200]["headers"] = {**_FOUTEN_RESPONSES[200]["headers"], **PAGINATION_HEADERS}


@router.get("/imports/{importId}/fouten",
    response_class=Response,
    summary="Foutenrapport downloaden",
    description=(
        "De fouten van een import als CSV (`rij;datum;sleutelpersoon;kolom;waarde;reden`, UTF-8 met BOM, "
        "puntkomma's), zodat de coördinator het bestand in Excel kan openen, de rij terugvindt aan datum en "
        "sleutelpersoon, en het logboek kan verbeteren. `formaat=csv-rfc4180` geeft dezelfde tabel met komma's.\n\n"
        "Een import bewaart de eerste 1000 fouten (instelbaar); `foutenAantal` en `foutsoorten` van de import tellen ze "
        "allemaal. Zonder `pageSize` komen alle bewaarde fouten in één bestand; met `page` en `pageSize` in delen, "
        "met `Link` en `X-Total-Count` zoals bij elke lijst."
    ),
    responses=_FOUTEN_RESPONSES,
)
def get_import_fouten(
    caller: InzienDep,
    run: ImportDep,
    request: Request,
    paginering: Annotated[Paginering, Depends(foutenpagina)],
    formaat: Annotated[
        Foutenformaat, Query(description="`csv` (Nederlandse Excel) of `csv-rfc4180` (komma's).", examples=["csv"])
    ] = Foutenformaat.csv,
) -> Response:
    gekozen = Formaat(formaat.value)
    kop, regels = fouten_tabel(run.rapport or {})
    koppen = Response()
    pagina = paginate_list(regels, paginering=paginering, request=request, response=koppen)
    antwoord = formaten.bestand(formaten.to_csv(kop, pagina, gekozen), gekozen, f"import-{run.id}-fouten")
    for naam in ("Link", "X-Total-Count"):
        antwoord.headers[naam] = koppen.headers[naam]
    return antwoord


@router.get("/import-mapping", response_model=Importmapping, summary="Importmapping opvragen",
    description=(
        "De opgeslagen mapping van de eigen organisatie: de secties van het mappingbestand (`kolommen`, `waarden`, "
        "`standaard`, `ketenpartners`, `aanmaken`). Elke import gebruikt haar, tenzij `opgeslagenMapping=false`. "
        "Zonder opgeslagen mapping zijn alle secties leeg."
    ),
)
def get_import_mapping(caller: InzienDep, session: SessionDep) -> Importmapping:
    assert caller.organisatie_id is not None
    mapping = opgeslagen.laad(session, organisatie_id=caller.organisatie_id) or Mappingbestand()
    return Importmapping.model_validate(mapping.model_dump())


@router.put("/import-mapping", response_model=Importmapping, summary="Importmapping opslaan",
    description=(
        "Vervangt de opgeslagen mapping van de eigen organisatie. `aanmaken` noemt per veld (`sleutelpersoon`, "
        "`doorverwijzingen`) de onbekende namen die een import mag aanmaken (een sleutelpersoon als historisch: niet "
        "actief, met de gemeente uit het logboek); `waarden` koppelt een schrijfwijze in het bestand aan een "
        "bestaande naam of code (`waarden: sleutelpersoon: {\"M. Abdi\": \"Mays A.\"}`). Het dashboard vult "
        "haar met de keuzes op de proefdraai; de opdrachtregel gebruikt haar met `--opgeslagen-mapping`."
    ),
)
def put_import_mapping(caller: RegistrerenDep, session: SessionDep, body: Importmapping) -> Importmapping:
    mapping = opgeslagen.als_mapping(body.model_dump(), veld="body")
    opgeslagen.sla_op(session, caller=caller, mapping=mapping)
    return Importmapping.model_validate(mapping.model_dump())
