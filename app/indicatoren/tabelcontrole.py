"""Table checks for every reader but the organisation itself (issue 21, docs/onderdrukking.md).

Cell key perturbation protects one cell at a time; these checks decide which tables may be asked at
all, as the table builders of ONS and ABS do. All of them look only at the request and at fixed
lists (code lists, the caller's gemeenten, organisations and their partners), never at the records,
so a refusal tells nothing about the data:

- **Time.** No `interval=dag`; the period is one calendar unit (ISO week, month, quarter, year; or a
  relative period), so periods nest but never differ by a day or a month at one end.
- **Filters.** A filter with several values only on a dimension that is also grouped on (where it
  just picks rows), so no two different requests describe overlapping sets of records by a union.
- **Detail.** At most `regionaal_max_kenmerken` characteristics (grouped or filtered; time not
  counted; `onderwerp` and `hoofdonderwerp` count as one). The finest time (a week) and the finest
  area (`wijk`) each combine with at most one other characteristic, and not with each other.
- **Open lists.** `taal` and `wijk` have no fixed code list: grouping on them needs a filter naming
  the values (at most `regionaal_max_open_waarden`).
- **Size.** The table is the full product of the requested lists: its rows are known before the
  query and never appear or disappear with the data. The row limit counts that product.

The sparsity rule (too many suppressed cells) runs after perturbation, on the published cells only,
in `service.bereken`.
"""

import itertools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from app.codelijsten import service as codelijsten
from app.core.errors import OngeldigeInvoer
from app.core.periods import Interval, Periode, intervallen, iso_week
from app.indicatoren.catalogue import Bron
from app.models import Ketenpartner, Organisatie
from app.toegang.caller import Binding, Caller

LIJST_VAN = {
    "onderwerp": codelijsten.ONDERWERP,
    "hoofdonderwerp": codelijsten.ONDERWERP,
    "kanaal": codelijsten.KANAAL,
    "soort": codelijsten.SOORT_CONTACT,
    "rol": codelijsten.ROL,
    "leeftijdscategorie": codelijsten.LEEFTIJDSCATEGORIE,
    "geslacht": codelijsten.GESLACHT,
    "doelgroep": codelijsten.DOELGROEP,
    "actie": codelijsten.ACTIE,
    "ketenpartnerCategorie": codelijsten.KETENPARTNER_CATEGORIE,
    "wijze": codelijsten.DOORVERWIJZING_WIJZE,
    "effect": codelijsten.EFFECT,
    "regeling": codelijsten.REGELING,
}
# A dimension whose values come from another code list for one source: inzet has its own `soort`.
LIJST_PER_BRON = {
    Bron.inzet: {"soort": codelijsten.INZET_SOORT},
    Bron.professioneel_contact: {"soort": codelijsten.PROFESSIONEEL_CONTACT_SOORT},
    Bron.kosten: {"soort": codelijsten.KOSTEN_SOORT},
    Bron.deskundigheid: {"soort": codelijsten.DESKUNDIGHEID_SOORT},
}


def lijst_van(bron: Bron, naam: str) -> str | None:
    """The code list of a dimension's values for an indicator's source, or None when it has none."""
    return LIJST_PER_BRON.get(bron, {}).get(naam) or LIJST_VAN.get(naam)


# Lists fixed in the API itself (enums of signals and stories).
VASTE_LIJSTEN = {
    "urgentie": ("laag", "middel", "hoog"),
    "gerichtAan": ("gemeente", "ggd", "ketenpartner"),
    "bron": ("sleutelpersoon", "collega", "ketenpartner", "inwoner", "coordinator"),
}
SIGNAAL_STATUSSEN = ("ingediend", "ontvangen", "in-behandeling", "opgepakt", "niet-opgepakt")
OPEN_LIJSTEN = ("taal", "wijk")  # no code list: grouping needs a filter that names the values
# Dimensions whose column may be empty: the table has a row "(niet ingevuld)" for them.
LEEG_MOGELIJK = {"rol", "taal", "leeftijdscategorie", "geslacht", "doelgroep", "wijk", "regeling"}
# Dimensions that may be empty for one source only: a professional contact a gemeente or GGD asked for
# has no ketenpartnerCategorie.
LEEG_PER_BRON = {Bron.professioneel_contact: {"ketenpartnerCategorie"}}
FIJNSTE_GEBIED = "wijk"


@dataclass(frozen=True)
class Grenzen:
    max_kenmerken: int
    max_open_waarden: int
    max_rijen: int


