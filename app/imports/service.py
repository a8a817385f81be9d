"""The import run: read, map, validate and upsert every row; report counts and grouped errors.

Each row goes through the same `ContactmomentCreate` schema and `contactmomenten.regels.controleer` as a
`POST /v1/contactmomenten`, so every rule of the API applies identically, and new rows are written
as the same rows `contactmomenten.service.create` writes, a batch at a time (app/imports/bulk.py). Rows upsert by
`externId`; a file without one gets a key derived from the row's content (see `verwerking.afgeleide_sleutel`).
All rows are written inside one savepoint: atomic mode (default) releases it only when every row was
valid, per-row mode always, and a dry run (proefdraai) never. Rows are checked before they are
written, so per-row mode needs a savepoint only for a correction or a row that creates a key person.
The caller commits (request, CLI command or background job), as everywhere in this service.
"""

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.core.config import get_settings
from app.core.errors import Conflict, OngeldigeInvoer
from app.gebeurtenissen import service as gebeurtenissen
from app.imports import opslag
from app.imports.mapping import Vertaler, deel_kolommen_in, is_koprij
from app.imports.readers import Bron, LeesFout, lezer_voor
from app.imports.verslag import (  # noqa: F401  re-exported: the service's vocabulary for router, CLI and tests
    BEZIG,
    GEDEELTELIJK,
    GESLAAGD,
    MISLUKT,
    WACHTEND,
    Opties,
    Verslag,
    fouten_csv,
    zonder_persoonsgegevens,
)
from app.imports.verwerking import Run
from app.models import ImportRun, utcnow
from app.toegang import audit, scoping
from app.toegang.caller import Caller

logger = logging.getLogger(__name__)

NAAM = "Import"
RESOURCE_TYPE = "import"

def importeer(
    session: Session,
    *,
    caller: Caller,
    bron: Bron,
    opties: Opties,
    run: ImportRun | None = None,
    voortgang: Callable[[int], None] | None = None,
) -> Verslag:
    """Run one import; writes (in the caller's transaction) only what the mode allows. Flushes, never commits."""
    verslag = Verslag()
    tussentijds = opties.tussentijds_vastleggen and opties.per_rij and not opties.proefdraai
    run_state = Run(
        session, caller=caller, opties=opties, verslag=verslag, voortgang=voortgang,
        vastleggen=(lambda: _leg_tussentijds_vast(session)) if tussentijds else None,
    )
    # Committing as it goes leaves no savepoint to roll back to: what was committed stays.
    buiten = _GeenSavepoint() if tussentijds else session.begin_nested()
    try:
        # One `import.voltooid` event for the run (below), not one per row it wrote.
        with gebeurtenissen.stil(session):
            run_state.lees(bron)
    except LeesFout as exc:
        verslag.melding = str(exc)
        verslag.onleesbaar = True
        if not verslag.fouten:
            verslag.fout(None, None, "", str(exc))
    except BaseException:
        buiten.rollback()
        raise
    bewaren = (
        not opties.proefdraai and not verslag.onleesbaar and (opties.per_rij or verslag.afgewezen == 0)
    )
    if bewaren:
        buiten.commit()
    else:
        buiten.rollback()
    verslag.opgeslagen = bewaren
    if not bewaren and not opties.proefdraai:
        # Nothing was written, so nothing was created, updated or left unchanged either.
        verslag.aangemaakt = verslag.bijgewerkt = verslag.ongewijzigd = 0
        verslag.professioneel.aangemaakt = verslag.professioneel.bijgewerkt = verslag.professioneel.ongewijzigd = 0
        verslag.nieuwe_sleutelpersonen.clear()
        verslag.nieuwe_ketenpartners.clear()
        if verslag.melding is None:
            verslag.melding = (
                f"Er is niets opgeslagen: {verslag.afgewezen} van de {verslag.gelezen} rijen zijn afgekeurd "
                "en de import is atomair (alles of niets). Verbeter het bestand, of importeer per rij "
                "(`--per-rij`; in de API `perRij=true`)."
            )
    if opties.proefdraai and verslag.melding is None:
        verslag.melding = (
            f"Proefdraai: er is niets opgeslagen. Een atomaire import zou niets opslaan, want {verslag.afgewezen} "
            f"van de {verslag.gelezen} rijen zijn afgekeurd."
            if verslag.afgewezen and not opties.per_rij
            else "Proefdraai: er is niets opgeslagen; de aantallen zijn wat een echte import zou doen."
        )
    verslag.status = _status(verslag, opties)
    if run is not None:
        _leg_vast(session, caller=caller, run=run, verslag=verslag)
    session.flush()
    return verslag


