"""The demo data set: realistic, internally consistent, within the code lists, and deterministic."""

import uuid
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from alembic import command
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select
from typer.testing import CliRunner

from app import cli, demo
from app.core import db
from app.core.config import get_settings
from app.core.db import make_engine
from app.core.security import pseudonymise, secret_matches, split_token
from app.core.validation import is_taalcode, vandaag
from tests.conftest import analyseer
from app.models import (
    ApiSleutel,
    Code,
    Contactmoment,
    ContactmomentActie,
    ContactmomentOnderwerp,
    Doorverwijzing,
    DoorverwijzingStatus,
    Ketenpartner,
    Organisatie,
    Sleutelpersoon,
    Uitkomst,
)
from tests.conftest import alembic_config
from tests.factories import make_key

AANTAL = 300
TODAY = vandaag()


@pytest.fixture
def samenvatting(session: Session) -> dict[str, Any]:
    resultaat = demo.laad_demo_data(session, aantal=AANTAL, seed=42, today=TODAY)
    analyseer(session)
    return resultaat


def _codes(session: Session, lijst: str) -> set[str]:
    return set(session.exec(select(Code.code).where(Code.lijst == lijst)).all())


def _contactmomenten(session: Session) -> list[Contactmoment]:
    return list(session.exec(select(Contactmoment)).all())


def test_counts_match_the_summary(session: Session, samenvatting: dict[str, Any]) -> None:
    organisaties = session.exec(select(Organisatie)).all()
    assert sorted(o.soort for o in organisaties) == ["ggd", "migrantenorganisatie", "welzijnsorganisatie"]
    ggd = next(o for o in organisaties if o.soort == "ggd")
    assert ggd.naam == "GGD Regio Utrecht"
    assert ggd.gemeentecodes == ["GM0344", "GM0307", "GM0321"]

    assert session.exec(select(func.count()).select_from(Sleutelpersoon)).one() == 12
    assert session.exec(select(func.count()).select_from(Ketenpartner)).one() == 45
    assert session.exec(select(func.count()).select_from(Contactmoment)).one() == AANTAL
    totaal = samenvatting["totaal"]
    assert totaal["contactmomenten"] == AANTAL
    assert totaal["doorverwijzingen"] == session.exec(select(func.count()).select_from(Doorverwijzing)).one()
    assert totaal["uitkomsten"] == session.exec(select(func.count()).select_from(Uitkomst)).one()
    per_org = Counter(c.organisatie_id for c in _contactmomenten(session))
    assert {o["id"]: o["contactmomenten"] for o in samenvatting["organisaties"]} == dict(per_org)
    # Every organisation's partners cover many categories, not one.
    for organisatie in organisaties:
        partners = session.exec(select(Ketenpartner).where(Ketenpartner.organisatie_id == organisatie.id)).all()
        assert len(partners) == 15
        assert len({p.categorie for p in partners}) >= 10


def test_key_persons_speak_community_languages(session: Session, samenvatting: dict[str, Any]) -> None:
    personen = session.exec(select(Sleutelpersoon)).all()
    talen = {t for p in personen for t in p.talen}
    assert {"ar", "ti", "prs", "tr", "so", "uk", "pl"} <= talen
    contacttalen = {c.taal for c in _contactmomenten(session)} - {None}
    assert sorted(t for t in talen | contacttalen if not is_taalcode(t)) == []
    # Key persons who stopped have no current employment (their last period is closed).
    assert {p.dienstverband for p in personen if p.actief} == {"vrijwilliger", "betaald", "zzp"}
    assert {p.dienstverband for p in personen if not p.actief} == {None}
    rollen = _codes(session, "rol")
    assert all(p.rollen and set(p.rollen) <= rollen for p in personen)
    assert all(p.basistraining_datum and p.actief_vanaf and p.basistraining_datum < p.actief_vanaf for p in personen)
    # Activity is skewed: the busiest key person has far more contacts than the quietest.
    per_persoon = Counter(c.sleutelpersoon_id for c in _contactmomenten(session))
    assert max(per_persoon.values()) >= 3 * min(per_persoon.values())


