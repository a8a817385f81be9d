"""/v1/indicatoren: the catalogue and the organisation's own indicators, their versions and their values."""

import uuid
from enum import StrEnum
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Path, Query, Request, Response, status
from fastapi.responses import JSONResponse

from app.core import deprecation, formaten, versies
from app.core.config import get_settings
from app.core.db import SessionDep
from app.core.formaten import Formaat
from app.core.openapi import location
from app.core.pagination import PAGINATED, PaginaDep
from app.core.persoonsgegevens import NAMEN_WAARSCHUWING
from app.core.schemas import schemafouten
from app.indicatoren import eigen, export
from app.indicatoren.catalogue import INDICATOREN, Indicator
from app.indicatoren.dependencies import (
    MAX_CODES,
    IndicatorCode,
    MeerVerzoekenDep,
    VerzoekDep,
    indicator_van,
)
from app.indicatoren.eigen import bereken
from app.indicatoren.schemas import (
    EigenIndicatorInvoer,
    EigenIndicatorUpdateInvoer,
    EigenIndicatorVersiePublic,
    IndicatorPublic,
    IndicatorWaarden,
    MeerIndicatorWaarden,
)
from app.indicatoren.service import Resultaat
from app.toegang.dependencies import RapporterenDep, RegistrerenDep

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


EigenCode = Annotated[str, Path(max_length=80, description="Code van een eigen indicator (`eigen.…`); een andere code geeft 404.",
                                examples=["eigen.hulpvragen-jgz-statushouders"])]
OrganisatieKeuze = Annotated[uuid.UUID | None, Query(
    description="Alleen voor een regionale sleutel, als meer organisaties in de regio een eigen indicator met deze code "
    "delen: welke.", examples=["3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"])]
LOCATION = {"Location": {"description": "URL van de indicator.", "schema": {"type": "string"}}}
EIGEN_REGELS = (
    "`basis` is een indicator uit de catalogus die telt (een aantal, uniek aantal of som; bij een `noemer` een aantal "
    "of uniek aantal); `filters` gebruiken de namen en codes van `/v1/indicatoren/{code}/waarden` die de basis kent "
    "(niet `organisatie`: een eigen indicator telt altijd de eigen organisatie). Alle fouten komen tegelijk terug."
)


BUDGET_429 = {
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
}


@router.get("/indicatoren", response_model=list[IndicatorPublic], summary="Catalogus van indicatoren")
def list_indicatoren(caller: RapporterenDep, session: SessionDep) -> list[IndicatorPublic]:
    """Alle indicatoren met hun definitie, eenheid en dimensies: de catalogus, dan de eigen indicatoren van de
    organisatie (bij een regionale sleutel: de gedeelde van organisaties in de regio), op code."""
    return [_public(i) for i in INDICATOREN.values()] + [eigen.publiek(v) for v in eigen.zichtbare(session, caller)]


@router.post(
    "/indicatoren", status_code=201, response_model=IndicatorPublic, summary="Eigen indicator definiëren",
    description=(
        "Definieert een indicator van de eigen organisatie uit een maat van de catalogus, met vaste filters en "
        "eventueel een noemer (dan is het een percentage: 100 x teller / noemer, op een decimaal). De waarden "
        "(`/v1/indicatoren/{code}/waarden`) werken als bij de catalogus: periodes, intervallen, groeperen, formaten. "
        f"{EIGEN_REGELS}\n\nMet `gedeeldMetRegio` zien regionale sleutels van de gemeenten van de organisatie de "
        "waarden, beschermd als elke regionale tabel en geteld over de records van de eigen organisatie.\n\n"
        + NAMEN_WAARSCHUWING
    ),
    responses={201: {"description": "De indicator is gedefinieerd (versie 1).", "headers": LOCATION}},
)
def create_eigen_indicator(body: EigenIndicatorInvoer, caller: RegistrerenDep, session: SessionDep,
                           response: Response) -> IndicatorPublic:
    versie = eigen.create(session, caller=caller, data=body, schemafouten=schemafouten(body))
    response.headers["Location"] = location("indicatoren", versie.code)
    return eigen.publiek(versie)


