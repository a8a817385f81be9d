"""The dashboard's regional pages and downloads go through the same table checks as the API (issue 21)."""

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.factories import Omgeving, body, make_key
from tests.web.helpers import meld_aan


def test_een_fijne_tabel_als_download_wordt_geweigerd_zoals_in_de_api(client: TestClient, session: Session,
                                                                        omgeving: Omgeving) -> None:
    sleutel = make_key(session, organisatie=omgeving.organisatie)
    for dag in ("2025-03-03", "2025-03-14"):
        client.post("/v1/contactmomenten", json=body(omgeving, datum=dag), headers=sleutel)
    regio = make_key(session, scopes=("rapporteren",), gemeentecodes=["GM0344"])
    session.commit()
    microdata = ("periode=2025-03&gemeente=GM0344&interval=dag"
                 "&groeperenOp=wijk,kanaal,leeftijdscategorie,geslacht,doelgroep,rol,taal")
    api = client.get(f"/v1/indicatoren/aantal-contactmomenten/waarden?{microdata}", headers=regio)
    assert api.status_code == 400
    assert meld_aan(client, regio).status_code == 303
    dashboard = client.get(f"/overzicht/download?indicator=aantal-contactmomenten&{microdata}&formaat=csv")
    assert dashboard.status_code == 400
    assert "2025-03-03" not in dashboard.text and "dagcijfers" in dashboard.text
    unie = client.get("/overzicht/download?indicator=aantal-contactmomenten&periode=2025&kanaal=persoonlijk,video")
    assert unie.status_code == 400


def test_een_eigen_dag_als_periode_geeft_een_regionale_lezer_een_melding(client: TestClient, session: Session) -> None:
    regio = make_key(session, scopes=("rapporteren",), gemeentecodes=["GM0344"])
    session.commit()
    assert meld_aan(client, regio).status_code == 303
    pagina = client.get("/overzicht?eigen=2025-03-14")
    assert pagina.status_code == 200
    assert "hele week, maand, kwartaal of jaar" in pagina.text
    maand = client.get("/overzicht?eigen=2025-03")
    assert maand.status_code == 200 and "hele week, maand" not in maand.text
