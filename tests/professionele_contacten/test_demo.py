"""The demo data set has a few contacts with professionals for every organisation, so the indicators and reports show something."""

import uuid

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app import demo
from app.core.validation import vandaag
from app.models import Organisatie, ProfessioneelContact
from app.professionele_contacten import service as professionele_contacten
from app.professionele_contacten.schemas import ProfessioneelContactCreate
from tests.factories import make_key


def test_demo_has_professional_contacts_with_the_answer_loop(client: TestClient, session: Session) -> None:
    today = vandaag()
    samenvatting = demo.laad_demo_data(session, aantal=200, seed=42, today=today)
    rijen = list(session.exec(select(ProfessioneelContact)))
    eerste_org = samenvatting["organisaties"][0]["id"]
    assert samenvatting["professionele_contacten"] == len(rijen) >= 10
    assert {r.organisatie_id for r in rijen} == {o["id"] for o in samenvatting["organisaties"]}
    assert {r.status for r in rijen if r.soort == "adviesvraag"} == {"gevraagd", "gegeven", "teruggekoppeld"}
    assert all((r.status is None) == (r.soort != "adviesvraag") for r in rijen)
    assert all(r.datum <= today for r in rijen)

    headers = make_key(session, organisatie=session.get(Organisatie, eerste_org), scopes=("inzien", "rapporteren"))
    session.commit()
    rijen = [r for r in rijen if r.organisatie_id == eerste_org]
    lijst = client.get("/v1/professionele-contacten", params={"pageSize": 100}, headers=headers)
    assert lijst.status_code == 200 and len(lijst.json()) == len(rijen)
    # Every demo record reads back through the API as valid (the answer's date not before the contact).
    for contact in lijst.json():
        if contact["terugkoppeling"]:
            assert contact["terugkoppeling"]["datum"] >= contact["datum"]
    bereik = client.get("/v1/indicatoren/bereik-professionals/waarden", params={"periode": "laatste-12-maanden"}, headers=headers)
    assert bereik.status_code == 200
    periode = bereik.json()["rijen"][0]["periode"]
    in_periode = [r for r in rijen if periode["vanaf"] <= r.datum.isoformat() <= periode["tot"]]
    assert in_periode and bereik.json()["rijen"][0]["waarde"] == sum(r.aantal_professionals for r in in_periode)
    # The fingerprints are the API's own: posting a demo record again (with its status) would be a retry.
    opgeslagen = {r.id: r.inhoud_hash for r in rijen}
    velden = set(ProfessioneelContactCreate.model_fields) - {"extern_id"}
    for contact in lijst.json():
        verzonden = ProfessioneelContactCreate.model_validate({k: v for k, v in contact.items() if k not in ("id", "externId")
                                                               and k in {f.alias or n for n, f in ProfessioneelContactCreate.model_fields.items()}})
        waarden = verzonden.model_dump(by_alias=False, mode="python", include=velden)
        assert professionele_contacten.vingerafdruk_van(waarden) == opgeslagen[uuid.UUID(contact["id"])], contact
