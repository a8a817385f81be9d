"""Routes for /v1/projecten: the organisation's funding streams, what was spent on them, and SROI inputs."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.core import versies
from app.core.db import SessionDep
from app.core.errors import OngeldigeInvoer
from app.core.filternamen import hernoemd
from app.core.formaten import OCTET_MEDIA_TYPE, XLSX_MEDIA_TYPE
from app.core.openapi import location
from app.core.pagination import PAGINATED, PaginaDep
from app.core.periods import PeriodeFout, parse_periode, range_periode
from app.core.schemas import schemafouten
from app.core.validation import GEMEENTECODE_PATTERN, vandaag
from app.projecten import service, sroi
from app.projecten.dependencies import ProjectDep
from app.projecten.schemas import Besteding, ProjectInvoer, ProjectPublic, ProjectUpdate
from app.toegang.dependencies import InzienDep, RapporterenDep, RegistrerenDep

router = APIRouter(tags=["projecten"])

RegelingFilter = Annotated[str | None, Query(max_length=40, description="Regeling (codelijst `regeling`).", examples=["kansrijke-start"])]
GemeenteFilter = Annotated[str | None, hernoemd("gemeentecode", "gemeente", str, pattern=GEMEENTECODE_PATTERN, description="Projecten die deze gemeente financiert.", examples=["GM0344"])]
LopendOpFilter = Annotated[date | None, Query(alias="lopendOp", description="Alleen projecten die op deze dag lopen.", examples=["2026-06-01"])]
ZoekFilter = Annotated[str | None, Query(max_length=100, description="Deel van de naam (hoofdletterongevoelig).", examples=["kansrijk"])]
Sortering = service.SORTERING.dep


@router.post("/projecten", status_code=status.HTTP_201_CREATED, summary="Project toevoegen")
def create_project(caller: RegistrerenDep, body: ProjectInvoer, session: SessionDep, response: Response) -> ProjectPublic:
    """Voeg een project (financieringsstroom) toe aan de eigen organisatie: wie betaalt (een gemeente of een andere
    financier), onder welke regeling, voor welke periode, met welke begroting. Contactmomenten, inzet, contacten met
    professionals en kosten kunnen daarna met `projectId` op het project worden geboekt."""
    project = service.create(session, caller=caller, data=body.model_dump(by_alias=False, warnings=False),
                             schemafouten=schemafouten(body))
    response.headers["Location"] = location("projecten", project.id)
    return service.publiek(project)


@router.get("/projecten", responses=PAGINATED, summary="Projecten zoeken")
def list_projecten(
    caller: InzienDep, session: SessionDep, pagina: PaginaDep, sort: Sortering,
    regeling: RegelingFilter = None, gemeente: GemeenteFilter = None, lopend_op: LopendOpFilter = None,
    zoek: ZoekFilter = None,
) -> list[ProjectPublic]:
    """De projecten van de eigen organisatie, gepagineerd (standaard op naam)."""
    statement = service.list_statement(session, caller=caller, regeling=regeling, gemeente=gemeente,
                                       lopend_op=lopend_op, zoek=zoek, sort=sort)
    return [service.publiek(p) for p in pagina.van(session, statement)]


@router.get("/projecten/{projectId}", summary="Eén project")
def get_project(caller: InzienDep, project: ProjectDep, response: Response) -> ProjectPublic:
    """Eén project van de eigen organisatie; dat van een andere organisatie geeft 404."""
    return versies.met_etag(response, service.publiek(project))


@router.patch("/projecten/{projectId}", summary="Project wijzigen")
def update_project(
    caller: RegistrerenDep, project: ProjectDep, body: ProjectUpdate, session: SessionDep, response: Response,
    if_match: versies.IfMatchDep = None,
) -> ProjectPublic:
    """Wijzig de meegestuurde velden; dezelfde regels als bij toevoegen gelden voor het resultaat. Met `If-Match`
    geeft een intussen gewijzigd project 412."""
    if if_match is not None:
        versies.vergrendel(session, project)
        versies.controleer(if_match, service.publiek(project))
    project = service.update(session, caller=caller, project=project, changes=body.model_dump(exclude_unset=True, by_alias=False))
    return versies.met_etag(response, service.publiek(project))


@router.delete("/projecten/{projectId}", status_code=status.HTTP_204_NO_CONTENT, summary="Project verwijderen",
               responses={409: {"description": "Er zijn registraties op het project geboekt."}})
def delete_project(caller: RegistrerenDep, project: ProjectDep, session: SessionDep) -> Response:
    """Verwijdert een project waarop niets geboekt is. Zijn er contactmomenten, inzet, contacten met professionals of
    kosten op geboekt (ook verwijderde), dan volgt 409: de historie van wat een financier betaalde blijft kloppen."""
    service.delete(session, caller=caller, project=project)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/projecten/{projectId}/besteding", summary="Besteding van een project tegenover de begroting")
def get_besteding(caller: InzienDep, project: ProjectDep, session: SessionDep) -> Besteding:
    """De som van alle kosten die op het project geboekt zijn (exact, op de cent), tegenover de begroting."""
    return service.besteding(session, caller=caller, projecten=[project])[project.id]


SroiPeriode = Annotated[str | None, Query(max_length=40, description="De periode: 2026, 2026Q1, 2026-03, ... of relatief; "
                                          "standaard de looptijd van het project (tot vandaag als het doorloopt).", examples=["2026"])]


@router.get(
    "/projecten/{projectId}/sroi-invoer",
    summary="SROI-invoer van een project (XLSX)",
    response_class=Response,
    # The same bytes as octet-stream too, for generators that know no spreadsheet type (formaten.responses).
    responses={200: {"content": {XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}},
                                 OCTET_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
                     "description": "Een werkmap met een blad Toelichting en een blad per soort invoer."}},
)
def get_sroi_invoer(caller: RapporterenDep, project: ProjectDep, session: SessionDep, periode: SroiPeriode = None) -> Response:
    """De invoer voor een SROI-analyse van het project over een periode, als Excel-werkmap: uren per soort, kosten per soort,
    bereik, afgeronde doorverwijzingen, uitkomsten en verhalen per effect, met een blad Toelichting dat zegt wat elk cijfer
    is. De SROI zelf is het werk van de analist en wordt niet berekend. Alle cijfers zijn exact (alleen voor de
    organisatie zelf) en gelijk aan die van de indicatoren met `project=<id>`."""
    try:
        if periode is not None:
            gekozen = parse_periode(periode, today=vandaag())
        else:
            gekozen = range_periode(project.vanaf, project.tot or max(project.vanaf, vandaag()))
    except PeriodeFout as exc:
        raise OngeldigeInvoer.veld("periode", str(exc)) from exc
    gegevens = sroi.invoer(session, caller=caller, project=project, periode=gekozen)
    inhoud = sroi.to_xlsx(gegevens, project=project, periode=gekozen, gemaakt=vandaag())
    naam = f"sroi-invoer-{gekozen.label.replace('/', '_')}.xlsx"
    return Response(content=inhoud, media_type=XLSX_MEDIA_TYPE, headers={"Content-Disposition": f'attachment; filename="{naam}"'})
