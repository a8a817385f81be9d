"""One import's rows streaming through: map, validate, and hand each to the bulk writer or the slow path.

A row that creates a key person or partner, or corrects an existing record, goes through the
contactmomenten service (`create` / `update`), in its own savepoint when per-row; every other row is
queued for the bulk writer (app/imports/bulk.py), which writes through `contactmomenten.schrijver`.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session

from app.contactmomenten import inhoud
from app.contactmomenten import service as contactmomenten
from app.contactmomenten.schemas import ContactmomentCreate
from app.core.config import get_settings
from app.core.errors import Conflict, DomeinFout, OngeldigeInvoer, validation_params
from app.imports import professioneel as prof
from app.imports.bulk import (
    Bulkschrijver,
    Volgnummers,
    Voorwerk,
    Wachtend,
    sleutel_van_inhoud,
    voorwerk,
)
from app.imports.mapping import Vertaler, Vertaling, deel_kolommen_in, is_koprij
from app.imports.readers import Bron, LeesFout, Rij, XlsxLezer, als_tekst, lezer_voor
from app.imports.verslag import Fout, Opties, Verslag
from app.ketenpartners import service as ketenpartners
from app.models import Contactmoment
from app.sleutelpersonen import service as sleutelpersonen
from app.toegang.caller import Caller
from app.uitkomsten import service as uitkomsten
from app.uitkomsten.schemas import UitkomstCreate

# Never stored or echoed in a report: the reference of a resident (only its keyed hash is kept).
GEHEIM = "inwonerReferentie"
# Report progress once per this many rows (a progress bar redrawn per row costs more than the row).
VOORTGANG_STAP = 500
# A per-row run that commits as it goes (`Opties.tussentijds_vastleggen`) commits once per this many rows.
VASTLEG_STAP = 2000


class Foutenbudget(LeesFout):
    """An atomic run found more errors than its report keeps: it stops, as it would save nothing anyway."""


def afgeleide_sleutel(data: ContactmomentCreate) -> str:
    """The externId of a row without one: SHA-256 of its canonical content, so not of its position.

    The content is the one `create` fingerprints (codes, ids, dates) without the resident, so that
    nothing of the resident outlives an erasure (see `bulk.sleutel_van_inhoud`). The same row always
    gets the same key, so importing a file again finds every row. A corrected row is new content and so
    a new contactmoment: a file that will be corrected and re-imported needs an `Extern id` column.
    """
    gegevens = inhoud.inhoud_van_invoer(data.model_copy(update={"extern_id": None}), inwoner_hash=None)
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


def _context(wachtend: Wachtend) -> tuple[Vertaling, dict[str, Any] | None]:
    """The mapping and JSON object of a queued row; an NDJSON row's mapping is its JSON object as it is."""
    vertaling, json_rij = wachtend.context
    if vertaling is None:
        vertaling = Vertaling(data=json_rij, aanwezig=set(json_rij))
    return vertaling, json_rij


@dataclass(slots=True)
class Voorbereid:
    """One row after the half of its processing that needs no database (`Voorbereider.voorbereid`).

    Exactly one of `rij` (a professional contact, handled by the main process), `fouten` (rejected),
    `klaar` (valid, for the bulk writer) or `invoer` (valid, creates a key person or partner) is set.
    A valid NDJSON row carries its JSON object only: its `Vertaling` is rebuilt from it when needed.
    """

    nummer: int
    rij: Rij | None = None
    fouten: list[Fout] | None = None
    vertaling: Vertaling | None = None
    json_rij: dict[str, Any] | None = None
    klaar: Voorwerk | None = None
    invoer: ContactmomentCreate | None = None


