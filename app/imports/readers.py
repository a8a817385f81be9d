"""Readers, one class per file format; each streams rows so memory does not grow with the file.

A reader yields `Rij` objects: the row number as the coordinator sees it (the spreadsheet row, with
the header on its own row; the line number in NDJSON) and the cells by column header. Problems with
the file as a whole raise `LeesFout` with a Dutch message; problems with one row travel on the row.
"""

import codecs
import contextlib
import csv
import io
import json
import re
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import ParseError

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from app.core.config import get_settings

# Uploaded in the request (bytes) or stored on disk (a path, for CLI runs and background jobs).
Bron = bytes | Path

EXTENSIES = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".ndjson": "ndjson",
    ".jsonl": "ndjson",
}
SCHEIDINGSTEKENS = ";,\t"
BLOK = 64 * 1024
# How far down a title block may push the header row (rows above it are skipped).
MAX_RIJEN_VOOR_KOP = 10

# Decides whether a row of cells is the header (it names known columns); see mapping.is_koprij.
KopHerkenner = Callable[[list[str]], bool]


class LeesFout(Exception):
    """The file as a whole cannot be read; the message is Dutch and meant for the coordinator."""


class TeVeelUitgepakt(LeesFout):
    """An xlsx that unpacks to far more than it weighs: a zip bomb, refused before parsing."""


class OngeldigXlsx(LeesFout):
    """An xlsx whose structure no spreadsheet program writes (a DTD), refused before parsing."""


class TeGrootBestand(LeesFout):
    """A file beyond the readers' limits: too many rows, a cell too long, or reading takes too long."""


# An xlsx is a zip of XML. Real workbooks compress their XML 5-20 times; a zip bomb, thousands of
# times. Both limits are checked from the zip's directory, before anything is unpacked; Python's
# zipfile (which openpyxl reads through) never unpacks more than a member's declared size, so a
# directory that understates a size cannot slip a bomb past the check.
MAX_UITGEPAKT = 256 * 1024 * 1024  # bytes unpacked, all members together
MAX_VERHOUDING = 100  # unpacked / packed, per member larger than 1 MiB unpacked


def controleer_zip(bron: Bron) -> None:
    """Refuse an xlsx that would unpack beyond the limits (TeVeelUitgepakt) or declares a DTD (OngeldigXlsx)."""
    try:
        with zipfile.ZipFile(_open(bron)) as archief:
            leden = archief.infolist()
            _controleer_omvang(leden)
            for lid in leden:
                if lid.filename.endswith((".xml", ".rels")) and _heeft_dtd(archief, lid):
                    raise OngeldigXlsx(
                        f"Het xlsx-bestand bevat een DTD (in `{lid.filename}`); Excel en andere programma's "
                        "schrijven die nooit, en dit bestand wordt niet gelezen. Sla het opnieuw op als xlsx of CSV."
                    )
    except LeesFout:
        raise
    except Exception:  # noqa: BLE001  see _KAPOT: not a zip, or a damaged one; openpyxl reports it as an invalid workbook
        return


# The start of an XML member's root element: `<` and a name, not `<?` (declaration) or `<!` (comment, DTD).
_ELEMENT = re.compile(r"<[^?!]")
# How far into a member the root element must have started; the prolog of a real one is ~60 bytes.
MAX_PROLOOG = 64 * 1024


def _heeft_dtd(archief: zipfile.ZipFile, lid: zipfile.ZipInfo) -> bool:
    """True when the member's prolog (everything before its root element) declares a DTD.

    Office Open XML forbids DTDs (ECMA-376 part 2); the entities one declares are how an XML
    bomb expands. Only the prolog is read, so a large member costs one block.
    """
    try:
        with archief.open(lid) as f:
            begin = f.read(MAX_PROLOOG)
    except Exception:  # noqa: BLE001  see _KAPOT: a damaged or encrypted member; openpyxl reports the workbook as invalid
        return False
    # UTF-16 (with a byte order mark or NUL bytes between ASCII) would hide `<!DOCTYPE` from a byte search.
    utf16 = begin[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) or b"\x00" in begin[:4]
    tekst = begin.decode("utf-16" if utf16 else "latin-1", errors="ignore")
    element = _ELEMENT.search(tekst)
    if element is None:
        # No root element within the block: a prolog padded this far has only a DTD to hide.
        return len(begin) == MAX_PROLOOG or "<!DOCTYPE" in tekst.upper()
    proloog = tekst[: element.start()].upper()
    return "<!DOCTYPE" in proloog or "<!ENTITY" in proloog


