"""List filters are named as the fields they filter; old names work with Deprecation/Sunset/Link (issue 28)."""

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.filternamen import DEPRECATION, LINK, SUNSET_HEADER
from tests.factories import Omgeving, make_contactmoment, make_sleutelpersoon
from tests.helpers import assert_400

# Query parameters that are not filters on a field, each with the reason it may have another name.
TOEGESTAAN: dict[str, str] = {
    "page": "pagination",
    "pageSize": "pagination",
    "sort": "the sort order (a StrEnum of fields)",
    "gewijzigdSinds": "sync: changed on or after a moment (the fields `aangemaaktOp`/`gewijzigdOp` together)",
    "zoek": "free-text search over several fields",
    "periode": "a period key (2025, 2025Q1, laatste-12-maanden): the dates of the item within the period",
    "formaat": "the format of the answer",
}
# (path, parameter) pairs that filter something other than a field of the item, each with its reason.
TOEGESTAAN_PER_PAD: dict[tuple[str, str], str] = {
    ("/doorverwijzingen", "sleutelpersoonId"): "the `sleutelpersoonId` of the referral's contactmoment",
    ("/doorverwijzingen", "datumVanaf"): "the `datum` of the referral's contactmoment",
    ("/doorverwijzingen", "datumTot"): "the `datum` of the referral's contactmoment",
    ("/doorverwijzingen", "open"): "derived from `status`: without a final status",
    ("/onderwerpen", "hoofdonderwerp"): "a topic and its subtopics: its `code` or its `ouder`",
    ("/projecten", "lopendOp"): "derived: `vanaf` <= date <= `tot`",
    ("/doelstellingen", "datumVanaf"): "overlap with the goal's `vanaf`..`tot`",
    ("/doelstellingen", "datumTot"): "overlap with the goal's `vanaf`..`tot`",
    ("/indicatoren/{code}/versies", "organisatie"): "chooses whose indicator (a regional key), not a filter of versions",
    ("/rapportageritmes/{ritmeId}/periodes", "organisatieId"): "the `id` of the embedded `organisatie`",
    ("/sso-aanmeldingen", "sub"): "the IdP's `sub` as the administrator knows it; the service hashes it into `onderwerp`",
}