class Voorbereider:
    """Read a row, map it, check it against the schema and fingerprint it: everything without the database.

    The main process runs this for every row (`Run`), or a worker process does while the main process
    writes (app/imports/pijplijn.py); the code and so the result are the same.
    """

    def __init__(self, *, organisatie_id: uuid.UUID) -> None:
        self.organisatie_id = organisatie_id
        self.vertaler: Vertaler | None = None
        self.registratiekolom: str | None = None
        # In a file with a kind column, a missing contactmoment column rejects the contactmoment rows only.
        self.kolomfouten: list[str] = []
        self.volgnummers = Volgnummers()

    def _registratie(self, rij: Rij) -> str | None:
        """The kind of record a row holds: a contactmoment unless its kind column (NDJSON: key) says otherwise."""
        if self.vertaler is None:
            return prof.registratie_van(rij.cellen.get(prof.REGISTRATIE)) if prof.REGISTRATIE in rij.cellen else prof.CONTACTMOMENT
        if self.registratiekolom is None:
            return prof.CONTACTMOMENT
        return prof.registratie_van(rij.cellen.get(self.registratiekolom))

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

    def voorbereid(self, rij: Rij) -> Voorbereid:
        """Map and check one row without the database; see `Voorbereid` for the outcomes."""
        if rij.fout is not None:
            return Voorbereid(rij.nummer, fouten=[(None, "", rij.fout)])
        registratie = self._registratie(rij)
        if registratie == prof.PROFESSIONEEL:
            return Voorbereid(rij.nummer, rij=rij)
        if registratie is None:
            kolom = self.registratiekolom or prof.REGISTRATIE
            waarde = als_tekst(rij.cellen.get(kolom))
            return Voorbereid(rij.nummer, fouten=[(kolom, waarde, prof.ONBEKENDE_REGISTRATIE.format(waarde=waarde))])
        if self.kolomfouten:
            return Voorbereid(rij.nummer, fouten=[(None, "", fout) for fout in self.kolomfouten])
        if self.vertaler is None and prof.REGISTRATIE in rij.cellen:
            rij = Rij(rij.nummer, {k: v for k, v in rij.cellen.items() if k != prof.REGISTRATIE})
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
            return Voorbereid(rij.nummer, fouten=fouten, vertaling=vertaling, json_rij=json_rij)
        if vertaling.nieuwe_sleutelpersoon or vertaling.nieuwe_ketenpartners:
            return Voorbereid(rij.nummer, vertaling=vertaling, json_rij=json_rij, invoer=invoer)
        klaar = voorwerk(invoer, organisatie_id=self.organisatie_id, volgnummers=self.volgnummers)
        # An NDJSON row's mapping is its JSON object (see `_context`): one thing less to send between processes.
        return Voorbereid(rij.nummer, vertaling=None if json_rij is not None else vertaling, json_rij=json_rij, klaar=klaar)