def kalendereenheid(vanaf: date, tot: date) -> bool:
    """True when [vanaf, tot) is exactly one ISO week, calendar month, quarter or year."""
    if vanaf.isoweekday() == 1 and tot - vanaf == timedelta(days=7):
        return True
    if vanaf.day != 1 or tot.day != 1:
        return False
    maanden = (tot.year - vanaf.year) * 12 + tot.month - vanaf.month
    return maanden == 1 or (maanden == 3 and vanaf.month % 3 == 1) or (maanden == 12 and vanaf.month == 1)


def intervallen_beschermd(periode: Periode, interval: Interval | None) -> list[Periode]:
    """The rows' periods of a protected table: whole calendar units, never clipped to the period.

    Weeks are whole ISO weeks (the first may start in the month before); any other interval that
    does not fit the period whole (months of a week, quarters of a 12-month window) is refused,
    since a clipped piece is a cell of a few days."""
    if interval is None:
        return [periode]
    if interval is Interval.week:
        eerste = iso_week(*periode.vanaf.isocalendar()[:2])
        laatste = iso_week(*periode.laatste_dag.isocalendar()[:2])
        return intervallen(Periode(eerste.vanaf, laatste.tot, periode.label), interval)
    stukken = intervallen(periode, interval)
    if not all(kalendereenheid(s.vanaf, s.tot) for s in stukken):
        raise OngeldigeInvoer.veld("interval", f"Interval {interval.value} past niet in hele stukken in periode "
                                   f"{periode.label}; regionale cijfers tonen alleen hele weken, maanden, kwartalen of "
                                   "jaren. Kies een fijner interval of een langere periode.")
    return stukken


def toegestane_periode(periode: Periode) -> bool:
    """A period a protected table may cover: one calendar unit, or the rolling last twelve months."""
    return kalendereenheid(periode.vanaf, periode.tot) or periode.label == "laatste-12-maanden"


def kenmerken(groeperen_op: Sequence[str], filters: dict[str, tuple[str, ...]]) -> set[str]:
    """The characteristics a table combines: grouped or filtered, topics counted once."""
    namen = set(groeperen_op) | set(filters)
    return {"onderwerp" if n == "hoofdonderwerp" else n for n in namen}


def controleer(verzoek: Any, grenzen: Grenzen) -> None:
    """Refuse a table that is too detailed for a reader outside the organisation: one 400, every reason."""
    problemen: list[dict[str, str]] = []
    periode, interval = verzoek.periode, verzoek.interval
    if interval is Interval.dag:
        problemen.append({"name": "interval", "reason": "Regionale cijfers hebben geen dagcijfers; kies interval=week "
                          "of grover."})
    if not toegestane_periode(periode):
        problemen.append({"name": "periode", "reason": "Regionale cijfers gaan over een hele week, maand, kwartaal of "
                          "jaar (periode=2025W10, 2025-03, 2025Q1, 2025 of een relatieve periode); een eigen vanaf en "
                          "tot kan alleen als ze precies zo'n periode omvatten. Kies een interval voor een reeks."})
    meervoudig = sorted(n for n, w in verzoek.filters.items() if len(w) > 1 and n not in verzoek.groeperen_op)
    if meervoudig:
        problemen.append({"name": meervoudig[0], "reason": f"Een filter met meer waarden ({', '.join(meervoudig)}) kan "
                          "voor regionale cijfers alleen op een dimensie waarop ook gegroepeerd wordt; kies een waarde, "
                          "of groepeer erop."})
    namen = kenmerken(verzoek.groeperen_op, verzoek.filters)
    if len(namen) > grenzen.max_kenmerken:
        problemen.append({"name": "groeperenOp", "reason": f"Deze tabel combineert {len(namen)} kenmerken "
                          f"({', '.join(sorted(namen))}); regionale cijfers combineren er ten hoogste "
                          f"{grenzen.max_kenmerken} (groeperen en filteren samen, de tijd niet meegerekend). Kies "
                          "minder detail of een groter gebied."})
    week = interval is Interval.week or (periode.tot - periode.vanaf) <= timedelta(days=7)
    if week and FIJNSTE_GEBIED in namen:
        problemen.append({"name": "interval", "reason": "Weekcijfers gaan voor regionale cijfers niet samen met wijk; "
                          "kies een maand of grover, of een groter gebied dan de wijk."})
    elif week and len(namen) > 1:
        problemen.append({"name": "interval", "reason": "Weekcijfers combineren voor regionale cijfers met ten hoogste "
                          "een kenmerk; kies een maand of grover, of minder kenmerken."})
    if FIJNSTE_GEBIED in namen and len(namen) > 2:
        problemen.append({"name": "wijk", "reason": "Cijfers per wijk combineren voor regionale cijfers met ten hoogste "
                          "een ander kenmerk; kies minder detail of een groter gebied."})
    for naam in OPEN_LIJSTEN:
        if naam in verzoek.groeperen_op and naam not in verzoek.filters:
            problemen.append({"name": naam, "reason": f"Groeperen op {naam} kan voor regionale cijfers alleen samen met "
                              f"een filter {naam}=... dat de waarden noemt (ten hoogste {grenzen.max_open_waarden})."})
        elif len(verzoek.filters.get(naam, ())) > grenzen.max_open_waarden:
            problemen.append({"name": naam, "reason": f"Noem ten hoogste {grenzen.max_open_waarden} waarden voor {naam}."})
    if problemen:
        n = len(problemen)
        raise OngeldigeInvoer(f"Deze tabel is te gedetailleerd voor regionale cijfers ({n} reden{'en' if n != 1 else ''}); "
                              "kies minder detail of een groter gebied.", invalid_params=problemen)


