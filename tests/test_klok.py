"""Every date in the tests is the app's own "today" (`app.core.validation.vandaag`, Dutch time).

The app dates in Europe/Amsterdam; a test that takes today from the host or from UTC disagrees
with it between 22:00 and 24:00 UTC (23:00 in winter), and fails only then. To see the suite pass
at that hour, run the date-sensitive tests with the clock moved (Debian package `faketime`; the
monotonic clock stays real, or thread waits hang):

    FAKETIME_DONT_FAKE_MONOTONIC=1 TZ=UTC faketime -f "@$(date -u +%F) 23:30:00" \
        .venv/bin/python -m pytest -p no:randomly tests/toegang/test_authenticatie.py \
        tests/toegang/test_api_sleutels.py tests/signalen tests/ervaringsverhalen tests/indicatoren/test_doelen.py

Before this test existed, two of them failed that way (test_key_works_through_its_last_day,
test_validation_reports_every_problem); the static check below keeps a third from coming back.
"""

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
# Today from the host clock or from UTC: date.today(), datetime.today(), datetime.now(...).date()/.year,
# utcnow().date(). Instants (utcnow() for a lease or a deletion time) are fine.
ANDER_VANDAAG = re.compile(
    r"\bdate\.today\(|\bdatetime\.today\(|\bdatetime\.now\([^()]*\)\s*\.\s*(?:date\(|(?:year|month|day)\b)"
    r"|\butcnow\(\)\s*\.\s*(?:date\(|(?:year|month|day)\b)"
)


def test_no_test_takes_today_from_another_clock() -> None:
    gevonden = [
        f"{pad.relative_to(TESTS.parent)}:{nummer}: {regel.strip()}"
        for pad in sorted(TESTS.rglob("*.py")) if pad != Path(__file__).resolve()
        for nummer, regel in enumerate(pad.read_text(encoding="utf-8").splitlines(), start=1)
        if ANDER_VANDAAG.search(regel)
    ]
    assert not gevonden, "use app.core.validation.vandaag() instead:\n" + "\n".join(gevonden)


def test_the_pattern_finds_each_other_today() -> None:
    for regel in ("date.today()", "datetime.today().date()", "datetime.now(UTC).date()", "datetime.now().year",
                  "utcnow().date()", "x = datetime.now(timezone.utc) .date()"):
        assert ANDER_VANDAAG.search(regel), regel
    for regel in ("vandaag()", "utcnow() - timedelta(seconds=1)", "datetime.now(UTC) - previous"):
        assert not ANDER_VANDAAG.search(regel), regel
