"""Projecten: the funding streams of an organisation (issue 26, part 1), and what was spent on them.

A project belongs to one organisation; records (contactmomenten, inzet, professional contacts,
kosten) are charged to it by `project_id`, checked by `controleer_project` in each domain's one
validation pass. A project that records are charged to cannot be deleted (409); one without can.
"""

import uuid
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.codelijsten import service as codelijsten
from app.core import geld
from app.core.errors import Conflict, OngeldigeInvoer
from app.core.sorting import Sortering
from app.models import Contactmoment, Inzet, Kosten, ProfessioneelContact, Project
from app.projecten.schemas import Besteding, FinancierPublic, ProjectPublic
from app.toegang import audit, scoping
from app.toegang.caller import Caller

NAAM = "Project"
RESOURCE_TYPE = "project"
# The tables whose records can be charged to a project.
GEBOEKT = (Contactmoment, Inzet, ProfessioneelContact, Kosten)

SORTERING = Sortering("Project", {
    "naam": func.lower(Project.naam),
    "vanaf": Project.vanaf,
    "regeling": Project.regeling,
    "aangemaaktOp": Project.aangemaakt_op,
}, standaard="naam")


def get(session: Session, *, caller: Caller, project_id: uuid.UUID) -> Project:
    """The caller's organisation's project with this id, or 404."""
    return scoping.haal_eigen(session, Project, project_id, caller, naam=NAAM)


def publiek(project: Project) -> ProjectPublic:
    """The API shape of a project."""
    return ProjectPublic(
        id=project.id, naam=project.naam,
        financier=FinancierPublic(gemeentecode=project.financier_gemeentecode, naam=project.financier_naam),
        regeling=project.regeling, vanaf=project.vanaf, tot=project.tot,
        begroting=None if project.begroting_centen is None else geld.euro(project.begroting_centen),
        aangemaakt_op=project.aangemaakt_op, gewijzigd_op=project.gewijzigd_op,
    )


def _kolommen(data: dict[str, Any]) -> dict[str, Any]:
    """API fields (snake_case, financier nested, begroting in euros) as the table's columns."""
    kolommen = {k: v for k, v in data.items() if k not in ("financier", "begroting")}
    if "financier" in data:
        financier = data["financier"] or {}
        kolommen["financier_gemeentecode"] = financier.get("gemeentecode")
        kolommen["financier_naam"] = financier.get("naam")
    if "begroting" in data:
        kolommen["begroting_centen"] = None if data["begroting"] is None else geld.centen(data["begroting"])
    return kolommen


def _validate(session: Session, *, values: dict[str, Any], changed: set[str], bestaand: Project | None,
              schemafouten: list[dict[str, str]] = ()) -> None:  # type: ignore[assignment]
    """The project's own rules in one pass: the regeling code list and a period that runs forward.

    `schemafouten` are the body's own errors (its failed fields are None), reported first."""
    problems: list[dict[str, str]] = list(schemafouten)
    if "regeling" in changed and values.get("regeling") is not None:
        problems += codelijsten.check_codes(session, lijst=codelijsten.REGELING, values=[("regeling", values["regeling"])],
                                            allow_inactive=[bestaand.regeling] if bestaand else ())
    if values.get("tot") is not None and values.get("vanaf") is not None and values["tot"] < values["vanaf"]:
        problems.append({"name": "tot", "reason": f"tot ({values['tot']}) ligt vóór vanaf ({values['vanaf']})."})
    if problems:
        raise OngeldigeInvoer.met(problems, onderwerp="Het project")


def create(session: Session, *, caller: Caller, data: dict[str, Any],
           schemafouten: list[dict[str, str]] = ()) -> Project:  # type: ignore[assignment]
    """Add a project to the caller's organisation; `schemafouten` join the rules' problems in one 400."""
    kolommen = _kolommen(data)
    _validate(session, values=kolommen, changed=set(kolommen), bestaand=None, schemafouten=schemafouten)
    project = Project(organisatie_id=caller.organisatie_id, **kolommen)
    audit.created(session, caller=caller, record=project, resource_type=RESOURCE_TYPE,
                  velden=[k for k, v in data.items() if v is not None])
    return project


def update(session: Session, *, caller: Caller, project: Project, changes: dict[str, Any]) -> Project:
    """Apply a partial change, validated on the result."""
    kolommen = _kolommen(changes)
    changed = {k: v for k, v in kolommen.items() if getattr(project, k) != v}
    if changed:
        huidig = {k: getattr(project, k) for k in ("regeling", "vanaf", "tot")}
        _validate(session, values=huidig | changed, changed=set(changed), bestaand=project)
        audit.apply_changes(session, caller=caller, record=project, changed=changed, resource_type=RESOURCE_TYPE)
    return project


