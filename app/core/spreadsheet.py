"""Text that leaves the service in a spreadsheet (CSV, XLSX) must not run as a formula there."""

from typing import Any

# OWASP CSV injection: a cell starting with one of these is a formula (or a DDE call) to Excel and LibreOffice.
FORMULETEKENS = ("=", "+", "-", "@", "\t", "\r")


def veilige_cel(waarde: Any) -> Any:
    """Neutralise text that a spreadsheet would run as a formula: prefix it with a quote.

    Numbers are written as numbers, so a negative number stays a number.
    """
    if isinstance(waarde, str) and waarde.startswith(FORMULETEKENS):
        return "'" + waarde
    return waarde
