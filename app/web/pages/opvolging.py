"""Opvolging (organisation keys): the open referrals, oldest first, with a status change in place and a download.

The list is `GET /v1/doorverwijzingen?open=true` with names; a status change is the API's
`PATCH /v1/doorverwijzingen/{id}`: the same schema, transition table, history and audit.
"""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from sqlmodel import Session, col, func, select

from app.core import formaten
from app.core.db import SessionDep
from app.core.errors import DomeinFout, GeenToegang, validation_params
from app.core.validation import vandaag
from app.doorverwijzingen import service as doorverwijzingen
from app.doorverwijzingen.schemas import DoorverwijzingUpdate
from app.doorverwijzingen.statussen import EINDSTATUSSEN, OVERGANGEN
from app.models import Contactmoment, Doorverwijzing, Ketenpartner, Sleutelpersoon
from app.toegang import scoping
from app.toegang.caller import Scope
from app.web import adapters
from app.web.sessie import SessieDep, WebSessie, controleer_csrf
from app.web.templating import pagina

router = APIRouter(include_in_schema=False)

LANG_OPEN = 30  # days: "open for more than 30 days" is marked
KOPPEN = ["datum contact", "dagen open", "sleutelpersoon", "ketenpartner", "onderwerp", "status", "status sinds"]


@dataclass(frozen=True)
class OpenVerwijzing:
    verwijzing: Doorverwijzing
    datum: date
    dagen: int
    persoon: str
    partner: str
    onderwerp: str
    status: str
    volgende: list[tuple[str, str]]

    @property
    def lang_open(self) -> bool:
        return self.dagen > LANG_OPEN


def _mag(sessie: WebSessie) -> None:
    if not (sessie.is_organisatie and sessie.caller.has(Scope.inzien)):
        raise GeenToegang("De opvolging van doorverwijzingen is er voor de sleutel van een organisatie (scope `inzien`).")


def _lijst(session: Session, sessie: WebSessie, *, persoon: uuid.UUID | None, partner: uuid.UUID | None,
           ouder: bool, limiet: int | None, offset: int = 0) -> list[OpenVerwijzing]:
    caller = sessie.caller
    statement = doorverwijzingen.list_statement(
        caller=caller, open_=True, sleutelpersoon=persoon, ketenpartner=partner,
        datum_tot=vandaag() - timedelta(days=LANG_OPEN + 1) if ouder else None,
        sort=[col(Contactmoment.datum).asc(), col(Doorverwijzing.aangemaakt_op).asc()],
    ).add_columns(Contactmoment.datum, Contactmoment.sleutelpersoon_id)  # type: ignore[attr-defined]
    if limiet is not None:
        statement = statement.limit(limiet).offset(offset)
    rijen = session.execute(statement).all()  # rows of (referral, date, key person): not scalars
    personen = dict(session.exec(scoping.eigen(select(Sleutelpersoon.id, Sleutelpersoon.weergavenaam), Sleutelpersoon, caller)).all())  # type: ignore[call-overload]
    partners = dict(session.exec(scoping.eigen(select(Ketenpartner.id, Ketenpartner.naam), Ketenpartner, caller)).all())  # type: ignore[call-overload]
    statussen = adapters.labels(session, "doorverwijzing-status")
    onderwerpen = adapters.labels(session, "onderwerp")
    nu = vandaag()
    return [
        OpenVerwijzing(
            verwijzing=v, datum=datum, dagen=(nu - datum).days, persoon=personen.get(persoon_id, "–"),
            partner=partners.get(v.ketenpartner_id, "–"), onderwerp=onderwerpen.get(v.onderwerp or "", v.onderwerp or "–"),
            status=statussen.get(v.status, v.status),
            volgende=[(s, statussen.get(s, s)) for s in OVERGANGEN.get(v.status, ())],
        )
        for v, datum, persoon_id in rijen
    ]


def _filters(persoon: str | None, partner: str | None) -> tuple[uuid.UUID | None, uuid.UUID | None, list[str]]:
    fouten: list[str] = []
    waarden: list[uuid.UUID | None] = []
    for naam, waarde in (("Sleutelpersoon", persoon), ("Ketenpartner", partner)):
        try:
            waarden.append(uuid.UUID(waarde) if waarde else None)
        except ValueError:
            waarden.append(None)
            fouten.append(f"{naam}: kies er een uit de lijst.")
    return waarden[0], waarden[1], fouten


def _context(session: Session, sessie: WebSessie, persoon: str | None, partner: str | None, ouder: bool,
             nummer: int) -> dict[str, Any]:
    _mag(sessie)
    persoon_id, partner_id, fouten = _filters(persoon, partner)
    lijst = _lijst(session, sessie, persoon=persoon_id, partner=partner_id, ouder=ouder,
                   limiet=adapters.PAGINA + 1, offset=(nummer - 1) * adapters.PAGINA)
    meer, lijst = len(lijst) > adapters.PAGINA, lijst[: adapters.PAGINA]
    caller = sessie.caller
    def tel(**filters: Any) -> int:
        statement = doorverwijzingen.list_statement(caller=caller, open_=True, **filters).order_by(None)
        return int(session.exec(select(func.count()).select_from(statement.subquery())).one())  # type: ignore[call-overload]

    query = "&".join(f"{k}={v}" for k, v in (("sleutelpersoon", persoon), ("ketenpartner", partner),
                                             ("ouder", "1" if ouder else "")) if v)
    return {
        "sessie": sessie, "actief": "opvolging", "lijst": lijst, "pagina": nummer, "meer": meer, "query": query,
        "personen": adapters.sleutelpersonen_van(session, caller),
        "partners": session.exec(scoping.eigen(select(Ketenpartner), Ketenpartner, caller).order_by(Ketenpartner.naam)).all(),
        "persoon": persoon or "", "partner": partner or "", "ouder": ouder, "fouten": fouten,
        "aantal_open": tel(), "aantal_lang": tel(datum_tot=vandaag() - timedelta(days=LANG_OPEN + 1)), "dagen": LANG_OPEN, "vandaag": vandaag().isoformat(),
        "foutmeldingen": {}, "gewijzigd": None,
    }


