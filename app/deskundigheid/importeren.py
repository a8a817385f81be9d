"""Import of trainings and intervision from a spreadsheet (issue 26, part 4), with a dry run.

Small on purpose: the existing import's readers (`app.imports.readers`: Dutch Excel CSV with BOM or
Windows-1252, semicolons, xlsx) and cell parsing (`app.imports.waarden`: 14-3-2025, decimal commas),
and the API's own schema and service (`DeskundigheidCreate`, `service.create`) for every rule. A
sheet usually has a row per participant: rows with the same soort, titel and datum are one session
and their participants are merged. A session that already exists (same soort, titel and datum) gets
the new participants, so loading the same file twice changes nothing. Atomic: one invalid row and
nothing is saved; a dry run (proefdraai) saves nothing either.
"""

import re
import uuid
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, col, func, select

from app.codelijsten import service as codelijsten
from app.core.errors import OngeldigeInvoer, validation_params
from app.deskundigheid import service
from app.deskundigheid.schemas import DeskundigheidCreate
from app.imports import upload
from app.imports.readers import LeesFout, lezer_voor
from app.imports.waarden import lees_datum, normaliseer
from app.models import Deskundigheidsbevordering, Sleutelpersoon
from app.toegang import scoping
from app.toegang.caller import Caller

# Recognised column headers (normalised: lower case, no accents or punctuation) -> field.
KOPPEN = {
    "soort": "soort", "type": "soort", "titel": "titel", "naam training": "titel", "training": "titel",
    "onderwerp": "titel", "datum": "datum", "uren": "uren", "duur": "uren", "duur uren": "uren", "aantal uren": "uren",
    "aanbieder": "aanbieder", "trainer": "aanbieder", "deelnemer": "deelnemers", "deelnemers": "deelnemers",
    "sleutelpersoon": "deelnemers", "sleutelpersonen": "deelnemers", "certificaat": "certificaat_datum",
    "certificaatdatum": "certificaat_datum", "certificaat datum": "certificaat_datum",
}
VELD_KOP = {"soort": "Soort", "titel": "Titel", "datum": "Datum", "uren": "Uren", "aanbieder": "Aanbieder",
            "deelnemers": "Deelnemers", "certificaat_datum": "Certificaatdatum"}


@dataclass
class Verslag(upload.Verslag):
    bijgewerkt: int = 0


def _soorten(session: Session) -> dict[str, str]:
    """Code, label and synonyms of `deskundigheid-soort`, normalised, to the code."""
    uit: dict[str, str] = {}
    for code, entry in codelijsten.lookup(session, lijst=codelijsten.DESKUNDIGHEID_SOORT).items():
        for woord in (code, entry.label, *(entry.synoniemen or [])):
            uit[normaliseer(woord)] = code
    return uit


def _personen(session: Session, caller: Caller) -> dict[str, list[uuid.UUID]]:
    """The organisation's key persons by normalised display name (a name may be shared)."""
    uit: dict[str, list[uuid.UUID]] = {}
    for persoon_id, naam in session.exec(scoping.eigen(select(Sleutelpersoon.id, Sleutelpersoon.weergavenaam), Sleutelpersoon, caller)):
        uit.setdefault(normaliseer(naam), []).append(persoon_id)
    return uit


def importeer(session: Session, *, caller: Caller, inhoud: bytes, formaat: str, proefdraai: bool) -> Verslag:
    """Read, check and (unless a dry run, or any row is invalid) save the trainings in the file. Flushes, never commits."""
    verslag = Verslag(proefdraai=proefdraai)
    soorten, personen = _soorten(session), _personen(session, caller)
    sessies: dict[tuple[str, str, Any], dict[str, Any]] = {}
    try:
        for rij in lezer_voor(formaat, inhoud).rijen():
            verslag.gelezen += 1
            if rij.fout:
                verslag.afgewezen += 1
                verslag.fout(rij.nummer, None, rij.fout)
                continue
            _lees_rij(rij.nummer, rij.cellen, soorten, personen, sessies, verslag)
    except LeesFout as exc:
        raise OngeldigeInvoer.veld("body", str(exc)) from None
    if verslag.gelezen == 0:
        raise OngeldigeInvoer.veld("body", "Het bestand heeft geen rijen onder de kopregel.")
    savepoint = session.begin_nested()
    try:
        for sessie in sessies.values():
            _schrijf(session, caller, sessie, verslag)
    except BaseException:
        savepoint.rollback()
        raise
    if proefdraai or verslag.afgewezen:
        savepoint.rollback()
    else:
        savepoint.commit()
        verslag.opgeslagen = True
    return verslag


