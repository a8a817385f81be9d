"""Column and value mapping: Dutch spreadsheet headers and free-text values to API fields and codes.

Headers are recognised case- and accent-insensitively from a list of common Dutch names; an
organisation's YAML mapping file can name other headers, ignore columns, add value synonyms and set
defaults. Values of code-list fields match, in this order: a synonym from the mapping file, the code,
the last part of a hierarchical code when unique (`toeslagen` -> `geld.toeslagen`), the label, a
synonym from the code table, and finally (reported as approximate) the one code whose words cover at
least half of the value's words (`Meegegaan naar afspraak` -> `begeleid-naar-afspraak`). Key persons
and ketenpartners are matched by name within the organisation, never approximately.
"""

import functools
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError
from sqlmodel import Session, select

from app.codelijsten import service as codelijsten
from app.imports.readers import KopHerkenner, LeesFout, Rij, als_tekst
from app.imports.waarden import (
    CodeIndex,
    NaamIndex,
    TALEN,
    Treffer,
    leeftijdscategorie_van,
    lees_datum,
    lees_geheel_getal,
    lees_gemeentecode,
    lees_minuten,
    lees_wijkcode,
    normaliseer,
)
from app.models import Ketenpartner, Project, Sleutelpersoon
from app.toegang import scoping
from app.toegang.caller import Caller

# Multi-valued cells ("Schulden, Toeslagen") are split on these.
SCHEIDERS_MET_TEKEN = re.compile(r"([,;/+])")
# Referrals need a way (warm/informatief); a spreadsheet rarely says, and "told where to go" claims least.
STANDAARD_WIJZE = "informatief"
STANDAARD_CATEGORIE = "overig"
MAX_WAARDEN_IN_OVERZICHT = 100


# --- Fields and headers ---------------------------------------------------------------------


@dataclass(frozen=True)
class Veld:
    naam: str  # the name in mapping files and reports
    soort: str  # how a cell is read; see Vertaler._cel
    pad: str  # where the value goes in the ContactmomentCreate body
    koppen: tuple[str, ...]
    lijst: str | None = None
    verplicht: bool = False

    @property
    def meervoudig(self) -> bool:
        return self.soort in ("codes", "ketenpartners")

    @functools.cached_property
    def sleutel(self) -> str:
        """The top-level body key this field fills (`inwoner` for `inwoner.geslacht`)."""
        return re.split(r"[.\[]", self.pad)[0]


VELDEN: tuple[Veld, ...] = (
    Veld("externId", "tekst", "externId", ("extern id", "externid", "externe id", "extern nummer")),
    Veld("datum", "datum", "datum", ("datum", "datum contact", "contactdatum", "datum contactmoment"), verplicht=True),
    Veld("sleutelpersoon", "sleutelpersoon", "sleutelpersoonId",
         ("sleutelpersoon", "naam sleutelpersoon", "sleutelpersoon naam", "naam"), verplicht=True),
    Veld("gemeentecode", "gemeente", "gemeentecode", ("gemeente", "gemeentecode", "gemeente code"), verplicht=True),
    Veld("wijkcode", "wijk", "wijkcode", ("wijk", "wijkcode", "wijk code")),
    Veld("kanaal", "code", "kanaal", ("kanaal", "contactvorm", "contactwijze"), codelijsten.KANAAL, verplicht=True),
    Veld("soort", "code", "soort", ("soort", "individueel groep", "individueel of groep", "soort contact"),
         codelijsten.SOORT_CONTACT),
    Veld("aantalDeelnemers", "getal", "aantalDeelnemers", ("aantal deelnemers", "deelnemers")),
    Veld("inwonerReferentie", "referentie", "inwonerReferentie",
         ("clientnummer", "client id", "clientid", "client nummer", "clientnr", "client nr",
          "inwonerreferentie", "inwoner referentie")),
    Veld("leeftijdscategorie", "leeftijd", "inwoner.leeftijdscategorie",
         ("leeftijd", "leeftijdscategorie", "leeftijdsgroep"), codelijsten.LEEFTIJDSCATEGORIE),
    Veld("geslacht", "code", "inwoner.geslacht", ("geslacht",), codelijsten.GESLACHT),
    Veld("taal", "taal", "inwoner.taal", ("taal", "gesprekstaal", "voertaal", "moedertaal")),
    Veld("doelgroep", "code", "inwoner.doelgroep", ("doelgroep",), codelijsten.DOELGROEP),
    Veld("rol", "code", "rol", ("rol", "rol sleutelpersoon"), codelijsten.ROL),
    Veld("onderwerpen", "codes", "onderwerpen", ("onderwerp", "onderwerpen", "hulpvraag", "hulpvragen"),
         codelijsten.ONDERWERP, verplicht=True),
    Veld("acties", "codes", "acties", ("actie", "acties", "ondernomen actie"), codelijsten.ACTIE),
    Veld("doorverwijzingen", "ketenpartners", "doorverwijzingen",
         ("doorverwezen naar", "verwezen naar", "doorverwijzing", "ketenpartner", "ketenpartners")),
    Veld("wijze", "code", "doorverwijzingen[].wijze", ("wijze", "wijze doorverwijzing", "wijze van doorverwijzen"),
         codelijsten.DOORVERWIJZING_WIJZE),
    Veld("resultaat", "code", "uitkomst.resultaat", ("resultaat", "uitkomst"), codelijsten.RESULTAAT),
    Veld("duurMinuten", "minuten", "duurMinuten",
         ("duur min", "duur", "minuten", "duur in minuten", "duur minuten", "tijd min")),
    # Optional (issue 26): the project the contact is charged to, by its name (or id) in the organisation.
    Veld("project", "project", "projectId", ("project", "projectnaam", "project naam", "financieringsstroom")),
)
VELD: dict[str, Veld] = {v.naam: v for v in VELDEN}
NEGEREN = "negeren"


