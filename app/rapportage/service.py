"""The reporting cycle: a region's rhythm, an organisation's submission, the region's approval, and the history.

A period's status lives in `rapportagestatus`, one row per (rhythm, organisation, period) once anything
happened; no row is `open`. Every step is one row in `rapportage_historie` and one audit row.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from app.core.errors import Conflict, GeenToegang, NietGevonden, OngeldigeInvoer
from app.core.periods import Periode
from app.core.validation import TIJDZONE, vandaag
from app.gebeurtenissen import service as gebeurtenissen
from app.models import (
    Organisatie,
    RapportageHistorie,
    Rapportageritme,
    RapportageritmeOrganisatie,
    Rapportagestatus,
    utcnow,
)
from app.rapportage import periodes as rp
from app.rapportage import slot
from app.rapportage.periodes import Periodestatus
from app.rapportage.schemas import (
    HistorieStap,
    OrganisatieVerwijzing,
    RapportageperiodePublic,
    RapportageritmeCreate,
    RapportageritmePublic,
    RapportageritmeUpdate,
)
from app.toegang import audit
from app.toegang.caller import Binding, Caller

RITME = "rapportageritme"
PERIODE = "rapportageperiode"

# Which step is allowed from which status, and where it leads.
OVERGANGEN: dict[str, tuple[frozenset[Periodestatus], Periodestatus]] = {
    "indienen": (frozenset({Periodestatus.open, Periodestatus.teruggestuurd, Periodestatus.heropend}), Periodestatus.ingediend),
    "goedkeuren": (frozenset({Periodestatus.ingediend}), Periodestatus.goedgekeurd),
    "terugsturen": (frozenset({Periodestatus.ingediend}), Periodestatus.teruggestuurd),
    "heropenen": (frozenset({Periodestatus.goedgekeurd}), Periodestatus.heropend),
}
ACTIE = {"indienen": "ingediend", "goedkeuren": "goedgekeurd", "terugsturen": "teruggestuurd", "heropenen": "heropend"}
GEWIJZIGD = "gewijzigd-na-goedkeuring"


# --- rhythms ---------------------------------------------------------------------------------


def _in_regio(caller: Caller, gemeentecodes: Iterable[str]) -> bool:
    """Whether the caller may manage a rhythm for these gemeenten (an administrator: all)."""
    if caller.binding is Binding.beheer:
        return True
    return caller.binding is Binding.regio and set(gemeentecodes) <= set(caller.gemeentecodes)


def ritmes(session: Session, *, caller: Caller) -> list[Rapportageritme]:
    """The rhythms of the caller's region, oldest first (a handful per region: filtered here, not in SQL)."""
    alle = session.exec(select(Rapportageritme).order_by(col(Rapportageritme.aangemaakt_op), col(Rapportageritme.id)))
    return [r for r in alle if _in_regio(caller, r.gemeentecodes)]


def get_ritme(session: Session, *, caller: Caller, ritme_id: uuid.UUID) -> Rapportageritme:
    """One rhythm of the caller's region, or 404 (also one of another region: ids leak nothing)."""
    ritme = session.get(Rapportageritme, ritme_id)
    if ritme is None or not _in_regio(caller, ritme.gemeentecodes):
        raise NietGevonden(f"Rapportageritme {ritme_id} bestaat niet.")
    return ritme


def organisaties(session: Session, ritme_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[Organisatie]]:
    """The expected organisations per rhythm, by name."""
    ids = list(ritme_ids)
    result: dict[uuid.UUID, list[Organisatie]] = {i: [] for i in ids}
    if not ids:
        return result
    rijen = session.exec(
        select(RapportageritmeOrganisatie.ritme_id, Organisatie)
        .join(Organisatie, col(Organisatie.id) == RapportageritmeOrganisatie.organisatie_id)
        .where(col(RapportageritmeOrganisatie.ritme_id).in_(ids))
        .order_by(col(Organisatie.naam), col(Organisatie.id))
    )
    for ritme_id, organisatie in rijen:
        result[ritme_id].append(organisatie)
    return result