def _lees_rij(nummer: int, cellen: dict[str, Any], soorten: dict[str, str], personen: dict[str, list[uuid.UUID]],
              sessies: dict[tuple[str, str, Any], dict[str, Any]], verslag: Verslag) -> None:
    waarden: dict[str, Any] = {}
    for kop, waarde in cellen.items():
        veld = KOPPEN.get(normaliseer(kop))
        if veld and waarde not in (None, ""):
            waarden[veld] = waarde
    fouten: list[tuple[str, str]] = []
    soort = soorten.get(normaliseer(waarden.get("soort", "")))
    if soort is None:
        fouten.append(("Soort", (f"`{waarden.get('soort', '')}` is geen soort; kies basistraining, bijscholing, "
                                 "intervisie, coaching, congres of overig.")))
    for veld in ("datum", "certificaat_datum"):
        if veld in waarden:
            try:
                waarden[veld] = lees_datum(waarden[veld]).isoformat()
            except ValueError as exc:
                fouten.append((VELD_KOP[veld], str(exc)))
    if "uren" in waarden:
        waarden["uren"] = str(waarden["uren"]).replace(",", ".").strip()
    deelnemers: list[str] = []
    for naam in re.split(r"[,;/+\n]", str(waarden.get("deelnemers", ""))):
        if not naam.strip():
            continue
        try:
            deelnemers.append(str(uuid.UUID(naam.strip())))
            continue
        except ValueError:
            pass
        gevonden = personen.get(normaliseer(naam))
        if not gevonden:
            fouten.append(("Deelnemers", f"Sleutelpersoon `{naam.strip()}` is onbekend."))
        elif len(gevonden) > 1:
            fouten.append(("Deelnemers", f"Er zijn {len(gevonden)} sleutelpersonen met de naam `{naam.strip()}`; gebruik hun id."))
        else:
            deelnemers.append(str(gevonden[0]))
    if fouten:
        verslag.afgewezen += 1
        for kolom, reden in fouten:
            verslag.fout(nummer, kolom, reden)
        return
    invoer = {"soort": soort, "titel": waarden.get("titel"), "datum": waarden.get("datum"), "uren": waarden.get("uren"),
              "aanbieder": waarden.get("aanbieder"), "deelnemers": deelnemers,
              "certificaat_datum": waarden.get("certificaat_datum")}
    try:
        body = DeskundigheidCreate.model_validate({k: v for k, v in invoer.items() if v is not None})
    except ValidationError as exc:
        verslag.afgewezen += 1
        for probleem in validation_params(exc.errors()):
            naam = probleem["name"].split("[")[0]
            verslag.fout(nummer, next((kop for veld, kop in VELD_KOP.items() if _camel(veld) == naam), naam), probleem["reason"])
        return
    sleutel = (body.soort, body.titel, body.datum)
    if sleutel in sessies:
        bestaand = sessies[sleutel]
        if bestaand["data"]["uren"] != body.uren:
            verslag.afgewezen += 1
            verslag.fout(nummer, "Uren", f"Rij {bestaand['rij']} geeft dezelfde bijeenkomst {bestaand['data']['uren']} uur.")
            return
        bestaand["data"]["deelnemers"] = list(dict.fromkeys(bestaand["data"]["deelnemers"] + body.deelnemers))
    else:
        sessies[sleutel] = {"rij": nummer, "data": body.model_dump(by_alias=False)}


def _camel(naam: str) -> str:
    kop, *rest = naam.split("_")
    return kop + "".join(d.capitalize() for d in rest)


def _schrijf(session: Session, caller: Caller, sessie: dict[str, Any], verslag: Verslag) -> None:
    data = sessie["data"]
    bestaand = session.exec(service.eigen_statement(caller).where(
        Deskundigheidsbevordering.soort == data["soort"], func.lower(Deskundigheidsbevordering.titel) == data["titel"].lower(),
        Deskundigheidsbevordering.datum == data["datum"]).order_by(col(Deskundigheidsbevordering.aangemaakt_op))).first()
    try:
        if bestaand is None:
            service.create(session, caller=caller, data=data)
            verslag.aangemaakt += 1
            return
        huidig = service.deelnemers_van(session, [bestaand.id]).get(bestaand.id, [])
        erbij = [d for d in data["deelnemers"] if d not in huidig]
        if not erbij:
            verslag.ongewijzigd += 1
            return
        service.update(session, caller=caller, record=bestaand, changes={"deelnemers": huidig + erbij})
        verslag.bijgewerkt += 1
    except OngeldigeInvoer as exc:
        verslag.afgewezen += 1
        for probleem in exc.invalid_params or [{"name": None, "reason": exc.detail}]:
            verslag.fout(sessie["rij"], probleem.get("name"), probleem["reason"])
