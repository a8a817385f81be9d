"""Property-based API test: every operation in the OpenAPI document, fuzzed in-process over ASGI.

Schemathesis reads `/v1/openapi.json` from the app itself; the document's server URL ends in `/v1`, so
the paths it lists (`/contactmomenten`) are called under that base path (`/v1/contactmomenten`). The
run asserts two properties for every generated request: the server never answers 5xx, and every
documented response matches its schema. The run is bounded and derandomized, so it is repeatable.
"""

import os
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from sqlmodel import Session

from app.core.db import get_session
from app.core.validation import vandaag
from app.main import create_app
from app.models import (
    Contactmoment,
    ContactmomentActie,
    ContactmomentOnderwerp,
    Doorverwijzing,
    DoorverwijzingStatus,
    Uitkomst,
)
from app.toegang.dependencies import rate_limiter
from tests import privacyscan
from tests.conftest import productiesessie
from tests.doelstellingen.factories import make_doelstelling, make_evaluatie
from tests.ervaringsverhalen.factories import make_verhaal
from tests.factories import (
    make_inzet,
    make_ketenpartner,
    make_key,
    make_organisatie,
    make_professioneel_contact,
    make_sleutelpersoon,
)
from tests.signalen.factories import make_signaal

BASE_PATH = "/v1"
# The coverage phase adds schemathesis's deterministic boundary and negative cases (about 3x the
# requests of the fuzzing phase); SLEUTELMONITOR_FUZZ_COVERAGE=1 turns it on for a deeper run.
COVERAGE = os.environ.get("SLEUTELMONITOR_FUZZ_COVERAGE") == "1"
# Generated cases per operation: 15 in the suite (CI); the deep run raises it (README, "Fuzzing"):
# SLEUTELMONITOR_FUZZ_EXAMPLES=400 gives about 20,000 requests over the 66 operations.
VOORBEELDEN = int(os.environ.get("SLEUTELMONITOR_FUZZ_EXAMPLES", "15"))
APP = create_app()
# Requests sent and server errors seen, per status class; printed at the end of a deep run.
TELLING: Counter[str] = Counter()


