"""Sleutelpersonen (organisation keys only): activity per key person, and a printable month overview."""

import calendar
import re
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse

from app.core.db import SessionDep
from app.core.periods import maand
from app.core.validation import vandaag
from app.inzet import service as inzet
from app.web import adapters
from app.web.pages.overzicht import PERIODES, kies_periode
from app.web.sessie import SessieDep
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
) -> Response:
    personen = adapters.sleutelpersonen_van(session, sessie.caller)
    gekozen, fouten = kies_periode(periode, None)
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


@router.get("/sleutelpersonen/{sleutelpersoon_id}/maandoverzicht", response_class=HTMLResponse)
def maandoverzicht(
    request: Request, sleutelpersoon_id: uuid.UUID, sessie: SessieDep, session: SessionDep,
    maand_: Annotated[str | None, Query(alias="maand", max_length=20)] = None,
) -> Response:
    """One printable page for the feedback talk: contacts, topics, referrals, signals and their feedback."""
    persoon = adapters.sleutelpersoon(session, sessie.caller, sleutelpersoon_id)
    jaar, nummer, fouten = _maand(maand_)
    periode = maand(jaar, nummer)
    label = periode.label
    filters = {"sleutelpersoon": [str(persoon.id)]}
    caller = sessie.caller

    def totaal(code: str) -> Any:
        return adapters.totaal(adapters.indicator(session, caller, code, periode=label, filters=filters)).waarde

    kerncijfers = [
        ("Contactmomenten", getal(totaal("aantal-contactmomenten"))),
        ("Hulpvragen", getal(totaal("aantal-hulpvragen"))),
        ("Inwoners bereikt", getal(totaal("bereik-inwoners"))),
        ("Groepsdeelnemers", getal(totaal("bereik-groepsdeelnemers"))),
        ("Doorverwijzingen", getal(totaal("aantal-doorverwijzingen"))),
        ("Bestede uren", getal(totaal("bestede-uren"))),
    ]
    onderwerpen = adapters.indicator(session, caller, "aantal-hulpvragen", periode=label,
                                     groeperen_op=["hoofdonderwerp"], filters=filters)
    verwijzingen = adapters.indicator(session, caller, "aantal-doorverwijzingen", periode=label,
                                      groeperen_op=["ketenpartner", "status"], filters=filters)
    signalen = adapters.uitgaande_signalen(session, caller, sleutelpersoon_id=persoon.id, limiet=10)
    return pagina(request, "maandoverzicht.html", {
        "sessie": sessie, "actief": "sleutelpersonen", "persoon": persoon, "periode": periode,
        "maandnaam": f"{MAANDEN[nummer - 1]} {jaar}", "maand": f"{jaar}-{nummer:02d}", "fouten": fouten,
        "kerncijfers": kerncijfers,
        "onderwerpen": sorted((r for r in onderwerpen.rijen if r.waarde), key=lambda r: -(r.waarde or 0)),
        "verwijzingen": sorted((r for r in verwijzingen.rijen if r.waarde),
                               key=lambda r: (r.labels.get("ketenpartner") or "", r.dimensies["status"] or "")),
        "signalen": signalen, "onderwerp_labels": adapters.labels(session, "onderwerp"),
    })
