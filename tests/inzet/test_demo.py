"""The demo data set has hours for its active key persons, so the coordinator's page shows them."""

from collections import defaultdict
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app import demo
from app.core.validation import vandaag
from app.inzet import service as inzet
from app.models import Inzet, Organisatie, Sleutelpersoon
from tests.factories import make_key


def test_demo_hours_this_month_and_last(client: TestClient, session: Session) -> None:
    today = vandaag()
    samenvatting = demo.laad_demo_data(session, aantal=200, seed=42, today=today)
    rijen = list(session.exec(select(Inzet)))
    assert samenvatting["inzet"] == len(rijen) > 0
    begin = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    assert all(begin <= r.datum <= today and r.minuten % 15 == 0 for r in rijen)
    per_dag: dict[tuple[object, object], int] = defaultdict(int)
    for r in rijen:
        per_dag[(r.sleutelpersoon_id, r.datum)] += r.minuten
    assert max(per_dag.values()) <= 24 * 60
    personen = {p.id: p for p in session.exec(select(Sleutelpersoon))}
    met_uren = {r.sleutelpersoon_id for r in rijen}
    actief = {p.id for p in personen.values() if p.actief and p.uren_per_week}
    # Every active key person, except one who joined only days ago and has not worked yet.
    assert met_uren <= actief and len(met_uren) >= len(actief) - 1
    assert all(r.gemeentecode == personen[r.sleutelpersoon_id].gemeentecode for r in rijen)
    # Its fingerprints are the API's own: posting a demo record again through the API would be a retry.
    eerste = rijen[0]
    assert eerste.inhoud_hash == inzet.vingerafdruk_van(
        {"sleutelpersoon_id": eerste.sleutelpersoon_id, "datum": eerste.datum, "uren": eerste.minuten / 60,
         "soort": eerste.soort, "gemeentecode": eerste.gemeentecode, "toelichting": None})
    # The per-month figures of the API have the organisation's hours.
    organisatie = samenvatting["organisaties"][0]
    headers = make_key(session, organisatie=session.get(Organisatie, organisatie["id"]), scopes=("inzien",))
    session.commit()
    maand = client.get("/v1/inzet/per-maand", params={"maand": f"{begin.year}-{begin.month:02d}"}, headers=headers)
    assert maand.status_code == 200 and any(r["uren"] > 0 for r in maand.json())
