"""Typed 409 problems (issue 28): one schema per kind, each operation's 409 a `oneOf` of the kinds it can raise,
and every example in the document valid against its schema with the status of its response."""

import ast
import json
import uuid
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.conflicten import CONFLICTEN
from app.core.errors import CONFLICT_SCHEMAS, VersieProblem
from app.core.problemen import SOORTEN
from tests.conflictwaarneming import WAARNEMINGEN, Waarneming, ongedocumenteerd
from tests.factories import Omgeving, body, make_key

ROOT = Path(__file__).resolve().parent.parent
DOC: dict[str, Any] = json.loads((ROOT / "openapi" / "openapi.json").read_text(encoding="utf-8"))
OPERATIES = {op["operationId"]: (method, path, op) for path, item in DOC["paths"].items() for method, op in item.items()}


def _valideer(waarde: Any, schema: dict[str, Any]) -> list[str]:
    """The errors of a value against a schema of the document (its `$ref`s resolved in the document)."""
    validator = jsonschema_rs.Draft202012Validator({**schema, "components": DOC["components"]})
    return [str(fout) for fout in validator.iter_errors(waarde)]


def _voorbeelden(media: dict[str, Any]) -> list[Any]:
    if "example" in media:
        return [media["example"]]
    waarden = []
    for voorbeeld in media.get("examples", {}).values():
        if "$ref" in voorbeeld:
            voorbeeld = DOC["components"]["examples"][voorbeeld["$ref"].rsplit("/", 1)[-1]]
        waarden.append(voorbeeld["value"])
    return waarden


def test_every_example_validates_against_its_schema_and_has_the_status_of_its_response() -> None:
    fouten: list[str] = []
    for naam, schema in DOC["components"]["schemas"].items():
        for voorbeeld in schema.get("examples", []):
            fouten += [f"{naam}: {f}" for f in _valideer(voorbeeld, {"$ref": f"#/components/schemas/{naam}"})]
        for veld, eigenschap in schema.get("properties", {}).items():
            for voorbeeld in eigenschap.get("examples", []):
                fouten += [f"{naam}.{veld}: {f}" for f in _valideer(voorbeeld, eigenschap)]
    aantal = 0
    for path, item in DOC["paths"].items():
        for method, op in item.items():
            for parameter in op.get("parameters", []):
                if "example" in parameter:
                    fouten += [f"{method} {path} {parameter['name']}: {f}"
                               for f in _valideer(parameter["example"], parameter["schema"])]
            for status, response in op["responses"].items():
                for soort, media in response.get("content", {}).items():
                    for voorbeeld in _voorbeelden(media):
                        aantal += 1
                        plaats = f"{method} {path} {status} {soort}"
                        fouten += [f"{plaats}: {f}" for f in _valideer(voorbeeld, media.get("schema", {}))]
                        if soort == "application/problem+json" and voorbeeld.get("status") != int(status):
                            fouten.append(f"{plaats}: example with status {voorbeeld.get('status')}")
                    if soort == "application/problem+json":  # and the examples inside the schemas it names
                        schema = media["schema"]
                        for ref in schema.get("oneOf", [schema]):
                            onderdeel = DOC["components"]["schemas"][ref["$ref"].rsplit("/", 1)[-1]]
                            statussen = [v["status"] for v in onderdeel.get("examples", [])]
                            statussen += onderdeel["properties"]["status"].get("examples", [])
                            if any(s != int(status) for s in statussen):
                                fouten.append(f"{method} {path} {status}: {ref['$ref']} has an example with status {statussen}")
    assert not fouten, "\n".join(fouten[:30])
    assert aantal > 1000  # every problem response of every operation has its examples