# Before /indicatoren/{code}: else `waarden` would be taken for a code.
@router.get(
    "/indicatoren/waarden", response_model=MeerIndicatorWaarden, summary="Waarden van meer indicatoren",
    responses={429: BUDGET_429},
    description=(
        f"De waarden van ten hoogste {MAX_CODES} indicatoren (`codes=a,b`) over dezelfde periode, groepering en "
        "filters, in één antwoord: per code hetzelfde als `GET /v1/indicatoren/{code}/waarden` (alleen JSON). Elke "
        "code gaat door dezelfde controles als een losse vraag: een filter dat een indicator niet kent, of een "
        "onbekende code, geeft één 400 met alle fouten. Voor een sleutel die niet aan een organisatie gebonden is, "
        "is elke code een eigen tabel: beschermd, vastgelegd en meegeteld in het dagbudget als een losse vraag "
        "(een tabel die vandaag al is opgevraagd, telt niet opnieuw); raakt het budget op, dan volgt 429 voor het "
        "hele verzoek. Een eigen indicator geeft zijn laatste versie."
    ),
)
def get_waarden_van_meer(caller: RapporterenDep, verzoeken: MeerVerzoekenDep, session: SessionDep) -> Response:
    settings = get_settings()
    resultaten = [bereken(session, caller=caller, verzoek=verzoek, drempel=settings.suppression_threshold,
                          max_rijen=settings.max_indicator_rows) for verzoek in verzoeken]
    # The body of each code exactly as its own call gives it (keys present only where they are there).
    return JSONResponse({"indicatoren": [_as_json(r, r.verzoek.indicator) for r in resultaten]})


@router.get("/indicatoren/{code}", response_model=IndicatorPublic, summary="Een indicator")
def get_indicator(code: IndicatorCode, caller: RapporterenDep, session: SessionDep, response: Response,
                  organisatie: OrganisatieKeuze = None) -> IndicatorPublic:
    """De definitie van een indicator; bij een eigen indicator de laatste versie. Een eigen indicator van een
    andere organisatie, of een niet gedeelde voor een regionale sleutel, geeft 404."""
    if eigen.is_eigen(code):
        record = eigen.zoek(session, caller, code, organisatie_id=organisatie)
        return versies.met_etag(response, eigen.publiek(eigen.versie_van(session, record)))
    return versies.met_etag(response, _public(indicator_van(code)))


@router.patch(
    "/indicatoren/{code}", response_model=IndicatorPublic, summary="Eigen indicator wijzigen",
    description=(
        "Wijzigt een eigen indicator. Een andere naam, definitie, basis, filters of noemer geeft een nieuwe versie; de "
        "oude versies blijven opvraagbaar (`/versies`, en waarden met `versie=`). `gedeeldMetRegio` verandert zonder "
        f"nieuwe versie. Een ingetrokken indicator geeft 409. {EIGEN_REGELS}\n\nStuur de `ETag` van uw versie mee in "
        "`If-Match`: is de indicator intussen gewijzigd, dan volgt 412 en wordt er niets opgeslagen.\n\n"
        + NAMEN_WAARSCHUWING
    ),
    responses={409: {"description": "De indicator is ingetrokken."}},
)
def update_eigen_indicator(code: EigenCode, body: EigenIndicatorUpdateInvoer, caller: RegistrerenDep,
                           session: SessionDep, response: Response,
                           if_match: versies.IfMatchDep = None) -> IndicatorPublic:
    record = eigen.zoek(session, caller, code)
    if if_match is not None:
        versies.vergrendel(session, record)
        versies.controleer(if_match, eigen.publiek(eigen.versie_van(session, record)))
    gewijzigd = eigen.update(session, caller=caller, record=record, data=body, schemafouten=schemafouten(body))
    return versies.met_etag(response, eigen.publiek(gewijzigd))


