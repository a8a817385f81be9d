"""The import run: read, map, validate and upsert every row; report counts and grouped errors.

Each row goes through the same `ContactmomentCreate` schema and `contactmomenten.regels.controleer` as a
`POST /v1/contactmomenten`, so every rule of the API applies identically, and new rows are written
as the same rows `contactmomenten.service.create` writes, a batch at a time (app/imports/bulk.py). Rows upsert by
`externId`; a file without one gets a key derived from the row's content (see `afgeleide_sleutel`).
All rows are written inside one savepoint: atomic mode (default) releases it only when every row was
valid, per-row mode always, and a dry run (proefdraai) never. Rows are checked before they are
written, so per-row mode needs a savepoint only for a correction or a row that creates a key person.
The caller commits (request, CLI command or background job), as everywhere in this service.
"""

import csv
import io
import logging
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.contactmomenten import inhoud
from app.contactmomenten import service as contactmomenten
from app.contactmomenten.schemas import ContactmomentCreate
from app.core.db import checkpoint, get_engine
from app.core.errors import Conflict, DomeinFout, OngeldigeInvoer, validation_params
from app.imports.bulk import Bulkschrijver, Wachtend, sleutel_van_inhoud
from app.imports.mapping import Mappingbestand, Vertaler, Vertaling, deel_kolommen_in, is_koprij
from app.imports.readers import Bron, LeesFout, Rij, als_tekst, lezer_voor
from app.ketenpartners import service as ketenpartners
from app.models import Contactmoment, ImportRun, utcnow
from app.sleutelpersonen import service as sleutelpersonen
from app.toegang import audit, scoping
from app.toegang.caller import Caller
from app.uitkomsten import service as uitkomsten
from app.uitkomsten.schemas import UitkomstCreate

logger = logging.getLogger(__name__)

NAAM = "Import"
RESOURCE_TYPE = "import"

WACHTEND, BEZIG, GESLAAGD, MISLUKT, GEDEELTELIJK = "wachtend", "bezig", "geslaagd", "mislukt", "gedeeltelijk"
ATOMAIR, PER_RIJ = "atomair", "per-rij"
# Never stored or echoed in a report: the reference of a resident (only its keyed hash is kept).
GEHEIM = "inwonerReferentie"
MAX_WAARDE = 200

# Report progress once per this many rows (a progress bar redrawn per row costs more than the row).
VOORTGANG_STAP = 500

# Rows processed by running background jobs of this process, for `GET /v1/imports/{id}` while `bezig`.
VOORTGANG: dict[uuid.UUID, int] = {}


@dataclass
class Opties:
    formaat: str
    per_rij: bool = False
    proefdraai: bool = False
    nieuwe_sleutelpersonen: bool = False
    nieuwe_ketenpartners: bool = False
    blad: str | None = None
    codering: str | None = None
    mapping: Mappingbestand | None = None
    bestandsnaam: str | None = None

    @property
    def modus(self) -> str:
        return PER_RIJ if self.per_rij else ATOMAIR

    def als_json(self) -> dict[str, Any]:
        return {
            "blad": self.blad,
            "nieuweSleutelpersonenAanmaken": self.nieuwe_sleutelpersonen,
            "nieuweKetenpartnersAanmaken": self.nieuwe_ketenpartners,
            "mappingbestand": self.mapping is not None,
        }


Fout = tuple[str | None, str, str]  # (column, value, reason)


