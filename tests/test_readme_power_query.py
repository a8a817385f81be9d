"""The README's Power Query example, sent as Power Query sends it and read as Power Query reads it.

There is no Power Query engine here, so the test reads the query from the README (the `powerquery` block)
with a reader for exactly the constructs it uses: `Web.Contents(address, [RelativePath, Query, Headers])`,
`Csv.Document` with `Delimiter` and `Encoding`, and `Table.TransformColumnTypes` with a culture. It sends that
request to the app and parses the answer the way those steps do: the bytes decoded as the code page says
(the BOM left in, as a pessimist would), split on the delimiter with CSV quoting, the first row promoted to
headers, and each typed column converted under the culture. If the README's path, parameters, header or
column names drift from what the service answers, this fails.
"""

import csv
import io
import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.validation import vandaag
from tests.factories import make_contactmoment, make_key, make_omgeving

ROOT = Path(__file__).resolve().parent.parent


def _query() -> str:
    tekst = (ROOT / "README.md").read_text(encoding="utf-8")
    blok = re.search(r"```powerquery\n(.*?)```", tekst, re.DOTALL)
    assert blok, "README.md has no ```powerquery block"
    return blok.group(1)


def _record(tekst: str) -> dict[str, str]:
    return dict(re.findall(r'(\w+)\s*=\s*"([^"]*)"', tekst))


def _lees(m: str) -> dict[str, Any]:
    sleutelvariabele, _ = re.search(r'(\w+)\s*=\s*"(smk_[^"]*)"', m).groups()  # type: ignore[union-attr]
    web = re.search(r'Web\.Contents\(\s*"([^"]+)"\s*,\s*\[(.*?)\]\s*\)\s*,\s*\n', m, re.DOTALL)
    assert web, "Web.Contents(address, [options]) not found"
    opties = web.group(2)
    pad = re.search(r'RelativePath\s*=\s*"([^"]+)"', opties)
    query = re.search(r"Query\s*=\s*\[([^\]]*)\]", opties)
    headers = re.search(r"Headers\s*=\s*\[([^\]]*)\]", opties)
    assert pad and query and headers
    header = re.fullmatch(r'\s*(\w+)\s*=\s*"([^"]*)"\s*&\s*(\w+)\s*', headers.group(1))
    assert header, f"unexpected Headers record: {headers.group(1)}"
    assert header.group(3) == sleutelvariabele, "the header must carry the key variable"
    csv_opties = re.search(r"Csv\.Document\(\w+,\s*\[(.*?)\]\)", m, re.DOTALL)
    assert csv_opties
    delimiter = re.search(r'Delimiter\s*=\s*"(.)"', csv_opties.group(1))
    encoding = re.search(r"Encoding\s*=\s*(\d+)", csv_opties.group(1))
    assert delimiter and encoding
    typen = re.search(r'Table\.TransformColumnTypes\(\s*\w+,\s*\{(.*)\}\s*,\s*"([\w-]+)"\)', m, re.DOTALL)
    assert typen
    return {
        "adres": web.group(1),
        "pad": pad.group(1),
        "query": _record(query.group(1)),
        "header": (header.group(1), header.group(2)),
        "delimiter": delimiter.group(1),
        "encoding": {65001: "utf-8", 1252: "cp1252"}[int(encoding.group(1))],
        "typen": re.findall(r'\{"([^"]+)",\s*type (\w+)\}', typen.group(1)),
        "cultuur": typen.group(2),
    }


def _als(waarde: str, soort: str, cultuur: str) -> Any:
    assert cultuur == "nl-NL"
    if soort == "date":
        return date.fromisoformat(waarde)
    if soort == "number":
        return Decimal(waarde.replace(".", "").replace(",", "."))
    raise AssertionError(f"type {soort} is not read by this test")


def _voer_uit(app: Any, session: Session, m: str) -> tuple[list[dict[str, Any]], dict[str, Any], date]:
    """Send the query's request and read the answer as Power Query would; also the same values as JSON."""
    query = _lees(m)
    assert query["adres"] == "http://127.0.0.1:8000", "the address `make run` serves"
    assert query["header"] == ("Authorization", "Bearer ")

    omgeving = make_omgeving(session, gemeentecodes=["GM0344"])
    dag = vandaag().replace(day=1) - timedelta(days=20)  # in the last 12 full months
    for _ in range(3):
        make_contactmoment(session, omgeving.organisatie, omgeving.sleutelpersoon, datum=dag, gemeentecode="GM0344")
    session.commit()
    sleutel = make_key(session, organisatie=omgeving.organisatie, scopes=("rapporteren",))["Authorization"]
    client = TestClient(app, base_url=query["adres"])

    antwoord = client.get("/" + query["pad"], params=query["query"],
                          headers={query["header"][0]: sleutel})
    assert antwoord.status_code == 200, antwoord.text
    rijen = list(csv.reader(io.StringIO(antwoord.content.decode(query["encoding"]), newline=""),
                            delimiter=query["delimiter"], quotechar='"'))
    koppen, *data = rijen
    assert data, "the query gave no rows"
    for kolom, _ in query["typen"]:
        assert kolom in koppen, f"column {kolom!r} is not in the answer: {koppen}"
    tabel = [dict(zip(koppen, rij, strict=True)) for rij in data]
    getypeerd = [{**rij, **{k: _als(rij[k], soort, query["cultuur"]) for k, soort in query["typen"]}} for rij in tabel]

    # The same values as JSON: the path without `.csv` (API 0.3), without the deprecated `formaat`.
    json_antwoord = client.get("/" + query["pad"].removesuffix(".csv"),
                               params={k: v for k, v in query["query"].items() if k != "formaat"},
                               headers={"Authorization": sleutel})
    assert json_antwoord.status_code == 200
    return getypeerd, json_antwoord.json(), dag


def test_the_readme_power_query_reads_the_indicator_as_a_typed_table(app: Any, session: Session) -> None:
    getypeerd, als_json, dag = _voer_uit(app, session, _query())
    assert [rij["waarde"] for rij in getypeerd] == [Decimal(3)]
    assert [Decimal(str(w["waarde"])) for w in als_json["rijen"]] == [Decimal(3)]
    assert getypeerd[0]["gemeente"] == "GM0344"
    assert getypeerd[0]["vanaf"] <= dag <= getypeerd[0]["tot"]


def test_a_column_the_service_does_not_send_fails(app: Any, session: Session) -> None:
    m = _query().replace('{"waarde", type number}', '{"Waarde", type number}')
    with pytest.raises(AssertionError, match="Waarde"):
        _voer_uit(app, session, m)
