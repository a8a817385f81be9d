"""The PDF tests need WeasyPrint's system libraries (Pango): skipped with a message on a developer's machine
without them, failed under CI=true (where a skip would pass unnoticed), as the browser tests do."""

import os

import pytest


def pdf_onmogelijk() -> str | None:
    """Why WeasyPrint cannot render here, or None."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        return (f"WeasyPrint kan geen PDF maken ({exc}); installeer Pango: "
                "`apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core`.")
    return None


@pytest.fixture
def pdf_mogelijk() -> None:
    if (reden := pdf_onmogelijk()) is not None:
        if os.environ.get("CI", "").strip().lower() in ("1", "true", "yes"):
            pytest.fail(f"CI=true, maar de PDF-tests kunnen niet draaien: {reden}", pytrace=False)
        pytest.skip(reden)