def _controleer_omvang(leden: list[zipfile.ZipInfo]) -> None:
    for lid in leden:
        if lid.file_size > 1024 * 1024 and lid.file_size > MAX_VERHOUDING * max(1, lid.compress_size):
            raise TeVeelUitgepakt(
                f"Het xlsx-bestand bevat een onderdeel dat {lid.file_size // max(1, lid.compress_size)} keer "
                "groter uitpakt dan het is; zo'n bestand wordt niet gelezen. Sla het op als CSV."
            )
    totaal = sum(lid.file_size for lid in leden)
    if totaal > MAX_UITGEPAKT:
        raise TeVeelUitgepakt(
            f"Het xlsx-bestand pakt uit tot {totaal // (1024 * 1024)} MB; de grens is "
            f"{MAX_UITGEPAKT // (1024 * 1024)} MB. Sla het op als CSV of splits het bestand."
        )


# Text that cannot be stored: a lone surrogate (no UTF-8 for it; JSON from `\ud800`, xlsx from `_xD800_`)
# or NUL (PostgreSQL refuses it in text). Headers are cleaned; a data cell with one rejects its row.
_ONSCHRIJFBAAR = re.compile("[\x00\ud800-\udfff]")
ONSCHRIJFBAAR_TEKEN = "\ufffd"
# Deeper than any contactmoment (an object in a list in an object): refused before it is walked.
MAX_DIEPTE = 16


def schoon(tekst: str) -> str:
    """Text as it can be stored and shown: every lone surrogate and NUL replaced by U+FFFD."""
    return _ONSCHRIJFBAAR.sub(ONSCHRIJFBAAR_TEKEN, tekst)


def schoon_json(waarde: Any) -> Any:
    """A JSON value (a stored report) with `schoon` applied to every string, keys included."""
    if isinstance(waarde, str):
        return schoon(waarde)
    if isinstance(waarde, dict):
        return {schoon(str(k)): schoon_json(v) for k, v in waarde.items()}
    if isinstance(waarde, list):
        return [schoon_json(v) for v in waarde]
    return waarde


def _onschrijfbaar(waarde: Any) -> bool:
    """True when a cell (or any string in a JSON value, keys included) holds text that cannot be stored."""
    stapel = [waarde]
    while stapel:
        item = stapel.pop()
        if isinstance(item, str):
            if _ONSCHRIJFBAAR.search(item):
                return True
        elif isinstance(item, dict):
            stapel.extend(item.keys())
            stapel.extend(item.values())
        elif isinstance(item, list):
            stapel.extend(item)
    return False


def _onschrijfbare_kolom(cellen: dict[str, Any]) -> str | None:
    """The first column whose name or value holds text that cannot be stored, or None.

    One search over the row's text first: nearly every row is clean, and one regex call per row costs
    a fraction of one per cell.
    """
    genest = False
    delen: list[str] = []
    for kolom, waarde in cellen.items():
        delen.append(kolom)
        if isinstance(waarde, str):
            delen.append(waarde)
        elif isinstance(waarde, (dict, list)):
            genest = True
    if not genest and not _ONSCHRIJFBAAR.search("".join(delen)):
        return None
    return next((k for k, v in cellen.items() if _onschrijfbaar(k) or _onschrijfbaar(v)), None)


def _te_diep(waarde: Any, grens: int = MAX_DIEPTE) -> bool:
    stapel = [(waarde, 1)]
    while stapel:
        item, diepte = stapel.pop()
        if isinstance(item, (dict, list)):
            if diepte > grens:
                return True
            stapel.extend((v, diepte + 1) for v in (item.values() if isinstance(item, dict) else item))
    return False


@dataclass(slots=True)
class Rij:
    nummer: int
    cellen: dict[str, Any] = field(default_factory=dict)
    fout: str | None = None
    # What a reader proved from a row's raw text, so `_begrensd` need not walk its cells: no key or value is
    # longer than `max_lengte`, and (`schoon`) none holds a NUL or a lone surrogate.
    max_lengte: int | None = None
    schoon: bool = False


