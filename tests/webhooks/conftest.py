from collections.abc import Iterator

import pytest

from app.core.config import get_settings


@pytest.fixture
def interne_adressen(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Allow webhooks to a receiver on 127.0.0.1 over http (the tests' own server)."""
    monkeypatch.setenv("SLEUTELMONITOR_WEBHOOK_INTERNE_ADRESSEN", "true")
    get_settings.cache_clear()
    yield
    monkeypatch.delenv("SLEUTELMONITOR_WEBHOOK_INTERNE_ADRESSEN", raising=False)
    get_settings.cache_clear()
