"""Sleutelpersonen (organisation keys only): activity per key person, and a printable month overview."""

import calendar
import re
import uuid
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlmodel import Session, col, func, select

from app.core import persoonsgegevens
from app.core.db import SessionDep
from app.core.errors import GeenToegang, OngeldigeInvoer
from app.core.periods import Periode, maand
from app.core.request_checks import REDEN, VERBODEN_TEKENS
from app.core.validation import vandaag
from app.deskundigheid import service as deskundigheid
from app.deskundigheid.schemas import DeskundigheidCreate
from app.doorverwijzingen import service as doorverwijzingen
from app.inzet import service as inzet
from app.models import (
    Contactmoment,
    Gesprek,
    Ketenpartner,
    Maandafspraak,
    Ontwikkeldoel,
    Organisatie,
    Uitkomst,
    utcnow,
)
from app.sleutelpersonen import ondersteuning
from app.sleutelpersonen.ondersteuning_schemas import (
    DienstverbandCreate,
    DienstverbandUpdate,
    GesprekCreate,
    OntwikkeldoelCreate,
    OntwikkeldoelUpdate,
)
from app.toegang import audit, scoping
from app.toegang.caller import Scope
from app.web import adapters
from app.web.pages.overzicht import PERIODES, kies_periode
from app.web.pages.signalen import STATUS_NAMEN
from app.web.sessie import SessieDep, WebSessie, controleer_csrf
from app.web.templating import MAANDEN, getal, pagina

router = APIRouter(include_in_schema=False)

ACTIVITEIT = (
    ("aantal-contactmomenten", "Contactmomenten"),
    ("aantal-hulpvragen", "Hulpvragen"),
    ("aantal-doorverwijzingen", "Doorverwijzingen"),
    ("bestede-uren", "Uren"),
)