def formaat_van_naam(naam: str) -> str:
    """The format implied by a file name's extension, or LeesFout naming the supported ones."""
    suffix = Path(naam).suffix.lower()
    if suffix == ".xls":
        raise LeesFout(
            "Oude Excel-bestanden (.xls) worden niet ondersteund; sla het bestand op als .xlsx of als CSV."
        )
    if suffix not in EXTENSIES:
        raise LeesFout(
            f"Onbekende bestandsextensie `{suffix or naam}`; geef het formaat op (csv, xlsx of ndjson)."
        )
    return EXTENSIES[suffix]


def _open(bron: Bron) -> IO[bytes]:
    return io.BytesIO(bron) if isinstance(bron, bytes) else open(bron, "rb")  # noqa: SIM115


def _leeg(waarde: Any) -> bool:
    return waarde is None or (isinstance(waarde, str) and not waarde.strip())


def _koppen(cellen: list[Any]) -> list[str]:
    """Header names, stripped; an unnamed column is called `kolom N` so errors can still point at it."""
    koppen: list[str] = []
    gezien: dict[str, int] = {}
    for i, cel in enumerate(cellen, start=1):
        naam = schoon(str(cel).strip()) if not _leeg(cel) else f"kolom {i}"
        if naam in gezien:
            gezien[naam] += 1
            naam = f"{naam} ({gezien[naam]})"
        else:
            gezien[naam] = 1
        koppen.append(naam)
    return koppen


class _Lezer:
    """Shared by every reader: the rows of `_rijen`, within the limits of the settings."""

    def _rijen(self) -> Iterator[Rij]:
        raise NotImplementedError

    def rijen(self) -> Iterator[Rij]:
        return _begrensd(self._rijen())


def _begrensd(rijen: Iterator[Rij]) -> Iterator[Rij]:
    """The rows, until the file turns out to hold more rows, longer cells or more reading time than allowed.

    Each check is per row and costs next to nothing; the time limit counts from the first row asked
    for, so it also bounds what the import does with the rows (they are read as they are processed).
    """
    instellingen = get_settings()
    max_rijen, max_tekens = instellingen.max_import_rijen, instellingen.max_import_cel_tekens
    einde = time.monotonic() + instellingen.max_import_seconden
    for aantal, rij in enumerate(rijen, start=1):
        if aantal > max_rijen:
            raise TeGrootBestand(
                f"Het bestand heeft meer dan {max_rijen} rijen; dat is de grens. Splits het bestand."
            )
        for kolom, waarde in () if rij.max_lengte is not None and rij.max_lengte <= max_tekens else rij.cellen.items():
            if len(kolom) > max_tekens or _te_lang(waarde, max_tekens):
                raise TeGrootBestand(
                    f"Rij {rij.nummer}, kolom `{kolom[:40]}`: een waarde van meer dan {max_tekens} tekens; "
                    "dat is de grens. Staat er een hele tekst of een ander bestand in één cel?"
                )
        kolom = None if rij.schoon else _onschrijfbare_kolom(rij.cellen)
        if kolom is not None:
            rij = Rij(rij.nummer, fout=(
                f"Kolom `{schoon(kolom)[:40]}` bevat tekens die niet als tekst zijn op te slaan (een NUL-teken of "
                "een losse helft van een UTF-16-tekenpaar); de rij is afgekeurd. Typ de waarde opnieuw in."
            ))
        if time.monotonic() > einde:
            raise TeGrootBestand(
                f"Het lezen duurde langer dan {instellingen.max_import_seconden:g} seconden (tot rij {rij.nummer}); "
                "er is niets opgeslagen. Splits het bestand."
            )
        yield rij


def _te_lang(waarde: Any, grens: int) -> bool:
    if isinstance(waarde, str):
        return len(waarde) > grens
    if isinstance(waarde, dict):
        return any(len(str(k)) > grens or _te_lang(v, grens) for k, v in waarde.items())
    if isinstance(waarde, list):
        return any(_te_lang(v, grens) for v in waarde)
    return False


