"""SROI inputs of a project over a period: an XLSX of the figures an SROI analysis starts from (issue 26, part 7).

Every figure comes from the indicator engine with the filter `project=<id>` (the same numbers as
`GET /v1/indicatoren/{code}/waarden?project=...`), exact, for the organisation itself. The SROI
itself (valuing outcomes, deadweight, attribution) is the analyst's work and is not computed here.
"""

import io
from collections import Counter
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from sqlalchemy import select
from sqlmodel import Session

from app.codelijsten import service as codelijsten
from app.core.config import get_settings
from app.core.periods import Periode
from app.indicatoren.catalogue import INDICATOREN
from app.indicatoren.service import Resultaat, Verzoek, bereken
from app.models import Contactmoment, Project, Uitkomst
from app.toegang.caller import Caller

EURO_FORMAAT = "#,##0.00"


def _indicator(session: Session, caller: Caller, code: str, periode: Periode, *, groeperen_op: tuple[str, ...] = (),
               project: Project | None = None) -> Resultaat:
    settings = get_settings()
    filters = {"project": (str(project.id),)} if project is not None else {}
    verzoek = Verzoek(indicator=INDICATOREN[code], periode=periode, interval=None, groeperen_op=groeperen_op, filters=filters)
    return bereken(session, caller=caller, verzoek=verzoek, drempel=settings.suppression_threshold,
                   max_rijen=settings.max_indicator_rows)


def _per(resultaat: Resultaat, dimensie: str) -> list[tuple[str | None, str | None, Any]]:
    """(code, label, value) per row of a grouped result."""
    return [(r.dimensies[dimensie], r.labels.get(dimensie), r.waarde) for r in resultaat.rijen]


def _totaal(resultaat: Resultaat) -> Any:
    return resultaat.rijen[0].waarde if resultaat.rijen else 0


def uitkomsten_per_resultaat(session: Session, *, caller: Caller, project: Project, periode: Periode) -> dict[str, int]:
    """The latest outcome per contactmoment or referral of the project's contacts in the period, counted by result."""
    rijen = session.execute(
        select(Uitkomst.contactmoment_id, Uitkomst.doorverwijzing_id, Uitkomst.datum, Uitkomst.aangemaakt_op, Uitkomst.id,
               Uitkomst.resultaat)
        .join(Contactmoment, Contactmoment.id == Uitkomst.contactmoment_id)
        .where(Contactmoment.project_id == project.id, Contactmoment.organisatie_id == caller.organisatie_id,
               Contactmoment.verwijderd_op.is_(None),  # type: ignore[union-attr]
               Contactmoment.datum >= periode.vanaf, Contactmoment.datum < periode.tot)
    ).all()
    laatste: dict[tuple[Any, Any], tuple[Any, ...]] = {}
    for rij in rijen:
        doel = (rij[0], rij[1])
        if doel not in laatste or (rij[2], rij[3], str(rij[4])) > (laatste[doel][2], laatste[doel][3], str(laatste[doel][4])):
            laatste[doel] = tuple(rij)
    return dict(Counter(r[5] for r in laatste.values()))


def invoer(session: Session, *, caller: Caller, project: Project, periode: Periode) -> dict[str, Any]:
    """The SROI inputs as plain data (the workbook's content; also what the tests compare with the API)."""
    def indicator(code: str, groeperen_op: tuple[str, ...] = (), *, eigen: bool = True) -> Resultaat:
        return _indicator(session, caller, code, periode, groeperen_op=groeperen_op, project=project if eigen else None)

    doorverwijzingen = indicator("aantal-doorverwijzingen", ("status",))
    resultaat_labels = codelijsten.labels(session, lijst=codelijsten.RESULTAAT)
    return {
        "uren": _per(indicator("inzet-uren", ("soort",)), "soort"),
        "uren_contactmomenten": _totaal(indicator("bestede-uren")),
        "kosten": _per(indicator("kosten", ("soort",)), "soort"),
        "kosten_totaal": _totaal(indicator("kosten")),
        "bereik": [
            ("aantal-contactmomenten", "Contactmomenten", _totaal(indicator("aantal-contactmomenten"))),
            ("bereik-inwoners", "Unieke inwoners (individuele contacten)", _totaal(indicator("bereik-inwoners"))),
            ("nieuwe-inwoners", "Nieuwe inwoners (eerste contact ooit in de periode)", _totaal(indicator("nieuwe-inwoners"))),
            ("bereik-groepsdeelnemers", "Deelnemers aan groepsbijeenkomsten", _totaal(indicator("bereik-groepsdeelnemers"))),
            ("aantal-professionele-contacten", "Contacten met professionals", _totaal(indicator("aantal-professionele-contacten"))),
            ("bereik-professionals", "Bereikte professionals", _totaal(indicator("bereik-professionals"))),
        ],
        "doorverwijzingen": _per(doorverwijzingen, "status"),
        "doorverwijzingen_afgerond": next((w for c, _, w in _per(doorverwijzingen, "status") if c == "afgerond"), 0),
        "uitkomsten": sorted(
            ((code, resultaat_labels.get(code, code), aantal)
             for code, aantal in uitkomsten_per_resultaat(session, caller=caller, project=project, periode=periode).items()),
            key=lambda r: r[0]),
        "verhalen": _per(indicator("aantal-ervaringsverhalen", ("effect",), eigen=False), "effect"),
    }


