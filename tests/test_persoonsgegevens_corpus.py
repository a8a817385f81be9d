"""The personal-data guard against what people really type (tests/persoonsgegevens_corpus.py).

Issue 22 found 35 of 70 realistic variants let through (BSNs with other separators, phone numbers in
other notations, e-mail addresses written out, addresses without a space) and dates with times
refused as phone numbers about half of the time. Every text of both lists is checked here; the
rates are reported by `scripts/bench.py --parts guard`.
"""

import pytest

from app.core.persoonsgegevens import vind
from tests.persoonsgegevens_corpus import (
    ACCEPTEREN,
    WEIGEREN,
    datum_tijd_zinnen,
    issue_22_zinnen,
    tijdvak_zinnen,
)


@pytest.mark.parametrize(("tekst", "soort"), [(t, s) for t, s, _ in WEIGEREN], ids=[t for t, _, _ in WEIGEREN])
def test_refuses_what_people_type(tekst: str, soort: object) -> None:
    assert soort in vind(tekst)


@pytest.mark.parametrize("tekst", ACCEPTEREN)
def test_accepts_ordinary_sentences(tekst: str) -> None:
    assert vind(tekst) == []


def test_the_corpus_holds_the_variants_of_issue_22() -> None:
    assert len(WEIGEREN) >= 70
    assert sum(herkomst == "issue-22" for *_, herkomst in WEIGEREN) >= 25
    assert len(ACCEPTEREN) >= 70


def test_a_date_or_time_is_never_a_phone_number() -> None:
    datum_tijd, tijdvak = issue_22_zinnen(1000)
    zinnen = datum_tijd + tijdvak + datum_tijd_zinnen(1000) + tijdvak_zinnen(1000)
    geweigerd = [zin for zin in zinnen if vind(zin)]
    assert geweigerd == []


def test_a_phone_number_after_a_date_is_still_found() -> None:
    for zin in issue_22_zinnen(200)[0]:
        assert "telefoonnummer" in [s.value for s in vind(f"{zin}, bel 06-12345678")]


def test_only_clean_texts_are_remembered_and_never_a_resident_reference() -> None:
    from pydantic import TypeAdapter, ValidationError

    from app.core import persoonsgegevens
    from app.inwoners.schemas import VergeetVerzoek

    persoonsgegevens._SCHOON.clear()
    for tekst, _, _ in WEIGEREN:
        persoonsgegevens.vind(tekst)
    assert persoonsgegevens._SCHOON == set()
    assert vind("huisbezoek met tolk") == [] and "huisbezoek met tolk" in persoonsgegevens._SCHOON
    # A resident reference is checked for every kind, and not remembered.
    referentie = TypeAdapter(persoonsgegevens.Referentie)
    assert referentie.validate_python("client-zonder-cijfers") == "client-zonder-cijfers"
    assert "client-zonder-cijfers" not in persoonsgegevens._SCHOON
    with pytest.raises(ValidationError, match="telefoonnummer"):
        referentie.validate_python("client-0612345678")
    # An erasure request still finds a reference registered before the wider guard; a BSN never was.
    assert VergeetVerzoek.model_validate({"inwonerReferentie": "client-0612345678"}).inwoner_referentie == "client-0612345678"
    with pytest.raises(ValidationError, match="burgerservicenummer"):
        VergeetVerzoek.model_validate({"inwonerReferentie": "111222333"})


def test_long_texts_cannot_make_the_guard_backtrack() -> None:
    """An e-mail regex without bounds took 10 s on `x at a.a.a.…b` (18,000 characters)."""
    import time

    def cpu(tekst: str) -> float:
        begin = time.process_time()
        vind(tekst)
        return time.process_time() - begin

    lengte = 18_000
    gewoon = ("Op 15-03-2025 om 09.30 uur belde ik over GM0344 met 12 moeders en de huisarts. " * 300)[:lengte]
    basis = max(cpu(gewoon), 0.001)
    for tekst in ("x at " + "a." * 9000 + "b", "x [at] " + "a [dot] " * 2300, "a." * 9000 + "@", "a@" * 9000,
                  "x @ " + "a . " * 4500, "1 " * 9000):
        assert cpu(tekst[:lengte]) < 100 * basis, tekst[:20]