class _Tabel(_Lezer):
    """Shared by the tabular readers: find the header row, then yield the rows under it."""

    herken_kop: KopHerkenner | None
    koppen: list[str] | None = None

    def _tabel(self, rijen: Iterator[tuple[int, list[Any]]]) -> Iterator[Rij]:
        """Turn numbered rows of cells into Rij objects under the header row; skip empty rows.

        Title rows above the header are skipped: the header is the first row the recogniser accepts
        within the first rows; when none is, the first non-empty row.
        """
        self.koppen = None
        voor_kop: list[tuple[int, list[Any]]] = []
        for nummer, cellen in rijen:
            if all(_leeg(c) for c in cellen):
                continue
            if self.koppen is not None:
                yield _rij(nummer, self.koppen, cellen)
                continue
            voor_kop.append((nummer, cellen))
            tekst = [str(c).strip() for c in cellen if not _leeg(c)]
            if self.herken_kop is None or self.herken_kop(tekst):
                self.koppen = _koppen(cellen)
            elif len(voor_kop) >= MAX_RIJEN_VOOR_KOP:
                yield from self._eerste_als_kop(voor_kop)
        if self.koppen is None:
            if not voor_kop:
                raise LeesFout("Het bestand is leeg: er is geen kopregel gevonden.")
            yield from self._eerste_als_kop(voor_kop)

    def _eerste_als_kop(self, voor_kop: list[tuple[int, list[Any]]]) -> Iterator[Rij]:
        # No row looks like a header: take the first one, so the mapping can name what it misses.
        self.koppen = _koppen(voor_kop[0][1])
        for nummer, cellen in voor_kop[1:]:
            yield _rij(nummer, self.koppen, cellen)


def _rij(nummer: int, koppen: list[str], cellen: list[Any]) -> Rij:
    extra = [c for c in cellen[len(koppen):] if not _leeg(c)]
    if extra:
        return Rij(
            nummer,
            fout=f"De rij heeft {len(cellen)} cellen, maar er zijn maar {len(koppen)} kolommen; "
            "staat er een scheidingsteken in een waarde zonder aanhalingstekens?",
        )
    return Rij(nummer, {kop: (cellen[i] if i < len(cellen) else None) for i, kop in enumerate(koppen)})


class CsvLezer(_Tabel):
    """CSV as Dutch Excel writes it: `;`, `,` or tab; UTF-8 with or without BOM, else Windows-1252."""

    formaat = "csv"

    def __init__(
        self,
        bron: Bron,
        *,
        codering: str | None = None,
        scheidingsteken: str | None = None,
        herken_kop: KopHerkenner | None = None,
    ) -> None:
        self.bron = bron
        self.herken_kop = herken_kop
        self.codering = codering or self._detecteer_codering()
        self.scheidingsteken = scheidingsteken or self._detecteer_scheidingsteken()

    def _detecteer_codering(self) -> str:
        """UTF-8 with BOM, UTF-8 when every byte decodes as such (checked in blocks), else Windows-1252."""
        with _open(self.bron) as f:
            begin = f.read(3)
            if begin == codecs.BOM_UTF8:
                return "utf-8-sig"
            f.seek(0)
            decoder = codecs.getincrementaldecoder("utf-8")()
            try:
                while blok := f.read(BLOK):
                    decoder.decode(blok)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                return "cp1252"
        return "utf-8"

    def _tekst(self, f: IO[bytes]) -> io.TextIOWrapper:
        # Windows-1252 leaves five bytes undefined; a stray one must not stop a whole import.
        fouten = "replace" if self.codering == "cp1252" else "strict"
        return io.TextIOWrapper(f, encoding=self.codering, errors=fouten, newline="")

    def _detecteer_scheidingsteken(self) -> str:
        with _open(self.bron) as f:
            try:
                monster = self._tekst(f).read(BLOK)
            except UnicodeDecodeError as exc:
                raise LeesFout(f"Het bestand is geen geldige tekst in {self.codering}.") from exc
        if len(monster) == BLOK and "\n" in monster:
            monster = monster[: monster.rindex("\n")]
        kopregel = next((regel for regel in monster.splitlines() if regel.strip()), "")
        if not kopregel:
            raise LeesFout("Het bestand is leeg: er is geen kopregel gevonden.")
        try:
            gekozen = csv.Sniffer().sniff(monster, delimiters=SCHEIDINGSTEKENS).delimiter
        except csv.Error:
            gekozen = None
        # The sniffer weighs every line; a header line has no quoted values, so it settles doubt.
        telling = {teken: kopregel.count(teken) for teken in SCHEIDINGSTEKENS}
        if gekozen is None or telling.get(gekozen, 0) == 0:
            gekozen = max(SCHEIDINGSTEKENS, key=lambda teken: telling[teken])
        return gekozen

    def _rijen(self) -> Iterator[Rij]:
        with _open(self.bron) as f:
            lezer = csv.reader(
                self._tekst(f), delimiter=self.scheidingsteken, quotechar='"', doublequote=True
            )
            try:
                yield from self._tabel(enumerate(lezer, start=1))
            except UnicodeDecodeError as exc:
                raise LeesFout(f"Het bestand is geen geldige tekst in {self.codering}.") from exc
            except csv.Error as exc:
                raise LeesFout(f"Het CSV-bestand is ongeldig (regel {lezer.line_num}): {exc}.") from exc

    def schat_aantal(self) -> int | None:
        """The number of records (for a progress bar): one cheap pass with the csv parser."""
        with _open(self.bron) as f:
            try:
                aantal = sum(1 for _ in csv.reader(self._tekst(f), delimiter=self.scheidingsteken))
            except (UnicodeDecodeError, csv.Error):
                return None
        return max(0, aantal - 1)