def test_every_code_used_is_in_the_code_table(session: Session, samenvatting: dict[str, Any]) -> None:
    contacten = _contactmomenten(session)
    onderwerpen = session.exec(select(ContactmomentOnderwerp.onderwerp)).all()
    acties = session.exec(select(ContactmomentActie.actie)).all()
    verwijzingen = session.exec(select(Doorverwijzing)).all()
    historie = session.exec(select(DoorverwijzingStatus.status)).all()
    assert set(onderwerpen) <= _codes(session, "onderwerp")
    assert set(acties) <= _codes(session, "actie")
    assert {c.kanaal for c in contacten} <= _codes(session, "kanaal")
    assert {c.soort for c in contacten} == _codes(session, "soort-contact")
    assert {c.rol for c in contacten} <= _codes(session, "rol")
    assert {c.leeftijdscategorie for c in contacten} - {None} <= _codes(session, "leeftijdscategorie")
    assert {c.geslacht for c in contacten} - {None} <= _codes(session, "geslacht")
    assert {c.doelgroep for c in contacten} - {None} <= _codes(session, "doelgroep")
    assert {v.status for v in verwijzingen} | set(historie) <= _codes(session, "doorverwijzing-status")
    assert {v.wijze for v in verwijzingen} == _codes(session, "doorverwijzing-wijze")
    assert {v.onderwerp for v in verwijzingen} <= _codes(session, "onderwerp")
    assert set(session.exec(select(Uitkomst.resultaat)).all()) <= _codes(session, "resultaat")
    assert set(session.exec(select(Ketenpartner.categorie)).all()) <= _codes(session, "ketenpartner-categorie")
    assert {p.dienstverband for p in session.exec(select(Sleutelpersoon)).all()} - {None} <= _codes(session, "dienstverband")


def test_every_contact_has_one_to_three_topics_and_an_action(
    session: Session, samenvatting: dict[str, Any]
) -> None:
    per_contact = Counter(session.exec(select(ContactmomentOnderwerp.contactmoment_id)).all())
    acties = Counter(session.exec(select(ContactmomentActie.contactmoment_id)).all())
    for contact in _contactmomenten(session):
        assert 1 <= per_contact[contact.id] <= 3
        assert acties[contact.id] >= 1
    # Money, letters and access to care dominate.
    alle = session.exec(select(ContactmomentOnderwerp.onderwerp)).all()
    dominant = [o for o in alle if o.split(".")[0] in ("geld", "zorg") or o == "inburgering.post-brieven"]
    assert len(dominant) >= 0.4 * len(alle)


def test_group_sessions_and_individual_contacts(session: Session, samenvatting: dict[str, Any]) -> None:
    contacten = _contactmomenten(session)
    groepen = [c for c in contacten if c.soort == "groep"]
    individueel = [c for c in contacten if c.soort == "individueel"]
    assert 0.04 * AANTAL <= len(groepen) <= 0.18 * AANTAL
    assert all(c.inwoner_hash is None and 5 <= c.aantal_deelnemers <= 40 for c in groepen)
    assert all(c.leeftijdscategorie is None and c.geslacht is None for c in groepen)
    assert all(c.aantal_deelnemers == 1 and c.inwoner_hash and len(c.inwoner_hash) == 64 for c in individueel)
    # Residents recur, and a resident keeps the same demographics on every contact.
    hashes = Counter(c.inwoner_hash for c in individueel)
    assert len(hashes) < 0.7 * len(individueel)
    profiel: dict[str, tuple[Any, ...]] = {}
    for c in individueel:
        kenmerken = (c.organisatie_id, c.leeftijdscategorie, c.geslacht, c.doelgroep)
        assert profiel.setdefault(c.inwoner_hash, kenmerken) == kenmerken  # type: ignore[arg-type]


def test_resident_hash_is_the_organisation_keyed_pseudonym(
    session: Session, samenvatting: dict[str, Any]
) -> None:
    secret = get_settings().secret_key
    individueel = sorted(
        (c for c in _contactmomenten(session) if c.soort == "individueel"),
        key=lambda c: int(c.extern_id.removeprefix("demo-")),  # type: ignore[union-attr]
    )
    gezien: set[tuple[uuid.UUID, str]] = set()
    nieuw = 0
    for c in individueel:
        # A contact either meets a new resident (pseudonym of its own client reference) or a known one.
        nummer = c.extern_id.removeprefix("demo-")  # type: ignore[union-attr]
        eigen = pseudonymise(secret, c.organisatie_id, f"demo-client-{nummer}")
        assert c.inwoner_hash == eigen or (c.organisatie_id, c.inwoner_hash) in gezien
        nieuw += c.inwoner_hash == eigen
        gezien.add((c.organisatie_id, c.inwoner_hash))  # type: ignore[arg-type]
    assert 0 < nieuw < len(individueel)


def test_places_dates_and_durations(session: Session, samenvatting: dict[str, Any]) -> None:
    organisaties = {o.id: o for o in session.exec(select(Organisatie)).all()}
    begin = TODAY - timedelta(days=730)
    for c in _contactmomenten(session):
        assert c.gemeentecode in organisaties[c.organisatie_id].gemeentecodes
        if c.wijkcode is not None:
            assert len(c.wijkcode) == 8 and c.wijkcode.startswith("WK" + c.gemeentecode[2:])
        assert begin <= c.datum < TODAY
        assert c.extern_id is not None and c.extern_id.startswith("demo-")
        assert len(c.inhoud_hash) == 64
        assert c.duur_minuten is None or 5 <= c.duur_minuten <= 150
    extern = [c.extern_id for c in _contactmomenten(session)]
    assert len(set(extern)) == len(extern)


