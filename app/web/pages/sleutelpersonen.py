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
from app.doorverwijzingen import service as doorverwijzingen
from app.inzet import service as inzet
from app.models import Contactmoment, Ketenpartner, Maandafspraak, Organisatie, Uitkomst, utcnow
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
