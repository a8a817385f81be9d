"""Kosten: costs and allowances of an organisation, exact to the cent (issue 26, part 5).

Amounts are whole cents in the database (`app.core.geld`); every sum here and in the indicators is
an integer sum. A cost is dated by day (`datum`) or by month (`periode`, stored as the month's first
day with `per_maand`), optionally of a key person and a project of the organisation, and soft-deleted.
"""

import uuid
from datetime import date
from typing import Any

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.codelijsten import service as codelijsten
from app.core import geld
from app.core.errors import OngeldigeInvoer
from app.core.periods import Periode
from app.core.sorting import Sortering
from app.core.validation import vandaag
from app.kosten.schemas import KostenCreate, KostenOverzicht, KostenPublic, KostenUpdate
from app.models import Kosten, Project, Sleutelpersoon, utcnow
from app.projecten import service as projecten
from app.rapportage import slot
from app.toegang import audit, scoping
from app.toegang.caller import Caller

NAAM = "Kosten"
RESOURCE_TYPE = "kosten"
SORTERING = Sortering("Kosten", {
    "datum": Kosten.datum, "bedrag": Kosten.bedrag_centen, "soort": Kosten.soort, "aangemaaktOp": Kosten.aangemaakt_op,
}, standaard="-datum")


def get(session: Session, *, caller: Caller, kosten_id: uuid.UUID) -> Kosten:
    """The caller's organisation's live cost with this id, or 404."""
    return scoping.haal_eigen(session, Kosten, kosten_id, caller, naam=NAAM)


def publiek(kosten: Kosten) -> KostenPublic:
    """The API shape of a cost."""
    return KostenPublic(
        id=kosten.id, soort=kosten.soort, bedrag=geld.euro(kosten.bedrag_centen),
        datum=None if kosten.per_maand else kosten.datum,
        periode=f"{kosten.datum:%Y-%m}" if kosten.per_maand else None,
        sleutelpersoon_id=kosten.sleutelpersoon_id, project_id=kosten.project_id, gemeentecode=kosten.gemeentecode,
        omschrijving=kosten.omschrijving, aangemaakt_op=kosten.aangemaakt_op, gewijzigd_op=kosten.gewijzigd_op,
    )


def _maand_start(periode: str) -> date:
    jaar, maand = periode.split("-")
    return date(int(jaar), int(maand), 1)


def _validate(session: Session, *, caller: Caller, values: dict[str, Any], changed: set[str],
              bestaand: Kosten | None, schemafouten: list[dict[str, str]] = ()) -> Sleutelpersoon | None:  # type: ignore[assignment]
    """All rules in one pass, one 400 with every problem (the body's own `schemafouten` first); returns the
    key person (for the default gemeente)."""
    problems: list[dict[str, str]] = list(schemafouten)
    mislukt = {p["name"] for p in problems}
    if "soort" in changed and values.get("soort") is not None:
        problems += codelijsten.check_codes(session, lijst=codelijsten.KOSTEN_SOORT, values=[("soort", values["soort"])],
                                            allow_inactive=[bestaand.soort] if bestaand else ())
    if mislukt & {"datum", "periode"}:
        pass  # already reported by the schema
    elif (values.get("datum") is None) == (values.get("periode") is None):
        problems.append({"name": "datum", "reason": "Geef precies één van datum (een dag) of periode (een maand, JJJJ-MM)."})
    elif values.get("periode") is not None and _maand_start(values["periode"]) > vandaag().replace(day=1):
        problems.append({"name": "periode", "reason": f"De maand {values['periode']} ligt in de toekomst."})
    persoon = None
    if values.get("sleutelpersoon_id") is not None:
        persoon = session.exec(select(Sleutelpersoon).where(
            Sleutelpersoon.id == values["sleutelpersoon_id"], Sleutelpersoon.organisatie_id == caller.organisatie_id)).first()
        if persoon is None:
            problems.append({"name": "sleutelpersoonId",
                             "reason": f"Sleutelpersoon {values['sleutelpersoon_id']} bestaat niet in de eigen organisatie."})
    if "project_id" in changed:
        problems += projecten.controleer_project(session, caller=caller, project_id=values.get("project_id"))
    if problems:
        raise OngeldigeInvoer.met(problems, onderwerp="De kosten", slot=" Er is niets opgeslagen.")
    return persoon


def _standaard_gemeente(session: Session, persoon: Sleutelpersoon | None, project_id: uuid.UUID | None) -> str | None:
    if persoon is not None and persoon.gemeentecode:
        return persoon.gemeentecode
    if project_id is not None:
        project = session.get(Project, project_id)
        return project.financier_gemeentecode if project is not None else None
    return None


def create(session: Session, *, caller: Caller, data: KostenCreate,
           schemafouten: list[dict[str, str]] = ()) -> Kosten:  # type: ignore[assignment]
    """Record a cost; `schemafouten` (the body's own errors) join the rules' problems in one 400."""
    values = data.model_dump(by_alias=False, warnings=False)
    persoon = _validate(session, caller=caller, values=values, changed=set(values), bestaand=None,
                        schemafouten=schemafouten)
    slot.controleer(session, organisatie_id=caller.organisatie_id,  # an approved period is locked (issue 27)
                    datums=[data.datum if data.datum is not None else _maand_start(str(data.periode))])
    kosten = Kosten(
        organisatie_id=caller.organisatie_id, soort=data.soort, bedrag_centen=geld.centen(data.bedrag),
        datum=data.datum if data.datum is not None else _maand_start(str(data.periode)), per_maand=data.periode is not None,
        sleutelpersoon_id=data.sleutelpersoon_id, project_id=data.project_id,
        gemeentecode=data.gemeentecode or _standaard_gemeente(session, persoon, data.project_id),
        omschrijving=data.omschrijving,
    )
    audit.created(session, caller=caller, record=kosten, resource_type=RESOURCE_TYPE,
                  velden=[k for k, v in values.items() if v is not None])
    return kosten