def test_referrals_progress_with_history(session: Session, samenvatting: dict[str, Any]) -> None:
    contacten = {c.id: c for c in _contactmomenten(session)}
    verwijzingen = session.exec(select(Doorverwijzing)).all()
    met_verwijzing = {v.contactmoment_id for v in verwijzingen}
    assert 0.15 <= len(met_verwijzing) / AANTAL <= 0.35
    partners = {p.id: p for p in session.exec(select(Ketenpartner)).all()}
    historie: dict[uuid.UUID, list[DoorverwijzingStatus]] = {}
    for regel in session.exec(select(DoorverwijzingStatus).order_by(DoorverwijzingStatus.id)).all():
        historie.setdefault(regel.doorverwijzing_id, []).append(regel)
    for v in verwijzingen:
        contact = contacten[v.contactmoment_id]
        assert contact.soort == "individueel"
        assert partners[v.ketenpartner_id].organisatie_id == v.organisatie_id == contact.organisatie_id
        rijen = historie[v.id]
        assert (rijen[-1].status, rijen[-1].status_datum) == (v.status, v.status_datum)
        datums = [r.status_datum for r in rijen]
        assert datums == sorted(datums) and contact.datum <= datums[0] and datums[-1] <= TODAY
    # Statuses progressed: many referrals have more than one history row and reached a final status.
    assert sum(1 for rijen in historie.values() if len(rijen) > 1) > len(verwijzingen) / 2
    assert Counter(v.status for v in verwijzingen)["afgerond"] > 0


def test_most_contacts_have_an_outcome(session: Session, samenvatting: dict[str, Any]) -> None:
    contacten = {c.id: c for c in _contactmomenten(session)}
    uitkomsten = session.exec(select(Uitkomst)).all()
    met_uitkomst = {u.contactmoment_id for u in uitkomsten if u.doorverwijzing_id is None}
    assert len(met_uitkomst) >= 0.7 * AANTAL
    for u in uitkomsten:
        assert contacten[u.contactmoment_id].datum <= u.datum <= TODAY
        assert u.organisatie_id == contacten[u.contactmoment_id].organisatie_id


def _vingerafdruk(session: Session) -> list[tuple[Any, ...]]:
    contacten = session.exec(select(Contactmoment).order_by(Contactmoment.extern_id)).all()
    onderwerpen = sorted(
        (o.contactmoment_id, o.onderwerp) for o in session.exec(select(ContactmomentOnderwerp)).all()
    )
    verwijzingen = sorted(
        (v.id, v.ketenpartner_id, v.status, v.status_datum) for v in session.exec(select(Doorverwijzing)).all()
    )
    return [
        *((c.id, c.extern_id, c.sleutelpersoon_id, c.datum, c.kanaal, c.soort, c.aantal_deelnemers,
           c.wijkcode, c.duur_minuten, c.inwoner_hash, c.inhoud_hash) for c in contacten),
        *onderwerpen,
        *verwijzingen,
    ]


def test_same_seed_same_data_other_seed_other_data(session: Session) -> None:
    peildatum = date(2025, 6, 30)
    afdrukken = []
    for seed in (7, 7, 8):
        nested = session.begin_nested()
        demo.laad_demo_data(session, aantal=120, seed=seed, today=peildatum)
        afdrukken.append(_vingerafdruk(session))
        nested.rollback()
    assert afdrukken[0] == afdrukken[1]
    assert afdrukken[0] != afdrukken[2]
    assert session.exec(select(func.count()).select_from(Organisatie)).one() == 0


