"""Programs outside Python that some tests need (node, npm, java, chromium): skipped with a message that says
how to install them on a developer's machine, and failed in CI, where a skip would pass unnoticed."""

import os
import shutil

import pytest


def in_ci() -> bool:
    """CI=true (GitHub Actions, GitLab CI and most others set it)."""
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def vereist(programma: str, hoe: str) -> str:
    """The path of a program the test needs; without it a skip with `hoe` (a failure with CI=true)."""
    pad = shutil.which(programma)
    if pad is None:
        bericht = f"`{programma}` not found: {hoe}"
        if in_ci():
            pytest.fail(bericht)
        pytest.skip(bericht)
    return pad
