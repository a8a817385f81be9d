"""The demo data includes signals (some with feedback) and stories, so `make run` shows them."""

from datetime import date

from sqlmodel import Session, select

from app.demo import laad_demo_data
from app.models import Ervaringsverhaal, Signaal, SignaalBericht, SignaalStatus


def test_demo_has_signals_with_feedback_and_stories(session: Session) -> None:
    samenvatting = laad_demo_data(session, aantal=30, seed=11, today=date(2026, 11, 28))
    assert samenvatting["kwalitatief"] == {"signalen": 8, "signalen met terugkoppeling": 4, "ervaringsverhalen": 6}
    signalen = session.exec(select(Signaal)).all()
    assert {s.status for s in signalen} == {"ingediend", "ontvangen", "in-behandeling", "opgepakt", "niet-opgepakt"}
    # Every final status has feedback; signals in progress may have an interim message (since the conversation).
    assert all(s.terugkoppeling_tekst is not None for s in signalen if s.status in ("opgepakt", "niet-opgepakt"))
    assert any(s.terugkoppeling_tekst is not None for s in signalen if s.status == "in-behandeling")
    for signaal in signalen:
        # terugkoppeling is the receiver's latest message, as the API shows it.
        berichten = session.exec(select(SignaalBericht).where(SignaalBericht.signaal_id == signaal.id)
                                 .order_by(SignaalBericht.datum, SignaalBericht.aangemaakt_op)).all()
        van_ontvanger = [b.tekst for b in berichten if b.van == "ontvanger"]
        assert signaal.terugkoppeling_tekst == (van_ontvanger[-1] if van_ontvanger else None)
    assert any(b.van == "organisatie" for b in session.exec(select(SignaalBericht)).all())
    for signaal in signalen:
        historie = session.exec(select(SignaalStatus).where(SignaalStatus.signaal_id == signaal.id).order_by(SignaalStatus.id)).all()
        assert historie[0].status == "ingediend" and historie[-1].status == signaal.status
        assert [h.status_datum for h in historie] == sorted(h.status_datum for h in historie)
        assert signaal.status_datum <= date(2026, 11, 28)
    verhalen = session.exec(select(Ervaringsverhaal)).all()
    assert any(v.gedeeld for v in verhalen)
    assert all(v.toestemming_gegeven for v in verhalen if v.bron == "inwoner" and v.gedeeld)
