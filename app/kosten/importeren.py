"""Import of costs from a spreadsheet (issue 26: "import of trainings and costs ... with a dry run").

Built like the trainings import (`app.deskundigheid.importeren`): the import's readers (Dutch Excel
CSV with BOM or Windows-1252, semicolons, xlsx) and cell parsing (`app.imports.waarden`), then the
API's own schema and service (`KostenCreate`, `service.create`) for every row, so the privacy guard
on Omschrijving and the lock of approved reporting periods apply as they do to `POST /v1/kosten`.
Amounts are read as text into a Decimal and stored in whole cents: never through a binary float.

Idempotency without a stored key: a cost is the same cost when its content is the same, that is
(soort, bedrag, datum or periode, sleutelpersoon, project, omschrijving) within the organisation,
counting only live costs. Matching counts: a file with a row twice asks for two such costs, so the
import creates only as many as are missing. Loading the same file twice therefore changes nothing,
and a file that grew by a few rows adds just those. Gemeente is left out of the match: it usually
follows from the key person, and may be corrected later without making the row look new.

Atomic: one invalid row and nothing is saved; a dry run (proefdraai) saves nothing either, but runs
every check, the service's included.
"""

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, select

from app.codelijsten import service as codelijsten
from app.core import geld
from app.core.errors import OngeldigeInvoer
from app.core.schemas import schemafouten
from app.imports import upload
from app.imports.readers import LeesFout, als_tekst, lezer_voor
from app.imports.waarden import lees_bedrag, lees_datum, lees_gemeentecode, normaliseer
from app.kosten import service
from app.kosten.schemas import KostenCreate, KostenInvoer
from app.models import Project, Sleutelpersoon
from app.rapportage.slot import PeriodeGoedgekeurd
from app.toegang import scoping
from app.toegang.caller import Caller

# Recognised column headers (normalised: lower case, no accents or punctuation) -> field.
KOPPEN = {
    "soort": "soort", "soort kosten": "soort", "kostensoort": "soort", "type": "soort",
    "bedrag": "bedrag", "bedrag eur": "bedrag", "bedrag euro": "bedrag", "bedrag in euro": "bedrag", "kosten": "bedrag",
    "datum": "datum", "periode": "periode", "maand": "periode",
    "sleutelpersoon": "sleutelpersoon", "sleutelpersoon id": "sleutelpersoon", "naam": "sleutelpersoon",
    "project": "project", "project id": "project",
    "gemeente": "gemeentecode", "gemeentecode": "gemeentecode",
    "omschrijving": "omschrijving", "toelichting": "omschrijving", "opmerking": "omschrijving",
}
# The API's field (camelCase, as validation names it) -> the column a coordinator knows.
KOLOM = {"soort": "Soort", "bedrag": "Bedrag", "datum": "Datum", "periode": "Periode", "sleutelpersoonId": "Sleutelpersoon",
         "projectId": "Project", "gemeentecode": "Gemeente", "omschrijving": "Omschrijving"}

Inhoud = tuple[str, int, date, bool, uuid.UUID | None, uuid.UUID | None, str | None]


@dataclass
class Verslag(upload.Verslag):
    totaal_centen: int = 0


@dataclass
class _Regel:
    rij: int
    data: KostenCreate
    problemen: list[dict[str, str]]  # named as the API names its fields; the service adds its own


def inhoud(soort: str, bedrag_centen: int, datum: date, per_maand: bool, sleutelpersoon_id: uuid.UUID | None,
           project_id: uuid.UUID | None, omschrijving: str | None) -> Inhoud:
    """What makes two costs the same cost for the import (see the module's docstring)."""
    return (soort, bedrag_centen, datum, per_maand, sleutelpersoon_id, project_id, (omschrijving or "").strip() or None)


def _inhoud_van_regel(data: KostenCreate) -> Inhoud:
    datum = data.datum if data.datum is not None else date.fromisoformat(f"{data.periode}-01")
    return inhoud(data.soort, geld.centen(data.bedrag), datum, data.periode is not None,
                  data.sleutelpersoon_id, data.project_id, data.omschrijving)


