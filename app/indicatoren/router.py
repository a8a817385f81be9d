"""GET /v1/indicatoren, /v1/indicatoren/{code} and /v1/indicatoren/{code}/waarden."""

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from app.core.config import get_settings
from app.core.db import SessionDep
from app.core.errors import NietGevonden, OngeldigeInvoer
from app.core.periods import Interval, PeriodeFout, parse_periode, range_periode
from app.indicatoren import export
from app.indicatoren.catalogue import INDICATOREN, Indicator
from app.indicatoren.schemas import IndicatorPublic, IndicatorWaarden
from app.indicatoren.service import Resultaat, Verzoek, bereken
from app.toegang.dependencies import RapporterenDep

router = APIRouter(tags=["indicatoren"])


def _public(indicator: Indicator) -> IndicatorPublic:
    return IndicatorPublic(
        code=indicator.code,
        naam=indicator.naam,
        definitie=indicator.definitie,
        eenheid=indicator.eenheid.value,
        teller=indicator.teller_omschrijving,
        noemer=indicator.noemer_omschrijving,
        dimensies=list(indicator.dimensies),
    )


def _indicator(code: str) -> Indicator:
    indicator = INDICATOREN.get(code)
    if indicator is None:
        raise NietGevonden(f"Indicator `{code}` bestaat niet; zie GET /v1/indicatoren voor de catalogus.")
    return indicator


@router.get("/indicatoren", response_model=list[IndicatorPublic], summary="Catalogus van indicatoren")
def list_indicatoren(caller: RapporterenDep) -> list[IndicatorPublic]:
    """Alle indicatoren met hun definitie, eenheid en dimensies."""
    return [_public(i) for i in INDICATOREN.values()]


@router.get("/indicatoren/{code}", response_model=IndicatorPublic, summary="Een indicator")
def get_indicator(code: str, caller: RapporterenDep) -> IndicatorPublic:
    """De definitie van een indicator."""
    return _public(_indicator(code))


def _lijst(name: str, value: str | None) -> tuple[str, ...]:
    if value is None:
        return ()
    items = tuple(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))
    if not items:
        raise OngeldigeInvoer.veld(name, "Geef minstens een waarde.")
    return items


F = Annotated[str | None, Query(description="Filter: een of meer waarden, komma-gescheiden.")]