@functools.cache
def _kop_naar_veld(velden: tuple[Veld, ...]) -> dict[str, str]:
    """Normalised header -> field name, for one set of fields (contactmomenten, or professional contacts)."""
    return {normaliseer(k): v.naam for v in velden for k in v.koppen}


def onbekende_waarde(waarde: str, *, veld: str, lijst: str, dichtstbij: list[str]) -> str:
    """The reason for an unknown code-list value: the nearest allowed values and where to map it."""
    suggestie = f" Bedoelt u {' of '.join(dichtstbij)}?" if dichtstbij else ""
    return (
        f"Onbekende waarde `{waarde}`.{suggestie} Alle waarden: GET /v1/codelijsten/{lijst}. Een eigen schrijfwijze "
        f"legt u vast in het mappingbestand onder `waarden: {veld}:` (`--mapping` op de opdrachtregel)."
    )


# --- The mapping file -------------------------------------------------------------------------


class Mappingbestand(BaseModel):
    """An organisation's YAML mapping file (all sections optional)."""

    model_config = ConfigDict(extra="forbid")

    # header in the file -> field name, or `negeren` (or null) to leave a column out
    kolommen: dict[str, str | None] = {}
    # field name -> {value in the file: code (or name, for sleutelpersoon and doorverwijzingen)}
    waarden: dict[str, dict[str, str]] = {}
    # field name -> value used when the column is missing or the cell is empty
    standaard: dict[str, str | int] = {}
    # name of a ketenpartner the import creates -> its category (otherwise guessed from the name)
    ketenpartners: dict[str, str] = {}
    # `sleutelpersoon` or `doorverwijzingen` -> unknown names the import creates (without the general option)
    aanmaken: dict[str, list[str]] = {}


AANMAAKBAAR = ("sleutelpersoon", "doorverwijzingen")


def samenvoegen(basis: Mappingbestand | None, extra: Mappingbestand | None) -> Mappingbestand | None:
    """Two mappings as one: `extra` (given with the import) wins from `basis` (the stored one) per entry."""
    if basis is None or extra is None:
        return extra or basis
    waarden = {veld: dict(paren) for veld, paren in basis.waarden.items()}
    for veld, paren in extra.waarden.items():
        waarden.setdefault(veld, {}).update(paren)
    aanmaken = {veld: list(namen) for veld, namen in basis.aanmaken.items()}
    for veld, namen in extra.aanmaken.items():
        aanmaken[veld] = list(dict.fromkeys([*aanmaken.get(veld, []), *namen]))
    return Mappingbestand(
        kolommen={**basis.kolommen, **extra.kolommen},
        waarden=waarden,
        standaard={**basis.standaard, **extra.standaard},
        ketenpartners={**basis.ketenpartners, **extra.ketenpartners},
        aanmaken=aanmaken,
    )


