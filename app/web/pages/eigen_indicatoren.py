"""Own indicators in the dashboard (issue 25, part 6): the organisation's indicators built from a catalogue
measure, fixed filters and an optional denominator, and a form to define one.

Every write is the API's own service call with the API's schema (`POST /v1/indicatoren`,
`DELETE /v1/indicatoren/{code}`): the same single validation pass, audit, tenancy and privacy guard. The form
only turns its selects into the API's body (`filters` as name → codes) and shows the problems next to the
fields, in the words of the form. Withdrawing is a final action and goes through a confirmation page.

This module is registered before `doelstellingen` in PAGINAS: `/doelstellingen/indicatoren` must win over
`/doelstellingen/{doelstelling_id}`.
"""

import re
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlmodel import Session, col, select

from app.codelijsten import service as codelijsten
from app.core.db import SessionDep
from app.core.errors import GeenToegang, NietGevonden, OngeldigeInvoer
from app.core.schemas import schemafouten
from app.indicatoren import eigen
from app.indicatoren.catalogue import INDICATOREN
from app.indicatoren.schemas import EigenIndicatorInvoer
from app.models import EigenIndicator, Organisatie
from app.toegang.caller import Scope
from app.web import adapters
from app.web.pages.doelstellingen import Formulier, Fout, _fouten, _mag, _proef
from app.web.sessie import SessieDep, WebSessie, controleer_csrf
from app.web.templating import pagina

router = APIRouter(include_in_schema=False)

PAD = "/doelstellingen/indicatoren"
# The fixed filters the form offers (the common dimensions), in the form's order, with their label.
FILTERS = {
    "hoofdonderwerp": "Hoofdonderwerp", "onderwerp": "Onderwerp", "doelgroep": "Doelgroep", "gemeente": "Gemeente",
    "kanaal": "Kanaal", "leeftijdscategorie": "Leeftijdscategorie",
}
LIJSTEN = {"kanaal": codelijsten.KANAAL, "leeftijdscategorie": codelijsten.LEEFTIJDSCATEGORIE,
           "doelgroep": codelijsten.DOELGROEP}
# The API's field names in the words of the form, and the id of the field a problem belongs to.
VELDEN = {
    "code": ("code", "Code"), "naam": ("naam", "Naam"), "definitie": ("definitie", "Definitie"),
    "basis": ("basis", "Basis"), "filters": ("filter_onderwerp", "Vaste filters"),
    "noemer": ("noemer_basis", "Noemer"), "noemer.basis": ("noemer_basis", "Noemer: basis"),
    "noemer.filters": ("noemer_onderwerp", "Noemer: vaste filters"), "gedeeldMetRegio": ("gedeeld", "Delen met de regio"),
}
for _naam, _label in FILTERS.items():
    VELDEN[f"filters.{_naam}"] = (f"filter_{_naam}", f"Vaste filters: {_label.lower()}")
    VELDEN[f"noemer.filters.{_naam}"] = (f"noemer_{_naam}", f"Noemer: {_label.lower()}")
TEKST_MAX = 20_000
CODE_UITLEG = "Begin met eigen. en gebruik daarna kleine letters, cijfers en streepjes, zoals eigen.hulpvragen-jgz."

Nummer = Annotated[int, Query(alias="pagina", ge=1, le=10_000)]
Tekst = Annotated[str, Form(max_length=TEKST_MAX)]
Kort = Annotated[str, Form(max_length=100)]
Keuzes = Annotated[list[str], Form(max_length=200)]


def _mag_schrijven(request: Request, sessie: WebSessie, csrf: str) -> None:
    controleer_csrf(request, csrf, sessie.csrf)
    _mag(sessie)
    if not sessie.caller.has(Scope.registreren):
        raise GeenToegang("Een eigen indicator definiëren of intrekken vraagt een sleutel met scope `registreren`.")


def _in_woorden(problemen: list[dict[str, str]]) -> list[Fout]:
    """The API's invalidParams as problems of this form's fields (the goals form does the wording)."""
    fouten = []
    for p in problemen:
        f = _fouten([p])[0]
        naam = re.sub(r"\[\d+\].*$", "", p.get("name", ""))
        veld, label = VELDEN.get(naam, (f.veld, f.label))
        reden = CODE_UITLEG if naam == "code" and f.reden.startswith("Voldoet niet aan het patroon") else f.reden
        fouten.append(Fout(veld, label, reden))
    return list(dict.fromkeys(fouten))


# --- what the form offers -----------------------------------------------------------------------


def basis_keuzes() -> list[tuple[str, str]]:
    """(code, name) of the catalogue indicators an own indicator may build on: the ones that count."""
    return [(code, i.naam) for code, i in INDICATOREN.items() if i.maat in eigen.BASIS_MATEN]


def noemer_keuzes() -> list[tuple[str, str]]:
    return [(code, i.naam) for code, i in INDICATOREN.items() if i.maat in eigen.NOEMER_MATEN]