Filter = Annotated[str | None, Query(max_length=40)]


@router.get("/opvolging", response_class=HTMLResponse)
def opvolging(
    request: Request, sessie: SessieDep, session: SessionDep, sleutelpersoon: Filter = None, ketenpartner: Filter = None,
    ouder: Annotated[str | None, Query(max_length=2)] = None,
    nummer: Annotated[int, Query(alias="pagina", ge=1, le=10_000)] = 1,
    gewijzigd: Annotated[uuid.UUID | None, Query()] = None,
) -> Response:
    context = _context(session, sessie, sleutelpersoon, ketenpartner, bool(ouder), nummer)
    context["gewijzigd"] = str(gewijzigd) if gewijzigd else None
    return pagina(request, "opvolging.html", context)


@router.get("/opvolging/download")
def opvolging_download(
    sessie: SessieDep, session: SessionDep, sleutelpersoon: Filter = None, ketenpartner: Filter = None,
    ouder: Annotated[str | None, Query(max_length=2)] = None,
    formaat: Annotated[str, Query(pattern="^(csv|xlsx)$")] = "csv",
) -> Response:
    _mag(sessie)
    persoon_id, partner_id, _ = _filters(sleutelpersoon, ketenpartner)
    lijst = _lijst(session, sessie, persoon=persoon_id, partner=partner_id, ouder=bool(ouder), limiet=None)
    rijen = [[r.datum, r.dagen, r.persoon, r.partner, r.onderwerp, r.status, r.verwijzing.status_datum] for r in lijst]
    naam = f"open-doorverwijzingen-{vandaag().isoformat()}"
    if formaat == "xlsx":
        return formaten.bestand(formaten.to_xlsx(KOPPEN, rijen, titel="Open doorverwijzingen"), formaten.Formaat.xlsx, naam)
    return formaten.bestand(formaten.to_csv(KOPPEN, rijen), formaten.Formaat.csv, naam)


@router.post("/opvolging/{doorverwijzing_id}/status", response_class=HTMLResponse)
def wijzig_status(
    request: Request, doorverwijzing_id: uuid.UUID, sessie: SessieDep, session: SessionDep,
    csrf: Annotated[str, Form(max_length=100)] = "",
    status: Annotated[str, Form(max_length=40)] = "",
    datum: Annotated[str, Form(max_length=20)] = "",
    terug: Annotated[str, Form(max_length=200)] = "",
    bevestigd: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    """`PATCH /v1/doorverwijzingen/{id}` from a form: the same schema, transitions and history.

    A final status (afgerond, afgewezen, niet-verschenen) closes the referral for good, so it is saved
    only after a confirmation page; any other status is saved at once."""
    controleer_csrf(request, csrf, sessie.csrf)
    _mag(sessie)
    if not sessie.caller.has(Scope.registreren):
        raise GeenToegang("Een status wijzigen vraagt een sleutel met scope `registreren`.")
    verwijzing = doorverwijzingen.get(session, caller=sessie.caller, doorverwijzing_id=doorverwijzing_id)
    fouten: dict[str, str] = {}
    if status in EINDSTATUSSEN and status in OVERGANGEN.get(verwijzing.status, ()) and bevestigd != "ja":
        labels = adapters.labels(session, "doorverwijzing-status")
        partner = session.get(Ketenpartner, verwijzing.ketenpartner_id)
        return pagina(request, "opvolging_bevestigen.html", {
            "sessie": sessie, "actief": "opvolging", "v": verwijzing, "status": status, "datum": datum, "terug": terug,
            "naam": labels.get(status, status), "huidig": labels.get(verwijzing.status, verwijzing.status),
            "partner": partner.naam if partner else "–",
        })
    if not status:
        fouten["status"] = "Kies de nieuwe status."
    else:
        try:
            body: dict[str, Any] = {"status": status}
            if datum:
                body["statusDatum"] = datum
            doorverwijzingen.wijzig_status(session, caller=sessie.caller, verwijzing=verwijzing,
                                           data=DoorverwijzingUpdate.model_validate(body))
        except ValidationError as exc:
            fouten = {p["name"]: p["reason"] for p in validation_params(exc.errors())}
        except DomeinFout as exc:
            if exc.status not in (400, 409):
                raise
            fouten = {p["name"]: p["reason"] for p in (exc.invalid_params or [])} or {"status": exc.detail}
    terug_query = terug if terug and all(c.isalnum() or c in "=&-" for c in terug) else ""
    if not fouten:
        return RedirectResponse(f"/opvolging?{terug_query + '&' if terug_query else ''}gewijzigd={doorverwijzing_id}"
                                f"#verwijzing-{doorverwijzing_id}", status_code=303)
    session.rollback()
    context = _context(session, sessie, None, None, False, 1)
    namen = {"status": "Nieuwe status", "statusDatum": "Datum"}
    context["foutmeldingen"] = {str(doorverwijzing_id): [(namen.get(k, k), v) for k, v in fouten.items()]}
    return pagina(request, "opvolging.html", context, status_code=400)