# Records with fixed ids, seeded in every test's transaction, so that generated requests also hit
# existing rows (reads, corrections, status changes) instead of only ever answering 404.
BEKEND = {
    "organisatie": uuid.UUID("6f0c1a2e-0000-4000-8000-000000000001"),
    "sleutelpersoon": uuid.UUID("6f0c1a2e-0000-4000-8000-000000000002"),
    "ketenpartner": uuid.UUID("6f0c1a2e-0000-4000-8000-000000000003"),
    "contactmoment": uuid.UUID("6f0c1a2e-0000-4000-8000-000000000004"),
    "doorverwijzing": uuid.UUID("6f0c1a2e-0000-4000-8000-000000000005"),
    "uitkomst": uuid.UUID("6f0c1a2e-0000-4000-8000-000000000006"),
    "signaal": uuid.UUID("6f0c1a2e-0000-4000-8000-000000000007"),
    "verhaal": uuid.UUID("6f0c1a2e-0000-4000-8000-000000000008"),
    "inzet": uuid.UUID("6f0c1a2e-0000-4000-8000-000000000009"),
    "doelstelling": uuid.UUID("6f0c1a2e-0000-4000-8000-00000000000a"),
    "evaluatie": uuid.UUID("6f0c1a2e-0000-4000-8000-00000000000b"),
    "contact": uuid.UUID("6f0c1a2e-0000-4000-8000-00000000000c"),  # a professional contact (path contactId)
}
_ID = {naam: [str(waarde)] for naam, waarde in BEKEND.items()}
_DATUM = [(vandaag() - timedelta(days=7)).isoformat()]
# Where known values go, and how often they replace a generated one: ids of the seeded records, and
# a few valid codes, so that writes get past validation often enough to exercise the services.
BINDINGEN: dict[str, tuple[list[str], float]] = {
    **{f"path.{naam}Id": (_ID[naam], 0.5) for naam in BEKEND},
    "query.sleutelpersoonId": (_ID["sleutelpersoon"], 0.5),
    "query.ketenpartnerId": (_ID["ketenpartner"], 0.5),
    "body.sleutelpersoonId": (_ID["sleutelpersoon"], 0.8),
    "body.ketenpartnerId": (_ID["ketenpartner"], 0.8),
    "body.doorverwijzingen[*].ketenpartnerId": (_ID["ketenpartner"], 0.8),
    "body.contactmomentId": (_ID["contactmoment"], 0.8),
    "body.doorverwijzingId": (_ID["doorverwijzing"], 0.3),
    "body.datum": (_DATUM, 0.7),
    "body.statusDatum": (_DATUM, 0.7),
    "body.gemeentecode": (["GM0344"], 0.7),
    "body.wijkcode": (["WK034401"], 0.7),
    "body.kanaal": (["persoonlijk", "telefonisch"], 0.8),
    "body.soort": (["individueel", "overleg", "adviesvraag"], 0.8),  # a contact's, an inzet's, a professional contact's soort
    "body.rol": (["helper", "bemiddelaar"], 0.8),
    "body.onderwerpen[*]": (["geld.toeslagen", "zorg.huisarts"], 0.8),
    "body.acties[*]": (["uitleg-brief", "doorverwezen"], 0.8),
    "body.doorverwijzingen[*].onderwerp": (["geld.toeslagen"], 0.8),
    "body.doorverwijzingen[*].wijze": (["warm", "informatief"], 0.8),
    "body.doorverwijzingen[*].status": (["verwezen"], 0.8),
    "body.status": (["aangekomen", "afgerond"], 0.8),
    "body.resultaat": (["opgelost", "lopend"], 0.8),
    "body.uitkomst.resultaat": (["opgelost"], 0.8),
    "body.categorie": (["huisarts", "schuldhulpverlening"], 0.8),
    "body.inwoner.taal": (["ar", "tir"], 0.8),
    "body.inwoner.leeftijdscategorie": (["27-44"], 0.8),
    "body.inwoner.geslacht": (["vrouw"], 0.8),
    "body.inwoner.doelgroep": (["statushouder"], 0.8),
    "body.dienstverband": (["vrijwilliger"], 0.8),
    "body.talen[*]": (["ar", "so"], 0.8),
    "body.rollen[*]": (["helper"], 0.8),
    "body.effecten[*]": (["samenwerking", "eerder-in-beeld"], 0.8),
    "body.gerichtAan.gemeentecode": (["GM0344"], 0.8),
    "body.gerichtAan.ketenpartnerId": (_ID["ketenpartner"], 0.8),
    "body.aangevraagdDoor.ketenpartnerId": (_ID["ketenpartner"], 0.8),
    "body.aangevraagdDoor.gemeentecode": (["GM0344"], 0.8),
    "body.terugkoppeling.datum": (_DATUM, 0.7),
    "body.toestemming.datum": (_DATUM, 0.7),
    "body.beoogdeKetenpartners[*]": (_ID["ketenpartner"], 0.8),
    "body.doelstellingen[*]": (_ID["doelstelling"], 0.8),
    "body.ervaringsverhalen[*]": (_ID["verhaal"], 0.8),
    "body.indicatoren[*]": (["aantal-hulpvragen", "bereik-inwoners"], 0.8),
    "query.doelstelling": (_ID["doelstelling"], 0.5),
}


@pytest.fixture
def sleutels(session: Session) -> dict[str, dict[str, str]]:
    """The known records of one organisation, an organisation key, an admin key and a regional key."""
    organisatie = make_organisatie(
        session, id=BEKEND["organisatie"], naam="Fuzz-organisatie", gemeentecodes=["GM0344"]
    )
    persoon = make_sleutelpersoon(session, organisatie, id=BEKEND["sleutelpersoon"])
    make_ketenpartner(session, organisatie, id=BEKEND["ketenpartner"])
    datum = vandaag() - timedelta(days=30)
    session.add(Contactmoment(
        id=BEKEND["contactmoment"], organisatie_id=organisatie.id, extern_id="fuzz-1",
        sleutelpersoon_id=BEKEND["sleutelpersoon"], datum=datum, gemeentecode="GM0344", wijkcode="WK034401",
        kanaal="persoonlijk", soort="individueel", aantal_deelnemers=1, inwoner_hash="0" * 64,
        leeftijdscategorie="27-44", geslacht="vrouw", taal="ar", rol="helper", duur_minuten=30,
        inhoud_hash="0" * 64,
    ))
    session.flush()
    session.add_all([
        ContactmomentOnderwerp(contactmoment_id=BEKEND["contactmoment"], onderwerp="geld.toeslagen"),
        ContactmomentActie(contactmoment_id=BEKEND["contactmoment"], actie="doorverwezen"),
        Doorverwijzing(
            id=BEKEND["doorverwijzing"], organisatie_id=organisatie.id, contactmoment_id=BEKEND["contactmoment"],
            ketenpartner_id=BEKEND["ketenpartner"], onderwerp="geld.toeslagen", wijze="warm", status="verwezen",
            status_datum=datum,
        ),
    ])
    session.flush()
    session.add_all([
        DoorverwijzingStatus(doorverwijzing_id=BEKEND["doorverwijzing"], status="verwezen", status_datum=datum),
        Uitkomst(id=BEKEND["uitkomst"], organisatie_id=organisatie.id, contactmoment_id=BEKEND["contactmoment"],
                 resultaat="doorverwezen", datum=datum),
    ])
    make_signaal(session, organisatie, id=BEKEND["signaal"], datum=datum)
    make_verhaal(session, organisatie, id=BEKEND["verhaal"], datum=datum)
    make_inzet(session, organisatie, persoon, id=BEKEND["inzet"], datum=datum)
    doelstelling = make_doelstelling(session, organisatie, id=BEKEND["doelstelling"])
    make_evaluatie(session, organisatie, id=BEKEND["evaluatie"], datum=datum, doelstellingen=[doelstelling])
    make_professioneel_contact(session, organisatie, persoon, id=BEKEND["contact"], datum=datum, soort="adviesvraag",
                               status="gevraagd", onderwerpen=("zorg.jgz",))
    headers = {
        "organisatie": make_key(session, organisatie=organisatie, scopes=("registreren", "rapporteren")),
        "beheer": make_key(session, beheer=True, scopes=("beheren",)),
        "regio": make_key(session, gemeentecodes=["GM0344"], scopes=("signalen", "rapporteren", "goedkeuren")),
    }
    return headers


