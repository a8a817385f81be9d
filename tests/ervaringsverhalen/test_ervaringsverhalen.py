"""Ervaringsverhalen: own stories, consent, what a region reads, and its exports (XLSX, Markdown)."""

import csv
import io
import uuid
from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import Session, select

from app.core.validation import vandaag
from app.models import AuditRegel, Ervaringsverhaal, ErvaringsverhaalEffect
from tests.ervaringsverhalen.factories import verhaal_body
from tests.factories import make_key, make_organisatie, make_sleutelpersoon

TOESTEMMING = {"gegeven": True, "datum": vandaag().isoformat(), "vorm": "mondeling"}


def names(response: Any) -> list[str]:
    assert response.status_code == 400, response.text
    return sorted(p["name"] for p in response.json()["invalidParams"])


def test_crud_of_own_stories(client: TestClient, session: Session) -> None:
    organisatie = make_organisatie(session)
    persoon = make_sleutelpersoon(session, organisatie)
    org = make_key(session, organisatie=organisatie, scopes=("registreren",))
    ander = make_key(session, organisatie=make_organisatie(session), scopes=("registreren",))

    created = client.post("/v1/ervaringsverhalen", json=verhaal_body(sleutelpersoonId=str(persoon.id)), headers=org)
    assert created.status_code == 201, created.text
    verhaal = created.json()
    assert verhaal["effecten"] == ["samenwerking", "eerder-in-beeld"]  # in code-list order
    url = f"/v1/ervaringsverhalen/{verhaal['id']}"
    assert created.headers["Location"] == url

    assert client.get("/v1/ervaringsverhalen", headers=org).headers["X-Total-Count"] == "1"
    assert client.get("/v1/ervaringsverhalen?effect=samenwerking", headers=org).headers["X-Total-Count"] == "1"
    assert client.get("/v1/ervaringsverhalen?effect=gezondheid-welzijn", headers=org).headers["X-Total-Count"] == "0"
    assert client.get("/v1/ervaringsverhalen?onderwerp=gezondheid", headers=org).headers["X-Total-Count"] == "1"
    assert client.get("/v1/ervaringsverhalen?effect=onzin", headers=org).status_code == 400

    changed = client.patch(url, json={"effecten": ["persoonlijke-ontwikkeling"], "citaat": None}, headers=org)
    assert changed.status_code == 200, changed.text
    assert changed.json()["effecten"] == ["persoonlijke-ontwikkeling"] and changed.json()["citaat"] is None

    assert client.get(url, headers=ander).status_code == 404
    assert client.patch(url, json={"gedeeld": False}, headers=ander).status_code == 404
    assert client.delete(url, headers=ander).status_code == 404
    assert client.get("/v1/ervaringsverhalen", headers=ander).json() == []

    assert client.delete(url, headers=org).status_code == 204
    assert client.get(url, headers=org).status_code == 404
    assert session.exec(select(ErvaringsverhaalEffect).where(ErvaringsverhaalEffect.ervaringsverhaal_id == uuid.UUID(verhaal["id"]))).all() == []
    acties = session.exec(select(AuditRegel.actie).where(AuditRegel.resource_id == verhaal["id"])).all()
    assert sorted(acties) == ["aangemaakt", "gewijzigd", "verwijderd"]


def test_consent_rules(client: TestClient, session: Session) -> None:
    org = make_key(session, organisatie=make_organisatie(session), scopes=("registreren",))
    post = lambda **kw: client.post("/v1/ervaringsverhalen", json=verhaal_body(**kw), headers=org)  # noqa: E731

    # An inwoner's story needs recorded consent, shared or not.
    assert names(post(bron="inwoner", gedeeld=False)) == ["toestemming"]
    assert names(post(bron="inwoner", gedeeld=True)) == ["gedeeld", "toestemming"]
    # Consent refused: it may be kept internally, never shared.
    geweigerd = {**TOESTEMMING, "gegeven": False}
    assert post(bron="inwoner", gedeeld=False, toestemming=geweigerd).status_code == 201
    assert names(post(bron="inwoner", gedeeld=True, toestemming=geweigerd)) == ["gedeeld"]
    assert names(post(bron="collega", gedeeld=True, toestemming=geweigerd)) == ["gedeeld"]
    # Consent given: sharing is allowed.
    ok = post(bron="inwoner", gedeeld=True, toestemming=TOESTEMMING)
    assert ok.status_code == 201, ok.text
    assert ok.json()["toestemming"] == TOESTEMMING
    # Removing the consent of an inwoner's story is refused; withdrawing it unshares first.
    url = f"/v1/ervaringsverhalen/{ok.json()['id']}"
    assert names(client.patch(url, json={"toestemming": None}, headers=org)) == ["gedeeld", "toestemming"]
    assert names(client.patch(url, json={"toestemming": geweigerd}, headers=org)) == ["gedeeld"]
    assert client.patch(url, json={"toestemming": geweigerd, "gedeeld": False}, headers=org).status_code == 200
    # Incomplete consent is a schema error.
    assert names(post(bron="inwoner", toestemming={"gegeven": True})) == ["toestemming.datum", "toestemming.vorm"]