def ritme_publiek(session: Session, ritme: Rapportageritme) -> RapportageritmePublic:
    orgs = organisaties(session, [ritme.id])[ritme.id]
    return RapportageritmePublic(
        id=ritme.id, naam=ritme.naam, ritme=rp.Ritme(ritme.ritme), gemeentecodes=list(ritme.gemeentecodes),
        organisaties=[OrganisatieVerwijzing(id=o.id, naam=o.naam) for o in orgs], termijn_dagen=ritme.termijn_dagen,
        vanaf=ritme.vanaf, aangemaakt_op=ritme.aangemaakt_op, gewijzigd_op=ritme.gewijzigd_op,
    )


def _controleer_organisaties(session: Session, ids: list[uuid.UUID], gemeentecodes: list[str]) -> list[dict[str, str]]:
    """Every expected organisation exists, is active and serves one of the rhythm's gemeenten."""
    gevonden = {o.id: o for o in session.exec(select(Organisatie).where(col(Organisatie.id).in_(ids)))}
    problemen = []
    if len(set(ids)) != len(ids):
        problemen.append({"name": "organisatieIds", "reason": "Elke organisatie mag hoogstens een keer voorkomen."})
    for index, organisatie_id in enumerate(ids):
        organisatie = gevonden.get(organisatie_id)
        if organisatie is None or not organisatie.actief or not set(organisatie.gemeentecodes) & set(gemeentecodes):
            problemen.append({"name": f"organisatieIds[{index}]", "reason": (
                f"Organisatie {organisatie_id} bestaat niet, is niet actief of werkt niet in een van de gemeenten "
                f"{', '.join(gemeentecodes)}.")})
    return problemen


def _zet_organisaties(session: Session, ritme_id: uuid.UUID, ids: list[uuid.UUID]) -> None:
    tabel = RapportageritmeOrganisatie.__table__  # type: ignore[attr-defined]
    session.execute(tabel.delete().where(tabel.c.ritme_id == ritme_id))
    session.execute(tabel.insert(), [{"ritme_id": ritme_id, "organisatie_id": i} for i in ids])


def create_ritme(session: Session, *, caller: Caller, data: RapportageritmeCreate) -> Rapportageritme:
    """Declare a rhythm for gemeenten of the caller's region; all problems in one 400."""
    if not _in_regio(caller, data.gemeentecodes):
        buiten = sorted(set(data.gemeentecodes) - set(caller.gemeentecodes))
        raise GeenToegang(f"Gemeente {', '.join(buiten)} valt buiten de regio van deze sleutel.")
    problemen = _controleer_organisaties(session, data.organisatie_ids, data.gemeentecodes)
    if problemen:
        raise OngeldigeInvoer.met(problemen)
    ritme = Rapportageritme(naam=data.naam, ritme=data.ritme.value, gemeentecodes=sorted(set(data.gemeentecodes)),
                            termijn_dagen=data.termijn_dagen, vanaf=data.vanaf, api_sleutel_id=caller.sleutel_id)
    session.add(ritme)
    session.flush()
    _zet_organisaties(session, ritme.id, data.organisatie_ids)
    audit.log(session, caller=caller, actie="aangemaakt", resource_type=RITME, resource_id=ritme.id,
              velden=["naam", "ritme", "gemeentecodes", "organisatieIds", "termijnDagen", "vanaf"])
    return ritme


def update_ritme(session: Session, *, caller: Caller, ritme: Rapportageritme, data: RapportageritmeUpdate) -> Rapportageritme:
    """Change name, deadline or expected organisations (the gemeenten and the rhythm stay)."""
    changes = data.model_dump(exclude_unset=True)
    if "organisatie_ids" in changes and changes["organisatie_ids"] is not None:
        problemen = _controleer_organisaties(session, data.organisatie_ids or [], list(ritme.gemeentecodes))
        if problemen:
            raise OngeldigeInvoer.met(problemen)
        _zet_organisaties(session, ritme.id, data.organisatie_ids or [])
    for naam in ("naam", "termijn_dagen"):
        if changes.get(naam) is not None:
            setattr(ritme, naam, changes[naam])
    ritme.gewijzigd_op = utcnow()
    session.add(ritme)
    session.flush()
    audit.log(session, caller=caller, actie="gewijzigd", resource_type=RITME, resource_id=ritme.id,
              velden=[{"organisatie_ids": "organisatieIds", "termijn_dagen": "termijnDagen"}.get(n, n)
                      for n, v in changes.items() if v is not None])
    return ritme


