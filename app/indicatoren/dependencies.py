"""The query of GET /v1/indicatoren/{code}/waarden as one request object, checked in one pass.

Every parameter is read as text and checked here, so one 400 lists every problem at once: a bad
date next to an unknown dimension next to a filter the indicator does not have. The OpenAPI
document still shows dates as `format: date` and intervals as an enum.
"""

import inspect
import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Path, Query

from app.core import persoonsgegevens
from app.core.db import SessionDep
from app.core.errors import NietGevonden, OngeldigeInvoer
from app.core.periods import Interval, Periode, PeriodeFout, parse_periode, range_periode
from app.core.validation import vandaag
from app.indicatoren import eigen
from app.indicatoren.catalogue import INDICATOREN, Indicator
from app.indicatoren.query import UUID_DIMENSIES
from app.indicatoren.schemas import EIGEN_CODE_PATTERN
from app.indicatoren.service import Verzoek
from app.toegang.dependencies import RapporterenDep

F = Annotated[str | None, Query(description="Filter: een of meer waarden, komma-gescheiden.")]
Problemen = list[dict[str, str]]


# The catalogue's codes, in the document, or an own indicator's `eigen.` code: an unknown code is a 404,
# but a client (or a fuzzer) can see the catalogue.
IndicatorCode = Annotated[str, Path(
    description="Code van de indicator: een code uit de catalogus, of een eigen indicator (`eigen.`...).",
    examples=["aantal-contactmomenten"], max_length=80,
    json_schema_extra={"anyOf": [{"enum": sorted(INDICATOREN)}, {"pattern": EIGEN_CODE_PATTERN}]},
)]


def indicator_van(code: str) -> Indicator:
    """The catalogue entry of a code, or 404."""
    indicator = INDICATOREN.get(code)
    if indicator is None:
        raise NietGevonden(f"Indicator `{code}` bestaat niet; zie GET /v1/indicatoren voor de catalogus.")
    return indicator


def _lijst(naam: str, waarde: str | None, problemen: Problemen) -> tuple[str, ...]:
    if waarde is None:
        return ()
    items = tuple(dict.fromkeys(v.strip() for v in waarde.split(",") if v.strip()))
    if not items:
        problemen.append({"name": naam, "reason": "Geef minstens een waarde."})
    return items


def _datum(naam: str, waarde: str | None, problemen: Problemen) -> date | None:
    if waarde is None:
        return None
    try:
        return date.fromisoformat(waarde)
    except ValueError:
        problemen.append({"name": naam, "reason": f"`{waarde}` is geen datum (JJJJ-MM-DD)."})
        return None


def _periode(periode: str | None, vanaf: str | None, tot: str | None, problemen: Problemen) -> Periode | None:
    if vanaf is None and tot is None:
        try:
            return parse_periode(periode or "dit-jaar", today=vandaag())
        except PeriodeFout as exc:
            problemen.append({"name": "periode", "reason": str(exc)})
            return None
    if periode is not None:
        problemen.append({"name": "periode", "reason": "Gebruik periode, of vanaf en tot, niet beide."})
    if vanaf is None or tot is None:
        problemen.append({"name": "vanaf" if vanaf is None else "tot", "reason": "Geef zowel vanaf als tot."})
    begin, einde = _datum("vanaf", vanaf, problemen), _datum("tot", tot, problemen)
    if begin is None or einde is None or periode is not None:
        return None
    try:
        return range_periode(begin, einde)
    except PeriodeFout as exc:
        problemen.append({"name": "vanaf", "reason": str(exc)})
        return None