def _regio_scenario(client: TestClient, session: Session) -> tuple[dict[str, str], dict[str, str], dict[str, Any]]:
    organisatie = make_organisatie(session, naam="Welzijn Overvecht")
    persoon = make_sleutelpersoon(session, organisatie)
    org = make_key(session, organisatie=organisatie, scopes=("registreren",))
    post = lambda **kw: client.post("/v1/ervaringsverhalen", json=verhaal_body(**kw), headers=org).json()  # noqa: E731
    verhalen = {
        "gedeeld": post(sleutelpersoonId=str(persoon.id), titel="=HYPERLINK(\"http://evil.example\",\"klik\")"),
        "inwoner": post(bron="inwoner", toestemming=TOESTEMMING, effecten=["gezondheid-welzijn"], titel="Eindelijk een huisarts"),
        "niet-gedeeld": post(gedeeld=False, titel="Intern verhaal"),
        "inwoner-geweigerd": post(bron="inwoner", gedeeld=False, toestemming={**TOESTEMMING, "gegeven": False}, titel="Geweigerd"),
        "elders": post(gemeentecode="GM0363", titel="Amsterdams verhaal"),
    }
    regio = make_key(session, gemeentecodes=["GM0344"], scopes=("rapporteren",))
    return org, regio, {"persoon": persoon, **verhalen}


def test_region_reads_only_shared_stories_with_consent_without_key_person(client: TestClient, session: Session) -> None:
    org, regio, data = _regio_scenario(client, session)
    response = client.get("/v1/gedeelde-ervaringsverhalen", headers=regio)
    assert response.status_code == 200, response.text
    titels = sorted(v["titel"] for v in response.json())
    assert titels == sorted([data["gedeeld"]["titel"], "Eindelijk een huisarts"])
    assert all(v["organisatieNaam"] == "Welzijn Overvecht" for v in response.json())
    assert str(data["persoon"].id) not in response.text
    assert "sleutelpersoonId" not in response.text and "toestemming" not in response.text

    # Consent withdrawn in the database (e.g. by an older client): the region no longer sees it.
    verhaal = session.get(Ervaringsverhaal, uuid.UUID(data["inwoner"]["id"]))
    assert verhaal is not None
    verhaal.toestemming_gegeven = False
    session.add(verhaal)
    session.flush()
    assert client.get("/v1/gedeelde-ervaringsverhalen", headers=regio).headers["X-Total-Count"] == "1"

    # Organisation keys, and regional keys elsewhere or without the scope, see nothing here.
    assert client.get("/v1/gedeelde-ervaringsverhalen", headers=org).status_code == 403
    elders = make_key(session, gemeentecodes=["GM0599"], scopes=("rapporteren",))
    assert client.get("/v1/gedeelde-ervaringsverhalen", headers=elders).json() == []
    alleen_signalen = make_key(session, gemeentecodes=["GM0344"], scopes=("signalen",))
    assert client.get("/v1/gedeelde-ervaringsverhalen", headers=alleen_signalen).status_code == 403


def test_xlsx_export(client: TestClient, session: Session) -> None:
    _, regio, data = _regio_scenario(client, session)
    response = client.get("/v1/gedeelde-ervaringsverhalen/export?formaat=xlsx", headers=regio)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("datum", "gemeente", "gemeente (naam)", "wijk", "organisatie", "bron", "onderwerpen", "effecten",
                       "titel", "verhaal", "citaat")
    assert len(rows) == 3  # header and the two shared stories
    by_title = {row[8]: row for row in rows[1:]}
    row = by_title[data["gedeeld"]["titel"]]
    assert row[1:3] == ("GM0344", "Utrecht")  # the CBS name next to the code
    assert row[4] == "Welzijn Overvecht"
    assert row[6] == "Mentale gezondheid"
    assert row[7] == "Versterken van samenwerking; Eerder in beeld krijgen van behoeften en vragen"
    assert by_title["Eindelijk een huisarts"][7] == "Gezondheid en welzijn"
    assert list(sheet.tables) == ["Ervaringsverhalen"]  # an Excel table: a filter on every column
    # The formula-looking title is a string cell, never a formula.
    cells = {c.value: c for c in sheet["I"]}
    assert cells[data["gedeeld"]["titel"]].data_type == "s"
    raw = load_workbook(io.BytesIO(response.content), data_only=False).active
    assert all(c.data_type != "f" for r in raw.iter_rows() for c in r)
    assert str(data["persoon"].id) not in str(rows)