@router.delete(
    "/indicatoren/{code}", status_code=status.HTTP_204_NO_CONTENT, summary="Eigen indicator intrekken",
    description=(
        "Trekt een eigen indicator in: hij staat niet meer in de lijst, is niet meer gedeeld en kan niet meer "
        "veranderen. De code blijft bezet en alle versies blijven voor de eigen organisatie opvraagbaar, met hun "
        "waarden, zodat eerdere cijfers reproduceerbaar blijven."
    ),
)
def delete_eigen_indicator(code: EigenCode, caller: RegistrerenDep, session: SessionDep) -> Response:
    eigen.delete(session, caller=caller, record=eigen.zoek(session, caller, code))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/indicatoren/{code}/versies", response_model=list[EigenIndicatorVersiePublic], responses=PAGINATED,
    summary="Versies van een eigen indicator",
    description="Alle versies van de definitie van een eigen indicator, de nieuwste eerst. Zichtbaar als de indicator "
    "zelf zichtbaar is.",
)
def list_versies(code: EigenCode, caller: RapporterenDep, session: SessionDep, pagina: PaginaDep,
                 organisatie: OrganisatieKeuze = None) -> list[EigenIndicatorVersiePublic]:
    record = eigen.zoek(session, caller, code, organisatie_id=organisatie)
    return [eigen.versie_publiek(v) for v in pagina.van(session, eigen.versies_statement(record))]


TE_VEEL_VERZOEKEN = {429: BUDGET_429}
BESCHERMING = """Organisatiesleutels zien de eigen organisatie exact. Regionale en landelijke sleutels zien de
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
ander formaat, telt niet mee."""
BESTANDEN = (
    "Dezelfde waarden als bestand, met dezelfde parameters: `/indicatoren/{code}/waarden.csv` (`formaat=csv` opent "
    "met een dubbelklik in Nederlandse Excel: puntkomma, decimale komma, UTF-8 met BOM; `formaat=csv-rfc4180` "
    "heeft komma's en decimale punten) en `/indicatoren/{code}/waarden.xlsx` (een werkmap met een tabel met "
    "filters, omschrijvingen naast de codes, percentages als percentage en een blad `Toelichting` met definitie, "
    "periode, filters, groepering, beschermingsmethode en aanmaaktijd). Ook vanuit Excel \"Van het web\" en "
    "Power Query."
)


def _bereken(verzoek: Any, caller: Any, session: Any) -> Resultaat:
    settings = get_settings()
    return bereken(session, caller=caller, verzoek=verzoek, drempel=settings.suppression_threshold,
                   max_rijen=settings.max_indicator_rows)


def _bestandsnaam(verzoek: Any) -> str:
    return f"{verzoek.indicator.code}-{verzoek.periode.label.replace('/', '_')}"


def _bestand(resultaat: Resultaat, formaat: Formaat) -> Response:
    naam = _bestandsnaam(resultaat.verzoek)
    if formaat is Formaat.xlsx:
        return formaten.bestand(export.to_xlsx(resultaat), formaat, naam)
    return formaten.bestand(export.to_csv(resultaat, formaat), formaat, naam)


@router.get(
    "/indicatoren/{code}/waarden",
    response_model=IndicatorWaarden,
    summary="Waarden van een indicator",
    description=(
        "Berekent de indicator over de periode, optioneel per interval en gegroepeerd op dimensies.\n\n"
        f"{BESCHERMING}\n\n{BESTANDEN}\n\nVerouderd: `formaat=csv|csv-rfc4180|xlsx` of `Accept: text/csv` (of het "
        "xlsx-type) op deze URL geven nog steeds het bestand, met de header `Deprecation` en een `Link` naar de "
        "URL hierboven."
    ),
    responses={**TE_VEEL_VERZOEKEN},
)
def get_indicator_waarden(
    caller: RapporterenDep,
    verzoek: VerzoekDep,
    request: Request,
    session: SessionDep,
    # Deprecated since API 0.3 (issue 28): one operation per format, so that every generated client
    # types the answer. Left out of the document; still honoured.
    formaat: Annotated[str | None, Query(include_in_schema=False, pattern=f"^({'|'.join(Waardenformaat)})$")] = None,
) -> Response:
    resultaat = _bereken(verzoek, caller, session)
    gekozen = formaten.kies(request, formaat, FORMATEN)
    if gekozen is Formaat.json:
        return JSONResponse(_as_json(resultaat, verzoek.indicator))
    antwoord = _bestand(resultaat, gekozen)
    query = [(k, v) for k, v in parse_qsl(request.url.query, keep_blank_values=True) if k != "formaat"]
    if gekozen is Formaat.csv_rfc4180:
        query.append(("formaat", gekozen.value))
    extensie = "xlsx" if gekozen is Formaat.xlsx else "csv"
    deprecation.markeer(antwoord.headers, opvolger=f"{request.url.path}.{extensie}" + (f"?{urlencode(query)}" if query else ""))
    return antwoord