def waarden_verzoek(
    code: IndicatorCode,
    periode: Annotated[str | None, Query(description="2025, 2025Q1, 2025-03, 2025W10, een bereik van twee daarvan (2024Q4/2026Q3), of relatief: deze-maand, vorige-maand, dit-kwartaal, vorig-kwartaal, dit-jaar (standaard), vorig-jaar, laatste-N-maanden (1-120), laatste-N-kwartalen (1-40), laatste-N-jaren (1-10). Regionale sleutels: alleen hele kalendereenheden en laatste-12-maanden.", examples=["2025Q1"])] = None,
    vanaf: Annotated[str | None, Query(description="Begin van een eigen periode (samen met tot).", examples=["2025-01-01"], json_schema_extra={"format": "date"})] = None,
    tot: Annotated[str | None, Query(description="Einde van een eigen periode, inclusief.", examples=["2025-06-30"], json_schema_extra={"format": "date"})] = None,
    interval: Annotated[str | None, Query(description="Geef een tijdreeks met een rij per interval, ook als de waarde 0 is.", json_schema_extra={"enum": [i.value for i in Interval]})] = None,
    groeperenOp: Annotated[str | None, Query(description="Dimensies om op te groeperen, komma-gescheiden.", examples=["gemeente,hoofdonderwerp"])] = None,
    organisatie: F = None, gemeente: F = None, wijk: F = None, sleutelpersoon: F = None,
    onderwerp: F = None, hoofdonderwerp: F = None, kanaal: F = None, soort: F = None, rol: F = None,
    taal: F = None, leeftijdscategorie: F = None, geslacht: F = None, doelgroep: F = None,
    ketenpartner: F = None, ketenpartnerCategorie: F = None, status: F = None, wijze: F = None,
    actie: F = None, urgentie: F = None, gerichtAan: F = None, bron: F = None, effect: F = None,
    project: F = None, regeling: F = None,
    alleenGoedgekeurd: Annotated[bool, Query(description="Alleen registraties uit periodes die de regio heeft "
                                             "goedgekeurd (/v1/rapportageritmes); de rest telt niet mee.")] = False,
) -> Verzoek:
    """The request object of a catalogue indicator's query; every problem of the query in one 400."""
    parameters = {k: v for k, v in locals().items() if k != "code"}
    return _verzoek(indicator_van(code), None, [], **parameters)


def _verzoek(indicator: Indicator, eigen_versie: "eigen.EigenVersie | None", problemen: Problemen, *,
             periode: str | None, vanaf: str | None, tot: str | None, interval: str | None, groeperenOp: str | None,
             alleenGoedgekeurd: bool = False, **gegeven: str | None) -> Verzoek:
    gekozen = _periode(periode, vanaf, tot, problemen)
    gekozen_interval: Interval | None = None
    if interval is not None:
        try:
            gekozen_interval = Interval(interval)
        except ValueError:
            problemen.append({"name": "interval", "reason": f"Onbekend interval `{interval}`; toegestaan: {', '.join(i.value for i in Interval)}."})
    groepen = _lijst("groeperenOp", groeperenOp, problemen)
    problemen += [
        {"name": "groeperenOp", "reason": f"Onbekende dimensie `{g}`; toegestaan: {', '.join(indicator.dimensies)}."}
        for g in groepen if g not in indicator.dimensies
    ]
    filters = {naam: _lijst(naam, waarde, problemen) for naam, waarde in gegeven.items() if waarde is not None}
    # Filter values reach the read audit (for regional keys) and error details: none may hold personal data.
    # A valid UUID of an id dimension is a random id, not personal data (about 3 in 100 random UUIDs look
    # like a postcode with house number to the guard); anything else in those dimensions is refused below.
    problemen += persoonsgegevens.controleer({
        naam: ",".join(w for w in waarden if not (naam in UUID_DIMENSIES and _is_uuid(w)))
        for naam, waarden in filters.items()
    })
    for naam, waarden in filters.items():
        if naam not in indicator.dimensies:
            problemen.append({"name": naam, "reason": f"Indicator {indicator.code} kan niet op {naam} worden gefilterd."})
        elif naam in UUID_DIMENSIES:
            problemen += [{"name": naam, "reason": f"`{w}` is geen geldige UUID."} for w in waarden if not _is_uuid(w)]
    if eigen_versie is not None:
        # A request filter on a fixed dimension narrows it (both hold); one that leaves nothing is refused.
        eigen.samenvoegen(eigen_versie.filters, filters, problemen)
        if eigen_versie.noemer_basis is not None:
            eigen.samenvoegen(eigen_versie.noemer_filters, filters, problemen)
    if problemen or gekozen is None:
        raise OngeldigeInvoer.met(problemen)
    return Verzoek(indicator=indicator, periode=gekozen, interval=gekozen_interval, groeperen_op=groepen, filters=filters,
                   eigen=eigen_versie, alleen_goedgekeurd=alleenGoedgekeurd)


def _is_uuid(waarde: str) -> bool:
    try:
        uuid.UUID(waarde)
    except ValueError:
        return False
    return True


def _query(**parameters: Any) -> dict[str, Any]:
    return parameters


# The query parameters of waarden_verzoek (all but the path's code), as one dependency: the route's
# request object adds the caller and session an own indicator needs, and its `versie`.
_query.__signature__ = inspect.signature(waarden_verzoek).replace(  # type: ignore[attr-defined]
    parameters=[p for p in inspect.signature(waarden_verzoek).parameters.values() if p.name != "code"],
    return_annotation=dict[str, Any],
)
Versie = Annotated[int | None, Query(
    ge=1, le=100000, examples=[1],
    description="Alleen bij een eigen indicator: de versie van de definitie (standaard de laatste); zo blijven de "
    "waarden van een oude definitie reproduceerbaar.",
)]


