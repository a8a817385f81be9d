"""The shared validators in app.core.validation (region codes, language codes, dates, BSN)."""

from datetime import date, timedelta

import pytest
from pydantic import BaseModel, ValidationError

from app.core.validation import (
    ISO_639_1,
    DatumNietInToekomst,
    Gemeentecode,
    Taalcode,
    Wijkcode,
    ZonderBsn,
    bevat_bsn,
    check_wijk_in_gemeente,
    is_bsn,
    niet_in_toekomst,
    vandaag,
)


class Model(BaseModel):
    gemeente: Gemeentecode | None = None
    wijk: Wijkcode | None = None
    taal: Taalcode | None = None
    datum: DatumNietInToekomst | None = None
    referentie: ZonderBsn | None = None


def errors(**values: object) -> dict[str, str]:
    with pytest.raises(ValidationError) as info:
        Model(**values)
    return {str(e["loc"][0]): e["msg"] for e in info.value.errors()}


def test_iso_639_1_has_all_183_current_codes() -> None:
    assert len(ISO_639_1) == 183
    assert {"ar", "nl", "ti", "so", "fa", "ps", "ku", "uk"} <= ISO_639_1
    assert "bh" not in ISO_639_1  # deprecated collective code


@pytest.mark.parametrize("code", ["GM0344", "GM0003"])
def test_valid_gemeentecode(code: str) -> None:
    assert Model(gemeente=code).gemeente == code


@pytest.mark.parametrize("code", ["GM344", "gm0344", "GM03444", "WK034401", "0344"])
def test_invalid_gemeentecode(code: str) -> None:
    assert "gemeente" in errors(gemeente=code)


@pytest.mark.parametrize("code", ["WK034401", "WK03440A", "WK0344ZZ"])
def test_valid_wijkcode(code: str) -> None:
    assert Model(wijk=code).wijk == code


@pytest.mark.parametrize("code", ["WK03441", "WK0344a1", "BU03440101", "WK034401X"])
def test_invalid_wijkcode(code: str) -> None:
    assert "wijk" in errors(wijk=code)


def test_wijk_must_lie_in_gemeente() -> None:
    assert check_wijk_in_gemeente("WK034401", "GM0344") is None
    reason = check_wijk_in_gemeente("WK036301", "GM0344")
    assert reason is not None and "WK0344" in reason
    assert check_wijk_in_gemeente(None, "GM0344") is None


@pytest.mark.parametrize(("given", "stored"), [("ar", "ar"), ("AR", "ar"), ("tir", "tir"), ("prs", "prs"), ("ckb", "ckb"), ("pap", "pap")])
def test_valid_taalcode_is_normalised(given: str, stored: str) -> None:
    assert Model(taal=given).taal == stored


@pytest.mark.parametrize("code", ["xx", "qqq", "a", "arab", "a1", "bh"])
def test_invalid_taalcode(code: str) -> None:
    message = errors(taal=code)["taal"]
    assert "taalcode" in message.lower()


def test_date_not_in_future() -> None:
    today = vandaag()
    assert Model(datum=today).datum == today
    assert "ligt in de toekomst" in errors(datum=today + timedelta(days=1))["datum"]
    assert niet_in_toekomst(today, "datum") is None
    assert niet_in_toekomst(None, "datum") is None
    assert niet_in_toekomst(today + timedelta(days=1), "basistrainingDatum") == {
        "name": "basistrainingDatum",
        "reason": f"Datum {(today + timedelta(days=1)).isoformat()} ligt in de toekomst.",
    }
    assert niet_in_toekomst(date(2000, 1, 1), "x") is None


@pytest.mark.parametrize("value", ["111222333", "123456782", "012345672", "12345672", " 123456782 "])
def test_valid_bsn(value: str) -> None:
    assert is_bsn(value)


@pytest.mark.parametrize("value", ["123456789", "000000000", "00000000", "1234567", "1234567890", "12345678a", "１２３４５６７８２"])
def test_not_a_bsn(value: str) -> None:
    assert not is_bsn(value)


def test_bsn_in_free_text() -> None:
    assert bevat_bsn("client 123456782")
    assert bevat_bsn("bsn: 1234.56.782")
    assert bevat_bsn("123 456 782")
    assert not bevat_bsn("crm-2025-000123")
    assert not bevat_bsn("order 1234567820")  # a 10-digit number is not a BSN
    assert not bevat_bsn("crm-20250314-12345672")  # 8-digit runs are dates and ids, not BSNs
    assert bevat_bsn("crm-123-456-782")  # a BSN written with hyphens is still a BSN (the stricter check)
    assert "referentie" in errors(referentie="klant-111222333")
    assert Model(referentie="client-8841").referentie == "client-8841"
