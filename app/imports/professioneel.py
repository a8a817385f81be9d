"""Professional contacts in an import (issue 25, part 5): a sheet named for them, or rows marked by a kind column.

Where they come from (docs/import-professionele-contacten.md):

- an XLSX sheet called `Professionele contacten` (or `Professioneel contact`, `Professionals`) beside the
  sheet of contactmomenten: every row of it is a professional contact;
- in CSV, XLSX or NDJSON, a column (NDJSON: key) `registratie` with `contactmoment` (also when empty) or
  `professioneel-contact` per row. Not `soort` or `type`: both kinds have a `soort` of their own
  (individueel/groep, adviesvraag/...), and one column `Soort` serves both in a mixed file.

A professional row goes through the same schema (`ProfessioneelContactCreate`) and the same service
(`professionele_contacten.service.create`/`update`) as `POST /v1/professionele-contacten`, so the API's
rules, idempotency and audit apply unchanged; upsert by `externId`, or by a key derived from the content.
"""

import hashlib
import json
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from sqlmodel import select

from app.codelijsten import service as codelijsten
from app.core.errors import Conflict, DomeinFout, OngeldigeInvoer, validation_params
from app.imports.mapping import (
    Kolomindeling,
    Veld,
    Vertaler,
    Vertaling,
    deel_kolommen_in,
    is_koprij,
)
from app.imports.readers import KopHerkenner, Rij
from app.imports.verslag import Fout
from app.imports.waarden import normaliseer
from app.models import ProfessioneelContact
from app.professionele_contacten import service as professionele_contacten
from app.professionele_contacten.schemas import (
    ProfessioneelContactCreate,
    ProfessioneelContactUpdate,
)

if TYPE_CHECKING:
    from app.imports.verwerking import Run

CONTACTMOMENT = "contactmoment"
PROFESSIONEEL = "professioneel-contact"
REGISTRATIE = "registratie"
REGISTRATIE_KOPPEN = ("registratie", "soort registratie", "type registratie", "registratietype")
_REGISTRATIES = {
    **{normaliseer(w): CONTACTMOMENT for w in ("contactmoment", "contactmomenten", "contact", "inwoner")},
    **{normaliseer(w): PROFESSIONEEL for w in ("professioneel-contact", "professioneel contact", "professionele contacten",
                                               "professioneel", "professionals")},
}
BLADNAMEN = {normaliseer(n) for n in ("Professionele contacten", "Professioneel contact", "Professionals")}

VELDEN: tuple[Veld, ...] = (
    Veld("externId", "tekst", "externId", ("extern id", "externid", "externe id", "extern nummer")),
    Veld("datum", "datum", "datum", ("datum", "datum contact", "contactdatum"), verplicht=True),
    Veld("sleutelpersoon", "sleutelpersoon", "sleutelpersoonId",
         ("sleutelpersoon", "naam sleutelpersoon", "sleutelpersoon naam", "naam"), verplicht=True),
    Veld("soort", "code", "soort", ("soort", "soort contact", "soort professioneel contact", "vorm"),
         codelijsten.PROFESSIONEEL_CONTACT_SOORT, verplicht=True),
    Veld("aangevraagdDoor", "aanvrager", "aangevraagdDoor",
         ("aangevraagd door", "gevraagd door", "aanvrager", "op verzoek van", "wie vroeg"), verplicht=True),
    Veld("aanvragerGemeente", "gemeente", "aangevraagdDoor.gemeentecode",
         ("gemeente aanvrager", "gemeentecode aanvrager", "aanvrager gemeente")),
    Veld("gemeentecode", "gemeente", "gemeentecode", ("gemeente", "gemeentecode", "gemeente code")),
    Veld("aantalProfessionals", "getal", "aantalProfessionals",
         ("aantal professionals", "professionals", "aantal bereikt", "aantal"), verplicht=True),
    Veld("onderwerpen", "codes", "onderwerpen", ("onderwerp", "onderwerpen"), codelijsten.ONDERWERP),
    Veld("duurMinuten", "minuten", "duurMinuten", ("duur min", "duur", "minuten", "duur in minuten", "duur minuten")),
    Veld("status", "tekst", "status", ("status", "status advies", "adviesstatus")),
)


