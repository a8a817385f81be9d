"""Indicators an organisation defines itself (issue 25 part 2): oracle, versions, tenancy, validation
and disclosure (a regional read is exactly the catalogue's perturbed figure)."""

import io
import random
import uuid
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import Uuid, bindparam, text
from sqlmodel import Session, select

from app.core.validation import vandaag
from app.models import AuditRegel, Organisatie
from tests.factories import make_contactmoment, make_key, make_organisatie, make_sleutelpersoon
from tests.helpers import assert_400, assert_problem

YEAR = vandaag().year - 1
CODE = "eigen.hulpvragen-jgz-statushouders"
JGZ = {
    "code": CODE,
    "naam": "Hulpvragen JGZ van statushouders",
    "definitie": "Hulpvragen over jeugdgezondheidszorg (consultatiebureau) van inwoners die statushouder zijn.",
    "basis": "aantal-hulpvragen",
    "filters": {"onderwerp": ["zorg.jgz"], "doelgroep": ["statushouder"]},
}
AANDEEL = {
    **JGZ, "code": "eigen.aandeel-jgz-statushouders", "naam": "Aandeel JGZ in de hulpvragen van statushouders",
    "filters": {"onderwerp": ["zorg.jgz"], "doelgroep": ["statushouder"]},
    "noemer": {"basis": "aantal-hulpvragen", "filters": {"doelgroep": ["statushouder"]}},
}
ONDERWERPEN = ("zorg.jgz", "zorg.huisarts", "geld.toeslagen", "gezin.opvoeding")
DOELGROEPEN = ("statushouder", "gezinsmigrant", "arbeidsmigrant")


def _plant(session: Session, organisatie: Organisatie, *, n: int = 240, seed: int = 25) -> None:
    """Contacts over the year in two gemeenten, by three key persons, with one or two topics each."""
    rng = random.Random(seed)
    personen = [make_sleutelpersoon(session, organisatie) for _ in range(3)]
    for _ in range(n):
        make_contactmoment(
            session, organisatie, rng.choice(personen),
            datum=date(YEAR, rng.randint(1, 12), rng.randint(1, 28)),
            gemeentecode=rng.choice(organisatie.gemeentecodes),
            doelgroep=rng.choice(DOELGROEPEN),
            onderwerpen=rng.sample(ONDERWERPEN, rng.randint(1, 2)),
        )


@pytest.fixture
def org(session: Session) -> dict[str, Any]:
    organisatie = make_organisatie(session, gemeentecodes=["GM0344", "GM0307"])
    _plant(session, organisatie)
    return {"organisatie": organisatie, "headers": make_key(session, organisatie=organisatie)}


