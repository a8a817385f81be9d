"""The reporting cycle over HTTP: a region declares a rhythm; an organisation submits; the region approves,
sends back (with a message) or reopens (with a reason); every step audited, with a history; tenancy."""

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import RapportageHistorie
from tests.factories import Omgeving, make_key, make_organisatie
from tests.helpers import assert_400, assert_problem, audit_regels
from tests.rapportage.factories import make_ritme, make_status

GOEDKEUREN = ("goedkeuren", "rapporteren")


def _regio(session: Session, gemeentecodes: list[str] | None = None) -> dict[str, str]:
    return make_key(session, gemeentecodes=gemeentecodes or ["GM0344"], scopes=GOEDKEUREN)


def _pad(ritme_id: object, organisatie_id: object, periode: str = "2025Q1") -> str:
    return f"/v1/rapportageritmes/{ritme_id}/periodes/{periode}/organisaties/{organisatie_id}"


def test_een_regio_legt_een_ritme_vast(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    regio = _regio(session)
    antwoord = client.post("/v1/rapportageritmes", headers=regio, json={
        "naam": "Kwartaalrapportage GGD", "ritme": "kwartaal", "gemeentecodes": ["GM0344"],
        "organisatieIds": [str(omgeving.organisatie.id)], "termijnDagen": 30, "vanaf": "2025-01-01",
    })
    assert antwoord.status_code == 201, antwoord.text
    ritme = antwoord.json()
    assert ritme["organisaties"] == [{"id": str(omgeving.organisatie.id), "naam": omgeving.organisatie.naam}]
    assert antwoord.headers["Location"].endswith(f"/v1/rapportageritmes/{ritme['id']}")
    assert audit_regels(session, resource_type="rapportageritme")

    tabel = client.get(f"/v1/rapportageritmes/{ritme['id']}/periodes", headers=regio, params={"periode": "2025Q1"})
    assert tabel.status_code == 200, tabel.text
    [vak] = tabel.json()
    assert (vak["periode"], vak["status"], vak["vanaf"], vak["tot"], vak["deadline"]) == (
        "2025Q1", "open", "2025-01-01", "2025-03-31", "2025-04-30")
    assert vak["tijdig"] is False  # the deadline passed without a submission


def test_ritme_weigert_alle_fouten_tegelijk_en_gemeenten_buiten_de_regio(client: TestClient, session: Session) -> None:
    regio = _regio(session)
    elders = make_organisatie(session, gemeentecodes=["GM0599"])
    fout = client.post("/v1/rapportageritmes", headers=regio, json={
        "naam": "x", "ritme": "jaar", "gemeentecodes": ["GM0344"], "organisatieIds": [], "termijnDagen": -1, "vanaf": "2025-01-01",
    })
    assert_400(fout, ["ritme", "organisatieIds", "termijnDagen"])
    buiten = client.post("/v1/rapportageritmes", headers=regio, json={
        "naam": "x", "ritme": "maand", "gemeentecodes": ["GM0599"], "organisatieIds": [str(elders.id)],
        "termijnDagen": 10, "vanaf": "2025-01-01",
    })
    assert_problem(buiten, 403)
    niet_in_gemeente = client.post("/v1/rapportageritmes", headers=regio, json={
        "naam": "x", "ritme": "maand", "gemeentecodes": ["GM0344"], "organisatieIds": [str(elders.id)],
        "termijnDagen": 10, "vanaf": "2025-01-01",
    })
    assert_400(niet_in_gemeente, ["organisatieIds[0]"])


def test_indienen_goedkeuren_terugsturen_heropenen(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    ritme = make_ritme(session, [omgeving.organisatie])
    regio = _regio(session)
    coordinator = make_key(session, organisatie=omgeving.organisatie, scopes=("registreren",))
    pad = _pad(ritme.id, omgeving.organisatie.id)

    assert_problem(client.post(pad + "/goedkeuren", headers=regio), 409)  # nothing submitted yet
    ingediend = client.post("/v1/rapportageperiodes/2025Q1/indienen", headers=coordinator)
    assert ingediend.status_code == 200, ingediend.text
    assert [v["status"] for v in ingediend.json()] == ["ingediend"]
    assert_problem(client.post("/v1/rapportageperiodes/2025Q1/indienen", headers=coordinator), 409)

    terug = client.post(pad + "/terugsturen", headers=regio, json={"bericht": "De uren van maart ontbreken."})
    assert terug.status_code == 200, terug.text
    assert (terug.json()["status"], terug.json()["bericht"]) == ("teruggestuurd", "De uren van maart ontbreken.")
    eigen = client.get("/v1/rapportageperiodes", headers=coordinator, params={"periode": "2025Q1"}).json()
    assert eigen[0]["status"] == "teruggestuurd" and eigen[0]["bericht"] == "De uren van maart ontbreken."

    assert client.post("/v1/rapportageperiodes/2025Q1/indienen", headers=coordinator).status_code == 200
    goed = client.post(pad + "/goedkeuren", headers=regio)
    assert goed.status_code == 200 and goed.json()["status"] == "goedgekeurd", goed.text
    open_ = client.post(pad + "/heropenen", headers=regio, json={"reden": "Een import van februari kwam te laat."})
    assert open_.json()["status"] == "heropend" and open_.json()["reden"] == "Een import van februari kwam te laat."

    detail = client.get(pad, headers=regio).json()
    assert [(s["actie"], s["status"]) for s in detail["historie"]] == [
        ("ingediend", "ingediend"), ("teruggestuurd", "teruggestuurd"), ("ingediend", "ingediend"),
        ("goedgekeurd", "goedgekeurd"), ("heropend", "heropend")]
    assert all(s["sleutelId"] for s in detail["historie"])  # who
    assert detail["tijdig"] is False  # first submitted today, long after 2025-04-30
    assert [r.actie for r in audit_regels(session, resource_type="rapportageperiode")] == [
        "ingediend", "teruggestuurd", "ingediend", "goedgekeurd", "heropend"]


def test_bericht_en_reden_gaan_door_de_privacywacht(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    ritme = make_ritme(session, [omgeving.organisatie])
    make_status(session, ritme, omgeving.organisatie, status="ingediend")
    regio = _regio(session)
    pad = _pad(ritme.id, omgeving.organisatie.id)
    fout = client.post(pad + "/terugsturen", headers=regio, json={"bericht": "Bel mevrouw op 0612345678"})
    assert_400(fout, ["bericht"])
    assert "0612345678" not in fout.text
    assert_400(client.post(pad + "/terugsturen", headers=regio, json={}), ["bericht"])
    assert session.exec(select(RapportageHistorie)).all() == []


def test_een_organisatie_kan_niet_goedkeuren(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    ritme = make_ritme(session, [omgeving.organisatie])
    make_status(session, ritme, omgeving.organisatie, status="ingediend")
    eigen = make_key(session, organisatie=omgeving.organisatie, scopes=("registreren", "inzien", "rapporteren"))
    assert_problem(client.post(_pad(ritme.id, omgeving.organisatie.id) + "/goedkeuren", headers=eigen), 403)
    # A regional key without the scope cannot either.
    lezer = make_key(session, gemeentecodes=["GM0344"], scopes=("rapporteren",))
    assert_problem(client.post(_pad(ritme.id, omgeving.organisatie.id) + "/goedkeuren", headers=lezer), 403)


def test_een_regio_keurt_geen_organisatie_van_een_andere_regio_goed(
    client: TestClient, session: Session, omgeving: Omgeving
) -> None:
    ander = make_organisatie(session, gemeentecodes=["GM0599"])
    hun_ritme = make_ritme(session, [ander], gemeentecodes=["GM0599"])
    make_status(session, hun_ritme, ander, status="ingediend")
    ons_ritme = make_ritme(session, [omgeving.organisatie])
    regio = _regio(session)
    # Their rhythm is unknown to us, and their organisation is not expected in ours: 404 both.
    assert_problem(client.post(_pad(hun_ritme.id, ander.id) + "/goedkeuren", headers=regio), 404)
    assert_problem(client.post(_pad(ons_ritme.id, ander.id) + "/goedkeuren", headers=regio), 404)
    assert_problem(client.get(f"/v1/rapportageritmes/{hun_ritme.id}", headers=regio), 404)
    assert [r["id"] for r in client.get("/v1/rapportageritmes", headers=regio).json()] == [str(ons_ritme.id)]
    # An administrator may (beheren implies goedkeuren).
    beheer = make_key(session, beheer=True, scopes=("beheren",))
    assert client.post(_pad(hun_ritme.id, ander.id) + "/goedkeuren", headers=beheer).status_code == 200


def test_onbekende_of_lopende_periode(client: TestClient, session: Session, omgeving: Omgeving) -> None:
    from app.core.validation import vandaag
    from app.rapportage.periodes import periode_van

    make_ritme(session, [omgeving.organisatie])
    coordinator = make_key(session, organisatie=omgeving.organisatie, scopes=("registreren",))
    assert_problem(client.post("/v1/rapportageperiodes/2024Q4/indienen", headers=coordinator), 404)  # before the start
    assert_problem(client.post("/v1/rapportageperiodes/2025-03/indienen", headers=coordinator), 404)  # not a quarter
    lopend = periode_van("kwartaal", vandaag()).label
    body = assert_problem(client.post(f"/v1/rapportageperiodes/{lopend}/indienen", headers=coordinator), 409)
    assert body["title"] == "Periode loopt nog"
