"""Thin adapters from dashboard pages to the domain services the API uses, with the same caller.

Pages never compute a figure themselves: an indicator goes through the API's own request check
(`waarden_verzoek`) and `indicatoren.service.bereken`, so tenancy, the regional refusals and cell key
perturbation are exactly the API's. Downloads are rendered by the API's export functions.
"""

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import Response
from sqlmodel import Session, col, func, select

from app.codelijsten import service as codelijsten
from app.core.config import get_settings
from app.core.errors import GeenToegang, NietGevonden
from app.core.formaten import Formaat
from app.doelen import service as doelen
from app.doelstellingen import service as doelstellingen
from app.ervaringsverhalen import export as verhalen_exports
from app.ervaringsverhalen import service as verhalen
from app.indicatoren import eigen, export
from app.indicatoren.catalogue import INDICATOREN, TERUGGEKOPPELD
from app.indicatoren.dependencies import indicator_verzoek, waarden_verzoek
from app.indicatoren.service import Resultaat, Rij
from app.models import Doel, Ervaringsverhaal, Signaal
from app.signalen import service as signalen
from app.sleutelpersonen import service as sleutelpersonen
from app.toegang.caller import Binding, Caller, Scope


def indicator(
    session: Session,
    caller: Caller,
    code: str,
    *,
    periode: str | None = None,
    vanaf: str | None = None,
    tot: str | None = None,
    interval: str | None = None,
    groeperen_op: Sequence[str] = (),
    filters: Mapping[str, Sequence[str]] | None = None,
) -> Resultaat:
    """An indicator as `GET /v1/indicatoren/{code}/waarden` computes it for this caller (400/403 alike)."""
    if not caller.has(Scope.rapporteren):
        raise GeenToegang("Deze API-sleutel mist de scope `rapporteren`; het overzicht toont geen cijfers.")
    gefilterd = {naam: ",".join(waarden) for naam, waarden in (filters or {}).items() if waarden}
    parameters: dict[str, Any] = {"periode": periode, "vanaf": vanaf, "tot": tot, "interval": interval,
                                  "groeperenOp": ",".join(groeperen_op) or None, **gefilterd}
    # An own indicator (`eigen.`) as the API resolves it: one the caller may see, at its latest version (404 else).
    verzoek = (indicator_verzoek(code, session, caller, parameters) if eigen.is_eigen(code)
               else waarden_verzoek(code, **parameters))
    settings = get_settings()
    return eigen.bereken(session, caller=caller, verzoek=verzoek, drempel=settings.suppression_threshold,
                         max_rijen=settings.max_indicator_rows)


def indicator_keuzes(session: Session, caller: Caller) -> list[tuple[str, str]]:
    """(code, name) of the indicators a goal of this organisation may name: the catalogue and its own, by name."""
    keuzes = [(code, i.naam) for code, i in INDICATOREN.items()]
    keuzes += [(v.code, v.indicator.naam) for v in eigen.zichtbare(session, caller)]
    return sorted(keuzes, key=lambda c: c[1].lower())


def indicator_naam(session: Session, caller: Caller, code: str) -> str | None:
    """The name of an indicator the caller may see (catalogue or own), or None."""
    gevonden = eigen.vind(session, caller, code)
    return gevonden.naam if gevonden is not None else None


def totaal(resultaat: Resultaat) -> Rij:
    """The single row of an ungrouped, interval-less result."""
    return resultaat.rijen[0]


