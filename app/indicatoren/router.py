"""GET /v1/indicatoren, /v1/indicatoren/{code} and /v1/indicatoren/{code}/waarden."""

from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from app.core import formaten
from app.core.config import get_settings
from app.core.db import SessionDep
from app.core.formaten import Formaat
from app.indicatoren import export
from app.indicatoren.catalogue import INDICATOREN, Indicator
from app.indicatoren.dependencies import IndicatorCode, VerzoekDep, indicator_van
from app.indicatoren.schemas import IndicatorPublic, IndicatorWaarden
from app.indicatoren.service import Resultaat, bereken
from app.toegang.dependencies import RapporterenDep

router = APIRouter(tags=["indicatoren"])


class Waardenformaat(StrEnum):
    json = "json"
    csv = "csv"
    csv_rfc4180 = "csv-rfc4180"
    xlsx = "xlsx"


FORMATEN = tuple(Formaat(f.value) for f in Waardenformaat)


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


@router.get("/indicatoren", response_model=list[IndicatorPublic], summary="Catalogus van indicatoren")
def list_indicatoren(caller: RapporterenDep) -> list[IndicatorPublic]:
    """Alle indicatoren met hun definitie, eenheid en dimensies."""
    return [_public(i) for i in INDICATOREN.values()]


@router.get("/indicatoren/{code}", response_model=IndicatorPublic, summary="Een indicator")
def get_indicator(code: IndicatorCode, caller: RapporterenDep) -> IndicatorPublic:
    """De definitie van een indicator."""
    return _public(indicator_van(code))


@router.get(
    "/indicatoren/{code}/waarden",
    response_model=IndicatorWaarden,
    summary="Waarden van een indicator",
    responses={
        **formaten.responses(
            *FORMATEN, json_schema={"$ref": "#/components/schemas/IndicatorWaarden"},
            beschrijving="De waarden: JSON, CSV (twee varianten) of een Excel-werkmap met toelichting.",
        ),
        429: {
            "description": (
                "Te veel verzoeken: meer dan het toegestane aantal per minuut, of (titel \"Dagbudget voor "
                "regionale tabellen op\") het dagbudget van verschillende tabellen van een sleutel die niet "
                "aan een organisatie gebonden is. Een tabel die vandaag al is opgevraagd, telt niet opnieuw; "
                "het budget begint om middernacht (Nederlandse tijd) opnieuw."
            ),
            "headers": {"Retry-After": {
                "description": "Seconden tot het opnieuw kan: het einde van de minuut, of middernacht in Nederland.",
                "schema": {"type": "integer", "minimum": 1},
            }},
        },
    },
)
def get_indicator_waarden(
    caller: RapporterenDep,
    verzoek: VerzoekDep,
    request: Request,
    session: SessionDep,
    formaat: Annotated[
        Waardenformaat | None,
        Query(description="Formaat van het antwoord. " + formaten.KEUZE_UITLEG, examples=["csv"]),
    ] = None,
) -> Response:
    """Berekent de indicator over de periode, optioneel per interval en gegroepeerd op dimensies.

    Organisatiesleutels zien de eigen organisatie exact. Regionale en landelijke sleutels zien de
    gemeenten van hun regio, beschermd zoals de tabelbouwers van ONS en ABS: te gedetailleerde tabellen
    worden geweigerd (400: geen dagcijfers, een hele week, maand, kwartaal of jaar, ten hoogste drie
    kenmerken, een filter met meer waarden alleen op een gegroepeerde dimensie, taal en wijk met een
    filter dat de waarden noemt); elk getal krijgt een kleine, vaste ruis (ten hoogste 2) met een
    eigen celsleutel per maat en cel; niets onder de drempel wordt getoond, ook 0 niet
    (`onderdrukt: true`); cellen met werk van minder dan drie sleutelpersonen worden onderdrukt. De
    rijen zijn altijd alle combinaties van de gevraagde lijsten. Dezelfde vraag geeft altijd hetzelfde
    antwoord, in JSON, CSV en XLSX.

    Elke lezing met een sleutel die niet aan een organisatie gebonden is (regionaal, landelijk, beheer;
    ook via het dashboard) wordt vastgelegd met haar parameters, nooit met de uitkomst. Zo'n sleutel mag
    per dag een beperkt aantal verschillende tabellen opvragen (een tabel: indicator, periode, interval,
    groepering en filters); daarna volgt 429 tot middernacht. Dezelfde tabel opnieuw opvragen, ook in een
    ander formaat, telt niet mee.

    Kies het formaat met `formaat=json|csv|csv-rfc4180|xlsx` (ook vanuit Excel "Van het web" en Power
    Query) of met `Accept`. `csv` opent met een dubbelklik in Nederlandse Excel (puntkomma, decimale komma,
    UTF-8 met BOM); `csv-rfc4180` heeft komma's en decimale punten. De werkmap heeft een tabel met filters,
    omschrijvingen naast de codes, percentages als percentage en een blad `Toelichting` met definitie,
    periode, filters, groepering, beschermingsmethode en aanmaaktijd.
    """
    settings = get_settings()
    resultaat = bereken(session, caller=caller, verzoek=verzoek, drempel=settings.suppression_threshold,
                        max_rijen=settings.max_indicator_rows)
    indicator, label = verzoek.indicator, verzoek.periode.label.replace("/", "_")
    gekozen = formaten.kies(request, formaat, FORMATEN)
    naam = f"{indicator.code}-{label}"
    if gekozen is Formaat.xlsx:
        return formaten.bestand(export.to_xlsx(resultaat), gekozen, naam)
    if gekozen in (Formaat.csv, Formaat.csv_rfc4180):
        return formaten.bestand(export.to_csv(resultaat, gekozen), gekozen, naam)
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
        if rij.volledig is not None:
            item.update(volledig=rij.volledig, aantalOrganisaties=rij.aantal_organisaties)
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