@dataclass(frozen=True)
class Groep:
    label: str | None
    opties: list[tuple[str, str]]


def _filter_keuzes(session: Session, sessie: WebSessie) -> dict[str, list[Groep]]:
    """Per fixed filter the values to choose from; topics grouped under their main topic."""
    onderwerpen = [c for c in codelijsten.lookup(session, lijst=codelijsten.ONDERWERP).values() if c.actief]
    onderwerpen.sort(key=lambda c: (c.volgorde, c.code))
    hoofd = [c for c in onderwerpen if "." not in c.code]
    keuzes: dict[str, list[Groep]] = {
        "hoofdonderwerp": [Groep(None, [(c.code, c.label) for c in hoofd])],
        "onderwerp": [Groep(h.label, [(c.code, c.label) for c in onderwerpen if c.code.split(".")[0] == h.code and "." in c.code])
                      for h in hoofd],
    }
    # A main topic without subtopics (overig) is itself the topic a question has.
    los = [(h.code, h.label) for h in hoofd if not any(c.code.startswith(h.code + ".") for c in onderwerpen)]
    keuzes["onderwerp"] = [g for g in keuzes["onderwerp"] if g.opties] + ([Groep("Zonder deelonderwerpen", los)] if los else [])
    for naam, lijst in LIJSTEN.items():
        codes = sorted(codelijsten.lookup(session, lijst=lijst).values(), key=lambda c: (c.volgorde, c.code))
        keuzes[naam] = [Groep(None, [(c.code, c.label) for c in codes if c.actief])]
    # The gemeenten the organisation serves: its own work is what an own indicator counts.
    organisatie = session.get(Organisatie, sessie.caller.organisatie_id)
    gemeenten = codelijsten.lookup(session, lijst=codelijsten.GEMEENTE)
    keuzes["gemeente"] = [Groep(None, [(g, gemeenten[g].label if g in gemeenten else g)
                                       for g in sorted((organisatie.gemeentecodes if organisatie else None) or [])])]
    return keuzes


def _labels(session: Session) -> dict[str, dict[str, str]]:
    labels = {naam: {c.code: c.label for c in codelijsten.lookup(session, lijst=lijst).values()}
              for naam, lijst in {**LIJSTEN, "onderwerp": codelijsten.ONDERWERP, "hoofdonderwerp": codelijsten.ONDERWERP,
                                  "gemeente": codelijsten.GEMEENTE}.items()}
    return labels


# --- the list ---------------------------------------------------------------------------------------


def _leeg() -> dict[str, Any]:
    return {"code": eigen.PREFIX, "naam": "", "definitie": "", "basis": "", "noemer_basis": "", "gedeeld": False,
            **{f"filter_{n}": [] for n in FILTERS}, **{f"noemer_{n}": [] for n in FILTERS}}


def _context(session: Session, sessie: WebSessie, nummer: int, formulier: Formulier | None = None) -> dict[str, Any]:
    _mag(sessie)
    statement = select(EigenIndicator).where(
        EigenIndicator.organisatie_id == sessie.caller.organisatie_id, col(EigenIndicator.ingetrokken_op).is_(None)
    ).order_by(EigenIndicator.code)
    records = list(session.exec(statement.offset((nummer - 1) * adapters.PAGINA).limit(adapters.PAGINA + 1)).all())
    meer, records = len(records) > adapters.PAGINA, records[: adapters.PAGINA]
    mag = sessie.caller.has(Scope.registreren)
    return {
        "sessie": sessie, "actief": "doelstellingen", "pagina": nummer, "meer": meer,
        "rijen": [eigen.versie_van(session, r) for r in records], "catalogus": INDICATOREN, "labels": _labels(session),
        "filternamen": FILTERS, "mag_schrijven": mag,
        "basissen": basis_keuzes() if mag else [], "noemers": noemer_keuzes() if mag else [],
        "keuzes": _filter_keuzes(session, sessie) if mag else {},
        "formulier": formulier or Formulier(invoer=_leeg()), "melding": None,
    }


MELDINGEN = {"aangemaakt": "De indicator is vastgelegd. U kunt hem nu kiezen bij een doelstelling en er een doel op zetten.",
             "ingetrokken": "De indicator is ingetrokken."}


@router.get(PAD, response_class=HTMLResponse)
def lijst(request: Request, sessie: SessieDep, session: SessionDep, nummer: Nummer = 1,
          melding: Annotated[str | None, Query(max_length=20)] = None) -> Response:
    context = _context(session, sessie, nummer)
    context["melding"] = MELDINGEN.get(melding or "")
    return pagina(request, "eigen_indicatoren.html", context)


def _filters(waarden: dict[str, list[str]]) -> dict[str, list[str]]:
    return {naam: [w for w in lijst if w] for naam, lijst in waarden.items() if any(lijst)}