def laad_yaml(tekst: str) -> Any:
    """The sections of a mapping written as YAML (or JSON, which YAML reads too); LeesFout when unreadable."""
    try:
        return yaml.safe_load(tekst) or {}
    except yaml.YAMLError as exc:
        raise LeesFout(f"Het mappingbestand is geen geldige YAML: {exc}") from exc


def laad_mappingbestand(tekst: str) -> Mappingbestand:
    """Parse and check a YAML mapping file; LeesFout with every problem in Dutch."""
    inhoud = laad_yaml(tekst)
    if not isinstance(inhoud, dict):
        raise LeesFout("Het mappingbestand moet secties bevatten: kolommen, waarden, standaard, ketenpartners, aanmaken.")
    return controleer_mapping(inhoud)


def controleer_mapping(inhoud: dict[str, Any]) -> Mappingbestand:
    """A mapping from its sections (parsed YAML or JSON); LeesFout with every problem in Dutch."""
    try:
        mapping = Mappingbestand.model_validate(inhoud)
    except ValidationError as exc:
        delen = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        raise LeesFout("Het mappingbestand is ongeldig: " + "; ".join(delen)) from exc
    problemen: list[str] = []
    for kop, naam in mapping.kolommen.items():
        if naam is not None and naam != NEGEREN and naam not in VELD:
            problemen.append(f"kolommen: `{kop}` verwijst naar onbekend veld `{naam}`")
    for sectie, namen in (("waarden", mapping.waarden), ("standaard", mapping.standaard)):
        problemen += [f"{sectie}: onbekend veld `{n}`" for n in namen if n not in VELD]
    problemen += [
        f"aanmaken: `{n}` kan niet; alleen {' en '.join(AANMAAKBAAR)}" for n in mapping.aanmaken if n not in AANMAAKBAAR
    ]
    if problemen:
        bekend = ", ".join(VELD)
        raise LeesFout("Het mappingbestand is ongeldig: " + "; ".join(problemen) + f". Bekende velden: {bekend}.")
    return mapping


def veld_voor_kop(kop: str, mapping: Mappingbestand | None = None, velden: tuple[Veld, ...] = VELDEN) -> str | None:
    """The field a header maps to, `negeren` for a column left out on purpose, or None when unknown."""
    bekend = {v.naam: v for v in velden}
    if mapping is not None:
        for eigen, naam in mapping.kolommen.items():
            if normaliseer(eigen) == normaliseer(kop):
                if naam is None or naam == NEGEREN:
                    return NEGEREN
                if naam in bekend:
                    return naam
    kop_naar_veld = _kop_naar_veld(velden)
    genormaliseerd = normaliseer(kop)
    if genormaliseerd in kop_naar_veld:
        return kop_naar_veld[genormaliseerd]
    # Several columns for one list: "Onderwerp 1", "Onderwerp 2".
    zonder_nummer = re.sub(r"\s*\d+$", "", genormaliseerd)
    naam = kop_naar_veld.get(zonder_nummer)
    if naam is not None and bekend[naam].meervoudig:
        return naam
    return None


def is_koprij(mapping: Mappingbestand | None, velden: tuple[Veld, ...] = VELDEN) -> KopHerkenner:
    """A header recogniser for the readers: a row naming at least two known columns is the header."""

    def herken(cellen: list[str]) -> bool:
        return sum(1 for c in cellen if veld_voor_kop(c, mapping, velden) not in (None, NEGEREN)) >= 2

    return herken


@dataclass
class Kolomindeling:
    """Which column feeds which field; file-level problems (missing or doubled columns) in `fouten`."""

    kolommen: dict[str, str | None]  # column -> field name (None: ignored)
    velden: dict[str, list[str]]  # field name -> its columns
    fouten: list[str] = field(default_factory=list)