@dataclass
class Verslag:
    """The report of one run: counts, errors grouped by (column, value, reason) with their rows."""

    gelezen: int = 0
    aangemaakt: int = 0
    bijgewerkt: int = 0
    ongewijzigd: int = 0
    afgewezen: int = 0
    status: str = BEZIG
    opgeslagen: bool = False
    onleesbaar: bool = False  # the file as a whole could not be read: nothing was imported
    melding: str | None = None
    fouten: dict[Fout, list[int | None]] = field(default_factory=dict)
    kolommen: list[tuple[str, str | None]] = field(default_factory=list)
    nieuwe_sleutelpersonen: list[str] = field(default_factory=list)
    nieuwe_ketenpartners: list[tuple[str, str]] = field(default_factory=list)
    benaderd: dict[tuple[str, str], str] = field(default_factory=dict)

    def fout(self, rij: int | None, kolom: str | None, waarde: str, reden: str) -> None:
        self.fouten.setdefault((kolom, waarde[:MAX_WAARDE], reden), []).append(rij)

    def foutgroepen(self) -> list[dict[str, Any]]:
        """Identical errors once, with every row they occur on; ordered by their first row."""
        groepen = [
            {"kolom": kolom, "waarde": waarde, "reden": reden, "aantal": len(rijen),
             "rijen": [r for r in rijen if r is not None]}
            for (kolom, waarde, reden), rijen in self.fouten.items()
        ]
        return sorted(groepen, key=lambda g: (g["rijen"][0] if g["rijen"] else 0))

    def als_rapport(self) -> dict[str, Any]:
        return {
            "melding": self.melding,
            "fouten": self.foutgroepen(),
            "kolommen": [{"kolom": k, "veld": v} for k, v in self.kolommen],
            "nieuweSleutelpersonen": self.nieuwe_sleutelpersonen,
            "nieuweKetenpartners": [{"naam": n, "categorie": c} for n, c in self.nieuwe_ketenpartners],
            "benaderd": [
                {"kolom": k, "waarde": w, "code": c} for (k, w), c in sorted(self.benaderd.items())
            ],
        }


def foutregels(rapport: dict[str, Any]) -> Iterator[tuple[int | None, str | None, str, str]]:
    """Every error of a stored report as (row, column, value, reason), by row."""
    regels = [
        (rij, groep["kolom"], groep["waarde"], groep["reden"])
        for groep in rapport.get("fouten", [])
        for rij in (groep["rijen"] or [None])
    ]
    return iter(sorted(regels, key=lambda r: (r[0] or 0, r[1] or "")))