class _Namen:
    """Names of the organisation's key persons and projects, of the kinds of cost and of gemeenten."""

    def __init__(self, session: Session, caller: Caller) -> None:
        self.soorten: dict[str, str] = {}
        for code, entry in codelijsten.lookup(session, lijst=codelijsten.KOSTEN_SOORT).items():
            for woord in (code, entry.label, *(entry.synoniemen or [])):
                self.soorten[normaliseer(woord)] = code
        self.gemeenten = {normaliseer(e.label): code for code, e in codelijsten.lookup(session, lijst=codelijsten.GEMEENTE).items()}
        self.personen = self._index(session.exec(scoping.eigen(
            select(Sleutelpersoon.id, Sleutelpersoon.weergavenaam), Sleutelpersoon, caller)))
        self.projecten = self._index(session.exec(scoping.eigen(select(Project.id, Project.naam), Project, caller)))

    @staticmethod
    def _index(paren: Any) -> dict[str, list[uuid.UUID]]:
        uit: dict[str, list[uuid.UUID]] = {}
        for record_id, naam in paren:
            uit.setdefault(normaliseer(naam), []).append(record_id)
        return uit

    def gemeente(self, waarde: Any) -> str:
        """A CBS code (`GM0344`, `344`) or a gemeente's name."""
        code = self.gemeenten.get(normaliseer(als_tekst(waarde)))
        if code is not None:
            return code
        try:
            return lees_gemeentecode(waarde)
        except ValueError as exc:
            raise ValueError(f"{exc} Of schrijf de naam van de gemeente.") from None

    @staticmethod
    def id_of_naam(waarde: Any, index: dict[str, list[uuid.UUID]], wat: str) -> str:
        """An id as given (the service checks it is the organisation's), or the one record with this name."""
        tekst = als_tekst(waarde)
        try:
            return str(uuid.UUID(tekst))
        except ValueError:
            pass
        gevonden = index.get(normaliseer(tekst), [])
        if not gevonden:
            raise ValueError(f"{wat} `{tekst}` is onbekend in de eigen organisatie.")
        if len(gevonden) > 1:
            raise ValueError(f"Er zijn {len(gevonden)} met de naam `{tekst}` ({wat.lower()}); gebruik het id.")
        return str(gevonden[0])


def importeer(session: Session, *, caller: Caller, inhoud_: bytes, formaat: str, proefdraai: bool) -> Verslag:
    """Read, check and (unless a dry run, or any row is invalid) save the costs in the file. Flushes, never commits."""
    verslag = Verslag(proefdraai=proefdraai)
    namen = _Namen(session, caller)
    regels: list[_Regel] = []
    try:
        for rij in lezer_voor(formaat, inhoud_, herken_kop=_is_kop).rijen():
            verslag.gelezen += 1
            if rij.fout:
                verslag.afgewezen += 1
                verslag.fout(rij.nummer, None, rij.fout)
                continue
            regels.append(_lees_rij(rij.nummer, rij.cellen, namen))
    except LeesFout as exc:
        raise OngeldigeInvoer.veld("body", str(exc)) from None
    if verslag.gelezen == 0:
        raise OngeldigeInvoer.veld("body", "Het bestand heeft geen rijen onder de kopregel.")
    al_aanwezig = _bestaande(session, caller, regels)
    savepoint = session.begin_nested()
    try:
        for regel in regels:
            _schrijf(session, caller, regel, al_aanwezig, verslag)
    except BaseException:
        savepoint.rollback()
        raise
    if proefdraai or verslag.afgewezen:
        savepoint.rollback()
    else:
        savepoint.commit()
        verslag.opgeslagen = True
    return verslag


def _is_kop(cellen: list[str]) -> bool:
    """A header row names at least two known columns (a title row above it does not)."""
    return sum(normaliseer(c) in KOPPEN for c in cellen) >= 2


