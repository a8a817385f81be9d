"""An import's options and its report: counts, and errors grouped by column, value and reason."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from app.core import formaten, persoonsgegevens
from app.core.config import get_settings
from app.imports.mapping import Mappingbestand
from app.imports.readers import schoon_json

WACHTEND, BEZIG, GESLAAGD, MISLUKT, GEDEELTELIJK = "wachtend", "bezig", "geslaagd", "mislukt", "gedeeltelijk"
ATOMAIR, PER_RIJ = "atomair", "per-rij"
# The same values as types, so the OpenAPI document lists them (tests/test_enums.py checks they agree).
Importstatus = Literal["wachtend", "bezig", "geslaagd", "mislukt", "gedeeltelijk"]
Importmodus = Literal["atomair", "per-rij"]
MAX_WAARDE = 200
# Stands in for a cell value that holds personal data: the report names the row, column and kind only.
WEGGELATEN = "(weggelaten: bevat persoonsgegevens)"


def zonder_persoonsgegevens(waarde: str) -> str:
    """The value as a report may keep it: itself, or WEGGELATEN when the guard finds personal data in it."""
    return WEGGELATEN if waarde and persoonsgegevens.vind(waarde) else waarde


@dataclass
class Opties:
    formaat: str
    per_rij: bool = False
    proefdraai: bool = False
    nieuwe_sleutelpersonen: bool = False
    nieuwe_ketenpartners: bool = False
    blad: str | None = None
    codering: str | None = None
    mapping: Mappingbestand | None = None
    bestandsnaam: str | None = None
    # The API and dashboard merge the organisation's stored mapping into `mapping` when this is set.
    opgeslagen_mapping: bool = False
    # Per-row from the command line: commit every VASTLEG_STAP rows, so a killed run keeps what it did.
    tussentijds_vastleggen: bool = False

    @property
    def modus(self) -> str:
        return PER_RIJ if self.per_rij else ATOMAIR

    def als_json(self) -> dict[str, Any]:
        return {
            "blad": self.blad,
            "nieuweSleutelpersonenAanmaken": self.nieuwe_sleutelpersonen,
            "nieuweKetenpartnersAanmaken": self.nieuwe_ketenpartners,
            "mappingbestand": self.mapping is not None,
            "mapping": self.mapping.model_dump() if self.mapping is not None else None,
            # A job reads its options back from here when it is (re)started by any worker.
            "codering": self.codering,
        }


Fout = tuple[str | None, str, str]  # (column, value, reason)

# Error kinds counted one by one (per column and reason with the value left out); the rest together.
MAX_FOUTSOORTEN = 100
OVERIGE_FOUTEN = "Overige fouten"
WAARDE = "…"  # stands in for the value in the reason of an error kind


@dataclass
class Telling:
    """The counts of one kind of record in a run (the professional contacts beside the totals)."""

    gelezen: int = 0
    aangemaakt: int = 0
    bijgewerkt: int = 0
    ongewijzigd: int = 0
    afgewezen: int = 0

    def als_json(self) -> dict[str, int]:
        return {"gelezen": self.gelezen, "aangemaakt": self.aangemaakt, "bijgewerkt": self.bijgewerkt,
                "ongewijzigd": self.ongewijzigd, "afgewezen": self.afgewezen}


@dataclass
class Verslag:
    """The report of one run: counts, errors grouped by (column, value, reason) with their rows."""

    gelezen: int = 0
    aangemaakt: int = 0
    bijgewerkt: int = 0
    ongewijzigd: int = 0
    afgewezen: int = 0
    status: str = BEZIG
    opgeslagen: bool = False
    onleesbaar: bool = False  # the file as a whole could not be read: nothing was imported
    melding: str | None = None
    # Peak memory of the run's worker process (app/imports/pijplijn.py), when it had one; not in the report.
    werkproces_rss_kb: int | None = None
    werkproces_cpu_seconden: float | None = None
    # The first `max_fouten` errors, grouped; past them only the counts grow (see `fout`).
    fouten: dict[Fout, list[int | None]] = field(default_factory=dict)
    max_fouten: int = field(default_factory=lambda: get_settings().max_import_fouten)
    fouten_aantal: int = 0
    fouten_bewaard: int = 0
    foutsoorten: dict[tuple[str | None, str], int] = field(default_factory=dict)
    kolommen: list[tuple[str, str | None]] = field(default_factory=list)
    nieuwe_sleutelpersonen: list[str] = field(default_factory=list)
    nieuwe_ketenpartners: list[tuple[str, str]] = field(default_factory=list)
    benaderd: dict[tuple[str, str], str] = field(default_factory=dict)
    kenmerken: dict[int, tuple[str, str]] = field(default_factory=dict)  # rejected row -> (date, key person)
    # `sleutelpersoon` / `doorverwijzingen` -> unknown name -> rows naming it (for the choice on the preview)
    onbekend: dict[str, dict[str, int]] = field(default_factory=dict)
    # The professional contacts among the rows (issue 25): also counted in the totals above.
    professioneel: Telling = field(default_factory=Telling)

    @property
    def fouten_weggelaten(self) -> int:
        """Errors counted but not kept row by row (past `max_fouten`)."""
        return self.fouten_aantal - self.fouten_bewaard

    def kenmerk(self, rij: int, datum: str, sleutelpersoon: str) -> None:
        """Remember a rejected row's date and key person as the file has them, for the error report."""
        if (datum or sleutelpersoon) and len(self.kenmerken) < self.max_fouten:
            self.kenmerken[rij] = (zonder_persoonsgegevens(datum)[:MAX_WAARDE], zonder_persoonsgegevens(sleutelpersoon)[:MAX_WAARDE])

    def fout(self, rij: int | None, kolom: str | None, waarde: str, reden: str) -> None:
        """Count an error; keep it with its row while fewer than `max_fouten` are kept."""
        self.fouten_aantal += 1
        soort = (kolom, reden.replace(waarde, WAARDE) if waarde.strip() else reden)
        if soort in self.foutsoorten or len(self.foutsoorten) < MAX_FOUTSOORTEN:
            self.foutsoorten[soort] = self.foutsoorten.get(soort, 0) + 1
        else:
            self.foutsoorten[(None, OVERIGE_FOUTEN)] = self.foutsoorten.get((None, OVERIGE_FOUTEN), 0) + 1
        if self.fouten_bewaard >= self.max_fouten:
            return
        self.fouten_bewaard += 1
        # A value that holds a BSN, phone number, ... is neither stored nor echoed, not even inside
        # the reason ("Onbekende waarde `…`"): the report is kept with the run and shown to coordinators.
        veilig = zonder_persoonsgegevens(waarde)
        if veilig != waarde:
            reden = reden.replace(waarde, veilig).replace(waarde.strip(), veilig)
        self.fouten.setdefault((kolom, veilig[:MAX_WAARDE], reden), []).append(rij)

    def foutsoortenlijst(self) -> list[dict[str, Any]]:
        """Errors counted per column and reason (the value left out), most frequent first."""
        soorten = sorted(self.foutsoorten.items(), key=lambda s: (-s[1], s[0][0] or "", s[0][1]))
        return [{"kolom": kolom, "reden": reden, "aantal": aantal} for (kolom, reden), aantal in soorten]

    def foutgroepen(self) -> list[dict[str, Any]]:
        """Identical errors once, with every row they occur on; ordered by their first row."""
        groepen = [
            {"kolom": kolom, "waarde": waarde, "reden": reden, "aantal": len(rijen),
             "rijen": [r for r in rijen if r is not None]}
            for (kolom, waarde, reden), rijen in self.fouten.items()
        ]
        return sorted(groepen, key=lambda g: (g["rijen"][0] if g["rijen"] else 0))

    def _onbekende(self, veld: str) -> list[dict[str, Any]]:
        namen = sorted(self.onbekend.get(veld, {}).items(), key=lambda n: (-n[1], n[0].casefold()))
        return [{"naam": zonder_persoonsgegevens(naam)[:MAX_WAARDE], "rijen": rijen} for naam, rijen in namen]

    def als_rapport(self) -> dict[str, Any]:
        """The report as stored with the run: JSON whose every string can be encoded (see readers.schoon)."""
        return schoon_json({
            "melding": self.melding,
            "fouten": self.foutgroepen(),
            "foutenAantal": self.fouten_aantal,
            "foutenWeggelaten": self.fouten_weggelaten,
            "foutsoorten": self.foutsoortenlijst(),
            "kolommen": [{"kolom": k, "veld": v} for k, v in self.kolommen],
            "nieuweSleutelpersonen": self.nieuwe_sleutelpersonen[: self.max_fouten],
            "nieuweKetenpartners": [{"naam": n, "categorie": c} for n, c in self.nieuwe_ketenpartners[: self.max_fouten]],
            "benaderd": [
                {"kolom": k, "waarde": zonder_persoonsgegevens(w), "code": c}
                for (k, w), c in sorted(self.benaderd.items())[: self.max_fouten]
            ],
            "onbekendeSleutelpersonen": self._onbekende("sleutelpersoon"),
            "onbekendeKetenpartners": self._onbekende("doorverwijzingen"),
            "rijkenmerken": {str(r): {"datum": d, "sleutelpersoon": s} for r, (d, s) in sorted(self.kenmerken.items())},
            "professioneleContacten": self.professioneel.als_json(),
        })