def fouten_csv(rapport: dict[str, Any]) -> str:
    """The error report for the coordinator: `;`-separated with a BOM, so Dutch Excel opens it as is."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["rij", "kolom", "waarde", "reden"])
    for rij, kolom, waarde, reden in foutregels(rapport):
        writer.writerow(["" if rij is None else rij, kolom or "", waarde, reden])
    return buffer.getvalue()


def afgeleide_sleutel(data: ContactmomentCreate, *, inwoner_hash: str | None) -> str:
    """The externId of a row without one: SHA-256 of its canonical content, so not of its position.

    The content is the one `create` fingerprints (codes, ids, dates; the resident reference only
    as its keyed hash, so the key reveals nothing a guess could confirm). The same row always gets
    the same key, so importing a file again finds every row. A corrected row is new content and so
    a new contactmoment: a file that will be corrected and re-imported needs an `Extern id` column.
    """
    gegevens = inhoud.inhoud_van_invoer(data.model_copy(update={"extern_id": None}), inwoner_hash=inwoner_hash)
    return sleutel_van_inhoud(gegevens)


def _verwijderd(invoer: ContactmomentCreate) -> str:
    return f"Het contactmoment met externId `{invoer.extern_id}` is verwijderd; een import zet het niet terug."


def _verwant(naam: str, pad: str) -> bool:
    return naam == pad or naam.startswith((f"{pad}[", f"{pad}.")) or pad.startswith((f"{naam}[", f"{naam}."))


def _waarde_op_pad(data: Any, naam: str) -> Any:
    """The value at an invalidParams name (`doorverwijzingen[0].wijze`) in a JSON object, or None."""
    for deel in naam.replace("[", ".").replace("]", "").split("."):
        if isinstance(data, dict):
            data = data.get(deel)
        elif isinstance(data, list) and deel.isdigit() and int(deel) < len(data):
            data = data[int(deel)]
        else:
            return None
    return data


class _Run:
    """The state of one import while its rows stream through."""

    def __init__(
        self,
        session: Session,
        *,
        caller: Caller,
        opties: Opties,
        verslag: Verslag,
        voortgang: Callable[[int], None] | None,
    ) -> None:
        self.session = session
        self.caller = caller
        self.opties = opties
        self.verslag = verslag
        self.voortgang = voortgang
        self.vertaler: Vertaler | None = None
        self.bulk = Bulkschrijver(
            session, caller=caller, afhandelen=self._afgehandeld, per_rij_schrijven=self._schrijf_wachtend
        )

    def lees(self, bron: Bron) -> None:
        lezer = lezer_voor(
            self.opties.formaat,
            bron,
            blad=self.opties.blad,
            codering=self.opties.codering,
            herken_kop=is_koprij(self.opties.mapping),
        )
        for rij in lezer.rijen():
            if self.vertaler is None and lezer.formaat != "ndjson":
                self.vertaler = self._vertaler(getattr(lezer, "koppen", None) or [])
            self.verwerk(rij)
            if self.voortgang is not None and self.verslag.gelezen % VOORTGANG_STAP == 0:
                self.voortgang(self.verslag.gelezen)
        self.bulk.spoel()
        if self.voortgang is not None:
            self.voortgang(self.verslag.gelezen)
        if self.vertaler is None and lezer.formaat != "ndjson":
            self._vertaler(getattr(lezer, "koppen", None) or [])
        if self.verslag.gelezen == 0:
            raise LeesFout("Het bestand bevat geen gegevensrijen onder de kopregel.")
        if self.vertaler is not None:
            self.verslag.benaderd = dict(self.vertaler.benaderd)

    def _vertaler(self, koppen: list[str]) -> Vertaler:
        indeling = deel_kolommen_in(koppen, self.opties.mapping)
        self.verslag.kolommen = list(indeling.kolommen.items())
        if indeling.fouten:
            for fout in indeling.fouten:
                self.verslag.fout(None, None, "", fout)
            raise LeesFout("De kolommen van het bestand kloppen niet; er is niets ingelezen.")
        return Vertaler(
            self.session,
            caller=self.caller,
            indeling=indeling,
            mapping=self.opties.mapping,
            nieuwe_sleutelpersonen=self.opties.nieuwe_sleutelpersonen,
            nieuwe_ketenpartners=self.opties.nieuwe_ketenpartners,
        )

    # -- one row --

    def _afwijzen(self, rij: int, fouten: list[Fout]) -> None:
        self.verslag.afgewezen += 1
        for kolom, waarde, reden in fouten:
            self.verslag.fout(rij, kolom, waarde, reden)

    def _kolom(self, vertaling: Vertaling, json_rij: dict[str, Any] | None, naam: str, reden: str) -> Fout:
        """An invalidParams entry as (column, value, reason) of the file."""
        if json_rij is not None:
            waarde = _waarde_op_pad(json_rij, naam)
            tekst = "" if naam.startswith(GEHEIM) or waarde is None else als_tekst(waarde)
            return naam, tekst, reden
        kolom, tekst = vertaling.kolom_voor(naam)
        if kolom is None:
            return None, "", f"{naam}: {reden}" if naam else reden
        return kolom, tekst, reden

    def verwerk(self, rij: Rij) -> None:
        self.verslag.gelezen += 1
        if rij.fout is not None:
            self._afwijzen(rij.nummer, [(None, "", rij.fout)])
            return
        json_rij = rij.cellen if self.vertaler is None else None
        if self.vertaler is None:
            vertaling = Vertaling(data=rij.cellen, aanwezig=set(rij.cellen))
        else:
            vertaling = self.vertaler.vertaal(rij)
        fouten: list[Fout] = list(vertaling.fouten)
        invoer: ContactmomentCreate | None = None
        try:
            invoer = ContactmomentCreate.model_validate(vertaling.data)
        except ValidationError as exc:
            for param in validation_params(exc.errors()):
                if not any(_verwant(param["name"], pad) for pad in vertaling.foutpaden):
                    fouten.append(self._kolom(vertaling, json_rij, param["name"], param["reason"]))
        if fouten or invoer is None:
            self._afwijzen(rij.nummer, fouten)
            return
        if not (vertaling.nieuwe_sleutelpersoon or vertaling.nieuwe_ketenpartners):
            self.bulk.voeg_toe(rij.nummer, invoer, (vertaling, json_rij))
            return
        # A row that creates a key person or partner: after the rows before it, in its own savepoint.
        self.bulk.spoel()
        nieuw: list[tuple[str, str, uuid.UUID, str | None]] = []
        try:
            if self.opties.per_rij:
                with self.session.begin_nested():
                    invoer = self._maak_nieuwe(vertaling, invoer, nieuw)
                    uitkomst = self._schrijf(invoer, vertaling.aanwezig)
            else:
                # Atomic: one invalid row rolls back the whole run, so a row needs no savepoint of its own.
                invoer = self._maak_nieuwe(vertaling, invoer, nieuw)
                uitkomst = self._schrijf(invoer, vertaling.aanwezig)
        except DomeinFout as exc:
            self._vergeet(nieuw)
            params = exc.invalid_params or [{"name": "", "reason": exc.detail}]
            self._afwijzen(rij.nummer, [self._kolom(vertaling, json_rij, p["name"], p["reason"]) for p in params])
            return
        for soort, naam, _, categorie in nieuw:
            if soort == "sleutelpersoon":
                self.verslag.nieuwe_sleutelpersonen.append(naam)
            else:
                self.verslag.nieuwe_ketenpartners.append((naam, categorie or ""))
        setattr(self.verslag, uitkomst, getattr(self.verslag, uitkomst) + 1)

    def _afgehandeld(self, wachtend: Wachtend, uitkomst: str, problemen: list[dict[str, str]]) -> None:
        """What the batch writer decided for one row: count it, reject it, or correct the record."""
        vertaling, json_rij = wachtend.context
        if uitkomst in ("aangemaakt", "ongewijzigd"):
            setattr(self.verslag, uitkomst, getattr(self.verslag, uitkomst) + 1)
        elif uitkomst == "afgewezen":
            self._afwijzen(
                wachtend.nummer, [self._kolom(vertaling, json_rij, p["name"], p["reason"]) for p in problemen]
            )
        elif uitkomst == "verwijderd":
            self._afwijzen(wachtend.nummer, [self._kolom(vertaling, json_rij, "externId", _verwijderd(wachtend.invoer))])
        else:
            self._schrijf_wachtend(wachtend)

    def _schrijf_wachtend(self, wachtend: Wachtend) -> None:
        """One row the slow way, through `create` and `update` (in its own savepoint per row)."""
        vertaling, json_rij = wachtend.context
        try:
            if self.opties.per_rij:
                with self.session.begin_nested():
                    uitkomst = self._schrijf(wachtend.invoer, vertaling.aanwezig, afgeleid=wachtend.afgeleid)
            else:
                uitkomst = self._schrijf(wachtend.invoer, vertaling.aanwezig, afgeleid=wachtend.afgeleid)
        except DomeinFout as exc:
            params = exc.invalid_params or [{"name": "", "reason": exc.detail}]
            self._afwijzen(wachtend.nummer, [self._kolom(vertaling, json_rij, p["name"], p["reason"]) for p in params])
            return
        setattr(self.verslag, uitkomst, getattr(self.verslag, uitkomst) + 1)

    def _maak_nieuwe(
        self, vertaling: Vertaling, invoer: ContactmomentCreate, nieuw: list[tuple[str, str, uuid.UUID, str | None]]
    ) -> ContactmomentCreate:
        """Create the key person and ketenpartners the row names (when allowed), through their services."""
        if vertaling.nieuwe_sleutelpersoon and self.vertaler is not None:
            naam = vertaling.nieuwe_sleutelpersoon
            bestaand = self.vertaler.sleutelpersonen.zoek(naam)
            if bestaand:
                persoon_id = bestaand[0]
            else:
                persoon_id = sleutelpersonen.create(self.session, caller=self.caller, data={"weergavenaam": naam}).id
                self.vertaler.sleutelpersonen.voeg_toe(naam, persoon_id)
                nieuw.append(("sleutelpersoon", naam, persoon_id, None))
            invoer = invoer.model_copy(update={"sleutelpersoon_id": persoon_id})
        if vertaling.nieuwe_ketenpartners and self.vertaler is not None:
            verwijzingen = list(invoer.doorverwijzingen)
            for index, naam in vertaling.nieuwe_ketenpartners.items():
                bestaand = self.vertaler.ketenpartners.zoek(naam)
                if bestaand:
                    partner_id = bestaand[0]
                else:
                    categorie = self.vertaler.categorie_voor(naam)
                    partner_id = ketenpartners.create(
                        self.session, caller=self.caller, data={"naam": naam, "categorie": categorie}
                    ).id
                    self.vertaler.ketenpartners.voeg_toe(naam, partner_id)
                    nieuw.append(("ketenpartner", naam, partner_id, categorie))
                verwijzingen[index] = verwijzingen[index].model_copy(update={"ketenpartner_id": partner_id})
            invoer = invoer.model_copy(update={"doorverwijzingen": verwijzingen})
        return invoer

    def _vergeet(self, nieuw: list[tuple[str, str, uuid.UUID, str | None]]) -> None:
        """A rejected row's savepoint took its new records with it; so must the name indexes."""
        if self.vertaler is None:
            return
        for soort, naam, record_id, _ in nieuw:
            index = self.vertaler.sleutelpersonen if soort == "sleutelpersoon" else self.vertaler.ketenpartners
            index.verwijder(naam, record_id)

    def _schrijf(self, invoer: ContactmomentCreate, aanwezig: set[str], *, afgeleid: bool | None = None) -> str:
        """Upsert one valid row; returns which count it adds to. `afgeleid`: its externId was derived already."""
        assert self.caller.organisatie_id is not None
        inwoner_hash = inhoud.referentie_hash(organisatie_id=self.caller.organisatie_id, referentie=invoer.inwoner_referentie)
        if afgeleid is None:
            afgeleid = invoer.extern_id is None
        if invoer.extern_id is None:
            sleutel = afgeleide_sleutel(invoer, inwoner_hash=inwoner_hash)
            # Two identical rows in one file are two contacts (two calls on one day): the n-th gets `-n`.
            n = self.bulk.volgnummer(sleutel)
            invoer = invoer.model_copy(update={"extern_id": sleutel if n == 1 else f"{sleutel}-{n}"})
        assert invoer.extern_id is not None
        try:
            _, aangemaakt = contactmomenten.create(self.session, caller=self.caller, data=invoer)
            return "aangemaakt" if aangemaakt else "ongewijzigd"
        except Conflict:
            # The externId is taken by a record with other content (or a deleted one); handled below.
            pass
        bestaand = contactmomenten.zoek_extern_id(self.session, caller=self.caller, extern_id=invoer.extern_id)
        assert bestaand is not None
        if bestaand.verwijderd_op is not None:
            raise OngeldigeInvoer.veld("externId", _verwijderd(invoer))
        if afgeleid:
            # The key is the content, so this row is unchanged; the record itself changed since (an
            # erasure dropped its resident link, a referral moved on), which an import must not undo.
            return "ongewijzigd"
        return self._werk_bij(bestaand, invoer, aanwezig, inwoner_hash=inwoner_hash)

    def _werk_bij(
        self, record: Contactmoment, invoer: ContactmomentCreate, aanwezig: set[str], *, inwoner_hash: str | None
    ) -> str:
        """Correct an existing contactmoment (same externId) with the fields the file provides."""
        kinderen = contactmomenten.laad_kinderen(self.session, ids=[record.id])[record.id]
        if "doorverwijzingen" in aanwezig:
            oud = sorted(str(d.ketenpartner_id) for d in kinderen.doorverwijzingen)
            nieuw = sorted(str(d.ketenpartner_id) for d in invoer.doorverwijzingen)
            if oud != nieuw:
                raise OngeldigeInvoer.veld(
                    "doorverwijzingen",
                    "Het contactmoment bestaat al met andere doorverwijzingen; een import wijzigt geen "
                    "doorverwijzingen (gebruik /v1/doorverwijzingen).",
                )
        changes: dict[str, Any] = {}
        for naam in inhoud.EIGEN_VELDEN:
            alias = ContactmomentCreate.model_fields[naam].alias or naam
            if alias in aanwezig or naam in aanwezig:
                changes[naam] = getattr(invoer, naam)
        if "inwoner" in aanwezig and invoer.inwoner is not None:
            changes["inwoner"] = invoer.inwoner.model_dump(exclude_unset=True)
        for naam in ("onderwerpen", "acties"):
            if naam in aanwezig:
                changes[naam] = getattr(invoer, naam)
        # Never link a resident to a record that has none: it may have been erased on request (AVG).
        if "inwonerReferentie" in aanwezig and (record.inwoner_hash is not None or inwoner_hash is None):
            changes["inwoner_referentie"] = invoer.inwoner_referentie
        voor = record.gewijzigd_op
        contactmomenten.update(self.session, caller=self.caller, record=record, changes=changes)
        gewijzigd = record.gewijzigd_op != voor
        if "uitkomst" in aanwezig and invoer.uitkomst is not None and (
            kinderen.uitkomst is None or kinderen.uitkomst.resultaat != invoer.uitkomst.resultaat
        ):
            uitkomsten.registreer(
                self.session,
                caller=self.caller,
                data=UitkomstCreate(contactmoment_id=record.id, resultaat=invoer.uitkomst.resultaat),
            )
            contactmomenten.herbereken_inhoud_hash(self.session, records=[record])
            gewijzigd = True
        return "bijgewerkt" if gewijzigd else "ongewijzigd"


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
    run_state = _Run(session, caller=caller, opties=opties, verslag=verslag, voortgang=voortgang)
    buiten = session.begin_nested()
    try:
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
        verslag.nieuwe_sleutelpersonen.clear()
        verslag.nieuwe_ketenpartners.clear()
        if verslag.melding is None:
            verslag.melding = (
                f"Er is niets opgeslagen: {verslag.afgewezen} van de {verslag.gelezen} rijen zijn afgekeurd "
                "en de import is atomair (alles of niets). Verbeter het bestand, of importeer per rij."
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
        bestandsnaam=opties.bestandsnaam[:255] if opties.bestandsnaam else None,
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


def open_session() -> Session:
    return Session(get_engine(), expire_on_commit=False)


# The seam for tests: background jobs open their session through this factory.
session_factory: Callable[[], Session] = open_session


def voer_job_uit(*, run_id: uuid.UUID, caller: Caller, pad: Path, opties: Opties) -> None:
    """A background job: its own session and commit; the stored upload is removed afterwards."""
    session = session_factory()
    try:
        run = session.get(ImportRun, run_id)
        if run is None:
            return
        run.status = BEZIG
        run.gestart_op = utcnow()
        session.add(run)
        session.commit()
        VOORTGANG[run_id] = 0
        try:
            importeer(
                session, caller=caller, bron=pad, opties=opties, run=run,
                voortgang=lambda n: VOORTGANG.__setitem__(run_id, n),
            )
            session.commit()
            checkpoint(session)
        except Exception:
            logger.exception("Import %s failed", run_id)
            session.rollback()
            run = session.get(ImportRun, run_id)
            if run is not None:
                run.status = MISLUKT
                run.voltooid_op = utcnow()
                run.rapport = {**(run.rapport or {}), "melding": "Er ging onverwacht iets mis; er is niets opgeslagen."}
                session.add(run)
                session.commit()
    finally:
        VOORTGANG.pop(run_id, None)
        session.close()
        pad.unlink(missing_ok=True)


def get(session: Session, *, caller: Caller, import_id: uuid.UUID) -> ImportRun:
    """The caller's import run, or 404."""
    return scoping.haal_eigen(session, ImportRun, import_id, caller, naam=NAAM)


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