def test_a_409_is_a_one_of_its_kinds_with_code_as_discriminator() -> None:
    doorverwijzing = OPERATIES["updateDoorverwijzing"][2]["responses"]["409"]["content"]["application/problem+json"]
    assert doorverwijzing["schema"] == {
        "oneOf": [{"$ref": "#/components/schemas/StatusovergangProblem"},
                  {"$ref": "#/components/schemas/PeriodeGoedgekeurdProblem"}],
        "discriminator": {"propertyName": "code", "mapping": {
            "statusovergang": "#/components/schemas/StatusovergangProblem",
            "periode-goedgekeurd": "#/components/schemas/PeriodeGoedgekeurdProblem"}},
    }
    schemas = DOC["components"]["schemas"]
    overgang = schemas["StatusovergangProblem"]
    assert overgang["properties"]["code"]["const"] == "statusovergang"
    assert overgang["properties"]["status"]["const"] == 409
    assert {"huidigeStatus", "toegestaneStatussen"} <= set(overgang["required"])
    assert "invalidParams" not in overgang["properties"]  # each kind has exactly its own members
    assert "bestaandId" not in overgang["properties"]
    assert schemas["VersieProblem"]["properties"]["code"]["const"] == "versie-verouderd"
    assert schemas["VersieProblem"]["properties"]["status"]["const"] == 412
    # Every POST can clash on its Idempotency-Key; a POST that cannot clash otherwise has just those two kinds.
    organisatie = OPERATIES["createOrganisatie"][2]["responses"]["409"]["content"]["application/problem+json"]
    assert set(organisatie["schema"]["discriminator"]["mapping"]) == {
        "idempotency-key-hergebruikt", "idempotency-key-in-behandeling"}
    # An operation that cannot clash documents no 409.
    assert "409" not in OPERATIES["updateSleutelpersoon"][2]["responses"]


def test_the_map_names_real_operations_and_every_kind_of_409() -> None:
    kinds_409 = {code for code, soort in SOORTEN.items() if soort.status == 409}
    assert set(CONFLICT_SCHEMAS) == kinds_409
    assert set(CONFLICTEN) <= set(OPERATIES), set(CONFLICTEN) - set(OPERATIES)
    genoemd = {code for soorten in CONFLICTEN.values() for code in soorten}
    assert genoemd <= kinds_409
    assert kinds_409 - genoemd == {"idempotency-key-hergebruikt", "idempotency-key-in-behandeling"}
    for op_id, (_method, _path, op) in OPERATIES.items():
        if "409" in op["responses"]:
            schema = op["responses"]["409"]["content"]["application/problem+json"]["schema"]
            refs = {r["$ref"].rsplit("/", 1)[-1] for r in schema.get("oneOf", [schema])}
            assert refs == {CONFLICT_SCHEMAS[c].__name__ for c in CONFLICTEN.get(op_id, ())} | (
                {"IdempotencyKeyHergebruiktProblem", "IdempotencyKeyInBehandelingProblem"}
                if _method == "post" and "_vergeet" not in _path else set()), op_id


def _raises() -> list[tuple[str, str, set[str]]]:
    """(place, code, members) of every 409/412 the source raises with `Conflict(...)`, read from its syntax tree."""
    gevonden = []
    for bestand in (ROOT / "app").rglob("*.py"):
        boom = ast.parse(bestand.read_text(encoding="utf-8"))
        constanten = {d.targets[0].id: d.value.value for d in boom.body if isinstance(d, ast.Assign)
                      and isinstance(d.targets[0], ast.Name) and isinstance(d.value, ast.Constant)}
        for knoop in ast.walk(boom):
            if not isinstance(knoop, ast.Call):
                continue
            naam = getattr(knoop.func, "id", None) or getattr(knoop.func, "attr", None)
            is_super = naam == "__init__" and bestand.name == "slot.py"  # PeriodeGoedgekeurd(Conflict)
            if naam not in ("Conflict", "VersieVerouderd") and not is_super:
                continue
            argumenten = {k.arg: k.value for k in knoop.keywords}
            code = {"Conflict": "conflict", "VersieVerouderd": "versie-verouderd"}.get(naam or "", "")
            if isinstance(argumenten.get("code"), ast.Constant):
                code = argumenten["code"].value  # type: ignore[attr-defined]
            elif isinstance(argumenten.get("code"), ast.Name):
                code = constanten[argumenten["code"].id]  # type: ignore[attr-defined]
            leden: set[str] = set()
            for dict_knoop in ast.walk(argumenten["extra"]) if "extra" in argumenten else ():
                if isinstance(dict_knoop, ast.Dict):
                    leden |= {k.value for k in dict_knoop.keys if isinstance(k, ast.Constant)}
            gevonden.append((f"{bestand.relative_to(ROOT)}:{knoop.lineno}", code, leden))
    return gevonden


def test_every_raise_carries_only_members_of_its_kinds_schema() -> None:
    raises = _raises()
    assert len(raises) > 20
    schemas = {**{c: m.model_json_schema() for c, m in CONFLICT_SCHEMAS.items()},
               "versie-verouderd": VersieProblem.model_json_schema()}
    for plaats, code, leden in raises:
        assert code in schemas, (plaats, code)
        assert leden <= set(schemas[code]["properties"]), (plaats, code, leden - set(schemas[code]["properties"]))
        verplicht = set(schemas[code]["required"]) - {"type", "title", "status", "detail", "code"}
        assert verplicht <= leden, (plaats, code, verplicht - leden)
    assert {code for _, code, _ in raises} >= {"statusovergang", "externid-in-gebruik", "externid-andere-inhoud",
                                              "periode-goedgekeurd", "bestaat-al", "conflict"}