def deel_kolommen_in(koppen: Iterable[str], mapping: Mappingbestand | None = None,
                     velden: tuple[Veld, ...] = VELDEN) -> Kolomindeling:
    """Assign every column to a field; name what is missing or ambiguous."""
    standaard = mapping.standaard if mapping else {}
    bekend = {v.naam: v for v in velden}
    indeling = Kolomindeling(kolommen={}, velden={})
    for kop in koppen:
        naam = veld_voor_kop(kop, mapping, velden)
        indeling.kolommen[kop] = None if naam in (None, NEGEREN) else naam
        if naam not in (None, NEGEREN):
            indeling.velden.setdefault(naam, []).append(kop)
    for naam, kolommen in indeling.velden.items():
        if len(kolommen) > 1 and not bekend[naam].meervoudig:
            lijst = " en ".join(f"`{k}`" for k in kolommen)
            indeling.fouten.append(
                f"De kolommen {lijst} zijn allebei `{naam}`; zet in het mappingbestand de kolom die niet "
                f"telt op `{NEGEREN}`."
            )
    for veld in velden:
        if veld.verplicht and veld.naam not in indeling.velden and veld.naam not in standaard:
            voorbeelden = " of ".join(f"`{k.capitalize()}`" for k in veld.koppen[:2])
            indeling.fouten.append(
                f"Er is geen kolom voor `{veld.naam}` (bijvoorbeeld {voorbeelden}); voeg die toe, of noem de "
                "kolom in het mappingbestand (kolommen) of geef een standaardwaarde (standaard)."
            )
    return indeling


# --- Rows ----------------------------------------------------------------------------------------


@dataclass
class Vertaling:
    """One row, mapped: the body for ContactmomentCreate and where each part came from."""

    data: dict[str, Any] = field(default_factory=dict)
    # body path (`onderwerpen[1]`, `inwoner.geslacht`) -> (column, cell text)
    bronnen: dict[str, tuple[str, str]] = field(default_factory=dict)
    # (column, cell text, reason)
    fouten: list[tuple[str | None, str, str]] = field(default_factory=list)
    # body paths whose problem is already in `fouten`, so the schema does not report it again
    foutpaden: set[str] = field(default_factory=set)
    # top-level body keys the file provides (a correction leaves the others alone)
    aanwezig: set[str] = field(default_factory=set)
    # names the import will create when allowed: the key person, and ketenpartners by referral index
    nieuwe_sleutelpersoon: str | None = None
    nieuwe_ketenpartners: dict[int, str] = field(default_factory=dict)

    def fout(self, pad: str, kolom: str | None, tekst: str, reden: str) -> None:
        self.fouten.append((kolom, tekst, reden))
        self.foutpaden.add(pad)

    def kolom_voor(self, naam: str) -> tuple[str | None, str]:
        """The column and cell behind an invalidParams name, trying ever shorter paths."""
        pad = naam
        while pad not in self.bronnen:
            korter = re.sub(r"(\.[^.\[\]]+|\[\d+\])$", "", pad)
            if korter in (pad, ""):
                return None, ""
            pad = korter
        return self.bronnen[pad]


def _zet(data: dict[str, Any], pad: str, waarde: Any) -> None:
    kop, _, rest = pad.partition(".")
    if rest:
        data.setdefault(kop, {})[rest] = waarde
    else:
        data[kop] = waarde


def _leeg(waarde: Any) -> bool:
    return waarde is None or (isinstance(waarde, str) and not waarde.strip())


