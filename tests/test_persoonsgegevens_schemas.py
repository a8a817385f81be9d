"""Every string a client can write passes the personal-data guard: a walk over every write schema.

Each field must refuse a BSN, e-mail address, phone number, IBAN and postcode with house number.

The walk reads the request bodies from the OpenAPI document, so a new resource or field is covered
without touching this test. A field is guarded when the schema itself refuses a BSN in it: as the
whole value (`111222333`, an id that is a BSN) and, except in identifiers, inside a text
(`Fatima 111222333`). Enums, dates and uuids refuse such values by their type and are skipped.
"""

import importlib
import pkgutil
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

import app
from app.core.errors import validation_params
from app.core.schemas import schemafouten
from app.main import create_app

BSN = "111222333"
IN_TEKST = "Fatima 111-222-333"
# The other kinds (issue 22: names and ids were checked for a BSN only), whole and inside a text.
ANDERE = ["0612345678", "fatima@example.nl", "NL91ABNA0417164300", "3511AB 12"]
ANDERE_IN_TEKST = ["Fatima (06) 12345678", "Fatima at example dot nl", "Fatima NL91 ABNA 0417 1643 00", "Fatima 3511 AB, nr 12"]
# Identifiers from partner apps: a BSN-like run inside a longer id is allowed (see IdZonderBsn).
IDENTIFIERS = {"externId"}
# `decimal`: an amount of money as a string ("12.34", app.core.geld), digits and a point only.
OVERGESLAGEN_FORMATEN = {"date", "date-time", "uuid", "binary", "decimal"}
# The reference of an erasure request refuses a BSN only: a reference registered before the wider guard
# (with a phone number in it, say) must still be erasable. It is looked up, never stored.
ALLEEN_BSN = {("VergeetVerzoek", ("inwonerReferentie",))}


def _schema_klassen() -> dict[str, type[BaseModel]]:
    klassen: dict[str, type[BaseModel]] = {}
    for module in pkgutil.walk_packages(app.__path__, "app."):
        if module.name.endswith(".schemas"):
            for waarde in vars(importlib.import_module(module.name)).values():
                if isinstance(waarde, type) and issubclass(waarde, BaseModel):
                    klassen.setdefault(waarde.__name__, waarde)
    return klassen


def _soorten(schema: dict[str, Any]) -> set[str]:
    soort = schema.get("type", [])
    return set(soort if isinstance(soort, list) else [soort])


def _tekstvelden(schemas: dict[str, Any], schema: dict[str, Any], pad: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
    """The paths of every free string below `schema` (`[0]` for an array item)."""
    if "$ref" in schema:
        schema = schemas[schema["$ref"].rsplit("/", 1)[-1]]
    for deel in schema.get("anyOf", []) + schema.get("oneOf", []) + schema.get("allOf", []):
        yield from _tekstvelden(schemas, deel, pad)
    for naam, eigenschap in schema.get("properties", {}).items():
        yield from _tekstvelden(schemas, eigenschap, (*pad, naam))
    if "array" in _soorten(schema):
        yield from _tekstvelden(schemas, schema.get("items", {}), (*pad, 0))
    if "string" in _soorten(schema) and "enum" not in schema and schema.get("format") not in OVERGESLAGEN_FORMATEN:
        yield pad


def _schrijfvelden() -> list[tuple[str, tuple[Any, ...]]]:
    document = create_app().openapi()
    schemas = document["components"]["schemas"]
    velden: set[tuple[str, tuple[Any, ...]]] = set()
    for operaties in document["paths"].values():
        for methode, operatie in operaties.items():
            if methode not in ("post", "put", "patch"):
                continue
            inhoud = operatie.get("requestBody", {}).get("content", {}).get("application/json")
            if inhoud and "$ref" in inhoud["schema"]:
                naam = inhoud["schema"]["$ref"].rsplit("/", 1)[-1]
                velden.update((naam, pad) for pad in _tekstvelden(schemas, inhoud["schema"], ()) if pad)
    return sorted(velden, key=str)


def _met_waarde(pad: tuple[Any, ...], waarde: Any) -> Any:
    for deel in reversed(pad):
        waarde = [waarde] if deel == 0 else {deel: waarde}
    return waarde


def _naam(pad: tuple[Any, ...]) -> str:
    return "".join(f"[{d}]" if isinstance(d, int) else (f".{d}" if i else d) for i, d in enumerate(pad))


def _fouten(klasse: type[BaseModel], data: Any) -> dict[str, str]:
    try:
        body = klasse.model_validate(data)
    except ValidationError as exc:
        return {p["name"]: p["reason"] for p in validation_params(exc.errors())}
    return {p["name"]: p["reason"] for p in schemafouten(body)}


SCHRIJFVELDEN = _schrijfvelden()
KLASSEN = _schema_klassen()


def test_the_walk_finds_the_write_schemas() -> None:
    schemas = {naam for naam, _ in SCHRIJFVELDEN}
    assert {"ContactmomentCreate", "SleutelpersoonCreate", "KetenpartnerCreate", "OrganisatieCreate",
            "SignaalCreate", "ErvaringsverhaalCreate", "CodeCreate", "DoelCreate", "UitkomstCreate"} <= schemas
    assert ("ContactmomentCreate", ("doorverwijzingen", 0, "wijze")) in SCHRIJFVELDEN
    assert len(SCHRIJFVELDEN) > 40


@pytest.mark.parametrize(("schema", "pad"), SCHRIJFVELDEN, ids=[f"{s}.{_naam(p)}" for s, p in SCHRIJFVELDEN])
def test_every_written_string_refuses_personal_data(schema: str, pad: tuple[Any, ...]) -> None:
    klasse = KLASSEN[schema]
    # A list of strings is checked as one field: the error may name the list rather than its item.
    namen = {_naam(pad), _naam(pad[:-1]) if pad[-1] == 0 else _naam(pad)}
    if (schema, pad) in ALLEEN_BSN:
        waarden = [BSN, IN_TEKST]
    elif pad[-1] in IDENTIFIERS:
        waarden = [BSN, *ANDERE]
    else:
        waarden = [BSN, IN_TEKST, *ANDERE, *ANDERE_IN_TEKST]
    for waarde in waarden:
        fouten = _fouten(klasse, _met_waarde(pad, waarde))
        assert namen & set(fouten), f"{schema}.{_naam(pad)} accepts {waarde!r}"