def _conflicten(client: TestClient, omgeving: Omgeving, session: Session) -> list[Any]:
    """One answer of several kinds of 409, each on an operation that declares it."""
    h = omgeving.headers
    antwoorden = []
    eerste = body(omgeving)
    contact = client.post("/v1/contactmomenten", json=eerste, headers=h)
    assert contact.status_code == 201, contact.text
    # externid-andere-inhoud: the same externId with other content.
    antwoorden.append(client.post("/v1/contactmomenten", json={**eerste, "duurMinuten": 50}, headers=h))
    # externid-in-gebruik: a PATCH that takes another record's externId.
    tweede = client.post("/v1/contactmomenten", json=body(omgeving), headers=h).json()
    antwoorden.append(client.patch(f"/v1/contactmomenten/{tweede['id']}", json={"externId": eerste["externId"]}, headers=h))
    # statusovergang: a referral back to a status before its own.
    verwijzing = contact.json()["doorverwijzingen"][0]["id"]
    assert client.patch(f"/v1/doorverwijzingen/{verwijzing}", json={"status": "aangekomen"}, headers=h).status_code == 200
    antwoorden.append(client.patch(f"/v1/doorverwijzingen/{verwijzing}", json={"status": "voorgesteld"}, headers=h))
    # bestaat-al: a code twice in a code list.
    beheer = make_key(session, beheer=True, scopes=("beheren",))
    code = {"code": f"kanaal-{uuid.uuid4().hex[:6]}", "label": "Tweemaal"}
    assert client.post("/v1/codelijsten/kanaal", json=code, headers=beheer).status_code == 201
    antwoorden.append(client.post("/v1/codelijsten/kanaal", json=code, headers=beheer))
    # idempotency-key-hergebruikt: one key, two bodies.
    sleutel = {**h, "Idempotency-Key": str(uuid.uuid4())}
    assert client.post("/v1/contactmomenten", json=body(omgeving), headers=sleutel).status_code == 201
    antwoorden.append(client.post("/v1/contactmomenten", json=body(omgeving), headers=sleutel))
    return antwoorden


def test_each_conflict_answers_with_a_kind_its_operation_documents(
    client: TestClient, omgeving: Omgeving, session: Session
) -> None:
    from app.main import create_app

    antwoorden = _conflicten(client, omgeving, session)
    codes = [a.json()["code"] for a in antwoorden]
    assert [a.status_code for a in antwoorden] == [409] * len(antwoorden)
    assert codes == ["externid-andere-inhoud", "externid-in-gebruik", "statusovergang", "bestaat-al",
                     "idempotency-key-hergebruikt"]
    for antwoord in antwoorden:  # each validates against its kind's schema, as a client reads it
        kind = CONFLICT_SCHEMAS[antwoord.json()["code"]].__name__
        assert not _valideer(antwoord.json(), {"$ref": f"#/components/schemas/{kind}"}), antwoord.json()
    gezien = {w for w in WAARNEMINGEN if w.status == 409 and w.code in codes}
    assert {w.code for w in gezien} == set(codes)  # the session-wide check saw them (tests/conflictwaarneming.py)
    doc = create_app().openapi()
    assert ongedocumenteerd(gezien, doc) == []
    # The check fails for a kind an operation does not declare, and for a status it leaves out.
    verzonnen = {Waarneming("POST", "/v1/codelijsten/kanaal", 409, "statusovergang"),
                 Waarneming("PATCH", f"/v1/sleutelpersonen/{uuid.uuid4()}", 409, "conflict"),
                 Waarneming("GET", "/v1/contactmomenten", 412, "versie-verouderd")}
    fouten = ongedocumenteerd(verzonnen, doc)
    assert len(fouten) == 3, fouten
    assert "createCode" in fouten[0] and "CONFLICTEN" in fouten[0]


@pytest.mark.parametrize("code", sorted(CONFLICT_SCHEMAS))
def test_each_kind_has_a_page_and_a_schema_with_its_title(client: TestClient, code: str) -> None:
    pagina = client.get(f"/v1/problemen/{code}").json()
    schema = DOC["components"]["schemas"][CONFLICT_SCHEMAS[code].__name__]
    assert schema["examples"][0]["title"] == pagina["title"]
    assert schema["examples"][0]["code"] == code