@router.get("/sleutelpersonen", response_class=HTMLResponse)
def sleutelpersonen(
    request: Request, sessie: SessieDep, session: SessionDep,
    periode: Annotated[str | None, Query(max_length=40)] = None,
    eigen: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    personen = adapters.sleutelpersonen_van(session, sessie.caller)
    gekozen, fouten = kies_periode(periode, eigen)
    per_indicator: dict[str, dict[str, Any]] = {}
    per = None
    for code, _ in ACTIVITEIT:
        resultaat = adapters.indicator(session, sessie.caller, code, periode=gekozen, groeperen_op=["sleutelpersoon"])
        per = resultaat.verzoek.periode
        per_indicator[code] = {r.dimensies["sleutelpersoon"]: r.waarde for r in resultaat.rijen}
    rijen = [
        {"persoon": p, "waarden": [getal(per_indicator[code].get(str(p.id), 0)) for code, _ in ACTIVITEIT]}
        for p in personen
    ]
    jaar, nummer, _ = _maand(None)
    vorige_maand = f"{jaar}-{nummer:02d}"
    return pagina(request, "sleutelpersonen.html", {
        "sessie": sessie, "actief": "sleutelpersonen", "rijen": rijen, "kolommen": [n for _, n in ACTIVITEIT],
        "periodes": PERIODES, "periode": gekozen, "per": per, "fouten": fouten, "vorige_maand": vorige_maand,
        "eigen": eigen if eigen and not fouten else "", "gemeenten": adapters.labels(session, "gemeente"),
        "uren": _uren_deze_maand(session, sessie.caller),
    })


def _uren_deze_maand(session: SessionDep, caller: Any) -> dict[str, Any]:
    """This month's registered hours per key person against the contract hours for the month."""
    vandaag_ = vandaag()
    jaar, nummer = vandaag_.year, vandaag_.month
    dagen = calendar.monthrange(jaar, nummer)[1]
    rijen = inzet.uren_per_maand(session, caller=caller, jaar=jaar, maand_=nummer)
    labels = adapters.labels(session, "inzet-soort")
    return {
        "maandnaam": f"{MAANDEN[nummer - 1]} {jaar}", "dagen": dagen, "weken": getal(dagen / 7, 2),
        "rijen": [
            {
                "naam": r.weergavenaam, "uren_per_week": getal(r.uren_per_week), "contracturen": getal(r.contracturen),
                "uren": getal(r.uren), "percentage": f"{getal(r.percentage)}%" if r.percentage is not None else "–",
                "soorten": ", ".join(f"{labels.get(s, s).lower()} {getal(u)}" for s, u in r.uren_per_soort.items()),
            }
            for r in rijen
        ],
    }


def _maand(tekst: str | None) -> tuple[int, int, list[str]]:
    """The month asked for (JJJJ-MM); by default last month, the one a feedback talk looks back on."""
    vandaag_ = vandaag()
    standaard = (vandaag_.year - (vandaag_.month == 1), (vandaag_.month - 2) % 12 + 1)
    if not tekst:
        return (*standaard, [])
    gevonden = re.fullmatch(r"(\d{4})-(\d{2})", tekst.strip())
    if not gevonden or not 1 <= int(gevonden.group(2)) <= 12:
        return (*standaard, [f"`{tekst}` is geen maand; gebruik JJJJ-MM, bijvoorbeeld 2026-10."])
    return int(gevonden.group(1)), int(gevonden.group(2)), []


KERNCIJFERS = (
    ("aantal-contactmomenten", "Contactmomenten"),
    ("aantal-hulpvragen", "Hulpvragen"),
    ("bereik-inwoners", "Inwoners bereikt"),
    ("bereik-groepsdeelnemers", "Groepsdeelnemers"),
    ("aantal-doorverwijzingen", "Doorverwijzingen"),
    ("percentage-doorverwijzingen-afgerond", "Doorverwijzingen afgerond (%)"),
    ("bestede-uren", "Uren in contacten"),
)
AFSPRAKEN_MAX = 4000


def _schuif(jaar: int, nummer: int, stappen: int) -> tuple[int, int]:
    index = jaar * 12 + nummer - 1 + stappen
    return index // 12, index % 12 + 1


def _uitkomsten(session: Session, caller: Any, persoon_id: uuid.UUID, periode: Periode) -> list[tuple[str, int]]:
    """Outcomes recorded in the month for this key person's contacts, per result (label, count)."""
    statement = scoping.eigen(
        select(Uitkomst.resultaat, func.count()).join(Contactmoment, col(Contactmoment.id) == Uitkomst.contactmoment_id)
        .where(Contactmoment.sleutelpersoon_id == persoon_id, col(Contactmoment.verwijderd_op).is_(None),
               col(Uitkomst.datum) >= periode.vanaf, col(Uitkomst.datum) < periode.tot)
        .group_by(Uitkomst.resultaat), Uitkomst, caller)
    labels = adapters.labels(session, "resultaat")
    return sorted(((labels.get(r, r), int(n)) for r, n in session.exec(statement).all()), key=lambda p: -p[1])  # type: ignore[call-overload]


NOG_OPEN_OP_BLAD = 6  # the oldest ones; the sheet says how many there are in all


def _nog_open(session: Session, caller: Any, persoon_id: uuid.UUID, periode: Periode) -> tuple[list[dict[str, Any]], int]:
    """Referrals made before the month that are still open, oldest first (a few), and how many in all."""
    basis = doorverwijzingen.list_statement(
        caller=caller, open_=True, sleutelpersoon=persoon_id, datum_tot=periode.vanaf - timedelta(days=1),
        sort=[col(Contactmoment.datum).asc()],
    )
    aantal = int(session.exec(select(func.count()).select_from(basis.order_by(None).subquery())).one())  # type: ignore[call-overload]
    statement = basis.add_columns(Contactmoment.datum).limit(NOG_OPEN_OP_BLAD)  # type: ignore[attr-defined]
    partners = dict(session.exec(scoping.eigen(select(Ketenpartner.id, Ketenpartner.naam), Ketenpartner, caller)).all())  # type: ignore[call-overload]
    statussen = adapters.labels(session, "doorverwijzing-status")
    return [{"datum": datum, "partner": partners.get(v.ketenpartner_id, "–"), "status": statussen.get(v.status, v.status),
             "dagen": (min(vandaag(), periode.laatste_dag) - datum).days}
            for v, datum in session.execute(statement).all()], aantal


def _afspraak(session: Session, caller: Any, persoon_id: uuid.UUID, maand_: str) -> Maandafspraak | None:
    return session.exec(scoping.eigen(select(Maandafspraak), Maandafspraak, caller).where(
        Maandafspraak.sleutelpersoon_id == persoon_id, Maandafspraak.maand == maand_)).first()


def _context(session: Session, sessie: WebSessie, persoon: Any, jaar: int, nummer: int, fouten: list[str]) -> dict[str, Any]:
    caller = sessie.caller
    periode = maand(jaar, nummer)
    vorige = maand(*_schuif(jaar, nummer, -1))
    dit_jaar = Periode(date(jaar, 1, 1), periode.tot, f"{jaar}-01-01/{periode.laatste_dag.isoformat()}")
    filters = {"sleutelpersoon": [str(persoon.id)]}

    def totaal(code: str, per: Periode) -> str:
        rij = adapters.totaal(adapters.indicator(session, caller, code, vanaf=per.vanaf.isoformat(),
                                                 tot=per.laatste_dag.isoformat(), filters=filters))
        return "–" if rij.waarde is None else getal(rij.waarde)

    kerncijfers = [(naam, totaal(code, periode), totaal(code, vorige), totaal(code, dit_jaar)) for code, naam in KERNCIJFERS]
    uren = inzet.uren_per_maand(session, caller=caller, jaar=jaar, maand_=nummer, sleutelpersoon=persoon.id)
    uren_vorige = inzet.uren_per_maand(session, caller=caller, jaar=vorige.vanaf.year, maand_=vorige.vanaf.month,
                                       sleutelpersoon=persoon.id)
    # The year so far, as the other figures' third column: the hours indicator, and the contract hours of
    # each month up to this one (a formula, no query).
    contract_jaar = [inzet.contracturen(persoon.uren_per_week, jaar, m) for m in range(1, nummer + 1)]
    onderwerpen = adapters.indicator(session, caller, "aantal-hulpvragen", periode=periode.label,
                                     groeperen_op=["hoofdonderwerp"], filters=filters)
    verwijzingen = adapters.indicator(session, caller, "aantal-doorverwijzingen", periode=periode.label,
                                      groeperen_op=["ketenpartner", "status"], filters=filters)
    volgende = _schuif(jaar, nummer, 1)
    huidige = (vandaag().year, vandaag().month)
    afspraak = _afspraak(session, caller, persoon.id, f"{jaar}-{nummer:02d}")
    nog_open, nog_open_aantal = _nog_open(session, caller, persoon.id, periode)
    return {
        "sessie": sessie, "actief": "sleutelpersonen", "persoon": persoon, "periode": periode,
        "organisatie": session.get(Organisatie, persoon.organisatie_id), "afgedrukt": vandaag(),
        "maandnaam": f"{MAANDEN[nummer - 1]} {jaar}", "maand": f"{jaar}-{nummer:02d}", "fouten": fouten,
        "vorige": {"maand": f"{vorige.vanaf.year}-{vorige.vanaf.month:02d}",
                   "naam": f"{MAANDEN[vorige.vanaf.month - 1]} {vorige.vanaf.year}"},
        "volgende": None if volgende > huidige else {"maand": f"{volgende[0]}-{volgende[1]:02d}",
                                                     "naam": f"{MAANDEN[volgende[1] - 1]} {volgende[0]}"},
        "kerncijfers": kerncijfers,
        "uren": uren[0] if uren else None, "uren_vorige": uren_vorige[0] if uren_vorige else None,
        "uren_jaar": totaal("inzet-uren", dit_jaar),
        "contracturen_jaar": sum(c for c in contract_jaar if c is not None) or None,
        "onderwerpen": sorted((r for r in onderwerpen.rijen if r.waarde), key=lambda r: -(r.waarde or 0)),
        "verwijzingen": sorted((r for r in verwijzingen.rijen if r.waarde),
                               key=lambda r: (r.labels.get("ketenpartner") or "", r.dimensies["status"] or "")),
        "nog_open": nog_open, "nog_open_aantal": nog_open_aantal,
        "uitkomsten": _uitkomsten(session, caller, persoon.id, periode),
        "signalen": adapters.uitgaande_signalen(session, caller, sleutelpersoon_id=persoon.id, vanaf=periode.vanaf,
                                                tot=periode.laatste_dag, limiet=6),
        "afspraak": afspraak, "afspraak_invoer": afspraak.tekst if afspraak else "", "afspraak_fout": None,
        "afspraken_max": AFSPRAKEN_MAX, "opgeslagen": False, "signaalstatus": STATUS_NAMEN,
    }


@router.get("/sleutelpersonen/{sleutelpersoon_id}/maandoverzicht", response_class=HTMLResponse)
def maandoverzicht(
    request: Request, sleutelpersoon_id: uuid.UUID, sessie: SessieDep, session: SessionDep,
    maand_: Annotated[str | None, Query(alias="maand", max_length=20)] = None,
    opgeslagen: Annotated[str | None, Query(max_length=2)] = None,
) -> Response:
    """One printable page for the feedback talk: the month beside the previous one and the year so far,
    hours against contract hours, topics, referrals (also those still open from earlier), outcomes,
    the month's signals with their feedback, and the agreements made."""
    persoon = adapters.sleutelpersoon(session, sessie.caller, sleutelpersoon_id)
    jaar, nummer, fouten = _maand(maand_)
    context = _context(session, sessie, persoon, jaar, nummer, fouten)
    context["opgeslagen"] = bool(opgeslagen)
    return pagina(request, "maandoverzicht.html", context)


@router.post("/sleutelpersonen/{sleutelpersoon_id}/maandoverzicht/afspraken", response_class=HTMLResponse)
def bewaar_afspraken(
    request: Request, sleutelpersoon_id: uuid.UUID, sessie: SessieDep, session: SessionDep,
    csrf: Annotated[str, Form(max_length=100)] = "",
    maand_: Annotated[str, Form(alias="maand", max_length=20)] = "",
    tekst: Annotated[str, Form(max_length=AFSPRAKEN_MAX * 2)] = "",
) -> Response:
    """Keep the agreements of the month's talk: free text, guarded like all free text."""
    controleer_csrf(request, csrf, sessie.csrf)
    caller = sessie.caller
    if not caller.has(Scope.registreren):
        raise GeenToegang("Afspraken vastleggen vraagt een sleutel met scope `registreren`.")
    persoon = adapters.sleutelpersoon(session, caller, sleutelpersoon_id)
    jaar, nummer, fouten = _maand(maand_)
    if fouten:
        raise OngeldigeInvoer(fouten[0])
    sleutel = f"{jaar}-{nummer:02d}"
    tekst = tekst.replace("\r\n", "\n").strip()
    fout = None
    if len(tekst) > AFSPRAKEN_MAX:
        fout = f"De afspraken zijn {len(tekst)} tekens; het maximum is {AFSPRAKEN_MAX}."
    elif VERBODEN_TEKENS.search(tekst):
        fout = REDEN
    elif gevonden := persoonsgegevens.vind(tekst):
        fout = persoonsgegevens.reden(gevonden)
    if fout:
        context = _context(session, sessie, persoon, jaar, nummer, [])
        context.update(afspraak_invoer=tekst, afspraak_fout=fout)
        return pagina(request, "maandoverzicht.html", context, status_code=400)
    afspraak = _afspraak(session, caller, persoon.id, sleutel)
    if not tekst:
        if afspraak is not None:
            session.delete(afspraak)
    else:
        afspraak = afspraak or Maandafspraak(organisatie_id=persoon.organisatie_id, sleutelpersoon_id=persoon.id,
                                             maand=sleutel, tekst=tekst)
        afspraak.tekst, afspraak.api_sleutel_id, afspraak.gewijzigd_op = tekst, caller.sleutel_id, utcnow()
        session.add(afspraak)
    audit.log(session, caller=caller, actie="gewijzigd", resource_type="maandafspraak", resource_id=persoon.id,
              velden=["afspraken"])
    return RedirectResponse(f"/sleutelpersonen/{persoon.id}/maandoverzicht?maand={sleutel}&opgeslagen=1#afspraken",
                            status_code=303)


# --- the key person's page: training, plan, conversations, employment (issue 26, part 8) ------------

DOELSTATUS = {"open": "Open", "bezig": "Bezig", "behaald": "Behaald", "vervallen": "Vervallen"}
GESPREKSOORT = {"voortgang": "Voortgangsgesprek", "functionering": "Functioneringsgesprek", "afsluiting": "Afsluitend gesprek"}
UITSTROOM = {"betaald-werk": "Betaald werk", "opleiding": "Opleiding", "verhuisd": "Verhuisd", "gestopt": "Gestopt",
             "overig": "Overig"}
LIJST_MAX = 50  # the newest records of each kind; the API pages through the rest


def _persoon_context(session: Session, sessie: WebSessie, persoon: Any) -> dict[str, Any]:
    caller = sessie.caller
    trainingen = deskundigheid.publieke_lijst(session, list(session.exec(deskundigheid.list_statement(
        deskundigheid.eigen_statement(caller), sleutelpersoon=persoon.id).limit(LIJST_MAX))))
    kwartaal_begin = date(vandaag().year, 3 * ((vandaag().month - 1) // 3) + 1, 1)
    intervisie_kwartaal = [t for t in trainingen if t.soort == "intervisie" and t.datum >= kwartaal_begin]
    return {
        "sessie": sessie, "actief": "sleutelpersonen", "persoon": persoon,
        "mag_schrijven": caller.has(Scope.registreren), "vandaag": vandaag(),
        "trainingen": trainingen, "intervisie_kwartaal": intervisie_kwartaal, "kwartaal_begin": kwartaal_begin,
        "trainingsuren": getal(sum(t.uren for t in trainingen)),
        "doelen": list(session.exec(ondersteuning.lijst(session, Ontwikkeldoel, caller=caller, persoon=persoon).limit(LIJST_MAX))),
        "gesprekken": list(session.exec(ondersteuning.lijst(session, Gesprek, caller=caller, persoon=persoon).limit(LIJST_MAX))),
        "perioden": ondersteuning.perioden(session, persoon_id=persoon.id),
        "soorten": adapters.labels(session, "deskundigheid-soort"), "dienstverbanden": adapters.labels(session, "dienstverband"),
        "doelstatus": DOELSTATUS, "gespreksoort": GESPREKSOORT, "uitstroom": UITSTROOM,
    }


@router.get("/sleutelpersonen/{sleutelpersoon_id}", response_class=HTMLResponse)
def sleutelpersoon(request: Request, sleutelpersoon_id: uuid.UUID, sessie: SessieDep, session: SessionDep) -> Response:
    """One key person: training and intervision attended, the development plan, conversations, employment."""
    persoon = adapters.sleutelpersoon(session, sessie.caller, sleutelpersoon_id)
    return pagina(request, "sleutelpersoon.html", _persoon_context(session, sessie, persoon))


def _schrijver(request: Request, sessie: WebSessie, session: Session, sleutelpersoon_id: uuid.UUID, csrf: str) -> Any:
    """The key person for a form's write: CSRF, scope `registreren`, and the person within the organisation (else 404)."""
    controleer_csrf(request, csrf, sessie.csrf)
    persoon = adapters.sleutelpersoon(session, sessie.caller, sleutelpersoon_id)
    if not sessie.caller.has(Scope.registreren):
        raise GeenToegang("Vastleggen vraagt een sleutel met scope `registreren`.")
    return persoon


def _invoer(schema: Any, waarden: dict[str, Any], onderwerp: str) -> Any:
    """Validate a form through the API's own schema: the same rules, every error at once, in Dutch."""
    from pydantic import ValidationError

    from app.core.errors import validation_params

    try:
        return schema.model_validate(waarden)
    except ValidationError as exc:
        raise OngeldigeInvoer.met(validation_params(exc.errors()), onderwerp=onderwerp) from None


Tekst = Annotated[str, Form(max_length=4000)]


@router.post("/sleutelpersonen/{sleutelpersoon_id}/gesprekken")
def nieuw_gesprek(request: Request, sleutelpersoon_id: uuid.UUID, sessie: SessieDep, session: SessionDep,
                  csrf: Tekst = "", datum: Tekst = "", soort: Tekst = "", afspraken: Tekst = "") -> Response:
    persoon = _schrijver(request, sessie, session, sleutelpersoon_id, csrf)
    body = _invoer(GesprekCreate, {"datum": datum, "soort": soort, "afspraken": afspraken.strip() or None}, "Het gesprek")
    ondersteuning.create(session, Gesprek, caller=sessie.caller, persoon=persoon, data=body.model_dump(by_alias=False))
    return RedirectResponse(f"/sleutelpersonen/{persoon.id}?opgeslagen=gesprek#gesprekken", status_code=303)


@router.post("/sleutelpersonen/{sleutelpersoon_id}/ontwikkelplan")
def nieuw_doel(request: Request, sleutelpersoon_id: uuid.UUID, sessie: SessieDep, session: SessionDep,
               csrf: Tekst = "", omschrijving: Tekst = "", datum: Tekst = "", streefdatum: Tekst = "") -> Response:
    persoon = _schrijver(request, sessie, session, sleutelpersoon_id, csrf)
    body = _invoer(OntwikkeldoelCreate, {"omschrijving": omschrijving, "datum": datum or vandaag().isoformat(),
                                         "streefdatum": streefdatum or None}, "Het ontwikkeldoel")
    ondersteuning.create(session, Ontwikkeldoel, caller=sessie.caller, persoon=persoon, data=body.model_dump(by_alias=False))
    return RedirectResponse(f"/sleutelpersonen/{persoon.id}?opgeslagen=doel#ontwikkelplan", status_code=303)


@router.post("/sleutelpersonen/{sleutelpersoon_id}/ontwikkelplan/{ontwikkeldoel_id}/status")
def doel_status(request: Request, sleutelpersoon_id: uuid.UUID, ontwikkeldoel_id: uuid.UUID, sessie: SessieDep,
                session: SessionDep, csrf: Tekst = "", status: Tekst = "") -> Response:
    persoon = _schrijver(request, sessie, session, sleutelpersoon_id, csrf)
    doel = ondersteuning.get(session, Ontwikkeldoel, caller=sessie.caller, persoon=persoon, record_id=ontwikkeldoel_id,
                             naam="Ontwikkeldoel")
    body = _invoer(OntwikkeldoelUpdate, {"status": status}, "Het ontwikkeldoel")
    ondersteuning.update(session, caller=sessie.caller, record=doel, changes=body.model_dump(exclude_unset=True, by_alias=False))
    return RedirectResponse(f"/sleutelpersonen/{persoon.id}?opgeslagen=doel#ontwikkelplan", status_code=303)


@router.post("/sleutelpersonen/{sleutelpersoon_id}/deskundigheid")
def nieuwe_training(request: Request, sleutelpersoon_id: uuid.UUID, sessie: SessieDep, session: SessionDep,
                    csrf: Tekst = "", soort: Tekst = "", titel: Tekst = "", datum: Tekst = "", uren: Tekst = "",
                    aanbieder: Tekst = "") -> Response:
    """A training for this key person alone; a session with several participants is recorded through the API or an import."""
    persoon = _schrijver(request, sessie, session, sleutelpersoon_id, csrf)
    body = _invoer(DeskundigheidCreate, {"soort": soort, "titel": titel, "datum": datum, "uren": uren.replace(",", "."),
                                         "aanbieder": aanbieder.strip() or None, "deelnemers": [str(persoon.id)]},
                   "De training")
    deskundigheid.create(session, caller=sessie.caller, data=body.model_dump(by_alias=False))
    return RedirectResponse(f"/sleutelpersonen/{persoon.id}?opgeslagen=training#deskundigheid", status_code=303)


@router.post("/sleutelpersonen/{sleutelpersoon_id}/dienstverbanden")
def nieuw_dienstverband(request: Request, sleutelpersoon_id: uuid.UUID, sessie: SessieDep, session: SessionDep,
                        csrf: Tekst = "", soort: Tekst = "", vanaf: Tekst = "") -> Response:
    """A change of employment: the open period closes the day before the new one starts."""
    persoon = _schrijver(request, sessie, session, sleutelpersoon_id, csrf)
    body = _invoer(DienstverbandCreate, {"soort": soort, "vanaf": vanaf}, "Het dienstverband")
    ondersteuning.voeg_periode_toe(session, caller=sessie.caller, persoon=persoon, data=body.model_dump(by_alias=False))
    return RedirectResponse(f"/sleutelpersonen/{persoon.id}?opgeslagen=dienstverband#dienstverband", status_code=303)


def _open_periode(session: Session, sessie: WebSessie, persoon: Any, dienstverband_id: uuid.UUID) -> Any:
    periode = ondersteuning.get_periode(session, caller=sessie.caller, persoon=persoon, periode_id=dienstverband_id)
    if periode.tot is not None:
        raise OngeldigeInvoer("Dit dienstverband is al afgesloten.")
    return periode


@router.get("/sleutelpersonen/{sleutelpersoon_id}/dienstverbanden/{dienstverband_id}/afsluiten", response_class=HTMLResponse)
def afsluiten_bevestigen(request: Request, sleutelpersoon_id: uuid.UUID, dienstverband_id: uuid.UUID,
                         sessie: SessieDep, session: SessionDep) -> Response:
    """Closing employment is final for the figures (doorstroom): a page of its own asks to confirm it."""
    persoon = adapters.sleutelpersoon(session, sessie.caller, sleutelpersoon_id)
    periode = _open_periode(session, sessie, persoon, dienstverband_id)
    return pagina(request, "dienstverband_afsluiten.html", {
        "sessie": sessie, "actief": "sleutelpersonen", "persoon": persoon, "periode": periode,
        "soort": adapters.labels(session, "dienstverband").get(periode.soort, periode.soort), "uitstroom": UITSTROOM,
        "vandaag": vandaag(),
    })


@router.post("/sleutelpersonen/{sleutelpersoon_id}/dienstverbanden/{dienstverband_id}/afsluiten")
def afsluiten(request: Request, sleutelpersoon_id: uuid.UUID, dienstverband_id: uuid.UUID, sessie: SessieDep,
              session: SessionDep, csrf: Tekst = "", tot: Tekst = "", reden: Tekst = "", bevestigd: Tekst = "") -> Response:
    persoon = _schrijver(request, sessie, session, sleutelpersoon_id, csrf)
    periode = _open_periode(session, sessie, persoon, dienstverband_id)
    if bevestigd != "ja":
        return RedirectResponse(f"/sleutelpersonen/{persoon.id}/dienstverbanden/{periode.id}/afsluiten", status_code=303)
    body = _invoer(DienstverbandUpdate, {"tot": tot, "uitstroomReden": reden or None}, "Het dienstverband")
    ondersteuning.wijzig_periode(session, caller=sessie.caller, persoon=persoon, periode=periode,
                                 changes=body.model_dump(exclude_unset=True, by_alias=False))
    return RedirectResponse(f"/sleutelpersonen/{persoon.id}?opgeslagen=afgesloten#dienstverband", status_code=303)