@router.get(
    "/indicatoren/{code}/waarden",
    response_model=IndicatorWaarden,
    summary="Waarden van een indicator",
    responses={200: {"content": {export.CSV_MEDIA_TYPE: {"schema": {"type": "string"}},
                                 export.XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}}}},
)
def get_waarden(
    code: str,
    request: Request,
    session: SessionDep,
    caller: RapporterenDep,
    periode: Annotated[str | None, Query(description="2025, 2025Q1, 2025-03, 2025W10, of relatief: deze-maand, vorige-maand, dit-kwartaal, vorig-kwartaal, dit-jaar (standaard), vorig-jaar, laatste-12-maanden.", examples=["2025Q1"])] = None,
    vanaf: Annotated[date | None, Query(description="Begin van een eigen periode (samen met tot).", examples=["2025-01-01"])] = None,
    tot: Annotated[date | None, Query(description="Einde van een eigen periode, inclusief.", examples=["2025-06-30"])] = None,
    interval: Annotated[Interval | None, Query(description="Geef een tijdreeks met een rij per interval, ook als de waarde 0 is.")] = None,
    groeperenOp: Annotated[str | None, Query(description="Dimensies om op te groeperen, komma-gescheiden.", examples=["gemeente,hoofdonderwerp"])] = None,  # noqa: N803
    organisatie: F = None, gemeente: F = None, wijk: F = None, sleutelpersoon: F = None,
    onderwerp: F = None, hoofdonderwerp: F = None, kanaal: F = None, soort: F = None, rol: F = None,
    taal: F = None, leeftijdscategorie: F = None, geslacht: F = None, doelgroep: F = None,
    ketenpartner: F = None, ketenpartnerCategorie: F = None, status: F = None, wijze: F = None,  # noqa: N803
    actie: F = None, urgentie: F = None, gerichtAan: F = None, bron: F = None, effect: F = None,  # noqa: N803
) -> Response:
    """Berekent de indicator over de periode, optioneel per interval en gegroepeerd op dimensies.

    Organisatiesleutels zien de eigen organisatie exact. Regionale sleutels zien de gemeenten van
    hun regio, beschermd met celsleutelperturbatie: elk aantal krijgt een kleine, vaste ruis (ten
    hoogste 2) en aantallen onder de drempel worden niet getoond (zie `onderdrukking` in het
    antwoord). Dezelfde vraag geeft altijd hetzelfde antwoord, in JSON, CSV en XLSX.
    Stuur `Accept: text/csv` voor CSV of het Excel-mediatype voor een werkblad.
    """
    indicator = _indicator(code)
    today = datetime.now(UTC).date()
    try:
        if vanaf is not None or tot is not None:
            if periode is not None:
                raise OngeldigeInvoer.veld("periode", "Gebruik periode, of vanaf en tot, niet beide.")
            if vanaf is None or tot is None:
                raise OngeldigeInvoer.veld("vanaf" if vanaf is None else "tot", "Geef zowel vanaf als tot.")
            gekozen = range_periode(vanaf, tot)
        else:
            gekozen = parse_periode(periode or "dit-jaar", today=today)
    except PeriodeFout as exc:
        raise OngeldigeInvoer.veld("periode" if periode else "vanaf", str(exc)) from exc

    groepen = _lijst("groeperenOp", groeperenOp)
    onbekend = [g for g in groepen if g not in indicator.dimensies]
    filters_in = {
        "organisatie": organisatie, "gemeente": gemeente, "wijk": wijk, "sleutelpersoon": sleutelpersoon,
        "onderwerp": onderwerp, "hoofdonderwerp": hoofdonderwerp, "kanaal": kanaal, "soort": soort, "rol": rol,
        "taal": taal, "leeftijdscategorie": leeftijdscategorie, "geslacht": geslacht, "doelgroep": doelgroep,
        "ketenpartner": ketenpartner, "ketenpartnerCategorie": ketenpartnerCategorie, "status": status,
        "wijze": wijze, "actie": actie, "urgentie": urgentie, "gerichtAan": gerichtAan, "bron": bron, "effect": effect,
    }
    filters = {k: _lijst(k, v) for k, v in filters_in.items() if v is not None}
    problems = [
        {"name": "groeperenOp", "reason": f"Onbekende dimensie `{g}`; toegestaan: {', '.join(indicator.dimensies)}."}
        for g in onbekend
    ]
    problems += [
        {"name": k, "reason": f"Indicator {indicator.code} kan niet op {k} worden gefilterd."}
        for k in filters if k not in indicator.dimensies
    ]
    if problems:
        raise OngeldigeInvoer.met(problems)

    settings = get_settings()
    resultaat = bereken(
        session,
        caller=caller,
        verzoek=Verzoek(indicator=indicator, periode=gekozen, interval=interval, groeperen_op=groepen, filters=filters),
        drempel=settings.suppression_threshold,
        max_rijen=settings.max_indicator_rows,
    )
    accept = request.headers.get("accept", "")
    if export.XLSX_MEDIA_TYPE in accept:
        return Response(
            export.to_xlsx(resultaat),
            media_type=export.XLSX_MEDIA_TYPE,
            headers={"Content-Disposition": f'attachment; filename="{indicator.code}-{gekozen.label.replace("/", "_")}.xlsx"'},
        )
    if export.CSV_MEDIA_TYPE in accept:
        return Response(export.to_csv(resultaat), media_type=f"{export.CSV_MEDIA_TYPE}; charset=utf-8")
    return JSONResponse(_as_json(resultaat, indicator))


def _periode(p: Any) -> dict[str, str]:
    return {"vanaf": p.vanaf.isoformat(), "tot": p.laatste_dag.isoformat(), "label": p.label}


def _as_json(resultaat: Resultaat, indicator: Indicator) -> dict[str, Any]:
    verzoek = resultaat.verzoek
    rijen = []
    for rij in resultaat.rijen:
        item: dict[str, Any] = {"periode": _periode(rij.periode)}
        for naam in verzoek.groeperen_op:
            item[naam] = {"code": rij.dimensies[naam], "label": rij.labels.get(naam)}
        item.update(waarde=rij.waarde, teller=rij.teller, noemer=rij.noemer, onderdrukt=rij.onderdrukt)
        if rij.doel is not None:
            item.update(doel=rij.doel, realisatie=rij.realisatie)
        rijen.append(item)
    return {
        "indicator": _public(indicator).model_dump(by_alias=True),
        "periode": _periode(verzoek.periode),
        "interval": verzoek.interval.value if verzoek.interval else None,
        "groeperenOp": list(verzoek.groeperen_op),
        "filters": {k: list(v) for k, v in verzoek.filters.items()},
        "onderdrukking": export.onderdrukking(resultaat),
        "rijen": rijen,
    }
