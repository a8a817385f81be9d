"""The demo data includes signals (some with feedback) and stories, so `make run` shows them."""

from datetime import date

from sqlmodel import Session, select

from app.demo import laad_demo_data
from app.models import Ervaringsverhaal, Signaal, SignaalStatus


def test_demo_has_signals_with_feedback_and_stories(session: Session) -> None:
    samenvatting = laad_demo_data(session, aantal=30, seed=11, today=date(2026, 11, 28))
    assert samenvatting["kwalitatief"] == {"signalen": 8, "signalen met terugkoppeling": 4, "ervaringsverhalen": 6}
    signalen = session.exec(select(Signaal)).all()
    assert {s.status for s in signalen} == {"ingediend", "ontvangen", "in-behandeling", "opgepakt", "niet-opgepakt"}
    assert all((s.terugkoppeling_tekst is not None) == (s.status in ("opgepakt", "niet-opgepakt")) for s in signalen)
    for signaal in signalen:
        historie = session.exec(select(SignaalStatus).where(SignaalStatus.signaal_id == signaal.id).order_by(SignaalStatus.id)).all()
        assert historie[0].status == "ingediend" and historie[-1].status == signaal.status
        assert [h.status_datum for h in historie] == sorted(h.status_datum for h in historie)
        assert signaal.status_datum <= date(2026, 11, 28)
    verhalen = session.exec(select(Ervaringsverhaal)).all()
    assert any(v.gedeeld for v in verhalen)
    assert all(v.toestemming_gegeven for v in verhalen if v.bron == "inwoner" and v.gedeeld)
