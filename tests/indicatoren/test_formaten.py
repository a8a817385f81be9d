"""Indicator values as a Dutch analyst opens them: CSV on a double click in Dutch Excel, and the XLSX workbook."""

import csv
import io
import re
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
import pandas
from openpyxl import load_workbook
from sqlmodel import Session

from tests.factories import make_contactmoment, make_key, make_organisatie, make_sleutelpersoon
from tests.helpers import assert_400

URL = "/v1/indicatoren/percentage-opgelost/waarden"
PARAMS = {"vanaf": "2025-01-01", "tot": "2025-12-31", "groeperenOp": "sleutelpersoon"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def opgelost(session: Session) -> dict[str, Any]:
    """One key person named with accents, three outcomes of which two solved: 66.7 %."""
    organisatie = make_organisatie(session, gemeentecodes=["GM0344"])
    persoon = make_sleutelpersoon(session, organisatie, weergavenaam="Zoë Öztürk")
    for resultaat in ("opgelost", "opgelost", "niet-opgelost"):
        make_contactmoment(session, organisatie, persoon, uitkomst=resultaat, datum=date(2025, 3, 14))
    return {"headers": make_key(session, organisatie=organisatie, scopes=("rapporteren",)), "persoon": persoon}


def test_csv_opens_in_dutch_excel(client: TestClient, opgelost: dict[str, Any]) -> None:
    response = client.get(URL, params={**PARAMS, "formaat": "csv"}, headers=opgelost["headers"])
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith('attachment; filename="percentage-opgelost-')
    assert response.headers["content-disposition"].endswith('.csv"')
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    assert response.content.count(b"\r\n") == 2
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1
    assert rows[0]["sleutelpersoon (omschrijving)"] == "Zoë Öztürk"
    assert rows[0]["waarde"] == "66,7"
    assert (rows[0]["teller"], rows[0]["noemer"]) == ("2", "3")


def test_accept_text_csv_is_the_excel_variant_and_the_query_wins(client: TestClient, opgelost: dict[str, Any]) -> None:
    by_accept = client.get(URL, params=PARAMS, headers={**opgelost["headers"], "Accept": "text/csv"})
    by_query = client.get(URL, params={**PARAMS, "formaat": "csv"}, headers=opgelost["headers"])
    assert by_accept.content == by_query.content
    as_json = client.get(URL, params={**PARAMS, "formaat": "json"}, headers={**opgelost["headers"], "Accept": "text/csv"})
    assert as_json.json()["rijen"][0]["waarde"] == 66.7


def test_rfc4180_variant_for_tools(client: TestClient, opgelost: dict[str, Any]) -> None:
    response = client.get(URL, params={**PARAMS, "formaat": "csv-rfc4180"}, headers=opgelost["headers"])
    assert response.headers["content-type"] == "text/csv; charset=utf-8; header=present"
    assert not response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows[0]["waarde"] == "66.7"
    assert rows[0]["sleutelpersoon (omschrijving)"] == "Zoë Öztürk"


def test_pandas_reads_the_excel_csv_with_dutch_settings(client: TestClient, opgelost: dict[str, Any]) -> None:
    content = client.get(URL, params={**PARAMS, "formaat": "csv"}, headers=opgelost["headers"]).content
    frame = pandas.read_csv(io.BytesIO(content), sep=";", decimal=",", encoding="utf-8-sig")
    assert frame["waarde"].tolist() == [66.7]
    assert frame["sleutelpersoon (omschrijving)"].tolist() == ["Zoë Öztürk"]


def test_unknown_formaat_is_a_400(client: TestClient, opgelost: dict[str, Any]) -> None:
    assert_400(client.get(URL, params={**PARAMS, "formaat": "pdf"}, headers=opgelost["headers"]), ["formaat"])


def test_xlsx_for_analysts(client: TestClient, opgelost: dict[str, Any]) -> None:
    response = client.get(URL, params={**PARAMS, "formaat": "xlsx"}, headers=opgelost["headers"])
    assert response.headers["content-type"] == XLSX
    assert response.headers["content-disposition"].endswith('.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Percentage opgeloste vragen", "Toelichting"]
    data = workbook["Percentage opgeloste vragen"]
    header, row = list(data.iter_rows(values_only=True))
    assert header == ("periode", "vanaf", "tot", "sleutelpersoon", "sleutelpersoon (omschrijving)",
                      "waarde", "teller", "noemer", "onderdrukt")
    assert row[4] == "Zoë Öztürk"
    waarde = data.cell(row=2, column=6)
    assert waarde.value == 66.7  # the percent scale of JSON and CSV (issue 28), shown as a percent
    assert toont_als_procent(waarde.number_format)
    (table,) = data.tables.values()
    assert table.ref == "A1:I2"  # an Excel table, so every column has its filter
    toelichting = dict(workbook["Toelichting"].iter_rows(values_only=True))
    assert toelichting["Indicator"] == "percentage-opgelost Percentage opgeloste vragen"
    assert toelichting["Definitie"].startswith("Uitkomsten opgelost")
    assert toelichting["Periode"].startswith("2025-01-01")
    assert toelichting["Gegroepeerd op"] == "sleutelpersoon"
    assert toelichting["Bescherming"].startswith("Geen: exacte aantallen")
    assert toelichting["Gemaakt op"].endswith("UTC")


def toont_als_procent(opmaak: str) -> bool:
    """True when an Excel number format shows the stored number itself followed by a percent sign.

    A bare `%` in a format multiplies by 100 (0.778 shows as 77.8 %); a quoted `"%"` is a literal sign, so
    77.8 shows as 77.8%. The format must have the literal and no bare one."""
    letterlijk = re.findall(r'"([^"]*)"', opmaak)
    zonder_letterlijk = re.sub(r'"[^"]*"', "", opmaak).replace("\\%", "")
    return any("%" in deel for deel in letterlijk) and "%" not in zonder_letterlijk and "0" in zonder_letterlijk


def test_toont_als_procent_tells_the_scales_apart() -> None:
    assert toont_als_procent('0.0"%"') and toont_als_procent('0.0" %"')
    assert not toont_als_procent("0.0%") and not toont_als_procent("0.0") and not toont_als_procent("General")


def test_one_percentage_scale_in_json_csv_and_xlsx(client: TestClient, opgelost: dict[str, Any]) -> None:
    """The same percentage is the same number in every format: 66.7 means 66.7 %, never 0.667 (issue 28)."""
    headers = opgelost["headers"]
    as_json = client.get(URL, params=PARAMS, headers=headers).json()["rijen"][0]["waarde"]
    excel = client.get(URL, params={**PARAMS, "formaat": "csv"}, headers=headers).content.decode("utf-8-sig")
    excel_csv = next(csv.DictReader(io.StringIO(excel), delimiter=";"))["waarde"]
    rfc = client.get(URL, params={**PARAMS, "formaat": "csv-rfc4180"}, headers=headers).text
    rfc_csv = next(csv.DictReader(io.StringIO(rfc)))["waarde"]
    werkmap = load_workbook(io.BytesIO(client.get(URL, params={**PARAMS, "formaat": "xlsx"}, headers=headers).content))
    blad = werkmap.worksheets[0]
    kolom = [c.value for c in blad[1]].index("waarde") + 1
    cel = blad.cell(row=2, column=kolom)
    assert as_json == float(excel_csv.replace(",", ".")) == float(rfc_csv) == cel.value == 66.7
    assert toont_als_procent(cel.number_format), cel.number_format


def test_the_document_states_the_percentage_scale(client: TestClient) -> None:
    schemas = client.get("/v1/openapi.json").json()["components"]["schemas"]
    for veld in ("waarde", "realisatie"):
        assert "0-100" in schemas["IndicatorRij"]["properties"][veld]["description"], veld


def test_gemeente_labels_are_cbs_names(client: TestClient, opgelost: dict[str, Any]) -> None:
    params = {**PARAMS, "groeperenOp": "gemeente"}
    rij = client.get(URL, params=params, headers=opgelost["headers"]).json()["rijen"][0]
    assert rij["gemeente"] == {"code": "GM0344", "label": "Utrecht"}
    content = client.get(URL, params={**params, "formaat": "xlsx"}, headers=opgelost["headers"]).content
    header, row = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert dict(zip(header, row, strict=True))["gemeente (omschrijving)"] == "Utrecht"


def test_gemeente_code_list_is_the_cbs_list(session: Session) -> None:
    from app.codelijsten import service as codelijsten

    gemeenten = codelijsten.labels(session, lijst=codelijsten.GEMEENTE)
    assert len(gemeenten) == 342
    assert gemeenten["GM0518"] == "'s-Gravenhage"
    assert gemeenten["GM1900"] == "Súdwest-Fryslân"
    assert gemeenten["GM1992"] == "Voorne aan Zee"  # formed 1 January 2023
    assert all(code.startswith("GM") and len(code) == 6 for code in gemeenten)


def test_empty_dimension_value_is_labelled(client: TestClient, session: Session) -> None:
    organisatie = make_organisatie(session, gemeentecodes=["GM0344"])
    persoon = make_sleutelpersoon(session, organisatie)
    make_contactmoment(session, organisatie, persoon, datum=date(2025, 3, 14))  # no leeftijdscategorie
    headers = make_key(session, organisatie=organisatie, scopes=("rapporteren",))
    rijen = client.get("/v1/indicatoren/aantal-contactmomenten/waarden",
                       params={**PARAMS, "groeperenOp": "leeftijdscategorie"}, headers=headers).json()["rijen"]
    assert rijen[0]["leeftijdscategorie"] == {"code": None, "label": "(niet ingevuld)"}


def test_each_file_format_has_its_own_operation(client: TestClient, opgelost: dict[str, Any]) -> None:
    """Issue 28: one operation per format, so a generated client types CSV as text and XLSX as bytes; the old
    `formaat=` answers the same bytes, marked deprecated with a link to its successor."""
    headers = opgelost["headers"]
    for formaat, pad in (("csv", ".csv"), ("csv-rfc4180", ".csv"), ("xlsx", ".xlsx")):
        nieuw = client.get(URL + pad, params={**PARAMS, **({} if formaat == "xlsx" else {"formaat": formaat})},
                           headers=headers)
        oud = client.get(URL, params={**PARAMS, "formaat": formaat}, headers=headers)
        assert nieuw.status_code == oud.status_code == 200, nieuw.text
        assert nieuw.headers["content-type"] == oud.headers["content-type"]
        assert "Deprecation" not in nieuw.headers and oud.headers["Deprecation"].startswith("@")
        opvolger = oud.headers["Link"].split(";")[0].strip("<>")
        assert opvolger.startswith(URL + pad + "?") and ("formaat=csv-rfc4180" in opvolger) == (formaat == "csv-rfc4180")
        via_link = client.get(opvolger, headers=headers)
        if formaat == "xlsx":  # a workbook records when it was made; compare its table
            assert pandas.read_excel(io.BytesIO(nieuw.content)).equals(pandas.read_excel(io.BytesIO(oud.content)))
            assert via_link.headers["content-type"] == XLSX
        else:
            assert nieuw.content == oud.content == via_link.content
    zonder = client.get(URL + ".csv", params=PARAMS, headers=headers)
    assert zonder.content.startswith(b"\xef\xbb\xbf")  # the Excel variant by default
    accept = client.get(URL, params=PARAMS, headers={**headers, "Accept": "text/csv"})
    assert accept.content == zonder.content and accept.headers["Deprecation"].startswith("@")
    assert "Deprecation" not in client.get(URL, params=PARAMS, headers=headers).headers


def test_document_gives_json_csv_and_xlsx_each_one_media_type() -> None:
    from app.main import create_app

    paden = create_app().openapi()["paths"]
    json_op = paden["/indicatoren/{code}/waarden"]["get"]
    assert list(json_op["responses"]["200"]["content"]) == ["application/json"]
    assert "formaat" not in {p["name"] for p in json_op["parameters"]}
    assert list(paden["/indicatoren/{code}/waarden.csv"]["get"]["responses"]["200"]["content"]) == ["text/csv"]
    xlsx = paden["/indicatoren/{code}/waarden.xlsx"]["get"]["responses"]["200"]["content"]
    assert list(xlsx) == [XLSX, "application/octet-stream"]
    assert {s["schema"]["format"] for s in xlsx.values()} == {"binary"}


def test_the_deprecated_formaat_is_still_checked(client: TestClient, opgelost: dict[str, Any]) -> None:
    assert_400(client.get(URL, params={**PARAMS, "formaat": "pdf"}, headers=opgelost["headers"]), ["formaat"])
    assert_400(client.get(URL + ".csv", params={**PARAMS, "formaat": "xlsx"}, headers=opgelost["headers"]), ["formaat"])