# --- period statuses -------------------------------------------------------------------------


@dataclass
class Vak:
    """One cell of the completeness table: a rhythm, an organisation, a period, and its status row (if any)."""

    ritme: Rapportageritme
    organisatie: Organisatie
    periode: Periode
    status: Rapportagestatus | None

    @property
    def huidig(self) -> Periodestatus:
        return Periodestatus(self.status.status) if self.status is not None else Periodestatus.open

    @property
    def deadline(self) -> date:
        return rp.deadline(self.periode, self.ritme.termijn_dagen)

    def tijdig(self, vandaag_: date) -> bool | None:
        eerst = self.status.eerst_ingediend_op if self.status is not None else None
        if eerst is not None:
            return eerst.astimezone(TIJDZONE).date() <= self.deadline
        return False if vandaag_ > self.deadline else None


def periodes_van(ritme: Rapportageritme, tot: date | None = None) -> list[Periode]:
    """The rhythm's periods from its start to the one that contains `tot` (today by default)."""
    return rp.periodes(ritme.ritme, ritme.vanaf, tot or vandaag())


def vind_periode(ritme: Rapportageritme, code: str) -> Periode | None:
    """The period this code names in the rhythm, if it has begun and is not before the rhythm's start."""
    periode = rp.parse(ritme.ritme, code)
    if periode is None or periode.tot <= ritme.vanaf or periode.vanaf > vandaag():
        return None
    return periode


def vakken(
    session: Session,
    ritmes_: list[Rapportageritme],
    *,
    organisatie_id: uuid.UUID | None = None,
    periode: str | None = None,
    tot: date | None = None,
) -> list[Vak]:
    """The cells of these rhythms (optionally one organisation, one period code): two queries in all."""
    orgs = organisaties(session, [r.id for r in ritmes_])
    ids = [r.id for r in ritmes_]
    statement = select(Rapportagestatus).where(col(Rapportagestatus.ritme_id).in_(ids))
    if organisatie_id is not None:
        statement = statement.where(Rapportagestatus.organisatie_id == organisatie_id)
    if periode is not None:
        statement = statement.where(Rapportagestatus.periode == periode)
    rijen = {(s.ritme_id, s.organisatie_id, s.periode): s for s in session.exec(statement)} if ids else {}
    result: list[Vak] = []
    for ritme in ritmes_:
        lijst = periodes_van(ritme, tot)
        if periode is not None:
            lijst = [p for p in lijst if p.label == periode]
        for organisatie in orgs[ritme.id]:
            if organisatie_id is not None and organisatie.id != organisatie_id:
                continue
            for p in lijst:
                result.append(Vak(ritme, organisatie, p, rijen.get((ritme.id, organisatie.id, p.label))))
    return result


def historie(session: Session, status_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[RapportageHistorie]]:
    ids = list(status_ids)
    result: dict[uuid.UUID, list[RapportageHistorie]] = {i: [] for i in ids}
    if ids:
        for stap in session.exec(select(RapportageHistorie).where(col(RapportageHistorie.status_id).in_(ids))
                                 .order_by(col(RapportageHistorie.tijdstip), col(RapportageHistorie.id))):
            result[stap.status_id].append(stap)
    return result