def _schema(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = document["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _velden(document: dict[str, Any], item: dict[str, Any]) -> set[str]:
    """The item's field names, those of objects embedded one level down too (`financier.gemeentecode`)."""
    velden: set[str] = set()
    for naam, veld in _schema(document, item).get("properties", {}).items():
        velden.add(naam)
        for variant in [veld, *veld.get("anyOf", []), *veld.get("oneOf", [])]:
            velden |= set(_schema(document, variant).get("properties", {}))
    return velden


def _bereik(naam: str, velden: set[str]) -> bool:
    """`datumVanaf`/`datumTot`: a range over the field `datum`."""
    for achtervoegsel in ("Vanaf", "Tot"):
        if naam.endswith(achtervoegsel) and naam.removesuffix(achtervoegsel) in velden:
            return True
    return False


def lijst_operaties(document: dict[str, Any]) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """Every GET whose JSON 200 is an array of items: (path, operation, item schema)."""
    gevonden = []
    for pad, operaties in document["paths"].items():
        operatie = operaties.get("get")
        inhoud = (operatie or {}).get("responses", {}).get("200", {}).get("content", {}).get("application/json")
        if not inhoud:
            continue
        schema = _schema(document, inhoud["schema"])
        if schema.get("type") == "array":
            gevonden.append((pad, operatie, schema["items"]))
    return gevonden


def test_elk_filter_heet_als_een_veld(client: TestClient) -> None:
    document = client.get("/v1/openapi.json").json()
    operaties = lijst_operaties(document)
    assert len(operaties) > 30  # the walk finds the lists
    fout = []
    for pad, operatie, item in operaties:
        velden = _velden(document, item)
        for parameter in operatie.get("parameters", []):
            naam = parameter["name"]
            if parameter["in"] != "query" or parameter.get("deprecated"):
                continue
            if naam in velden or naam in TOEGESTAAN or (pad, naam) in TOEGESTAAN_PER_PAD or _bereik(naam, velden):
                continue
            fout.append(f"{pad}?{naam}")
    assert not fout, f"filters not named as a field of their item: {fout}"


def test_elke_oude_naam_is_verouderd_en_noemt_de_nieuwe(client: TestClient) -> None:
    document = client.get("/v1/openapi.json").json()
    verouderd = [(pad, p) for pad, o, _ in lijst_operaties(document) for p in o.get("parameters", []) if p.get("deprecated")]
    assert len(verouderd) >= 30
    for pad, parameter in verouderd:
        namen = {p["name"] for p in document["paths"][pad]["get"]["parameters"]}
        nieuw = parameter["description"].split("`")[1]
        assert nieuw in namen and nieuw != parameter["name"], (pad, parameter["name"])


@pytest.fixture
def contacten(session: Session, omgeving: Omgeving) -> dict[str, Any]:
    ander = make_sleutelpersoon(session, omgeving.organisatie)
    make_contactmoment(session, omgeving.organisatie, omgeving.sleutelpersoon, datum=date(2026, 3, 2),
                       gemeentecode="GM0344", onderwerpen=("geld.toeslagen",))
    make_contactmoment(session, omgeving.organisatie, ander, datum=date(2026, 3, 3), gemeentecode="GM0307",
                       onderwerpen=("zorg.huisarts",))
    session.commit()
    return {"headers": omgeving.headers, "persoon": omgeving.sleutelpersoon}


def _ids(antwoord: Any) -> list[str]:
    assert antwoord.status_code == 200, antwoord.text
    return [c["id"] for c in antwoord.json()]


@pytest.mark.parametrize(("oud", "nieuw", "waarde"), [
    ("gemeente", "gemeentecode", "GM0344"),
    ("onderwerp", "onderwerpen", "geld"),
    ("sleutelpersoon", "sleutelpersoonId", None),
])
def test_oude_naam_werkt_met_deprecation_sunset_en_link(client: TestClient, contacten: dict[str, Any],
                                                       oud: str, nieuw: str, waarde: str | None) -> None:
    waarde = waarde or str(contacten["persoon"].id)
    headers = contacten["headers"]
    met_nieuw = client.get("/v1/contactmomenten", params={nieuw: waarde}, headers=headers)
    met_oud = client.get("/v1/contactmomenten", params={oud: waarde}, headers=headers)
    assert _ids(met_oud) == _ids(met_nieuw) and len(_ids(met_nieuw)) == 1
    assert "deprecation" not in met_nieuw.headers and "sunset" not in met_nieuw.headers
    assert met_oud.headers["deprecation"] == DEPRECATION
    assert met_oud.headers["deprecation"].startswith("@") and met_oud.headers["deprecation"][1:].isdigit()
    assert met_oud.headers["sunset"] == SUNSET_HEADER and SUNSET_HEADER.endswith(" GMT")
    assert LINK in met_oud.headers["link"] and 'rel="deprecation"' in LINK  # next to the page links
    # Both names with the same value is allowed; with different values, a 400 that names the old one.
    beide = client.get("/v1/contactmomenten", params={oud: waarde, nieuw: waarde}, headers=headers)
    assert _ids(beide) == _ids(met_nieuw)
    anders = {"gemeente": "GM0307", "onderwerp": "zorg", "sleutelpersoon": "7d9f1c2b-3a4e-4f5d-8e6c-1b2a3c4d5e6f"}[oud]
    reden = assert_400(client.get("/v1/contactmomenten", params={oud: anders, nieuw: waarde}, headers=headers), [oud])
    assert nieuw in reden[oud]


def test_oude_naam_ook_bij_head_en_304(client: TestClient, contacten: dict[str, Any]) -> None:
    headers = contacten["headers"]
    eerste = client.get("/v1/contactmomenten", params={"gemeente": "GM0344"}, headers=headers)
    opnieuw = client.get("/v1/contactmomenten", params={"gemeente": "GM0344"},
                         headers={**headers, "If-None-Match": eerste.headers["etag"]})
    assert opnieuw.status_code == 304 and opnieuw.headers["deprecation"] == DEPRECATION
    head = client.head("/v1/contactmomenten", params={"gemeente": "GM0344"}, headers=headers)
    assert head.status_code == 200 and head.headers["sunset"] == SUNSET_HEADER


def test_een_fout_noemt_de_naam_die_de_client_stuurde(client: TestClient, contacten: dict[str, Any]) -> None:
    headers = contacten["headers"]
    assert_400(client.get("/v1/contactmomenten", params={"onderwerp": "bestaat.niet"}, headers=headers), ["onderwerp"])
    assert_400(client.get("/v1/contactmomenten", params={"onderwerpen": "bestaat.niet"}, headers=headers), ["onderwerpen"])
    fout = client.get("/v1/contactmomenten", params={"onderwerp": "bestaat.niet", "kanaal": "duif"}, headers=headers)
    assert_400(fout, ["onderwerp", "kanaal"])
    assert fout.headers["deprecation"] == DEPRECATION