def _definieer(client: TestClient, headers: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/v1/indicatoren", json=body, headers=headers)
    assert response.status_code == 201, response.text
    assert response.headers["Location"] == f"/v1/indicatoren/{body['code']}"
    return response.json()


def _waarden(client: TestClient, headers: dict[str, str], code: str, **params: Any) -> dict[str, Any]:
    response = client.get(f"/v1/indicatoren/{code}/waarden", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def _hulpvragen(session: Session, organisatie: Organisatie, *, onderwerp: str | None, doelgroep: str,
                per: str) -> dict[str, int]:
    """The oracle: help questions of the organisation in YEAR, written by hand, per quarter or per gemeente."""
    sleutel = {"kwartaal": "CAST((CAST(strftime('%m', c.datum) AS INTEGER) + 2) / 3 AS INTEGER)",
               "gemeente": "c.gemeentecode"}[per]
    if session.get_bind().dialect.name == "postgresql":
        sleutel = {"kwartaal": "CAST(EXTRACT(QUARTER FROM c.datum) AS INTEGER)", "gemeente": "c.gemeentecode"}[per]
    sql = f"""
        SELECT {sleutel} AS k, COUNT(*) FROM contactmoment_onderwerp o JOIN contactmoment c ON c.id = o.contactmoment_id
        WHERE c.organisatie_id = :org AND c.verwijderd_op IS NULL AND c.doelgroep = :doelgroep
          AND c.datum >= :vanaf AND c.datum <= :tot {"AND o.onderwerp = :onderwerp" if onderwerp else ""}
        GROUP BY {sleutel}"""
    params: dict[str, Any] = {"org": organisatie.id, "doelgroep": doelgroep, "vanaf": date(YEAR, 1, 1),
                              "tot": date(YEAR, 12, 31)}
    if onderwerp:
        params["onderwerp"] = onderwerp
    return {str(k): int(n) for k, n in session.execute(text(sql).bindparams(bindparam("org", type_=Uuid())), params)}


# --- oracle ---------------------------------------------------------------------------------------


def test_an_own_count_equals_the_query_written_by_hand(client: TestClient, session: Session, org: dict[str, Any]) -> None:
    gedefinieerd = _definieer(client, org["headers"], JGZ)
    assert gedefinieerd["eigen"]["versie"] == 1 and gedefinieerd["eigen"]["basis"] == "aantal-hulpvragen"
    assert gedefinieerd["eenheid"] == "aantal" and "onderwerp" in gedefinieerd["dimensies"]
    body = _waarden(client, org["headers"], CODE, periode=str(YEAR), interval="kwartaal")
    orakel = _hulpvragen(session, org["organisatie"], onderwerp="zorg.jgz", doelgroep="statushouder", per="kwartaal")
    gevonden = [r["waarde"] for r in body["rijen"]]
    print(f"eigen aantal per kwartaal: {gevonden}; orakel {[orakel.get(str(q), 0) for q in range(1, 5)]}")
    assert gevonden == [orakel.get(str(q), 0) for q in range(1, 5)]
    assert sum(gevonden) > 20
    assert body["versie"] == 1 and body["indicator"]["code"] == CODE and body["onderdrukking"]["toegepast"] is False
    # The same as the catalogue with the same filters.
    catalogus = _waarden(client, org["headers"], "aantal-hulpvragen", periode=str(YEAR), interval="kwartaal",
                         onderwerp="zorg.jgz", doelgroep="statushouder")
    assert [r["waarde"] for r in catalogus["rijen"]] == gevonden and catalogus["versie"] is None
    # CSV and XLSX go the same way.
    csv = client.get(f"/v1/indicatoren/{CODE}/waarden", params={"periode": str(YEAR), "formaat": "csv"}, headers=org["headers"])
    assert csv.status_code == 200 and str(sum(gevonden)) in csv.text
    xlsx = client.get(f"/v1/indicatoren/{CODE}/waarden", params={"periode": str(YEAR), "formaat": "xlsx"}, headers=org["headers"])
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    toelichting = {r[0].value: r[1].value for r in load_workbook(io.BytesIO(xlsx.content))["Toelichting"].iter_rows()
                   if r[0].value}
    assert toelichting["Versie"].startswith("1 (eigen indicator") and "zorg.jgz" in toelichting["Versie"]


def test_an_own_rate_equals_the_query_written_by_hand(client: TestClient, session: Session, org: dict[str, Any]) -> None:
    gedefinieerd = _definieer(client, org["headers"], AANDEEL)
    assert gedefinieerd["eenheid"] == "percentage" and gedefinieerd["eigen"]["noemer"]["basis"] == "aantal-hulpvragen"
    body = _waarden(client, org["headers"], AANDEEL["code"], periode=str(YEAR), groeperenOp="gemeente")
    tellers = _hulpvragen(session, org["organisatie"], onderwerp="zorg.jgz", doelgroep="statushouder", per="gemeente")
    noemers = _hulpvragen(session, org["organisatie"], onderwerp=None, doelgroep="statushouder", per="gemeente")
    assert [r["gemeente"]["code"] for r in body["rijen"]] == sorted(noemers)
    for rij in body["rijen"]:
        t, n = tellers.get(rij["gemeente"]["code"], 0), noemers[rij["gemeente"]["code"]]
        print(f"eigen percentage {rij['gemeente']['code']}: {rij['teller']}/{rij['noemer']} = {rij['waarde']}; orakel {t}/{n}")
        assert (rij["teller"], rij["noemer"], rij["waarde"]) == (t, n, round(100 * t / n, 1))
    # A request filter on the fixed dimension narrows both parts; one outside it is refused.
    smal = _waarden(client, org["headers"], AANDEEL["code"], periode=str(YEAR), gemeente="GM0307")
    assert smal["rijen"][0]["teller"] == tellers.get("GM0307", 0)
    buiten = client.get(f"/v1/indicatoren/{AANDEEL['code']}/waarden", params={"onderwerp": "geld.toeslagen"},
                        headers=org["headers"])
    assert "onderwerp" in assert_400(buiten, ["onderwerp"])


def test_a_new_version_keeps_the_old_values_reproducible(client: TestClient, session: Session, org: dict[str, Any]) -> None:
    headers = org["headers"]
    _definieer(client, headers, JGZ)
    v1 = _waarden(client, headers, CODE, periode=str(YEAR), interval="kwartaal")
    # Sharing changes in place; the definition makes version 2.
    gedeeld = client.patch(f"/v1/indicatoren/{CODE}", json={"gedeeldMetRegio": True}, headers=headers)
    assert gedeeld.status_code == 200 and gedeeld.json()["eigen"]["versie"] == 1 and gedeeld.json()["eigen"]["gedeeldMetRegio"]
    gewijzigd = client.patch(f"/v1/indicatoren/{CODE}", json={"filters": {"onderwerp": ["zorg.jgz", "gezin.opvoeding"],
                                                                         "doelgroep": ["statushouder"]}}, headers=headers)
    assert gewijzigd.status_code == 200, gewijzigd.text
    assert gewijzigd.json()["eigen"]["versie"] == 2
    v2 = _waarden(client, headers, CODE, periode=str(YEAR), interval="kwartaal")
    assert v2["versie"] == 2 and sum(r["waarde"] for r in v2["rijen"]) > sum(r["waarde"] for r in v1["rijen"])
    opnieuw = _waarden(client, headers, CODE, periode=str(YEAR), interval="kwartaal", versie=1)
    assert opnieuw["versie"] == 1 and opnieuw["rijen"] == v1["rijen"] and opnieuw["indicator"]["eigen"]["versie"] == 1
    versies = client.get(f"/v1/indicatoren/{CODE}/versies", headers=headers)
    assert [v["versie"] for v in versies.json()] == [2, 1] and versies.headers["X-Total-Count"] == "2"
    assert versies.json()[1]["filters"] == JGZ["filters"]
    assert_problem(client.get(f"/v1/indicatoren/{CODE}/waarden", params={"versie": 3}, headers=headers), 404)
    # The same change again makes no version; a catalogue code has none.
    client.patch(f"/v1/indicatoren/{CODE}", json={"naam": JGZ["naam"]}, headers=headers)
    assert client.get(f"/v1/indicatoren/{CODE}", headers=headers).json()["eigen"]["versie"] == 2
    assert_400(client.get("/v1/indicatoren/aantal-hulpvragen/waarden", params={"versie": 1}, headers=headers), ["versie"])


# --- tenancy -------------------------------------------------------------------------------------


def test_tenancy_other_organisations_and_unshared_regions_get_404(client: TestClient, session: Session,
                                                                 org: dict[str, Any]) -> None:
    headers = org["headers"]
    _definieer(client, headers, JGZ)
    ander = make_key(session, organisatie=make_organisatie(session, gemeentecodes=["GM0344"]))
    regio = make_key(session, gemeentecodes=["GM0344"], scopes=("rapporteren",))
    elders = make_key(session, gemeentecodes=["GM0363"], scopes=("rapporteren",))
    for h in (ander, regio, elders):
        assert_problem(client.get(f"/v1/indicatoren/{CODE}", headers=h), 404)
        assert_problem(client.get(f"/v1/indicatoren/{CODE}/waarden", headers=h), 404)
        assert_problem(client.get(f"/v1/indicatoren/{CODE}/versies", headers=h), 404)
        assert CODE not in [i["code"] for i in client.get("/v1/indicatoren", headers=h).json()]
    assert_problem(client.patch(f"/v1/indicatoren/{CODE}", json={"naam": "Overgenomen"}, headers=ander), 404)
    assert_problem(client.delete(f"/v1/indicatoren/{CODE}", headers=ander), 404)
    assert client.get("/v1/indicatoren", headers=headers).json()[-1]["code"] == CODE  # after the catalogue
    # Another organisation may use the same code for its own indicator.
    assert client.post("/v1/indicatoren", json=JGZ, headers=ander).status_code == 201

    assert client.patch(f"/v1/indicatoren/{CODE}", json={"gedeeldMetRegio": True}, headers=headers).status_code == 200
    assert client.get(f"/v1/indicatoren/{CODE}", headers=regio).json()["eigen"]["organisatieId"] == str(org["organisatie"].id)
    assert CODE in [i["code"] for i in client.get("/v1/indicatoren", headers=regio).json()]
    beschermd = _waarden(client, regio, CODE, periode=str(YEAR))
    assert beschermd["onderdrukking"]["toegepast"] is True
    assert_problem(client.get(f"/v1/indicatoren/{CODE}/waarden", headers=elders), 404)

    # Withdrawn: gone from lists and regions, still reproducible for the organisation; changes 409.
    assert client.delete(f"/v1/indicatoren/{CODE}", headers=headers).status_code == 204
    assert_problem(client.get(f"/v1/indicatoren/{CODE}/waarden", headers=regio), 404)
    assert CODE not in [i["code"] for i in client.get("/v1/indicatoren", headers=headers).json()]
    assert client.get(f"/v1/indicatoren/{CODE}", headers=headers).json()["eigen"]["status"] == "ingetrokken"
    assert _waarden(client, headers, CODE, periode=str(YEAR))["versie"] == 1
    assert_problem(client.patch(f"/v1/indicatoren/{CODE}", json={"naam": "Nieuw"}, headers=headers), 409)
    assert "code" in assert_400(client.post("/v1/indicatoren", json=JGZ, headers=headers), ["code"])
    acties = session.exec(select(AuditRegel.actie).where(AuditRegel.resource_type == "eigen-indicator",
                                                         AuditRegel.organisatie_id == org["organisatie"].id)
                          .order_by(AuditRegel.id)).all()
    assert acties == ["aangemaakt", "gewijzigd", "ingetrokken"]


def test_only_organisation_keys_with_registreren_define(client: TestClient, session: Session, org: dict[str, Any]) -> None:
    regio = make_key(session, gemeentecodes=["GM0344"], scopes=("rapporteren",))
    alleen_lezen = make_key(session, organisatie=org["organisatie"], scopes=("rapporteren",))
    assert_problem(client.post("/v1/indicatoren", json=JGZ, headers=regio), 403)
    assert_problem(client.post("/v1/indicatoren", json=JGZ, headers=alleen_lezen), 403)
    assert client.get("/v1/indicatoren", headers={}).status_code == 401


# --- validation ----------------------------------------------------------------------------------


def test_every_problem_of_a_definition_at_once(client: TestClient, session: Session, org: dict[str, Any]) -> None:
    body = {
        "code": "Eigen hulpvragen", "naam": "", "definitie": "Bel 0612345678 voor uitleg.",
        "basis": "percentage-opgelost",
        "filters": {"organisatie": [str(uuid.uuid4())]},
        "noemer": {"basis": "doorlooptijd-terugkoppeling", "filters": {}},
    }
    reasons = assert_400(client.post("/v1/indicatoren", json=body, headers=org["headers"]),
                         ["code", "naam", "definitie", "basis", "noemer.basis"])
    assert "0612345678" not in str(reasons)
    body = {**JGZ, "filters": {"onderwerp": ["zorg.jgz", "zorg.bestaat-niet"], "ketenpartner": ["kp-1"],
                               "organisatie": [str(uuid.uuid4())], "doelgroep": ["statushouder", "statushouder"],
                               "taal": ["Arabisch"]},
            "noemer": {"basis": "aantal-contactmomenten", "filters": {"urgentie": ["hoog"]}}}
    reasons = assert_400(client.post("/v1/indicatoren", json=body, headers=org["headers"]),
                         ["filters.onderwerp", "filters.ketenpartner", "filters.organisatie", "filters.doelgroep",
                          "filters.taal", "noemer.filters.urgentie"])
    assert "zorg.bestaat-niet" in reasons["filters.onderwerp"]
    # A key person of another organisation is as unknown as none.
    vreemd = make_sleutelpersoon(session, make_organisatie(session))
    reasons = assert_400(client.post("/v1/indicatoren", json={**JGZ, "filters": {"sleutelpersoon": [str(vreemd.id)]}},
                                     headers=org["headers"]), ["filters.sleutelpersoon"])
    # PATCH checks the result the same way; nothing is stored.
    _definieer(client, org["headers"], JGZ)
    assert_400(client.patch(f"/v1/indicatoren/{CODE}", json={"basis": "bestaat-niet", "filters": {"kanaal": ["duif"]}},
                            headers=org["headers"]), ["basis"])
    assert_400(client.patch(f"/v1/indicatoren/{CODE}", json={"filters": {"kanaal": ["duif"]}}, headers=org["headers"]),
               ["filters.kanaal"])
    fout = assert_problem(client.patch(f"/v1/indicatoren/{CODE}", json={"filters": {"onderwerp": "zorg.jgz"}, "naam": ""},
                                       headers=org["headers"]), 400)
    assert {p["name"].split(".")[0] for p in fout["invalidParams"]} == {"filters", "naam"}
    assert "filters" not in [p["name"] for p in fout["invalidParams"]]  # the schema's own error, no second one
    assert client.get(f"/v1/indicatoren/{CODE}", headers=org["headers"]).json()["eigen"]["versie"] == 1
    assert_problem(client.patch("/v1/indicatoren/aantal-hulpvragen", json={"naam": "x"}, headers=org["headers"]), 400)


# --- disclosure ----------------------------------------------------------------------------------


def test_a_regional_read_is_the_catalogues_perturbed_figure_cell_by_cell(client: TestClient, session: Session,
                                                                        org: dict[str, Any]) -> None:
    """The same cell description as the catalogue request (base code and the same filters, the defining
    organisation fixed): the same perturbed number, never a fresh draw to average."""
    headers, organisatie = org["headers"], org["organisatie"]
    _definieer(client, headers, {**JGZ, "gedeeldMetRegio": True})
    _definieer(client, headers, {**AANDEEL, "gedeeldMetRegio": True})
    regio = make_key(session, gemeentecodes=["GM0344", "GM0307"], scopes=("rapporteren",))
    vast = {"organisatie": str(organisatie.id), "doelgroep": "statushouder"}
    eigen = _waarden(client, regio, CODE, periode=str(YEAR), interval="maand")
    catalogus = _waarden(client, regio, "aantal-hulpvragen", periode=str(YEAR), interval="maand", onderwerp="zorg.jgz", **vast)
    paren = [(e["waarde"], c["waarde"]) for e, c in zip(eigen["rijen"], catalogus["rijen"], strict=True)]
    assert [e["onderdrukt"] for e in eigen["rijen"]] == [c["onderdrukt"] for c in catalogus["rijen"]]
    assert [e for e, _ in paren] == [c for _, c in paren]
    # Exact figures differ from the published ones somewhere: the regional read really is perturbed.
    exact = _waarden(client, headers, CODE, periode=str(YEAR), interval="maand")
    assert [r["waarde"] for r in exact["rijen"]] != [e for e, _ in paren]
    print(f"regionaal eigen = catalogus in {len(paren)}/{len(paren)} cellen; gepubliceerd {[e for e, _ in paren]}, "
          f"exact {[r['waarde'] for r in exact['rijen']]}")
    kwartalen = _waarden(client, regio, CODE, periode=str(YEAR), interval="kwartaal")["rijen"]
    catalogus = _waarden(client, regio, "aantal-hulpvragen", periode=str(YEAR), interval="kwartaal", onderwerp="zorg.jgz",
                         **vast)["rijen"]
    assert [r["waarde"] for r in kwartalen] == [r["waarde"] for r in catalogus]
    assert sum(r["waarde"] is not None for r in kwartalen) >= 3

    # A rate's parts are the catalogue's perturbed counts for the same filters.
    aandeel = _waarden(client, regio, AANDEEL["code"], periode=str(YEAR), interval="kwartaal")
    teller = _waarden(client, regio, "aantal-hulpvragen", periode=str(YEAR), interval="kwartaal", onderwerp="zorg.jgz", **vast)
    noemer = _waarden(client, regio, "aantal-hulpvragen", periode=str(YEAR), interval="kwartaal", **vast)
    for a, t, n in zip(aandeel["rijen"], teller["rijen"], noemer["rijen"], strict=True):
        assert (a["teller"], a["noemer"]) == (t["waarde"], n["waarde"])
        assert a["waarde"] == (round(100 * t["waarde"] / n["waarde"], 1)
                               if t["waarde"] is not None and n["waarde"] else None)
    # Defining a second identical indicator gives the same figures again.
    _definieer(client, headers, {**JGZ, "code": "eigen.kopie", "gedeeldMetRegio": True})
    assert _waarden(client, regio, "eigen.kopie", periode=str(YEAR), interval="maand")["rijen"] == eigen["rijen"]


def test_a_regional_read_goes_through_the_table_checks(client: TestClient, session: Session, org: dict[str, Any]) -> None:
    """The fixed filters count as the catalogue's filters would: detail limits and the per-key-person refusal hold."""
    headers = org["headers"]
    persoon = make_sleutelpersoon(session, org["organisatie"])
    _definieer(client, headers, {**JGZ, "gedeeldMetRegio": True})
    _definieer(client, headers, {**JGZ, "code": "eigen.van-een-persoon", "gedeeldMetRegio": True,
                                 "filters": {"sleutelpersoon": [str(persoon.id)]}})
    regio = make_key(session, gemeentecodes=["GM0344"], scopes=("rapporteren",))
    # organisatie, onderwerp, doelgroep and gemeente: four characteristics, one more than allowed.
    assert_problem(client.get(f"/v1/indicatoren/{CODE}/waarden", params={"groeperenOp": "gemeente"}, headers=regio), 400)
    assert_problem(client.get("/v1/indicatoren/eigen.van-een-persoon/waarden", headers=regio), 403)
    assert client.get(f"/v1/indicatoren/{CODE}/waarden", params={"groeperenOp": "gemeente"}, headers=headers).status_code == 200


# --- goals and targets ------------------------------------------------------------------------------


def test_goals_accept_own_codes_the_caller_sees(client: TestClient, session: Session, org: dict[str, Any]) -> None:
    from app.indicatoren import eigen
    from app.toegang.caller import Binding, Caller, Scope

    _definieer(client, org["headers"], JGZ)
    ander = make_organisatie(session)
    doelstelling = {"titel": "Meer jonge moeders bij het consultatiebureau", "vanaf": f"{YEAR}-01-01",
                    "indicatoren": [CODE, "aantal-hulpvragen"]}
    assert client.post("/v1/doelstellingen", json=doelstelling, headers=org["headers"]).status_code == 201
    assert_400(client.post("/v1/doelstellingen", json=doelstelling, headers=make_key(session, organisatie=ander)),
               ["indicatoren[0]"])
    # The function the targets service calls: the latest version as an Indicator, or None.
    eigen_caller = Caller(sleutel_id=None, scopes=frozenset({Scope.rapporteren}), binding=Binding.organisatie,
                          organisatie_id=org["organisatie"].id)
    gevonden = eigen.vind(session, eigen_caller, CODE)
    assert gevonden is not None and gevonden.code == CODE and gevonden.naam == JGZ["naam"]
    assert eigen.vind(session, eigen_caller, "aantal-hulpvragen").code == "aantal-hulpvragen"  # type: ignore[union-attr]
    andere_caller = Caller(sleutel_id=None, scopes=frozenset({Scope.rapporteren}), binding=Binding.organisatie,
                           organisatie_id=ander.id)
    assert eigen.vind(session, andere_caller, CODE) is None and eigen.vind(session, eigen_caller, "eigen.niets") is None


def test_a_stale_if_match_changes_nothing(client: TestClient, session: Session, org: dict[str, Any]) -> None:
    _definieer(client, org["headers"], JGZ)
    versie = client.get(f"/v1/indicatoren/{CODE}", headers=org["headers"]).headers["ETag"]
    eerste = client.patch(f"/v1/indicatoren/{CODE}", json={"naam": "Eerste"}, headers={**org["headers"], "If-Match": versie})
    assert eerste.status_code == 200 and eerste.headers["ETag"] != versie
    assert_problem(client.patch(f"/v1/indicatoren/{CODE}", json={"naam": "Tweede"},
                                headers={**org["headers"], "If-Match": versie}), 412)
    assert client.get(f"/v1/indicatoren/{CODE}", headers=org["headers"]).json()["naam"] == "Eerste"