# After each intermediate commit on SQLite, pause this long so writers waiting for the write slot get
# it: the run takes the slot again at its very next statement, and a lock does not queue fairly.
OVERDRACHT_SECONDEN = 0.05
# While counting rows, report (and so check for a stop) once per this many rows.
TEL_STAP = 10_000


def _leg_tussentijds_vast(session: Session) -> None:
    session.commit()
    if session.get_bind().dialect.name == "sqlite":
        time.sleep(OVERDRACHT_SECONDEN)


def controleer_omvang(opties: Opties, grootte: int, *, dialect: str) -> None:
    """400 for an atomic import or dry run of a file too large to hold SQLite's write slot for (see config)."""
    grens = get_settings().sqlite_atomair_max_mb
    if dialect != "sqlite" or not grens or opties.per_rij and not opties.proefdraai or grootte <= grens * 1_048_576:
        return
    wat = "Een proefdraai" if opties.proefdraai else "Een atomaire import (alles of niets)"
    raise OngeldigeInvoer.veld("perRij" if not opties.proefdraai else "proefdraai", (
        f"{wat} van een bestand groter dan {grens:g} MB houdt deze database (SQLite) zo lang bezet dat andere "
        "registraties mislukken. Importeer per rij (`perRij=true`): dat legt elke paar duizend rijen vast en "
        "rapporteert de afgekeurde rijen. Of splits het bestand."
    ))


def tel_rijen(bron: Bron, opties: Opties, *, onderweg: Callable[[int], None] | None = None) -> int:
    """Read every row without mapping, validating or writing: TeGrootBestand for a file over a reader limit.

    Reading alone does ~100,000 rows a second, importing ~1,400: a file over the row limit fails in
    seconds instead of after its first two million rows. `onderweg` hears the count now and then.
    """
    lezer = lezer_voor(opties.formaat, bron, blad=opties.blad, codering=opties.codering, herken_kop=is_koprij(opties.mapping))
    aantal = 0
    for aantal, _ in enumerate(lezer.rijen(), start=1):
        if onderweg is not None and aantal % TEL_STAP == 0:
            onderweg(aantal)
    return aantal


class _GeenSavepoint:
    """Stands in for the run's savepoint when the run commits as it goes (per-row from the CLI)."""

    def commit(self) -> None:
        pass

    def rollback(self) -> None:
        pass


def _status(verslag: Verslag, opties: Opties) -> str:
    if verslag.onleesbaar:
        return MISLUKT
    if verslag.afgewezen == 0:
        return GESLAAGD
    if not opties.per_rij or verslag.afgewezen == verslag.gelezen:
        return MISLUKT
    return GEDEELTELIJK


def _leg_vast(session: Session, *, caller: Caller, run: ImportRun, verslag: Verslag) -> None:
    run.status = verslag.status
    run.gelezen = verslag.gelezen
    run.aangemaakt = verslag.aangemaakt
    run.bijgewerkt = verslag.bijgewerkt
    run.ongewijzigd = verslag.ongewijzigd
    run.afgewezen = verslag.afgewezen
    run.rapport = verslag.als_rapport()
    run.gestart_op = run.gestart_op or run.aangemaakt_op
    run.voltooid_op = utcnow()
    session.add(run)
    session.flush()
    # One audit row for the run; each contactmoment, key person and partner was audited by its service.
    audit.log(
        session,
        caller=caller,
        actie="geimporteerd",
        resource_type=RESOURCE_TYPE,
        resource_id=run.id,
        aantal=verslag.aangemaakt + verslag.bijgewerkt if verslag.opgeslagen else 0,
    )
    if not run.proefdraai:
        voltooid(session, run)


def voltooid(session: Session, run: ImportRun) -> None:
    """The one event of a finished import run, with its counts; a consumer re-syncs with `gewijzigdSinds`."""
    gebeurtenissen.leg_vast(session, "import.voltooid", run, gegevens={
        "status": run.status, "gelezen": run.gelezen, "aangemaakt": run.aangemaakt, "bijgewerkt": run.bijgewerkt,
        "ongewijzigd": run.ongewijzigd, "afgewezen": run.afgewezen,
    })


# --- Runs ----------------------------------------------------------------------------------------