def publiek(session: Session, lijst: list[Vak]) -> list[RapportageperiodePublic]:
    """The public shape of these cells, with their history (one query for all)."""
    stappen = historie(session, [v.status.id for v in lijst if v.status is not None])
    nu = vandaag()
    result = []
    for vak in lijst:
        s = vak.status
        eigen = stappen.get(s.id, []) if s is not None else []
        na_goedkeuring = 0
        for stap in eigen:
            na_goedkeuring = 0 if stap.actie == "goedgekeurd" else na_goedkeuring + (stap.actie == GEWIJZIGD)
        result.append(RapportageperiodePublic(
            ritme_id=vak.ritme.id, ritme_naam=vak.ritme.naam,
            organisatie=OrganisatieVerwijzing(id=vak.organisatie.id, naam=vak.organisatie.naam),
            periode=vak.periode.label, vanaf=vak.periode.vanaf, tot=vak.periode.laatste_dag, deadline=vak.deadline,
            status=vak.huidig, tijdig=vak.tijdig(nu),
            ingediend_op=s.ingediend_op if s else None, eerst_ingediend_op=s.eerst_ingediend_op if s else None,
            goedgekeurd_op=s.goedgekeurd_op if s and vak.huidig is Periodestatus.goedgekeurd else None,
            bericht=s.bericht if s and vak.huidig is Periodestatus.teruggestuurd else None,
            reden=s.reden if s and vak.huidig is Periodestatus.heropend else None,
            wijzigingen_na_goedkeuring=na_goedkeuring if vak.huidig is Periodestatus.goedgekeurd else 0,
            historie=[HistorieStap(tijdstip=h.tijdstip, actie=h.actie, status=Periodestatus(h.status), sleutel_id=h.api_sleutel_id,
                                   toelichting=h.toelichting, aantal=h.aantal) for h in eigen],
        ))
    return result


def eigen_ritmes(session: Session, *, caller: Caller) -> list[Rapportageritme]:
    """The rhythms under which the caller's organisation is expected to report."""
    return list(session.exec(
        select(Rapportageritme)
        .join(RapportageritmeOrganisatie, col(RapportageritmeOrganisatie.ritme_id) == Rapportageritme.id)
        .where(RapportageritmeOrganisatie.organisatie_id == caller.organisatie_id)
        .order_by(col(Rapportageritme.aangemaakt_op), col(Rapportageritme.id))
    ))


def eigen_vakken(session: Session, *, caller: Caller, periode: str | None = None) -> list[Vak]:
    """The caller's organisation's cells, newest period first."""
    lijst = vakken(session, eigen_ritmes(session, caller=caller), organisatie_id=caller.organisatie_id, periode=periode)
    return sorted(lijst, key=lambda v: (v.periode.vanaf, v.ritme.naam), reverse=True)


def _stap(session: Session, *, caller: Caller, vak: Vak, stap: str, toelichting: str | None = None) -> Vak:
    """Move one cell on by `stap` (409 when its status does not allow it); history and audit included."""
    van, naar = OVERGANGEN[stap]
    if vak.huidig not in van:
        raise Conflict(
            f"De periode {vak.periode.label} van {vak.organisatie.naam} heeft status `{vak.huidig.value}`; "
            f"{stap} kan alleen bij status {', '.join(sorted(s.value for s in van))}.",
            code="statusovergang",
            extra={"huidigeStatus": vak.huidig.value, "toegestaneStatussen": sorted(s.value for s in van)},
        )
    nu = utcnow()
    status = vak.status
    if status is None:
        status = Rapportagestatus(ritme_id=vak.ritme.id, organisatie_id=vak.organisatie.id, periode=vak.periode.label,
                                  begin=vak.periode.vanaf, eind=vak.periode.tot, status=naar.value)
    status.status = naar.value
    status.gewijzigd_op = nu
    if naar is Periodestatus.ingediend:
        status.ingediend_op = nu
        status.eerst_ingediend_op = status.eerst_ingediend_op or nu
    elif naar is Periodestatus.goedgekeurd:
        status.goedgekeurd_op = nu
    elif naar is Periodestatus.teruggestuurd:
        status.bericht = toelichting
    elif naar is Periodestatus.heropend:
        status.reden = toelichting
    session.add(status)
    session.flush()
    session.add(RapportageHistorie(status_id=status.id, tijdstip=nu, actie=ACTIE[stap], status=naar.value,
                                   api_sleutel_id=caller.sleutel_id, toelichting=toelichting))
    audit.log(session, caller=caller, actie=ACTIE[stap], resource_type=PERIODE, resource_id=status.id,
              organisatie_id=vak.organisatie.id, velden=["status"] + (["toelichting"] if toelichting else []))
    session.flush()
    # The organisation hears every step; the region hears them too (the rhythm's gemeenten are its own).
    gebeurtenissen.leg_vast(
        session, f"rapportageperiode.{ACTIE[stap]}", resource_id=status.id, organisatie_id=vak.organisatie.id,
        href=f"/v1/rapportageperiodes?periode={vak.periode.label}",
        regio_gemeentecodes=list(vak.ritme.gemeentecodes),
        regio_href=f"/v1/rapportageritmes/{vak.ritme.id}/periodes/{vak.periode.label}/organisaties/{vak.organisatie.id}",
        gegevens={"periode": vak.periode.label, "status": naar.value},
    )
    vak.status = status
    return vak


