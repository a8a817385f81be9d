"""GET /v1/verantwoordingen: the organisation's accountability report for a period, as XLSX or PDF."""

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlmodel import Session

from app.core.db import SessionDep
from app.core.errors import OngeldigeInvoer
from app.core.formaten import XLSX_MEDIA_TYPE
from app.core.periods import Periode
from app.toegang.caller import Binding, Caller, Scope
from app.toegang.dependencies import vereist
from app.verantwoording import kosten, pdf, service, xlsx

router = APIRouter(tags=["verantwoordingen"])

# An organisation's own key with scope `rapporteren`: a regional or national key gets 403, and a key of
# another organisation can only ever get the report of its own organisation.
VerantwoordenDep = Annotated[Caller, Depends(vereist(Scope.rapporteren, binding=Binding.organisatie))]


class Verantwoordingsformaat(StrEnum):
    xlsx = "xlsx"
    pdf = "pdf"


MEDIATYPE = {Verantwoordingsformaat.xlsx: XLSX_MEDIA_TYPE, Verantwoordingsformaat.pdf: pdf.PDF_MEDIA_TYPE}


def kies_formaat(request: Request, gevraagd: Verantwoordingsformaat | None) -> Verantwoordingsformaat:
    """`formaat` wins; else `Accept` (application/pdf or the XLSX type); else XLSX."""
    if gevraagd is not None:
        return gevraagd
    accept = request.headers.get("accept", "").lower()
    if pdf.PDF_MEDIA_TYPE in accept and XLSX_MEDIA_TYPE not in accept:
        return Verantwoordingsformaat.pdf
    return Verantwoordingsformaat.xlsx


def bestand(verantwoording: service.Verantwoording, formaat: Verantwoordingsformaat) -> Response:
    """The report rendered in `formaat`, as an attachment named after the organisation and the period."""
    inhoud = pdf.to_pdf(verantwoording) if formaat is Verantwoordingsformaat.pdf else xlsx.to_xlsx(verantwoording)
    return Response(inhoud, media_type=MEDIATYPE[formaat], headers={
        "Content-Disposition": f'attachment; filename="{verantwoording.bestandsnaam}.{formaat.value}"',
    })


@router.get(
    "/verantwoordingen",
    summary="Verantwoording van een periode (XLSX of PDF)",
    response_class=Response,
    responses={
        200: {
            "description": "De verantwoording als Excel-werkmap of als PDF (tagged, PDF/UA-1).",
            "content": {
                XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}},
                pdf.PDF_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}},
            },
            "headers": {"Content-Disposition": {
                "description": "`attachment` met een bestandsnaam: verantwoording-<organisatie>-<periode>.<formaat>.",
                "schema": {"type": "string"},
            }},
        },
        503: {
            "description": "De PDF kan op deze server niet gemaakt worden (WeasyPrint of Pango ontbreekt); de "
                           "XLSX wel.",
            "headers": {"Retry-After": {"description": "Seconden tot een nieuwe poging zin heeft.",
                                        "schema": {"type": "integer", "minimum": 1}}},
        },
    },
)
def get_verantwoording(
    caller: VerantwoordenDep,
    session: SessionDep,
    request: Request,
    periode: Annotated[str, Query(
        min_length=4, max_length=40,
        description="Een jaar, kwartaal of maand (2026, 2026Q1, 2026-03), of relatief: dit-jaar, vorig-jaar, "
                    "dit-kwartaal, vorig-kwartaal, deze-maand, vorige-maand.",
        examples=["2026"],
    )],
    project_id: Annotated[str | None, Query(
        alias="projectId", max_length=36,
        description="Alleen het werk van dit project van de organisatie (een ander id: 404). Indicatoren zonder "
                    "uitsplitsing naar project (signalen, verhalen) gaan over de hele organisatie; de kolom Geldt voor "
                    "zegt welke.",
        examples=["0b7e4c1a-2d3f-4a5b-8c6d-7e8f9a0b1c2d"], json_schema_extra={"format": "uuid"},
    )] = None,
    financier: Annotated[str | None, Query(
        max_length=200,
        description="Alleen het werk van de projecten van deze financier: een gemeentecode (GM0344) of de naam van de "
                    "financier zoals bij het project (ZonMw). Niet samen met projectId.",
        examples=["GM0344"],
    )] = None,
    formaat: Annotated[str | None, Query(
        description="`xlsx` (standaard) of `pdf`; zonder `formaat` kiest `Accept` (application/pdf).",
        examples=["pdf"], json_schema_extra={"enum": [f.value for f in Verantwoordingsformaat]},
    )] = None,
) -> Response:
    """De verantwoording van de eigen organisatie over een periode, in één keer.

    De bundel bevat de indicatoren uit hoofdstuk 7 van de handreiking met doelen en realisatie, de uren, de
    kosten (per soort en project, per contactmoment en per bereikte inwoner, besteding tegen begroting), het
    bereik onder inwoners en professionals, de doorverwijzingen (afgerond), de signalen met wat ermee gebeurde
    en de ervaringsverhalen die gedeeld mogen worden (met toestemming). De cijfers zijn exact en gelijk aan
    `GET /v1/indicatoren/{code}/waarden` met dezelfde periode en de sleutel van de organisatie.
    Met `projectId` of `financier` gaat de verantwoording over dat deel van het werk: dan gelden de cijfers met
    `project=<id>` (de projecten van de financier), waar de indicator die uitsplitsing kent.

    `formaat=xlsx` geeft een werkmap met een blad per onderdeel en een blad Toelichting (definities van elke
    indicator, organisatie, periode en aanmaaktijd); percentages staan als percentage (de cel bevat
    hetzelfde getal als de API, 45.5 voor 45,5%, opgemaakt met een procentteken). `formaat=pdf` geeft een toegankelijke PDF (tagged, PDF/UA-1) met de naam van
    de organisatie, de periode en de aanmaaktijd.

    Alleen een sleutel van de organisatie zelf (scope `rapporteren`) haalt haar verantwoording op; een
    regionale of landelijke sleutel krijgt 403. De verantwoording bevat geen gegevens van inwoners en geen
    namen van sleutelpersonen.
    """
    gekozen, gekozen_periode, selectie, omschrijving = controleer(
        session, caller, formaat=formaat, periode=periode, project_id=project_id, financier=financier)
    verantwoording = service.maak(session, caller=caller, periode=gekozen_periode, selectie=selectie,
                                  selectie_tekst=omschrijving)
    return bestand(verantwoording, kies_formaat(request, gekozen))


def controleer(
    session: Session, caller: Caller, *, formaat: str | None, periode: str, project_id: str | None = None,
    financier: str | None = None,
) -> tuple[Verantwoordingsformaat | None, Periode, dict[str, tuple[str, ...]], str | None]:
    """Every query key in one pass, so a 400 names every invalid one at once (another organisation's project: 404)."""
    selectie, omschrijving, problemen = kosten.selectie(session, caller=caller, project_id=project_id,
                                                        financier=financier)
    gekozen = None
    if formaat is not None:
        try:
            gekozen = Verantwoordingsformaat(formaat)
        except ValueError:
            problemen.append({"name": "formaat", "reason": "Kies `xlsx` of `pdf`."})
    try:
        gekozen_periode = service.periode_van(periode)
    except OngeldigeInvoer as exc:
        problemen += exc.invalid_params or []
    if problemen:
        raise OngeldigeInvoer.met(problemen, onderwerp="Het verzoek")
    return gekozen, gekozen_periode, selectie, omschrijving