# Expat's answer to an entity bomb or to malformed XML (a DTD is refused before parsing, see controleer_zip).
_ONGELDIGE_XML = "Het xlsx-bestand bevat ongeldige XML; sla het opnieuw op als xlsx of als CSV."
_ONGELDIG_XLSX = "Het bestand is geen geldig xlsx-bestand (Excel 2007 of nieuwer)."
# _KAPOT: a damaged workbook makes zipfile, zlib and openpyxl raise nearly anything (zlib.error,
# NotImplementedError for an unknown compression method, IndexError for a shared string out of range,
# ValueError and TypeError for impossible cell values). Whatever the reading of the workbook raises
# means: this file is not a workbook we can read; never a 500.


class XlsxLezer(_Tabel):
    """XLSX through openpyxl in read-only mode (rows streamed from the sheet XML); first or named sheet."""

    formaat = "xlsx"

    def __init__(self, bron: Bron, *, blad: str | None = None, herken_kop: KopHerkenner | None = None) -> None:
        self.bron = bron
        self.blad = blad
        self.herken_kop = herken_kop

    def _werkboek(self) -> Any:
        # A path, not an open file: closing the read-only workbook then closes the file too.
        controleer_zip(self.bron)
        bestand = io.BytesIO(self.bron) if isinstance(self.bron, bytes) else str(self.bron)
        try:
            return openpyxl.load_workbook(bestand, read_only=True, data_only=True)
        except ParseError as exc:
            raise LeesFout(_ONGELDIGE_XML) from exc
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
            raise LeesFout(_ONGELDIG_XLSX) from exc
        except Exception as exc:  # see _KAPOT
            raise LeesFout(_ONGELDIG_XLSX) from exc

    def bladnamen(self) -> list[str]:
        """The names of the workbook's sheets, in order."""
        werkboek = self._werkboek()
        try:
            return [str(n) for n in werkboek.sheetnames]
        except Exception as exc:  # see _KAPOT
            raise LeesFout(_ONGELDIG_XLSX) from exc
        finally:
            with contextlib.suppress(Exception):
                werkboek.close()

    def _werkblad(self, werkboek: Any) -> Any:
        if self.blad is None:
            return werkboek.worksheets[0]
        namen = list(werkboek.sheetnames)
        for naam in namen:
            if naam.strip().casefold() == self.blad.strip().casefold():
                return werkboek[naam]
        raise LeesFout(
            f"Werkblad `{self.blad}` bestaat niet; het bestand heeft: {', '.join(f'`{n}`' for n in namen)}."
        )

    def _rijen(self) -> Iterator[Rij]:
        werkboek = self._werkboek()
        try:
            blad = self._werkblad(werkboek)
            rijen = ((n, list(cellen)) for n, cellen in enumerate(blad.iter_rows(values_only=True), start=1))
            yield from self._tabel(rijen)
        except LeesFout:
            raise
        except ParseError as exc:
            raise LeesFout(_ONGELDIGE_XML) from exc
        except Exception as exc:  # see _KAPOT
            raise LeesFout(_ONGELDIG_XLSX) from exc
        finally:
            with contextlib.suppress(Exception):
                werkboek.close()

    def schat_aantal(self) -> int | None:
        werkboek = self._werkboek()
        try:
            rijen = self._werkblad(werkboek).max_row
        except LeesFout:
            raise
        except Exception:  # noqa: BLE001  see _KAPOT; the run itself reports the damage
            return None
        finally:
            with contextlib.suppress(Exception):
                werkboek.close()
        return max(0, rijen - 1) if isinstance(rijen, int) and rijen > 0 else None