def in_gebruik(session: Session, *, project: Project) -> int:
    """How many live records are charged to the project."""
    totaal = 0
    for model in GEBOEKT:
        statement = select(func.count()).select_from(model).where(model.project_id == project.id)
        if hasattr(model, "verwijderd_op"):
            statement = statement.where(col(model.verwijderd_op).is_(None))
        totaal += int(session.exec(statement).one())
    return totaal


def delete(session: Session, *, caller: Caller, project: Project) -> None:
    """Delete a project nothing is charged to; one with records is a 409 (change the records first)."""
    aantal = in_gebruik(session, project=project)
    geboekt_verwijderd = any(
        session.exec(select(model.id).where(model.project_id == project.id).limit(1)).first() is not None
        for model in GEBOEKT
    )
    if aantal or geboekt_verwijderd:
        raise Conflict(f"Op project {project.id} zijn {aantal} registraties geboekt (verwijderde meegeteld als die er "
                       "zijn); het kan niet worden verwijderd. Boek ze eerst op een ander project of op geen project.")
    audit.log(session, caller=caller, actie="verwijderd", resource_type=RESOURCE_TYPE, resource_id=project.id)
    session.info.pop("projecten.eigen", None)  # a remembered "is ours" must not outlive the project
    session.delete(project)
    session.flush()


def list_statement(
    session: Session, *, caller: Caller, regeling: str | None = None, gemeente: str | None = None,
    lopend_op: date | None = None, zoek: str | None = None, sort: list[Any] | None = None,
) -> SelectOfScalar[Project]:
    """The filtered, ordered select of the caller's projects (paginated by the router)."""
    statement = scoping.eigen(select(Project), Project, caller)
    if regeling is not None:
        problems = codelijsten.check_codes(session, lijst=codelijsten.REGELING, values=[("regeling", regeling)],
                                           allow_inactive=[regeling])
        if problems:
            raise OngeldigeInvoer.met(problems)
        statement = statement.where(Project.regeling == regeling)
    if gemeente is not None:
        statement = statement.where(Project.financier_gemeentecode == gemeente)
    if lopend_op is not None:
        statement = statement.where(Project.vanaf <= lopend_op,
                                    (col(Project.tot).is_(None)) | (col(Project.tot) >= lopend_op))
    if zoek:
        statement = statement.where(func.lower(Project.naam).contains(zoek.lower(), autoescape=True))
    return statement.order_by(*(sort or SORTERING.standaard), Project.id)


def controleer_project(session: Session, *, caller: Caller, project_id: uuid.UUID | None, datum: date | None = None,
                       veld: str = "projectId") -> list[dict[str, str]]:
    """Problems with charging a record to this project: it must be a project of the caller's organisation.

    A record dated outside the project's period is allowed: work is often charged to a stream that
    started late or ran out (a grant arrives in March for the year), and refusing it would block
    imports of true history. The dashboard shows such records; nothing is refused for the date.
    """
    if project_id is None:
        return []
    # Remembered for the session (one request, or one import's transaction): a bulk import checks
    # each distinct project once, and nothing outlives the transaction that looked it up.
    gezien: dict[tuple[uuid.UUID | None, uuid.UUID], bool] = session.info.setdefault("projecten.eigen", {})
    sleutel = (caller.organisatie_id, project_id)
    if sleutel not in gezien:
        gezien[sleutel] = session.exec(
            select(Project.id).where(Project.id == project_id, Project.organisatie_id == caller.organisatie_id)
        ).first() is not None
    if not gezien[sleutel]:
        return [{"name": veld, "reason": f"Project {project_id} bestaat niet in de eigen organisatie."}]
    return []


def besteding(session: Session, *, caller: Caller, projecten: list[Project],
              vanaf: date | None = None, tot: date | None = None) -> dict[uuid.UUID, Besteding]:
    """Per project: the sum of its live costs (exact, in cents) against its budget; optionally within [vanaf, tot)."""
    ids = [p.id for p in projecten]
    statement = (select(Kosten.project_id, func.coalesce(func.sum(Kosten.bedrag_centen), 0))
                 .where(col(Kosten.project_id).in_(ids), Kosten.organisatie_id == caller.organisatie_id,
                        col(Kosten.verwijderd_op).is_(None))
                 .group_by(Kosten.project_id))
    if vanaf is not None:
        statement = statement.where(Kosten.datum >= vanaf)
    if tot is not None:
        statement = statement.where(Kosten.datum < tot)
    sommen = {pid: int(som) for pid, som in session.exec(statement)} if ids else {}
    resultaat = {}
    for project in projecten:
        besteed = sommen.get(project.id, 0)
        begroting = project.begroting_centen
        resultaat[project.id] = Besteding(
            project_id=project.id, besteed=geld.euro(besteed),
            begroting=None if begroting is None else geld.euro(begroting),
            percentage=round(100 * besteed / begroting, 1) if begroting else None,
        )
    return resultaat