def registratie_van(waarde: Any) -> str | None:
    """The kind of a row from its kind cell: empty is a contactmoment; None for a value that is neither."""
    if waarde is None or not str(waarde).strip():
        return CONTACTMOMENT
    return _REGISTRATIES.get(normaliseer(waarde))


def is_registratiekolom(kop: str) -> bool:
    return normaliseer(kop) in {normaliseer(k) for k in REGISTRATIE_KOPPEN}


def is_bladnaam(naam: str) -> bool:
    """A sheet whose every row is a professional contact."""
    return normaliseer(naam) in BLADNAMEN


def herken_kop() -> KopHerkenner:
    return is_koprij(None, VELDEN)


ONBEKENDE_REGISTRATIE = (
    "Onbekende registratie `{waarde}`; schrijf `contactmoment` (of laat de cel leeg) of `professioneel-contact`."
)


ONBEKENDE_SLEUTELPERSOON = (
    "Onbekende sleutelpersoon `{naam}`; een professioneel contact hoort bij een sleutelpersoon die al bestaat. Registreer "
    "de sleutelpersoon eerst, of schrijf de naam zoals in Sleutelmonitor."
)


class Professioneel:
    """The professional rows of one import run (the run's session, options, report and error handling)."""

    def __init__(self, run: "Run") -> None:
        self.run = run
        self.vertaler: Vertaler | None = None
        self.indeling: Kolomindeling | None = None
        self.voorvoegsel = ""
        self.volgnummers: dict[str, int] = {}

    # -- tabular rows --

    def kolommen(self, koppen: list[str], *, blad: str | None = None) -> list[str]:
        """Map the columns of a sheet (or of a mixed file); returns the column problems (missing columns)."""
        self.voorvoegsel = f"{blad}: " if blad else ""
        self.indeling = deel_kolommen_in([k for k in koppen if not is_registratiekolom(k)], self.run.opties.mapping, VELDEN)
        self.vertaler = Vertaler(self.run.session, caller=self.run.caller, indeling=self.indeling, mapping=self.run.opties.mapping,
                                 velden=VELDEN)
        if blad:
            self.run.verslag.kolommen += [(self.voorvoegsel + k, v) for k, v in self.indeling.kolommen.items()]
        return [f"Professionele contacten: {f}" for f in self.indeling.fouten]

    def tabelrij(self, rij: Rij) -> None:
        assert self.vertaler is not None and self.indeling is not None
        if self.indeling.fouten:
            self._afwijzen(rij.nummer, [(None, "", f"Professionele contacten: {f}") for f in self.indeling.fouten])
            return
        vertaling = self.vertaler.vertaal(rij)
        # A gemeente or GGD asked: for the gemeente it asked for, the row's own gemeente unless a column names another.
        aanvrager = vertaling.data.get("aangevraagdDoor")
        if isinstance(aanvrager, dict) and aanvrager.get("soort") in ("gemeente", "ggd") and not aanvrager.get("gemeentecode"):
            if vertaling.data.get("gemeentecode"):
                aanvrager["gemeentecode"] = vertaling.data["gemeentecode"]
        elif isinstance(aanvrager, dict) and aanvrager.get("soort") == "ketenpartner":
            aanvrager.pop("gemeentecode", None)
        # An unknown key person: the contactmoment's reason offers to create them, which a professional row never does.
        vertaling.fouten = [(k, w, ONBEKENDE_SLEUTELPERSOON.format(naam=w) if r.startswith("Onbekende sleutelpersoon") else r)
                            for k, w, r in vertaling.fouten]
        if vertaling.nieuwe_sleutelpersoon:
            vertaling.fout("sleutelpersoonId", *vertaling.bronnen.get("sleutelpersoonId", (None, "")),
                           "Een professioneel contact maakt geen sleutelpersoon aan; registreer de sleutelpersoon eerst.")
        self._verwerk(rij.nummer, vertaling, None)

    # -- NDJSON rows --

    def jsonrij(self, rij: Rij) -> None:
        cellen = {k: v for k, v in rij.cellen.items() if k != REGISTRATIE}
        self._verwerk(rij.nummer, Vertaling(data=cellen, aanwezig=set(cellen)), cellen)

    # -- both --

    def _afwijzen(self, nummer: int, fouten: list[Fout], vertaling: Vertaling | None = None,
                  json_rij: dict[str, Any] | None = None) -> None:
        self.run.verslag.professioneel.afgewezen += 1
        fouten = [(self.voorvoegsel + k if k else k, w, r) for k, w, r in fouten]
        self.run._afwijzen(nummer, fouten, vertaling, json_rij)

    def _verwerk(self, nummer: int, vertaling: Vertaling, json_rij: dict[str, Any] | None) -> None:
        self.run.verslag.professioneel.gelezen += 1
        fouten: list[Fout] = list(vertaling.fouten)
        invoer: ProfessioneelContactCreate | None = None
        try:
            invoer = ProfessioneelContactCreate.model_validate(vertaling.data)
        except ValidationError as exc:
            for param in validation_params(exc.errors()):
                if param["name"] not in vertaling.foutpaden and param["name"].split(".")[0] not in vertaling.foutpaden:
                    fouten.append(self.run._kolom(vertaling, json_rij, param["name"], param["reason"]))
        if fouten or invoer is None:
            self._afwijzen(nummer, fouten, vertaling, json_rij)
            return
        try:
            if self.run.opties.per_rij:
                with self.run.session.begin_nested():
                    uitkomst = self._schrijf(invoer, vertaling.aanwezig)
            else:
                uitkomst = self._schrijf(invoer, vertaling.aanwezig)
        except DomeinFout as exc:
            params = exc.invalid_params or [{"name": "", "reason": exc.detail}]
            self._afwijzen(nummer, [self.run._kolom(vertaling, json_rij, p["name"], p["reason"]) for p in params], vertaling, json_rij)
            return
        verslag = self.run.verslag
        setattr(verslag, uitkomst, getattr(verslag, uitkomst) + 1)
        setattr(verslag.professioneel, uitkomst, getattr(verslag.professioneel, uitkomst) + 1)

    def _sleutel(self, invoer: ProfessioneelContactCreate) -> str:
        """The externId of a row without one: from its content, so importing the file again finds the row.
        Two identical rows in one file are two contacts: the n-th gets `-n`."""
        inhoud = invoer.model_dump(by_alias=False, mode="json", exclude={"extern_id"})
        inhoud["onderwerpen"] = sorted(inhoud.get("onderwerpen") or [])
        sleutel = "import-" + hashlib.sha256(json.dumps(inhoud, sort_keys=True).encode()).hexdigest()[:40]
        n = self.volgnummers[sleutel] = self.volgnummers.get(sleutel, 0) + 1
        return sleutel if n == 1 else f"{sleutel}-{n}"

    def _schrijf(self, invoer: ProfessioneelContactCreate, aanwezig: set[str]) -> str:
        """Upsert one valid row through the API's service; returns which count it adds to."""
        run = self.run
        afgeleid = invoer.extern_id is None
        if afgeleid:
            invoer = invoer.model_copy(update={"extern_id": self._sleutel(invoer)})
        try:
            _, aangemaakt = professionele_contacten.create(run.session, caller=run.caller, data=invoer)
            return "aangemaakt" if aangemaakt else "ongewijzigd"
        except Conflict:
            pass  # the externId holds other content (or a deleted record): below
        bestaand = run.session.exec(select(ProfessioneelContact).where(
            ProfessioneelContact.organisatie_id == run.caller.organisatie_id, ProfessioneelContact.extern_id == invoer.extern_id,
        )).first()
        if bestaand is None:
            raise OngeldigeInvoer.veld("externId", f"Het externId `{invoer.extern_id}` is al in gebruik.")
        if bestaand.verwijderd_op is not None:
            raise OngeldigeInvoer.veld(
                "externId", f"Het professionele contact met externId `{invoer.extern_id}` is verwijderd; een import zet het niet terug.")
        if afgeleid:
            return "ongewijzigd"  # the key is the content: the record changed since (a status), which a file must not undo
        # A correction: the fields the file fills in (an empty cell leaves the stored value alone).
        velden = {naam for naam, info in ProfessioneelContactCreate.model_fields.items()
                  if (info.alias or naam) in aanwezig and naam in ProfessioneelContactUpdate.model_fields}
        wijziging = ProfessioneelContactUpdate.model_validate(
            {k: v for k, v in invoer.model_dump(by_alias=False, include=velden).items() if v is not None})
        voor = bestaand.gewijzigd_op
        professionele_contacten.update(run.session, caller=run.caller, contact=bestaand, data=wijziging)
        return "bijgewerkt" if bestaand.gewijzigd_op != voor else "ongewijzigd"