def _huidig(kosten: Kosten) -> dict[str, Any]:
    publieke = publiek(kosten)
    return {
        "soort": kosten.soort, "bedrag": publieke.bedrag, "datum": publieke.datum, "periode": publieke.periode,
        "sleutelpersoon_id": kosten.sleutelpersoon_id, "project_id": kosten.project_id,
        "gemeentecode": kosten.gemeentecode, "omschrijving": kosten.omschrijving,
    }


def update(session: Session, *, caller: Caller, kosten: Kosten, data: KostenUpdate) -> Kosten:
    """Correct the fields sent; the rules are checked on the result. Sending `datum` clears `periode` and the other way round."""
    huidig = _huidig(kosten)
    changes = data.model_dump(exclude_unset=True, by_alias=False)
    if changes.get("datum") is not None and "periode" not in changes:
        changes["periode"] = None
    if changes.get("periode") is not None and "datum" not in changes:
        changes["datum"] = None
    changed = {k: v for k, v in changes.items() if huidig.get(k) != v}
    if not changed:
        return kosten
    merged = huidig | changed
    _validate(session, caller=caller, values=merged, changed=set(changed), bestaand=kosten)
    kolommen: dict[str, Any] = {}
    for naam, waarde in changed.items():
        if naam == "bedrag":
            kolommen["bedrag_centen"] = geld.centen(waarde)
        elif naam in ("datum", "periode"):
            kolommen["datum"] = merged["datum"] if merged["datum"] is not None else _maand_start(merged["periode"])
            kolommen["per_maand"] = merged["periode"] is not None
        else:
            kolommen[naam] = waarde
    slot.controleer(session, organisatie_id=kosten.organisatie_id, datums=[kosten.datum, kolommen.get("datum")])
    for naam, waarde in kolommen.items():
        setattr(kosten, naam, waarde)
    kosten.gewijzigd_op = utcnow()
    session.add(kosten)
    session.flush()
    audit.log(session, caller=caller, actie="gewijzigd", resource_type=RESOURCE_TYPE, resource_id=kosten.id,
              velden=[audit_naam(k) for k in changed])
    return kosten


def audit_naam(naam: str) -> str:
    head, *rest = naam.split("_")
    return head + "".join(p.capitalize() for p in rest)


def delete(session: Session, *, caller: Caller, kosten: Kosten) -> None:
    """Soft-delete: the cost counts nowhere any more and answers 404."""
    slot.controleer(session, organisatie_id=kosten.organisatie_id, datums=[kosten.datum])
    kosten.verwijderd_op = utcnow()
    kosten.gewijzigd_op = kosten.verwijderd_op
    session.add(kosten)
    session.flush()
    audit.log(session, caller=caller, actie="verwijderd", resource_type=RESOURCE_TYPE, resource_id=kosten.id)


def list_statement(
    caller: Caller, *, soort: str | None = None, sleutelpersoon: uuid.UUID | None = None, project: uuid.UUID | None = None,
    datum_vanaf: date | None = None, datum_tot: date | None = None, sort: list[Any] | None = None,
) -> SelectOfScalar[Kosten]:
    """The filtered, ordered select of the caller's live costs (paginated by the router); `datum_tot` inclusive."""
    statement = scoping.eigen(select(Kosten), Kosten, caller).where(col(Kosten.verwijderd_op).is_(None))
    if soort is not None:
        statement = statement.where(Kosten.soort == soort)
    if sleutelpersoon is not None:
        statement = statement.where(Kosten.sleutelpersoon_id == sleutelpersoon)
    if project is not None:
        statement = statement.where(Kosten.project_id == project)
    if datum_vanaf is not None:
        statement = statement.where(Kosten.datum >= datum_vanaf)
    if datum_tot is not None:
        statement = statement.where(Kosten.datum <= datum_tot)
    return statement.order_by(*(sort or SORTERING.standaard), Kosten.id)


def kosten_van_sleutelpersoon(session: Session, caller: Caller, sleutelpersoon_id: uuid.UUID,
                              periode: Periode) -> KostenOverzicht:
    """The costs of one key person of the caller's organisation in a period: total, per kind, and the lines.

    For the key person page (brief F). A key person of another organisation gives an empty overview
    (the caller's page already answered 404 for that person). Sums are exact, in cents."""
    statement = list_statement(caller, sleutelpersoon=sleutelpersoon_id, datum_vanaf=periode.vanaf,
                               datum_tot=periode.laatste_dag, sort=[col(Kosten.datum).asc()])
    regels = list(session.exec(statement))
    per_soort: dict[str, int] = {}
    for regel in regels:
        per_soort[regel.soort] = per_soort.get(regel.soort, 0) + regel.bedrag_centen
    return KostenOverzicht(
        sleutelpersoon_id=sleutelpersoon_id, totaal=geld.euro(sum(per_soort.values())),
        per_soort={s: geld.euro(c) for s, c in sorted(per_soort.items())}, kosten=[publiek(r) for r in regels],
    )
