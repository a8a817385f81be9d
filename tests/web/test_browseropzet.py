"""Without Chromium the browser tests are skipped on a developer's machine, but fail the run in CI."""

import pytest

from tests.web import conftest as browseropzet


def test_a_missing_browser_is_named_with_how_to_get_it() -> None:
    reden = browseropzet._ontbreekt("/bestaat/niet/chromium")
    assert reden is not None and "apt-get install" in reden and "/bestaat/niet/chromium" in reden


def test_without_ci_a_missing_browser_skips(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        browseropzet.zonder_browser("Chromium ontbreekt")


@pytest.mark.parametrize("waarde", ["true", "1", "TRUE"])
def test_with_ci_a_missing_browser_fails_the_run(monkeypatch: pytest.MonkeyPatch, waarde: str) -> None:
    monkeypatch.setenv("CI", waarde)
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        browseropzet.zonder_browser("Chromium ontbreekt")