def test_csv_export_for_dutch_excel(client: TestClient, session: Session) -> None:
    _, regio, data = _regio_scenario(client, session)
    response = client.get("/v1/gedeelde-ervaringsverhalen/export?formaat=csv", headers=regio)
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"] == 'attachment; filename="ervaringsverhalen.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert {r["gemeente (naam)"] for r in rows} == {"Utrecht"}
    titels = {r["titel"] for r in rows}
    assert "Eindelijk een huisarts" in titels
    # A title that looks like a formula is neutralised, as in every CSV the API writes.
    assert all(not t.startswith(("=", "+", "-", "@")) for t in titels)


def test_markdown_report_grouped_by_effect(client: TestClient, session: Session) -> None:
    _, regio, _ = _regio_scenario(client, session)
    response = client.get("/v1/gedeelde-ervaringsverhalen/export?formaat=markdown", headers=regio)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/markdown")
    tekst = response.text
    assert tekst.startswith("# Ervaringsverhalen van sleutelpersonen")
    koppen = [regel for regel in tekst.splitlines() if regel.startswith("## ")]
    assert koppen == [
        "## Versterken van samenwerking (1)",
        "## Eerder in beeld krijgen van behoeften en vragen (1)",
        "## Gezondheid en welzijn (1)",
    ]
    assert "### Eindelijk een huisarts" in tekst
    assert "> Zonder haar waren deze gezinnen pas in crisis bij ons gekomen." in tekst
    assert "Intern verhaal" not in tekst and "Amsterdams verhaal" not in tekst and "Geweigerd" not in tekst
    # Markup from the story text is escaped, so the report carries no live links.
    assert '\\=HYPERLINK' not in tekst and '=HYPERLINK(\\"' not in tekst
    assert "HYPERLINK" in tekst


def test_story_free_text_is_guarded(client: TestClient, session: Session) -> None:
    org = make_key(session, organisatie=make_organisatie(session), scopes=("registreren",))
    body = verhaal_body(titel="Mevrouw uit 3511 AB 12", verhaal="Bel haar op 06-12345678", citaat="mail me: x@y.nl")
    response = client.post("/v1/ervaringsverhalen", json=body, headers=org)
    assert names(response) == ["citaat", "titel", "verhaal"]
    assert "06-12345678" not in response.text and "x@y.nl" not in response.text and "3511 AB" not in response.text


def test_markdown_report_escapes_markup_from_stories() -> None:
    from app.ervaringsverhalen import export
    from app.ervaringsverhalen.schemas import GedeeldVerhaal

    verhaal = GedeeldVerhaal(
        id=uuid.uuid4(), datum=date(2026, 10, 2), gemeentecode="GM0344", wijkcode=None, bron="collega",
        onderwerpen=[], effecten=["anders"], titel="# Kop [klik](http://evil.example)",
        verhaal="<script>alert(1)</script>\n**vet**", citaat=None, organisatie_naam="Org | X",
    )
    labels = {"onderwerp": {}, "effect": {"anders": "Anders"}, "gemeente": {"GM0344": "Utrecht"}}
    tekst = export.to_markdown([verhaal], gemeentecodes=["GM0344"], labels=labels, vanaf=None, tot=None)
    assert "### \\# Kop \\[klik\\](http://evil.example)" in tekst
    assert "\\<script\\>alert(1)\\</script\\>" in tekst and "<script>" not in tekst
    assert "\\*\\*vet\\*\\*" in tekst and "Org \\| X" in tekst


def test_each_export_format_has_its_own_operation(client: TestClient, session: Session) -> None:
    """Issue 28: `/export.xlsx`, `/export.csv` and `/export.md`, so a generated client types each answer; the old
    `/export?formaat=` gives the same file, marked deprecated with a link to its successor."""
    _, regio, _ = _regio_scenario(client, session)
    basis = "/v1/gedeelde-ervaringsverhalen/export"
    for formaat, pad, params in (("xlsx", ".xlsx", {}), ("csv", ".csv", {}), ("csv-rfc4180", ".csv", {"formaat": "csv-rfc4180"}),
                                 ("markdown", ".md", {})):
        nieuw = client.get(basis + pad, params={**params, "gemeentecode": "GM0344"}, headers=regio)
        oud = client.get(basis, params={"formaat": formaat, "gemeentecode": "GM0344"}, headers=regio)
        assert nieuw.status_code == oud.status_code == 200, nieuw.text
        assert nieuw.headers["content-type"] == oud.headers["content-type"]
        assert "Deprecation" not in nieuw.headers and oud.headers["Deprecation"].startswith("@")
        opvolger = oud.headers["Link"].split(";")[0].strip("<>")
        assert opvolger.startswith(basis + pad + "?") and "gemeentecode=GM0344" in opvolger
        if formaat == "xlsx":
            rijen = [list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True)) for r in (nieuw, oud)]
            assert rijen[0] == rijen[1]
        elif formaat != "markdown":  # the report carries the moment it was made
            assert nieuw.content == oud.content == client.get(opvolger, headers=regio).content
    buiten = client.get(basis + ".csv", params={"formaat": "xlsx"}, headers=regio)
    assert buiten.status_code == 400