def _load_schema() -> Any:
    # Loaded at collection time so that every operation becomes its own test item, over whatever
    # routes exist. (`schemathesis.pytest.from_fixture` would load it per test instead, but 4.32's
    # lazy loader writes `node._nodeid`, which pytest 9.2 no longer has.)
    config = schemathesis.Config.from_dict({
        "phases": {"coverage": {"enabled": COVERAGE}},
        "dictionaries": {sleutel: {"values": waarden} for sleutel, (waarden, _) in BINDINGEN.items()},
        "parameters": {
            sleutel: {"dictionary": sleutel, "probability": kans} for sleutel, (_, kans) in BINDINGEN.items()
        },
    })
    loaded = schemathesis.openapi.from_asgi(f"{BASE_PATH}/openapi.json", APP, config=config)
    assert loaded.base_path.rstrip("/") == BASE_PATH, "paths in the document must be relative to the /v1 server"
    return loaded


schema = _load_schema()


@pytest.fixture
def fuzz_app(session: Session) -> Iterator[FastAPI]:
    """APP on the test's transaction: the `app` fixture's contract, without rebuilding the app per operation."""

    rate_limiter.reset()
    APP.dependency_overrides[get_session] = productiesessie(session)
    # Generated references are random words: the scan after the test still looks for BSNs and tokens.
    privacyscan.OPNEMEN = False
    try:
        yield APP
    finally:
        privacyscan.OPNEMEN = True
        APP.dependency_overrides.clear()


@pytest.fixture(scope="module", autouse=True)
def telling() -> Iterator[None]:
    """After the run, the number of cases and of requests by status class, in SLEUTELMONITOR_FUZZ_RAPPORT if set."""
    yield
    if rapport := os.environ.get("SLEUTELMONITOR_FUZZ_RAPPORT"):
        per_klasse = ", ".join(f"{k}: {v}" for k, v in sorted(TELLING.items()) if k != "cases")
        Path(rapport).write_text(f"{TELLING['cases']} cases; requests by status: {per_klasse}\n", encoding="utf-8")


def _tel(response: Any) -> Any:
    TELLING[f"{response.status_code // 100}xx"] += 1
    return response


# Seconds one generated request may take. Schemathesis' default (10) was hit twice under heavy load on this
# 2-core machine (other suites and helpers running); the same requests took well under a second when it
# was quiet. A request that really hangs still fails the test.
TIJDSLIMIET = 60


@schema.parametrize()
@settings(
    max_examples=VOORBEELDEN,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
def test_api_never_fails_and_answers_as_documented(
    case: schemathesis.Case, fuzz_app: FastAPI, sleutels: dict[str, dict[str, str]]
) -> None:
    checks = [not_a_server_error, response_schema_conformance]
    # Copies: `case.call` adds the case's own headers to the dict it is given.
    TELLING["cases"] += 1
    response = _tel(case.call(headers=dict(sleutels["organisatie"]), timeout=TIJDSLIMIET))
    assert response.request.path_url.startswith(f"{BASE_PATH}/")
    case.validate_response(response, checks=checks)
    if response.status_code == 403:
        # Administration refuses the organisation key, and so does a regional key's inbox; the same
        # request again with the admin key and with a regional key.
        case.validate_response(_tel(case.call(headers=dict(sleutels["beheer"]), timeout=TIJDSLIMIET)), checks=checks)
        case.validate_response(_tel(case.call(headers=dict(sleutels["regio"]), timeout=TIJDSLIMIET)), checks=checks)
