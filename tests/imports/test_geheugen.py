"""Readers stream: reading a 200,000-row file keeps peak memory within a fixed bound (in a subprocess)."""

import subprocess
import sys
import textwrap
from pathlib import Path

from tests.imports.helpers import KOP, csv_bytes, rij

RIJEN = 200_000
# Holding the rows would take hundreds of MB (a dict of 15 cells per row); a streaming reader needs
# a few blocks and one row at a time.
GRENS_MB = 40

SCRIPT = textwrap.dedent(
    """
    import resource, sys
    from pathlib import Path
    from app.imports.mapping import is_koprij
    from app.imports.readers import lezer_voor

    pad, formaat = Path(sys.argv[1]), sys.argv[2]
    voor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    lezer = lezer_voor(formaat, pad, herken_kop=is_koprij(None))
    aantal = sum(1 for rij in lezer.rijen() if rij.fout is None)
    na = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(aantal, (na - voor) // 1024)
    """
)


def _lees(pad: Path, formaat: str) -> tuple[int, int]:
    uitvoer = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(pad), formaat], capture_output=True, text=True, check=True,
        cwd=Path(__file__).resolve().parents[2],
    ).stdout.split()
    return int(uitvoer[0]), int(uitvoer[1])


def test_csv_of_200000_rows_is_read_in_bounded_memory(tmp_path: Path) -> None:
    pad = tmp_path / "groot.csv"
    regel = csv_bytes([rij(Onderwerp="Schulden, Toeslagen")], codering="utf-8").split(b"\r\n", 1)[1]
    with pad.open("wb") as f:
        f.write(("\ufeff" + ";".join(KOP) + "\r\n").encode())
        for _ in range(RIJEN // 1000):
            f.write(regel * 1000)
    assert pad.stat().st_size > 20 * 1024 * 1024
    aantal, groei_mb = _lees(pad, "csv")
    assert aantal == RIJEN
    assert groei_mb < GRENS_MB


def test_ndjson_of_200000_lines_is_read_in_bounded_memory(tmp_path: Path) -> None:
    pad = tmp_path / "groot.ndjson"
    regel = (
        '{"datum": "2025-03-14", "sleutelpersoonId": "7d9f1c2b-3a4e-4f5d-8e6c-1b2a3c4d5e6f", "gemeentecode": "GM0344", '
        '"kanaal": "huisbezoek", "onderwerpen": ["geld.toeslagen", "zorg.zorgverzekering"], "acties": ["uitleg-brief"]}\n'
    ).encode()
    with pad.open("wb") as f:
        for _ in range(RIJEN // 1000):
            f.write(regel * 1000)
    aantal, groei_mb = _lees(pad, "ndjson")
    assert aantal == RIJEN
    assert groei_mb < GRENS_MB