def rijen(session: Session, verzoek: Any, caller: Caller, grenzen: Grenzen, aantal_intervallen: int) -> list[tuple[Any, ...]]:
    """Every combination of the grouped dimensions' values, whatever the data holds; 400 when too many."""
    lijsten = [_waarden(session, naam, verzoek, caller) for naam in verzoek.groeperen_op]
    omvang = aantal_intervallen
    for lijst in lijsten:
        omvang *= max(1, len(lijst))
    if omvang > grenzen.max_rijen:
        raise OngeldigeInvoer.veld(
            "groeperenOp",
            f"Deze tabel heeft {omvang} rijen ({aantal_intervallen} periode(s) maal de waarden van "
            f"{', '.join(verzoek.groeperen_op) or 'geen dimensie'}); het maximum is {grenzen.max_rijen}. "
            "Kies minder dimensies, een grover interval of een kortere periode.",
        )
    return list(itertools.product(*lijsten))


def _waarden(session: Session, naam: str, verzoek: Any, caller: Caller) -> list[Any]:
    """The values one grouped dimension takes in the table, from fixed lists only."""
    filters = verzoek.filters
    bron = verzoek.indicator.bron
    waarden: list[Any]
    if naam in OPEN_LIJSTEN:
        waarden = list(filters.get(naam, ()))
    elif naam == "gemeente":
        waarden = list(caller.gemeentecodes) if caller.binding is Binding.regio else sorted(
            codelijsten.lookup(session, lijst=codelijsten.GEMEENTE))
    elif naam == "organisatie":
        waarden = sorted(str(i) for i in _organisaties(session, caller))
    elif naam == "ketenpartner":
        organisaties = _organisaties(session, caller)
        waarden = sorted(str(i) for i, organisatie in session.execute(select(Ketenpartner.id, Ketenpartner.organisatie_id))
                         if organisatie in organisaties)
    elif naam == "status":
        waarden = list(SIGNAAL_STATUSSEN) if bron is Bron.signaal else sorted(
            codelijsten.lookup(session, lijst=codelijsten.DOORVERWIJZING_STATUS))
    elif naam in VASTE_LIJSTEN:
        waarden = list(VASTE_LIJSTEN[naam])
    elif naam == "hoofdonderwerp":
        waarden = sorted(c for c in codelijsten.lookup(session, lijst=codelijsten.ONDERWERP) if "." not in c)
    elif (lijst := lijst_van(bron, naam)) is not None:
        waarden = sorted(codelijsten.lookup(session, lijst=lijst))
    else:
        raise KeyError(naam)
    if naam == "onderwerp":
        for filternaam in ("onderwerp", "hoofdonderwerp"):
            if filternaam in filters:
                gekozen = filters[filternaam]
                waarden = [w for w in waarden if w in gekozen or w.split(".")[0] in gekozen]
    elif naam in filters:
        gekozen = set(filters[naam])
        waarden = [w for w in waarden if w in gekozen] if naam not in OPEN_LIJSTEN else waarden
    elif naam in LEEG_MOGELIJK or naam in LEEG_PER_BRON.get(bron, ()):
        waarden = [*waarden, None]
    return waarden


def _organisaties(session: Session, caller: Caller) -> set[uuid.UUID]:
    """The organisations a reader's table may show: those serving one of its gemeenten (all for beheer)."""
    regio = set(caller.gemeentecodes)
    return {i for i, codes in session.execute(select(Organisatie.id, Organisatie.gemeentecodes))
            if caller.binding is not Binding.regio or regio & set(codes or ())}