def _lees_rij(nummer: int, cellen: dict[str, Any], namen: _Namen) -> _Regel:
    """The row as the API's body; what cannot be read becomes a problem named as the API names the field."""
    waarden: dict[str, Any] = {}
    for kop, waarde in cellen.items():
        veld = KOPPEN.get(normaliseer(kop))
        if veld and waarde is not None and als_tekst(waarde) != "":
            waarden[veld] = waarde
    problemen: list[dict[str, str]] = []
    invoer: dict[str, Any] = {}
    soort = namen.soorten.get(normaliseer(waarden.get("soort", "")))
    if soort is None:
        problemen.append({"name": "soort", "reason": (
            f"`{als_tekst(waarden.get('soort', ''))}` is geen soort kosten; kies vrijwilligersvergoeding, reiskosten, "
            "kinderopvang, telefoon, scholing, begeleiding, materiaal of overig.")})
    invoer["soort"] = soort
    if "bedrag" not in waarden:
        problemen.append({"name": "bedrag", "reason": "Het bedrag ontbreekt."})
    lezers: list[tuple[str, str, Any]] = [
        ("bedrag", "bedrag", lambda w: str(lees_bedrag(w))),
        ("datum", "datum", lambda w: lees_datum(w).isoformat()),
        ("periode", "periode", _lees_maand),
        ("sleutelpersoon", "sleutelpersoonId", lambda w: namen.id_of_naam(w, namen.personen, "Sleutelpersoon")),
        ("project", "projectId", lambda w: namen.id_of_naam(w, namen.projecten, "Project")),
        ("gemeentecode", "gemeentecode", namen.gemeente),
        ("omschrijving", "omschrijving", als_tekst),
    ]
    for veld, naam, lees in lezers:
        if veld in waarden:
            try:
                invoer[naam] = lees(waarden[veld])
            except ValueError as exc:
                problemen.append({"name": naam, "reason": str(exc)})
    data = KostenInvoer.model_validate({k: v for k, v in invoer.items() if v is not None})
    gemeld = {p["name"] for p in problemen}
    problemen += [p for p in schemafouten(data) if p["name"] not in gemeld]
    return _Regel(nummer, data, problemen)


def _lees_maand(waarde: Any) -> str:
    """A month: `2026-03`, `3-2026`, `03/2026`, or a date cell (Excel makes one of `mrt-26`)."""
    if isinstance(waarde, (date, datetime)):
        return f"{waarde:%Y-%m}"
    tekst = als_tekst(waarde).replace("/", "-").replace(".", "-")
    delen = tekst.split("-")
    if len(delen) == 2 and all(d.isdigit() for d in delen):
        jaar, maand = (delen[0], delen[1]) if len(delen[0]) == 4 else (delen[1], delen[0])
        if len(jaar) == 4 and 1 <= int(maand) <= 12:
            return f"{jaar}-{int(maand):02d}"
    raise ValueError(f"`{als_tekst(waarde)}` is geen maand; gebruik bijvoorbeeld 2026-03 of 3-2026.")


def _bestaande(session: Session, caller: Caller, regels: list[_Regel]) -> Counter[Inhoud]:
    """The organisation's live costs in the file's date range, counted by content: one query."""
    if not regels:
        return Counter()
    datums = [_inhoud_van_regel(r.data)[2] for r in regels if not r.problemen]
    if not datums:
        return Counter()
    rijen = session.exec(service.list_statement(caller, datum_vanaf=min(datums), datum_tot=max(datums)))
    return Counter(inhoud(k.soort, k.bedrag_centen, k.datum, k.per_maand, k.sleutelpersoon_id, k.project_id, k.omschrijving)
                   for k in rijen)


def _schrijf(session: Session, caller: Caller, regel: _Regel, al_aanwezig: Counter[Inhoud], verslag: Verslag) -> None:
    """One row through `service.create`; a row with problems goes too, so the service adds its rules' problems."""
    sleutel = None if regel.problemen else _inhoud_van_regel(regel.data)
    if sleutel is not None and al_aanwezig[sleutel] > 0:
        al_aanwezig[sleutel] -= 1
        verslag.ongewijzigd += 1
        verslag.totaal_centen += sleutel[1]
        return
    try:
        service.create(session, caller=caller, data=regel.data, schemafouten=regel.problemen)
    except OngeldigeInvoer as exc:
        verslag.afgewezen += 1
        for probleem in exc.invalid_params or [{"name": None, "reason": exc.detail}]:
            naam = str(probleem.get("name")).split("[")[0]
            verslag.fout(regel.rij, KOLOM.get(naam, naam), probleem["reason"])
        return
    except PeriodeGoedgekeurd as exc:
        verslag.afgewezen += 1
        verslag.fout(regel.rij, "Periode" if regel.data.periode is not None else "Datum", exc.detail)
        return
    assert sleutel is not None  # a row with problems never gets here: the service refused it
    verslag.aangemaakt += 1
    verslag.totaal_centen += sleutel[1]