class Vertaler:
    """Maps the rows of one tabular file for one organisation; read-only (creation is the service's)."""

    def __init__(
        self,
        session: Session,
        *,
        caller: Caller,
        indeling: Kolomindeling,
        mapping: Mappingbestand | None = None,
        nieuwe_sleutelpersonen: bool = False,
        nieuwe_ketenpartners: bool = False,
        velden: tuple[Veld, ...] = VELDEN,
    ) -> None:
        self.session = session
        self.velden = velden
        self.indeling = indeling
        self.mapping = mapping or Mappingbestand()
        self.nieuwe_sleutelpersonen = nieuwe_sleutelpersonen
        self.nieuwe_ketenpartners = nieuwe_ketenpartners
        self.synoniemen = {
            naam: {normaliseer(k): v for k, v in waarden.items()} for naam, waarden in self.mapping.waarden.items()
        }
        self.partnercategorieen = {normaliseer(k): v for k, v in self.mapping.ketenpartners.items()}
        # Names the organisation chose to create (the dashboard's "aanmaken"), per field.
        self.aanmaken = {veld: {normaliseer(n) for n in namen} for veld, namen in self.mapping.aanmaken.items()}
        # Unknown names met, with how many rows name them: the dashboard offers a choice for each.
        self.onbekend: dict[str, dict[str, int]] = {"sleutelpersoon": {}, "doorverwijzingen": {}}
        self._spellingen: dict[str, dict[str, str]] = {}
        self.sleutelpersonen = NaamIndex(
            session.exec(scoping.eigen(select(Sleutelpersoon.id, Sleutelpersoon.weergavenaam), Sleutelpersoon, caller)).all()  # type: ignore[arg-type]
        )
        self.ketenpartners = NaamIndex(
            session.exec(scoping.eigen(select(Ketenpartner.id, Ketenpartner.naam), Ketenpartner, caller)).all()  # type: ignore[arg-type]
        )
        self.projecten = NaamIndex(
            session.exec(scoping.eigen(select(Project.id, Project.naam), Project, caller)).all()  # type: ignore[arg-type]
        )
        self.project_ids = {i for ids in self.projecten.namen.values() for i in ids}
        self._indexen: dict[str, CodeIndex] = {}
        # (column, value, code) of values matched by words only: the report lists them for a check.
        self.benaderd: dict[tuple[str, str], str] = {}
        # column -> {cell text: how it was mapped}, for `--toon-mapping`
        self.overzicht: dict[str, dict[str, str]] = {}

    def __getstate__(self) -> dict[str, Any]:
        # To an import's worker process (app/imports/pijplijn.py), with its look-ups and without the session.
        return {**self.__dict__, "session": None}

    def index(self, lijst: str) -> CodeIndex:
        if lijst not in self._indexen:
            self._indexen[lijst] = CodeIndex(codelijsten.lookup(self.session, lijst=lijst).values(), lijst=lijst)
        return self._indexen[lijst]

    def _noteer(self, kolom: str, tekst: str, uitkomst: str) -> None:
        waarden = self.overzicht.setdefault(kolom, {})
        if tekst in waarden or len(waarden) < MAX_WAARDEN_IN_OVERZICHT:
            waarden[tekst] = uitkomst

    def _herschrijf(self, veld: str, tekst: str) -> tuple[str, bool]:
        """Apply the mapping file's value synonyms for a field."""
        eigen = self.synoniemen.get(veld, {}).get(normaliseer(tekst))
        return (eigen, True) if eigen is not None else (tekst, False)

    def code(self, veld: Veld, kolom: str, tekst: str, *, benaderen: bool = True) -> Treffer | str:
        """One code-list value; notes approximate matches for the report."""
        assert veld.lijst is not None
        herschreven, eigen = self._herschrijf(veld.naam, tekst)
        index = self.index(veld.lijst)
        treffer = index.zoek(herschreven, benaderen=benaderen)
        if isinstance(treffer, str) and treffer.startswith("Onbekende waarde"):
            treffer = onbekende_waarde(tekst, veld=veld.naam, lijst=veld.lijst, dichtstbij=index.dichtstbij(herschreven))
        if isinstance(treffer, Treffer):
            if eigen:
                treffer = Treffer(treffer.code, "mappingbestand")
            if treffer.wijze == "benaderd":
                self.benaderd[(kolom, tekst)] = treffer.code
            self._noteer(kolom, tekst, f"{treffer.code} ({treffer.wijze})")
        else:
            self._noteer(kolom, tekst, f"FOUT: {treffer}")
        return treffer

    def _onbekend(self, veld: str, naam: str) -> None:
        """Count a row with an unknown name; spellings that normalise alike count as the first one seen."""
        namen = self.onbekend[veld]
        spellingen = self._spellingen.setdefault(veld, {})
        naam = spellingen.setdefault(normaliseer(naam), naam)
        if naam in namen or len(namen) < MAX_WAARDEN_IN_OVERZICHT:
            namen[naam] = namen.get(naam, 0) + 1

    def categorie_voor(self, naam: str) -> str:
        """The category for a ketenpartner the import creates: from the mapping file, else guessed from its name."""
        lijst = self.index(codelijsten.KETENPARTNER_CATEGORIE)
        eigen = self.partnercategorieen.get(normaliseer(naam))
        if eigen is not None:
            treffer = lijst.zoek(eigen, benaderen=False)
            return treffer.code if isinstance(treffer, Treffer) else STANDAARD_CATEGORIE
        treffer = lijst.zoek(naam, minstens_een_woord=True)
        return treffer.code if isinstance(treffer, Treffer) else STANDAARD_CATEGORIE

    # -- one row --

    def vertaal(self, rij: Rij) -> Vertaling:
        v = Vertaling()
        wijze: tuple[str, str, str] | None = None  # (code, column, text) for every referral of the row
        for veld in self.velden:
            kolommen = self.indeling.velden.get(veld.naam, [])
            cellen = [(k, rij.cellen.get(k)) for k in kolommen]
            gevuld = [(k, w) for k, w in cellen if not _leeg(w)]
            if not gevuld and veld.naam in self.mapping.standaard:
                gevuld = [(f"standaard {veld.naam}", self.mapping.standaard[veld.naam])]
            if kolommen or gevuld:
                v.aanwezig.add(veld.sleutel)
            if not gevuld:
                if kolommen:
                    v.bronnen[veld.pad] = (kolommen[0], "")
                continue
            if veld.naam == "wijze":
                kolom, waarde = gevuld[0]
                tekst = als_tekst(waarde)
                treffer = self.code(veld, kolom, tekst)
                if isinstance(treffer, Treffer):
                    wijze = (treffer.code, kolom, tekst)
                else:
                    v.fout("doorverwijzingen", kolom, tekst, treffer)
                continue
            self._cel(v, veld, gevuld)

        # An individual contact has exactly one participant, so more than one means a group session.
        if "soort" not in v.data and isinstance(v.data.get("aantalDeelnemers"), int) and v.data["aantalDeelnemers"] >= 2:
            v.data["soort"] = "groep"
        for i, verwijzing in enumerate(v.data.get("doorverwijzingen", [])):
            verwijzing["wijze"] = wijze[0] if wijze else STANDAARD_WIJZE
            if wijze:
                v.bronnen[f"doorverwijzingen[{i}].wijze"] = (wijze[1], wijze[2])
        return v

    def _cel(self, v: Vertaling, veld: Veld, gevuld: list[tuple[str, Any]]) -> None:
        kolom, waarde = gevuld[0]
        tekst = als_tekst(waarde)
        if veld.soort not in ("codes", "ketenpartners"):
            v.bronnen[veld.pad] = (kolom, "" if veld.soort == "referentie" else tekst)
        try:
            if veld.soort == "datum":
                _zet(v.data, veld.pad, lees_datum(waarde))
            elif veld.soort in ("tekst", "referentie"):
                _zet(v.data, veld.pad, tekst)
            elif veld.soort == "getal":
                _zet(v.data, veld.pad, lees_geheel_getal(waarde))
            elif veld.soort == "minuten":
                _zet(v.data, veld.pad, lees_minuten(waarde))
            elif veld.soort == "gemeente":
                _zet(v.data, veld.pad, lees_gemeentecode(waarde))
            elif veld.soort == "wijk":
                _zet(v.data, veld.pad, lees_wijkcode(waarde))
            elif veld.soort == "taal":
                _zet(v.data, veld.pad, self._taal(kolom, tekst))
            elif veld.soort == "leeftijd" and re.fullmatch(r"\d{1,3}", tekst):
                categorie = leeftijdscategorie_van(int(tekst))
                self._noteer(kolom, tekst, f"{categorie} (leeftijd)")
                _zet(v.data, veld.pad, categorie)
            elif veld.soort in ("code", "leeftijd"):
                treffer = self.code(veld, kolom, tekst)
                if isinstance(treffer, str):
                    raise ValueError(treffer)
                _zet(v.data, veld.pad, treffer.code)
            elif veld.soort == "codes":
                self._codes(v, veld, gevuld)
            elif veld.soort == "sleutelpersoon":
                self._sleutelpersoon(v, veld, kolom, tekst)
            elif veld.soort == "ketenpartners":
                self._ketenpartners(v, veld, gevuld)
            elif veld.soort == "project":
                _zet(v.data, veld.pad, self._project(veld, kolom, tekst))
            elif veld.soort == "aanvrager":
                v.data.setdefault(veld.pad, {}).update(self._aanvrager(kolom, tekst))
        except ValueError as exc:
            v.fout(veld.pad, kolom, "" if veld.soort == "referentie" else tekst, str(exc))

    def _aanvrager(self, kolom: str, tekst: str) -> dict[str, Any]:
        """Who asked for a professional contact: `gemeente`/`GGD` (with any words after it), else a ketenpartner by name."""
        naam, _ = self._herschrijf("aangevraagdDoor", tekst)
        eerste = normaliseer(naam).split(" ")[0]
        if eerste in ("gemeente", "ggd"):
            self._noteer(kolom, tekst, eerste)
            return {"soort": eerste}
        ids = self.ketenpartners.zoek(naam)
        if len(ids) == 1:
            self._noteer(kolom, tekst, "bestaande ketenpartner")
            return {"soort": "ketenpartner", "ketenpartnerId": ids[0]}
        self._noteer(kolom, tekst, "FOUT: onbekende aanvrager")
        if ids:
            raise ValueError(f"Er zijn {len(ids)} ketenpartners met de naam `{naam}`; maak de namen uniek.")
        raise ValueError(
            f"Onbekende aanvrager `{naam}`; schrijf `Gemeente` of `GGD`, of de naam van een ketenpartner op de sociale kaart "
            "(POST /v1/ketenpartners)."
        )

    def _taal(self, kolom: str, tekst: str) -> str:
        herschreven, _ = self._herschrijf("taal", tekst)
        sleutel = normaliseer(herschreven)
        if sleutel in TALEN:
            self._noteer(kolom, tekst, TALEN[sleutel])
            return TALEN[sleutel]
        if re.fullmatch(r"[a-z]{2,3}", sleutel):
            self._noteer(kolom, tekst, f"{sleutel} (taalcode)")
            return sleutel  # the schema checks the code itself
        self._noteer(kolom, tekst, "FOUT: onbekende taal")
        raise ValueError(f"Onbekende taal `{tekst}`; gebruik een ISO 639-code (bijv. ar) of een Nederlandse taalnaam.")

    @staticmethod
    def _delen(tekst: str, bekend: Callable[[str], bool]) -> list[str]:
        """A multi-valued cell in parts: split on separators, but keep the longest runs that are known as a whole.

        So `Huisartsen Noord/Zuid + UWV` gives `Huisartsen Noord/Zuid` and `UWV` when the first is a
        known name, and a label with a slash stays one value.
        """
        stukken = SCHEIDERS_MET_TEKEN.split(tekst)  # part, separator, part, ...
        delen = stukken[0::2]
        uitkomst: list[str] = []
        begin = 0
        while begin < len(delen):
            eind = begin + 1
            for kandidaat in range(len(delen), begin + 1, -1):
                if bekend("".join(stukken[2 * begin: 2 * kandidaat - 1]).strip()):
                    eind = kandidaat
                    break
            deel = "".join(stukken[2 * begin: 2 * eind - 1]).strip()
            if deel:
                uitkomst.append(deel)
            begin = eind
        return uitkomst

    def _codes(self, v: Vertaling, veld: Veld, gevuld: list[tuple[str, Any]]) -> None:
        codes: list[str] = []
        for kolom, waarde in gevuld:
            tekst = als_tekst(waarde)
            v.bronnen.setdefault(veld.pad, (kolom, tekst))
            lijst = self.index(veld.lijst)  # type: ignore[arg-type]
            bekend = lambda deel: isinstance(  # noqa: E731
                lijst.zoek(self._herschrijf(veld.naam, deel)[0], benaderen=False), Treffer
            )
            for deel in self._delen(tekst, bekend):
                treffer = self.code(veld, kolom, deel)
                if isinstance(treffer, str):
                    v.fout(veld.pad, kolom, deel, treffer)
                elif treffer.code not in codes:  # "Taal, taalles" is one topic, not a duplicate
                    v.bronnen[f"{veld.pad}[{len(codes)}]"] = (kolom, deel)
                    codes.append(treffer.code)
        v.data[veld.pad] = codes

    def _project(self, veld: Veld, kolom: str, tekst: str) -> uuid.UUID:
        """A project of the organisation, by name (as in the mapping file's `waarden: project:`) or by id.

        The organisation's projects are read once per import (`self.projecten`), so every distinct
        value is looked up in memory, not per row in the database."""
        naam, _ = self._herschrijf(veld.naam, tekst)
        try:
            project_id = uuid.UUID(naam.strip())
        except ValueError:
            ids = self.projecten.zoek(naam)
        else:
            ids = [project_id] if project_id in self.project_ids else []
        if len(ids) == 1:
            self._noteer(kolom, tekst, "bestaand project")
            return ids[0]
        if len(ids) > 1:
            self._noteer(kolom, tekst, "FOUT: meerdere projecten met deze naam")
            raise ValueError(f"Er zijn {len(ids)} projecten met de naam `{naam}`; maak de namen uniek of gebruik het id.")
        self._noteer(kolom, tekst, "FOUT: onbekend project")
        raise ValueError(f"Onbekend project `{naam}`; maak het eerst aan (POST /v1/projecten of de pagina Projecten), of leg "
                         "een andere schrijfwijze vast in het mappingbestand (`waarden: project:`).")

    def _sleutelpersoon(self, v: Vertaling, veld: Veld, kolom: str, tekst: str) -> None:
        naam, _ = self._herschrijf(veld.naam, tekst)
        ids = self.sleutelpersonen.zoek(naam)
        if len(ids) == 1:
            self._noteer(kolom, tekst, "bestaande sleutelpersoon")
            v.data["sleutelpersoonId"] = ids[0]
        elif len(ids) > 1:
            self._noteer(kolom, tekst, "FOUT: meerdere sleutelpersonen met deze naam")
            raise ValueError(
                f"Er zijn {len(ids)} sleutelpersonen met de naam `{naam}`; maak de namen uniek of gebruik het mappingbestand."
            )
        elif self.nieuwe_sleutelpersonen or normaliseer(naam) in self.aanmaken.get("sleutelpersoon", ()):
            self._noteer(kolom, tekst, "nieuwe sleutelpersoon (wordt aangemaakt)")
            v.nieuwe_sleutelpersoon = naam.strip()
            v.data["sleutelpersoonId"] = uuid.uuid4()  # placeholder until the service creates the person
        else:
            self._noteer(kolom, tekst, "FOUT: onbekende sleutelpersoon")
            self._onbekend("sleutelpersoon", naam.strip())
            raise ValueError(
                f"Onbekende sleutelpersoon `{naam}`; registreer de sleutelpersoon eerst (POST /v1/sleutelpersonen), "
                "laat de import hem aanmaken (`--nieuwe-sleutelpersonen-aanmaken` op de opdrachtregel, "
                "`nieuweSleutelpersonenAanmaken=true` in de API), of sla de overige rijen toch op met `--per-rij` "
                "(`perRij=true`). Een andere schrijfwijze van een bestaande naam legt u vast in het mappingbestand "
                "(`waarden: sleutelpersoon:`)."
            )

    def _ketenpartners(self, v: Vertaling, veld: Veld, gevuld: list[tuple[str, Any]]) -> None:
        verwijzingen: list[dict[str, Any]] = []
        gezien: set[str] = set()
        for kolom, waarde in gevuld:
            tekst = als_tekst(waarde)
            v.bronnen.setdefault(veld.pad, (kolom, tekst))
            bekend = lambda deel: bool(self.ketenpartners.zoek(self._herschrijf(veld.naam, deel)[0]))  # noqa: E731
            for deel in self._delen(tekst, bekend):
                naam, _ = self._herschrijf(veld.naam, deel)
                if normaliseer(naam) in gezien:
                    continue
                gezien.add(normaliseer(naam))
                ids = self.ketenpartners.zoek(naam)
                if len(ids) > 1:
                    self._noteer(kolom, deel, "FOUT: meerdere ketenpartners met deze naam")
                    v.fout(veld.pad, kolom, deel, f"Er zijn {len(ids)} ketenpartners met de naam `{naam}`; maak de namen uniek.")
                    continue
                if ids:
                    partner_id = ids[0]
                    self._noteer(kolom, deel, "bestaande ketenpartner")
                elif self.nieuwe_ketenpartners or normaliseer(naam) in self.aanmaken.get("doorverwijzingen", ()):
                    categorie = self.categorie_voor(naam)
                    self._noteer(kolom, deel, f"nieuwe ketenpartner, categorie {categorie} (wordt aangemaakt)")
                    v.nieuwe_ketenpartners[len(verwijzingen)] = naam.strip()
                    partner_id = uuid.uuid4()  # placeholder until the service creates the partner
                else:
                    self._noteer(kolom, deel, "FOUT: onbekende ketenpartner")
                    self._onbekend("doorverwijzingen", naam.strip())
                    v.fout(
                        veld.pad, kolom, deel,
                        f"Onbekende ketenpartner `{naam}`; zet hem eerst op de sociale kaart (POST /v1/ketenpartners), "
                        "laat de import hem aanmaken (`--nieuwe-ketenpartners-aanmaken` op de opdrachtregel, "
                        "`nieuweKetenpartnersAanmaken=true` in de API), of sla de overige rijen toch op met "
                        "`--per-rij` (`perRij=true`).",
                    )
                    continue
                v.bronnen[f"doorverwijzingen[{len(verwijzingen)}]"] = (kolom, deel)
                verwijzingen.append({"ketenpartnerId": partner_id})
        v.data["doorverwijzingen"] = verwijzingen