@router.get(
    "/indicatoren/{code}/waarden.csv",
    response_class=Response,
    summary="Waarden van een indicator als CSV",
    description=(
        "De waarden van `/indicatoren/{code}/waarden` (dezelfde parameters) als CSV, met een kolom per dimensie, "
        "een kolom met de omschrijving ernaast, en `waarde`, `teller`, `noemer` en `onderdrukt`. `formaat=csv` "
        "(standaard) opent met een dubbelklik in Nederlandse Excel (puntkomma, decimale komma, UTF-8 met BOM); "
        f"`formaat=csv-rfc4180` heeft komma's en decimale punten.\n\n{BESCHERMING}"
    ),
    responses={**formaten.responses(Formaat.csv, beschrijving="De waarden als CSV."), **TE_VEEL_VERZOEKEN},
)
def get_indicator_waarden_csv(
    caller: RapporterenDep,
    verzoek: VerzoekDep,
    session: SessionDep,
    formaat: Annotated[
        formaten.CsvFormaat, Query(description="`csv` (Nederlandse Excel) of `csv-rfc4180` (komma's).", examples=["csv"])
    ] = formaten.CsvFormaat.csv,
) -> Response:
    return _bestand(_bereken(verzoek, caller, session), Formaat(formaat.value))


@router.get(
    "/indicatoren/{code}/waarden.xlsx",
    response_class=Response,
    summary="Waarden van een indicator als Excel-werkmap",
    description=(
        "De waarden van `/indicatoren/{code}/waarden` (dezelfde parameters) als Excel-werkmap: een tabel met "
        "filters, omschrijvingen naast de codes, percentages als percentage en een blad `Toelichting` met "
        f"definitie, periode, filters, groepering, beschermingsmethode en aanmaaktijd.\n\n{BESCHERMING}"
    ),
    responses={**formaten.responses(Formaat.xlsx, beschrijving="De waarden als Excel-werkmap."), **TE_VEEL_VERZOEKEN},
)
def get_indicator_waarden_xlsx(caller: RapporterenDep, verzoek: VerzoekDep, session: SessionDep) -> Response:
    return _bestand(_bereken(verzoek, caller, session), Formaat.xlsx)


def _public_van(verzoek: Any) -> IndicatorPublic:
    return eigen.publiek(verzoek.eigen) if verzoek.eigen is not None else _public(verzoek.indicator)


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
            if rij.tempo is not None or rij.doel_verwacht is not None:
                item.update(doelVerwacht=rij.doel_verwacht, tempo=rij.tempo)
        if rij.volledig is not None:
            item.update(volledig=rij.volledig, aantalOrganisaties=rij.aantal_organisaties)
        rijen.append(item)
    return {
        "indicator": _public_van(verzoek).model_dump(by_alias=True, mode="json"),
        "versie": verzoek.eigen.versie if verzoek.eigen is not None else None,
        "periode": _periode(verzoek.periode),
        "interval": verzoek.interval.value if verzoek.interval else None,
        "groeperenOp": list(verzoek.groeperen_op),
        "filters": {k: list(v) for k, v in verzoek.filters.items()},
        "onderdrukking": export.onderdrukking(resultaat),
        "rijen": rijen,
        "tempo": [{
            "doelId": str(t.doel_id), "periode": _periode(t.periode), "filters": t.filters, "doel": t.doel,
            "doelVerwacht": t.verwacht, "gerealiseerd": t.gerealiseerd, "tempo": t.tempo,
        } for t in resultaat.doeltempo],
    }