TOELICHTING = [
    ("Wat dit is", ("De invoer voor een SROI-analyse (maatschappelijke kosten-batenanalyse) van één project over één periode: "
     "wat er is ingezet (uren, kosten) en wat het opleverde (bereik, afgeronde doorverwijzingen, uitkomsten, verhalen).")),
    ("Wat dit niet is", ("De SROI zelf is het werk van de analist en wordt hier niet berekend: het waarderen van effecten in "
     "euro's, deadweight, attributie en terugval horen bij de analyse, niet bij de registratie.")),
    ("Uren per soort", ("De som van de gewerkte uren (/v1/inzet) die op het project zijn geboekt, per soort inzet "
     "(indicator inzet-uren met project=...). Daaronder de duur van de contactmomenten op het project (bestede-uren).")),
    ("Kosten per soort", ("De som van de kosten en vergoedingen (/v1/kosten) op het project, per soort, in euro's, exact op de "
     "cent (indicator kosten). Kosten over een maand tellen op de eerste dag van die maand.")),
    ("Bereik", ("Contactmomenten, unieke en nieuwe inwoners, groepsdeelnemers en professionals in de registraties die op het "
     "project zijn geboekt (de gelijknamige indicatoren met project=...).")),
    ("Doorverwijzingen", ("Doorverwijzingen vanuit de contactmomenten van het project, per huidige status; 'afgerond' is het "
     "aantal afgeronde doorverwijzingen.")),
    ("Uitkomsten", "Per contactmoment of doorverwijzing van het project de laatst vastgelegde uitkomst, geteld per resultaat."),
    ("Verhalen per effect", ("Ervaringsverhalen worden niet op een project geboekt: dit is het aantal verhalen van de hele "
     "organisatie in de periode per effect (indicator aantal-ervaringsverhalen). Een verhaal met meer effecten telt bij elk.")),
    ("Cijfers", "Exact, voor de organisatie zelf; niet voor publicatie buiten de organisatie zonder bescherming."),
]


def _blad(workbook: Workbook, titel: str, koppen: list[str], rijen: list[list[Any]], *, euro_kolom: int | None = None) -> None:
    sheet = workbook.create_sheet(titel)
    sheet.append(koppen)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for rij in rijen:
        sheet.append(rij)
    if euro_kolom is not None:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=euro_kolom, max_col=euro_kolom):
            cell.number_format = EURO_FORMAAT
    for kolom, breedte in zip("ABC", (28, 48, 16), strict=False):
        sheet.column_dimensions[kolom].width = breedte


def to_xlsx(gegevens: dict[str, Any], *, project: Project, periode: Periode, gemaakt: date) -> bytes:
    """The workbook: one sheet per kind of input, and a Toelichting sheet first."""
    workbook = Workbook()
    toelichting = workbook.active
    toelichting.title = "Toelichting"
    financier = project.financier_naam or project.financier_gemeentecode or ""
    for rij in [("Project", project.naam), ("Regeling", project.regeling), ("Financier", financier),
                ("Periode", f"{periode.vanaf.isoformat()} t/m {periode.laatste_dag.isoformat()}"),
                ("Gemaakt op", gemaakt.isoformat()), ("", ""), *TOELICHTING]:
        toelichting.append(list(rij))
    toelichting.column_dimensions["A"].width = 22
    toelichting.column_dimensions["B"].width = 110
    for (cell,) in toelichting.iter_rows(min_col=2, max_col=2):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for (cell,) in toelichting.iter_rows(min_col=1, max_col=1):
        cell.font = Font(bold=True)
    _blad(workbook, "Uren per soort", ["soort", "omschrijving", "uren"],
          [[c, label, waarde] for c, label, waarde in gegevens["uren"]]
          + [["contactmomenten", "Duur van de contactmomenten (bestede-uren)", gegevens["uren_contactmomenten"]]])
    _blad(workbook, "Kosten per soort", ["soort", "omschrijving", "euro"],
          [[c, label, waarde] for c, label, waarde in gegevens["kosten"]] + [["totaal", "Alle kosten", gegevens["kosten_totaal"]]],
          euro_kolom=3)
    _blad(workbook, "Bereik", ["indicator", "omschrijving", "aantal"], [list(r) for r in gegevens["bereik"]])
    _blad(workbook, "Doorverwijzingen", ["status", "omschrijving", "aantal"],
          [[c, label, waarde] for c, label, waarde in gegevens["doorverwijzingen"]]
          + [["afgerond", "Afgeronde doorverwijzingen", gegevens["doorverwijzingen_afgerond"]]])
    _blad(workbook, "Uitkomsten", ["resultaat", "omschrijving", "aantal"], [list(r) for r in gegevens["uitkomsten"]])
    _blad(workbook, "Verhalen per effect", ["effect", "omschrijving", "aantal"],
          [[c, label, waarde] for c, label, waarde in gegevens["verhalen"]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