def test_cli_loads_once_and_prints_development_keys(
    fresh_database_url: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = fresh_database_url()
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
        settings = get_settings().model_copy(update={"environment": "development", "database_url": url})
        monkeypatch.setattr(demo, "get_settings", lambda: settings)
        monkeypatch.setattr(db, "get_engine", lambda: engine)
        runner = CliRunner()

        result = runner.invoke(cli.app, ["demo-data", "--als-leeg", "--aantal", "60"])
        assert result.exit_code == 0, result.output
        assert "Demo-sleutels (alleen voor ontwikkeling, worden eenmalig getoond)" in result.output
        assert 'curl -H "Authorization: Bearer smk_' in result.output
        with Session(engine) as check:
            assert check.exec(select(func.count()).select_from(Contactmoment)).one() == 60
            sleutels = {k.naam: k for k in check.exec(select(ApiSleutel)).all()}
            migranten = check.exec(select(Organisatie).where(Organisatie.soort == "migrantenorganisatie")).one()
        bindingen = sorted((k.organisatie_id == migranten.id, tuple(k.gemeentecodes), k.beheer, tuple(k.scopes))
                           for k in sleutels.values())
        assert bindingen == [
            (False, (), True, ("beheren",)),
            (False, ("GM0307", "GM0344"), False, ("goedkeuren", "rapporteren", "signalen")),
            (True, (), False, ("inzien", "rapporteren", "registreren")),
        ]
        # The printed tokens are the real ones: each matches a stored hash.
        tokens = [w.strip('"') for w in result.output.split() if w.startswith("smk_")]
        assert len(tokens) == 3
        opgeslagen = {k.prefix: k.sleutel_hash for k in sleutels.values()}
        for token in tokens:
            prefix, geheim = split_token(token)  # type: ignore[misc]
            assert secret_matches(geheim, opgeslagen[prefix])

        again = runner.invoke(cli.app, ["demo-data", "--als-leeg", "--aantal", "60"])
        assert again.exit_code == 0, again.output
        assert "overgeslagen" in again.output
        same_seed = runner.invoke(cli.app, ["demo-data", "--aantal", "60"])
        assert same_seed.exit_code == 1
        assert "seed 42 staat al in de database" in same_seed.output
        with Session(engine) as check:
            assert check.exec(select(func.count()).select_from(Contactmoment)).one() == 60
            assert check.exec(select(func.count()).select_from(ApiSleutel)).one() == 3
    finally:
        engine.dispose()


def test_fingerprints_are_the_apis_own(session: Session, samenvatting: dict[str, Any]) -> None:
    from app.contactmomenten import service as contactmomenten

    records = _contactmomenten(session)
    kinderen = contactmomenten.laad_kinderen(session, ids=[r.id for r in records])
    for record in records:
        assert record.inhoud_hash == contactmomenten.inhoud_hash(
            contactmomenten.inhoud_van_record(record, kinderen[record.id])
        )


def test_demo_records_are_served_by_the_api(
    session: Session, samenvatting: dict[str, Any], client: TestClient
) -> None:
    migranten = next(o for o in samenvatting["organisaties"] if o["soort"] == "migrantenorganisatie")
    headers = make_key(session, organisatie=session.get(Organisatie, migranten["id"]), scopes=("registreren",))
    # Every demo row must pass the API's own output schemas (codes, languages, region codes).
    for pad, aantal in (
        ("/v1/contactmomenten", migranten["contactmomenten"]),
        ("/v1/sleutelpersonen", migranten["sleutelpersonen"]),
        ("/v1/ketenpartners", migranten["ketenpartners"]),
        ("/v1/doorverwijzingen", migranten["doorverwijzingen"]),
        ("/v1/uitkomsten", migranten["uitkomsten"]),
    ):
        pagina, gezien = 1, 0
        while True:
            response = client.get(pad, headers=headers, params={"pageSize": 100, "page": pagina})
            assert response.status_code == 200, (pad, response.text)
            gezien += len(response.json())
            if 'rel="next"' not in response.headers.get("Link", ""):
                break
            pagina += 1
        assert gezien == int(response.headers["X-Total-Count"]) == aantal, pad
    eerste = client.get("/v1/contactmomenten", headers=headers).json()[0]
    assert eerste["externId"].startswith("demo-") and eerste["onderwerpen"]
    assert client.get(f"/v1/contactmomenten/{eerste['id']}", headers=headers).json() == eerste



def test_the_demo_organisation_has_an_own_indicator_shared_with_its_region(
    session: Session, samenvatting: dict[str, Any], client: TestClient
) -> None:
    migranten = next(o for o in samenvatting["organisaties"] if o["soort"] == "migrantenorganisatie")
    organisatie = session.get(Organisatie, migranten["id"])
    assert organisatie is not None
    headers = make_key(session, organisatie=organisatie, scopes=("rapporteren",))
    code = demo.EIGEN_INDICATOR["code"]
    indicator = client.get(f"/v1/indicatoren/{code}", headers=headers).json()
    assert indicator["naam"] == "Hulpvragen JGZ van statushouders" and indicator["eigen"]["gedeeldMetRegio"] is True
    waarden = client.get(f"/v1/indicatoren/{code}/waarden", params={"periode": "laatste-12-maanden"}, headers=headers)
    assert waarden.status_code == 200 and waarden.json()["versie"] == 1
    regio = make_key(session, gemeentecodes=list(organisatie.gemeentecodes), scopes=("rapporteren",))
    assert client.get(f"/v1/indicatoren/{code}/waarden", params={"periode": "laatste-12-maanden"},
                      headers=regio).json()["onderdrukking"]["toegepast"] is True
