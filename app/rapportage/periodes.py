"""The periods a reporting rhythm declares: month (`2026-03`) or quarter (`2026Q1`), and their deadlines."""

import enum
import re
from datetime import date, timedelta

from app.core.periods import Periode, kwartaal, maand


class Ritme(enum.StrEnum):
    maand = "maand"
    kwartaal = "kwartaal"


class Periodestatus(enum.StrEnum):
    open = "open"
    ingediend = "ingediend"
    goedgekeurd = "goedgekeurd"
    teruggestuurd = "teruggestuurd"
    heropend = "heropend"


# Submitted figures: what rapportagegraad counts.
INGEDIEND = (Periodestatus.ingediend, Periodestatus.goedgekeurd)

_MAAND = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_KWARTAAL = re.compile(r"^(\d{4})Q([1-4])$")


def periode_van(ritme: Ritme | str, d: date) -> Periode:
    """The period of this rhythm that contains day `d`."""
    if Ritme(ritme) is Ritme.maand:
        return maand(d.year, d.month)
    return kwartaal(d.year, (d.month - 1) // 3 + 1)


def parse(ritme: Ritme | str, code: str) -> Periode | None:
    """The period a code names in this rhythm (`2026Q1` or `2026-03`), or None when it names none."""
    if Ritme(ritme) is Ritme.maand:
        if m := _MAAND.match(code):
            return maand(int(m.group(1)), int(m.group(2)))
        return None
    if m := _KWARTAAL.match(code):
        return kwartaal(int(m.group(1)), int(m.group(2)))
    return None


def periodes(ritme: Ritme | str, vanaf: date, tot: date) -> list[Periode]:
    """Every period of the rhythm from the one containing `vanaf` to the one containing `tot`, oldest first."""
    result: list[Periode] = []
    huidig = periode_van(ritme, vanaf)
    while huidig.vanaf <= tot:
        result.append(huidig)
        huidig = periode_van(ritme, huidig.tot)
    return result


def deadline(periode: Periode, termijn_dagen: int) -> date:
    """The last day to submit: `termijn_dagen` days after the period's last day."""
    return periode.laatste_dag + timedelta(days=termijn_dagen)