def dien_in(session: Session, *, caller: Caller, periode: str) -> list[Vak]:
    """The coordinator confirms the period's figures are complete: every rhythm of the organisation with this period."""
    lijst = [v for v in eigen_vakken(session, caller=caller, periode=periode)]
    if not lijst:
        raise NietGevonden(f"Rapportageperiode {periode} bestaat niet voor deze organisatie.")
    if lijst[0].periode.tot > vandaag():
        raise Conflict(f"De periode {periode} loopt nog tot en met {lijst[0].periode.laatste_dag.isoformat()}; "
                       "indienen kan vanaf de dag erna.", title="Periode loopt nog", code="periode-loopt-nog")
    te_doen = [v for v in lijst if v.huidig in OVERGANGEN["indienen"][0]]
    if not te_doen:
        _stap(session, caller=caller, vak=lijst[0], stap="indienen")  # raises the 409 with the current status
    return [_stap(session, caller=caller, vak=v, stap="indienen") for v in te_doen]


def regio_vak(session: Session, *, ritme: Rapportageritme, periode: str, organisatie_id: uuid.UUID) -> Vak:
    """One cell of a rhythm of the caller's region, or 404 (unknown period, or an organisation not expected)."""
    if vind_periode(ritme, periode) is None:
        raise NietGevonden(f"Periode {periode} bestaat niet in rapportageritme {ritme.id}.")
    lijst = vakken(session, [ritme], organisatie_id=organisatie_id, periode=periode)
    if not lijst:
        raise NietGevonden(f"Organisatie {organisatie_id} hoeft niet te rapporteren in rapportageritme {ritme.id}.")
    return lijst[0]


def beoordeel(session: Session, *, caller: Caller, vak: Vak, stap: str, toelichting: str | None = None) -> Vak:
    """The region's step on a submitted period: goedkeuren, terugsturen (message) or heropenen (reason)."""
    assert stap in ("goedkeuren", "terugsturen", "heropenen")
    return _stap(session, caller=caller, vak=vak, stap=stap, toelichting=toelichting)


# --- changes of approved figures -------------------------------------------------------------


def meld_wijziging(session: Session, *, caller: Caller, organisatie_id: uuid.UUID, datums: list[date]) -> None:
    """An erasure (AVG) touched records in approved periods: allowed, and recorded in their history for the region."""
    if not datums:
        return
    gevonden = slot.sloten(session, organisatie_id=organisatie_id, van=min(datums), tot=max(datums))
    if not gevonden:
        return
    statussen = {(s.ritme_id, s.periode): s for s in session.exec(
        select(Rapportagestatus).where(Rapportagestatus.organisatie_id == organisatie_id,
                                       Rapportagestatus.status == Periodestatus.goedgekeurd.value,
                                       col(Rapportagestatus.ritme_id).in_({g.ritme_id for g in gevonden})))}
    nu = utcnow()
    for g in gevonden:
        status = statussen.get((g.ritme_id, g.periode))
        aantal = sum(g.bevat(d) for d in datums)
        if status is None or not aantal:
            continue
        session.add(RapportageHistorie(status_id=status.id, tijdstip=nu, actie=GEWIJZIGD, status=status.status,
                                       api_sleutel_id=caller.sleutel_id, aantal=aantal,
                                       toelichting="Een inwoner is gewist (AVG); het bereik kan lager uitvallen."))
        audit.log(session, caller=caller, actie=GEWIJZIGD, resource_type=PERIODE, resource_id=status.id,
                  organisatie_id=organisatie_id, aantal=aantal)
    session.flush()


def samenvatting(lijst: list[Any]) -> dict[str, int]:
    """Counts per status, for the dashboard."""
    tellingen: dict[str, int] = {s.value: 0 for s in Periodestatus}
    for vak in lijst:
        tellingen[vak.huidig.value] += 1
    return tellingen