def foutregels(rapport: dict[str, Any]) -> Iterator[tuple[int | None, str | None, str, str]]:
    """Every error of a stored report as (row, column, value, reason), by row."""
    regels = [
        (rij, groep["kolom"], groep["waarde"], groep["reden"])
        for groep in rapport.get("fouten", [])
        for rij in (groep["rijen"] or [None])
    ]
    return iter(sorted(regels, key=lambda r: (r[0] or 0, r[1] or "")))


def fouten_csv(rapport: dict[str, Any]) -> str:
    """The error report for the coordinator: `;`-separated with a BOM, so Dutch Excel opens it as is.

    Each line carries the row's date and key person from the file: a row number alone is hard to find
    back in a log that was sorted or filtered since.
    """
    return formaten.to_csv(*fouten_tabel(rapport), formaten.Formaat.csv).decode("utf-8")


FOUTEN_KOP = ["rij", "datum", "sleutelpersoon", "kolom", "waarde", "reden"]


def fouten_tabel(rapport: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The error report as a table: one line per row and error, with the row's date and key person."""
    rapport = schoon_json(rapport)  # a report stored before the readers cleaned text
    kenmerken = rapport.get("rijkenmerken", {})
    regels = []
    for rij, kolom, waarde, reden in foutregels(rapport):
        kenmerk = kenmerken.get(str(rij), {}) if rij is not None else {}
        regels.append([rij, kenmerk.get("datum", ""), kenmerk.get("sleutelpersoon", ""), kolom or "", waarde, reden])
    return FOUTEN_KOP, regels