@router.post(PAD, response_class=HTMLResponse)
def create(
    request: Request, sessie: SessieDep, session: SessionDep,
    csrf: Kort = "", code: Kort = "", naam: Tekst = "", definitie: Tekst = "", basis: Kort = "", noemer_basis: Kort = "",
    gedeeld: Annotated[str, Form(max_length=5)] = "",
    filter_hoofdonderwerp: Keuzes = [], filter_onderwerp: Keuzes = [], filter_doelgroep: Keuzes = [],  # noqa: B006
    filter_gemeente: Keuzes = [], filter_kanaal: Keuzes = [], filter_leeftijdscategorie: Keuzes = [],  # noqa: B006
    noemer_hoofdonderwerp: Keuzes = [], noemer_onderwerp: Keuzes = [], noemer_doelgroep: Keuzes = [],  # noqa: B006
    noemer_gemeente: Keuzes = [], noemer_kanaal: Keuzes = [], noemer_leeftijdscategorie: Keuzes = [],  # noqa: B006
) -> Response:
    """`POST /v1/indicatoren` from the form: the API's schema and rules in one pass."""
    _mag_schrijven(request, sessie, csrf)
    filters = {"hoofdonderwerp": filter_hoofdonderwerp, "onderwerp": filter_onderwerp, "doelgroep": filter_doelgroep,
               "gemeente": filter_gemeente, "kanaal": filter_kanaal, "leeftijdscategorie": filter_leeftijdscategorie}
    noemer_filters = {"hoofdonderwerp": noemer_hoofdonderwerp, "onderwerp": noemer_onderwerp,
                      "doelgroep": noemer_doelgroep, "gemeente": noemer_gemeente, "kanaal": noemer_kanaal,
                      "leeftijdscategorie": noemer_leeftijdscategorie}
    # An empty field is left out, as a client would, so the schema says it is missing.
    body: dict[str, Any] = {k: v for k, v in (("code", code.strip()), ("naam", naam.strip()),
                                               ("definitie", definitie.strip()), ("basis", basis)) if v}
    body |= {"filters": _filters(filters), "gedeeldMetRegio": gedeeld == "ja"}
    problemen: list[dict[str, str]] = []
    if noemer_basis:
        body["noemer"] = {"basis": noemer_basis, "filters": _filters(noemer_filters)}
    elif _filters(noemer_filters):
        problemen.append({"name": "noemer.basis", "reason": "Kies een basis voor de noemer, of laat de filters van de "
                          "noemer leeg."})
    data = EigenIndicatorInvoer.model_validate(body)
    try:
        if problemen:
            # The service's own check of the rest, so every problem shows at once; nothing is stored.
            try:
                with _proef(session):
                    eigen.create(session, caller=sessie.caller, data=data, schemafouten=schemafouten(data))
            except OngeldigeInvoer as exc:
                problemen = (exc.invalid_params or []) + problemen
            raise OngeldigeInvoer.met(problemen, onderwerp="De indicator", slot=" Er is niets opgeslagen.")
        eigen.create(session, caller=sessie.caller, data=data, schemafouten=schemafouten(data))
    except OngeldigeInvoer as exc:
        session.rollback()
        invoer = {"code": code, "naam": naam, "definitie": definitie, "basis": basis, "noemer_basis": noemer_basis,
                  "gedeeld": gedeeld == "ja", **{f"filter_{n}": w for n, w in filters.items()},
                  **{f"noemer_{n}": w for n, w in noemer_filters.items()}}
        formulier = Formulier(invoer=invoer, fouten=_in_woorden(exc.invalid_params or []))
        return pagina(request, "eigen_indicatoren.html", _context(session, sessie, 1, formulier), status_code=400)
    return RedirectResponse(f"{PAD}?melding=aangemaakt", status_code=303)


# --- withdrawing ------------------------------------------------------------------------------------


def _eigen_record(session: Session, sessie: WebSessie, indicator_code: str) -> EigenIndicator:
    """The organisation's own, active indicator with this code; 404 for anything else (also another's)."""
    _mag(sessie)
    if not eigen.is_eigen(indicator_code):
        raise NietGevonden("Deze indicator bestaat niet.")
    record = eigen.zoek(session, sessie.caller, indicator_code)
    if record.ingetrokken_op is not None:
        raise NietGevonden("Deze indicator is al ingetrokken.")
    return record


@router.post(PAD + "/{indicator_code}/intrekken", response_class=HTMLResponse)
def intrekken(request: Request, indicator_code: str, sessie: SessieDep, session: SessionDep,
              csrf: Kort = "", bevestigd: Annotated[str, Form(max_length=5)] = "") -> Response:
    """`DELETE /v1/indicatoren/{code}`, a final action: the first post shows a confirmation page, the second saves."""
    record = _eigen_record(session, sessie, indicator_code[:80])
    _mag_schrijven(request, sessie, csrf)
    if bevestigd != "ja":
        return pagina(request, "eigen_indicator_intrekken.html", {
            "sessie": sessie, "actief": "doelstellingen", "v": eigen.versie_van(session, record),
        })
    eigen.delete(session, caller=sessie.caller, record=record)
    return RedirectResponse(f"{PAD}?melding=ingetrokken", status_code=303)