def download(resultaat: Resultaat, formaat: str) -> Response:
    """The API's own CSV or XLSX rendering of an indicator result, as an attachment."""
    verzoek = resultaat.verzoek
    # What the table is split by goes into the name too: a chart's downloads never share a file name.
    delen = [verzoek.indicator.code]
    if verzoek.interval is not None:
        delen.append(f"per-{verzoek.interval.value}")
    delen += [f"per-{export.KOPTEKST.get(g, g).replace(' ', '-')}" for g in verzoek.groeperen_op]
    delen.append(verzoek.periode.label.replace("/", "_"))
    naam = "-".join(delen)
    if formaat == "xlsx":
        return Response(export.to_xlsx(resultaat), media_type=export.XLSX_MEDIA_TYPE,
                        headers={"Content-Disposition": f'attachment; filename="{naam}.xlsx"'})
    return Response(export.to_csv(resultaat), media_type=f"{export.CSV_MEDIA_TYPE}; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{naam}.csv"'})


def labels(session: Session, lijst: str) -> dict[str, str]:
    return codelijsten.labels(session, lijst=lijst)


# --- doelen -----------------------------------------------------------------------------------


@dataclass
class DoelVoortgang:
    indicator: str
    naam: str
    periode: str
    doel: float
    waarde: float | int | None
    realisatie: float | None
    filters: dict[str, list[str]]
    eenheid: str = "aantal"
    vanaf: date | None = None
    tot: date | None = None  # exclusive, as stored
    verwacht: float | None = None  # expected so far, when the values carry pace
    tempo: str | None = None  # voor, op-schema, achter

    @property
    def teken(self) -> str:
        """The unit after a figure: a percentage target reads "79,5% bij een doel van 75%"."""
        return "%" if self.eenheid == "percentage" else (" uur" if self.eenheid == "uren" else "")


def doelen_in(session: Session, caller: Caller, *, vanaf: date, tot: date) -> list[DoelVoortgang]:
    """The organisation's targets whose period overlaps [vanaf, tot), each with its realisation so far."""
    if caller.binding is not Binding.organisatie:
        return []
    statement = doelen.list_statement(caller=caller).where(col(Doel.vanaf) < tot, col(Doel.tot) > vanaf)
    uitkomst = []
    for doel in session.exec(statement.limit(50)):
        resultaat = indicator(
            session, caller, doel.indicator, vanaf=doel.vanaf.isoformat(),
            tot=doelen.laatste_dag(doel).isoformat(), filters=doel.filters,  # type: ignore[attr-defined]
        )
        rij = totaal(resultaat)
        verwacht, tempo = tempo_van(rij)
        uitkomst.append(DoelVoortgang(
            indicator=doel.indicator, naam=resultaat.verzoek.indicator.naam, periode=doel.periode, doel=doel.waarde,
            waarde=rij.waarde, realisatie=rij.realisatie if rij.realisatie is not None else (
                round(100 * rij.waarde / doel.waarde, 1) if rij.waarde is not None and doel.waarde else None),
            filters=doel.filters, eenheid=resultaat.verzoek.indicator.eenheid.value, vanaf=doel.vanaf, tot=doel.tot,
            verwacht=verwacht, tempo=tempo,
        ))
    return uitkomst


TEMPO_NAMEN = {"voor": "Voor op schema", "op-schema": "Op schema", "achter": "Achter op schema"}


def tempo_van(rij: Rij) -> tuple[float | None, str | None]:
    """(expected so far, status) as the indicator values carry them; (None, None) where they carry no pace."""
    tempo: Any = getattr(rij, "tempo", None)
    verwacht = getattr(rij, "doel_verwacht", None)
    if isinstance(tempo, dict):
        verwacht = tempo.get("verwacht", tempo.get("doelVerwacht", verwacht))
        tempo = tempo.get("status")
    elif tempo is not None and not isinstance(tempo, str):
        verwacht = getattr(tempo, "verwacht", getattr(tempo, "doel_verwacht", verwacht))
        tempo = getattr(tempo, "status", None)
    return verwacht, (str(tempo) if tempo is not None else None)


# --- doelstellingen ---------------------------------------------------------------------------


def doelstellingen_per_indicator(session: Session, caller: Caller) -> dict[str, list[tuple[uuid.UUID, str, date, date | None]]]:
    """The organisation's live goals by the indicator codes they name: (id, titel, vanaf, tot) each."""
    if caller.binding is not Binding.organisatie or not caller.has(Scope.inzien):
        return {}
    per_indicator: dict[str, list[tuple[uuid.UUID, str, date, date | None]]] = {}
    statement = doelstellingen.list_statement(doelstellingen.eigen_statement(caller)).limit(200)
    for d in session.exec(statement):
        for code in d.indicatoren:
            per_indicator.setdefault(code, []).append((d.id, d.titel, d.vanaf, d.tot))
    return per_indicator


# --- sleutelpersonen --------------------------------------------------------------------------


def sleutelpersonen_van(session: Session, caller: Caller) -> list[Any]:
    """The organisation's key persons, active ones first, by name."""
    if caller.binding is not Binding.organisatie:
        raise GeenToegang("Cijfers per sleutelpersoon zijn alleen voor de organisatie zelf.")
    rijen = session.exec(sleutelpersonen.list_statement(session, caller=caller).limit(1000)).all()
    return sorted(rijen, key=lambda p: (not p.actief, p.weergavenaam.lower()))


def sleutelpersoon(session: Session, caller: Caller, sleutelpersoon_id: uuid.UUID) -> Any:
    if caller.binding is not Binding.organisatie:
        raise GeenToegang("Cijfers per sleutelpersoon zijn alleen voor de organisatie zelf.")
    return sleutelpersonen.get(session, caller=caller, sleutelpersoon_id=sleutelpersoon_id)


# --- signalen ---------------------------------------------------------------------------------

PAGINA = 50


def uitgaande_signalen(session: Session, caller: Caller, *, status: str | None = None,
                       sleutelpersoon_id: uuid.UUID | None = None, vanaf: date | None = None,
                       tot: date | None = None, limiet: int = PAGINA, offset: int = 0) -> list[Any]:
    """The organisation's own signals with status and feedback (the API's `GET /v1/signalen` view)."""
    statement = signalen.list_statement(signalen.eigen_statement(caller), status=status, datum_vanaf=vanaf,
                                        datum_tot=tot)
    if sleutelpersoon_id is not None:
        statement = statement.where(Signaal.sleutelpersoon_id == sleutelpersoon_id)
    return signalen.publiek(session, session.exec(statement.offset(offset).limit(limiet)).all())


def ontvangen_signalen(session: Session, caller: Caller, *, status: str | None = None,
                       limiet: int = PAGINA, offset: int = 0) -> list[Any]:
    """Signals addressed to the regional caller's gemeenten (the API's `GET /v1/ontvangen-signalen` view)."""
    statement = signalen.list_statement(signalen.ontvangen_statement(caller), status=status)
    return signalen.ontvangen(session, session.exec(statement.offset(offset).limit(limiet)).all())


def inbox_teruggekoppeld(session: Session, caller: Caller, *, vanaf: date, tot: date) -> tuple[int, int]:
    """(fed back, all) of the signals addressed to a regional key's gemeenten dated in [vanaf, tot):
    what its adviser reads in the inbox anyway, so exact. The indicator's definition of fed back."""
    basis = signalen.ontvangen_statement(caller).where(col(Signaal.datum) >= vanaf, col(Signaal.datum) < tot).subquery()
    alle = session.exec(select(func.count()).select_from(basis)).one()  # type: ignore[call-overload]
    terug = session.exec(select(func.count()).select_from(basis).where(  # type: ignore[call-overload]
        basis.c.status.in_(TERUGGEKOPPELD))).one()
    return int(terug), int(alle)


def volgende_statussen(status: str) -> list[str]:
    return [s.value for s in signalen.OVERGANGEN.get(signalen.S(status), ())]


def ontvangen_signaal(session: Session, caller: Caller, signaal_id: uuid.UUID) -> Signaal:
    """A signal addressed to the regional caller's gemeenten, or 404 (as `GET /v1/ontvangen-signalen/{id}`)."""
    return signalen.get_ontvangen(session, caller=caller, signaal_id=signaal_id)


def eigen_signaal(session: Session, caller: Caller, signaal_id: uuid.UUID) -> Signaal:
    """The organisation's own signal, or 404 (as `GET /v1/signalen/{id}`)."""
    return signalen.get(session, caller=caller, signaal_id=signaal_id)


def ontvangen_signalen_publiek(session: Session, rijen: list[Signaal]) -> list[Any]:
    return signalen.ontvangen(session, rijen)


def gesprekken(session: Session, signaal_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[Any]]:
    """The conversation of each signal on a page, oldest message first, in one query."""
    return signalen.berichten_van(session, signaal_ids)


def plaats_bericht(session: Session, caller: Caller, signaal: Signaal, van: Any, data: Any) -> Any:
    """`POST /v1/ontvangen-signalen/{id}/berichten` or `/v1/signalen/{id}/berichten`: the same service call."""
    bericht, _ = signalen.plaats_bericht(session, caller=caller, signaal=signaal, van=van, data=data)
    return bericht


def wijzig_status(session: Session, caller: Caller, signaal_id: uuid.UUID, data: Any) -> Any:
    """`PATCH /v1/ontvangen-signalen/{id}`: the same service call, the same 400/404/409."""
    signaal = signalen.get_ontvangen(session, caller=caller, signaal_id=signaal_id)
    signaal = signalen.wijzig_status(session, caller=caller, signaal=signaal, data=data)
    return signalen.ontvangen(session, [signaal])[0]


# --- ervaringsverhalen ------------------------------------------------------------------------


def verhalen_van(session: Session, caller: Caller, *, limiet: int = PAGINA, offset: int = 0) -> list[Any]:
    """Own stories for an organisation key, the region's shared stories for a regional key."""
    if caller.binding is Binding.organisatie:
        if not caller.has(Scope.inzien):
            raise GeenToegang("Deze API-sleutel mist de scope `inzien`.")
        statement = verhalen.list_statement(verhalen.eigen_statement(caller))
        return verhalen.publiek(session, session.exec(statement.offset(offset).limit(limiet)).all())
    if not caller.has(Scope.rapporteren):
        raise GeenToegang("Deze API-sleutel mist de scope `rapporteren`.")
    statement = verhalen.list_statement(verhalen.gedeeld_statement(caller))
    return verhalen.gedeeld(session, session.exec(statement.offset(offset).limit(limiet)).all())


def verhaal(session: Session, caller: Caller, verhaal_id: uuid.UUID) -> Any:
    """One story as the caller may read it, or 404."""
    if caller.binding is Binding.organisatie:
        if not caller.has(Scope.inzien):
            raise GeenToegang("Deze API-sleutel mist de scope `inzien`.")
        return verhalen.publiek(session, [verhalen.get(session, caller=caller, verhaal_id=verhaal_id)])[0]
    gevonden = session.exec(verhalen.gedeeld_statement(caller).where(col(Ervaringsverhaal.id) == verhaal_id)).first()
    if gevonden is None:
        raise NietGevonden(f"Ervaringsverhaal {verhaal_id} bestaat niet.")
    return verhalen.gedeeld(session, [gevonden])[0]


def verhalen_export(session: Session, caller: Caller, formaat: str) -> Response:
    """The API's `GET /v1/gedeelde-ervaringsverhalen/export` for a regional key."""
    if caller.binding is not Binding.regio or not caller.has(Scope.rapporteren):
        raise GeenToegang("De export van gedeelde verhalen is er voor regionale sleutels met scope `rapporteren`.")
    return verhalen_exports.exporteer(session, caller=caller, formaat=Formaat(formaat))