# The JSON escapes that decode to text that cannot be stored (a NUL or a UTF-16 surrogate half).
_MOGELIJK_ONSCHRIJFBAAR = re.compile(r"\\u(?:0000|[dD][89a-fA-F])")
_TE_DIEP = f"De regel is dieper genest dan een contactmoment ooit is (meer dan {MAX_DIEPTE} niveaus)."


class NdjsonLezer(_Lezer):
    """NDJSON: one contactmoment per line, in the JSON shape of `POST /v1/contactmomenten`."""

    formaat = "ndjson"

    def __init__(self, bron: Bron) -> None:
        self.bron = bron

    def _rijen(self) -> Iterator[Rij]:
        with _open(self.bron) as f:
            tekst = io.TextIOWrapper(f, encoding="utf-8-sig", newline=None)
            try:
                for nummer, regel in enumerate(tekst, start=1):
                    if not regel.strip():
                        continue
                    try:
                        waarde = json.loads(regel)
                    except json.JSONDecodeError as exc:
                        yield Rij(nummer, fout=f"Geen geldige JSON: {exc.msg} (teken {exc.colno}).")
                        continue
                    except RecursionError:
                        yield Rij(nummer, fout=_TE_DIEP)
                        continue
                    except ValueError:  # an integer beyond Python's limit on digits (4,300)
                        yield Rij(nummer, fout="Geen geldige JSON: een getal met te veel cijfers.")
                        continue
                    if not isinstance(waarde, dict):
                        yield Rij(nummer, fout="Elke regel moet één JSON-object (een contactmoment) zijn.")
                        continue
                    # Nesting needs an opening bracket per level, so a line with few brackets needs no walk.
                    if regel.count("{") + regel.count("[") > MAX_DIEPTE and _te_diep(waarde):
                        yield Rij(nummer, fout=_TE_DIEP)
                        continue
                    # A decoded string is never longer than its line, and strict JSON from UTF-8 text holds a
                    # NUL or a lone surrogate only as a \u escape: most lines prove both limits themselves.
                    yield Rij(nummer, waarde, max_lengte=len(regel), schoon=_MOGELIJK_ONSCHRIJFBAAR.search(regel) is None)
            except UnicodeDecodeError as exc:
                raise LeesFout("Het NDJSON-bestand is geen geldige UTF-8-tekst.") from exc

    def schat_aantal(self) -> int | None:
        with _open(self.bron) as f:
            return sum(1 for regel in f if regel.strip())


Lezer = CsvLezer | XlsxLezer | NdjsonLezer


def lezer_voor(
    formaat: str,
    bron: Bron,
    *,
    blad: str | None = None,
    codering: str | None = None,
    herken_kop: KopHerkenner | None = None,
) -> Lezer:
    """The reader for a format; LeesFout for an unknown format."""
    if formaat == "csv":
        return CsvLezer(bron, codering=codering, herken_kop=herken_kop)
    if formaat == "xlsx":
        return XlsxLezer(bron, blad=blad, herken_kop=herken_kop)
    if formaat == "ndjson":
        return NdjsonLezer(bron)
    raise LeesFout(f"Onbekend formaat `{formaat}`; kies csv, xlsx of ndjson.")


def als_tekst(waarde: Any) -> str:
    """A cell as the coordinator would read it: integral floats without `.0`, dates as d-m-yyyy."""
    if waarde is None:
        return ""
    if isinstance(waarde, bool):
        return "ja" if waarde else "nee"
    if isinstance(waarde, float) and waarde.is_integer():
        return str(int(waarde))
    if isinstance(waarde, datetime):
        waarde = waarde.date() if not (waarde.hour or waarde.minute or waarde.second) else waarde
    if isinstance(waarde, date) and not isinstance(waarde, datetime):
        return f"{waarde.day}-{waarde.month}-{waarde.year}"
    if isinstance(waarde, (dict, list)):
        return json.dumps(waarde, ensure_ascii=False)
    return str(waarde).strip()
