"""The verantwoording's costs section and its selection of a project or a financier (issue 26's projects).

Costs come from the indicator engine (`kosten`, `kosten-per-contactmoment`, `kosten-per-bereikte-inwoner`),
exactly as the API gives them to the organisation; a project's budget and spending from
`projecten.service.besteding`, as `GET /v1/projecten/{id}/besteding`.
"""

import uuid
from decimal import Decimal

from sqlmodel import Session, func

from app.models import Project
from app.projecten import service as projecten
from app.toegang.caller import Caller
from app.verantwoording.service import Context, Kolom, Sectie, Soort, per_dimensie, waarde


def selectie(session: Session, *, caller: Caller, project_id: str | None,
             financier: str | None) -> tuple[dict[str, tuple[str, ...]], str | None, list[dict[str, str]]]:
    """The indicator filter for one project (404 for another organisation's) or a financier's projects, its
    description, and the problems of these two query keys (for the one 400 with every invalid key)."""
    if project_id is None and financier is None:
        return {}, None, []
    if project_id is not None and financier is not None:
        return {}, None, [{"name": "financier", "reason": "Kies een project of een financier, niet beide."}]
    if project_id is not None:
        try:
            gekozen = uuid.UUID(project_id)
        except ValueError:
            return {}, None, [{"name": "projectId", "reason": "Geen geldig id (UUID)."}]
        project = projecten.get(session, caller=caller, project_id=gekozen)  # 404: ids leak nothing
        return {"project": (str(project.id),)}, f"Project {project.naam}", []
    tekst = (financier or "").strip()
    eigen = projecten.list_statement(session, caller=caller)
    if tekst.upper().startswith("GM"):
        gevonden = session.exec(eigen.where(Project.financier_gemeentecode == tekst.upper())).all()
    else:
        gevonden = session.exec(eigen.where(func.lower(Project.financier_naam) == tekst.lower())).all()
    if not gevonden:
        return {}, None, [{"name": "financier", "reason": (
            "Uw organisatie heeft geen project met deze financier; geef een gemeentecode (GM0344) of de naam "
            "van de financier zoals bij het project.")}]
    return ({"project": tuple(str(p.id) for p in gevonden)},
            f"Financier {tekst} ({', '.join(p.naam for p in gevonden)})", [])


def _euro(bedrag: Decimal | None) -> float | None:
    return None if bedrag is None else float(bedrag)


def kosten(context: Context) -> Sectie:
    """Costs by kind and per project, what a contact and a resident reached cost, and each project's budget."""
    sectie = Sectie(
        code="Kosten", titel="Kosten",
        inleiding="De kosten en vergoedingen met een datum in de periode, per soort en per project, en wat een "
                  "contactmoment en een bereikte inwoner kostten (exact op de cent). Per project ook de begroting en "
                  "wat daarvan in de periode en in totaal besteed is.",
        kolommen=[Kolom("Wat"), Kolom("Uitsplitsing"), Kolom("Bedrag", Soort.euro), Kolom("Aantal", Soort.aantal),
                  Kolom("Percentage van de begroting", Soort.percentage)],
        leeg="Geen kosten in deze periode.",
    )
    for label, rij in per_dimensie(waarde(context, "kosten", groeperen_op=["soort"]), "soort"):
        sectie.rijen.append(["Kosten per soort", label, rij.waarde, None, None])
    sectie.rijen.append(["Kosten", "Totaal", waarde(context, "kosten").rijen[0].waarde, None, None])
    for code, naam in (("kosten-per-contactmoment", "Kosten per contactmoment"),
                       ("kosten-per-bereikte-inwoner", "Kosten per bereikte inwoner")):
        rij = waarde(context, code).rijen[0]
        sectie.rijen.append([naam, f"over {rij.noemer or 0} {'contactmomenten' if 'contact' in code else 'inwoners'}",
                             rij.waarde, rij.noemer, None])
    p = context.periode
    ids = context.selectie.get("project")
    statement = projecten.list_statement(context.session, caller=context.caller)
    if ids:
        statement = statement.where(Project.id.in_([uuid.UUID(i) for i in ids]))  # type: ignore[attr-defined]
    lijst = list(context.session.exec(statement.limit(200)))
    in_periode = projecten.besteding(context.session, caller=context.caller, projecten=lijst, vanaf=p.vanaf, tot=p.tot)
    totaal = projecten.besteding(context.session, caller=context.caller, projecten=lijst)
    for project in lijst:
        b, t = in_periode[project.id], totaal[project.id]
        sectie.rijen.append([f"Project {project.naam}", "Besteed in de periode", _euro(b.besteed), None,
                             b.percentage])
        sectie.rijen.append([f"Project {project.naam}", "Besteed in totaal", _euro(t.besteed), None, t.percentage])
        if t.begroting is not None:
            sectie.rijen.append([f"Project {project.naam}", "Begroting", _euro(t.begroting), None, None])
    return sectie