class Run(Voorbereider):
    """The state of one import while its rows stream through."""

    def __init__(
        self,
        session: Session,
        *,
        caller: Caller,
        opties: Opties,
        verslag: Verslag,
        voortgang: Callable[[int], None] | None,
        vastleggen: Callable[[], None] | None = None,
    ) -> None:
        assert caller.organisatie_id is not None
        super().__init__(organisatie_id=caller.organisatie_id)
        self.session = session
        self.vastleggen = vastleggen
        self.caller = caller
        self.opties = opties
        self.verslag = verslag
        self.voortgang = voortgang
        self.bulk = Bulkschrijver(
            session, caller=caller, afhandelen=self._afgehandeld, per_rij_schrijven=self._schrijf_wachtend
        )
        # Derived keys are numbered in file order by whichever path a row takes.
        self.bulk.volgnummers = self.volgnummers
        # Professional contacts (app/imports/professioneel.py): a sheet of them, or rows marked by a kind column.
        self.professioneel = prof.Professioneel(self)

    def _bladen(self, bron: Bron) -> tuple[str | None, bool, str | None]:
        """XLSX: (the sheet to read first, whether it is a sheet of professional contacts, a second such sheet)."""
        if self.opties.formaat != "xlsx":
            return self.opties.blad, False, None
        namen = XlsxLezer(bron).bladnamen()
        gevraagd = self.opties.blad
        hoofd = next((n for n in namen if n.strip().casefold() == gevraagd.strip().casefold()), None) if gevraagd else (
            namen[0] if namen else None)
        if hoofd is not None and prof.is_bladnaam(hoofd):
            return hoofd, True, None
        if gevraagd is not None and hoofd is None:
            return gevraagd, False, None  # the reader names the sheets there are
        return gevraagd, False, next((n for n in namen if prof.is_bladnaam(n)), None)

    def _na_rij(self) -> None:
        if self.voortgang is not None and self.verslag.gelezen % VOORTGANG_STAP == 0:
            self.voortgang(self.verslag.gelezen)
        if self.vastleggen is not None and self.verslag.gelezen % VASTLEG_STAP == 0:
            self.bulk.flush()  # the rows queued for the batch writer too
            self.vastleggen()

    def lees(self, bron: Bron) -> None:
        blad, alles_professioneel, tweede_blad = self._bladen(bron)
        if not self._met_werkproces(bron):
            self._lees_hier(bron, blad, alles_professioneel, tweede_blad)
        if self.voortgang is not None:
            self.voortgang(self.verslag.gelezen)
        if self.verslag.gelezen == 0:
            raise LeesFout("Het bestand bevat geen gegevensrijen onder de kopregel.")
        if self.vertaler is not None:
            self.verslag.benaderd = dict(self.vertaler.benaderd)
            self.verslag.onbekend = {veld: dict(namen) for veld, namen in self.vertaler.onbekend.items()}

    def _werkproces_past(self, bron: Bron) -> bool:
        """Whether this run reads its rows in a worker process (see app/imports/pijplijn.py)."""
        instellingen = get_settings()
        grens = instellingen.import_werkproces_vanaf_mb
        mapping = self.opties.mapping
        return (
            instellingen.import_werkproces
            and self.opties.formaat in ("csv", "ndjson")
            and not (self.opties.nieuwe_sleutelpersonen or self.opties.nieuwe_ketenpartners)
            # A name created during the run changes how later rows map: such a run stays in one process.
            and not (mapping is not None and any(mapping.aanmaken.values()))
            and (len(bron) if isinstance(bron, bytes) else bron.stat().st_size) >= grens * 1_048_576
        )

    def _met_werkproces(self, bron: Bron) -> bool:
        """Read, map and check the rows in a worker process while this one writes; False when the run does not fit."""
        if not self._werkproces_past(bron):
            return False
        from app.imports import pijplijn  # the worker's module; only a run of some size needs it

        codering = self.opties.codering
        if self.opties.formaat != "ndjson":
            # The header decides the mapping, which the worker gets with every look-up it needs: read it here.
            lezer = lezer_voor("csv", bron, codering=codering, herken_kop=is_koprij(self.opties.mapping))
            rijen = lezer.rijen()
            try:
                eerste = next(rijen, None)
            finally:
                rijen.close()
            if eerste is None:
                return False  # nothing under the header: the run in this process says so
            codering = lezer.codering
            self.vertaler = self._vertaler(lezer.koppen or [])
            for veld in self.vertaler.velden:
                if veld.lijst is not None:
                    self.vertaler.index(veld.lijst)
        werkproces = pijplijn.Werkproces(pijplijn.Opdracht(
            bron=bron, formaat=self.opties.formaat, codering=codering, mapping=self.opties.mapping,
            organisatie_id=self.organisatie_id, vertaler=self.vertaler, registratiekolom=self.registratiekolom,
            kolomfouten=self.kolomfouten,
        ))
        try:
            for voorbereid in werkproces.rijen():
                self.verder(voorbereid)
                self._na_rij()
            self.bulk.flush()
        finally:
            werkproces.sluit()
        einde = werkproces.einde
        assert einde is not None
        self.verslag.werkproces_rss_kb = einde.piek_rss_kb
        self.verslag.werkproces_cpu_seconden = einde.cpu_seconden
        if self.vertaler is not None:
            self.vertaler.benaderd, self.vertaler.onbekend = einde.benaderd, einde.onbekend
            self.vertaler.overzicht = einde.overzicht
        return True

    def _lees_hier(self, bron: Bron, blad: str | None, alles_professioneel: bool, tweede_blad: str | None) -> None:
        """Every row in this process: read, map, check, write."""
        lezer = lezer_voor(
            self.opties.formaat,
            bron,
            blad=blad,
            codering=self.opties.codering,
            herken_kop=prof.herken_kop() if alles_professioneel else is_koprij(self.opties.mapping),
        )
        for rij in lezer.rijen():
            if alles_professioneel:
                self._professioneel_blad(rij, getattr(lezer, "koppen", None) or [], blad=None)
            else:
                if self.vertaler is None and lezer.formaat != "ndjson":
                    self.vertaler = self._vertaler(getattr(lezer, "koppen", None) or [])
                self.verwerk(rij)
            self._na_rij()
        self.bulk.flush()
        if self.vertaler is None and lezer.formaat != "ndjson" and not alles_professioneel:
            self._vertaler(getattr(lezer, "koppen", None) or [])
        if tweede_blad is not None:
            self.professioneel.vertaler = None
            tweede = lezer_voor("xlsx", bron, blad=tweede_blad, herken_kop=prof.herken_kop())
            for rij in tweede.rijen():
                self._professioneel_blad(rij, tweede.koppen or [], blad=tweede_blad)
                self._na_rij()

    def _professioneel_blad(self, rij: Rij, koppen: list[str], *, blad: str | None) -> None:
        """A row of a sheet of professional contacts (the first or a second sheet of an XLSX)."""
        if self.professioneel.vertaler is None:
            fouten = self.professioneel.kolommen(koppen, blad=blad)
            if blad is None:
                self.verslag.kolommen = list(self.professioneel.indeling.kolommen.items())  # type: ignore[union-attr]
            if fouten:
                for fout in fouten:
                    self.verslag.fout(None, None, "", fout)
                raise LeesFout("De kolommen van het werkblad met professionele contacten kloppen niet; er is niets ingelezen.")
        self.verslag.gelezen += 1
        if rij.fout is not None:
            self.professioneel._afwijzen(rij.nummer, [(None, "", rij.fout)])
        else:
            self.professioneel.tabelrij(rij)

    def _vertaler(self, koppen: list[str]) -> Vertaler:
        self.registratiekolom = next((k for k in koppen if prof.is_registratiekolom(k)), None)
        indeling = deel_kolommen_in(koppen, self.opties.mapping)
        if self.registratiekolom is not None:
            indeling.kolommen[self.registratiekolom] = prof.REGISTRATIE
            self.professioneel.kolommen(koppen)
            self.kolomfouten, indeling.fouten = indeling.fouten, []
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

    def _afwijzen(self, rij: int, fouten: list[Fout], vertaling: Vertaling | None = None,
                  json_rij: dict[str, Any] | None = None) -> None:
        self.verslag.afgewezen += 1
        for kolom, waarde, reden in fouten:
            self.verslag.fout(rij, kolom, waarde, reden)
        # The row's date and key person as written in the file, so a coordinator finds the row in the log.
        if json_rij is not None:
            self.verslag.kenmerk(rij, str(json_rij.get("datum") or ""), str(json_rij.get("sleutelpersoonId") or ""))
        elif vertaling is not None:
            datum = vertaling.bronnen.get("datum", ("", ""))[1]
            persoon = vertaling.bronnen.get("sleutelpersoonId", ("", ""))[1]
            self.verslag.kenmerk(rij, datum, persoon)
        if self.verslag.fouten_weggelaten and not (self.opties.per_rij or self.opties.proefdraai):
            raise Foutenbudget(
                f"Gestopt bij rij {rij}: er zijn meer dan {self.verslag.max_fouten} fouten gevonden, en een atomaire "
                f"import slaat dan niets op. Er is niets opgeslagen. De eerste {self.verslag.max_fouten} fouten staan "
                "in het rapport; verbeter die en importeer opnieuw, of doe een proefdraai om alle aantallen te zien."
            )

    def verwerk(self, rij: Rij) -> None:
        self.verder(self.voorbereid(rij))

    def verder(self, v: Voorbereid) -> None:
        """The half of a row's processing that needs the database: check, queue or write, and report."""
        self.verslag.gelezen += 1
        if v.rij is not None:
            if self.vertaler is None:
                self.professioneel.jsonrij(v.rij)
            else:
                self.professioneel.tabelrij(v.rij)
            return
        if v.fouten is not None:
            self._afwijzen(v.nummer, v.fouten, v.vertaling, v.json_rij)
            return
        vertaling, json_rij = v.vertaling, v.json_rij
        if v.klaar is not None:
            self.bulk.voeg_klaar(v.nummer, v.klaar, (vertaling, json_rij))
            return
        assert vertaling is not None
        invoer = v.invoer
        assert invoer is not None
        # A row that creates a key person or partner: after the rows before it, in its own savepoint.
        self.bulk.flush()
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
            self._afwijzen(v.nummer, [self._kolom(vertaling, json_rij, p["name"], p["reason"]) for p in params],
                           vertaling, json_rij)
            return
        for soort, naam, _, categorie in nieuw:
            if soort == "sleutelpersoon":
                self.verslag.nieuwe_sleutelpersonen.append(naam)
            else:
                self.verslag.nieuwe_ketenpartners.append((naam, categorie or ""))
        setattr(self.verslag, uitkomst, getattr(self.verslag, uitkomst) + 1)

    def _afgehandeld(self, wachtend: Wachtend, uitkomst: str, problemen: list[dict[str, str]]) -> None:
        """What the batch writer decided for one row: count it, reject it, or correct the record."""
        vertaling, json_rij = _context(wachtend)
        if uitkomst in ("aangemaakt", "ongewijzigd"):
            setattr(self.verslag, uitkomst, getattr(self.verslag, uitkomst) + 1)
        elif uitkomst == "afgewezen":
            self._afwijzen(
                wachtend.nummer, [self._kolom(vertaling, json_rij, p["name"], p["reason"]) for p in problemen],
                vertaling, json_rij,
            )
        elif uitkomst == "verwijderd":
            self._afwijzen(wachtend.nummer, [self._kolom(vertaling, json_rij, "externId", _verwijderd(wachtend.invoer))],
                           vertaling, json_rij)
        else:
            self._schrijf_wachtend(wachtend)

    def _schrijf_wachtend(self, wachtend: Wachtend) -> None:
        """One row the slow way, through `create` and `update` (in its own savepoint per row)."""
        vertaling, json_rij = _context(wachtend)
        try:
            if self.opties.per_rij:
                with self.session.begin_nested():
                    uitkomst = self._schrijf(wachtend.invoer, vertaling.aanwezig, afgeleid=wachtend.afgeleid)
            else:
                uitkomst = self._schrijf(wachtend.invoer, vertaling.aanwezig, afgeleid=wachtend.afgeleid)
        except DomeinFout as exc:
            params = exc.invalid_params or [{"name": "", "reason": exc.detail}]
            self._afwijzen(wachtend.nummer, [self._kolom(vertaling, json_rij, p["name"], p["reason"]) for p in params],
                           vertaling, json_rij)
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
                # Someone in an old log: recorded as historic (not active), where the log placed them.
                gegevens: dict[str, Any] = {"weergavenaam": naam, "actief": False}
                if invoer.gemeentecode:
                    gegevens["gemeentecode"] = invoer.gemeentecode
                persoon_id = sleutelpersonen.create(self.session, caller=self.caller, data=gegevens).id
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
            sleutel = afgeleide_sleutel(invoer)
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
            uitkomsten.create(
                self.session,
                caller=self.caller,
                data=UitkomstCreate(contactmoment_id=record.id, resultaat=invoer.uitkomst.resultaat),
            )
            contactmomenten.herbereken_inhoud_hash(self.session, records=[record])
            gewijzigd = True
        return "bijgewerkt" if gewijzigd else "ongewijzigd"