def indicator_verzoek(code: IndicatorCode, session: SessionDep, caller: RapporterenDep,
                      parameters: Annotated[dict[str, Any], Depends(_query)], versie: Versie = None) -> Verzoek:
    """The request object of GET /v1/indicatoren/{code}/waarden: a catalogue indicator, or an own one the caller
    may see (404 otherwise), at its latest version or `versie`; every problem in one 400."""
    problemen: Problemen = []
    if not eigen.is_eigen(code):
        if versie is not None:
            problemen.append({"name": "versie", "reason": "Alleen eigen indicatoren hebben versies; laat versie weg."})
        return _verzoek(indicator_van(code), None, problemen, **parameters)
    organisaties = [w.strip() for w in (parameters.get("organisatie") or "").split(",") if _is_uuid(w.strip())]
    record = eigen.zoek(session, caller, code, organisatie_id=uuid.UUID(organisaties[0]) if len(organisaties) == 1 else None)
    eigen_versie = eigen.versie_van(session, record, versie)
    return _verzoek(eigen_versie.indicator, eigen_versie, problemen, **parameters)


VerzoekDep = Annotated[Verzoek, Depends(indicator_verzoek)]


# GET /v1/indicatoren/waarden: several indicators in one call. Each code becomes the request object a single
# call would make, so each goes through the same checks, audit and budget (service.bereken) as its own call.
MAX_CODES = 20
Codes = Annotated[str, Query(
    max_length=2000, examples=["aantal-contactmomenten,bereik-inwoners"],
    description=f"De indicatoren, komma-gescheiden: codes uit de catalogus of eigen indicatoren (`eigen.`...), ten "
    f"hoogste {MAX_CODES}. Onbekende codes geven samen één 400.",
)]


def meer_verzoeken(codes: Codes, session: SessionDep, caller: RapporterenDep,
                   parameters: Annotated[dict[str, Any], Depends(_query)]) -> list[Verzoek]:
    """One request object per code, with the same query; every problem of every code in one 400."""
    # Unknown codes are named in the answer: one that looks like personal data is refused without an echo.
    problemen: Problemen = persoonsgegevens.controleer({"codes": codes})
    gevraagd = () if problemen else _lijst("codes", codes, problemen)
    if len(gevraagd) > MAX_CODES:
        problemen.append({"name": "codes", "code": "te-lang", "reason": f"Ten hoogste {MAX_CODES} indicatoren per "
                          f"verzoek; u vroeg er {len(gevraagd)}. Verdeel ze over meer verzoeken."})
    organisaties = [w.strip() for w in (parameters.get("organisatie") or "").split(",") if _is_uuid(w.strip())]
    organisatie_id = uuid.UUID(organisaties[0]) if len(organisaties) == 1 else None
    delen: list[tuple[Indicator, eigen.EigenVersie | None]] = []
    for code in gevraagd:
        indicator = INDICATOREN.get(code)
        if indicator is not None:
            delen.append((indicator, None))
            continue
        try:
            if not eigen.is_eigen(code):
                raise NietGevonden(code)
            # An own indicator the caller may not see is as unknown as a typo: the answer tells nothing apart.
            versie = eigen.versie_van(session, eigen.zoek(session, caller, code, organisatie_id=organisatie_id))
        except NietGevonden:
            problemen.append({"name": "codes", "code": "niet-toegestaan", "reason": f"Indicator `{code}` bestaat niet "
                              "(of is niet zichtbaar voor deze sleutel); zie GET /v1/indicatoren voor de catalogus."})
            continue
        except OngeldigeInvoer as fout:  # two organisations in the region share the code: name one
            problemen += fout.invalid_params or []
            continue
        delen.append((versie.indicator, versie))
    verzoeken: list[Verzoek] = []
    gezien: set[tuple[str, str]] = set()
    for indicator, eigen_versie in delen:
        try:
            verzoeken.append(_verzoek(indicator, eigen_versie, [], **parameters))
        except OngeldigeInvoer as fout:
            # A problem of the shared query (a bad period) comes once, not once per code.
            for probleem in fout.invalid_params or []:
                if (probleem["name"], probleem["reason"]) not in gezien:
                    gezien.add((probleem["name"], probleem["reason"]))
                    problemen.append(probleem)
    if problemen:
        raise OngeldigeInvoer.met(problemen)
    return verzoeken


MeerVerzoekenDep = Annotated[list[Verzoek], Depends(meer_verzoeken)]
