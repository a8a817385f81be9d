"""Demo data of issue 26: the coordinator's questions have answers on a fresh `make run`."""

from itertools import pairwise
from typing import Any

import pytest
from sqlmodel import Session, select

from app import demo
from app.core.periods import parse_periode
from app.core.validation import vandaag
from app.indicatoren.catalogue import INDICATOREN
from app.indicatoren.service import Verzoek, bereken
from app.models import (
    Code,
    DeskundigheidDeelnemer,
    Deskundigheidsbevordering,
    Dienstverband,
    Gesprek,
    Ontwikkeldoel,
)
from app.toegang.caller import Binding, Caller, Scope
from tests.conftest import analyseer


@pytest.fixture
def samenvatting(session: Session) -> dict[str, Any]:
    resultaat = demo.laad_demo_data(session, aantal=300, seed=42, today=vandaag())
    analyseer(session)
    return resultaat


def _waarden(session: Session, organisatie: Any, code: str, periode: str, groeperen_op: tuple[str, ...] = ()) -> Any:
    caller = Caller(sleutel_id=None, scopes=frozenset({Scope.rapporteren}), binding=Binding.organisatie,
                    organisatie_id=organisatie)
    verzoek = Verzoek(indicator=INDICATOREN[code], periode=parse_periode(periode, today=vandaag()), interval=None,
                      groeperen_op=groeperen_op, filters={})
    return bereken(session, caller=caller, verzoek=verzoek, drempel=5, max_rijen=10_000).rijen


def test_de_vragen_van_de_coordinator(session: Session, samenvatting: dict[str, Any]) -> None:
    telling = samenvatting["ondersteuning"]
    assert telling["dienstverbanden"] and telling["trainingen"] and telling["ontwikkeldoelen"] and telling["gesprekken"]
    for org in samenvatting["organisaties"]:
        # Who has not attended intervision this quarter: at least one active key person.
        per_persoon = _waarden(session, org["id"], "deelname-intervisie", "dit-kwartaal", ("sleutelpersoon",))
        assert any(r.noemer == 1 and r.teller == 0 for r in per_persoon), org["naam"]
        # How many volunteers moved to paid work: at least one in the last twelve months.
        assert _waarden(session, org["id"], "doorstroom", "laatste-12-maanden")[0].waarde >= 1
        assert _waarden(session, org["id"], "trainingsuren", "laatste-12-maanden")[0].waarde > 0
        assert 0 < _waarden(session, org["id"], "percentage-met-ontwikkelplan", "dit-jaar")[0].waarde <= 100


def test_codes_en_perioden_kloppen(session: Session, samenvatting: dict[str, Any]) -> None:
    codes = {(c.lijst, c.code) for c in session.exec(select(Code)).all()}
    assert all(("deskundigheid-soort", t.soort) in codes for t in session.exec(select(Deskundigheidsbevordering)).all())
    assert all(("dienstverband", p.soort) in codes for p in session.exec(select(Dienstverband)).all())
    assert {g.soort for g in session.exec(select(Gesprek)).all()} <= {"voortgang", "functionering", "afsluiting"}
    assert {d.status for d in session.exec(select(Ontwikkeldoel)).all()} <= {"open", "bezig", "behaald", "vervallen"}
    assert session.exec(select(DeskundigheidDeelnemer)).first() is not None
    # Periods never overlap, and no date lies in the future.
    per_persoon: dict[Any, list[Dienstverband]] = {}
    for p in session.exec(select(Dienstverband).order_by(Dienstverband.vanaf)).all():
        per_persoon.setdefault(p.sleutelpersoon_id, []).append(p)
    for perioden in per_persoon.values():
        assert sum(p.tot is None for p in perioden) <= 1
        for eerder, later in pairwise(perioden):
            assert eerder.tot is not None and eerder.tot < later.vanaf
    assert max(t.datum for t in session.exec(select(Deskundigheidsbevordering)).all()) <= vandaag()