def nieuwe_run(session: Session, *, caller: Caller, opties: Opties, status: str = BEZIG) -> ImportRun:
    """The record of a run, before its rows are read (a job waits as `wachtend`)."""
    assert caller.organisatie_id is not None
    run = ImportRun(
        organisatie_id=caller.organisatie_id,
        api_sleutel_id=caller.sleutel_id,
        status=status,
        modus=opties.modus,
        proefdraai=opties.proefdraai,
        formaat=opties.formaat,
        # A file's own name is a label only; one that holds personal data is not kept (the API refuses it
        # as a parameter; the dashboard and a form's file part pass on what the browser sent).
        bestandsnaam=zonder_persoonsgegevens(opties.bestandsnaam[:255]) if opties.bestandsnaam else None,
        opties=opties.als_json(),
    )
    if status == BEZIG:
        run.gestart_op = run.aangemaakt_op
    session.add(run)
    session.flush()
    return run


def voer_uit(
    session: Session,
    *,
    caller: Caller,
    bron: Bron,
    opties: Opties,
    voortgang: Callable[[int], None] | None = None,
) -> tuple[ImportRun, Verslag]:
    """Record a run and import in the caller's transaction (the API's small files, the CLI)."""
    run = nieuwe_run(session, caller=caller, opties=opties)
    verslag = importeer(session, caller=caller, bron=bron, opties=opties, run=run, voortgang=voortgang)
    return run, verslag


def get(session: Session, *, caller: Caller, import_id: uuid.UUID) -> ImportRun:
    """The caller's import run, or 404."""
    return scoping.haal_eigen(session, ImportRun, import_id, caller, naam=NAAM)


def delete(session: Session, *, caller: Caller, run: ImportRun) -> None:
    """Delete a finished run and its stored report (audited); 409 while it waits or runs.

    The contactmomenten it imported stay: they are records in their own right, deleted one by one.
    """
    if run.status in (WACHTEND, BEZIG):
        raise Conflict(
            "De import wordt nog verwerkt; verwijderen kan als hij klaar is (status `geslaagd`, "
            "`gedeeltelijk` of `mislukt`)."
        )
    upload_id, run_id = run.upload_id, run.id
    session.delete(run)
    session.flush()
    opslag.verwijder(session, upload_id)
    audit.log(session, caller=caller, actie="verwijderd", resource_type=RESOURCE_TYPE, resource_id=run_id)


def list_statement(*, caller: Caller, status: str | None = None) -> SelectOfScalar[ImportRun]:
    """The caller's organisation's runs, newest first."""
    statement = scoping.eigen(select(ImportRun), ImportRun, caller)
    if status is not None:
        statement = statement.where(ImportRun.status == status)
    return statement.order_by(col(ImportRun.aangemaakt_op).desc(), col(ImportRun.id))



@dataclass
class Mappingoverzicht:
    """How a tabular file would be read: columns to fields and each distinct value to its code."""

    kolommen: list[tuple[str, str | None]] = field(default_factory=list)
    fouten: list[str] = field(default_factory=list)
    waarden: dict[str, dict[str, str]] = field(default_factory=dict)
    gelezen: int = 0


def toon_mapping(session: Session, *, caller: Caller, bron: Bron, opties: Opties) -> Mappingoverzicht:
    """Map every row without validating or writing anything (`sleutelmonitor import --toon-mapping`)."""
    overzicht = Mappingoverzicht()
    lezer = lezer_voor(
        opties.formaat, bron, blad=opties.blad, codering=opties.codering, herken_kop=is_koprij(opties.mapping)
    )
    if lezer.formaat == "ndjson":
        overzicht.gelezen = sum(1 for _ in lezer.rijen())
        return overzicht
    vertaler: Vertaler | None = None
    for rij in lezer.rijen():
        if vertaler is None:
            indeling = deel_kolommen_in(lezer.koppen or [], opties.mapping)
            overzicht.kolommen = list(indeling.kolommen.items())
            overzicht.fouten = indeling.fouten
            vertaler = Vertaler(
                session, caller=caller, indeling=indeling, mapping=opties.mapping,
                nieuwe_sleutelpersonen=opties.nieuwe_sleutelpersonen,
                nieuwe_ketenpartners=opties.nieuwe_ketenpartners,
            )
        overzicht.gelezen += 1
        if rij.fout is None:
            vertaler.vertaal(rij)
    if vertaler is None and lezer.koppen is not None:
        indeling = deel_kolommen_in(lezer.koppen, opties.mapping)
        overzicht.kolommen, overzicht.fouten = list(indeling.kolommen.items()), indeling.fouten
    if vertaler is not None:
        overzicht.waarden = vertaler.overzicht
    return overzicht
